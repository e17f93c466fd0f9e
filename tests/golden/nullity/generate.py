"""Generate the golden fixture for brisk's nullity correlation (missingno's heatmap).

Run from anywhere (the fixture is written next to this file), with the pinned
environment of ../requirements.txt (pandas 3.1.1, NumPy 2.4.6):

    ../.venv/bin/python generate.py

The script is deterministic (seeded ``numpy.random.default_rng``) and writes
expected.json:

    rows          the number of rows
    columns       the column names
    nulls         per column, its null mask as a string of "0" and "1", one
                  character a row (row 0 first)
    null_counts   ``df.isnull().sum()``
    heatmap       the columns missingno's heatmap keeps: those whose null
                  indicator has a variance above 0 (``missingno.heatmap``
                  filters ``np.var(df.isnull(), axis='rows') > 0``), i.e. with
                  some but not all values missing
    corr          ``df[heatmap].isnull().corr()`` (Pearson), row by row

The table mixes the cases the heatmap meets: independent columns, a column
whose nulls nest in another's (positive correlation), one missing where another
is present (negative), a column without nulls, an all-null column, a column with
a single null, and two columns with the same mask (correlation 1).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 240


def table(rng):
    a = rng.random(ROWS) < 0.3
    b = a | (rng.random(ROWS) < 0.1)
    c = ~a & (rng.random(ROWS) < 0.4)
    d = np.zeros(ROWS, dtype=bool)
    e = np.ones(ROWS, dtype=bool)
    f = np.zeros(ROWS, dtype=bool)
    f[17] = True
    g = rng.random(ROWS) < 0.5
    h = g.copy()
    masks = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}
    values = rng.normal(size=(ROWS, len(masks)))
    df = pd.DataFrame(values, columns=list(masks))
    for name, mask in masks.items():
        df.loc[mask, name] = np.nan
    return df


def main():
    df = table(np.random.default_rng(20261207))
    null = df.isnull()
    heatmap = [name for name, var in zip(df.columns, np.var(null, axis="rows")) if var > 0]
    corr = df[heatmap].isnull().corr()
    fixture = {
        "rows": len(df),
        "columns": list(df.columns),
        "nulls": ["".join("1" if x else "0" for x in null[name]) for name in df.columns],
        "null_counts": [int(n) for n in null.sum()],
        "heatmap": heatmap,
        "corr": corr.to_numpy().tolist(),
    }
    path = Path(__file__).with_name("expected.json")
    path.write_text(json.dumps(fixture, indent=1) + "\n")


if __name__ == "__main__":
    main()
