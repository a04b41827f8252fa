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

import datetime as _dt
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
from edupolicy.plans.plan import BuiltOn, Extensions, ParentPlans, Period, Plan
from edupolicy.rules import ExtensionCondition, Source

__all__ = [
    "Parents",
    "build_on",
    "parent_plan_for",
    "parent_plans_for",
    "plan_from_file",
    "plans_from_file",
    "resolve_layer",
]


def parent_plan_for(layer: PlanLayer, plans: Sequence[Plan], *, locale: str | None = None) -> Plan:
    """The plan of the parent region ``layer`` builds on first: with ``as_issued``, the
    one in force when its document was signed (else on the first day of its period);
    with ``follow``, the one in force on the first day of its period.

    Raises :class:`~edupolicy.errors.PlanDataError` naming the period when no plan of
    the parent is in force then.
    """
    return parent_plans_for(layer, plans, locale=locale)[0][0]


def _in_force_on(plans: Sequence[Plan], day: _dt.date) -> Plan | None:
    return next((plan for plan in plans if day in plan.in_force), None)


def parent_plans_for(
    layer: PlanLayer, plans: Sequence[Plan], *, locale: str | None = None
) -> list[tuple[Plan, Period]]:
    """The plans of the parent region ``layer`` builds on, each with the part of the
    district's period it is built on.

    With ``parent_plans = "as_issued"`` (the default) that is one plan, the parent's
    plan in force when the district's document was signed (else on the first day of
    its period), for the district's whole period, even beyond that plan's end.  With
    ``"follow"``, the parent's plans in force over the district's period, one after
    another; they must leave no day of it uncovered.  A problem raises
    :class:`~edupolicy.errors.PlanDataError` naming the period.
    """
    ordered = sorted(plans, key=lambda plan: plan.in_force.start)
    period = layer.in_force
    if layer.parent_plans is ParentPlans.AS_ISSUED:
        chosen = _in_force_on(ordered, layer.document.signed) or _in_force_on(ordered, period.start)
        if chosen is not None:
            return [(chosen, period)]
        why = _(
            "no plan of region {parent} is in force on the day the document was signed "
            "({signed}) or on the first day of the period; its plans: {plans}",
            parent=layer.parent,
            signed=layer.document.signed.isoformat(),
            plans=_listed(ordered),
        )
    else:
        found: list[tuple[Plan, Period]] = []
        day: _dt.date | None = period.start
        while day is not None and (period.end is None or day <= period.end):
            plan = _in_force_on(ordered, day)
            if plan is None:
                break
            end = plan.in_force.end
            if period.end is not None and (end is None or end > period.end):
                end = period.end
            found.append((plan, Period(start=day, end=end, interpretation=period.interpretation)))
            day = None if end is None else end + _dt.timedelta(days=1)
        else:
            return found
        why = _(
            "no plan of region {parent} is in force on {day}, which the period covers and "
            "a plan that follows its parent needs; its plans: {plans}",
            parent=layer.parent,
            day=day.isoformat(),
            plans=_listed(ordered),
        )
    raise PlanDataError(
        _("Plan {plan} cannot build on region {parent}", plan=layer.id, parent=layer.parent),
        [FieldProblem("$.in_force", str(layer.in_force), why)],
        locale=locale,
    )


def _listed(plans: Sequence[Plan]) -> str:
    return ", ".join(f"{p.id} {p.in_force}" for p in plans) or "-"


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


def _own_source(layer: PlanLayer, source: Source, plan_id: str) -> dict[str, Any]:
    """``source`` of the district's document, stamped with the district's plan."""
    data: dict[str, Any] = unstructure(source)
    data["plan"] = plan_id
    data["document"] = layer.document.number
    title = layer.sections.get(source.section)
    if title is not None:
        data["section_title"] = unstructure(title)
    return data


