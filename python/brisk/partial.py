"""Partial states: brisk's figures summarised where a partition of the data lives, shipped as a
few kilobytes, and merged in any order — the map step that Dask, Spark or any other engine
drives (``brisk.dask``, ``brisk.spark``).

A state is updated with batches (a pyarrow ``RecordBatch`` or ``Table``, a pandas or polars
``DataFrame``), merged with other states of the same job (``a.merge(b)``: in place, returns
``a``), converted to and from versioned bytes (``to_bytes``, ``from_bytes``: a corrupt or
truncated state, or one from another brisk release, raises ``BriskError``), and pickles through
those bytes. Merging in any order and grouping gives the statistics of the concatenated rows:
counts, extremes and exact quartiles equal, moments to 1e-12 relative.

Exact quartiles take two passes. Pass 1 (:class:`Stats`) counts each numeric column in a
histogram of 4096 buckets a sign; the merged histograms locate the buckets that hold the
quartiles' ranks, and :meth:`Stats.quartile_pass` makes pass 2 (:class:`Quartiles`), which each
partition runs over its rows, keeping only the values inside those buckets. This is how
``brisk stats`` finds exact quartiles past its memory limit. With ``exact=False`` pass 1 alone
gives quartiles estimated within their buckets, with the bound on their rank error.

>>> import pandas as pd, brisk
>>> df = pd.DataFrame({"x": [1.0, 5.0, 2.0, None, 4.0], "s": ["a", "b", "b", "c", "a"]})
>>> parts = [df.iloc[:2], df.iloc[2:]]
>>> states = [brisk.partial.Stats(partition=i).update(p) for i, p in enumerate(parts)]
>>> merged = states[0].merge(states[1])
>>> passes = [merged.quartile_pass().update(p) for p in parts]
>>> merged.result(quartiles=passes[0].merge(passes[1])).loc[["count", "50%", "top"]]
         x    s
count  4.0    5
50%    3.0  NaN
top    NaN    a
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _internal
from ._convert import as_flag, as_int
from ._errors import BriskError
from ._sources import as_source
from ._tables import _agg_spec, _describe_frame, _names

__all__ = ["GroupBy", "Quartiles", "Report", "ReportPass2", "Stats"]


def _batch(batch: Any) -> Any:
    """A batch as the compiled module reads it: a ``RecordBatch`` as a one-batch ``Table``."""
    if type(batch).__module__.split(".")[0] == "pyarrow" and type(batch).__name__ == "RecordBatch":
        import pyarrow as pa

        batch = pa.Table.from_batches([batch])
    if batch is None or isinstance(batch, (str, bytes)) or not hasattr(batch, "__len__"):
        raise BriskError(
            "update takes a batch: a pyarrow RecordBatch or Table, or a pandas or polars "
            f"DataFrame, not {type(batch).__name__}"
        )
    return as_source(batch, nan_is_null=False)


def _bytes(data: Any) -> bytes:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise BriskError(f"a partial state is bytes, not {type(data).__name__}")
    return bytes(data)


class Quartiles:
    """Pass 2 of the statistics: the values of each partition inside the buckets that hold the
    quartiles' ranks, for exact quartiles. Made by :meth:`Stats.quartile_pass` from the merged
    pass-1 state; every partition updates its own copy with its rows, and the copies merge.

    Rarely, a bucket holds more distinct values than the pass keeps (tens of millions):
    :attr:`needs_another_pass` is then true, and :meth:`another_pass` gives the next, narrower
    pass to run over the partitions again.

    >>> import pandas as pd, brisk
    >>> df = pd.DataFrame({"x": [3.0, 1.0, 2.0]})
    >>> q = brisk.partial.Stats().update(df).quartile_pass().update(df)
    >>> q.needs_another_pass
    False
    """

    __slots__ = ("_state",)

    def __init__(self, state: Any) -> None:
        self._state = state

    @classmethod
    def from_bytes(cls, data: bytes) -> "Quartiles":
        """The pass in ``data`` (:meth:`to_bytes`); ``BriskError`` when it is not a valid
        quartile pass of this brisk release."""
        return cls(_internal.QuartilesState.from_bytes(_bytes(data)))

    def to_bytes(self) -> bytes:
        """The pass as versioned, checksummed bytes."""
        return self._state.to_bytes()

    def __reduce__(self) -> Any:
        return (Quartiles.from_bytes, (self.to_bytes(),))

    def update(self, batch: Any) -> "Quartiles":
        """Folds in a batch of this partition's rows (rows pass 1 saw); returns ``self``."""
        self._state.update(_batch(batch))
        return self

    def merge(self, other: "Quartiles") -> "Quartiles":
        """Folds in another partition's copy of the same pass; returns ``self``."""
        if not isinstance(other, Quartiles):
            raise BriskError(f"merge takes a Quartiles state, not {type(other).__name__}")
        if other is self:
            other = Quartiles.from_bytes(self.to_bytes())
        self._state.merge(other._state)
        return self

    @property
    def needs_another_pass(self) -> bool:
        """Whether a crowded bucket needs one more pass (see :meth:`another_pass`)."""
        return self._state.needs_another_pass

    def another_pass(self) -> "Quartiles":
        """The next pass, made from this merged one, for every partition to run again."""
        return Quartiles(self._state.another_pass())

    def __repr__(self) -> str:
        return f"<brisk.partial.Quartiles, {len(self.to_bytes())} bytes>"


