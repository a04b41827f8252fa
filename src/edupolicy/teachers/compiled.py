"""Compiled evaluation of teachers: incentive schedules applied teacher after teacher,
their outcomes tabled by what the rules tell apart.

A teacher on a day is taken as its key, its id, its rural service and the teacher (or
what was read of its record): :class:`TeacherSubjects`, which works out the service with
one :class:`~edupolicy.teachers.service.ServiceCount` for the day and makes the key with
the schedule's :class:`TeacherKeys` (the members of a teacher the rules read, its years
as the classes between the bounds the rules set).  :func:`incentive_evaluators` gives
the engine's tabled evaluators over them, whose results equal
:func:`~edupolicy.teachers.evaluate_incentives`'s; :func:`decided_by` says when a
teacher's title and flags alone decide a set of rules, as a selection asks first.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from operator import itemgetter
from typing import TypeAlias

import attrs

from edupolicy.i18n import Text
from edupolicy.rules import All, ExtensionCondition, Not, walk
from edupolicy.rules import Any as AnyOf
from edupolicy.rules.result import slot_setters
from edupolicy.rules.table import TabledEvaluator
from edupolicy.teachers.conditions import (
    ContinuousRuralYears,
    MeetsTitleCriteria,
    OutstandingIs,
    PostedIn,
    TitleIn,
    TotalRuralYears,
)
from edupolicy.teachers.incentives import (
    IncentiveItem,
    IncentiveOutcome,
    IncentiveRule,
    TeacherResult,
    TeacherSchedule,
    incentive_outcome,
)
from edupolicy.teachers.reading import ReadTeacher, checked_teacher, read_of, teacher_from
from edupolicy.teachers.service import (
    RuralService,
    ServiceCount,
    Teacher,
    TeacherOn,
    Title,
)
from edupolicy.values import SchoolArea

__all__ = [
    "TeacherEvaluator",
    "TeacherKeys",
    "TeacherSubject",
    "TeacherSubjects",
    "counting",
    "decided_by",
    "incentive_evaluators",
]


#: What the core's teacher conditions can read of a teacher on a day: title, the two
#: flags, the area of the school taught at, and the years of continuous and of total
#: rural service, each as the class of years the rules tell apart (:class:`TeacherKeys`).
_TeacherKey: TypeAlias = tuple[Title, bool, bool, SchoolArea | None, int, int]

#: A teacher on a day as the evaluators take one (:class:`TeacherSubjects`): its key, its
#: id, its rural service on the day, and the teacher, or what :func:`read_spans` read of
#: its record (made a :class:`Teacher` only when the rules are walked for it).
TeacherSubject: TypeAlias = tuple[_TeacherKey, "str | None", RuralService, "Teacher | ReadTeacher"]


def counting(schedule: TeacherSchedule, on: _dt.date) -> ServiceCount:
    """What works out teacher after teacher's rural service on ``on`` with the continuity
    rule of ``schedule`` (:class:`~edupolicy.teachers.service.ServiceCount`)."""
    continuity = schedule.continuity
    return ServiceCount(
        on, max_gap_days=continuity.max_gap_days, total_gap_days=continuity.total_gap_days
    )


#: Where each of the core's leaf conditions reads a teacher on a day in its key
#: (``_TeacherKey``).
_KEY_MEMBERS: Mapping[type, int] = {
    TitleIn: 0,
    MeetsTitleCriteria: 1,
    OutstandingIs: 2,
    PostedIn: 3,
    ContinuousRuralYears: 4,
    TotalRuralYears: 5,
}


class TeacherKeys:
    """What a set of rules tells apart of teachers on a day: the members of their key
    (``_TeacherKey``) that the rules' conditions read, and of the years of service, the
    classes between the bounds the conditions set (with rules of 10, 15 and 20 years,
    0 to 9 years are one class, 10 to 14 the next…): teachers of the same key are
    alike to the rules, and share an outcome.

    ``tabled`` is false when a plugin's own condition
    (:class:`~edupolicy.teachers.TeacherExtension`), which may read anything, is among
    them: no two teachers are then known to be alike.  A condition of another kind makes
    every member and every year count.
    """

    __slots__ = ("_members", "continuous", "tabled", "total")

    def __init__(self, rules: Iterable[IncentiveRule]) -> None:
        members: set[int] = set()
        years: list[ContinuousRuralYears | TotalRuralYears] = []
        known = tabled = True
        for rule in rules:
            for part in walk(rule.when):
                if isinstance(part, (All, AnyOf, Not)):
                    continue
                member = _KEY_MEMBERS.get(type(part))
                if member is None:
                    known = False
                    tabled = tabled and not isinstance(part, ExtensionCondition)
                    continue
                members.add(member)
                if isinstance(part, (ContinuousRuralYears, TotalRuralYears)):
                    years.append(part)
        self.tabled = tabled
        self._members = tuple(sorted(members)) if known else tuple(range(6))
        #: The bounds the rules set on years of continuous service, in order: a number
        #: of years is of the class of how many it reaches; ``None``: every number its
        #: own class.  Bounds, not a class per number, so that a bound of a billion
        #: years costs what a bound of ten does.
        self.continuous = _bounds(years, ContinuousRuralYears) if known else None
        #: Likewise, of total service.
        self.total = _bounds(years, TotalRuralYears) if known else None

    def key(
        self,
        title: Title,
        meets: bool,
        outstanding: bool,
        area: SchoolArea | None,
        continuous: int,
        total: int,
    ) -> Hashable:
        """The key of a teacher of this title, these flags, area and years: the members
        the rules read, the years as their classes."""
        continuous, total = self.classes(continuous, total)
        whole = (title, meets, outstanding, area, continuous, total)
        return tuple([whole[member] for member in self._members])

    def classes(self, continuous: int, total: int) -> tuple[int, int]:
        """The classes of years of continuous and of total service the rules tell apart."""
        bounds = self.continuous
        if bounds is not None:
            continuous = bisect.bisect_right(bounds, continuous)
        bounds = self.total
        if bounds is not None:
            total = bisect.bisect_right(bounds, total)
        return continuous, total


def _bounds(
    leaves: Iterable[ContinuousRuralYears | TotalRuralYears],
    kind: type[ContinuousRuralYears | TotalRuralYears],
) -> tuple[int, ...]:
    """The bounds the ``kind`` leaves set on a number of years (a minimum, or a maximum
    and one), in order.  A number's class is how many of them it reaches; two numbers of
    one class meet the same leaves."""
    return tuple(
        sorted(
            {
                bound
                for leaf in leaves
                if type(leaf) is kind
                for bound in (leaf.min, None if leaf.max is None else leaf.max + 1)
                if bound is not None
            }
        )
    )


class TeacherSubjects:
    """Teachers on one day as the evaluators of a schedule take them (``TeacherSubject``):
    each one's rural service worked out by one :class:`ServiceCount` (:func:`counting`),
    and its key, by the schedule's :class:`TeacherKeys`."""

    __slots__ = ("_count", "_keys")

    def __init__(self, schedule: TeacherSchedule, on: _dt.date) -> None:
        self._count = counting(schedule, on)
        self._keys = TeacherKeys(schedule.rules)

    def __call__(self, teacher: Teacher | ReadTeacher) -> TeacherSubject:
        """``teacher`` as the evaluators take it."""
        title, meets, outstanding, teacher_id, spans = read_of(teacher)
        count = self._count
        numbers = count.numbers(spans)
        # The whole key (a schedule's rules read every member of it), the years as the
        # classes of years the rules tell apart.
        continuous, total = self._keys.classes(numbers[2], numbers[4])
        key = (title, meets, outstanding, numbers[0], continuous, total)
        return key, teacher_id, count.of(numbers), teacher


