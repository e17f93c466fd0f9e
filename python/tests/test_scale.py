"""``brisk.dask`` and ``brisk.spark`` on real files split into 1, 2, 7 and 64 partitions: the figures
are the single-machine ``brisk.describe`` result (exact quartiles, moments to 1e-12 relative) and
pandas'."""

from __future__ import annotations

import functools

import pytest

import brisk
from brisk import BriskError

from test_partial import (
    FILES,
    TARGETS,
    assert_pandas_figures,
    assert_same_figures,
    assert_same_report,
    frame,
    pieces,
)

dd = pytest.importorskip("dask.dataframe")


@pytest.mark.parametrize("parts", [1, 2, 7, 64])
@pytest.mark.parametrize("name", sorted(FILES))
def test_dask_describe_is_the_single_machine_one(dask_client, name: str, parts: int) -> None:
    import brisk.dask

    df = frame(name)
    ddf = dd.from_pandas(df, npartitions=parts, sort=False)
    got = brisk.dask.describe(ddf, split_every=3)
    assert_same_figures(got, brisk.describe(df))
    assert_pandas_figures(got, df)


def test_dask_one_pass_estimates_carry_their_bound(dask_client) -> None:
    import brisk.dask

    df = frame("diamonds")
    got = brisk.dask.describe(dd.from_pandas(df, npartitions=7), exact=False)
    assert 0 < got.attrs["rank_error"] < 0.25
    assert (got.loc["count"] == brisk.describe(df).loc["count"]).all()


def test_dask_refuses_what_is_not_a_dask_frame() -> None:
    import brisk.dask

    with pytest.raises(BriskError, match="Dask DataFrame"):
        brisk.dask.describe(frame("iris"))


def spark_frame(spark, df, parts: int):
    """``df`` as a Spark DataFrame whose partitions hold its rows in order: one ``createDataFrame``
    a piece, the pieces unioned (a union keeps its inputs' partitions, in order)."""
    frames = [spark.createDataFrame(p) if len(p) else None for p in pieces(df, parts)]
    frames = [f for f in frames if f is not None]
    return functools.reduce(lambda a, b: a.union(b), frames)


@pytest.mark.parametrize("parts", [1, 2, 7, 64])
@pytest.mark.parametrize("name", ["penguins", "diamonds", "mtcars"])
def test_spark_describe_is_the_single_machine_one(spark, name: str, parts: int) -> None:
    import brisk.spark

    df = frame(name)
    got = brisk.spark.describe(spark_frame(spark, df, parts))
    assert_same_figures(got, brisk.describe(df))
    assert_pandas_figures(got, df)


def test_spark_one_pass_and_errors(spark) -> None:
    import brisk.spark

    df = frame("iris")
    got = brisk.spark.describe(spark_frame(spark, df, 7), exact=False)
    assert (got.loc["count"] == brisk.describe(df).loc["count"]).all()
    with pytest.raises(BriskError, match="Spark DataFrame"):
        brisk.spark.describe(df)


@pytest.mark.parametrize("parts", [1, 2, 7, 64])
@pytest.mark.parametrize("name", ["penguins", "diamonds"])
def test_dask_report_is_the_single_machine_one(dask_client, name: str, parts: int) -> None:
    import brisk.dask

    df = frame(name)
    want = brisk.report(df, TARGETS[name], memory_limit=128 << 20).to_dict()
    got = brisk.dask.report(dd.from_pandas(df, npartitions=parts, sort=False), TARGETS[name])
    assert_same_report(got.to_dict(), want)


@pytest.mark.parametrize("parts", [1, 7])
def test_spark_report_is_the_single_machine_one(spark, parts: int) -> None:
    import brisk.spark

    df = frame("penguins")
    want = brisk.report(df, "species", memory_limit=128 << 20).to_dict()
    got = brisk.spark.report(spark_frame(spark, df, parts), "species")
    assert_same_report(got.to_dict(), want)


@pytest.mark.parametrize("parts", [1, 7, 64])
def test_dask_groupby_is_the_single_machine_one(dask_client, parts: int) -> None:
    import pandas as pd

    import brisk.dask

    df = frame("diamonds")
    agg = {"price": ["sum", "mean", "median"], "carat": "max"}
    want = brisk.groupby(df, ["cut", "color"], agg)
    got = brisk.dask.groupby(dd.from_pandas(df, npartitions=parts, sort=False), ["cut", "color"], agg)
    pd.testing.assert_frame_equal(got, want, rtol=1e-12)


@pytest.mark.parametrize("parts", [1, 7])
def test_spark_groupby_is_the_single_machine_one(spark, parts: int) -> None:
    import pandas as pd

    import brisk.spark

    df = frame("penguins")
    agg = {"body_mass_g": ["mean", "std", "nunique"]}
    want = brisk.groupby(df, "species", agg)
    got = brisk.spark.groupby(spark_frame(spark, df, parts), "species", agg)
    pd.testing.assert_frame_equal(got, want, rtol=1e-12)
