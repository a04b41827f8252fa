"""The columnar evaluation that every entry point of :mod:`edupolicy.columnar` shares.

A roster arrives as columns (:class:`Columns`: the fields of a student record as
Arrow arrays, and a way back to any row as the record it stands for).  Each column is
mapped to small whole numbers with Arrow's compute functions and numpy: the stage and
the school area to their place in the vocabulary, the flags to 0 and 1, the household
to a bit per status.  Together they make one code per row, the key of the compiled
schedule (every field but the id), and each distinct code is evaluated once, by
:meth:`~edupolicy.Policy.aid` on the record it stands for: its outcome is then the
outcome of every row with that code.  No Python runs per valid row.

A row that is not plainly valid (a value missing, of another type, out of range, an
unknown word or status, a status twice, a blank id, a value in a column that is not a
field) is left out of the codes and evaluated alone, by :meth:`~edupolicy.Policy.aid`
on its record, which says what is wrong.  So every row gets exactly what
:meth:`~edupolicy.Policy.aid` gives its record, or the error it raises.

A null cell is a field not given, as an empty cell of a CSV roster is: an optional
field takes its default and a required one is missing.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, TypeAlias, cast

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from edupolicy.aid import STUDENT_FIELDS, Household, Stage
from edupolicy.errors import EdupolicyError, FieldProblem, InvalidDataError, InvalidRecordError
from edupolicy.i18n import _
from edupolicy.policy import Policy
from edupolicy.values import SchoolArea

__all__ = [
    "FIELDS",
    "Columns",
    "Entry",
    "Outcomes",
    "evaluate",
    "household_lists",
    "python_values",
    "refuse",
]

#: An Arrow array of any type (the stubs make ``pa.Array`` generic).
Column: TypeAlias = "pa.Array[Any]"
Codes: TypeAlias = npt.NDArray[np.int64]
Mask: TypeAlias = npt.NDArray[np.bool_]
Rows: TypeAlias = npt.NDArray[np.intp]


def arrow(values: object, kind: pa.DataType | None = None) -> Column:
    """``pa.array(values, kind)``: values of a Python sequence or a numpy array."""
    return cast(Column, pa.array(cast(Any, values), kind))


def _numbers(buffer: pa.Buffer | None, kind: type[Any], count: int) -> npt.NDArray[Any]:
    """The first ``count`` numbers of type ``kind`` in ``buffer`` (no copy)."""
    if buffer is None:
        return np.zeros(count, kind)
    return np.frombuffer(cast(Any, buffer), kind, count=count)


#: The fields of a student record: the columns a roster may have.
FIELDS: Final = STUDENT_FIELDS
_FLAGS: Final = ("boarding", "orphan", "disabled")

_STAGES: Final = tuple(Stage)
_AREAS: Final = tuple(SchoolArea)
_STAGE_WORDS: Final = arrow([stage.value for stage in _STAGES], pa.string())
_AREA_WORDS: Final = arrow([area.value for area in _AREAS], pa.string())

#: What ``str.strip()`` strips: every character ``str.isspace()`` holds for (none lies
#: above U+3000), so that a blank id or status is blank here exactly as in Python.
WHITESPACE: Final = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())

#: Household statuses beyond this many are not coded as bits (each row that has any
#: is evaluated alone).
_MAX_STATUS_BITS: Final = 62
#: Codes are made dense again before their range could pass this.
_MAX_CODE: Final = 1 << 62
#: A table of this many codes at most is looked up directly, without sorting.
_DENSE_LIMIT: Final = 1 << 24


@attrs.frozen
class Columns:
    """A roster as columns: the fields, and the records of the rows."""

    #: How many rows.
    length: int
    #: Each field the roster has, by name, as one Arrow array of ``length`` values.
    fields: Mapping[str, Column]
    #: The rows that are not plainly valid whatever their fields say: a value in a
    #: column that is not a field, or in a field no Arrow type could hold.
    loose: Mask
    #: The records of the given rows, each a dict of its columns without the null ones.
    records: Callable[[Rows], list[dict[Any, object]]]


@attrs.frozen
class Entry:
    """What some rows receive: a result (cash, waivers, rules) or a rejection (error, problems)."""

    cash: Decimal | None = None
    waivers: tuple[str, ...] | None = None
    rules: tuple[str, ...] | None = None
    error: str | None = None
    problems: tuple[dict[str, str], ...] | None = None


@attrs.frozen
class Outcomes:
    """The outcome of every row: the entry of each row (``which``) among ``entries``."""

    length: int
    entries: Sequence[Entry]
    #: The index in ``entries`` of each row's outcome.
    which: npt.NDArray[np.int32]
    #: The id of each row, as given when it is text; null otherwise.
    ids: Column
    #: Whether any entry is a rejection.
    rejected: bool


def refuse(problem: FieldProblem, locale: str | None) -> InvalidRecordError:
    """The error for a roster that cannot be read as a table at all."""
    return InvalidRecordError(_("Invalid roster table"), [problem], locale=locale)


def evaluate(policy: Policy, on: _dt.date | str, columns: Columns, locale: str | None) -> Outcomes:
    """The outcome of every row of ``columns`` under the plan in force on ``on``."""
    plan = policy.plan_on(on, locale=locale)
    n = columns.length
    fields = columns.fields
    bad = columns.loose.copy()

    stage = _codes(fields.get("stage"), _STAGE_WORDS, n)
    area = _codes(fields.get("school_area"), _AREA_WORDS, n)
    limits = np.array([plan.stage_years[s] for s in _STAGES] + [0], np.int64)
    year = _whole_numbers(fields.get("year"), n)
    bad |= (stage < 0) | (area < 0) | (year < 1) | (year > limits[stage])
    flags: list[Mask] = []
    for name in _FLAGS:
        values, wrong = _flags(fields.get(name), n)
        flags.append(values)
        bad |= wrong
    words = [status.value for status in Household] + [s.id for s in plan.household_statuses]
    household, wrong = _households(fields.get("household"), words, n)
    bad |= wrong
    bad |= _blank_ids(fields.get("id"), n)

    good = np.flatnonzero(~bad)
    every = len(good) == n

    def kept(values: Codes | Mask) -> Codes:
        return np.asarray(values if every else values[good], dtype=np.int64)

    codes = _combine(
        [
            (kept(stage), len(_STAGES)),
            (kept(year) - 1, int(limits.max())),
            (kept(area), len(_AREAS)),
            *((kept(flag), 2) for flag in flags),
            (kept(household), 1 << min(len(words), _MAX_STATUS_BITS)),
        ]
    )
    inverse, first = _distinct(codes)
    entries: list[Entry] = []
    for row in good[first]:
        record: dict[str, object] = {
            "stage": _STAGES[stage[row]].value,
            "year": int(year[row]),
            "school_area": _AREAS[area[row]].value,
            "boarding": bool(flags[0][row]),
            "household": [w for bit, w in enumerate(words) if int(household[row]) >> bit & 1],
            "orphan": bool(flags[1][row]),
            "disabled": bool(flags[2][row]),
        }
        entries.append(_entry(policy, record, on, locale))

    alone = np.flatnonzero(bad)
    which = np.empty(n, np.int32)
    which[good] = inverse
    which[alone] = np.arange(len(entries), len(entries) + len(alone), dtype=np.int32)
    ids = _id_strings(fields.get("id"), n)
    if len(alone):
        records = columns.records(alone)
        entries.extend(_entry(policy, record, on, locale) for record in records)
        if ids.null_count == n:
            # The ids of a column no Arrow type holds: those given as text.
            given = {row: record.get("id") for row, record in zip(alone, records, strict=True)}
            if any(isinstance(value, str) for value in given.values()):
                shown: list[str | None] = [None] * n
                for row, value in given.items():
                    shown[row] = value if isinstance(value, str) else None
                ids = arrow(shown, pa.string())
    return Outcomes(
        length=n,
        entries=entries,
        which=which,
        ids=ids,
        rejected=any(entry.error is not None for entry in entries),
    )


def _entry(
    policy: Policy, record: dict[Any, object], on: _dt.date | str, locale: str | None
) -> Entry:
    try:
        result = policy.aid(record, on, locale=locale)
    except EdupolicyError as exc:
        problems = exc.problems if isinstance(exc, InvalidDataError) else ()
        return Entry(
            error=exc.render(locale),
            problems=tuple(problem.to_json(locale) for problem in problems),
        )
    return Entry(
        cash=result.cash_total,
        waivers=result.waivers,
        rules=tuple(item.rule_id for item in result.items),
    )


# --- columns to codes ------------------------------------------------------------------


def _bits(buffer: pa.Buffer | None, offset: int, n: int) -> Mask:
    """The ``n`` bits of a bitmap from bit ``offset``, as booleans."""
    if n == 0:
        return np.zeros(0, np.bool_)
    if buffer is None:
        return np.ones(n, np.bool_)
    bits = np.unpackbits(_numbers(buffer, np.uint8, (offset + n + 7) // 8), bitorder="little")
    return bits[offset : offset + n].view(np.bool_)


def _present(array: Column) -> Mask:
    """Whether each value is given (not null)."""
    if array.null_count == 0:
        return np.ones(len(array), np.bool_)
    return _bits(array.buffers()[0], array.offset, len(array))


def _filled(array: Column, value: int) -> Codes:
    """The whole numbers of ``array`` (a primitive integer array) as int64, ``value`` for null."""
    if len(array) == 0:
        return np.zeros(0, np.int64)
    kind = np.dtype(array.type.to_pandas_dtype()).type
    values = _numbers(array.buffers()[1], kind, array.offset + len(array))[array.offset :]
    found = values.astype(np.int64)
    if array.null_count:
        found[~_present(array)] = value
    return found


def _booleans(array: Column) -> Mask:
    """The values of a boolean array, null as false."""
    found = _bits(array.buffers()[1], array.offset, len(array))
    if array.null_count:
        found = found & _present(array)
    return found


def _text(array: Column) -> Column | None:
    """``array`` as ``string`` or ``large_string`` when it holds text, else ``None``."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        if not (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
            return None
        return cast(Column, cast(Any, array).dictionary_decode())
    if pa.types.is_string_view(kind):
        return array.cast(pa.string())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return array
    return None


