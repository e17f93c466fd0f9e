"""brisk.profile_block and brisk.profile_report: nesting, the decorator, NumPy's and brisk's
allocations, the table's columns and Amdahl's hints, and the state left behind."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import brisk

COLUMNS = [
    "name",
    "depth",
    "parent",
    "calls",
    "wall_seconds",
    "share",
    "peak_bytes",
    "allocations",
    "numpy_peak_bytes",
    "numpy_allocations",
    "if_halved",
    "if_free",
]


@pytest.fixture(autouse=True)
def empty_record():
    brisk.profile_report(reset=True)
    yield
    brisk.profile_report(reset=True)


def test_the_table_has_its_columns_even_when_empty():
    table = brisk.profile_report()
    assert list(table.columns) == COLUMNS
    assert table.empty


def test_nested_blocks_are_nested_stages():
    with brisk.profile_block("pipeline"):
        with brisk.profile_block("load"):
            with brisk.profile_block("parse"):
                pass
        with brisk.profile_block("clean"):
            pass
    with brisk.profile_block("write"):
        pass
    table = brisk.profile_report()
    assert table[["name", "depth"]].values.tolist() == [
        ["pipeline", 0],
        ["load", 1],
        ["parse", 2],
        ["clean", 1],
        ["write", 0],
    ]
    assert table["parent"].tolist()[1:4] == ["pipeline", "load", "pipeline"]
    assert table["parent"].isna().tolist() == [True, False, False, False, True]
    # An enclosing block lasts at least as long as what it encloses; shares are of the total.
    wall = dict(zip(table["name"], table["wall_seconds"]))
    assert wall["pipeline"] >= wall["load"] + wall["clean"]
    assert wall["load"] >= wall["parse"]
    total = wall["pipeline"] + wall["write"]
    np.testing.assert_allclose(table["share"], table["wall_seconds"] / total, rtol=1e-12)


def test_a_decorated_function_is_one_row_with_its_calls():
    @brisk.profile_block("step")
    def step(n: int) -> int:
        return n if n == 0 else step(n - 1) + 1

    assert step(2) == 2
    for _ in range(3):
        step(0)
    table = brisk.profile_report()
    # Recursion nests: step inside step inside step, each level one row.
    assert table[["name", "depth", "calls"]].values.tolist() == [
        ["step", 0, 4],
        ["step", 1, 1],
        ["step", 2, 1],
    ]


def test_a_numpy_allocation_of_a_known_size_is_counted():
    with brisk.profile_block("ones"):
        data = np.ones(1_000_000)
    row = brisk.profile_report().iloc[0]
    assert row["numpy_allocations"] >= 1
    assert row["numpy_peak_bytes"] >= data.nbytes
    assert row["peak_bytes"] >= data.nbytes
    assert row["allocations"] >= row["numpy_allocations"]


def test_an_enclosing_block_keeps_the_peak_of_a_freed_inner_allocation():
    with brisk.profile_block("outer"):
        with brisk.profile_block("temporary"):
            np.ones(1_000_000).sum()
        with brisk.profile_block("small"):
            np.ones(10)
    table = brisk.profile_report().set_index("name")
    assert table.loc["temporary", "numpy_peak_bytes"] >= 8_000_000
    assert table.loc["outer", "numpy_peak_bytes"] >= 8_000_000
    assert table.loc["small", "numpy_peak_bytes"] < 1_000_000


def test_a_brisk_kernel_allocations_are_counted():
    x = np.random.default_rng(0).normal(size=(2000, 50))
    with brisk.profile_block("covariance"):
        c = brisk.covariance(x)
    row = brisk.profile_report().iloc[0]
    # The 50×50 result alone is 20,000 bytes of brisk's heap.
    assert row["allocations"] - row["numpy_allocations"] >= 1
    assert row["peak_bytes"] - row["numpy_peak_bytes"] >= c.nbytes


def test_amdahl_hints_follow_brisk_profile():
    with brisk.profile_block("run"):
        with brisk.profile_block("slow"):
            sum(range(300_000))
        with brisk.profile_block("fast"):
            pass
    table = brisk.profile_report().set_index("name")
    # One top-level stage: the hints are those of the stages inside it.
    assert np.isnan(table.loc["run", "if_halved"])
    for name in ("slow", "fast"):
        p = table.loc[name, "share"]
        np.testing.assert_allclose(table.loc[name, "if_halved"], 1 / ((1 - p) + p / 2), rtol=1e-12)
        np.testing.assert_allclose(table.loc[name, "if_free"], 1 / (1 - p), rtol=1e-12)


def test_tracemalloc_is_left_as_it_was():
    assert not tracemalloc.is_tracing()
    with brisk.profile_block("a"):
        assert tracemalloc.is_tracing()
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        with brisk.profile_block("b"):
            pass
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()


def test_reset_empties_the_record_and_an_exception_still_ends_the_block():
    with pytest.raises(ZeroDivisionError):
        with brisk.profile_block("fails"):
            1 / 0
    assert brisk.profile_report(reset=True)["name"].tolist() == ["fails"]
    assert brisk.profile_report().empty


def test_an_open_block_is_measured_up_to_now_and_cannot_be_reset():
    with brisk.profile_block("open"):
        assert brisk.profile_report()["name"].tolist() == ["open"]
        with pytest.raises(brisk.BriskError, match="while a profile_block is open"):
            brisk.profile_report(reset=True)
    assert brisk.profile_report()["calls"].tolist() == [1]


def test_blocks_leave_brisk_profiling_off():
    with brisk.profile_block("a"):
        pass
    # Profiling is off again: a report run now leaves no stage behind.
    brisk.plot_feature_importance(["a"], [1.0])
    brisk.report()
    assert brisk.profile_report()["name"].tolist() == ["a"]


def test_one_block_object_may_be_entered_again_inside_itself():
    block = brisk.profile_block("again")
    with block:
        with block:
            pass
    table = brisk.profile_report()
    assert table[["name", "depth"]].values.tolist() == [["again", 0], ["again", 1]]


def test_stopping_tracemalloc_inside_a_block_ends_it_cleanly():
    with brisk.profile_block("stopped"):
        tracemalloc.stop()
    row = brisk.profile_report().iloc[0]
    assert (row["name"], row["numpy_allocations"]) == ("stopped", 0)
    assert not tracemalloc.is_tracing()
