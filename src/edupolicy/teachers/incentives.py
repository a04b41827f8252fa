"""Incentive schedules: what years of rural service earn a teacher, and why.

A :class:`TeacherSchedule` is the engine's :class:`~edupolicy.rules.Schedule` of
:class:`IncentiveRule` objects (a condition over a teacher on a date, and the
:data:`~edupolicy.teachers.Outcome` it earns), with the plan's :class:`Continuity`
rule, its quotas (chosen by :mod:`edupolicy.teachers.selection`) and its shares
(checked by :mod:`edupolicy.teachers.shares`).
:func:`evaluate_incentives` applies it to a teacher on a date, and says what the
teacher lacks for each outcome not yet earned.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import enum
import math
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any, ClassVar, TypeAlias

import attrs

from edupolicy.decimals import exact
from edupolicy.errors import FieldProblem, InvalidRecordError, field_check, field_type
from edupolicy.i18n import Count, Message, Text, _
from edupolicy.rules import (
    All,
    Applied,
    ExtensionCondition,
    Lack,
    Not,
    NotApplied,
    Result,
    Rule,
    Schedule,
    Source,
    evaluate,
    walk,
)
from edupolicy.rules import Any as AnyOf
from edupolicy.rules.table import TabledEvaluator
from edupolicy.teachers.conditions import (
    ContinuousRuralYears,
    MeetsTitleCriteria,
    OutstandingIs,
    PostedIn,
    TitleIn,
    TotalRuralYears,
)
from edupolicy.teachers.outcomes import Outcome, Programme
from edupolicy.teachers.service import (
    ReadTeacher,
    RuralService,
    ServiceCount,
    Teacher,
    TeacherOn,
    Title,
    checked_teacher,
    slot_setters,
    teacher_from,
)
from edupolicy.values import SchoolArea

__all__ = [
    "Continuity",
    "Counting",
    "IncentiveItem",
    "IncentiveOutcome",
    "IncentiveRule",
    "Quota",
    "RankKey",
    "Share",
    "TeacherResult",
    "TeacherSchedule",
    "evaluate_incentives",
]


@attrs.frozen(kw_only=True)
class IncentiveRule(Rule[TeacherOn]):
    """One incentive rule: a condition over a teacher on a date, and what it earns."""

    explains_lacks: ClassVar[bool] = True

    outcome: Outcome

    def gives(self) -> Message | Text:
        return self.outcome.describe()


@attrs.frozen(kw_only=True)
class Continuity:
    """How a plan reads continuous service (连续任教)."""

    #: The longest gap, in days, between two rural postings that does not break a run.
    max_gap_days: int = attrs.field(
        metadata={"json": {"minimum": 0}},
        validator=field_check(lambda _self, v: v >= 0, lambda *_args: _("must be 0 or more")),
    )
    source: Source
    #: The longest gap whose days count toward total rural service (从教), where it differs
    #: from ``max_gap_days``: a reading of continuity that tolerates a longer gap (a year's
    #: leave) need not count the leave as years taught.  ``None``: ``max_gap_days``.
    total_gap_days: int | None = attrs.field(
        default=None,
        metadata={"json": {"minimum": 0}},
        validator=field_check(
            lambda _self, v: v is None or v >= 0, lambda *_args: _("must be 0 or more")
        ),
    )


class RankKey(enum.Enum):
    """A key of a quota's ranking; earlier keys decide first."""

    #: More years of rural service in all first.
    TOTAL_RURAL_YEARS = "total_rural_years"
    #: More days of rural service in all first.
    TOTAL_RURAL_DAYS = "total_rural_days"
    #: More years of continuous rural service first.
    CONTINUOUS_RURAL_YEARS = "continuous_rural_years"
    #: Teachers rated outstanding first.
    OUTSTANDING = "outstanding"
    #: Higher titles first.
    TITLE = "title"
    #: The teacher's id, in code-point order: the deterministic tie-break.
    ID = "id"

    @property
    def label(self) -> Message:
        """The key in words."""
        return _RANK_LABELS[self]

    def value_of(self, teacher: Teacher, service: RuralService) -> int | str:
        """The value this key sorts ``teacher`` by: smaller is ranked first."""
        if self is RankKey.TOTAL_RURAL_YEARS:
            return -service.total_years
        if self is RankKey.TOTAL_RURAL_DAYS:
            return -service.total_days
        if self is RankKey.CONTINUOUS_RURAL_YEARS:
            return -service.continuous_years
        if self is RankKey.OUTSTANDING:
            return 0 if teacher.outstanding else 1
        if self is RankKey.TITLE:
            return -teacher.title.rank
        return teacher.id or ""

    def behind(
        self,
        teacher: Teacher,
        service: RuralService,
        other: Teacher,
        other_service: RuralService,
    ) -> Message:
        """Why ``teacher`` ranks behind ``other`` when this key is the first that differs."""
        name = other.id or ""
        if self is RankKey.TOTAL_RURAL_YEARS:
            return _(
                "fewer years of rural service in all than {other} ({mine} against {theirs})",
                other=name,
                mine=service.total_years,
                theirs=other_service.total_years,
            )
        if self is RankKey.TOTAL_RURAL_DAYS:
            return _(
                "fewer days of rural service in all than {other} ({mine} against {theirs})",
                other=name,
                mine=Count(service.total_days),
                theirs=Count(other_service.total_days),
            )
        if self is RankKey.CONTINUOUS_RURAL_YEARS:
            return _(
                "fewer years of continuous rural service than {other} ({mine} against {theirs})",
                other=name,
                mine=service.continuous_years,
                theirs=other_service.continuous_years,
            )
        if self is RankKey.OUTSTANDING:
            return _("work not rated outstanding, unlike {other}", other=name)
        if self is RankKey.TITLE:
            return _(
                "a lower title than {other} ({mine} against {theirs})",
                other=name,
                mine=teacher.title.label,
                theirs=other.title.label,
            )
        return _(
            "tied with {other} on every other ranking key; the tie-break by id puts {other} first",
            other=name,
        )


