"""ydata-profiling as the peer of `brisk report`: one HTML profile page of a CSV file.

    python -m peers.ydata_report DATA.csv RESULT_JSON OUT.html full|minimal

Timed: pd.read_csv(DATA) (pandas' defaults); ProfileReport(df, title=..., progress_bar=False), with
minimal=True in the minimal mode and ydata-profiling's default settings otherwise; .to_file(OUT.html),
which computes the description, renders the page and writes it. progress_bar=False only silences the
progress bars on stderr.

After the clock stops, get_description() (computed by to_file and cached) gives the figures for the
correctness checks: the row count and, per column, ydata-profiling's type, count (non-null), n_missing
and mean (numeric columns). Usage analytics are switched off (YDATA_PROFILING_NO_ANALYTICS) so that no
network request happens in the timed part.
"""

import os
import sys
import time

os.environ.setdefault("YDATA_PROFILING_NO_ANALYTICS", "True")  # read when ydata_profiling is imported

import pandas as pd  # noqa: E402
from ydata_profiling import ProfileReport  # noqa: E402

from peers.common import num, threadpools, write_result  # noqa: E402

MODES = ("full", "minimal")


def describe(report):
    """{"rows", "columns": {name: {"type", "count", "n_missing", "mean"}}} of the report's description."""
    desc = report.get_description()
    columns = {}
    for name, v in desc.variables.items():
        columns[str(name)] = {"type": str(v.get("type")), "count": int(v["count"]) if "count" in v else None,
                              "n_missing": int(v["n_missing"]) if "n_missing" in v else None,
                              "mean": num(v["mean"]) if "mean" in v else None}
    return {"rows": int(desc.table["n"]), "columns": columns}


def main(path, result_path, out_path, mode):
    if mode not in MODES:
        sys.exit(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t_read = time.perf_counter()
    title = f"Profile of {os.path.basename(path)}"
    report = ProfileReport(df, title=title, minimal=(mode == "minimal"), progress_bar=False)
    report.to_file(out_path)
    seconds = time.perf_counter() - t0

    stats = describe(report)
    stats.update({"mode": mode, "read_seconds": t_read - t0, "page_bytes": os.path.getsize(out_path),
                  "threads": threadpools()})
    write_result(result_path, seconds, stats)


if __name__ == "__main__":
    main(*sys.argv[1:5])
