"""An aid schedule compiled for speed: outcomes tabled by what the rules can read.

:class:`CompiledAid` evaluates a student the way :func:`~edupolicy.aid.evaluate_aid`
does and gives exactly its result, explanations included, but walks the schedule's
condition trees once per :data:`StudentKey` (every field of a student but its id)
instead of once per student: the outcome for a key is kept in the engine's
:class:`~edupolicy.rules.DecisionTable`.

It also reads a valid record from its JSON-shaped dict without the strict converter
(:class:`StudentReader`): a plain dict whose fields all have exactly the types and
values the converter accepts is read directly, and anything else is left to the
converter, whose errors name every bad field.  A test holds the two to the same
answer on generated valid, mutated and garbage records.

The core's aid conditions read a student's fields, never its id.  A plugin's own
conditions (:class:`~edupolicy.aid.AidExtension`) are code that might read anything,
so a schedule that uses one is not tabled: each student is evaluated plainly.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Final, TypeAlias

import attrs

from edupolicy.aid.records import (
    STUDENT_FIELDS,
    Household,
    HouseholdStatus,
    PlanStatus,
    Stage,
    Student,
)
from edupolicy.aid.schedule import (
    AidItem,
    AidResult,
    AidRule,
    AidSchedule,
    EqualTreatment,
    evaluate_aid,
)
from edupolicy.i18n import Text
from edupolicy.rules import DecisionTable, ExtensionCondition, NotApplied, walk
from edupolicy.values import MAX_INT, SchoolArea

__all__ = [
    "EXPLAINED_LIMIT",
    "CompiledAid",
    "StudentKey",
    "StudentReader",
    "student_from_key",
    "student_key",
]

#: How many explained outcomes a compiled schedule keeps, at most.
EXPLAINED_LIMIT = 1 << 10

#: What the rules of an aid schedule can read of a student: stage, year, school area,
#: boarding, household, orphan, disabled — every field but the id.
StudentKey: TypeAlias = tuple[Stage, int, SchoolArea, bool, frozenset[HouseholdStatus], bool, bool]


def student_key(student: Student) -> StudentKey:
    """The key of ``student`` in a compiled schedule's table."""
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


_STAGES: Final[Mapping[str, Stage]] = {member.value: member for member in Stage}
_AREAS: Final[Mapping[str, SchoolArea]] = {member.value: member for member in SchoolArea}
_FIELDS: Final = frozenset(STUDENT_FIELDS)


class StudentReader:
    """Reads a student record that is plainly valid, quickly; leaves the rest alone.

    ``reader(data)`` is the record's key and id when ``data`` is a ``dict`` whose
    fields are exactly what the strict converter accepts (known names; ``stage`` and
    ``school_area`` one of their words; ``year`` an ``int`` from 1; the flags
    ``bool``; ``household`` a list of distinct statuses, the core's or ``statuses``;
    ``id`` absent, ``None`` or text that is not blank), and ``None`` otherwise: the
    converter then reads it, and says what is wrong.
    """

    __slots__ = ("_statuses",)

    def __init__(self, statuses: Iterable[PlanStatus] = ()) -> None:
        found: dict[str, HouseholdStatus] = {member.value: member for member in Household}
        found.update((status.id, status) for status in statuses)
        self._statuses: Mapping[str, HouseholdStatus] = found

    def __call__(self, data: object) -> tuple[StudentKey, str | None] | None:
        if type(data) is not dict or not _FIELDS.issuperset(data):
            return None
        try:
            stage = _STAGES[data["stage"]]
            area = _AREAS[data["school_area"]]
            year = data["year"]
            household = data.get("household", ())
            statuses = frozenset([self._statuses[word] for word in household])
        except (KeyError, TypeError):
            # A missing field, an unknown word, or a value no word can be (a list).
            return None
        boarding = data.get("boarding", False)
        orphan = data.get("orphan", False)
        disabled = data.get("disabled", False)
        student_id = data.get("id")
        if (
            type(year) is not int
            or not 1 <= year <= MAX_INT
            or type(household) not in (list, tuple)
            or len(statuses) != len(household)
            or type(boarding) is not bool
            or type(orphan) is not bool
            or type(disabled) is not bool
            or (student_id is not None and (type(student_id) is not str or not student_id.strip()))
        ):
            return None
        return (stage, year, area, boarding, statuses, orphan, disabled), student_id


