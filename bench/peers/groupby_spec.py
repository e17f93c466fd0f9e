"""Aggregate specs shared by the groupby peers: "count()", "mean(normal)", ... as in brisk's --agg."""

import re

FUNCS = ("count", "sum", "mean", "min", "max", "std", "var")
_SPEC = re.compile(r"^\s*(\w+)\(\s*(\w*)\s*\)\s*$")


def parse(specs):
    """["count()", "mean(x)"] -> [("count()", "count", None), ("mean(x)", "mean", "x")]."""
    out = []
    for s in specs:
        m = _SPEC.match(s)
        if not m or m.group(1) not in FUNCS or (m.group(1) != "count" and not m.group(2)):
            raise SystemExit(f"unsupported aggregate {s!r} (supported: {', '.join(FUNCS)}; count() counts rows)")
        func, col = m.group(1), m.group(2) or None
        out.append((f"{func}({col or ''})", func, col))
    return out


def value_columns(aggs):
    return list(dict.fromkeys(col for _, _, col in aggs if col))


def sort_key(key):
    """Contract order: keys ascending (text by code point), the null key last."""
    return (key is None, "" if key is None else key)
