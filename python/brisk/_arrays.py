"""Array kernels with NumPy semantics (exercises A–C of the sheet).

Every function converts its array arguments with :func:`brisk._convert.as_float_array`: a
C-contiguous ``float64`` array is read in place, without a copy; any other memory layout, and
integer, unsigned or boolean dtypes, are first converted as
``numpy.ascontiguousarray(x, dtype=numpy.float64)`` would convert them (that makes one copy).
Object, string, complex and date-time dtypes, the wrong number of dimensions and empty arrays
raise :class:`brisk.BriskError`. Results are new NumPy arrays. The GIL is released while a kernel
runs, so other Python threads keep running.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import _internal
from ._convert import as_array, as_flag, as_float_array, as_int
from ._errors import BriskError


def _labels(labels: Any, name: str) -> np.ndarray:
    """Integer labels as a C-contiguous int64 vector, refusing other dtypes and negative values."""
    array = as_array(labels, name)
    if array.dtype.kind not in "iu":
        raise BriskError(f"{name}: expected integer labels, got an array of dtype {array.dtype}")
    if array.ndim != 1:
        raise BriskError(f"{name}: expected a vector (1-D), got {array.ndim}-D shape {array.shape}")
    if array.size and array.min() < 0:
        raise BriskError(f"{name}: labels must be ≥ 0, found {array.min()}")
    return np.ascontiguousarray(array, dtype=np.int64)


def covariance(X: np.ndarray, ddof: int = 1) -> np.ndarray:
    """The covariance of the columns of ``X``, as ``numpy.cov(X, rowvar=False, ddof=ddof)``.

    ``C = (X - mean)ᵀ (X - mean) / (n - ddof)``, computed in one blocked pass without forming the
    centred copy. A C-contiguous float64 ``X`` is read without a copy. NaN propagates to the rows
    and columns of the variables holding it, as in NumPy; ``n ≤ ddof`` rows raise ``BriskError``
    (NumPy warns and returns inf or NaN).

    >>> import numpy as np, brisk
    >>> brisk.covariance(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 7.0]]))
    array([[1.        , 2.5       ],
           [2.5       , 6.33333333]])
    """
    ddof = as_int(ddof, "ddof")
    return _internal.covariance(as_float_array(X, "X", 2), ddof)


def correlation(X: np.ndarray) -> np.ndarray:
    """Pearson correlation of the columns of ``X``, as ``numpy.corrcoef(X, rowvar=False)``.

    ``R_ij = C_ij / (σ_i σ_j)`` from the sample covariance, clipped to ``[-1, 1]``; a constant
    column's row and column are NaN, as in NumPy. A C-contiguous float64 ``X`` is read without a
    copy; fewer than two rows raise ``BriskError``.

    >>> import numpy as np, brisk
    >>> brisk.correlation(np.array([[1.0, 10.0], [2.0, 8.0], [3.0, 6.0]]))
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    return _internal.correlation(as_float_array(X, "X", 2))


def compute_statistics(X: np.ndarray) -> dict[str, np.ndarray]:
    """Per-column statistics of ``X`` (exercise C.1), each a vector of length ``X.shape[1]``.

    The keys, in order, and the NumPy/SciPy call each equals (NaN values are skipped, as pandas'
    ``DataFrame.describe`` and NumPy's ``nan*`` functions skip them):

    - ``count``: ``numpy.sum(~numpy.isnan(X), axis=0)`` (as float64);
    - ``mean``: ``numpy.nanmean(X, axis=0)``;
    - ``std``: ``numpy.nanstd(X, axis=0, ddof=1)`` — the sample standard deviation, the command
      line's and pandas' convention;
    - ``min``, ``q25``, ``median``, ``q75``, ``max``: ``numpy.nanquantile(X, [0, .25, .5, .75,
      1], axis=0)`` (linear interpolation);
    - ``skewness``: ``scipy.stats.skew(X, axis=0, bias=False, nan_policy="omit")`` (G1, as pandas);
    - ``kurtosis``: ``scipy.stats.kurtosis(X, axis=0, bias=False, nan_policy="omit")`` (excess
      G2, as pandas).

    A figure that is undefined (an all-NaN column, the std of one value, the skewness of a
    constant column) is NaN. A C-contiguous float64 ``X`` is read without a copy.

    >>> import numpy as np, brisk
    >>> s = brisk.compute_statistics(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]]))
    >>> list(s)
    ['count', 'mean', 'std', 'min', 'q25', 'median', 'q75', 'max', 'skewness', 'kurtosis']
    >>> s["mean"], s["median"], s["std"]
    (array([3., 5.]), array([3., 4.]), array([2.        , 3.60555128]))
    """
    return _internal.compute_statistics(as_float_array(X, "X", 2))


