"""The report commands: `brisk importance` versus scikit-learn, `brisk report` versus the same pipeline
written with pandas, scikit-learn and matplotlib, and `brisk report` versus ydata-profiling.

Three cases, registered separately (importance, pipeline, profile) and together as the group "report";
the data of the first two comes from gen_report.py, profile's (cases/profile.py) from gen_data.py.
"""

import json
import os
import subprocess
import tempfile

import numpy as np
import polars as pl
from scipy import stats as sps

import gen_report
from cases.frames import of
from cases.profile import PROFILE
from harness import (Case, brisk_row, ok, print_table, rel, run_brisk, run_peer, skip_line, timing_note,
                     wall_target_line)

GROUP = "report"

TARGET = "label"
REGRESSION_TARGET = "f00"  # the f_regression variant of `importance` scores f01..f19 against f00
IMPORTANCE_RTOL = 1e-9  # scores and p-values, brisk importance versus scikit-learn
PIPELINE_RTOL = 1e-6  # brisk importance on the pandas-cleaned table versus the pipeline's f_classif
PENGUINS_LIMIT_S = 3.0  # `brisk report` with no arguments (the embedded penguins)
PEER = "pandas+sklearn+matplotlib"
BRISK_STAGES = ("load", "clean", "statistics", "text summaries", "correlation", "importance", "pca", "kmeans",
                "visualise", "render", "write")


# ---------------------------------------------------------------- shared helpers


def by_feature(result):
    """{feature: (score, p_value)} of brisk importance's JSON ({"features": [{"feature", "score", "p_value"}]})
    or of a peer's result ({"features": [names], "score": [...], "p_value": [...]})."""
    feats = result["features"]
    if feats and isinstance(feats[0], dict):
        return {f["feature"]: (f.get("score"), f.get("p_value")) for f in feats}
    return dict(zip(feats, zip(result["score"], result["p_value"])))


def compare_scores(checks, got, want, label, rtol):
    """brisk importance's JSON `got` versus a peer's {"features", "score", "p_value", "rows"}."""
    ref = by_feature(want)
    feats = got.get("features") if isinstance(got, dict) else None
    if not (isinstance(feats, list) and all(isinstance(f, dict) and "feature" in f for f in feats)):
        checks.check(False, f"brisk's JSON has a list of features: got {str(got)[:200]}")
        return
    mine = by_feature(got)
    checks.check(got.get("rows") == want["rows"] and set(mine) == set(ref),
                 f"rows and features == {of(label)}: {count(got.get('rows'))} vs {want['rows']:,} rows,"
                 f" {len(mine)} vs {len(ref)} features" + ("" if set(mine) == set(ref) else
                                                           f" (differ: {sorted(set(mine) ^ set(ref))})"))
    common = [f for f in ref if f in mine]
    for i, what in enumerate(("score", "p_value")):
        diffs = {f: rel(mine[f][i], ref[f][i]) for f in common}
        worst = max(diffs, key=diffs.get, default=None)
        detail = "no features" if worst is None else (
            f"max rel diff {diffs[worst]:.1e} ({worst}: brisk {mine[worst][i]!r} vs {ref[worst][i]!r}),"
            f" {sum(d == 0 for d in diffs.values())}/{len(diffs)} exact")
        checks.check(bool(diffs) and diffs[worst] <= rtol, f"{what} == {of(label)} to {rtol:g} relative: {detail}")
    scores = [f.get("score") for f in feats]
    ranked = sorted(scores, key=lambda s: (s is None, -(s or 0.0)))
    checks.check(scores == ranked, "brisk lists the features by score, highest first (undefined last)")


def count(x):
    """A count as text: 1,234 for an integer, its repr otherwise."""
    return f"{x:,}" if type(x) is int else repr(x)


