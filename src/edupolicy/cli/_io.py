"""What every command of the command line shares: reading records and writing results.

Records are read by :func:`read_records`, one at a time, from a file or ``-``
(standard input), by the readers every surface shares (:mod:`edupolicy.io.records`):
one JSON object, a JSON list, or JSON Lines; or, from a file whose name ends in
``.csv``, the rows of a table of student records.  JSON Lines and CSV are read line by
line, so memory stays flat whatever their length; a JSON list is one document, parsed
whole.  A :class:`Batch` reports each record that cannot be used on
standard error, counts the records, draws the progress bar while they are read and
closes with their summary.  :mod:`edupolicy.cli._results` writes the results as they
come.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import json
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

import attrs

from edupolicy.cli._progress import Progress, is_terminal
from edupolicy.decimals import CONTEXT
from edupolicy.errors import EdupolicyError, InvalidDataError, os_error_text
from edupolicy.i18n import Count, Message, _, _n, years
from edupolicy.io.records import (
    CSV_SUFFIXES,
    JSON_LINES_SUFFIXES,
    STUDENT_CELLS,
    Entry,
    NotReadable,
    read_json,
)
from edupolicy.io.records import read_records as records_of
from edupolicy.plans import Plan
from edupolicy.policy import Policy

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

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

#: The columns a CSV roster may have, each a field of a student record.
CSV_COLUMNS = tuple(STUDENT_CELLS)

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
    """A source of records: a file, standard input, or a file bundled with a plugin.

    Files are read as bytes, so that a byte that is not UTF-8 is a problem of its own
    line (:mod:`edupolicy.io.records`), whatever the locale's encoding.
    """

    #: The name positions start with: the file as given, or ``<stdin>``.
    name: str
    _open: Callable[[], contextlib.AbstractContextManager[IO[bytes] | IO[str]]]
    #: Whether the input is a regular file, which is read without waiting on whoever
    #: writes it; else (a pipe, a terminal) each result is flushed as it is written,
    #: so that it is out before the command waits for the next record.
    regular: bool = False

    @classmethod
    def of(cls, file: str, stdin: IO[str]) -> Input:
        """``file``, or standard input for ``-`` (its bytes, where it has them)."""
        if file == "-":
            stream: IO[bytes] | IO[str] = getattr(stdin, "buffer", stdin)
            return cls(
                "<stdin>", lambda: contextlib.nullcontext(stream), regular=_is_regular(stdin)
            )
        return cls(file, lambda: open(file, "rb"), regular=os.path.isfile(file))

    @classmethod
    def bundled(cls, resource: Traversable | Path) -> Input:
        """A file that a plugin ships, such as its sample roster."""
        return cls(resource.name, lambda: resource.open("rb"), regular=True)

    @contextlib.contextmanager
    def open(self, locale: str) -> Iterator[IO[bytes] | IO[str]]:
        """The open stream; a file that cannot be opened or read is a clear error."""
        try:
            with self._open() as stream:
                yield stream
        except OSError as exc:
            raise EdupolicyError(
                _("Cannot read {file}: {error}", file=self.name, error=os_error_text(exc)),
                locale=locale,
            ) from None


def _is_regular(stream: IO[str]) -> bool:
    """Whether ``stream`` reads a regular file (standard input redirected from one)."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


def read_records(source: Input, locale: str) -> Iterator[Entry]:
    """The records of ``source``, one at a time, as they are read
    (:func:`edupolicy.io.records.read_records`: JSON, JSON Lines, CSV or an ``.xlsx``
    workbook, by its name)."""
    with source.open(locale) as stream:
        yield from records_of(stream, source.name, locale=locale)


def read_document(source: Input, locale: str) -> object:
    """The one JSON document of ``source``."""
    with source.open(locale) as stream:
        data = stream.read()
    try:
        return read_json(data)
    except NotReadable as exc:
        raise EdupolicyError(
            _("{label}: {value}", label=source.name, value=exc.message), locale=locale
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
    the defaults, then the what-if changes with what each sets and its reason."""
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
