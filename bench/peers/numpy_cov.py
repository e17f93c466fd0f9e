"""NumPy covariance matrix of a .npy file: np.cov(np.load(path), rowvar=False), loading included."""

import sys
import time

import numpy as np

from peers.common import threadpools, write_result


def main(path, result_path):
    t0 = time.perf_counter()
    x = np.load(path)
    cov = np.cov(x, rowvar=False)
    seconds = time.perf_counter() - t0
    # repr() of each float round-trips exactly through JSON.
    write_result(result_path, seconds, {"shape": list(x.shape), "cov": cov.tolist(), "threads": threadpools()})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
