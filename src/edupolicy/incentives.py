"""Teacher incentives: what years of rural service earn a teacher, and cohort rules.

A plan's :class:`TeacherSchedule` holds

* the **continuity** rule (:class:`Continuity`): how long a gap between two rural
  postings may be before it breaks a run of continuous service (see
  :mod:`edupolicy.teachers` for how service is counted);
* **incentive rules** (:class:`IncentiveRule`): a condition over a teacher's years of
  rural service, title and flags, and the :class:`Outcome` it earns: a title
  evaluation outside the post quota at a level, a recognition tier, eligibility for a
  named programme, relaxed conditions for named honours, a priority, or an allowance.
  Rules that compete form a :class:`~edupolicy.aid.RuleGroup`, exactly as aid rules
  do: in a ``one_wins`` group a rule declares which others it overrides, and two rules
  that apply without either overriding the other raise
  :class:`~edupolicy.errors.RuleConflictError`;
* **quotas** (:class:`Quota`): at most so many teachers a year, chosen from the
  eligible candidates by a declared ranking whose last key is the teacher's id, so
  that a selection never depends on the order of the input;
* **shares** (:class:`Share`): at least a percentage of an award list must go to rural
  schools or rural teachers.

Every function here is pure: the date is always passed in, never read from the clock.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from edupolicy._graph import find_cycle
from edupolicy._groups import resolve_one_wins
from edupolicy.aid import Combination, Frequency, RuleGroup, Source
from edupolicy.errors import (
    MISSING,
    EdupolicyError,
    FieldProblem,
    InvalidDataError,
    InvalidRecordError,
    OutOfPeriodError,
    PlanDataError,
    RuleConflictError,
)
from edupolicy.i18n import Count, Message, Percent, Text, _
from edupolicy.records import SchoolArea
from edupolicy.teachers import RuralService, Teacher, Title

if TYPE_CHECKING:
    from edupolicy.plan import Plan, Policy

__all__ = [
    "AllOf",
    "AnyOf",
    "Award",
    "AwardCheck",
    "CandidateResult",
    "Continuity",
    "ContinuousRuralYears",
    "ImpossibleShareError",
    "IncentiveItem",
    "IncentiveRule",
    "Lack",
    "MeetsTitleCriteria",
    "Missing",
    "Not",
    "NotGranted",
    "Outcome",
    "OutcomeKind",
    "OutstandingIs",
    "PostedIn",
    "Quota",
    "RankKey",
    "Selection",
    "Share",
    "ShareCheck",
    "ShareRequirement",
    "TeacherCondition",
    "TeacherResult",
    "TeacherSchedule",
    "TitleIn",
    "TotalRuralYears",
    "awards_needed",
    "check_awards",
    "check_list",
    "evaluate_schedule",
    "evaluate_teacher",
    "quota_for",
    "requirement_for",
    "schedule_on",
    "select_cohort",
    "select_from",
    "share_for",
]


# --- what a teacher lacks ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Missing:
    """One thing a teacher lacks for a condition to hold."""

    message: Message
    #: The day it is met by staying in rural service, when time alone meets it.
    reached_on: _dt.date | None = None
    #: Whether it can still be met at all (a title never goes down; years never shrink).
    attainable: bool = True


def _or(items: Sequence[Message]) -> Message:
    result = items[0]
    for item in items[1:]:
        result = _("{left} or {right}", left=result, right=item)
    return result


def _and(items: Sequence[Message]) -> Message:
    result = items[0]
    for item in items[1:]:
        result = _("{left}; {right}", left=result, right=item)
    return result


def _years(count: int) -> Message:
    return _("1 year") if count == 1 else _("{count} years", count=count)


def _more_years(count: int) -> Message:
    return _("1 more year") if count == 1 else _("{count} more years", count=count)


# --- conditions -------------------------------------------------------------------------------


@attrs.frozen
class ContinuousRuralYears:
    """The teacher has served continuously in rural schools for ``min`` years (up to ``max``)."""

    min: int
    max: int | None = None

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        years = service.continuous_years
        return self.min <= years and (self.max is None or years <= self.max)

    def describe(self) -> Message:
        if self.max is None:
            return _("{years} or more of continuous rural service", years=_years(self.min))
        return _("{min} to {max} years of continuous rural service", min=self.min, max=self.max)

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        return _(
            "{actual} of continuous rural service, but the rule requires {expected}",
            actual=_years(service.continuous_years),
            expected=self.describe(),
        )

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        years = service.continuous_years
        if self.max is not None and years > self.max:
            return [
                Missing(message=self.why_not(teacher, service) or self.describe(), attainable=False)
            ]
        reached = service.continuous_reached_on(self.min)
        if reached is None:
            return [
                Missing(
                    message=_(
                        "{years} of continuous rural service (not in rural service on {on})",
                        years=_years(self.min),
                        on=service.on,
                    )
                )
            ]
        return [
            Missing(
                message=_(
                    "{more} of continuous rural service ({years} on {day} if the teacher stays)",
                    more=_more_years(self.min - years),
                    years=self.min,
                    day=reached,
                ),
                reached_on=reached,
            )
        ]

    def leaves(self) -> Iterator[TeacherCondition]:
        yield self


@attrs.frozen
class TotalRuralYears:
    """The teacher has served in rural schools for ``min`` years in all (up to ``max``)."""

    min: int
    max: int | None = None

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        years = service.total_years
        return self.min <= years and (self.max is None or years <= self.max)

    def describe(self) -> Message:
        if self.max is None:
            return _("{years} or more of rural service in all", years=_years(self.min))
        return _("{min} to {max} years of rural service in all", min=self.min, max=self.max)

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        return _(
            "{actual} of rural service in all, but the rule requires {expected}",
            actual=_years(service.total_years),
            expected=self.describe(),
        )

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        years = service.total_years
        if self.max is not None and years > self.max:
            return [
                Missing(message=self.why_not(teacher, service) or self.describe(), attainable=False)
            ]
        reached = service.total_reached_on(self.min)
        if reached is None:
            return [
                Missing(
                    message=_(
                        "{more} of rural service (not in rural service on {on})",
                        more=_more_years(self.min - years),
                        on=service.on,
                    )
                )
            ]
        return [
            Missing(
                message=_(
                    "{more} of rural service ({years} in all on {day} if the teacher stays)",
                    more=_more_years(self.min - years),
                    years=self.min,
                    day=reached,
                ),
                reached_on=reached,
            )
        ]

    def leaves(self) -> Iterator[TeacherCondition]:
        yield self


def _sorted_titles(titles: frozenset[Title]) -> list[Title]:
    return sorted(titles, key=lambda title: title.rank)


@attrs.frozen
class TitleIn:
    """The teacher's current title is one of ``titles``."""

    titles: frozenset[Title]

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        return teacher.title in self.titles

    def _expected(self) -> Message:
        return _or([title.label for title in _sorted_titles(self.titles)])

    def describe(self) -> Message:
        return _("title is {titles}", titles=self._expected())

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        return _(
            "title is {actual}, not {expected}",
            actual=teacher.title.label,
            expected=self._expected(),
        )

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        # A title is never lowered: a teacher above every listed title cannot meet this.
        reachable = any(title.rank > teacher.title.rank for title in self.titles)
        return [
            Missing(
                message=_("a title: {expected}", expected=self._expected())
                if reachable
                else _(
                    "already holds a {actual}, above {expected}",
                    actual=teacher.title.label,
                    expected=self._expected(),
                ),
                attainable=reachable,
            )
        ]

    def leaves(self) -> Iterator[TeacherCondition]:
        yield self


