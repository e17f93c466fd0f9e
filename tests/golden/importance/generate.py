"""Generate the golden fixtures for brisk's feature-importance kernels and `brisk importance`.

Run from anywhere (paths are resolved relative to this file), with the pinned
environment of ../requirements.txt (scikit-learn 1.9.1, SciPy 1.17.1,
pandas 3.1.1, NumPy 2.4.6):

    ../.venv/bin/python generate.py

The script is deterministic (seeded ``numpy.random.default_rng``) and writes:

kernels.json -- cases for the library functions
    f_classif     X, labels, and the figures of
                  ``sklearn.feature_selection.f_classif(X, labels)``
    f_regression  X, y, and the figures of
                  ``sklearn.feature_selection.f_regression(X, y)``
                  (defaults ``center=True, force_finite=True``)
    f_sf          a grid of (f, dfn, dfd) and ``scipy.stats.f.sf(f, dfn, dfd)``

    Every f_classif / f_regression case holds two sets of figures:
      sklearn_scores, sklearn_p_values
          exactly what scikit-learn returns;
      scores, p_values
          the reference: scikit-learn's formula evaluated in exact rational
          arithmetic (``fractions.Fraction`` on the float inputs), rounded
          once to float64, with scikit-learn's own p-value call on that F
          (``scipy.special.fdtrc(k - 1, n - k, F)`` for f_classif,
          ``scipy.stats.f.sf(F, 1, n - 2)`` for f_regression) and its
          degenerate-case rules (see below).
      sklearn_agrees
          true when the two sets agree to 1e-10 relative (same NaN/inf
          pattern).  scikit-learn sums raw powers (sum x^2 - (sum x)^2 / n),
          so it loses digits on a column whose mean is large next to its
          spread, and its degenerate cases then depend on rounding noise
          (a column of 0.1, 0.7, 1.3 by class comes out as F = 8.1e15
          instead of inf, a column of 0.1 as F = -inf instead of NaN);
          those cases are marked false and carry a "note".

    Degenerate-case rules of the reference (scikit-learn's, on exact sums):
      f_classif:    SS_within = 0 and SS_between = 0 -> F = NaN, p = NaN
                    SS_within = 0 and SS_between > 0 -> F = inf, p = 0
      f_regression: a constant feature or constant y -> F = 0, p = 1
                    (force_finite turns the NaN correlation into 0)
                    SS_residual <= 2**-52 * SS_total (1 - r^2 below the
                    resolution of float64, where scikit-learn's r rounds to
                    +-1) -> F = float64 max, p = 0 (force_finite on F = inf)

    JSON has no NaN or infinity: NaN is null, +inf and -inf are the strings
    "inf" and "-inf".

    SciPy 1.17's F survival function (Boost's ibeta) sometimes returns 0 for
    values around 1e-300 that float64 can hold (e.g. 2.5e-298 for
    f = 24.16, dfn = 74, dfd = 11122).  Every 0 kept in these fixtures is a
    genuine underflow: the lower bound x^a y^b / (a B(a, b)) of
    I_x(a, b) (x = dfd / (dfd + dfn f), a = dfd / 2, b = dfn / 2) is below
    e^-760.  Grid points failing that check are left out and counted in
    kernels.json ("f_sf_left_out").

inputs/*.csv and expected/*.json -- cases for ``brisk importance``
    For ``brisk importance inputs/NAME.csv --target T [--method M]``:

        df = pandas.read_csv(path)
        features = [c for c in df.select_dtypes(include="number").columns
                    if c != T and c != row_index(df)]
        used = df.dropna(subset=features + [T])

    row_index(df) is a first column that is a row index written out as data
    (R's write.csv row names, read as "Unnamed: 0"; pandas' to_csv index; an
    id of row numbers): named "Unnamed: 0", "index" or "id" (any case), and
    holding exactly 0..n-1 or 1..n.  brisk leaves it out unless --keep-index.
        method = f_classif if M == "classif" or T is not numeric
                 else f_regression
        labels = used[T] (the distinct values are the classes)
        F, p = method(used[features].to_numpy(float64), labels or y)

    Output: {"target", "method": "f_classif" | "f_regression", "rows":
    len(used), "rows_dropped": len(df) - len(used), "features": [{"feature",
    "score", "p_value"}, ...]} sorted by score, highest first, NaN last, ties
    in column order; NaN is null.  The expected file is named
    NAME.TARGET.json without --method and NAME.TARGET.METHOD.json with it.
    The scores and p-values written are the exact reference above, so that no
    figure depends on scikit-learn's rounding; where scikit-learn's own output
    differs from it by more than 1e-10 relative (a column whose mean is large
    next to its spread, such as penguins' year), the script prints both and
    README.md lists them.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import special, stats
from sklearn.datasets import load_iris
from sklearn.feature_selection import f_classif, f_regression

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"
GOLDEN_INPUTS = HERE.parent / "inputs"

AGREE_TOL = 1e-10
FLOAT_MAX = float(np.finfo(np.float64).max)
# A genuine underflow: the lower bound of the survival function is below e^-760.
UNDERFLOW_LOG = -760.0


# --------------------------------------------------------------------------
# JSON helpers
# --------------------------------------------------------------------------

def enc(v) -> float | str | None:
    """A float as JSON: NaN -> null, +-inf -> "inf" / "-inf"."""
    v = float(v)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def enc_list(values) -> list:
    return [enc(v) for v in values]


def write_json(path: Path, obj, indent: int | None = 1) -> None:
    text = json.dumps(obj, indent=indent, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def short(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to `digits` significant digits, so the JSON stays small; every
    figure is computed from the rounded values."""
    return np.vectorize(lambda v: float(f"{v:.{digits}g}"))(values).astype(np.float64)


