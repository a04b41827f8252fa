"""Change files and change tables: what-if changes as policy staff write them.

A change file is TOML, one ``[[change]]`` table per change; the same tables sit in the
choices of a plan's readings and in a layered plan's ``[[changes]]``.  Each table is
checked as it is read, every problem named by its path.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs

from edupolicy.errors import MISSING, FieldProblem, PlanDataError
from edupolicy.i18n import Message, _
from edupolicy.io._problems import unknown_field
from edupolicy.plans.change import SELECTORS, Change, Found, change_problems

__all__ = ["read_change", "read_change_text", "read_changes"]

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

    Every table is checked as it is read; a problem raises
    :class:`~edupolicy.errors.PlanDataError` naming the file and the field.
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanDataError(
            _("Cannot read change file {file}", file=source.name),
            [FieldProblem("$", str(source), Message(str(exc.strerror or exc)))],
            locale=locale,
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise PlanDataError(
            _("Change file {file} is not valid", file=source.name),
            [FieldProblem("$", source.name, Message(str(exc)))],
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
        raise PlanDataError(
            heading, [FieldProblem("$", name, Message(str(exc)))], locale=locale
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
    changes: list[Change] = []
    for index, raw in enumerate(tables):
        change, wrong = read_change(raw)
        found.extend(FieldProblem(f"$.change[{index}]{p}", v, m) for p, v, m in wrong)
        if change is not None:
            changes.append(change)
    if found:
        raise PlanDataError(heading, found, locale=locale)
    return tuple(changes)
