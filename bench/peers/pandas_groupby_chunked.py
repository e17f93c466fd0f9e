"""pandas group-by in bounded memory: read_csv in chunks, per-chunk partial aggregates merged.

    python -m peers.pandas_groupby_chunked DATA.csv RESULT_JSON CHUNK_ROWS KEY AGG [AGG ...]

Each chunk of CHUNK_ROWS rows is grouped (dropna=False) into, per group and value column,
the non-null count, sum, min, max and the sum of squared deviations from the chunk's
group mean (var * (count - 1)); the partials are merged with Chan et al.'s pairwise
update, so std/var need no second pass and do not lose precision to cancellation.
"""

import math
import sys
import time

import pandas as pd

from peers.common import num, write_result
from peers.groupby_spec import parse, sort_key, value_columns


class Partial:
    __slots__ = ("n", "total", "mean", "m2", "lo", "hi")

    def __init__(self):
        self.n, self.total, self.mean, self.m2, self.lo, self.hi = 0, 0.0, 0.0, 0.0, math.inf, -math.inf

    def merge(self, n, total, var, lo, hi):
        if n == 0:
            return
        mean = total / n
        m2 = var * (n - 1) if n > 1 else 0.0
        nn = self.n + n
        delta = mean - self.mean
        self.m2 += m2 + delta * delta * self.n * n / nn
        self.mean += delta * n / nn
        self.n, self.total = nn, self.total + total
        self.lo, self.hi = min(self.lo, lo), max(self.hi, hi)

    def value(self, func):
        if func == "count":
            return self.n
        if func == "sum":
            return self.total
        if self.n == 0:
            return math.nan
        if func == "mean":
            return self.total / self.n
        if func == "min":
            return self.lo
        if func == "max":
            return self.hi
        var = self.m2 / (self.n - 1) if self.n > 1 else math.nan
        return math.sqrt(var) if func == "std" else var


def main(path, result_path, chunk_rows, key, *specs):
    aggs = parse(specs)
    values = value_columns(aggs)
    t0 = time.perf_counter()
    rows, sizes, parts = 0, {}, {}
    for chunk in pd.read_csv(path, usecols=[key, *values], chunksize=int(chunk_rows)):
        rows += len(chunk)
        g = chunk.groupby(key, dropna=False, sort=False)
        for k, size in g.size().items():
            k = None if pd.isna(k) else k
            sizes[k] = sizes.get(k, 0) + int(size)
        for col in values:
            part = g[col].agg(["count", "sum", "var", "min", "max"])
            for k, n, total, var, lo, hi in part.itertuples():
                k = None if pd.isna(k) else k
                parts.setdefault((k, col), Partial()).merge(int(n), total, var, lo, hi)
    records = []
    for k in sorted(sizes, key=sort_key):
        rec = {key: None if k is None else str(k)}
        for name, func, col in aggs:
            if col is None:
                rec[name] = sizes[k]
            else:
                v = parts.get((k, col), Partial()).value(func)
                rec[name] = int(v) if func == "count" else num(v)
        records.append(rec)
    seconds = time.perf_counter() - t0
    write_result(result_path, seconds, {"rows": rows, "groups": records})


if __name__ == "__main__":
    main(*sys.argv[1:])