# --------------------------------------------------------------------------
# Exact references (scikit-learn's formulas in rational arithmetic)
# --------------------------------------------------------------------------

def exact_anova(X: np.ndarray, labels: np.ndarray) -> tuple[list, list]:
    classes = np.unique(labels)
    n, k = len(labels), len(classes)
    scores, p_values = [], []
    for j in range(X.shape[1]):
        col = [Fraction(float(v)) for v in X[:, j]]
        grand = sum(col, Fraction(0)) / n
        between = Fraction(0)
        within = Fraction(0)
        for c in classes:
            group = [v for v, l in zip(col, labels) if l == c]
            m = sum(group, Fraction(0)) / len(group)
            between += len(group) * (m - grand) ** 2
            within += sum(((v - m) ** 2 for v in group), Fraction(0))
        if within == 0:
            f = math.nan if between == 0 else math.inf
        else:
            f = float((between / (k - 1)) / (within / (n - k)))
        scores.append(f)
        p_values.append(float(special.fdtrc(k - 1, n - k, f)))
    return scores, p_values


def exact_regression(X: np.ndarray, y: np.ndarray) -> tuple[list, list]:
    n = len(y)
    df = n - 2
    ys = [Fraction(float(v)) for v in y]
    my = sum(ys, Fraction(0)) / n
    syy = sum(((v - my) ** 2 for v in ys), Fraction(0))
    scores, p_values = [], []
    for j in range(X.shape[1]):
        xs = [Fraction(float(v)) for v in X[:, j]]
        mx = sum(xs, Fraction(0)) / n
        sxx = sum(((v - mx) ** 2 for v in xs), Fraction(0))
        sxy = sum(((a - mx) * (b - my) for a, b in zip(xs, ys)), Fraction(0))
        if sxx == 0 or syy == 0:
            scores.append(0.0)
            p_values.append(1.0)
            continue
        regression = sxy * sxy / sxx
        residual = syy - regression
        if residual <= Fraction(2) ** -52 * syy:
            scores.append(FLOAT_MAX)
            p_values.append(0.0)
            continue
        f = float(df * regression / residual)
        scores.append(f)
        p_values.append(float(stats.f.sf(f, 1, df)))
    return scores, p_values


def close(a: float, b: float, tol: float = AGREE_TOL) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol * abs(b) or (b == 0 and abs(a) <= 1e-12)


