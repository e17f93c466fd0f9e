"""Turning what users pass into what the Rust kernels read.

Arrays follow NumPy's conversion rules: a C-contiguous ``float64`` array is passed as it is (no
copy); any other memory layout, and integer, unsigned or boolean dtypes, are converted as
``numpy.ascontiguousarray(x, dtype=numpy.float64)`` converts them. Object, string, complex and
date-time dtypes, ragged nested lists, arrays of the wrong number of dimensions and empty arrays raise
``BriskError``.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ._errors import BriskError

#: dtype kinds NumPy converts to float64 without losing meaning: bool, int, uint, float.
_NUMERIC_KINDS = "biuf"


#: The largest count the compiled module takes (a Rust ``usize`` on a 64-bit machine, kept to
#: what an ``int64`` holds).
MAX_COUNT = 2**63 - 1


def as_array(x: Any, name: str) -> np.ndarray:
    """``numpy.asarray(x)``, with a ragged nested list or an unconvertible object as ``BriskError``.

    >>> as_array([[1, 2], [3]], "X")
    Traceback (most recent call last):
    ...
    brisk._errors.BriskError: X: cannot be read as an array (setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.)
    """
    try:
        return np.asarray(x)
    except (TypeError, ValueError) as err:
        raise BriskError(f"{name}: cannot be read as an array ({err})") from None


def as_int(value: Any, name: str, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    """``value`` as a Python int in ``[minimum, maximum]``: ints and NumPy integers, not bools.

    >>> as_int(3, "k", 1)
    3
    >>> as_int(2**70, "k", 1)
    Traceback (most recent call last):
    ...
    brisk._errors.BriskError: k must be at most 9223372036854775807, not 1180591620717411303424
    """
    if isinstance(value, (bool, np.bool_)):
        raise BriskError(f"{name} must be an integer, not {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        raise BriskError(f"{name} must be an integer, not {value!r}") from None
    if number < minimum:
        raise BriskError(f"{name} must be an integer ≥ {minimum}, not {number}")
    if number > maximum:
        raise BriskError(f"{name} must be at most {maximum}, not {number}")
    return number


def as_flag(value: Any, name: str) -> bool:
    """``value`` as a bool: ``True``, ``False`` or a NumPy bool.

    >>> as_flag(np.True_, "log")
    True
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise BriskError(f"{name} must be True or False, not {value!r:.60}")


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
    array = as_array(x, name)
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