def decided_by(
    rules: Iterable[IncentiveRule], title: Title, meets: bool, outstanding: bool, on: _dt.date
) -> bool | None:
    """Whether one of ``rules`` holds for a teacher of ``title`` and these flags whatever
    the teacher's service on ``on``: ``True`` or ``False`` when their conditions decide
    it without asking of the service, else ``None``.

    Each condition is asked with what is known (three-valued: ``None`` is not known):
    a leaf that reads only the title or a flag answers; any other is not known; ``all``
    is false when one part is, ``any`` true when one part is, ``not`` turns what is known.
    """
    subject = TeacherOn(
        teacher=checked_teacher(
            service=(),
            title=title,
            meets_title_criteria=meets,
            outstanding=outstanding,
            teacher_id=None,
        ),
        service=RuralService(
            on=on,
            current_area=None,
            continuous_since=None,
            continuous_years=0,
            total_days=0,
            total_years=0,
        ),
    )
    found: bool | None = False
    for rule in rules:
        holds = _known(rule.when, subject)
        if holds:
            return True
        if holds is None:
            found = None
    return found


#: The core's leaf conditions that read only a teacher's title or flags.
_OWN_LEAVES = (TitleIn, MeetsTitleCriteria, OutstandingIs)


def _known(condition: object, subject: TeacherOn) -> bool | None:
    """Whether ``condition`` holds of ``subject`` when only its teacher's title and flags
    are known (:func:`decided_by`)."""
    if isinstance(condition, (All, AnyOf)):
        decisive = isinstance(condition, AnyOf)
        found: bool | None = not decisive
        for part in condition.conditions:
            holds = _known(part, subject)
            if holds is decisive:
                return decisive
            if holds is None:
                found = None
        return found
    if isinstance(condition, Not):
        holds = _known(condition.condition, subject)
        return None if holds is None else not holds
    if isinstance(condition, _OWN_LEAVES) and type(condition) in _OWN_LEAVES:
        return condition.holds(subject)
    return None


