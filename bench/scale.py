"""brisk on Dask and Spark against each engine's own statistics, on the bench file as 16 Parquet files.

    bench/.venv/bin/python bench/scale.py [--engines dask,spark] [--peers-only] [--repeat 3]
        [--rows 10000000] [--seed N] [--data-dir DIR] [--json FILE]

(`bench/run.sh --only scale` runs it.) The data is gen_data.py's stats_10m.csv (907 MiB) converted
once by gen_parquet.py into 16 Parquet files of 625,000 rows. Each side runs in a fresh child process
(this script with --side ENGINE:SIDE) that starts its engine, opens the files, makes one warm-up
call and then --repeat timed calls, of which the best is kept. The engine's start and the opening
of the files (schema and footers) are outside the clock; reading the data is inside, on both sides.

dask   distributed.LocalCluster(n_workers=2, threads_per_worker=1), dd.read_parquet(folder): one
       partition a file.
       peer:  dask.compute(ddf.describe(), ddf.skew(numeric_only=True), ddf.kurtosis(numeric_only=True))
       brisk: brisk.dask.describe(ddf)
spark  SparkSession local[2] (driver memory 4g, Arrow on, spark.sql.files.maxPartitionBytes the
       largest file's size: one partition a file), spark.read.parquet(folder).
       peer:  sdf.summary() and one sdf.agg(skewness(c), kurtosis(c) for each numeric column c)
       brisk: brisk.spark.describe(sdf)

Both peers' quartiles are approximate: Dask merges per-partition percentiles, Spark's summary() uses
percentile_approx (accuracy 10,000: a rank error of at most n / 10,000). Their moments follow SciPy's
biased convention (g1 and g2), brisk's pandas' (G1 and G2); Dask's skew and kurtosis do not skip
nulls (a column with a null gets NaN, which Dask turns into a skewness of 0 and a kurtosis of -3).

Memory: the peak RSS of the side's process tree during the timed calls: the client process (with
Dask's scheduler, or Spark's driver side in Python) and every process under it (Dask's workers;
Spark's JVM and its Python workers). Every 20 ms each process's VmHWM is read from /proc (after the
warm-up it is reset to the process's RSS through /proc/PID/clear_refs); the figure is the sum over
processes of their peaks: an upper bound of the tree's peak at one instant, which also counts pages
that forked processes (Spark's Python workers) share twice. Linux only; without psutil, none.

Quartiles: after the engines stop, each numeric column is read from the files and numpy's linear
quantile (pandas' describe() method) gives the exact 25%, 50% and 75%. Each engine's approximate
values are compared with them (largest relative difference; rank difference: how far the value's
rank in the column lies from the exact position (n - 1) q), and brisk's must equal them to 1 ulp.

The exit status is 1 when a side fails to run or a correctness check of brisk fails; the speed
target is reported, not enforced. The figures go to --json (default: data/scale.json beside the data).
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ENGINES = ("dask", "spark")
FILES = 16
QUANTILES = (0.25, 0.5, 0.75)
QUARTILE_ROWS = ("25%", "50%", "75%")
SPEED_TARGET = 0.5  # brisk <= SPEED_TARGET x the peer, per engine
MOMENT_RTOL = 1e-9
SAMPLE_SECONDS = 0.02
PEER_LABEL = {"dask": "describe() + skew() + kurtosis()", "spark": "summary() + skewness/kurtosis agg"}
SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "4g",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
}
SPARK_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
"""


# ---------------------------------------------------------------- memory of a process tree


def _status_kib(pid, key):
    """A field of /proc/PID/status in KiB (VmHWM, VmRSS), or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class TreePeak:
    """Per-process peak RSS of this process and all processes under it, sampled in a thread."""

    def __init__(self):
        try:
            import psutil
        except ImportError:
            psutil = None
        self.psutil = psutil
        self.peaks, self.kinds = {}, {}
        self._stop = threading.Event()
        self._thread = None

    def processes(self):
        me = self.psutil.Process()
        return [me, *me.children(recursive=True)]

    def _kind(self, proc):
        if proc.pid == os.getpid():
            return "client"
        try:
            return "jvm" if os.path.basename(proc.exe()) == "java" else "workers"
        except (self.psutil.Error, OSError):
            return "workers"

    def start(self):
        """Reset every process's VmHWM to its RSS and start sampling."""
        if self.psutil is None:
            return self
        for proc in self.processes():
            try:
                with open(f"/proc/{proc.pid}/clear_refs", "w") as f:
                    f.write("5")
            except OSError:
                pass
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        for proc in self.processes():
            kib = _status_kib(proc.pid, "VmHWM")
            if kib is not None:
                self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0), kib)
                if proc.pid not in self.kinds:
                    self.kinds[proc.pid] = self._kind(proc)

    def _run(self):
        while not self._stop.is_set():
            try:
                self._sample()
            except Exception:  # a process ended while being read: the next sample goes on
                pass
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self):
        """{"total": MiB, "client": MiB, "workers": MiB, "jvm": MiB, "processes": count}, or None."""
        if self._thread is None:
            return None
        self._stop.set()
        self._thread.join()
        self._sample()
        out = {"total": sum(self.peaks.values()) / 1024, "processes": len(self.peaks)}
        for pid, kib in self.peaks.items():
            out[self.kinds[pid]] = out.get(self.kinds[pid], 0.0) + kib / 1024
        return out