_RANK_LABELS: Mapping[RankKey, Message] = {
    RankKey.TOTAL_RURAL_YEARS: _("more years of rural service in all first"),
    RankKey.TOTAL_RURAL_DAYS: _("more days of rural service in all first"),
    RankKey.CONTINUOUS_RURAL_YEARS: _("more years of continuous rural service first"),
    RankKey.OUTSTANDING: _("teachers rated outstanding first"),
    RankKey.TITLE: _("higher titles first"),
    RankKey.ID: _("then by id, in code-point order"),
}

_MONTH_DAY = re.compile(r"^([0-9]{2})-([0-9]{2})$")


def _month_day(text: str) -> tuple[int, int] | None:
    match = _MONTH_DAY.match(text)
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        _dt.date(2001, month, day)  # a common year: 02-29 is not a day of every year
    except ValueError:
        return None
    return month, day


def _check_ranking(_instance: object, _attribute: object, ranking: tuple[RankKey, ...]) -> None:
    """Validator of :attr:`Quota.ranking`: it ends with ``id`` and repeats no key."""
    problems = []
    if not ranking or ranking[-1] is not RankKey.ID:
        problems.append(
            FieldProblem(
                "$.ranking",
                [key.value for key in ranking],
                _("must end with id, so that ties are always broken the same way"),
            )
        )
    for position, key in enumerate(ranking):
        if key in ranking[:position]:
            problems.append(
                FieldProblem(f"$.ranking[{position}]", key.value, _("listed more than once"))
            )
    if problems:
        raise InvalidRecordError(_("Invalid value"), problems)


@attrs.frozen(kw_only=True)
class Quota:
    """At most ``per_year`` teachers a year for programme ``id``, chosen by ``ranking``."""

    #: The programme's id, as the outcome of its eligibility rules names it.
    id: str
    name: Text
    per_year: int = attrs.field(
        metadata={"json": {"minimum": 1}},
        validator=field_check(lambda _self, v: v >= 1, lambda *_args: _("must be 1 or more")),
    )
    #: The day of the year (``MM-DD``) on which candidates' service is counted.
    counted_on: str = attrs.field(
        metadata={"json": {"pattern": "(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"}},
        validator=field_check(
            lambda _self, v: _month_day(v) is not None,
            lambda *_args: _("must be a day of every year, written MM-DD"),
        ),
    )
    #: The ranking keys, first decisive first; the last is always ``id``.
    ranking: tuple[RankKey, ...] = attrs.field(
        metadata={"json": {"unique": True, "min_items": 1}}, validator=_check_ranking
    )
    source: Source

    def on(self, year: int) -> _dt.date:
        """The day of ``year`` on which candidates' service is counted."""
        found = _month_day(self.counted_on)
        assert found is not None, "checked when the plan was made"
        return _dt.date(year, *found)

    def sort_key(self, teacher: Teacher, service: RuralService) -> tuple[int | str, ...]:
        """The ranking of ``teacher``: candidates are sorted by it, smallest first."""
        return tuple(key.value_of(teacher, service) for key in self.ranking)


class Counting(enum.Enum):
    """Over what a share is counted: the whole award list, or each kind of award."""

    #: Every entry of the list counts together, collectives and individuals alike.
    TOGETHER = "together"
    #: Collectives (先进集体) and individuals (先进个人) each meet the share on their own.
    BY_KIND = "by_kind"


