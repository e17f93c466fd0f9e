"""Dataset jobs on tables and files, as pandas does them (exercises B.4, B.6, B.7, C.2, C.5).

``data`` is a path (CSV, TSV, JSON lines, Parquet, Arrow, read by brisk's own streaming readers),
a pandas or polars ``DataFrame``, a pyarrow ``Table``, or ``None`` for the embedded penguins data
(see ``brisk._sources``). Tables come back in the type that came in (pandas for a path).
"""

from __future__ import annotations

import json
import math
from typing import Any, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _internal
from ._errors import BriskError
from ._sources import as_frame, as_source

#: Rows per chunk of the streaming passes when the caller does not choose.
_CHUNK_ROWS = 65_536


def _statistics(data: Any, chunk_rows: int) -> list[dict[str, Any]]:
    """The columns of ``brisk stats --format json`` on ``data``."""
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise BriskError(f"chunk_size must be an integer ≥ 1, not {chunk_rows!r}")
    report = json.loads(_internal.statistics(as_source(data), chunk_rows, False))
    return report["columns"]


def _number(x: Optional[float]) -> float:
    return math.nan if x is None else float(x)


def _bool_figures(c: dict[str, Any]) -> dict[str, Any]:
    """count, unique, top and freq of a boolean column, as pandas' ``describe`` gives them."""
    trues, falses = c["true_count"], c["count"] - c["true_count"]
    if c["count"] == 0:
        return {"count": 0, "unique": 0, "top": math.nan, "freq": math.nan}
    top = trues >= falses
    return {
        "count": c["count"],
        "unique": int(trues > 0) + int(falses > 0),
        "top": top,
        "freq": trues if top else falses,
    }


#: The rows of :func:`describe`, in order: pandas' ``describe(include="all")``, then brisk's own.
_DESCRIBE_ROWS = [
    "count", "unique", "top", "freq", "mean", "std", "min", "25%", "50%", "75%", "max",
    "null_count", "skewness", "kurtosis",
]


def describe(data: Any = None) -> pd.DataFrame:
    """Per-column statistics of ``data``, shaped as ``pandas.DataFrame.describe(include="all")``:
    statistics as rows, columns as columns, in the data's column order.

    Numeric columns have ``count``, ``mean``, ``std`` (ddof 1), ``min``, ``25%``, ``50%``, ``75%``
    and ``max`` (exact quartiles, linear interpolation, as pandas), plus brisk's ``null_count``,
    ``skewness`` (``Series.skew``) and ``kurtosis`` (``Series.kurt``); their column is ``float64``.
    Text and boolean columns have ``count``, ``unique``, ``top`` (ties: the first seen; for
    booleans, ``True``) and ``freq``; date-time columns ``count``, ``min`` and ``max`` as
    ``pandas.Timestamp``; these columns are ``object``. A row is shown when some column has it;
    an undefined figure is NaN. So ``describe(df).loc[df.describe().index, numeric_columns]``
    equals ``df.describe()``.

    The data is read in one streaming pass (two for exact quartiles past the memory limit), with
    the statistics of ``brisk stats``.

    >>> import pandas as pd, brisk
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 4.0], "s": ["a", "b", "a"]})
    >>> brisk.describe(df).loc[["count", "mean", "50%", "top", "freq"]]
                  x    s
    count  3.000000    3
    mean   2.333333  NaN
    50%    2.000000  NaN
    top         NaN    a
    freq        NaN    2
    """
    return _describe_frame(_statistics(data, _CHUNK_ROWS))


def _describe_frame(statistics: list[dict[str, Any]]) -> pd.DataFrame:
    """The columns of ``brisk stats --format json`` shaped as :func:`describe` returns them."""
    columns: dict[str, pd.Series] = {}
    shown: set[str] = {"count", "null_count"}
    for c in statistics:
        kind = c["type"]
        if kind == "numeric":
            figures = {
                "count": c["count"], "mean": c["mean"], "std": c["std"], "min": c["min"],
                "25%": c["q25"], "50%": c["median"], "75%": c["q75"], "max": c["max"],
                "null_count": c["null_count"], "skewness": c["skewness"],
                "kurtosis": c["kurtosis"],
            }
            values = {k: _number(v) for k, v in figures.items()}
        elif kind == "categorical":
            values = {k: c[k] if c[k] is not None else math.nan
                      for k in ("count", "unique", "top", "freq")}
            values["null_count"] = c["null_count"]
        elif kind == "bool":
            values = {**_bool_figures(c), "null_count": c["null_count"]}
        else:  # datetime
            values = {"count": c["count"], "null_count": c["null_count"]}
            values.update({k: pd.Timestamp(c[k]) if c[k] else pd.NaT for k in ("min", "max")})
        shown.update(values)
        dtype = "float64" if kind == "numeric" else "object"
        columns[c["name"]] = pd.Series(values, dtype=dtype)
    index = [row for row in _DESCRIBE_ROWS if row in shown]
    return pd.DataFrame({name: s.reindex(index) for name, s in columns.items()}, index=index)


