"""brisk on Dask and Spark against each engine's own statistics: scale.py run as one child process.

One case, `scale`. The tools are the engines (`dask`, `spark`): each one's peer is its own statistics
(Dask's describe + skew + kurtosis, Spark's summary + skewness/kurtosis), and brisk's side is
`brisk.dask.describe` / `brisk.spark.describe` from the package installed in this interpreter
(bench/.venv; `bench/.venv/bin/pip install .` from the repository root). Without `brisk` in --tools,
or without the package, the peers run alone. See scale.py for the method.
"""

import json
import os
import subprocess
import sys

from harness import BENCH_DIR

NAME = "scale"
SCRIPT = os.path.join(BENCH_DIR, "scale.py")
ENGINES = ("dask", "spark")
MIN_REPEAT = 3  # timed calls after the warm-up: --repeat K when K is larger
ON_DEMAND = True  # minutes of engine work, and Java for Spark: only with --only scale


def run(ctx, checks):
    engines = [e for e in ENGINES if e in ctx.tools]
    if not engines:
        checks.line("SKIP", "scale: neither dask nor spark selected with --tools")
        return
    result = os.path.join(ctx.data_dir, "scale.json")
    cmd = [sys.executable, SCRIPT, "--engines", ",".join(engines), "--repeat", str(max(ctx.repeat, MIN_REPEAT)),
           "--rows", str(ctx.rows), "--seed", str(ctx.seed), "--data-dir", ctx.data_dir, "--json", result]
    if "brisk" not in ctx.tools:
        cmd.append("--peers-only")
    print(f"\n== scale: brisk on {' and '.join(engines)} vs the engine's own statistics ==", flush=True)
    if os.path.exists(result):
        os.remove(result)
    code = subprocess.run(cmd, cwd=BENCH_DIR).returncode
    try:
        with open(result) as f:
            failed = json.load(f)["failed"]
    except (OSError, ValueError, KeyError):
        failed = None
    if failed is None:
        checks.check(False, f"scale: scale.py ended with exit code {code} before writing its figures")
    elif failed:
        checks.check(False, f"scale: {failed} check(s) failed (FAIL lines above)")
