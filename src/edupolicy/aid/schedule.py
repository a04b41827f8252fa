"""Aid schedules: who receives which student aid, how much, how often, and why.

An :class:`AidSchedule` is the engine's :class:`~edupolicy.rules.Schedule` of
:class:`AidRule` objects, each with a condition over a :class:`~edupolicy.aid.Student`,
a :data:`~edupolicy.aid.Benefit` and the plan text it comes from; and the plan's
provisions of :class:`EqualTreatment`.  :func:`evaluate_aid` applies it to a student.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from edupolicy.aid.benefits import Benefit, BenefitKind
from edupolicy.aid.records import HouseholdStatus, Stage, Student, StudentKey, student_key
from edupolicy.decimals import CONTEXT
from edupolicy.i18n import Message, Text, _
from edupolicy.rules import Applied, NotApplied, Result, Rule, Schedule, Source, evaluate
from edupolicy.values import FEN, Frequency

__all__ = [
    "AidItem",
    "AidOutcome",
    "AidResult",
    "AidRule",
    "AidSchedule",
    "EqualTreatment",
    "evaluate_aid",
]


@attrs.frozen(kw_only=True)
class AidRule(Rule[Student]):
    """One rule of an aid schedule: a condition over a student, and its benefit."""

    benefit: Benefit

    def gives(self) -> Message:
        return self.benefit.describe()


@attrs.frozen(kw_only=True)
class EqualTreatment:
    """A household status that must not change the aid of students in ``stages``.

    The plan says, for instance, that children of migrant workers receive the same
    aid as local children.  Plans are checked on load: no rule that can apply in
    ``stages`` may mention ``status``.
    """

    id: str
    name: Text
    status: HouseholdStatus
    stages: frozenset[Stage]
    source: Source


@attrs.frozen(kw_only=True)
class AidSchedule(Schedule[AidRule]):
    """The aid rules of one plan, their groups, and its provisions of equal treatment."""

    equal_treatment: tuple[EqualTreatment, ...] = ()


@attrs.frozen(kw_only=True)
class AidItem(Applied[AidRule]):
    """One rule that applied to the student."""

    @property
    def kind(self) -> BenefitKind:
        return self.rule.benefit.kind

    @property
    def amount(self) -> Decimal | None:
        return self.rule.benefit.amount

    @property
    def frequency(self) -> Frequency | None:
        return self.rule.benefit.frequency

    @property
    def waives(self) -> frozenset[str]:
        return self.rule.benefit.waives


@attrs.frozen(kw_only=True)
class AidOutcome:
    """What a student receives: the same for every student alike in what the rules read.

    ``cash_total`` is the cash of the school year the record describes: the yearly
    amounts plus any one-time amount paid in that year.
    """

    cash_total: Decimal
    waivers: tuple[str, ...]
    items: tuple[AidItem, ...]
    #: Provisions of equal treatment that cover the student.
    notes: tuple[EqualTreatment, ...] = ()
    #: Rules that did not apply, with the reason; ``None`` unless asked for.
    not_applied: tuple[NotApplied[AidRule], ...] | None = None
    currency: str = "CNY"
    #: The student it was evaluated for, but the id (every field the rules may read):
    #: what a surface describes the student by.  Not part of the outcome's value.
    key: StudentKey = attrs.field(eq=False, repr=False)
    #: The JSON of the results with this outcome but their ids, kept by the writer of
    #: their JSON (by where they come from, date and locale): every student alike in
    #: what the rules read shares it.  Not part of the outcome's value.
    rendered: dict[object, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class AidResult(Result[AidOutcome]):
    """The aid one student receives under the plan in force on a date.

    The envelope of every result (:class:`~edupolicy.rules.Result`) around an
    :class:`AidOutcome`, whose fields it also gives as its own.
    """

    @property
    def student_id(self) -> str | None:
        """The record's id."""
        return self.subject_id

    @property
    def cash_total(self) -> Decimal:
        """The cash of the school year the record describes."""
        return self.outcome.cash_total

    @property
    def waivers(self) -> tuple[str, ...]:
        """The fees waived, sorted."""
        return self.outcome.waivers

    @property
    def items(self) -> tuple[AidItem, ...]:
        """The rules that applied, in the order of the plan."""
        return self.outcome.items

    @property
    def notes(self) -> tuple[EqualTreatment, ...]:
        """Provisions of equal treatment that cover this student."""
        return self.outcome.notes

    @property
    def not_applied(self) -> tuple[NotApplied[AidRule], ...] | None:
        """Rules that did not apply, with the reason; ``None`` unless asked for."""
        return self.outcome.not_applied

    @property
    def currency(self) -> str:
        """``CNY``."""
        return self.outcome.currency


_THIS_STUDENT = _("this student")


def evaluate_aid(
    schedule: AidSchedule,
    student: Student,
    *,
    region: str,
    plan: str,
    on: _dt.date,
    explain: bool = False,
    locale: str | None = None,
    sections: Mapping[str, Text] | None = None,
    readings: Mapping[str, str] | None = None,
) -> AidResult:
    """Apply ``schedule`` to ``student``: a pure function of its arguments.

    ``readings`` (reading id → choice id) are the readings the schedule's plan was
    read under; the result reports them.
    """
    return AidResult(
        region=region,
        plan=plan,
        on=on,
        subject_id=student.id,
        outcome=aid_outcome(schedule, student, explain=explain, locale=locale, sections=sections),
        readings=readings if readings is not None else {},
    )


def aid_outcome(
    schedule: AidSchedule,
    student: Student,
    *,
    explain: bool = False,
    locale: str | None = None,
    sections: Mapping[str, Text] | None = None,
) -> AidOutcome:
    """What ``student`` receives under ``schedule``: :func:`evaluate_aid` but the envelope."""
    found = evaluate(schedule, student, who=_THIS_STUDENT, explain=explain, locale=locale)
    total = Decimal(0)
    waived: set[str] = set()
    for rule in found.applied:
        benefit = rule.benefit
        if benefit.kind is BenefitKind.CASH and benefit.amount is not None:
            # In edupolicy's own context, whatever the caller's: see edupolicy.decimals.
            total = CONTEXT.add(total, benefit.amount)
        waived.update(benefit.waives)
    notes = tuple(
        provision
        for provision in schedule.equal_treatment
        if provision.status in student.household and student.stage in provision.stages
    )
    titles = sections or {}
    return AidOutcome(
        cash_total=total.quantize(FEN, context=CONTEXT),
        waivers=tuple(sorted(waived)),
        items=tuple(
            AidItem(rule=rule, section_title=rule.source.title_in(titles)) for rule in found.applied
        ),
        notes=notes,
        not_applied=found.not_applied,
        key=student_key(student),
    )
