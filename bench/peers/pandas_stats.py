"""pandas per-column statistics: read_csv + describe + skew + kurt + value_counts/nunique."""

import sys
import time

import pandas as pd

from peers.common import num, write_result


def main(path, result_path):
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    desc = df.describe()
    skew = df.skew(numeric_only=True)
    kurt = df.kurt(numeric_only=True)
    vc = df["category"].value_counts()
    nunique = df["category"].nunique()
    seconds = time.perf_counter() - t0

    rows = len(df)
    columns = []
    for name in desc.columns:
        d = desc[name]
        columns.append(
            {
                "name": name, "type": "numeric",
                "count": int(d["count"]), "null_count": rows - int(d["count"]),
                "mean": num(d["mean"]), "std": num(d["std"]), "min": num(d["min"]),
                "q25": num(d["25%"]), "median": num(d["50%"]), "q75": num(d["75%"]), "max": num(d["max"]),
                "skewness": num(skew[name]), "kurtosis": num(kurt[name]),
            }
        )
    count = int(vc.sum())
    columns.append(
        {
            "name": "category", "type": "categorical", "count": count, "null_count": rows - count,
            "unique": int(nunique), "top": str(vc.index[0]), "freq": int(vc.iloc[0]),
        }
    )
    write_result(result_path, seconds, {"rows": rows, "columns": columns})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
