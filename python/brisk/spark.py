"""brisk on Spark: the statistics of a Spark DataFrame from partial states, one per task.

Each task runs ``mapInArrow`` over its partition's Arrow batches into a
:class:`brisk.partial.Stats` state and emits only that state's bytes (a few kilobytes a column);
the driver merges them. Exact quartiles take a second ``mapInArrow`` pass, bracketed by the
merged histograms. Rows are never shuffled nor collected (unlike ``applyInArrow`` or a grouped
aggregate over raw rows), and the quartiles are exact where ``summary()``'s are approximate.

brisk must be importable on the executors: install the same brisk wheel on every node (or in
the cluster's Python environment), or ship it with ``spark-submit --archives`` of a packed
virtual environment (``venv-pack``/``conda-pack``) and ``PYSPARK_PYTHON`` pointing into it. A
wheel holds a compiled extension, so ``--py-files`` with the wheel works only where the
executors' platform and Python match the wheel's.
"""

from __future__ import annotations

import functools
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

import pandas as pd

from ._errors import BriskError
from .partial import GroupBy, Quartiles, Report, ReportPass2, Stats

__all__ = ["describe", "groupby", "report"]

#: Rows gathered from Spark's Arrow batches (10,000 rows each by default) before a state takes
#: them, so that each update reads a sizeable table.
_UPDATE_ROWS = 262_144


def _check(sdf: Any) -> None:
    if type(sdf).__module__.split(".")[0] != "pyspark" or not hasattr(sdf, "mapInArrow"):
        raise BriskError(f"expected a Spark DataFrame, got {type(sdf).__name__}")


def _partition() -> int:
    from pyspark import TaskContext

    context = TaskContext.get()
    return 0 if context is None else int(context.partitionId())


def _fold(state: Any, batches: Iterator[Any]) -> Iterator[Any]:
    """``state`` updated with every batch, a few hundred thousand rows at a time, emitted as a
    one-row batch of its bytes."""
    import pyarrow as pa

    pending: list[Any] = []
    rows = 0
    for batch in batches:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= _UPDATE_ROWS:
            state.update(pa.Table.from_batches(pending))
            pending, rows = [], 0
    if pending:
        state.update(pa.Table.from_batches(pending))
    yield pa.RecordBatch.from_arrays([pa.array([state.to_bytes()], pa.binary())], names=["state"])


def _stats_task(columns: Optional[list[str]], population: bool, batches: Iterator[Any]) -> Any:
    """Pass 1 of one task's partition."""
    state = Stats(columns, population=population, partition=_partition())
    return _fold(state, batches)


def _quartiles_task(plan: bytes, batches: Iterator[Any]) -> Any:
    """The quartile pass of one task's partition."""
    return _fold(Quartiles.from_bytes(plan), batches)


def _states(sdf: Any, task: Any, kind: Any) -> Any:
    """Every task's state, merged on the driver."""
    from pyspark.sql.types import BinaryType, StructField, StructType

    schema = StructType([StructField("state", BinaryType(), False)])
    merged = None
    for row in sdf.mapInArrow(task, schema).toLocalIterator():
        part = kind.from_bytes(bytes(row["state"]))
        merged = part if merged is None else merged.merge(part)
    return merged


def describe(
    sdf: Any,
    exact: bool = True,
    *,
    population: bool = False,
    columns: Optional[Sequence[str]] = None,
) -> pd.DataFrame:
    """The statistics of ``brisk.describe`` for a Spark DataFrame, shaped as its result (see
    ``brisk.dask.describe`` for the figures, ``exact`` and the state sizes): one ``mapInArrow``
    pass for pass 1 and, for exact quartiles, one more."""
    _check(sdf)
    names = None if columns is None else ([columns] if isinstance(columns, str) else list(columns))
    Stats(names, population=population)  # the options' errors, before any task runs
    first = functools.partial(_stats_task, names, bool(population))
    state = _states(sdf, first, Stats) or Stats(names, population=population)
    quartiles = None
    if exact and state.needs_quartile_pass:
        plan = state.quartile_pass()
        while True:
            second = functools.partial(_quartiles_task, plan.to_bytes())
            quartiles = _states(sdf, second, Quartiles)
            if not quartiles.needs_another_pass:
                break
            plan = quartiles.another_pass()
    return state.result(quartiles, exact=exact)


def _report_task(options: dict[str, Any], batches: Iterator[Any]) -> Any:
    """Pass 1 of the report over one task's partition."""
    return _fold(Report(**options, partition=_partition()), batches)


def _report_pass2_task(plan: bytes, batches: Iterator[Any]) -> Any:
    """Pass 2 of the report over one task's partition (its own copy of the plan)."""
    return _fold(ReportPass2.from_bytes(plan).for_partition(_partition()), batches)


def report(
    sdf: Any,
    target: Optional[str] = None,
    *,
    method: str = "auto",
    clusters: Optional[int] = None,
    sample_rows: int = 100_000,
    seed: int = 0,
    keep_index: bool = False,
    top: int = 15,
    alerts: Optional[Mapping[str, float]] = None,
) -> Any:
    """``brisk.report`` of a Spark DataFrame, as a :class:`brisk.Report` (see
    ``brisk.dask.report``): one ``mapInArrow`` pass for pass 1, the fits on the driver, and one
    more for pass 2."""
    _check(sdf)
    options = dict(
        target=target, method=method, clusters=clusters, sample_rows=sample_rows, seed=seed,
        keep_index=keep_index,
    )
    empty = Report(**options)  # the options' errors, before any task runs
    state = _states(sdf, functools.partial(_report_task, options), Report) or empty
    plan = state.pass_two()
    while True:
        merged = _states(sdf, functools.partial(_report_pass2_task, plan.to_bytes()), ReportPass2)
        if merged is None or not merged.needs_another_pass:
            break
        plan = merged.another_pass()
    return state.result(merged or plan, top=top, alerts=alerts, source="<spark.DataFrame>")


def _groupby_task(job: tuple, batches: Iterator[Any]) -> Any:
    """The group-by state of one task's partition; ``job`` is ``(by, agg, with_)``."""
    by, agg, with_ = job
    return _fold(GroupBy(by, agg, with_, partition=_partition()), batches)


def groupby(
    sdf: Any,
    by: Union[str, Sequence[str]],
    agg: Any,
    with_: Union[str, Sequence[str], None] = None,
    sort: Optional[str] = None,
    descending: bool = False,
) -> pd.DataFrame:
    """``brisk.groupby`` of a Spark DataFrame (same arguments), as a pandas ``DataFrame``: one
    ``mapInArrow`` pass, each task emitting its partition's group-by state, merged on the
    driver. Rows are never shuffled: only the groups' accumulators travel."""
    _check(sdf)
    empty = GroupBy(by, agg, with_)  # the arguments' errors, before any task runs
    merged = _states(sdf, functools.partial(_groupby_task, (by, agg, with_)), GroupBy)
    return (merged or empty).result(sort, descending)
