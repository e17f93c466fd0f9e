"""Side-by-side benchmarks: brisk versus its Python peers. Start it with bench/run.sh."""

import argparse
import os
import platform
import subprocess
import sys
from types import SimpleNamespace

from cases import CASES, DEFAULT, GROUPS, ON_DEMAND
from harness import BENCH_DIR, Checks

# Peers by case: stats, groupby, clean, join: pandas, polars; cov: numpy; kmeans, pca and importance: sklearn
# (scikit-learn); pipeline: pandas (with scikit-learn and matplotlib); profile: ydata (ydata-profiling, full and
# minimal); report1g and report10g: brisk only; python: brisk's Python package against numpy (NumPy + SciPy),
# sklearn, pandas and ydata in one process (cases/python.py); scale: brisk.dask and brisk.spark against the
# engines' own statistics, dask and spark (cases/scale.py).
TOOLS = ("brisk", "pandas", "polars", "numpy", "sklearn", "ydata", "dask", "spark")


def brisk_binary(path):
    """(path, None) if usable, else (None, reason)."""
    if not path:
        return None, "no brisk binary (build failed or was skipped)"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return None, f"brisk binary not found at {path}; build it with: cargo build --release -p brisk-cli"
    return os.path.abspath(path), None  # absolute: some runs start in another folder


def ydata_python(path):
    """(path, versions text, None) if the interpreter has ydata-profiling, else (None, None, reason)."""
    if not (path and os.path.isfile(path) and os.access(path, os.X_OK)):
        return None, None, f"missing: no ydata-profiling environment at {path} (bench/run.sh creates bench/.venv-ydata)"
    code = ("from importlib.metadata import version as v; "
            "print(f\"ydata-profiling {v('ydata-profiling')} (with pandas {v('pandas')}, numpy {v('numpy')})\")")
    try:
        p = subprocess.run([path, "-c", code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        return None, None, f"missing: cannot run {path} ({e})"
    if p.returncode != 0:
        return None, None, f"missing: no ydata-profiling in {path}: {p.stderr.strip().splitlines()[-1:]}"
    return os.path.abspath(path), p.stdout.strip(), None


def versions(brisk):
    from importlib.metadata import PackageNotFoundError, version

    import numpy
    import pandas
    import polars

    parts = [f"python {platform.python_version()}", f"numpy {numpy.__version__}",
             f"pandas {pandas.__version__}", f"polars {polars.__version__}"]
    for package in ("scikit-learn", "matplotlib"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            pass
    if brisk:
        try:
            v = subprocess.run([brisk, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
            parts.insert(0, v or "brisk (version unknown)")
        except (OSError, subprocess.SubprocessError):
            pass
    return ", ".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    groups = ", ".join(f"{g} = {'+'.join(members)}" for g, members in GROUPS.items())
    ap.add_argument("--rows", type=int, default=10_000_000,
                    help="rows in the CSV file of the stats, groupby, report1g and scale cases (default 10,000,000)")
    ap.add_argument("--only", default=",".join(DEFAULT),
                    help=f"comma-separated cases or groups to run (cases: {', '.join(CASES)}; groups: {groups};"
                         f" on demand only, never by default: {', '.join(ON_DEMAND)})")
    ap.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated tools to run (default: {','.join(TOOLS)})")
    ap.add_argument("--rows-10g", type=int, default=110_000_000,
                    help="rows in the file of the on-demand report10g case (default 110,000,000: about 10 GB)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool; the best wall time of K is reported")
    ap.add_argument("--seed", type=int, default=20240601, help="data generator seed")
    ap.add_argument("--brisk", default=os.environ.get("BRISK_BIN", ""), help="brisk binary (default: $BRISK_BIN)")
    ydata_default = os.environ.get("YDATA_PYTHON", os.path.join(BENCH_DIR, ".venv-ydata", "bin", "python"))
    ap.add_argument("--ydata-python", default=ydata_default,
                    help="interpreter with ydata-profiling, for the profile case (default: $YDATA_PYTHON,"
                         " else bench/.venv-ydata/bin/python)")
    a = ap.parse_args()

    only = []
    for c in (c.strip() for c in a.only.split(",")):
        if not c:
            continue
        if c not in CASES and c not in GROUPS:
            ap.error(f"unknown case {c!r} (available: {', '.join([*CASES, *GROUPS])})")
        only += [m for m in GROUPS.get(c, [c]) if m not in only]
    tools = {t.strip() for t in a.tools.split(",") if t.strip()}
    for t in tools:
        if t not in TOOLS:
            ap.error(f"unknown tool {t!r} (available: {', '.join(TOOLS)})")
    if a.repeat < 1 or a.rows < 4 or a.rows_10g < 4:
        ap.error("--repeat must be >= 1, --rows and --rows-10g >= 4")

    brisk, why = brisk_binary(a.brisk)
    if "brisk" in tools and not brisk and not set(only) <= {"python", "scale"}:  # these import the package instead
        print(f"NOTE: {why}; running the peers only.", file=sys.stderr)

    needs_ydata = "ydata" in tools and ("profile" in only or "python" in only)
    ydata, ydata_versions, ydata_why = (ydata_python(a.ydata_python) if needs_ydata
                                        else (None, None, "not needed"))
    ctx = SimpleNamespace(rows=a.rows, rows_10g=a.rows_10g, seed=a.seed, repeat=a.repeat, tools=tools, brisk=brisk,
                          brisk_missing=why, ydata_python=ydata, ydata_missing=ydata_why,
                          data_dir=os.path.join(BENCH_DIR, "data"))
    extra = f"; {ydata_versions} in {os.path.relpath(os.path.dirname(os.path.dirname(ydata)))}" if ydata else ""
    print(f"{versions(brisk)}{extra}; {os.cpu_count()} CPUs; best of {a.repeat}")
    checks = Checks()
    for c in only:
        CASES[c].run(ctx, checks)
    if checks.failed:
        print(f"\n{checks.failed} correctness check(s) FAILED")
        sys.exit(1)


if __name__ == "__main__":
    main()