def row_normalize(X: np.ndarray) -> np.ndarray:
    """Each row of ``X`` scaled to unit Euclidean norm, as
    ``sklearn.preprocessing.normalize(X, norm="l2")``.

    ``x_i / ‖x_i‖₂``; a row of zeros stays zeros. A C-contiguous float64 ``X`` is read without a
    copy; a NaN makes its row NaN (scikit-learn refuses NaN).

    >>> import numpy as np, brisk
    >>> brisk.row_normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    array([[0.6, 0.8],
           [0. , 0. ]])
    """
    return _internal.row_normalize(as_float_array(X, "X", 2))


def softmax(X: np.ndarray, axis: int = 1, log: bool = False) -> np.ndarray:
    """The softmax of ``X`` along ``axis``, as ``scipy.special.softmax(X, axis=axis)``, or with
    ``log=True`` its logarithm, as ``scipy.special.log_softmax(X, axis=axis)``.

    ``exp(x - max) / Σ exp(x - max)`` per lane, so large logits neither overflow nor lose digits.
    ``X`` is 2-D (``axis`` 0, 1, -1 or -2) or 1-D (``axis`` 0 or -1). A C-contiguous float64
    ``X`` is read without a copy.

    >>> import numpy as np, brisk
    >>> brisk.softmax(np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]]))
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    >>> brisk.softmax(np.array([0.0, -1000.0]), axis=0, log=True)
    array([    0., -1000.])
    """
    x = as_float_array(X, "X", (1, 2))
    log = as_flag(log, "log")
    lane = as_int(axis, "axis", -(2**63))
    if not -x.ndim <= lane < x.ndim:
        raise BriskError(f"axis {axis} is out of bounds for an array of {x.ndim} dimensions")
    if x.ndim == 1:
        # One row: its softmax runs along axis 1 of the (1, n) view (no copy).
        return _internal.softmax(x.reshape(1, -1), 1, log).reshape(-1)
    return _internal.softmax(x, lane % 2, log)


def pairwise_distances(X: np.ndarray, Y: np.ndarray | None = None) -> np.ndarray:
    """The Euclidean distance between every row of ``X`` and every row of ``Y`` (of ``X`` itself
    when ``Y`` is None), as ``scipy.spatial.distance.cdist(X, Y)``.

    One matrix product for all the dot products, with near-duplicate pairs recomputed directly;
    self-distances are exactly 0. NaN or infinite coordinates raise ``BriskError`` (SciPy returns
    NaN distances for them). C-contiguous float64 inputs are read without a copy.

    >>> import numpy as np, brisk
    >>> brisk.pairwise_distances(np.array([[0.0, 0.0], [3.0, 4.0]]))
    array([[0., 5.],
           [5., 0.]])
    """
    x = as_float_array(X, "X", 2)
    y = None if Y is None else as_float_array(Y, "Y", 2)
    return _internal.pairwise_distances(x, y)


def assign_clusters(D: np.ndarray) -> np.ndarray:
    """The nearest centroid of every point given its distances ``D`` (``n × k``), as
    ``numpy.argmin(D, axis=1)`` (exercise C.6b): the first column on ties, an ``int64`` vector.

    A NaN distance raises ``BriskError`` (``argmin`` would pick it). A C-contiguous float64 ``D``
    is read without a copy.

    >>> import numpy as np, brisk
    >>> brisk.assign_clusters(np.array([[3.0, 1.0, 2.0], [0.5, 0.5, 4.0]]))
    array([1, 0])
    """
    return _internal.assign_clusters(as_float_array(D, "D", 2))