@attrs.frozen(kw_only=True)
class _Outcome:
    """What every student with one key receives: the result but its id."""

    cash_total: Decimal
    waivers: tuple[str, ...]
    items: tuple[AidItem, ...]
    notes: tuple[EqualTreatment, ...]
    not_applied: tuple[NotApplied[AidRule], ...] | None


class CompiledAid:
    """An aid schedule, compiled: results equal to :func:`evaluate_aid`'s, tabled by key.

    ``check(student, locale)`` rejects a student the plan cannot evaluate (a year
    beyond the length of its stage) by raising; it runs once per new key.  The
    other arguments are what :func:`evaluate_aid` is given, and what every result
    reports.  Outcomes with and without explanation are tabled apart.
    """

    __slots__ = (
        "_check",
        "_explained",
        "_items",
        "_plain",
        "_plan",
        "_readings",
        "_region",
        "_schedule",
        "_sections",
        "_tabled",
        "reader",
    )

    def __init__(
        self,
        schedule: AidSchedule,
        *,
        region: str,
        plan: str,
        sections: Mapping[str, Text],
        readings: Mapping[str, str],
        statuses: Iterable[PlanStatus] = (),
        check: Callable[[Student, str | None], None],
    ) -> None:
        self._schedule = schedule
        self._region = region
        self._plan = plan
        self._sections = sections
        self._readings = readings
        self._check = check
        self._plain: DecisionTable[StudentKey, _Outcome] = DecisionTable()
        # An explained outcome holds its own reasons for every rule that did not apply
        # (tens of kilobytes with their rendered JSON): fewer are kept.
        self._explained: DecisionTable[StudentKey, _Outcome] = DecisionTable(limit=EXPLAINED_LIMIT)
        # One item per rule, shared by every outcome that gives it (and its JSON with it).
        self._items: dict[str, AidItem] = {}
        # A plugin's own condition might read what the key leaves out: no table then.
        self._tabled = not any(
            isinstance(part, ExtensionCondition)
            for rule in schedule.rules
            for part in walk(rule.when)
        )
        #: Reads a plainly valid record of this plan (:class:`StudentReader`).
        self.reader = StudentReader(statuses)

    def aid(
        self,
        key: StudentKey,
        student_id: str | None,
        on: _dt.date,
        *,
        explain: bool = False,
        locale: str | None = None,
        student: Student | None = None,
    ) -> AidResult:
        """The aid of the student with ``key`` and ``student_id`` on ``on``.

        ``student``, when the caller has it, is the student itself (spares making one
        when the key is new).
        """
        if not self._tabled:
            subject = student if student is not None else student_from_key(key, student_id)
            self._check(subject, locale)
            outcome = self._outcome(subject, on, explain, locale)
        else:
            table = self._explained if explain else self._plain
            found = table.get(key)
            if found is None:
                subject = student if student is not None else student_from_key(key)
                self._check(subject, locale)
                found = table.keep(key, self._outcome(subject, on, explain, locale))
            outcome = found
        return AidResult(
            region=self._region,
            plan=self._plan,
            on=on,
            student_id=student_id,
            cash_total=outcome.cash_total,
            waivers=outcome.waivers,
            items=outcome.items,
            notes=outcome.notes,
            not_applied=outcome.not_applied,
            readings=self._readings,
        )

    def _outcome(
        self, student: Student, on: _dt.date, explain: bool, locale: str | None
    ) -> _Outcome:
        result = evaluate_aid(
            self._schedule,
            student,
            region=self._region,
            plan=self._plan,
            on=on,
            explain=explain,
            locale=locale,
            sections=self._sections,
        )
        return _Outcome(
            cash_total=result.cash_total,
            waivers=result.waivers,
            items=tuple(self._items.setdefault(item.rule.id, item) for item in result.items),
            notes=result.notes,
            not_applied=result.not_applied,
        )