class Stats:
    """Pass 1 of the statistics of ``brisk.describe`` and ``brisk stats`` over some rows.

    ``columns``: only these, in this order (all by default). ``population``: ddof 0 and the
    biased skewness and kurtosis (NumPy/SciPy) instead of pandas' conventions. ``partition``: the
    partition's position among the table's partitions; ties between text values' counts (``top``)
    go to the value seen first, in the lowest partition, as one pass over the partitions in that
    order would break them.

    A numeric column's state is its count, nulls, moments (Welford/Chan, Pébay), range and a
    histogram of 4096 buckets a sign (at most 64 KiB, whatever the rows); a text column's holds
    each distinct value's count.

    >>> import pyarrow as pa, brisk
    >>> s = brisk.partial.Stats().update(pa.table({"x": [1.0, 2.0, 4.0]}))
    >>> brisk.partial.Stats.from_bytes(s.to_bytes()).rows
    3
    """

    __slots__ = ("_state",)

    def __init__(
        self,
        columns: Optional[Sequence[str]] = None,
        *,
        population: bool = False,
        partition: int = 0,
    ) -> None:
        if columns is not None:
            if isinstance(columns, str):
                columns = [columns]
            columns = list(columns)
            if not all(isinstance(c, str) for c in columns):
                raise BriskError("columns must be column names (str)")
        partition = as_int(partition, "partition", 0, 2**24 - 1)
        self._state = _internal.StatsState(columns, as_flag(population, "population"), partition)

    @classmethod
    def _of(cls, state: Any) -> "Stats":
        self = cls.__new__(cls)
        self._state = state
        return self

    @classmethod
    def from_bytes(cls, data: bytes) -> "Stats":
        """The state in ``data`` (:meth:`to_bytes`); ``BriskError`` when it is corrupt,
        truncated, of another kind, or from another brisk release."""
        return cls._of(_internal.StatsState.from_bytes(_bytes(data)))

    def to_bytes(self) -> bytes:
        """The state as versioned, checksummed bytes."""
        return self._state.to_bytes()

    def __reduce__(self) -> Any:
        return (Stats.from_bytes, (self.to_bytes(),))

    def update(self, batch: Any) -> "Stats":
        """Folds in a batch of rows (after those already seen); returns ``self``."""
        self._state.update(_batch(batch))
        return self

    def merge(self, other: "Stats") -> "Stats":
        """Folds in the state of other rows of the same table; returns ``self``. States of other
        options or columns, or whose column holds numbers in one and text in the other, raise
        ``BriskError``."""
        if not isinstance(other, Stats):
            raise BriskError(f"merge takes a Stats state, not {type(other).__name__}")
        if other is self:
            other = Stats.from_bytes(self.to_bytes())
        self._state.merge(other._state)
        return self

    @property
    def rows(self) -> int:
        """Rows summarised."""
        return self._state.rows

    @property
    def needs_quartile_pass(self) -> bool:
        """Whether exact quartiles need :meth:`quartile_pass` (some numeric column has values)."""
        return self._state.needs_quartile_pass

    def quartile_pass(self) -> Quartiles:
        """Pass 2 for exact quartiles, made from this (merged) state, for every partition to run
        over its rows."""
        return Quartiles(self._state.quartile_pass())

    def to_dict(
        self, quartiles: Optional[Quartiles] = None, *, exact: bool = True, source: str = "<partial>"
    ) -> dict[str, Any]:
        """The statistics as ``brisk stats --format json`` gives them for the concatenated rows
        (``source`` names the data). Exact quartiles need the merged pass 2 (``quartiles``);
        ``exact=False`` estimates them from pass 1 and reports each column's ``rank_error``."""
        if quartiles is not None and not isinstance(quartiles, Quartiles):
            raise BriskError(f"quartiles must be a Quartiles state, not {type(quartiles).__name__}")
        state = None if quartiles is None else quartiles._state
        return json.loads(self._state.result(str(source), state, as_flag(exact, "exact")))

    def result(self, quartiles: Optional[Quartiles] = None, *, exact: bool = True) -> pd.DataFrame:
        """The statistics shaped exactly as ``brisk.describe`` gives them for the concatenated
        rows (see :meth:`to_dict` for ``quartiles`` and ``exact``). With ``exact=False`` the
        frame's ``attrs["rank_error"]`` holds the largest rank-error bound, a fraction of the
        count."""
        report = self.to_dict(quartiles, exact=exact)
        frame = _describe_frame(report["columns"])
        if not exact:
            frame.attrs["rank_error"] = report["conventions"].get("rank_error")
        return frame

    def __repr__(self) -> str:
        return f"<brisk.partial.Stats of {self.rows} rows>"


