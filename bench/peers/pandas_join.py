"""pandas version of `brisk join`: read both files, count or merge, to_csv; all timed.

    python -m peers.pandas_join LEFT.csv RESULT_JSON RIGHT.csv KEY count NAME OUT.csv
    python -m peers.pandas_join LEFT.csv RESULT_JSON RIGHT.csv KEY left|inner OUT.csv

count: counts = right.groupby(KEY).size(); out = left.merge(counts.rename(NAME),
left_on=KEY, right_index=True, how="left"); out[NAME] = out[NAME].fillna(0).astype("int64").
left|inner: left.merge(right, on=KEY, how=HOW, suffixes=("", "_right")).
Then out.to_csv(OUT, index=False).
"""

import sys

import pandas as pd

from peers.common import join_main


def count(left, right, key, name):
    counts = right.groupby(key).size()
    out = left.merge(counts.rename(name), left_on=key, right_index=True, how="left")
    out[name] = out[name].fillna(0).astype("int64")
    return out


def join(left, right, key, how):
    return left.merge(right, on=key, how=how, suffixes=("", "_right"))


def write_csv(out, path):
    out.to_csv(path, index=False)


if __name__ == "__main__":
    join_main(sys.argv[1:], pd.read_csv, count, join, write_csv)
