"""The checks of a teacher-incentive schedule that span more than one field: its rules,
groups and overrides (the engine's schedule check), its quotas and its shares."""

from __future__ import annotations

from collections.abc import Iterator

from edupolicy.errors import FieldProblem
from edupolicy.i18n import _
from edupolicy.rules import check_schedule, duplicates
from edupolicy.teachers.incentives import TeacherSchedule

__all__ = ["check_teacher_schedule"]


def check_teacher_schedule(schedule: TeacherSchedule) -> Iterator[FieldProblem]:
    """Every problem of a teacher-incentive schedule that spans more than one field, its
    paths under ``$.teachers``."""
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
