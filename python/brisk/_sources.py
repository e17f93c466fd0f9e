"""What users pass as data, as the compiled module reads it.

A path (``str`` or ``os.PathLike``) is read by brisk's own readers, as ``brisk`` on the command
line reads it; ``None`` is the embedded penguins data.
"""

from __future__ import annotations

import os
from typing import Any


def as_source(data: Any) -> Any:
    """``data`` as the compiled module takes it: ``None``, or a path as ``str``.

    >>> as_source(None) is None
    True
    >>> as_source("penguins.csv")
    'penguins.csv'
    """
    if data is None:
        return None
    if isinstance(data, (str, os.PathLike)):
        return os.fspath(data)
    from ._errors import BriskError

    raise BriskError(f"expected a path or a DataFrame, got {type(data).__name__}")
