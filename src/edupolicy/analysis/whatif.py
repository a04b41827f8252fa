"""What-if changes: a new plan derived from a loaded one by changing values by id.

A :class:`Change` names one item of a plan (a rule, group, target, indicator, quota or
share, by its id, or a table by its dotted path) and says what to do with it: ``set``
fields, ``remove`` it, or ``add`` a whole new item to a list.  Every change carries its
reason.  :func:`apply_changes` works on the plan's JSON shape (:func:`unstructure`),
applies the changes in order and reads the result back with the one converter, so
every load-time check runs again; the plan it was given is left untouched.  A problem
is reported by the change's position (``changes[0]``) and the field at fault.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from edupolicy.errors import MISSING, FieldProblem, PlanDataError
from edupolicy.i18n import Message, _
from edupolicy.io._problems import closest, did_you_mean, problems
from edupolicy.io.convert import get_converter, reading_with, unstructure
from edupolicy.plans.change import (
    ITEM_KINDS,
    ITEM_LISTS,
    SELECTORS,
    Change,
    Found,
    change_label,
    change_problems,
)
from edupolicy.plans.plan import Extensions, Plan

__all__ = ["SELECTORS", "Change", "apply_changes", "apply_to_plans", "read_under"]


def _qualified(name: str, value: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The lists a selector searches, and the id, with an ``aid:``/``teachers:`` prefix."""
    lists = ITEM_LISTS[name]
    prefix, sep, rest = value.partition(":")
    if sep and len(lists) > 1 and prefix in ("aid", "teachers"):
        return tuple(where for where in lists if where[0] == prefix), rest
    return lists, value


def _walk(data: Any, dotted: str) -> Any:
    """The value at ``dotted`` (``teachers.continuity``) in ``data``, or :data:`MISSING`."""
    value = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def _find(data: dict[str, Any], change: Change) -> list[tuple[list[Any], int]] | None:
    """Where ``change``'s item is: ``(list, index)`` pairs (``index`` -1: a table).

    ``None`` when the change's id names items of both kinds of rule or group.
    """
    chosen = change.selector
    if chosen is None:
        lists = _walk(data, change.add or "")
        return [(lists, len(lists))] if isinstance(lists, list) else []
    name, value = chosen
    if name == "table":
        table = _walk(data, value)
        return [([table], 0)] if isinstance(table, dict) and value else []
    places, wanted = _qualified(name, value)
    hits: list[tuple[list[Any], int]] = []
    for section, key in places:
        items = _walk(data, f"{section}.{key}")
        if isinstance(items, list):
            hits.extend(
                (items, i)
                for i, item in enumerate(items)
                if isinstance(item, dict) and item.get("id") == wanted
            )
    if len({id(items) for items, _i in hits}) > 1:
        return None
    return hits


def _nearest_path(data: object, dotted: str, *, lists: bool) -> str | None:
    """The path nearest to ``dotted`` in ``data``: its first step that is not there
    replaced by the nearest key of its table (a table, or, ``lists``, a list last)."""
    steps = dotted.split(".")
    holder = data
    for depth, step in enumerate(steps):
        if not isinstance(holder, dict):
            return None
        if step not in holder:
            last = depth == len(steps) - 1
            kind = list if lists and last else dict
            keys = [key for key, value in holder.items() if isinstance(value, kind)]
            close = closest(step, keys)
            if close is None:
                return None
            return ".".join([*steps[:depth], close, *steps[depth + 1 :]])
        holder = holder[step]
    return None


def _meant(data: dict[str, Any], change: Change) -> str | None:
    """What ``change`` may have meant in ``data``: the nearest id of its kind of item, or
    the path of the plan's table or list nearest to the one it names."""
    chosen = change.selector
    if chosen is None or chosen[0] == "table":
        given = change.add if chosen is None else chosen[1]
        return _nearest_path(data, given or "", lists=chosen is None)
    name, value = chosen
    places, wanted = _qualified(name, value)
    ids = [
        item["id"]
        for section, key in places
        if isinstance(items := _walk(data, f"{section}.{key}"), list)
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]
    return closest(wanted, ids)


