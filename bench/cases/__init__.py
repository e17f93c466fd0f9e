"""Benchmark cases. Each case exposes NAME and run(ctx, checks) -> None; register it in CASES.

GROUPS names sets of cases that `--only` accepts as one name (e.g. --only arrays).
"""

from cases import arrays, frames, stats

CASES = {stats.NAME: stats, **{c.NAME: c for c in arrays.CASES}, **{c.NAME: c for c in frames.CASES}}
GROUPS = {arrays.GROUP: [c.NAME for c in arrays.CASES], frames.GROUP: [c.NAME for c in frames.CASES]}
