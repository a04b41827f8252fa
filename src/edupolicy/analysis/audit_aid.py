"""The audit of a plan's aid, over every student its rules can tell apart:
``aid-conflict``, ``equal-treatment`` and ``no-aid`` (see :mod:`edupolicy.analysis.audit`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from edupolicy.aid import (
    AidSchedule,
    Household,
    HouseholdStatus,
    Stage,
    Student,
    evaluate_aid,
)
from edupolicy.aid.records import student_from_key
from edupolicy.analysis.findings import Finding, Severity
from edupolicy.errors import RuleConflictError
from edupolicy.i18n import Message, _
from edupolicy.plans.plan import Plan
from edupolicy.values import SchoolArea

__all__ = ["audit_aid", "student_space"]


def student_space(plan: Plan) -> Iterator[Student]:
    """Every distinct student record the plan's rules can tell apart: the core's household
    statuses and those the plan declares, in every combination."""
    statuses: list[HouseholdStatus] = [*Household, *plan.household_statuses]
    subsets = [
        frozenset(combo)
        for size in range(len(statuses) + 1)
        for combo in itertools.combinations(statuses, size)
    ]
    for stage in Stage:
        for year in range(1, plan.stage_years[stage] + 1):
            for area, boarding, household, orphan, disabled in itertools.product(
                SchoolArea, (False, True), subsets, (False, True), (False, True)
            ):
                yield student_from_key((stage, year, area, boarding, household, orphan, disabled))


def audit_aid(plan: Plan) -> Iterator[Finding]:
    schedule = plan.aid
    conflicts: dict[tuple[str, ...], Student] = {}
    results: dict[Student, frozenset[str]] = {}
    for student in student_space(plan):
        try:
            result = evaluate_aid(
                schedule, student, region="", plan=plan.id, on=plan.in_force.start
            )
        except RuleConflictError as error:
            key = tuple(sorted(error.rule_ids))
            conflicts.setdefault(key, student)
            continue
        results[student] = frozenset(item.rule_id for item in result.items)
    for rule_ids, example in conflicts.items():
        first = schedule.rule(rule_ids[0])
        second = schedule.rule(rule_ids[1])
        yield Finding(
            code="aid-conflict",
            severity=Severity.ERROR,
            subject=", ".join(rule_ids),
            message=_(
                "rules {first} and {second} of a one_wins group both apply, with no "
                "precedence declared, for example to {student}",
                first=first.id,
                second=second.id,
                student=_describe(example),
            ),
            source=second.source,
        )
    yield from _equal_treatment(schedule, results)
    yield from _coverage(plan, results)


def _describe(student: Student) -> str:
    fields = {
        "stage": student.stage.value,
        "year": student.year,
        "school_area": student.school_area.value,
        "boarding": student.boarding,
        "household": sorted(h.value for h in student.household),
        "orphan": student.orphan,
        "disabled": student.disabled,
    }
    return ", ".join(f"{key}={value}" for key, value in fields.items())


def _equal_treatment(
    schedule: AidSchedule, results: dict[Student, frozenset[str]]
) -> Iterator[Finding]:
    for provision in schedule.equal_treatment:
        for student, applied in results.items():
            if student.stage not in provision.stages or provision.status in student.household:
                continue
            other = attrs.evolve(student, household=student.household | {provision.status})
            if other in results and results[other] != applied:
                yield Finding(
                    code="equal-treatment",
                    severity=Severity.ERROR,
                    subject=provision.id,
                    message=_(
                        "the aid of {student} changes when the household is also {status}",
                        student=_describe(student),
                        status=provision.status.value,
                    ),
                    source=provision.source,
                )
                break


_MARKERS: Sequence[tuple[Message, dict[str, Any]]] = (
    (Household.DIBAO.label, {"household": frozenset({Household.DIBAO})}),
    (Household.REGISTERED_POOR.label, {"household": frozenset({Household.REGISTERED_POOR})}),
    (Household.OTHER_HARDSHIP.label, {"household": frozenset({Household.OTHER_HARDSHIP})}),
    (_("orphan"), {"orphan": True}),
    (_("disabled"), {"disabled": True}),
)


def _coverage(plan: Plan, results: dict[Student, frozenset[str]]) -> Iterator[Finding]:
    by_stage: dict[Stage, list[tuple[Student, frozenset[str]]]] = {}
    for student, applied in results.items():
        by_stage.setdefault(student.stage, []).append((student, applied))
    for stage in Stage:
        entries = by_stage.get(stage, [])
        if not any(applied for _s, applied in entries):
            yield Finding(
                code="no-aid",
                severity=Severity.INFO,
                subject=stage.value,
                message=_("no aid rule applies to any {stage} student", stage=stage.label),
            )
            continue
        uncovered: list[Message] = []
        for marker, fields in _MARKERS:
            matching = [applied for student, applied in entries if _only(student, fields)]
            cash = [
                rule_id
                for applied in matching
                for rule_id in applied
                if plan.aid.rule(rule_id).benefit.kind.value == "cash"
            ]
            if matching and not cash:
                uncovered.append(marker)
        if uncovered:
            yield Finding(
                code="no-aid",
                severity=Severity.INFO,
                subject=stage.value,
                message=_(
                    "no cash aid for {stage} students whose only hardship is: {markers}",
                    stage=stage.label,
                    markers=_join(uncovered),
                ),
            )


def _join(items: list[Message]) -> Message:
    joined = items[0]
    for item in items[1:]:
        joined = _("{left}, {right}", left=joined, right=item)
    return joined


def _only(student: Student, fields: dict[str, Any]) -> bool:
    household = fields.get("household", frozenset())
    return (
        student.household == household
        and student.orphan is fields.get("orphan", False)
        and student.disabled is fields.get("disabled", False)
    )
