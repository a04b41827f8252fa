"""Reading plan files: TOML, split into parts, checked by path.  No code is ever executed."""

from __future__ import annotations

import tomllib
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from edupolicy.errors import FieldProblem, PlanDataError
from edupolicy.i18n import Message, _
from edupolicy.plans._errors import problems
from edupolicy.plans.convert import CONVERTER
from edupolicy.plans.plan import Plan

__all__ = ["load_plan", "structure_plan"]


def _read_toml(source: Traversable | Path, locale: str | None) -> dict[str, Any]:
    name = getattr(source, "name", str(source))
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanDataError(
            _("Cannot read plan file {file}", file=name),
            [FieldProblem("$", name, Message(str(exc.strerror or exc)))],
            locale=locale,
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanDataError(
            _("Plan file {file} is not valid", file=name),
            [FieldProblem("$", name, Message(str(exc)))],
            locale=locale,
        ) from None


def load_plan(source: Traversable | Path, *, locale: str | None = None) -> Plan:
    """Read and check a plan file (TOML).  No code in the file is ever executed.

    A plan file may list ``parts = ["goals.toml", ...]``: files beside it whose
    top-level tables join the plan (a topic per file); a table may be defined once.
    """
    name = getattr(source, "name", str(source))
    data = _read_toml(source, locale)
    parts = data.pop("parts", [])
    heading = _("Plan file {file} is not valid", file=name)
    if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
        raise PlanDataError(
            heading,
            [FieldProblem("$.parts", parts, _("must be a list of file names"))],
            locale=locale,
        )
    parent = getattr(source, "parent", None)
    for index, part in enumerate(parts):
        if parent is None or "/" in part or "\\" in part or part.startswith("."):
            raise PlanDataError(
                heading,
                [FieldProblem(f"$.parts[{index}]", part, _("must name a file beside the plan"))],
                locale=locale,
            )
        extra = _read_toml(parent / part, locale)
        clashes = sorted(set(extra) & set(data))
        if clashes or "parts" in extra:
            raise PlanDataError(
                heading,
                [
                    FieldProblem(
                        f"$.{key}",
                        part,
                        _(
                            "this table is defined twice: in {file} and in {part}",
                            file=name,
                            part=part,
                        ),
                    )
                    for key in (clashes or ["parts"])
                ],
                locale=locale,
            )
        data.update(extra)
    return structure_plan(data, name=name, locale=locale)


def structure_plan(data: dict[str, Any], *, name: str, locale: str | None = None) -> Plan:
    """A plan from parsed plan data, every problem reported by path."""
    heading = _("Plan file {file} is not valid", file=name)
    try:
        return CONVERTER.structure(data, Plan)
    except Exception as exc:
        raise PlanDataError(heading, problems(exc, "$", data, raw=False), locale=locale) from None
