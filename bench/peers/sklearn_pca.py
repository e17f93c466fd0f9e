"""scikit-learn PCA with its default solver, loading included.

    python -m peers.sklearn_pca DATA.npy RESULT_JSON N_COMPONENTS

PCA(n_components=N).fit(np.load(DATA)); for a tall, narrow matrix the default
svd_solver="auto" picks "covariance_eigh". Components follow svd_flip's sign
convention: the largest-magnitude entry of each component is positive.
"""

import sys
import time

import numpy as np
from sklearn.decomposition import PCA

from peers.common import threadpools, write_result


def main(path, result_path, n_components):
    t0 = time.perf_counter()
    x = np.load(path)
    pca = PCA(n_components=int(n_components)).fit(x)
    seconds = time.perf_counter() - t0
    write_result(result_path, seconds, {
        "components": pca.components_.tolist(),
        "explained_variance": pca.explained_variance_.tolist(),
        "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "singular_values": pca.singular_values_.tolist(),
        "mean": pca.mean_.tolist(),
        "noise_variance": float(pca.noise_variance_),
        "solver": getattr(pca, "_fit_svd_solver", pca.svd_solver),
        "threads": threadpools(),
    })


if __name__ == "__main__":
    main(*sys.argv[1:4])
