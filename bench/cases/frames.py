"""Dataset commands on CSV files: `brisk groupby`, `brisk clean` and `brisk join` versus pandas and Polars.

Three cases, registered separately (groupby, clean, join) and together as the group "frames".
groupby reads the stats case's CSV file (gen_data.py, sized by --rows); clean and join
read gen_frames.py's files.
"""

import filecmp
import hashlib
import json
import math
import os
import tempfile

import numpy as np
import polars as pl

import gen_data
import gen_frames
from cases import stats
from harness import (Case, brisk_row, brisk_unavailable, missing, ok, print_table, rel, rss_target_line, run_brisk,
                     run_peer, skip_line, target_line, timing_note)

GROUP = "frames"

GROUPBY_KEY = "category"
GROUPBY_AGGS = ("count()", "mean(normal)", "sum(normal)", "std(normal)", "max(normal)", "mean(lognormal)")
GROUPBY_CHUNK_ROWS = 1_000_000
GROUPBY_TARGET = 1.0  # brisk wall <= GROUPBY_TARGET x Polars streaming's
GROUPBY_RSS_MIB = 200  # brisk peak RSS below this
GROUPBY_RTOL = 1e-9

CLEAN_TARGET = 0.25  # brisk wall <= CLEAN_TARGET x pandas'
CLEAN_CELL_RTOL = 1e-12  # numeric cells of the cleaned CSV
CLEAN_FILL_RTOL = 1e-12  # median fill values (exact equality expected)
CLEAN_BOUNDS_RTOL = 1e-9  # mean -/+ sigma * std
CLEAN_COUNTS = ("rows_in", "duplicates_removed", "values_lowercased", "outlier_rows_removed", "rows_out")

JOIN_KEY = "user_id"
JOIN_COUNT = "n_events"

NOTE = timing_note()


# ---------------------------------------------------------------- shared helpers


def of(label):
    """Possessive: "pandas'", "Polars'", "NumPy's"."""
    return label + ("'" if label.endswith("s") else "'s")


def read_text(path):
    """A CSV file with every column as text (empty field = null), header as written."""
    return pl.read_csv(path, infer_schema=False)


def as_numbers(s):
    """Float64 values of a text column if every non-null cell parses as a number, else None."""
    f = s.cast(pl.Float64, strict=False)
    return f if f.null_count() == s.null_count() and s.null_count() < s.len() else None


def table_digest(df):
    """Order-sensitive digest of a table's values: per column, sha256 of Polars' 64-bit hashes of the
    cells, the column read as numbers when every cell parses as one (so "12" and "12.0" agree) and
    as text otherwise. Returns (digest of the whole table, {column: digest})."""
    cols = {}
    for name in df.columns:
        s = df[name]
        v = as_numbers(s)
        h = (v if v is not None else s).hash(seed=0).to_numpy()
        cols[name] = hashlib.sha256(h.tobytes()).hexdigest()[:16]
    whole = hashlib.sha256(json.dumps([df.columns, list(cols.values())]).encode()).hexdigest()[:16]
    return whole, cols


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def compare_cells(got, ref, rtol):
    """Cell-by-cell comparison of two text tables of equal shape and columns. Numeric columns (every
    non-null cell of `ref` parses as a number) compare by value within rtol relative, null equal to
    null; other columns compare as text. Returns ({column: (n_bad, first_bad_row)}, n_cells whose
    text differs although the values are equal, first such (column, row))."""
    bad, text_only, first_text = {}, 0, None
    for c in ref.columns:
        r, g = ref[c], got[c]
        rf = as_numbers(r)
        if rf is None:
            eq = g.eq_missing(r).to_numpy()
        else:
            gf = g.cast(pl.Float64, strict=False)
            gnull, rnull = g.is_null().to_numpy(), r.is_null().to_numpy()
            unparsed = gf.is_null().to_numpy() & ~gnull
            a, b = gf.to_numpy(), rf.to_numpy()
            with np.errstate(invalid="ignore", over="ignore"):
                close = (a == b) | (np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)))
            eq = (gnull == rnull) & ~unparsed & (gnull | close)
        n_bad = int((~eq).sum())
        if n_bad:
            bad[c] = (n_bad, int(np.argmax(~eq)))
        differ = eq & ~g.eq_missing(r).to_numpy()
        if differ.any():
            text_only += int(differ.sum())
            first_text = first_text or (c, int(np.argmax(differ)))
    return bad, text_only, first_text


