"""A region's plans, dated, and the readings they are read under.

:class:`PlansInForce` is what a :class:`~edupolicy.Policy` is made of, before
any question: the region's plans, their periods, the readings chosen, and which plan,
readings, teacher-incentive rules and quota are in force on a date.  ``Policy`` adds
one method per question.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from edupolicy.errors import EdupolicyError, OutOfPeriodError
from edupolicy.i18n import Message, _
from edupolicy.plans import Change, Period, Plan
from edupolicy.policy.arguments import as_date, check_text
from edupolicy.teachers import Quota, TeacherSchedule

__all__ = ["PlansInForce", "teacher_rules_of"]


def teacher_rules_of(plan: Plan, region: str, locale: str | None) -> TeacherSchedule:
    """The teacher-incentive rules of ``plan``, of ``region``; an
    :class:`~edupolicy.errors.EdupolicyError` in ``locale`` when it has none."""
    if plan.teachers is None:
        raise EdupolicyError(
            _(
                "Plan {plan} of region {region} has no teacher-incentive rules",
                plan=plan.id,
                region=region,
            ),
            locale=locale,
        )
    return plan.teachers


def _frozen_readings(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True, eq=False)
class PlansInForce:
    """A region's plans, dated, and the readings they are read under; the base of
    :class:`~edupolicy.Policy`."""

    region: str
    #: The distribution that provides the region, and its version.
    distribution: str
    version: str
    plans: tuple[Plan, ...]
    #: The what-if changes this policy was derived with
    #: (:meth:`~edupolicy.Policy.with_changes`), in order.
    changes: tuple[Change, ...] = ()
    #: The readings chosen with :meth:`~edupolicy.Policy.with_readings` (reading id →
    #: choice id); every other reading keeps its default.
    readings: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_readings)
    #: The plans as the region's data writes them, before readings and changes.
    plans_as_written: tuple[Plan, ...] = attrs.field(
        default=attrs.Factory(lambda self: self.plans, takes_self=True)
    )
    # The readings in force, by plan id, worked out when the policy is made.
    _in_force: Mapping[str, Mapping[str, str]] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        in_force = {
            plan.id: MappingProxyType(
                {r.id: self.readings.get(r.id, r.default) for r in plan.readings}
            )
            for plan in self.plans
        }
        object.__setattr__(self, "_in_force", MappingProxyType(in_force))

    @property
    def periods(self) -> tuple[Period, ...]:
        """The periods of the region's plans, earliest first."""
        return tuple(plan.in_force for plan in self.plans)

    def plan_on(self, on: _dt.date | str, *, locale: str | None = None) -> Plan:
        """The plan in force on ``on``; an :class:`~edupolicy.OutOfPeriodError` when there
        is none."""
        day = as_date(on, locale)
        for plan in self.plans:
            if day in plan.in_force:
                return plan
        raise OutOfPeriodError(
            self.region, day, [f"{plan.id} {plan.in_force}" for plan in self.plans], locale=locale
        )

    def readings_on(self, on: _dt.date | str, *, locale: str | None = None) -> Mapping[str, str]:
        """The readings in force on ``on``: every reading of the plan in force, with the
        choice this policy reads it under (its default unless chosen)."""
        return self.readings_of(self.plan_on(on, locale=locale))

    def readings_of(self, plan: Plan) -> Mapping[str, str]:
        """The readings of ``plan`` (one of ``plans``), each with the choice in force."""
        found = self._in_force.get(plan.id)
        if found is None:  # a plan of another policy: its readings, as this one reads them
            return MappingProxyType(
                {r.id: self.readings.get(r.id, r.default) for r in plan.readings}
            )
        return found

    def _teacher_schedule(self, day: _dt.date, locale: str | None) -> tuple[Plan, TeacherSchedule]:
        """The plan in force on ``day`` and its teacher-incentive rules."""
        plan = self.plan_on(day, locale=locale)
        return plan, teacher_rules_of(plan, self.region, locale)

    def _quota(
        self, programme: str, year: int, locale: str | None
    ) -> tuple[Plan, TeacherSchedule, Quota]:
        """The quota of ``programme`` for ``year``, from the plan in force on its counting day."""
        check_text("programme", programme, locale, optional=False)
        known: list[str] = []
        for plan in self.plans:
            schedule = plan.teachers
            if schedule is None:
                continue
            for quota in schedule.quotas:
                known.append(quota.id)
                if quota.id == programme and quota.on(year) in plan.in_force:
                    return plan, schedule, quota
        if programme not in known:
            raise EdupolicyError(
                _(
                    "Region {region} has no quota for programme {programme}; programmes with a "
                    "quota: {known}",
                    region=self.region,
                    programme=programme,
                    known=", ".join(sorted(set(known))) or "-",
                ),
                locale=locale,
            )
        quota = next(
            q
            for plan in self.plans
            for q in (plan.teachers.quotas if plan.teachers else ())
            if q.id == programme
        )
        raise OutOfPeriodError(
            self.region,
            quota.on(year),
            [f"{p.id} {p.in_force}" for p in self.plans],
            locale=locale,
        )

    def describe(self) -> Message:
        """One line naming the region and its plans."""
        return _(
            "{region}: {plans}",
            region=self.region,
            plans=", ".join(f"{plan.document.number} {plan.in_force}" for plan in self.plans),
        )
