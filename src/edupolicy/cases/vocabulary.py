"""The vocabulary of case tables: what a case asks about and what it may expect.

A case has one :class:`Subject` (the key that holds its record), and an
:class:`Expected` of the keys :data:`EXPECTATIONS` allows that subject.  The
provisions of a plan that cases exercise are named by a :class:`ProvisionKind` and an
id.  Reading the values of a file's keys into these is
:mod:`edupolicy.cases.expectation_values`'s.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from edupolicy.goals import Status
from edupolicy.i18n import Message, _

__all__ = ["EXPECTATIONS", "Expected", "Named", "ProvisionKind", "Subject"]


class Subject(enum.Enum):
    """What a case asks about: the key of the case that holds its record."""

    #: A student record: the aid the student receives on a date.
    STUDENT = "student"
    #: A teacher record: the incentives the teacher earns on a date.
    TEACHER = "teacher"
    #: Reported figures: where the plan's targets stand.
    FIGURES = "figures"
    #: A candidate list: the cohort a quota selects in a year.
    CANDIDATES = "candidates"
    #: An award list: whether it meets a share.
    AWARDS = "awards"
    #: Any question a policy answers, by its id: what is expected of its answer's JSON.
    QUESTION = "question"


#: The expectation keys of each subject, in the order their checks are reported.
#: ``error`` is an expectation of every subject.
EXPECTATIONS: Final[Mapping[Subject, tuple[str, ...]]] = {
    Subject.STUDENT: ("cash_total", "waivers", "applies", "not_applies"),
    Subject.TEACHER: ("earns", "not_earns"),
    Subject.FIGURES: ("status",),
    Subject.CANDIDATES: ("selected",),
    Subject.AWARDS: ("meets", "short_by"),
    Subject.QUESTION: ("answer",),
}


class ProvisionKind(enum.Enum):
    """A kind of provision of a plan that cases exercise."""

    AID_RULE = "aid_rule"
    TEACHER_RULE = "teacher_rule"
    QUOTA = "quota"
    SHARE = "share"
    TARGET = "target"
    #: A choice of a reading that is not the default (``continuity-gap=no-gap``).
    READING = "reading"

    @property
    def label(self) -> Message:
        """The kind in words, translatable."""
        return _KIND_LABELS[self]


_KIND_LABELS: Mapping[ProvisionKind, Message] = {
    ProvisionKind.AID_RULE: _("aid rule"),
    ProvisionKind.TEACHER_RULE: _("teacher-incentive rule"),
    ProvisionKind.QUOTA: _("quota"),
    ProvisionKind.SHARE: _("share"),
    ProvisionKind.TARGET: _("target"),
    ProvisionKind.READING: _("reading"),
}

#: A provision of a region's plans, by kind and id.
Named = tuple[ProvisionKind, str]


@attrs.frozen(kw_only=True)
class Expected:
    """What a case expects; ``None`` where it expects nothing of that field."""

    cash_total: Decimal | None = None
    waivers: tuple[str, ...] | None = None
    applies: tuple[str, ...] | None = None
    not_applies: tuple[str, ...] | None = None
    earns: tuple[str, ...] | None = None
    not_earns: tuple[str, ...] | None = None
    #: The status of each target named, by target id.
    status: Mapping[str, Status] | None = None
    selected: tuple[str, ...] | None = None
    meets: bool | None = None
    short_by: int | None = None
    #: The parts of a question's answer expected, as its JSON writes them (a table of
    #: its members, or a list of its items).
    answer: Any = None
    #: The evaluation must fail with an edupolicy error whose text contains this.
    error: str | None = None
