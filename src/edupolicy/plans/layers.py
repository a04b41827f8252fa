"""Layered plans: a district's plan that builds on a parent region's plan.

A plan file that names a ``parent`` region is read into a
:class:`~edupolicy.plans.layer.PlanLayer` (:mod:`edupolicy.plans.layer`).
:func:`resolve_layer` builds the district's
:class:`~edupolicy.plans.Plan` from the parent's plan in force over the district's
period: every item keeps the parent's words, stamped with the parent plan and document
it comes from, and every item the district replaces or adds cites the district's
document.  Finding the parent region is the plugins' job; this module knows plans only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from edupolicy.errors import FieldProblem, PlanDataError
from edupolicy.i18n import _
from edupolicy.plans.changes import apply_layer
from edupolicy.plans.convert import unstructure
from edupolicy.plans.layer import PlanLayer
from edupolicy.plans.plan import Extensions, Plan
from edupolicy.rules import Source

__all__ = ["parent_plan_for", "resolve_layer"]


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
