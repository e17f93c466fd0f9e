"""brisk's dataset jobs against pandas, called live: describe, chunked_statistics, clean_dataset,
groupby and join, on seeded random data and on the embedded penguins, for every kind of input (a
CSV path, pandas, polars and pyarrow tables). Tolerances are those of the command line's golden
tests: 1e-9 relative (1e-12 absolute near 0), 1e-7 for skewness and kurtosis."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import brisk

PENGUINS = Path(__file__).resolve().parents[2] / "crates" / "brisk-data" / "data" / "penguins.csv"
RTOL, ATOL = 1e-9, 1e-12
KINDS = ["path", "pandas", "polars", "pyarrow"]


def random_frame(seed: int, n: int = 600) -> pd.DataFrame:
    """Numbers with nulls and outliers, integers, text with nulls and capitals, duplicate rows."""
    rng = np.random.default_rng(seed)
    x = rng.normal(10.0, 3.0, n)
    x[rng.random(n) < 0.1] = np.nan
    x[:4] = [80.0, -70.0, 95.0, 60.0]
    g = rng.choice(["Red", "green", "BLUE", "Ölig", "blue"], n).astype(object)
    g[rng.random(n) < 0.08] = None
    df = pd.DataFrame({
        "x": x,
        "y": rng.exponential(2.0, n),
        "k": rng.integers(0, 6, n),
        "g": g,
        "h": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
    })
    return pd.concat([df, df.iloc[10:30]], ignore_index=True)


def penguins() -> pd.DataFrame:
    return pd.read_csv(PENGUINS)


def as_kind(df: pd.DataFrame, kind: str, tmp_path: Path, name: str = "data"):
    """``df`` as the caller would pass it."""
    if kind == "path":
        path = tmp_path / f"{name}.csv"
        df.to_csv(path, index=False)
        return str(path)
    if kind == "pandas":
        return df
    if kind == "polars":
        return pl.from_pandas(df)
    return pa.Table.from_pandas(df, preserve_index=False)


def to_pandas(frame) -> pd.DataFrame:
    if isinstance(frame, pd.DataFrame):
        return frame
    return frame.to_pandas()


def close(got, want, rtol: float = RTOL) -> bool:
    got, want = float(got), float(want)
    if math.isnan(got) or math.isnan(want):
        return math.isnan(got) and math.isnan(want)
    return abs(got - want) <= max(rtol * max(abs(got), abs(want)), ATOL)


def assert_frames_close(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same columns and rows; numbers within the tolerance, the rest equal."""
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    for c in want.columns:
        g, w = got[c].reset_index(drop=True), want[c].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(w) and not pd.api.types.is_bool_dtype(w):
            assert all(close(a, b) for a, b in zip(g.astype(float), w.astype(float))), c
        else:
            assert [None if pd.isna(v) else v for v in g] == [None if pd.isna(v) else v for v in w], c


DATA = {"random": lambda: random_frame(7), "penguins": penguins}


# --- describe ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", DATA)
def test_describe_matches_pandas_describe(which, kind, tmp_path):
    df = DATA[which]()
    got = brisk.describe(as_kind(df, kind, tmp_path))
    assert list(got.columns) == list(df.columns)
    numeric = df.describe()
    for c in numeric.columns:
        for row in numeric.index:
            assert close(got.loc[row, c], numeric.loc[row, c]), (c, row)
        assert close(got.loc["skewness", c], df[c].skew(), 1e-7)
        assert close(got.loc["kurtosis", c], df[c].kurt(), 1e-7)
        assert got.loc["null_count", c] == df[c].isna().sum()
    for c in df.columns.difference(numeric.columns):
        counts = df[c].value_counts()
        assert got.loc["count", c] == df[c].count()
        assert got.loc["unique", c] == df[c].nunique()
        assert got.loc["freq", c] == counts.max()
        assert counts[got.loc["top", c]] == counts.max()


def test_describe_of_the_embedded_penguins_is_that_of_the_file():
    a, b = brisk.describe(), brisk.describe(str(PENGUINS))
    pd.testing.assert_frame_equal(a, b)


