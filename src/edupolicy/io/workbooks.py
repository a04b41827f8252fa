"""Excel workbooks (``.xlsx``): the one reader and writer of tables kept in a spreadsheet.

Case tables and rosters may be workbooks as well as CSV files.  A workbook is read
here, once, for every surface (case tables, the command line's rosters, the
workbench): its first sheet, row by row, each cell turned into the text a CSV file
would hold in its place, so that what reads a CSV row reads a workbook row the same
way.  The reading is bounded: the file, and what it unpacks to, have a largest size,
and the sheet is streamed (openpyxl's read-only mode), so memory stays flat whatever
the number of rows.

How a cell becomes text (:func:`cell_text`): text as it is; ``TRUE``/``FALSE`` as
``true``/``false``; a whole number in its digits; any other number through the shortest
decimal text that reads back as the same binary number (Python's ``repr``), made a
:class:`~decimal.Decimal` and written without an exponent, so a cell that holds
``1000.5`` is ``"1000.5"`` exactly and never passes through a float's arithmetic
(Excel keeps numbers as binary floats and writes them so; a number Excel computed,
such as ``1000.1 * 3``, may carry more decimals than typed, and the amount's reader
then says so); a date as ``YYYY-MM-DD``, a date with a time of day in ISO form. A
formula counts as the value Excel last computed and saved with the file.

openpyxl is an optional dependency (``pip install 'edupolicy[xlsx]'``); it is imported
only when a workbook is read or written.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import attrs

from edupolicy.errors import EdupolicyError, os_error_text
from edupolicy.i18n import Count, Message, _
from edupolicy.io.records import WORKBOOK_SUFFIXES

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = [
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_UNPACKED_BYTES",
    "WORKBOOK_SUFFIXES",
    "WorkbookError",
    "WorkbookRow",
    "cell_text",
    "read_workbook",
    "write_workbook",
]

#: The largest workbook file read, in bytes (64 MiB).
MAX_WORKBOOK_BYTES: Final = 64 * 1024 * 1024
#: The largest a workbook may unpack to, in bytes (512 MiB): a file that claims more is
#: refused before a cell is read.
MAX_WORKBOOK_UNPACKED_BYTES: Final = 512 * 1024 * 1024


class WorkbookError(EdupolicyError, ValueError):
    """A workbook that cannot be read: not an ``.xlsx`` file, damaged, or too large."""

    def __init__(self, file: str, problem: Message, *, locale: str | None = None) -> None:
        #: The workbook, as messages name it, and what is wrong with it.
        self.file = file
        self.problem = problem
        super().__init__(_("{file}: {problem}", file=file, problem=problem), locale=locale)


@attrs.frozen
class WorkbookRow:
    """One row of a sheet that is not empty: its number (1 is the first row) and its cells.

    Empty cells at the end of a row are left out (a spreadsheet does not keep them), so
    a row may be shorter than the header; an empty cell is ``""``.
    """

    line: int
    cells: tuple[str, ...]


def cell_text(value: object) -> str:
    """The text a CSV file would hold for a cell whose value openpyxl read as ``value``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        # repr is the shortest text that reads back as this float: what the cell was
        # written as.  Decimal keeps it exactly, 'f' writes it without an exponent.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return str(value)


def read_workbook(
    source: str | Path | IO[bytes], *, name: str, locale: str | None = None
) -> Iterator[WorkbookRow]:
    """The rows of the first sheet of the workbook ``source`` that are not empty, in order.

    ``name`` is how messages name the file.  A file that is not a readable ``.xlsx``
    workbook, or larger than ``MAX_WORKBOOK_BYTES`` (or unpacking to more than
    ``MAX_WORKBOOK_UNPACKED_BYTES``), raises :class:`WorkbookError`, before the
    first row or, for damage found later, after the rows before it.
    """
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - the extra is installed where tests run
        raise WorkbookError(
            name,
            _("reading .xlsx workbooks needs openpyxl: pip install 'edupolicy[xlsx]'"),
            locale=locale,
        ) from None
    _check_size(source, name, locale)
    try:
        with warnings.catch_warnings():
            # openpyxl warns of styles and extensions it does not read: nothing of ours.
            warnings.simplefilter("ignore")
            book = load_workbook(source, read_only=True, data_only=True)
    except Exception:
        # openpyxl raises what the damaged part gives (zipfile, XML, KeyError...).
        raise _damaged(name, locale) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None or not hasattr(sheet, "reset_dimensions"):
            raise WorkbookError(name, _("the workbook has no sheet of cells"), locale=locale)
        yield from _rows(sheet, name, locale)
    finally:
        book.close()


def _rows(sheet: ReadOnlyWorksheet, name: str, locale: str | None) -> Iterator[WorkbookRow]:
    # The stated size of a sheet may be wrong (and huge): rows are read as they are.
    sheet.reset_dimensions()
    # (types-openpyxl types iter_rows of the read-only sheet as the normal sheet's.)
    read_only: Any = sheet
    rows: Iterator[tuple[object, ...]] = read_only.iter_rows(min_row=1, min_col=1, values_only=True)
    line = 0
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                values = next(rows, None)
        except Exception:
            raise _damaged(name, locale) from None
        if values is None:
            return
        line += 1
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            yield WorkbookRow(line, tuple(cells))


def _check_size(source: str | Path | IO[bytes], name: str, locale: str | None) -> None:
    """Refuse a workbook larger than the limits, before openpyxl reads it."""
    try:
        if isinstance(source, str | Path):
            size = Path(source).stat().st_size
        else:
            start = source.tell()
            size = source.seek(0, 2) - start
            source.seek(start)
    except OSError as exc:
        raise WorkbookError(
            name, _("cannot read the file: {error}", error=os_error_text(exc)), locale=locale
        ) from None
    if size > MAX_WORKBOOK_BYTES:
        raise WorkbookError(
            name,
            _("the workbook is larger than {limit} bytes", limit=Count(MAX_WORKBOOK_BYTES)),
            locale=locale,
        )
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged(name, locale) from None
    finally:
        if not isinstance(source, str | Path):
            source.seek(0)
    if unpacked > MAX_WORKBOOK_UNPACKED_BYTES:
        raise WorkbookError(
            name,
            _(
                "the workbook unpacks to more than {limit} bytes",
                limit=Count(MAX_WORKBOOK_UNPACKED_BYTES),
            ),
            locale=locale,
        )


def _damaged(name: str, locale: str | None) -> WorkbookError:
    return WorkbookError(
        name,
        _(
            "not an .xlsx workbook, or a damaged one; save it from the spreadsheet "
            'as "Excel Workbook (.xlsx)"'
        ),
        locale=locale,
    )


def write_workbook(
    target: str | Path | IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    sheet: str = "cases",
) -> None:
    """Write a workbook of one sheet named ``sheet``: ``header``, then ``rows``, as text cells.

    Every cell is written as text, so that a date or an amount reads back as written.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    page = book.create_sheet(title=sheet)
    page.append(list(header))
    for row in rows:
        page.append([cell if cell else None for cell in row])
    # Saved in memory first: a write-only workbook that fails to open its target
    # leaves a sheet half written, which complains with a traceback when collected.
    buffer = io.BytesIO()
    book.save(buffer)
    if isinstance(target, str | Path):
        Path(target).write_bytes(buffer.getvalue())
    else:
        target.write(buffer.getvalue())
