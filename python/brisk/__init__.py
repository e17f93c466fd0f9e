"""brisk: NumPy's kernels, pandas' dataset jobs, charts and a profiling report, in-process on one
fast Rust core.

>>> import numpy as np, brisk
>>> brisk.covariance(np.eye(3)).shape
(3, 3)
"""

from __future__ import annotations

from ._internal import __version__
from ._errors import BriskError, SingularMatrixError
from ._arrays import (
    assign_clusters,
    compute_statistics,
    correlation,
    covariance,
    f_classif,
    f_regression,
    pairwise_distances,
    row_normalize,
    softmax,
    solve,
    update_centroids,
)
from ._charts import FeatureImportanceChart, plot_feature_importance
from ._estimators import PCA, KMeans, NotFittedError
from ._profile import profile_block, profile_report
from ._report import Report, report
from ._tables import chunked_statistics, clean_dataset, describe, groupby, join
from . import partial

__all__ = [
    "BriskError",
    "FeatureImportanceChart",
    "KMeans",
    "NotFittedError",
    "PCA",
    "Report",
    "SingularMatrixError",
    "__version__",
    "assign_clusters",
    "chunked_statistics",
    "clean_dataset",
    "compute_statistics",
    "correlation",
    "covariance",
    "describe",
    "f_classif",
    "f_regression",
    "groupby",
    "join",
    "pairwise_distances",
    "partial",
    "plot_feature_importance",
    "profile_block",
    "profile_report",
    "report",
    "row_normalize",
    "softmax",
    "solve",
    "update_centroids",
]
