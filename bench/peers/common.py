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