def _subject(read: TeacherSubject) -> TeacherOn:
    """The subject of the rules: the teacher (made from what was read) and its service."""
    _key, _id, service, teacher = read
    if not isinstance(teacher, Teacher):
        teacher = teacher_from(teacher)
    return TeacherOn(teacher=teacher, service=service)


#: The evaluator of a teacher schedule: incentive results of teachers on a day, by key.
TeacherEvaluator: TypeAlias = TabledEvaluator[
    TeacherSubject, _TeacherKey, IncentiveOutcome, TeacherResult
]


def incentive_evaluators(
    schedule: TeacherSchedule,
    *,
    region: str,
    plan: str,
    sections: Mapping[str, Text],
    readings: Mapping[str, str],
) -> tuple[TeacherEvaluator, TeacherEvaluator]:
    """The evaluators of ``schedule``: without explanation, and with it.

    They take a teacher on a day as :class:`TeacherSubjects` gives it; results equal
    :func:`evaluate_incentives`'s.  Without explanation, the rules that apply to a
    teacher are tabled by ``_TeacherKey``, so the condition trees are walked once per
    combination; the teacher's own rural service is still worked out for each teacher,
    and reported.  A schedule with a plugin's own conditions
    (:class:`~edupolicy.teachers.TeacherExtension`), which may read anything of a
    teacher, is always evaluated plainly, as is every explained evaluation (what a
    teacher lacks depends on the whole career).
    """
    # One item per rule, shared by every outcome that gives it (and its JSON with it).
    shared: dict[str, IncentiveItem] = {}
    set_region, set_plan, set_on, set_id, set_outcome, set_readings, set_service = _RESULT
    plain = TeacherKeys(schedule.rules).tabled

    def build(subject: TeacherSubject, on: _dt.date, outcome: IncentiveOutcome) -> TeacherResult:
        # Made without its ``__init__``: a result is made for every teacher, and its
        # fields have no checks to run.
        result: TeacherResult = _new(TeacherResult)
        set_region(result, region)
        set_plan(result, plan)
        set_on(result, on)
        set_id(result, subject[1])
        set_outcome(result, outcome)
        set_readings(result, readings)
        set_service(result, subject[2])
        return result

    # One outcome for every key that gives the same rules and explains nothing (years
    # of service tell keys apart; what they give differs far less), so that its JSON is
    # made once for all of them.
    alike: dict[tuple[str, ...], IncentiveOutcome] = {}

    def evaluator(explain: bool) -> TeacherEvaluator:
        def evaluate(subject: TeacherSubject, locale: str | None) -> IncentiveOutcome:
            found = incentive_outcome(
                schedule, _subject(subject), explain=explain, locale=locale, sections=sections
            )
            items = tuple(shared.setdefault(item.rule.id, item) for item in found.items)
            outcome = attrs.evolve(found, items=items)
            if outcome.not_applied is not None or len(alike) >= _ALIKE_LIMIT:
                return outcome
            return alike.setdefault(tuple(item.rule.id for item in items), outcome)

        key = _KEY if plain and not explain else None
        return TabledEvaluator(key=key, evaluate=evaluate, build=build)

    return evaluator(False), evaluator(True)


_KEY: Callable[[TeacherSubject], _TeacherKey] = itemgetter(0)
_new = object.__new__
_RESULT = slot_setters(
    TeacherResult, "region", "plan", "on", "subject_id", "outcome", "readings", "service"
)

#: How many outcomes alike in what they give are kept, at most.
_ALIKE_LIMIT = 1 << 10