class ReportPass2:
    """Pass 2 of the report: the histograms' counts in bins fixed by pass 1, the exact
    quartiles, every complete row's k-means cluster, and the rows the page shows. Made by
    :meth:`Report.pass_two` from the merged pass-1 state; each partition runs its own copy
    (:meth:`for_partition`) over its rows, and the copies merge. When :attr:`needs_another_pass`
    (a crowded quartile bucket), :meth:`another_pass` gives the next pass to run likewise."""

    __slots__ = ("_state",)

    def __init__(self, state: Any) -> None:
        self._state = state

    @classmethod
    def from_bytes(cls, data: bytes) -> "ReportPass2":
        """The pass in ``data`` (:meth:`to_bytes`); ``BriskError`` when it is not a valid report
        pass 2 of this brisk release."""
        return cls(_internal.ReportPass2.from_bytes(_bytes(data)))

    def to_bytes(self) -> bytes:
        """The pass as versioned, checksummed bytes."""
        return self._state.to_bytes()

    def __reduce__(self) -> Any:
        return (ReportPass2.from_bytes, (self.to_bytes(),))

    def for_partition(self, partition: int) -> "ReportPass2":
        """The copy of this pass that partition ``partition`` (its pass-1 number) runs."""
        return ReportPass2(self._state.for_partition(as_int(partition, "partition", 0, 2**24 - 1)))

    def update(self, batch: Any) -> "ReportPass2":
        """Folds in a batch of this partition's rows; returns ``self``."""
        self._state.update(_batch(batch))
        return self

    def merge(self, other: "ReportPass2") -> "ReportPass2":
        """Folds in another partition's copy; returns ``self``."""
        if not isinstance(other, ReportPass2):
            raise BriskError(f"merge takes a ReportPass2 state, not {type(other).__name__}")
        if other is self:
            raise BriskError("a pass cannot merge itself: each partition's copy merges once")
        self._state.merge(other._state)
        return self

    @property
    def needs_another_pass(self) -> bool:
        """Whether a crowded quartile bucket needs one more pass."""
        return self._state.needs_another_pass

    def another_pass(self) -> "ReportPass2":
        """The next pass, from this merged one."""
        return ReportPass2(self._state.another_pass())


