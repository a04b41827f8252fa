"""A change table: one what-if change as policy staff write it, checked as it is read.

The same table is a ``[[change]]`` of a change file (:mod:`edupolicy.io.changefiles`),
a change of a reading's choice in plan data, and a change of a layered plan's
``[[changes]]`` (:mod:`edupolicy.io.plan_hooks`): each is read here, every problem named
by its path.
"""

from __future__ import annotations

import attrs

from edupolicy.errors import MISSING
from edupolicy.i18n import _
from edupolicy.io._problems import unknown_field
from edupolicy.plans.change import SELECTORS, Change, Found, change_problems

__all__ = ["read_change"]

_STRINGS = (*SELECTORS, "reason", "add")


def read_change(raw: object) -> tuple[Change | None, list[Found]]:
    """A change from its TOML or JSON table, and what is wrong with it (paths relative)."""
    if not isinstance(raw, dict):
        return None, [("", raw, _("must be a table"))]
    found: list[Found] = []
    known = {f.name for f in attrs.fields(Change) if f.metadata.get("json") is not False}
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
