"""What users pass as data, as the compiled module reads it, and tables back in the caller's type.

In:

- a path (``str`` or ``os.PathLike``) is read by brisk's own readers, as ``brisk`` on the command
  line reads it (CSV, TSV, JSON lines, Parquet, Arrow, ``.npy``);
- ``None`` is the embedded penguins data;
- a table in memory crosses through the Arrow C stream interface (``__arrow_c_stream__``): a
  pyarrow ``Table`` or ``RecordBatchReader`` and a polars ``DataFrame`` as they are, a pandas
  ``DataFrame`` as ``pyarrow.Table.from_pandas(df, preserve_index=False)`` makes it (the index is
  not a column). brisk copies the record batches to a temporary Arrow IPC file, one at a time, and
  reads that as it reads an ``.arrows`` file; the caller's table is never modified. Categorical
  columns whose categories are not text (``dictionary<int8, int64>``, …) are decoded to their
  values first.

Out: a table brisk made is returned in the caller's type (:func:`as_frame`): a pyarrow ``Table``
for pyarrow input, a polars ``DataFrame`` for polars input, and a pandas ``DataFrame`` (with a
fresh ``RangeIndex``) for pandas input, paths and ``None``.
"""

from __future__ import annotations

import os
from typing import Any

from ._errors import BriskError


class _Table:
    """A table in memory and the name brisk's messages give it (``<pandas.DataFrame>``, …)."""

    __slots__ = ("table", "brisk_name")

    def __init__(self, table: Any, name: str) -> None:
        self.table = table
        self.brisk_name = name

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self.table.__arrow_c_stream__(requested_schema)


class _Stream:
    """A capsule holding an Arrow C stream that brisk made, as an object pyarrow imports."""

    __slots__ = ("capsule",)

    def __init__(self, capsule: Any) -> None:
        self.capsule = capsule

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self.capsule


def _package(data: Any) -> str:
    """The top-level package of ``data``'s type: ``pandas``, ``polars``, ``pyarrow``, …"""
    return type(data).__module__.split(".")[0]


def _is_pandas(data: Any) -> bool:
    return _package(data) == "pandas" and type(data).__name__ == "DataFrame"


def _decode_dictionaries(table: Any) -> Any:
    """``table`` with its dictionary columns of non-text values decoded to their values."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            values = field.type.value_type
            if not (pa.types.is_string(values) or pa.types.is_large_string(values)):
                table = table.set_column(i, field.name, table.column(i).cast(values))
    return table


def _aligned_offsets(table: Any) -> Any:
    """``table`` with each text or binary column whose offsets buffer is not aligned to its
    integer width (as after Dask's or pickle's out-of-band buffers) cast to the other offset
    width, which writes fresh, aligned offsets: the Arrow C data interface asks for aligned
    buffers, and brisk reads the offsets in place."""
    import pyarrow as pa

    other = {
        pa.string(): pa.large_string(),
        pa.large_string(): pa.string(),
        pa.binary(): pa.large_binary(),
        pa.large_binary(): pa.binary(),
    }
    for i, field in enumerate(table.schema):
        if field.type not in other:
            continue
        width = 8 if field.type in (pa.large_string(), pa.large_binary()) else 4
        column = table.column(i)
        misaligned = any(
            chunk.buffers()[1] is not None and chunk.buffers()[1].address % width
            for chunk in column.chunks
        )
        if misaligned:
            table = table.set_column(i, field.name, column.cast(other[field.type]))
    return table


def _pandas_table(df: Any, nan_is_null: bool) -> Any:
    """A pandas ``DataFrame`` as a pyarrow ``Table``. With ``nan_is_null=False`` its ``float64``
    columns cross as they are (NaN stays a NaN value, and the column's memory is shared rather than
    scanned for a null mask), for jobs that read NaN as missing anyway; other columns, and frames
    whose column names are not distinct strings, as ``pyarrow.Table.from_pandas`` makes them."""
    import numpy as np
    import pyarrow as pa

    names = list(df.columns)
    floats = [i for i, t in enumerate(df.dtypes) if t == np.dtype("float64")]
    plain = all(isinstance(n, str) for n in names) and len(set(names)) == len(names)
    if nan_is_null or not floats or not plain:
        return pa.Table.from_pandas(df, preserve_index=False)
    others = [i for i in range(len(names)) if i not in set(floats)]
    rest = pa.Table.from_pandas(df.iloc[:, others], preserve_index=False)
    columns = {i: rest.column(k) for k, i in enumerate(others)}
    for i in floats:
        columns[i] = pa.array(df.iloc[:, i].to_numpy(), type=pa.float64())
    return pa.Table.from_arrays([columns[i] for i in range(len(names))], names=names)


def as_source(data: Any, nan_is_null: bool = True) -> Any:
    """``data`` as the compiled module takes it: ``None``, a path as ``str``, or a table with
    ``__arrow_c_stream__`` and the name messages give it. ``nan_is_null=False`` lets a pandas
    frame's ``float64`` columns cross without their NaN made nulls, for jobs that read NaN as
    missing (the cleaning).

    >>> as_source(None) is None
    True
    >>> as_source("penguins.csv")
    'penguins.csv'
    >>> import pandas as pd
    >>> as_source(pd.DataFrame({"x": [1.0, 2.0]})).brisk_name
    '<pandas.DataFrame>'
    """
    if data is None:
        return None
    if isinstance(data, (str, os.PathLike)):
        return os.fspath(data)
    name = f"<{_package(data)}.{type(data).__name__}>"
    if _is_pandas(data):
        import pyarrow as pa

        try:
            table = _pandas_table(data, nan_is_null)
        except (pa.ArrowException, TypeError, ValueError) as e:
            raise BriskError(f"{name}: cannot read it as an Arrow table: {e}") from e
        return _Table(_aligned_offsets(_decode_dictionaries(table)), name)
    if _package(data) == "pyarrow" and type(data).__name__ == "Table":
        return _Table(_aligned_offsets(_decode_dictionaries(data)), name)
    if hasattr(data, "__arrow_c_stream__"):
        return _Table(data, name)
    raise BriskError(
        f"expected a path, a pandas or polars DataFrame or a pyarrow Table, "
        f"got {type(data).__name__}"
    )


def as_frame(capsule: Any, like: Any) -> Any:
    """The table in ``capsule`` (an Arrow C stream brisk made) as the type of ``like``, the data
    the caller passed: pyarrow, polars, else pandas.

    >>> import pandas as pd, pyarrow as pa
    >>> table = pa.table({"x": [1, 2]})
    >>> type(as_frame(table.__arrow_c_stream__(), "data.csv")).__name__
    'DataFrame'
    >>> as_frame(table.__arrow_c_stream__(), table).num_rows
    2
    """
    import pyarrow as pa

    table = pa.table(_Stream(capsule))
    package = _package(like)
    if package == "pyarrow":
        return table
    if package == "polars":
        import polars

        return polars.from_arrow(table)
    return table.to_pandas()
