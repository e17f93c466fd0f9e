"""The report: ``brisk report``'s self-contained HTML page and its figures, in-process."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional

from . import _internal
from ._charts import PathLike, _format_of, _write_atomically
from ._convert import as_int
from ._errors import BriskError
from ._sources import as_source


class Report:
    """A report page and its figures.

    ``html`` is the whole page (self-contained: inline CSS and SVG, nothing fetched from the
    network), ``sections`` its section ids in order, ``to_dict()`` its figures (the JSON of
    ``brisk report --json``), ``save(path)`` writes the page (``.html``) or the figures
    (``.json``). In Jupyter the page shows in the output cell (``_repr_html_``).

    >>> import brisk
    >>> report = brisk.report()
    >>> report.sections[:2]
    ['alerts', 'overview']
    """

    def __init__(self, html: str, figures: str, sections: List[str]) -> None:
        self.html = html
        self.sections = sections
        self._figures = figures

    def to_dict(self) -> Dict[str, Any]:
        """The page's figures as ``brisk report --json`` writes them, parsed (a new dict each
        call): ``rows_in``, ``columns`` (per-column statistics), ``cleaning``, ``correlation``,
        ``pca``, ``importance``, ``kmeans``, the alerts and more. Undefined values are ``None``.

        >>> import brisk
        >>> brisk.report().to_dict()["rows_in"]
        344
        """
        figures: Dict[str, Any] = json.loads(self._figures)
        return figures

    def save(self, path: PathLike) -> None:
        """Writes the page to ``path`` (``.html``), or its figures (``.json``, as
        ``brisk report --json``); another extension raises ``BriskError``. The file is replaced
        atomically, as the command line writes it.

        >>> import brisk, os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "report.html")
        >>> brisk.report().save(path)
        >>> open(path).read(15)
        '<!DOCTYPE html>'
        """
        if _format_of(path, ("html", "json")) == "json":
            data = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        else:
            data = self.html
        _write_atomically(path, data.encode("utf-8"))

    def _repr_html_(self) -> str:
        """The page as a notebook's output cell shows it: its ``<style>`` and its root element,
        without ``<html>``, ``<head>`` and ``<body>``.

        The page is made to be embedded so: every CSS rule is scoped under its root class, so
        the notebook keeps its own look, and the navigation's links jump within the notebook.
        An ``<iframe srcdoc>`` would need a fixed height (a report is thousands of pixels tall)
        and is removed by notebook viewers that strip frames; the fragment renders in
        JupyterLab, Notebook and VS Code as the page does in a browser.
        """
        fragment: str = _internal.report_fragment(self.html)
        return fragment

    def __repr__(self) -> str:
        return f"<Report: {len(self.html) // 1024} KiB, sections {', '.join(self.sections)}>"


def report(
    data: Any = None,
    target: Optional[str] = None,
    *,
    method: str = "auto",
    clusters: Optional[int] = None,
    sigma: float = 3.0,
    top: int = 15,
    sample_rows: int = 100_000,
    memory_limit: Optional[int] = None,
    clean: bool = False,
    seed: int = 0,
    keep_index: bool = False,
    alerts: Optional[Mapping[str, float]] = None,
) -> Report:
    """The profiling report of a table, as ``brisk report`` makes it: load → clean → statistics
    → correlation → PCA → k-means → importance → charts, every stage profiled.

    ``data`` is a path (``.csv``, ``.tsv``, ``.jsonl``, ``.parquet``, ``.arrow``), or ``None``
    for the embedded Palmer Penguins data, whose ``target`` is ``"species"`` unless another is
    given. The keyword arguments are ``brisk report``'s options with its defaults:

    - ``target``: the column the features are scored against (``method``: ``"auto"`` picks
      ``"classif"``, as ``sklearn.feature_selection.f_classif``, for a text target and
      ``"regression"``, as ``f_regression``, for a numeric one);
    - ``clusters``: k-means' k (default: the target's classes, from 2 to 10, or 3); ``seed``
      seeds its k-means++ initialisation and ``sample_rows`` bounds the rows it is fitted on;
    - ``sigma``: cleaning's outlier threshold in standard deviations; ``clean=True`` runs the
      analyses on the cleaned rows instead of the complete rows as read;
    - ``top``: features in the importance chart;
    - ``memory_limit``: bytes for kept values and accumulators (default: a quarter of RAM);
    - ``keep_index``: keep a first column that is a row index in the analyses;
    - ``alerts``: alert thresholds to change, by the names ``to_dict()["alert_thresholds"]``
      shows (e.g. ``{"missing_share": 0.2}``).

    The page's stage profile covers this run: profiling is on for it and left as it was after
    (inside a ``profile_block``, the report's stages are recorded under the block).

    Raises ``BriskError`` for a file that cannot be read (naming the file, line and column), a
    target that is not a column, and an option out of its range.

    >>> import brisk
    >>> figures = brisk.report().to_dict()
    >>> figures["importance"]["target"], figures["columns"][2]["name"]
    ('species', 'bill_length_mm')
    """
    top, sample_rows, seed = (
        as_int(top, "top"), as_int(sample_rows, "sample_rows"), as_int(seed, "seed")
    )
    if not 0 <= seed < 2**32:
        raise BriskError(f"seed must be from 0 to 2**32 - 1, not {seed}")
    clusters = None if clusters is None else as_int(clusters, "clusters")
    memory_limit = None if memory_limit is None else as_int(memory_limit, "memory_limit")
    if memory_limit is not None and memory_limit <= 0:
        raise BriskError(f"memory_limit must be a number of bytes > 0, not {memory_limit}")
    thresholds = {str(k): float(v) for k, v in (alerts or {}).items()}
    html, figures, sections = _internal.report(
        as_source(data),
        target,
        method,
        clusters,
        float(sigma),
        top,
        sample_rows,
        memory_limit,
        bool(clean),
        seed,
        bool(keep_index),
        thresholds,
    )
    return Report(html, figures, list(sections))
