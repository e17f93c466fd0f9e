"""Generate the golden fixtures for brisk's end-to-end tests.

Run from anywhere (paths are resolved relative to this file):

    python generate.py

It writes input files into ``inputs/`` (bad NumPy files into ``inputs/bad/``)
and expected results into ``expected/<input>.json`` (sample convention) and
``expected/<input>.population.json`` (population convention, only for
messy.csv, penguins.csv and f64_c.npy).  The script is deterministic: the
synthetic data come from ``numpy.random.default_rng`` with fixed seeds, and
the real data files are copied byte for byte from the pinned PyPI packages
listed in requirements.txt.

How each input is read (the "peer" frame):
    *.csv      pandas.read_csv(path)                 (all defaults)
    *.tsv      pandas.read_csv(path, sep="\\t")
    *.npy      pandas.DataFrame(numpy.load(path).astype(numpy.float64)),
               columns named "0", "1", ...; a 1-D array is one column "0";
               bool becomes 0.0/1.0
    *.parquet  pandas.read_parquet(path)             (pyarrow engine)

A column is "numeric" when pandas.api.types.is_numeric_dtype is true and
is_bool_dtype is false (int64, float64, nullable Int64, ...); "bool" when its
dtype is bool, or it is an object column whose non-null values are all Python
bools (pandas reads True/False with nulls as object; brisk keeps it boolean,
as the nullable "boolean" dtype would); every other column (str, object) is
"categorical".

Which peer call produced each figure (``s`` is the column; for numeric
columns ``x = pandas.Series(s.to_numpy(dtype="float64", na_value=nan))``):

    rows          len(frame)
    count         pandas.Series.count
    null_count    pandas.Series.isna().sum()
    numeric, sample convention (expected/<input>.json):
      mean        pandas.Series.mean            on x
      std         pandas.Series.std (ddof=1)    on x
      min / max   pandas.Series.min / pandas.Series.max on x
      q25         pandas.Series.quantile(0.25)  on x (linear interpolation)
      median      pandas.Series.quantile(0.5)   on x
      q75         pandas.Series.quantile(0.75)  on x
      skewness    pandas.Series.skew            on x (adjusted Fisher-Pearson G1)
      kurtosis    pandas.Series.kurt            on x (excess, G2)
    numeric, population convention (expected/<input>.population.json);
    v = the non-null values of x as a numpy array:
      std         numpy.std(v) (ddof=0)
      skewness    scipy.stats.skew(v, bias=True)
      kurtosis    scipy.stats.kurtosis(v, fisher=True, bias=True)
      all other figures as in the sample convention
    datetime (CSV columns whose every non-null value is an ISO 8601 date, read
    with parse_dates, as brisk finds them; Parquet timestamps; values = s.dropna()):
      min, max    str(values.min()), str(values.max())  (pandas' Timestamp text)
      range       str(values.max() - values.min())      (pandas' Timedelta text)
      histogram   timeline(values): values.dt.to_period(freq).value_counts() over
                  pandas.period_range(min, max, freq), freq the finest of s, min, h, D, W, M,
                  Y (then years // 10, 100, 1000) giving at most 100 periods
    bool (b = s.dropna().astype(bool)):
      true_count  int(b.sum())
      true_share  b.mean() (null when there are no values)
    categorical:
      unique      pandas.Series.nunique
      top, freq   pandas.Series.value_counts(): str() of the first index
                  entry and its count (null when there are no values)

Null and non-finite figures:
    * A figure that is undefined for lack of data is null: every figure when
      count == 0, std when count < 2 (sample), skewness when count < 3,
      kurtosis when count < 4 (sample), and skewness/kurtosis whenever the
      non-null values are all equal (documented deviation, see README.md).
    * A defined figure whose value is +inf, -inf or NaN (e.g. the mean of a
      column holding both inf and -inf) is written as null AND listed in the
      column's "nonfinite" object as "inf", "-inf" or "nan".

Floats are written by the standard json module (repr, full precision).
"""

from __future__ import annotations

import importlib.util
import io
import re
import json
import shutil
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.stats
from pandas.api.types import is_bool_dtype, is_numeric_dtype

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
BAD = INPUTS / "bad"
EXPECTED = HERE / "expected"

