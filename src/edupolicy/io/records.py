"""One reader per format of records: a JSON document, JSON Lines, and CSV.

The command line, the HTTP service, case tables and rosters read in Python all read
records here, so that every surface accepts and refuses the same input in the same
words.  A reader turns text into JSON-shaped data (dicts, lists, strings, numbers); the
converter (:func:`edupolicy.io.structure`) then reads the record and names each bad
field by its path.  So ``{"year": NaN}`` is read here (Python's ``json`` reads
``NaN``) and refused by the converter as ``$.year: must be a whole number (got NaN)``,
whichever surface it came through.

Each reader takes bytes and, for callers that have text already, text.  Bytes must be
UTF-8; a byte that is not is a problem of its own line (or row), never of the whole
input: the lines before and after it are read as usual.  A byte-order mark at the very
start is skipped.

* :func:`read_json` reads one JSON value, and is what every reader calls for each line
  or document: a line is decoded and parsed once, with no other pass over it.
* :func:`json_lines` reads JSON Lines from any iterable of lines (a binary file, a
  list of lines), one :class:`Entry` per line that is not blank.
* :func:`csv_records` reads a table whose columns are a record's fields, and
  :func:`table_records` such a table from rows already split into cells (a
  workbook's); :func:`cell_value` is how one cell becomes a field's value, which case
  tables share.
* :func:`read_records` reads any of them from a stream, as the command line does.

:func:`json_bytes` writes JSON that never fails to encode, whatever text it echoes.
"""

from __future__ import annotations

import csv
import json
import re
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final, Literal, NamedTuple

import attrs

from edupolicy import io as edupolicy_io
from edupolicy.aid import Student
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import Message, _
from edupolicy.io.parsers import csv_problem, json_problem

__all__ = [
    "CSV_SUFFIXES",
    "JSON_LINES_SUFFIXES",
    "LIST_SEPARATOR",
    "STUDENT_CELLS",
    "WORKBOOK_SUFFIXES",
    "CellKind",
    "Entry",
    "NotReadable",
    "cell_kinds",
    "cell_value",
    "csv_records",
    "json_bytes",
    "json_lines",
    "read_json",
    "read_records",
    "table_records",
]

#: Files whose names end so are always read as JSON Lines, even with a single line.
JSON_LINES_SUFFIXES: Final = (".jsonl", ".ndjson")
#: Files whose names end so are read as CSV: a header row, then one record per row.
CSV_SUFFIXES: Final = (".csv",)
#: Files whose names end so are read as workbooks (by :mod:`edupolicy.io.workbooks`).
WORKBOOK_SUFFIXES: Final = (".xlsx",)
#: What separates the items of a list in one CSV cell (``dibao;orphan``).
LIST_SEPARATOR: Final = ";"

#: How a CSV cell is read: a whole number, a flag (``true``/``false``), a list of
#: items separated by :data:`LIST_SEPARATOR`, or text as it is.
CellKind = Literal["whole", "flag", "list", "text"]

_BOM: Final = "\ufeff"
_BOM_BYTES: Final = b"\xef\xbb\xbf"
# A whole number as JSON writes one (a sign only for negatives), short enough for int().
_WHOLE: Final = re.compile(r"-?[0-9]{1,4000}")