def test_describe_of_booleans_dates_and_categories():
    df = pd.DataFrame({
        "flag": [True, False, True, None],
        "when": pd.to_datetime(["2024-01-02", "2023-05-06 07:08:09", None, "2024-03-01"],
                               format="ISO8601"),
        "cat": pd.Categorical(["b", "a", "b", None]),
        "icat": pd.Categorical([3, 1, 3, 3]),
    })
    got = brisk.describe(df)
    assert got.loc["count", "flag"] == 3
    assert (got.loc["unique", "flag"], got.loc["top", "flag"], got.loc["freq", "flag"]) == (2, True, 2)
    assert got.loc["min", "when"] == pd.Timestamp("2023-05-06 07:08:09")
    assert got.loc["max", "when"] == pd.Timestamp("2024-03-01")
    assert (got.loc["top", "cat"], got.loc["freq", "cat"], got.loc["null_count", "cat"]) == ("b", 2, 1)
    # Categories that are numbers are decoded to their values.
    assert close(got.loc["mean", "icat"], 2.5)


# --- chunked_statistics -----------------------------------------------------------------------


@pytest.mark.parametrize("which", DATA)
def test_chunked_statistics_matches_pandas_over_chunks(which, tmp_path):
    df = DATA[which]()
    path = as_kind(df, "path", tmp_path)
    chunks = pd.concat(pd.read_csv(path, chunksize=97))
    want = chunks.select_dtypes("number").agg(["mean", "std", "min", "max", "count"])
    got = brisk.chunked_statistics(path, chunk_size=97)
    assert list(got.index) == ["mean", "std", "min", "max", "count"]
    assert list(got.columns) == list(want.columns)
    assert (got.dtypes == "float64").all()
    for c in want.columns:
        for row in want.index:
            assert close(got.loc[row, c], want.loc[row, c]), (c, row)
    # The chunk size changes nothing beyond rounding.
    whole = brisk.chunked_statistics(path)
    for c in want.columns:
        assert all(close(a, b, 1e-12) for a, b in zip(got[c], whole[c]))


def test_chunked_statistics_with_every_column(tmp_path):
    df = random_frame(3)
    got = brisk.chunked_statistics(as_kind(df, "path", tmp_path), numeric_only=False)
    assert list(got.columns) == list(df.columns)
    assert got.loc["count", "g"] == df["g"].count()
    assert math.isnan(got.loc["mean", "g"])


# --- clean_dataset ----------------------------------------------------------------------------