def _codes(array: Column | None, words: Column, n: int) -> Codes:
    """The place of each value among ``words``; -1 for null, another word or another type."""
    if array is None:
        return np.full(n, -1, np.int64)
    kind = array.type
    if pa.types.is_dictionary(kind):
        # The dictionary's words looked up once, then each row by its index.
        encoded = cast("pa.DictionaryArray[Any, Any]", array)
        inner = _codes(encoded.dictionary, words, len(encoded.dictionary))
        return np.append(inner, -1)[_filled(encoded.indices, -1)]
    text = _text(array)
    if text is None:
        return np.full(n, -1, np.int64)
    return _filled(pc.index_in(text, value_set=words.cast(text.type)), -1)


def _whole_numbers(array: Column | None, n: int) -> Codes:
    """The values of an integer column; 0 (never a valid year) for null or another type.

    An unsigned value too large for int64 wraps to a negative number, also invalid.
    """
    if array is None or not pa.types.is_integer(array.type):
        return np.zeros(n, np.int64)
    return _filled(array, 0)


def _flags(array: Column | None, n: int) -> tuple[Mask, Mask]:
    """A flag column's values (null is false, the default), and the rows of another type."""
    none = np.zeros(n, np.bool_)
    if array is None or pa.types.is_null(array.type):
        return none, none
    if not pa.types.is_boolean(array.type):
        return none, _present(array)
    return _booleans(array), none


