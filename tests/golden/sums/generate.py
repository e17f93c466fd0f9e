"""Golden fixture for brisk's NumPy summation order (brisk_kernels::numeric::NumpySum).

Run from anywhere:  python generate.py   (needs numpy, pinned in ../frames/requirements.txt)

Writes expected.json: for each case, the count n, the seed, and the bits (as 16 hex digits) of
    contiguous  numpy.sum(x)                         x float64, contiguous
    cast        numpy.sum(i, dtype=numpy.float64)    i = x.astype(numpy.int64) after x *= 1e6
The values come from a xorshift64 generator that the Rust test repeats exactly:
    state = (seed * 0x9E3779B97F4A7C15 mod 2^64) | 1
    per value: state ^= state << 13; state ^= state >> 7; state ^= state << 17 (mod 2^64)
               unit = (state >> 11) / 2^53 - 0.5;  x = unit * 10^((state mod 17) - 5)
"""
import json
from pathlib import Path

import numpy as np

M = (1 << 64) - 1


def values(n, seed):
    state = ((seed * 0x9E3779B97F4A7C15) & M) | 1
    out = []
    for _ in range(n):
        state ^= (state << 13) & M
        state ^= state >> 7
        state ^= (state << 17) & M
        unit = (state >> 11) / float(1 << 53) - 0.5
        out.append(unit * 10.0 ** ((state % 17) - 5))
    return np.array(out, dtype=np.float64)


def bits(x):
    return format(int(np.float64(x).view(np.uint64)), "016x")


def main():
    cases = []
    for seed, n in enumerate([0, 5, 8, 100, 128, 129, 1000, 8192, 8193, 20000, 100003]):
        x = values(n, seed)
        ints = (x * 1e6).astype(np.int64)
        cases.append({
            "n": n,
            "seed": seed,
            "contiguous": bits(np.sum(x)),
            "cast": bits(np.sum(ints, dtype=np.float64)),
        })
    out = {"numpy": np.__version__, "cases": cases}
    path = Path(__file__).resolve().parent / "expected.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
