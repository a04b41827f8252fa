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

import datetime as _dt
import enum
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from edupolicy.decimals import exact
from edupolicy.errors import FieldProblem, InvalidRecordError, field_check, field_type
from edupolicy.i18n import Count, Message, Text, _
from edupolicy.rules import (
    Applied,
    Lack,
    NotApplied,
    Result,
    Rule,
    Schedule,
    Source,
    evaluate,
)
from edupolicy.teachers.outcomes import Outcome, Programme
from edupolicy.teachers.service import RuralService, Teacher, TeacherOn

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
        outcome=incentive_outcome(
            schedule, subject, explain=explain, locale=locale, sections=sections
        ),
        readings=readings if readings is not None else {},
    )


def incentive_outcome(
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