def _households(array: Column | None, words: list[str], n: int) -> tuple[Codes, Mask]:
    """Each row's household as a bit per status of ``words``, and the rows that are not
    plainly valid: an unknown status, one given twice, or a value that is not a list of text."""
    mask = np.zeros(n, np.int64)
    wrong = np.zeros(n, np.bool_)
    if array is None or pa.types.is_null(array.type):
        return mask, wrong
    if not (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        return mask, _present(array)
    flat = pc.list_flatten(array)
    if len(flat) == 0:
        return mask, wrong
    parents = np.asarray(pc.list_parent_indices(array).to_numpy(), dtype=np.intp)
    if len(words) > _MAX_STATUS_BITS:
        wrong[parents] = True
        return mask, wrong
    codes = _codes(flat, arrow(words, pa.string()), len(flat))
    unknown = codes < 0
    wrong[parents[unknown]] = True
    bits = np.where(unknown, 0, np.left_shift(1, np.maximum(codes, 0)))
    # The statuses of a row are consecutive: sum and "or" them per row. They differ
    # exactly when a status is given twice.
    starts = np.flatnonzero(np.concatenate(([True], parents[1:] != parents[:-1])))
    rows = parents[starts]
    ors = np.bitwise_or.reduceat(bits, starts)
    mask[rows] = ors
    wrong[rows[np.add.reduceat(bits, starts) != ors]] = True
    return mask, wrong


def _blank_ids(array: Column | None, n: int) -> Mask:
    """The rows whose id is not plainly valid: blank text, or a value that is not text."""
    if array is None or pa.types.is_null(array.type):
        return np.zeros(n, np.bool_)
    text = _text(array)
    if text is None:
        return _present(array)
    # An id that starts with a printable ASCII character is not blank; only the others
    # are stripped to see.
    buffers = text.buffers()
    wide = pa.types.is_large_string(text.type)
    offsets = _numbers(buffers[1], np.int64 if wide else np.int32, text.offset + n + 1)
    offsets = offsets[text.offset :]
    size = 0 if buffers[2] is None else buffers[2].size
    first = (
        _numbers(buffers[2], np.uint8, size)[np.minimum(offsets[:-1], size - 1)]
        if size
        else np.zeros(n, np.uint8)
    )
    plain = (offsets[1:] > offsets[:-1]) & (first > 0x20) & (first < 0x7F)
    blank = np.zeros(n, np.bool_)
    broken = broken_text(text)
    if broken is not None:
        blank |= broken
        plain |= broken
    doubtful = np.flatnonzero(~plain & _present(text))
    if len(doubtful):
        stripped = pc.utf8_trim(text.take(arrow(doubtful)), characters=WHITESPACE)
        blank[doubtful] = _booleans(_call("equal", _call("utf8_length", stripped), 0))
    return blank


def _id_strings(array: Column | None, n: int) -> Column:
    """The ids as given, where they are text; null elsewhere."""
    text = None if array is None else _text(array)
    if text is None:
        return pa.nulls(n, pa.string())
    broken = broken_text(text)
    if broken is not None:
        text = cast(Column, pc.if_else(arrow(broken), pa.scalar(None, text.type), text))
    return text.cast(pa.string())


def _combine(parts: Sequence[tuple[Codes, int]]) -> Codes:
    """One code per row from several, each below its bound: mixed radix, made dense
    again (by rank) whenever the range would pass :data:`_MAX_CODE`."""
    code = np.array(parts[0][0], dtype=np.int64)
    bound = parts[0][1]
    for values, size in parts[1:]:
        if bound * size > _MAX_CODE:
            code, bound = _dense(code)
        if bound * size > _MAX_CODE:
            values, size = _dense(values)
        code *= size
        code += values
        bound *= size
    return code


def _dense(codes: Codes) -> tuple[Codes, int]:
    """``codes`` replaced by their rank among the distinct ones, and how many there are."""
    distinct, inverse = np.unique(codes, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1), max(len(distinct), 1)


def _distinct(codes: Codes) -> tuple[npt.NDArray[np.int32], Rows]:
    """For each code, the number of its distinct value; and a row of each distinct value."""
    if len(codes) == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.intp)
    top = int(codes.max()) + 1
    if top <= max(_DENSE_LIMIT, 4 * len(codes)) and top <= 4 * _DENSE_LIMIT:
        seen = np.zeros(top, np.bool_)
        seen[codes] = True
        values = np.flatnonzero(seen)
        number = np.zeros(top, np.int32)
        number[values] = np.arange(len(values), dtype=np.int32)
        inverse = number[codes]
    else:
        values, found = np.unique(codes, return_inverse=True)
        inverse = found.astype(np.int32).reshape(-1)
    first = np.empty(len(values), np.intp)
    first[inverse[::-1]] = np.arange(len(codes) - 1, -1, -1, dtype=np.intp)
    return inverse, first


