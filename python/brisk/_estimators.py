"""Estimators in scikit-learn's shape: parameters at construction, ``fit`` returning the
estimator, then ``transform`` or ``predict`` and fitted attributes with a trailing underscore.

``PCA`` matches ``sklearn.decomposition.PCA`` and ``KMeans`` matches ``sklearn.cluster.KMeans``
(Lloyd's algorithm): with the same integer ``random_state``, k-means draws the same starting
centres from the same Mersenne Twister stream as scikit-learn, and so finds the same clusters.
Data are converted as the array functions convert them (a C-contiguous float64 array is read
without a copy); NaN and infinities raise :class:`brisk.BriskError`, as scikit-learn refuses them.
Calling ``transform`` or ``predict`` before ``fit`` raises :class:`NotFittedError`.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, Union

import numpy as np

from . import _internal
from ._arrays import pairwise_distances
from ._convert import as_float_array, as_int
from ._errors import BriskError

#: The largest ``random_state`` (NumPy's legacy seeds are 32-bit).
_MAX_SEED = 2**32 - 1


class NotFittedError(BriskError, AttributeError):
    """``transform`` or ``predict`` called before ``fit``, as scikit-learn's
    ``sklearn.exceptions.NotFittedError`` (also a ``ValueError`` and an ``AttributeError``).

    >>> import brisk
    >>> try:
    ...     brisk.KMeans(2).predict([[0.0]])
    ... except brisk.NotFittedError as err:
    ...     print(err)
    This KMeans instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.
    """


def _check_fitted(estimator: Any, attribute: str) -> None:
    if not hasattr(estimator, attribute):
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )


class PCA:
    """Principal component analysis, as ``sklearn.decomposition.PCA(n_components)``.

    ``fit`` centres the columns and takes the eigen-decomposition of the sample covariance
    (ddof 1); the centring happens before the product, so data far from the origin keep their
    digits. Components have scikit-learn's sign: the largest-magnitude entry of each is positive.

    Parameters
    ----------
    n_components : int or None
        Components to keep; None keeps ``min(n_samples, n_features)``. (scikit-learn's fractions
        of variance and ``"mle"`` are not supported.)

    Attributes
    ----------
    components_ : ndarray (n_components, n_features)
    explained_variance_ : ndarray (n_components,)
        The variance along each axis (ddof 1).
    explained_variance_ratio_ : ndarray (n_components,)
    singular_values_ : ndarray (n_components,)
    mean_ : ndarray (n_features,)
    noise_variance_ : float
        The mean variance of the discarded axes (0 when none is discarded).
    n_components_, n_features_in_, n_samples_ : int

    >>> import numpy as np, brisk
    >>> X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.5]])
    >>> pca = brisk.PCA(n_components=1).fit(X)
    >>> pca.explained_variance_ratio_.round(4)
    array([0.9972])
    >>> pca.transform(X).shape
    (4, 1)
    """

    def __init__(self, n_components: int | None = None) -> None:
        self.n_components = n_components

    def fit(self, X: np.ndarray, y: Any = None) -> PCA:
        """Fits the axes to the rows of ``X`` (``y`` is ignored); returns the estimator.

        >>> import numpy as np, brisk
        >>> brisk.PCA(1).fit(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])).components_.round(4)
        array([[0.7071, 0.7071]])
        """
        x = as_float_array(X, "X", 2)
        n, d = x.shape
        k = min(n, d) if self.n_components is None else as_int(self.n_components, "n_components", 1)
        if k > min(n, d):
            raise BriskError(
                f"n_components={k} must be between 1 and min(n_samples, n_features)={min(n, d)}"
            )
        model = _internal.pca_fit(x, k)
        self._model = model
        self.components_ = model.components
        self.explained_variance_ = model.explained_variance
        self.explained_variance_ratio_ = model.explained_variance_ratio
        self.singular_values_ = model.singular_values
        self.mean_ = model.mean
        self.noise_variance_ = model.noise_variance
        self.n_components_ = k
        self.n_features_in_ = d
        self.n_samples_ = n
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """The scores ``(X - mean_) @ components_.T`` of the rows of ``X``, as ``PCA.transform``.

        >>> import numpy as np, brisk
        >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
        >>> brisk.PCA(1).fit(X).transform(X).round(4)
        array([[-1.4142],
               [ 0.    ],
               [ 1.4142]])
        """
        _check_fitted(self, "components_")
        return self._model.transform(as_float_array(X, "X", 2))

    def fit_transform(self, X: np.ndarray, y: Any = None) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``.

        >>> import numpy as np, brisk
        >>> brisk.PCA(2).fit_transform(np.eye(3)).shape
        (3, 2)
        """
        x = as_float_array(X, "X", 2)
        return self.fit(x).transform(x)


