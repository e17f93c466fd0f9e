"""`brisk stats` versus pandas and Polars on per-column statistics of one CSV file."""

import math
import os
import struct

import numpy as np
import polars as pl

import gen_data
from harness import missing, ok, print_table, rel, rss_target_line, run_brisk, run_peer, target_line, timing_note

NAME = "stats"
TEXT_COLUMN = "category"
QUANTILES = ("q25", "median", "q75")
MOMENTS = ("mean", "std", "skewness", "kurtosis")
EXACT = ("count", "null_count", "min", "max")
MEMORY_LIMIT = "256MB"
RSS_TARGET_MIB = 320
SPEED_TARGET = 0.67  # brisk wall <= SPEED_TARGET x the faster peer's wall
MOMENT_RTOL = 1e-9


def data_path(ctx):
    return os.path.join(ctx.data_dir, f"stats_{gen_data.data_label(ctx.rows)}.csv")


def run(ctx, checks):
    path = data_path(ctx)
    ctx.generation_seconds = gen_data.ensure(ctx.rows, ctx.seed, path)
    print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.0f} MiB, {ctx.rows:,} rows)")

    runs = {}
    if "brisk" in ctx.tools:
        if ctx.brisk:
            base = [ctx.brisk, "stats", path, "--format", "json", "--quiet"]
            runs["brisk"] = run_brisk("brisk", base, path, ctx.repeat)
            runs["brisk_bounded"] = run_brisk(
                f"brisk --memory-limit {MEMORY_LIMIT}", base + ["--memory-limit", MEMORY_LIMIT], path, ctx.repeat
            )
        else:
            runs["brisk"] = missing("brisk", ctx.brisk_missing)
            runs["brisk_bounded"] = missing(f"brisk --memory-limit {MEMORY_LIMIT}", ctx.brisk_missing)
    if "pandas" in ctx.tools:
        runs["pandas"] = run_peer("pandas", "pandas_stats", path, ctx.repeat)
    if "polars" in ctx.tools:
        runs["polars"] = run_peer("polars (streaming)", "polars_stats", path, ctx.repeat)

    brisk = runs.get("brisk")
    print_table(f"{NAME}: {os.path.basename(path)}", list(runs.values()), brisk.wall if ok(brisk) else None)
    print(timing_note())

    # Targets (reported, never asserted).
    peers = [r for k, r in runs.items() if k in ("pandas", "polars") and r.ok]
    fastest = min(peers, key=lambda r: r.wall) if peers else None
    target_line(brisk, fastest, SPEED_TARGET, "faster peer", peer_tool=fastest.tool if fastest else None)
    rss_target_line(runs.get("brisk_bounded"), RSS_TARGET_MIB, f"peak RSS with --memory-limit {MEMORY_LIMIT}")

    correctness(path, runs, checks)


# ---------------------------------------------------------------- correctness


def reference_moments(x, shift_correct=True):
    """Compensated two-pass moments in float64 (pandas sample conventions).

    mean = x.mean(), corrected by the mean of x - mean; then d = x - mean and
    m_k = sum(d**k). The corrected mean is still rounded to a double, which for
    near_1e9 (spread 1e-3, double spacing 1.2e-7) biases m3 by ~1e-3 relative; so,
    unless shift_correct is False, the sums are re-centred on the exact mean
    (delta = sum(d)/n): m2 = S2 - n*delta^2, m3 = S3 - 3*delta*S2 + 2*n*delta^3,
    m4 = S4 - 4*delta*S3 + 6*delta^2*S2 - 3*n*delta^4.
    """
    n = float(x.size)
    mean = x.mean()
    mean += (x - mean).mean()
    d = x - mean
    d2 = d * d
    s1, s2, s3, s4 = d.sum(), d2.sum(), (d2 * d).sum(), (d2 * d2).sum()
    if shift_correct:
        t = s1 / n
        m2 = s2 - n * t * t
        m3 = s3 - 3 * t * s2 + 2 * n * t**3
        m4 = s4 - 4 * t * s3 + 6 * t * t * s2 - 3 * n * t**4
        mean += t
    else:
        m2, m3, m4 = s2, s3, s4
    std = math.sqrt(m2 / (n - 1)) if n > 1 else math.nan
    skew = n * math.sqrt(n - 1) / (n - 2) * m3 / m2**1.5 if n > 2 and m2 > 0 else math.nan
    kurt = (
        n * (n + 1) * (n - 1) * m4 / ((n - 2) * (n - 3) * m2**2) - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
        if n > 3 and m2 > 0
        else math.nan
    )
    return {"mean": float(mean), "std": float(std), "skewness": float(skew), "kurtosis": float(kurt)}


