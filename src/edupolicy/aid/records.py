"""The student record and the words of the aid vocabulary.

The enum values are the public JSON vocabulary of ``DESIGN.md``; they may be added to,
never renamed.  Read a record from JSON with :func:`edupolicy.structure`, or pass the
JSON-shaped mapping to :meth:`edupolicy.Policy.aid`, which checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeAlias

import attrs

from edupolicy.errors import field_check, field_type, record_id
from edupolicy.i18n import Message, Text, _
from edupolicy.rules import Source
from edupolicy.rules.writing import Written
from edupolicy.values import MAX_INT, SchoolArea, Word

__all__ = [
    "COMPULSORY_STAGES",
    "STUDENT_FIELDS",
    "Household",
    "HouseholdStatus",
    "PlanStatus",
    "Stage",
    "Student",
    "sorted_statuses",
    "status_order",
]


class Stage(Word):
    """Stage of education a student is in."""

    PRESCHOOL = "preschool"
    PRIMARY = "primary"
    JUNIOR_SECONDARY = "junior_secondary"
    SENIOR_SECONDARY = "senior_secondary"
    SECONDARY_VOCATIONAL = "secondary_vocational"
    #: 本科, including 民族预科.
    UNDERGRADUATE = "undergraduate"
    #: 高职 / 专科.
    VOCATIONAL_COLLEGE = "vocational_college"

    @property
    def label(self) -> Message:
        """The stage's name, translatable."""
        return _STAGE_LABELS[self]


_STAGE_LABELS: Mapping[Stage, Message] = {
    Stage.PRESCHOOL: _("preschool"),
    Stage.PRIMARY: _("primary school"),
    Stage.JUNIOR_SECONDARY: _("junior secondary school"),
    Stage.SENIOR_SECONDARY: _("senior secondary school"),
    Stage.SECONDARY_VOCATIONAL: _("secondary vocational school"),
    Stage.UNDERGRADUATE: _("undergraduate"),
    Stage.VOCATIONAL_COLLEGE: _("vocational college"),
}

#: The stages of compulsory education (义务教育).
COMPULSORY_STAGES: Final = frozenset({Stage.PRIMARY, Stage.JUNIOR_SECONDARY})


class Household(Word):
    """A status of the student's household."""

    #: 低保: the household receives the minimum living guarantee.
    DIBAO = "dibao"
    #: 建档立卡: registered poor household.
    REGISTERED_POOR = "registered_poor"
    #: 其他特困: other household in extreme hardship.
    OTHER_HARDSHIP = "other_hardship"
    #: 计划生育"少生快富"项目户: family-planning "fewer births, faster prosperity" household.
    SHAOSHENG_KUAIFU = "shaosheng_kuaifu"
    #: 进城务工: migrant worker household.
    MIGRANT_WORKER = "migrant_worker"

    @property
    def label(self) -> Message:
        """The status's name, translatable."""
        return _HOUSEHOLD_LABELS[self]


_HOUSEHOLD_LABELS: Mapping[Household, Message] = {
    Household.DIBAO: _("minimum-living-guarantee (dibao) household"),
    Household.REGISTERED_POOR: _("registered poor household"),
    Household.OTHER_HARDSHIP: _("other household in extreme hardship"),
    Household.SHAOSHENG_KUAIFU: _('"fewer births, faster prosperity" household'),
    Household.MIGRANT_WORKER: _("migrant worker household"),
}


_STATUS_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
_CORE_IDS: Final = frozenset(member.value for member in Household)


@attrs.frozen(kw_only=True)
class PlanStatus:
    """A household status a plan declares (``[[household_statuses]]`` in its plan file),
    beyond the core's :class:`Household` statuses: ``veteran_family`` (军烈属家庭).

    It offers what code uses of a :class:`Household` member: :attr:`value` (its id, the
    word of the JSON boundary) and :attr:`label`.  Two statuses with the same id are
    equal, whatever their names: the id is what a record states.
    """

    #: The status's word in records and plan files: lower-case, like the core's.
    id: str = attrs.field(
        validator=[
            field_check(
                lambda _self, v: isinstance(v, str) and _STATUS_ID.fullmatch(v) is not None,
                lambda *_args: _(
                    "must be lower-case letters, digits and _, starting with a letter"
                ),
            ),
            field_check(
                lambda _self, v: v not in _CORE_IDS,
                lambda *_args: _("the core already has a household status with this id"),
            ),
        ]
    )
    #: The status's name, in both languages.
    name: Text = attrs.field(eq=False)
    #: Where the plan states the status.
    source: Source | None = attrs.field(default=None, eq=False)

    @property
    def value(self) -> str:
        """The status's id, as :attr:`Household.value` is a core status's."""
        return self.id

    @property
    def label(self) -> Text:
        """The status's name."""
        return self.name


