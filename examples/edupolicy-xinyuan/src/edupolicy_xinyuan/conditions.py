"""A kind of condition Xinyuan's plan uses that the core does not have.

``hardships = { min = N }`` holds for a student with at least N hardships: household
statuses of hardship (the core's and those the plan declares), orphanhood and
disability counted together. A household of migrant workers (进城务工) or of the
"少生快富" programme is not in hardship for being so: Jinfeng's plan, which Xinyuan's
builds on, gives the children of migrant workers the same aid as any other child
(equal treatment), so their status adds no hardship. Xinyuan's plan uses the condition
for its top-up for students in more than one hardship (双困). The plugin hands the
class to edupolicy with its region (``plugin.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from edupolicy.aid import AidExtension, Household, Student
from edupolicy.errors import FieldProblem, InvalidDataError, field_check
from edupolicy.i18n import Message, message_factory
from edupolicy_xinyuan import DOMAIN

__all__ = ["NOT_HARDSHIPS", "Hardships"]

_ = message_factory(DOMAIN)

#: Household statuses that are no hardship in themselves.
NOT_HARDSHIPS = frozenset({Household.MIGRANT_WORKER, Household.SHAOSHENG_KUAIFU})


@attrs.frozen
class Hardships(AidExtension):
    """The student has at least ``min`` hardships."""

    key: ClassVar[str] = "hardships"

    min: int = attrs.field(
        validator=field_check(
            lambda _self, v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
            lambda *_args: _("must be a whole number, 1 or more"),
        )
    )

    @classmethod
    def from_value(cls, value: object, /) -> Hardships:
        """The condition ``{ min = N }`` states."""
        if not isinstance(value, Mapping) or set(value) != {"min"}:
            raise InvalidDataError(
                _("Invalid condition"),
                [FieldProblem("$", value, _("must be a table { min = N }"))],
            )
        return cls(value["min"])

    def to_value(self) -> Any:
        """The value of the condition's key, as a plan file writes it."""
        return {"min": self.min}

    @staticmethod
    def count(student: Student) -> int:
        """The student's hardships."""
        statuses = [status for status in student.household if status not in NOT_HARDSHIPS]
        return len(statuses) + int(student.orphan) + int(student.disabled)

    def holds(self, student: Student, /) -> bool:
        return self.count(student) >= self.min

    def describe(self) -> Message:
        return _("at least {min} hardships", min=self.min)

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _("{count} hardship(s), fewer than {min}", count=self.count(student), min=self.min)