@attrs.frozen
class MeetsTitleCriteria:
    """The teacher meets the conditions for title evaluation (``value`` true) or not."""

    value: bool = True

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        return teacher.meets_title_criteria is self.value

    def describe(self) -> Message:
        if self.value:
            return _("meets the conditions for title evaluation")
        return _("does not meet the conditions for title evaluation")

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        if self.value:
            return _("does not meet the conditions for title evaluation")
        return _("meets the conditions for title evaluation")

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        if self.value:
            return [Missing(message=_("meeting the conditions for title evaluation"))]
        return [Missing(message=self.describe(), attainable=False)]

    def leaves(self) -> Iterator[TeacherCondition]:
        yield self


@attrs.frozen
class OutstandingIs:
    """The teacher's work is rated outstanding (``value`` true) or is not."""

    value: bool = True

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        return teacher.outstanding is self.value

    def describe(self) -> Message:
        return _("work rated outstanding") if self.value else _("work not rated outstanding")

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        return _("work not rated outstanding") if self.value else _("work rated outstanding")

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        if self.value:
            return [Missing(message=_("work rated outstanding"))]
        return [Missing(message=self.describe(), attainable=False)]

    def leaves(self) -> Iterator[TeacherCondition]:
        yield self


@attrs.frozen
class PostedIn:
    """On the date, the teacher teaches at a school in ``area``."""

    area: SchoolArea

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        return service.current_area is self.area

    def describe(self) -> Message:
        return _("teaches at a {area} school", area=self.area.label)

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        if service.current_area is None:
            return _("has no posting on {on}", on=service.on)
        return _(
            "teaches at a {actual} school, not a {expected} one",
            actual=service.current_area.label,
            expected=self.area.label,
        )

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        return [Missing(message=_("a posting at a {area} school", area=self.area.label))]

    def leaves(self) -> Iterator[TeacherCondition]:
        yield self


@attrs.frozen
class AllOf:
    """Every one of ``conditions`` holds."""

    conditions: tuple[TeacherCondition, ...]

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        return all(c.holds(teacher, service) for c in self.conditions)

    def describe(self) -> Message:
        return _and([c.describe() for c in self.conditions])

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        failures = [m for m in (c.why_not(teacher, service) for c in self.conditions) if m]
        return _and(failures) if failures else None

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        return [missing for c in self.conditions for missing in c.lacks(teacher, service)]

    def leaves(self) -> Iterator[TeacherCondition]:
        for condition in self.conditions:
            yield from condition.leaves()


@attrs.frozen
class AnyOf:
    """At least one of ``conditions`` holds."""

    conditions: tuple[TeacherCondition, ...]

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        return any(c.holds(teacher, service) for c in self.conditions)

    def describe(self) -> Message:
        return _("either {options}", options=_or([c.describe() for c in self.conditions]))

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        return _(
            "none of these holds: {options}",
            options=_or([c.describe() for c in self.conditions]),
        )

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        options = [c.lacks(teacher, service) for c in self.conditions]
        open_options = [o for o in options if all(m.attainable for m in o)]
        if not open_options:
            return [
                Missing(message=self.why_not(teacher, service) or self.describe(), attainable=False)
            ]

        def closeness(option: list[Missing]) -> tuple[int, _dt.date, int]:
            dated = all(m.reached_on is not None for m in option)
            last = max((m.reached_on for m in option if m.reached_on), default=_dt.date.max)
            return (0 if dated else 1, last, len(option))

        return min(open_options, key=closeness)

    def leaves(self) -> Iterator[TeacherCondition]:
        for condition in self.conditions:
            yield from condition.leaves()


@attrs.frozen
class Not:
    """``condition`` does not hold."""

    condition: TeacherCondition

    def holds(self, teacher: Teacher, service: RuralService) -> bool:
        return not self.condition.holds(teacher, service)

    def describe(self) -> Message:
        return _("not ({condition})", condition=self.condition.describe())

    def why_not(self, teacher: Teacher, service: RuralService) -> Message | None:
        if self.holds(teacher, service):
            return None
        return _("it must not be that {condition}", condition=self.condition.describe())

    def lacks(self, teacher: Teacher, service: RuralService) -> list[Missing]:
        if self.holds(teacher, service):
            return []
        # Years and titles only grow: what holds now is not undone by waiting.
        return [
            Missing(message=self.why_not(teacher, service) or self.describe(), attainable=False)
        ]

    def leaves(self) -> Iterator[TeacherCondition]:
        yield from self.condition.leaves()


TeacherCondition: TypeAlias = (
    ContinuousRuralYears
    | TotalRuralYears
    | TitleIn
    | MeetsTitleCriteria
    | OutstandingIs
    | PostedIn
    | AllOf
    | AnyOf
    | Not
)


# --- outcomes and rules -----------------------------------------------------------------------


class OutcomeKind(enum.Enum):
    """What an incentive rule earns a teacher."""

    #: Evaluation for a title at ``level`` outside the post quota (不受岗位职数的限制).
    TITLE_EXEMPTION = "title_exemption"
    #: A tier of recognition or encouragement.
    RECOGNITION = "recognition"
    #: Eligibility for a named programme, which may have a :class:`Quota`.
    PROGRAMME = "programme"
    #: Relaxed conditions when named honours are awarded.
    RELAXED_HONOURS = "relaxed_honours"
    #: Priority in something the plan names, without a number (倾斜).
    PRIORITY = "priority"
    #: An allowance, with or without a stated amount.
    ALLOWANCE = "allowance"


