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
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from edupolicy.errors import MISSING, FieldProblem, PlanDataError
from edupolicy.i18n import Message, _
from edupolicy.plans._errors import problems
from edupolicy.plans.convert import CONVERTER, unstructure
from edupolicy.plans.plan import Plan

__all__ = ["SELECTORS", "Change", "apply_changes", "apply_to_plans", "read_changes"]

#: The selectors of a change, each naming one kind of item, and where such items live.
_LISTS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "rule": (("aid", "rules"), ("teachers", "rules")),
    "group": (("aid", "groups"), ("teachers", "groups")),
    "target": (("goals", "targets"),),
    "indicator": (("goals", "indicators"),),
    "quota": (("teachers", "quotas"),),
    "share": (("teachers", "shares"),),
}
SELECTORS: tuple[str, ...] = (*_LISTS, "table")
_ACTIONS = ("set", "remove", "add")

#: What each selector names, in messages.
_KINDS: Mapping[str, Message] = {
    "rule": _("rule"),
    "group": _("group"),
    "target": _("target"),
    "indicator": _("indicator"),
    "quota": _("quota"),
    "share": _("share"),
}


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    return None if value is None else MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Change:
    """One change to a plan: one selector, one action, and the reason for it.

    The selector is one of ``rule``, ``group``, ``target``, ``indicator``, ``quota``,
    ``share`` (an id; ``"aid:ID"`` or ``"teachers:ID"`` where a rule or group id is
    both an aid and a teacher-incentive one) or ``table`` (the dotted path of a table,
    ``"teachers.continuity"``).  The action is ``set`` (dotted field paths within the
    item and their new values, in their JSON or TOML form), ``remove=True``, or
    ``add`` (the dotted path of a list, ``"aid.rules"``, with the new ``item``; an
    ``add`` takes no selector).  A change is checked when it is applied.
    """

    reason: str
    rule: str | None = None
    group: str | None = None
    target: str | None = None
    indicator: str | None = None
    quota: str | None = None
    share: str | None = None
    table: str | None = None
    set: Mapping[str, Any] | None = attrs.field(default=None, converter=_frozen)
    remove: bool = False
    add: str | None = None
    item: Mapping[str, Any] | None = attrs.field(default=None, converter=_frozen)

    @property
    def selector(self) -> tuple[str, str] | None:
        """The selector and its value: ``("rule", "primary-grant-poor")``."""
        for name in SELECTORS:
            value = getattr(self, name)
            if value is not None:
                return name, value
        return None

    def describe(self) -> str:
        """The change in one line: ``rule = "primary-grant-poor"``."""
        chosen = self.selector
        if chosen is not None:
            return f'{chosen[0]} = "{chosen[1]}"'
        return f'add = "{self.add}"'


#: A located problem: a path under the change, the value found, what is wrong.
_Found = tuple[str, object, Message]


def _change_problems(change: Change) -> list[_Found]:
    """What is wrong with ``change`` itself, before any plan is looked at."""
    found: list[_Found] = []
    reason: object = change.reason
    if not isinstance(reason, str) or not reason.strip():
        found.append((".reason", reason, _("a change needs a reason")))
    chosen = [name for name in SELECTORS if getattr(change, name) is not None]
    for name in chosen:
        value: object = getattr(change, name)
        if not isinstance(value, str) or not value.strip():
            found.append((f".{name}", value, _("must be a non-empty string")))
    remove: object = change.remove
    if not isinstance(remove, bool):
        found.append((".remove", remove, _("must be true or false")))
    actions = [
        name
        for name, given in (
            ("set", change.set is not None),
            ("remove", remove is True),
            ("add", change.add is not None),
        )
        if given
    ]
    if len(actions) != 1:
        found.append(
            (
                "",
                actions,
                _("a change has exactly one action: set, remove = true, or add with item"),
            )
        )
    if change.add is not None:
        if chosen:
            found.append(
                (f".{chosen[0]}", getattr(change, chosen[0]), _("an add takes no selector"))
            )
        add: object = change.add
        if not isinstance(add, str) or not add.strip():
            found.append((".add", add, _("must be the dotted path of a list, like aid.rules")))
        if change.item is None:
            found.append((".item", MISSING, _("an add needs the item to add")))
    else:
        if len(chosen) != 1:
            found.append(
                (
                    "",
                    chosen,
                    _(
                        "a change names exactly one of: {selectors}",
                        selectors=", ".join(SELECTORS),
                    ),
                )
            )
        if change.item is not None:
            found.append((".item", dict(change.item), _("only an add takes an item")))
    if change.set is not None:
        if not change.set:
            found.append((".set", {}, _("must set at least one field")))
        for key in change.set:
            given: object = key
            parts = key.split(".") if isinstance(given, str) else []
            if not parts or not all(parts):
                found.append(
                    (f'.set."{key}"', key, _("must be a dotted field path, like benefit.amount"))
                )
    return found


