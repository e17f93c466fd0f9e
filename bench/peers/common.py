"""Tiny helpers for peer scripts (kept free of heavy imports)."""

import json
import math


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
