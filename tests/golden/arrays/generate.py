"""Generate the golden fixtures for brisk's array kernels.

Run from anywhere (paths are resolved relative to this file), with the
packages pinned in requirements.txt (Python 3.11):

    python generate.py

It writes the inputs into ``inputs/`` and one ``expected/<case>.json`` per
case.  The script is deterministic: synthetic data come from
``numpy.random.default_rng`` with fixed seeds, real data from
``sklearn.datasets.load_iris()`` and ``../inputs/penguins.csv``; BLAS and
OpenMP are limited to one thread so that k-means sums are always added in
the same order.  It checks its own assumptions (file headers, the empty
cluster, the k-means initialisations) and stops with an AssertionError if
one does not hold.

Conventions
-----------
Every expected file holds ``"input"``: the input file, relative to this
directory (``"../inputs/penguins.csv"`` for penguins; null for mt19937).
``X`` is that file read with ``numpy.load(path).astype(numpy.float64)``.
Matrices are lists of rows, vectors lists, floats are Python's shortest
round-trip repr (``json`` module), integers are ints.  No value is
non-finite (the script refuses to write NaN or inf).

Inputs (inputs/)
----------------
blobs.npy           300x6 float64, C order: standard normals times a random
                    6x6 mixing matrix, centred, then per-column scale and
                    offset (column means -50, 0.25, 3.5, 120, 480, 1000;
                    correlated columns)
blobs_f.npy         the same values, Fortran order (header fortran_order True)
blobs_sliced.npy    numpy.save(blobs[::3, ::-1])  -> 100x6, C order
blobs_t.npy         numpy.save(numpy.ascontiguousarray(blobs[:40, :4]).T)
                    -> 4x40, Fortran order (header fortran_order True)
blobs_f32.npy       blobs.astype(float32)
blobs_i4.npy        numpy.round(blobs).astype(int32)
small.npy           blobs[:10]
other.npy           7x6 random
offset.npy          500x3: 1e9 + N(0, 1e-3), 1e6 + N(0, 1), N(0, 1)
iris.npy            sklearn.datasets.load_iris().data (150x4)
with_zero_row.npy   8x3 random; row 3 all zeros; column 2 is 7.0 in every
                    other row
constant_col.npy    8x3 random; column 2 is 7.0 in every row; row 5 is
                    [7, 7, 7] (a constant row)
logits.npy          6x3: [1000,1001,1002], [-1000,-1001,-1002], [0,0,0],
                    [1,2,3], [-745,0,709], [1e-300,-1e-300,0.5]
points.npy          2000x4: five overlapping Gaussian clusters, rows shuffled
init.npy            5x4: points[init_indices] (indices in the k-means files)
init_far.npy        5x4: init with row 2 replaced by [1000]*4 (no point is
                    closer to it than to another centroid)
A.npy               50x50: N(0,1) + 10*I;  B.npy 50x3;  b.npy length-50 1-D
singular.npy        4x4 small integers, rank 3, row 3 = row 0 + row 1
hilbert12.npy       scipy.linalg.hilbert(12) (entries rounded to float64)

Expected keys and the peer call behind each
-------------------------------------------
cov_<name>.json, name in blobs, blobs_f, blobs_sliced, blobs_t, blobs_f32,
blobs_i4, offset, iris, penguins  (rows are observations, columns variables;
blobs_t is 4 observations of 40 variables):
    cov             numpy.cov(X, rowvar=False)               (ddof 1)
    cov_population  numpy.cov(X, rowvar=False, ddof=0)
    corr            numpy.corrcoef(X, rowvar=False)
    cov_exact, cov_population_exact, corr_exact
                    the same three matrices computed exactly (Python
                    fractions.Fraction on the float64 values of X; the
                    square root in corr with decimal at 60 digits) and
                    rounded once to float64.  numpy's figures can be off by
                    far more than an ulp: numpy.cov takes the column means
                    with X.mean(axis=0), which adds the rows in sequence, and
                    for offset.npy that costs ~6e-7 relative in cov[0][0]
  penguins only: X = frame[columns].dropna().to_numpy(float64) where
  frame = pandas.read_csv("../inputs/penguins.csv") and columns are the
  numeric ones (frame.select_dtypes("number"), in file order):
    columns         list of those column names
    rows_used       len of the frame after dropna()
    rows_dropped    rows with a null in any of those columns

normalize_<name>.json, name in blobs, with_zero_row, constant_col
(sklearn.preprocessing):
    l2              normalize(X, norm="l2")            rows; zero rows stay 0
    l2_axis0        normalize(X, norm="l2", axis=0)    columns
    zscore          StandardScaler().fit_transform(X)  columns, ddof 0;
                    a constant column becomes 0
    zscore_axis1    StandardScaler().fit_transform(X.T).T        rows
    minmax          MinMaxScaler().fit_transform(X)    columns; constant -> 0
    minmax_axis1    MinMaxScaler().fit_transform(X.T).T          rows
normalize_iris.json has the same keys for iris.npy.

softmax_logits.json, softmax_blobs.json (scipy.special):
    softmax_axis1      softmax(X, axis=1)
    softmax_axis0      softmax(X, axis=0)
    log_softmax_axis1  log_softmax(X, axis=1)
    log_softmax_axis0  log_softmax(X, axis=0)
    logsumexp_axis1    logsumexp(X, axis=1)
    logsumexp_axis0    logsumexp(X, axis=0)

distances_self.json    (input small.npy)
    distances       scipy.spatial.distance.cdist(X, X)     (euclidean)
distances_other.json   (input small.npy, "other": inputs/other.npy = Y)
    distances       scipy.spatial.distance.cdist(X, Y)     10x7
distances_blobs.json   (input blobs.npy, "other": inputs/small.npy)
    distances       scipy.spatial.distance.cdist(X, Y)     300x10

solve_matrix.json  (input A.npy, "rhs": inputs/B.npy)
    x               numpy.linalg.solve(A, B)               50x3
    cond_1          numpy.linalg.cond(A, 1)
    cond_2          numpy.linalg.cond(A)
solve_vector.json  (input A.npy, "rhs": inputs/b.npy)
    x               numpy.linalg.solve(A, b)               1-D, length 50
    cond_1, cond_2  as above
solve_singular.json  (input singular.npy)
    rhs_values      the right-hand side used, [1, 1, 1, 1]
    error           str() of the numpy.linalg.LinAlgError raised by
                    numpy.linalg.solve(S, rhs_values)
    rank            numpy.linalg.matrix_rank(S)
solve_hilbert.json  (input hilbert12.npy)
    cond_1          numpy.linalg.cond(H, 1)
    cond_2          numpy.linalg.cond(H)
    numpy_raises    whether numpy.linalg.solve(H, ones(12)) raises (false)

pca_<name>_k<k>.json for (blobs, 3), (blobs, 6), (iris, 2), (offset, 2),
(blobs_f, 3); p = sklearn.decomposition.PCA(n_components=k,
svd_solver="full").fit(X):
    k                   n_components
    components          p.components_ (k x d).  Sign: sklearn's svd_flip
                        with u_based_decision=False, i.e. in each row the
                        entry of largest |value| (first one on ties) is > 0
    explained_variance  p.explained_variance_          (ddof 1)
    explained_variance_ratio  p.explained_variance_ratio_
    singular_values     p.singular_values_
    mean                p.mean_
    scores_head         p.transform(X)[:10]
    noise_variance      p.noise_variance_  (mean of the discarded
                        eigenvalues of the sample covariance; 0.0 if k = d)
    <key>_eigh          the same key from PCA(n_components=k,
                        svd_solver="covariance_eigh").fit(X), present only
                        when max|eigh - full| > 1e-9 * max|full|
pca_<name>_k<k>_standardized.json for (blobs, 3), (iris, 2): the same keys
with X replaced by sklearn.preprocessing.StandardScaler().fit_transform(X)
(so mean is ~0 and scores_head are scores of the standardized rows).

kmeans_*.json (input points.npy): sklearn.cluster.KMeans(n_clusters=5,
algorithm="lloyd", ...).fit(X) = km; the parameters used are stored as
    k, max_iter, tol, n_init, init   (init: a file, "k-means++" or "random"),
    random_state                     (seeded cases only)
and the results as
    labels          km.labels_ (ints)
    centroids       km.cluster_centers_
    inertia         km.inertia_
    n_iter          km.n_iter_   (sklearn counts the final pass that finds
                    the labels unchanged)
    sizes           numpy.bincount(km.labels_, minlength=5)
    tol_absolute    tol * numpy.mean(numpy.var(X, axis=0)): the threshold
                    sklearn compares with the sum over centroids of the
                    squared centroid shift (0 when tol = 0)
kmeans_points_init.json          init=inputs/init.npy, n_init=1,
                                 max_iter=300, tol=0; also init_indices
                                 (the rows of points.npy in init.npy)
kmeans_points_init_maxiter3.json the same with max_iter=3 (not converged)
kmeans_points_init_tol.json      the same with tol=1e-4 (sklearn's default)
kmeans_points_init_far.json      init=inputs/init_far.npy, tol=0; also
    empty_cluster   2: the cluster with no point at the first assignment
    relocated_row   the row sklearn moves into that cluster at the first
                    update: argmax over rows of the squared distance to the
                    row's assigned (initial) centroid, as in sklearn's
                    _relocate_empty_clusters_dense; checked by a
                    max_iter=1 fit whose centroid 2 equals that row
kmeans_points_seed<S>.json, S in 0, 42, 1234: init="k-means++", n_init=1,
max_iter=300, tol=1e-4, random_state=S; also
    init_indices    second return value of
                    sklearn.cluster._kmeans._kmeans_plusplus(Xc, 5,
                    x_squared_norms=row_norms(Xc, squared=True),
                    sample_weight=ones(2000),
                    random_state=numpy.random.RandomState(S)),
                    Xc = X - X.mean(axis=0) (KMeans.fit centres X first)
    init_centroids  X[init_indices]; a KMeans fit started from these rows
                    gives the same labels (checked)
kmeans_points_random_seed<S>.json, S in 0, 7: init="random", n_init=1,
max_iter=300, tol=1e-4, random_state=S; also
    init_indices    numpy.random.RandomState(S).choice(2000, size=5,
                    replace=False, p=ones(2000)/2000): the draw
                    KMeans._init_centroids makes for init="random" in
                    scikit-learn 1.9 (not permutation(2000)[:5])
    init_centroids  X[init_indices]; a fit started from them gives the same
                    labels and centroids (checked)
kmeans_points_ninit.json         init="k-means++", n_init=4,
                                 random_state=0, tol=1e-4: labels,
                                 centroids, inertia, n_iter (+ parameters)

mt19937.json ("input": null): "seeds" is a list of objects, one per seed
S in 0, 42, 1234:
    seed            S
    raw32           ten raw 32-bit outputs: bg = numpy.random.MT19937();
                    bg._legacy_seeding(S); bg.random_raw(10) (equal to
                    RandomState(S).randint(0, 2**32, size=10,
                    dtype=numpy.uint64); checked)
    random_sample   numpy.random.RandomState(S).random_sample(10)
    permutation_10  numpy.random.RandomState(S).permutation(10)
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import decimal  # noqa: E402
import json  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.special  # noqa: E402
from scipy.spatial.distance import cdist  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.cluster._kmeans import _kmeans_plusplus  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler, normalize  # noqa: E402
from sklearn.utils.extmath import row_norms  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"
PENGUINS = HERE.parent / "inputs" / "penguins.csv"
PENGUINS_REL = "../inputs/penguins.csv"

K = 5


# ---------------------------------------------------------------- writing


def _plain(value):
    """Numpy arrays and scalars to Python lists, floats and ints."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _format(value):
    """JSON text; a list of lists or of objects gets one element per line."""
    if isinstance(value, list) and value and all(isinstance(v, (list, dict)) for v in value):
        rows = ",\n    ".join(json.dumps(v, allow_nan=False) for v in value)
        return "[\n    " + rows + "\n  ]"
    return json.dumps(value, allow_nan=False)


