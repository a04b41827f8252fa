"""CSV case files and workbooks: a row a student case, the columns the keys of a TOML case.

A row is turned into the table of a TOML case (a student table of the student's
columns, lists split at ``;``) and read as one; every key of the case is on the row's
line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from edupolicy.aid import STUDENT_FIELDS
from edupolicy.cases.keys import CaseReader, Defaults
from edupolicy.cases.model import Case
from edupolicy.cases.problems import NOTHING, CsvRow
from edupolicy.errors import MISSING, nearest
from edupolicy.i18n import _
from edupolicy.io.parsers import csv_problem
from edupolicy.io.records import STUDENT_CELLS, cell_value
from edupolicy.io.workbooks import WorkbookRow

__all__ = ["CSV_COLUMNS", "read_csv", "read_table", "read_workbook_table"]

#: The columns a CSV case file may have; ``name``, ``region`` and ``on`` are required.
CSV_COLUMNS: Final = (
    "name",
    "region",
    "on",
    *STUDENT_FIELDS,
    "cash_total",
    "waivers",
    "applies",
    "not_applies",
    "error",
    "readings",
)
_CSV_REQUIRED: Final = ("name", "region", "on")
_CSV_STUDENT: Final = STUDENT_FIELDS
_CSV_LISTS: Final = ("waivers", "applies", "not_applies")


def read_csv(reader: CaseReader, text: str) -> list[Case]:
    """The cases of the CSV file ``text``: every row has as many cells as the header."""
    return read_table(reader, _csv_rows(reader, text), exact=True)


def read_workbook_table(reader: CaseReader, rows: Iterable[WorkbookRow]) -> list[Case]:
    """The cases of a workbook's first sheet, its rows read by :mod:`edupolicy.io.workbooks`.

    A spreadsheet keeps no empty cells at the end of a row, so a row may be shorter
    than the header; its missing cells are empty.
    """
    return read_table(reader, ((row.line, list(row.cells)) for row in rows), exact=False)


def _csv_rows(reader: CaseReader, text: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of the CSV ``text`` that are not blank, each with the line it starts on."""
    rows = csv.reader(io.StringIO(text, newline=""))
    end = 0
    while True:
        start = end + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            reader.problems.problem(
                start, "", NOTHING, _("not valid CSV: {error}", error=csv_problem(exc))
            )
            return
        end = rows.line_num
        if any(cell.strip() for cell in row):
            yield start, row


def read_table(
    reader: CaseReader, rows: Iterable[tuple[int, list[str]]], *, exact: bool
) -> list[Case]:
    """The cases of a table whose first row names the columns.

    With ``exact``, a row of fewer cells than the columns is an error (in a CSV file a
    cell, or its comma, was left out: the cells after it would move one column left);
    without it, the missing cells at the end are empty.  A row of more cells than the
    columns is always an error.
    """
    problems = reader.problems
    lines = iter(rows)
    first = next(lines, None)
    if first is None:
        if not problems.found:
            problems.problem(
                1, "", NOTHING, _("the file is empty; its first row names the columns")
            )
        return []
    header_line, header = first
    columns = [cell.strip() for cell in header]
    known = ", ".join(CSV_COLUMNS)
    for position, column in enumerate(columns):
        if column not in CSV_COLUMNS:
            close = nearest(column, CSV_COLUMNS)
            problems.problem(
                header_line,
                column,
                column,
                _(
                    "unknown column; did you mean {name}? The columns are: {known}",
                    name=close,
                    known=known,
                )
                if close is not None
                else _("unknown column; the columns are: {known}", known=known),
            )
        elif column in columns[:position]:
            problems.problem(header_line, column, column, _("the column appears more than once"))
    for column in _CSV_REQUIRED:
        if column not in columns:
            problems.problem(header_line, column, MISSING, _("the file needs this column"))
    if any(column not in columns for column in _CSV_REQUIRED):
        return []
    cases: list[Case] = []
    for start, row in lines:
        where = CsvRow(start)
        if len(row) > len(columns):
            problems.problem(
                start,
                "",
                row,
                _(
                    "the row has {cells} cells, more than the {columns} columns",
                    cells=len(row),
                    columns=len(columns),
                ),
            )
            continue
        if exact and len(row) < len(columns):
            problems.problem(
                start,
                "",
                row,
                _(
                    "the row has {cells} cells, fewer than the {columns} columns: a cell or "
                    "its comma is missing, so the cells after it would be read in the wrong "
                    "columns",
                    cells=len(row),
                    columns=len(columns),
                ),
            )
            continue
        cells = {
            column: cell.strip()
            for column, cell in zip(columns, row, strict=False)
            if column in CSV_COLUMNS and cell.strip()
        }
        found = reader.case(_csv_case(cells), where, Defaults())
        if found is not None:
            cases.append(found)
    if not cases and not problems.found:
        problems.problem(1, "", NOTHING, _("the file has no cases"))
    return cases


def _csv_case(cells: Mapping[str, str]) -> dict[str, Any]:
    """A CSV row as the table of a TOML case, its values typed where they can be."""
    case: dict[str, Any] = {
        key: cells[key] for key in ("name", "region", "on", "error", "cash_total") if key in cells
    }
    student: dict[str, Any] = {}
    for column in _CSV_STUDENT:
        if column not in cells:
            continue
        # Read as a CSV roster's cell is: the same cell means the same everywhere.
        student[column] = cell_value(STUDENT_CELLS[column], cells[column])
    case["student"] = student
    for column in _CSV_LISTS:
        if column in cells:
            case[column] = [] if cells[column] == "-" else _split(cells[column])
    if "readings" in cells:
        case["readings"] = _readings(cells["readings"])
    return case


def _readings(cell: str) -> dict[str, Any]:
    """``ID=CHOICE; ID=CHOICE`` as a table; a part without ``=`` has an empty choice, an error."""
    found: dict[str, Any] = {}
    for part in _split(cell):
        reading, _sep, choice = part.partition("=")
        found[reading.strip()] = choice.strip()
    return found


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]
