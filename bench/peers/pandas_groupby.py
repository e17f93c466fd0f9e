"""pandas group-by: read_csv of the needed columns, then groupby(dropna=False) aggregates.

    python -m peers.pandas_groupby DATA.csv RESULT_JSON KEY AGG [AGG ...]

AGG as brisk's --agg items: count() (rows), count(col) (non-null), sum, mean, min, max,
std, var (ddof 1) of a column. The null key is a group of its own, sorted last.
"""

import sys
import time

import pandas as pd

from peers.common import num, write_result
from peers.groupby_spec import parse, value_columns


def main(path, result_path, key, *specs):
    aggs = parse(specs)
    t0 = time.perf_counter()
    df = pd.read_csv(path, usecols=[key, *value_columns(aggs)])
    g = df.groupby(key, dropna=False, sort=True)
    cols = {}
    for name, func, col in aggs:
        cols[name] = g.size() if col is None else getattr(g[col], func)()
    out = pd.DataFrame(cols)
    seconds = time.perf_counter() - t0

    records = []
    for k, row in zip(out.index, out.itertuples(index=False)):
        rec = {key: None if pd.isna(k) else str(k)}
        for (name, func, _), v in zip(aggs, row):
            rec[name] = int(v) if func == "count" else num(v)
        records.append(rec)
    write_result(result_path, seconds, {"rows": len(df), "groups": records})


if __name__ == "__main__":
    main(*sys.argv[1:])
