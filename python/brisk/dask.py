"""brisk on Dask: the statistics of a Dask DataFrame from partial states merged by Dask's own
tree reduction, never collecting rows on the client.

Each partition is summarised where it lives into a :class:`brisk.partial.Stats` state (a few
kilobytes a column); ``Series.reduction`` merges the states in a tree of ``split_every`` at a
time, and only the merged state reaches the client. Exact quartiles take a second pass over the
partitions (:meth:`brisk.partial.Stats.quartile_pass`), bracketed by the merged histograms, whose
states are merged the same way. Dask's own ``describe`` gives approximate quartiles; these are
exact, and equal ``brisk.describe`` on the concatenated data.

>>> import dask.dataframe as dd, pandas as pd, brisk.dask
>>> df = pd.DataFrame({"x": [1.0, 5.0, 2.0, 4.0], "s": ["a", "b", "b", "c"]})
>>> brisk.dask.describe(dd.from_pandas(df, npartitions=2)).loc[["count", "50%", "top"]]
         x    s
count  4.0    4
50%    3.0  NaN
top    NaN    b
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional, Sequence, Union

import pandas as pd

from ._errors import BriskError
from .partial import GroupBy, Quartiles, Report, ReportPass2, Stats

__all__ = ["describe", "groupby", "report"]


def _check(ddf: Any) -> None:
    if type(ddf).__module__.split(".")[0] not in ("dask", "dask_expr") or not hasattr(
        ddf, "map_partitions"
    ):
        raise BriskError(f"expected a Dask DataFrame, got {type(ddf).__name__}")


def _one(state: bytes) -> pd.Series:
    return pd.Series([state], dtype=object)


def _stats_part(
    df: pd.DataFrame,
    columns: Optional[list[str]],
    population: bool,
    partition_info: Optional[dict[str, Any]] = None,
) -> pd.Series:
    """Pass 1 of one partition, as a one-element Series holding the state's bytes."""
    number = 0 if partition_info is None else int(partition_info["number"])
    state = Stats(columns, population=population, partition=number)
    return _one(state.update(df).to_bytes())


def _quartiles_part(df: pd.DataFrame, plan: bytes) -> pd.Series:
    """The quartile pass of one partition."""
    return _one(Quartiles.from_bytes(plan).update(df).to_bytes())


def _merger(kind: Any) -> Callable[[Any], bytes]:
    """A function merging a Series of states' bytes (or one state's bytes) into one state's."""

    def merge(states: Any) -> bytes:
        if isinstance(states, (bytes, bytearray)):
            return bytes(states)
        if isinstance(states, pd.DataFrame):
            states = states.iloc[:, 0]
        merged = None
        # Dask also calls the reduction on an empty Series (its meta): no state, empty bytes.
        for data in states:
            if len(data):
                part = kind.from_bytes(data)
                merged = part if merged is None else merged.merge(part)
        return b"" if merged is None else merged.to_bytes()

    return merge


def _reduce(states: Any, kind: Any, split_every: Optional[int]) -> bytes:
    """The states of every partition merged by Dask's tree reduction, computed."""
    merge = _merger(kind)
    reduced = states.reduction(
        chunk=merge, combine=merge, aggregate=merge, split_every=split_every, meta=object
    )
    merged = reduced.compute()
    if not merged:
        raise BriskError("the Dask DataFrame has no partition")
    return merged


def describe(
    ddf: Any,
    exact: bool = True,
    *,
    population: bool = False,
    columns: Optional[Sequence[str]] = None,
    split_every: Optional[int] = None,
) -> pd.DataFrame:
    """The statistics of ``brisk.describe`` for a Dask DataFrame, shaped as its result: count,
    mean, std (ddof 1), min, exact quartiles, max, null count, skewness and kurtosis of numeric
    columns; count, unique, top and freq of text and boolean ones.

    Two passes over the partitions with ``exact=True`` (the default); one with ``exact=False``,
    whose quartiles are estimated within their histogram bucket (``attrs["rank_error"]`` holds
    the bound on their rank error, a fraction of the count). ``split_every`` is the fan-in of
    the tree of merges (Dask's default when ``None``). Rows never leave their workers: each
    partition sends a state of O(columns × 64 KiB) plus its text columns' distinct values.

    >>> import dask.dataframe as dd, pandas as pd, brisk.dask
    >>> ddf = dd.from_pandas(pd.DataFrame({"x": [3.0, 1.0, 2.0]}), npartitions=3)
    >>> brisk.dask.describe(ddf, exact=False).loc["max", "x"]
    np.float64(3.0)
    """
    _check(ddf)
    names = None if columns is None else ([columns] if isinstance(columns, str) else list(columns))
    Stats(names, population=population)  # the options' errors, before any task runs
    meta = pd.Series(dtype=object)
    firsts = ddf.map_partitions(_stats_part, names, bool(population), meta=meta)
    state = Stats.from_bytes(_reduce(firsts, Stats, split_every))
    quartiles = None
    if exact and state.needs_quartile_pass:
        plan = state.quartile_pass()
        while True:
            seconds = ddf.map_partitions(_quartiles_part, plan.to_bytes(), meta=meta)
            quartiles = Quartiles.from_bytes(_reduce(seconds, Quartiles, split_every))
            if not quartiles.needs_another_pass:
                break
            plan = quartiles.another_pass()
    return state.result(quartiles, exact=exact)


