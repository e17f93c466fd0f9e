"""Seeded generators for the array-kernel benchmark data (float64, C-order .npy files).

    python gen_arrays.py                 # every data set (cov, kmeans, pca)
    python gen_arrays.py cov --force     # one data set, regenerated even if up to date

cov     data/cov_1m_x100.npy        1,000,000 x 100 (763 MiB): standard normals times a
        100 x 100 mixing matrix (a common factor of 0.1 plus ten 10 x 10 blocks of
        U(0, 1), columns scaled by log-uniform factors in [0.5, 5]), plus column
        means in U(-10, 100). Every covariance is positive and far from zero
        (correlations of about 0.4 between blocks and 0.85 inside a block), so an
        elementwise relative comparison is meaningful.
kmeans  data/kmeans_200k_x32.npy    200,000 x 32 (49 MiB): 16 unit-variance Gaussian clusters
        with unequal weights and centres drawn from N(0, 0.4^2) per coordinate, so
        neighbouring clusters overlap (centres about 3 standard deviations apart;
        Lloyd does not converge within 50 iterations from the fixed start);
        data/kmeans_200k_x32_init.npy holds 16 rows of the data chosen by the same
        seeded generator, the fixed initial centroids.
pca     data/pca_300k_x64.npy       300,000 x 64 (146 MiB): standard normals times
        diag(s) @ Q, with Q a random orthogonal matrix and s_i = 10 * 0.85^i, plus
        column means in U(-10, 10): the principal variances are 100 * 0.7225^i.

Large files are written block by block (at most about 250 MB of memory). A sidecar
<file>.meta.json records the parameters and a hash of this script; a data set is
reused only if that matches and every file's .npy header has the expected shape,
dtype and order and the file has the expected size, otherwise it is regenerated.
"""

import os

import numpy as np

from gen_common import DataSets

BLOCK_ROWS = 100_000

# name -> parameters; "stream" separates the generators' random streams for one seed.
SPECS = {
    "cov": {"file": "cov_1m_x100.npy", "rows": 1_000_000, "cols": 100, "stream": 1,
            "block_size": 10, "common": 0.1, "scale": [0.5, 5.0], "means": [-10.0, 100.0]},
    "kmeans": {"file": "kmeans_200k_x32.npy", "init_file": "kmeans_200k_x32_init.npy", "rows": 200_000, "cols": 32,
               "stream": 2, "k": 16, "centre_sd": 0.4, "weights": [0.5, 1.5]},
    "pca": {"file": "pca_300k_x64.npy", "rows": 300_000, "cols": 64, "stream": 3,
            "s0": 10.0, "decay": 0.85, "means": [-10.0, 10.0]},
}


# ------------------------------------------------------------------ .npy helpers


def npy_header(path):
    """(shape, dtype, fortran_order, data_offset) of a .npy file, reading only its header."""
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        return shape, dtype, fortran, f.tell()


def npy_matches(path, shape):
    """True if `path` is a C-order little-endian float64 .npy of `shape` with the full data present."""
    try:
        got, dtype, fortran, offset = npy_header(path)
    except (OSError, ValueError):
        return False
    expected = offset + int(np.prod(shape)) * 8
    return (tuple(got) == tuple(shape) and dtype == np.dtype("<f8") and not fortran
            and os.path.getsize(path) == expected)


def write_npy_blocks(path, shape, blocks):
    """Write a float64 C-order .npy of `shape` from an iterator of row blocks, atomically."""
    tmp = path + ".partial"
    rows = 0
    with open(tmp, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": tuple(shape)})
        for block in blocks:
            block = np.ascontiguousarray(block, dtype="<f8")
            assert block.ndim == 2 and block.shape[1] == shape[1]
            f.write(block.data)
            rows += block.shape[0]
    if rows != shape[0]:
        os.remove(tmp)
        raise RuntimeError(f"{path}: wrote {rows} rows, expected {shape[0]}")
    os.replace(tmp, path)


def row_blocks(rows):
    done = 0
    while done < rows:
        n = min(BLOCK_ROWS, rows - done)
        yield n
        done += n


# ------------------------------------------------------------------ generators


def mixed_normal_blocks(rng, spec, mix):
    """Row blocks of standard normals times the square matrix `mix`, plus column means drawn from
    U(spec["means"]) first."""
    d = mix.shape[1]
    means = rng.uniform(*spec["means"], d)
    for n in row_blocks(spec["rows"]):
        x = rng.standard_normal((n, d)) @ mix
        x += means
        yield x


def gen_cov(rng, spec):
    d, b = spec["cols"], spec["block_size"]
    mix = np.full((d, d), spec["common"])
    for i in range(0, d, b):
        mix[i:i + b, i:i + b] += rng.random((b, b))
    lo, hi = np.log(spec["scale"])
    mix *= np.exp(rng.uniform(lo, hi, d))  # scales column j of the output
    yield from mixed_normal_blocks(rng, spec, mix)


def gen_kmeans(rng, spec):
    """Returns (data, init): all in memory (49 MiB)."""
    n, d, k = spec["rows"], spec["cols"], spec["k"]
    centres = rng.normal(0.0, spec["centre_sd"], (k, d))
    weights = rng.uniform(*spec["weights"], k)
    labels = rng.choice(k, size=n, p=weights / weights.sum())
    x = centres[labels] + rng.standard_normal((n, d))
    init = x[rng.choice(n, size=k, replace=False)].copy()
    return x, init


def gen_pca(rng, spec):
    d = spec["cols"]
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    q *= np.sign(np.diag(r))  # Haar-distributed orthogonal matrix
    s = spec["s0"] * spec["decay"] ** np.arange(d)
    mix = s[:, None] * q  # X = Z diag(s) Q: covariance Q^T diag(s^2) Q
    yield from mixed_normal_blocks(rng, spec, mix)


# ------------------------------------------------------------------ driver


def paths(name, data_dir):
    spec = SPECS[name]
    out = {"data": os.path.join(data_dir, spec["file"])}
    if "init_file" in spec:
        out["init"] = os.path.join(data_dir, spec["init_file"])
    return out


def shapes(name):
    spec = SPECS[name]
    out = {"data": (spec["rows"], spec["cols"])}
    if "init_file" in spec:
        out["init"] = (spec["k"], spec["cols"])
    return out


def complete(name, files):
    return all(npy_matches(files[key], shape) for key, shape in shapes(name).items())


def describe(name, files):
    rows, cols = shapes(name)["data"]
    return files["data"], f"{rows:,} x {cols} float64"


def generate(name, rng, files):
    spec, want = SPECS[name], shapes(name)
    if name == "cov":
        write_npy_blocks(files["data"], want["data"], gen_cov(rng, spec))
    elif name == "kmeans":
        x, init = gen_kmeans(rng, spec)
        write_npy_blocks(files["data"], want["data"], [x])
        write_npy_blocks(files["init"], want["init"], [init])
    elif name == "pca":
        write_npy_blocks(files["data"], want["data"], gen_pca(rng, spec))
    else:
        raise ValueError(f"unknown data set {name!r}")


DATA_SETS = DataSets(__file__, SPECS, paths, complete, describe, generate, extra={"block_rows": BLOCK_ROWS})
# ensure(name, seed, data_dir, force=False): generates data set `name` unless it is up to date;
# returns {"data": path[, "init": path]}.
ensure = DATA_SETS.ensure


if __name__ == "__main__":
    DATA_SETS.main(__doc__)
