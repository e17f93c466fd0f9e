"""The bench CSV file of gen_data.py as Parquet, split into files of equal row counts (for the scale case).

    python gen_parquet.py [--rows 10000000] [--files 16] [--seed N]

Reads data/stats_<rows>.csv (generated first by gen_data.py if needed) with pyarrow's streaming CSV
reader and writes data/stats_<rows>.parquet/part-NN.parquet: consecutive rows, ceil(rows / files)
a file (the last one shorter), one row group a file, Snappy-compressed. Column types: id, counts int64;
category string; the others float64; an empty CSV cell is a null.

A sidecar file data/stats_<rows>.parquet.meta.json records the CSV's parameters, the file count and
a hash of this script; the files are rewritten when any of them changes, otherwise reused.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import time

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import gen_data

DEFAULT_FILES = 16
INT_COLUMNS = ("id", "counts")
TEXT_COLUMNS = ("category",)


def out_dir(data_dir, rows):
    return os.path.join(data_dir, f"stats_{gen_data.data_label(rows)}.parquet")


def params(rows, seed, files):
    with open(__file__, "rb") as f:
        source_hash = hashlib.sha256(f.read()).hexdigest()
    return {"csv": gen_data.params(rows, seed), "files": files, "converter_sha256": source_hash}


def column_types(header):
    return {name: pa.int64() if name in INT_COLUMNS else pa.string() if name in TEXT_COLUMNS else pa.float64()
            for name in header}


def convert(csv_path, out, rows, files):
    """Write `files` Parquet files of consecutive rows of csv_path into the folder `out`."""
    with open(csv_path) as f:
        header = f.readline().rstrip("\n").split(",")
    per_file = -(-rows // files)
    convert_options = pacsv.ConvertOptions(column_types=column_types(header), strings_can_be_null=True)
    read_options = pacsv.ReadOptions(block_size=64 << 20)
    reader = pacsv.open_csv(csv_path, convert_options=convert_options, read_options=read_options)
    tmp = out + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    number, pending, in_file = 0, [], 0

    def flush():
        nonlocal number, pending, in_file
        path = os.path.join(tmp, f"part-{number:02d}.parquet")
        pq.write_table(pa.Table.from_batches(pending, reader.schema), path, row_group_size=per_file,
                       compression="snappy")
        number, pending, in_file = number + 1, [], 0

    for batch in reader:
        while batch.num_rows:
            take = min(batch.num_rows, per_file - in_file)
            pending.append(batch.slice(0, take))
            batch, in_file = batch.slice(take), in_file + take
            if in_file == per_file:
                flush()
    if pending:
        flush()
    if number != files:
        raise RuntimeError(f"{csv_path}: wrote {number} Parquet files, expected {files} (is the CSV {rows:,} rows?)")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)


def ensure(rows, seed, files, data_dir, force=False):
    """The folder of Parquet files for stats_<rows>.csv, converted unless up to date."""
    csv_path = os.path.join(data_dir, f"stats_{gen_data.data_label(rows)}.csv")
    gen_data.ensure(rows, seed, csv_path)
    out = out_dir(data_dir, rows)
    meta_path = out + ".meta.json"
    want = params(rows, seed, files)
    if not force and os.path.isdir(out) and os.path.exists(meta_path):
        with open(meta_path) as f:
            if json.load(f) == want:
                return out
    if os.path.exists(meta_path):
        os.remove(meta_path)
    print(f"converting {csv_path} to {files} Parquet files ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    convert(csv_path, out, rows, files)
    size = sum(os.path.getsize(os.path.join(out, p)) for p in os.listdir(out)) / 2**20
    print(f"converted to {out}: {size:,.0f} MiB in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    with open(meta_path, "w") as f:
        json.dump(want, f, indent=1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--files", type=int, default=DEFAULT_FILES)
    ap.add_argument("--data-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    ap.add_argument("--force", action="store_true", help="convert even if up to date")
    a = ap.parse_args()
    ensure(a.rows, a.seed, a.files, a.data_dir, a.force)


if __name__ == "__main__":
    main()