# ---------------------------------------------------------------- one side, in a child process


def dask_side(side, folder):
    """(call, summarise, partitions, stop) of `side` on a LocalCluster of 2 single-threaded workers."""
    import logging

    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)

    def stop():
        client.close()
        cluster.close()

    ddf = dd.read_parquet(folder)
    columns = numeric_columns(ddf.dtypes.items())
    if side == "peer":
        def call():
            return dask.compute(ddf.describe(), ddf.skew(numeric_only=True), ddf.kurtosis(numeric_only=True))

        return call, dask_peer_summary, ddf.npartitions, stop
    import brisk.dask

    return lambda: brisk.dask.describe(ddf), lambda d: brisk_summary(d, columns), ddf.npartitions, stop


def spark_side(side, folder):
    """(call, summarise, partitions, stop) of `side` on a quiet SparkSession local[2] whose Python workers
    run this interpreter, one partition a file."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    conf = tempfile.mkdtemp(prefix="brisk-scale-")
    log4j = os.path.join(conf, "log4j2.properties")
    with open(log4j, "w") as f:
        f.write(SPARK_LOG4J2)
    largest = max(os.path.getsize(os.path.join(folder, p)) for p in os.listdir(folder))
    builder = SparkSession.builder.master("local[2]").appName("brisk-bench-scale")
    for key, value in {**SPARK_CONF, "spark.sql.files.maxPartitionBytes": str(largest)}.items():
        builder = builder.config(key, value)
    spark = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")

    def stop():
        spark.stop()
        shutil.rmtree(conf, ignore_errors=True)

    sdf = spark.read.parquet(folder)
    partitions, columns = sdf.rdd.getNumPartitions(), numeric_columns(sdf.dtypes)
    if side == "peer":
        aggs = [f(c).alias(f"{name}:{c}") for c in columns for name, f in (("skew", F.skewness), ("kurt", F.kurtosis))]

        def call():
            return sdf.summary().collect(), sdf.agg(*aggs).first().asDict()

        return call, lambda r: spark_peer_summary(r, columns), partitions, stop
    import brisk.spark

    return lambda: brisk.spark.describe(sdf), lambda d: brisk_summary(d, columns), partitions, stop


def numeric_columns(dtypes):
    """The numeric columns' names, from (name, type name) pairs of either engine."""
    return [name for name, kind in dtypes if any(k in str(kind).lower() for k in ("int", "float", "double", "long"))]


def dask_peer_summary(result):
    """{column: {count, mean, std, min, max, q: [3], skew_g1, kurt_g2}} of the Dask peer's answer."""
    describe, skew, kurt = result
    return {c: {"count": float(describe.loc["count", c]), "mean": float(describe.loc["mean", c]),
                "std": float(describe.loc["std", c]), "min": float(describe.loc["min", c]),
                "max": float(describe.loc["max", c]), "q": [float(describe.loc[r, c]) for r in QUARTILE_ROWS],
                "skew_g1": float(skew[c]), "kurt_g2": float(kurt[c])} for c in describe.columns}


def spark_peer_summary(result, columns):
    """The same fields of the Spark peer's answer (summary() gives its figures as text)."""
    summary, moments = result
    rows = {r["summary"]: r for r in summary}

    def num(row, c):
        return float(rows[row][c]) if rows[row][c] is not None else math.nan

    return {c: {"count": num("count", c), "mean": num("mean", c), "std": num("stddev", c), "min": num("min", c),
                "max": num("max", c), "q": [num(r, c) for r in QUARTILE_ROWS],
                "skew_g1": float(moments[f"skew:{c}"]), "kurt_g2": float(moments[f"kurt:{c}"])} for c in columns}