@attrs.frozen(kw_only=True)
class Outcome:
    """What a rule earns: its kind and the fields that kind needs."""

    kind: OutcomeKind
    #: The title level, for ``title_exemption``.
    level: Title | None = None
    #: The programme's id, for ``programme`` (a quota of the same id limits it).
    programme: str | None = None
    #: The honours whose conditions are relaxed, for ``relaxed_honours``.
    honours: tuple[Text, ...] = ()
    #: What the outcome is, in words.
    description: Text | None = None
    #: Yuan, for an ``allowance`` whose plan states an amount.
    amount: Decimal | None = None
    #: How often an allowance with an amount is paid.
    frequency: Frequency | None = None

    def describe(self) -> Message | Text:
        """The outcome in words."""
        if self.kind is OutcomeKind.TITLE_EXEMPTION:
            assert self.level is not None
            return _("{level} evaluation outside the post quota", level=self.level.label)
        if self.kind is OutcomeKind.RELAXED_HONOURS:
            text: Message | Text = self.honours[0]
            for honour in self.honours[1:]:
                text = _("{left}, {right}", left=text, right=honour)
            return _("relaxed conditions for the honours: {honours}", honours=text)
        # Every other kind has a description: schedules are checked when they are made.
        assert self.description is not None
        if self.kind is OutcomeKind.ALLOWANCE and self.amount is not None:
            assert self.frequency is not None
            return _(
                "{description}: {amount} {frequency}",
                description=self.description,
                amount=self.amount,
                frequency=self.frequency.label,
            )
        if self.kind is OutcomeKind.ALLOWANCE:
            return _("{description} (the plan states no amount)", description=self.description)
        return self.description

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The outcome as JSON."""
        return {
            "kind": self.kind.value,
            "level": self.level.value if self.level is not None else None,
            "programme": self.programme,
            "honours": [honour.render(locale) for honour in self.honours],
            "description": (
                self.description.render(locale) if self.description is not None else None
            ),
            "amount": f"{self.amount:.2f}" if self.amount is not None else None,
            "frequency": self.frequency.value if self.frequency is not None else None,
            "text": self.describe().render(locale),
        }


@attrs.frozen(kw_only=True)
class IncentiveRule:
    """One incentive rule: a condition over a teacher, and what it earns."""

    id: str
    name: Text
    when: TeacherCondition
    outcome: Outcome
    source: Source
    #: The group this rule competes in, if any.
    group: str | None = None
    #: Ids of rules of the same ``one_wins`` group that this rule overrides.
    overrides: frozenset[str] = frozenset()


@attrs.frozen(kw_only=True)
class Continuity:
    """How a plan reads continuous service (连续任教)."""

    #: The longest gap, in days, between two rural postings that does not break a run.
    max_gap_days: int
    source: Source


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


@attrs.frozen(kw_only=True)
class Quota:
    """At most ``per_year`` teachers a year for programme ``id``, chosen by ``ranking``."""

    #: The programme's id, as the outcome of its eligibility rules names it.
    id: str
    name: Text
    per_year: int
    #: The day of the year (``MM-DD``) on which candidates' service is counted.
    counted_on: str
    #: The ranking keys, first decisive first; the last is always ``id``.
    ranking: tuple[RankKey, ...]
    source: Source

    def on(self, year: int) -> _dt.date:
        """The day of ``year`` on which candidates' service is counted."""
        found = _month_day(self.counted_on)
        assert found is not None, "checked when the plan was made"
        return _dt.date(year, *found)

    def sort_key(self, teacher: Teacher, service: RuralService) -> tuple[int | str, ...]:
        """The ranking of ``teacher``: candidates are sorted by it, smallest first."""
        return tuple(key.value_of(teacher, service) for key in self.ranking)


@attrs.frozen(kw_only=True)
class Share:
    """At least ``min_percent`` percent of an award list goes to rural schools or teachers."""

    id: str
    name: Text
    #: The percentage, exact (``Decimal("30")`` is 30%).
    min_percent: Decimal
    source: Source

    def required(self, size: int) -> int:
        """How many of ``size`` awards must be rural: ``min_percent`` of them, rounded up."""
        return math.ceil(Decimal(size) * self.min_percent / 100)

    def meets(self, rural: int, size: int) -> bool:
        """Whether ``rural`` rural awards of ``size`` meet the share."""
        return Decimal(rural) * 100 >= self.min_percent * size


@attrs.frozen(kw_only=True)
class TeacherSchedule:
    """The teacher-incentive rules of one plan.

    Cross-references are checked when a schedule is made; a bad one raises
    :class:`~edupolicy.errors.PlanDataError` naming the path of the field.
    """

    continuity: Continuity
    rules: tuple[IncentiveRule, ...] = ()
    groups: tuple[RuleGroup, ...] = ()
    quotas: tuple[Quota, ...] = ()
    shares: tuple[Share, ...] = ()

    def __attrs_post_init__(self) -> None:
        problems = list(_check_schedule(self))
        if problems:
            raise PlanDataError(_("Teacher-incentive rules are not valid"), problems)

    def rule(self, rule_id: str) -> IncentiveRule:
        """The rule with id ``rule_id``."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def quota(self, quota_id: str) -> Quota:
        """The quota of programme ``quota_id``."""
        for quota in self.quotas:
            if quota.id == quota_id:
                return quota
        raise KeyError(quota_id)

    def share(self, share_id: str) -> Share:
        """The share with id ``share_id``."""
        for share in self.shares:
            if share.id == share_id:
                return share
        raise KeyError(share_id)

    def service(self, teacher: Teacher, on: _dt.date) -> RuralService:
        """``teacher``'s rural service on ``on``, read with this plan's continuity rule."""
        return teacher.rural_service(on, max_gap_days=self.continuity.max_gap_days)

    def eligible(self, quota: Quota, teacher: Teacher, service: RuralService) -> bool:
        """Whether ``teacher`` meets an eligibility rule of ``quota``'s programme."""
        return any(rule.when.holds(teacher, service) for rule in self._programme_rules(quota))

    def _programme_rules(self, quota: Quota) -> list[IncentiveRule]:
        return [
            rule
            for rule in self.rules
            if rule.outcome.kind is OutcomeKind.PROGRAMME and rule.outcome.programme == quota.id
        ]


# --- checking a schedule ----------------------------------------------------------------------


