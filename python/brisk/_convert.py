"""Turning what users pass into what the Rust kernels read.

Arrays follow NumPy's conversion rules: a C-contiguous ``float64`` array is passed as it is (no
copy); any other memory layout, and integer, unsigned or boolean dtypes, are converted as
``numpy.ascontiguousarray(x, dtype=numpy.float64)`` converts them. Object, string, complex and
date-time dtypes, ragged nested lists, arrays of the wrong number of dimensions and empty arrays raise
``BriskError``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._errors import BriskError

#: dtype kinds NumPy converts to float64 without losing meaning: bool, int, uint, float.
_NUMERIC_KINDS = "biuf"


def as_float_array(
    x: Any, name: str, ndim: int | tuple[int, ...], *, allow_empty: bool = False
) -> np.ndarray:
    """``x`` as a C-contiguous float64 array of ``ndim`` dimensions (or of one of the ``ndim``
    given as a tuple), copied only when needed.

    >>> import numpy as np
    >>> a = np.ones((3, 2))
    >>> as_float_array(a, "X", 2) is a
    True
    >>> as_float_array([[1, 2], [3, 4]], "X", 2).dtype
    dtype('float64')
    >>> as_float_array([1, 2], "x", (1, 2)).shape
    (2,)
    """
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as err:  # a ragged nested list, an unconvertible object
        raise BriskError(f"{name}: cannot be read as an array ({err})") from None
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise BriskError(
            f"{name}: expected numbers, got an array of dtype {array.dtype}; "
            "convert it with .astype(float) first"
        )
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if array.ndim not in allowed:
        shapes = {1: "a vector (1-D)", 2: "a matrix (2-D)"}
        shape = " or ".join(shapes.get(n, f"{n}-D") for n in allowed)
        raise BriskError(f"{name}: expected {shape}, got {array.ndim}-D shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise BriskError(f"{name}: the array is empty (shape {array.shape})")
    return np.ascontiguousarray(array, dtype=np.float64)
