"""Array kernels with NumPy semantics (exercises A–C of the sheet)."""

from __future__ import annotations

import numpy as np

from . import _internal
from ._convert import as_float_array


def covariance(X: np.ndarray, ddof: int = 1) -> np.ndarray:
    """The covariance of the columns of ``X``, as ``numpy.cov(X, rowvar=False, ddof=ddof)``.

    ``C = (X - mean)ᵀ (X - mean) / (n - ddof)``, computed in one blocked pass without forming the
    centred copy. A C-contiguous float64 ``X`` is read without a copy.

    >>> import numpy as np, brisk
    >>> brisk.covariance(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 7.0]]))
    array([[1.        , 2.5       ],
           [2.5       , 6.33333333]])
    """
    if ddof < 0:
        from ._errors import BriskError

        raise BriskError(f"ddof must be ≥ 0, not {ddof}")
    return _internal.covariance(as_float_array(X, "X", 2), int(ddof))
