"""The checks of an aid schedule that span more than one field: its rules, groups and
overrides (the engine's schedule check), the household statuses its conditions name,
and the stages where the plan requires equal treatment."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from edupolicy.aid.conditions import HouseholdAny, StageIn
from edupolicy.aid.records import PlanStatus, Stage
from edupolicy.aid.schedule import AidSchedule
from edupolicy.errors import FieldProblem
from edupolicy.i18n import _
from edupolicy.rules import All, check_schedule, duplicates, walk
from edupolicy.rules import Any as AnyOf

__all__ = ["check_aid_schedule", "stages_of"]


def check_aid_schedule(
    schedule: AidSchedule, statuses: Sequence[PlanStatus] = ()
) -> Iterator[FieldProblem]:
    """Every problem of an aid schedule that spans more than one field, its paths under
    ``$.aid``; ``statuses`` are the household statuses its plan declares."""
    yield from check_schedule(schedule, "$.aid")
    yield from _check_statuses(schedule, statuses)
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


def _check_statuses(
    schedule: AidSchedule, declared: Sequence[PlanStatus]
) -> Iterator[FieldProblem]:
    """Declared status ids unique; every declared status a rule or provision names is the
    plan's (a plan made in Python can name one it does not declare)."""
    yield from duplicates([s.id for s in declared], "$.household_statuses", _("household status"))
    ids = {s.id for s in declared}
    known = ", ".join(sorted(ids)) or "-"
    for index, rule in enumerate(schedule.rules):
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
    for index, provision in enumerate(schedule.equal_treatment):
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
