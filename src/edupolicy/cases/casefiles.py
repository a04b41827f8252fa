"""Case files, read: TOML files of named cases, CSV files and workbooks of student cases.

A file is checked as it is read, against the plan in force of the region each case
names: every problem (an unknown key or column, a misspelt status, a rule, target,
programme or share the plan does not have, a malformed amount or date, a case that
expects nothing, two cases of one name) is reported at once, each with the file, the
line and the field, in one :class:`CaseFileError`.

:mod:`edupolicy.cases.tomlfiles` and :mod:`edupolicy.cases.csvfiles` read the two
forms of file, :mod:`edupolicy.cases.keys` one case of either, and
:mod:`edupolicy.cases.subjects` checks it against the plan.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Final

from edupolicy.cases.csvfiles import CSV_COLUMNS, read_csv, read_workbook_table
from edupolicy.cases.keys import CaseReader
from edupolicy.cases.model import Case
from edupolicy.cases.problems import NOTHING, CaseProblem, Problems
from edupolicy.cases.tomlfiles import read_toml
from edupolicy.errors import EdupolicyError, os_error_text
from edupolicy.i18n import _
from edupolicy.io import ChangeFile
from edupolicy.io.parsers import not_utf8
from edupolicy.io.workbooks import WorkbookError, WorkbookRow, read_workbook
from edupolicy.plans import Change

__all__ = [
    "CASE_FILE_PATTERNS",
    "CSV_COLUMNS",
    "CaseFileError",
    "CaseProblem",
    "read_case_data",
    "read_cases",
]

#: The names of case files that the pytest plugin collects.
CASE_FILE_PATTERNS: Final = ("test_*.cases.toml", "test_*.cases.csv", "test_*.cases.xlsx")


class CaseFileError(EdupolicyError, ValueError):
    """A case file that cannot be read, or that does not fit its region's plan."""

    def __init__(
        self, file: str, problems: Sequence[CaseProblem], *, locale: str | None = None
    ) -> None:
        self.file = file
        self.problems: tuple[CaseProblem, ...] = tuple(problems)
        super().__init__(_("Case file {file} is not valid", file=file), locale=locale)

    def render(self, locale: str | None = None) -> str:
        lines = [self.message.render(locale)]
        lines.extend("  " + problem.render(locale) for problem in self.problems)
        return "\n".join(lines)


def read_cases(
    path: str | Path,
    *,
    label: str | None = None,
    locale: str | None = None,
    readings: Mapping[str, str] | None = None,
    changes: Sequence[Change] | ChangeFile = (),
) -> list[Case]:
    """The cases of the case file ``path`` (``.toml``, ``.csv`` or ``.xlsx``), checked.

    ``label`` is how messages name the file (``path`` as given, by default).  A file
    with any problem raises :class:`CaseFileError`, listing every problem found;
    ``locale`` chooses its language.  ``readings`` and ``changes`` apply to every case
    as if the top of the file gave them (pytest's ``--edupolicy-reading`` and
    ``--edupolicy-changes``): a reading overrides the file's choice of it, but not a
    case's own, and the changes follow the file's.  ``changes`` may be a change file
    read (:func:`edupolicy.io.read_change_file`) some tables of which cannot be read:
    their problems are said with those of its changes that do not apply to the file's
    region, once.
    """
    source = Path(path)
    problems = Problems(label if label is not None else str(path), locale)
    reader = CaseReader(problems, folder=source.parent, readings=readings, changes=changes)
    kind = _kind(source.name, problems)
    if kind == "xlsx":
        return _read_workbook(source, reader)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        problems.problem(
            1, "", NOTHING, _("cannot read the file: {error}", error=os_error_text(exc))
        )
        raise _error(problems) from None
    return _read(raw, kind, reader)


def read_case_data(data: bytes, name: str, *, locale: str | None = None) -> list[Case]:
    """The cases of a case file's contents ``data``, read as :func:`read_cases` reads a
    file of that ``name`` (its suffix chooses the form), such as an upload.

    A case that names a change file is refused: there is no folder to find it in.
    """
    problems = Problems(name, locale)
    reader = CaseReader(problems, folder=None)
    kind = _kind(name, problems)
    if kind == "xlsx":
        return _read_workbook(io.BytesIO(data), reader)
    return _read(data, kind, reader)


def _kind(name: str, problems: Problems) -> str:
    if name.endswith(".toml"):
        return "toml"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    problems.problem(1, "", name, _("a case file is a .toml, a .csv or an .xlsx file"))
    raise _error(problems)


def _read_workbook(source: Path | IO[bytes], reader: CaseReader) -> list[Case]:
    problems = reader.problems
    cases = read_workbook_table(reader, _workbook_rows(source, problems))
    if problems.found:
        raise _error(problems)
    return cases


def _read(raw: bytes, kind: str, reader: CaseReader) -> list[Case]:
    problems = reader.problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.problem(line, "", NOTHING, not_utf8(raw, exc))
        raise _error(problems) from None
    cases = read_toml(reader, text) if kind == "toml" else read_csv(reader, text)
    if problems.found:
        raise _error(problems)
    return cases


def _workbook_rows(source: Path | IO[bytes], problems: Problems) -> Iterator[WorkbookRow]:
    """The rows of the workbook ``source``; a workbook that cannot be read is a problem."""
    try:
        yield from read_workbook(source, name=problems.file, locale=problems.locale)
    except WorkbookError as exc:
        problems.problem(1, "", NOTHING, exc.problem)


def _error(problems: Problems) -> CaseFileError:
    """The error of a case file with ``problems``, by line."""
    found = sorted(problems.found, key=lambda problem: problem.line)
    return CaseFileError(problems.file, found, locale=problems.locale)
