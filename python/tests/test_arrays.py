"""brisk's array kernels against NumPy, SciPy and scikit-learn, called live on seeded random data
and on the embedded penguins (numeric columns, rows with nulls dropped).

Tolerances are those of the Rust golden tests of the same kernels (tests/golden/arrays).
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.special
import scipy.stats
from scipy.spatial.distance import cdist
from sklearn.feature_selection import f_classif, f_regression
from sklearn.preprocessing import normalize

import brisk
from brisk._convert import as_float_array

PENGUINS_CSV = Path(__file__).resolve().parents[2] / "crates" / "brisk-data" / "data" / "penguins.csv"


def penguins() -> np.ndarray:
    frame = pd.read_csv(PENGUINS_CSV)
    return frame.select_dtypes("number").dropna().to_numpy(np.float64)


def blobs(rows: int = 300, cols: int = 6, seed: int = 20240601) -> np.ndarray:
    """Correlated columns with offsets and scales of different sizes."""
    rng = np.random.default_rng(seed)
    mixed = rng.standard_normal((rows, cols)) @ (rng.normal(size=(cols, cols)) + np.eye(cols))
    scales = np.geomspace(0.5, 120.0, cols)
    means = np.linspace(-50.0, 1000.0, cols)
    return mixed * scales + means


DATASETS = {
    "blobs": blobs,
    "wide": lambda: blobs(40, 25, seed=3),
    "penguins": penguins,
}


@pytest.fixture(params=sorted(DATASETS))
def data(request: pytest.FixtureRequest) -> np.ndarray:
    return DATASETS[request.param]()


def close(got: np.ndarray, want: np.ndarray, rtol: float, atol_scale: float = 0.0, atol: float = 0.0):
    """Entry-wise ``|got - want| <= rtol |want| + atol`` with ``atol`` also scaled by ``max|want|``."""
    want = np.asarray(want)
    assert got.shape == want.shape
    scale = np.max(np.abs(want)) if want.size else 0.0
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol + atol_scale * scale)


def test_penguins_are_the_numeric_columns_without_nulls():
    x = penguins()
    assert x.shape == (342, 5)


def test_covariance_equals_numpy(data):
    for ddof in (0, 1, 2):
        close(brisk.covariance(data, ddof=ddof), np.cov(data, rowvar=False, ddof=ddof), 1e-10, 1e-14)
    c = brisk.covariance(data)
    assert np.array_equal(c, c.T)


def test_correlation_equals_numpy(data):
    close(brisk.correlation(data), np.corrcoef(data, rowvar=False), 1e-10, 1e-14)


def test_correlation_of_a_constant_column_is_nan_as_numpy():
    x = blobs(50, 3)
    x[:, 1] = 7.0
    with np.errstate(invalid="ignore", divide="ignore"):
        want = np.corrcoef(x, rowvar=False)
    got = brisk.correlation(x)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    close(got[[0, 2]][:, [0, 2]], want[[0, 2]][:, [0, 2]], 1e-10, 1e-14)


def test_nan_propagates_through_covariance_as_in_numpy():
    x = blobs(30, 4)
    x[5, 2] = np.nan
    got, want = brisk.covariance(x), np.cov(x, rowvar=False)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    finite = ~np.isnan(want)
    close(got[finite], want[finite], 1e-10, 1e-14)


def test_compute_statistics_equals_numpy_and_scipy(data):
    x = data.copy()
    x[::7, 0] = np.nan  # skipped, as pandas and NumPy's nan* functions skip it
    s = brisk.compute_statistics(x)
    assert list(s) == ["count", "mean", "std", "min", "q25", "median", "q75", "max", "skewness", "kurtosis"]
    d = x.shape[1]
    assert all(v.shape == (d,) and v.dtype == np.float64 for v in s.values())
    want = {
        "count": np.sum(~np.isnan(x), axis=0).astype(float),
        "mean": np.nanmean(x, axis=0),
        "std": np.nanstd(x, axis=0, ddof=1),
        "min": np.nanmin(x, axis=0),
        "max": np.nanmax(x, axis=0),
        "median": np.nanmedian(x, axis=0),
        "skewness": scipy.stats.skew(x, axis=0, bias=False, nan_policy="omit"),
        "kurtosis": scipy.stats.kurtosis(x, axis=0, bias=False, nan_policy="omit"),
    }
    want["q25"], want["q75"] = np.nanquantile(x, [0.25, 0.75], axis=0)
    for key, value in want.items():
        close(s[key], np.asarray(value, dtype=float), 1e-10, atol=1e-12)
    # The same conventions as pandas' describe, skew and kurt.
    frame = pd.DataFrame(x)
    close(s["std"], frame.std().to_numpy(), 1e-10)
    close(s["skewness"], frame.skew().to_numpy(), 1e-10, atol=1e-12)
    close(s["kurtosis"], frame.kurt().to_numpy(), 1e-10, atol=1e-12)


def test_compute_statistics_of_the_exercise():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2000, 5))
    stats = brisk.compute_statistics(x)
    assert stats["mean"].shape == (5,)
    assert np.allclose(stats["mean"], x.mean(axis=0))


def test_compute_statistics_undefined_figures_are_nan():
    x = np.array([[1.0, np.nan], [1.0, np.nan]])
    s = brisk.compute_statistics(x)
    assert s["count"].tolist() == [2.0, 0.0]
    assert s["std"][0] == 0.0
    assert np.isnan(s["skewness"][0]) and np.isnan(s["mean"][1]) and np.isnan(s["median"][1])


def test_row_normalize_equals_scikit_learn(data):
    x = data.copy()
    x[3] = 0.0  # a zero row stays zero
    close(brisk.row_normalize(x), normalize(x, norm="l2"), 1e-12, atol=1e-13)
    assert np.all(brisk.row_normalize(x)[3] == 0.0)


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_softmax_equals_scipy(data, axis):
    logits = np.vstack([data, [[1000.0] * data.shape[1]], [[-1000.0] * data.shape[1]]])
    close(brisk.softmax(logits, axis=axis), scipy.special.softmax(logits, axis=axis), 1e-13, atol=1e-300)
    close(
        brisk.softmax(logits, axis=axis, log=True),
        scipy.special.log_softmax(logits, axis=axis),
        1e-13,
        atol=1e-13,
    )


def test_softmax_of_extreme_logits_equals_scipy():
    logits = np.array(
        [[1000, 1001, 1002], [-1000, -1001, -1002], [0, 0, 0], [1, 2, 3], [-745, 0, 709], [1e-300, -1e-300, 0.5]],
        dtype=float,
    )
    for axis in (0, 1):
        close(brisk.softmax(logits, axis), scipy.special.softmax(logits, axis=axis), 1e-13, atol=1e-300)
        close(brisk.softmax(logits, axis, log=True), scipy.special.log_softmax(logits, axis=axis), 1e-13, atol=1e-13)


def test_softmax_of_a_vector():
    v = np.array([0.5, -2.0, 3.0, 3.0])
    for axis in (0, -1):
        close(brisk.softmax(v, axis=axis), scipy.special.softmax(v), 1e-13)
        close(brisk.softmax(v, axis=axis, log=True), scipy.special.log_softmax(v), 1e-13, atol=1e-13)


def test_pairwise_distances_equal_scipy_cdist(data):
    got = brisk.pairwise_distances(data)
    close(got, cdist(data, data), 1e-12, 1e-12)
    assert np.all(np.diag(got) == 0.0)
    assert np.array_equal(got, got.T)
    other = data[::5] + 0.5
    close(brisk.pairwise_distances(data, other), cdist(data, other), 1e-12, 1e-12)


def test_pairwise_distances_overflow_to_inf_as_scipy():
    x = np.array([[1e308, -1e308], [1e308, 1e308]])
    with np.errstate(over="ignore"):
        want = cdist(x, x)
    assert np.array_equal(brisk.pairwise_distances(x), want)


def test_assign_clusters_equals_argmin(data):
    centres = data[:7] + 0.25
    d = cdist(data, centres)
    got = brisk.assign_clusters(d)
    assert got.dtype == np.int64
    assert np.array_equal(got, np.argmin(d, axis=1))
    ties = np.array([[2.0, 1.0, 1.0], [0.0, 0.0, 0.0], [np.inf, 5.0, np.inf]])
    assert np.array_equal(brisk.assign_clusters(ties), np.argmin(ties, axis=1))


def test_update_centroids_equals_numpy_means(data):
    rng = np.random.default_rng(11)
    k = 6
    labels = rng.integers(0, k, size=len(data))
    want = np.stack([data[labels == j].mean(axis=0) for j in range(k)])
    close(brisk.update_centroids(data, labels, k), want, 1e-12, 1e-15)
    # int32, uint8 and list labels are accepted as NumPy would index with them.
    close(brisk.update_centroids(data, labels.astype(np.uint8), k), want, 1e-12, 1e-15)
    close(brisk.update_centroids(data, labels.astype(np.int32).tolist(), k), want, 1e-12, 1e-15)


def test_an_empty_cluster_is_nan_with_a_warning_as_numpy():
    x = blobs(20, 3)
    labels = np.array([0, 2] * 10)
    with pytest.warns(RuntimeWarning, match=r"\[1\]"):
        got = brisk.update_centroids(x, labels, 3)
    with pytest.warns(RuntimeWarning):
        empty = x[labels == 1].mean(axis=0)
    assert np.all(np.isnan(got[1])) and np.all(np.isnan(empty))
    close(got[[0, 2]], np.stack([x[labels == 0].mean(axis=0), x[labels == 2].mean(axis=0)]), 1e-12)


def test_one_lloyd_step_by_the_three_functions():
    x = blobs(400, 4, seed=5)
    c = x[:5].copy()
    for _ in range(3):
        labels = brisk.assign_clusters(brisk.pairwise_distances(x, c))
        assert np.array_equal(labels, np.argmin(cdist(x, c), axis=1))
        c = brisk.update_centroids(x, labels, 5)


@pytest.mark.parametrize("n", [1, 5, 50])
def test_solve_equals_numpy(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n)) + 10 * np.eye(n)
    b = rng.standard_normal((n, 3))
    close(brisk.solve(a, b), np.linalg.solve(a, b), 1e-10, atol=1e-14)
    v = b[:, 0].copy()
    got = brisk.solve(a, v)
    assert got.shape == (n,)
    close(got, np.linalg.solve(a, v), 1e-10, atol=1e-14)


def test_solve_on_penguins_normal_equations():
    x = penguins()
    a = x.T @ x / len(x) + np.eye(x.shape[1])
    b = x.mean(axis=0)
    close(brisk.solve(a, b), np.linalg.solve(a, b), 1e-10, atol=1e-14)


def centred(x: np.ndarray) -> np.ndarray:
    """``x`` minus its column means, which changes no F statistic: scikit-learn sums raw powers
    (``Σx² - (Σx)²/n``), which loses digits on a column whose mean is large next to its spread
    (the penguins' year: ~3e-7 relative), and brisk centres first; on centred columns both keep
    their digits."""
    return x - x.mean(axis=0)


def check_p_values(p, p_want, F, dfn, dfd):
    """p-values: ``scipy.stats.f.sf`` of brisk's own F to 1e-9 relative (1e-300 absolute), and
    scikit-learn's to 1e-6: a p-value of 1e-113 moves 1e-8 relative when F moves by its last
    digits, and there scikit-learn's raw power sums lose more digits than brisk's centred ones."""
    close(p, scipy.stats.f.sf(F, dfn, dfd), 1e-9, atol=1e-300)
    close(p, p_want, 1e-6, atol=1e-300)


def test_f_classif_equals_scikit_learn(data):
    rng = np.random.default_rng(7)
    y = rng.integers(0, 3, size=len(data))
    x = data + y[:, None] * np.linspace(0.0, 2.0, data.shape[1])  # some columns separate classes
    for labels in (y, np.array(["a", "b", "c"])[y], y.astype(float) * 2.5 - 1):
        F, p = brisk.f_classif(x, labels)
        F_want, p_want = f_classif(centred(x), labels)
        close(F, F_want, 1e-9, atol=1e-12)
        check_p_values(p, p_want, F, 2, len(x) - 3)


def test_f_classif_on_penguins_species():
    frame = pd.read_csv(PENGUINS_CSV).dropna()
    x = frame.select_dtypes("number").to_numpy(np.float64)
    species = frame["species"].to_numpy()
    F, p = brisk.f_classif(x, species)
    F_want, p_want = f_classif(centred(x), species)
    close(F, F_want, 1e-9, atol=1e-12)
    check_p_values(p, p_want, F, 2, len(x) - 3)


def test_f_regression_equals_scikit_learn(data):
    rng = np.random.default_rng(9)
    y = data @ rng.standard_normal(data.shape[1]) * 1e-3 + rng.standard_normal(len(data)) * 10
    F, p = brisk.f_regression(data, y)
    F_want, p_want = f_regression(centred(data), y)
    close(F, F_want, 1e-9, atol=1e-12)
    check_p_values(p, p_want, F, 1, len(data) - 2)


def test_f_regression_of_a_constant_column_and_a_perfect_fit_as_force_finite():
    x = np.column_stack([np.full(10, 3.0), np.arange(10.0), np.sin(np.arange(10.0))])
    y = 2.0 * np.arange(10.0) + 1.0
    F, p = brisk.f_regression(x, y)
    F_want, p_want = f_regression(x, y)
    assert F[0] == F_want[0] == 0.0 and p[0] == p_want[0] == 1.0
    assert F[1] == np.finfo(np.float64).max and p[1] == 0.0
    close(F[2:], F_want[2:], 1e-9)


# --- conversion and zero-copy ---------------------------------------------------------------


def test_a_c_contiguous_float64_array_is_passed_as_it_is():
    x = blobs(50, 4)
    assert as_float_array(x, "X", 2) is x
    assert np.shares_memory(as_float_array(x[10:20], "X", 2), x)  # a row slice is contiguous too


def _numpy_peak(call) -> int:
    """The peak memory traced while ``call()`` runs, above what was live before."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - before


def _calls(x: np.ndarray):
    y = x[:4].copy()
    labels = np.arange(len(x)) % 3
    return {
        "covariance": lambda: brisk.covariance(x),
        "correlation": lambda: brisk.correlation(x),
        "compute_statistics": lambda: brisk.compute_statistics(x),
        "row_normalize": lambda: brisk.row_normalize(x),
        "softmax": lambda: brisk.softmax(x),
        "pairwise_distances": lambda: brisk.pairwise_distances(x, y),
        "assign_clusters": lambda: brisk.assign_clusters(x),
        "update_centroids": lambda: brisk.update_centroids(x, labels, 3),
        "f_classif": lambda: brisk.f_classif(x, labels),
        "f_regression": lambda: brisk.f_regression(x, x[:, 0].copy()),
        "PCA": lambda: brisk.PCA(3).fit(x),
        "KMeans": lambda: brisk.KMeans(3, random_state=0, max_iter=5).fit(x),
    }


@pytest.mark.parametrize("name", sorted(_calls(np.ones((2, 2)))))
def test_the_input_is_not_copied(name):
    """No allocation of the input's size while the kernel reads a C-contiguous float64 array;
    a Fortran-ordered one is converted, and that copy shows in the same measure."""
    x = blobs(2000, 16, seed=1)  # 256 KB
    call = _calls(x)[name]
    call()  # first-call allocations (imports, caches) out of the measure
    assert _numpy_peak(call) < x.nbytes / 2
    fortran = np.asfortranarray(x)
    assert _numpy_peak(_calls(fortran)[name]) >= x.nbytes


def test_the_conversion_copy_is_numpy_s_own_allocation():
    """The measure above sees NumPy's allocations: they are traced in NumPy's domain."""
    x = np.asfortranarray(blobs(2000, 16, seed=1))
    tracemalloc.start()
    try:
        converted = as_float_array(x, "X", 2)
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    domain = tracemalloc.DomainFilter(inclusive=True, domain=np.lib.tracemalloc_domain)
    sizes = [trace.size for trace in snapshot.filter_traces([domain]).traces]
    assert max(sizes) >= x.nbytes
    assert not np.shares_memory(converted, x)


@pytest.mark.parametrize(
    "convert",
    [
        np.asfortranarray,
        lambda x: x[::2, ::-1],
        lambda x: x.astype(np.float32),
        lambda x: np.round(x).astype(np.int32),
        lambda x: (x > 0),
        lambda x: x.tolist(),
    ],
    ids=["fortran", "strided", "float32", "int32", "bool", "list"],
)
def test_other_layouts_and_dtypes_are_converted_as_numpy_converts_them(convert):
    x = blobs(60, 4)
    given = convert(x)
    as_numpy = np.ascontiguousarray(given, dtype=np.float64)
    close(brisk.covariance(given), np.cov(as_numpy, rowvar=False), 1e-10, 1e-14)
    close(brisk.pairwise_distances(given), cdist(as_numpy, as_numpy), 1e-12, 1e-12)
    close(brisk.softmax(given, axis=0), scipy.special.softmax(as_numpy, axis=0), 1e-13, atol=1e-300)
    # The caller's array is left as it was.
    if isinstance(given, np.ndarray):
        assert given.flags.writeable


def test_results_are_new_numpy_arrays():
    x = blobs(20, 3)
    before = x.copy()
    for result in (brisk.covariance(x), brisk.row_normalize(x), brisk.softmax(x), brisk.pairwise_distances(x)):
        assert isinstance(result, np.ndarray) and result.dtype == np.float64
        assert not np.shares_memory(result, x)
    assert np.array_equal(x, before)
