"""The audit of a plan's goals: ``composite-sum``, ``unit-range``,
``contradictory-targets`` and ``outside-period`` (see :mod:`edupolicy.analysis.audit`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from edupolicy.analysis.findings import Finding, Severity
from edupolicy.goals import Comparison, Goals, Target, Unit
from edupolicy.i18n import Message, _
from edupolicy.plans.plan import Plan
from edupolicy.rules import Source

__all__ = ["audit_goals"]


def _show(unit: Unit, value: Decimal) -> object:
    return unit.show(value)


def audit_goals(plan: Plan, goals: Goals) -> Iterator[Finding]:
    targets = {target.id: target for target in goals.targets}
    indicators = {indicator.id: indicator for indicator in goals.indicators}
    for target in goals.targets:
        unit = indicators[target.indicator].unit
        if target.parts:
            parts = [targets[part] for part in target.parts]
            total = sum((part.value for part in parts), Decimal(0))
            if total != target.value:
                yield Finding(
                    code="composite-sum",
                    severity=Severity.ERROR,
                    subject=target.id,
                    message=_(
                        "the stated total {total} differs from the sum of its parts "
                        "{parts} = {sum} (difference {difference})",
                        total=_show(unit, target.value),
                        parts=_sum_text(unit, parts),
                        sum=_show(unit, total),
                        difference=_show(unit, abs(total - target.value)),
                    ),
                    source=target.source,
                )
    for target in goals.targets:
        yield from _value_range(
            target.id, indicators[target.indicator], target.value, target.source
        )
        if target.baseline is not None:
            yield from _value_range(
                target.id, indicators[target.indicator], target.baseline.value, target.source
            )
    for fact in goals.facts:
        yield from _value_range(fact.id, indicators[fact.indicator], fact.value, fact.source)

    yield from _contradictions(goals)

    period = plan.in_force
    for target in goals.targets:
        # A baseline before the plan starts is normal; a deadline outside it is not.
        if target.deadline not in period:
            yield Finding(
                code="outside-period",
                severity=Severity.WARNING,
                subject=target.id,
                message=_(
                    "its deadline {day} lies outside the plan's period {period}",
                    day=target.deadline,
                    period=str(period),
                ),
                source=target.source,
            )
    for fact in goals.facts:
        if fact.on not in period:
            yield Finding(
                code="outside-period",
                severity=Severity.WARNING,
                subject=fact.id,
                message=_(
                    "its date {day} lies outside the plan's period {period}",
                    day=fact.on,
                    period=str(period),
                ),
                source=fact.source,
            )


def _plain(unit: Unit, value: Decimal) -> object:
    """A value in its unit, without rounding that would hide a fraction or a sign."""
    if unit is Unit.PERCENT:
        return f"{value}%"
    if value >= 0 and value == value.to_integral_value():
        return unit.show(value)
    return str(value)


def _sum_text(unit: Unit, parts: list[Target]) -> Message:
    text = _("{target} {value}", target=parts[0].id, value=unit.show(parts[0].value))
    for part in parts[1:]:
        text = _(
            "{left} + {target} {value}", left=text, target=part.id, value=unit.show(part.value)
        )
    return text


def _value_range(subject: str, indicator: Any, value: Decimal, source: Source) -> Iterator[Finding]:
    unit: Unit = indicator.unit
    if value < 0:
        yield Finding(
            code="unit-range",
            severity=Severity.ERROR,
            subject=subject,
            message=_(
                "a negative value {value} for {indicator}",
                value=_plain(unit, value),
                indicator=indicator.name,
            ),
            source=source,
        )
    if unit is Unit.PERCENT and value > 100 and not indicator.can_exceed_100:
        yield Finding(
            code="unit-range",
            severity=Severity.ERROR,
            subject=subject,
            message=_(
                "{indicator}: {value} is above 100%, which this rate cannot exceed",
                value=unit.show(value),
                indicator=indicator.name,
            ),
            source=source,
        )
    if unit.whole and value != value.to_integral_value():
        yield Finding(
            code="unit-range",
            severity=Severity.ERROR,
            subject=subject,
            message=_(
                "{value} is not a whole number of {indicator}",
                value=_plain(unit, value),
                indicator=indicator.name,
            ),
            source=source,
        )


def _interval(target: Target) -> tuple[Decimal | None, Decimal | None]:
    if target.comparison is Comparison.AT_LEAST:
        return target.value, None
    if target.comparison is Comparison.AT_MOST:
        return None, target.value
    return target.value, target.value


def _rule_text(target: Target) -> str:
    return f"{target.comparison.symbol} {target.value}"


def _contradictions(goals: Goals) -> Iterator[Finding]:
    groups: dict[tuple[str, str, Any], list[Target]] = {}
    for target in goals.targets:
        scope = target.scope.en if target.scope is not None else ""
        groups.setdefault((target.indicator, scope, target.deadline), []).append(target)
    for members in groups.values():
        for first, second in itertools.combinations(members, 2):
            low1, high1 = _interval(first)
            low2, high2 = _interval(second)
            low = max((v for v in (low1, low2) if v is not None), default=None)
            high = min((v for v in (high1, high2) if v is not None), default=None)
            if low is not None and high is not None and low > high:
                yield Finding(
                    code="contradictory-targets",
                    severity=Severity.ERROR,
                    subject=f"{first.id}, {second.id}",
                    message=_(
                        "no value meets both {first} ({first_rule}) and {second} ({second_rule})",
                        first=first.id,
                        first_rule=_rule_text(first),
                        second=second.id,
                        second_rule=_rule_text(second),
                    ),
                    source=second.source,
                )
