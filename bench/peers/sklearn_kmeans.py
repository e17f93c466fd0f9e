"""scikit-learn Lloyd k-means from fixed initial centroids, loading included.

    python -m peers.sklearn_kmeans DATA.npy RESULT_JSON INIT.npy K MAX_ITER

KMeans(n_clusters=K, init=INIT, n_init=1, max_iter=MAX_ITER, tol=0, algorithm="lloyd"):
with tol=0 it stops early only when an iteration leaves every label unchanged.
"""

import sys
import time

import numpy as np
from sklearn.cluster import KMeans

from peers.common import threadpools, write_result


def main(path, result_path, init_path, k, max_iter):
    k, max_iter = int(k), int(max_iter)
    t0 = time.perf_counter()
    x = np.load(path)
    init = np.load(init_path)
    km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter, tol=0, algorithm="lloyd").fit(x)
    seconds = time.perf_counter() - t0
    labels = km.labels_.astype(np.int64)
    write_result(result_path, seconds, {
        "centroids": km.cluster_centers_.tolist(),
        "inertia": float(km.inertia_),
        "n_iter": int(km.n_iter_),
        "sizes": np.bincount(labels, minlength=k).tolist(),
        "labels": labels.tolist(),
        "threads": threadpools(),
    })


if __name__ == "__main__":
    main(*sys.argv[1:6])