def _check_schedule(schedule: TeacherSchedule) -> Iterator[FieldProblem]:
    base = "$.teachers"
    if schedule.continuity.max_gap_days < 0:
        yield FieldProblem(
            f"{base}.continuity.max_gap_days",
            schedule.continuity.max_gap_days,
            _("must be 0 or more"),
        )
    yield from _duplicates([g.id for g in schedule.groups], f"{base}.groups", _("group"))
    yield from _duplicates([r.id for r in schedule.rules], f"{base}.rules", _("rule"))
    yield from _duplicates([q.id for q in schedule.quotas], f"{base}.quotas", _("quota"))
    yield from _duplicates([s.id for s in schedule.shares], f"{base}.shares", _("share"))

    groups = {g.id: g for g in schedule.groups}
    rules = {r.id: r for r in schedule.rules}
    for index, rule in enumerate(schedule.rules):
        path = f"{base}.rules[{index}]"
        group = groups.get(rule.group) if rule.group is not None else None
        if rule.group is not None and group is None:
            yield FieldProblem(f"{path}.group", rule.group, _("no group has this id"))
        for target in sorted(rule.overrides):
            other = rules.get(target)
            if other is None:
                yield FieldProblem(f"{path}.overrides", target, _("no rule has this id"))
            elif target == rule.id:
                yield FieldProblem(f"{path}.overrides", target, _("a rule cannot override itself"))
            elif group is None or group.combination is not Combination.ONE_WINS:
                yield FieldProblem(
                    f"{path}.overrides",
                    target,
                    _("only rules of a one_wins group can override others"),
                )
            elif other.group != rule.group:
                yield FieldProblem(
                    f"{path}.overrides",
                    target,
                    _("the overridden rule is not in group {group}", group=rule.group),
                )
        yield from _check_outcome(rule.outcome, f"{path}.outcome")
    cycle = _override_cycle(schedule.rules)
    if cycle:
        yield FieldProblem(
            f"{base}.rules", " → ".join(cycle), _("rules override each other in a cycle")
        )

    for index, quota in enumerate(schedule.quotas):
        path = f"{base}.quotas[{index}]"
        if quota.per_year < 1:
            yield FieldProblem(f"{path}.per_year", quota.per_year, _("must be 1 or more"))
        if _month_day(quota.counted_on) is None:
            yield FieldProblem(
                f"{path}.counted_on",
                quota.counted_on,
                _("must be a day of every year, written MM-DD"),
            )
        if not quota.ranking or quota.ranking[-1] is not RankKey.ID:
            yield FieldProblem(
                f"{path}.ranking",
                [key.value for key in quota.ranking],
                _("must end with id, so that ties are always broken the same way"),
            )
        for position, key in enumerate(quota.ranking):
            if key in quota.ranking[:position]:
                yield FieldProblem(
                    f"{path}.ranking[{position}]", key.value, _("listed more than once")
                )
        if not schedule._programme_rules(quota):
            yield FieldProblem(
                f"{path}.id",
                quota.id,
                _("no rule has a programme outcome for this programme"),
            )

    for index, share in enumerate(schedule.shares):
        if not Decimal(0) < share.min_percent <= Decimal(100):
            yield FieldProblem(
                f"{base}.shares[{index}].min_percent",
                share.min_percent,
                _("must be more than 0 and at most 100"),
            )


def _duplicates(ids: Sequence[str], path: str, what: Message) -> Iterator[FieldProblem]:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            yield FieldProblem(
                f"{path}[{index}].id", item, _("another {what} has the same id", what=what)
            )
        seen.add(item)


_OUTCOME_NEEDS: Mapping[OutcomeKind, frozenset[str]] = {
    OutcomeKind.TITLE_EXEMPTION: frozenset({"level"}),
    OutcomeKind.RECOGNITION: frozenset({"description"}),
    OutcomeKind.PROGRAMME: frozenset({"programme", "description"}),
    OutcomeKind.RELAXED_HONOURS: frozenset({"honours"}),
    OutcomeKind.PRIORITY: frozenset({"description"}),
    OutcomeKind.ALLOWANCE: frozenset({"description"}),
}

_OUTCOME_ALLOWS: Mapping[OutcomeKind, frozenset[str]] = {
    OutcomeKind.TITLE_EXEMPTION: frozenset({"level", "description"}),
    OutcomeKind.RECOGNITION: frozenset({"description"}),
    OutcomeKind.PROGRAMME: frozenset({"programme", "description"}),
    OutcomeKind.RELAXED_HONOURS: frozenset({"honours", "description"}),
    OutcomeKind.PRIORITY: frozenset({"description"}),
    OutcomeKind.ALLOWANCE: frozenset({"description", "amount", "frequency"}),
}


def _check_outcome(outcome: Outcome, path: str) -> Iterator[FieldProblem]:
    given = {
        "level": outcome.level.value if outcome.level is not None else None,
        "programme": outcome.programme,
        "honours": [h.en for h in outcome.honours] or None,
        "description": outcome.description.en if outcome.description is not None else None,
        "amount": f"{outcome.amount:.2f}" if outcome.amount is not None else None,
        "frequency": outcome.frequency.value if outcome.frequency is not None else None,
    }
    kind = outcome.kind
    for field in sorted(_OUTCOME_NEEDS[kind]):
        if given[field] is None:
            yield FieldProblem(
                f"{path}.{field}",
                MISSING,
                _(
                    "an outcome of kind {kind} needs the field {field}",
                    kind=kind.value,
                    field=field,
                ),
            )
    for field, value in given.items():
        if value is not None and field not in _OUTCOME_ALLOWS[kind]:
            yield FieldProblem(
                f"{path}.{field}",
                value,
                _("an outcome of kind {kind} has no field {field}", kind=kind.value, field=field),
            )
    if outcome.level is Title.NONE:
        yield FieldProblem(f"{path}.level", "none", _("must be a title: junior or higher"))
    if (outcome.amount is None) != (outcome.frequency is None):
        missing = "frequency" if outcome.frequency is None else "amount"
        yield FieldProblem(
            f"{path}.{missing}",
            MISSING,
            _("an allowance needs both an amount and a frequency, or neither"),
        )
    if outcome.amount is not None and outcome.amount <= 0:
        yield FieldProblem(f"{path}.amount", outcome.amount, _("an amount must be more than zero"))


def _override_cycle(rules: Sequence[IncentiveRule]) -> list[str]:
    return find_cycle({rule.id: sorted(rule.overrides) for rule in rules})


