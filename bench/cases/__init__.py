"""Benchmark cases. Each module exposes NAME and run(ctx, checks) -> None; register it in CASES."""

from cases import stats

CASES = {stats.NAME: stats}
