"""The Dask and Spark test environment on its own, without brisk: each fixture runs a trivial job in the
shape brisk's engine code uses (a tree reduction over per-partition bytes on Dask; ``mapInArrow``
emitting one binary state per task on Spark), and its workers run this interpreter."""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def frame(rows: int = 1000) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    x = rng.standard_normal(rows)
    x[::10] = np.nan
    return pd.DataFrame({"x": x, "k": rng.integers(0, 5, rows), "s": ["a", "b"] * (rows // 2)})


# ---------------------------------------------------------------- Dask


def _state(part: pd.DataFrame) -> bytes:
    """A partition's stand-in state: [(first row label, rows, sum of x)]."""
    return pickle.dumps([(int(part.index[0]), len(part), float(part["x"].sum()))])


def _merge(states: pd.Series) -> bytes:
    """States arrive one per row of a Series, in partition order."""
    return pickle.dumps([entry for blob in states for entry in pickle.loads(blob)])


def _finish(states: pd.Series) -> list:
    return pickle.loads(_merge(states))


def test_dask_workers_run_this_interpreter(dask_client):
    workers = dask_client.run(lambda: sys.executable)
    assert len(workers) == 2
    assert set(workers.values()) == {sys.executable}


def test_dask_tree_reduction_of_bytes_keeps_partition_order(dask_client):
    import dask.dataframe as dd

    df = frame()
    ddf = dd.from_pandas(df, npartitions=7)
    for split_every in (2, 3, False):
        merged = ddf.reduction(
            _state, combine=_merge, aggregate=_finish, split_every=split_every, meta=("state", object)
        ).compute()
        firsts = [first for first, _, _ in merged]
        assert firsts == sorted(firsts) and len(firsts) == 7
        assert sum(rows for _, rows, _ in merged) == len(df)
        assert np.isclose(sum(total for _, _, total in merged), df["x"].sum(), rtol=1e-12)


def test_dask_map_partitions_knows_the_partition_number(dask_client):
    import dask.dataframe as dd

    def numbered(part, partition_info=None):
        return pd.DataFrame({"number": [partition_info["number"]], "first": [int(part.index[0])]})

    got = dd.from_pandas(frame(), npartitions=7).map_partitions(
        numbered, partition_info=True, meta={"number": "i8", "first": "i8"}
    ).compute()
    assert list(got["number"]) == list(range(7))
    assert list(got["first"]) == sorted(got["first"])


def test_dask_describe_matches_pandas_counts(dask_client):
    import dask.dataframe as dd

    df = frame()
    got = dd.from_pandas(df, npartitions=7).describe().compute()
    assert got.loc["count", "x"] == df["x"].count()
    assert np.isclose(got.loc["mean", "x"], df["x"].mean(), rtol=1e-12)


# ---------------------------------------------------------------- Spark


def test_spark_map_in_arrow_emits_one_state_per_task(spark):
    # Nested, so that it is pickled by value: Spark's workers cannot import the test modules.
    def task_state(batches):
        """One row per task: the partition number, the rows seen, a few KB of binary state."""
        from pyspark import TaskContext

        rows = sum(batch.num_rows for batch in batches)
        partition = TaskContext.get().partitionId()
        state = bytes([partition % 256]) * 4096 + rows.to_bytes(8, "little")
        yield pa.RecordBatch.from_arrays(
            [pa.array([partition], pa.int32()), pa.array([state], pa.binary()), pa.array([sys.executable])],
            names=["partition", "state", "python"],
        )

    df = frame()
    sdf = spark.createDataFrame(df).repartition(5)
    rows = sdf.mapInArrow(task_state, "partition int, state binary, python string").collect()
    assert sorted(row.partition for row in rows) == list(range(5))
    assert all(len(row.state) == 4096 + 8 for row in rows)
    assert sum(int.from_bytes(row.state[-8:], "little") for row in rows) == len(df)
    assert {row.python for row in rows} == {sys.executable}


def test_spark_reads_parquet_and_pandas(spark, tmp_path):
    df = frame()
    for i in range(3):
        pq.write_table(pa.Table.from_pandas(df.iloc[i::3], preserve_index=False), tmp_path / f"part-{i}.parquet")
    from_files = spark.read.parquet(str(tmp_path))
    assert from_files.count() == len(df)
    assert from_files.schema.fieldNames() == ["x", "k", "s"]
    from_pandas = spark.createDataFrame(df)
    row = from_pandas.selectExpr("count(x) AS n", "sum(k) AS k").first()
    assert row.n == df["x"].count() and row.k == df["k"].sum()