POPULATION_FOR = {"messy.csv", "penguins.csv", "f64_c.npy"}

# Every default pandas null token (pandas.read_csv na_values defaults).
NULL_TOKENS = [
    "", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "NULL", "null",
    "None", "<NA>", "#N/A", "#N/A N/A", "#NA", "1.#IND", "-1.#IND",
    "1.#QNAN", "-1.#QNAN",
]

NUMERIC_STATS = ["mean", "std", "min", "q25", "median", "q75", "max",
                 "skewness", "kurtosis"]


def warn(msg: str) -> None:
    print(f"WARNING: {msg}", file=sys.stderr)


def q(text: str) -> str:
    """Quote a CSV field, doubling embedded quotes."""
    return '"' + text.replace('"', '""') + '"'


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed; see requirements.txt")
    return Path(list(spec.submodule_search_locations)[0])


# --------------------------------------------------------------------------
# Inputs: real data copied from PyPI packages
# --------------------------------------------------------------------------

def copy_package_files() -> None:
    penguins = package_dir("palmerpenguins") / "data"
    shutil.copyfile(penguins / "penguins.csv", INPUTS / "penguins.csv")
    # The package calls the raw file "penguins-raw.csv".
    shutil.copyfile(penguins / "penguins-raw.csv", INPUTS / "penguins_raw.csv")
    # scikit-learn's wine_data.csv and breast_cancer.csv are not used: their
    # header row is shorter than the data rows, so pandas silently turns the
    # leading columns into the index.
    sk = package_dir("sklearn") / "datasets" / "data"
    shutil.copyfile(sk / "iris.csv", INPUTS / "iris.csv")
    # numpy test data: hex strings, ragged "## comment ##" rows (pandas pads
    # them with nulls), a header name with a leading space, all-distinct text.
    np_dir = package_dir("numpy")
    shutil.copyfile(np_dir / "_core" / "tests" / "data" / "umath-validation-set-log.csv",
                    INPUTS / "umath-validation-set-log.csv")
    shutil.copyfile(np_dir / "random" / "tests" / "data" / "pcg64-testset-1.csv",
                    INPUTS / "pcg64-testset-1.csv")


# --------------------------------------------------------------------------
# Inputs: synthetic messy text files
# --------------------------------------------------------------------------

TEXT_VALUES = [
    "plain",
    "with, comma",
    'say "hello"',
    "line one\nline two",
    'comma, and "quotes", twice',
    "tab\tinside",
    "trailing space ",
    " NA",                      # leading space: NOT a null token
    "naïve café",
    "東京",
    "a\n\nb, c",
    '""',                       # a value made of two quote characters
]


