"""Polars version of `brisk clean` (the same five steps as peers/pandas_clean.py), eager API; all timed.

    python -m peers.polars_clean DATA.csv RESULT_JSON OUT.csv [SIGMA]

read_csv with pandas' default null tokens and the whole file used for type inference
(quoted numbers parse as numbers); the integer columns that have nulls become Float64,
as pandas reads them. 1. unique(keep="first", maintain_order=True); 2. fill_null(median)
per numeric column; 3. fill_null(the smallest mode) per text column; 4. str.to_lowercase();
5. filter out rows with |x - mean| > SIGMA * std (ddof 1) in some numeric column, the
means and stds all taken after step 2. Then write_csv(OUT) (Polars' float format, e.g.
"1e-5" where pandas writes "1e-05"; the values are the same).
"""

import math
import os
import sys
import time

import polars as pl

from peers.common import num, write_result

# pandas.read_csv's default na_values (keep_default_na=True).
PANDAS_NULLS = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]


def main(path, result_path, out_path, sigma="3"):
    sigma = float(sigma)
    t0 = time.perf_counter()
    df = pl.read_csv(path, null_values=PANDAS_NULLS, infer_schema_length=None)
    rows_in = df.height
    numeric = [c for c, t in df.schema.items() if t.is_numeric()]
    text = [c for c in df.columns if c not in numeric]
    df = df.with_columns(pl.col(c).cast(pl.Float64) for c in numeric
                         if df.schema[c].is_integer() and df[c].null_count())

    df = df.unique(keep="first", maintain_order=True)  # 1
    duplicates = rows_in - df.height

    nulls = df.null_count().row(0, named=True)
    medians = df.select(pl.col(c).median() for c in numeric).row(0, named=True) if numeric else {}
    modes = df.select(pl.col(c).drop_nulls().mode().min() for c in text).row(0, named=True) if text else {}
    numeric_filled = {c: nulls[c] for c in numeric}
    categorical_filled = {c: (nulls[c] if modes[c] is not None else 0) for c in text}
    df = df.with_columns(  # 2, 3
        *[pl.col(c).fill_null(medians[c]) for c in numeric if nulls[c]],
        *[pl.col(c).fill_null(modes[c]) for c in text if nulls[c] and modes[c] is not None],
    )
    lower = df.with_columns(pl.col(c).str.to_lowercase() for c in text)  # 4
    lowercased = sum(int((df[c] != lower[c]).sum()) for c in text)
    df = lower
    bounds = {}
    if numeric:  # 5
        stats = df.select(*[pl.col(c).mean().alias(f"{c}\x00mean") for c in numeric],
                          *[pl.col(c).std(ddof=1).alias(f"{c}\x00std") for c in numeric]).row(0, named=True)
        far = []
        for c in numeric:
            mean, std = stats[f"{c}\x00mean"], stats[f"{c}\x00std"]
            if std is None or not math.isfinite(std):
                bounds[c] = [None, None]
                continue
            bounds[c] = [num(mean - sigma * std), num(mean + sigma * std)]
            far.append((pl.col(c) - mean).abs() > sigma * std)
        keep = ~pl.any_horizontal(far).fill_null(False) if far else pl.lit(True)
        before = df.height
        df = df.filter(keep)
        outliers = before - df.height
    else:
        outliers = 0
    df.write_csv(out_path)
    seconds = time.perf_counter() - t0

    report = {
        "source": os.path.basename(path), "rows_in": rows_in, "duplicates_removed": duplicates,
        "numeric_filled": numeric_filled, "categorical_filled": categorical_filled,
        "fill_values": {**{c: num(medians[c]) for c in numeric}, **{c: modes[c] for c in text}},
        "values_lowercased": lowercased, "outlier_rows_removed": outliers, "bounds": bounds,
        "rows_out": df.height, "sigma": sigma, "numeric_columns": numeric, "categorical_columns": text,
    }
    write_result(result_path, seconds, report)


if __name__ == "__main__":
    main(*sys.argv[1:])