def _ambiguous(name: str, value: str) -> Message:
    return _(
        "both an aid and a teacher-incentive {what} have the id {id}; write aid:{id} or "
        "teachers:{id}",
        what=ITEM_KINDS[name],
        id=value,
    )


def _missing(change: Change, plan: str) -> Message:
    chosen = change.selector
    if chosen is None:
        return _("plan {plan} has no list {path}", plan=plan, path=change.add)
    name, value = chosen
    if name == "table":
        return _("plan {plan} has no table {path}", plan=plan, path=value)
    return _("no {what} has the id {id} in plan {plan}", what=ITEM_KINDS[name], id=value, plan=plan)


def _missing_in_region(change: Change, region: str) -> Message:
    chosen = change.selector
    if chosen is None:
        return _("no plan of region {region} has a list {path}", region=region, path=change.add)
    name, value = chosen
    if name == "table":
        return _("no plan of region {region} has a table {path}", region=region, path=value)
    return _(
        "no plan of region {region} has a {what} with the id {id}",
        region=region,
        what=ITEM_KINDS[name],
        id=value,
    )


def applies_to(data: dict[str, Any], change: Change) -> bool:
    """Whether the plan data ``data`` has the item ``change`` names (or an ambiguous id)."""
    return _find(data, change) != []


def _selector_path(change: Change) -> str:
    chosen = change.selector
    return f".{chosen[0]}" if chosen is not None else ".add"


def _selector_value(change: Change) -> object:
    chosen = change.selector
    return chosen[1] if chosen is not None else change.add


@attrs.define
class _Touched:
    """What one change wrote: the object holding it, and the change's path for it."""

    target: object
    key: str | None
    path: str


def _apply_one(
    data: dict[str, Any], where: str, change: Change, plan: str
) -> tuple[list[_Touched], list[Found]]:
    hits = _find(data, change)
    if hits is None:
        chosen = change.selector
        assert chosen is not None
        return [], [(where + _selector_path(change), chosen[1], _ambiguous(*chosen))]
    if not hits:
        given = _selector_value(change)
        message = did_you_mean(_missing(change, plan), _meant(data, change))
        return [], [(where + _selector_path(change), given, message)]
    touched: list[_Touched] = []
    if change.add is not None:
        item = copy.deepcopy(dict(change.item or {}))
        hits[0][0].append(item)
        return [_Touched(item, None, f"{where}.item")], []
    if change.remove:
        for items, position in sorted(hits, key=lambda hit: -hit[1]):
            if change.table is not None:
                parent, _dot, last = change.table.rpartition(".")
                holder = _walk(data, parent) if parent else data
                del holder[last]
            else:
                del items[position]
        return [], []
    found: list[Found] = []
    for items, position in hits:
        item = items[position]
        for key, value in (change.set or {}).items():
            *parents, last = key.split(".")
            holder = item
            for depth, part in enumerate(parents):
                holder = holder.get(part, MISSING) if isinstance(holder, dict) else MISSING
                if not isinstance(holder, dict):
                    path = ".".join(parents[: depth + 1])
                    message = did_you_mean(
                        _("the item has no table {path}", path=path),
                        _nearest_path(item, path, lists=False),
                    )
                    found.append((f'{where}.set."{key}"', value, message))
                    break
            else:
                holder[last] = copy.deepcopy(value)
                touched.append(_Touched(holder, last, f'{where}.set."{key}"'))
    return touched, found