# ---------------------------------------------------------------- groupby


def run_groupby(ctx, checks):
    path = stats.data_path(ctx)
    gen_data.ensure(ctx.rows, ctx.seed, path)
    print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.0f} MiB, {ctx.rows:,} rows;"
          f" grouped by {GROUPBY_KEY}: {', '.join(GROUPBY_AGGS)})")
    runs = {}
    if "brisk" in ctx.tools:
        cmd = [ctx.brisk, "groupby", path, "--by", GROUPBY_KEY, "--agg", ", ".join(GROUPBY_AGGS),
               "--format", "json", "--quiet"]
        runs["brisk"] = brisk_row(ctx, "groupby", lambda: run_brisk("brisk", cmd, path, ctx.repeat))
    args = (GROUPBY_KEY, *GROUPBY_AGGS)
    if "pandas" in ctx.tools:
        runs["pandas"] = run_peer("pandas (read_csv + groupby)", "pandas_groupby", path, ctx.repeat, args)
        runs["pandas_chunked"] = run_peer(f"pandas chunked ({GROUPBY_CHUNK_ROWS / 1e6:g}M rows)",
                                          "pandas_groupby_chunked", path, ctx.repeat,
                                          (str(GROUPBY_CHUNK_ROWS), *args))
    if "polars" in ctx.tools:
        runs["polars"] = run_peer("polars (streaming)", "polars_groupby", path, ctx.repeat, args)
    brisk = runs.get("brisk")
    print_table(f"groupby: {os.path.basename(path)} by {GROUPBY_KEY}", list(runs.values()),
                brisk.wall if ok(brisk) else None)
    print(NOTE)
    target_line(brisk, runs.get("polars"), GROUPBY_TARGET, "Polars streaming")
    rss_target_line(brisk, GROUPBY_RSS_MIB, "brisk peak RSS")

    print("\n== groupby: correctness ==")
    peers = [(label, runs.get(k)) for k, label in (("pandas", "pandas"), ("polars", "Polars"))]
    # Context: how far the peers are from one another.
    pandas = runs.get("pandas")
    if ok(pandas):
        for k, label in (("pandas_chunked", "pandas chunked"), ("polars", "Polars")):
            if ok(runs.get(k)):
                checks.line("INFO", f"{label} vs pandas: " + groups_summary(runs[k].result["stats"]["groups"],
                                                                          pandas.result["stats"]["groups"]))
    if not ok(brisk):
        skip_line(checks, brisk, "brisk checks: brisk groupby")
        return
    got = brisk.result
    if not (isinstance(got, list) and got and all(isinstance(r, dict) and GROUPBY_KEY in r for r in got)):
        first = got[0] if isinstance(got, list) and got else got
        checks.check(False, f"brisk's JSON is a list of records with a {GROUPBY_KEY!r} field: got {str(first)[:200]}")
        return
    keys = [r[GROUPBY_KEY] for r in got]
    n_null = sum(1 for k in keys if k is None)
    null_rows = next((r.get("count()") for r in got if r[GROUPBY_KEY] is None), None)
    checks.check(n_null == 1 and keys[-1] is None,
                 f"null-key group present once and sorted last: {n_null} null key(s)"
                 + (f", {null_rows:,} rows" if isinstance(null_rows, int) else "")
                 + ("" if not keys or keys[-1] is None else f"; last key {keys[-1]!r}"))
    for label, run in peers:
        if not ok(run):
            skip_line(checks, run, f"brisk versus {label}: {label}")
            continue
        compare_groups(checks, got, run.result["stats"]["groups"], label)


def groups_summary(got, ref):
    """One line: same keys? counts equal? max relative difference of the other aggregates."""
    g = {r[GROUPBY_KEY]: r for r in got}
    r = {x[GROUPBY_KEY]: x for x in ref}
    same_keys = [x[GROUPBY_KEY] for x in got] == [x[GROUPBY_KEY] for x in ref]
    counts = all(g[k].get("count()") == r[k].get("count()") for k in r if k in g)
    worst = {a: max((rel(g[k].get(a), r[k].get(a)) for k in r if k in g), default=0.0)
             for a in GROUPBY_AGGS if a != "count()"}
    return (f"keys {'equal' if same_keys else 'DIFFER'}, counts {'equal' if counts else 'DIFFER'}, max rel diff "
            + ", ".join(f"{a} {v:.1e}" for a, v in worst.items()))