def log_sf_lower_bound(f: float, dfn: float, dfd: float) -> float:
    """ln of x^a y^b / (a B(a, b)) <= I_x(a, b), the survival function at f."""
    a, b = dfd / 2, dfn / 2
    t = dfn * f
    ln_x = math.log(dfd) - math.log(dfd + t)
    ln_y = math.log(t) - math.log(dfd + t)
    return a * ln_x + b * ln_y - special.betaln(a, b) - math.log(a)


def check_zeros(name: str, scores, p_values, dfn: float, dfd: float) -> None:
    for f, p in zip(scores, p_values):
        if p == 0.0 and math.isfinite(f) and f != FLOAT_MAX:
            bound = log_sf_lower_bound(f, dfn, dfd)
            if bound > UNDERFLOW_LOG:
                raise SystemExit(f"{name}: p = 0 at F = {f} is not a genuine underflow")


# --------------------------------------------------------------------------
# kernels.json
# --------------------------------------------------------------------------

def classif_case(name: str, X: np.ndarray, labels: np.ndarray, note: str = "") -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk_f, sk_p = f_classif(X, labels)
    scores, p_values = exact_anova(X, labels)
    k = len(np.unique(labels))
    check_zeros(name, scores, p_values, k - 1, len(labels) - k)
    agrees = all(close(a, b) for a, b in zip(sk_f, scores)) and all(
        close(a, b) for a, b in zip(sk_p, p_values))
    case = {
        "name": name,
        "x": X.tolist(),
        "labels": [int(v) for v in labels],
        "scores": enc_list(scores),
        "p_values": enc_list(p_values),
        "sklearn_scores": enc_list(sk_f),
        "sklearn_p_values": enc_list(sk_p),
        "sklearn_agrees": agrees,
    }
    if note:
        case["note"] = note
    if not agrees and not note:
        raise SystemExit(f"{name}: scikit-learn disagrees with the exact figures; add a note")
    return case


def regression_case(name: str, X: np.ndarray, y: np.ndarray, note: str = "") -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk_f, sk_p = f_regression(X, y)
    scores, p_values = exact_regression(X, y)
    check_zeros(name, scores, p_values, 1, len(y) - 2)
    agrees = all(close(a, b) for a, b in zip(sk_f, scores)) and all(
        close(a, b) for a, b in zip(sk_p, p_values))
    case = {
        "name": name,
        "x": X.tolist(),
        "y": y.tolist(),
        "scores": enc_list(scores),
        "p_values": enc_list(p_values),
        "sklearn_scores": enc_list(sk_f),
        "sklearn_p_values": enc_list(sk_p),
        "sklearn_agrees": agrees,
    }
    if note:
        case["note"] = note
    if not agrees and not note:
        raise SystemExit(f"{name}: scikit-learn disagrees with the exact figures; add a note")
    return case


def labels_with_sizes(rng: np.random.Generator, ids: list[int], sizes: list[int]) -> np.ndarray:
    labels = np.concatenate([np.full(s, i) for i, s in zip(ids, sizes)])
    return rng.permutation(labels)


def class_effect(rng, labels, ids, effects, scale, offset, noise=1.0) -> np.ndarray:
    """offset + scale * (effect of the class + noise * N(0, 1))."""
    shift = np.array([effects[ids.index(int(l))] for l in labels])
    return offset + scale * (shift + noise * rng.standard_normal(len(labels)))


