"""pandas version of `brisk clean`: read_csv, the five cleaning steps, to_csv; all timed.

    python -m peers.pandas_clean DATA.csv RESULT_JSON OUT.csv [SIGMA]

1. df.drop_duplicates() (keep the first); 2. each numeric column's nulls filled with its
median; 3. each text column's nulls filled with its mode (Series.mode().iloc[0], the
smallest of tied values; an all-null column is left alone); 4. the text columns
lowercased (str.lower()); 5. rows dropped where some numeric column has
|x - mean| > SIGMA * std (ddof 1; every column's mean and std taken after step 2, before
any row is dropped). Then df.to_csv(OUT, index=False). The result file holds the same
report as `brisk clean --report`.
"""

import math
import os
import sys
import time

import pandas as pd

from peers.common import num, write_result


def clean(df, sigma, keep=()):
    """The five steps on every column but those in `keep` (which only count in step 1, as `brisk
    report` leaves its target alone). Returns (the cleaned frame, the report without "source")."""
    rows_in = len(df)
    numeric = [c for c in df.columns if c not in keep and pd.api.types.is_numeric_dtype(df[c])]
    text = [c for c in df.columns if c not in keep and c not in numeric]

    df = df.drop_duplicates()  # 1
    duplicates = rows_in - len(df)

    numeric_filled, categorical_filled, fill_values = {}, {}, {}
    for c in numeric:  # 2
        s = df[c]
        numeric_filled[c] = int(s.isna().sum())
        fill_values[c] = s.median()
        if numeric_filled[c]:
            df[c] = s.fillna(fill_values[c])
    for c in text:  # 3
        s = df[c]
        categorical_filled[c] = int(s.isna().sum())
        mode = s.mode()
        fill_values[c] = mode.iloc[0] if len(mode) else None
        if categorical_filled[c] and fill_values[c] is not None:
            df[c] = s.fillna(fill_values[c])
        elif fill_values[c] is None:
            categorical_filled[c] = 0  # a column with no values is left alone
    lowercased = lowercased_filled = 0
    for c in text:  # 4
        s = df[c]
        lower = s.str.lower()
        changed = (lower != s) & s.notna()
        lowercased += int(changed.sum())
        if categorical_filled[c] and fill_values[c] != fill_values[c].lower():
            lowercased_filled += categorical_filled[c]
        df[c] = lower

    bounds, outlier = {}, None  # 5
    for c in numeric:
        s = df[c]
        mean, std = s.mean(), s.std()
        bounds[c] = [num(mean - sigma * std), num(mean + sigma * std)] if math.isfinite(std) else [None, None]
        far = (s - mean).abs() > sigma * std
        outlier = far if outlier is None else (outlier | far)
    outliers = int(outlier.sum()) if outlier is not None else 0
    if outliers:
        df = df[~outlier]
    report = {
        "rows_in": rows_in, "duplicates_removed": duplicates,
        "numeric_filled": numeric_filled, "categorical_filled": categorical_filled,
        "fill_values": {c: (num(v) if c in numeric else (None if v is None else str(v)))
                        for c, v in fill_values.items()},
        "values_lowercased": lowercased, "outlier_rows_removed": outliers, "bounds": bounds,
        "rows_out": len(df), "sigma": sigma, "numeric_columns": numeric, "categorical_columns": text,
    }
    # Not part of the report: how many of the lowercased cells held a filled-in mode (step 3).
    report["_lowercased_filled_cells"] = lowercased_filled
    return df, report


def main(path, result_path, out_path, sigma="3"):
    t0 = time.perf_counter()
    df, report = clean(pd.read_csv(path), float(sigma))
    df.to_csv(out_path, index=False)
    seconds = time.perf_counter() - t0
    write_result(result_path, seconds, {"source": os.path.basename(path), **report})


if __name__ == "__main__":
    main(*sys.argv[1:])
