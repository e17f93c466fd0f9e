"""The brisk Python package against its peers, in-process: python_inprocess.py run as one child process.

One case, `python`. Unlike the other cases, the tools are not separate processes: one process holds
each case's data and times `import brisk`'s call and the peer's call on the same objects (see
python_inprocess.py for the method). It runs with this interpreter (bench/.venv), where brisk must be
installed (`bench/.venv/bin/pip install .` from the repository root); without it, the peers run alone.
"""

import json
import os
import subprocess
import sys
import tempfile

from harness import BENCH_DIR

NAME = "python"
SCRIPT = os.path.join(BENCH_DIR, "python_inprocess.py")
MIN_REPEAT = 3  # timed calls after the warm-up: --repeat K when K is larger


def run(ctx, checks):
    tools = sorted(ctx.tools & {"brisk", "numpy", "sklearn", "pandas", "ydata"})
    if not tools:
        checks.line("SKIP", "python: none of brisk, numpy, sklearn, pandas, ydata selected with --tools")
        return
    fd, result = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        cmd = [sys.executable, SCRIPT, "--repeat", str(max(ctx.repeat, MIN_REPEAT)), "--seed", str(ctx.seed),
               "--data-dir", ctx.data_dir, "--tools", ",".join(tools), "--json", result]
        if ctx.ydata_python:
            cmd += ["--ydata-python", ctx.ydata_python]
        print("\n== python: brisk's Python package vs NumPy + SciPy, scikit-learn, pandas, ydata-profiling ==",
              flush=True)
        code = subprocess.run(cmd, cwd=BENCH_DIR).returncode
        try:
            with open(result) as f:
                failed = json.load(f)["failed"]
        except (OSError, ValueError, KeyError):
            failed = None
    finally:
        os.remove(result)
    if failed is None:
        checks.check(False, f"python: python_inprocess.py ended with exit code {code} before writing its figures")
    elif failed:
        checks.check(False, f"python: {failed} correctness check(s) failed (FAIL lines above)")
