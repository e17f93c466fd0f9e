"""Partial states (``brisk.partial``) against the single-machine ``brisk.describe`` and pandas: real
files cut into 1, 2, 7 and 64 partitions, states pickled and merged in shuffled trees."""

from __future__ import annotations

import math
import pickle
import random
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import brisk
from brisk import BriskError
from brisk.partial import Quartiles, Stats

ROOT = Path(__file__).resolve().parents[2] / "tests" / "golden"
FILES = {
    "penguins": ROOT / "inputs" / "penguins.csv",
    "diamonds": ROOT / "report" / "inputs" / "diamonds.csv",
    "mtcars": ROOT / "report" / "inputs" / "mtcars.csv",
    "iris": ROOT / "inputs" / "iris.csv",
    "messy_small": ROOT / "report" / "inputs" / "messy_small.csv",
    "dates": ROOT / "inputs" / "dates.csv",
}
#: Rows of ``describe`` computed from moments: equal to 1e-12 relative, not bit for bit.
MOMENTS = {"mean", "std", "skewness", "kurtosis"}


def frame(name: str) -> pd.DataFrame:
    if name == "dates":
        return pd.read_csv(FILES[name], parse_dates=["day", "stamp", "precise"])
    return pd.read_csv(FILES[name])


def pieces(df: pd.DataFrame, parts: int) -> list[pd.DataFrame]:
    """``df`` cut into ``parts`` consecutive pieces (some empty when rows are fewer)."""
    bounds = np.linspace(0, len(df), parts + 1).round().astype(int)
    return [df.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def merged_in_a_shuffled_tree(states: list, seed: int):
    """The states, each pickled and read back, merged pairwise in a shuffled order until one."""
    states = [pickle.loads(pickle.dumps(s)) for s in states]
    rng = random.Random(seed)
    while len(states) > 1:
        rng.shuffle(states)
        a, b = states.pop(), states.pop()
        states.append(a.merge(b))
    return states[0]


def assert_same_figures(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.index) == list(want.index)
    assert list(got.columns) == list(want.columns)
    for column in want.columns:
        for row in want.index:
            a, b = got.at[row, column], want.at[row, column]
            if isinstance(b, float) and math.isnan(b):
                assert isinstance(a, float) and math.isnan(a), (row, column, a)
            elif row in MOMENTS and isinstance(b, float):
                # Relative to the column's scale: a mean or skewness of 0 is met to rounding.
                if row in ("mean", "std"):
                    scale = max(abs(want.at[r, column]) for r in ("min", "max"))
                else:
                    scale = 1.0
                assert abs(a - b) <= 1e-12 * max(abs(b), scale), (row, column, a, b)
            else:
                assert a == b, (row, column, a, b)


def assert_pandas_figures(got: pd.DataFrame, df: pd.DataFrame) -> None:
    """The numeric columns' figures are pandas' ``describe()``, ``skew()`` and ``kurt()``."""
    numeric = df.select_dtypes("number")
    if numeric.shape[1] == 0:
        return
    want = numeric.describe()
    want.loc["skewness"] = numeric.skew()
    want.loc["kurtosis"] = numeric.kurt()
    for column in numeric.columns:
        for row in want.index:
            a, b = float(got.at[row, column]), float(want.at[row, column])
            if math.isnan(b):
                assert math.isnan(a), (row, column)
            else:
                assert abs(a - b) <= 1e-9 * max(abs(b), 1.0), (row, column, a, b)


@pytest.mark.parametrize("parts", [1, 2, 7, 64])
@pytest.mark.parametrize("name", sorted(FILES))
def test_states_of_any_partitioning_give_describe(name: str, parts: int) -> None:
    df = frame(name)
    want = brisk.describe(df)
    cut = pieces(df, parts)
    first = merged_in_a_shuffled_tree(
        [Stats(partition=i).update(p) for i, p in enumerate(cut)], seed=parts
    )
    plan = first.quartile_pass()
    second = merged_in_a_shuffled_tree(
        [Quartiles.from_bytes(plan.to_bytes()).update(p) for p in cut], seed=parts + 1
    )
    assert not second.needs_another_pass
    got = first.result(quartiles=second)
    assert_same_figures(got, want)
    assert_pandas_figures(got, df)


def test_batches_of_every_kind_update_a_state() -> None:
    df = frame("penguins")
    want = brisk.describe(df)
    table = pa.Table.from_pandas(df, preserve_index=False)
    a, b, c = df.iloc[:100], table.slice(100, 100).to_batches()[0], pl.from_pandas(df.iloc[200:])
    state = Stats().update(a).update(b).update(c)
    passes = state.quartile_pass().update(a).update(b).update(c)
    assert_same_figures(state.result(passes), want)


def test_one_pass_estimates_and_their_bound() -> None:
    df = frame("diamonds")
    exact = brisk.describe(df)
    states = [Stats(partition=i).update(p) for i, p in enumerate(pieces(df, 7))]
    merged = merged_in_a_shuffled_tree(states, seed=1)
    estimate = merged.result(exact=False)
    # The bound is the largest bucket's share among those used: the tied values of `table`
    # (55.0, 56.0, ...) fill a bucket each, so it is loose there and tight for `price`.
    bound = estimate.attrs["rank_error"]
    assert 0 < bound < 0.25
    n = len(df)
    for column in df.select_dtypes("number").columns:
        values = np.sort(df[column].dropna().to_numpy())
        for row, q in [("25%", 0.25), ("50%", 0.5), ("75%", 0.75)]:
            rank = q * (len(values) - 1)
            slack = math.ceil(bound * n) + 1
            lo = values[max(0, math.floor(rank) - slack)]
            hi = values[min(len(values) - 1, math.ceil(rank) + slack)]
            assert lo <= estimate.at[row, column] <= hi, (column, row)
        for row in ("count", "min", "max"):
            assert estimate.at[row, column] == exact.at[row, column]


def test_exact_quartiles_without_pass_two_are_refused() -> None:
    state = Stats().update(frame("iris"))
    assert state.needs_quartile_pass
    with pytest.raises(BriskError, match="second pass"):
        state.result()


@pytest.mark.parametrize("damage", ["truncate", "flip", "version", "kind", "empty", "not_bytes"])
def test_damaged_states_are_refused(damage: str) -> None:
    state = Stats().update(frame("penguins"))
    data = bytearray(state.to_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
    elif damage == "version":
        data[8] ^= 0x01
    elif damage == "kind":
        data = bytearray(state.quartile_pass().to_bytes())
    elif damage == "empty":
        data = bytearray()
    if damage == "not_bytes":
        with pytest.raises(BriskError, match="bytes"):
            Stats.from_bytes("text")
        return
    with pytest.raises(BriskError) as error:
        Stats.from_bytes(bytes(data))
    message = str(error.value)
    expected = {
        "truncate": "truncated",
        "flip": "corrupt",
        "version": "format version",
        "kind": "quartiles (pass 2) state where a statistics",
        "empty": "not a brisk partial state",
    }[damage]
    assert expected in message, message
    # The state that was not refused is untouched by the attempt.
    assert state.rows == len(frame("penguins"))


def test_states_of_other_tables_options_or_types_do_not_merge() -> None:
    penguins = Stats().update(frame("penguins"))
    with pytest.raises(BriskError, match="other columns"):
        penguins.merge(Stats().update(frame("iris")))
    with pytest.raises(BriskError, match="other options"):
        penguins.merge(Stats(population=True))
    numbers = Stats().update(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(BriskError, match="holds numbers in one partition and text"):
        numbers.merge(Stats().update(pd.DataFrame({"x": ["a"]})))
    # A column with no value in one partition takes the other's type.
    empty = Stats().update(pd.DataFrame({"x": pd.Series([None, None], dtype=object)}))
    empty.merge(Stats().update(pd.DataFrame({"x": ["a", "b", "a"]})))
    got = empty.result()
    assert (got.at["count", "x"], got.at["top", "x"], got.at["null_count", "x"]) == (3, "a", 2)
    with pytest.raises(BriskError, match="merge takes a Stats"):
        penguins.merge(penguins.quartile_pass())


def test_a_state_merged_with_itself_counts_its_rows_twice() -> None:
    state = Stats().update(frame("iris"))
    assert state.merge(state).rows == 300


def test_wrong_arguments_are_errors() -> None:
    with pytest.raises(BriskError):
        Stats(partition=-1)
    with pytest.raises(BriskError):
        Stats(columns=[1, 2])
    with pytest.raises(BriskError, match="update takes a batch"):
        Stats().update("penguins.csv")
    with pytest.raises(BriskError, match="no column named"):
        Stats(columns=["nope"]).update(frame("iris"))


def test_text_whose_offsets_are_not_aligned_is_read() -> None:
    # As Dask's workers receive a pandas string column: its Arrow offsets at an odd address.
    offsets = np.array([0, 1, 3, 6], dtype=np.int64).tobytes()
    raw = bytearray(len(offsets) + 1)
    raw[1:] = offsets
    buffer = pa.py_buffer(raw).slice(1)
    assert buffer.address % 8
    text = pa.Array.from_buffers(pa.large_string(), 3, [None, buffer, pa.py_buffer(b"abbccc")])
    table = pa.table({"s": text})
    assert brisk.describe(table).at["unique", "s"] == 3
    assert Stats().update(table).result().at["top", "s"] == "a"


#: Report targets of the test files.
TARGETS = {"penguins": "species", "diamonds": "cut", "mtcars": "mpg", "iris": "virginica", "dates": "value"}
#: Figures a partitioned report does not give as one machine does: the cleaning (not run on
#: partitions), k-means (fitted on a seeded sample), and the name of the data.
NOT_COMPARED = {"source", "rows_out", "cleaning", "cleaning_warnings", "kmeans"}
#: Alerts made from the cleaning's figures.
CLEANING_ALERTS = {"duplicates", "rule_removes_category"}


def assert_same_report(got: dict, want: dict, path: str = "") -> None:
    """Two reports' figures equal, floats to 1e-12 relative (1e-15 absolute near 0)."""
    if isinstance(want, dict):
        keys = set(want) - NOT_COMPARED if not path else set(want)
        assert keys <= set(got), (path, keys - set(got))
        for k in keys:
            assert_same_report(got[k], want[k], f"{path}/{k}")
    elif isinstance(want, list):
        if path == "/alerts":
            want = [a for a in want if a["kind"] not in CLEANING_ALERTS]
        assert isinstance(got, list) and len(got) == len(want), path
        for i, (a, b) in enumerate(zip(got, want)):
            assert_same_report(a, b, f"{path}[{i}]")
    elif isinstance(want, float) and isinstance(got, float):
        if math.isnan(want):
            assert math.isnan(got), path
        else:
            assert abs(got - want) <= max(1e-12 * abs(want), 1e-15), (path, got, want)
    else:
        assert got == want, (path, got, want)


def partitioned_report(df: pd.DataFrame, target: str, parts: int):
    from brisk.partial import Report

    cut = pieces(df, parts)
    first = merged_in_a_shuffled_tree(
        [Report(target, partition=i).update(p) for i, p in enumerate(cut)], seed=parts
    )
    plan = first.pass_two()
    passes = [plan.for_partition(i).update(p) for i, p in enumerate(cut)]
    rng = random.Random(parts)
    rng.shuffle(passes)
    merged = pickle.loads(pickle.dumps(passes.pop()))
    for p in passes:
        merged.merge(pickle.loads(pickle.dumps(p)))
    assert not merged.needs_another_pass
    return first.result(merged)


@pytest.mark.parametrize("parts", [1, 2, 7, 64])
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_report_states_of_any_partitioning_give_the_report(name: str, parts: int) -> None:
    df = frame(name)
    # One machine with a memory limit that keeps no values (as states do: numeric distinct
    # counts are estimates) and samples every row for the pairwise correlations.
    want = brisk.report(df, TARGETS[name], memory_limit=128 << 20).to_dict()
    got = partitioned_report(df, TARGETS[name], parts)
    assert_same_report(got.to_dict(), want)
    assert got.html.startswith("<!DOCTYPE html>")


def test_report_states_refuse_damage_and_other_options() -> None:
    from brisk.partial import Report, ReportPass2

    df = frame("iris")
    state = Report("virginica").update(df)
    data = bytearray(state.to_bytes())
    data[len(data) // 3] ^= 0x08
    with pytest.raises(BriskError, match="corrupt"):
        Report.from_bytes(bytes(data))
    with pytest.raises(BriskError, match="report \\(pass 1\\) state where a report \\(pass 2\\)"):
        ReportPass2.from_bytes(state.to_bytes())
    with pytest.raises(BriskError):
        state.merge(Report("setosa", partition=1).update(df))
    with pytest.raises(BriskError, match="method"):
        Report("virginica", method="nope")


GROUPS = {
    "penguins": ("species", {"body_mass_g": ["mean", "std", "min", "max", "median", "count"],
                             "island": "nunique", "n": ("sex", "size")}),
    "diamonds": (["cut", "color"], {"price": ["sum", "mean", "var"], "carat": "max"}),
    "mtcars": ("cyl", "mean(mpg) as mpg, sum(hp) as hp, count()"),
}


@pytest.mark.parametrize("parts", [1, 2, 7, 64])
@pytest.mark.parametrize("name", sorted(GROUPS))
def test_groupby_states_of_any_partitioning_give_groupby(name: str, parts: int) -> None:
    from brisk.partial import GroupBy

    df = frame(name)
    by, agg = GROUPS[name]
    want = brisk.groupby(df, by, agg)
    states = [GroupBy(by, agg, partition=i).update(p) for i, p in enumerate(pieces(df, parts))]
    got = merged_in_a_shuffled_tree(states, seed=parts).result()
    pd.testing.assert_frame_equal(got, want, rtol=1e-12, check_dtype=True)


def test_groupby_states_refuse_damage_and_other_jobs() -> None:
    from brisk.partial import GroupBy

    df = frame("mtcars")
    state = GroupBy("cyl", {"mpg": "mean"}).update(df)
    with pytest.raises(BriskError, match="truncated"):
        GroupBy.from_bytes(state.to_bytes()[:-9])
    with pytest.raises(BriskError):
        state.merge(GroupBy("gear", {"mpg": "mean"}).update(df))
    with pytest.raises(BriskError, match="group-by state where"):
        Stats.from_bytes(state.to_bytes())
