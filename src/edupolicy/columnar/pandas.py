"""Rosters as pandas data frames: :func:`aid_frame`.

This module needs the ``pandas`` extra (``pip install 'edupolicy[pandas]'``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from edupolicy.columnar._core import (
    FIELDS,
    Column,
    Columns,
    Outcomes,
    evaluate,
    household_lists,
    refuse,
)
from edupolicy.columnar.arrow import AID_SCHEMA, check_names, records_of, result_arrays
from edupolicy.columnar.extras import MissingExtraError
from edupolicy.errors import FieldProblem
from edupolicy.i18n import _
from edupolicy.policy import Policy

try:
    import pandas as pd
except ImportError as exc:
    raise MissingExtraError("edupolicy.columnar.pandas", module="pandas", extra="pandas") from exc

__all__ = ["AID_COLUMNS", "aid_frame", "frame_meta"]

#: The columns of :func:`aid_frame`'s result, in order: those of
#: :data:`~edupolicy.columnar.arrow.AID_SCHEMA`.
AID_COLUMNS: Final = tuple(AID_SCHEMA.names)


def aid_frame(
    policy: Policy,
    frame: pd.DataFrame,
    on: _dt.date | str,
    *,
    locale: str | None = None,
) -> pd.DataFrame:
    """The aid of each student of a roster given as a pandas ``DataFrame``.

    :func:`~edupolicy.columnar.arrow.aid_table` for a data frame: a column per field of a
    student record, a missing value (``None``, ``NaN``, ``pd.NA``) a field not given.
    The result has the frame's index and the columns of :data:`AID_COLUMNS`, each of
    the Arrow type :data:`~edupolicy.columnar.arrow.AID_SCHEMA` gives it, as a
    ``pd.ArrowDtype``: ``row`` (the position in the frame), ``id``, ``cash_total``
    (``decimal128(38, 2)``: each value an exact ``Decimal``), ``waivers`` and ``rules``
    (lists of text), ``error`` and ``problems`` (a list of ``{"path", "value",
    "message"}``) for a row that cannot be evaluated, whose result columns are missing
    (``pd.NA``).

    A column is read through Arrow (``pyarrow.array``); one whose values no Arrow type
    can hold together (whole numbers and text mixed) is read value by value, and each
    row with a value there is evaluated alone.  A year read from a file with missing
    values is a column of floats in pandas, and a float is not a year: give such a
    column the nullable integer type ``"Int64"``.
    """
    return frame_result(policy, frame, on, locale, 0)


def frame_meta(index: pd.Index | None = None) -> pd.DataFrame:
    """An empty frame with the columns and types of :func:`aid_frame`'s result (the
    ``meta`` of a Dask data frame of results), with ``index``'s type when given."""
    return _typed(AID_SCHEMA.empty_table(), pd.RangeIndex(0) if index is None else index[:0])


def frame_result(
    policy: Policy, frame: object, on: _dt.date | str, locale: str | None, first: int
) -> pd.DataFrame:
    """:func:`aid_frame`, whose ``row`` counts from ``first``."""
    policy.plan_on(on, locale=locale)
    columns, index = _frame_columns(frame, locale)
    return _frame(evaluate(policy, on, columns, locale), index, first)


def _frame_columns(frame: object, locale: str | None) -> tuple[Columns, pd.Index]:
    if not isinstance(frame, pd.DataFrame):
        raise refuse(FieldProblem("frame", frame, _("must be a pandas DataFrame")), locale)
    names: list[Any] = list(frame.columns)
    check_names(names, locale)
    n = len(frame)
    converted: dict[Any, Column] = {}
    raw: dict[Any, pd.Series] = {}
    fields: dict[str, Column] = {}
    loose = np.zeros(n, np.bool_)
    for position, name in enumerate(names):
        series = frame.iloc[:, position]
        array = _arrow(series)
        known = isinstance(name, str) and name in FIELDS
        if array is None:
            # No Arrow type holds the column: each row with a value in it is evaluated
            # alone, from the value as it is.
            raw[name] = series
            loose |= np.asarray(series.notna(), dtype=np.bool_)
            continue
        if name == "household":
            array = household_lists(array)
        converted[name] = array
        if known:
            fields[name] = array
        elif array.null_count < len(array):
            loose |= np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)

    def records(rows: npt.NDArray[np.intp]) -> list[dict[Any, object]]:
        found = records_of(list(converted), list(converted.values()), rows)
        for name, series in raw.items():
            for record, value in zip(found, series.iloc[rows], strict=True):
                if not _missing(value):
                    record[name] = value
        # Each record with its fields in the frame's order, as a row of it reads.
        return [{name: r[name] for name in names if name in r} for r in found]

    return Columns(length=n, fields=fields, loose=loose, records=records), frame.index


def _arrow(series: pd.Series) -> Column | None:
    """The column as one Arrow array, or ``None`` when no Arrow type holds its values."""
    try:
        found: object = pa.array(series, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    if isinstance(found, pa.ChunkedArray):
        found = found.combine_chunks()
    assert isinstance(found, pa.Array)
    return found


def _missing(value: object) -> bool:
    """Whether a value of an object column is one of pandas' missing values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def _frame(outcomes: Outcomes, index: pd.Index, first: int) -> pd.DataFrame:
    table = pa.Table.from_arrays(result_arrays(outcomes, first), schema=AID_SCHEMA)
    return _typed(table, index)


def _typed(table: pa.Table, index: pd.Index) -> pd.DataFrame:
    """``table`` as a data frame whose columns keep their Arrow types, with ``index``."""
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    frame.index = index
    return frame
