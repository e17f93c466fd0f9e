"""`brisk report` versus ydata-profiling (full and minimal) on the stats data at 100,000 and 1,000,000 rows.

One case, `profile`, in the group "report" (cases/report.py lists it). Data: gen_data.py's
stats_100k.csv and stats_1m.csv, the columns of the stats case. Every tool writes one HTML page to a
temporary folder under data/, removed afterwards. ydata-profiling needs pandas < 3 and numpy < 2.4, so its
peer runs with the interpreter of bench/.venv-ydata (requirements-ydata.txt; bench.py --ydata-python).
"""

import json
import os
import subprocess
import tempfile

import gen_data
from harness import (Case, brisk_flags_missing, brisk_row, missing, ok, print_table, rel, run_brisk, run_peer,
                     skip_line, target_line, timing_note)

ROWS = (100_000, 1_000_000)
TARGET = "category"
SPEED_TARGET = 0.05  # brisk wall <= SPEED_TARGET x ydata-profiling full's (reported, never enforced)
MEAN_RTOL = 1e-9  # brisk report's column means versus ydata-profiling's
MODES = (("full", "ydata-profiling full"), ("minimal", "ydata-profiling minimal"))


def run(ctx, checks):
    for rows in ROWS:
        path = os.path.join(ctx.data_dir, f"stats_{gen_data.data_label(rows)}.csv")
        gen_data.ensure(rows, ctx.seed, path)
        print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.1f} MiB, {rows:,} rows,"
              f" 8 numeric columns and the text {TARGET})")
        with tempfile.TemporaryDirectory(prefix=".profile-", dir=ctx.data_dir) as tmp:
            run_rows(ctx, checks, path, rows, tmp)


def run_rows(ctx, checks, path, rows, tmp):
    name = os.path.basename(path)
    pages = {k: os.path.join(tmp, f"{k}.html") for k in ("brisk", *(m for m, _ in MODES))}
    runs = {}
    if "brisk" in ctx.tools:
        cmd = [ctx.brisk, "report", path, "--target", TARGET, "-o", pages["brisk"], "--quiet"]
        runs["brisk"] = brisk_row(ctx, "report", lambda: run_brisk("brisk", cmd, path, ctx.repeat, parse_json=False))
    if "ydata" in ctx.tools:
        for mode, label in MODES:
            runs[mode] = (run_peer(label, "ydata_report", path, ctx.repeat, (pages[mode], mode),
                                   python=ctx.ydata_python)
                          if ctx.ydata_python else missing(label, ctx.ydata_missing))
    brisk = runs.get("brisk")
    print_table(f"profile: {name}, brisk report --target {TARGET} vs ydata-profiling", list(runs.values()),
                brisk.wall if ok(brisk) else None)
    print(timing_note("read the CSV, profile every column, write one HTML page",
                      peers="in-process seconds from pd.read_csv to the page written"))
    for mode, label in MODES:
        peer = runs.get(mode)
        if ok(brisk) and ok(peer):
            print(f"brisk / {label}: wall {brisk.wall / peer.wall:.3f}x, peak RSS {brisk.rss_mib / peer.rss_mib:.3f}x")
    for mode, label in MODES:
        if ok(runs.get(mode)):
            r = runs[mode].result["stats"]
            print(f"{label}: read_csv {r['read_seconds']:.2f} s of {runs[mode].wall:.2f} s;"
                  f" page {r['page_bytes'] / 2**20:,.1f} MiB")
    target_line(brisk, runs.get("full"), SPEED_TARGET, "ydata-profiling full", peer_tool="ydata-profiling full")

    print(f"\n== profile ({name}): correctness ==")
    correctness(ctx, checks, path, rows, runs, pages, tmp)


def count(x):
    """A count as text: 1,234 for an integer, its repr otherwise."""
    return f"{x:,}" if type(x) is int else repr(x)