def write_case(name, obj):
    obj = _plain(obj)
    body = ",\n".join(f"  {json.dumps(k)}: {_format(v)}" for k, v in obj.items())
    text = "{\n" + body + "\n}\n"
    assert json.loads(text) == obj
    (EXPECTED / f"{name}.json").write_text(text)


def save(name, array):
    np.save(INPUTS / name, array)
    return f"inputs/{name}"


def header(name):
    with open(INPUTS / name, "rb") as f:
        major, _ = np.lib.format.read_magic(f)
        if major == 1:
            return np.lib.format.read_array_header_1_0(f)  # (shape, fortran, dtype)
        return np.lib.format.read_array_header_2_0(f)


def load(rel):
    return np.load(HERE / rel).astype(np.float64)


# ----------------------------------------------------------------- inputs


def make_inputs():
    INPUTS.mkdir(exist_ok=True)
    EXPECTED.mkdir(exist_ok=True)
    paths = {}

    rng = np.random.default_rng(20240601)
    z = rng.standard_normal((300, 6))
    mixing = rng.normal(size=(6, 6)) + np.eye(6)
    scales = np.array([0.5, 2.0, 10.0, 3.0, 40.0, 120.0])
    means = np.array([-50.0, 0.25, 3.5, 120.0, 480.0, 1000.0])
    mixed = z @ mixing
    blobs = (mixed - mixed.mean(axis=0)) * scales + means
    blobs = np.ascontiguousarray(blobs)
    paths["blobs"] = save("blobs.npy", blobs)
    paths["blobs_f"] = save("blobs_f.npy", np.asfortranarray(blobs))
    paths["blobs_sliced"] = save("blobs_sliced.npy", blobs[::3, ::-1])
    paths["blobs_t"] = save("blobs_t.npy", np.ascontiguousarray(blobs[:40, :4]).T)
    paths["blobs_f32"] = save("blobs_f32.npy", blobs.astype(np.float32))
    paths["blobs_i4"] = save("blobs_i4.npy", np.round(blobs).astype(np.int32))
    paths["small"] = save("small.npy", blobs[:10])
    paths["other"] = save("other.npy", rng.normal(loc=blobs.mean(axis=0),
                                                  scale=blobs.std(axis=0),
                                                  size=(7, 6)))

    assert header("blobs.npy")[1] is False
    assert header("blobs_f.npy")[1] is True
    assert header("blobs_sliced.npy")[:2] == ((100, 6), False)
    assert header("blobs_t.npy")[:2] == ((4, 40), True)
    assert np.array_equal(np.load(INPUTS / "blobs_f.npy"), blobs)
    assert np.array_equal(np.load(INPUTS / "blobs_t.npy"), blobs[:40, :4].T)
    col_means = blobs.mean(axis=0)
    assert np.allclose(col_means, means, rtol=1e-12, atol=1e-9)

    rng = np.random.default_rng(20240602)
    offset = np.column_stack([
        1e9 + rng.normal(scale=1e-3, size=500),
        1e6 + rng.normal(size=500),
        rng.normal(size=500),
    ])
    paths["offset"] = save("offset.npy", offset)

    paths["iris"] = save("iris.npy", np.ascontiguousarray(load_iris().data, dtype=np.float64))

    rng = np.random.default_rng(20240603)
    zr = rng.normal(loc=2.0, scale=3.0, size=(8, 3))
    zr[:, 2] = 7.0
    zr[3, :] = 0.0
    paths["with_zero_row"] = save("with_zero_row.npy", zr)
    cc = rng.normal(loc=-1.0, scale=2.0, size=(8, 3))
    cc[:, 2] = 7.0
    cc[5, :] = 7.0
    paths["constant_col"] = save("constant_col.npy", cc)

    logits = np.array([
        [1000.0, 1001.0, 1002.0],
        [-1000.0, -1001.0, -1002.0],
        [0.0, 0.0, 0.0],
        [1.0, 2.0, 3.0],
        [-745.0, 0.0, 709.0],
        [1e-300, -1e-300, 0.5],
    ])
    paths["logits"] = save("logits.npy", logits)

    rng = np.random.default_rng(20240604)
    centres = rng.normal(scale=1.6, size=(K, 4))
    spreads = np.array([1.0, 0.8, 1.2, 0.9, 1.1])
    parts = [c + s * rng.standard_normal((400, 4)) for c, s in zip(centres, spreads)]
    points = np.concatenate(parts)[rng.permutation(2000)]
    paths["points"] = save("points.npy", points)
    init_indices = np.sort(rng.choice(2000, size=K, replace=False))
    paths["init"] = save("init.npy", points[init_indices])
    init_far = points[init_indices].copy()
    init_far[2] = 1e3
    paths["init_far"] = save("init_far.npy", init_far)

    rng = np.random.default_rng(20240605)
    paths["A"] = save("A.npy", rng.normal(size=(50, 50)) + 10.0 * np.eye(50))
    paths["B"] = save("B.npy", rng.normal(size=(50, 3)))
    paths["b"] = save("b.npy", rng.normal(size=50))
    # Small integers whose LU factorisation is exact, so that LAPACK meets an
    # exactly zero pivot whatever the blocking (a random float matrix with
    # row 3 = row 0 + row 1 usually leaves a pivot of ~1e-16 instead).
    singular = np.array([
        [1.0, 2.0, -3.0, 4.0],
        [0.0, 1.0, 5.0, -6.0],
        [0.0, 0.0, 1.0, 7.0],
        [0.0, 0.0, 0.0, 0.0],
    ])
    singular[3] = singular[0] + singular[1]
    paths["singular"] = save("singular.npy", singular)
    paths["hilbert12"] = save("hilbert12.npy", scipy.linalg.hilbert(12))

    return paths, init_indices