def classification_cases(rng: np.random.Generator) -> list[dict]:
    cases = []

    ids = [0, 1]
    labels = labels_with_sizes(rng, ids, [15, 25])
    X = np.column_stack([
        class_effect(rng, labels, ids, [0.0, 1.0], 1e-3, 0.0),
        class_effect(rng, labels, ids, [0.0, 0.2], 1.0, 5.0),
        class_effect(rng, labels, ids, [0.0, 0.0], 1e4, -3e4),
        class_effect(rng, labels, ids, [0.0, 3.0], 2.5, 100.0),
    ])
    cases.append(classif_case("two_classes_unequal", short(X, 9), labels))

    ids = [0, 1, 2]
    labels = labels_with_sizes(rng, ids, [10, 30, 50])
    X = np.column_stack([
        class_effect(rng, labels, ids, [0.0, 0.5, 1.0], 1e-6, 0.0),
        class_effect(rng, labels, ids, [0.3, 0.0, 0.1], 1e-2, 1.0),
        class_effect(rng, labels, ids, [0.0, 0.8, -0.4], 1.0, 0.0),
        class_effect(rng, labels, ids, [1.0, 0.0, 0.0], 1e3, 2e3),
        class_effect(rng, labels, ids, [0.0, 0.1, 0.2], 1e8, 0.0),
    ])
    cases.append(classif_case("three_classes_scales", short(X, 9), labels))

    labels = labels_with_sizes(rng, ids, [20, 25, 30])
    X = np.column_stack([
        class_effect(rng, labels, ids, [0.0, 0.4, 0.7], 1.0, 1e6),
        class_effect(rng, labels, ids, [0.0, 0.0, 0.0], 1.0, 1e6),
        class_effect(rng, labels, ids, [0.0, 0.4, 0.7], 1.0, 0.0),
    ])
    cases.append(classif_case(
        "mean_1e6", short(X, 15), labels,
        note="columns 0 and 1 have mean 1e6 and std 1: scikit-learn's raw power sums lose "
             "about 12 digits there; the reference is exact"))

    ids = [0, 2, 3, 5, 8, 13, 21]
    labels = labels_with_sizes(rng, ids, [5, 9, 12, 17, 20, 25, 32])
    X = np.column_stack([
        class_effect(rng, labels, ids, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 1.0, 0.0),
        class_effect(rng, labels, ids, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0], 0.01, 0.5),
        class_effect(rng, labels, ids, [0.0] * 7, 3.0, -7.0),
        class_effect(rng, labels, ids, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0], 1e5, 0.0),
    ])
    cases.append(classif_case("seven_classes_sparse_ids", short(X, 9), labels))

    ids = [0, 1, 2]
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2])
    pick = lambda values: np.array([values[l] for l in labels], dtype=np.float64)  # noqa: E731
    X = np.column_stack([
        np.full(12, 3.0),                          # constant (sklearn: 0/0 = NaN)
        pick([1.0, 2.0, 5.0]),                     # constant within classes: inf
        np.array([1.0, 2.0, 3.0, 2.0, 1.5, 2.5, 2.0, 0.0, 4.0, 2.0, 2.0, 2.0]),  # equal means: 0
        np.arange(12, dtype=np.float64),           # a plain column
    ])
    cases.append(classif_case("degenerate", X, labels))

    X = np.column_stack([
        np.full(12, 0.1),
        pick([0.1, 0.7, 1.3]),
    ])
    cases.append(classif_case(
        "degenerate_rounding", X, labels,
        note="0.1 and 0.7 are not exact in binary: scikit-learn's raw sums leave rounding "
             "noise, so its F for the constant column and for the column constant within "
             "classes are rounding artefacts; the exact figures are 0/0 = NaN and inf (p = 0)"))

    # Tiny p-values: separation grows from column to column; the last underflows.
    ids = [0, 1]
    labels = labels_with_sizes(rng, ids, [150, 150])
    noise = rng.standard_normal((300, 5))
    X = np.column_stack([
        noise[:, j] + gap * (labels == 1) for j, gap in enumerate([2.0, 3.0, 4.5, 6.0, 30.0])
    ])
    cases.append(classif_case("tiny_p_values", short(X, 9), labels))
    return cases


