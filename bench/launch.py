"""Run one command and record its wall time and peak RSS (used by harness.measure).

    python -S -E launch.py RESULT_FILE CMD [ARG ...]

Writes "exit_code wall_seconds max_rss_kib" to RESULT_FILE; the command inherits
this process's standard streams, working directory and environment.

Why a launcher: Linux carries the high-water RSS of the address space a process
leaves at exec() into that process's ru_maxrss, and a child that Python spawns
with vfork() execs from the parent's address space. Spawned straight from the
benchmark driver (which imports numpy, pandas and Polars and computes reference
results), every child would report at least the driver's own peak. This launcher
imports nothing beyond the interpreter's built-in modules, so the floor is its own
few MiB. The clock runs from just before the spawn to the child's exit, so the
launcher's own start-up is not timed.
"""

import os
import sys
import time


def main():
    result_path, cmd = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    try:
        pid = os.posix_spawnp(cmd[0], cmd, os.environ)
    except OSError as e:
        print(f"launch.py: cannot run {cmd[0]}: {e}", file=sys.stderr)
        code, wall, maxrss = 127, time.perf_counter() - t0, 0
    else:
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        code, maxrss = os.waitstatus_to_exitcode(status), usage.ru_maxrss
    with open(result_path, "w") as f:
        f.write(f"{code} {wall!r} {maxrss}\n")


if __name__ == "__main__":
    main()
