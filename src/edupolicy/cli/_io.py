"""What every command of the command line shares: reading records and writing results.

Records are read by :func:`read_records`, one at a time, from a file or ``-``
(standard input): one JSON object, a JSON list, or JSON Lines; or, from a file whose
name ends in ``.csv``, the rows of a table of student records.  JSON Lines and CSV are
read line by line, so memory stays flat whatever their length; a JSON list is one
document, parsed whole.  A :class:`Batch` reports each record that cannot be used on
standard error, counts the records, draws the progress bar while they are read and
closes with their summary.  :mod:`edupolicy.cli._results` writes the results as they
come.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, NamedTuple, TypeVar

import attrs

from edupolicy.cli._progress import Progress, is_terminal
from edupolicy.decimals import CONTEXT
from edupolicy.errors import EdupolicyError, InvalidDataError, os_error_text
from edupolicy.i18n import Count, Message, _, _n, years
from edupolicy.io.parsers import json_problem, not_utf8_stream
from edupolicy.io.workbooks import WORKBOOK_SUFFIXES, read_workbook
from edupolicy.plans import Plan
from edupolicy.policy import Policy

__all__ = [
    "CSV_COLUMNS",
    "CSV_SUFFIXES",
    "EXIT_BAD_RECORDS",
    "EXIT_FAILURE",
    "EXIT_OK",
    "JSON_LINES_SUFFIXES",
    "Batch",
    "Context",
    "Entry",
    "Input",
    "add_cash",
    "heading",
    "join",
    "read_document",
    "read_records",
    "table",
    "under",
    "write_json",
    "years",
]

EXIT_OK = 0
EXIT_BAD_RECORDS = 1
EXIT_FAILURE = 2

#: Files whose names end so are always read as JSON Lines, even with a single line.
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
#: Files whose names end so are read as CSV: a header row, then one student per row.
CSV_SUFFIXES = (".csv",)
#: The columns a CSV roster may have, each a field of a student record.
CSV_COLUMNS = ("stage", "year", "school_area", "boarding", "household", "orphan", "disabled", "id")
_CSV_FLAGS = frozenset({"boarding", "orphan", "disabled"})
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")

T = TypeVar("T")


@attrs.frozen
class Context:
    """What a command runs with: the locale and the three streams."""

    locale: str
    out: IO[str]
    err: IO[str]
    stdin: IO[str]

    def t(self, message: Message) -> str:
        """``message`` in the command line's locale."""
        return message.render(self.locale)


# --- input ----------------------------------------------------------------------------------


@attrs.frozen
class Input:
    """A source of records: a file, standard input, or a file bundled with a plugin."""

    #: The name positions start with: the file as given, or ``<stdin>``.
    name: str
    _open: Callable[[], contextlib.AbstractContextManager[IO[str]]]
    #: The file's bytes, for a workbook (``None`` for standard input).
    _open_bytes: Callable[[], contextlib.AbstractContextManager[IO[bytes]]] | None = None

    @classmethod
    def of(cls, file: str, stdin: IO[str]) -> Input:
        """``file``, or standard input for ``-``."""
        if file == "-":
            return cls("<stdin>", lambda: contextlib.nullcontext(stdin))
        # utf-8-sig: files saved by editors that write a byte-order mark read as well.
        return cls(file, lambda: open(file, encoding="utf-8-sig"), lambda: open(file, "rb"))

    @classmethod
    def bundled(cls, resource: Traversable | Path) -> Input:
        """A file that a plugin ships, such as its sample roster."""
        return cls(
            resource.name,
            lambda: resource.open("r", encoding="utf-8-sig"),
            lambda: resource.open("rb"),
        )

    @contextlib.contextmanager
    def open(self, locale: str) -> Iterator[IO[str]]:
        """The open stream; a file that cannot be opened or decoded is a clear error."""
        try:
            with self._open() as stream:
                yield stream
        except (OSError, UnicodeDecodeError) as exc:
            error = os_error_text(exc) if isinstance(exc, OSError) else not_utf8_stream()
            raise EdupolicyError(
                _("Cannot read {file}: {error}", file=self.name, error=error), locale=locale
            ) from None

    @contextlib.contextmanager
    def open_bytes(self, locale: str) -> Iterator[IO[bytes]]:
        """The open file, as bytes (a workbook); standard input cannot be one."""
        if self._open_bytes is None:
            raise EdupolicyError(
                _("{file}: a workbook is read from a file, not standard input", file=self.name),
                locale=locale,
            )
        try:
            with self._open_bytes() as stream:
                yield stream
        except OSError as exc:
            raise EdupolicyError(
                _("Cannot read {file}: {error}", file=self.name, error=os_error_text(exc)),
                locale=locale,
            ) from None


