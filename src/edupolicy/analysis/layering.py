"""Layered plans: a district's plan that builds on a parent region's plan.

A plan file that names a ``parent`` region is read into a
:class:`~edupolicy.plans.layer.PlanLayer` (:mod:`edupolicy.plans.layer`).
:func:`resolve_layer` builds the district's
:class:`~edupolicy.plans.Plan` from the parent's plan in force over the district's
period: every item keeps the parent's words, stamped with the parent plan and document
it comes from, and every item the district replaces or adds cites the district's
document.  Finding the parent region is the plugins' job; this module knows plans only.
:func:`plan_from_file` reads a plan file and, when it names a parent, builds it so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from edupolicy.analysis.whatif import apply_layer
from edupolicy.errors import FieldProblem, PlanDataError
from edupolicy.i18n import _
from edupolicy.io.convert import unstructure
from edupolicy.io.planfiles import read_plan_file
from edupolicy.plans.layer import PlanLayer
from edupolicy.plans.plan import Extensions, Plan
from edupolicy.rules import ExtensionCondition, Source

__all__ = ["Parents", "build_on", "parent_plan_for", "plan_from_file", "resolve_layer"]


def parent_plan_for(layer: PlanLayer, plans: Sequence[Plan], *, locale: str | None = None) -> Plan:
    """The plan of the parent region in force over the whole of ``layer``'s period.

    Raises :class:`~edupolicy.errors.PlanDataError` naming the period when no plan of
    the parent covers it.
    """
    start, end = layer.in_force.start, layer.in_force.end
    for plan in plans:
        period = plan.in_force
        covers_end = period.end is None or (end is not None and end <= period.end)
        if start in period and covers_end:
            return plan
    raise PlanDataError(
        _("Plan {plan} cannot build on region {parent}", plan=layer.id, parent=layer.parent),
        [
            FieldProblem(
                "$.in_force",
                str(layer.in_force),
                _(
                    "no plan of region {parent} is in force over the whole period; its plans: "
                    "{plans}",
                    parent=layer.parent,
                    plans=", ".join(f"{p.id} {p.in_force}" for p in plans) or "-",
                ),
            )
        ],
        locale=locale,
    )


def _stamp(data: Any, plan: Plan) -> None:
    """Give every source in ``data`` (a plan's JSON shape) the plan and document it is
    from, and its section's title, unless it already names another document."""
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            source = value.get("source")
            if isinstance(source, dict) and "quote" in source and "document" not in source:
                source["plan"] = plan.id
                source["document"] = plan.document.number
                title = plan.sections.get(str(source.get("section")))
                if title is not None:
                    source["section_title"] = unstructure(title)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _own_source(layer: PlanLayer, source: Source) -> dict[str, Any]:
    """``source`` of the district's document, stamped with the district's plan."""
    data: dict[str, Any] = unstructure(source)
    data["plan"] = layer.id
    data["document"] = layer.document.number
    title = layer.sections.get(source.section)
    if title is not None:
        data["section_title"] = unstructure(title)
    return data


def resolve_layer(layer: PlanLayer, parent: Plan, *, locale: str | None = None) -> Plan:
    """The district's plan: ``parent``'s, with ``layer``'s document, period, sections,
    readings and changes.

    Every inherited item cites the parent's plan and document; every item a change sets
    or adds cites the district's.  A change to an id the parent does not have, or a
    result that fails a check of plan files, raises
    :class:`~edupolicy.errors.PlanDataError` naming the change (``changes[0].rule``).
    """
    data: dict[str, Any] = unstructure(parent)
    _stamp(data, parent)
    data["id"] = layer.id
    data["parent"] = layer.parent
    data["document"] = unstructure(layer.document)
    data["in_force"] = unstructure(layer.in_force)
    data["sections"] = unstructure(dict(layer.sections))
    data["readings"] = unstructure(layer.readings)
    if layer.stage_years is not None:
        data["stage_years"] = unstructure(dict(layer.stage_years))
    # The district's statuses join the parent's; a clash of ids is reported by the
    # plan check, at the district's declaration.
    data["household_statuses"] = [
        *data.get("household_statuses", []),
        *unstructure(layer.household_statuses),
    ]
    sourced = [
        (f"changes[{index}]", entry.change, _own_source(layer, entry.source))
        for index, entry in enumerate(layer.changes)
    ]
    return apply_layer(
        data,
        sourced,
        plan_id=parent.id,
        layer_id=layer.id,
        extensions=_extensions(layer, parent),
        locale=locale,
    )


def _extensions(layer: PlanLayer, parent: Plan) -> Extensions:
    """The district's kinds of condition, then those of the parent it inherits whose keys
    the district's do not take."""
    own = {kind.key for kind in layer.extensions}
    return (*layer.extensions, *(kind for kind in parent.extensions if kind.key not in own))


#: Finds the plans of a parent region by its id (for a plan file that names a parent).
Parents = Callable[[str], Sequence[Plan]]


def plan_from_file(
    source: Traversable | Path,
    *,
    parents: Parents | None = None,
    conditions: Iterable[type[ExtensionCondition[Any]]] | None = None,
    locale: str | None = None,
) -> Plan:
    """Read and check a plan file (TOML).  No code in the file is ever executed.

    A plan file may list ``parts = ["goals.toml", ...]``: files beside it whose
    top-level tables join the plan (a topic per file); a table may be defined once.
    A plan file that names a ``parent`` region is built on that region's plan in force
    over its period, whose plans ``parents`` finds; without ``parents`` such a file is
    an error.  ``conditions`` are the kinds of condition a plugin adds
    (:class:`~edupolicy.rules.ExtensionCondition` subclasses): the file may use their
    keys (``None``: those of the region being loaded, if any).
    """
    read = read_plan_file(source, conditions=conditions, locale=locale)
    if isinstance(read, Plan):
        return read
    name = getattr(source, "name", str(source))
    if parents is None:
        raise PlanDataError(
            _("Plan file {file} builds on region {parent}", file=name, parent=read.parent),
            [
                FieldProblem(
                    "$.parent",
                    read.parent,
                    _("a plan that names a parent is read through its region or a registry"),
                )
            ],
            locale=locale,
        )
    return build_on(read, parents, name=name, locale=locale)


def build_on(layer: PlanLayer, parents: Parents, *, name: str, locale: str | None = None) -> Plan:
    """``layer`` built on the plan of its parent region that ``parents`` finds.

    A problem raises :class:`~edupolicy.errors.PlanDataError` headed by the file's
    ``name``, each field named by its path in the file.
    """
    parent = parent_plan_for(layer, parents(layer.parent), locale=locale)
    try:
        return resolve_layer(layer, parent, locale=locale)
    except PlanDataError as exc:
        raise PlanDataError(
            _("Plan file {file} is not valid", file=name),
            [
                FieldProblem(
                    problem.path if problem.path.startswith("$") else f"$.{problem.path}",
                    problem.value,
                    problem.message,
                )
                for problem in exc.problems
            ],
            locale=locale,
        ) from None
