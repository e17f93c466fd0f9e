"""brisk.PCA and brisk.KMeans against scikit-learn, called live on seeded random data and on the
embedded penguins.

Tolerances are those of the Rust golden tests (tests/golden/arrays): PCA variances 1e-9, components
1e-7 (up to sign), means 1e-12; k-means labels exactly, centres 1e-9, inertia 1e-9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn.cluster
import sklearn.decomposition
from threadpoolctl import threadpool_limits

import brisk

PENGUINS_CSV = Path(__file__).resolve().parents[2] / "crates" / "brisk-data" / "data" / "penguins.csv"


def penguins() -> np.ndarray:
    return pd.read_csv(PENGUINS_CSV).select_dtypes("number").dropna().to_numpy(np.float64)


def correlated(rows: int, cols: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mixed = rng.standard_normal((rows, cols)) @ (rng.normal(size=(cols, cols)) + np.eye(cols))
    return mixed * np.geomspace(0.5, 50.0, cols) + np.linspace(-20.0, 500.0, cols)


def points(rows: int = 1000, seed: int = 4) -> np.ndarray:
    """Five overlapping Gaussian clusters in 4-D, rows shuffled."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-6.0, 6.0, size=(5, 4))
    labels = rng.integers(0, 5, size=rows)
    return centres[labels] + rng.standard_normal((rows, 4)) * rng.uniform(0.8, 2.0, size=(5, 1))[labels]


def close(got, want, rtol, atol=0.0):
    want = np.asarray(want)
    assert np.shape(got) == want.shape
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def same_sign(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """``want`` with each row's sign flipped to agree with ``got`` (components are defined up to
    sign)."""
    signs = np.sign(np.sum(got * want, axis=1))
    return want * signs[:, None]


PCA_CASES = {
    "blobs k3": (lambda: correlated(300, 6, 1), 3),
    "blobs all": (lambda: correlated(300, 6, 1), None),
    "wide k4": (lambda: correlated(30, 12, 2), 4),
    "penguins k2": (penguins, 2),
    "penguins standardised k3": (lambda: (penguins() - penguins().mean(0)) / penguins().std(0), 3),
}


@pytest.mark.parametrize("case", sorted(PCA_CASES))
def test_pca_equals_scikit_learn(case):
    make, k = PCA_CASES[case]
    x = make()
    ours = brisk.PCA(n_components=k).fit(x)
    theirs = sklearn.decomposition.PCA(n_components=k, svd_solver="full").fit(x)
    for key in ("explained_variance_", "explained_variance_ratio_", "singular_values_"):
        close(getattr(ours, key), getattr(theirs, key), 1e-9, 1e-300)
    # Means near 0 (standardised data) are rounding noise: absolute to the data's scale.
    close(ours.mean_, theirs.mean_, 1e-12, 1e-12 * np.abs(x).max())
    close(ours.components_, same_sign(ours.components_, theirs.components_), 1e-7, 1e-9)
    # scikit-learn's sign convention itself: the largest-magnitude entry of each axis is positive.
    assert np.allclose(ours.components_, theirs.components_, rtol=1e-7, atol=1e-9)
    assert ours.noise_variance_ == pytest.approx(theirs.noise_variance_, rel=1e-9, abs=1e-12)
    assert (ours.n_components_, ours.n_features_in_, ours.n_samples_) == (
        theirs.n_components_,
        theirs.n_features_in_,
        theirs.n_samples_,
    )
    signs = np.sign(np.sum(ours.components_ * theirs.components_, axis=1))
    scores = ours.transform(x)
    want = theirs.transform(x) * signs
    atol = 1e-9 * np.abs(want).max()
    close(scores, want, 1e-7, atol)
    close(brisk.PCA(k).fit_transform(x), scores, 1e-12, atol)
    other = x[:7] * 1.1
    close(ours.transform(other), theirs.transform(other) * signs, 1e-7, atol)


def test_pca_fit_returns_the_estimator_and_keeps_its_parameters():
    pca = brisk.PCA(2)
    assert pca.fit(penguins()) is pca
    assert pca.n_components == 2
    assert not hasattr(brisk.PCA(2), "components_")


def fit_both(x, **params):
    ours = brisk.KMeans(**params).fit(x)
    with threadpool_limits(1):
        theirs = sklearn.cluster.KMeans(algorithm="lloyd", **params).fit(x)
    return ours, theirs


def check_same_clusters(ours, theirs):
    assert np.array_equal(ours.labels_, theirs.labels_)
    close(ours.cluster_centers_, theirs.cluster_centers_, 1e-9, 1e-12)
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=1e-9)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.n_features_in_ == theirs.n_features_in_


