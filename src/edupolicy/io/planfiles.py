"""Reading plan files: TOML, split into parts, checked by path.  No code is ever executed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from edupolicy._lazy import lazy_module
from edupolicy.errors import MISSING, FieldProblem, PlanDataError, os_error_text
from edupolicy.i18n import _
from edupolicy.io._problems import problems
from edupolicy.io.convert import get_converter, reading_with, too_deep
from edupolicy.io.plancache import keep_data, kept_data
from edupolicy.plans.layer import PlanLayer
from edupolicy.plans.plan import Plan
from edupolicy.rules import ExtensionCondition

if TYPE_CHECKING:
    import tomllib
    from importlib.resources.abc import Traversable

    from typing_extensions import TypeIs

    from edupolicy.io import parsers
else:
    # Imported to parse a plan file's text, not when what it parses to is kept
    # (:mod:`edupolicy.io.plancache`); what the parser's error says, when it raises one.
    tomllib = lazy_module("tomllib")
    parsers = lazy_module("edupolicy.io.parsers")

__all__ = [
    "MAX_PLAN_DEPTH",
    "is_traversable",
    "read_plan_file",
    "read_region_plan_file",
    "structure_plan",
]

T = TypeVar("T")

#: How deeply plan data may nest: rules and their conditions stay well within it.
MAX_PLAN_DEPTH = 40


def is_traversable(value: object) -> TypeIs[Traversable]:
    """Whether ``value`` is a file a plan can be read from: a
    :class:`~importlib.resources.abc.Traversable`, of which a :class:`~pathlib.Path` is one.

    A path, the common case, is answered without importing :mod:`importlib.resources`,
    which a start does not otherwise need.
    """
    if isinstance(value, Path):
        return True
    if isinstance(value, str):
        return False
    # Imported only for what is neither a path nor text (a zip file's resource).
    from importlib.resources.abc import Traversable

    return isinstance(value, Traversable)


def _read_toml(source: Traversable | Path, locale: str | None, keep: bool) -> dict[str, Any]:
    name = getattr(source, "name", str(source))
    cannot_read = _("Cannot read plan file {file}", file=name)
    invalid = _("Plan file {file} is not valid", file=name)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanDataError(
            cannot_read,
            [FieldProblem("$", name, os_error_text(exc))],
            locale=locale,
        ) from None
    except UnicodeDecodeError as exc:
        raise PlanDataError(
            invalid,
            [
                FieldProblem(
                    "$",
                    name,
                    _("must be UTF-8 text; byte {position} is not", position=exc.start + 1),
                )
            ],
            locale=locale,
        ) from None
    except ValueError:  # a name no file can have: a NUL, an unpaired surrogate
        raise PlanDataError(
            cannot_read,
            [FieldProblem("$", name, _("no file can have this name"))],
            locale=locale,
        ) from None
    if keep:
        kept = kept_data(text)
        if kept is not None:
            return kept
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, problem = parsers.toml_problem(exc)
        raise PlanDataError(
            invalid,
            [FieldProblem("$", name, _("line {line}: {problem}", line=line, problem=problem))],
            locale=locale,
        ) from None
    except ValueError:  # tomllib reads whole numbers with int(), which refuses 4,300 digits
        raise PlanDataError(
            invalid,
            [FieldProblem("$", name, _("holds a number too long to read"))],
            locale=locale,
        ) from None
    except RecursionError:
        raise PlanDataError(
            invalid,
            [FieldProblem("$", name, _("nests arrays or tables too deeply to read"))],
            locale=locale,
        ) from None
    if keep:
        keep_data(text, data)
    return data


def read_plan_file(
    source: Traversable | Path,
    *,
    conditions: Iterable[type[ExtensionCondition[Any]]] | None = None,
    locale: str | None = None,
) -> Plan | PlanLayer:
    """A plan file read and checked: a :class:`Plan`, or a :class:`PlanLayer` when the
    file names a ``parent`` region (built by
    ``edupolicy.analysis.layering.build_on``).  The file may use the
    keys of ``conditions``, the kinds of condition a plugin adds; the plan remembers
    them.  ``None``: the kinds of condition of the region being loaded, if any."""
    return _read_plan(source, conditions=conditions, locale=locale, keep=False)


def read_region_plan_file(
    source: Traversable | Path,
    *,
    conditions: Iterable[type[ExtensionCondition[Any]]] | None = None,
    locale: str | None = None,
) -> Plan | PlanLayer:
    """:func:`read_plan_file` of a file an installed region ships: what its text parses
    to is kept between processes (:mod:`edupolicy.io.plancache`), and every field is
    still checked."""
    return _read_plan(source, conditions=conditions, locale=locale, keep=True)


def _read_plan(
    source: Traversable | Path,
    *,
    conditions: Iterable[type[ExtensionCondition[Any]]] | None,
    locale: str | None,
    keep: bool,
) -> Plan | PlanLayer:
    name = getattr(source, "name", str(source))
    data = _read_toml(source, locale, keep)
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
        extra = _read_toml(parent / part, locale, keep)
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
    kinds = None if conditions is None else tuple(conditions)
    if "changes" in data and "parent" not in data:
        raise PlanDataError(
            heading,
            [
                FieldProblem(
                    "$.parent",
                    MISSING,
                    _(
                        "a plan file with [[changes]] builds on the plan of another region: "
                        'name the region with parent = "ID"'
                    ),
                )
            ],
            locale=locale,
        )
    if "parent" in data:
        return _structure_as(data, PlanLayer, name=name, locale=locale, conditions=kinds)
    return structure_plan(data, name=name, locale=locale, conditions=kinds)


def structure_plan(
    data: dict[str, Any],
    *,
    name: str,
    locale: str | None = None,
    conditions: Iterable[type[ExtensionCondition[Any]]] | None = None,
) -> Plan:
    """A plan from parsed plan data, every problem reported by path."""
    kinds = None if conditions is None else tuple(conditions)
    return _structure_as(data, Plan, name=name, locale=locale, conditions=kinds)


def _structure_as(
    data: dict[str, Any],
    type_: type[T],
    *,
    name: str,
    locale: str | None,
    conditions: tuple[type[ExtensionCondition[Any]], ...] | None = None,
) -> T:
    heading = _("Plan file {file} is not valid", file=name)
    if too_deep(data, MAX_PLAN_DEPTH):
        raise PlanDataError(
            heading,
            [FieldProblem("$", name, _("nested more than {max} levels deep", max=MAX_PLAN_DEPTH))],
            locale=locale,
        )
    try:
        with reading_with(conditions=conditions):
            return get_converter().structure(data, type_)
    except Exception as exc:
        raise PlanDataError(heading, problems(exc, "$", data, raw=False), locale=locale) from None