@attrs.frozen(kw_only=True)
class Share:
    """At least ``min_percent`` percent of an award list goes to rural schools or teachers.

    ``counted`` says whether the percentage holds over the whole list
    (:attr:`Counting.TOGETHER`) or over its collectives and its individuals each
    (:attr:`Counting.BY_KIND`).
    """

    id: str
    name: Text
    #: The percentage, exact (``Decimal("30")`` is 30%).
    min_percent: Decimal = attrs.field(
        metadata={"json": {"read": "percent"}},
        validator=field_check(
            lambda _self, v: Decimal(0) < v <= Decimal(100),
            lambda *_args: _("must be more than 0 and at most 100"),
        ),
    )
    source: Source
    #: Whether the share holds over the whole list, or over each kind of award.
    counted: Counting = attrs.field(
        default=Counting.TOGETHER,
        validator=field_type(lambda v: isinstance(v, Counting), "Counting"),
    )

    @exact
    def required(self, size: int) -> int:
        """How many of ``size`` awards must be rural: ``min_percent`` of them, rounded up."""
        return math.ceil(Decimal(size) * self.min_percent / 100)

    @exact
    def meets(self, rural: int, size: int) -> bool:
        """Whether ``rural`` rural awards of ``size`` meet the share."""
        return Decimal(rural) * 100 >= self.min_percent * size


@attrs.frozen(kw_only=True)
class TeacherSchedule(Schedule[IncentiveRule]):
    """The teacher-incentive rules of one plan, its continuity rule, quotas and shares."""

    continuity: Continuity
    quotas: tuple[Quota, ...] = ()
    shares: tuple[Share, ...] = ()

    def quota(self, quota_id: str) -> Quota:
        """The quota of programme ``quota_id``; :class:`KeyError` when there is none."""
        for quota in self.quotas:
            if quota.id == quota_id:
                return quota
        raise KeyError(quota_id)

    def share(self, share_id: str) -> Share:
        """The share with id ``share_id``; :class:`KeyError` when there is none."""
        for share in self.shares:
            if share.id == share_id:
                return share
        raise KeyError(share_id)

    def service(self, teacher: Teacher, on: _dt.date) -> RuralService:
        """``teacher``'s rural service on ``on``, read with this plan's continuity rule."""
        continuity = self.continuity
        return teacher.rural_service(
            on, max_gap_days=continuity.max_gap_days, total_gap_days=continuity.total_gap_days
        )

    def programme_rules(self, programme: str) -> list[IncentiveRule]:
        """The rules whose outcome is eligibility for ``programme``."""
        return [
            rule
            for rule in self.rules
            if isinstance(rule.outcome, Programme) and rule.outcome.programme == programme
        ]


@attrs.frozen(kw_only=True)
class IncentiveItem(Applied[IncentiveRule]):
    """One rule whose outcome the teacher earns."""

    @property
    def outcome(self) -> Outcome:
        return self.rule.outcome