def _qualified(name: str, value: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The lists a selector searches, and the id, with an ``aid:``/``teachers:`` prefix."""
    lists = _LISTS[name]
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


def _ambiguous(name: str, value: str) -> Message:
    return _(
        "both an aid and a teacher-incentive {what} have the id {id}; write aid:{id} or "
        "teachers:{id}",
        what=_KINDS[name],
        id=value,
    )


def _missing(change: Change, plan: str) -> Message:
    chosen = change.selector
    if chosen is None:
        return _("plan {plan} has no list {path}", plan=plan, path=change.add)
    name, value = chosen
    if name == "table":
        return _("plan {plan} has no table {path}", plan=plan, path=value)
    return _("no {what} has the id {id} in plan {plan}", what=_KINDS[name], id=value, plan=plan)


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
        what=_KINDS[name],
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
    data: dict[str, Any], index: int, change: Change, plan: str
) -> tuple[list[_Touched], list[_Found]]:
    where = f"changes[{index}]"
    hits = _find(data, change)
    if hits is None:
        chosen = change.selector
        assert chosen is not None
        return [], [(where + _selector_path(change), chosen[1], _ambiguous(*chosen))]
    if not hits:
        return [], [
            (where + _selector_path(change), _selector_value(change), _missing(change, plan))
        ]
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
    found: list[_Found] = []
    for items, position in hits:
        item = items[position]
        for key, value in (change.set or {}).items():
            *parents, last = key.split(".")
            holder = item
            for depth, part in enumerate(parents):
                holder = holder.get(part, MISSING) if isinstance(holder, dict) else MISSING
                if not isinstance(holder, dict):
                    found.append(
                        (
                            f'{where}.set."{key}"',
                            value,
                            _(
                                "the item has no table {path}",
                                path=".".join(parents[: depth + 1]),
                            ),
                        )
                    )
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


def _apply(plan: Plan, changes: Iterable[tuple[int, Change]], locale: str | None) -> Plan:
    heading = _("Cannot apply the changes to plan {plan}", plan=plan.id)
    data: dict[str, Any] = unstructure(plan)
    touched: list[_Touched] = []
    found: list[FieldProblem] = []
    for index, change in changes:
        wrong = _change_problems(change)
        if not wrong:
            more, wrong = _apply_one(data, index, change, plan.id)
            touched.extend(more)
            found.extend(FieldProblem(path, value, message) for path, value, message in wrong)
        else:
            found.extend(
                FieldProblem(f"changes[{index}]{path}", value, message)
                for path, value, message in wrong
            )
    if found:
        raise PlanDataError(heading, found, locale=locale)
    try:
        return CONVERTER.structure(data, Plan)
    except Exception as exc:
        read = problems(exc, "$", data, raw=True)
    paths = _paths(data)
    where: dict[str, str] = {}
    for entry in touched:
        base = paths.get(id(entry.target))
        if base is not None:
            where[base if entry.key is None else f"{base}.{entry.key}"] = entry.path
    raise PlanDataError(heading, [_rerooted(p, where) for p in read], locale=locale)


def apply_changes(plan: Plan, changes: Sequence[Change], *, locale: str | None = None) -> Plan:
    """A new plan: ``plan`` with ``changes`` applied in order; ``plan`` is untouched.

    The result is read back with the converter, so every load-time check runs again.
    A problem raises :class:`~edupolicy.errors.PlanDataError`, each bad field named by
    the change's position (``changes[0].rule``, ``changes[0].set."benefit.amount"``).
    """
    return _apply(plan, enumerate(_as_changes(changes, locale)), locale)


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


# --- change files -----------------------------------------------------------------------

_STRINGS = (*SELECTORS, "reason", "add")


def _read_table(raw: object) -> tuple[Change | None, list[_Found]]:
    if not isinstance(raw, dict):
        return None, [("", raw, _("must be a table"))]
    found: list[_Found] = []
    known = {field.name for field in attrs.fields(Change)}
    for key in sorted(set(raw) - known):
        found.append((f".{key}", raw[key], _("unknown field")))
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
    return change, _change_problems(change)


def read_changes(path: str | Path, *, locale: str | None = None) -> tuple[Change, ...]:
    """The changes of a change file: TOML, one ``[[change]]`` table per change.

    Every table is checked as it is read; a problem raises
    :class:`~edupolicy.errors.PlanDataError` naming the file and the field.
    """
    source = Path(path)
    heading = _("Change file {file} is not valid", file=source.name)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanDataError(
            _("Cannot read change file {file}", file=source.name),
            [FieldProblem("$", str(source), Message(str(exc.strerror or exc)))],
            locale=locale,
        ) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise PlanDataError(
            heading, [FieldProblem("$", source.name, Message(str(exc)))], locale=locale
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
        change, wrong = _read_table(raw)
        found.extend(FieldProblem(f"$.change[{index}]{p}", v, m) for p, v, m in wrong)
        if change is not None:
            changes.append(change)
    if found:
        raise PlanDataError(heading, found, locale=locale)
    return tuple(changes)


def apply_to_plans(
    plans: Sequence[Plan], changes: Sequence[Change], *, region: str, locale: str | None = None
) -> tuple[tuple[Plan, ...], tuple[Change, ...]]:
    """``plans`` with ``changes`` applied, each change to every plan that has its item,
    and the changes, checked.  A change whose item no plan has is an error.
    """
    listed = _as_changes(changes, locale)
    found: list[FieldProblem] = []
    for index, change in enumerate(listed):
        wrong = _change_problems(change)
        found.extend(FieldProblem(f"changes[{index}]{p}", v, m) for p, v, m in wrong)
    if found:
        raise PlanDataError(_("Invalid changes"), found, locale=locale)
    datas = [unstructure(plan) for plan in plans]
    chosen: list[list[tuple[int, Change]]] = [[] for _plan in plans]
    for index, change in enumerate(listed):
        hit = False
        for position, data in enumerate(datas):
            if applies_to(data, change):
                chosen[position].append((index, change))
                hit = True
        if not hit:
            where = _selector_path(change)
            raise PlanDataError(
                _("Cannot apply the changes to region {region}", region=region),
                [
                    FieldProblem(
                        f"changes[{index}]{where}",
                        _selector_value(change),
                        _missing_in_region(change, region),
                    )
                ],
                locale=locale,
            )
    changed = tuple(
        _apply(plan, picked, locale) if picked else plan
        for plan, picked in zip(plans, chosen, strict=True)
    )
    return changed, tuple(listed)