# --- evaluating a teacher ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IncentiveItem:
    """One rule whose outcome the teacher earns."""

    rule: IncentiveRule
    #: The title of the plan section the rule comes from, where the plan names it.
    section_title: Text | None = None

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def outcome(self) -> Outcome:
        return self.rule.outcome

    @property
    def source(self) -> Source:
        return self.rule.source

    @property
    def explanation(self) -> Message:
        """One line: the rule, what it earns and why it applies."""
        return _(
            "{name}: {outcome}, because {conditions}",
            name=self.rule.name,
            outcome=self.rule.outcome.describe(),
            conditions=self.rule.when.describe(),
        )

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The item as JSON."""
        return {
            "rule": self.rule.id,
            "name": self.rule.name.render(locale),
            "outcome": self.rule.outcome.to_json(locale),
            "source": {
                **self.rule.source.to_json(locale),
                "section_title": (
                    self.section_title.render(locale) if self.section_title is not None else None
                ),
            },
            "explanation": self.explanation.render(locale),
        }


@attrs.frozen(kw_only=True)
class Lack:
    """What a teacher lacks for a rule's outcome."""

    rule: IncentiveRule
    missing: tuple[Message, ...]
    #: The day the teacher meets the rule by staying in rural service, when time alone
    #: is what they lack.
    reached_on: _dt.date | None

    def describe(self) -> Message:
        """``3 more years of continuous rural service (…) for <rule>``.

        When the teacher lacks several things: ``for <rule>: <one>; <other>``.
        """
        if len(self.missing) == 1:
            return _("{missing} for {name}", missing=self.missing[0], name=self.rule.name)
        return _("for {name}: {missing}", missing=_and(list(self.missing)), name=self.rule.name)

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The lack as JSON."""
        return {
            "rule": self.rule.id,
            "name": self.rule.name.render(locale),
            "missing": [m.render(locale) for m in self.missing],
            "reached_on": self.reached_on.isoformat() if self.reached_on is not None else None,
            "text": self.describe().render(locale),
        }


@attrs.frozen(kw_only=True)
class NotGranted:
    """A rule that did not apply, why, and what the teacher lacks for it."""

    rule: IncentiveRule
    reason: Message
    #: What the teacher lacks; ``None`` when nothing the teacher can gain would make the
    #: rule apply (it was overridden, or asks for something now out of reach).
    lack: Lack | None = None

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The rule id, its name, why it did not apply, what is lacking, and its section."""
        return {
            "rule": self.rule.id,
            "name": self.rule.name.render(locale),
            "reason": self.reason.render(locale),
            "lacks": self.lack.to_json(locale) if self.lack is not None else None,
            "section": self.rule.source.section,
        }


@attrs.frozen(kw_only=True)
class TeacherResult:
    """The incentives one teacher earns under the plan in force on a date."""

    region: str
    plan: str
    on: _dt.date
    teacher_id: str | None
    service: RuralService
    items: tuple[IncentiveItem, ...]
    #: Rules that did not apply, with the reason; ``None`` unless asked for.
    not_applied: tuple[NotGranted, ...] | None = None

    @property
    def lacking(self) -> tuple[Lack, ...]:
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

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The result as JSON, texts in ``locale``."""
        data: dict[str, Any] = {
            "region": self.region,
            "plan": self.plan,
            "on": self.on.isoformat(),
            "id": self.teacher_id,
            "service": self.service.to_json(),
            "items": [item.to_json(locale) for item in self.items],
        }
        if self.not_applied is not None:
            data["not_applied"] = [entry.to_json(locale) for entry in self.not_applied]
            data["lacking"] = [lack.to_json(locale) for lack in self.lacking]
        return data


def evaluate_schedule(
    schedule: TeacherSchedule,
    teacher: Teacher,
    *,
    region: str,
    plan: str,
    on: _dt.date,
    explain: bool = False,
    locale: str | None = None,
    sections: Mapping[str, Text] | None = None,
) -> TeacherResult:
    """Apply ``schedule`` to ``teacher`` on ``on``: a pure function of its arguments."""
    service = schedule.service(teacher, on)
    applied: list[IncentiveRule] = []
    failed: list[NotGranted] = []
    for rule in schedule.rules:
        if rule.when.holds(teacher, service):
            applied.append(rule)
        elif explain:
            failed.append(_not_granted(rule, teacher, service))

    applied = _resolve_groups(schedule, applied, failed if explain else None, locale)
    if explain:
        order = {rule.id: index for index, rule in enumerate(schedule.rules)}
        failed.sort(key=lambda entry: order[entry.rule.id])
    return TeacherResult(
        region=region,
        plan=plan,
        on=on,
        teacher_id=teacher.id,
        service=service,
        items=tuple(
            IncentiveItem(rule=rule, section_title=(sections or {}).get(rule.source.section))
            for rule in applied
        ),
        not_applied=tuple(failed) if explain else None,
    )


def _not_granted(rule: IncentiveRule, teacher: Teacher, service: RuralService) -> NotGranted:
    reason = rule.when.why_not(teacher, service) or _("its condition does not hold")
    missing = rule.when.lacks(teacher, service)
    lack = None
    if missing and all(m.attainable for m in missing):
        dated = all(m.reached_on is not None for m in missing)
        lack = Lack(
            rule=rule,
            missing=tuple(m.message for m in missing),
            reached_on=max(m.reached_on for m in missing if m.reached_on) if dated else None,
        )
    return NotGranted(rule=rule, reason=reason, lack=lack)


def _resolve_groups(
    schedule: TeacherSchedule,
    applied: list[IncentiveRule],
    failed: list[NotGranted] | None,
    locale: str | None,
) -> list[IncentiveRule]:
    def conflict(group_id: str, winners: list[IncentiveRule]) -> Exception:
        first, second = winners[0], winners[1]
        return RuleConflictError(
            _(
                "Rules {first} ({first_source}) and {second} ({second_source}) of group "
                "{group} both apply to this teacher and neither overrides the other",
                first=first.id,
                first_source=first.source.cite(),
                second=second.id,
                second_source=second.source.cite(),
                group=group_id,
            ),
            [rule.id for rule in winners],
            locale=locale,
        )

    one_wins = {g.id for g in schedule.groups if g.combination is Combination.ONE_WINS}
    kept, losers = resolve_one_wins(one_wins, applied, conflict)
    if failed is not None:
        failed.extend(
            NotGranted(
                rule=rule, reason=_("overridden by rule {winner}", winner=losers[rule.id].id)
            )
            for rule in applied
            if rule.id in losers
        )
    return kept


# --- quotas: selecting a cohort ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CandidateResult:
    """One candidate of a selection: eligible or not, ranked, selected or not, and why."""

    teacher: Teacher
    service: RuralService
    eligible: bool
    #: The rank among the eligible candidates, counted from 1; ``None`` when not eligible.
    rank: int | None
    selected: bool
    #: Why the candidate was selected or not.
    reason: Message

    @property
    def teacher_id(self) -> str:
        return self.teacher.id or ""

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The candidate as JSON."""
        return {
            "id": self.teacher.id,
            "selected": self.selected,
            "eligible": self.eligible,
            "rank": self.rank,
            "reason": self.reason.render(locale),
            "service": self.service.to_json(),
        }