def write_messy_csv(rng: np.random.Generator) -> None:
    n = 2000
    header = ["normal", "lognormal", "int_nulls", "quoted_numbers",
              "padded_numbers", "null_tokens", "text", "constant", "all_null",
              "inf_values", "mixed", "ties", "flag"]
    cols: dict[str, list[str]] = {h: [] for h in header}

    normal = rng.normal(10.0, 2.0, n)
    lognormal = rng.lognormal(0.0, 3.0, n)
    ints = rng.integers(-500, 5000, n)
    int_null = rng.random(n) < 0.08
    quoted = rng.integers(0, 400, n) / 4
    padded = rng.normal(0.0, 100.0, n)
    tok_vals = rng.gamma(2.0, 3.0, n)

    # null tokens: every token at least twice quoted and twice unquoted
    tok_rows = rng.choice(n, size=len(NULL_TOKENS) * 4 + 40, replace=False)
    tok_cells: dict[int, str] = {}
    for k, row in enumerate(tok_rows):
        token = NULL_TOKENS[k % len(NULL_TOKENS)]
        quoted_token = (k // len(NULL_TOKENS)) % 2 == 1
        tok_cells[int(row)] = q(token) if quoted_token else token

    text_idx = rng.integers(0, len(TEXT_VALUES), n)
    text_null = rng.random(n) < 0.05

    inf_vals = rng.normal(0.0, 1.0, n)
    inf_special = {}
    special_rows = rng.choice(n, size=24, replace=False)
    for k, row in enumerate(special_rows):
        inf_special[int(row)] = ["inf", "-inf", "1e308", "Infinity",
                                 "-1e308", "-Infinity"][k % 6]

    mixed_vals = rng.integers(0, 40, n) / 2
    mixed_text_row = int(rng.integers(100, n - 100))
    mixed_null = rng.random(n) < 0.03

    # ties: delta and beta tie for most frequent; delta must be seen first,
    # and the very first value (gamma) is not among the most frequent.
    ties = np.array(["gamma"] * 400 + ["delta"] * 500 + ["beta"] * 500
                    + ["alpha"] * 400 + ["epsilon"] * 200, dtype=object)
    rng.shuffle(ties)
    first = {v: int(np.argmax(ties == v)) for v in ["beta", "delta"]}
    if first["beta"] < first["delta"]:
        swapped = ties.copy()
        swapped[ties == "beta"] = "delta"
        swapped[ties == "delta"] = "beta"
        ties = swapped
    g0 = int(np.argmax(ties == "gamma"))
    ties[0], ties[g0] = ties[g0], ties[0]

    flag = rng.random(n) < 0.6
    flag_null = rng.random(n) < 0.04

    for i in range(n):
        cols["normal"].append(f"{normal[i]:.6f}")
        cols["lognormal"].append(f"{lognormal[i]:.6g}")
        cols["int_nulls"].append("" if int_null[i] else str(ints[i]))
        cols["quoted_numbers"].append(q(f"{quoted[i]:g}") if i % 97 else q(""))
        p = f"{padded[i]:.3f}"
        cols["padded_numbers"].append(
            [f" {p}", f"{p} ", q(f"  {p} "), p][i % 4])
        cols["null_tokens"].append(tok_cells.get(i, f"{tok_vals[i]:.4f}"))
        cols["text"].append(
            ("" if i % 2 else q("NA")) if text_null[i]
            else q(TEXT_VALUES[text_idx[i]]))
        cols["constant"].append("42.5")
        cols["all_null"].append(NULL_TOKENS[i % 3])   # "", NA, N/A
        cols["inf_values"].append(inf_special.get(i, f"{inf_vals[i]:.5f}"))
        if i == mixed_text_row:
            cols["mixed"].append("unknown")
        elif mixed_null[i]:
            cols["mixed"].append("")
        else:
            cols["mixed"].append(f"{mixed_vals[i]:g}")
        cols["ties"].append(str(ties[i]))
        cols["flag"].append("" if flag_null[i] else str(bool(flag[i])))

    lines = [",".join(header)]
    lines += [",".join(cols[h][i] for h in header) for i in range(n)]
    (INPUTS / "messy.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_crlf_bom(rng: np.random.Generator) -> None:
    n = 50
    labels = ["alpha, beta", 'the "best"', "Zürich", "São Paulo", "plain"]
    notes = ["first line\r\nsecond line", "ok", "", "NA", "n/a, really"]
    lines = ["id,value,label,city,note"]
    for i in range(n):
        value = "" if i % 7 == 3 else f"{rng.normal(100, 15):.3f}"
        label = "" if i % 11 == 5 else q(labels[int(rng.integers(0, len(labels)))])
        city = ["Zürich", "Kraków", "Malmö", "Tōkyō"][i % 4]
        note_raw = notes[int(rng.integers(0, len(notes)))]
        note = "" if note_raw == "" else (note_raw if note_raw == "NA" else q(note_raw))
        lines.append(f"{i + 1},{value},{label},{city},{note}")
    data = "\ufeff" + "\r\n".join(lines) + "\r\n"
    (INPUTS / "messy_crlf_bom.csv").write_bytes(data.encode("utf-8"))


def write_tsv(rng: np.random.Generator) -> None:
    n = 100
    names = ["red fox", "grey wolf", "brown bear, large", "lynx", "otter"]
    lines = ["x\tcount\tname\tcomment"]
    for i in range(n):
        x = "" if i % 9 == 4 else f"{rng.normal(-3, 0.5):.4f}"
        count = str(int(rng.integers(0, 100)))
        name = names[int(rng.integers(0, len(names)))]
        comment = ["NULL", q("has\ta tab"), "plain words", q('a "quoted" word')][i % 4]
        lines.append(f"{x}\t{count}\t{name}\t{comment}")
        if i == 49:
            lines.append("")            # a blank line: pandas skips it
    (INPUTS / "messy.tsv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_small_csvs() -> None:
    (INPUTS / "one_row.csv").write_bytes(b"x,n,label,empty\n1.5,7,hello,\n")
    lines = ["c_float,c_int,c_text,c_with_nulls,single_value,zeros"]
    for i in range(10):
        with_nulls = "NA" if i % 2 else "1.0"
        single = "2.5" if i == 6 else ""
        zeros = "-0.0" if i % 3 == 0 else "0.0"
        lines.append(f"3.25,7,same,{with_nulls},{single},{zeros}")
    (INPUTS / "constant.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_dates(rng: np.random.Generator) -> None:
    """ISO 8601 dates, date-times and date-times with microseconds (with nulls), a bool column
    and a number, as CSV, and the same frame as Parquet (pyarrow): the same figures from both."""
    n = 300
    start = np.datetime64("1999-12-30")
    lines = ["day,stamp,precise,flag,value"]
    for i in range(n):
        day = "" if i % 17 == 3 else str(start + np.timedelta64(int(rng.integers(0, 9000)), "D"))
        seconds = int(rng.integers(0, 40 * 365 * 86400))
        stamp = pd.Timestamp("1990-01-01") + pd.Timedelta(seconds=seconds)
        micros = int(rng.integers(0, 10**6))
        precise = "NA" if i % 29 == 5 else (stamp + pd.Timedelta(microseconds=micros)).strftime(
            "%Y-%m-%dT%H:%M:%S.%f")
        flag = ["True", "False", "TRUE", "false"][int(rng.integers(0, 4))]
        lines.append(f"{day},{stamp.strftime('%Y-%m-%d %H:%M:%S')},{precise},{flag},"
                     f"{rng.normal(10, 3):.4f}")
    path = INPUTS / "dates.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = pd.read_csv(path, parse_dates=DATE_COLUMNS["dates.csv"])
    frame.to_parquet(INPUTS / "dates.parquet", index=False)


# --------------------------------------------------------------------------
# Inputs: NumPy and Parquet
# --------------------------------------------------------------------------

def write_npy(rng: np.random.Generator) -> None:
    base = rng.normal(0.0, 1.0, (200, 4)) * np.array([1.0, 10.0, 0.01, 1e4]) \
        + np.array([0.0, 50.0, -1.0, 3e5])
    for r, c in [(3, 0), (17, 1), (17, 2), (150, 3), (199, 0)]:
        base[r, c] = np.nan
    np.save(INPUTS / "f64_c.npy", np.ascontiguousarray(base))
    np.save(INPUTS / "f64_f.npy", np.asfortranarray(base))

    f32 = rng.normal(5.0, 2.0, (100, 3)).astype(np.float32)
    f32[10, 1] = np.nan
    np.save(INPUTS / "f32.npy", f32)

    i64 = np.column_stack([
        rng.integers(-10**9, 10**9, 50),
        rng.integers(0, 10, 50),
        rng.integers(-5, 5, 50),
    ]).astype(np.int64)
    np.save(INPUTS / "i64.npy", i64)
    np.save(INPUTS / "i32.npy", rng.integers(-1000, 1000, (60, 2)).astype(np.int32))
    u8 = rng.integers(0, 256, (80, 3)).astype(np.uint8)
    u8[:, 2] = 7                            # a constant column
    np.save(INPUTS / "u8.npy", u8)
    np.save(INPUTS / "bool.npy", rng.random((40, 2)) < 0.3)
    np.save(INPUTS / "f64_1d.npy", rng.exponential(2.0, 150))
    big = rng.normal(1.0, 3.0, (100, 2))
    big[5, 0] = np.nan
    np.save(INPUTS / "f64_big_endian.npy", big.astype(">f8"))


def write_bad_npy(rng: np.random.Generator) -> None:
    buf = io.BytesIO()
    np.save(buf, rng.normal(size=(100, 4)))
    full = buf.getvalue()
    header_len = len(full) - 100 * 4 * 8
    (BAD / "truncated.npy").write_bytes(full[: header_len + 1000])
    np.save(BAD / "unicode.npy", np.array([["alpha", "beta"], ["gamma", "delta"]], dtype="<U5"))
    np.save(BAD / "complex.npy", (rng.normal(size=(5, 2)) + 1j * rng.normal(size=(5, 2))).astype(np.complex128))
    np.save(BAD / "object.npy", np.array([[1, "a"], [None, 2.5]], dtype=object), allow_pickle=True)
    (BAD / "not_npy.npy").write_bytes(b"NOTNPY" + rng.bytes(250))
    np.save(BAD / "three_d.npy", rng.normal(size=(2, 3, 4)))


def write_parquet(rng: np.random.Generator) -> None:
    n = 500
    f = rng.normal(20.0, 5.0, n)
    f[rng.random(n) < 0.1] = np.nan
    i_nulls = pd.array(rng.integers(-50, 50, n), dtype="Int64")
    i_nulls[rng.random(n) < 0.15] = pd.NA
    words = np.array(["north", "south", "east", "west", "centre, old town"], dtype=object)
    s = words[rng.integers(0, len(words), n)]
    s[rng.random(n) < 0.08] = None
    df = pd.DataFrame({
        "f": f,
        "i": rng.integers(0, 10**6, n).astype(np.int64),
        "i_nulls": i_nulls,
        "s": pd.array(s, dtype="str"),
        "b": rng.random(n) < 0.45,
    })
    df.to_parquet(INPUTS / "mixed.parquet", index=False)


# --------------------------------------------------------------------------
# Expected results
# --------------------------------------------------------------------------

# The date-time columns of dates.csv, which write_dates parses to write dates.parquet.
DATE_COLUMNS = {"dates.csv": ["day", "stamp", "precise"]}

# An ISO 8601 date, optionally with a time and an offset: the values brisk reads as dates.
ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
                      r"(Z|[+-]\d{2}(:?\d{2})?)?)?")


def iso_date_columns(path: Path, sep: str) -> list[str]:
    """The columns brisk reads as date-times: every non-null value an ISO 8601 date."""
    text = pd.read_csv(path, sep=sep, dtype=str)
    return [c for c in text.columns
            if text[c].notna().any()
            and text[c].dropna().map(lambda v: ISO_8601.fullmatch(v) is not None).all()]


def read_input(path: Path) -> pd.DataFrame:
    suffix = path.suffix
    if suffix == ".csv":
        return pd.read_csv(path, parse_dates=iso_date_columns(path, ","))
    if suffix == ".tsv":
        return pd.read_csv(path, sep="\t", parse_dates=iso_date_columns(path, "\t"))
    if suffix == ".npy":
        arr = np.load(path).astype(np.float64)
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        return pd.DataFrame(arr, columns=[str(i) for i in range(arr.shape[1])])
    if suffix == ".parquet":
        return pd.read_parquet(path)
    raise ValueError(path)


def finite_or_flag(value, name: str, defined: bool, nonfinite: dict, label: str):
    if not defined:
        if value is not None and np.isfinite(value):
            warn(f"{label}: {name} undefined here but peer gave {value!r}; writing null")
        return None
    value = float(value)
    if np.isnan(value):
        nonfinite[name] = "nan"
        return None
    if np.isinf(value):
        nonfinite[name] = "inf" if value > 0 else "-inf"
        return None
    return value


def numeric_column(name: str, s: pd.Series, population: bool, label: str) -> dict:
    x = pd.Series(s.to_numpy(dtype="float64", na_value=np.nan))
    v = x.dropna().to_numpy()
    count = int(s.count())
    constant = count >= 1 and bool(np.all(v == v[0]))

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        raw = {
            "mean": x.mean(),
            "std": x.std(),
            "min": x.min(),
            "q25": x.quantile(0.25),
            "median": x.quantile(0.5),
            "q75": x.quantile(0.75),
            "max": x.max(),
            "skewness": x.skew(),
            "kurtosis": x.kurt(),
        }
        defined = {k: count >= 1 for k in raw}
        defined["std"] = count >= 2
        defined["skewness"] = count >= 3 and not constant
        defined["kurtosis"] = count >= 4 and not constant
        if population:
            raw["std"] = np.std(v) if count else np.nan
            raw["skewness"] = scipy.stats.skew(v, bias=True) if count else np.nan
            raw["kurtosis"] = scipy.stats.kurtosis(v, fisher=True, bias=True) if count else np.nan
            defined["std"] = count >= 1
            defined["skewness"] = count >= 1 and not constant
            defined["kurtosis"] = count >= 1 and not constant
        elif count and np.all(np.isfinite(v)):
            cross_check(label, raw, v, defined)

    nonfinite: dict[str, str] = {}
    out = {"name": name, "type": "numeric", "count": count,
           "null_count": int(s.isna().sum())}
    for k in NUMERIC_STATS:
        out[k] = finite_or_flag(raw[k], k, defined[k], nonfinite, f"{label}:{name}")
    if nonfinite:
        out["nonfinite"] = nonfinite
    return out


def cross_check(label: str, raw: dict, v: np.ndarray, defined: dict) -> None:
    """Compare pandas' figures with an independent two-pass computation."""
    checks = {"mean": np.mean(v)}
    if defined["std"]:
        checks["std"] = np.std(v, ddof=1)
    if defined["skewness"]:
        checks["skewness"] = scipy.stats.skew(v, bias=False)
    if defined["kurtosis"]:
        checks["kurtosis"] = scipy.stats.kurtosis(v, fisher=True, bias=False)
    for k, ref in checks.items():
        if not np.isclose(raw[k], ref, rtol=1e-9, atol=1e-12):
            warn(f"{label}: pandas {k}={raw[k]!r} but two-pass gives {ref!r}")


def categorical_column(name: str, s: pd.Series, label: str) -> dict:
    count = int(s.count())
    vc = s.value_counts()
    top = freq = None
    if len(vc):
        top_value, freq = vc.index[0], int(vc.iloc[0])
        top = str(top_value)
        # brisk breaks ties by first appearance; check pandas agrees.
        firsts = [val for val in s.dropna() if vc[val] == freq]
        if firsts and str(firsts[0]) != top:
            warn(f"{label}:{name}: value_counts top {top!r} is not the first-seen "
                 f"most frequent value {str(firsts[0])!r}")
    return {"name": name, "type": "categorical", "count": count,
            "null_count": int(s.isna().sum()), "unique": int(s.nunique()),
            "top": top, "freq": freq}


def is_bool_column(s: pd.Series) -> bool:
    """A bool dtype, or object holding only bools and nulls (and at least one bool)."""
    if is_bool_dtype(s.dtype):
        return True
    if s.dtype != object:
        return False
    values = s.dropna()
    return len(values) > 0 and all(isinstance(v, (bool, np.bool_)) for v in values)


def datetime_column(name: str, s: pd.Series) -> dict:
    values = s.dropna()
    lo, hi = (values.min(), values.max()) if len(values) else (None, None)
    return {"name": name, "type": "datetime", "count": int(len(values)),
            "null_count": int(s.isna().sum()),
            "min": None if lo is None else str(lo),
            "max": None if hi is None else str(hi),
            "range": None if lo is None else str(hi - lo),
            "histogram": timeline(values)}


# The calendar periods of a histogram over time, finest first: (name, pandas frequency, label
# format of the period's start). Decades, centuries and millennia count years // n.
PERIODS = [("second", "s", "%Y-%m-%d %H:%M:%S"), ("minute", "min", "%Y-%m-%d %H:%M"),
           ("hour", "h", "%Y-%m-%d %H:%M"), ("day", "D", "%Y-%m-%d"),
           ("week", "W", "%Y-%m-%d"), ("month", "M", "%Y-%m"), ("year", "Y", "%Y")]
YEARS = [("decade", 10), ("century", 100), ("millennium", 1000)]
MAX_BARS = 100


def label(start: pd.Timestamp, fmt: str) -> str:
    """A period's start as brisk writes it: strftime, with the year always of 4 digits."""
    return f"{start.year:04d}" + start.strftime(fmt)[len(str(start.year)):]


def timeline(values: pd.Series) -> dict | None:
    """The histogram over time: the finest period whose span from min to max takes at most 100
    periods; counts = s.dt.to_period(freq).value_counts() over pandas.period_range(first, last),
    empty periods 0 (weeks are pandas' W: Monday to Sunday, named by their Monday)."""
    if not len(values):
        return None
    lo, hi = values.min(), values.max()
    for unit, freq, fmt in PERIODS:
        first, last = lo.to_period(freq), hi.to_period(freq)
        if last.ordinal - first.ordinal < MAX_BARS:
            span = pd.period_range(first, last, freq=freq)
            counts = values.dt.to_period(freq).value_counts().reindex(span, fill_value=0)
            return {"unit": unit,
                    "periods": [label(p.start_time, fmt) for p in span],
                    "counts": [int(c) for c in counts]}
    years = values.dt.year
    for unit, n in YEARS:
        first, last = int(lo.year) // n, int(hi.year) // n
        if last - first < MAX_BARS:
            counts = (years // n).value_counts().reindex(range(first, last + 1), fill_value=0)
            return {"unit": unit, "periods": [f"{k * n:04d}" for k in range(first, last + 1)],
                    "counts": [int(c) for c in counts]}
    return None


def bool_column(name: str, s: pd.Series) -> dict:
    b = s.dropna().astype(bool)
    count = int(len(b))
    return {"name": name, "type": "bool", "count": count,
            "null_count": int(s.isna().sum()), "true_count": int(b.sum()),
            "true_share": float(b.mean()) if count else None}


def expected_for(path: Path, population: bool) -> dict:
    df = read_input(path)
    label = path.name + (" (population)" if population else "")
    columns = []
    for name in df.columns:
        s = df[name]
        if is_bool_column(s):
            columns.append(bool_column(str(name), s))
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            columns.append(datetime_column(str(name), s))
        elif is_numeric_dtype(s.dtype):
            columns.append(numeric_column(str(name), s, population, label))
        else:
            columns.append(categorical_column(str(name), s, label))
    return {"source": path.name, "rows": int(len(df)), "columns": columns}


def check_float_parsing(path: Path) -> None:
    """Warn if pandas' float parsing differs from correctly rounded float()."""
    if path.suffix not in (".csv", ".tsv"):
        return
    sep = "\t" if path.suffix == ".tsv" else ","
    parsed = pd.read_csv(path, sep=sep)
    text = pd.read_csv(path, sep=sep, dtype=str)
    for name in parsed.columns:
        if parsed[name].dtype.kind != "f":
            continue
        for got, raw in zip(parsed[name], text[name]):
            if isinstance(raw, str) and float(raw) != got:
                warn(f"{path.name}:{name}: {raw!r} parsed as {got!r}")


def write_json(path: Path, obj: dict) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(obj, fh, indent=1, ensure_ascii=False, allow_nan=False)
        fh.write("\n")


def sanity_checks() -> None:
    """Assert the traps planted in messy.csv came out as intended."""
    df = pd.read_csv(INPUTS / "messy.csv")
    assert len(df) == 2000, len(df)
    assert df["null_tokens"].dtype == np.float64
    assert df["null_tokens"].isna().sum() == len(NULL_TOKENS) * 4 + 40
    assert df["all_null"].dtype == np.float64 and df["all_null"].isna().all()
    assert df["quoted_numbers"].dtype == np.float64
    assert df["padded_numbers"].dtype == np.float64
    assert df["inf_values"].dtype == np.float64
    assert not is_numeric_dtype(df["mixed"].dtype)
    assert df["ties"].value_counts().index[0] == "delta"
    assert df["ties"].iloc[0] == "gamma"


def main() -> None:
    for d in (INPUTS, BAD, EXPECTED):
        d.mkdir(parents=True, exist_ok=True)

    copy_package_files()
    write_messy_csv(np.random.default_rng(20240601))
    write_crlf_bom(np.random.default_rng(20240602))
    write_tsv(np.random.default_rng(20240603))
    write_small_csvs()
    write_npy(np.random.default_rng(20240604))
    write_bad_npy(np.random.default_rng(20240605))
    write_parquet(np.random.default_rng(20240606))
    write_dates(np.random.default_rng(20240607))
    sanity_checks()

    inputs = sorted(p for p in INPUTS.iterdir() if p.is_file())
    for path in inputs:
        check_float_parsing(path)
        write_json(EXPECTED / f"{path.name}.json", expected_for(path, population=False))
        if path.name in POPULATION_FOR:
            write_json(EXPECTED / f"{path.name}.population.json",
                       expected_for(path, population=True))
        print(f"wrote expected/{path.name}.json")
    print(f"numpy {np.__version__}, pandas {pd.__version__}, scipy {scipy.__version__}")


if __name__ == "__main__":
    main()
