"""Seeded generator for the benchmark CSV files.

    python gen_data.py --rows 10000000 --out data/stats_10m.csv

Columns: id (row number), normal, lognormal, heavy (Student-t, df=2), counts
(Poisson), near_1e9 (1e9 + N(0, 1e-3)), uniform, mixture (bimodal normal),
category (~50 Zipf-distributed words). About 1% of every numeric column's cells
(id excepted) are empty, and about 1% of the text cells. Floats are written with
9 decimals, except near_1e9, which is written in shortest round-trip form so its
1e-3 spread survives (~1e-7 resolution). 10 million rows make about 1 GB.

A sidecar file <out>.meta.json records the parameters and a hash of this
script; the file is regenerated when either changes, otherwise reused.
"""

import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import polars as pl

BLOCK_ROWS = 1_000_000
NULL_FRACTION = 0.01
FLOAT_DECIMALS = 9
POISSON_LAM = 4.0
ZIPF_S = 1.1

WORDS = """
alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike
november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee
zulu amber basil cedar dune ember fjord grove harbor island jasper kestrel lagoon
meadow nectar orchid pebble quartz river saffron thistle umber violet willow zephyr
""".split()
assert len(WORDS) == 50 and len(set(WORDS)) == 50


def data_label(rows):
    """Name suffix for a row count: 10000000 -> '10m', 200000 -> '200k'."""
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


def params(rows, seed):
    with open(__file__, "rb") as f:
        source_hash = hashlib.sha256(f.read()).hexdigest()
    return {"rows": rows, "seed": seed, "block_rows": BLOCK_ROWS, "generator_sha256": source_hash}


def with_nulls(rng, values, n):
    """Series with ~NULL_FRACTION of its cells set to null."""
    mask = rng.random(n) < NULL_FRACTION
    return pl.Series(values).scatter(np.flatnonzero(mask), None)


def block(rng, n, first_id):
    weights = 1.0 / np.arange(1, len(WORDS) + 1) ** ZIPF_S
    cat_idx = rng.choice(len(WORDS), size=n, p=weights / weights.sum())
    category = pl.Series(np.array(WORDS, dtype=object)[cat_idx], dtype=pl.String)
    near = 1e9 + rng.normal(0.0, 1e-3, n)
    bimodal = np.where(rng.random(n) < 0.3, rng.normal(-2.0, 0.5, n), rng.normal(3.0, 1.0, n))
    df = pl.DataFrame(
        {
            "id": np.arange(first_id, first_id + n, dtype=np.int64),
            "normal": with_nulls(rng, rng.standard_normal(n), n),
            "lognormal": with_nulls(rng, rng.lognormal(0.0, 1.0, n), n),
            "heavy": with_nulls(rng, rng.standard_t(2.0, n), n),
            "counts": with_nulls(rng, rng.poisson(POISSON_LAM, n).astype(np.int64), n),
            # Shortest round-trip text keeps every bit of the double.
            "near_1e9": with_nulls(rng, near, n).cast(pl.String),
            "uniform": with_nulls(rng, rng.random(n), n),
            "mixture": with_nulls(rng, bimodal, n),
            "category": with_nulls(rng, category, n),
        }
    )
    return df


def generate(rows, seed, out):
    rng = np.random.default_rng(seed)
    tmp = out + ".partial"
    with open(tmp, "wb") as f:
        done = 0
        while done < rows:
            n = min(BLOCK_ROWS, rows - done)
            block(rng, n, done).write_csv(f, include_header=(done == 0), float_precision=FLOAT_DECIMALS)
            done += n
    os.replace(tmp, out)


def ensure(rows, seed, out, force=False):
    """Generate `out` unless it exists with matching parameters. Returns seconds spent (0 if reused)."""
    meta_path = out + ".meta.json"
    want = params(rows, seed)
    if not force and os.path.exists(out) and os.path.exists(meta_path):
        with open(meta_path) as f:
            if json.load(f) == want:
                return 0.0
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if os.path.exists(meta_path):
        os.remove(meta_path)
    print(f"generating {out} ({rows:,} rows, seed {seed}) ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    generate(rows, seed, out)
    secs = time.perf_counter() - t0
    with open(meta_path, "w") as f:
        json.dump(want, f, indent=1)
    size = os.path.getsize(out) / 2**20
    print(f"generated {out}: {size:,.0f} MiB in {secs:.1f} s", file=sys.stderr, flush=True)
    return secs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", help="output CSV (default: data/stats_<rows>.csv next to this script)")
    ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
    a = ap.parse_args()
    out = a.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", f"stats_{data_label(a.rows)}.csv")
    ensure(a.rows, a.seed, out, a.force)


if __name__ == "__main__":
    main()