@pytest.mark.parametrize("seed", [0, 42, 1234])
def test_kmeans_plus_plus_with_a_seed_equals_scikit_learn(seed):
    check_same_clusters(*fit_both(points(), n_clusters=5, random_state=seed))


@pytest.mark.parametrize("seed", [0, 7])
def test_kmeans_random_init_with_a_seed_equals_scikit_learn(seed):
    # n_init="auto" is 10 runs for init="random", as scikit-learn >= 1.4.
    check_same_clusters(*fit_both(points(), n_clusters=5, init="random", random_state=seed))


def test_kmeans_several_runs_equal_scikit_learn():
    check_same_clusters(*fit_both(points(), n_clusters=5, n_init=4, random_state=0))


@pytest.mark.parametrize("params", [{"tol": 0.0}, {"tol": 1e-4}, {"tol": 0.0, "max_iter": 3}])
def test_kmeans_from_given_centres_equals_scikit_learn(params):
    x = points()
    init = x[[3, 100, 200, 300, 400]].copy()
    check_same_clusters(*fit_both(x, n_clusters=5, init=init, n_init=1, **params))


def test_kmeans_relocates_an_empty_cluster_as_scikit_learn():
    x = points()
    init = x[[3, 100, 200, 300, 400]].copy()
    init[2] = 1000.0  # no point is nearest to it at the first assignment
    check_same_clusters(*fit_both(x, n_clusters=5, init=init, n_init=1, tol=0.0))


@pytest.mark.parametrize("seed", [0, 3])
def test_kmeans_on_penguins_equals_scikit_learn(seed):
    check_same_clusters(*fit_both(penguins(), n_clusters=3, random_state=seed))


def test_kmeans_predict_and_transform_equal_scikit_learn():
    x = points()
    ours, theirs = fit_both(x, n_clusters=5, random_state=42)
    new = points(200, seed=99)
    assert np.array_equal(ours.predict(new), theirs.predict(new))
    close(ours.transform(new), theirs.transform(new), 1e-12, 1e-12)
    assert np.array_equal(brisk.KMeans(5, random_state=42).fit_predict(x), theirs.labels_)
    close(brisk.KMeans(5, random_state=42).fit_transform(x), theirs.transform(x), 1e-12, 1e-12)


def test_given_centres_make_one_run_with_a_warning_as_scikit_learn():
    x = points(200)
    init = x[:5].copy()
    with pytest.warns(RuntimeWarning, match="only one init"):
        ours = brisk.KMeans(5, init=init, n_init=3).fit(x)
    with pytest.warns(RuntimeWarning, match="only one init"), threadpool_limits(1):
        theirs = sklearn.cluster.KMeans(5, init=init, n_init=3).fit(x)
    check_same_clusters(ours, theirs)


def test_kmeans_without_a_seed_draws_one_from_numpy_s_global_state():
    x = points(300)
    np.random.seed(5)
    first = brisk.KMeans(5).fit(x)
    np.random.seed(5)
    again = brisk.KMeans(5).fit(x)
    assert np.array_equal(first.labels_, again.labels_)


def test_kmeans_accepts_numpy_integers_and_keeps_its_parameters():
    km = brisk.KMeans(np.int64(3), random_state=np.uint32(3), max_iter=np.int32(50))
    assert km.fit(penguins()) is km
    assert km.n_clusters == 3 and km.init == "k-means++" and km.n_init == "auto"
    assert km.cluster_centers_.shape == (3, 5) and km.labels_.dtype == np.int64
