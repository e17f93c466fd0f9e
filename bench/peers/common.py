"""Tiny helpers for peer scripts (kept free of heavy imports)."""

import json
import math
import time


def num(x):
    """JSON-safe float: non-finite -> None (same convention as brisk's JSON)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def write_result(path, seconds, stats):
    with open(path, "w") as f:
        json.dump({"seconds": seconds, "stats": stats}, f)


def threadpools():
    """The native thread pools the peer used (BLAS, OpenMP), e.g. "openblas 0.3.31 x2"; call after the timed work."""
    try:
        from threadpoolctl import threadpool_info  # installed with scikit-learn
    except ImportError:
        return []
    seen = []
    for p in threadpool_info():
        text = f"{p.get('internal_api')} {p.get('version') or ''} x{p.get('num_threads')}".replace("  ", " ")
        if text not in seen:
            seen.append(text)
    return seen


def join_main(argv, read_csv, count, join, write_csv):
    """The command line and clock of the join peers:

        LEFT.csv RESULT_JSON RIGHT.csv KEY count NAME OUT.csv  ->  count(left, right, KEY, NAME)
        LEFT.csv RESULT_JSON RIGHT.csv KEY left|inner OUT.csv  ->  join(left, right, KEY, HOW)

    Times read_csv of both files, the count or join, and write_csv(out, OUT); the result file
    holds the output's rows and columns.
    """
    left_path, result_path, right_path, key, how, *rest = argv
    out_path = rest[-1]
    t0 = time.perf_counter()
    left = read_csv(left_path)
    right = read_csv(right_path)
    out = count(left, right, key, rest[0]) if how == "count" else join(left, right, key, how)
    write_csv(out, out_path)
    seconds = time.perf_counter() - t0
    write_result(result_path, seconds, {"rows": len(out), "columns": list(out.columns)})