def chunked_statistics(
    filepath: Any, chunk_size: int = 100_000, numeric_only: bool = True
) -> pd.DataFrame:
    """Column statistics of a file read in chunks of ``chunk_size`` rows, never whole (exercise
    C.5): a DataFrame with the statistics ``mean``, ``std`` (ddof 1), ``min``, ``max`` and
    ``count`` (non-null values) as rows and the columns as columns, all ``float64``.

    As ``pd.concat(pd.read_csv(filepath, chunksize=chunk_size))`` then ``.agg(["mean", "std",
    "min", "max", "count"])``, but merged chunk by chunk (Welford/Chan), so the result does not
    depend on ``chunk_size``. With ``numeric_only=False`` the other columns are included with
    their ``count`` (their other rows NaN). ``filepath`` may also be any data ``describe`` takes.

    >>> import brisk
    >>> brisk.chunked_statistics(None).loc[["count", "mean"], ["bill_length_mm", "body_mass_g"]]
           bill_length_mm  body_mass_g
    count       342.00000   342.000000
    mean         43.92193  4201.754386
    """
    rows = ["mean", "std", "min", "max", "count"]
    columns: dict[str, list[float]] = {}
    for c in _statistics(filepath, chunk_size):
        if c["type"] == "numeric":
            columns[c["name"]] = [_number(c[k]) for k in rows[:-1]] + [float(c["count"])]
        elif not numeric_only:
            columns[c["name"]] = [math.nan] * 4 + [float(c["count"])]
    return pd.DataFrame(columns, index=rows, dtype="float64")


