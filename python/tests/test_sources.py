"""What users pass as data: paths, pandas, polars and pyarrow tables through the Arrow C stream
interface, their column types, and every bad input as a ``BriskError`` with the command line's
message (the file, line and column; the column a job names), never a crash."""

from __future__ import annotations

import datetime
import gc

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import brisk
from brisk import BriskError
from brisk._sources import as_frame, as_source


def frame() -> pd.DataFrame:
    return pd.DataFrame({"x": [1.0, 2.0, np.nan], "s": ["a", "B", None], "k": [1, 2, 2]})


def test_as_source_passes_paths_and_names_tables(tmp_path):
    assert as_source(None) is None
    assert as_source(tmp_path / "a.csv") == str(tmp_path / "a.csv")
    assert as_source(frame()).brisk_name == "<pandas.DataFrame>"
    assert as_source(pl.from_pandas(frame())).brisk_name == "<polars.DataFrame>"
    assert as_source(pa.Table.from_pandas(frame())).brisk_name == "<pyarrow.Table>"
    # The pandas index is not a column.
    indexed = frame().set_index(pd.Index([10, 11, 12], name="idx"))
    assert list(brisk.describe(indexed).columns) == ["x", "s", "k"]


def test_as_frame_gives_the_callers_type():
    table = pa.table({"x": [1.0, 2.0], "s": ["a", None]})
    assert isinstance(as_frame(table.__arrow_c_stream__(), None), pd.DataFrame)
    assert isinstance(as_frame(table.__arrow_c_stream__(), frame()), pd.DataFrame)
    assert isinstance(as_frame(table.__arrow_c_stream__(), pl.DataFrame()), pl.DataFrame)
    assert as_frame(table.__arrow_c_stream__(), table).equals(table)


def test_an_unconsumed_stream_is_released():
    capsule = brisk._internal.groupby(None, ["species"], "count()", [], None, False)
    del capsule
    gc.collect()


def test_pandas_column_types_cross_intact():
    df = pd.DataFrame({
        "i": [1, 2, 3, 4],
        "f": [0.5, np.nan, 2.5, 1.0],
        "ni": pd.array([1, None, 3, 3], dtype="Int64"),
        "b": [True, False, True, True],
        "nb": pd.array([True, None, False, True], dtype="boolean"),
        "o": pd.Series(["a", None, "b", "a"], dtype=object),
        "c": pd.Categorical(["u", None, "v", "u"]),
        "t": pd.to_datetime(["2020-01-01", None, "2021-06-01 12:00", "2020-03-01"], format="ISO8601"),
        "tz": pd.date_range("2020-01-01", periods=4, tz="Europe/Paris"),
        "d": pd.to_timedelta([1, 2, 3, 4], unit="s"),
    })
    got = brisk.describe(df)
    assert got.loc["count"].to_dict() == df.count().to_dict()
    assert got.loc["mean", "i"] == 2.5 and got.loc["mean", "ni"] == pytest.approx(7 / 3)
    assert got.loc["mean", "d"] == 2.5  # durations in seconds
    assert (got.loc["top", "c"], got.loc["freq", "c"]) == ("u", 2)
    assert got.loc["max", "t"] == pd.Timestamp("2021-06-01 12:00")
    assert bool(got.loc["top", "b"]) is True


def test_polars_types_cross_intact():
    df = pl.DataFrame({
        "c": pl.Series(["a", "b", None, "a"], dtype=pl.Categorical),
        "d": [datetime.date(2020, 1, 1), None, datetime.date(2021, 1, 1), None],
        "u": pl.Series([1, 2, 3, 4], dtype=pl.UInt8),
        "s": ["x", "y", "x", None],
    })
    got = brisk.describe(df)
    assert (got.loc["top", "c"], got.loc["freq", "c"]) == ("a", 2)
    assert got.loc["count", "d"] == 2 and got.loc["max", "d"] == pd.Timestamp("2021-01-01")
    assert got.loc["mean", "u"] == 2.5
    out = brisk.groupby(df, "s", {"u": "sum"})
    assert isinstance(out, pl.DataFrame)
    assert out.to_dict(as_series=False) == {"s": ["x", "y", None], "u": [4, 2, 4]}