# ------------------------------------------------------------------ cases


def penguins_numeric():
    frame = pd.read_csv(PENGUINS)
    columns = list(frame.select_dtypes("number").columns)
    numeric = frame[columns]
    kept = numeric.dropna()
    return kept.to_numpy(dtype=np.float64), columns, len(kept), len(numeric) - len(kept)


def exact_cov(X):
    """Sample and population covariance and correlation, exactly, as float64."""
    n, d = X.shape
    cols = [[Fraction(v) for v in X[:, j]] for j in range(d)]
    devs = []
    for col in cols:
        mean = sum(col) / n
        devs.append([v - mean for v in col])
    ctx = decimal.Context(prec=60)
    sums = [[None] * d for _ in range(d)]
    for i in range(d):
        for j in range(i, d):
            sums[i][j] = sums[j][i] = sum(a * b for a, b in zip(devs[i], devs[j]))
    cov = [[float(sums[i][j] / (n - 1)) for j in range(d)] for i in range(d)]
    pop = [[float(sums[i][j] / n) for j in range(d)] for i in range(d)]
    corr = [[0.0] * d for _ in range(d)]
    for i in range(d):
        for j in range(d):
            r2 = sums[i][j] ** 2 / (sums[i][i] * sums[j][j])
            root = ctx.sqrt(ctx.divide(decimal.Decimal(r2.numerator),
                                       decimal.Decimal(r2.denominator)))
            corr[i][j] = float(root) if sums[i][j] >= 0 else -float(root)
    return cov, pop, corr