def _names(value: Union[str, Sequence[str], None], what: str) -> Optional[list[str]]:
    """A column name or a list of them as a list; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    names = list(value)
    if not all(isinstance(n, str) for n in names):
        raise BriskError(f"{what} must be column names (str), got {names!r}")
    return names


def clean_dataset(
    df: Any,
    numeric_cols: Optional[Sequence[str]] = None,
    categorical_cols: Optional[Sequence[str]] = None,
    sigma: float = 3.0,
) -> tuple[Any, dict[str, Any]]:
    """The cleaning pipeline of exercise C.2, as ``brisk clean``: returns the cleaned table (of
    ``df``'s type, rows in input order with a fresh index) and the report of ``brisk clean
    --report``.

    In this order: 1. drop duplicate rows, keeping the first (``df.drop_duplicates()``); 2. fill
    each numeric column's nulls with its median; 3. fill each categorical column's nulls with its
    mode (ties: the smallest, ``mode().iloc[0]``); 4. lowercase the categorical columns
    (``str.lower()``); 5. drop the rows where some numeric column has ``|x - mean| > sigma * std``
    (ddof 1, taken after step 2). ``numeric_cols`` and ``categorical_cols`` default to every
    numeric and every text column. The report holds ``source``, ``rows_in``,
    ``duplicates_removed``, ``numeric_filled`` and ``categorical_filled`` (per column),
    ``fill_values``, ``values_lowercased``, ``outlier_rows_removed``, ``bounds`` (per column,
    ``[mean - sigma std, mean + sigma std]``), ``rows_out``, ``sigma`` and the column lists.
    ``df`` is not modified.

    >>> import pandas as pd, brisk
    >>> df = pd.DataFrame({"x": [1.0, 1.0, None, 3.0], "c": ["A", "A", "b", None]})
    >>> clean, report = brisk.clean_dataset(df, ["x"], ["c"])
    >>> clean
         x  c
    0  1.0  a
    1  2.0  b
    2  3.0  a
    >>> report["duplicates_removed"], report["numeric_filled"], report["fill_values"]["x"]
    (1, {'x': 1}, 2.0)
    """
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float)) or not (
        math.isfinite(sigma) and sigma >= 0
    ):
        raise BriskError(f"sigma must be a finite number ≥ 0, not {sigma!r}")
    # NaN is missing to every step, as to pandas: float columns need no null mask.
    capsule, source, report = _internal.clean(
        as_source(df, nan_is_null=False),
        _names(numeric_cols, "numeric_cols"),
        _names(categorical_cols, "categorical_cols"),
        float(sigma),
    )
    return as_frame(capsule, df), {"source": source, **json.loads(report)}


#: pandas' aggregation names and brisk's functions.
_FUNCS = {
    "size": "count()", "count": "count", "sum": "sum", "mean": "mean", "min": "min",
    "max": "max", "std": "std", "var": "var", "median": "median", "nunique": "nunique",
}


def _quote(name: str) -> str:
    """A column name as ``--agg`` reads it (backquoted)."""
    if "`" in name:
        raise BriskError(f"column names with a backquote cannot be aggregated: {name!r}")
    return f"`{name}`"


def _agg_item(column: str, func: str, name: str) -> str:
    """One ``FUNC(COL) as NAME`` item from pandas' ``(column, func)`` and an output name."""
    if not isinstance(func, str) or func not in _FUNCS:
        raise BriskError(f"unknown aggregation {func!r}; brisk has {', '.join(_FUNCS)}")
    call = "count()" if func == "size" else f"{_FUNCS[func]}({_quote(column)})"
    return f"{call} as {_quote(name)}"


def _agg_spec(agg: Any) -> str:
    """``agg`` in the ``--agg`` form."""
    if isinstance(agg, str):
        return agg
    if isinstance(agg, Mapping):
        items = []
        for key, value in agg.items():
            if isinstance(value, tuple) and len(value) == 2:  # name=(column, func)
                items.append(_agg_item(value[0], value[1], key))
            elif isinstance(value, str):  # {column: func}
                items.append(_agg_item(key, value, key))
            else:  # {column: [func, ...]}
                items.extend(_agg_item(key, f, f"{key}_{f}") for f in value)
        return ", ".join(items)
    if isinstance(agg, (list, tuple)) and all(isinstance(a, str) for a in agg):
        return ", ".join(agg)
    raise BriskError(
        "agg must be a str (\"mean(x) as m, count()\"), a list of such items, or a dict as "
        f"pandas' agg takes ({{column: func or [funcs]}}, {{name: (column, func)}}), not {agg!r}"
    )


def groupby(
    data: Any,
    by: Union[str, Sequence[str]],
    agg: Any,
    with_: Union[str, Sequence[str], None] = None,
    sort: Optional[str] = None,
    descending: bool = False,
) -> Any:
    """Group the rows of ``data`` by ``by`` and aggregate them in one streaming pass, as
    ``df.groupby(by, dropna=False, as_index=False).agg(...)``: one row per group, the keys as
    columns, groups sorted by key (null keys last, as their own group), or by the output column
    ``sort`` (``descending`` for largest first; nulls last).

    ``agg`` takes pandas' forms: ``{column: func}`` (the output column is named after the input
    column), ``{column: [func, ...]}`` (named ``column_func``), ``{name: (column, func)}`` (named
    aggregation); or ``brisk groupby``'s: a string ``"mean(price) as avg, count()"`` or a list of
    such items. Functions: ``size`` (rows, ``count()``), ``count`` (non-null values), ``sum``,
    ``mean``, ``min``, ``max``, ``std``, ``var`` (ddof 1), ``median``, ``nunique``. ``with_`` adds
    columns before grouping (exercise B.4's method chain): ``"NAME = EXPR"`` with ``+ - * /``,
    parentheses, numbers and column names (backquote names with spaces), each able to use the ones
    before it.

    >>> import pandas as pd, brisk
    >>> df = pd.DataFrame({"dept": ["eng", "eng", "ops"], "pay": [10.0, 20.0, 5.0],
    ...                    "years": [1.0, 4.0, 1.0]})
    >>> brisk.groupby(df, "dept", {"pay": ["mean", "max"], "rate": ("pay_per_year", "mean")},
    ...               with_="pay_per_year = pay / years")
      dept  pay_mean  pay_max  rate
    0  eng      15.0     20.0   7.5
    1  ops       5.0      5.0   5.0
    """
    keys = _names(by, "by")
    if not keys:
        raise BriskError("by must name at least one column")
    derived = _names(with_, "with_") or []
    capsule = _internal.groupby(
        as_source(data), keys, _agg_spec(agg), derived, sort, bool(descending)
    )
    return as_frame(capsule, data)


def join(
    left: Any,
    right: Any,
    on: str,
    how: str = "left",
    count: Optional[str] = None,
    right_on: Optional[str] = None,
) -> Any:
    """Join ``right`` to ``left`` on the key column ``on`` (``right_on`` in ``right`` when it is
    named differently), as ``brisk join``; the result has ``left``'s type.

    - ``how="left"`` or ``"inner"``: the relational join, as ``pd.merge(left, right, on=on,
      how=how, suffixes=("", "_right"))`` — left rows in order, each repeated for its matches;
      the right key column is not repeated; nulls never match; numbers match by value (``1`` and
      ``1.0``).
    - ``count="NAME"`` (exercise B.6): ``left`` with a column ``NAME`` counting the rows of
      ``right`` with each row's key, 0 when none; ``right`` is streamed, never loaded whole.

    >>> import pandas as pd, brisk
    >>> users = pd.DataFrame({"id": [1, 2, 3], "name": ["ada", "bob", "cy"]})
    >>> events = pd.DataFrame({"id": [1, 3, 1, 9]})
    >>> brisk.join(users, events, "id", count="n_events")
       id name  n_events
    0   1  ada         2
    1   2  bob         0
    2   3   cy         1
    """
    if not isinstance(how, str) or how not in ("left", "inner"):
        raise BriskError(f'how must be "left" or "inner", not {how!r}')
    for what, value in (("on", on), ("right_on", right_on), ("count", count)):
        if value is not None and not isinstance(value, str):
            raise BriskError(f"{what} must be a column name (str), not {value!r}")
    capsule = _internal.join(
        as_source(left), as_source(right), on, right_on or on, how, count
    )
    return as_frame(capsule, left)
