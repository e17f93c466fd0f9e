"""Process measurement and reporting helpers shared by all benchmark cases, and the small helpers
the cases share (Case, the brisk row, SKIP lines, relative differences).

Every tool runs in a fresh child process, started through launch.py. Wall time is
measured around the child; peak RSS is the child's own ru_maxrss, read with
os.wait4 so that each measurement covers exactly one child (RUSAGE_CHILDREN would
accumulate the maximum over all children ever waited for), by a launcher small
enough that its own footprint does not leak into the child's figure.
"""

import json
import math
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(BENCH_DIR, "launch.py")


@dataclass
class Run:
    tool: str
    wall: float  # seconds reported in the table (process wall, or in-process clock for peers)
    rss_mib: float  # peak resident set size of the child process
    process_wall: float  # wall time of the whole child process
    ok: bool = True
    stdout: str = ""
    error: str = ""
    result: dict = field(default_factory=dict)  # parsed output (brisk JSON or peer result file)


def warm_cache(path):
    """Read the whole file once so every tool starts with a warm page cache."""
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)


def measure(cmd, cwd=None):
    """Run `cmd` as a fresh child. Returns (returncode, wall_s, peak_rss_mib, stdout, stderr).

    The child is started by launch.py, a small interpreter that imports nothing, which
    times it and reads its ru_maxrss with os.wait4: spawned from this process directly,
    the child's ru_maxrss would start at this process's own high-water RSS (see launch.py).
    """
    fd, result_path = tempfile.mkstemp(suffix=".rusage")
    os.close(fd)
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            launcher = [sys.executable, "-S", "-E", LAUNCHER, result_path, *cmd]
            subprocess.run(launcher, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, check=True)
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        with open(result_path) as f:
            code, wall, maxrss_kib = f.read().split()
    finally:
        os.remove(result_path)
    return int(code), float(wall), int(maxrss_kib) / 1024.0, stdout, stderr  # Linux reports KiB


def _tail(text, lines=15):
    return "\n".join(text.strip().splitlines()[-lines:])


def run_brisk(tool, cmd, data_path, repeat, parse_json=True, warm=(), cwd=None):
    """Time a brisk command line, run in `cwd`; its wall time is the whole process, startup included.

    With parse_json (the default) stdout must be a JSON document, parsed into `result`;
    otherwise the caller reads the command's output file itself. The files in `warm` (more
    inputs than data_path) are read into the page cache before data_path, before each run.
    """
    def run_once():
        rc, wall, rss, stdout, stderr = measure(cmd, cwd=cwd)
        if rc != 0:
            return Run(tool, wall, rss, wall, ok=False, error=f"exit code {rc}\n{_tail(stderr)}")
        return Run(tool, wall, rss, wall, stdout=stdout)

    best = _best_of(repeat, (*warm, data_path), run_once)
    if not parse_json or not best.ok:
        return best
    try:
        best.result = json.loads(best.stdout)
    except json.JSONDecodeError as e:
        best.ok = False
        best.error = f"stdout is not JSON ({e}): {best.stdout[:200]!r}"
    return best


def run_peer(tool, module, data_path, repeat, extra_args=(), warm=(), python=None):
    """Time a peer script (bench/peers/<module>.py) that reports its own in-process seconds.

    The peer writes {"seconds": ..., "stats": ...} to a result file; the table uses
    "seconds" (imports excluded) and the child's peak RSS. `warm` as for run_brisk. `python` is
    the interpreter (default: this one, bench/.venv's).
    """
    def run_once():
        fd, result_path = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        try:
            cmd = [python or sys.executable, "-m", f"peers.{module}", data_path, result_path, *extra_args]
            rc, wall, rss, stdout, stderr = measure(cmd, cwd=BENCH_DIR)
            if rc != 0:
                return Run(tool, wall, rss, wall, ok=False, error=f"exit code {rc}\n{_tail(stderr)}")
            with open(result_path) as f:
                result = json.load(f)
        finally:
            os.remove(result_path)
        return Run(tool, result["seconds"], rss, wall, result=result)

    return _best_of(repeat, (*warm, data_path), run_once)


def _best_of(repeat, warm, run_once):
    """The best of `repeat` runs of run_once(), the files in `warm` read in that order before each;
    a failed run ends it and is returned."""
    best = None
    for _ in range(repeat):
        for path in warm:
            warm_cache(path)
        run = run_once()
        if not run.ok:
            return run
        best = _keep_best(best, run)
    return best


def _keep_best(best, run):
    """Best of K: the smallest wall time, and the largest peak RSS seen (memory is not best-of)."""
    if best is None:
        return run
    rss = max(best.rss_mib, run.rss_mib)
    if run.wall < best.wall:
        best = run
    best.rss_mib = rss
    return best


def missing(tool, why):
    return Run(tool, float("nan"), float("nan"), float("nan"), ok=False, error=why)