def page_bytes(path):
    """Size of an HTML page, or None if there is none."""
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        head = f.read(4096).lower()
    return os.path.getsize(path) if b"<html" in head or b"<!doctype html" in head else None


def correctness(ctx, checks, path, rows, runs, pages, tmp):
    for key, label in (("brisk", "brisk report"), *MODES):
        if ok(runs.get(key)):
            size = page_bytes(pages[key])
            checks.check(size is not None, f"{label} wrote an HTML page: "
                         + (f"{size / 2**20:,.2f} MiB" if size is not None else "none"))
    for mode, label in MODES:
        if ok(runs.get(mode)):
            n = runs[mode].result["stats"]["rows"]
            checks.check(n == rows, f"{label} profiled every row: {n:,} of {rows:,}")

    peer_key = next((m for m, _ in MODES if ok(runs.get(m))), None)
    brisk = runs.get("brisk")
    what = "brisk report --json versus ydata-profiling (rows, column means)"
    if not ok(brisk):
        skip_line(checks, brisk, what)
        return
    if peer_key is None:
        skip_line(checks, runs.get("full"), what)
        return
    why = brisk_flags_missing(ctx, "report", ["--json"])
    if why:
        checks.line("SKIP", f"{what}: {why.removeprefix('missing: ')}")
        return
    # Untimed: the same command with --json FILE.
    summary = os.path.join(tmp, "brisk.json")
    p = subprocess.run([ctx.brisk, "report", path, "--target", TARGET, "-o", os.path.join(tmp, "check.html"),
                        "--json", summary, "--quiet"], capture_output=True, text=True)
    if p.returncode != 0:
        checks.check(False, f"brisk report --json: exit code {p.returncode}: {p.stderr.strip()[-300:]}")
        return
    try:
        with open(summary) as f:
            got = json.load(f)
    except (OSError, ValueError) as e:
        checks.check(False, f"brisk report --json wrote a JSON file: {e}")
        return
    compare(checks, got, runs[peer_key].result["stats"], dict(MODES)[peer_key])


def compare(checks, got, want, label):
    """brisk's --json summary {"rows_in", "columns": [{"name", "count", "mean", ...}]} versus ydata's figures."""
    checks.check(got.get("rows_in") == want["rows"],
                 f"rows_in == {label}'s row count: {count(got.get('rows_in'))} vs {want['rows']:,}")
    cols = got.get("columns")
    if not isinstance(cols, list):
        checks.check(False, f"brisk's --json has a list of columns: got {str(cols)[:200]}")
        return
    mine = {c.get("name"): c for c in cols if isinstance(c, dict) and c.get("mean") is not None}
    theirs = {k: v for k, v in want["columns"].items() if v.get("mean") is not None}
    common = [k for k in theirs if k in mine]
    same_rows = [k for k in common if mine[k].get("count") == theirs[k]["count"]]
    other_rows = [k for k in common if k not in same_rows]
    if other_rows:
        checks.line("INFO", "means not compared (brisk's count differs from ydata's: other rows, e.g. after"
                    " cleaning): " + ", ".join(f"{k} {mine[k].get('count')!r} vs {theirs[k]['count']:,}"
                                               for k in other_rows))
    if not same_rows:
        checks.line("SKIP", f"column means == {label}'s: no numeric column with the same count on both sides"
                    f" (brisk {sorted(mine)}, ydata {sorted(theirs)})")
        return
    diffs = {k: rel(mine[k]["mean"], theirs[k]["mean"]) for k in same_rows}
    worst = max(diffs, key=diffs.get)
    checks.check(diffs[worst] <= MEAN_RTOL,
                 f"mean == {label}'s to {MEAN_RTOL:g} relative, {len(same_rows)} columns: max rel diff"
                 f" {diffs[worst]:.1e} ({worst}: brisk {mine[worst]['mean']!r} vs {theirs[worst]['mean']!r})")


PROFILE = Case("profile", run)
