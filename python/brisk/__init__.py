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
from ._charts import FeatureImportanceChart, plot_feature_importance
from ._profile import profile_block, profile_report
from ._report import Report, report

__all__ = [
    "BriskError",
    "FeatureImportanceChart",
    "Report",
    "SingularMatrixError",
    "__version__",
    "covariance",
    "plot_feature_importance",
    "profile_block",
    "profile_report",
    "report",
]
