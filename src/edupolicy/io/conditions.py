"""Conditions at the JSON boundary: read as a plan file states them, and written back.

A condition is a table with exactly one key: ``all`` and ``any`` (a non-empty list of
conditions), ``not`` (a condition), or the key of a leaf over the subject
(:data:`AID_LEAVES`, :data:`TEACHER_LEAVES`, and the kinds of condition a plugin adds),
whose value is the leaf's attribute (``{stage = [...]}``) or the leaf's own fields
(``{year = {min = 1}}``), as :data:`LEAF_KEYS` says.  The JSON Schema of conditions
(:mod:`edupolicy.io.recordschema`) is made from the same tables.

Also here: what the plan being read adds to the vocabulary (its household statuses,
its plugin's kinds of condition), set only while one call reads data
(:func:`reading_with`).
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

import attrs
import cattrs

from edupolicy.aid import (
    BoardingIs,
    DisabledIs,
    Household,
    HouseholdAny,
    HouseholdStatus,
    OrphanIs,
    PlanStatus,
    SchoolAreaIs,
    Stage,
    StageIn,
    YearIn,
)
from edupolicy.errors import InvalidDataError
from edupolicy.i18n import _
from edupolicy.io._problems import Bad, bad, relative
from edupolicy.io.scalars import structure_bool
from edupolicy.rules import All, ExtensionCondition, Not
from edupolicy.rules import Any as AnyOf
from edupolicy.teachers import (
    ContinuousRuralYears,
    MeetsTitleCriteria,
    OutstandingIs,
    PostedIn,
    Title,
    TitleIn,
    TotalRuralYears,
)
from edupolicy.values import SchoolArea

__all__ = [
    "AID_LEAVES",
    "CORE_CONDITION_KEYS",
    "LEAF_KEYS",
    "TEACHER_LEAVES",
    "Extensions",
    "condition_hook",
    "extensions",
    "reading_with",
    "structure_status",
    "unstructure_condition",
]

# --- what the plan being read adds to the vocabulary ------------------------------------

#: The kinds of condition a plugin adds (:class:`~edupolicy.rules.ExtensionCondition`
#: subclasses), as a plan remembers them.
Extensions = tuple[type[ExtensionCondition[Any]], ...]

# Set only while one call structures data (``reading_with``), never otherwise: the
# household statuses the plan being read (or in force for a record) declares, by id,
# and the kinds of condition its region's plugin provides.  A value per context, so
# threads and tasks reading different plans at once do not see each other's.
_STATUSES: ContextVar[Mapping[str, PlanStatus]] = ContextVar(
    "edupolicy_plan_statuses", default=MappingProxyType({})
)
_EXTENSIONS: ContextVar[Extensions] = ContextVar("edupolicy_plan_extensions", default=())


@contextlib.contextmanager
def reading_with(
    *, statuses: Iterable[PlanStatus] | None = None, conditions: Iterable[type] | None = None
) -> Iterator[None]:
    """Within the block, the converter accepts ``statuses`` (a plan's declared household
    statuses) and the keys of ``conditions`` (a plugin's kinds of condition).

    ``None`` keeps what an enclosing block set.
    """
    status_token = None
    if statuses is not None:
        status_token = _STATUSES.set(MappingProxyType({s.id: s for s in statuses}))
    kinds_token = None
    if conditions is not None:
        kinds_token = _EXTENSIONS.set(tuple(c for c in conditions if _is_extension(c)))
    try:
        yield
    finally:
        if kinds_token is not None:
            _EXTENSIONS.reset(kinds_token)
        if status_token is not None:
            _STATUSES.reset(status_token)


def _is_extension(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, ExtensionCondition)


_CORE_STATUSES: Mapping[str, Household] = {member.value: member for member in Household}


def structure_status(value: object, _type: object) -> HouseholdStatus:
    """A household status: one of the core's, or one the plan being read declares."""
    declared = _STATUSES.get()
    if isinstance(value, str):
        found: HouseholdStatus | None = _CORE_STATUSES.get(value) or declared.get(value)
        if found is not None:
            return found
    allowed = ", ".join([*_CORE_STATUSES, *declared])
    raise bad(value, _("must be one of: {allowed}", allowed=allowed))


# --- conditions -------------------------------------------------------------------------

#: Builds a leaf condition from the value of its key.
_Leaf = Callable[[cattrs.Converter, object], Any]


def _one(build: Callable[[Any], Any], read: Callable[[cattrs.Converter, object], Any]) -> _Leaf:
    """A leaf read from a single value: a validator's complaint is about that value."""

    def leaf(converter: cattrs.Converter, raw: object) -> Any:
        value = read(converter, raw)
        try:
            return build(value)
        except InvalidDataError as exc:
            raise Bad([("", raw, p.message) for p in exc.problems]) from None

    return leaf


def _of(type_: Any) -> Callable[[cattrs.Converter, object], Any]:
    return lambda converter, raw: converter.structure(raw, type_)


def _flag(_converter: cattrs.Converter, raw: object) -> bool:
    return structure_bool(raw)


AID_LEAVES: Mapping[str, _Leaf] = {
    "stage": _one(StageIn, _of(frozenset[Stage])),
    "year": _of(YearIn),
    "school_area": _one(SchoolAreaIs, _of(SchoolArea)),
    "boarding": _one(BoardingIs, _flag),
    "household": _one(HouseholdAny, _of(frozenset[HouseholdStatus])),
    "orphan": _one(OrphanIs, _flag),
    "disabled": _one(DisabledIs, _flag),
}

TEACHER_LEAVES: Mapping[str, _Leaf] = {
    "continuous_rural_years": _of(ContinuousRuralYears),
    "total_rural_years": _of(TotalRuralYears),
    "title": _one(TitleIn, _of(frozenset[Title])),
    "meets_title_criteria": _one(MeetsTitleCriteria, _flag),
    "outstanding": _one(OutstandingIs, _flag),
    "school_area": _one(PostedIn, _of(SchoolArea)),
}


#: The key of each leaf condition in a plan file, and the attribute that holds its value
#: (``None``: the leaf's own fields, ``{"min": 15}``).
#: The keys of the core's conditions in plan files, combinators included: a plugin's
#: kind of condition may not take one.
CORE_CONDITION_KEYS: frozenset[str] = frozenset({"all", "any", "not", *AID_LEAVES, *TEACHER_LEAVES})

LEAF_KEYS: Mapping[type, tuple[str, str | None]] = {
    StageIn: ("stage", "stages"),
    YearIn: ("year", None),
    SchoolAreaIs: ("school_area", "area"),
    BoardingIs: ("boarding", "value"),
    HouseholdAny: ("household", "statuses"),
    OrphanIs: ("orphan", "value"),
    DisabledIs: ("disabled", "value"),
    ContinuousRuralYears: ("continuous_rural_years", None),
    TotalRuralYears: ("total_rural_years", None),
    TitleIn: ("title", "titles"),
    MeetsTitleCriteria: ("meets_title_criteria", "value"),
    OutstandingIs: ("outstanding", "value"),
    PostedIn: ("school_area", "area"),
}


def unstructure_condition(converter: cattrs.Converter) -> Callable[[Any], Any]:
    """Write a condition as its one-key table, as a plan file states it."""

    def plain(value: object) -> Any:
        if isinstance(value, (frozenset, set)):
            return sorted(plain(item) for item in value)
        if isinstance(value, (enum.Enum, PlanStatus)):
            return value.value
        return converter.unstructure(value)

    def unstructure(condition: Any) -> Any:
        if isinstance(condition, (All, AnyOf)):
            key = "all" if isinstance(condition, All) else "any"
            return {key: [unstructure(part) for part in condition.conditions]}
        if isinstance(condition, Not):
            return {"not": unstructure(condition.condition)}
        if isinstance(condition, ExtensionCondition):
            return {type(condition).key: condition.to_value()}
        found = LEAF_KEYS.get(type(condition))
        if found is None:
            return converter.unstructure(condition)
        key, attribute = found
        if attribute is None:
            fields = {
                field.name: plain(getattr(condition, field.name))
                for field in attrs.fields(type(condition))
            }
            return {key: {name: value for name, value in fields.items() if value is not None}}
        return {key: plain(getattr(condition, attribute))}

    return unstructure


def _extension_leaf(kind: type[ExtensionCondition[Any]]) -> _Leaf:
    """A plugin's kind of condition, read by its own ``from_value``."""

    def leaf(_converter: cattrs.Converter, raw: object) -> Any:
        condition = kind.from_value(raw)
        if not isinstance(condition, kind):
            raise bad(raw, _("invalid value"))
        return condition

    return leaf


def condition_hook(
    converter: cattrs.Converter, type_: Any, core: Mapping[str, _Leaf], base: type
) -> Callable[[object, object], Any]:
    """Read a condition: a table with exactly one key, a combinator or a leaf.

    The leaves are the core's and the plugin's kinds of condition over the subject
    (subclasses of ``base``) that the plan being read was given.
    """

    def build(key: str, raw: object, leaves: Mapping[str, _Leaf]) -> Any:
        if key in ("all", "any"):
            parts = converter.structure(raw, tuple[type_, ...])
            if not parts:
                raise bad(raw, _("must list at least one condition"))
            return All(parts) if key == "all" else AnyOf(parts)
        if key == "not":
            return Not(converter.structure(raw, type_))
        return leaves[key](converter, raw)

    def structure(value: object, _type: object) -> Any:
        leaves = dict(core)
        for kind in _EXTENSIONS.get():
            if issubclass(kind, base):
                leaves.setdefault(kind.key, _extension_leaf(kind))
        keys = ", ".join(["all", "any", "not", *leaves])
        if not isinstance(value, Mapping) or len(value) != 1:
            raise bad(
                value,
                _("a condition is a table with exactly one of the keys: {keys}", keys=keys),
            )
        ((key, raw),) = value.items()
        if key not in leaves and key not in ("all", "any", "not"):
            raise bad(
                {key: raw},
                _("unknown condition {key}; known conditions: {keys}", key=key, keys=keys),
            )
        try:
            return build(key, raw, leaves)
        except Exception as exc:
            raise Bad([(f".{key}{sub}", v, m) for sub, v, m in relative(exc, raw)]) from None

    return structure


def extensions() -> Extensions:
    """The kinds of condition of the plan being read (:func:`reading_with`)."""
    return _EXTENSIONS.get()