class Report:
    """Pass 1 of ``brisk.report`` over some rows: the profiled statistics of every column, the
    co-moments behind the correlations and the PCA, the importance scores' per-class moments, the
    missing values' counts, and seeded samples of rows (for k-means and the pairwise
    correlations). The options are :func:`brisk.report`'s; ``partition`` is the partition's
    position, which numbers its rows after those of the partitions before it.

    The figures of the merged states are ``brisk.report``'s on the concatenated rows, but for
    k-means, which is fitted on a seeded sample drawn the same way, and the cleaning, which a
    partitioned report does not run: its figures and the alerts made from them (repeated rows,
    the σ rule's removals) are absent. A numeric column's distinct count is
    the HyperLogLog estimate (±0.81%) the single machine gives past its memory limit.

    >>> import pandas as pd, brisk
    >>> df = pd.DataFrame({"x": [float(i % 7) for i in range(60)],
    ...                    "y": [float(i * i % 11) for i in range(60)],
    ...                    "label": ["a", "b", "c"] * 20})
    >>> parts = [df.iloc[:25], df.iloc[25:]]
    >>> states = [brisk.partial.Report("label", partition=i).update(p) for i, p in enumerate(parts)]
    >>> merged = states[0].merge(states[1])
    >>> plan = merged.pass_two()
    >>> passes = [plan.for_partition(i).update(p) for i, p in enumerate(parts)]
    >>> merged.result(passes[0].merge(passes[1])).to_dict()["rows_in"]
    60
    """

    __slots__ = ("_state",)

    def __init__(
        self,
        target: Optional[str] = None,
        *,
        method: str = "auto",
        clusters: Optional[int] = None,
        sample_rows: int = 100_000,
        memory_limit: Optional[int] = None,
        seed: int = 0,
        keep_index: bool = False,
        partition: int = 0,
    ) -> None:
        sample_rows, seed = as_int(sample_rows, "sample_rows"), as_int(seed, "seed", 0, 2**32 - 1)
        clusters = None if clusters is None else as_int(clusters, "clusters")
        memory_limit = None if memory_limit is None else as_int(memory_limit, "memory_limit", 1)
        if target is not None and not isinstance(target, str):
            raise BriskError(f"target must be a column name (str), not {type(target).__name__}")
        if not isinstance(method, str):
            raise BriskError(f"method must be a str, not {type(method).__name__}")
        self._state = _internal.ReportState(
            target, method, clusters, sample_rows, memory_limit, seed,
            as_flag(keep_index, "keep_index"), as_int(partition, "partition", 0, 2**24 - 1),
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> "Report":
        """The state in ``data`` (:meth:`to_bytes`); ``BriskError`` when it is corrupt,
        truncated, of another kind, or from another brisk release."""
        self = cls.__new__(cls)
        self._state = _internal.ReportState.from_bytes(_bytes(data))
        return self

    def to_bytes(self) -> bytes:
        """The state as versioned, checksummed bytes."""
        return self._state.to_bytes()

    def __reduce__(self) -> Any:
        return (Report.from_bytes, (self.to_bytes(),))

    @property
    def rows(self) -> int:
        """Rows summarised."""
        return self._state.rows

    def update(self, batch: Any) -> "Report":
        """Folds in a batch of rows (after those of this partition already seen); returns
        ``self``."""
        self._state.update(_batch(batch))
        return self

    def merge(self, other: "Report") -> "Report":
        """Folds in the state of other partitions of the same table; returns ``self``."""
        if not isinstance(other, Report):
            raise BriskError(f"merge takes a Report state, not {type(other).__name__}")
        self._state.merge(other._state)
        return self

    def pass_two(self) -> ReportPass2:
        """Fits PCA, the F tests and k-means (on the merged sample) and makes pass 2."""
        return ReportPass2(self._state.pass_two())

    def result(
        self,
        pass_two: ReportPass2,
        *,
        top: int = 15,
        alerts: Optional[Mapping[str, float]] = None,
        source: str = "<partitions>",
    ) -> Any:
        """The :class:`brisk.Report` of the merged states and the merged ``pass_two``: the page
        and its figures (``top``: features in the importance chart; ``alerts``: thresholds to
        change, as :func:`brisk.report` takes them)."""
        from ._report import Report as Page

        if not isinstance(pass_two, ReportPass2):
            raise BriskError(f"pass_two must be a ReportPass2 state, not {type(pass_two).__name__}")
        thresholds = {str(k): float(v) for k, v in (alerts or {}).items()}
        html, figures, sections = self._state.result(
            pass_two._state, str(source), as_int(top, "top"), thresholds
        )
        return Page(html, figures, sections)



class GroupBy:
    """The group-by aggregates of ``brisk.groupby`` over some rows: per group of ``by``'s
    values, each aggregate's accumulator (counts and compensated sums add, means and variances
    merge by Chan's formulas, extremes compare). ``agg`` and ``with_`` are ``brisk.groupby``'s;
    ``partition`` orders what one pass would meet first. ``median`` and ``nunique`` keep each
    group's values, so their state grows with the values; the others with the groups.

    >>> import pandas as pd, brisk
    >>> df = pd.DataFrame({"k": ["a", "b", "a", None], "x": [1.0, 2.0, 4.0, 8.0]})
    >>> parts = [brisk.partial.GroupBy("k", {"x": "mean"}, partition=i).update(p)
    ...          for i, p in enumerate([df.iloc[:2], df.iloc[2:]])]
    >>> parts[0].merge(parts[1]).result()
         k    x
    0    a  2.5
    1    b  2.0
    2  NaN  8.0
    """

    __slots__ = ("_state",)

    def __init__(
        self,
        by: Union[str, Sequence[str]],
        agg: Any,
        with_: Union[str, Sequence[str], None] = None,
        *,
        partition: int = 0,
    ) -> None:
        keys = _names(by, "by")
        if not keys:
            raise BriskError("by must name at least one column")
        derived = _names(with_, "with_") or None
        self._state = _internal.GroupByState(
            keys, _agg_spec(agg), derived, as_int(partition, "partition", 0, 2**24 - 1)
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> "GroupBy":
        """The state in ``data`` (:meth:`to_bytes`); ``BriskError`` when it is corrupt,
        truncated, of another kind, or from another brisk release."""
        self = cls.__new__(cls)
        self._state = _internal.GroupByState.from_bytes(_bytes(data))
        return self

    def to_bytes(self) -> bytes:
        """The state as versioned, checksummed bytes."""
        return self._state.to_bytes()

    def __reduce__(self) -> Any:
        return (GroupBy.from_bytes, (self.to_bytes(),))

    @property
    def rows(self) -> int:
        """Rows aggregated."""
        return self._state.rows

    def update(self, batch: Any) -> "GroupBy":
        """Folds in a batch of rows; returns ``self``."""
        self._state.update(_batch(batch))
        return self

    def merge(self, other: "GroupBy") -> "GroupBy":
        """Folds in the state of other rows of the same job; returns ``self``."""
        if not isinstance(other, GroupBy):
            raise BriskError(f"merge takes a GroupBy state, not {type(other).__name__}")
        self._state.merge(other._state)
        return self

    def result(self, sort: Optional[str] = None, descending: bool = False) -> pd.DataFrame:
        """The groups as ``brisk.groupby`` gives them for the concatenated rows, a pandas
        ``DataFrame``: sorted by key (null keys last), or by the output column ``sort``."""
        from ._sources import as_frame

        if sort is not None and not isinstance(sort, str):
            raise BriskError(f"sort must be an output column name (str), not {sort!r}")
        capsule = self._state.result(sort, as_flag(descending, "descending"))
        return as_frame(capsule, None)
