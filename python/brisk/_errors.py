"""brisk's exceptions.

``BriskError`` is a ``ValueError`` carrying the message the command line prints (the file, the
line and the column of bad input). A singular matrix raises ``SingularMatrixError``, which is
both a ``BriskError`` and a ``numpy.linalg.LinAlgError``, so code written for ``numpy.linalg.solve``
catches it unchanged.
"""

from __future__ import annotations

import numpy as np


class BriskError(ValueError):
    """Bad input or arguments: the message says what and where.

    >>> import brisk
    >>> issubclass(brisk.BriskError, ValueError)
    True
    """


class SingularMatrixError(BriskError, np.linalg.LinAlgError):
    """A singular or near-singular system, as ``numpy.linalg.solve`` raises ``LinAlgError``.

    >>> import numpy as np, brisk
    >>> issubclass(brisk.SingularMatrixError, np.linalg.LinAlgError)
    True
    """
