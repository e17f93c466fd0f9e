"""Side-by-side benchmarks: brisk versus its Python peers. Start it with bench/run.sh."""

import argparse
import os
import platform
import subprocess
import sys
from types import SimpleNamespace

from cases import CASES, GROUPS
from harness import BENCH_DIR, Checks

# Peers by case: stats, groupby, clean, join: pandas, polars; cov: numpy; kmeans, pca and importance: sklearn
# (scikit-learn); pipeline: pandas (with scikit-learn and matplotlib).
TOOLS = ("brisk", "pandas", "polars", "numpy", "sklearn")


def brisk_binary(path):
    """(path, None) if usable, else (None, reason)."""
    if not path:
        return None, "no brisk binary (build failed or was skipped)"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return None, f"brisk binary not found at {path}; build it with: cargo build --release -p brisk-cli"
    return os.path.abspath(path), None  # absolute: some runs start in another folder


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
                    help="rows in the CSV file of the stats and groupby cases (default 10,000,000)")
    ap.add_argument("--only", default=",".join(CASES),
                    help=f"comma-separated cases or groups to run (cases: {', '.join(CASES)}; groups: {groups})")
    ap.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated tools to run (default: {','.join(TOOLS)})")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool; the best wall time of K is reported")
    ap.add_argument("--seed", type=int, default=20240601, help="data generator seed")
    ap.add_argument("--brisk", default=os.environ.get("BRISK_BIN", ""), help="brisk binary (default: $BRISK_BIN)")
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
    if a.repeat < 1 or a.rows < 4:
        ap.error("--repeat must be >= 1 and --rows >= 4")

    brisk, why = brisk_binary(a.brisk)
    if "brisk" in tools and not brisk:
        print(f"NOTE: {why}; running the peers only.", file=sys.stderr)

    ctx = SimpleNamespace(rows=a.rows, seed=a.seed, repeat=a.repeat, tools=tools, brisk=brisk, brisk_missing=why,
                          data_dir=os.path.join(BENCH_DIR, "data"))
    print(f"{versions(brisk)}; {os.cpu_count()} CPUs; best of {a.repeat}")
    checks = Checks()
    for c in only:
        CASES[c].run(ctx, checks)
    if checks.failed:
        print(f"\n{checks.failed} correctness check(s) FAILED")
        sys.exit(1)


if __name__ == "__main__":
    main()