def brisk_summary(describe, columns):
    """The same fields from brisk's describe() (pandas' layout plus null_count, skewness, kurtosis)."""
    def get(row, c):
        return float(describe.loc[row, c]) if row in describe.index else math.nan

    return {c: {"count": get("count", c), "mean": get("mean", c), "std": get("std", c), "min": get("min", c),
                "max": get("max", c), "q": [get(r, c) for r in QUARTILE_ROWS],
                "skewness": get("skewness", c), "kurtosis": get("kurtosis", c)} for c in columns}


def side_main(engine, side, folder, repeat, out):
    """Start `engine`, time `side`'s call and write {best_s, times_s, rss_mib, partitions, summary, ...} to `out`."""
    import gc

    t0 = time.perf_counter()
    call, summarise, partitions, stop = (dask_side if engine == "dask" else spark_side)(side, folder)
    started = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        result = call()
        warm = time.perf_counter() - t0
        summary = summarise(result)
        del result
        gc.collect()
        memory = TreePeak().start()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        rss = memory.stop()
    finally:
        stop()
    with open(out, "w") as f:
        json.dump({"engine": engine, "side": side, "start_s": started, "warmup_s": warm, "times_s": times,
                   "best_s": min(times), "rss_mib": rss, "partitions": partitions, "summary": summary}, f)


# ---------------------------------------------------------------- the parent: run the sides, compare


def run_side(engine, side, folder, repeat):
    """(figures, None) or (None, why) from a child process running one side."""
    fd, out = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    cmd = [sys.executable, os.path.abspath(__file__), "--side", f"{engine}:{side}", "--folder", folder,
           "--repeat", str(repeat), "--json", out]
    try:
        with tempfile.TemporaryFile() as log:
            code = subprocess.run(cmd, cwd=BENCH_DIR, stdin=subprocess.DEVNULL, stdout=log, stderr=log).returncode
            log.seek(0)
            text = log.read().decode("utf-8", "replace")
        if code != 0:
            tail = "\n".join(text.strip().splitlines()[-12:])
            return None, f"exit code {code}:\n{tail}"
        with open(out) as f:
            return json.load(f), None
    finally:
        os.remove(out)


def brisk_missing(engine):
    """None if brisk.<engine> imports here, else why not."""
    try:
        __import__(f"brisk.{engine}")
    except ImportError as e:
        return f"brisk.{engine} is not importable ({e}); install the package: bench/.venv/bin/pip install ."
    return None


def exact_references(folder, columns):
    """For each column in turn: (name, its sorted non-null values, {count, min, max, q: [3], mean, std,
    skewness, kurtosis, skew_g1, kurt_g2}), read from the files one column at a time."""
    import numpy as np
    import pyarrow.parquet as pq

    from cases.stats import reference_moments

    for c in columns:
        x = pq.read_table(folder, columns=[c]).column(0).drop_null().to_numpy().astype(np.float64)
        n = float(x.size)
        ref = {"count": n, "min": float(x.min()), "max": float(x.max()),
               "q": [float(v) for v in np.quantile(x, QUANTILES)], **reference_moments(x)}
        # SciPy's biased g1 and g2 from pandas' G1 and G2.
        ref["skew_g1"] = ref["skewness"] * (n - 2) / math.sqrt(n * (n - 1))
        ref["kurt_g2"] = (ref["kurtosis"] * (n - 2) * (n - 3) + 3 * (n - 1) ** 2) / ((n + 1) * (n - 1)) - 3
        yield c, np.sort(x), ref


def rank_difference(sorted_x, value, q):
    """How many positions `value`'s rank in sorted_x lies from the exact position (n - 1) q (0 if it covers it)."""
    import numpy as np

    below = int(np.searchsorted(sorted_x, value, side="left"))
    through = int(np.searchsorted(sorted_x, value, side="right")) - 1  # below - 1 when value is absent
    lo, hi = min(below, through), max(below, through)
    target = (sorted_x.size - 1) * q
    return max(0.0, lo - target, target - hi)


def relative(a, b):
    """|a - b| / |b|; 0 when equal (NaN equals NaN), inf when one only is NaN, and |a - b| when b is
    0 (the skewness of a symmetric column such as `id` is 0 exactly, which rounding meets only to
    about 1e-17)."""
    if a == b or (math.isnan(a) and math.isnan(b)):
        return 0.0
    if math.isnan(a) or math.isnan(b):
        return math.inf
    return abs(a - b) / (abs(b) if b != 0 else 1.0)


