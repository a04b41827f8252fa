"""Selection: choosing a year's cohort of a programme under a quota.

A **quota** (:class:`~edupolicy.teachers.Quota`) allows at most so many teachers a
year, chosen from the eligible candidates by a declared ranking whose last key is the
teacher's id, so that a selection never depends on the order of the input:
:func:`select_from`.

Every function here is pure: the date is always passed in, never read from the clock.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from operator import itemgetter
from typing import TypeVar

import attrs

from edupolicy.errors import MISSING, FieldProblem, InvalidRecordError
from edupolicy.i18n import Message, _
from edupolicy.rules import join_or
from edupolicy.rules.result import slot_setters
from edupolicy.rules.writing import Written
from edupolicy.teachers.compiled import TeacherKeys, counting, decided_by
from edupolicy.teachers.incentives import IncentiveRule, Quota, TeacherSchedule
from edupolicy.teachers.reading import ReadTeacher, read_of, teacher_from
from edupolicy.teachers.service import (
    RuralService,
    ServiceCount,
    ServiceNumbers,
    Teacher,
    TeacherOn,
    Title,
)

__all__ = ["NEEDS_AN_ID", "CandidateResult", "Selection", "select_from"]

#: What is wrong with a candidate without an id, wherever candidates are read.
NEEDS_AN_ID: Message = _("a candidate needs an id: ties are broken by id")

_T = TypeVar("_T")


def _eligible(rules: Sequence[IncentiveRule], teacher: Teacher, service: RuralService) -> bool:
    """Whether ``teacher`` meets one of the eligibility ``rules`` of a programme."""
    subject = TeacherOn(teacher=teacher, service=service)
    return any(rule.when.holds(subject) for rule in rules)


def _made(value: _T | Callable[[], _T]) -> _T:
    """``value``, or what it makes when it is a maker of one."""
    return value() if callable(value) else value


@attrs.frozen(kw_only=True)
class CandidateResult(Written):
    """One candidate of a selection: eligible or not, ranked, selected or not, and why."""

    #: The candidate, or what makes it when it is first asked for: a cohort is chosen
    #: from thousands of candidates, most of whom nobody looks at again.
    _teacher: Teacher | Callable[[], Teacher] = attrs.field(
        alias="teacher", eq=_made, repr=lambda value: repr(_made(value))
    )
    #: The candidate's rural service on the counting day, or what makes it.
    _service: RuralService | Callable[[], RuralService] = attrs.field(
        alias="service", eq=_made, repr=lambda value: repr(_made(value))
    )
    eligible: bool
    #: The rank among the eligible candidates, counted from 1; ``None`` when not eligible.
    rank: int | None
    selected: bool
    #: Why the candidate was selected or not: the message, or what makes it when it is
    #: first asked for (the words for why each was not eligible are wanted for few).
    _reason: Message | Callable[[], Message] = attrs.field(alias="reason", eq=False, repr=False)

    @cached_property
    def teacher(self) -> Teacher:
        """The candidate."""
        return _made(self._teacher)

    @cached_property
    def service(self) -> RuralService:
        """The candidate's rural service on the day it was counted."""
        return _made(self._service)

    @cached_property
    def reason(self) -> Message:
        """Why the candidate was selected or not."""
        return _made(self._reason)

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


def _candidate_ids(ids: Sequence[str | None], locale: str | None) -> None:
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for index, teacher_id in enumerate(ids):
        if teacher_id is None:
            problems.append(
                FieldProblem(
                    f"$[{index}].id",
                    MISSING,
                    NEEDS_AN_ID,
                )
            )
        elif teacher_id in seen:
            problems.append(
                FieldProblem(
                    f"$[{index}].id",
                    teacher_id,
                    _("the candidate at [{other}] has the same id", other=seen[teacher_id]),
                )
            )
        else:
            seen[teacher_id] = index
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
    return select_read(
        schedule,
        quota,
        teachers,
        region=region,
        plan=plan,
        year=year,
        locale=locale,
        readings=readings,
    )