def brisk_importance(ctx, path, target):
    """`brisk importance PATH --target TARGET --format json` run once, untimed: (JSON, None) or (None, why)."""
    p = subprocess.run([ctx.brisk, "importance", path, "--target", target, "--format", "json", "--quiet"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, f"exit code {p.returncode}: {p.stderr.strip()[-300:]}"
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, f"stdout is not JSON ({e})"


def page_summary(path):
    """(bytes, inline <svg> elements) of an HTML page, or None if there is none."""
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return (len(text.encode("utf-8")), text.count("<svg")) if text.lstrip().lower().startswith("<!doctype html") else None


# ---------------------------------------------------------------- importance


def reference_scores(path, target, method):
    """f_classif / f_regression computed on centred data (two passes, class means corrected by the mean of
    their residuals), as {"features", "score", "p_value"}; also the largest |mean| / std of a feature."""
    df = pl.read_csv(path)
    features = [c for c in df.columns if c != target and df[c].dtype.is_numeric()]
    df = df.drop_nulls([*features, target])
    x = df.select(features).to_numpy()
    n = len(x)
    center = x.mean(axis=0)
    centred = x - center
    centred -= centred.mean(axis=0)
    if method == "classif":
        codes = df[target].cast(pl.Categorical).to_physical().to_numpy()
        k, counts = codes.max() + 1, np.bincount(codes)
        means = np.stack([np.bincount(codes, centred[:, j]) for j in range(x.shape[1])], axis=1) / counts[:, None]
        resid = centred - means[codes]
        means += np.stack([np.bincount(codes, resid[:, j]) for j in range(x.shape[1])], axis=1) / counts[:, None]
        within = ((centred - means[codes]) ** 2).sum(axis=0)
        between = (counts[:, None] * (means - centred.mean(axis=0)) ** 2).sum(axis=0)
        dof = (k - 1, n - k)
        score = (between / dof[0]) / (within / dof[1])
    else:
        y = df[target].to_numpy()
        y = y - y.mean()
        y -= y.mean()
        r = centred.T @ y / np.sqrt((centred**2).sum(axis=0) * (y @ y))
        dof = (1, n - 2)
        score = r**2 / (1 - r**2) * dof[1]
    p_value = sps.f.sf(score, *dof)
    spread = np.abs(center) / x.std(axis=0)
    return {"features": features, "score": score.tolist(), "p_value": p_value.tolist(), "dof": dof}, spread.max()


def info_reference(checks, path, target, method, runs):
    ref, ratio = reference_scores(path, target, method)
    exact = by_feature(ref)
    parts = []
    for key, label in (("brisk", "brisk"), ("sklearn", "scikit-learn")):
        run = runs.get(key)
        if not ok(run):
            continue
        got = by_feature(run.result if key == "brisk" else run.result["stats"])
        worst = [max((rel(v[i], exact[f][i]) for f, v in got.items() if f in exact), default=0.0) for i in (0, 1)]
        parts.append(f"{label} {worst[0]:.1e} / {worst[1]:.1e}")
    checks.line("INFO", f"max rel diff (score / p-value) from a centred two-pass f_{method} in numpy: "
                + ", ".join(parts) + f"; largest |mean| / std of a feature {ratio:.2f}")
    if ok(runs.get("brisk")):
        got = by_feature(runs["brisk"].result).values()
        sf = max((rel(p, float(sps.f.sf(s, *ref["dof"]))) for s, p in got if s is not None), default=0.0)
        checks.line("INFO", f"brisk's p-values vs scipy.stats.f.sf of brisk's own scores: max rel diff {sf:.1e}")


def run_importance(ctx, checks):
    path = gen_report.ensure("importance", ctx.seed, ctx.data_dir)["data"]
    spec = gen_report.SPECS["importance"]
    print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.0f} MiB, {spec['rows']:,} rows,"
          f" {spec['features']} numeric features and a text {TARGET} with {len(gen_report.CLASSES)} classes)")
    for method, target in (("classif", TARGET), ("regression", REGRESSION_TARGET)):
        runs = {}
        if "brisk" in ctx.tools:
            cmd = [ctx.brisk, "importance", path, "--target", target, "--format", "json", "--quiet"]
            runs["brisk"] = brisk_row(ctx, "importance", lambda: run_brisk("brisk", cmd, path, ctx.repeat))
        if "sklearn" in ctx.tools:
            runs["sklearn"] = run_peer(f"scikit-learn f_{method}", "sklearn_importance", path, ctx.repeat,
                                       (target, method))
        brisk, peer = runs.get("brisk"), runs.get("sklearn")
        print_table(f"importance f_{method}: {os.path.basename(path)} --target {target}", list(runs.values()),
                    brisk.wall if ok(brisk) else None)
        print(timing_note(f"read the CSV, drop the rows with a null, f_{method} of every numeric column"))

        print(f"\n== importance f_{method}: correctness ==")
        if not (ok(brisk) and ok(peer)):
            skip_line(checks, peer if ok(brisk) else brisk, f"brisk versus scikit-learn, f_{method}")
            continue
        checks.check(brisk.result.get("method") == f"f_{method}" and brisk.result.get("target") == target,
                     f"brisk's method and target: {brisk.result.get('method')!r}, {brisk.result.get('target')!r}")
        compare_scores(checks, brisk.result, peer.result["stats"], "scikit-learn", IMPORTANCE_RTOL)
        info_reference(checks, path, target, method, runs)


# ---------------------------------------------------------------- pipeline


