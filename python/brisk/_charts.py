"""Charts: the feature-importance bars of ``brisk plot importance``, as an object that shows
itself in Jupyter and saves as SVG or PNG."""

from __future__ import annotations

import os
import tempfile
from typing import Optional, Sequence, Union

import numpy as np

from . import _internal
from ._convert import as_float_array, as_int
from ._errors import BriskError

PathLike = Union[str, "os.PathLike[str]"]


def _write_atomically(path: PathLike, data: bytes) -> None:
    """Writes ``data`` to ``path`` through a temporary file in the same folder, renamed at the
    end, as the command line writes ``-o``: a failed write leaves an existing file untouched."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".brisk-", dir=folder)
    except OSError as error:
        raise BriskError(f"{target}: cannot write here: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # The temporary file is private (0600); the result gets the mode of the file it
        # replaces, or the usual 0644.
        try:
            mode = os.stat(target).st_mode & 0o777
        except OSError:
            mode = 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:
        os.unlink(temporary)
        if isinstance(error, OSError):
            raise BriskError(f"{target}: cannot write: {error.strerror}") from error
        raise


def _format_of(path: PathLike, allowed: Sequence[str]) -> str:
    """The lowercase extension of ``path`` (without the dot), which must be one of ``allowed``."""
    extension = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    if extension not in allowed:
        listed = " or ".join(f".{e}" for e in allowed)
        raise BriskError(f"{os.fspath(path)}: cannot pick a format from this extension; use {listed}")
    return extension


#: The largest width or height of a chart, in pixels.
MAX_PIXELS = 10_000


class FeatureImportanceChart:
    """A feature-importance bar chart: the ``top_n`` features, highest on top.

    ``features`` and ``importances`` are the bars from top to bottom. ``svg()`` is the chart as
    an SVG document, ``png()`` as PNG bytes (drawn with the same code, text rasterised with an
    embedded font), ``save(path)`` writes either, by the extension. In Jupyter the chart shows
    itself as SVG (``_repr_svg_``).

    >>> import brisk
    >>> chart = brisk.plot_feature_importance(["a", "b"], [1.0, 3.0])
    >>> chart.features
    ['b', 'a']
    >>> chart.svg().startswith("<svg")
    True
    """

    def __init__(
        self,
        features: list[str],
        importances: np.ndarray,
        title: str,
        width: int,
        height: int,
        svg: str,
    ) -> None:
        self.features = features
        self.importances = importances
        self.title = title
        self.width = width
        self.height = height
        self._svg = svg

    def svg(self) -> str:
        """The chart as an SVG document.

        >>> import brisk
        >>> "<text" in brisk.plot_feature_importance(["a"], [1.0]).svg()
        True
        """
        return self._svg

    def png(self) -> bytes:
        """The chart as a PNG file's bytes (8-bit RGB, ``width`` × ``height`` pixels).

        >>> import brisk
        >>> brisk.plot_feature_importance(["a"], [1.0]).png()[:8]
        b'\\x89PNG\\r\\n\\x1a\\n'
        """
        return _internal.importance_chart(
            self.features,
            self.importances,
            len(self.features),
            self.title,
            self.width,
            self.height,
            True,
        )

    def save(self, path: PathLike) -> None:
        """Writes the chart to ``path``: SVG for ``.svg``, PNG for ``.png`` (any case); another
        extension raises ``BriskError``. The file is replaced atomically.

        >>> import brisk, os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "chart.svg")
        >>> brisk.plot_feature_importance(["a"], [1.0]).save(path)
        >>> open(path).read(4)
        '<svg'
        """
        if _format_of(path, ("svg", "png")) == "png":
            data = self.png()
        else:
            data = self._svg.encode("utf-8")
        _write_atomically(path, data)

    def _repr_svg_(self) -> str:
        return self._svg

    def __repr__(self) -> str:
        return f"<FeatureImportanceChart {self.title!r}: {len(self.features)} features>"


def plot_feature_importance(
    feature_names: Sequence[str],
    importances: Union[Sequence[float], np.ndarray],
    top_n: int = 15,
    title: str = "Feature Importance",
    save_path: Optional[PathLike] = None,
    *,
    width: int = 1000,
    height: int = 600,
) -> FeatureImportanceChart:
    """A horizontal bar chart of feature importances, as matplotlib's ``barh`` would draw it
    sorted, and as ``brisk plot importance`` draws it.

    The ``top_n`` highest importances are drawn, the highest at the top (ties keep the input
    order), coloured along the viridis ramp from the lowest shown to the highest, each bar
    annotated with its value to four significant figures. ``importances`` is converted to a
    float64 vector (``numpy.ascontiguousarray``). With ``save_path`` the chart is also saved
    there at once (SVG or PNG by the extension). ``width`` × ``height`` is the canvas in pixels
    (a PNG needs at least 800 × 500, an SVG 300 × 200; at most 8192 each way).

    Raises ``BriskError`` when the names and importances differ in length, when there is none,
    when an importance is not finite, or when ``top_n`` < 1.

    >>> import brisk
    >>> chart = brisk.plot_feature_importance(
    ...     ["bill_length_mm", "flipper_length_mm", "year"], [410.6, 594.8, 0.06], top_n=2)
    >>> chart.features, chart.importances.tolist()
    (['flipper_length_mm', 'bill_length_mm'], [594.8, 410.6])
    """
    names = [str(name) for name in feature_names]
    scores = as_float_array(importances, "importances", 1, allow_empty=True)
    if len(names) != scores.shape[0]:
        raise BriskError(
            f"{len(names)} feature names but {scores.shape[0]} importances: give one importance "
            "per feature"
        )
    if not names:
        raise BriskError("nothing to plot: no feature names and importances")
    if not np.isfinite(scores).all():
        bad = int(np.flatnonzero(~np.isfinite(scores))[0])
        raise BriskError(
            f"importances[{bad}] ({names[bad]}) is {scores[bad]}: every importance must be finite"
        )
    top_n = as_int(top_n, "top_n", 1)
    # A canvas is drawn in memory: at most MAX_PIXELS a side keeps it to a few hundred MB.
    width = as_int(width, "width", 0, MAX_PIXELS)
    height = as_int(height, "height", 0, MAX_PIXELS)
    top = min(int(top_n), len(names))
    # Highest first, ties in input order: the order the chart draws.
    order = np.argsort(-scores, kind="stable")[:top]
    features = [names[i] for i in order]
    shown = np.ascontiguousarray(scores[order])
    svg = _internal.importance_chart(features, shown, top, str(title), int(width), int(height), False)
    chart = FeatureImportanceChart(features, shown, str(title), int(width), int(height), svg)
    if save_path is not None:
        chart.save(save_path)
    return chart