def cov_cases(paths):
    for name in ["blobs", "blobs_f", "blobs_sliced", "blobs_t", "blobs_f32",
                 "blobs_i4", "offset", "iris", "penguins"]:
        extra = {}
        if name == "penguins":
            X, columns, used, dropped = penguins_numeric()
            rel = PENGUINS_REL
            extra = {"columns": columns, "rows_used": used, "rows_dropped": dropped}
        else:
            rel = paths[name]
            X = load(rel)
        cov, pop, corr = exact_cov(X)
        write_case(f"cov_{name}", {
            "input": rel,
            **extra,
            "cov": np.cov(X, rowvar=False),
            "cov_population": np.cov(X, rowvar=False, ddof=0),
            "corr": np.corrcoef(X, rowvar=False),
            "cov_exact": cov,
            "cov_population_exact": pop,
            "corr_exact": corr,
        })


def normalize_cases(paths):
    for name in ["blobs", "with_zero_row", "constant_col", "iris"]:
        X = load(paths[name])
        write_case(f"normalize_{name}", {
            "input": paths[name],
            "l2": normalize(X, norm="l2"),
            "l2_axis0": normalize(X, norm="l2", axis=0),
            "zscore": StandardScaler().fit_transform(X),
            "zscore_axis1": StandardScaler().fit_transform(X.T).T,
            "minmax": MinMaxScaler().fit_transform(X),
            "minmax_axis1": MinMaxScaler().fit_transform(X.T).T,
        })


