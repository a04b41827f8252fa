"""Selection: choosing a year's cohort of a programme under a quota.

A **quota** (:class:`~edupolicy.teachers.Quota`) allows at most so many teachers a
year, chosen from the eligible candidates by a declared ranking whose last key is the
teacher's id, so that a selection never depends on the order of the input:
:func:`select_from`.

Every function here is pure: the date is always passed in, never read from the clock.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property

import attrs

from edupolicy.errors import MISSING, FieldProblem, InvalidRecordError
from edupolicy.i18n import Message, _
from edupolicy.rules import join_or
from edupolicy.rules.writing import Written
from edupolicy.teachers.incentives import (
    IncentiveRule,
    Quota,
    TeacherSchedule,
    read_by_key,
    teacher_on,
)
from edupolicy.teachers.service import RuralService, Teacher, TeacherOn

__all__ = ["NEEDS_AN_ID", "CandidateResult", "Selection", "select_from"]

#: What is wrong with a candidate without an id, wherever candidates are read.
NEEDS_AN_ID: Message = _("a candidate needs an id: ties are broken by id")


def _eligible(rules: Sequence[IncentiveRule], teacher: Teacher, service: RuralService) -> bool:
    """Whether ``teacher`` meets one of the eligibility ``rules`` of a programme."""
    subject = TeacherOn(teacher=teacher, service=service)
    return any(rule.when.holds(subject) for rule in rules)


@attrs.frozen(kw_only=True)
class CandidateResult(Written):
    """One candidate of a selection: eligible or not, ranked, selected or not, and why."""

    teacher: Teacher
    service: RuralService
    eligible: bool
    #: The rank among the eligible candidates, counted from 1; ``None`` when not eligible.
    rank: int | None
    selected: bool
    #: Why the candidate was selected or not: the message, or what makes it when it is
    #: first asked for (a cohort is chosen from thousands of candidates, and the words
    #: for why each was not eligible are wanted for few of them).
    _reason: Message | Callable[[], Message] = attrs.field(alias="reason", eq=False, repr=False)

    @cached_property
    def reason(self) -> Message:
        """Why the candidate was selected or not."""
        reason = self._reason
        return reason if isinstance(reason, Message) else reason()

    @property
    def teacher_id(self) -> str:
        return self.teacher.id or ""


@attrs.frozen(kw_only=True)
class Selection(Written):
    """A year's cohort of a quota: every candidate, selected ones first, in rank order.

    Eligible candidates follow the selected ones in rank order; candidates who are not
    eligible come last, by id.
    """

    region: str
    plan: str
    quota: Quota
    year: int
    #: The day the candidates' service was counted on.
    on: _dt.date
    candidates: tuple[CandidateResult, ...]
    #: The readings of the plan in force: reading id → the choice applied.
    readings: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def selected(self) -> tuple[CandidateResult, ...]:
        """The candidates selected, in rank order."""
        return tuple(c for c in self.candidates if c.selected)

    @property
    def not_selected(self) -> tuple[CandidateResult, ...]:
        """The candidates not selected, each with the reason."""
        return tuple(c for c in self.candidates if not c.selected)


def _candidate_ids(teachers: Sequence[Teacher], locale: str | None) -> None:
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for index, teacher in enumerate(teachers):
        if teacher.id is None:
            problems.append(
                FieldProblem(
                    f"$[{index}].id",
                    MISSING,
                    NEEDS_AN_ID,
                )
            )
        elif teacher.id in seen:
            problems.append(
                FieldProblem(
                    f"$[{index}].id",
                    teacher.id,
                    _("the candidate at [{other}] has the same id", other=seen[teacher.id]),
                )
            )
        else:
            seen[teacher.id] = index
    if problems:
        raise InvalidRecordError(_("Invalid candidate list"), problems, locale=locale)


def select_from(
    schedule: TeacherSchedule,
    quota: Quota,
    teachers: Sequence[Teacher],
    *,
    region: str,
    plan: str,
    year: int,
    locale: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> Selection:
    """Select at most ``quota.per_year`` of ``teachers`` for ``year``: a pure function.

    Every teacher needs an id, and no two the same: the last ranking key is the id.
    """
    _candidate_ids(teachers, locale)
    rules = schedule.programme_rules(quota.id)
    on = quota.on(year)
    # Each candidate's eligibility: once per key of what the rules read, when that is
    # all they read.
    tabled: dict[object, bool] | None = {} if read_by_key(rules) else None
    eligible: list[tuple[Teacher, RuralService]] = []
    ineligible: list[tuple[Teacher, RuralService]] = []
    for teacher in teachers:
        read_key, _id, service, _read = teacher_on(schedule, teacher, on)
        ok = tabled.get(read_key) if tabled is not None else None
        if ok is None:
            ok = _eligible(rules, teacher, service)
            if tabled is not None:
                tabled[read_key] = ok
        (eligible if ok else ineligible).append((teacher, service))
    keys = {id(pair[0]): quota.sort_key(*pair) for pair in eligible}
    eligible.sort(key=lambda pair: keys[id(pair[0])])
    count = len(eligible)
    chosen = eligible[: quota.per_year]
    theirs = keys[id(chosen[-1][0])] if chosen else ()
    results: list[CandidateResult] = []
    for rank, (teacher, service) in enumerate(eligible, start=1):
        if rank <= quota.per_year:
            reason = _(
                "selected: ranked {rank} of {count} eligible; the quota is {quota} a year",
                rank=rank,
                count=count,
                quota=quota.per_year,
            )
        else:
            last_teacher, last_service = chosen[-1]
            mine = keys[id(teacher)]
            key = next(k for k, a, b in zip(quota.ranking, mine, theirs, strict=True) if a != b)
            reason = _(
                "not selected: ranked {rank} of {count} eligible and the quota is {quota} a "
                "year; {detail}",
                rank=rank,
                count=count,
                quota=quota.per_year,
                detail=key.behind(teacher, service, last_teacher, last_service),
            )
        results.append(
            CandidateResult(
                teacher=teacher,
                service=service,
                eligible=True,
                rank=rank,
                selected=rank <= quota.per_year,
                reason=reason,
            )
        )
    for teacher, service in sorted(ineligible, key=lambda pair: pair[0].id or ""):
        results.append(
            CandidateResult(
                teacher=teacher,
                service=service,
                eligible=False,
                rank=None,
                selected=False,
                reason=functools.partial(_not_eligible, rules, teacher, service),
            )
        )
    return Selection(
        region=region,
        plan=plan,
        quota=quota,
        year=year,
        on=on,
        candidates=tuple(results),
        readings=readings if readings is not None else {},
    )


def _not_eligible(
    rules: Sequence[IncentiveRule], teacher: Teacher, service: RuralService
) -> Message:
    """Why ``teacher`` meets none of a programme's eligibility ``rules``."""
    subject = TeacherOn(teacher=teacher, service=service)
    why = [rule.when.why_not(subject) for rule in rules]
    reasons = [m for m in why if m is not None]
    return _(
        "not eligible: {reason}",
        reason=join_or(reasons) if reasons else _("its condition does not hold"),
    )