def select_read(
    schedule: TeacherSchedule,
    quota: Quota,
    teachers: Sequence[Teacher | ReadTeacher],
    *,
    region: str,
    plan: str,
    year: int,
    locale: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> Selection:
    """:func:`select_from`, where a teacher may also be given as what
    :func:`~edupolicy.teachers.service.read_spans` read of its record: its
    :class:`Teacher` is then made only for an eligible candidate, or when a
    candidate's is asked for, and its rural service only when its title and flags do
    not decide that it is not eligible, or when it is asked for."""
    _candidate_ids([t.id if isinstance(t, Teacher) else t[3] for t in teachers], locale)
    rules = schedule.programme_rules(quota.id)
    count = counting(schedule, quota.on(year))
    # Each candidate's eligibility: once per value of what the rules read of its key
    # (for most programmes a few of its six members), when that is all they read.
    alike = TeacherKeys(rules)
    tabled: dict[object, bool] = {}
    # And before that, once per title and flags: whether they decide it, whatever the
    # service (most teachers are not outstanding, and most programmes ask that they be).
    own: dict[tuple[Title, bool, bool], bool | None] = {}
    eligible: list[tuple[Teacher, RuralService]] = []
    ineligible: list[tuple[str, Teacher | ReadTeacher, ServiceNumbers | None]] = []
    for teacher in teachers:
        title, meets, outstanding, teacher_id, spans = read_of(teacher)
        flags = (title, meets, outstanding)
        if flags in own:
            ok = own[flags]
        else:
            ok = own[flags] = decided_by(rules, title, meets, outstanding, count.on)
        if ok is False:
            ineligible.append((teacher_id or "", teacher, None))
            continue
        numbers = count.numbers(spans)
        if ok is None and alike.tabled:
            key = alike.key(title, meets, outstanding, numbers[0], numbers[2], numbers[4])
            ok = tabled.get(key)
        if ok is None:
            whole, service = _whole(teacher), count.of(numbers)
            ok = _eligible(rules, whole, service)
            if alike.tabled:
                tabled[key] = ok
            if ok:
                eligible.append((whole, service))
                continue
        if ok:
            eligible.append((_whole(teacher), count.of(numbers)))
        else:
            ineligible.append((teacher_id or "", teacher, numbers))
    keys = {id(pair[0]): quota.sort_key(*pair) for pair in eligible}
    eligible.sort(key=lambda pair: keys[id(pair[0])])
    count_eligible = len(eligible)
    chosen = eligible[: quota.per_year]
    theirs = keys[id(chosen[-1][0])] if chosen else ()
    results: list[CandidateResult] = []
    for rank, (whole, service) in enumerate(eligible, start=1):
        if rank <= quota.per_year:
            reason = _(
                "selected: ranked {rank} of {count} eligible; the quota is {quota} a year",
                rank=rank,
                count=count_eligible,
                quota=quota.per_year,
            )
        else:
            last_teacher, last_service = chosen[-1]
            mine = keys[id(whole)]
            key = next(k for k, a, b in zip(quota.ranking, mine, theirs, strict=True) if a != b)
            reason = _(
                "not selected: ranked {rank} of {count} eligible and the quota is {quota} a "
                "year; {detail}",
                rank=rank,
                count=count_eligible,
                quota=quota.per_year,
                detail=key.behind(whole, service, last_teacher, last_service),
            )
        results.append(
            CandidateResult(
                teacher=whole,
                service=service,
                eligible=True,
                rank=rank,
                selected=rank <= quota.per_year,
                reason=reason,
            )
        )
    ineligible.sort(key=itemgetter(0))
    for _id, teacher, known in ineligible:
        results.append(_Ineligible(rules, count, teacher, known).candidate())
    return Selection(
        region=region,
        plan=plan,
        quota=quota,
        year=year,
        on=count.on,
        candidates=tuple(results),
        readings=readings if readings is not None else {},
    )


def _whole(teacher: Teacher | ReadTeacher) -> Teacher:
    return teacher if isinstance(teacher, Teacher) else teacher_from(teacher)


_new = object.__new__
_CANDIDATE = slot_setters(
    CandidateResult, "_teacher", "_service", "eligible", "rank", "selected", "_reason"
)


class _Ineligible:
    """A candidate who is not eligible, and what makes its teacher, its service and the
    reason when they are first asked for: once each."""

    __slots__ = ("_count", "_numbers", "_rules", "_teacher")

    def __init__(
        self,
        rules: Sequence[IncentiveRule],
        count: ServiceCount,
        teacher: Teacher | ReadTeacher,
        numbers: ServiceNumbers | None,
    ) -> None:
        self._rules = rules
        self._count = count
        self._teacher = teacher
        self._numbers = numbers

    def candidate(self) -> CandidateResult:
        """The candidate's result (made without its ``__init__``, as one is made for
        nearly every candidate: its fields have no checks to run)."""
        result: CandidateResult = _new(CandidateResult)
        set_teacher, set_service, set_eligible, set_rank, set_selected, set_reason = _CANDIDATE
        set_teacher(result, self.teacher)
        set_service(result, self.service)
        set_eligible(result, False)
        set_rank(result, None)
        set_selected(result, False)
        set_reason(result, self.reason)
        return result

    def teacher(self) -> Teacher:
        return _whole(self._teacher)

    def service(self) -> RuralService:
        numbers = self._numbers
        if numbers is None:
            return self._count.service(read_of(self._teacher)[4])
        return self._count.of(numbers)

    def reason(self) -> Message:
        return _not_eligible(self._rules, self.teacher(), self.service())


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