@attrs.frozen(kw_only=True)
class Selection:
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

    @property
    def selected(self) -> tuple[CandidateResult, ...]:
        """The candidates selected, in rank order."""
        return tuple(c for c in self.candidates if c.selected)

    @property
    def not_selected(self) -> tuple[CandidateResult, ...]:
        """The candidates not selected, each with the reason."""
        return tuple(c for c in self.candidates if not c.selected)

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The selection as JSON, texts in ``locale``."""
        return {
            "region": self.region,
            "plan": self.plan,
            "programme": self.quota.id,
            "name": self.quota.name.render(locale),
            "year": self.year,
            "on": self.on.isoformat(),
            "per_year": self.quota.per_year,
            "ranking": [key.value for key in self.quota.ranking],
            "source": self.quota.source.to_json(locale),
            "selected": [c.teacher_id for c in self.selected],
            "candidates": [c.to_json(locale) for c in self.candidates],
        }


def _candidate_ids(teachers: Sequence[Teacher], locale: str | None) -> None:
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for index, teacher in enumerate(teachers):
        if teacher.id is None:
            problems.append(
                FieldProblem(
                    f"$[{index}].id",
                    MISSING,
                    _("a candidate needs an id: ties are broken by id"),
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
) -> Selection:
    """Select at most ``quota.per_year`` of ``teachers`` for ``year``: a pure function.

    Every teacher needs an id, and no two the same: the last ranking key is the id.
    """
    _candidate_ids(teachers, locale)
    on = quota.on(year)
    services = [schedule.service(teacher, on) for teacher in teachers]
    eligible = [
        (teacher, service)
        for teacher, service in zip(teachers, services, strict=True)
        if schedule.eligible(quota, teacher, service)
    ]
    eligible.sort(key=lambda pair: quota.sort_key(*pair))
    count = len(eligible)
    chosen = eligible[: quota.per_year]
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
            mine = quota.sort_key(teacher, service)
            theirs = quota.sort_key(last_teacher, last_service)
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
    rules = schedule._programme_rules(quota)
    ineligible = [
        (teacher, service)
        for teacher, service in zip(teachers, services, strict=True)
        if not schedule.eligible(quota, teacher, service)
    ]
    for teacher, service in sorted(ineligible, key=lambda pair: pair[0].id or ""):
        why = [rule.when.why_not(teacher, service) for rule in rules]
        reasons = [m for m in why if m is not None]
        results.append(
            CandidateResult(
                teacher=teacher,
                service=service,
                eligible=False,
                rank=None,
                selected=False,
                reason=_(
                    "not eligible: {reason}",
                    reason=_or(reasons) if reasons else _("its condition does not hold"),
                ),
            )
        )
    return Selection(
        region=region, plan=plan, quota=quota, year=year, on=on, candidates=tuple(results)
    )


# --- shares: checking an award list -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class Award:
    """One entry of an award list: an awarded school, a teacher, or both.

    The entry counts as rural when the awarded school is rural, or when the teacher's
    posting on the date of the award is at a rural school.
    """

    id: str | None = None
    #: The area of the awarded school (a collective award, or the teacher's school).
    school_area: SchoolArea | None = None
    #: The awarded teacher's record.
    teacher: Teacher | None = None

    @classmethod
    def from_json(cls, data: object, *, locale: str | None = None) -> Award:
        """An award entry from a JSON-shaped mapping, checked strictly."""
        from edupolicy._convert import structure_record

        return structure_record(data, cls, locale=locale, what=_("Invalid award entry"))

    def rural_on(self, on: _dt.date) -> tuple[bool, Message]:
        """Whether the entry is rural on ``on``, and why."""
        if self.school_area is SchoolArea.RURAL:
            return True, _("the awarded school is rural")
        posting = self.teacher.posting_on(on) if self.teacher is not None else None
        if posting is not None and posting.school_area is SchoolArea.RURAL:
            return True, _("the teacher's posting on {on} is at a rural school", on=on)
        if self.teacher is None:
            return False, _("the awarded school is urban")
        if self.school_area is None:
            if posting is None:
                return False, _("the teacher has no posting on {on}", on=on)
            return False, _("the teacher's posting on {on} is at an urban school", on=on)
        return False, _("neither the school nor the teacher's posting on {on} is rural", on=on)


@attrs.frozen(kw_only=True)
class AwardCheck:
    """One entry of a checked award list, and whether it counts as rural."""

    award: Award
    #: The entry's label: its id, or its position in the list.
    label: str
    rural: bool
    reason: Message

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The entry as JSON."""
        return {"id": self.label, "rural": self.rural, "reason": self.reason.render(locale)}


@attrs.frozen(kw_only=True)
class ShareCheck:
    """An award list checked against a share."""

    region: str
    plan: str
    share: Share
    on: _dt.date
    entries: tuple[AwardCheck, ...]

    @property
    def size(self) -> int:
        return len(self.entries)

    @property
    def rural(self) -> int:
        """How many entries are rural."""
        return sum(1 for entry in self.entries if entry.rural)

    @property
    def required(self) -> int:
        """How many rural entries a list of this length needs."""
        return self.share.required(self.size)

    @property
    def meets(self) -> bool:
        """Whether the list meets the share."""
        return self.share.meets(self.rural, self.size)

    @property
    def short_by(self) -> int:
        """How many more rural entries a list of this length needs (0 when it meets the share).

        That is how many urban entries would have to give way to rural ones.
        """
        return max(0, self.required - self.rural)

    @property
    def rural_to_add(self) -> int | None:
        """How many rural entries to add to the list (0 when it meets the share).

        ``None`` when adding cannot help: the share is 100% and the list has an urban entry.
        """
        if self.meets:
            return 0
        if self.share.min_percent >= 100:
            return None
        needed = (self.share.min_percent * self.size - 100 * self.rural) / (
            100 - self.share.min_percent
        )
        return math.ceil(needed)

    @property
    def percent(self) -> Decimal:
        """The rural share of the list, in percent, to one decimal, rounded down."""
        if self.size == 0:
            return Decimal("0.0")
        value = Decimal(self.rural) * 100 / self.size
        return value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    @property
    def summary(self) -> Message:
        """One line: the count, the share, and by how many the list falls short."""
        if self.meets:
            return _(
                "{rural} of {size} entries are rural ({percent}); at least {required} are "
                "needed ({share}): the list meets the share",
                rural=self.rural,
                size=self.size,
                percent=Percent(self.percent),
                required=self.required,
                share=Percent(self.share.min_percent),
            )
        return _(
            "{rural} of {size} entries are rural ({percent}); at least {required} are needed "
            "({share}): the list falls short by {short}",
            rural=self.rural,
            size=self.size,
            percent=Percent(self.percent),
            required=self.required,
            share=Percent(self.share.min_percent),
            short=self.short_by,
        )

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The check as JSON."""
        return {
            "region": self.region,
            "plan": self.plan,
            "share": self.share.id,
            "name": self.share.name.render(locale),
            "on": self.on.isoformat(),
            "min_percent": str(self.share.min_percent),
            "size": self.size,
            "rural": self.rural,
            "percent": str(self.percent),
            "required": self.required,
            "meets": self.meets,
            "short_by": self.short_by,
            "rural_to_add": self.rural_to_add,
            "summary": self.summary.render(locale),
            "source": self.share.source.to_json(locale),
            "entries": [entry.to_json(locale) for entry in self.entries],
        }


def check_list(
    share: Share,
    awards: Sequence[Award],
    *,
    region: str,
    plan: str,
    on: _dt.date,
    labels: Sequence[str] | None = None,
) -> ShareCheck:
    """Check ``awards`` against ``share`` on ``on``: a pure function of its arguments."""
    entries = []
    for index, award in enumerate(awards):
        rural, reason = award.rural_on(on)
        label = labels[index] if labels is not None else (award.id or f"[{index}]")
        entries.append(AwardCheck(award=award, label=label, rural=rural, reason=reason))
    return ShareCheck(region=region, plan=plan, share=share, on=on, entries=tuple(entries))


class ImpossibleShareError(EdupolicyError, ValueError):
    """A request that the candidates cannot meet: too few rural ones for a share."""

    def __init__(
        self,
        message: Message,
        *,
        required: int,
        available: int,
        locale: str | None = None,
    ) -> None:
        self.required = required
        self.available = available
        super().__init__(message, locale=locale)


@attrs.frozen(kw_only=True)
class ShareRequirement:
    """How many of a number of awards must be rural, for a pool of nominees that can meet it."""

    share: Share
    on: _dt.date
    size: int
    pool: int
    pool_rural: int
    required: int

    @property
    def summary(self) -> Message:
        """One line: how many awards must be rural, and how many rural nominees there are."""
        return _(
            "at least {required} of {size} awards must go to rural schools or teachers "
            "({share}); the {pool} nominees include {rural} rural",
            required=self.required,
            size=self.size,
            share=Percent(self.share.min_percent),
            pool=self.pool,
            rural=self.pool_rural,
        )

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The requirement as JSON."""
        return {
            "share": self.share.id,
            "on": self.on.isoformat(),
            "size": self.size,
            "pool": self.pool,
            "pool_rural": self.pool_rural,
            "required": self.required,
            "summary": self.summary.render(locale),
        }