def softmax_cases(paths):
    sp = scipy.special
    for name in ["logits", "blobs"]:
        X = load(paths[name])
        write_case(f"softmax_{name}", {
            "input": paths[name],
            "softmax_axis1": sp.softmax(X, axis=1),
            "softmax_axis0": sp.softmax(X, axis=0),
            "log_softmax_axis1": sp.log_softmax(X, axis=1),
            "log_softmax_axis0": sp.log_softmax(X, axis=0),
            "logsumexp_axis1": sp.logsumexp(X, axis=1),
            "logsumexp_axis0": sp.logsumexp(X, axis=0),
        })


def distance_cases(paths):
    X = load(paths["small"])
    Y = load(paths["other"])
    write_case("distances_self", {"input": paths["small"], "distances": cdist(X, X)})
    write_case("distances_other", {"input": paths["small"], "other": paths["other"],
                                   "distances": cdist(X, Y)})
    blobs = load(paths["blobs"])
    write_case("distances_blobs", {"input": paths["blobs"], "other": paths["small"],
                                   "distances": cdist(blobs, X)})


def solve_cases(paths):
    A = load(paths["A"])
    conds = {"cond_1": np.linalg.cond(A, 1), "cond_2": np.linalg.cond(A)}
    write_case("solve_matrix", {"input": paths["A"], "rhs": paths["B"],
                                "x": np.linalg.solve(A, load(paths["B"])), **conds})
    b = load(paths["b"])
    assert b.ndim == 1
    write_case("solve_vector", {"input": paths["A"], "rhs": paths["b"],
                                "x": np.linalg.solve(A, b), **conds})

    S = load(paths["singular"])
    rhs = np.ones(4)
    try:
        np.linalg.solve(S, rhs)
    except np.linalg.LinAlgError as exc:
        error = str(exc)
    else:
        raise AssertionError("numpy.linalg.solve did not raise on singular.npy")
    write_case("solve_singular", {"input": paths["singular"], "rhs_values": rhs,
                                  "error": error, "rank": np.linalg.matrix_rank(S)})

    H = load(paths["hilbert12"])
    try:
        np.linalg.solve(H, np.ones(12))
        raises = False
    except np.linalg.LinAlgError:
        raises = True
    write_case("solve_hilbert", {"input": paths["hilbert12"],
                                 "cond_1": np.linalg.cond(H, 1),
                                 "cond_2": np.linalg.cond(H),
                                 "numpy_raises": raises})