def test_empty_tables_are_not_an_error():
    assert brisk.describe(pd.DataFrame({"x": pd.Series([], dtype=float)})).loc["count", "x"] == 0
    assert brisk.describe(pd.DataFrame()).shape[1] == 0
    out = brisk.groupby(pl.DataFrame({"x": []}, schema={"x": pl.Float64}), "x", "count()")
    assert out.height == 0


# --- errors -----------------------------------------------------------------------------------


def raises(match: str):
    return pytest.raises(BriskError, match=match)


def test_files_that_are_missing_unknown_or_malformed(tmp_path):
    with raises("no such file"):
        brisk.describe(tmp_path / "missing.csv")
    with raises("unknown format"):
        brisk.clean_dataset(str(tmp_path / "data.xyz"))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3,4,5\n")
    # The file, line and column, as the command line says.
    for job in (brisk.describe, brisk.chunked_statistics, brisk.clean_dataset,
                lambda d: brisk.groupby(d, "a", "count()"), lambda d: brisk.join(d, d, "a")):
        with raises(rf"bad\.csv:3: column 3: the record has 3 fields"):
            job(str(bad))


@pytest.mark.parametrize("kind", ["path", "pandas", "polars", "pyarrow"])
def test_a_column_the_data_lacks_is_named(kind, tmp_path):
    df = frame()
    data = {"path": lambda: (df.to_csv(tmp_path / "f.csv", index=False), str(tmp_path / "f.csv"))[1],
            "pandas": lambda: df, "polars": lambda: pl.from_pandas(df),
            "pyarrow": lambda: pa.Table.from_pandas(df)}[kind]()
    calls = [
        lambda: brisk.clean_dataset(data, ["nope"]),
        lambda: brisk.clean_dataset(data, None, ["nope"]),
        lambda: brisk.groupby(data, "nope", {"x": "mean"}),
        lambda: brisk.groupby(data, "s", {"nope": "mean"}),
        lambda: brisk.groupby(data, "s", {"x": "mean"}, with_="y = nope * 2"),
        lambda: brisk.join(data, data, "nope"),
        lambda: brisk.join(data, data, "k", right_on="nope"),
        lambda: brisk.join(data, data, "nope", count="n"),
    ]
    for call in calls:
        with raises('"nope"'):
            call()


def test_bad_arguments():
    df = frame()
    with raises("holds text"):
        brisk.clean_dataset(df, ["s"])
    with raises("sigma"):
        brisk.clean_dataset(df, sigma=-1.0)
    with raises("chunk_size"):
        brisk.chunked_statistics(None, chunk_size=0)
    with raises("unknown function"):
        brisk.groupby(df, "s", "foo(x)")
    with raises("unknown aggregation"):
        brisk.groupby(df, "s", {"x": "mode"})
    with raises("not an output column"):
        brisk.groupby(df, "s", {"x": "mean"}, sort="zz")
    with raises("text"):
        brisk.groupby(df, "k", {"s": "mean"})
    with raises("how"):
        brisk.join(df, df, "k", how="outer")
    with raises("already has a column"):
        brisk.join(df, df, "k", count="x")


def test_data_brisk_cannot_read():
    with raises("expected a path"):
        brisk.describe([1, 2, 3])
    with raises(r"<pandas\.DataFrame>: cannot read it as an Arrow table"):
        brisk.describe(pd.DataFrame({"m": [1, "a"]}))
    with raises(r'column "t" has the Arrow type Time64'):
        brisk.describe(pa.table({"t": [datetime.time(1, 2)]}))
    with raises(r'column "l"'):
        brisk.describe(pl.DataFrame({"l": [[1], [2]]}))

    class NotACapsule:
        def __arrow_c_stream__(self, requested_schema=None):
            return 3

    with raises("did not return a PyCapsule"):
        brisk.describe(NotACapsule())

    class WrongCapsule:
        def __arrow_c_stream__(self, requested_schema=None):
            return pa.array([1]).__arrow_c_array__()[0]  # an "arrow_schema" capsule

    with raises("not an Arrow C stream"):
        brisk.describe(WrongCapsule())
