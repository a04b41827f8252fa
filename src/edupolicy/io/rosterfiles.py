"""Rosters as files: the records of JSON, JSON Lines, CSV and workbooks, one at a time.

:func:`roster_entries` reads a stream of text: one JSON object, a JSON list, or JSON
Lines; or, for a name ending in ``.csv``, the rows of a table of student records.
:func:`workbook_entries` reads such a table from the first sheet of an ``.xlsx``
workbook (:mod:`edupolicy.io.workbooks`).  JSON Lines, CSV and workbooks are read row
by row, so memory stays flat whatever their length.  Each record is an
:class:`Entry`: its position (``FILE:LINE``) and its JSON-shaped data, or why it
cannot be read; the command line and the policy workbench read rosters with them.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple

from edupolicy.errors import EdupolicyError
from edupolicy.i18n import Message, _
from edupolicy.io.workbooks import read_workbook

__all__ = [
    "CSV_COLUMNS",
    "CSV_SUFFIXES",
    "JSON_LINES_SUFFIXES",
    "Entry",
    "parse_json",
    "roster_entries",
    "workbook_entries",
]

#: Files whose names end so are always read as JSON Lines, even with a single line.
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
#: Files whose names end so are read as CSV: a header row, then one student per row.
CSV_SUFFIXES = (".csv",)
#: The columns a CSV roster may have, each a field of a student record.
CSV_COLUMNS = ("stage", "year", "school_area", "boarding", "household", "orphan", "disabled", "id")
_CSV_FLAGS = frozenset({"boarding", "orphan", "disabled"})
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")


class Entry(NamedTuple):
    """One record read from input: its position label and its data (or why it is unreadable).

    A named tuple: one is made per record, and a tuple is made fastest.
    """

    position: str
    data: object = None
    error: Message | None = None
    #: Whether the input is this one JSON document (not a list, not JSON Lines).
    alone: bool = False


def roster_entries(stream: IO[str], name: str, locale: str) -> Iterator[Entry]:
    """The records of ``stream``, one at a time, as they are read.

    A stream whose ``name`` ends in ``.jsonl`` or ``.ndjson`` is JSON Lines.  Otherwise
    it is one JSON document (an object, or a list of records), or JSON Lines when its
    first line is a whole JSON value and more follows.  JSON Lines are read line by
    line; blank lines are skipped.  A name ending in ``.csv`` is a table of students
    (see :func:`_csv_entries`).
    """
    if name.endswith(CSV_SUFFIXES):
        yield from _csv_entries(stream, name, locale)
    else:
        yield from _entries(stream, name)


def workbook_entries(source: Path | IO[bytes], name: str, locale: str) -> Iterator[Entry]:
    """The records of a workbook whose first sheet is a table of students, as a CSV
    roster's (a row's missing last cells are empty)."""
    rows = read_workbook(source, name=name, locale=locale)
    lines = ((row.line, list(row.cells)) for row in rows)
    yield from _table_entries(lines, name, locale, exact=False)


def parse_json(text: str) -> object:
    """``text`` as JSON; a :class:`ValueError` for anything that is not (numbers of
    thousands of digits and documents nested too deeply included)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _entries(stream: IO[str], name: str) -> Iterator[Entry]:
    if name.endswith(JSON_LINES_SUFFIXES):
        yield from _lines(stream, name, 0)
        return
    number, first = _next_value_line(stream, 0)
    if first is None:
        return
    if not first.lstrip().startswith("["):
        try:
            value = parse_json(first)
        except ValueError:
            pass
        else:
            following, second = _next_value_line(stream, number)
            if second is None:
                yield Entry(name, value, alone=True)
                return
            # The first line holds a whole value and more follows: JSON Lines.
            yield Entry(f"{name}:{number}", value)
            yield _line(second, name, following)
            yield from _lines(stream, name, following)
            return
    # One JSON document, written over several lines (or a list).
    rest = stream.read()
    text = (first + "\n" + rest).strip()
    try:
        whole = parse_json(text)
    except ValueError as exc:
        lines = [(number, first), *_numbered(rest, number)]
        if _any_object(lines[1:]):
            # JSON Lines whose first line is broken: every other line still counts.
            for at, line in lines:
                yield _line(line, name, at)
            return
        # Not JSON Lines either; report the broken document once, where it breaks.
        yield Entry(name, error=_("not valid JSON: {error}", error=str(exc)), alone=True)
        return
    if isinstance(whole, list):
        for index, item in enumerate(whole):
            yield Entry(f"{name}[{index}]", item)
    else:
        yield Entry(name, whole, alone=True)


