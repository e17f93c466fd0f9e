"""brisk: NumPy's kernels, pandas' dataset jobs, charts and a profiling report, in-process on one
fast Rust core.

>>> import numpy as np, brisk
>>> brisk.covariance(np.eye(3)).shape
(3, 3)
"""

from __future__ import annotations

from ._internal import __version__
from ._errors import BriskError, SingularMatrixError
from ._arrays import covariance
from ._tables import chunked_statistics, clean_dataset, describe, groupby, join

__all__ = [
    "BriskError",
    "SingularMatrixError",
    "__version__",
    "chunked_statistics",
    "clean_dataset",
    "covariance",
    "describe",
    "groupby",
    "join",
]