InitArg = Union[str, np.ndarray]


class KMeans:
    """k-means clustering by Lloyd's algorithm, as ``sklearn.cluster.KMeans(n_clusters, init,
    n_init, max_iter, tol, random_state)`` (``algorithm="lloyd"``).

    Parameters
    ----------
    n_clusters : int
    init : "k-means++", "random" or array (n_clusters, n_features)
        Greedy k-means++ (scikit-learn's default), ``n_clusters`` distinct rows drawn uniformly,
        or these starting centres.
    n_init : "auto" or int
        Runs from different starts; the lowest inertia wins. ``"auto"`` is 1 for k-means++ and
        for given centres and 10 for ``"random"``, as scikit-learn ≥ 1.4. With given centres only
        one run is made (a ``RuntimeWarning`` if ``n_init`` asked for more, as scikit-learn).
    max_iter : int
        Lloyd iterations per run at most.
    tol : float
        Stop when the summed squared centre shift is at most ``tol`` × the mean column variance.
    random_state : int in [0, 2**32 - 1] or None
        The seed of the ``numpy.random.RandomState`` stream the starts are drawn from: the same
        int gives the same clusters as scikit-learn. None draws the seed from NumPy's global
        random state. (``RandomState`` instances are not accepted.)

    Attributes
    ----------
    cluster_centers_ : ndarray (n_clusters, n_features)
    labels_ : ndarray of int64 (n_samples,)
    inertia_ : float
        The sum of squared distances of the rows to their centres.
    n_iter_ : int
        Iterations of the best run (counting the last, which finds the labels unchanged).
    n_features_in_ : int

    >>> import numpy as np, brisk
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> km = brisk.KMeans(2, init=np.array([[1.0, 0.0], [9.0, 0.0]])).fit(X)
    >>> km.labels_, km.inertia_
    (array([0, 0, 1, 1]), 1.0)
    >>> km.predict(np.array([[9.0, 9.0]]))
    array([1])
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        init: InitArg = "k-means++",
        n_init: int | str = "auto",
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int | None = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _seed(self) -> int:
        if self.random_state is None:
            return int(np.random.randint(0, _MAX_SEED, dtype=np.int64))
        if isinstance(self.random_state, (bool, np.bool_)) or not isinstance(
            self.random_state, numbers.Integral
        ):
            raise BriskError(
                f"random_state must be None or an integer in [0, 2**32 - 1], not "
                f"{self.random_state!r}"
            )
        seed = int(self.random_state)
        if not 0 <= seed <= _MAX_SEED:
            raise BriskError(f"random_state must be in [0, 2**32 - 1], not {seed}")
        return seed

    def fit(self, X: np.ndarray, y: Any = None) -> KMeans:
        """Clusters the rows of ``X`` (``y`` is ignored); returns the estimator.

        >>> import numpy as np, brisk
        >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
        >>> brisk.KMeans(2, random_state=0).fit(X).cluster_centers_[:, 0].tolist()
        [10.5, 0.5]
        """
        k = as_int(self.n_clusters, "n_clusters", 1)
        max_iter = as_int(self.max_iter, "max_iter", 1)
        tol = self.tol
        if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real):
            raise BriskError(f"tol must be a number ≥ 0, not {tol!r}")
        tol = float(tol)
        if not (np.isfinite(tol) and tol >= 0):
            raise BriskError(f"tol must be a finite number ≥ 0, not {tol}")
        x = as_float_array(X, "X", 2)
        n, d = x.shape
        if n < k:
            raise BriskError(f"n_samples={n} should be >= n_clusters={k}")
        centres = None
        if isinstance(self.init, str):
            if self.init not in ("k-means++", "random"):
                raise BriskError(
                    f"init must be 'k-means++', 'random' or an array of shape "
                    f"(n_clusters, n_features), not {self.init!r}"
                )
            kind = self.init
        else:
            if callable(self.init):
                raise BriskError("init: callables are not supported; pass the centres as an array")
            kind = "array"
            centres = as_float_array(self.init, "init", 2)
            if centres.shape != (k, d):
                raise BriskError(
                    f"init: the centres have shape {centres.shape}, expected (n_clusters, "
                    f"n_features) = {(k, d)}"
                )
            if not np.isfinite(centres).all():
                raise BriskError("init: the centres hold NaN or infinite values")
        if isinstance(self.n_init, str):
            if self.n_init != "auto":
                raise BriskError(f"n_init must be 'auto' or an integer ≥ 1, not {self.n_init!r}")
            n_init = 10 if kind == "random" else 1
        else:
            n_init = as_int(self.n_init, "n_init", 1)
        if kind == "array" and n_init != 1:
            warnings.warn(
                "Explicit initial center position passed: performing only one init in KMeans "
                f"instead of n_init={n_init}.",
                RuntimeWarning,
                stacklevel=2,
            )
            n_init = 1
        model = _internal.kmeans_fit(x, k, kind, centres, n_init, max_iter, tol, self._seed())
        self._model = model
        self.cluster_centers_ = model.cluster_centers
        self.labels_ = model.labels
        self.inertia_ = model.inertia
        self.n_iter_ = model.n_iter
        self.n_features_in_ = d
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The nearest centre of every row of ``X`` (the first on ties), as ``KMeans.predict``.

        >>> import numpy as np, brisk
        >>> km = brisk.KMeans(2, random_state=0).fit(np.array([[0.0], [1.0], [10.0], [11.0]]))
        >>> km.predict(np.array([[2.0], [9.0]])).tolist()
        [1, 0]
        """
        _check_fitted(self, "cluster_centers_")
        return self._model.predict(as_float_array(X, "X", 2))

    def fit_predict(self, X: np.ndarray, y: Any = None) -> np.ndarray:
        """``fit(X).labels_``.

        >>> import numpy as np, brisk
        >>> brisk.KMeans(1).fit_predict(np.array([[0.0], [1.0]]))
        array([0, 0])
        """
        return self.fit(X).labels_

    def transform(self, X: np.ndarray) -> np.ndarray:
        """The Euclidean distance of every row of ``X`` to every centre, as ``KMeans.transform``.

        >>> import numpy as np, brisk
        >>> km = brisk.KMeans(1).fit(np.array([[0.0, 0.0], [6.0, 8.0]]))
        >>> km.transform(np.array([[0.0, 0.0]]))
        array([[5.]])
        """
        _check_fitted(self, "cluster_centers_")
        return pairwise_distances(X, self.cluster_centers_)

    def fit_transform(self, X: np.ndarray, y: Any = None) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``.

        >>> import numpy as np, brisk
        >>> brisk.KMeans(2, random_state=0).fit_transform(np.array([[0.0], [1.0], [10.0]])).shape
        (3, 2)
        """
        x = as_float_array(X, "X", 2)
        return self.fit(x).transform(x)