# --- the household as text, the records of rows ----------------------------------------


def household_lists(array: Column) -> Column:
    """A household column of text read as the CSV reader reads it: statuses separated by
    ``;``, each stripped, the empty ones left out.  Any other column is returned as is."""
    text = _text(array)
    if text is None or broken_text(text) is not None:
        return array
    split = pc.split_pattern(text, ";")
    flat = cast(Column, pc.utf8_trim(pc.list_flatten(split), characters=WHITESPACE))
    parents = np.asarray(pc.list_parent_indices(split).to_numpy(), dtype=np.intp)
    keep = _booleans(_call("greater", _call("utf8_length", flat), 0))
    offsets = np.zeros(len(text) + 1, np.int32)
    np.cumsum(np.bincount(parents[keep], minlength=len(text)), out=offsets[1:])
    return cast(
        Column,
        pa.ListArray.from_arrays(
            cast(Any, arrow(offsets)),
            flat.filter(arrow(keep)).cast(pa.string()),
            mask=cast(Any, text.is_null()) if text.null_count else None,
        ),
    )


def _call(function: str, *args: object) -> Column:
    """The compute function ``function`` of ``args`` (whose overloads the stubs narrow
    too much for arrays of a type known only when the code runs)."""
    return cast(Column, pc.call_function(function, list(args)))


