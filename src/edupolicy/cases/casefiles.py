"""Case files, read: TOML files of named cases, CSV files of student cases.

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

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from edupolicy.cases.csvfiles import CSV_COLUMNS, read_csv
from edupolicy.cases.keys import CaseReader
from edupolicy.cases.model import Case
from edupolicy.cases.problems import NOTHING, CaseProblem, Problems
from edupolicy.cases.tomlfiles import read_toml
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _

__all__ = [
    "CASE_FILE_PATTERNS",
    "CSV_COLUMNS",
    "CaseFileError",
    "CaseProblem",
    "read_case_data",
    "read_cases",
]

#: The names of case files that the pytest plugin collects.
CASE_FILE_PATTERNS: Final = ("test_*.cases.toml", "test_*.cases.csv")


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
    path: str | Path, *, label: str | None = None, locale: str | None = None
) -> list[Case]:
    """The cases of the case file ``path`` (``.toml`` or ``.csv``), checked.

    ``label`` is how messages name the file (``path`` as given, by default).  A file
    with any problem raises :class:`CaseFileError`, listing every problem found;
    ``locale`` chooses its language.
    """
    source = Path(path)
    problems = Problems(label if label is not None else str(path), locale)
    kind = _kind(source.name, problems)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        problems.problem(1, "", NOTHING, _("cannot read the file: {error}", error=exc.strerror))
        raise _error(problems) from None
    return _read(raw, kind, problems, source.parent)


def read_case_data(data: bytes, name: str, *, locale: str | None = None) -> list[Case]:
    """The cases of a case file's contents ``data``, read as :func:`read_cases` reads a
    file of that ``name`` (its suffix chooses the form), such as an upload.

    A case that names a change file is refused: there is no folder to find it in.
    """
    problems = Problems(name, locale)
    return _read(data, _kind(name, problems), problems, None)


def _kind(name: str, problems: Problems) -> str:
    if name.endswith(".toml"):
        return "toml"
    if name.endswith(".csv"):
        return "csv"
    problems.problem(1, "", name, _("a case file is a .toml or a .csv file"))
    raise _error(problems)


def _read(raw: bytes, kind: str, problems: Problems, folder: Path | None) -> list[Case]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.problem(line, "", NOTHING, _("the file is not UTF-8 text"))
        raise _error(problems) from None
    reader = CaseReader(problems, folder=folder)
    cases = read_toml(reader, text) if kind == "toml" else read_csv(reader, text)
    if problems.found:
        raise _error(problems)
    return cases


def _error(problems: Problems) -> CaseFileError:
    """The error of a case file with ``problems``, by line."""
    found = sorted(problems.found, key=lambda problem: problem.line)
    return CaseFileError(problems.file, found, locale=problems.locale)