def _report_part(
    df: pd.DataFrame, options: dict[str, Any], partition_info: Optional[dict[str, Any]] = None
) -> pd.Series:
    """Pass 1 of the report over one partition."""
    number = 0 if partition_info is None else int(partition_info["number"])
    return _one(Report(**options, partition=number).update(df).to_bytes())


def _report_pass2_part(
    df: pd.DataFrame, plan: bytes, partition_info: Optional[dict[str, Any]] = None
) -> pd.Series:
    """Pass 2 of the report over one partition (its own copy of the plan)."""
    number = 0 if partition_info is None else int(partition_info["number"])
    return _one(ReportPass2.from_bytes(plan).for_partition(number).update(df).to_bytes())


def report(
    ddf: Any,
    target: Optional[str] = None,
    *,
    method: str = "auto",
    clusters: Optional[int] = None,
    sample_rows: int = 100_000,
    seed: int = 0,
    keep_index: bool = False,
    top: int = 15,
    alerts: Optional[Mapping[str, float]] = None,
    split_every: Optional[int] = None,
) -> Any:
    """``brisk.report`` of a Dask DataFrame, as a :class:`brisk.Report`: pass 1 of every
    partition merged by Dask's tree reduction, PCA, the F tests and k-means fitted on the
    client from the merged state, then pass 2 (histograms, exact quartiles, clusters, the rows
    shown) likewise. The figures are the single-machine report's on the concatenated rows but
    for k-means (fitted on a seeded sample drawn the same way) and the cleaning (not run). The
    options are :func:`brisk.report`'s."""
    _check(ddf)
    options = dict(
        target=target, method=method, clusters=clusters, sample_rows=sample_rows, seed=seed,
        keep_index=keep_index,
    )
    Report(**options)  # the options' errors, before any task runs
    meta = pd.Series(dtype=object)
    firsts = ddf.map_partitions(_report_part, options, meta=meta)
    state = Report.from_bytes(_reduce(firsts, Report, split_every))
    plan = state.pass_two()
    while True:
        seconds = ddf.map_partitions(_report_pass2_part, plan.to_bytes(), meta=meta)
        merged = ReportPass2.from_bytes(_reduce(seconds, ReportPass2, split_every))
        if not merged.needs_another_pass:
            break
        plan = merged.another_pass()
    return state.result(merged, top=top, alerts=alerts, source="<dask.DataFrame>")


def _groupby_task(
    df: pd.DataFrame, job: tuple, partition_info: Optional[dict[str, Any]] = None
) -> pd.Series:
    """The group-by state of one partition; ``job`` is ``(by, agg, with_)``."""
    number = 0 if partition_info is None else int(partition_info["number"])
    by, agg, with_ = job
    return _one(GroupBy(by, agg, with_, partition=number).update(df).to_bytes())


def groupby(
    ddf: Any,
    by: Union[str, Sequence[str]],
    agg: Any,
    with_: Union[str, Sequence[str], None] = None,
    sort: Optional[str] = None,
    descending: bool = False,
    *,
    split_every: Optional[int] = None,
) -> pd.DataFrame:
    """``brisk.groupby`` of a Dask DataFrame (same arguments), as a pandas ``DataFrame``: each
    partition's group-by state merged by Dask's tree reduction; rows never reach the client,
    only the groups' accumulators do."""
    _check(ddf)
    GroupBy(by, agg, with_)  # the arguments' errors, before any task runs
    meta = pd.Series(dtype=object)
    states = ddf.map_partitions(_groupby_task, (by, agg, with_), meta=meta)
    merged = GroupBy.from_bytes(_reduce(states, GroupBy, split_every))
    return merged.result(sort, descending)