#: A household status: one of the core's, or one a plan declares.
HouseholdStatus: TypeAlias = Household | PlanStatus


def status_order(status: HouseholdStatus) -> tuple[int, str]:
    """A sort key: the core's statuses in their order, then declared ones by id."""
    if isinstance(status, Household):
        return (_HOUSEHOLD_ORDER[status], "")
    return (len(_HOUSEHOLD_ORDER), status.id)


_HOUSEHOLD_ORDER: Mapping[Household, int] = {member: i for i, member in enumerate(Household)}


def sorted_statuses(statuses: Iterable[HouseholdStatus]) -> list[HouseholdStatus]:
    """``statuses`` in :func:`status_order`."""
    return sorted(statuses, key=status_order)


def _flag() -> Any:
    return attrs.field(
        default=False,
        validator=field_check(
            lambda _self, v: isinstance(v, bool), lambda *_args: _("must be true or false")
        ),
    )


@attrs.frozen(kw_only=True)
class Student(Written):
    """A student as a host system describes one.

    A student made in Python is checked as strictly as one read from JSON: a field of
    the wrong type raises :class:`~edupolicy.InvalidRecordError` naming it.
    """

    stage: Stage = attrs.field(validator=field_type(lambda v: isinstance(v, Stage), "Stage"))
    #: The year within the stage, counted from 1.
    year: int = attrs.field(
        metadata={"json": {"read": "year"}},
        validator=[
            field_check(
                lambda _self, v: isinstance(v, int) and not isinstance(v, bool),
                lambda *_args: _("must be a whole number"),
            ),
            field_check(
                lambda _self, v: v >= 1,
                lambda *_args: _("must be 1 or more (years are counted from 1)"),
            ),
            field_check(
                lambda _self, v: v <= MAX_INT,
                lambda *_args: _("must be a whole number of at most {max}", max=MAX_INT),
            ),
        ],
    )
    school_area: SchoolArea = attrs.field(
        validator=field_type(lambda v: isinstance(v, SchoolArea), "SchoolArea")
    )
    boarding: bool = _flag()
    #: The household's statuses: the core's, and any the plan in force declares.
    household: frozenset[HouseholdStatus] = attrs.field(
        default=frozenset(),
        validator=field_type(
            lambda v: (
                isinstance(v, frozenset) and all(isinstance(h, (Household, PlanStatus)) for h in v)
            ),
            "frozenset of Household or PlanStatus",
        ),
    )
    orphan: bool = _flag()
    disabled: bool = _flag()
    id: str | None = attrs.field(
        metadata={"json": {"read": "id"}}, default=None, validator=record_id()
    )


#: The fields of a student record, in the order of :class:`Student`: the keys of its
#: JSON, the columns of a roster.
STUDENT_FIELDS: Final = tuple(field.name for field in attrs.fields(Student))


#: What the rules of an aid schedule can read of a student: stage, year, school area,
#: boarding, household, orphan, disabled — every field but the id.
StudentKey: TypeAlias = tuple[Stage, int, SchoolArea, bool, frozenset[HouseholdStatus], bool, bool]


def student_key(student: Student) -> StudentKey:
    """The key of ``student`` in the table of an aid schedule's outcomes."""
    return (
        student.stage,
        student.year,
        student.school_area,
        student.boarding,
        student.household,
        student.orphan,
        student.disabled,
    )


def student_from_key(key: StudentKey, student_id: str | None = None) -> Student:
    """The student with ``key`` (and ``student_id``): :func:`student_key` the other way."""
    stage, year, area, boarding, household, orphan, disabled = key
    return Student(
        stage=stage,
        year=year,
        school_area=area,
        boarding=boarding,
        household=household,
        orphan=orphan,
        disabled=disabled,
        id=student_id,
    )
