"""Change files and change tables: what-if changes as policy staff write them.

A change file is TOML, one ``[[change]]`` table per change; the same tables sit in the
choices of a plan's readings and in a layered plan's ``[[changes]]``.  Each table is
checked as it is read, every problem named by its path.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import attrs

from edupolicy.errors import MISSING, FieldProblem, PlanDataError, os_error_text
from edupolicy.i18n import _
from edupolicy.io._problems import unknown_field
from edupolicy.io.parsers import not_utf8, toml_problem
from edupolicy.plans.change import SELECTORS, Change, Found, change_problems

__all__ = ["read_change", "read_change_text", "read_changes", "table_lines"]

_STRINGS = (*SELECTORS, "reason", "add")


def read_change(raw: object) -> tuple[Change | None, list[Found]]:
    """A change from its TOML or JSON table, and what is wrong with it (paths relative)."""
    if not isinstance(raw, dict):
        return None, [("", raw, _("must be a table"))]
    found: list[Found] = []
    known = {field.name for field in attrs.fields(Change)}
    for key in sorted(set(raw) - known):
        found.append((f".{key}", raw[key], unknown_field(key, sorted(known))))
    for key in _STRINGS:
        if key in raw and not isinstance(raw[key], str):
            found.append((f".{key}", raw[key], _("must be a string")))
    if "remove" in raw and not isinstance(raw["remove"], bool):
        found.append((".remove", raw["remove"], _("must be true or false")))
    for key in ("set", "item"):
        if key in raw and not isinstance(raw[key], dict):
            found.append((f".{key}", raw[key], _("must be a table")))
    if "reason" not in raw:
        found.append((".reason", MISSING, _("a change needs a reason")))
    if found:
        return None, found
    change = Change(**{key: value for key, value in raw.items() if key in known})
    return change, change_problems(change)


def read_changes(path: str | Path, *, locale: str | None = None) -> tuple[Change, ...]:
    """The changes of a change file: TOML, one ``[[change]]`` table per change.

    Every table is checked as it is read, and every problem of the file is raised at
    once in a :class:`~edupolicy.errors.PlanDataError`, each named by the file, the line
    of its ``[[change]]`` table and the field (``raise.toml:7: change[1].set``).  Each
    change keeps that place as its ``origin``, so that the problems found when it is
    applied name it too.
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
    return read_change_text(text, source.name, locale=locale)


def read_change_text(text: str, name: str, *, locale: str | None = None) -> tuple[Change, ...]:
    """The changes of the text of a change file named ``name``, read as
    :func:`read_changes` reads the file."""
    heading = _("Change file {file} is not valid", file=name)
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        line, problem = toml_problem(exc)
        raise PlanDataError(
            heading, [FieldProblem(f"{name}:{line}", name, problem)], locale=locale
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
    lines = table_lines(text, "change", len(tables))
    changes: list[Change] = []
    for index, raw_change in enumerate(tables):
        where = f"{name}:{lines[index]}: change[{index}]" if lines else f"$.change[{index}]"
        change, wrong = read_change(raw_change)
        found.extend(FieldProblem(f"{where}{p}", v, m) for p, v, m in wrong)
        if change is not None:
            origin = f"{name}:{lines[index]}" if lines else None
            changes.append(attrs.evolve(change, origin=origin))
    if found:
        raise PlanDataError(heading, found, locale=locale)
    return tuple(changes)


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
