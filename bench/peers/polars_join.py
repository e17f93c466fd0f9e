"""Polars version of `brisk join`: read both files, count or join, write_csv; all timed.

    python -m peers.polars_join LEFT.csv RESULT_JSON RIGHT.csv KEY count NAME OUT.csv
    python -m peers.polars_join LEFT.csv RESULT_JSON RIGHT.csv KEY left|inner OUT.csv

count: right.group_by(KEY).len(NAME), left-joined to left in left's order, nulls filled with 0.
left|inner: left.join(right, on=KEY, how=HOW, maintain_order="left_right", suffix="_right"),
left's rows in order, each with its matches in right's order, as pandas' merge.
Then write_csv(OUT) (Polars' number format: a left join's unmatched int columns stay
integers with empty cells where pandas writes floats such as "12.0"; the values are the same).
"""

import sys

import polars as pl

from peers.common import join_main


def count(left, right, key, name):
    counts = right.group_by(key).len(name=name)
    return (left.join(counts, on=key, how="left", maintain_order="left")
            .with_columns(pl.col(name).fill_null(0).cast(pl.Int64)))


def join(left, right, key, how):
    return left.join(right, on=key, how=how, maintain_order="left_right", suffix="_right")


if __name__ == "__main__":
    join_main(sys.argv[1:], pl.read_csv, count, join, pl.DataFrame.write_csv)
