"""The brisk Python package against NumPy + SciPy, scikit-learn, pandas and ydata-profiling, in-process.

    bench/.venv/bin/python bench/python_inprocess.py [--cases stats,cov,kmeans,pca,clean,report]
        [--repeat 3] [--tools brisk,numpy,sklearn,pandas,ydata] [--no-memory] [--seed N]
        [--data-dir DIR] [--ydata-python PATH] [--json FILE]

(`bench/run.sh --only python` runs it.) One process holds each case's data in memory and times
brisk's call and the peer's call on the same objects, one after the other: one warm-up call each
(whose result the checks compare), then the best of --repeat timed calls. Nothing is read from
disk inside the clock. The cases:

stats   brisk.compute_statistics(X) against NumPy + SciPy computing the same keys, 1,000,000 x 50
cov     brisk.covariance(X) against np.cov(X, rowvar=False), 1,000,000 x 100
kmeans  brisk.KMeans against sklearn.cluster.KMeans(algorithm="lloyd"), 200,000 x 32, k = 16, both
        from the same initial centres (init=C, n_init=1), max_iter=50, tol=0
pca     brisk.PCA(10) against sklearn.decomposition.PCA(10) (svd_solver="auto")
clean   brisk.clean_dataset(df, numeric, categorical) against the pandas reference `clean` of
        peers/pandas_clean.py, on the 1,000,000-row frame pd.read_csv made of clean_1m.csv
report  brisk.report(df, target="category").html against ProfileReport(df).to_html() on the
        100,000-row stats_100k.csv; ydata-profiling needs pandas < 3 (bench/.venv-ydata), so its side
        runs in a child process with that interpreter, on its own pd.read_csv of the same file

Memory: in-process RSS figures of two calls in one process are not comparable (a side reuses the
pages the other freed; ru_maxrss only grows), and tracemalloc sees NumPy's allocations but not
Rust's. So each side's call also runs once more in a fresh child process that builds the same data
and makes the call once on its first 2,000 rows (lazy imports, thread pools): then it returns the
free heap to the system (malloc_trim), resets the peak RSS (`echo 5 > /proc/self/clear_refs`), makes
one call on the whole data and reports VmHWM - VmRSS: the extra resident memory that call needed
above the process holding its data (result included). Linux only; --no-memory skips it.

The exit status is 1 when a correctness check fails; the speed targets are reported, not enforced.
"""

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
TOOLS = ("brisk", "numpy", "sklearn", "pandas", "ydata")

STATS_SHAPE = (1_000_000, 50)
STATS_STREAM = 101  # random stream of the stats matrix (gen_arrays uses 1-3, gen_frames 11-12)
KMEANS_MAX_ITER = 50
PCA_K = 10
REPORT_ROWS = 100_000
REPORT_TARGET = "category"
SIGMA = 3.0
WARM_ROWS = 2_000  # rows of the small call that precedes a memory measurement


# ---------------------------------------------------------------- measuring