def _next_value_line(stream: IO[str], number: int) -> tuple[int, str | None]:
    """The number and text of the next line of ``stream`` that is not blank.

    A byte-order mark at the very start (as some editors and shells write on standard
    input) is not part of the text.
    """
    for raw in stream:
        number += 1
        line = raw.removeprefix("\ufeff") if number == 1 else raw
        if line.strip():
            return number, line.rstrip("\r\n")
    return number, None


def _numbered(text: str, after: int) -> list[tuple[int, str]]:
    """The lines of ``text`` that are not blank, numbered from ``after + 1``."""
    return [
        (after + offset, line)
        for offset, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def _any_object(lines: Sequence[tuple[int, str]]) -> bool:
    """Whether any of ``lines`` is a whole JSON object by itself (a record of JSON Lines)."""
    for _number, line in lines:
        try:
            if isinstance(parse_json(line), dict):
                return True
        except ValueError:
            continue
    return False


def _lines(stream: IO[str], name: str, number: int) -> Iterator[Entry]:
    """The JSON Lines of ``stream`` after line ``number``, read one at a time."""
    loads = json.loads
    for raw in stream:
        number += 1
        line = raw.removeprefix("\ufeff") if number == 1 else raw
        if line.isspace():
            continue
        try:
            # The line as it is: JSON allows the line break that ends it.
            data = loads(line)
        except (ValueError, RecursionError):
            # Reported as the line without its line break.
            yield _line(line.rstrip("\r\n"), name, number)
            continue
        yield Entry(f"{name}:{number}", data)


def _line(line: str, name: str, number: int) -> Entry:
    try:
        return Entry(f"{name}:{number}", parse_json(line))
    except ValueError as exc:
        return Entry(f"{name}:{number}", error=_("not valid JSON: {error}", error=str(exc)))


def _csv_entries(stream: IO[str], name: str, locale: str) -> Iterator[Entry]:
    """The rows of a CSV roster, each as the JSON-shaped record it stands for.

    The first row names the columns (:data:`CSV_COLUMNS`, in any order).  An empty
    cell is a field not given; ``true`` and ``false`` are flags; ``year`` is a whole
    number; ``household`` lists statuses separated by ``;``.  A cell that is none of
    these is passed on as text, for the record's reader to report by its field.  Each
    row's position is ``FILE:LINE``; blank rows are skipped.
    """
    rows = csv.reader(stream)
    lines = ((rows.line_num, row) for row in rows if any(cell.strip() for cell in row))
    yield from _table_entries(lines, name, locale, exact=True)


def _table_entries(
    rows: Iterable[tuple[int, list[str]]], name: str, locale: str, *, exact: bool
) -> Iterator[Entry]:
    """The records of a table of students whose first row names the columns.

    With ``exact`` (CSV) a row must have as many cells as the header; without it (a
    workbook, which keeps no empty cells at the end of a row) a shorter row's missing
    cells are empty.
    """
    header: list[str] | None = None
    for line, row in rows:
        if header is None:
            header = [cell.strip() for cell in row]
            unknown = [c for c in header if c not in CSV_COLUMNS]
            twice = sorted({c for c in header if header.count(c) > 1})
            if unknown or twice:
                raise EdupolicyError(
                    _(
                        "{file}: the header row must name columns among {columns}, each "
                        "once (got {header})",
                        file=name,
                        columns=", ".join(CSV_COLUMNS),
                        header=", ".join(header),
                    ),
                    locale=locale,
                )
            continue
        position = f"{name}:{line}"
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
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        yield Entry(position, _csv_record(header, row))


def _csv_record(header: Sequence[str], row: Sequence[str]) -> dict[str, object]:
    record: dict[str, object] = {}
    for column, raw in zip(header, row, strict=True):
        cell = raw.strip()
        if not cell:
            continue
        value: object = cell
        if column == "year" and _WHOLE_NUMBER.fullmatch(cell):
            value = int(cell)
        elif column in _CSV_FLAGS and cell in ("true", "false"):
            value = cell == "true"
        elif column == "household":
            value = [status.strip() for status in cell.split(";") if status.strip()]
        record[column] = value
    return record
