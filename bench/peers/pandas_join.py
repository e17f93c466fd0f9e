"""pandas version of `brisk join`: read both files, count or merge, to_csv; all timed.

    python -m peers.pandas_join LEFT.csv RESULT_JSON RIGHT.csv KEY count NAME OUT.csv
    python -m peers.pandas_join LEFT.csv RESULT_JSON RIGHT.csv KEY left|inner OUT.csv

count: counts = right.groupby(KEY).size(); out = left.merge(counts.rename(NAME),
left_on=KEY, right_index=True, how="left"); out[NAME] = out[NAME].fillna(0).astype("int64").
left|inner: left.merge(right, on=KEY, how=HOW, suffixes=("", "_right")).
Then out.to_csv(OUT, index=False).
"""

import sys
import time

import pandas as pd

from peers.common import write_result


def main(left_path, result_path, right_path, key, how, *rest):
    out_path = rest[-1]
    t0 = time.perf_counter()
    left = pd.read_csv(left_path)
    right = pd.read_csv(right_path)
    if how == "count":
        name = rest[0]
        counts = right.groupby(key).size()
        out = left.merge(counts.rename(name), left_on=key, right_index=True, how="left")
        out[name] = out[name].fillna(0).astype("int64")
    else:
        out = left.merge(right, on=key, how=how, suffixes=("", "_right"))
    out.to_csv(out_path, index=False)
    seconds = time.perf_counter() - t0
    write_result(result_path, seconds, {"rows": len(out), "columns": list(out.columns)})


if __name__ == "__main__":
    main(*sys.argv[1:])