def python_values(array: Column) -> list[object]:
    """The values of ``array`` in Python.  A value Python cannot hold is given as what
    it can: text that is not UTF-8 as bytes, a date out of Python's range as Arrow
    prints it."""
    try:
        return list(array.to_pylist())
    except (pa.ArrowException, ValueError, OverflowError, TypeError):
        return [_python_value(array.slice(row, 1)) for row in range(len(array))]


def _python_value(one: Column) -> object:
    try:
        return cast(Any, one).to_pylist()[0]
    except (pa.ArrowException, ValueError, OverflowError, TypeError):
        pass
    binary = _binary(one.type)
    if binary is not None:
        try:
            return cast(Any, one.cast(binary)).to_pylist()[0]
        except (pa.ArrowException, ValueError, OverflowError, TypeError):
            pass
    return f"({one.type})"


def _binary(kind: pa.DataType) -> pa.DataType | None:
    """``kind`` with bytes in place of text, or ``None`` when it holds no text."""
    if pa.types.is_string(kind) or pa.types.is_string_view(kind):
        return pa.binary()
    if pa.types.is_large_string(kind):
        return pa.large_binary()
    if pa.types.is_dictionary(kind):
        return _binary(kind.value_type)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        inner = _binary(kind.value_type)
        if inner is None:
            return None
        return pa.list_(inner) if pa.types.is_list(kind) else pa.large_list(inner)
    return None


def broken_text(text: Column) -> Mask | None:
    """The rows of a text array that are not valid UTF-8 (which Arrow requires, but an
    array made from bytes by ``pa.Table.from_pandas`` may break); ``None`` when none are.

    Text that is all ASCII is valid: only other text is checked.
    """
    data = text.buffers()[2]
    if data is None or not data.size or not (_numbers(data, np.uint8, data.size) >= 0x80).any():
        return None
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        pass
    else:
        return None
    broken = np.zeros(len(text), np.bool_)
    for row in np.flatnonzero(_present(text)):  # one by one, for broken data only
        try:
            text.slice(int(row), 1).validate(full=True)
        except pa.ArrowInvalid:
            broken[row] = True
    return broken