def compare_groups(checks, got, ref, label):
    keys, ref_keys = [r[GROUPBY_KEY] for r in got], [r[GROUPBY_KEY] for r in ref]
    if keys == ref_keys:
        checks.check(True, f"groups == {of(label)}: {len(keys)} keys, same order (ascending, null key last)")
    else:
        extra = [k for k in keys if k not in ref_keys]
        absent = [k for k in ref_keys if k not in keys]
        what = (f"missing {absent[:5]}" if absent else "") + (f" extra {extra[:5]}" if extra else "")
        checks.check(False, f"groups == {of(label)}: brisk {len(keys)} keys, {label} {len(ref_keys)};"
                     f" {what.strip() or 'same keys in another order: ' + str(keys[:6])}")
    g = {r[GROUPBY_KEY]: r for r in got}
    common = [k for k in ref_keys if k in g]
    by_ref = {r[GROUPBY_KEY]: r for r in ref}
    bad = [f"{k!r}: {g[k].get('count()')!r} vs {by_ref[k]['count()']}" for k in common
           if not (type(g[k].get("count()")) is int and g[k]["count()"] == by_ref[k]["count()"])]
    checks.check(not bad, f"count() == {of(label)} exactly, as integers, in all {len(common)} groups"
                 + (f" ({len(bad)} differ: {'; '.join(bad[:4])})" if bad else ""))
    for agg in GROUPBY_AGGS:
        if agg == "count()":
            continue
        diffs = {k: rel(g[k].get(agg), by_ref[k][agg]) for k in common}
        worst = max(diffs, key=diffs.get) if diffs else None
        exact = sum(1 for d in diffs.values() if d == 0)
        if worst is None:
            detail = "no groups"
        elif diffs[worst] == 0:
            detail = f"all {len(diffs)} exact"
        else:
            detail = (f"max rel diff {diffs[worst]:.1e} (key {worst!r}: brisk {g[worst].get(agg)!r} vs"
                      f" {by_ref[worst][agg]!r}), {exact}/{len(diffs)} exact")
        checks.check(all(d <= GROUPBY_RTOL for d in diffs.values()),
                     f"{agg} == {of(label)} to {GROUPBY_RTOL:g} relative: {detail}")


# ---------------------------------------------------------------- clean


def run_clean(ctx, checks):
    path = gen_frames.ensure("clean", ctx.seed, ctx.data_dir)["data"]
    print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.0f} MiB,"
          f" {gen_frames.SPECS['clean']['rows']:,} messy rows)")
    runs = {}
    with tempfile.TemporaryDirectory(prefix=".frames-", dir=ctx.data_dir) as tmp:
        outs = {k: os.path.join(tmp, f"{k}.csv") for k in ("brisk", "pandas", "polars")}
        if "brisk" in ctx.tools:
            def run_once():
                report = os.path.join(tmp, "brisk-report.json")
                cmd = [ctx.brisk, "clean", path, "-o", outs["brisk"], "--report", report, "--quiet"]
                run = run_brisk("brisk", cmd, path, ctx.repeat, parse_json=False)
                if run.ok:
                    try:
                        with open(report) as f:
                            run.result = {"stats": json.load(f)}
                    except (OSError, ValueError) as e:
                        run.result = {"error": f"cannot read the --report file: {e}"}
                return run

            runs["brisk"] = brisk_row(ctx, "clean", run_once)
        if "pandas" in ctx.tools:
            runs["pandas"] = run_peer("pandas", "pandas_clean", path, ctx.repeat, (outs["pandas"],))
        if "polars" in ctx.tools:
            runs["polars"] = run_peer("polars", "polars_clean", path, ctx.repeat, (outs["polars"],))
        brisk = runs.get("brisk")
        print_table(f"clean: {os.path.basename(path)}", list(runs.values()), brisk.wall if ok(brisk) else None)
        print(timing_note("read the CSV, clean, write the CSV"))
        target_line(brisk, runs.get("pandas"), CLEAN_TARGET, "pandas")

        print("\n== clean: correctness ==")
        ref_key = "pandas" if ok(runs.get("pandas")) else "polars"
        ref, label = runs.get(ref_key), ("pandas" if ref_key == "pandas" else "Polars")
        if ok(ref) and ok(runs.get("pandas")) and ok(runs.get("polars")):
            info_polars_vs_pandas(checks, runs["polars"], runs["pandas"], outs)
        if not ok(brisk):
            skip_line(checks, brisk, "brisk checks: brisk clean")
            return
        if not ok(ref):
            skip_line(checks, ref, "brisk versus pandas and Polars: the peers")
            return
        if "error" in brisk.result:
            checks.check(False, f"brisk clean --report R.json: {brisk.result['error']}")
        else:
            compare_reports(checks, brisk.result["stats"], ref.result["stats"], label)
        compare_outputs(checks, outs["brisk"], outs[ref_key], label,
                        None if "error" in brisk.result else brisk.result["stats"].get("rows_out"))


