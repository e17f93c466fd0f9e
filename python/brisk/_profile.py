"""``profile_block``: wall time, peak memory and allocations of named, nested blocks of Python
code, counting brisk's and NumPy's, and ``profile_report``: the stage table with Amdahl's hints.

Blocks are stages of brisk's own profiler (the one behind ``brisk … --profile`` and the report's
stage profile), so a block around ``brisk.report()`` holds the report's stages. What a block
measures:

- ``wall_seconds``: wall-clock time from entering the block to leaving it;
- brisk's memory: the allocations made through brisk's allocator (by every thread) during the
  block, and the most bytes of brisk's heap in use at once above the level at the block's start;
- NumPy's memory, through ``tracemalloc`` (started for the outermost block if it was not
  running, and stopped after it): ``numpy_allocations`` counts the NumPy buffers allocated in
  the block and still alive at its end, as ``tracemalloc`` sees them in NumPy's own domain
  (``tracemalloc.DomainFilter(True, numpy.lib.tracemalloc_domain)``; a buffer allocated and
  freed inside the block is in the peak, not in this count), and ``numpy_peak_bytes`` is the
  most traced memory (NumPy's buffers and Python's objects) in use at once above the level at
  the block's start;
- ``peak_bytes`` = brisk's peak + ``numpy_peak_bytes`` (the two heaps are separate, and their
  peaks may fall at different moments: an upper bound of the combined peak), and
  ``allocations`` = brisk's allocations + ``numpy_allocations``.

Blocks nest on one stack for the whole process: open them from one thread at a time. Entering
a block resets ``tracemalloc``'s peak (``tracemalloc.reset_peak``); the enclosing blocks' peaks
are kept aside and restored. Entering and leaving a block each take a ``tracemalloc`` snapshot
of NumPy's live buffers, which costs time in proportion to the live traced blocks (little when
the block started ``tracemalloc`` itself).
"""

from __future__ import annotations

import contextlib
import tracemalloc
from typing import Any, List, Optional, Tuple

import numpy as np
import pandas as pd

from . import _internal

#: The tracemalloc domain NumPy reports its data buffers under.
_NUMPY_DOMAIN: int = np.lib.tracemalloc_domain


class _Frame:
    """An open block's NumPy side: the traced memory and NumPy's buffers at its start."""

    def __init__(self) -> None:
        self.base = 0
        self.peak = 0
        self.buffers: Optional[tracemalloc.Snapshot] = None


#: The open blocks, innermost last.
_open: List[_Frame] = []
#: The outermost block started tracemalloc (and stops it).
_started_tracing = False


def _numpy_buffers() -> tracemalloc.Snapshot:
    """The live NumPy buffers tracemalloc holds now."""
    return tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.DomainFilter(True, _NUMPY_DOMAIN)]
    )


class profile_block(contextlib.ContextDecorator):
    """Profiles a block of code, as a context manager or a decorator, under ``name``.

    Blocks nest: a block opened inside another is its stage's child (one depth deeper), and a
    block entered many times (a decorated function called in a loop) is one row of
    ``profile_report()`` with its calls counted. What each figure means is in
    this module's documentation (``brisk._profile``).

    >>> import numpy as np, brisk
    >>> _ = brisk.profile_report(reset=True)
    >>> with brisk.profile_block("pipeline"):
    ...     with brisk.profile_block("load"):
    ...         data = np.ones(1_000_000)
    >>> table = brisk.profile_report(reset=True)
    >>> table[["name", "depth", "calls"]].values.tolist()
    [['pipeline', 0, 1], ['load', 1, 1]]
    >>> int(table.loc[1, "numpy_peak_bytes"]) >= data.nbytes
    True
    """

    def __init__(self, name: str) -> None:
        self.name = str(name)
        # This object's open blocks (a `with` on the same object may nest), innermost last.
        self._entered: List[Tuple[Any, _Frame]] = []

    def _recreate_cm(self) -> "profile_block":
        # Each call of a decorated function is a block of its own (calls may nest: recursion).
        return profile_block(self.name)

    def __enter__(self) -> "profile_block":
        global _started_tracing
        if not _open and not tracemalloc.is_tracing():
            tracemalloc.start()
            _started_tracing = True
        frame = _Frame()
        if tracemalloc.is_tracing():
            frame.buffers = _numpy_buffers()
            if _open:
                _open[-1].peak = max(_open[-1].peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.reset_peak()
            frame.base = tracemalloc.get_traced_memory()[0]
        _open.append(frame)
        self._entered.append((_internal.profile_begin(self.name), frame))
        return self

    def __exit__(self, *exc: object) -> None:
        global _started_tracing
        stage, frame = self._entered.pop()
        index = stage.end()
        peak, allocations = 0, 0
        # Someone may have stopped tracemalloc inside the block: then NumPy's side is unknown.
        if tracemalloc.is_tracing() and frame.buffers is not None:
            peak = max(tracemalloc.get_traced_memory()[1], frame.peak)
            changes = _numpy_buffers().compare_to(frame.buffers, "traceback")
            allocations = sum(change.count_diff for change in changes if change.count_diff > 0)
            del changes
        frame.buffers = None
        _open.pop()
        if _open:
            # The counting above allocated: the enclosing block keeps this block's peak instead.
            _open[-1].peak = max(_open[-1].peak, peak)
            if tracemalloc.is_tracing():
                tracemalloc.reset_peak()
        elif _started_tracing:
            tracemalloc.stop()
            _started_tracing = False
        if index is not None:
            _internal.profile_attach(index, max(peak - frame.base, 0), allocations)


def profile_report(reset: bool = False) -> pd.DataFrame:
    """The stages recorded so far, one row per stage name under its parent, with Amdahl's
    hints, as ``brisk … --profile`` prints them.

    Columns: ``name``, ``depth`` (0 for a top-level block), ``parent`` (the enclosing stage's
    name; missing for a top-level stage), ``calls``, ``wall_seconds`` (summed over the calls), ``share`` (of the
    top-level stages' total time), ``peak_bytes`` (the largest of one call), ``allocations``
    (summed), ``numpy_peak_bytes`` and ``numpy_allocations`` (NumPy's part of those, see
    ``brisk._profile``), and ``if_halved`` and ``if_free``: the whole run's speed-up by
    Amdahl's law, ``1 / ((1 − p) + p / s)``, if the stage took half as long or no time, for the
    top-level stages (or those inside a single top-level stage; NaN for the others).

    Blocks still open are measured up to now. ``reset=True`` empties the record after reading
    it (it raises ``BriskError`` while a block is open); profiling is otherwise kept across
    calls, from the first block on.

    >>> import brisk
    >>> _ = brisk.profile_report(reset=True)
    >>> @brisk.profile_block("step")
    ... def step():
    ...     return sum(range(1000))
    >>> _ = [step() for _ in range(3)]
    >>> table = brisk.profile_report(reset=True)
    >>> table["name"].tolist(), table["calls"].tolist()
    (['step'], [3])
    """
    columns = _internal.profile_table(bool(reset))
    table = pd.DataFrame(columns)
    return table.astype(
        {
            "depth": "int64",
            "calls": "int64",
            "wall_seconds": "float64",
            "share": "float64",
            "peak_bytes": "int64",
            "allocations": "int64",
            "numpy_peak_bytes": "int64",
            "numpy_allocations": "int64",
            "if_halved": "float64",
            "if_free": "float64",
        }
    )
