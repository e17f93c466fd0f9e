"""Generate the golden fixture for brisk's association kernels: Spearman's rank
correlation, the chi-squared test of a contingency table, and the
bias-corrected Cramer's V.

Run from anywhere (paths are resolved relative to this file), with the pinned
environment of ../requirements.txt (SciPy 1.17.1, pandas 3.1.1, NumPy 2.4.6):

    ../.venv/bin/python generate.py

The script is deterministic (seeded ``numpy.random.default_rng``) and writes
expected.json:

    ranks        {values, ranks}: ``scipy.stats.rankdata(values, method="average")``
    spearman     {columns, matrix, pair, pair_rho}:
                 ``pandas.DataFrame(columns).corr(method="spearman")`` (pairwise
                 complete; columns with ties, NaN, a constant column and a column
                 with a single non-NaN value), and
                 ``scipy.stats.spearmanr(columns[i], columns[j]).statistic`` for
                 the complete pair ``pair = [i, j]``
    chi2_sf      rows [x, dof, ``scipy.stats.chi2.sf(x, dof)``]
    tables       {name, observed, corrected: {statistic, p_value, dof},
                 uncorrected: {...}, cramers_v}:
                 ``scipy.stats.chi2_contingency(observed, correction=True/False)``
                 and Bergsma's (2013) bias-corrected Cramer's V,
                     phi2 = chi2 / n  (chi2 without continuity correction)
                     phi2+ = max(0, phi2 - (k - 1)(r - 1) / (n - 1))
                     r~ = r - (r - 1)^2 / (n - 1), k~ = k - (k - 1)^2 / (n - 1)
                     V = sqrt(phi2+ / min(k~ - 1, r~ - 1))
                 (null where min(k~ - 1, r~ - 1) <= 0).

JSON has no NaN: NaN is null.

    python generate.py --check-ydata

does not write: run with an interpreter that has ydata-profiling, it checks
every ``cramers_v`` of expected.json against ydata-profiling's
``_cramers_corrected_stat(crosstab, correction=False)`` (which must agree to
1e-12 relative) and prints its figure with ``correction=True`` (ydata-profiling's
own call, which applies Yates' correction to 2 x 2 tables).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
from scipy import stats

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "expected.json"


def enc(v: float) -> float | None:
    v = float(v)
    return None if math.isnan(v) else v


def enc_list(values) -> list:
    return [enc(v) for v in values]


def rank_cases(rng: np.random.Generator) -> list[dict]:
    ties = rng.integers(0, 6, 25).astype(float)
    spread = np.round(rng.normal(0, 1e3, 15), 1)
    spread[[3, 9]] = spread[0]
    return [
        {"values": enc_list(v), "ranks": enc_list(stats.rankdata(v, method="average"))}
        for v in (ties, spread, np.array([-0.0, 0.0, 2.5, -1e300, 1e300, 2.5]))
    ]


def spearman_case(rng: np.random.Generator) -> dict:
    n = 40
    base = rng.normal(size=n)
    columns = {
        "ties": np.round(base * 2),
        "monotone": np.exp(base) + 0.1 * rng.normal(size=n),
        "coarse": rng.integers(0, 4, n).astype(float),
        "with_nan": np.round(-base + rng.normal(size=n), 1),
        "sparse_nan": rng.integers(0, 10, n).astype(float),
        "constant": np.full(n, 3.0),
        "one_value": np.full(n, np.nan),
    }
    columns["with_nan"][rng.choice(n, 8, replace=False)] = np.nan
    columns["sparse_nan"][[2, 17]] = np.nan
    columns["one_value"][5] = 1.5
    frame = pd.DataFrame(columns)
    matrix = frame.corr(method="spearman").to_numpy()
    pair = [0, 2]
    names = list(columns)
    rho = stats.spearmanr(frame[names[pair[0]]], frame[names[pair[1]]]).statistic
    return {
        "names": names,
        "columns": [enc_list(c) for c in columns.values()],
        "matrix": [enc_list(row) for row in matrix],
        "pair": pair,
        "pair_rho": enc(rho),
    }


def chi2_sf_grid() -> list[list[float]]:
    return [
        [x, dof, float(stats.chi2.sf(x, dof))]
        for dof in (1, 2, 3, 5, 12, 30, 100)
        for x in (0.01, 0.5, 1.0, 3.841458820694124, 10.0, 50.0, 150.0, 400.0)
    ]


def cramers_v(observed: np.ndarray) -> float:
    chi2 = stats.chi2_contingency(observed, correction=False).statistic
    n = observed.sum()
    r, k = observed.shape
    phi2 = chi2 / n
    phi2_corrected = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    r_corrected = r - (r - 1) ** 2 / (n - 1)
    k_corrected = k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_corrected - 1, r_corrected - 1)
    return math.nan if denominator <= 0 else math.sqrt(phi2_corrected / denominator)


def test_figures(observed: np.ndarray, correction: bool) -> dict:
    res = stats.chi2_contingency(observed, correction=correction)
    return {"statistic": float(res.statistic), "p_value": float(res.pvalue), "dof": int(res.dof)}


def table_cases(rng: np.random.Generator) -> list[dict]:
    def counts(shape, scale, association):
        r, c = shape
        base = np.outer(rng.uniform(1, 3, r), rng.uniform(1, 3, c))
        base += association * np.eye(r, c) * base.mean()
        return rng.poisson(scale * base / base.mean()).astype(float)

    tables = {
        "2x2 small counts": np.array([[3.0, 1.0], [2.0, 6.0]]),
        "2x2 Yates capped (|E - O| < 0.5)": np.array([[2.0, 1.0], [1.0, 1.0]]),
        "2x2 large": counts((2, 2), 400, 0.3),
        "2x3": np.array([[10.0, 10.0, 20.0], [20.0, 20.0, 20.0]]),
        "2x3 random": counts((2, 3), 30, 0.5),
        "4x5 random": counts((4, 5), 12, 0.8),
        "4x5 independent": counts((4, 5), 50, 0.0),
        "3x3 strong": counts((3, 3), 60, 6.0),
        "1x4": np.array([[3.0, 1.0, 4.0, 1.0]]),
        "3x2 one observation a row": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]),
        "2x2 fractional counts": np.array([[2.5, 0.75], [1.25, 4.0]]),
    }
    cases = []
    for name, observed in tables.items():
        assert (observed.sum(axis=0) > 0).all() and (observed.sum(axis=1) > 0).all(), name
        min_side = min(observed.shape)
        cases.append({
            "name": name,
            "observed": [list(map(float, row)) for row in observed],
            "corrected": test_figures(observed, True),
            "uncorrected": test_figures(observed, False),
            "cramers_v": enc(cramers_v(observed)) if min_side >= 2 else None,
        })
    return cases


def check_ydata() -> None:
    from ydata_profiling.model.pandas.correlations_pandas import _cramers_corrected_stat

    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for case in fixture["tables"]:
        crosstab = pd.DataFrame(case["observed"])
        plain = float(_cramers_corrected_stat(crosstab, correction=False))
        theirs = float(_cramers_corrected_stat(crosstab, correction=True))
        ours = case["cramers_v"]
        if ours is not None:
            assert abs(plain - ours) <= 1e-12 * max(abs(ours), 1e-300), (case["name"], plain, ours)
        print(f"{case['name']}: brisk {ours}, ydata-profiling correction=False {plain!r}, "
              f"correction=True {theirs!r}")


def main() -> None:
    if "--check-ydata" in sys.argv[1:]:
        check_ydata()
        return
    rng = np.random.default_rng(20261207)
    fixture = {
        "description": "scipy.stats.rankdata / spearmanr / chi2.sf / chi2_contingency, "
                       "pandas DataFrame.corr(method='spearman'), Bergsma's corrected Cramer's V; "
                       "see generate.py for how every figure was computed",
        "versions": {"scipy": scipy.__version__, "pandas": pd.__version__, "numpy": np.__version__},
        "ranks": rank_cases(rng),
        "spearman": spearman_case(rng),
        "chi2_sf": chi2_sf_grid(),
        "tables": table_cases(rng),
    }
    FIXTURE.write_text(json.dumps(fixture, indent=1, allow_nan=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