def reference(path):
    """Exact counts/min/max and two-pass moments per numeric column, from Polars' correctly rounded parser."""
    df = pl.read_csv(path)
    ref = {"rows": df.height, "numeric": {}, "uncentred": {}}
    for name, dtype in df.schema.items():
        if not dtype.is_numeric():
            continue
        s = df[name]
        x = s.drop_nulls().cast(pl.Float64).to_numpy()
        r = {"count": int(x.size), "null_count": int(s.null_count()), "min": float(x.min()), "max": float(x.max())}
        r.update(reference_moments(x))
        ref["numeric"][name] = r
        ref["uncentred"][name] = reference_moments(x, shift_correct=False)
    return ref


def _ordered(x):
    i = struct.unpack("<q", struct.pack("<d", x))[0]
    return i if i >= 0 else -(i & 0x7FFFFFFFFFFFFFFF)


def ulps(a, b):
    if a is None or b is None:
        return 0 if a is b else math.inf
    if math.isnan(a) or math.isnan(b):
        return 0 if (math.isnan(a) and math.isnan(b)) else math.inf
    return abs(_ordered(a) - _ordered(b))


def columns(result, kind):
    return {c["name"]: c for c in result.get("columns", []) if c.get("type") == kind}


def correctness(path, runs, checks):
    print(f"\n== {NAME}: correctness ==")
    brisk = runs.get("brisk")
    bounded = runs.get("brisk_bounded")
    polars = runs.get("polars")
    pandas = runs.get("pandas")
    have_brisk = brisk is not None and brisk.ok
    ref = reference(path)

    if not have_brisk:
        checks.line("SKIP", "brisk checks: brisk did not run" + (f" ({brisk.error.splitlines()[0]})" if brisk else ""))
    else:
        check_brisk(brisk.result, ref, polars, checks)
        if bounded is not None and bounded.ok:
            b_num, u_num = columns(bounded.result, "numeric"), columns(brisk.result, "numeric")
            diffs = [
                f"{n}.{q}: {u_num[n].get(q)!r} vs {b_num.get(n, {}).get(q)!r}"
                for n in u_num for q in QUANTILES
                if b_num.get(n, {}).get(q) != u_num[n].get(q)
            ]
            checks.check(not diffs, f"bounded-memory quantiles == unbounded quantiles exactly"
                         + (f" ({len(diffs)} differ: {'; '.join(diffs[:4])})" if diffs else ""))
            same = bounded.result.get("columns") == brisk.result.get("columns")
            checks.line("INFO", f"bounded-memory output {'identical to' if same else 'differs from'} unbounded output")
        else:
            checks.line("SKIP", "bounded-memory quantiles: bounded run did not succeed")

    # Context: what skipping the re-centring on the exact mean would cost.
    worst = {m: max(rel(ref["uncentred"][n][m], ref["numeric"][n][m]) for n in ref["numeric"]) for m in MOMENTS}
    checks.line("INFO", "two-pass without re-centring on the exact mean, max rel diff: "
                + ", ".join(f"{m} {v:.1e}" for m, v in worst.items()))
    # Context: how close the peers come to the two-pass reference.
    for run in (pandas, polars):
        if run is None or not run.ok:
            continue
        num = columns(run.result["stats"], "numeric")
        worst = {m: max(rel(num[n][m], ref["numeric"][n][m]) for n in ref["numeric"]) for m in MOMENTS}
        checks.line("INFO", f"{run.tool} vs two-pass reference, max rel diff: "
                    + ", ".join(f"{m} {v:.1e}" for m, v in worst.items()))