def requirement_for(
    share: Share,
    pool: Sequence[Award],
    *,
    size: int,
    on: _dt.date,
    locale: str | None = None,
) -> ShareRequirement:
    """How many of ``size`` awards chosen from ``pool`` must be rural under ``share``.

    Raises :class:`ImpossibleShareError` when the pool has too few nominees, or too
    few rural ones, to meet the share.
    """
    given: object = size  # callers without a type checker may pass anything
    if isinstance(given, bool) or not isinstance(given, int) or given < 1:
        raise InvalidRecordError(
            _("Invalid argument"),
            [FieldProblem("size", size, _("must be a whole number, 1 or more"))],
            locale=locale,
        )
    rural = sum(1 for award in pool if award.rural_on(on)[0])
    required = share.required(size)
    if size > len(pool):
        raise ImpossibleShareError(
            _(
                "Cannot give {size} awards from {pool} nominees",
                size=size,
                pool=len(pool),
            ),
            required=size,
            available=len(pool),
            locale=locale,
        )
    if rural < required:
        raise ImpossibleShareError(
            _(
                "{name} cannot be met: {size} awards need at least {required} rural schools or "
                "teachers ({share}, {source}), but the nominees include only {rural}",
                name=share.name,
                size=size,
                required=required,
                share=Percent(share.min_percent),
                source=share.source.cite(),
                rural=rural,
            ),
            required=required,
            available=rural,
            locale=locale,
        )
    return ShareRequirement(
        share=share, on=on, size=size, pool=len(pool), pool_rural=rural, required=required
    )


# --- questions a host asks of a policy --------------------------------------------------------


def schedule_on(
    policy: Policy, on: _dt.date | str, *, locale: str | None = None
) -> tuple[Plan, TeacherSchedule]:
    """The plan in force on ``on`` and its teacher-incentive rules."""
    plan = policy.plan_on(on, locale=locale)
    if plan.teachers is None:
        raise EdupolicyError(
            _(
                "Plan {plan} of region {region} has no teacher-incentive rules",
                plan=plan.id,
                region=policy.region,
            ),
            locale=locale,
        )
    return plan, plan.teachers


def _day(on: _dt.date | str, locale: str | None) -> _dt.date:
    from edupolicy.plan import _as_date

    return _as_date(on, locale)


def evaluate_teacher(
    policy: Policy,
    teacher: Teacher | Mapping[str, Any],
    on: _dt.date | str,
    *,
    explain: bool = False,
    locale: str | None = None,
) -> TeacherResult:
    """The incentives ``teacher`` earns under ``policy``'s plan in force on ``on``.

    ``teacher`` is a :class:`~edupolicy.teachers.Teacher` or its JSON-shaped mapping,
    checked strictly.  With ``explain``, the result also lists every rule that did not
    apply, why, and what the teacher lacks for it (:attr:`TeacherResult.lacking`).
    """
    day = _day(on, locale)
    plan, schedule = schedule_on(policy, day, locale=locale)
    record = teacher if isinstance(teacher, Teacher) else Teacher.from_json(teacher, locale=locale)
    return evaluate_schedule(
        schedule,
        record,
        region=policy.region,
        plan=plan.id,
        on=day,
        explain=explain,
        locale=locale,
        sections=plan.sections,
    )


def quota_for(
    policy: Policy, programme: str, year: int, *, locale: str | None = None
) -> tuple[Plan, TeacherSchedule, Quota]:
    """The quota of ``programme`` for ``year``, from the plan in force on its counting day."""
    known: list[str] = []
    for plan in policy.plans:
        schedule = plan.teachers
        if schedule is None:
            continue
        for quota in schedule.quotas:
            known.append(quota.id)
            if quota.id == programme:
                day = quota.on(year)
                if day in plan.in_force:
                    return plan, schedule, quota
    if programme not in known:
        raise EdupolicyError(
            _(
                "Region {region} has no quota for programme {programme}; programmes with a "
                "quota: {known}",
                region=policy.region,
                programme=programme,
                known=", ".join(sorted(set(known))) or "-",
            ),
            locale=locale,
        )
    for plan in policy.plans:
        for quota in plan.teachers.quotas if plan.teachers is not None else ():
            if quota.id == programme:
                raise OutOfPeriodError(
                    policy.region,
                    quota.on(year),
                    [f"{p.id} {p.in_force}" for p in policy.plans],
                    locale=locale,
                )
    raise AssertionError("unreachable")  # pragma: no cover


def _read_all(
    items: Sequence[object], reader: Any, heading: Message, locale: str | None
) -> list[Any]:
    records: list[Any] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(items):
        if isinstance(item, (Teacher, Award)):
            records.append(item)
            continue
        try:
            records.append(reader(item, locale=locale))
        except InvalidDataError as exc:
            problems.extend(
                FieldProblem(f"$[{index}]{p.path[1:]}", p.value, p.message) for p in exc.problems
            )
    if problems:
        raise InvalidRecordError(heading, problems, locale=locale)
    return records