def run_pipeline(ctx, checks):
    path = gen_report.ensure("pipeline", ctx.seed, ctx.data_dir)["data"]
    spec = gen_report.SPECS["pipeline"]
    print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.0f} MiB, {spec['rows']:,} rows,"
          f" {spec['numeric']} numeric and 2 text columns, target {TARGET})")
    runs = {}
    with tempfile.TemporaryDirectory(prefix=".report-", dir=ctx.data_dir) as tmp:
        pages = {k: os.path.join(tmp, f"{k}.html") for k in ("brisk", "peer", "penguins")}
        cleaned = os.path.join(tmp, "cleaned.csv")
        profile = os.path.join(tmp, "profile.json")
        if "brisk" in ctx.tools:
            cmd = [ctx.brisk, "report", path, "--target", TARGET, "-o", pages["brisk"], "--format", "json",
                   "--quiet", "--profile-json", profile]
            runs["brisk"] = brisk_row(ctx, "report", lambda: run_brisk("brisk", cmd, path, ctx.repeat))
        if "pandas" in ctx.tools:
            runs["peer"] = run_peer(PEER, "pandas_report", path, ctx.repeat, (TARGET, pages["peer"], cleaned))
        brisk, peer = runs.get("brisk"), runs.get("peer")
        print_table(f"pipeline: brisk report {os.path.basename(path)} --target {TARGET}", list(runs.values()),
                    brisk.wall if ok(brisk) else None)
        print(timing_note("read, clean, statistics, correlation, PCA, k-means, importance, 4 charts, the HTML page"))
        info_stages(brisk, peer, profile)

        penguins = None
        if "brisk" in ctx.tools:
            # No arguments at all: the page goes to report.html in the working folder.
            penguins = brisk_row(ctx, "report", lambda: run_brisk("brisk", [ctx.brisk, "report"], ctx.brisk,
                                                                  ctx.repeat, parse_json=False, cwd=tmp))
            if ok(penguins):
                os.replace(os.path.join(tmp, "report.html"), pages["penguins"])
            print_table("report: embedded penguins (`brisk report`, no arguments)", [penguins], None)
            wall_target_line(penguins, PENGUINS_LIMIT_S, "brisk report (embedded penguins) wall")

        print("\n== pipeline: correctness ==")
        pipeline_checks(ctx, checks, runs, pages, cleaned)
        if penguins is not None and ok(penguins):
            page = page_summary(pages["penguins"])
            checks.check(page is not None and page[1] >= 4, "brisk report (penguins) wrote report.html: "
                         + (f"{page[0] / 1024:,.0f} KiB, {page[1]} inline SVG" if page else "no HTML page"))


def info_stages(brisk, peer, profile):
    """Where the time goes: brisk's profile stages (--profile-json) and the peer's own stage clock."""
    if ok(brisk) and os.path.isfile(profile):
        with open(profile) as f:
            stages = {}
            for s in json.load(f).get("stages", []):
                stages.setdefault(s.get("name"), s.get("wall_seconds", 0.0))  # "importance" of transform, not a chart
        print("brisk stages (s): " + ", ".join(f"{k} {stages[k]:.2f}" for k in BRISK_STAGES if k in stages))
    if ok(peer):
        print("peer stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in peer.result["stats"]["stages"].items()))


def pipeline_checks(ctx, checks, runs, pages, cleaned):
    brisk, peer = runs.get("brisk"), runs.get("peer")
    for key, run, label in (("brisk", brisk, "brisk report"), ("peer", peer, PEER)):
        if ok(run):
            page = page_summary(pages[key])
            checks.check(page is not None and page[1] >= 4, f"{label} wrote a page: "
                         + (f"{page[0] / 2**20:,.1f} MiB, {page[1]} inline SVG" if page else "no HTML page"))
    if not (ok(brisk) and ok(peer)):
        skip_line(checks, peer if ok(brisk) else brisk, f"brisk report versus {PEER}")
        return
    got, want = brisk.result, peer.result["stats"]
    for k in ("rows_in", "rows_out"):
        checks.check(got.get(k) == want[k], f"{k} == the pandas cleaning's: {count(got.get(k))} vs {want[k]:,}"
                     + (f" ({want['duplicates_removed']:,} duplicates and {want['outlier_rows_removed']:,}"
                        " outlier rows removed)" if k == "rows_out" else ""))
    scores, why = brisk_importance(ctx, cleaned, TARGET)
    if why:
        checks.check(False, f"brisk importance on the pandas-cleaned table: {why}")
        return
    print("brisk importance on the table the pandas peer cleaned, versus the peer's f_classif on it:")
    compare_scores(checks, scores, want["importance"], "the peer", PIPELINE_RTOL)


IMPORTANCE = Case("importance", run_importance)
PIPELINE = Case("pipeline", run_pipeline)
CASES = (IMPORTANCE, PIPELINE, PROFILE)
