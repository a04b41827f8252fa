"""Rosters as Arrow tables and record batches: :func:`aid_table`, :func:`aid_record_batch`.

See :mod:`edupolicy.columnar` for the columns a roster may have and the columns of the
result (:data:`AID_SCHEMA`).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, TypeVar, cast

import numpy as np
import pyarrow as pa

from edupolicy.columnar._core import (
    FIELDS,
    Column,
    Columns,
    Outcomes,
    arrow,
    evaluate,
    household_lists,
    python_values,
    refuse,
)
from edupolicy.errors import FieldProblem
from edupolicy.i18n import _
from edupolicy.policy import Policy

__all__ = [
    "AID_SCHEMA",
    "AID_SCHEMA_DDL",
    "PROBLEM_TYPE",
    "aid_record_batch",
    "aid_record_batches",
    "aid_table",
]

#: A problem of a rejected row: the field's path, its value as JSON text, what is wrong.
PROBLEM_TYPE: Final = pa.struct(
    [("path", pa.string()), ("value", pa.string()), ("message", pa.string())]
)

#: The columns of a result, one row per row of the roster, in its order.
AID_SCHEMA: Final = pa.schema(
    [  # type: ignore[arg-type]  # the stubs do not see the fields' common type
        pa.field("row", pa.int64(), nullable=False),
        pa.field("id", pa.string()),
        pa.field("cash_total", pa.decimal128(38, 2)),
        pa.field("waivers", pa.list_(pa.string())),
        pa.field("rules", pa.list_(pa.string())),
        pa.field("error", pa.string()),
        pa.field("problems", pa.list_(PROBLEM_TYPE)),
    ]
)

#: :data:`AID_SCHEMA` in the DDL of Spark SQL, for ``mapInArrow``.
AID_SCHEMA_DDL: Final = (
    "`row` BIGINT, `id` STRING, `cash_total` DECIMAL(38,2), `waivers` ARRAY<STRING>, "
    "`rules` ARRAY<STRING>, `error` STRING, "
    "`problems` ARRAY<STRUCT<`path`: STRING, `value`: STRING, `message`: STRING>>"
)

Tabular = TypeVar("Tabular", pa.Table, pa.RecordBatch)


def aid_table(
    policy: Policy,
    table: pa.Table | pa.RecordBatch,
    on: _dt.date | str,
    *,
    locale: str | None = None,
) -> pa.Table:
    """The aid of each student of a roster given as an Arrow table, as a table.

    ``table`` has a column per field of a student record (``stage``, ``year``,
    ``school_area``, ``boarding``, ``household``, ``orphan``, ``disabled``, ``id``);
    a null cell is a field not given.  The result has one row per row of ``table``, in
    its order, with the columns of :data:`AID_SCHEMA`: a row that cannot be evaluated
    has its ``error`` and ``problems`` (each bad field, by path and value) and no
    result.  Each row gets exactly what :meth:`Policy.aid <edupolicy.Policy.aid>` gives
    its record, or says about it.

    ``on`` and ``locale`` are checked first: an error there concerns every row, and is
    raised, as is a table that is not one (an ``InvalidRecordError`` naming ``table``)
    or that has a column twice.  ``locale`` is also the language of ``error`` and
    ``problems``.
    """
    return pa.Table.from_arrays(_evaluated(policy, table, on, locale, 0), schema=AID_SCHEMA)


def aid_record_batch(
    batch: Tabular,
    *,
    policy: Policy,
    on: _dt.date | str,
    locale: str | None = None,
) -> Tabular:
    """:func:`aid_table` as a function of the batch: a ``RecordBatch`` for a
    ``RecordBatch``, a ``Table`` for a ``Table``; ``row`` counts from 0 in the batch.

    It suits engines that hand a function one batch at a time, such as Ray Data's
    ``map_batches(aid_record_batch, batch_format="pyarrow", fn_kwargs=...)``.
    """
    arrays = _evaluated(policy, batch, on, locale, 0)
    if isinstance(batch, pa.RecordBatch):
        return pa.RecordBatch.from_arrays(arrays, schema=AID_SCHEMA)
    return pa.Table.from_arrays(arrays, schema=AID_SCHEMA)


def aid_record_batches(
    batches: Iterable[pa.RecordBatch],
    *,
    policy: Policy,
    on: _dt.date | str,
    locale: str | None = None,
) -> Iterator[pa.RecordBatch]:
    """:func:`aid_record_batch` of each batch, lazily; ``row`` counts on from batch to
    batch (it is the row's position in the stream).

    Its shape is that of Spark's ``mapInArrow``, whose function takes an iterator of
    record batches and yields record batches: declare :data:`AID_SCHEMA_DDL`.
    ``on`` and ``locale`` are checked before any batch is read.
    """
    policy.plan_on(on, locale=locale)
    return _batches(batches, policy, on, locale)


def _batches(
    batches: Iterable[pa.RecordBatch], policy: Policy, on: _dt.date | str, locale: str | None
) -> Iterator[pa.RecordBatch]:
    first = 0
    for batch in batches:
        arrays = _evaluated(policy, batch, on, locale, first)
        yield pa.RecordBatch.from_arrays(arrays, schema=AID_SCHEMA)
        first += batch.num_rows


def _evaluated(
    policy: Policy, table: object, on: _dt.date | str, locale: str | None, first: int
) -> list[Column]:
    policy.plan_on(on, locale=locale)
    return result_arrays(evaluate(policy, on, table_columns(table, locale), locale), first)


def table_columns(table: object, locale: str | None) -> Columns:
    """The columns of an Arrow table or record batch, to evaluate."""
    if isinstance(table, pa.Table):
        arrays: list[Column] = [_one_chunk(column) for column in table.columns]
    elif isinstance(table, pa.RecordBatch):
        arrays = list(table.columns)
    else:
        raise refuse(
            FieldProblem("table", table, _("must be a pyarrow Table or RecordBatch")), locale
        )
    names: list[str] = list(table.schema.names)
    check_names(names, locale)
    arrays = [
        household_lists(array) if name == "household" else array
        for name, array in zip(names, arrays, strict=True)
    ]
    loose = np.zeros(table.num_rows, np.bool_)
    for name, array in zip(names, arrays, strict=True):
        if name not in FIELDS and array.null_count < len(array):
            loose |= np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)

    def records(rows: Any) -> list[dict[Any, object]]:
        return records_of(names, arrays, rows)

    return Columns(
        length=table.num_rows,
        fields={name: array for name, array in zip(names, arrays, strict=True) if name in FIELDS},
        loose=loose,
        records=records,
    )


def _one_chunk(column: pa.ChunkedArray[Any]) -> Column:
    """A column of a table as one array (copied together when it has several chunks)."""
    whole: object = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return cast(Column, whole)


def check_names(names: Sequence[object], locale: str | None) -> None:
    """Refuse a roster that has a column twice: its rows could not be read as records."""
    twice = [name for name, count in Counter(names).items() if count > 1]
    if twice:
        raise refuse(
            FieldProblem("columns", twice[0], _("the roster has this column more than once")),
            locale,
        )


def records_of(
    names: Sequence[Any], arrays: Sequence[Column], rows: Any
) -> list[dict[Any, object]]:
    """The records of ``rows``: each row's cells by column name, the null ones left out."""
    taken = arrow(rows, pa.int64())
    found: list[dict[Any, object]] = [{} for _ in range(len(taken))]
    for name, array in zip(names, arrays, strict=True):
        try:
            values = python_values(array.take(taken))
        except pa.ArrowNotImplementedError:  # a type Arrow cannot take from (string_view)
            values = [python_values(array.slice(int(row), 1))[0] for row in rows]
        for record, value in zip(found, values, strict=True):
            if value is not None:
                record[name] = value
    return found


def result_arrays(outcomes: Outcomes, first: int) -> list[Column]:
    """The columns of :data:`AID_SCHEMA` for ``outcomes``; ``row`` counts from ``first``."""
    n = outcomes.length
    entries = outcomes.entries
    which = arrow(outcomes.which)
    rows = arrow(np.arange(first, first + n, dtype=np.int64))

    def column(values: list[Any], kind: pa.DataType) -> Column:
        return arrow(values, kind).take(which)

    if outcomes.rejected:
        errors = column([e.error for e in entries], pa.string())
        problems = column(
            [None if e.problems is None else list(e.problems) for e in entries],
            AID_SCHEMA.field("problems").type,
        )
    else:
        errors = pa.nulls(n, pa.string())
        problems = pa.nulls(n, AID_SCHEMA.field("problems").type)
    return [
        rows,
        outcomes.ids,
        column([e.cash for e in entries], AID_SCHEMA.field("cash_total").type),
        column([_listed(e.waivers) for e in entries], AID_SCHEMA.field("waivers").type),
        column([_listed(e.rules) for e in entries], AID_SCHEMA.field("rules").type),
        errors,
        problems,
    ]


def _listed(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)