def num(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def pandas_clean(df, sigma):
    """The pandas reference of ``brisk clean`` (the benchmark's peer): the five steps of exercise
    C.2 on every column. Returns the frame and the report (without ``source``)."""
    rows_in = len(df)
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    text = [c for c in df.columns if c not in numeric]
    df = df.drop_duplicates()
    duplicates = rows_in - len(df)
    numeric_filled, categorical_filled, fill_values = {}, {}, {}
    for c in numeric:
        s = df[c]
        numeric_filled[c] = int(s.isna().sum())
        fill_values[c] = s.median()
        if numeric_filled[c]:
            df[c] = s.fillna(fill_values[c])
    for c in text:
        s = df[c]
        categorical_filled[c] = int(s.isna().sum())
        mode = s.mode()
        fill_values[c] = mode.iloc[0] if len(mode) else None
        if categorical_filled[c] and fill_values[c] is not None:
            df[c] = s.fillna(fill_values[c])
    lowercased = lowercased_filled = 0
    for c in text:
        s = df[c]
        lower = s.str.lower()
        lowercased += int(((lower != s) & s.notna()).sum())
        if categorical_filled[c] and fill_values[c] != fill_values[c].lower():
            lowercased_filled += categorical_filled[c]
        df[c] = lower
    bounds, outlier = {}, None
    for c in numeric:
        s = df[c]
        mean, std = s.mean(), s.std()
        bounds[c] = [num(mean - sigma * std), num(mean + sigma * std)]
        far = (s - mean).abs() > sigma * std
        outlier = far if outlier is None else (outlier | far)
    outliers = int(outlier.sum()) if outlier is not None else 0
    if outliers:
        df = df[~outlier]
    report = {
        "rows_in": rows_in, "duplicates_removed": duplicates,
        "numeric_filled": numeric_filled, "categorical_filled": categorical_filled,
        "fill_values": {c: (num(v) if c in numeric else v) for c, v in fill_values.items()},
        "values_lowercased": lowercased, "outlier_rows_removed": outliers, "bounds": bounds,
        "rows_out": len(df), "numeric_columns": numeric, "categorical_columns": text,
    }
    return df, report, lowercased_filled


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", DATA)
@pytest.mark.parametrize("sigma", [3.0, 2.0])
def test_clean_dataset_matches_the_pandas_pipeline(which, kind, sigma, tmp_path):
    df = DATA[which]()
    data = as_kind(df, kind, tmp_path)
    before = df.copy()
    cleaned, report = brisk.clean_dataset(data, sigma=sigma)
    want, expected, filled_lowercased = pandas_clean(df.copy(), sigma)
    pd.testing.assert_frame_equal(df, before)
    assert report["source"] == (data if kind == "path" else f"<{kind}.{type(data).__name__}>")
    for key in ("rows_in", "duplicates_removed", "outlier_rows_removed", "rows_out",
                "numeric_columns", "categorical_columns"):
        assert report[key] == expected[key], key
    # pandas also counts the filled-in modes that lowercasing changes.
    assert report["values_lowercased"] in (
        expected["values_lowercased"], expected["values_lowercased"] - filled_lowercased)
    for key in ("numeric_filled", "categorical_filled"):
        for c, n in expected[key].items():
            assert report[key].get(c, 0) == n, (key, c)
    for c, v in expected["fill_values"].items():
        got = report["fill_values"][c]
        assert close(got, v) if isinstance(v, float) else got == v, c
    for c, (lo, hi) in expected["bounds"].items():
        assert close(report["bounds"][c][0], lo) and close(report["bounds"][c][1], hi), c
    assert report["sigma"] == sigma
    assert_frames_close(to_pandas(cleaned), want)


def test_clean_dataset_takes_the_named_columns_only(tmp_path):
    df = random_frame(11)
    cleaned, report = brisk.clean_dataset(df, ["y"], ["h"])
    assert report["numeric_columns"] == ["y"] and report["categorical_columns"] == ["h"]
    # g keeps its nulls and capitals; x its nulls.
    assert cleaned["g"].isna().any() and cleaned["x"].isna().any()
    assert cleaned["g"].str.contains("Red").any()


# --- groupby ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_groupby_matches_pandas_agg(kind, tmp_path):
    df = random_frame(5)
    got = brisk.groupby(
        as_kind(df, kind, tmp_path), ["g", "k"],
        {"x": ["mean", "std", "count"], "y": ["sum", "median", "var", "min", "max"],
         "n": ("h", "size"), "hs": ("h", "nunique")},
    )
    want = (df.groupby(["g", "k"], dropna=False, sort=True)
            .agg(x_mean=("x", "mean"), x_std=("x", "std"), x_count=("x", "count"),
                 y_sum=("y", "sum"), y_median=("y", "median"), y_var=("y", "var"),
                 y_min=("y", "min"), y_max=("y", "max"), n=("h", "size"), hs=("h", "nunique"))
            .reset_index())
    assert type(got) is type(as_kind(df, kind, tmp_path)) or kind == "path"
    assert_frames_close(to_pandas(got), want)


def test_groupby_with_derived_columns_and_sort_matches_a_pandas_method_chain():
    df = penguins()
    got = brisk.groupby(df, "species", {"ratio": ("ratio", "mean")},
                        with_="ratio = body_mass_g / flipper_length_mm",
                        sort="ratio", descending=True)
    want = (df.assign(ratio=df.body_mass_g / df.flipper_length_mm)
            .groupby("species", as_index=False).agg(ratio=("ratio", "mean"))
            .sort_values("ratio", ascending=False))
    assert_frames_close(got, want)


def test_groupby_takes_the_command_line_form():
    df = penguins()
    got = brisk.groupby(df, "island", "count(), mean(bill_length_mm) as bill")
    want = df.groupby("island", as_index=False).agg(
        **{"count()": ("island", "size"), "bill": ("bill_length_mm", "mean")})
    assert_frames_close(got, want)
    listed = brisk.groupby(df, "island", ["count()", "mean(bill_length_mm) as bill"])
    pd.testing.assert_frame_equal(listed, got)


# --- join -------------------------------------------------------------------------------------


def join_frames(seed: int):
    rng = np.random.default_rng(seed)
    left = pd.DataFrame({"id": rng.integers(0, 40, 300), "x": rng.normal(size=300),
                         "s": rng.choice(["p", "q"], 300)})
    right = pd.DataFrame({"id": rng.integers(0, 50, 200), "x": rng.normal(size=200),
                          "t": rng.choice(["u", "v", "w"], 200)})
    return left, right


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", ["left", "inner"])
def test_join_matches_pd_merge(kind, how, tmp_path):
    left, right = join_frames(1)
    got = brisk.join(as_kind(left, kind, tmp_path, "l"), as_kind(right, kind, tmp_path, "r"),
                     "id", how=how)
    want = pd.merge(left, right, on="id", how=how, suffixes=("", "_right"))
    assert_frames_close(to_pandas(got), want)


@pytest.mark.parametrize("kind", KINDS)
def test_count_join_counts_the_right_rows_of_each_key(kind, tmp_path):
    left, right = join_frames(2)
    got = brisk.join(as_kind(left, kind, tmp_path, "l"), as_kind(right, kind, tmp_path, "r"),
                     "id", count="n")
    want = left.assign(n=left["id"].map(right["id"].value_counts()).fillna(0).astype("int64"))
    assert_frames_close(to_pandas(got), want)


def test_join_on_differently_named_keys():
    left, right = join_frames(3)
    right = right.rename(columns={"id": "key"})
    got = brisk.join(left, right, "id", right_on="key")
    want = pd.merge(left, right, left_on="id", right_on="key", how="left", suffixes=("", "_right"))
    assert_frames_close(got, want)


# --- types in, types out; the input left alone -------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_output_frame_has_the_input_type_and_the_input_is_not_modified(kind, tmp_path):
    df = random_frame(9)
    data = as_kind(df, kind, tmp_path)
    expected = {"path": pd.DataFrame, "pandas": pd.DataFrame, "polars": pl.DataFrame,
                "pyarrow": pa.Table}[kind]
    snapshot = data.copy() if kind == "pandas" else data.clone() if kind == "polars" else data
    outputs = [
        brisk.clean_dataset(data)[0],
        brisk.groupby(data, "h", {"x": "mean"}),
        brisk.join(data, data, "k", count="n"),
    ]
    assert all(type(out) is expected for out in outputs)
    assert isinstance(brisk.describe(data), pd.DataFrame)
    if kind == "pandas":
        pd.testing.assert_frame_equal(data, snapshot)
    elif kind == "polars":
        assert data.equals(snapshot)


def test_a_record_batch_reader_is_read_once_and_gives_pyarrow():
    table = pa.Table.from_pandas(penguins(), preserve_index=False)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=50))
    got = brisk.describe(reader)
    assert got.loc["count", "bill_length_mm"] == 342
    # A table of many record batches, and categories differing between them.
    a = pa.table({"c": pa.array(["x", "y"]).dictionary_encode(), "v": [1.0, 2.0]})
    b = pa.table({"c": pa.array(["z", "z", "y"]).dictionary_encode(), "v": [3.0, 4.0, 5.0]})
    counts = brisk.groupby(pa.concat_tables([a, b]), "c", {"v": "sum"})
    assert counts.to_pydict() == {"c": ["x", "y", "z"], "v": [1.0, 7.0, 7.0]}
