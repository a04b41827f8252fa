"""The questions of a whole roster that a policy answers: its budget, and the difference
another reading, date or region makes to it.  :meth:`~edupolicy.Policy.budget` and
:meth:`~edupolicy.Policy.diff` are these functions; they add up, record by record, what
:meth:`~edupolicy.Policy.aid` gives, with :mod:`edupolicy.analysis.impact`'s tallies."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from edupolicy.aid import AidResult, Student
from edupolicy.analysis.impact import (
    AidPolicy,
    Budget,
    BudgetTally,
    Diff,
    DiffTally,
    Side,
    budget_entry,
    diff_entry,
)
from edupolicy.errors import FieldProblem, InvalidDataError, Rejected
from edupolicy.i18n import _
from edupolicy.plans import Plan
from edupolicy.policy.arguments import as_date, check_text, each

__all__ = ["budget_of", "diff_of", "side_of"]


class _Answering(AidPolicy, Protocol):
    """What the roster's questions ask of the policy they are questions of: the aid of
    a student (:class:`~edupolicy.analysis.impact.AidPolicy`), and these."""

    @property
    def region(self) -> str: ...

    @property
    def version(self) -> str: ...

    def plan_on(self, on: _dt.date | str, *, locale: str | None = None) -> Plan: ...

    def readings_of(self, plan: Plan) -> Mapping[str, str]: ...

    def side(self, on: _dt.date | str, *, locale: str | None = None) -> Side: ...


def side_of(policy: _Answering, on: _dt.date | str, *, locale: str | None = None) -> Side:
    """The region, version, plan in force on ``on`` and its readings."""
    day = as_date(on, locale)
    plan = policy.plan_on(day, locale=locale)
    return Side(
        region=policy.region,
        version=policy.version,
        on=day.isoformat(),
        plan=plan.id,
        readings=policy.readings_of(plan),
    )


def budget_of(
    policy: _Answering,
    students: Iterable[Student | Mapping[str, Any]],
    on: _dt.date | str,
    *,
    locale: str | None = None,
) -> Budget:
    """What the roster ``students`` receives from ``policy`` on ``on``."""
    day = as_date(on, locale)
    plan = policy.plan_on(day, locale=locale)
    tally = BudgetTally()
    rejected: list[Rejected] = []

    def entry(record: object) -> AidResult:
        return budget_entry(policy, record, day, locale=locale)

    for result in each(students, entry, locale):
        if isinstance(result, Rejected):
            rejected.append(result)
            tally.skipped += 1
        else:
            tally.add(result)
    return Budget(
        side=policy.side(day, locale=locale),
        order=tuple(rule.id for rule in plan.aid.rules),
        tally=tally,
        rejected=tuple(rejected),
    )


def diff_of(
    policy: _Answering,
    students: Iterable[Student | Mapping[str, Any]],
    on: _dt.date | str,
    *,
    against: _Answering | None,
    against_on: _dt.date | str | None,
    changes: str | None,
    locale: str | None = None,
) -> Diff:
    """Each student's yearly cash from ``policy`` on ``on`` and from ``against`` (default
    ``policy``) on ``against_on`` (default ``on``); one of the two must be given."""
    if against is None and against_on is None:
        raise InvalidDataError(
            _("Invalid diff"),
            [FieldProblem("against", None, _("give a policy or a date to compare with"))],
            locale=locale,
        )
    check_text("changes", changes, locale, optional=True)
    day = as_date(on, locale)
    other = against if against is not None else policy
    other_day = day if against_on is None else as_date(against_on, locale)
    policy.plan_on(day, locale=locale)
    other.plan_on(other_day, locale=locale)
    tally = DiffTally()
    rejected: list[Rejected] = []

    def entry(record: object) -> tuple[AidResult, AidResult]:
        return diff_entry(policy, other, record, day, other_day, locale=locale)

    for row, result in enumerate(each(students, entry, locale)):
        if isinstance(result, Rejected):
            rejected.append(result)
            tally.skipped += 1
        else:
            tally.add(f"$[{row}]", *result)
    return Diff(
        before=policy.side(day, locale=locale),
        after=other.side(other_day, locale=locale),
        tally=tally,
        changes=changes,
        rejected=tuple(rejected),
    )