def update_centroids(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """The mean of the rows of ``X`` in each of the ``k`` clusters (exercise C.6c), as
    ``numpy.stack([X[labels == j].mean(axis=0) for j in range(k)])``.

    ``labels`` are integers from 0 to ``k - 1``, one per row. A cluster with no row gets a row of
    NaN and a ``RuntimeWarning``, as NumPy's mean of an empty slice. A C-contiguous float64 ``X``
    is read without a copy; the labels are converted to ``int64``.

    >>> import numpy as np, brisk
    >>> X = np.array([[0.0, 0.0], [2.0, 4.0], [10.0, 10.0]])
    >>> brisk.update_centroids(X, np.array([0, 0, 1]), 2)
    array([[ 1.,  2.],
           [10., 10.]])
    """
    k = as_int(k, "k", 1)
    x = as_float_array(X, "X", 2)
    codes = _labels(labels, "labels")
    centroids = _internal.update_centroids(x, codes, k)
    empty = np.flatnonzero(np.bincount(codes, minlength=k) == 0)
    if empty.size:
        warnings.warn(
            f"clusters {empty.tolist()} have no point: their centroids are NaN",
            RuntimeWarning,
            stacklevel=2,
        )
    return centroids


def solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The solution ``x`` of ``A x = b``, as ``numpy.linalg.solve(A, b)``.

    ``A`` is square; ``b`` is a vector of length ``n`` (the result is a vector) or an ``n × m``
    matrix (the result is ``n × m``). LU factorisation with partial pivoting, never the inverse.
    A singular matrix, or one so ill-conditioned that the solution would have no correct digit
    (1-norm condition number above 1/ε), raises ``SingularMatrixError``, a
    ``numpy.linalg.LinAlgError`` (NumPy raises only for an exactly singular one). NaN or infinite
    entries raise ``BriskError``. C-contiguous float64 inputs are read without a copy.

    >>> import numpy as np, brisk
    >>> brisk.solve(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([9.0, 8.0]))
    array([2., 3.])
    """
    a = as_float_array(A, "A", 2)
    rhs = as_array(b, "b")
    if rhs.ndim == 1:
        vector = as_float_array(rhs, "b", 1)
        return _internal.solve(a, vector.reshape(-1, 1)).reshape(-1)
    return _internal.solve(a, as_float_array(rhs, "b", 2))


def f_classif(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The one-way ANOVA F statistic of every column of ``X`` between the classes ``y``, and its
    p-value, as ``sklearn.feature_selection.f_classif(X, y)``.

    The classes are the distinct values of ``y`` (any dtype ``numpy.unique`` sorts; NaN is
    refused). Sums are taken on centred, compensated values, so columns far from zero keep their
    digits. A constant column gives NaN, as scikit-learn. A C-contiguous float64 ``X`` is read
    without a copy; NaN or infinities in ``X`` raise ``BriskError``.

    >>> import numpy as np, brisk
    >>> X = np.array([[1.0, 7.0], [3.0, 5.0], [5.0, 7.0], [7.0, 5.0], [9.0, 7.0], [11.0, 5.0]])
    >>> F, p = brisk.f_classif(X, np.array(["a", "a", "a", "b", "b", "b"]))
    >>> F.round(6), p.round(6)
    (array([13.5,  0.5]), array([0.021312, 0.518519]))
    """
    x = as_float_array(X, "X", 2)
    target = as_array(y, "y")
    if target.ndim != 1:
        raise BriskError(f"y: expected a vector (1-D), got {target.ndim}-D shape {target.shape}")
    if target.dtype.kind in "fc" and np.isnan(target).any():
        raise BriskError("y: holds NaN; drop the rows without a class first")
    try:
        _, codes = np.unique(target, return_inverse=True)
    except TypeError as err:
        raise BriskError(f"y: the classes cannot be sorted ({err})") from None
    return _internal.f_classif(x, np.ascontiguousarray(codes.reshape(-1), dtype=np.int64))


def f_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The F statistic of the univariate linear regression of ``y`` on each column of ``X``, and
    its p-value, as ``sklearn.feature_selection.f_regression(X, y)`` (``center=True,
    force_finite=True``).

    ``F = r² / (1 - r²) · (n - 2)`` with Pearson's ``r``; a constant column gets ``F = 0``,
    ``p = 1`` and a perfect fit ``F = float max``, ``p = 0``, as scikit-learn's ``force_finite``.
    C-contiguous float64 inputs are read without a copy; NaN or infinities raise ``BriskError``.

    >>> import numpy as np, brisk
    >>> F, p = brisk.f_regression(np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([1.0, 3.0, 2.0, 4.0]))
    >>> F.round(6), p.round(6)
    (array([3.555556]), array([0.2]))
    """
    return _internal.f_regression(as_float_array(X, "X", 2), as_float_array(y, "y", 1))