def compare_reports(checks, got, want, label):
    def show(k):
        return f"{k} {got.get(k)!r}" + ("" if got.get(k) == want.get(k) else f" (!= {want.get(k)!r})")

    bad = [k for k in CLEAN_COUNTS if not (type(got.get(k)) is int and got.get(k) == want.get(k))]
    checks.check(not bad, f"report counts == {of(label)}: " + ", ".join(show(k) for k in CLEAN_COUNTS))
    if "values_lowercased" in bad and "_lowercased_filled_cells" in want:
        filled = want["_lowercased_filled_cells"]
        checks.line("INFO", f"  {of(label)} values_lowercased counts the {filled:,} cells filled with a mode that"
                    f" lowercasing changes; without them it would be {want['values_lowercased'] - filled:,}")
    for k in ("numeric_columns", "categorical_columns"):
        checks.check(got.get(k) == want.get(k), f"{k} == {of(label)}: {got.get(k)!r}"
                     + ("" if got.get(k) == want.get(k) else f" vs {want.get(k)!r}"))
    for k in ("numeric_filled", "categorical_filled"):
        g, w = got.get(k) or {}, want.get(k) or {}
        # A column with nothing to fill may be left out of brisk's report.
        bad = [f"{c}: {g.get(c, 0)!r} vs {w.get(c, 0)!r}"
               for c in sorted(set(g) | set(w)) if g.get(c, 0) != w.get(c, 0)]
        checks.check(not bad and isinstance(got.get(k), dict),
                     f"{k} == {of(label)} per column: " + (", ".join(f"{c} {n:,}" for c, n in w.items() if n)
                                                         if not bad else "; ".join(bad)))
    g, w = got.get("fill_values") or {}, want.get("fill_values") or {}
    counts = {**(want.get("numeric_filled") or {}), **(want.get("categorical_filled") or {})}
    filled = [c for c in w if counts.get(c)]
    bad = []
    for c in filled:
        a, b = g.get(c), w[c]
        same = (a == b) if isinstance(b, str) or b is None else rel(a, b) <= CLEAN_FILL_RTOL
        if not same:
            bad.append(f"{c}: {a!r} vs {b!r}")
    checks.check(not bad, f"fill_values == {of(label)} for the {len(filled)} filled columns (medians to"
                 f" {CLEAN_FILL_RTOL:g} relative, modes exactly)" + (f": {'; '.join(bad)}" if bad else ""))
    gb, wb = got.get("bounds") or {}, want.get("bounds") or {}
    diffs = {}
    for c, (lo, hi) in wb.items():
        pair = gb.get(c)
        diffs[c] = (max(rel(pair[0], lo), rel(pair[1], hi))
                    if isinstance(pair, (list, tuple)) and len(pair) == 2 else math.inf)
    worst = max(diffs, key=diffs.get) if diffs else None
    checks.check(all(d <= CLEAN_BOUNDS_RTOL for d in diffs.values()),
                 f"bounds == {of(label)} to {CLEAN_BOUNDS_RTOL:g} relative"
                 + (f": max rel diff {diffs[worst]:.1e} ({worst})" if worst else ": no numeric columns"))


