"""A region's plan: the document it encodes, its period in force, and its rules.

A :class:`Plan` bundles one plan's aid schedule, goals and teacher-incentive rules
with the document they come from.  Everything that spans the plan (ids, groups,
overrides, cross-references, the sections sources cite) is checked when it is made,
by :func:`check_plan` with each domain's own checks; a bad field raises
:class:`~edupolicy.errors.PlanDataError` naming its path.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from edupolicy.aid import AidSchedule, PlanStatus, Stage, Student
from edupolicy.aid.checks import check_aid_schedule
from edupolicy.errors import MISSING, FieldProblem, InvalidRecordError, PlanDataError, field_check
from edupolicy.goals import Goals
from edupolicy.goals.checks import check_goals
from edupolicy.i18n import Text, _
from edupolicy.plans.reading import Reading, check_readings
from edupolicy.rules import ExtensionCondition, Source
from edupolicy.rules.writing import Written
from edupolicy.teachers import TeacherSchedule
from edupolicy.teachers.checks import check_teacher_schedule

__all__ = [
    "MAX_STAGE_YEARS",
    "BuiltOn",
    "Extensions",
    "Level",
    "ParentPlans",
    "Period",
    "Plan",
    "PlanDocument",
    "check_plan",
]

#: The longest a stage of education may last in a plan.
MAX_STAGE_YEARS = 12

#: The kinds of condition a region plugin adds, as a plan remembers them.
Extensions = tuple[type[ExtensionCondition[Any]], ...]


@attrs.frozen(kw_only=True)
class Period:
    """The days a plan is in force, both ends included; ``end`` ``None`` means open-ended."""

    start: _dt.date
    end: _dt.date | None = attrs.field(
        default=None,
        validator=field_check(
            lambda self, end: end is None or end >= self.start,
            lambda *_args: _("the period ends before it starts"),
        ),
    )
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


class ParentPlans(enum.Enum):
    """Which plans of its parent region a district's plan builds on (``parent_plans`` in
    its plan file)."""

    #: The parent's plan in force when the district's document was signed, kept for
    #: the district's whole period, even after that plan ends or is replaced: the
    #: district's document incorporates its rules as they stood.
    AS_ISSUED = "as_issued"
    #: On each date, the parent's plan in force then: the district follows its parent
    #: from one plan to the next, and its own period is divided where the parent's
    #: plans change.
    FOLLOW = "follow"


@attrs.frozen(kw_only=True)
class Level(Written):
    """One level of a layered plan: the plan and document an item or finding belongs to.

    ``region`` is the parent region's id for a level the plan inherits, ``None`` for
    the plan's own (the district's document).
    """

    plan: str
    document: str
    region: str | None = None

    @property
    def own(self) -> bool:
        """Whether the level is the plan's own, not one it inherits."""
        return self.region is None


@attrs.frozen(kw_only=True, eq=False)
class BuiltOn:
    """What a district's plan was built on: its parent region's plan, how it chose it,
    and the parent's plans that came into force after it."""

    #: The parent region's id.
    region: str
    #: The parent's plan the district's plan was built on.
    plan: Plan
    #: How the district chose it.
    choice: ParentPlans = ParentPlans.AS_ISSUED
    #: The parent's plans that came into force after :attr:`plan`, earliest first.
    later: tuple[Plan, ...] = ()


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
    stage_years: Mapping[Stage, int] = attrs.field(
        metadata={"json": {"every_key": True, "minimum": 1, "maximum": MAX_STAGE_YEARS}},
        converter=_freeze_years,
    )
    aid: AidSchedule
    #: Titles of the plan's sections, by the section numbers sources cite (``二(一)1``).
    sections: Mapping[str, Text] = attrs.field(factory=dict, converter=_freeze_sections)
    #: The plan's indicators, targets and stated facts.
    goals: Goals | None = None
    #: The plan's teacher-incentive rules, quotas and shares.
    teachers: TeacherSchedule | None = None
    #: The sentences the plan's text allows to be read more than one way, each with its
    #: choices; the data encodes each one's default.
    readings: tuple[Reading, ...] = ()
    #: The region whose plan this one builds on (``parent`` in its plan file), if any:
    #: what it inherits cites the parent's plan and document in its source.
    parent: str | None = None
    #: The household statuses the plan declares (``[[household_statuses]]``), beyond the
    #: core's: a record read for this plan may state them and its conditions name them.
    household_statuses: tuple[PlanStatus, ...] = ()
    #: The kinds of condition (:class:`~edupolicy.rules.ExtensionCondition` subclasses)
    #: the plan was read with, from its region's plugin.  Not part of its JSON shape.
    extensions: Extensions = attrs.field(default=(), eq=False, repr=False, metadata={"json": False})
    #: The parent region's plan this plan was built on, for a plan that names a
    #: ``parent``; ``None`` for a plan of one level.  Not part of its JSON shape.
    built_on: BuiltOn | None = attrs.field(
        default=None, eq=False, repr=False, metadata={"json": False}
    )

    def level_of(self, source: Source) -> Level | None:
        """The level of the plan that ``source`` belongs to: this plan's own (the
        district's document) or a parent's it inherits; ``None`` for a plan of one level.
        """
        if self.built_on is None:
            return None
        if source.plan in (None, self.id):
            return Level(plan=self.id, document=self.document.number, region=None)
        parent = self.built_on.plan
        found = parent.level_of(source)
        if found is None or found.region is None:
            # The parent's own level, or a plan the parent does not know (its own).
            return Level(
                plan=source.plan,
                document=source.document if source.document is not None else "",
                region=self.built_on.region,
            )
        return found

    @property
    def own_level(self) -> Level | None:
        """This plan's own level, when it builds on a parent's; ``None`` otherwise."""
        if self.built_on is None:
            return None
        return Level(plan=self.id, document=self.document.number, region=None)

    def reading(self, reading_id: str) -> Reading:
        """The reading with id ``reading_id``; :class:`KeyError` when there is none."""
        for reading in self.readings:
            if reading.id == reading_id:
                return reading
        raise KeyError(reading_id)

    def __attrs_post_init__(self) -> None:
        problems = list(check_plan(self))
        if problems:
            raise PlanDataError(_("Plan {plan} is not valid", plan=self.id), problems)

    def __getstate__(self) -> dict[str, Any]:
        # A plan pickles (a policy shipped to other processes carries its plans): as
        # attrs would pickle it, its read-only mappings as plain ones.
        state = {a.name: getattr(self, a.name) for a in attrs.fields(Plan)}
        state.update(stage_years=dict(self.stage_years), sections=dict(self.sections))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = {
            **state,
            "stage_years": _freeze_years(state["stage_years"]),
            "sections": _freeze_sections(state["sections"]),
        }
        for name, value in state.items():
            object.__setattr__(self, name, value)

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
    yield from check_aid_schedule(plan.aid, plan.household_statuses)
    if plan.goals is not None:
        yield from check_goals(plan.goals)
    if plan.teachers is not None:
        yield from check_teacher_schedule(plan.teachers)
    yield from check_readings(plan.readings)
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