def _status_kib(key):
    """A field of /proc/self/status in KiB (VmRSS, VmHWM), or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def extra_peak_mib(call):
    """(extra peak RSS of call() above the RSS before it, MiB; the process's peak RSS, MiB), or
    (None, None) where the peak cannot be reset. The free heap is returned to the system first
    (glibc's malloc_trim), so the call cannot reuse pages that are resident but free."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current RSS
    except OSError:
        call()
        return None, None
    before = _status_kib("VmRSS")
    call()
    peak = _status_kib("VmHWM")
    if before is None or peak is None:
        return None, None
    return (peak - before) / 1024, peak / 1024


def best_of(call, repeat):
    """(best wall seconds of `repeat` timed calls, the warm-up call's result)."""
    gc.collect()
    result = call()
    best = math.inf
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best, result


def rel_diff(got, ref):
    """Largest elementwise relative difference |got - ref| / max(|ref|, 1e-300); NaN equals NaN."""
    import numpy as np

    got, ref = np.asarray(got, np.float64), np.asarray(ref, np.float64)
    if got.shape != ref.shape:
        return math.inf
    same = (got == ref) | (np.isnan(got) & np.isnan(ref))
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.where(same, 0.0, np.abs(got - ref))
    diff = np.where(np.isnan(diff), np.inf, diff)
    return float(np.max(diff / np.maximum(np.abs(ref), 1e-300))) if diff.size else 0.0


# ---------------------------------------------------------------- data (the same in every process)


def stats_matrix(seed):
    """1,000,000 x 50, seeded, no NaN: five kinds of column in turn (normal, lognormal, Student-t with 5
    degrees of freedom, uniform, a bimodal mixture), each with its own location and scale."""
    import numpy as np

    rng = np.random.default_rng([seed, STATS_STREAM])
    n, d = STATS_SHAPE
    x = np.empty((n, d))
    for j in range(d):
        loc, scale = rng.uniform(-50, 50), np.exp(rng.uniform(np.log(0.1), np.log(100)))
        kind = j % 5
        if kind == 0:
            col = rng.standard_normal(n)
        elif kind == 1:
            col = rng.lognormal(0.0, 0.75, n)
        elif kind == 2:
            col = rng.standard_t(5, n)
        elif kind == 3:
            col = rng.random(n)
        else:
            col = np.where(rng.random(n) < 0.3, rng.normal(-2, 0.5, n), rng.normal(3, 1, n))
        x[:, j] = loc + scale * col
    return x


def gen_array(name, seed):
    """The array of gen_arrays.py's data set `name`, made in memory: the same values as its .npy file."""
    import numpy as np

    import gen_arrays

    spec = gen_arrays.SPECS[name]
    rng = np.random.default_rng([seed, spec["stream"]])
    if name == "kmeans":
        return gen_arrays.gen_kmeans(rng, spec)
    blocks = gen_arrays.gen_cov(rng, spec) if name == "cov" else gen_arrays.gen_pca(rng, spec)
    x = np.empty((spec["rows"], spec["cols"]))
    done = 0
    for block in blocks:
        x[done:done + len(block)] = block
        done += len(block)
    return x


def clean_path(seed, data_dir):
    import gen_frames

    return gen_frames.ensure("clean", seed, data_dir)["data"]


def report_path(seed, data_dir):
    import gen_data

    path = os.path.join(data_dir, f"stats_{gen_data.data_label(REPORT_ROWS)}.csv")
    gen_data.ensure(REPORT_ROWS, seed, path)
    return path


def load(case, seed, data_dir):
    """The in-memory inputs of a case, built outside any clock."""
    if case == "stats":
        return {"X": stats_matrix(seed)}
    if case in ("cov", "pca"):
        return {"X": gen_array(case, seed)}
    if case == "kmeans":
        x, init = gen_array("kmeans", seed)
        return {"X": x, "init": init}
    import pandas as pd

    if case == "clean":
        df = pd.read_csv(clean_path(seed, data_dir))
        numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
        return {"df": df, "numeric": numeric, "categorical": [c for c in df.columns if c not in numeric]}
    path = report_path(seed, data_dir)
    return {"df": pd.read_csv(path), "path": path}


def shape_of(data):
    if "X" in data:
        return " x ".join(f"{s:,}" for s in data["X"].shape)
    return f"{len(data['df']):,} rows x {data['df'].shape[1]}"


# ---------------------------------------------------------------- the calls


def brisk_call(case, brisk, data, report_from_file=False):
    """A function making brisk's call of `case` on `data` (for report: on the DataFrame, or on its CSV file
    with report_from_file)."""
    if case == "stats":
        return lambda: brisk.compute_statistics(data["X"])
    if case == "cov":
        return lambda: brisk.covariance(data["X"])
    if case == "kmeans":
        return lambda: brisk.KMeans(n_clusters=len(data["init"]), init=data["init"], n_init=1,
                                    max_iter=KMEANS_MAX_ITER, tol=0.0).fit(data["X"])
    if case == "pca":
        return lambda: brisk.PCA(n_components=PCA_K).fit(data["X"])
    if case == "clean":
        return lambda: brisk.clean_dataset(data["df"], data["numeric"], data["categorical"], sigma=SIGMA)

    def report():
        rep = brisk.report(data["path"] if report_from_file else data["df"], target=REPORT_TARGET)
        return rep, rep.html  # .html inside the clock: the page is rendered even if it is made lazily

    return report


def report_from_file(brisk, data):
    """(True, why) if brisk.report takes no DataFrame (tried on the first rows), else (False, None)."""
    try:
        brisk.report(head(data)["df"], target=REPORT_TARGET)
    except TypeError as e:
        return True, f"brisk.report read the CSV file itself (it took no DataFrame: {e})"
    return False, None


def numpy_scipy_statistics(X):
    """C.1 with NumPy and SciPy: the keys of brisk.compute_statistics (sample conventions: ddof 1, G1, G2)."""
    import numpy as np
    from scipy import stats

    q = np.quantile(X, [0.25, 0.5, 0.75], axis=0)
    return {"count": np.count_nonzero(~np.isnan(X), axis=0).astype(np.float64), "mean": X.mean(axis=0),
            "std": X.std(axis=0, ddof=1), "min": X.min(axis=0), "q25": q[0], "median": q[1], "q75": q[2],
            "max": X.max(axis=0), "skewness": stats.skew(X, axis=0, bias=False),
            "kurtosis": stats.kurtosis(X, axis=0, bias=False)}


def peer_call(case, data):
    """A function making the peer's call of `case` on `data` (every case but report, whose peer is a child)."""
    if case == "stats":
        return lambda: numpy_scipy_statistics(data["X"])
    if case == "cov":
        import numpy as np

        return lambda: np.cov(data["X"], rowvar=False)
    if case == "kmeans":
        from sklearn.cluster import KMeans

        return lambda: KMeans(n_clusters=len(data["init"]), init=data["init"], n_init=1, max_iter=KMEANS_MAX_ITER,
                              tol=0, algorithm="lloyd").fit(data["X"])
    if case == "pca":
        from sklearn.decomposition import PCA

        return lambda: PCA(n_components=PCA_K).fit(data["X"])
    if case == "clean":
        from peers.pandas_clean import clean

        return lambda: clean(data["df"], SIGMA)
    raise ValueError(case)


# ---------------------------------------------------------------- cases

# name -> (brisk's call, the peer, its tool in --tools, the issue's target brisk / peer or None)
CASES = {
    "stats": ("compute_statistics", "NumPy + SciPy", "numpy", 0.3),
    "cov": ("covariance", "np.cov", "numpy", 0.5),
    "kmeans": ("KMeans", "scikit-learn", "sklearn", 0.5),
    "pca": ("PCA", "scikit-learn", "sklearn", 0.7),
    "clean": ("clean_dataset", "pandas", "pandas", 0.25),
    "report": ("report", "ydata-profiling", "ydata", None),
}


class Side:
    """One side of a case: seconds, memory, result or why it did not run."""

    def __init__(self, seconds=None, result=None, why=None, extra_mib=None, peak_mib=None, note=None):
        self.seconds, self.result, self.why = seconds, result, why
        self.extra_mib, self.peak_mib, self.note = extra_mib, peak_mib, note

    @property
    def ok(self):
        return self.why is None


def memory_child(case, side, a):
    """(extra MiB, peak MiB, None) of one call of `side` in a fresh process, or (None, None, why)."""
    cmd = [sys.executable, os.path.abspath(__file__), "--child-memory", case, side, "--seed", str(a.seed),
           "--data-dir", a.data_dir]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=BENCH_DIR)
    if p.returncode != 0:
        return None, None, (p.stderr.strip().splitlines() or ["failed"])[-1]
    out = json.loads(p.stdout.strip().splitlines()[-1])
    return out["extra_mib"], out["peak_mib"], None


def head(data, rows=WARM_ROWS):
    """`data` with its array or frame cut to its first `rows` rows (for a warm-up call)."""
    out = dict(data)
    for key in ("X", "df"):
        if key in out:
            out[key] = out[key][:rows] if key == "X" else out[key].head(rows)
    return out


def child_memory_main(case, side, seed, data_dir):
    """--child-memory: build the data, make one call of `side` on its first rows (so that lazy imports,
    thread pools and other first-call costs are paid outside the measurement, while the few pages that
    call frees cannot hide the real call's), then measure one call on the whole data and print
    {"extra_mib", "peak_mib"}."""
    data = load(case, seed, data_dir)
    small = head(data)
    if side == "brisk":
        import brisk

        from_file = case == "report" and report_from_file(brisk, data)[0]
        make = lambda d: brisk_call(case, brisk, d, from_file)  # noqa: E731
    else:
        make = lambda d: peer_call(case, d)  # noqa: E731
    make(small)()
    extra, peak = extra_peak_mib(make(data))
    print(json.dumps({"extra_mib": extra, "peak_mib": peak}))


def run_brisk(case, brisk, data, a):
    note = None
    try:
        from_file, note = report_from_file(brisk, data) if case == "report" else (False, None)
        seconds, result = best_of(brisk_call(case, brisk, data, from_file), a.repeat)
    except Exception as e:  # noqa: BLE001 - shown in the table, the other cases still run
        return Side(why=f"brisk failed: {type(e).__name__}: {str(e)[:200]}")
    side = Side(seconds, result, note=note)
    if not a.no_memory:
        side.extra_mib, side.peak_mib, why = memory_child(case, "brisk", a)
        if why:
            side.note = f"memory not measured: {why}"
    return side


def run_peer(case, data, a):
    if case == "report":
        return run_ydata(data["path"], a)
    try:
        seconds, result = best_of(peer_call(case, data), a.repeat)
    except Exception as e:  # noqa: BLE001
        return Side(why=f"failed: {type(e).__name__}: {str(e)[:200]}")
    side = Side(seconds, result)
    if not a.no_memory:
        side.extra_mib, side.peak_mib, why = memory_child(case, "peer", a)
        if why:
            side.note = f"memory not measured: {why}"
    return side


# ---------------------------------------------------------------- ydata-profiling (a child in its own venv)


def run_ydata(path, a):
    python = a.ydata_python
    if not (python and os.path.isfile(python) and os.access(python, os.X_OK)):
        return Side(why=f"missing: no ydata-profiling interpreter at {python!r} (bench/run.sh makes bench/.venv-ydata)")
    cmd = [python, os.path.abspath(__file__), "--child-ydata", path, "--repeat", str(a.repeat)]
    if a.no_memory:
        cmd.append("--no-memory")
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=BENCH_DIR)
    if p.returncode != 0:
        return Side(why=f"ydata-profiling failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
    out = json.loads(p.stdout.strip().splitlines()[-1])
    return Side(out["seconds"], out, extra_mib=out["extra_mib"], peak_mib=out["peak_mib"],
                note=f"ydata-profiling {out['version']} (pandas {out['pandas']}) in a child process")


def child_ydata_main(path, repeat, no_memory):
    """--child-ydata: pd.read_csv (untimed), then ProfileReport(df, progress_bar=False).to_html(): a call on
    the first rows, the first call on the whole frame measured for memory (it is also the warm-up), then the
    best of `repeat`. Prints one JSON line."""
    os.environ.setdefault("YDATA_PROFILING_NO_ANALYTICS", "True")  # no network request in the clock
    from importlib.metadata import version

    import pandas as pd
    from ydata_profiling import ProfileReport

    df = pd.read_csv(path)

    def call(frame=df):
        rep = ProfileReport(frame, progress_bar=False)
        return rep, rep.to_html()

    if no_memory:
        call()
        extra = peak = None
    else:
        call(df.head(WARM_ROWS))  # first-call costs, outside the measurement (as in child_memory_main)
        extra, peak = extra_peak_mib(call)  # also the warm-up of the timed calls
    best, last = math.inf, None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        last = call()
        best = min(best, time.perf_counter() - t0)
    desc = last[0].get_description()
    means = {str(k): float(v["mean"]) for k, v in desc.variables.items() if v.get("mean") is not None}
    print(json.dumps({"seconds": best, "extra_mib": extra, "peak_mib": peak, "rows": int(desc.table["n"]),
                      "means": means, "html_bytes": len(last[1]), "version": version("ydata-profiling"),
                      "pandas": pd.__version__}))


# ---------------------------------------------------------------- correctness


class Checks:
    def __init__(self):
        self.failed = 0

    def line(self, status, text):
        self.failed += status == "FAIL"
        print(f"{status:<5} {text}")

    def check(self, ok, text):
        self.line("PASS" if ok else "FAIL", text)


ALIASES = {"skew": "skewness", "kurt": "kurtosis", "25%": "q25", "50%": "median", "75%": "q75",
           "q1": "q25", "q3": "q75", "p25": "q25", "p50": "median", "p75": "q75"}


def check_stats(checks, got, ref):
    got = {ALIASES.get(k, k): v for k, v in dict(got).items()}
    quartiles = got.pop("quartiles", None)  # one (3, n_features) array: q25, median, q75
    if quartiles is not None and getattr(quartiles, "shape", (0,))[0] == 3:
        for i, k in enumerate(("q25", "median", "q75")):
            got.setdefault(k, quartiles[i])
    missing = [k for k in ref if k not in got]
    if missing:
        checks.check(False, f"compute_statistics has the keys of the C.1 reference: missing {missing}"
                     f" (brisk's keys: {sorted(got)})")
    exact = [k for k in ("count", "min", "max") if k in got]
    worst = {k: rel_diff(got[k], ref[k]) for k in exact}
    checks.check(all(v == 0 for v in worst.values()), f"compute_statistics {', '.join(exact)} == NumPy exactly: "
                 + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    for keys, rtol in ((("q25", "median", "q75"), 1e-12), (("mean", "std"), 1e-9)):
        keys = [k for k in keys if k in got]
        worst = {k: rel_diff(got[k], ref[k]) for k in keys}
        checks.check(all(v <= rtol for v in worst.values()),
                     f"compute_statistics {', '.join(keys)} == NumPy + SciPy to {rtol:g} relative: "
                     + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    # Skewness and kurtosis are dimensionless and of order 1; near 0 (a symmetric column) SciPy's
    # sums lose digits: on the uniform column 28 its skewness 0.0014137035667 is 1.4e-7 off a
    # long-double two-pass value, brisk's 1.6e-14. So they are held to 1e-9 of max(1, |value|).
    import numpy as np
    keys = [k for k in ("skewness", "kurtosis") if k in got]
    worst = {k: float(np.max(np.abs(np.asarray(got[k]) - ref[k]) / np.maximum(1.0, np.abs(ref[k]))))
             for k in keys}
    checks.check(all(v <= 1e-9 for v in worst.values()),
                 f"compute_statistics {', '.join(keys)} == SciPy's to 1e-9 of max(1, |value|): "
                 + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))


def check_cov(checks, got, ref):
    d = rel_diff(got, ref)
    checks.check(d <= 1e-10, f"covariance == np.cov to 1e-10 relative (elementwise): max rel diff {d:.1e}")


def check_kmeans(checks, got, ref):
    import numpy as np

    labels_got, labels_ref = np.asarray(got.labels_), np.asarray(ref.labels_)
    differ = int(np.count_nonzero(labels_got != labels_ref)) if labels_got.shape == labels_ref.shape else -1
    checks.check(differ == 0, f"KMeans labels_ == scikit-learn's: {differ:,} of {len(labels_ref):,} differ"
                 if differ >= 0 else f"KMeans labels_ shape {labels_got.shape} != {labels_ref.shape}")
    d = rel_diff(got.inertia_, ref.inertia_)
    checks.check(d <= 1e-6, f"KMeans inertia_ == scikit-learn's to 1e-6 relative: {float(got.inertia_):.10g} vs"
                 f" {float(ref.inertia_):.10g} ({d:.1e})")
    checks.check(int(got.n_iter_) == int(ref.n_iter_), f"KMeans n_iter_ == scikit-learn's: {got.n_iter_} vs {ref.n_iter_}")
    d = rel_diff(got.cluster_centers_, ref.cluster_centers_)
    checks.line("PASS" if d <= 1e-9 else "INFO", f"KMeans cluster_centers_ == scikit-learn's to 1e-9 relative"
                f" (elementwise): max rel diff {d:.1e}")


def check_pca(checks, got, ref):
    import numpy as np

    checks.line("INFO", f"scikit-learn PCA svd_solver='auto' chose {getattr(ref, '_fit_svd_solver', '?')!r}")
    for attr in ("explained_variance_", "explained_variance_ratio_", "mean_"):
        d = rel_diff(getattr(got, attr), getattr(ref, attr))
        checks.check(d <= 1e-9, f"PCA {attr} == scikit-learn's to 1e-9 relative: max rel diff {d:.1e}")
    a, b = np.asarray(got.components_), np.asarray(ref.components_)
    if a.shape != b.shape:
        checks.check(False, f"PCA components_ shape {a.shape} != scikit-learn's {b.shape}")
        return
    signs = np.sign(np.sum(a * b, axis=1))[:, None]
    d = float(np.max(np.abs(a * signs - b)))
    checks.check(d <= 1e-6, f"PCA components_ == scikit-learn's up to sign, to 1e-6 absolute: max diff {d:.1e};"
                 f" same signs in {int(np.sum(signs > 0))} of {len(signs)} rows")


def as_pandas(frame):
    return frame.to_pandas() if hasattr(frame, "to_pandas") else frame


def check_clean(checks, got, ref):
    import pandas as pd

    (got_df, got_rep), (ref_df, ref_rep) = got, ref
    for key in ("rows_in", "duplicates_removed", "values_lowercased", "outlier_rows_removed", "rows_out"):
        if key not in got_rep:
            checks.check(False, f"clean_dataset report has {key!r} (keys: {sorted(got_rep)})")
            continue
        checks.check(got_rep[key] == ref_rep[key], f"clean_dataset report {key} == pandas': {got_rep[key]!r} vs"
                     f" {ref_rep[key]!r}")
    got_df, ref_df = as_pandas(got_df).reset_index(drop=True), ref_df.reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(got_df, ref_df, check_dtype=False, check_exact=False, rtol=1e-12, atol=0)
        checks.check(True, f"clean_dataset frame == pandas' (every cell; numbers to 1e-12 relative):"
                     f" {len(ref_df):,} rows x {ref_df.shape[1]}")
    except AssertionError as e:
        first = " ".join(str(e).split())[:300]
        checks.check(False, f"clean_dataset frame == pandas': {first}")


def brisk_report_means(summary):
    """{column: mean} from Report.to_dict(), for the shapes brisk's summaries take; {} if none is found."""
    cols = summary.get("columns") if isinstance(summary, dict) else None
    items = cols.items() if isinstance(cols, dict) else ((c.get("name"), c) for c in cols or [] if isinstance(c, dict))
    out = {}
    for name, c in items:
        mean = c.get("mean") if isinstance(c, dict) else None
        if isinstance(mean, (int, float)) and not isinstance(mean, bool):
            out[str(name)] = float(mean)
    return out


def check_report(checks, got, ref):
    rep, html = got
    checks.check(isinstance(html, str) and "<html" in html[:4096].lower(),
                 f"brisk report .html is an HTML page: {len(html) / 2**20:,.2f} MiB")
    checks.line("INFO", f"ydata-profiling page: {ref['html_bytes'] / 2**20:,.2f} MiB, {ref['rows']:,} rows")
    try:
        mine = brisk_report_means(rep.to_dict())
    except Exception as e:  # noqa: BLE001
        checks.line("SKIP", f"report means == ydata-profiling's: to_dict() failed ({e})")
        return
    common = [k for k in ref["means"] if k in mine]
    if not common:
        checks.line("SKIP", "report means == ydata-profiling's: no column mean found in Report.to_dict()")
        return
    worst = max(common, key=lambda k: rel_diff(mine[k], ref["means"][k]))
    d = rel_diff(mine[worst], ref["means"][worst])
    checks.check(d <= 1e-9, f"report column means == ydata-profiling's to 1e-9 relative, {len(common)} columns:"
                 f" max rel diff {d:.1e} ({worst})")


CHECKS = {"stats": check_stats, "cov": check_cov, "kmeans": check_kmeans, "pca": check_pca, "clean": check_clean,
          "report": check_report}


# ---------------------------------------------------------------- table


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def side_why(side):
    """The table's short word for a side that did not run."""
    return "not installed" if side.why.startswith("not installed") else "n/a"


def print_table(rows):
    head = (f"{'case':<19} {'shape':<21} {'peer':<16} {'brisk s':>13} {'peer s':>9} {'ratio':>7} {'target':>7}"
            f" {'':<10} {'brisk MiB':>10} {'peer MiB':>10}")
    print("\n== brisk (Python) vs its peers, in-process ==")
    print(head)
    print("-" * len(head))
    for r in rows:
        b, p = r["brisk"], r["peer"]
        ratio = b.seconds / p.seconds if b.ok and p.ok else None
        target = r["target"]
        verdict = ("not measured" if ratio is None or target is None
                   else "MET" if ratio <= target else "MISSED")
        if target is None:
            verdict = "-"
        print(f"{r['label']:<19} {r['shape']:<21} {r['peer_label']:<16}"
              f" {fmt(b.seconds, '13.3f') if b.ok else side_why(b):>13} {fmt(p.seconds, '9.3f') if p.ok else 'n/a':>9}"
              f" {fmt(ratio, '.3f'):>7} {fmt(target, 'g'):>7} {verdict:<10}"
              f" {fmt(b.extra_mib, '10.0f'):>10} {fmt(p.extra_mib, '10.0f'):>10}")
    print("(s: best of the timed calls after a warm-up, in this process, on the same in-memory data; ratio = brisk /"
          " peer;\n MiB: extra peak RSS of one call in a fresh process holding the data, VmHWM - VmRSS before the call)")
    for r in rows:
        for who in ("brisk", "peer"):
            s = r[who]
            if not s.ok:
                print(f"{r['label']}: {'brisk' if who == 'brisk' else r['peer_label']}: {s.why}")
            elif s.note:
                print(f"{r['label']}: {'brisk' if who == 'brisk' else r['peer_label']}: {s.note}")


def versions(brisk):
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"python {sys.version.split()[0]}"]
    for pkg in ("numpy", "scipy", "pandas", "scikit-learn"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            pass
    parts.insert(0, f"brisk {getattr(brisk, '__version__', '?')}" if brisk else "brisk: not installed")
    try:
        import numpy  # noqa: F401 - loads the BLAS the peers use
        import sklearn.cluster  # noqa: F401 - loads scikit-learn's OpenMP runtime
        from threadpoolctl import threadpool_info

        pools = sorted({f"{p.get('internal_api')} x{p.get('num_threads')}" for p in threadpool_info()})
        if pools:
            parts.append("peers' native threads: " + ", ".join(pools))
    except ImportError:
        pass
    return ", ".join(parts)


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of: {', '.join(CASES)}")
    ap.add_argument("--repeat", type=int, default=3, help="timed calls per side after the warm-up (best is kept)")
    ap.add_argument("--tools", default=",".join(TOOLS), help=f"sides to run, of: {', '.join(TOOLS)}")
    ap.add_argument("--no-memory", action="store_true", help="skip the fresh-process peak RSS measurements")
    ap.add_argument("--seed", type=int, default=20240601, help="data seed (the CLI bench's default)")
    ap.add_argument("--data-dir", default=os.path.join(BENCH_DIR, "data"),
                    help="where clean_1m.csv and stats_100k.csv are (generated if missing)")
    ap.add_argument("--ydata-python", default=os.environ.get("YDATA_PYTHON",
                                                             os.path.join(BENCH_DIR, ".venv-ydata", "bin", "python")))
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--child-memory", nargs=2, metavar=("CASE", "SIDE"), help=argparse.SUPPRESS)
    ap.add_argument("--child-ydata", metavar="CSV", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child_memory:
        return child_memory_main(*a.child_memory, a.seed, a.data_dir)
    if a.child_ydata:
        return child_ydata_main(a.child_ydata, a.repeat, a.no_memory)

    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    tools = {t.strip() for t in a.tools.split(",") if t.strip()}
    for c in cases:
        if c not in CASES:
            ap.error(f"unknown case {c!r} (available: {', '.join(CASES)})")
    for t in tools:
        if t not in TOOLS:
            ap.error(f"unknown tool {t!r} (available: {', '.join(TOOLS)})")
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")

    brisk, brisk_why = None, "not installed"
    if "brisk" in tools:
        try:
            import brisk
        except ImportError as e:
            brisk_why = f"not installed ({e}; `pip install .` from the repository root)"
    else:
        brisk_why = "not selected with --tools"
    print(f"{versions(brisk)}; {os.cpu_count()} CPUs; warm-up + best of {a.repeat}")

    checks, rows = Checks(), []
    for case in cases:
        label, peer_label, peer_tool, target = CASES[case]
        if not brisk and peer_tool not in tools:
            continue  # nothing of this case would run
        t0 = time.perf_counter()
        data = load(case, a.seed, a.data_dir)
        shape = shape_of(data)
        print(f"\n{label}: {shape} ready in {time.perf_counter() - t0:.1f} s", flush=True)
        b = run_brisk(case, brisk, data, a) if brisk else Side(why=brisk_why)
        p = run_peer(case, data, a) if peer_tool in tools else Side(why="not selected with --tools")
        print(f"{label}: brisk {fmt(b.seconds, '.3f')} s, {peer_label} {fmt(p.seconds, '.3f')} s", flush=True)
        if b.ok and p.ok:
            CHECKS[case](checks, b.result, p.result)
        else:
            checks.line("SKIP", f"{label} == {peer_label}: {'brisk' if not b.ok else peer_label} did not run")
        rows.append({"case": case, "label": label, "shape": shape, "peer_label": peer_label, "target": target,
                     "brisk": b, "peer": p})
        del data
        b.result = p.result = None
        gc.collect()

    print_table(rows)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"failed": checks.failed, "cases": [
                {"case": r["case"], "call": r["label"], "shape": r["shape"], "peer": r["peer_label"],
                 "target": r["target"], **{f"{w}_{k}": getattr(r[w], k) for w in ("brisk", "peer")
                                           for k in ("seconds", "extra_mib", "peak_mib", "why")}}
                for r in rows]}, f, indent=1)
    if checks.failed:
        print(f"\n{checks.failed} correctness check(s) FAILED")
        sys.exit(1)


if __name__ == "__main__":
    main()