def regression_cases(rng: np.random.Generator) -> list[dict]:
    cases = []

    n = 80
    base = rng.standard_normal((n, 5))
    y = 3.0 * base[:, 0] - 1.0 * base[:, 1] + 0.2 * base[:, 2] + 2.0 * rng.standard_normal(n)
    X = np.column_stack([
        base[:, 0] * 1e-4,
        base[:, 1] * 10.0 + 50.0,
        base[:, 2] * 1e6,
        base[:, 3] - 7.0,
        base[:, 4] * 1e-8 + 1e-6,
    ])
    cases.append(regression_case("random", short(X, 9), short(y * 100.0 + 20.0, 9)))

    # y holds integers 0..n-1 in a shuffled order; column 4 is exactly uncorrelated.
    n = 24
    y = rng.permutation(n).astype(np.float64)
    order = np.argsort(y)
    pattern = np.empty(n)
    pattern[order] = np.tile([1.0, -1.0, -1.0, 1.0], n // 4)
    X = np.column_stack([
        np.full(n, 42.0),            # constant: F = 0, p = 1
        2.0 * y + 1.0,               # exactly linear: F = inf -> float max, p = 0
        -0.5 * y,                    # exactly linear, negative slope
        y + 0.25 * np.sin(y),        # a strong but imperfect fit
        pattern,                     # sum (x - mean)(y - mean) = 0 exactly: F = 0
    ])
    cases.append(regression_case("degenerate", X, y))

    n = 30
    y = rng.standard_normal(n)
    X = np.column_stack([
        np.full(n, 0.1),             # constant, not exact in binary
        3.0 * y + 1.0,               # linear up to rounding: 1 - r^2 ~ 1e-32
        y + 1e-6 * rng.standard_normal(n),  # 1 - r^2 ~ 1e-12
    ])
    cases.append(regression_case(
        "degenerate_rounding", X, y,
        note="scikit-learn's r for the nearly perfect fit (1 - r^2 ~ 1e-12) has only a few "
             "correct digits in 1 - r^2, and its sums leave rounding noise for the constant "
             "0.1 column; the reference is exact"))

    cases.append(regression_case("constant_y", short(rng.standard_normal((10, 3)), 9),
                                 np.full(10, 2.5)))

    n = 120
    x = rng.standard_normal((n, 4))
    y = rng.standard_normal(n)
    X = np.column_stack([y * 1.0 + 0.1 * x[:, 0], y + 0.03 * x[:, 1], y + 0.004 * x[:, 2],
                         y + 1e-6 * x[:, 3]])
    cases.append(regression_case(
        "tiny_p_values", short(X, 12), short(y, 12),
        note="1 - r^2 is down to 1e-12 in the last column, where scikit-learn's "
             "1 - r^2 keeps about four digits"))

    n = 60
    y = rng.standard_normal(n)
    X = np.column_stack([1e6 + y + rng.standard_normal(n), 1e6 + rng.standard_normal(n)])
    cases.append(regression_case(
        "mean_1e6", short(X, 15), short(y + 1e6, 15),
        note="features and y have mean 1e6 and std ~1: scikit-learn's moment formula for the "
             "feature norms loses most digits; the reference is exact"))
    return cases


def f_sf_grid() -> tuple[list, int]:
    fs = [1e-8, 1e-3, 0.1, 0.5, 1.0, 1.5, 3.0, 10.0, 50.0, 200.0, 1e3, 5e3, 1e5, 1e8]
    dfns = [0.5, 1.0, 2.0, 3.0, 6.0, 20.0, 100.0]
    dfds = [0.5, 1.0, 2.0, 5.0, 10.0, 50.0, 300.0, 1e4, 1e5, 1e6]
    rows, left_out = [], 0
    for dfd in dfds:
        for dfn in dfns:
            for f in fs:
                p = float(stats.f.sf(f, dfn, dfd))
                if p == 0.0 and log_sf_lower_bound(f, dfn, dfd) > UNDERFLOW_LOG:
                    left_out += 1
                    continue
                rows.append([f, dfn, dfd, p])
    # Edges: f <= 0 -> 1, f = inf -> 0, NaN f or invalid degrees of freedom -> NaN.
    for f, dfn, dfd in [(0.0, 3.0, 7.0), (-2.0, 3.0, 7.0), (math.inf, 3.0, 7.0),
                        (math.nan, 3.0, 7.0), (1.0, 0.0, 7.0), (1.0, 3.0, -1.0),
                        (1.0, math.inf, 7.0), (1.0, 3.0, math.inf)]:
        rows.append([f, dfn, dfd, float(stats.f.sf(f, dfn, dfd))])
    return [enc_list(r) for r in rows], left_out


def write_kernels(rng: np.random.Generator) -> None:
    grid, left_out = f_sf_grid()
    obj = {
        "description": "scikit-learn f_classif / f_regression and scipy.stats.f.sf; "
                       "see generate.py for how every figure was computed",
        "versions": {"scikit-learn": sklearn.__version__, "scipy": scipy.__version__,
                     "numpy": np.__version__},
        "conventions": {"nan": None, "+inf": "inf", "-inf": "-inf"},
        "f_classif": classification_cases(rng),
        "f_regression": regression_cases(rng),
        "f_sf_columns": ["f", "dfn", "dfd", "sf"],
        "f_sf": grid,
        "f_sf_left_out": left_out,
    }
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    # One case or grid row per line keeps diffs readable.
    text = text.replace(',{"name"', ',\n{"name"').replace('],[', '],\n[')
    (HERE / "kernels.json").write_text(text + "\n", encoding="utf-8")


# --------------------------------------------------------------------------
# CSV cases for `brisk importance`
# --------------------------------------------------------------------------

def write_inputs(rng: np.random.Generator) -> None:
    INPUTS.mkdir(exist_ok=True)
    shutil.copyfile(GOLDEN_INPUTS / "penguins.csv", INPUTS / "penguins.csv")

    # scikit-learn's iris.csv has a count header and integer labels; write it with names.
    iris = load_iris(as_frame=True)
    frame = iris.frame.rename(columns=lambda c: c.replace(" (cm)", "_cm").replace(" ", "_"))
    frame["species"] = [iris.target_names[t] for t in iris.target]
    frame = frame.drop(columns="target")
    frame.to_csv(INPUTS / "iris.csv", index=False)

    # Nulls in several spellings in features and target; a text column to ignore; an
    # integer feature; negative numbers.
    n = 60
    group = rng.choice(["north", "south", "east"], size=n, p=[0.5, 0.3, 0.2])
    effect = {"north": 0.0, "south": 1.5, "east": -1.0}
    height = np.array([170.0 + 4.0 * effect[g] for g in group]) + 6.0 * rng.standard_normal(n)
    weight = 0.9 * height - 80.0 + 5.0 * rng.standard_normal(n)
    visits = rng.integers(0, 12, n)
    score = 0.5 * weight + 3.0 * visits + 4.0 * rng.standard_normal(n)
    nulls = ["", "NA", "NaN", "null", "N/A", "None"]
    lines = ["id,group,height,weight,visits,comment,score"]
    for i in range(n):
        def cell(value, fmt, null_every, offset):
            if (i + offset) % null_every == 0:
                return nulls[(i // null_every) % len(nulls)]
            return fmt.format(value)
        g = group[i] if i % 11 != 5 else nulls[(i // 11) % len(nulls)]
        comment = ['"fine, thanks"', "ok", '"said ""hi"""', "n/a?", "12 apples"][i % 5]
        lines.append(",".join([
            str(i + 1),
            g,
            cell(height[i], "{:.1f}", 13, 3),
            cell(weight[i], "{:.2f}", 9, 4),
            cell(visits[i], "{:d}", 17, 2),
            comment,
            cell(score[i], "{:.3f}", 10, 7),
        ]))
    (INPUTS / "messy.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # An integer class target: regression by default, classes with --method classif.
    n = 45
    label = rng.integers(0, 3, n)
    a = 2.0 * label + rng.standard_normal(n)
    b = rng.standard_normal(n) * 10.0
    c = np.round(label * 0.5 + rng.standard_normal(n), 3)
    pd.DataFrame({"a": np.round(a, 4), "b": np.round(b, 4), "c": c, "label": label}).to_csv(
        INPUTS / "classes_int.csv", index=False)

    # A constant feature (nan for f_classif, 0 for f_regression) and a text column.
    n = 30
    target = rng.choice(["yes", "no"], size=n)
    signal = np.where(target == "yes", 1.0, 0.0) + rng.standard_normal(n)
    pd.DataFrame({
        "name": [f"item {i}" for i in range(n)],
        "constant": np.full(n, 5),
        "signal": np.round(signal, 4),
        "noise": np.round(rng.standard_normal(n), 4),
        "amount": np.round(signal * 3.0 + rng.standard_normal(n), 4),
        "target": target,
    }).to_csv(INPUTS / "constant_feature.csv", index=False)


def row_index(df: pd.DataFrame) -> str | None:
    """The first column when it is a row index written out as data, else None."""
    if df.shape[1] == 0:
        return None
    name = df.columns[0]
    s = df[name]
    if str(name).lower() not in ("unnamed: 0", "index", "id") or s.isna().any():
        return None
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or len(s) == 0:
        return None
    n = len(s)
    for start in (0, 1):
        if (s.to_numpy(dtype=np.float64) == np.arange(start, start + n, dtype=np.float64)).all():
            return name
    return None


def importance(path: Path, target: str, method: str | None) -> dict:
    df = pd.read_csv(path)
    index = row_index(df)
    features = [c for c in df.select_dtypes(include="number").columns
                if c != target and c != index]
    used = df.dropna(subset=features + [target])
    X = used[features].to_numpy(dtype=np.float64)
    numeric_target = pd.api.types.is_numeric_dtype(df[target]) and not pd.api.types.is_bool_dtype(
        df[target])
    classif = method == "classif" or not numeric_target
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if classif:
            labels = used[target].to_numpy()
            scores, p_values = f_classif(X, labels)
            codes = np.unique(labels, return_inverse=True)[1]
            ref_scores, ref_p = exact_anova(X, codes)
        else:
            y = used[target].to_numpy(dtype=np.float64)
            scores, p_values = f_regression(X, y)
            ref_scores, ref_p = exact_regression(X, y)
    for feature, f, p, rf, rp in zip(features, scores, p_values, ref_scores, ref_p):
        if math.isinf(rf):
            raise SystemExit(f"{path.name} / {target}: infinite score; choose other data")
        if not (close(f, rf) and close(p, rp)):
            DEVIATIONS.append(f"{path.name} --target {target}: {feature}: scikit-learn F = {float(f)!r}, "
                              f"p = {float(p)!r}; exact F = {rf!r}, p = {rp!r} "
                              f"(relative {abs(f - rf) / abs(rf):.1e})")
    order = sorted(range(len(features)),
                   key=lambda j: (math.isnan(ref_scores[j]),
                                  0.0 if math.isnan(ref_scores[j]) else -ref_scores[j]))
    return {
        "target": target,
        "method": "f_classif" if classif else "f_regression",
        "rows": int(len(used)),
        "rows_dropped": int(len(df) - len(used)),
        "features": [{"feature": features[j], "score": enc(ref_scores[j]),
                      "p_value": enc(ref_p[j])} for j in order],
    }


# Features where scikit-learn's own rounding moves its figures by more than 1e-10.
DEVIATIONS: list[str] = []


CSV_CASES = [
    ("penguins.csv", "species", None),
    ("penguins.csv", "body_mass_g", None),
    ("iris.csv", "species", None),
    ("messy.csv", "group", None),
    ("messy.csv", "score", None),
    ("classes_int.csv", "label", "classif"),
    ("classes_int.csv", "label", None),
    ("constant_feature.csv", "target", None),
    ("constant_feature.csv", "amount", None),
]


def write_expected() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for name, target, method in CSV_CASES:
        stem = Path(name).stem
        out = f"{stem}.{target}.{method}.json" if method else f"{stem}.{target}.json"
        write_json(EXPECTED / out, importance(INPUTS / name, target, method))


def main() -> None:
    rng = np.random.default_rng(20240611)
    write_kernels(rng)
    write_inputs(rng)
    write_expected()
    size = (HERE / "kernels.json").stat().st_size
    if size > 200_000:
        raise SystemExit(f"kernels.json is {size} bytes; keep it under 200 KB")
    print(f"kernels.json: {size} bytes; {len(CSV_CASES)} CSV cases", file=sys.stderr)
    for line in DEVIATIONS:
        print(f"scikit-learn rounding: {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
