"""scikit-learn's univariate F tests of a CSV's numeric columns against a target, as `brisk importance`.

    python -m peers.sklearn_importance DATA.csv RESULT_JSON TARGET classif|regression

pd.read_csv(DATA); the features are the numeric columns but TARGET; rows with a null in a
feature or in the target dropped (dropna(subset=features + [TARGET])); then f_classif(X, y)
or f_regression(X, y) with its defaults. All timed. The result file holds the features in
the file's order with their scores and p-values.
"""

import sys
import time

import pandas as pd
from sklearn.feature_selection import f_classif, f_regression

from peers.common import num, threadpools, write_result

TESTS = {"classif": f_classif, "regression": f_regression}


def scores(df, target, method):
    """{"features", "score", "p_value", "rows"} of TESTS[method] over df's numeric columns but target."""
    features = [c for c in df.columns if c != target and pd.api.types.is_numeric_dtype(df[c])]
    df = df.dropna(subset=[*features, target])
    score, p_value = TESTS[method](df[features].to_numpy(), df[target].to_numpy())
    return {"features": features, "score": [num(x) for x in score], "p_value": [num(x) for x in p_value],
            "rows": len(df)}


def main(path, result_path, target, method):
    t0 = time.perf_counter()
    result = scores(pd.read_csv(path), target, method)
    seconds = time.perf_counter() - t0
    write_result(result_path, seconds, {**result, "threads": threadpools()})


if __name__ == "__main__":
    main(*sys.argv[1:5])
