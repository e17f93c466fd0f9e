"""brisk alone past its memory limit (no peer: the point is the bound, and pandas cannot load the big file).

report1g   the stats file (data/stats_10m.csv, 907 MiB, or stats_<--rows>.csv): `brisk report --target
           category --memory-limit 256MB`, `brisk stats` and `brisk clean --memory-limit 256MB` in the
           same run; the ratio report / stats wall time and the peak RSS of each. With pandas among
           --tools, pandas' reference clean (peers/pandas_clean.py) runs on the same file and brisk
           clean's CSV must be byte-identical to its to_csv.
report10g  on demand only (named in --only, never by default nor by the group): the same columns at
           --rows-10g rows (default 110,000,000, about 10 GB, data/stats_110m.csv, generated on first
           use), `brisk report --target category --memory-limit 1GB`.

Group "outofcore" = report1g. The targets are printed, never enforced.
"""

import filecmp
import json
import os
import shutil
import tempfile

import gen_data
from harness import Case, brisk_flags_missing, missing, ok, print_table, run_brisk, run_peer

GROUP = "outofcore"
TARGET = "category"
LIMIT_1G = "256MB"
LIMIT_10G = "1GB"
RSS_TARGET_MIB = 512  # report and clean on the 1 GB file, with --memory-limit 256MB
REPORT_OVER_STATS = 2.0  # report wall <= 2 x stats wall on the 1 GB file
NOTE = ("(brisk only: whole process, startup included, the file read once with cat before each run;"
        " peak RSS: whole child process)")
BYTES_PER_ROW = 100  # gen_data.py's rows take 95-98 bytes (907 MiB for 10M rows); a little more for safety


def stats_path(ctx, rows):
    return os.path.join(ctx.data_dir, f"stats_{gen_data.data_label(rows)}.csv")


def describe(path, rows):
    print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.0f} MiB, {rows:,} rows)")


def brisk_selected(ctx, name):
    if "brisk" in ctx.tools:
        return True
    print(f"\n{name}: brisk only (no peer); brisk is not selected with --tools, skipped")
    return False


def timed(ctx, label, command, flags, cmd, path, parse_json=False):
    """A brisk row: `cmd` run through the harness if this brisk has `command` with `flags`, else why not."""
    why = brisk_flags_missing(ctx, command, flags)
    return missing(label, why) if why else run_brisk(label, cmd, path, ctx.repeat, parse_json=parse_json)


def at_most(run, limit, unit, what, value=None):
    """Target line `what` <= limit, reported, never asserted; value defaults to the run's peak RSS."""
    if not ok(run):
        print(f"target: {what} <= {limit:g} {unit}: not measured")
        return
    value = run.rss_mib if value is None else value
    shown = f"{value:,.0f}" if unit == "MiB" else f"{value:.2f}"
    print(f"target: {what} <= {limit:g} {unit}: {shown} {unit} -> {'MET' if value <= limit else 'MISSED'}")


def first_line(path):
    with open(path, "rb") as f:
        return f.readline().rstrip(b"\r\n")


# ---------------------------------------------------------------- report1g