def compare_outputs(checks, got_path, ref_path, label, rows_out):
    try:
        got = read_text(got_path)
    except Exception as e:  # a malformed CSV is a failure to report, not a crash
        checks.check(False, f"brisk's cleaned CSV can be read: {e}")
        return
    ref = read_text(ref_path)
    checks.check(got.columns == ref.columns, f"cleaned CSV header == {of(label)}: {got.columns}"
                 + ("" if got.columns == ref.columns else f" vs {ref.columns}"))
    rows_ok = got.height == ref.height and (rows_out is None or rows_out == got.height)
    checks.check(rows_ok, f"cleaned CSV rows == {of(label)}: {got.height:,} vs {ref.height:,}"
                 + (f" (brisk's report says {rows_out!r})" if rows_out is not None and rows_out != got.height else ""))
    if got.columns != ref.columns or got.height != ref.height:
        checks.line("SKIP", "cell-by-cell comparison: the headers or row counts differ")
        return
    bad, text_only, first_text = compare_cells(got, ref, CLEAN_CELL_RTOL)
    detail = "; ".join(f"{c}: {n:,} differ, first at data row {i + 1}: brisk {got[c][i]!r} vs {ref[c][i]!r}"
                       for c, (n, i) in list(bad.items())[:4])
    checks.check(not bad, f"cleaned CSV == {of(label)} cell by cell ({got.height * len(ref.columns):,} cells; numbers"
                 f" by value to {CLEAN_CELL_RTOL:g} relative, text exactly)" + (f": {detail}" if bad else ""))
    if label == "pandas":
        same = filecmp.cmp(got_path, ref_path, shallow=False)
        line = "brisk's cleaned CSV is byte-identical to pandas' to_csv output" if same else (
            "brisk's cleaned CSV is not byte-identical to pandas' to_csv output"
            + (f"; {text_only:,} cell(s) hold equal values written differently, first {first_text[0]!r} at data row"
               f" {first_text[1] + 1}: brisk {got[first_text[0]][first_text[1]]!r} vs pandas"
               f" {ref[first_text[0]][first_text[1]]!r}" if first_text else ""))
        checks.line("INFO", line)


def info_polars_vs_pandas(checks, polars, pandas, outs):
    """Context: the Polars peer does the same work as the pandas peer."""
    p, q = polars.result["stats"], pandas.result["stats"]
    keys = ("numeric_filled", "categorical_filled", "fill_values", "numeric_columns", "categorical_columns",
            *CLEAN_COUNTS)
    differ = [k for k in keys if p.get(k) != q.get(k)]
    worst = max((rel(a, b) for c, pair in q["bounds"].items() for a, b in zip(p["bounds"].get(c, (None, None)), pair)),
                default=0.0)
    try:
        a, b = read_text(outs["polars"]), read_text(outs["pandas"])
        cells = ("cells equal" if a.columns == b.columns and a.height == b.height
                 and not compare_cells(a, b, CLEAN_CELL_RTOL)[0] else "cells DIFFER")
    except Exception as e:
        cells = f"output unreadable ({e})"
    report = "equal" if not differ else "DIFFERS in " + ", ".join(differ)
    checks.line("INFO", f"Polars peer vs pandas peer: report {report}"
                f" (bounds max rel diff {worst:.1e}); output {cells}")


# ---------------------------------------------------------------- join


def run_join(ctx, checks):
    files = gen_frames.ensure("join", ctx.seed, ctx.data_dir)
    users, events = files["users"], files["events"]
    spec = gen_frames.SPECS["join"]
    size = (os.path.getsize(users) + os.path.getsize(events)) / 2**20
    print(f"\ndata: {os.path.relpath(users)} ({spec['users']:,} rows) and {os.path.relpath(events)}"
          f" ({spec['events']:,} rows), {size:,.0f} MiB, key {JOIN_KEY}")
    why = brisk_unavailable(ctx, "join") if "brisk" in ctx.tools else None
    modes = (("count", ["--count", JOIN_COUNT], ["count", JOIN_COUNT]),
             ("left", ["--how", "left"], ["left"]))
    for mode, brisk_args, peer_args in modes:
        runs, tables = {}, {}
        with tempfile.TemporaryDirectory(prefix=".frames-", dir=ctx.data_dir) as tmp:
            def finish(key, run, out):
                # Summarise the output right away (the relational outputs are ~5M rows) and drop it.
                if run.ok:
                    try:
                        tables[key] = summarize(out, mode)
                    except Exception as e:
                        tables[key] = {"error": f"cannot read the output CSV: {e}"}
                if os.path.exists(out):
                    os.remove(out)
                runs[key] = run

            out = os.path.join(tmp, "out.csv")
            if "brisk" in ctx.tools:
                if why:
                    runs["brisk"] = missing("brisk", why)
                else:
                    cmd = [ctx.brisk, "join", users, events, "--on", JOIN_KEY, *brisk_args, "-o", out, "--quiet"]
                    finish("brisk", run_brisk("brisk", cmd, users, ctx.repeat, parse_json=False, warm=(events,)), out)
            for key, module in (("pandas", "pandas_join"), ("polars", "polars_join")):
                if key in ctx.tools:
                    args = (events, JOIN_KEY, *peer_args, out)
                    finish(key, run_peer(key, module, users, ctx.repeat, args, warm=(events,)), out)
        brisk = runs.get("brisk")
        what = f"--count {JOIN_COUNT}" if mode == "count" else "--how left"
        print_table(f"join {what}: {os.path.basename(users)} x {os.path.basename(events)}", list(runs.values()),
                    brisk.wall if ok(brisk) else None)
        print(timing_note("read both CSVs, join, write the CSV"))
        join_checks(checks, mode, what, runs, tables)


