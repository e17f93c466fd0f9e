"""pandas + scikit-learn + matplotlib version of `brisk report`: load, clean, transform, visualise, one HTML page.

    python -m peers.pandas_report DATA.csv RESULT_JSON TARGET OUT.html CLEANED.csv

Timed: pd.read_csv; the cleaning of peers.pandas_clean on every column but TARGET; describe(),
skew() and kurt() of the numeric columns and describe() of the text ones; np.corrcoef;
StandardScaler + PCA(2); KMeans(n_clusters=k, n_init=10, random_state=0) on the standardised
features, k the target's number of classes (2 to 10); f_classif of the numeric columns against
TARGET (peers.sklearn_importance, rows with a null target dropped); matplotlib (Agg) drawing a
correlation heatmap, the PCA scatter coloured by cluster, the importance bars and the histograms
(30 bins) as SVG text; one HTML page with them inline, written to OUT.html. After the clock
stops, the cleaned frame is written to CLEANED.csv (to_csv, index=False) for the checks.
"""

import html
import io
import sys
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from peers.common import num, threadpools, write_result
from peers.pandas_clean import clean
from peers.sklearn_importance import scores

plt.switch_backend("Agg")

SIGMA = 3.0
BINS = 30
TOP = 15
STYLE = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px}"


def svg(fig):
    """The figure as inline SVG text (no XML prolog), and the figure closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue().decode("utf-8")
    return text[text.index("<svg"):]


def heatmap(corr, names):
    fig, ax = plt.subplots(figsize=(9, 7.2))
    im = ax.imshow(corr, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    for i in range(len(names)):
        for j in range(len(names)):
            ax.text(j, i, f"{corr[i, j]:.2f}", ha="center", va="center", fontsize=8)
    fig.colorbar(im, ax=ax)
    ax.set_title("Pearson correlation")
    return svg(fig)


def scatter(points, labels, ratio):
    fig, ax = plt.subplots(figsize=(9, 6.2))
    for k in np.unique(labels):
        mine = labels == k
        ax.scatter(points[mine, 0], points[mine, 1], s=4, color=plt.cm.tab10(k % 10), label=f"cluster {k}")
    ax.set_xlabel(f"PC1 ({ratio[0]:.1%})")
    ax.set_ylabel(f"PC2 ({ratio[1]:.1%})")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    ax.set_title("PCA of the standardised features, coloured by k-means cluster")
    return svg(fig)


def importance_bars(imp, target):
    ranked = sorted((s, f) for f, s in zip(imp["features"], imp["score"]) if s is not None)[-TOP:]
    values = [s for s, _ in ranked]
    fig, ax = plt.subplots(figsize=(10, 6))
    colors = plt.cm.viridis(np.linspace(0.15, 0.9, len(ranked)))
    bars = ax.barh([f for _, f in ranked], values, color=colors)
    ax.bar_label(bars, fmt="%.4g", padding=3)
    ax.set_xlabel("F score")
    ax.set_title(f"Feature importance for {target} (f_classif)")
    return svg(fig)


def histograms(df, numeric):
    rows = -(-len(numeric) // 3)
    fig, axes = plt.subplots(rows, 3, figsize=(12, 3 * rows + 0.6), squeeze=False)
    for ax, c in zip(axes.flat, numeric):
        ax.hist(df[c].to_numpy(), bins=BINS)
        ax.set_title(c)
    for ax in axes.flat[len(numeric):]:
        ax.set_visible(False)
    fig.tight_layout()
    return svg(fig)


def page(name, cleaning, tables, figures):
    sections = [f"<h2>{html.escape(title)}</h2>\n{body}" for title, body in (*tables, *figures)]
    facts = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                    for k, v in cleaning.items() if not k.startswith("_"))
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(name)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{html.escape(name)}</h1>\n<h2>Cleaning</h2><table>{facts}</table>\n"
            + "\n".join(sections) + "\n</body></html>\n")


def main(path, result_path, target, out_path, cleaned_path):
    stages = {}
    t0 = last = time.perf_counter()

    def stage(name):
        nonlocal last
        now = time.perf_counter()
        stages[name] = now - last
        last = now

    df = pd.read_csv(path)
    stage("load")
    df, cleaning = clean(df, SIGMA, keep=(target,))
    numeric, text = cleaning["numeric_columns"], cleaning["categorical_columns"]
    stage("clean")
    stats = df[numeric].describe().T
    stats["skew"], stats["kurt"] = df[numeric].skew(), df[numeric].kurt()
    texts = df[[*text, target]].describe().T
    stage("statistics")
    x = df[numeric].to_numpy()
    x = x[np.isfinite(x).all(axis=1)]
    corr = np.corrcoef(x, rowvar=False)
    stage("correlation")
    imp = scores(df, target, "classif")
    stage("importance")
    z = StandardScaler().fit_transform(x)
    pca = PCA(n_components=2).fit(z)
    points = pca.transform(z)
    stage("pca")
    k = min(max(df[target].nunique(), 2), 10)
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(z)
    stage("kmeans")
    figures = [("Correlation", heatmap(corr, numeric)),
               ("PCA and k-means", scatter(points, km.labels_, pca.explained_variance_ratio_)),
               ("Feature importance", importance_bars(imp, target)),
               ("Distributions", histograms(df, numeric))]
    stage("visualise")
    text_page = page(f"Report: {path.rsplit('/', 1)[-1]}", cleaning,
                     [("Statistics", stats.to_html(float_format="{:.6g}".format)),
                      ("Text columns", texts.to_html())], figures)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text_page)
    stage("render and write")
    seconds = time.perf_counter() - t0

    df.to_csv(cleaned_path, index=False)
    write_result(result_path, seconds, {
        "rows_in": cleaning["rows_in"], "rows_out": len(df), "duplicates_removed": cleaning["duplicates_removed"],
        "outlier_rows_removed": cleaning["outlier_rows_removed"], "page_bytes": len(text_page.encode("utf-8")),
        "svg": text_page.count("<svg"), "clusters": k, "inertia": num(km.inertia_),
        "explained_variance_ratio": [num(r) for r in pca.explained_variance_ratio_], "importance": imp,
        "stages": stages, "threads": threadpools(),
    })


if __name__ == "__main__":
    main(*sys.argv[1:6])