def _paths(data: object) -> dict[int, str]:
    """The JSON path of every table in ``data``, by the table's identity."""
    found: dict[int, str] = {}
    stack: list[tuple[object, str]] = [(data, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            found[id(value)] = path
            stack.extend((child, f"{path}.{key}") for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(value))
    return found


def _rerooted(problem: FieldProblem, where: dict[str, str]) -> FieldProblem:
    """``problem`` named by the change that wrote its field, if one did."""
    for written, change_path in sorted(where.items(), key=lambda kv: -len(kv[0])):
        if problem.path == written or problem.path.startswith((written + ".", written + "[")):
            return FieldProblem(
                change_path + problem.path[len(written) :], problem.value, problem.message
            )
    return problem


def _apply(
    plan: Plan,
    changes: Iterable[tuple[str, Change]],
    locale: str | None,
    heading: Message | None = None,
) -> Plan:
    """``plan`` with ``changes`` applied, each named in problems by its path."""
    if heading is None:
        heading = _("Cannot apply the changes to plan {plan}", plan=plan.id)
    changed = _apply_data(unstructure(plan), plan.id, changes, locale, heading, plan.extensions)
    if plan.built_on is not None:
        # Set on the plan just made, as its extensions are: what it was built on is
        # not plan data, and changes nothing that was checked.
        object.__setattr__(changed, "built_on", plan.built_on)
    return changed


def _apply_data(
    data: dict[str, Any],
    plan_id: str,
    changes: Iterable[tuple[str, Change]],
    locale: str | None,
    heading: Message,
    extensions: Extensions,
) -> Plan:
    """The plan of ``data`` (a plan's JSON shape, changed in place) with ``changes``."""
    touched: list[_Touched] = []
    found: list[FieldProblem] = []
    for where, change in changes:
        wrong = change_problems(change)
        if not wrong:
            more, wrong = _apply_one(data, where, change, plan_id)
            touched.extend(more)
            found.extend(FieldProblem(path, value, message) for path, value, message in wrong)
        else:
            found.extend(
                FieldProblem(f"{where}{path}", value, message) for path, value, message in wrong
            )
    if found:
        raise PlanDataError(heading, found, locale=locale)
    try:
        # Read back with the kinds of condition the plan was read with.
        with reading_with(conditions=extensions):
            return get_converter().structure(data, Plan)
    except Exception as exc:
        read = problems(exc, "$", data, raw=True)
    paths = _paths(data)
    written_by: dict[str, str] = {}
    for entry in touched:
        base = paths.get(id(entry.target))
        if base is not None:
            written_by[base if entry.key is None else f"{base}.{entry.key}"] = entry.path
    raise PlanDataError(heading, [_rerooted(p, written_by) for p in read], locale=locale)


def apply_layer(
    data: dict[str, Any],
    changes: Sequence[tuple[str, Change, dict[str, Any]]],
    *,
    plan_id: str,
    layer_id: str,
    extensions: Extensions = (),
    locale: str | None = None,
) -> Plan:
    """The plan of ``data`` (a parent's plan in its JSON shape, made the district's) with
    the district's ``changes``, each ``(path, change, source)``, read with the kinds of
    condition ``extensions``.

    An item a change sets takes the change's ``source`` (the district's words) before
    the change's own fields are set; an item a change adds keeps its own source, if it
    has one, else takes the change's, stamped with the district's plan and document.
    """
    sourced: list[tuple[str, Change]] = []
    for where, change, source in changes:
        if change.set is not None:
            change = attrs.evolve(change, set={"source": source, **change.set})
        elif change.add is not None and change.item is not None:
            item = dict(change.item)
            own = item.get("source")
            if isinstance(own, Mapping):
                item["source"] = {
                    **own,
                    **{key: source[key] for key in ("plan", "document") if key in source},
                }
            else:
                item["source"] = source
            change = attrs.evolve(change, item=item)
        sourced.append((where, change))
    heading = _("Plan {plan} cannot build on plan {parent}", plan=layer_id, parent=plan_id)
    return _apply_data(data, plan_id, sourced, locale, heading, extensions)


def apply_changes(plan: Plan, changes: Sequence[Change], *, locale: str | None = None) -> Plan:
    """A new plan: ``plan`` with ``changes`` applied in order; ``plan`` is untouched.

    The result is read back with the converter, so every load-time check runs again.
    A problem raises :class:`~edupolicy.errors.PlanDataError`, each bad field named by
    the change's position (``changes[0].rule``, ``changes[0].set."benefit.amount"``).
    """
    listed = _as_changes(changes, locale)
    return _apply(
        plan, ((change_label(i, change), change) for i, change in enumerate(listed)), locale
    )


def _as_changes(changes: object, locale: str | None) -> list[Change]:
    if isinstance(changes, (str, bytes, Mapping)) or not isinstance(changes, Iterable):
        raise PlanDataError(
            _("Invalid changes"),
            [FieldProblem("changes", changes, _("must be a list of changes"))],
            locale=locale,
        )
    listed = list(changes)
    wrong = [
        FieldProblem(f"changes[{i}]", change, _("must be a Change"))
        for i, change in enumerate(listed)
        if not isinstance(change, Change)
    ]
    if wrong:
        raise PlanDataError(_("Invalid changes"), wrong, locale=locale)
    return listed


def apply_to_plans(
    plans: Sequence[Plan], changes: Sequence[Change], *, region: str, locale: str | None = None
) -> tuple[tuple[Plan, ...], tuple[Change, ...]]:
    """``plans`` with ``changes`` applied, each change to every plan that has its item,
    and the changes, checked.  A change whose item no plan has is an error.
    """
    listed = _as_changes(changes, locale)
    found: list[FieldProblem] = []
    for index, change in enumerate(listed):
        wrong = change_problems(change)
        found.extend(FieldProblem(f"{change_label(index, change)}{p}", v, m) for p, v, m in wrong)
    if found:
        raise PlanDataError(_("Invalid changes"), found, locale=locale)
    datas = [unstructure(plan) for plan in plans]
    chosen: list[list[tuple[str, Change]]] = [[] for _plan in plans]
    for index, change in enumerate(listed):
        hit = False
        for position, data in enumerate(datas):
            if applies_to(data, change):
                chosen[position].append((change_label(index, change), change))
                hit = True
        if not hit:
            # Every change is checked before any problem is raised: all are named at once.
            found.append(
                FieldProblem(
                    f"{change_label(index, change)}{_selector_path(change)}",
                    _selector_value(change),
                    _missing_in_region(change, region),
                )
            )
    changed: list[Plan] = []
    for plan, picked in zip(plans, chosen, strict=True):
        try:
            changed.append(_apply(plan, picked, locale) if picked else plan)
        except PlanDataError as exc:
            found.extend(problem for problem in exc.problems if problem not in found)
    if found:
        raise PlanDataError(
            _("Cannot apply the changes to region {region}", region=region), found, locale=locale
        )
    return tuple(changed), tuple(listed)


def read_under(plan: Plan, chosen: Mapping[str, str], *, locale: str | None = None) -> Plan:
    """``plan`` read under the readings ``chosen`` (reading id → choice id).

    A reading that ``chosen`` does not name keeps its default; an id the plan does not
    offer is ignored (another plan of the region may offer it).  The changes of every
    choice other than the default are applied in the order of the plan's readings; a
    problem is named by its path in the plan (``readings[0].choices[1].changes[0]``).
    A choice the reading does not offer raises :class:`~edupolicy.errors.PlanDataError`.
    """
    picked: list[tuple[str, Change]] = []
    for index, reading in enumerate(plan.readings):
        choice_id = chosen.get(reading.id, reading.default)
        if choice_id not in reading.choice_ids:
            raise PlanDataError(
                _("Plan {plan} has no such reading", plan=plan.id),
                [
                    FieldProblem(
                        f"readings.{reading.id}",
                        choice_id,
                        _(
                            "no such choice; choices: {choices}",
                            choices=", ".join(reading.choice_ids),
                        ),
                    )
                ],
                locale=locale,
            )
        position = reading.choice_ids.index(choice_id)
        picked.extend(
            (f"readings[{index}].choices[{position}].changes[{k}]", change)
            for k, change in enumerate(reading.choices[position].changes)
        )
    if not picked:
        return plan
    heading = _("Cannot read plan {plan} under the readings chosen", plan=plan.id)
    return _apply(plan, picked, locale, heading)