class Entry(NamedTuple):
    """One record read from input: its position label and its data (or why it is unreadable).

    A named tuple: one is made per record, and a tuple is made fastest.
    """

    position: str
    data: object = None
    error: Message | None = None
    #: Whether the input is this one JSON document (not a list, not JSON Lines).
    alone: bool = False


def read_records(source: Input, locale: str) -> Iterator[Entry]:
    """The records of ``source``, one at a time, as they are read.

    A file whose name ends in ``.jsonl`` or ``.ndjson`` is JSON Lines.  Otherwise the
    input is one JSON document (an object, or a list of records), or JSON Lines when
    its first line is a whole JSON value and more follows.  JSON Lines are read line by
    line; blank lines are skipped.  A file whose name ends in ``.csv`` is a table of
    students (see :func:`_csv_entries`), and one ending in ``.xlsx`` a workbook whose
    first sheet is such a table (:mod:`edupolicy.io.workbooks` reads it).
    """
    if source.name.endswith(WORKBOOK_SUFFIXES):
        with source.open_bytes(locale) as binary:
            rows = read_workbook(binary, name=source.name, locale=locale)
            lines = ((row.line, list(row.cells)) for row in rows)
            yield from _table_entries(lines, source.name, locale, exact=False)
        return
    with source.open(locale) as stream:
        if source.name.endswith(CSV_SUFFIXES):
            yield from _csv_entries(stream, source.name, locale)
        else:
            yield from _entries(stream, source.name)


def _parse(text: str) -> object:
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
            value = _parse(first)
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
        whole = _parse(text)
    except ValueError as exc:
        lines = [(number, first), *_numbered(rest, number)]
        if _any_object(lines[1:]):
            # JSON Lines whose first line is broken: every other line still counts.
            for at, line in lines:
                yield _line(line, name, at)
            return
        # Not JSON Lines either; report the broken document once, where it breaks.
        yield Entry(name, error=_("not valid JSON: {error}", error=json_problem(exc)), alone=True)
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
            if isinstance(_parse(line), dict):
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
        return Entry(f"{name}:{number}", _parse(line))
    except ValueError as exc:
        return Entry(
            f"{name}:{number}", error=_("not valid JSON: {error}", error=json_problem(exc))
        )


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


def read_document(source: Input, locale: str) -> object:
    """The one JSON document of ``source``."""
    with source.open(locale) as stream:
        text = stream.read().removeprefix("\ufeff")
    try:
        return _parse(text)
    except ValueError as exc:
        raise EdupolicyError(
            _("{file}: not valid JSON: {error}", file=source.name, error=json_problem(exc)),
            locale=locale,
        ) from None


