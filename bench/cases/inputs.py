"""brisk alone on the inputs users have: the cost of reading compressed CSV.

compressed  the stats file (data/stats_<--rows>.csv) gzip-compressed (level 6, Python's gzip)
            and, when the zstd command is installed, zstd-compressed (level 3): `brisk stats` on
            each, against `zcat FILE | brisk stats -` (and `zstd -dc`), and on the plain CSV. The
            target: brisk on the .gz takes at most the time of the pipe, i.e. compressed input
            costs no more than its decompression. The figures of every run must be equal.

Group "inputs" = compressed. The targets are printed, never enforced.
"""

import gzip
import os
import shutil
import subprocess

import gen_data
from harness import Case, missing, ok, print_table, run_brisk

GROUP = "inputs"
NOTE = "(brisk only: whole process, startup included, the file read once before each run)"


def compressed_copies(path):
    """The .gz (and .zst, when the zstd command exists) beside `path`, made on first use."""
    copies = {}
    gz = path + ".gz"
    if not os.path.exists(gz):
        with open(path, "rb") as src, gzip.open(gz + ".part", "wb", compresslevel=6) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(gz + ".part", gz)
    copies["gzip"] = (gz, "zcat")
    if shutil.which("zstd"):
        zst = path + ".zst"
        if not os.path.exists(zst):
            subprocess.run(["zstd", "-q", "-3", "-f", path, "-o", zst], check=True)
        copies["zstd"] = (zst, "zstd -dc")
    return copies


def run_compressed(ctx, checks):
    path = os.path.join(ctx.data_dir, f"stats_{gen_data.data_label(ctx.rows)}.csv")
    ctx.generation_seconds = gen_data.ensure(ctx.rows, ctx.seed, path)
    if not ctx.brisk:
        print_table("compressed", [missing("brisk", ctx.brisk_missing)], None)
        return
    copies = compressed_copies(path)
    flags = ["--format", "json", "--quiet"]
    runs = {"plain": run_brisk("brisk stats FILE.csv", [ctx.brisk, "stats", path, *flags], path, ctx.repeat)}
    for name, (file, decompress) in copies.items():
        print(f"\ndata: {os.path.relpath(file)} ({os.path.getsize(file) / 2**20:,.0f} MiB)")
        runs[name] = run_brisk(f"brisk stats FILE.{file.rsplit('.', 1)[1]}",
                               [ctx.brisk, "stats", file, *flags], file, ctx.repeat)
        pipe = f"{decompress} {file} | {ctx.brisk} stats - {' '.join(flags)}"
        runs[f"{name} pipe"] = run_brisk(f"{decompress} FILE | brisk stats -", ["sh", "-c", pipe], file,
                                         ctx.repeat)
    print_table("compressed: brisk stats", list(runs.values()), runs["plain"].wall if ok(runs["plain"]) else None)
    print(NOTE)
    for name in copies:
        direct, pipe = runs[name], runs[f"{name} pipe"]
        if ok(direct) and ok(pipe):
            met = "MET" if direct.wall <= pipe.wall else "MISSED"
            print(f"target: brisk stats on the {name} file <= the pipe through its decompressor: "
                  f"{direct.wall:.2f} s vs {pipe.wall:.2f} s ({direct.wall / pipe.wall:.2f}x) -> {met}")
    figures = {k: {**r.result, "source": None} for k, r in runs.items() if ok(r)}
    same = len({repr(v) for v in figures.values()}) == 1
    checks.check(same, "brisk stats gives the same figures from the plain, compressed and piped input")


COMPRESSED = Case("compressed", run_compressed)
CASES = (COMPRESSED,)