def check_brisk(out, ref, polars, checks):
    num = columns(out, "numeric")
    cat = columns(out, "categorical")
    checks.check(out.get("rows") == ref["rows"], f"rows: brisk {out.get('rows')} vs {ref['rows']}")

    absent = [n for n in ref["numeric"] if n not in num]
    checks.check(not absent, "brisk reports every numeric column as numeric" + (f" (missing: {absent})" if absent else ""))
    names = [n for n in ref["numeric"] if n in num]

    bad = [f"{n}.{k}: {num[n].get(k)!r} vs {ref['numeric'][n][k]!r}"
           for n in names for k in EXACT if num[n].get(k) != ref["numeric"][n][k]]
    checks.check(not bad, "count/null_count/min/max equal the reference exactly" + (f" ({'; '.join(bad[:4])})" if bad else ""))

    # Quantiles versus Polars' linear interpolation.
    if polars is not None and polars.ok:
        pnum = columns(polars.result["stats"], "numeric")
        pairs = [(n, q, num[n].get(q), pnum[n][q]) for n in names for q in QUANTILES]
        u = [(n, q, a, b, ulps(a, b)) for n, q, a, b in pairs]
        exact = sum(1 for x in u if x[4] == 0)
        one = [x for x in u if x[4] == 1]
        worse = [x for x in u if x[4] > 1]
        max_rel = max((rel(a, b) for _, _, a, b in pairs), default=0.0)
        detail = f"{exact}/{len(u)} exact, {len(one)} at 1 ulp, {len(worse)} beyond; max rel diff {max_rel:.1e}"
        checks.check(not worse, f"q25/median/q75 == Polars linear quantiles ({detail})")
        for n, q, a, b, d in (one + worse)[:8]:
            checks.line("INFO", f"  {n}.{q}: brisk {a!r} vs Polars {b!r} ({d} ulp)")

        pcat = columns(polars.result["stats"], "categorical")
        if TEXT_COLUMN in pcat and TEXT_COLUMN in cat:
            keys = ("count", "null_count", "unique", "top", "freq")
            bad = [f"{k}: {cat[TEXT_COLUMN].get(k)!r} vs {pcat[TEXT_COLUMN][k]!r}"
                   for k in keys if cat[TEXT_COLUMN].get(k) != pcat[TEXT_COLUMN][k]]
            checks.check(not bad, f"{TEXT_COLUMN}: count/null_count/unique/top/freq == Polars"
                         + (f" ({'; '.join(bad)})" if bad else ""))
        else:
            checks.check(False, f"{TEXT_COLUMN} reported as categorical by brisk and Polars")
    else:
        checks.line("SKIP", "quantiles/categorical versus Polars: Polars did not run")

    # Moments versus the compensated two-pass reference.
    for m in MOMENTS:
        diffs = {n: rel(num[n].get(m), ref["numeric"][n][m]) for n in names}
        worst = max(diffs, key=diffs.get) if diffs else None
        worst_txt = f"max rel diff {diffs[worst]:.1e} ({worst})" if worst else "no columns"
        checks.check(all(d <= MOMENT_RTOL for d in diffs.values()),
                     f"{m} == two-pass reference to {MOMENT_RTOL:g} relative: {worst_txt}")
    if "near_1e9" in num:
        a, b = num["near_1e9"].get("std"), ref["numeric"]["near_1e9"]["std"]
        checks.check(rel(a, b) <= MOMENT_RTOL,
                     f"near_1e9 std: brisk {a!r} vs two-pass {b!r} (rel diff {rel(a, b):.1e})")