def resolve_layer(
    layer: PlanLayer,
    parent: Plan,
    *,
    locale: str | None = None,
    in_force: Period | None = None,
    plan_id: str | None = None,
    later: Sequence[Plan] = (),
) -> Plan:
    """The district's plan: ``parent``'s, with ``layer``'s document, period, sections,
    readings and changes.

    Every inherited item cites the parent's plan and document; every item a change sets
    or adds cites the district's.  A change to an id the parent does not have, or a
    result that fails a check of plan files, raises
    :class:`~edupolicy.errors.PlanDataError` naming the change (``changes[0].rule``).
    ``in_force`` and ``plan_id`` replace the layer's period and id (a plan that follows
    its parent is one plan per parent plan); ``later`` are the parent's plans that come
    into force after ``parent``, which the plan remembers (:attr:`Plan.built_on`).
    """
    data: dict[str, Any] = unstructure(parent)
    _stamp(data, parent)
    data["id"] = layer.id if plan_id is None else plan_id
    data["parent"] = layer.parent
    data["document"] = unstructure(layer.document)
    data["in_force"] = unstructure(layer.in_force if in_force is None else in_force)
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
        (f"changes[{index}]", entry.change, _own_source(layer, entry.source, data["id"]))
        for index, entry in enumerate(layer.changes)
    ]
    plan = apply_layer(
        data,
        sourced,
        plan_id=parent.id,
        layer_id=layer.id,
        extensions=_extensions(layer, parent),
        locale=locale,
    )
    built_on = BuiltOn(
        region=layer.parent, plan=parent, choice=layer.parent_plans, later=tuple(later)
    )
    # Set on the plan just made, before anyone else sees it, as its extensions are:
    # what it was built on is not plan data, and changes nothing that was checked.
    object.__setattr__(plan, "built_on", built_on)
    return plan


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
    A plan file that names a ``parent`` region is built on that region's plan
    (``parent_plans_for``), whose plans ``parents`` finds; without ``parents`` such
    a file is an error.  ``conditions`` are the kinds of condition a plugin adds
    (:class:`~edupolicy.rules.ExtensionCondition` subclasses): the file may use their
    keys (``None``: those of the region being loaded, if any).  A file that follows its
    parent across several of the parent's plans is several plans: read it with
    :func:`plans_from_file`.
    """
    built = plans_from_file(source, parents=parents, conditions=conditions, locale=locale)
    if len(built) > 1:
        raise PlanDataError(
            _("Plan file {file} is more than one plan", file=_name(source)),
            [
                FieldProblem(
                    "$.parent_plans",
                    ParentPlans.FOLLOW.value,
                    _(
                        "it follows its parent region across {count} of its plans; read it "
                        "with plans_from_file",
                        count=len(built),
                    ),
                )
            ],
            locale=locale,
        )
    return built[0]


def plans_from_file(
    source: Traversable | Path,
    *,
    parents: Parents | None = None,
    conditions: Iterable[type[ExtensionCondition[Any]]] | None = None,
    locale: str | None = None,
) -> tuple[Plan, ...]:
    """The plans of a plan file, read and checked as by :func:`plan_from_file`: one, or,
    for a file that follows its parent region across several of the parent's plans
    (``parent_plans = "follow"``), one for each."""
    read = read_plan_file(source, conditions=conditions, locale=locale)
    if isinstance(read, Plan):
        return (read,)
    name = _name(source)
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


def _name(source: Traversable | Path) -> str:
    return getattr(source, "name", str(source))


def build_on(
    layer: PlanLayer, parents: Parents, *, name: str, locale: str | None = None
) -> tuple[Plan, ...]:
    """``layer`` built on the plans of its parent region that ``parents`` finds
    (:func:`parent_plans_for`): one plan, or, for a plan that follows its parent across
    several of the parent's plans, one for each, named ``ID@PARENT-PLAN``.

    A problem raises :class:`~edupolicy.errors.PlanDataError` headed by the file's
    ``name``, each field named by its path in the file.
    """
    plans = sorted(parents(layer.parent), key=lambda plan: plan.in_force.start)
    chosen = parent_plans_for(layer, plans, locale=locale)
    try:
        return tuple(
            resolve_layer(
                layer,
                parent,
                locale=locale,
                in_force=period,
                plan_id=layer.id if len(chosen) == 1 else f"{layer.id}@{parent.id}",
                later=plans[plans.index(parent) + 1 :],
            )
            for parent, period in chosen
        )
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
