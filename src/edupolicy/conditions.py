"""Eligibility conditions over a student record.

A condition is declarative data: plan files state it as a table with exactly one key
(``{stage = ["primary"]}``, ``{all = [...]}``), and it is evaluated by the code here,
never by code taken from the data file.  Every condition can say in words what it
requires (:meth:`describe`) and, for a record that fails it, which part failed
(:meth:`why_not`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

import attrs

from edupolicy.i18n import Message, _
from edupolicy.records import Household, SchoolArea, Stage, Student

__all__ = [
    "All",
    "Any",
    "BoardingIs",
    "Condition",
    "DisabledIs",
    "HouseholdAny",
    "Not",
    "OrphanIs",
    "SchoolAreaIs",
    "StageIn",
    "YearIn",
]


def _or(items: list[Message]) -> Message:
    result = items[0]
    for item in items[1:]:
        result = _("{left} or {right}", left=result, right=item)
    return result


def _and(items: list[Message]) -> Message:
    result = items[0]
    for item in items[1:]:
        result = _("{left}; {right}", left=result, right=item)
    return result


@attrs.frozen
class StageIn:
    """The student is in one of ``stages``."""

    stages: frozenset[Stage]

    def holds(self, student: Student) -> bool:
        return student.stage in self.stages

    def describe(self) -> Message:
        return _("stage is {stages}", stages=_or([s.label for s in _sorted_stages(self.stages)]))

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _(
            "stage is {actual}, not {expected}",
            actual=student.stage.label,
            expected=_or([s.label for s in _sorted_stages(self.stages)]),
        )

    def leaves(self) -> Iterator[Condition]:
        yield self


def _sorted_stages(stages: frozenset[Stage]) -> list[Stage]:
    order = list(Stage)
    return sorted(stages, key=order.index)


@attrs.frozen
class YearIn:
    """The student's year within the stage is between ``min`` and ``max`` (inclusive)."""

    min: int = 1
    max: int | None = None

    def holds(self, student: Student) -> bool:
        return self.min <= student.year and (self.max is None or student.year <= self.max)

    def describe(self) -> Message:
        if self.max is None:
            return _("year {min} or later", min=self.min)
        if self.max == self.min:
            return _("year {min}", min=self.min)
        return _("year {min} to {max}", min=self.min, max=self.max)

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _(
            "year is {actual}, but the rule requires {expected}",
            actual=student.year,
            expected=self.describe(),
        )

    def leaves(self) -> Iterator[Condition]:
        yield self


@attrs.frozen
class SchoolAreaIs:
    """The student's school is in ``area``."""

    area: SchoolArea

    def holds(self, student: Student) -> bool:
        return student.school_area is self.area

    def describe(self) -> Message:
        return _("school is {area}", area=self.area.label)

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _(
            "school is {actual}, not {expected}",
            actual=student.school_area.label,
            expected=self.area.label,
        )

    def leaves(self) -> Iterator[Condition]:
        yield self


@attrs.frozen
class BoardingIs:
    """The student boards (``value`` true) or does not (false)."""

    value: bool = True

    def holds(self, student: Student) -> bool:
        return student.boarding is self.value

    def describe(self) -> Message:
        return _("student boards") if self.value else _("student does not board")

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _("student does not board") if self.value else _("student boards")

    def leaves(self) -> Iterator[Condition]:
        yield self


@attrs.frozen
class OrphanIs:
    """The student is an orphan (``value`` true) or is not (false)."""

    value: bool = True

    def holds(self, student: Student) -> bool:
        return student.orphan is self.value

    def describe(self) -> Message:
        return _("student is an orphan") if self.value else _("student is not an orphan")

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _("student is not an orphan") if self.value else _("student is an orphan")

    def leaves(self) -> Iterator[Condition]:
        yield self


@attrs.frozen
class DisabledIs:
    """The student is disabled (``value`` true) or is not (false)."""

    value: bool = True

    def holds(self, student: Student) -> bool:
        return student.disabled is self.value

    def describe(self) -> Message:
        return _("student is disabled") if self.value else _("student is not disabled")

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _("student is not disabled") if self.value else _("student is disabled")

    def leaves(self) -> Iterator[Condition]:
        yield self


@attrs.frozen
class HouseholdAny:
    """The student's household has at least one of ``statuses``."""

    statuses: frozenset[Household]

    def holds(self, student: Student) -> bool:
        return not self.statuses.isdisjoint(student.household)

    def _expected(self) -> Message:
        order = list(Household)
        return _or([h.label for h in sorted(self.statuses, key=order.index)])

    def describe(self) -> Message:
        return _("household is a {statuses}", statuses=self._expected())

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _("household is not a {statuses}", statuses=self._expected())

    def leaves(self) -> Iterator[Condition]:
        yield self


@attrs.frozen
class All:
    """Every one of ``conditions`` holds."""

    conditions: tuple[Condition, ...]

    def holds(self, student: Student) -> bool:
        return all(c.holds(student) for c in self.conditions)

    def describe(self) -> Message:
        return _and([c.describe() for c in self.conditions])

    def why_not(self, student: Student) -> Message | None:
        failures = [m for m in (c.why_not(student) for c in self.conditions) if m is not None]
        return _and(failures) if failures else None

    def leaves(self) -> Iterator[Condition]:
        for condition in self.conditions:
            yield from condition.leaves()


@attrs.frozen
class Any:
    """At least one of ``conditions`` holds."""

    conditions: tuple[Condition, ...]

    def holds(self, student: Student) -> bool:
        return any(c.holds(student) for c in self.conditions)

    def describe(self) -> Message:
        return _("either {options}", options=_or([c.describe() for c in self.conditions]))

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _(
            "none of these holds: {options}", options=_or([c.describe() for c in self.conditions])
        )

    def leaves(self) -> Iterator[Condition]:
        for condition in self.conditions:
            yield from condition.leaves()


@attrs.frozen
class Not:
    """``condition`` does not hold."""

    condition: Condition

    def holds(self, student: Student) -> bool:
        return not self.condition.holds(student)

    def describe(self) -> Message:
        return _("not ({condition})", condition=self.condition.describe())

    def why_not(self, student: Student) -> Message | None:
        if self.holds(student):
            return None
        return _("it must not be that {condition}", condition=self.condition.describe())

    def leaves(self) -> Iterator[Condition]:
        yield from self.condition.leaves()


Condition: TypeAlias = (
    StageIn
    | YearIn
    | SchoolAreaIs
    | BoardingIs
    | OrphanIs
    | DisabledIs
    | HouseholdAny
    | All
    | Any
    | Not
)