def compare(folder, figures, checks):
    """Quartile and moment comparisons of every side that ran against the exact references."""
    from cases.stats import ulps

    columns = next(iter(figures.values()))["summary"].keys()
    per_column = {}
    for c, sorted_x, ref in exact_references(folder, list(columns)):
        row = {"exact": ref}
        for (engine, side), fig in figures.items():
            got = fig["summary"].get(c)
            if got is None:
                continue
            key = f"{engine}_{side}"
            entry = {"q": got["q"], "max_rel": max(relative(g, e) for g, e in zip(got["q"], ref["q"]))}
            if side == "peer":
                entry["max_rank"] = max(rank_difference(sorted_x, g, q) for g, q in zip(got["q"], QUANTILES))
                entry["moments_rel"] = {m: relative(got[m], ref[r]) for m, r in
                                        (("mean", "mean"), ("std", "std"), ("skew_g1", "skew_g1"),
                                         ("kurt_g2", "kurt_g2"))}
            else:
                entry["max_ulps"] = max(ulps(g, e) for g, e in zip(got["q"], ref["q"]))
                entry["moments_rel"] = {m: relative(got[m], ref[m]) for m in ("mean", "std", "skewness", "kurtosis")}
                entry["exact_fields"] = all(got[k] == ref[k] for k in ("count", "min", "max"))
            row[key] = entry
        per_column[c] = row
        del sorted_x

    print("\nquartiles against the exact ones (numpy's linear quantile of the whole column):")
    engines = [e for e in ENGINES if (e, "peer") in figures]
    head = f"{'column':<10}" + "".join(f" {e + ' rel':>10} {e + ' rank':>11}" for e in engines)
    brisk_sides = [e for e in ENGINES if (e, "brisk") in figures]
    head += "".join(f" {'brisk/' + e + ' ulp':>15}" for e in brisk_sides)
    print(head)
    for c, row in per_column.items():
        line = f"{c:<10}"
        for e in engines:
            p = row[f"{e}_peer"]
            line += f" {p['max_rel']:>10.1e} {p['max_rank']:>11,.0f}"
        for e in brisk_sides:
            line += f" {row[f'{e}_brisk']['max_ulps']:>15}"
        print(line)
    print("(rel: largest |approx - exact| / |exact| of the three; rank: largest distance in rows from the exact"
          " position; ulp: brisk's largest difference in units in the last place)")

    for e in engines:
        worst = []
        for m in ("mean", "std", "skew_g1", "kurt_g2"):
            c, row = max(per_column.items(), key=lambda item: item[1][f"{e}_peer"]["moments_rel"][m])
            worst.append(f"{m} {row[f'{e}_peer']['moments_rel'][m]:.1e} ({c})")
        checks.line("INFO", f"{e} peer vs two-pass reference, max rel diff: {', '.join(worst)}")
        zero = [c for c, row in per_column.items()
                if figures[(e, "peer")]["summary"][c]["skew_g1"] == 0.0 and abs(row["exact"]["skew_g1"]) > 1e-6]
        if zero:
            checks.line("INFO", f"{e} peer: skewness 0 where the exact one is not (nulls not skipped): "
                        + ", ".join(zero))
    for e in brisk_sides:
        rows = {c: row[f"{e}_brisk"] for c, row in per_column.items()}
        bad = [c for c, r in rows.items() if r["max_ulps"] > 1]
        checks.check(not bad, f"brisk.{e}.describe quartiles == numpy's exact linear quantiles to 1 ulp"
                     + (f" (differ: {', '.join(bad)})" if bad else ""))
        bad = [c for c, r in rows.items() if not r["exact_fields"]]
        checks.check(not bad, f"brisk.{e}.describe count/min/max exact"
                     + (f" (differ: {', '.join(bad)})" if bad else ""))
        worst, c, m = max((r["moments_rel"][m], c, m) for c, r in rows.items() for m in r["moments_rel"])
        checks.check(worst <= MOMENT_RTOL, f"brisk.{e}.describe mean/std/skewness/kurtosis vs two-pass reference"
                     f" to {MOMENT_RTOL:g} (max rel diff {worst:.1e}, {c} {m})")
    return per_column


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def print_table(figures, engines):
    print(f"\n{'engine':<7} {'partitions':>10} {'brisk s':>8} {'peer s':>8} {'brisk/peer':>10} {'target':>7}"
          f" {'brisk MiB':>10} {'peer MiB':>9}  peer")
    for e in engines:
        b, p = figures.get((e, "brisk")), figures.get((e, "peer"))
        ratio = b["best_s"] / p["best_s"] if b and p else None
        parts = (p or b or {}).get("partitions")
        mib = lambda f: (f or {}).get("rss_mib") and f["rss_mib"]["total"]  # noqa: E731
        print(f"{e:<7} {fmt(parts, ','):>10} {fmt(b and b['best_s'], '.2f'):>8} {fmt(p and p['best_s'], '.2f'):>8}"
              f" {fmt(ratio, '.2f'):>10} {'≤ ' + str(SPEED_TARGET):>7} {fmt(mib(b), ',.0f'):>10}"
              f" {fmt(mib(p), ',.0f'):>9}  {PEER_LABEL[e]}")
        for side, f in (("brisk", b), ("peer", p)):
            if f and f["rss_mib"]:
                parts = ", ".join(f"{k} {v:,.0f}" for k, v in f["rss_mib"].items() if k not in ("total", "processes"))
                print(f"  {side} memory by process kind (MiB): {parts} ({f['rss_mib']['processes']} processes);"
                      f" engine start {f['start_s']:.1f} s, warm-up call {f['warmup_s']:.2f} s")
        if ratio is not None:
            met = "met" if ratio <= SPEED_TARGET else "NOT met"
            print(f"  target: brisk on {e} ≤ {SPEED_TARGET} × the peer: {met} ({ratio:.2f})")
    print("(best wall seconds of the timed calls after a warm-up; MiB: the sum of the process tree's per-process"
          " peak RSS during the timed calls)")