def summarize(path, mode):
    """Rows, columns, value digests and file hash of a join output; for --count also the key and count columns."""
    df = read_text(path)
    whole, cols = table_digest(df)
    out = {"rows": df.height, "columns": df.columns, "digest": whole, "col_digests": cols, "sha256": file_sha256(path)}
    if mode == "count" and JOIN_KEY in df.columns and JOIN_COUNT in df.columns:
        out["key"] = df[JOIN_KEY]
        out["count"] = df[JOIN_COUNT]
    return out


def join_checks(checks, mode, what, runs, tables):
    print(f"\n== join {what}: correctness ==")
    usable = [k for k in ("pandas", "polars") if k in tables and "error" not in tables[k]]
    if usable == ["pandas", "polars"]:
        p, q = tables["polars"], tables["pandas"]
        same = p["digest"] == q["digest"] and p["rows"] == q["rows"] and p["columns"] == q["columns"]
        checks.line("INFO", f"Polars peer vs pandas peer: {q['rows']:,} vs {p['rows']:,} rows, value digest"
                    f" {'equal' if same else 'DIFFERS'} ({q['digest']} vs {p['digest']})")
    brisk = runs.get("brisk")
    if not ok(brisk):
        skip_line(checks, brisk, f"brisk checks: brisk join {what}")
        return
    ref_key = usable[0] if usable else None
    if ref_key is None:
        skip_line(checks, runs.get("pandas"), "brisk versus pandas and Polars: the peers")
        return
    label = "pandas" if ref_key == "pandas" else "Polars"
    got, want = tables["brisk"], tables[ref_key]
    if "error" in got:
        checks.check(False, f"brisk join {what} -o OUT.csv: {got['error']}")
        return
    checks.check(got["columns"] == want["columns"], f"columns == {of(label)}: {got['columns']}"
                 + ("" if got["columns"] == want["columns"] else f" vs {want['columns']}"))
    checks.check(got["rows"] == want["rows"], f"rows == {of(label)}: {got['rows']:,} vs {want['rows']:,}")
    if mode == "count" and "key" in got and "key" in want and got["rows"] == want["rows"]:
        k, wk = got["key"].cast(pl.Float64, strict=False), want["key"].cast(pl.Float64, strict=False)
        differ = np.flatnonzero(~k.eq_missing(wk).to_numpy())
        checks.check(differ.size == 0,
                     f"{JOIN_KEY} == {of(label)} row by row (left rows in order): {differ.size:,} differ"
                     + (f", first at data row {differ[0] + 1}: {got['key'][int(differ[0])]!r} vs"
                        f" {want['key'][int(differ[0])]!r}" if differ.size else ""))
        c = got["count"]
        ints = c.cast(pl.Int64, strict=False)
        differ = np.flatnonzero(~ints.eq_missing(want["count"].cast(pl.Int64)).to_numpy())
        checks.check(differ.size == 0, f"{JOIN_COUNT} == {of(label)} exactly, row by row, written as integers:"
                     f" {differ.size:,} of {got['rows']:,} differ" + (
                         f", first at data row {differ[0] + 1}: brisk {c[int(differ[0])]!r} vs"
                         f" {want['count'][int(differ[0])]!r}" if differ.size else
                         f" (total {int(ints.sum()):,}, {int((ints == 0).sum()):,} rows with 0)"))
    if got["columns"] == want["columns"]:
        bad = [c for c in got["columns"] if got["col_digests"][c] != want["col_digests"][c]]
        checks.check(got["digest"] == want["digest"],
                     f"value digest of the whole output == {of(label)}: {got['digest']} vs {want['digest']}"
                     + (f" (columns that differ: {bad})" if bad else ""))
    if ref_key == "pandas":
        same = got["sha256"] == want["sha256"]
        checks.line("INFO", f"brisk's output is {'byte-identical' if same else 'not byte-identical'} to pandas' to_csv")


GROUPBY = Case("groupby", run_groupby)
CLEAN = Case("clean", run_clean)
JOIN = Case("join", run_join)
CASES = (GROUPBY, CLEAN, JOIN)
