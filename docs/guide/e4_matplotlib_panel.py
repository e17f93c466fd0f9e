"""Exercise E.4's multi-panel figure with pandas, scikit-learn and matplotlib: the same four panels
as `brisk plot panel FILE --target COL -o OUT` (histograms, correlation heatmap, PCA scatter coloured
by k-means cluster, importance bars), for comparing lines of code and rendering time.

    python docs/guide/e4_matplotlib_panel.py tests/golden/inputs/penguins.csv species panel.png

Prints on stderr the seconds from after the imports to the written file, and the part of them
spent drawing and saving the figure.
"""
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.feature_selection import f_classif
from sklearn.preprocessing import StandardScaler

path, target, out = sys.argv[1:4]
start = time.perf_counter()
df = pd.read_csv(path)
num = df.select_dtypes("number").drop(columns=[target], errors="ignore")
complete = num.dropna()
z = StandardScaler().fit_transform(complete)
k = 3 if pd.api.types.is_numeric_dtype(df[target]) else df[target].nunique()
pca = PCA(2).fit(z)
scores = pca.transform(z)
labels = KMeans(k, n_init=10, random_state=0).fit_predict(z)
rows = df[list(num.columns) + [target]].dropna()
f, _ = f_classif(rows[num.columns], rows[target])
order = np.argsort(f)[-15:]

drawn = time.perf_counter()
fig = plt.figure(figsize=(18, 12), dpi=100)
fig.suptitle(path.split("/")[-1], fontsize=18)
grid = fig.add_gridspec(2, 2)
cols = (len(num.columns) + 1) // 2
cells = grid[0, 0].subgridspec(2, cols)
for i, name in enumerate(num.columns):
    ax = fig.add_subplot(cells[i // cols, i % cols])
    ax.hist(num[name].dropna(), bins=20, color="steelblue")
    ax.set_title(name, fontsize=9)
ax = fig.add_subplot(grid[0, 1])
corr = np.corrcoef(complete.to_numpy(), rowvar=False)
im = ax.imshow(corr, cmap="RdBu_r", vmin=-1, vmax=1)
ax.set_xticks(range(len(num.columns)), num.columns, rotation=45, ha="right")
ax.set_yticks(range(len(num.columns)), num.columns)
for (i, j), v in np.ndenumerate(corr):
    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8)
fig.colorbar(im, ax=ax)
ax.set_title("Correlation")
ax = fig.add_subplot(grid[1, 0])
points = ax.scatter(scores[:, 0], scores[:, 1], c=labels, cmap="tab10", s=12)
ax.legend(*points.legend_elements(), title="cluster")
ratio = pca.explained_variance_ratio_ * 100
ax.set_xlabel(f"PC1 ({ratio[0]:.1f}%)")
ax.set_ylabel(f"PC2 ({ratio[1]:.1f}%)")
ax.set_title("Clusters (k-means)")
ax = fig.add_subplot(grid[1, 1])
bars = ax.barh(num.columns[order], f[order], color=plt.cm.viridis(f[order] / f.max()))
ax.bar_label(bars, fmt="%.1f")
ax.set_xlabel("F score")
ax.set_title("Feature importance")
fig.tight_layout()
fig.savefig(out)
end = time.perf_counter()
print(f"{end - start:.3f} s after imports, {end - drawn:.3f} s of it drawing and saving",
      file=sys.stderr)
