"""Benchmark cases. Each case exposes NAME and run(ctx, checks) -> None; register it in CASES.

GROUPS names sets of cases that `--only` accepts as one name (e.g. --only arrays).
"""

from cases import arrays, frames, report, stats

GROUPED = (arrays, frames, report)  # modules holding several cases, each a group of its own
CASES = {stats.NAME: stats, **{c.NAME: c for m in GROUPED for c in m.CASES}}
GROUPS = {m.GROUP: [c.NAME for c in m.CASES] for m in GROUPED}