class NotReadable(ValueError):
    """Input that is not a value of its format: :attr:`message` says why, in words."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


class Entry(NamedTuple):
    """One record read from input: its position and its data, or why it is unreadable.

    ``position`` is ``NAME`` for a whole document, ``NAME:LINE`` for a line of JSON
    Lines or a row of CSV (``LINE`` counted from 1; a row's last line), ``NAME[INDEX]``
    for an item of a JSON list.  A named tuple: one is made per record, and a tuple is
    made fastest.
    """

    position: str
    data: object = None
    error: Message | None = None
    #: Whether the input is this one JSON document (not a list, not JSON Lines).
    alone: bool = False


# --- JSON -----------------------------------------------------------------------------------


def read_json(data: bytes | str) -> object:
    """``data`` as one JSON value; :class:`NotReadable` for anything that is not.

    Bytes are decoded as UTF-8 once and parsed once.  ``NaN`` and ``Infinity`` are read
    (as Python's ``json`` reads them), for the record's reader to refuse by field; text
    that is not UTF-8, a document nested too deeply or a number of thousands of digits
    is not readable.
    """
    try:
        text = data.decode() if type(data) is bytes else data
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise NotReadable(_not_utf8(exc)) from None
    except RecursionError as exc:
        raise NotReadable(_not_json(json_problem(exc))) from None
    except ValueError as exc:
        if isinstance(text, str) and text.startswith(_BOM):
            return read_json(text[1:])
        raise NotReadable(_not_json(json_problem(exc))) from None


def _not_utf8(exc: UnicodeDecodeError) -> Message:
    return _("must be UTF-8 text; byte {position} is not", position=exc.start + 1)


def _not_json(error: Message) -> Message:
    return _("not valid JSON: {error}", error=error)


def _blank(line: bytes | str) -> bool:
    """Whether ``line`` holds nothing but white space (and a byte-order mark)."""
    if isinstance(line, bytes):
        return not line.strip().removeprefix(_BOM_BYTES)
    return not line.strip().removeprefix(_BOM)


#: Reads the JSON value that starts a text: what ``json.loads`` runs once it has skipped
#: the white space before the value.
_raw_decode = json.JSONDecoder().raw_decode
#: The white space JSON allows between values.
_JSON_SPACE: Final = " \t\n\r"


def _loads_line(text: str) -> Any:
    """``json.loads(text)``, without its two searches for white space when the value
    starts the text and only white space follows it (a line of JSON Lines, as written);
    any other text is given to ``json.loads``, which reads it, or raises, as ever."""
    try:
        value, end = _raw_decode(text)
    except ValueError:  # white space first, or not JSON
        return json.loads(text)
    if end != len(text) and text[end:].strip(_JSON_SPACE):
        return json.loads(text)  # more after the value
    return value


def json_lines(lines: Iterable[bytes | str], name: str, number: int = 0) -> Iterator[Entry]:
    """The JSON Lines of ``lines``, one :class:`Entry` per line that is not blank.

    ``name`` starts each position; lines are counted from ``number + 1``.  A line that
    is not JSON (or not UTF-8) is an entry with an error; the lines after it are read
    as usual.
    """
    loads = _loads_line
    for raw in lines:
        number += 1
        try:
            # The common case, kept to one decoding and one parse.
            data = loads(raw.decode() if isinstance(raw, bytes) else raw)
        except (ValueError, RecursionError):
            if _blank(raw):
                continue
            yield _line(raw, name, number)
            continue
        yield Entry(f"{name}:{number}", data)


def _line(raw: bytes | str, name: str, number: int) -> Entry:
    # Read without its line break, so that a problem's column counts on the line.
    line = raw.rstrip(b"\r\n") if isinstance(raw, bytes) else raw.rstrip("\r\n")
    try:
        return Entry(f"{name}:{number}", read_json(line))
    except NotReadable as exc:
        return Entry(f"{name}:{number}", error=exc.message)


def _json_input(stream: IO[bytes] | IO[str], name: str) -> Iterator[Entry]:
    """One JSON document (an object, or a list of records), or JSON Lines.

    The input is JSON Lines when its first line is a whole JSON value and more follows,
    or when its first line is broken but a later line is a whole JSON object.
    """
    lines: Iterator[bytes | str] = iter(stream)
    number, first = _next_value_line(lines, 0)
    if first is None:
        return
    if first.lstrip()[:1] not in (b"[", "["):
        try:
            value = read_json(first)
        except NotReadable:
            pass
        else:
            following, second = _next_value_line(lines, number)
            if second is None:
                yield Entry(name, value, alone=True)
                return
            # The first line holds a whole value and more follows: JSON Lines.
            yield Entry(f"{name}:{number}", value)
            yield _line(second, name, following)
            yield from json_lines(lines, name, following)
            return
    # One JSON document, written over several lines (or a list).
    rest = stream.read()
    whole_text = first + (b"\n" if isinstance(first, bytes) else "\n") + rest  # type: ignore[operator]
    try:
        whole = read_json(whole_text.strip())
    except NotReadable as exc:
        items = _list_with_bad_bytes(whole_text, name) if isinstance(whole_text, bytes) else None
        if items is not None:
            # A list whose only fault is a byte that is not UTF-8: that item alone.
            yield from items
            return
        numbered = [(number, first), *_numbered(rest, number)]
        if _any_object(numbered[1:]):
            # JSON Lines whose first line is broken: every other line still counts.
            for at, line in numbered:
                yield _line(line, name, at)
            return
        # Not JSON Lines either; the broken document is reported once.
        yield Entry(name, error=exc.message, alone=True)
        return
    if isinstance(whole, list):
        for index, item in enumerate(whole):
            yield Entry(f"{name}[{index}]", item)
    else:
        yield Entry(name, whole, alone=True)


#: A byte that is not UTF-8, as ``surrogateescape`` decodes it (text that is UTF-8 never
#: holds such a character: a JSON escape ``"\\udcff"`` is six ASCII characters).
_ESCAPED_BYTE: Final = re.compile("[\udc80-\udcff]")
_LIST_START: Final = re.compile(r"[ \t\n\r]*\[")
_ITEM_END: Final = re.compile(r"[ \t\n\r]*,?[ \t\n\r]*")


def _list_with_bad_bytes(data: bytes, name: str) -> list[Entry] | None:
    """The items of the JSON list ``data`` whose only fault is bytes that are not UTF-8,
    each item that holds one an entry with its error; ``None`` for anything else.

    The bytes are decoded with ``surrogateescape`` and parsed item by item, so that each
    bad byte is found in the one item it is part of, and counted from the item's start.
    """
    text = data.removeprefix(_BOM_BYTES).decode("utf-8", "surrogateescape")
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(whole, list):
        return None
    decoder = json.JSONDecoder()
    start = _LIST_START.match(text)
    at = _skip(text, start.end() if start is not None else 0)
    entries = []
    for index, item in enumerate(whole):
        _value, end = decoder.raw_decode(text, at)
        bad = _ESCAPED_BYTE.search(text, at, end)
        if bad is None:
            entries.append(Entry(f"{name}[{index}]", item))
        else:
            # Counted in the item, as a line's bad byte is counted in its line.
            offset = len(text[at : bad.start()].encode("utf-8", "surrogateescape"))
            message = _("must be UTF-8 text; byte {position} is not", position=offset + 1)
            entries.append(Entry(f"{name}[{index}]", error=message))
        at = _skip(text, end)
    return entries


def _skip(text: str, at: int) -> int:
    """Where the next item of a list starts, after white space and a comma from ``at``."""
    found = _ITEM_END.match(text, at)
    return found.end() if found is not None else at


def _next_value_line(lines: Iterator[bytes | str], number: int) -> tuple[int, bytes | str | None]:
    """The number and text of the next line that is not blank, without its line break."""
    for raw in lines:
        number += 1
        if not _blank(raw):
            return number, raw.rstrip(b"\r\n") if isinstance(raw, bytes) else raw.rstrip("\r\n")
    return number, None


def _numbered(text: bytes | str, after: int) -> list[tuple[int, bytes | str]]:
    """The lines of ``text`` that are not blank, numbered from ``after + 1``."""
    lines: list[bytes | str] = list(text.splitlines())
    return [
        (after + offset, line) for offset, line in enumerate(lines, start=1) if not _blank(line)
    ]


def _any_object(lines: Sequence[tuple[int, bytes | str]]) -> bool:
    """Whether any of ``lines`` is a whole JSON object by itself (a record of JSON Lines)."""
    for _number, line in lines:
        try:
            if isinstance(read_json(line), dict):
                return True
        except NotReadable:
            continue
    return False


# --- CSV ------------------------------------------------------------------------------------


def cell_kinds(record: type) -> dict[str, CellKind]:
    """How each field of the attrs class ``record`` is read from a CSV cell, by its type:
    ``bool`` a flag, ``int`` a whole number, a collection a list, anything else text."""
    hints = typing.get_type_hints(record)
    kinds: dict[str, CellKind] = {}
    for field in attrs.fields(record):
        hint = hints[field.name]
        origin = typing.get_origin(hint)
        if hint is bool:
            kinds[field.name] = "flag"
        elif hint is int:
            kinds[field.name] = "whole"
        elif origin in (list, tuple, set, frozenset) or (
            isinstance(origin, type) and issubclass(origin, Iterable) and origin is not str
        ):
            kinds[field.name] = "list"
        else:
            kinds[field.name] = "text"
    return kinds


#: How each field of a student record is read from a CSV cell.
STUDENT_CELLS: Final[Mapping[str, CellKind]] = cell_kinds(Student)


def cell_value(kind: CellKind, cell: str) -> object:
    """The JSON-shaped value of one CSV cell that is not empty (``cell`` stripped).

    A whole number is written as JSON writes one (``3``, ``-1``; not ``+3`` or ``3.0``),
    a flag ``true`` or ``false``, a list's items are separated by ``;``.  A cell that is
    none of what its kind asks is passed on as text, for the record's reader to refuse
    by its field, naming the cell as it is written.
    """
    if kind == "whole":
        return int(cell) if _WHOLE.fullmatch(cell) else cell
    if kind == "flag":
        return cell == "true" if cell in ("true", "false") else cell
    if kind == "list":
        return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]
    return cell


def csv_records(
    lines: Iterable[bytes | str],
    name: str,
    *,
    kinds: Mapping[str, CellKind] = STUDENT_CELLS,
    locale: str | None = None,
) -> Iterator[Entry]:
    """The rows of a CSV table of records, each as the JSON-shaped record it stands for
    (:func:`table_records`, every row as long as the header).

    Each position is ``NAME:LINE``, the row's last line; a row with a byte that is not
    UTF-8 is an entry with an error, and the rows after it are read as usual.
    """
    yield from table_records(_csv_rows(lines), name, kinds=kinds, locale=locale, exact=True)


def _csv_rows(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Sequence[str] | Message]]:
    """Each row of CSV ``lines`` that is not blank with its last line, or why it is not
    readable (a byte that is not UTF-8, a quote that is never closed)."""
    bad: dict[int, Message] = {}
    rows = csv.reader(_decoded(lines, bad))
    seen = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            seen = rows.line_num
            yield seen, _("not valid CSV: {error}", error=csv_problem(exc))
            continue
        first, seen = seen + 1, rows.line_num
        broken = next((bad[n] for n in range(first, seen + 1) if n in bad), None)
        if broken is not None:
            yield seen, broken
        elif any(cell.strip() for cell in row):
            yield seen, row


def table_records(
    rows: Iterable[tuple[int, Sequence[str] | Message]],
    name: str,
    *,
    kinds: Mapping[str, CellKind] = STUDENT_CELLS,
    locale: str | None = None,
    exact: bool = True,
) -> Iterator[Entry]:
    """The records of a table whose first row names the columns: a CSV file's, or a
    workbook's first sheet (:mod:`edupolicy.io.workbooks`).

    ``rows`` are the rows that are not blank, each with its line (or why it cannot be
    read).  The header names columns among the keys of ``kinds`` (the fields of a
    student record by default), in any order, each once; a header that does not is an
    :class:`~edupolicy.errors.EdupolicyError`.  Each later row is one record: an empty
    cell is a field not given, the others are read by :func:`cell_value`.  With
    ``exact`` (CSV) a row must have as many cells as the header; without it (a
    workbook, which keeps no empty cells at the end of a row) a shorter row's missing
    cells are empty.  A row of the wrong length is an entry with an error.
    """
    header: list[str] | None = None
    for line, row in rows:
        position = f"{name}:{line}"
        if isinstance(row, Message):
            yield Entry(position, error=row)
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            unknown = [column for column in header if column not in kinds]
            twice = sorted({column for column in header if header.count(column) > 1})
            if unknown or twice:
                raise EdupolicyError(
                    _(
                        "{file}: the header row must name columns among {columns}, each "
                        "once (got {header})",
                        file=name,
                        columns=", ".join(kinds),
                        header=", ".join(header),
                    ),
                    locale=locale,
                )
            continue
        if len(row) > len(header) or (exact and len(row) != len(header)):
            yield Entry(
                position,
                error=_(
                    "the row has {count} cells; the header has {columns}",
                    count=len(row),
                    columns=len(header),
                ),
            )
            continue
        record: dict[str, object] = {}
        for column, raw in zip(header, row, strict=False):
            cell = raw.strip()
            if cell:
                record[column] = cell_value(kinds[column], cell)
        yield Entry(position, record)


def _decoded(lines: Iterable[bytes | str], bad: dict[int, Message]) -> Iterator[str]:
    """Each line as text; a line that is not UTF-8 is noted in ``bad`` by its number and
    given as decoded with replacement characters, so that the rows after it still read.

    The first such line that reads as GB18030 (what Excel saves as "CSV" on a Chinese
    Windows) also says how to save the file as UTF-8; it is not read as GB18030 (see
    :func:`edupolicy.io.parsers.not_utf8`).
    """
    hinted = False
    for number, raw in enumerate(lines, start=1):
        if type(raw) is bytes:
            try:
                text = raw.decode()
            except UnicodeDecodeError as exc:
                bad[number] = _not_utf8(exc)
                if not hinted and _gb18030(raw):
                    hinted = True
                    bad[number] = _(
                        "{problem}; it looks like GBK/GB18030, which Excel writes as “CSV” on "
                        "a Chinese Windows: save the file as “CSV UTF-8”",
                        problem=bad[number],
                    )
                text = raw.decode(errors="replace")
        else:
            text = raw  # type: ignore[assignment]
        yield text.removeprefix(_BOM) if number == 1 else text


def _gb18030(raw: bytes) -> bool:
    """Whether ``raw`` reads as GB18030 text."""
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


# --- any of them ----------------------------------------------------------------------------


def read_records(
    stream: IO[bytes] | IO[str], name: str, *, locale: str | None = None
) -> Iterator[Entry]:
    """The records of ``stream`` (best opened in binary), one at a time, as they are read.

    ``name`` (a file's name, or ``<stdin>``) decides the format: a name ending in
    ``.jsonl`` or ``.ndjson`` is JSON Lines, one ending in ``.csv`` a table of student
    records (:func:`csv_records`), one ending in ``.xlsx`` a workbook whose first sheet
    is such a table (read by :mod:`edupolicy.io.workbooks`; ``stream`` in binary).
    Otherwise the input is one JSON document (an object, or a list of records), or JSON
    Lines when its first line is a whole JSON value and more follows.  JSON Lines, CSV
    and workbooks are read row by row, so memory stays flat whatever their length; a
    JSON list is one document, parsed whole.
    """
    if name.endswith(WORKBOOK_SUFFIXES):
        # The workbook reader (and zipfile) is imported when a workbook is first read.
        sheet = edupolicy_io.workbooks.read_workbook(
            typing.cast("IO[bytes]", stream), name=name, locale=locale
        )
        rows = ((row.line, row.cells) for row in sheet)
        yield from table_records(rows, name, locale=locale, exact=False)
    elif name.endswith(CSV_SUFFIXES):
        yield from csv_records(stream, name, locale=locale)
    elif name.endswith(JSON_LINES_SUFFIXES):
        yield from json_lines(stream, name)
    else:
        yield from _json_input(stream, name)


# --- writing --------------------------------------------------------------------------------


def json_bytes(payload: object) -> bytes:
    """``payload`` as compact JSON text in UTF-8, non-ASCII text as it is.

    Text that UTF-8 cannot hold (a lone surrogate such as ``"\\ud800"``, which a JSON
    input may carry and an answer may echo) is written as JSON escapes instead, so that
    writing an answer never fails.
    """
    try:
        return json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(payload).encode()
