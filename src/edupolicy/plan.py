"""Plans and policies.

A :class:`Plan` is one region's bundle of rules, with the document it encodes and the
period it is in force.  A :class:`Policy` is what :func:`edupolicy.load` returns: a
region's plans, and the questions a host asks of them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from edupolicy._graph import find_cycle
from edupolicy.aid import (
    AidResult,
    AidSchedule,
    Benefit,
    BenefitKind,
    Combination,
    RuleGroup,
    Source,
    evaluate_schedule,
)
from edupolicy.conditions import All, HouseholdAny, StageIn
from edupolicy.errors import (
    MISSING,
    FieldProblem,
    InvalidRecordError,
    OutOfPeriodError,
    PlanDataError,
)
from edupolicy.goals import Goals, Observation, TargetProgress, Unit, progress
from edupolicy.incentives import TeacherSchedule

if TYPE_CHECKING:
    from edupolicy.audit import Finding
    from edupolicy.incentives import Award, Selection, ShareCheck, TeacherResult
    from edupolicy.teachers import Teacher
from edupolicy.i18n import Message, Text, _
from edupolicy.records import Stage, Student

__all__ = ["Period", "Plan", "PlanDocument", "Policy"]


@attrs.frozen(kw_only=True)
class Period:
    """The days a plan is in force, both ends included; ``end`` ``None`` means open-ended."""

    start: _dt.date
    end: _dt.date | None = None
    #: Why these dates, where the plan does not state them.
    interpretation: Text | None = None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, _dt.date):
            return False
        return self.start <= day and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        end = self.end.isoformat() if self.end is not None else "…"
        return f"{self.start.isoformat()}–{end}"


@attrs.frozen(kw_only=True)
class PlanDocument:
    """The policy document a plan encodes."""

    title: Text
    #: The document number, as printed: ``金教发〔2018〕410号``.
    number: str
    issuer: Text
    signed: _dt.date
    published: _dt.date | None = None


def _freeze_years(value: Mapping[Stage, int]) -> Mapping[Stage, int]:
    return MappingProxyType(dict(value))


def _freeze_sections(value: Mapping[str, Text]) -> Mapping[str, Text]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True, eq=False)
class Plan:
    """One region's plan: its document, period, stage lengths and aid schedule.

    Cross-references are checked when a plan is made; a bad one raises
    :class:`~edupolicy.errors.PlanDataError` naming the path of the field.
    """

    id: str
    document: PlanDocument
    in_force: Period
    #: How many years each stage lasts; a record beyond this is rejected.
    stage_years: Mapping[Stage, int] = attrs.field(converter=_freeze_years)
    aid: AidSchedule
    #: Titles of the plan's sections, by the section numbers sources cite (``二(一)1``).
    sections: Mapping[str, Text] = attrs.field(factory=dict, converter=_freeze_sections)
    #: The plan's indicators, targets and stated facts.
    goals: Goals | None = None
    #: The plan's teacher-incentive rules, quotas and shares.
    teachers: TeacherSchedule | None = None

    def __attrs_post_init__(self) -> None:
        problems = list(_check_plan(self))
        if problems:
            raise PlanDataError(_("Plan {plan} is not valid", plan=self.id), problems)

    def year_problem(self, stage: object, year: object) -> FieldProblem | None:
        """The problem with ``year`` if it lies beyond the length of ``stage`` in this plan."""
        found = next((s for s in Stage if s.value == stage), None)
        if found is None or not isinstance(year, int) or isinstance(year, bool):
            return None
        limit = self.stage_years[found]
        if year <= limit:
            return None
        return FieldProblem(
            "$.year",
            year,
            _("{stage} lasts {years} years in this plan", stage=found.label, years=limit),
        )

    def check_student(self, student: Student, *, locale: str | None = None) -> None:
        """Reject a student whose year lies beyond the length of its stage in this plan."""
        limit = self.stage_years[student.stage]
        if student.year > limit:
            raise InvalidRecordError(
                _("Invalid student record"),
                [
                    FieldProblem(
                        "$.year",
                        student.year,
                        _(
                            "{stage} lasts {years} years in this plan",
                            stage=student.stage.label,
                            years=limit,
                        ),
                    )
                ],
                locale=locale,
            )


def _check_plan(plan: Plan) -> Iterator[FieldProblem]:
    if plan.in_force.end is not None and plan.in_force.end < plan.in_force.start:
        yield FieldProblem(
            "$.in_force.end", plan.in_force.end, _("the period ends before it starts")
        )
    for stage in Stage:
        years = plan.stage_years.get(stage)
        if years is None:
            yield FieldProblem(
                f"$.stage_years.{stage.value}", MISSING, _("every stage needs its number of years")
            )
        elif years < 1:
            yield FieldProblem(
                f"$.stage_years.{stage.value}", years, _("a stage lasts at least one year")
            )
    yield from _check_schedule(plan.aid)
    if plan.goals is not None:
        yield from _check_goals(plan.goals)
    if plan.sections:
        cited: list[tuple[str, Source]] = [
            (f"$.aid.rules[{index}]", rule.source) for index, rule in enumerate(plan.aid.rules)
        ]
        if plan.teachers is not None:
            cited += [
                (f"$.teachers.rules[{index}]", rule.source)
                for index, rule in enumerate(plan.teachers.rules)
            ]
            cited += [
                (f"$.teachers.quotas[{index}]", quota.source)
                for index, quota in enumerate(plan.teachers.quotas)
            ]
            cited += [
                (f"$.teachers.shares[{index}]", share.source)
                for index, share in enumerate(plan.teachers.shares)
            ]
        for path, source in cited:
            if source.section not in plan.sections:
                yield FieldProblem(
                    f"{path}.source.section",
                    source.section,
                    _("the plan's sections table has no such section"),
                )


def _check_schedule(schedule: AidSchedule) -> Iterator[FieldProblem]:
    groups = {g.id: g for g in schedule.groups}
    seen_groups: set[str] = set()
    for index, declared in enumerate(schedule.groups):
        if declared.id in seen_groups:
            yield FieldProblem(
                f"$.aid.groups[{index}].id", declared.id, _("another group has the same id")
            )
        seen_groups.add(declared.id)

    rules = {}
    for index, rule in enumerate(schedule.rules):
        if rule.id in rules:
            yield FieldProblem(
                f"$.aid.rules[{index}].id", rule.id, _("another rule has the same id")
            )
        rules[rule.id] = rule

    for index, rule in enumerate(schedule.rules):
        path = f"$.aid.rules[{index}]"
        group: RuleGroup | None = groups.get(rule.group) if rule.group is not None else None
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
        yield from _check_benefit(rule.benefit, f"{path}.benefit")

    cycle = _override_cycle(schedule)
    if cycle:
        yield FieldProblem(
            "$.aid.rules", " → ".join(cycle), _("rules override each other in a cycle")
        )

    for index, provision in enumerate(schedule.equal_treatment):
        for rule in schedule.rules:
            if _mentions(rule.when, provision.status) and (
                _stages_of(rule.when) & provision.stages
            ):
                yield FieldProblem(
                    f"$.aid.equal_treatment[{index}].status",
                    provision.status.value,
                    _(
                        "rule {rule} treats this status differently in stages where the plan "
                        "requires equal treatment",
                        rule=rule.id,
                    ),
                )


def _check_goals(goals: Goals) -> Iterator[FieldProblem]:
    indicators = {}
    for index, indicator in enumerate(goals.indicators):
        if indicator.id in indicators:
            yield FieldProblem(
                f"$.goals.indicators[{index}].id", indicator.id, _("another indicator has this id")
            )
        indicators[indicator.id] = indicator
        if indicator.can_exceed_100 and indicator.unit is not Unit.PERCENT:
            yield FieldProblem(
                f"$.goals.indicators[{index}].can_exceed_100",
                True,
                _("only a percentage can be allowed to exceed 100%"),
            )
    targets = {}
    for index, target in enumerate(goals.targets):
        path = f"$.goals.targets[{index}]"
        if target.id in targets:
            yield FieldProblem(f"{path}.id", target.id, _("another target has this id"))
        targets[target.id] = target
        if target.indicator not in indicators:
            yield FieldProblem(f"{path}.indicator", target.indicator, _("no indicator has this id"))
        if target.baseline is not None and target.baseline.on >= target.deadline:
            yield FieldProblem(
                f"{path}.baseline.on",
                target.baseline.on,
                _("the baseline must come before the deadline"),
            )
    for index, target in enumerate(goals.targets):
        for part_index, part in enumerate(target.parts):
            other = targets.get(part)
            path = f"$.goals.targets[{index}].parts[{part_index}]"
            if other is None:
                yield FieldProblem(path, part, _("no target has this id"))
            elif part == target.id:
                yield FieldProblem(path, part, _("a target cannot be a part of itself"))
            elif (
                other.indicator in indicators
                and target.indicator in indicators
                and indicators[other.indicator].unit is not indicators[target.indicator].unit
            ):
                yield FieldProblem(
                    path, part, _("a part must be measured in the same unit as its total")
                )
    cycle = find_cycle({t.id: sorted(set(t.parts) & set(targets)) for t in goals.targets})
    if cycle:
        yield FieldProblem(
            "$.goals.targets", " → ".join(cycle), _("targets are parts of each other in a cycle")
        )
    for index, fact in enumerate(goals.facts):
        if fact.indicator not in indicators:
            yield FieldProblem(
                f"$.goals.facts[{index}].indicator", fact.indicator, _("no indicator has this id")
            )


def _check_benefit(benefit: Benefit, path: str) -> Iterator[FieldProblem]:
    """The fields of a benefit must fit its kind."""
    kind = benefit.kind
    if kind is BenefitKind.CASH:
        if benefit.amount is None:
            yield FieldProblem(f"{path}.amount", MISSING, _("cash aid needs an amount"))
        elif benefit.amount <= 0:
            yield FieldProblem(
                f"{path}.amount", benefit.amount, _("an amount of aid must be more than zero")
            )
        if benefit.frequency is None:
            yield FieldProblem(
                f"{path}.frequency", MISSING, _("cash aid needs a frequency: per_year or once")
            )
    else:
        if benefit.amount is not None:
            yield FieldProblem(
                f"{path}.amount",
                benefit.amount,
                _("only cash aid has an amount; this benefit is {kind}", kind=kind.value),
            )
        if benefit.frequency is not None:
            yield FieldProblem(
                f"{path}.frequency",
                benefit.frequency.value,
                _("only cash aid has a frequency; this benefit is {kind}", kind=kind.value),
            )
    if kind is BenefitKind.WAIVER and not benefit.waives:
        yield FieldProblem(f"{path}.waives", MISSING, _("a waiver must name the fees it waives"))
    if kind is not BenefitKind.WAIVER and benefit.waives:
        yield FieldProblem(
            f"{path}.waives",
            sorted(benefit.waives),
            _("only a waiver waives fees; this benefit is {kind}", kind=kind.value),
        )


def _override_cycle(schedule: AidSchedule) -> list[str]:
    return find_cycle({rule.id: sorted(rule.overrides) for rule in schedule.rules})


def _mentions(condition: object, status: object) -> bool:
    from edupolicy.conditions import Any as AnyOf
    from edupolicy.conditions import Not

    if isinstance(condition, HouseholdAny):
        return status in condition.statuses
    if isinstance(condition, (All, AnyOf)):
        return any(_mentions(c, status) for c in condition.conditions)
    if isinstance(condition, Not):
        return _mentions(condition.condition, status)
    return False


def _stages_of(condition: object) -> frozenset[Stage]:
    """The stages a condition can hold in (all of them when it does not restrict the stage)."""
    if isinstance(condition, StageIn):
        return condition.stages
    if isinstance(condition, All):
        result = frozenset(Stage)
        for part in condition.conditions:
            result &= _stages_of(part)
        return result
    from edupolicy.conditions import Any as AnyOf

    if isinstance(condition, AnyOf):
        found: frozenset[Stage] = frozenset()
        for part in condition.conditions:
            found |= _stages_of(part)
        return found
    return frozenset(Stage)


@attrs.frozen(kw_only=True, eq=False)
class Policy:
    """A region's plans, as :func:`edupolicy.load` returns them. Immutable; thread-safe."""

    region: str
    #: The distribution that provides the region, and its version.
    distribution: str
    version: str
    plans: tuple[Plan, ...]

    @property
    def periods(self) -> tuple[Period, ...]:
        """The periods of the region's plans, earliest first."""
        return tuple(plan.in_force for plan in self.plans)

    def plan_on(self, on: _dt.date | str, *, locale: str | None = None) -> Plan:
        """The plan in force on ``on``; an :class:`OutOfPeriodError` when there is none."""
        day = _as_date(on, locale)
        for plan in self.plans:
            if day in plan.in_force:
                return plan
        raise OutOfPeriodError(
            self.region, day, [f"{plan.id} {plan.in_force}" for plan in self.plans], locale=locale
        )

    def aid(
        self,
        student: Student | Mapping[str, Any],
        on: _dt.date | str,
        *,
        explain: bool = False,
        locale: str | None = None,
    ) -> AidResult:
        """The aid ``student`` receives under the plan in force on ``on``.

        ``student`` is a :class:`~edupolicy.records.Student` or its JSON-shaped
        mapping, checked strictly.  With ``explain``, the result also lists every rule
        that did not apply and why.  ``locale`` chooses the language of any error.
        """
        plan = self.plan_on(on, locale=locale)
        if isinstance(student, Student):
            record = student
        else:
            try:
                record = Student.from_json(student, locale=locale)
            except InvalidRecordError as exc:
                # Report a year beyond the stage's length with the other problems.
                raw: object = student
                extra = (
                    plan.year_problem(raw.get("stage"), raw.get("year"))
                    if isinstance(raw, Mapping)
                    else None
                )
                if extra is None or any(p.path == "$.year" for p in exc.problems):
                    raise
                raise InvalidRecordError(
                    exc.heading, [*exc.problems, extra], locale=locale
                ) from None
        plan.check_student(record, locale=locale)
        return evaluate_schedule(
            plan.aid,
            record,
            sections=plan.sections,
            region=self.region,
            plan=plan.id,
            on=_as_date(on, locale),
            explain=explain,
            locale=locale,
        )

    def progress(
        self,
        observations: Iterable[Observation] | Sequence[Mapping[str, Any]] | Mapping[str, Any],
        *,
        year: int | None = None,
        on: _dt.date | str | None = None,
        locale: str | None = None,
    ) -> tuple[TargetProgress, ...]:
        """Where each target of the plan in force stands, given reported values.

        ``observations`` are :class:`~edupolicy.goals.Observation` objects or their
        JSON (a list of objects, or an object mapping indicator ids to values for
        ``year``), checked strictly against the plan's indicators.  The targets are
        judged as of ``on``, or as of the end of ``year``.
        """
        if on is None:
            if year is None:
                raise InvalidRecordError(
                    _("Invalid argument"),
                    [FieldProblem("year", None, _("give the year or the date to judge on"))],
                    locale=locale,
                )
            raw_year: object = year
            if not isinstance(raw_year, int) or isinstance(raw_year, bool):
                raise InvalidRecordError(
                    _("Invalid argument"),
                    [FieldProblem("year", repr(raw_year), _("must be a whole number"))],
                    locale=locale,
                )
            as_of = _dt.date(year, 12, 31)
        else:
            as_of = _as_date(on, locale)
        plan = self.plan_on(as_of, locale=locale)
        goals = plan.goals
        if goals is None:
            return ()
        from edupolicy._convert import structure_observations

        data: object = observations
        if not isinstance(observations, Mapping):
            # Observation objects get exactly the checks their JSON would.
            data = [_observation_json(obs) for obs in observations]
        checked = structure_observations(data, goals, year=year, locale=locale)
        return progress(goals, checked, as_of)

    def teacher(
        self,
        teacher: Teacher | Mapping[str, Any],
        on: _dt.date | str,
        *,
        explain: bool = False,
        locale: str | None = None,
    ) -> TeacherResult:
        """The incentives ``teacher`` earns under the plan in force on ``on``.

        The same as :func:`edupolicy.evaluate_teacher` with this policy.
        """
        from edupolicy.incentives import evaluate_teacher

        return evaluate_teacher(self, teacher, on, explain=explain, locale=locale)

    def select(
        self,
        programme: str,
        candidates: Sequence[Teacher | Mapping[str, Any]],
        *,
        year: int,
        locale: str | None = None,
    ) -> Selection:
        """This year's cohort of ``programme`` under its quota, with reasons for the rest.

        The same as :func:`edupolicy.select_cohort` with this policy.
        """
        from edupolicy.incentives import select_cohort

        return select_cohort(self, programme, candidates, year=year, locale=locale)

    def check_awards(
        self,
        awards: Sequence[Award | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        share: str | None = None,
        locale: str | None = None,
    ) -> ShareCheck:
        """Check an award list made on ``on`` against the plan's share.

        The same as :func:`edupolicy.check_awards` with this policy.
        """
        from edupolicy.incentives import check_awards

        return check_awards(self, awards, on, share=share, locale=locale)

    def check(self) -> tuple[Finding, ...]:
        """The consistency audit of every plan of the region (see :mod:`edupolicy.audit`)."""
        from edupolicy.audit import audit

        return tuple(finding for plan in self.plans for finding in audit(plan))

    def describe(self) -> Message:
        """One line naming the region and its plans."""
        return _(
            "{region}: {plans}",
            region=self.region,
            plans=", ".join(f"{plan.document.number} {plan.in_force}" for plan in self.plans),
        )


def _observation_json(obs: object) -> object:
    if not isinstance(obs, Observation):
        return obs
    data: dict[str, object] = {"indicator": obs.indicator, "value": str(obs.value)}
    if obs.year is not None:
        data["year"] = obs.year
    if obs.on is not None:
        data["on"] = obs.on.isoformat()
    if obs.unit is not None:
        data["unit"] = obs.unit.value
    return data


def _as_date(on: object, locale: str | None) -> _dt.date:
    if isinstance(on, _dt.datetime) or not isinstance(on, _dt.date):
        from edupolicy._convert import parse_date

        parsed = parse_date(on) if isinstance(on, str) else None
        if parsed is None:
            raise InvalidRecordError(
                _("Invalid argument"),
                [
                    FieldProblem(
                        "on",
                        on if isinstance(on, str) else repr(on),
                        _("must be a date (YYYY-MM-DD)"),
                    )
                ],
                locale=locale,
            )
        return parsed
    return on
