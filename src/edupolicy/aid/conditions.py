"""The leaf conditions of aid rules: what they can ask of a student record.

They join through the engine's :class:`~edupolicy.rules.All`,
:class:`~edupolicy.rules.Any` and :class:`~edupolicy.rules.Not`.  Plan files state a
condition as a table with exactly one key (``{stage = ["primary"]}``,
``{all = [...]}``).
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from edupolicy.aid.records import HouseholdStatus, Stage, Student, sorted_statuses
from edupolicy.errors import field_check
from edupolicy.i18n import Message, Renderable, _
from edupolicy.rules import (
    AT_LEAST_ONE,
    NOT_BELOW_MIN,
    Condition,
    ExtensionCondition,
    Leaf,
    join_or,
)
from edupolicy.values import SchoolArea

__all__ = [
    "AidCondition",
    "AidExtension",
    "BoardingIs",
    "DisabledIs",
    "HouseholdAny",
    "OrphanIs",
    "SchoolAreaIs",
    "StageIn",
    "YearIn",
]


@attrs.frozen
class StageIn(Leaf[Student]):
    """The student is in one of ``stages``."""

    stages: frozenset[Stage] = attrs.field(
        metadata={"json": {"min_items": 1}},
        validator=field_check(
            lambda _self, v: bool(v), lambda *_args: _("must list at least one stage")
        ),
    )

    def holds(self, student: Student, /) -> bool:
        return student.stage in self.stages

    def describe(self) -> Message:
        return _(
            "stage is {stages}", stages=join_or([s.label for s in _sorted_stages(self.stages)])
        )

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _(
            "stage is {actual}, not {expected}",
            actual=student.stage.label,
            expected=join_or([s.label for s in _sorted_stages(self.stages)]),
        )


def _sorted_stages(stages: frozenset[Stage]) -> list[Stage]:
    order = list(Stage)
    return sorted(stages, key=order.index)


@attrs.frozen
class YearIn(Leaf[Student]):
    """The student's year within the stage is between ``min`` and ``max`` (inclusive)."""

    min: int = attrs.field(metadata={"json": {"minimum": 1}}, default=1, validator=AT_LEAST_ONE)
    max: int | None = attrs.field(
        metadata={"json": {"minimum": 1}}, default=None, validator=NOT_BELOW_MIN
    )

    def holds(self, student: Student, /) -> bool:
        return self.min <= student.year and (self.max is None or student.year <= self.max)

    def describe(self) -> Message:
        if self.max is None:
            return _("year {min} or later", min=self.min)
        if self.max == self.min:
            return _("year {min}", min=self.min)
        return _("year {min} to {max}", min=self.min, max=self.max)

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _(
            "year is {actual}, but the rule requires {expected}",
            actual=student.year,
            expected=self.describe(),
        )


@attrs.frozen
class SchoolAreaIs(Leaf[Student]):
    """The student's school is in ``area``."""

    area: SchoolArea

    def holds(self, student: Student, /) -> bool:
        return student.school_area is self.area

    def describe(self) -> Message:
        return _("school is {area}", area=self.area.label)

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _(
            "school is {actual}, not {expected}",
            actual=student.school_area.label,
            expected=self.area.label,
        )


@attrs.frozen
class BoardingIs(Leaf[Student]):
    """The student boards (``value`` true) or does not (false)."""

    value: bool = True

    def holds(self, student: Student, /) -> bool:
        return student.boarding is self.value

    def describe(self) -> Message:
        return _("student boards") if self.value else _("student does not board")

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _("student does not board") if self.value else _("student boards")


@attrs.frozen
class OrphanIs(Leaf[Student]):
    """The student is an orphan (``value`` true) or is not (false)."""

    value: bool = True

    def holds(self, student: Student, /) -> bool:
        return student.orphan is self.value

    def describe(self) -> Message:
        return _("student is an orphan") if self.value else _("student is not an orphan")

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _("student is not an orphan") if self.value else _("student is an orphan")


@attrs.frozen
class DisabledIs(Leaf[Student]):
    """The student is disabled (``value`` true) or is not (false)."""

    value: bool = True

    def holds(self, student: Student, /) -> bool:
        return student.disabled is self.value

    def describe(self) -> Message:
        return _("student is disabled") if self.value else _("student is not disabled")

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _("student is not disabled") if self.value else _("student is disabled")


@attrs.frozen
class HouseholdAny(Leaf[Student]):
    """The student's household has at least one of ``statuses``."""

    statuses: frozenset[HouseholdStatus] = attrs.field(
        metadata={"json": {"min_items": 1}},
        validator=field_check(
            lambda _self, v: bool(v), lambda *_args: _("must list at least one household status")
        ),
    )

    def holds(self, student: Student, /) -> bool:
        return not self.statuses.isdisjoint(student.household)

    def _expected(self) -> Renderable:
        return join_or([h.label for h in sorted_statuses(self.statuses)])

    def describe(self) -> Message:
        return _("household is a {statuses}", statuses=self._expected())

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _("household is not a {statuses}", statuses=self._expected())


class AidExtension(ExtensionCondition[Student]):
    """Base of a kind of aid condition a region plugin adds: subclass it, set ``key``,
    and hand the class to edupolicy with the region (``RegionSpec(conditions=[...])``).

    See :class:`edupolicy.rules.ExtensionCondition` for what a subclass provides.
    """

    __slots__ = ()


#: A condition over a student: a leaf of this module, or the engine's combinators of them.
AidCondition: TypeAlias = Condition[Student]
