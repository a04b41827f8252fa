"""Rosters as pandas data frames: :func:`aid_frame`.

This module needs the ``pandas`` extra (``pip install 'edupolicy[pandas]'``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
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
from edupolicy.columnar.arrow import check_names, records_of
from edupolicy.columnar.extras import MissingExtraError
from edupolicy.errors import FieldProblem
from edupolicy.i18n import _
from edupolicy.policy import Policy

try:
    import pandas as pd
except ImportError as exc:
    raise MissingExtraError("edupolicy.columnar.pandas", module="pandas", extra="pandas") from exc

__all__ = ["AID_COLUMNS", "aid_frame", "frame_meta"]

#: The columns of :func:`aid_frame`'s result, in order.
AID_COLUMNS: Final = ("row", "id", "cash_total", "waivers", "rules", "error", "problems")


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
    The result has the frame's index and the columns of :data:`AID_COLUMNS`: ``row``
    (the position in the frame), ``id``, ``cash_total`` (an exact ``Decimal``),
    ``waivers`` and ``rules`` (tuples of text), ``error`` and ``problems`` (a tuple of
    ``{"path", "value", "message"}``) for a row that cannot be evaluated, whose result
    columns are ``None``.

    A column is read through Arrow (``pyarrow.array``); one whose values no Arrow type
    can hold together (whole numbers and text mixed) is read value by value, and each
    row with a value there is evaluated alone.  A year read from a file with missing
    values is a column of floats in pandas, and a float is not a year: give such a
    column the nullable integer type ``"Int64"``.
    """
    return frame_result(policy, frame, on, locale, 0)


def frame_meta(index: pd.Index | None = None) -> pd.DataFrame:
    """An empty frame with the columns and types of :func:`aid_frame`'s result."""
    columns: dict[str, Any] = {
        name: pd.Series([], dtype=np.int64 if name == "row" else object) for name in AID_COLUMNS
    }
    return pd.DataFrame(columns, index=index[:0] if index is not None else None)


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


def _objects(values: Sequence[object]) -> npt.NDArray[np.object_]:
    """A numpy array of ``values``, each kept as the object it is (a tuple stays one)."""
    found = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        found[i] = value
    return found


def _frame(outcomes: Outcomes, index: pd.Index, first: int) -> pd.DataFrame:
    entries = outcomes.entries
    which = outcomes.which

    def column(values: Sequence[object]) -> pd.Series:
        return pd.Series(_objects(values)[which], index=index, dtype=object)

    ids = np.asarray(outcomes.ids.to_numpy(zero_copy_only=False), dtype=object)
    data: dict[str, pd.Series] = {
        "row": pd.Series(np.arange(first, first + outcomes.length, dtype=np.int64), index=index),
        "id": pd.Series(ids, index=index, dtype=object),
        "cash_total": column([e.cash for e in entries]),
        "waivers": column([e.waivers for e in entries]),
        "rules": column([e.rules for e in entries]),
        "error": column([e.error for e in entries]),
        "problems": column([e.problems for e in entries]),
    }
    return pd.DataFrame(data, index=index)
