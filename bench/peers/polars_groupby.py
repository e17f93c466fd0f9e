"""Polars group-by on the streaming engine: scan_csv -> group_by -> agg -> collect(engine="streaming").

    python -m peers.polars_groupby DATA.csv RESULT_JSON KEY AGG [AGG ...]

Polars keeps the null key as a group of its own; groups are sorted by key, nulls last.
"""

import sys
import time

import polars as pl

from peers.common import num, write_result
from peers.groupby_spec import parse

EXPRS = {
    "count": lambda c: c.count(),
    "sum": lambda c: c.sum(),
    "mean": lambda c: c.mean(),
    "min": lambda c: c.min(),
    "max": lambda c: c.max(),
    "std": lambda c: c.std(ddof=1),
    "var": lambda c: c.var(ddof=1),
}


def main(path, result_path, key, *specs):
    aggs = parse(specs)
    exprs = [(pl.len() if col is None else EXPRS[func](pl.col(col))).alias(name) for name, func, col in aggs]
    exprs.append(pl.len().alias("\x00rows"))
    t0 = time.perf_counter()
    out = (pl.scan_csv(path).group_by(key).agg(exprs).sort(key, nulls_last=True)
           .collect(engine="streaming"))
    seconds = time.perf_counter() - t0
    records = []
    for row in out.iter_rows(named=True):
        rec = {key: row[key]}
        for name, func, _ in aggs:
            rec[name] = int(row[name]) if func == "count" else num(row[name])
        records.append(rec)
    write_result(result_path, seconds, {"rows": int(out["\x00rows"].sum()), "groups": records})


if __name__ == "__main__":
    main(*sys.argv[1:])