def print_table(title, runs, brisk_wall):
    """tool | wall s | peak RSS MiB | brisk wall / tool wall."""
    print(f"\n== {title} ==")
    w = max([28, *(len(r.tool) for r in runs)])
    header = f"{'tool':<{w}} {'wall s':>9} {'peak RSS MiB':>13} {'brisk/tool':>11}"
    print(header)
    print("-" * len(header))
    for r in runs:
        if not r.ok:
            first = r.error.splitlines()[0] if r.error else "failed"
            print(f"{r.tool:<{w}} {'-':>9} {'-':>13} {'-':>11}   ({first})")
            continue
        ratio = "-" if r.tool.startswith("brisk") or brisk_wall is None else f"{brisk_wall / r.wall:.2f}"
        print(f"{r.tool:<{w}} {r.wall:>9.2f} {r.rss_mib:>13.0f} {ratio:>11}")
    for r in runs:
        if not r.ok and r.error and "\n" in r.error:
            print(f"\n{r.tool} failed:\n{r.error}")


def timing_note(work=None, peers="in-process seconds"):
    """The line under a table: what its figures cover (`work`: what every tool does, timed)."""
    lead = f"all: {work}; " if work else ""
    return f"({lead}peers: {peers}, imports excluded; brisk: whole process; peak RSS: whole child process)"


def target_line(brisk, peer, target, peer_label, peer_tool=None):
    """Speed target, reported, never asserted; `peer_tool` names the peer in the parentheses."""
    if ok(brisk) and ok(peer):
        limit = target * peer.wall
        met = "MET" if brisk.wall <= limit else "MISSED"
        shown = f"{peer_tool} " if peer_tool else ""
        print(f"target: brisk wall <= {target} x {peer_label} ({shown}{peer.wall:.2f} s -> {limit:.2f} s):"
              f" brisk {brisk.wall:.2f} s ({brisk.wall / peer.wall:.2f}x) -> {met}")
    else:
        print(f"target: brisk wall <= {target} x {peer_label}: not measured")


def rss_target_line(run, limit_mib, what):
    """Peak RSS target, reported, never asserted: `what` < limit_mib MiB."""
    if ok(run):
        met = "MET" if run.rss_mib < limit_mib else "MISSED"
        print(f"target: {what} < {limit_mib} MiB: {run.rss_mib:.0f} MiB -> {met}")
    else:
        print(f"target: {what} < {limit_mib} MiB: not measured")


def wall_target_line(run, limit_s, what):
    """Wall-time limit, reported as PASS/FAIL on the target line, never asserted: `what` < limit_s seconds."""
    if ok(run):
        print(f"target: {what} < {limit_s:g} s: {run.wall:.2f} s -> {'PASS' if run.wall < limit_s else 'FAIL'}")
    else:
        print(f"target: {what} < {limit_s:g} s: not measured")


# ---------------------------------------------------------------- what the cases share


class Case:
    """One benchmark case of a module that holds several (registered in cases/__init__.py)."""

    def __init__(self, name, run, on_demand=False):
        self.NAME = name
        self.run = run
        self.ON_DEMAND = on_demand  # run only when named in --only: not by default, not by its group


def ok(run):
    return run is not None and run.ok


def brisk_unavailable(ctx, command):
    """None if ctx.brisk has `command`, else why not (shown in the table as the brisk row)."""
    if not ctx.brisk:
        return ctx.brisk_missing
    try:
        p = subprocess.run([ctx.brisk, command, "--help"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        return f"missing: cannot run {ctx.brisk} ({e})"
    if p.returncode != 0:
        return f"missing: this brisk has no `{command}` command (`brisk {command} --help` exited {p.returncode})"
    return None


def brisk_flags_missing(ctx, command, flags):
    """None if ctx.brisk has `command` with every option in `flags` (read from `brisk COMMAND --help`),
    else why not (shown in the table as the row of that command)."""
    why = brisk_unavailable(ctx, command)
    if why:
        return why
    try:
        text = subprocess.run([ctx.brisk, command, "--help"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return f"missing: cannot run {ctx.brisk} ({e})"
    absent = [f for f in flags if not re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text)]
    return f"missing: this brisk {command} has no {', '.join(absent)}" if absent else None


def brisk_row(ctx, command, run_once):
    """The brisk row of a case: run_once() if ctx.brisk has `command`, else a missing row saying why not."""
    why = brisk_unavailable(ctx, command)
    return missing("brisk", why) if why else run_once()


def skip_line(checks, run, what):
    if run is None:
        checks.line("SKIP", f"{what}: not selected with --tools")
        return
    why = f" ({run.error.splitlines()[0]})" if run.error else ""
    checks.line("SKIP", f"{what}: did not run{why}")


def rel(a, b):
    """Relative difference of two JSON numbers (None = NaN); inf if only one is missing or not a number."""
    if not all(x is None or (isinstance(x, (int, float)) and not isinstance(x, bool)) for x in (a, b)):
        return math.inf
    a = math.nan if a is None else float(a)
    b = math.nan if b is None else float(b)
    if math.isnan(a) or math.isnan(b):
        return 0.0 if (math.isnan(a) and math.isnan(b)) else math.inf
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


class Checks:
    """Collects PASS/FAIL/INFO/SKIP lines; FAILs make the suite exit non-zero."""

    def __init__(self):
        self.failed = 0

    def line(self, status, text):
        if status == "FAIL":
            self.failed += 1
        print(f"{status:<5} {text}")

    def check(self, ok, text):
        self.line("PASS" if ok else "FAIL", text)