def versions():
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("brisk", "dask", "distributed", "pyspark", "pandas", "pyarrow"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            pass
    return ", ".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of: {', '.join(ENGINES)}")
    ap.add_argument("--peers-only", action="store_true", help="time the engines' own statistics only")
    ap.add_argument("--repeat", type=int, default=3, help="timed calls per side after the warm-up (best is kept)")
    ap.add_argument("--rows", type=int, default=10_000_000, help="rows of the CSV file converted (default 10,000,000)")
    ap.add_argument("--seed", type=int, default=20240601, help="data seed (the CLI bench's default)")
    ap.add_argument("--data-dir", default=os.path.join(BENCH_DIR, "data"))
    ap.add_argument("--json", help="where the figures go (default: DATA_DIR/scale.json)")
    ap.add_argument("--side", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.side:
        engine, side = a.side.split(":")
        return side_main(engine, side, a.folder, a.repeat, a.json)

    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ENGINES:
            ap.error(f"unknown engine {e!r} (available: {', '.join(ENGINES)})")
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")

    sys.path.insert(0, BENCH_DIR)
    import gen_parquet
    from harness import Checks

    folder = gen_parquet.ensure(a.rows, a.seed, FILES, a.data_dir)
    size = sum(os.path.getsize(os.path.join(folder, p)) for p in os.listdir(folder)) / 2**20
    print(f"{versions()}; {os.cpu_count()} CPUs; warm-up + best of {a.repeat}")
    print(f"data: {os.path.relpath(folder)} ({FILES} files, {size:,.0f} MiB, {a.rows:,} rows)", flush=True)

    checks, figures, notes = Checks(), {}, {}
    for e in engines:
        sides = ["peer"]
        why = "--peers-only" if a.peers_only else brisk_missing(e)
        if why:
            checks.line("SKIP", f"brisk on {e}: {why}")
        else:
            sides.append("brisk")
        for side in sides:
            print(f"{e} {side} ...", flush=True)
            fig, why = run_side(e, side, folder, a.repeat)
            if fig is None:
                checks.check(False, f"{e} {side} did not run: {why}")
                notes[f"{e}_{side}"] = why
            else:
                figures[(e, side)] = fig
                print(f"{e} {side}: best {fig['best_s']:.2f} s of {', '.join(f'{t:.2f}' for t in fig['times_s'])}",
                      flush=True)

    print_table(figures, engines)
    per_column = compare(folder, figures, checks) if figures else {}
    out = a.json or os.path.join(a.data_dir, "scale.json")
    with open(out, "w") as f:
        json.dump({"failed": checks.failed, "versions": versions(), "rows": a.rows, "files": FILES,
                   "repeat": a.repeat, "speed_target": SPEED_TARGET, "not_run": notes,
                   "sides": {f"{e}_{s}": {k: v for k, v in fig.items() if k != "summary"}
                             for (e, s), fig in figures.items()},
                   "columns": per_column}, f, indent=1)
    print(f"\nfigures written to {os.path.relpath(out)}")
    if checks.failed:
        print(f"\n{checks.failed} correctness check(s) FAILED")
        sys.exit(1)


if __name__ == "__main__":
    main()
