"""Golden figures of the column profiles, computed by pandas.

Writes table.csv (a seeded table) and expected.json (pandas' figures for it) next to this
script; the tests of `brisk_data::profile` read both, so `cargo test` needs no Python.

    python generate.py
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
ROWS = 3_000


def table() -> pd.DataFrame:
    rng = np.random.default_rng(2026)
    n = rng.integers(-40, 400, ROWS).astype(float)
    n[rng.random(ROWS) < 0.05] = np.nan
    n[rng.random(ROWS) < 0.05] = 0
    x = np.round(rng.normal(0, 100, ROWS), 3)
    x[rng.random(ROWS) < 0.01] = np.inf
    x[rng.random(ROWS) < 0.01] = -np.inf
    words = ["Retail", "retail", "RETAIL", "Online", "online", "Été", "été", "日本",
             " padded", "trail ", "12", " 7", "3.5", "1e3", "x"]
    weights = np.arange(len(words), 0, -1, dtype=float)
    s = rng.choice(words, ROWS, p=weights / weights.sum()).astype(object)
    rare = rng.random(ROWS) < 0.3
    s[rare] = [f"id{k}" for k in rng.integers(0, 500, rare.sum())]
    s[rng.random(ROWS) < 0.04] = None
    b = rng.random(ROWS) < 0.3
    return pd.DataFrame({"n": n, "x": x, "s": s, "b": b})


def numeric(col: pd.Series) -> dict:
    counts = col.value_counts().sort_index()
    # Values as text: JSON has no infinity ("inf" and "-inf" parse in Rust).
    pairs = lambda c: [[repr(float(v)), int(k)] for v, k in c.items()]
    return {
        "distinct": int(col.nunique()),
        "zeros": int((col == 0).sum()),
        "negatives": int((col < 0).sum()),
        "infinite": int(np.isinf(col).sum()),
        "smallest": pairs(counts.head(5)),
        "largest": pairs(counts.tail(5)),
    }


def text(col: pd.Series) -> dict:
    values = col.dropna()
    top = values.value_counts().head(10)
    lengths = values.str.len()
    numeric_like = pd.to_numeric(values, errors="coerce").notna()
    groups = values.groupby(values.str.lower()).agg(lambda g: g.nunique())
    variants = sorted(
        sorted(set(values[values.str.lower() == key])) for key in groups[groups > 1].index
    )
    return {
        "distinct": int(values.nunique()),
        "top": [[v, int(k)] for v, k in top.items()],
        "other": int(len(values) - top.sum()),
        "length": [int(lengths.min()), int(lengths.max()), float(lengths.mean()),
                   float(lengths.median())],
        "padded": int((values != values.str.strip()).sum()),
        "numeric_like": int(numeric_like.sum()),
        "case_variants": variants,
    }


def main() -> None:
    frame = table()
    frame.to_csv(HERE / "table.csv", index=False, na_rep="NA")
    read = pd.read_csv(HERE / "table.csv")
    expected = {
        "n": numeric(read["n"]),
        "x": numeric(read["x"]),
        "s": text(read["s"]),
        "b": {"distinct": int(read["b"].nunique())},
    }
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
