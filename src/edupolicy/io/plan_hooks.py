"""The hooks of what a plan holds beyond plain fields: a change (a reading's choice), a
change a district makes to what it inherits, with its source, and a plan or a district's
layer, read with the household statuses it declares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from edupolicy.aid import PlanStatus
from edupolicy.errors import MISSING
from edupolicy.i18n import Message, _
from edupolicy.io._problems import Bad, relative, unknown_field
from edupolicy.io.changetables import read_change
from edupolicy.io.conditions import extensions, reading_with
from edupolicy.io.hook_factories import on_first_use, origin
from edupolicy.io.scalars import mapping
from edupolicy.plans.change import Change
from edupolicy.plans.layer import LayerChange
from edupolicy.rules import Source

__all__ = ["layer_change_hook", "plan_hook", "structure_change", "unstructure_change"]

T = TypeVar("T")


def structure_change(value: object, _type: object) -> Change:
    """A change in plan data (a reading's choice): the same table a change file holds."""
    change, found = read_change(value)
    if found or change is None:
        raise Bad(found)
    return change


def unstructure_change(change: Change) -> dict[str, Any]:
    """A change as its table: only the fields it gives."""
    data: dict[str, Any] = {"reason": change.reason}
    selector = change.selector
    if selector is not None:
        data[selector[0]] = selector[1]
    if change.set is not None:
        data["set"] = dict(change.set)
    if change.remove:
        data["remove"] = True
    if change.add is not None:
        data["add"] = change.add
    if change.item is not None:
        data["item"] = dict(change.item)
    return data


def layer_change_hook(converter: cattrs.Converter) -> Callable[[object, object], LayerChange]:
    """A change a district makes to what it inherits: a change table with its ``source``."""

    def structure(value: object, _type: object) -> LayerChange:
        data = mapping(value)
        found: list[tuple[str, object, Message]] = []
        source: Source | None = None
        if "source" not in data:
            found.append(
                (
                    ".source",
                    MISSING,
                    _("a change to what a plan inherits cites the plan's own words: its source"),
                )
            )
        else:
            try:
                source = converter.structure(data["source"], Source)
            except Exception as exc:
                found.extend(
                    (f".source{path}", shown, message)
                    for path, shown, message in relative(exc, data["source"])
                )
        change, wrong = read_change({key: item for key, item in data.items() if key != "source"})
        found.extend(wrong)
        if found or change is None or source is None:
            raise Bad(found)
        return LayerChange(change=change, source=source)

    return structure


def plan_hook(converter: cattrs.Converter, type_: type[T]) -> Callable[[object, object], T]:
    """Read a plan (or a district's layer): its declared household statuses first, so
    that its conditions and provisions may name them; the plan remembers the kinds of
    condition it was read with."""
    # What a plan was read with and what it was built on are not plan data.
    hidden = [f.name for f in attrs.fields(origin(type_)) if f.metadata.get("json") is False]
    omitted: dict[str, Any] = {name: override(omit=True) for name in hidden}
    fields = on_first_use(
        lambda: make_dict_structure_fn(type_, converter, _cattrs_forbid_extra_keys=True, **omitted)
    )

    def structure(value: object, _type: object) -> T:
        data = mapping(value)
        for name in hidden:
            if name in data:
                raise Bad([(f".{name}", data[name], unknown_field(name, []))])
        try:
            declared = converter.structure(
                data.get("household_statuses", ()), tuple[PlanStatus, ...]
            )
        except Exception:
            declared = ()  # reported, by path, when the plan's fields are read
        kinds = extensions()
        with reading_with(statuses=declared):
            found = fields(data, type_)
        if kinds:
            # Set on the object just made, before anyone else sees it: what it was
            # read with is not plan data, and changes nothing that was checked.
            object.__setattr__(found, "extensions", kinds)
        return found

    return structure