@attrs.frozen(kw_only=True)
class IncentiveOutcome:
    """What a teacher earns: the same for every teacher alike in what the rules read."""

    items: tuple[IncentiveItem, ...]
    #: Rules that did not apply, with the reason and what is lacking; ``None`` unless
    #: asked for.
    not_applied: tuple[NotApplied[IncentiveRule], ...] | None = None
    #: The JSON of the results with this outcome but what is each one's own, kept by the
    #: writer of their JSON (by where they come from, date and locale): every teacher
    #: alike in what the rules read shares it.  Not part of the outcome's value.
    rendered: dict[object, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class TeacherResult(Result[IncentiveOutcome]):
    """The incentives one teacher earns under the plan in force on a date.

    The envelope of every result (:class:`~edupolicy.rules.Result`) around an
    :class:`IncentiveOutcome`, whose fields it also gives as its own, and the teacher's
    own rural service on the date.
    """

    service: RuralService

    @property
    def teacher_id(self) -> str | None:
        """The record's id."""
        return self.subject_id

    @property
    def items(self) -> tuple[IncentiveItem, ...]:
        """The rules whose outcome the teacher earns, in the order of the plan."""
        return self.outcome.items

    @property
    def not_applied(self) -> tuple[NotApplied[IncentiveRule], ...] | None:
        """Rules that did not apply, with the reason and what is lacking; ``None`` unless
        asked for."""
        return self.outcome.not_applied

    @property
    def lacking(self) -> tuple[Lack[IncentiveRule], ...]:
        """What the teacher lacks for each outcome still within reach, soonest first.

        Empty unless the evaluation was asked to explain.  Outcomes that time alone
        brings come first, by the day they are reached; the others follow in plan order.
        """
        lacks = [e.lack for e in self.not_applied or () if e.lack is not None]
        return tuple(
            sorted(
                lacks,
                key=lambda lack: (lack.reached_on is None, lack.reached_on or _dt.date.max),
            )
        )


_THIS_TEACHER = _("this teacher")


def _item(rule: IncentiveRule, sections: Mapping[str, Text]) -> IncentiveItem:
    """The item of a rule that applied, with the title of its section."""
    return IncentiveItem(rule=rule, section_title=rule.source.title_in(sections))


def evaluate_incentives(
    schedule: TeacherSchedule,
    teacher: Teacher,
    *,
    region: str,
    plan: str,
    on: _dt.date,
    explain: bool = False,
    locale: str | None = None,
    sections: Mapping[str, Text] | None = None,
    readings: Mapping[str, str] | None = None,
) -> TeacherResult:
    """Apply ``schedule`` to ``teacher`` on ``on``: a pure function of its arguments.

    ``readings`` (reading id → choice id), the readings the schedule's plan was read
    under, are reported in the result.
    """
    service = schedule.service(teacher, on)
    subject = TeacherOn(teacher=teacher, service=service)
    return TeacherResult(
        region=region,
        plan=plan,
        on=on,
        subject_id=teacher.id,
        service=service,
        outcome=_incentive_outcome(
            schedule, subject, explain=explain, locale=locale, sections=sections
        ),
        readings=readings if readings is not None else {},
    )


def _incentive_outcome(
    schedule: TeacherSchedule,
    subject: TeacherOn,
    *,
    explain: bool = False,
    locale: str | None = None,
    sections: Mapping[str, Text] | None = None,
) -> IncentiveOutcome:
    """What ``subject`` earns under ``schedule``: :func:`evaluate_incentives` but the
    envelope and the service."""
    found = evaluate(schedule, subject, who=_THIS_TEACHER, explain=explain, locale=locale)
    titles = sections or {}
    return IncentiveOutcome(
        items=tuple(_item(rule, titles) for rule in found.applied),
        not_applied=found.not_applied,
    )


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
        #: The class of each number of years of continuous service, up to the highest
        #: bound (past it, the last); ``None``: every number its own class.
        self.continuous = _classes(years, ContinuousRuralYears) if known else None
        #: Likewise, of total service.
        self.total = _classes(years, TotalRuralYears) if known else None

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
        steps = self.continuous
        if steps is not None:
            continuous = steps[continuous] if continuous < len(steps) else steps[-1]
        steps = self.total
        if steps is not None:
            total = steps[total] if total < len(steps) else steps[-1]
        whole = (title, meets, outstanding, area, continuous, total)
        return tuple([whole[member] for member in self._members])


def _classes(
    leaves: Iterable[ContinuousRuralYears | TotalRuralYears],
    kind: type[ContinuousRuralYears | TotalRuralYears],
) -> tuple[int, ...]:
    """For each number of years from 0 to the highest bound the ``kind`` leaves set, its
    class: how many bounds (a minimum, or a maximum and one) it reaches.  Two numbers of
    one class meet the same leaves."""
    bounds = sorted(
        {
            bound
            for leaf in leaves
            if type(leaf) is kind
            for bound in (leaf.min, None if leaf.max is None else leaf.max + 1)
            if bound is not None
        }
    )
    if not bounds:
        return (0,)
    return tuple(bisect.bisect_right(bounds, years) for years in range(bounds[-1] + 1))


class TeacherSubjects:
    """Teachers on one day as the evaluators of a schedule take them (``TeacherSubject``):
    each one's rural service worked out by one :class:`ServiceCount` (:func:`counting`),
    and its key, by the schedule's :class:`TeacherKeys`."""

    __slots__ = ("_continuous", "_count", "_total")

    def __init__(self, schedule: TeacherSchedule, on: _dt.date) -> None:
        self._count = counting(schedule, on)
        keys = TeacherKeys(schedule.rules)
        self._continuous = keys.continuous
        self._total = keys.total

    def __call__(self, teacher: Teacher | ReadTeacher) -> TeacherSubject:
        """``teacher`` as the evaluators take it."""
        if isinstance(teacher, Teacher):
            title, meets, outstanding, teacher_id = (
                teacher.title,
                teacher.meets_title_criteria,
                teacher.outstanding,
                teacher.id,
            )
            spans = [(p.start, p.end, p.school_area) for p in teacher.service]
        else:
            title, meets, outstanding, teacher_id, spans = teacher
        count = self._count
        numbers = count.numbers(spans)
        area, _since, continuous, _days, total = numbers
        # The years as the classes of years the schedule's rules tell apart (the whole
        # key: a schedule's rules read every member of it).
        steps = self._continuous
        if steps is not None:
            continuous = steps[continuous] if continuous < len(steps) else steps[-1]
        steps = self._total
        if steps is not None:
            total = steps[total] if total < len(steps) else steps[-1]
        key = (title, meets, outstanding, area, continuous, total)
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
            found = _incentive_outcome(
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
