"""Seeded generators for the report benchmarks `importance` and `pipeline`.

    python gen_report.py                     # every data set (importance, pipeline)
    python gen_report.py pipeline --force    # one data set, regenerated even if up to date

importance  data/importance_1m.csv   1,000,000 rows: 20 numeric features f00..f19 (6 decimals)
            and a text label with 5 classes of unequal sizes. Feature j is
            loc_j + scale_j * (z_j + shift[label, j]), scale_j log-uniform in [0.5, 5] and
            loc_j = scale_j * U(-1, 1) (a mean of the order of the spread, so that
            scikit-learn's raw power sums keep their digits); f00..f07 are informative
            (class shifts from 0.3 down to 0.001 standard deviations), f08..f10 also follow
            f00 (correlation 0.6, -0.1, 0.01: the f_regression variant scores them against
            f00), the others are noise. 0.1% of the feature cells and 0.05% of the labels
            are empty.
pipeline    data/pipeline_200k.csv   200,000 rows: 8 correlated numeric columns x1..x8 (4
            decimals; x1..x4 depend on the label), a text column city in mixed case and the
            label (5 classes). 1% of the cells of every column but label are empty (0.5% of
            label), 0.1% of the numeric cells are outliers (20 standard deviations out),
            and 2,000 rows repeat an earlier row (each placed after its original).

Written with Polars' CSV writer through a ".partial" file renamed when complete. A sidecar
<file>.meta.json records the parameters and a hash of this script; a data set is reused
only if that matches and its file exists, otherwise it is regenerated.
"""

import os

import numpy as np
import polars as pl

from gen_common import DataSets
from gen_frames import pick, write_csv_atomic, zipf_p

CLASSES = ["adelie", "chinstrap", "gentoo", "macaroni", "rockhopper"]
CLASS_P = [0.3, 0.25, 0.2, 0.15, 0.1]
CITIES = ["Lisbon", "LISBON", "lisbon", "Porto", "porto", "Braga", "Faro", "FARO", "Coimbra", "Évora"]

SPECS = {
    "importance": {"file": "importance_1m.csv", "rows": 1_000_000, "features": 20, "decimals": 6,
                   "shifts": [0.3, 0.1, 0.03, 0.01, 0.006, 0.004, 0.002, 0.001],
                   "follow_f00": [0.6, -0.1, 0.01], "null_fraction": 0.001, "label_null_fraction": 0.0005,
                   "block_rows": 250_000, "stream": 21},
    "pipeline": {"file": "pipeline_200k.csv", "rows": 200_000, "duplicates": 2_000, "numeric": 8, "decimals": 4,
                 "informative": 4, "null_fraction": 0.01, "label_null_fraction": 0.005,
                 "outlier_fraction": 0.001, "stream": 22},
}


def labels(rng, n, null_fraction):
    """The label column: CLASSES drawn with CLASS_P, null_fraction of them null."""
    cls = rng.choice(len(CLASSES), n, p=CLASS_P)
    return cls, pick(CLASSES, cls).scatter(np.flatnonzero(rng.random(n) < null_fraction), None)


def numeric_columns(rng, x, names, decimals, null_fraction):
    """Float columns of x rounded to `decimals`, null_fraction of the cells null."""
    x = np.round(x, decimals)
    x[rng.random(x.shape) < null_fraction] = np.nan
    return {name: pl.Series(name, x[:, j]).fill_nan(None) for j, name in enumerate(names)}


def gen_importance(rng, spec, path):
    n, d = spec["rows"], spec["features"]
    scale = np.exp(rng.uniform(np.log(0.5), np.log(5.0), d))
    loc = scale * rng.uniform(-1.0, 1.0, d)
    shift = np.zeros((len(CLASSES), d))
    shift[:, :len(spec["shifts"])] = rng.standard_normal((len(CLASSES), len(spec["shifts"]))) * spec["shifts"]
    follow = np.array(spec["follow_f00"])
    names = [f"f{j:02d}" for j in range(d)]

    def blocks():
        for i in range(0, n, spec["block_rows"]):
            m = min(spec["block_rows"], n - i)
            cls, label = labels(rng, m, spec["label_null_fraction"])
            z = rng.standard_normal((m, d))
            f = slice(8, 8 + len(follow))
            z[:, f] = follow * z[:, :1] + np.sqrt(1 - follow**2) * z[:, f]
            x = loc + scale * (z + shift[cls])
            cols = numeric_columns(rng, x, names, spec["decimals"], spec["null_fraction"])
            yield pl.DataFrame({**cols, "label": label})

    write_csv_atomic(path, blocks(), float_precision=spec["decimals"])


def gen_pipeline(rng, spec, path):
    n, d, dups = spec["rows"], spec["numeric"], spec["duplicates"]
    m = n - dups  # distinct rows
    cls, label = labels(rng, m, spec["label_null_fraction"])
    mix = np.eye(d) + np.triu(rng.uniform(-0.8, 0.8, (d, d)), 1) * (rng.random((d, d)) < 0.4)
    shift = np.zeros((len(CLASSES), d))
    shift[:, :spec["informative"]] = rng.standard_normal((len(CLASSES), spec["informative"]))
    z = rng.standard_normal((m, d)) @ mix + shift[cls]
    far = rng.random((m, d)) < spec["outlier_fraction"]
    z[far] += rng.choice([-20.0, 20.0], far.sum())
    scale = np.exp(rng.uniform(0.0, np.log(100.0), d))
    cols = numeric_columns(rng, scale * (z + 3.0), [f"x{j + 1}" for j in range(d)], spec["decimals"],
                           spec["null_fraction"])
    city = pick(CITIES, rng.choice(len(CITIES), m, p=zipf_p(len(CITIES))))
    cols["city"] = city.scatter(np.flatnonzero(rng.random(m) < spec["null_fraction"]), None)
    df = pl.DataFrame({**cols, "label": label})
    # Each repeated row goes somewhere after its original.
    src = rng.choice(m, dups, replace=False)
    key = np.r_[np.arange(m, dtype=np.float64), src + 0.5 + rng.random(dups) * (m - 1 - src)]
    order = np.r_[np.arange(m), src][np.argsort(key, kind="stable")]
    write_csv_atomic(path, [df[order]], float_precision=spec["decimals"])


GENERATORS = {"importance": gen_importance, "pipeline": gen_pipeline}


def paths(name, data_dir):
    return {"data": os.path.join(data_dir, SPECS[name]["file"])}


def complete(name, files):
    return os.path.isfile(files["data"]) and os.path.getsize(files["data"]) > 0


def describe(name, files):
    return f"{name} data", os.path.basename(files["data"])


DATA_SETS = DataSets(__file__, SPECS, paths, complete, describe,
                     lambda name, rng, files: GENERATORS[name](rng, SPECS[name], files["data"]))
# ensure(name, seed, data_dir, force=False) -> {"data": path}: generates data set `name` unless it is up to date.
ensure = DATA_SETS.ensure


if __name__ == "__main__":
    DATA_SETS.main(__doc__)