PCA_KEYS = ["components", "explained_variance", "explained_variance_ratio",
            "singular_values", "mean", "scores_head", "noise_variance"]


def pca_fit(X, k, solver):
    p = PCA(n_components=k, svd_solver=solver).fit(X)
    comp = p.components_
    rows = np.arange(k)
    assert np.all(comp[rows, np.argmax(np.abs(comp), axis=1)] > 0)
    return {
        "components": comp,
        "explained_variance": p.explained_variance_,
        "explained_variance_ratio": p.explained_variance_ratio_,
        "singular_values": p.singular_values_,
        "mean": p.mean_,
        "scores_head": p.transform(X)[:10],
        "noise_variance": np.float64(p.noise_variance_),
    }


def pca_record(rel, X, k):
    full = pca_fit(X, k, "full")
    eigh = pca_fit(X, k, "covariance_eigh")
    out = {"input": rel, "k": k, **full}
    differing = []
    for key in PCA_KEYS:
        a, b = np.asarray(full[key]), np.asarray(eigh[key])
        scale = np.max(np.abs(a)) if a.size else 0.0
        if np.max(np.abs(a - b)) > 1e-9 * scale:
            out[f"{key}_eigh"] = eigh[key]
            differing.append(key)
    return out, differing


def pca_cases(paths):
    report = {}
    for name, k in [("blobs", 3), ("blobs", 6), ("iris", 2), ("offset", 2), ("blobs_f", 3)]:
        X = load(paths[name])
        out, differing = pca_record(paths[name], X, k)
        write_case(f"pca_{name}_k{k}", out)
        report[f"pca_{name}_k{k}"] = differing
    for name, k in [("blobs", 3), ("iris", 2)]:
        X = StandardScaler().fit_transform(load(paths[name]))
        out, differing = pca_record(paths[name], X, k)
        write_case(f"pca_{name}_k{k}_standardized", out)
        report[f"pca_{name}_k{k}_standardized"] = differing
    return report


