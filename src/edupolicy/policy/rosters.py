"""The questions of a whole roster that a policy answers: its budget, and the difference
another reading, date or region makes to it (:meth:`~edupolicy.Policy.budget`,
:meth:`~edupolicy.Policy.diff`).  They add up, record by record, what
:meth:`~edupolicy.Policy.aid` gives, with :mod:`edupolicy.analysis.impact`'s tallies."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

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

if TYPE_CHECKING:
    from edupolicy.policy.policy import Policy

__all__ = ["RosterQuestions"]


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


class RosterQuestions:
    """:class:`~edupolicy.Policy`'s questions of a whole roster."""

    __slots__ = ()

    def side(self: _Answering, on: _dt.date | str, *, locale: str | None = None) -> Side:
        """The region, version, plan in force on ``on`` and its readings: one side of a
        :meth:`diff`, and what a :meth:`budget` is of."""
        day = as_date(on, locale)
        plan = self.plan_on(day, locale=locale)
        return Side(
            region=self.region,
            version=self.version,
            on=day.isoformat(),
            plan=plan.id,
            readings=self.readings_of(plan),
        )

    def budget(
        self: _Answering,
        students: Iterable[Student | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        locale: str | None = None,
    ) -> Budget:
        """What a roster receives under the plan in force on ``on``: the cash a year and
        the fee waivers, in all, by rule, by stage and by household status.

        ``students`` is any iterable of what :meth:`aid` takes, read one at a time in
        flat memory.  A record that cannot be evaluated is kept in
        :attr:`~edupolicy.analysis.Budget.rejected` (row, record, every bad
        field) and counted as ``skipped``; the others are still added up.
        """
        day = as_date(on, locale)
        plan = self.plan_on(day, locale=locale)
        tally = BudgetTally()
        rejected: list[Rejected] = []

        def entry(record: object) -> AidResult:
            return budget_entry(self, record, day, locale=locale)

        for result in each(students, entry, locale):
            if isinstance(result, Rejected):
                rejected.append(result)
                tally.skipped += 1
            else:
                tally.add(result)
        return Budget(
            side=self.side(day, locale=locale),
            order=tuple(rule.id for rule in plan.aid.rules),
            tally=tally,
            rejected=tuple(rejected),
        )

    def diff(
        self: _Answering,
        students: Iterable[Student | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        against: Policy | None = None,
        against_on: _dt.date | str | None = None,
        changes: str | None = None,
        locale: str | None = None,
    ) -> Diff:
        """What a change does to a roster: each student's yearly cash under this policy
        on ``on``, and under ``against`` (another policy: this one with changes or
        readings, another region) on ``against_on`` (default ``on``).

        At least one of ``against`` and ``against_on`` is needed.  ``changes`` names the
        change file ``against`` was made with, if any; it is echoed in the JSON.  Records
        are read as :meth:`budget` reads them; a record either policy cannot evaluate
        is kept in :attr:`~edupolicy.analysis.Diff.rejected`.
        """
        if against is not None and not isinstance(against, RosterQuestions):
            raise InvalidDataError(
                _("Invalid diff"),
                [FieldProblem("against", against, _("must be a Policy"))],
                locale=locale,
            )
        if against is None and against_on is None:
            raise InvalidDataError(
                _("Invalid diff"),
                [FieldProblem("against", None, _("give a policy or a date to compare with"))],
                locale=locale,
            )
        check_text("changes", changes, locale, optional=True)
        day = as_date(on, locale)
        other = against if against is not None else self
        other_day = day if against_on is None else as_date(against_on, locale)
        self.plan_on(day, locale=locale)
        other.plan_on(other_day, locale=locale)
        tally = DiffTally()
        rejected: list[Rejected] = []

        def entry(record: object) -> tuple[AidResult, AidResult]:
            return diff_entry(self, other, record, day, other_day, locale=locale)

        for row, result in enumerate(each(students, entry, locale)):
            if isinstance(result, Rejected):
                rejected.append(result)
                tally.skipped += 1
            else:
                tally.add(f"$[{row}]", *result)
        return Diff(
            before=self.side(day, locale=locale),
            after=other.side(other_day, locale=locale),
            tally=tally,
            changes=changes,
            rejected=tuple(rejected),
        )
