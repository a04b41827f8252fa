"""The problems of a case file, and where in the file each key of a case is.

Every problem is a :class:`CaseProblem`: the file, the line, the field and what is
wrong.  :class:`Problems` collects those of one file, in the order they are found.
A :class:`Where` says where the keys of one case are: a :class:`TomlSpan` finds a
key's line by scanning the case's lines (``tomllib`` keeps no line numbers), and in
a :class:`CsvRow` every key is on the row's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final, Protocol

import attrs

from edupolicy.errors import MISSING, show_value
from edupolicy.i18n import Message, _

__all__ = ["NOTHING", "CaseProblem", "CsvRow", "Problems", "TomlSpan", "Where"]


class _Nothing:
    """No offending value to show."""


NOTHING: Final = _Nothing()


@attrs.frozen
class CaseProblem:
    """One problem of a case file: where it is, the field, and what is wrong."""

    file: str
    line: int
    #: The key or column (``student.household[0]``); empty for the file as a whole.
    field: str
    #: The offending value (:data:`~edupolicy.errors.MISSING` when the field is absent).
    value: object
    message: Message

    @property
    def location(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"

    def render(self, locale: str | None = None) -> str:
        """``file:line: field: what is wrong (got value)`` in ``locale``."""
        text = self.message
        if self.field:
            text = _("{field}: {problem}", field=self.field, problem=text)
        if not isinstance(self.value, _Nothing):
            shown: object = _("(missing)") if self.value is MISSING else show_value(self.value)
            text = _("{problem} (got {value})", problem=text, value=shown)
        return _("{location}: {problem}", location=self.location, problem=text).render(locale)


class Problems:
    """The problems found in one case file, in the order they were found."""

    def __init__(self, file: str, locale: str | None) -> None:
        #: The case file, as messages name it.
        self.file = file
        #: The language of the messages, and of the data a case is read into.
        self.locale = locale
        self.found: list[CaseProblem] = []
        #: The regions (with the readings) whose what-if changes were found not to
        #: apply: said once, at the first case that needs them.
        self.refused_changes: set[tuple[str, tuple[tuple[str, str], ...]]] = set()

    def __len__(self) -> int:
        return len(self.found)

    def problem(self, line: int, field: str, value: object, message: Message) -> None:
        self.found.append(CaseProblem(self.file, line, field, value, message))

    def at(self, where: Where, path: str, value: object, message: Message) -> None:
        """A problem of the key at ``path`` of a case."""
        self.problem(where.line_of(path), where.name(path), value, message)


class Where(Protocol):
    """Where the keys of one case are."""

    @property
    def line(self) -> int:
        """The line of the case."""
        ...

    def line_of(self, path: str) -> int:
        """The line of the key at ``path`` (``student.household[1]``)."""
        ...

    def name(self, path: str) -> str:
        """How messages name the key at ``path``."""
        ...


_STEP = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def _steps(path: str) -> list[str | int]:
    return [key if key else int(index) for key, index in _STEP.findall(path)]


@attrs.frozen
class TomlSpan:
    """Lines ``start`` to ``end`` (exclusive) of a TOML file: a case, or the file's top."""

    text: Sequence[str]
    start: int
    end: int
    #: The table the span's sub-table headers name (``case``), if any.
    table: str | None = "case"

    @property
    def line(self) -> int:
        return self.start

    def name(self, path: str) -> str:
        return path

    def line_of(self, path: str) -> int:
        found = at = self.start
        key: str | None = None
        for step in _steps(path):
            hit = self._key(step, at) if isinstance(step, str) else self._item(key, step, at)
            if hit is None:
                break
            found = at = hit
            key = step if isinstance(step, str) else key
        return found

    def _lines(self, start: int) -> Iterator[tuple[int, str]]:
        for number in range(start, min(self.end, len(self.text) + 1)):
            yield number, self.text[number - 1]

    def _key(self, key: str, start: int) -> int | None:
        word = re.escape(key)
        quoted = rf"(?:{word}|\"{word}\"|'{word}')"
        assignment = re.compile(rf"(?:^|[\s{{,.]){quoted}\s*[=.]")
        header = (
            re.compile(rf"^\s*\[\[?\s*{re.escape(self.table)}\.{quoted}\s*[\].]")
            if self.table
            else None
        )
        for number, line in self._lines(start):
            if assignment.search(line) or (header is not None and header.search(line)):
                return number
        return None

    def _item(self, key: str | None, index: int, start: int) -> int | None:
        if key is None:
            return None
        if self.table:
            header = re.compile(rf"^\s*\[\[\s*{re.escape(self.table)}\.{re.escape(key)}\s*\]\]")
            headers = [number for number, line in self._lines(start) if header.search(line)]
            if headers:
                return headers[index] if index < len(headers) else None
        tables = [number for number, line in self._lines(start) if "{" in line]
        return tables[index] if index < len(tables) else None


@attrs.frozen
class CsvRow:
    """A row of a CSV file: every key of its case is on its line."""

    line: int

    def line_of(self, path: str) -> int:
        return self.line

    def name(self, path: str) -> str:
        return path.removeprefix("student.")