def select_cohort(
    policy: Policy,
    programme: str,
    candidates: Sequence[Teacher | Mapping[str, Any]],
    *,
    year: int,
    locale: str | None = None,
) -> Selection:
    """This year's cohort of ``programme``: at most its quota, chosen by its ranking.

    ``candidates`` are teachers or their JSON-shaped mappings; every one needs a
    distinct id.  Candidates who are not selected each carry the reason.
    """
    plan, schedule, quota = quota_for(policy, programme, year, locale=locale)
    teachers: list[Teacher] = _read_all(
        candidates, Teacher.from_json, _("Invalid candidate list"), locale
    )
    return select_from(
        schedule, quota, teachers, region=policy.region, plan=plan.id, year=year, locale=locale
    )


def share_for(schedule: TeacherSchedule, share: str | None, *, locale: str | None) -> Share:
    """The share ``share`` of ``schedule``, or its only share when ``share`` is ``None``."""
    if share is not None:
        try:
            return schedule.share(share)
        except KeyError:
            pass
    elif len(schedule.shares) == 1:
        return schedule.shares[0]
    raise EdupolicyError(
        _(
            "Choose a share: {shares}",
            shares=", ".join(s.id for s in schedule.shares) or "-",
        )
        if share is None
        else _(
            "No share {share}; the plan's shares: {shares}",
            share=share,
            shares=", ".join(s.id for s in schedule.shares) or "-",
        ),
        locale=locale,
    )


def check_awards(
    policy: Policy,
    awards: Sequence[Award | Mapping[str, Any]],
    on: _dt.date | str,
    *,
    share: str | None = None,
    locale: str | None = None,
) -> ShareCheck:
    """Check an award list made on ``on`` against a share of the plan in force.

    ``share`` names the share when the plan has more than one.
    """
    day = _day(on, locale)
    plan, schedule = schedule_on(policy, day, locale=locale)
    chosen = share_for(schedule, share, locale=locale)
    entries: list[Award] = _read_all(awards, Award.from_json, _("Invalid award list"), locale)
    return check_list(chosen, entries, region=policy.region, plan=plan.id, on=day)


def awards_needed(
    policy: Policy,
    pool: Sequence[Award | Mapping[str, Any]],
    on: _dt.date | str,
    *,
    size: int,
    share: str | None = None,
    locale: str | None = None,
) -> ShareRequirement:
    """How many of ``size`` awards from the nominees ``pool`` must be rural.

    Raises :class:`ImpossibleShareError` when the pool cannot meet the share.
    """
    day = _day(on, locale)
    _plan, schedule = schedule_on(policy, day, locale=locale)
    chosen = share_for(schedule, share, locale=locale)
    entries: list[Award] = _read_all(pool, Award.from_json, _("Invalid award list"), locale)
    return requirement_for(chosen, entries, size=size, on=day, locale=locale)


# --- plan files and the JSON boundary ---------------------------------------------------------

_CONDITION_KEYS = (
    "all",
    "any",
    "not",
    "continuous_rural_years",
    "total_rural_years",
    "title",
    "meets_title_criteria",
    "outstanding",
    "school_area",
)


@attrs.frozen(kw_only=True)
class _YearRange:
    min: int
    max: int | None = None


def _register_hooks() -> None:
    import cattrs
    from cattrs.gen import make_dict_structure_fn, override

    from edupolicy._convert import (
        CONVERTER,
        _Bad,
        _bad,
        _relative,
        _structure_bool,
        _structure_id,
    )

    def unknown(key: str, raw: object) -> _Bad:
        return _bad(
            {key: raw},
            _(
                "unknown condition {key}; known conditions: {keys}",
                key=key,
                keys=", ".join(_CONDITION_KEYS),
            ),
        )

    def build(converter: cattrs.Converter, key: str, raw: object) -> TeacherCondition:
        if key in ("all", "any"):
            parts = converter.structure(raw, tuple[TeacherCondition, ...])
            if not parts:
                raise _bad(raw, _("must list at least one condition"))
            return AllOf(parts) if key == "all" else AnyOf(parts)
        if key == "not":
            inner: TeacherCondition = converter.structure(raw, TeacherCondition)  # type: ignore[arg-type]
            return Not(inner)
        if key in ("continuous_rural_years", "total_rural_years"):
            years = converter.structure(raw, _YearRange)
            if years.min < 1:
                raise _Bad([(".min", years.min, _("must be 1 or more"))])
            if years.max is not None and years.max < years.min:
                raise _Bad([(".max", years.max, _("must not be less than min"))])
            if key == "continuous_rural_years":
                return ContinuousRuralYears(years.min, years.max)
            return TotalRuralYears(years.min, years.max)
        if key == "title":
            titles = converter.structure(raw, frozenset[Title])
            if not titles:
                raise _bad(raw, _("must list at least one title"))
            return TitleIn(titles)
        if key == "school_area":
            return PostedIn(converter.structure(raw, SchoolArea))
        if key == "meets_title_criteria":
            return MeetsTitleCriteria(_structure_bool(raw, bool))
        if key == "outstanding":
            return OutstandingIs(_structure_bool(raw, bool))
        raise unknown(key, raw)  # pragma: no cover - keys are checked before

    def structure_condition(value: object, _type: object) -> TeacherCondition:
        if not isinstance(value, Mapping) or len(value) != 1:
            raise _bad(
                value,
                _(
                    "a condition is a table with exactly one of the keys: {keys}",
                    keys=", ".join(_CONDITION_KEYS),
                ),
            )
        ((key, raw),) = value.items()
        if key not in _CONDITION_KEYS:
            raise unknown(key, raw)
        try:
            return build(CONVERTER, key, raw)
        except Exception as exc:
            raise _Bad([(f".{key}{sub}", v, m) for sub, v, m in _relative(exc, raw)]) from None

    def structure_percent(value: object, _type: object) -> Decimal:
        if isinstance(value, str) and _PERCENT.match(value):
            return Decimal(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        raise _bad(value, _('must be a percentage written as a string, like "30"'))

    structure_award_fields = make_dict_structure_fn(
        Award, CONVERTER, _cattrs_forbid_extra_keys=True, id=override(struct_hook=_structure_id)
    )

    def structure_award(value: object, _type: object) -> Award:
        if not isinstance(value, Mapping):
            raise _bad(value, _("must be a JSON object"))
        award = structure_award_fields(value, Award)
        if award.school_area is None and award.teacher is None:
            raise _bad(
                dict(value),
                _("an award entry names the school_area of the awarded school, a teacher, or both"),
            )
        return award

    CONVERTER.register_structure_hook_func(
        lambda t: bool(t == TeacherCondition), structure_condition
    )
    CONVERTER.register_structure_hook(
        Share,
        make_dict_structure_fn(
            Share,
            CONVERTER,
            _cattrs_forbid_extra_keys=True,
            min_percent=override(struct_hook=structure_percent),
        ),
    )
    CONVERTER.register_structure_hook(Award, structure_award)


_PERCENT = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")

_register_hooks()
