"""An aid schedule evaluated for speed: its outcomes tabled by what the rules can read.

:func:`aid_evaluators` gives the engine's :class:`~edupolicy.rules.table.TabledEvaluator`
of a schedule, with and without explanation: its key is a :data:`StudentKey` (every
field of a student but its id), its outcome an :class:`~edupolicy.aid.AidOutcome` and
its result an :class:`~edupolicy.aid.AidResult`, exactly :func:`evaluate_aid`'s,
explanations included; the schedule's condition trees are walked once per key, not
once per student.

A student is read from its JSON-shaped dict without the strict converter when it is
plainly valid (:class:`StudentReader`), straight into what the evaluators take: its
key and its id (``_ReadStudent``).  Anything else is left to the converter, whose
errors name every bad field.  A test holds the two to the same answer on generated
valid, mutated and garbage records.

The core's aid conditions read a student's fields, never its id.  A plugin's own
conditions (:class:`~edupolicy.aid.AidExtension`) are code that might read anything,
so a schedule that uses one is not tabled: each student is evaluated plainly.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Final, TypeAlias

import attrs

from edupolicy.aid.records import (
    STUDENT_FIELDS,
    Household,
    HouseholdStatus,
    PlanStatus,
    Stage,
    Student,
    StudentKey,
    student_from_key,
)
from edupolicy.aid.schedule import AidItem, AidOutcome, AidResult, AidSchedule, aid_outcome
from edupolicy.i18n import Text
from edupolicy.rules import ExtensionCondition, walk
from edupolicy.rules.result import slot_setters
from edupolicy.rules.table import TabledEvaluator
from edupolicy.values import MAX_INT, SchoolArea

__all__ = [
    "AidEvaluator",
    "StudentReader",
    "aid_evaluators",
]

#: How many explained outcomes an aid schedule keeps, at most.
_EXPLAINED_LIMIT = 1 << 10

#: A student as the evaluators take one: its key and its id.
_ReadStudent: TypeAlias = tuple[StudentKey, "str | None"]

#: The evaluator of an aid schedule: aid results of students, by key.
AidEvaluator: TypeAlias = TabledEvaluator[_ReadStudent, StudentKey, AidOutcome, AidResult]


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

    def __call__(self, data: object) -> _ReadStudent | None:
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


def aid_evaluators(
    schedule: AidSchedule,
    *,
    region: str,
    plan: str,
    sections: Mapping[str, Text],
    readings: Mapping[str, str],
    check: Callable[[Student, str | None], None],
) -> tuple[AidEvaluator, AidEvaluator]:
    """The evaluators of ``schedule``: without explanation, and with it.

    ``check(student, locale)`` rejects a student the plan cannot evaluate (a year
    beyond the length of its stage) by raising; it runs once per new key.  The other
    arguments are what :func:`evaluate_aid` is given, and what every result reports.
    The two keep their outcomes apart; an explained outcome holds its own reasons for
    every rule that did not apply (tens of kilobytes with their rendered JSON), so
    fewer are kept (``_EXPLAINED_LIMIT``).
    """
    # One item per rule, shared by every outcome that gives it (and its JSON with it).
    shared: dict[str, AidItem] = {}
    # A plugin's own condition might read what the key leaves out: no table then.
    tabled = not any(
        isinstance(part, ExtensionCondition) for rule in schedule.rules for part in walk(rule.when)
    )

    set_region, set_plan, set_on, set_id, set_outcome, set_readings = _RESULT

    def build(student: _ReadStudent, on: _dt.date, outcome: AidOutcome) -> AidResult:
        # Made without its ``__init__``: a result is made for every student, and its
        # fields have no checks to run.
        result: AidResult = _new(AidResult)
        set_region(result, region)
        set_plan(result, plan)
        set_on(result, on)
        set_id(result, student[1])
        set_outcome(result, outcome)
        set_readings(result, readings)
        return result

    def evaluator(explain: bool, limit: int | None) -> AidEvaluator:
        def evaluate(read: _ReadStudent, locale: str | None) -> AidOutcome:
            student = student_from_key(*read)
            check(student, locale)
            found = aid_outcome(
                schedule, student, explain=explain, locale=locale, sections=sections
            )
            items = tuple(shared.setdefault(item.rule.id, item) for item in found.items)
            return attrs.evolve(found, items=items)

        return TabledEvaluator(
            key=_KEY if tabled else None, evaluate=evaluate, build=build, limit=limit
        )

    return evaluator(False, None), evaluator(True, _EXPLAINED_LIMIT)


_KEY: Final[Callable[[_ReadStudent], StudentKey]] = itemgetter(0)


_new = object.__new__
_RESULT = slot_setters(AidResult, "region", "plan", "on", "subject_id", "outcome", "readings")