@attrs.define
class Batch:
    """The records of one input in use: each bad one is reported on standard error and counted.

    While the records are read, a progress bar is drawn on standard error when
    ``progress`` allows it and standard error is a terminal (standard output not);
    :meth:`finish` closes with the count of the bad records and, when ``summary``
    asks for it, the summary of the roster.
    """

    ctx: Context
    #: Whether a progress bar may be drawn (``--no-progress`` says no).
    progress: bool = False
    #: Whether to close with the summary: always, never, or (``None``) when standard
    #: error is a terminal and the input is a roster, not one JSON object.
    summary: bool | None = False
    #: How many records could not be used.
    bad: int = 0
    #: How many records were read, good and bad.
    read: int = 0
    #: Whether the input was one JSON document rather than a list or JSON Lines.
    single: bool = False
    _bar: Progress | None = None

    @classmethod
    def of(cls, ctx: Context, args: object) -> Batch:
        """A batch for a command's parsed arguments: ``--no-progress``, ``--summary``."""
        return cls(
            ctx,
            progress=not getattr(args, "no_progress", True),
            summary=getattr(args, "summary", False),
        )

    def records(self, source: Input, read: Callable[[object], T]) -> Iterator[tuple[Entry, T]]:
        """Each record of ``source`` that ``read`` accepts, with its entry, as it is read.

        A record that is not valid JSON, or for which ``read`` raises an
        :class:`~edupolicy.errors.EdupolicyError`, is rejected.  Nothing is kept of a
        record once the next is read.
        """
        bar = self._progress(source)
        self._bar = bar
        try:
            for entry in read_records(source, self.ctx.locale):
                self.read += 1
                bar.step()
                self.single = entry.alone
                if entry.error is not None:
                    self.reject(entry.position, entry.error)
                    continue
                try:
                    value = read(entry.data)
                except EdupolicyError as exc:
                    self.reject(entry.position, exc)
                    continue
                yield entry, value
        finally:
            self._bar = None
            bar.close()

    def _progress(self, source: Input) -> Progress:
        err = self.ctx.err
        if self.progress and is_terminal(err) and not is_terminal(self.ctx.out):
            return Progress.on(err, name=source.name, unit=self.ctx.t(_("records")))
        return Progress.off(err)

    def reject(self, position: str, problem: EdupolicyError | Message | str) -> None:
        """Report the record at ``position``: one line per bad field."""
        self.bad += 1
        if isinstance(problem, InvalidDataError):
            lines = [p.render(self.ctx.locale) for p in problem.problems]
        elif isinstance(problem, str):
            lines = [problem]
        else:
            lines = [problem.render(self.ctx.locale)]
        text = "".join(f"{position}: {line}\n" for line in lines)
        if self._bar is not None:
            self._bar.write(text)
        else:
            self.ctx.err.write(text)

    def status(self, ok: int = EXIT_OK) -> int:
        """The exit status: 1 after counting the bad records on standard error, else ``ok``."""
        if not self.bad:
            return ok
        self.ctx.err.write(
            self.ctx.t(
                _n(
                    "{count} record could not be evaluated",
                    "{count} records could not be evaluated",
                    count=self.bad,
                )
            )
            + "\n"
        )
        return EXIT_BAD_RECORDS

    def finish(self, *, cash: Decimal | None = None) -> int:
        """:meth:`status`, then the summary of the roster if it is to be shown: the records
        read, evaluated and rejected, and ``cash``, the cash of the results in all."""
        status = self.status()
        show = self.summary
        if show is None:
            show = is_terminal(self.ctx.err) and not self.single
        if show:
            rejected = Count(self.bad)
            evaluated = Count(self.read - self.bad)
            if cash is None:
                line = _n(
                    "{count} record read: {evaluated} evaluated, {rejected} rejected",
                    "{count} records read: {evaluated} evaluated, {rejected} rejected",
                    count=self.read,
                    evaluated=evaluated,
                    rejected=rejected,
                )
            else:
                line = _n(
                    "{count} record read: {evaluated} evaluated, {rejected} rejected; "
                    "cash {cash} in all",
                    "{count} records read: {evaluated} evaluated, {rejected} rejected; "
                    "cash {cash} in all",
                    count=self.read,
                    evaluated=evaluated,
                    rejected=rejected,
                    cash=cash,
                )
            self.ctx.err.write(self.ctx.t(line) + "\n")
        return status


def add_cash(total: Decimal, amount: Decimal) -> Decimal:
    """``total + amount``, exactly (the library's decimal context)."""
    return CONTEXT.add(total, amount)


# --- output ---------------------------------------------------------------------------------


def write_json(payload: object, out: IO[str]) -> None:
    """``payload`` as indented JSON, non-ASCII text as is.

    Text the output stream cannot encode (an unpaired surrogate in an id) is written
    as JSON escapes instead of failing.
    """
    try:
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    except UnicodeEncodeError:
        out.write(json.dumps(payload, ensure_ascii=True, indent=2) + "\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a table whose columns are aligned, wide (CJK) characters counted twice."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    return out


def join(parts: Sequence[str], locale: str) -> str:
    """``parts`` as one list, joined as ``locale`` joins them."""
    text = parts[0]
    for part in parts[1:]:
        text = _("{left}, {right}", left=text, right=part).render(locale)
    return text


def heading(policy: Policy, on: _dt.date, locale: str) -> str:
    """The first line of a table: the region, the plan in force on ``on``, the date; then
    the readings other than the defaults, and the what-if changes, one line each."""
    plan = policy.plan_on(on, locale=locale)
    line = _(
        "Region {region}, plan {number}, on {on}",
        region=policy.region,
        number=plan.document.number,
        on=on,
    ).render(locale)
    return "\n".join([line, *under(policy, plan, locale)])


def under(policy: Policy, plan: Plan, locale: str) -> list[str]:
    """What a table was made under, one line each: the readings of ``plan`` other than
    the defaults, then the what-if changes with their reasons."""
    in_force = policy.readings_of(plan)
    chosen = [
        f"{reading.id}={in_force[reading.id]}"
        for reading in plan.readings
        if in_force[reading.id] != reading.default
    ]
    lines = []
    if chosen:
        lines.append(_("readings: {readings}", readings=", ".join(chosen)).render(locale))
    for change in policy.changes:
        lines.append(
            _(
                "change: {change} ({reason})",
                change=change.describe_in_full(),
                reason=change.reason,
            ).render(locale)
        )
    return lines
