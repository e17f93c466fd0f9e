"""Bad input to the array kernels and estimators: a clear ``brisk.BriskError`` (a ``ValueError``)
or ``brisk.SingularMatrixError`` (a ``numpy.linalg.LinAlgError``), never a crash."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.linalg

import brisk

X = np.arange(24.0).reshape(8, 3) ** 1.5
LABELS = np.array([0, 1, 2, 0, 1, 2, 0, 1])


def raises(match: str):
    return pytest.raises(brisk.BriskError, match=match)


# Every function that takes a matrix, with its other arguments fixed.
MATRIX_FUNCTIONS = {
    "covariance": brisk.covariance,
    "correlation": brisk.correlation,
    "compute_statistics": brisk.compute_statistics,
    "row_normalize": brisk.row_normalize,
    "softmax": brisk.softmax,
    "pairwise_distances": brisk.pairwise_distances,
    "assign_clusters": brisk.assign_clusters,
    "update_centroids": lambda x: brisk.update_centroids(x, LABELS, 3),
    "solve": lambda x: brisk.solve(x, np.ones(3)),
    "f_classif": lambda x: brisk.f_classif(x, LABELS),
    "f_regression": lambda x: brisk.f_regression(x, np.arange(8.0)),
    "PCA": lambda x: brisk.PCA(2).fit(x),
    "KMeans": lambda x: brisk.KMeans(2, random_state=0).fit(x),
}


@pytest.fixture(params=sorted(MATRIX_FUNCTIONS))
def function(request):
    return MATRIX_FUNCTIONS[request.param]


def test_brisk_error_is_a_value_error():
    assert issubclass(brisk.BriskError, ValueError)
    assert issubclass(brisk.SingularMatrixError, np.linalg.LinAlgError)
    assert issubclass(brisk.NotFittedError, (brisk.BriskError, AttributeError))


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.array([["a", "b"], ["c", "d"]], dtype=object), "dtype object"),
        (np.array([["a", "b"], ["c", "d"]]), "dtype <U1"),
        (np.ones((3, 3), dtype=complex), "dtype complex128"),
        (np.array(["2020-01-01"], dtype="datetime64[D]").reshape(1, 1), "dtype datetime64"),
        (np.ones((2, 2, 2)), "3-D"),
        (np.ones(4), "1-D"),
        (np.float64(3.0), "0-D"),
        (np.empty((0, 3)), "empty"),
        (np.empty((3, 0)), "empty"),
        ([[1.0, 2.0], [3.0]], "cannot be read as an array"),
    ],
    ids=["object", "str", "complex", "datetime", "3d", "1d", "0d", "no rows", "no columns", "ragged"],
)
def test_bad_matrices_raise_a_clear_error(function, bad, message):
    if function is brisk.softmax and message == "1-D":
        return  # softmax also takes vectors
    with raises(message):
        function(bad)


def test_softmax_axis_out_of_range():
    with raises("axis 2 is out of bounds"):
        brisk.softmax(X, axis=2)
    with raises("axis 1 is out of bounds"):
        brisk.softmax(np.ones(3), axis=1)
    with raises("axis must be an integer"):
        brisk.softmax(X, axis=None)


def test_covariance_needs_more_rows_than_ddof():
    with raises("needs at least 2 rows, the data has 1"):
        brisk.covariance(np.ones((1, 3)))
    with raises("ddof must be an integer ≥ 0"):
        brisk.covariance(X, ddof=-1)
    with raises("ddof must be an integer"):
        brisk.covariance(X, ddof=1.5)
    with raises("needs at least 2 rows"):
        brisk.correlation(np.ones((1, 3)))


def test_distances_with_different_numbers_of_columns():
    with raises("x has 3 columns but y has 2"):
        brisk.pairwise_distances(X, np.ones((2, 2)))
    with raises("Y: expected a matrix"):
        brisk.pairwise_distances(X, np.ones(3))


def test_distances_refuse_nan_and_infinity():
    bad = X.copy()
    bad[2, 1] = np.nan
    with raises("X: row 2, column 1 holds NaN"):
        brisk.pairwise_distances(bad)
    with raises("Y: row 2, column 1 holds NaN"):
        brisk.pairwise_distances(X, bad)
    bad[2, 1] = np.inf
    with raises("X: row 2, column 1 holds inf"):
        brisk.pairwise_distances(bad)


def test_nan_propagates_where_numpy_propagates_it():
    import scipy.special

    x = X.copy()
    x[1, 2] = np.nan
    for axis in (0, 1):
        got = brisk.softmax(x, axis=axis)
        assert np.array_equal(np.isnan(got), np.isnan(scipy.special.softmax(x, axis=axis)))
    with np.errstate(invalid="ignore"):
        want = x / np.linalg.norm(x, axis=1, keepdims=True)
    assert np.array_equal(np.isnan(brisk.row_normalize(x)), np.isnan(want))
    assert np.array_equal(np.isnan(brisk.covariance(x)), np.isnan(np.cov(x, rowvar=False)))


def test_assign_clusters_refuses_nan():
    d = np.ones((3, 2))
    d[1, 1] = np.nan
    with raises("row 1, column 1 is NaN"):
        brisk.assign_clusters(d)


def test_update_centroids_bad_labels():
    with raises("x has 8 rows but there are 7 labels"):
        brisk.update_centroids(X, LABELS[:7], 3)
    with raises("row 2 has label 2; with k = 2"):
        brisk.update_centroids(X, LABELS, 2)
    with raises("labels must be ≥ 0"):
        brisk.update_centroids(X, -LABELS, 3)
    with raises("expected integer labels"):
        brisk.update_centroids(X, LABELS.astype(float), 3)
    with raises("expected a vector"):
        brisk.update_centroids(X, LABELS.reshape(2, 4), 3)
    with raises("k must be an integer ≥ 1"):
        brisk.update_centroids(X, LABELS, 0)
    with raises("k must be an integer"):
        brisk.update_centroids(X, LABELS, "3")


def test_solve_singular_matrix_is_a_lin_alg_error():
    singular = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 1.0, 1.0]])
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(singular, np.ones(3))
    with pytest.raises(brisk.SingularMatrixError, match="singular"):
        brisk.solve(singular, np.ones(3))
    with pytest.raises(np.linalg.LinAlgError):
        brisk.solve(np.zeros((3, 3)), np.ones(3))


def test_solve_near_singular_matrix_is_refused():
    hilbert = scipy.linalg.hilbert(12)
    with pytest.raises(brisk.SingularMatrixError, match="near-singular"):
        brisk.solve(hilbert, np.ones(12))


def test_solve_bad_shapes_and_values():
    with raises("A must be square, it is 3×2"):
        brisk.solve(np.ones((3, 2)), np.ones(3))
    with raises("A is 3×3 but B has 2 rows"):
        brisk.solve(np.eye(3), np.ones(2))
    with raises("b: expected a matrix"):
        brisk.solve(np.eye(3), np.ones((3, 1, 1)))
    a = np.eye(3)
    a[2, 0] = np.nan
    with raises("A: row 2, column 0 holds NaN"):
        brisk.solve(a, np.ones(3))
    with raises("b: row 1, column 0 holds inf"):
        brisk.solve(np.eye(3), np.array([1.0, np.inf, 0.0]))


def test_f_classif_bad_targets():
    with raises("2 classes|at least 2|classes"):
        brisk.f_classif(X, np.zeros(8, dtype=int))
    with raises("8 rows but there are 7 labels"):
        brisk.f_classif(X, LABELS[:7])
    with raises("y: holds NaN"):
        brisk.f_classif(X, np.where(LABELS == 0, np.nan, 1.0))
    with raises("y: expected a vector"):
        brisk.f_classif(X, LABELS.reshape(8, 1))
    with raises("cannot be sorted"):
        brisk.f_classif(X, np.array([1, "a", 2.5, None, 1, "a", 2.5, None], dtype=object))
    bad = X.copy()
    bad[4, 1] = np.nan
    with raises("row 4, column 1 holds NaN"):
        brisk.f_classif(bad, LABELS)


def test_f_regression_bad_targets():
    with raises("needs at least 3 rows"):
        brisk.f_regression(X[:2], np.arange(2.0))
    with raises("8 rows but y has 5 values"):
        brisk.f_regression(X, np.arange(5.0))
    with raises("row 3 holds inf"):
        brisk.f_regression(X, np.where(np.arange(8) == 3, np.inf, 1.0))
    with raises("y: expected a vector"):
        brisk.f_regression(X, np.ones((8, 2)))


@pytest.mark.parametrize("estimator", [lambda: brisk.PCA(2), lambda: brisk.KMeans(2, random_state=0)])
def test_estimators_refuse_nan_and_infinity(estimator):
    for value, shown in ((np.nan, "NaN"), (-np.inf, "-inf")):
        bad = X.copy()
        bad[5, 2] = value
        with raises(f"X: row 5, column 2 holds {shown}"):
            estimator().fit(bad)


def test_pca_bad_parameters():
    with raises("n_components=4 must be between 1 and min"):
        brisk.PCA(4).fit(X)
    with raises("n_components=8 must be between"):
        brisk.PCA(8).fit(X.T @ X)  # 3 × 3
    with raises("n_components must be an integer ≥ 1, not 0"):
        brisk.PCA(0).fit(X)
    with raises("n_components must be an integer, not 0.95"):
        brisk.PCA(0.95).fit(X)
    with raises("n_components must be an integer, not 'mle'"):
        brisk.PCA("mle").fit(X)
    with raises("needs at least 2 rows|at least"):
        brisk.PCA(1).fit(np.ones((1, 3)))


def test_pca_transform_checks_its_input():
    pca = brisk.PCA(2).fit(X)
    with raises("the model has 3 features, the data 2"):
        pca.transform(np.ones((4, 2)))
    with raises("dtype object"):
        pca.transform(np.array([[None, 1, 2]], dtype=object))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_clusters": 0}, "n_clusters must be an integer ≥ 1, not 0"),
        ({"n_clusters": 9}, "n_samples=8 should be >= n_clusters=9"),
        ({"n_clusters": 2.5}, "n_clusters must be an integer"),
        ({"max_iter": 0}, "max_iter must be an integer ≥ 1, not 0"),
        ({"tol": -1.0}, "tol must be a finite number ≥ 0"),
        ({"tol": np.nan}, "tol must be a finite number ≥ 0"),
        ({"tol": "small"}, "tol must be a number"),
        ({"n_init": 0}, "n_init must be an integer ≥ 1, not 0"),
        ({"n_init": "many"}, "n_init must be 'auto'"),
        ({"init": "kmeans++"}, re.escape("init must be 'k-means++', 'random' or an array")),
        ({"init": np.ones((3, 3))}, r"init: the centres have shape \(3, 3\), expected"),
        ({"init": np.ones((2, 2))}, r"init: the centres have shape \(2, 2\)"),
        ({"init": np.full((2, 3), np.nan)}, "init: the centres hold NaN"),
        ({"init": lambda x, k, random_state: x[:k]}, "callables are not supported"),
        ({"random_state": -1}, r"random_state must be in \[0, 2\*\*32 - 1\]"),
        ({"random_state": 2**32}, r"random_state must be in \[0, 2\*\*32 - 1\]"),
        ({"random_state": np.random.RandomState(0)}, "random_state must be None or an integer"),
        ({"random_state": 1.5}, "random_state must be None or an integer"),
    ],
)
def test_kmeans_bad_parameters(params, message):
    params = {"n_clusters": 2, **params}
    with raises(message):
        brisk.KMeans(**params).fit(X)


def test_unfitted_estimators_raise_not_fitted_error():
    with pytest.raises(brisk.NotFittedError, match="This KMeans instance is not fitted yet"):
        brisk.KMeans(2).predict(X)
    with pytest.raises(brisk.NotFittedError, match="This KMeans instance is not fitted yet"):
        brisk.KMeans(2).transform(X)
    with pytest.raises(brisk.NotFittedError, match="This PCA instance is not fitted yet"):
        brisk.PCA(2).transform(X)


def test_kmeans_predict_checks_its_input():
    km = brisk.KMeans(2, random_state=0).fit(X)
    with raises("the model has 3 features, the data 2"):
        km.predict(np.ones((4, 2)))
    with raises("X: row 0, column 1 holds NaN"):
        km.predict(np.array([[1.0, np.nan, 2.0]]))


def test_a_failed_fit_keeps_an_unfitted_estimator_unfitted():
    km = brisk.KMeans(2)
    with raises("holds NaN"):
        km.fit(np.full((4, 2), np.nan))
    with pytest.raises(brisk.NotFittedError):
        km.predict(X)


def test_non_contiguous_views_are_read_correctly():
    big = np.arange(200.0).reshape(20, 10) ** 1.3
    view = big[::3, 1::2]
    assert not view.flags.c_contiguous
    np.testing.assert_allclose(brisk.covariance(view), np.cov(view, rowvar=False), rtol=1e-10)
    a, b = big[:5, :5] + 50 * np.eye(5), big[:5, 7]
    np.testing.assert_allclose(brisk.solve(a, b), np.linalg.solve(a, b), rtol=1e-10)
    assert np.array_equal(brisk.assign_clusters(view.T), np.argmin(view.T, axis=1))
