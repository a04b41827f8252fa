"""Change files and change tables: what-if changes as policy staff write them.

A change file is TOML, one ``[[change]]`` table per change; the same tables sit in the
choices of a plan's readings and in a layered plan's ``[[changes]]``.  Each table is
checked as it is read (:func:`~edupolicy.io.changetables.read_change`), every problem
named by its path.  Loading a plan reads the tables of its readings, not a change file:
this module, and the TOML reader, are imported when a change file is first read.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

import attrs

from edupolicy.errors import FieldProblem, PlanDataError, os_error_text
from edupolicy.i18n import Message, _
from edupolicy.io.changetables import read_change
from edupolicy.io.parsers import not_utf8, toml_problem
from edupolicy.plans.change import Change, change_label

__all__ = [
    "ChangeFile",
    "read_change_file",
    "read_change_file_text",
    "read_change_text",
    "read_changes",
    "table_lines",
]


@attrs.frozen(kw_only=True)
class ChangeFile:
    """A change file as read: the changes of the tables that could be read, and the
    problems of those that could not.

    A file with mistakes of both kinds, tables that cannot be read and changes that do
    not apply, is reported in one run: :meth:`~edupolicy.Policy.with_changes` applies
    the changes read and raises one :class:`~edupolicy.errors.PlanDataError` with every
    problem, in the order of the file (:meth:`error`).
    """

    #: The name of the file, as problems name it.
    name: str
    #: The changes of the tables that could be read, in order; each knows its ``origin``
    #: (``FILE:LINE``) and its ``position`` among the file's tables.
    changes: tuple[Change, ...]
    #: What is wrong with the file and with the tables that could not be read.
    problems: tuple[FieldProblem, ...] = ()
    #: The place among the file's tables of each problem (``-1``: the file itself).
    places: tuple[int, ...] = ()

    @property
    def heading(self) -> Message:
        """``Change file raise.toml is not valid``: what an error of the file says first."""
        return _("Change file {file} is not valid", file=self.name)

    def error(
        self, applying: Sequence[FieldProblem] = (), *, locale: str | None = None
    ) -> PlanDataError:
        """The file's problems and ``applying``, the problems found applying its changes,
        in one error, in the order of the file (the problems of each table together)."""
        # A change of this file is named by a label its problems start with (another
        # file's change, applied with these, has another origin: its problems go last).
        labels = [
            (change_label(index, change), change.position)
            for index, change in enumerate(self.changes)
            if change.position is not None and _of_file(change, self.name)
        ]
        last = len(self.changes) + len(self.places)

        def place_of(problem: FieldProblem) -> int:
            return next((at for label, at in labels if problem.path.startswith(label)), last)

        found = list(zip(self.places, self.problems, strict=True))
        found.extend((place_of(problem), problem) for problem in applying)
        found.sort(key=lambda pair: pair[0])
        return PlanDataError(self.heading, [problem for _at, problem in found], locale=locale)

    def checked(self, *, locale: str | None = None) -> tuple[Change, ...]:
        """The changes, or every problem of the file raised."""
        if self.problems:
            raise self.error(locale=locale)
        return self.changes


def _of_file(change: Change, name: str) -> bool:
    """Whether ``change`` was read from the file ``name`` (or from a file without lines)."""
    return change.origin is None or change.origin.startswith(f"{name}:")


def read_change_file(path: str | Path, *, locale: str | None = None) -> ChangeFile:
    """The change file at ``path``: TOML, one ``[[change]]`` table per change.

    Every table is checked as it is read; the changes of the tables that can be read
    are kept with the problems of those that cannot, each named by the file, the line
    of its ``[[change]]`` table and the field (``raise.toml:7: change[1].set``).  A
    file that cannot be read, or is not TOML, raises
    :class:`~edupolicy.errors.PlanDataError`.
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise PlanDataError(
            _("Cannot read change file {file}", file=source.name),
            [FieldProblem("$", source.name, os_error_text(exc))],
            locale=locale,
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanDataError(
            _("Change file {file} is not valid", file=source.name),
            [FieldProblem("$", source.name, not_utf8(raw, exc))],
            locale=locale,
        ) from None
    return read_change_file_text(text, source.name, locale=locale)


def read_change_file_text(text: str, name: str, *, locale: str | None = None) -> ChangeFile:
    """The change file of the text ``text``, named ``name``, read as
    :func:`read_change_file` reads the file."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        line, problem = toml_problem(exc)
        raise PlanDataError(
            _("Change file {file} is not valid", file=name),
            [FieldProblem(f"{name}:{line}", name, problem)],
            locale=locale,
        ) from None
    found: list[FieldProblem] = [
        FieldProblem(
            f"$.{key}", data[key], _("unknown field; a change file holds [[change]] tables")
        )
        for key in sorted(set(data) - {"change"})
    ]
    tables: object = data.get("change", [])
    if not isinstance(tables, list):
        found.append(FieldProblem("$.change", tables, _("must be a list of [[change]] tables")))
        tables = []
    places = [-1] * len(found)
    lines = table_lines(text, "change", len(tables))
    changes: list[Change] = []
    for index, raw_change in enumerate(tables):
        where = f"{name}:{lines[index]}: change[{index}]" if lines else f"$.change[{index}]"
        change, wrong = read_change(raw_change)
        found.extend(FieldProblem(f"{where}{p}", v, m) for p, v, m in wrong)
        places.extend([index] * len(wrong))
        if change is not None and not wrong:
            origin = f"{name}:{lines[index]}" if lines else None
            changes.append(attrs.evolve(change, origin=origin, position=index))
    return ChangeFile(
        name=name, changes=tuple(changes), problems=tuple(found), places=tuple(places)
    )


def read_changes(path: str | Path, *, locale: str | None = None) -> tuple[Change, ...]:
    """The changes of a change file: TOML, one ``[[change]]`` table per change.

    Every table is checked as it is read, and every problem of the file is raised at
    once in a :class:`~edupolicy.errors.PlanDataError`, each named by the file, the line
    of its ``[[change]]`` table and the field (``raise.toml:7: change[1].set``).  Each
    change keeps that place as its ``origin``, so that the problems found when it is
    applied name it too.  :func:`read_change_file` keeps the changes that can be read
    beside the problems of the others.
    """
    return read_change_file(path, locale=locale).checked(locale=locale)


def read_change_text(text: str, name: str, *, locale: str | None = None) -> tuple[Change, ...]:
    """The changes of the text of a change file named ``name``, read as
    :func:`read_changes` reads the file."""
    return read_change_file_text(text, name, locale=locale).checked(locale=locale)


def table_lines(text: str, name: str, count: int) -> list[int] | None:
    """The line of each ``[[name]]`` table header of the TOML ``text``, or ``None`` when
    there are not ``count`` of them (the tables are written another way).

    ``tomllib`` keeps no line numbers: a header alone on its line starts each table of
    an array of tables, in order.  A header inside a multi-line string is not one; such
    a file has more headers than tables, and gets no lines rather than wrong ones.
    """
    header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]\s*(#.*)?$")
    found = [number for number, line in enumerate(text.splitlines(), 1) if header.match(line)]
    return found if len(found) == count else None
