"""Benchmark cases. Each case exposes NAME and run(ctx, checks) -> None; register it in CASES.

GROUPS names sets of cases that `--only` accepts as one name (e.g. --only arrays). A case with
ON_DEMAND set (e.g. report10g, which writes a 10 GB file) runs only when --only names it: it is in
no group and not in DEFAULT, the cases of a run without --only.
"""

from cases import arrays, frames, inputs, outofcore, python, report, scale, stats

GROUPED = (arrays, frames, report, outofcore, inputs)  # modules holding several cases, each a group of its own
CASES = {stats.NAME: stats, **{c.NAME: c for m in GROUPED for c in m.CASES}, python.NAME: python, scale.NAME: scale}
ON_DEMAND = [name for name, c in CASES.items() if getattr(c, "ON_DEMAND", False)]
DEFAULT = [name for name in CASES if name not in ON_DEMAND]
GROUPS = {m.GROUP: [c.NAME for c in m.CASES if c.NAME not in ON_DEMAND] for m in GROUPED}