def kmeans_result(km, X, tol):
    labels = km.labels_.astype(np.int64)
    return {
        "labels": labels,
        "centroids": km.cluster_centers_,
        "inertia": km.inertia_,
        "n_iter": km.n_iter_,
        "sizes": np.bincount(labels, minlength=K),
        "tol_absolute": tol * np.mean(np.var(X, axis=0)) if tol else 0.0,
    }


def kmeans_cases(paths, init_indices):
    X = load(paths["points"])
    init = load(paths["init"])
    init_far = load(paths["init_far"])
    assert np.array_equal(init, X[init_indices])
    notes = {}

    def fixed(name, init_rel, init_arr, max_iter, tol, extra=None):
        km = KMeans(n_clusters=K, init=init_arr, n_init=1, max_iter=max_iter, tol=tol,
                    algorithm="lloyd").fit(X)
        res = kmeans_result(km, X, tol)
        write_case(name, {"input": paths["points"], "k": K, "max_iter": max_iter, "tol": tol,
                          "n_init": 1, "init": init_rel, **(extra or {}), **res})
        notes[name] = (res["n_iter"], res["sizes"].tolist(), float(res["inertia"]))
        return km

    idx = {"init_indices": init_indices}
    fixed("kmeans_points_init", paths["init"], init, 300, 0.0, idx)
    fixed("kmeans_points_init_maxiter3", paths["init"], init, 3, 0.0, idx)
    fixed("kmeans_points_init_tol", paths["init"], init, 300, 1e-4, idx)

    # Empty cluster: centroid 2 of init_far must get no point at the first
    # assignment; sklearn then moves the row farthest from its own centroid.
    first = np.argmin(cdist(X, init_far, "sqeuclidean"), axis=1)
    first_sizes = np.bincount(first, minlength=K)
    assert first_sizes[2] == 0, first_sizes
    far_dist = ((X - init_far[first]) ** 2).sum(axis=1)
    relocated = int(np.argmax(far_dist))
    assert np.sum(far_dist == far_dist[relocated]) == 1
    one = KMeans(n_clusters=K, init=init_far, n_init=1, max_iter=1, tol=0.0,
                 algorithm="lloyd").fit(X)
    assert np.allclose(one.cluster_centers_[2], X[relocated], rtol=0, atol=1e-12)
    fixed("kmeans_points_init_far", paths["init_far"], init_far, 300, 0.0,
          {"empty_cluster": 2, "relocated_row": relocated})
    notes["init_far_first_sizes"] = first_sizes.tolist()

    Xc = X - X.mean(axis=0)
    for seed in [0, 42, 1234]:
        km = KMeans(n_clusters=K, init="k-means++", n_init=1, max_iter=300, tol=1e-4,
                    random_state=seed, algorithm="lloyd").fit(X)
        centers, indices = _kmeans_plusplus(
            Xc, K, x_squared_norms=row_norms(Xc, squared=True),
            random_state=np.random.RandomState(seed), sample_weight=np.ones(len(X)))
        assert np.allclose(centers + X.mean(axis=0), X[indices], rtol=0, atol=1e-12)
        check = KMeans(n_clusters=K, init=X[indices], n_init=1, max_iter=300, tol=1e-4,
                       algorithm="lloyd").fit(X)
        assert np.array_equal(check.labels_, km.labels_), seed
        assert np.allclose(check.cluster_centers_, km.cluster_centers_, rtol=0, atol=1e-12)
        res = kmeans_result(km, X, 1e-4)
        name = f"kmeans_points_seed{seed}"
        write_case(name, {"input": paths["points"], "k": K, "max_iter": 300, "tol": 1e-4,
                          "n_init": 1, "init": "k-means++", "random_state": seed,
                          "init_indices": indices, "init_centroids": X[indices], **res})
        notes[name] = (res["n_iter"], res["sizes"].tolist(), float(res["inertia"]))

    for seed in [0, 7]:
        km = KMeans(n_clusters=K, init="random", n_init=1, max_iter=300, tol=1e-4,
                    random_state=seed, algorithm="lloyd").fit(X)
        indices = np.random.RandomState(seed).choice(len(X), size=K, replace=False,
                                                     p=np.ones(len(X)) / len(X))
        check = KMeans(n_clusters=K, init=X[indices], n_init=1, max_iter=300, tol=1e-4,
                       algorithm="lloyd").fit(X)
        assert np.array_equal(check.labels_, km.labels_), seed
        assert np.allclose(check.cluster_centers_, km.cluster_centers_, rtol=0, atol=1e-12)
        perm = np.random.RandomState(seed).permutation(len(X))[:K]
        notes[f"random_seed{seed}_permutation_matches"] = bool(np.array_equal(perm, indices))
        res = kmeans_result(km, X, 1e-4)
        name = f"kmeans_points_random_seed{seed}"
        write_case(name, {"input": paths["points"], "k": K, "max_iter": 300, "tol": 1e-4,
                          "n_init": 1, "init": "random", "random_state": seed,
                          "init_indices": indices, "init_centroids": X[indices], **res})
        notes[name] = (res["n_iter"], res["sizes"].tolist(), float(res["inertia"]))

    km = KMeans(n_clusters=K, init="k-means++", n_init=4, max_iter=300, tol=1e-4,
                random_state=0, algorithm="lloyd").fit(X)
    write_case("kmeans_points_ninit", {
        "input": paths["points"], "k": K, "max_iter": 300, "tol": 1e-4, "n_init": 4,
        "init": "k-means++", "random_state": 0,
        "labels": km.labels_.astype(np.int64), "centroids": km.cluster_centers_,
        "inertia": km.inertia_, "n_iter": km.n_iter_,
    })
    notes["kmeans_points_ninit"] = (km.n_iter_, np.bincount(km.labels_).tolist(),
                                    float(km.inertia_))
    return notes


def mt19937_case():
    seeds = []
    for seed in [0, 42, 1234]:
        bg = np.random.MT19937()
        bg._legacy_seeding(seed)
        raw = bg.random_raw(10)
        via_randint = np.random.RandomState(seed).randint(0, 2**32, size=10, dtype=np.uint64)
        assert np.array_equal(raw, via_randint)
        seeds.append({
            "seed": seed,
            "raw32": [int(v) for v in raw],
            "random_sample": np.random.RandomState(seed).random_sample(10),
            "permutation_10": np.random.RandomState(seed).permutation(10),
        })
    write_case("mt19937", {"input": None, "seeds": seeds})


def main():
    with threadpool_limits(limits=1):
        paths, init_indices = make_inputs()
        cov_cases(paths)
        normalize_cases(paths)
        softmax_cases(paths)
        distance_cases(paths)
        solve_cases(paths)
        pca_notes = pca_cases(paths)
        km_notes = kmeans_cases(paths, init_indices)
        mt19937_case()
    for name, keys in pca_notes.items():
        if keys:
            print(f"{name}: covariance_eigh differs in {', '.join(keys)}")
    for name, note in km_notes.items():
        print(f"{name}: {note}")


if __name__ == "__main__":
    main()