def run_report1g(ctx, checks):
    if not brisk_selected(ctx, "report1g"):
        return
    path = stats_path(ctx, ctx.rows)
    gen_data.ensure(ctx.rows, ctx.seed, path)
    describe(path, ctx.rows)
    with tempfile.TemporaryDirectory(prefix=".outofcore-", dir=ctx.data_dir) as tmp:
        page, cleaned = os.path.join(tmp, "report.html"), os.path.join(tmp, "clean.csv")
        b = ctx.brisk
        report = timed(ctx, f"brisk report --memory-limit {LIMIT_1G}", "report", ["--memory-limit"],
                       [b, "report", path, "--target", TARGET, "--memory-limit", LIMIT_1G, "-o", page, "--quiet"], path)
        stats = timed(ctx, "brisk stats", "stats", [], [b, "stats", path, "--format", "json", "--quiet"], path,
                      parse_json=True)
        clean = timed(ctx, f"brisk clean --memory-limit {LIMIT_1G}", "clean", ["--memory-limit"],
                      [b, "clean", path, "-o", cleaned, "--memory-limit", LIMIT_1G, "--quiet"], path)
        reference = os.path.join(tmp, "pandas-clean.csv")
        pandas = (run_peer("pandas clean (reference)", "pandas_clean", path, ctx.repeat, (reference,))
                  if "pandas" in ctx.tools else None)
        rows = [report, stats, clean] + ([pandas] if pandas is not None else [])
        print_table(f"report1g: {os.path.basename(path)}", rows, None)
        print(NOTE)
        if ok(report) and ok(stats):
            print(f"report / stats: wall {report.wall / stats.wall:.2f}x; peak RSS report {report.rss_mib:,.0f} MiB,"
                  f" stats {stats.rss_mib:,.0f} MiB, clean "
                  + (f"{clean.rss_mib:,.0f} MiB" if ok(clean) else "not measured"))
        at_most(report, RSS_TARGET_MIB, "MiB", f"brisk report --memory-limit {LIMIT_1G} peak RSS")
        ratio = report.wall / stats.wall if ok(report) and ok(stats) else None
        at_most(report if ratio is not None else None, REPORT_OVER_STATS, "x",
                "brisk report wall / brisk stats wall", value=ratio)
        at_most(clean, RSS_TARGET_MIB, "MiB", f"brisk clean --memory-limit {LIMIT_1G} peak RSS")

        print("\n== report1g: correctness ==")
        if ok(report):
            checks.check(os.path.isfile(page) and os.path.getsize(page) > 0,
                         "brisk report wrote a page: " + (f"{os.path.getsize(page) / 2**20:,.2f} MiB"
                                                          if os.path.isfile(page) else "none"))
        if ok(stats):
            seen = {c.get("name") for c in stats.result.get("columns", []) if isinstance(c, dict)}
            checks.check("normal" in seen and TARGET in seen, f"brisk stats summarised the columns: {sorted(seen)}")
        if ok(clean):
            same = os.path.isfile(cleaned) and first_line(cleaned) == first_line(path)
            checks.check(same, "brisk clean wrote the CSV with the input's header"
                         + (f": {os.path.getsize(cleaned) / 2**20:,.0f} MiB" if os.path.isfile(cleaned) else ": none"))
            if ok(pandas):
                identical = os.path.isfile(reference) and filecmp.cmp(cleaned, reference, shallow=False)
                checks.check(identical, "brisk clean's CSV is byte-identical to pandas' to_csv of the reference clean")
            elif pandas is not None:
                checks.line("SKIP", "brisk clean versus pandas: the pandas reference clean did not complete")
        if not any(ok(r) for r in (report, stats, clean)):
            checks.line("SKIP", "report1g: no brisk run completed")


# ---------------------------------------------------------------- report10g


def up_to_date(rows, seed, path):
    """gen_data.ensure's own test: the file exists with a meta file of the same parameters."""
    meta = path + ".meta.json"
    if not (os.path.isfile(path) and os.path.isfile(meta)):
        return False
    with open(meta) as f:
        return json.load(f) == gen_data.params(rows, seed)


def run_report10g(ctx, checks):
    if not brisk_selected(ctx, "report10g"):
        return
    rows = ctx.rows_10g
    path = stats_path(ctx, rows)
    label = f"brisk report --memory-limit {LIMIT_10G}"
    # Before generating ~10 GB: does this brisk take the flag, and is there room for the file?
    why = brisk_flags_missing(ctx, "report", ["--memory-limit"])
    if not why and not up_to_date(rows, ctx.seed, path):
        os.makedirs(ctx.data_dir, exist_ok=True)
        need, free = rows * BYTES_PER_ROW, shutil.disk_usage(ctx.data_dir).free
        if free < need * 1.1:
            why = (f"not enough disk for {os.path.relpath(path)}: about {need / 2**30:,.1f} GiB needed,"
                   f" {free / 2**30:,.1f} GiB free")
    if why:
        print(f"\nreport10g: {rows:,} rows ({os.path.relpath(path)}) not generated")
        print_table(f"report10g: {os.path.basename(path)}, brisk only", [missing(label, why)], None)
        checks.line("SKIP", f"report10g: {why.removeprefix('missing: ')}")
        return
    gen_data.ensure(rows, ctx.seed, path)
    describe(path, rows)
    with tempfile.TemporaryDirectory(prefix=".outofcore-", dir=ctx.data_dir) as tmp:
        page = os.path.join(tmp, "report.html")
        cmd = [ctx.brisk, "report", path, "--target", TARGET, "--memory-limit", LIMIT_10G, "-o", page, "--quiet"]
        report = run_brisk(label, cmd, path, ctx.repeat, parse_json=False)
        print_table(f"report10g: {os.path.basename(path)}, brisk only", [report], None)
        print(NOTE)
        if ok(report):
            size = os.path.getsize(path)
            print(f"throughput {size / 2**20 / report.wall:,.0f} MiB/s; peak RSS {report.rss_mib:,.0f} MiB with"
                  f" --memory-limit {LIMIT_10G} ({1e9 / 2**20:,.0f} MiB); no target set")
        print("\n== report10g: correctness ==")
        if ok(report):
            checks.check(os.path.isfile(page) and os.path.getsize(page) > 0,
                         "brisk report wrote a page: " + (f"{os.path.getsize(page) / 2**20:,.2f} MiB"
                                                          if os.path.isfile(page) else "none"))
        else:
            checks.line("SKIP", "report10g: brisk report did not complete")


REPORT1G = Case("report1g", run_report1g)
REPORT10G = Case("report10g", run_report10g, on_demand=True)
CASES = (REPORT1G, REPORT10G)
