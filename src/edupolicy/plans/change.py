"""A what-if change: one item of a plan, what to do with it, and why.

A :class:`Change` is data: it is checked on its own here (:func:`change_problems`)
and applied to a plan by :mod:`edupolicy.analysis.whatif`.  Plans hold changes too, in
the choices of their readings (:mod:`edupolicy.plans.reading`), so this module sits
below the plan.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from edupolicy.errors import MISSING
from edupolicy.i18n import Message, _

__all__ = [
    "ITEM_KINDS",
    "ITEM_LISTS",
    "SELECTORS",
    "Change",
    "Found",
    "change_label",
    "change_problems",
]

#: The selectors of a change, each naming one kind of item, and the lists (section,
#: key) of a plan's JSON shape where such items live.
ITEM_LISTS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "rule": (("aid", "rules"), ("teachers", "rules")),
    "group": (("aid", "groups"), ("teachers", "groups")),
    "target": (("goals", "targets"),),
    "indicator": (("goals", "indicators"),),
    "fact": (("goals", "facts"),),
    "provision": (("aid", "equal_treatment"),),
    "quota": (("teachers", "quotas"),),
    "share": (("teachers", "shares"),),
}
SELECTORS: tuple[str, ...] = (*ITEM_LISTS, "table")

#: What each selector names, in messages.
ITEM_KINDS: Mapping[str, Message] = {
    "rule": _("rule"),
    "group": _("group"),
    "target": _("target"),
    "indicator": _("indicator"),
    "fact": _("fact"),
    "provision": _("equal-treatment provision"),
    "quota": _("quota"),
    "share": _("share"),
}


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    return None if value is None else MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Change:
    """One change to a plan: one selector, one action, and the reason for it.

    The selector is one of ``rule``, ``group``, ``target``, ``indicator``, ``fact``,
    ``provision`` (of equal treatment), ``quota``, ``share`` (an id; ``"aid:ID"`` or
    ``"teachers:ID"`` where a rule or group id is both an aid and a teacher-incentive
    one) or ``table`` (the dotted path of a table, ``"teachers.continuity"``).  The
    action is ``set`` (dotted field paths within the item and their new values, in
    their JSON or TOML form), ``remove=True``, or ``add`` (the dotted path of a list,
    ``"aid.rules"``, with the new ``item``; an ``add`` takes no selector).  A change is
    checked when it is applied.
    """

    reason: str
    rule: str | None = None
    group: str | None = None
    target: str | None = None
    indicator: str | None = None
    fact: str | None = None
    provision: str | None = None
    quota: str | None = None
    share: str | None = None
    table: str | None = None
    set: Mapping[str, Any] | None = attrs.field(default=None, converter=_frozen, hash=False)
    remove: bool = False
    add: str | None = None
    item: Mapping[str, Any] | None = attrs.field(default=None, converter=_frozen, hash=False)
    #: Where the change is written, ``FILE:LINE`` (set by the reader of change files):
    #: problems of the change name it.  Not part of the change's value.
    origin: str | None = attrs.field(default=None, eq=False, hash=False, repr=False)
    #: The change's place among the tables of its file (set by the reader of change
    #: files, with ``origin``): problems of the change name it by that place, even when
    #: tables before it could not be read.  Not part of the change's value.
    position: int | None = attrs.field(
        default=None, eq=False, hash=False, repr=False, metadata={"json": False}
    )

    @property
    def selector(self) -> tuple[str, str] | None:
        """The selector and its value: ``("rule", "primary-grant-poor")``."""
        for name in SELECTORS:
            value = getattr(self, name)
            if value is not None:
                return name, value
        return None

    def __reduce__(self) -> tuple[Any, ...]:
        # A change pickles (a policy shipped to other processes carries its changes);
        # its read-only mappings do not, so it is made again from its fields.
        fields = {a.name: getattr(self, a.name) for a in attrs.fields(Change)}
        fields.update(
            (name, dict(value)) for name in ("set", "item") if (value := fields[name]) is not None
        )
        return (_change_from_fields, (fields,))

    def describe(self) -> str:
        """The change in one line: ``rule = "primary-grant-poor"``."""
        chosen = self.selector
        if chosen is not None:
            return f'{chosen[0]} = "{chosen[1]}"'
        return f'add = "{self.add}"'

    def describe_action(self) -> str:
        """What the change does, as its file writes it: ``set benefit.amount = "600.00"``,
        ``remove = true`` or ``item.id = "new-grant"`` (the item an ``add`` adds)."""
        if self.set is not None:
            return "; ".join(f"set {key} = {_toml_text(value)}" for key, value in self.set.items())
        if self.remove:
            return "remove = true"
        if self.item is not None and "id" in self.item:
            return f"item.id = {_toml_text(self.item['id'])}"
        return ""

    def describe_in_full(self) -> str:
        """What the change selects and does: ``rule = "x": set benefit.amount = "600.00"``,
        as reports and tables name it."""
        action = self.describe_action()
        return f"{self.describe()}: {action}" if action else self.describe()


def _toml_text(value: object) -> str:
    """A value of a change as its file writes it: text quoted, the rest as JSON writes it."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    except ValueError:  # a value nested too deeply, or a circular one
        return "{…}"


def change_label(index: int, change: Change) -> str:
    """How problems name ``change``, at ``index`` in the changes applied: ``changes[2]``;
    by its place in its file, after ``FILE:LINE``, when it was read from a file."""
    at = index if change.position is None else change.position
    return f"{change.origin}: changes[{at}]" if change.origin else f"changes[{at}]"


def _change_from_fields(fields: dict[str, Any]) -> Change:
    return Change(**fields)


#: A located problem: a path under the change, the value found, what is wrong.
Found = tuple[str, object, Message]


def change_problems(change: Change) -> list[Found]:
    """What is wrong with ``change`` itself, before any plan is looked at."""
    found: list[Found] = []
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
