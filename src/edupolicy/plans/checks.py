"""The plan check: everything that spans a plan, checked when the plan is made.

A single field is checked where it is declared (attrs validators); what needs more
than one field — ids that must be unique, references between rules, groups, targets
and quotas, the sections that sources cite, equal treatment across a schedule — is
checked here, every problem at once, each with the path of its field.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from edupolicy.aid import AidSchedule, HouseholdAny, PlanStatus, Stage, StageIn
from edupolicy.errors import MISSING, FieldProblem
from edupolicy.goals import Comparison, Goals, Target, Unit
from edupolicy.i18n import _
from edupolicy.rules import All, Source, check_schedule, duplicates, find_cycle, walk
from edupolicy.rules import Any as AnyOf
from edupolicy.teachers import TeacherSchedule

if TYPE_CHECKING:
    from edupolicy.plans.plan import Plan
    from edupolicy.plans.reading import Reading

__all__ = ["MAX_STAGE_YEARS", "check_plan"]

#: The longest a stage of education may last in a plan.
MAX_STAGE_YEARS = 12


def check_plan(plan: Plan) -> Iterator[FieldProblem]:
    """Every problem of ``plan`` that spans more than one field."""
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
        elif years > MAX_STAGE_YEARS:
            # The audit considers every year of every stage.
            yield FieldProblem(
                f"$.stage_years.{stage.value}",
                years,
                _("a stage lasts at most {max} years", max=MAX_STAGE_YEARS),
            )
    yield from _check_aid(plan.aid)
    yield from _check_statuses(plan)
    if plan.goals is not None:
        yield from _check_goals(plan.goals)
    if plan.teachers is not None:
        yield from _check_teachers(plan.teachers)
    yield from _check_readings(plan.readings)
    if plan.sections:
        cited: list[tuple[str, Source]] = [
            (f"$.aid.rules[{index}]", rule.source) for index, rule in enumerate(plan.aid.rules)
        ]
        if plan.teachers is not None:
            teachers = plan.teachers
            cited += [(f"$.teachers.rules[{i}]", r.source) for i, r in enumerate(teachers.rules)]
            cited += [(f"$.teachers.quotas[{i}]", q.source) for i, q in enumerate(teachers.quotas)]
            cited += [(f"$.teachers.shares[{i}]", s.source) for i, s in enumerate(teachers.shares)]
        cited += [(f"$.readings[{i}]", r.source) for i, r in enumerate(plan.readings)]
        cited += [
            (f"$.household_statuses[{i}]", s.source)
            for i, s in enumerate(plan.household_statuses)
            if s.source is not None
        ]
        for path, source in cited:
            if source.document is None and source.section not in plan.sections:
                yield FieldProblem(
                    f"{path}.source.section",
                    source.section,
                    _("the plan's sections table has no such section"),
                )


def _check_readings(readings: Sequence[Reading]) -> Iterator[FieldProblem]:
    """Reading ids unique, choice ids unique, the default a choice with no changes."""
    yield from duplicates([r.id for r in readings], "$.readings", _("reading"))
    for index, reading in enumerate(readings):
        path = f"$.readings[{index}]"
        yield from duplicates([c.id for c in reading.choices], f"{path}.choices", _("choice"))
        ids = reading.choice_ids
        if reading.default not in ids:
            yield FieldProblem(
                f"{path}.default",
                reading.default,
                _("no choice has this id; choices: {choices}", choices=", ".join(ids)),
            )
        for position, choice in enumerate(reading.choices):
            if choice.id == reading.default and choice.changes:
                yield FieldProblem(
                    f"{path}.choices[{position}].changes",
                    len(choice.changes),
                    _("the default choice is the plan as written: it has no changes"),
                )
            elif choice.id != reading.default and not choice.changes:
                yield FieldProblem(
                    f"{path}.choices[{position}].changes",
                    MISSING,
                    _("a choice other than the default needs the changes that make it"),
                )


def _check_aid(schedule: AidSchedule) -> Iterator[FieldProblem]:
    yield from check_schedule(schedule, "$.aid")
    for index, provision in enumerate(schedule.equal_treatment):
        for rule in schedule.rules:
            if _mentions(rule.when, provision.status) and (stages_of(rule.when) & provision.stages):
                yield FieldProblem(
                    f"$.aid.equal_treatment[{index}].status",
                    provision.status.value,
                    _(
                        "rule {rule} treats this status differently in stages where the plan "
                        "requires equal treatment",
                        rule=rule.id,
                    ),
                )


def _check_statuses(plan: Plan) -> Iterator[FieldProblem]:
    """Declared status ids unique; every declared status a rule or provision names is the
    plan's (a plan made in Python can name one it does not declare)."""
    declared = plan.household_statuses
    yield from duplicates([s.id for s in declared], "$.household_statuses", _("household status"))
    ids = {s.id for s in declared}
    known = ", ".join(sorted(ids)) or "-"
    for index, rule in enumerate(plan.aid.rules):
        for part in walk(rule.when):
            if not isinstance(part, HouseholdAny):
                continue
            for status in sorted(part.statuses, key=lambda s: s.value):
                if isinstance(status, PlanStatus) and status.id not in ids:
                    yield FieldProblem(
                        f"$.aid.rules[{index}].when",
                        status.id,
                        _(
                            "the plan declares no household status with this id; it declares: "
                            "{statuses}",
                            statuses=known,
                        ),
                    )
    for index, provision in enumerate(plan.aid.equal_treatment):
        status = provision.status
        if isinstance(status, PlanStatus) and status.id not in ids:
            yield FieldProblem(
                f"$.aid.equal_treatment[{index}].status",
                status.id,
                _(
                    "the plan declares no household status with this id; it declares: {statuses}",
                    statuses=known,
                ),
            )


