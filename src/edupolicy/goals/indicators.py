"""Goal indicators and targets: what a plan means to achieve, and by when.

An :class:`Indicator` is something measured (an enrolment rate, a number of schools,
an area); a :class:`Target` says which value of it the plan wants by a deadline,
citing the plan's words.  A composite target names its parts: the plan's stated total
and the figures it says make it up, which the plan audit adds up.  An
:class:`Observation` is a value a statistics office reports.
"""

from __future__ import annotations

import datetime as _dt
import enum
from decimal import Decimal

import attrs

from edupolicy.i18n import Area, Count, Percent, Renderable, Text, _, format_money
from edupolicy.rules import Source

__all__ = [
    "Baseline",
    "Comparison",
    "Fact",
    "Goals",
    "Indicator",
    "Observation",
    "Target",
    "Unit",
]


class Unit(enum.Enum):
    """What an indicator is measured in."""

    #: Percent: ``98.7`` means 98.7%.
    PERCENT = "percent"
    #: A number of things (schools, kindergartens, teachers).
    COUNT = "count"
    #: School places (学位).
    SEATS = "seats"
    #: Square metres.
    AREA_M2 = "area_m2"
    #: Yuan.
    MONEY = "money"
    #: Achieved or not, with no number: 1 is achieved, 0 is not.
    ACHIEVED = "achieved"

    def show(self, value: Decimal) -> Renderable:
        """``value`` of this unit, ready to render in a locale."""
        if self is Unit.ACHIEVED and value in (0, 1):
            return _("achieved") if value == 1 else _("not achieved")
        if self is Unit.PERCENT:
            return Percent(value)
        if self is Unit.AREA_M2:
            return Area(value)
        if self is Unit.MONEY:
            return _Money(value)
        return Count(value)

    @property
    def whole(self) -> bool:
        """Whether values of this unit are whole numbers."""
        return self in (Unit.COUNT, Unit.SEATS, Unit.ACHIEVED)


@attrs.frozen
class _Money:
    value: Decimal

    def render(self, locale: str | None = None) -> str:
        return format_money(self.value, locale)


class Comparison(enum.Enum):
    """How an observed value must compare with a target's value."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EXACTLY = "exactly"

    def holds(self, observed: Decimal, target: Decimal) -> bool:
        """Whether ``observed`` meets ``target``."""
        if self is Comparison.AT_LEAST:
            return observed >= target
        if self is Comparison.AT_MOST:
            return observed <= target
        return observed == target

    @property
    def symbol(self) -> str:
        """``≥``, ``≤`` or ``=``."""
        return {"at_least": "≥", "at_most": "≤", "exactly": "="}[self.value]


@attrs.frozen(kw_only=True)
class Indicator:
    """Something a plan measures."""

    id: str
    name: Text
    unit: Unit
    #: Whether values above 100% mean something (a gross enrolment ratio can exceed
    #: 100%; a net rate or a retention rate cannot).  Only for percentages.
    can_exceed_100: bool = False


@attrs.frozen(kw_only=True)
class Baseline:
    """A known value of an indicator at a date, from which a trajectory starts."""

    value: Decimal = attrs.field(metadata={"json": {"read": "quantity"}})
    on: _dt.date


@attrs.frozen(kw_only=True)
class Target:
    """A value of an indicator that the plan wants reached by a deadline."""

    id: str
    indicator: str
    comparison: Comparison
    value: Decimal = attrs.field(metadata={"json": {"read": "quantity"}})
    deadline: _dt.date
    source: Source
    #: Whom or what the target covers, where the indicator alone does not say.
    scope: Text | None = None
    baseline: Baseline | None = None
    #: Ids of the targets the plan says make up this one's total.
    parts: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Fact:
    """A figure the plan states that is not a target (a count as things stand)."""

    id: str
    indicator: str
    value: Decimal = attrs.field(metadata={"json": {"read": "quantity"}})
    on: _dt.date
    source: Source


@attrs.frozen(kw_only=True)
class Goals:
    """The indicators, targets and stated facts of one plan."""

    indicators: tuple[Indicator, ...]
    targets: tuple[Target, ...]
    facts: tuple[Fact, ...] = ()

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with id ``indicator_id``."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def target(self, target_id: str) -> Target:
        """The target with id ``target_id``."""
        for target in self.targets:
            if target.id == target_id:
                return target
        raise KeyError(target_id)


@attrs.frozen(kw_only=True)
class Observation:
    """A value of an indicator that a statistics office reports.

    Give the ``year`` (the value at the end of that year) or the exact date ``on``.
    ``unit``, when given, must be the indicator's: a value in the wrong unit is
    refused rather than compared.
    """

    indicator: str
    value: Decimal = attrs.field(metadata={"json": {"read": "quantity"}})
    year: int | None = attrs.field(default=None, metadata={"json": {"read": "calendar_year"}})
    on: _dt.date | None = None
    unit: Unit | None = None

    @property
    def day(self) -> _dt.date:
        """The date the value holds on."""
        if self.on is not None:
            return self.on
        assert self.year is not None
        return _dt.date(self.year, 12, 31)