def _mentions(condition: object, status: object) -> bool:
    return any(
        isinstance(part, HouseholdAny) and status in part.statuses for part in walk(condition)
    )


def stages_of(condition: object) -> frozenset[Stage]:
    """The stages a condition can hold in (all of them when it does not restrict the stage)."""
    if isinstance(condition, StageIn):
        return condition.stages
    if isinstance(condition, All):
        result = frozenset(Stage)
        for part in condition.conditions:
            result &= stages_of(part)
        return result
    if isinstance(condition, AnyOf):
        found: frozenset[Stage] = frozenset()
        for part in condition.conditions:
            found |= stages_of(part)
        return found
    return frozenset(Stage)


def _check_teachers(schedule: TeacherSchedule) -> Iterator[FieldProblem]:
    base = "$.teachers"
    yield from check_schedule(schedule, base)
    yield from duplicates([q.id for q in schedule.quotas], f"{base}.quotas", _("quota"))
    yield from duplicates([s.id for s in schedule.shares], f"{base}.shares", _("share"))
    for index, quota in enumerate(schedule.quotas):
        if not schedule.programme_rules(quota.id):
            yield FieldProblem(
                f"{base}.quotas[{index}].id",
                quota.id,
                _("no rule has a programme outcome for this programme"),
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
        measured = indicators.get(target.indicator)
        if measured is not None and measured.unit is Unit.ACHIEVED:
            yield from _check_achieved(target, path)
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
        elif indicators[fact.indicator].unit is Unit.ACHIEVED and fact.value not in (0, 1):
            yield FieldProblem(
                f"$.goals.facts[{index}].value",
                str(fact.value),
                _("a fact achieved or not is 1 (achieved) or 0 (not achieved)"),
            )


def _check_achieved(target: Target, path: str) -> Iterator[FieldProblem]:
    """A target that is achieved or not: exactly 1, with no baseline and no parts."""
    if target.comparison is not Comparison.EXACTLY:
        yield FieldProblem(
            f"{path}.comparison",
            target.comparison.value,
            _("a target achieved or not is compared exactly"),
        )
    if target.value != 1:
        yield FieldProblem(
            f"{path}.value",
            str(target.value),
            _("a target achieved or not has the value 1 (achieved)"),
        )
    if target.baseline is not None:
        yield FieldProblem(f"{path}.baseline", "{…}", _("a target achieved or not has no baseline"))
    if target.parts:
        yield FieldProblem(
            f"{path}.parts", list(target.parts), _("a target achieved or not has no parts")
        )
