"""The policy of a region: its plans, dated, and one method per question a host asks.

A :class:`Policy` is what :func:`edupolicy.load` returns.  Each question has one
spelling, as a method: :meth:`Policy.aid`, :meth:`Policy.progress`,
:meth:`Policy.teacher`, :meth:`Policy.select`, :meth:`Policy.check_awards`,
:meth:`Policy.awards_needed`, :meth:`Policy.check`, and for a whole roster
:meth:`Policy.budget` and :meth:`Policy.diff`.  Evaluation is a pure function
of the plan, the record and the date, which is always passed in.  What a policy is made
of (a region's plans, the readings chosen, and what is in force on a date) is
:class:`~edupolicy.policy.plans_in_force.PlansInForce`, which it extends.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

# The audit, what-if changes and a roster's questions are imported when first used: a
# host that only asks questions of a plan as written needs none of them.
from edupolicy import analysis
from edupolicy._lazy import lazy_module
from edupolicy.aid import AidResult, Student
from edupolicy.aid.records import student_key
from edupolicy.errors import (
    FieldProblem,
    InvalidDataError,
    InvalidRecordError,
    PlanDataError,
    Rejected,
)
from edupolicy.goals import Observation
from edupolicy.i18n import _
from edupolicy.io import structure, structure_observations
from edupolicy.plans import Change, Plan
from edupolicy.policy.arguments import (
    as_date,
    as_year,
    check_flag,
    check_readings,
    each,
    observation_json,
    read_all,
    read_candidates,
    share_of,
)
from edupolicy.policy.plans_in_force import PlansInForce
from edupolicy.teachers import (
    Award,
    ShareCheck,
    ShareRequirement,
    Teacher,
    TeacherResult,
    TeacherSchedule,
    check_list,
    requirement_for,
)

# What answers a question (a record's evaluators, a target's progress, a selection) and
# what reads a change file are imported when first used: loading a plan needs none of
# them, and answering one question needs only its own.
if TYPE_CHECKING:
    import edupolicy.goals.progress as goals_progress
    from edupolicy.aid import compiled as aid_compiled
    from edupolicy.aid.compiled import AidEvaluator, StudentReader
    from edupolicy.analysis import Budget, Diff, Finding, Side
    from edupolicy.goals.progress import TargetProgress
    from edupolicy.io import changefiles
    from edupolicy.io.changefiles import ChangeFile
    from edupolicy.policy import rosters
    from edupolicy.teachers import compiled as teachers_compiled
    from edupolicy.teachers import reading as teachers_reading
    from edupolicy.teachers import selection as teachers_selection
    from edupolicy.teachers.compiled import TeacherEvaluator, TeacherSubjects
    from edupolicy.teachers.selection import Selection
else:
    aid_compiled = lazy_module("edupolicy.aid.compiled")
    goals_progress = lazy_module("edupolicy.goals.progress")
    changefiles = lazy_module("edupolicy.io.changefiles")
    rosters = lazy_module("edupolicy.policy.rosters")
    teachers_compiled = lazy_module("edupolicy.teachers.compiled")
    teachers_reading = lazy_module("edupolicy.teachers.reading")
    teachers_selection = lazy_module("edupolicy.teachers.selection")

__all__ = ["Policy", "Rejected"]

#: How many ``on`` arguments :meth:`Policy.aid` keeps the plan and evaluators of.
_DATES_KEPT = 64


@attrs.frozen(kw_only=True, eq=False)
class Policy(PlansInForce):
    """A region's plans, as :func:`edupolicy.load` returns them. Immutable; thread-safe.

    Its evaluators (one per plan and question, with and without explanation, each
    keeping outcomes by what the rules read) are made on first use and fill their
    bounded tables as students and teachers are evaluated; that changes no answer.
    A pickled policy leaves them behind, and its copy makes them again.
    """

    # Each plan's reader of student records and its aid evaluators (plain, explained),
    # by plan id, made on first use.
    _aid: dict[str, tuple[StudentReader, AidEvaluator, AidEvaluator]] = attrs.field(
        init=False, factory=dict
    )
    # And its teacher evaluators, likewise.
    _teachers: dict[str, tuple[TeacherEvaluator, TeacherEvaluator]] = attrs.field(
        init=False, factory=dict
    )
    # The date, plan and aid evaluators of each ``on`` argument :meth:`aid` was given (a
    # date, or its text), so that a roster evaluated on one date finds them by a lookup.
    _aid_on: dict[object, tuple[_dt.date, Plan, StudentReader, AidEvaluator, AidEvaluator]] = (
        attrs.field(init=False, factory=dict)
    )
    # And the date, teacher rules and evaluators of each ``on`` :meth:`teacher` was given.
    _teacher_on: dict[
        object, tuple[_dt.date, TeacherSubjects, TeacherEvaluator, TeacherEvaluator]
    ] = attrs.field(init=False, factory=dict)

    def __reduce__(self) -> tuple[Any, ...]:
        # A policy pickles, to be shipped to worker processes (Dask, Spark, Ray, a
        # process pool): made again from its fields, its compiled schedules left behind.
        return (
            _policy_from_fields,
            (
                {
                    "region": self.region,
                    "distribution": self.distribution,
                    "version": self.version,
                    "plans": self.plans,
                    "changes": self.changes,
                    "readings": dict(self.readings),
                    "plans_as_written": self.plans_as_written,
                },
            ),
        )

    def aid(
        self,
        student: Student | Mapping[str, Any],
        on: _dt.date | str,
        *,
        explain: bool = False,
        locale: str | None = None,
    ) -> AidResult:
        """The aid ``student`` receives under the plan in force on ``on``.

        ``student`` is a :class:`~edupolicy.Student` or its JSON-shaped
        mapping, checked strictly.  With ``explain``, the result also lists every rule
        that did not apply and why.  ``locale`` chooses the language of any error.
        """
        if explain is not False:
            check_flag("explain", explain, locale)
        # Only a date or its text is kept as a key: nothing else can equal one of them.
        found = self._aid_on.get(on) if type(on) in (_dt.date, str) else None
        if found is None:
            day = as_date(on, locale)
            plan = self.plan_on(day, locale=locale)
            found = (day, plan, *self._aid_evaluators(plan))
            if type(on) in (_dt.date, str):
                if len(self._aid_on) >= _DATES_KEPT:
                    self._aid_on.clear()
                self._aid_on[on] = found
        day, plan, reader, plain, explained = found
        evaluator = explained if explain else plain
        if isinstance(student, Student):
            return evaluator((student_key(student), student.id), day, locale)
        read = reader(student)
        if read is not None:
            return evaluator(read, day, locale)
        # Not plainly valid: the strict converter reads it, and says what is wrong.
        try:
            record = structure(student, Student, locale=locale, statuses=plan.household_statuses)
        except InvalidRecordError as exc:
            # Report a year beyond the stage's length with the other problems.
            raw: object = student
            extra = (
                plan.year_problem(raw.get("stage"), raw.get("year"))
                if isinstance(raw, Mapping)
                else None
            )
            if extra is None or any(p.path == "$.year" for p in exc.problems):
                raise
            raise InvalidRecordError(exc.heading, [*exc.problems, extra], locale=locale) from None
        return evaluator((student_key(record), record.id), day, locale)

    def aid_each(
        self,
        students: Iterable[Student | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        explain: bool = False,
        locale: str | None = None,
    ) -> Iterator[AidResult | Rejected]:
        """The aid of each student of a roster, one at a time, in the roster's order.

        ``students`` is any iterable (a list, a generator reading a file, a database
        cursor) of what :meth:`aid` takes; it is read lazily, one record at a time,
        so memory stays flat whatever its length.  Each record gives its
        :class:`~edupolicy.AidResult`, or a :class:`Rejected` saying why it could
        not be evaluated (each bad field by path and value): nothing is dropped.

        ``on``, ``explain`` and ``locale`` are checked at once, before any record is
        read: an error there concerns every record, and is raised.
        """
        check_flag("explain", explain, locale)
        day = as_date(on, locale)
        self.plan_on(day, locale=locale)
        return each(
            students, lambda student: self.aid(student, day, explain=explain, locale=locale), locale
        )

    def teacher_each(
        self,
        teachers: Iterable[Teacher | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        explain: bool = False,
        locale: str | None = None,
    ) -> Iterator[TeacherResult | Rejected]:
        """The incentives of each teacher of a roster, one at a time: :meth:`aid_each`
        for :meth:`teacher`."""
        check_flag("explain", explain, locale)
        day = as_date(on, locale)
        self._teacher_schedule(day, locale)
        return each(
            teachers,
            lambda teacher: self.teacher(teacher, day, explain=explain, locale=locale),
            locale,
        )

    def _teacher_evaluators(
        self, plan: Plan, schedule: TeacherSchedule
    ) -> tuple[TeacherEvaluator, TeacherEvaluator]:
        """The plan's teacher evaluators, plain and explained
        (:func:`~edupolicy.teachers.incentives.incentive_evaluators`), made once."""
        found = self._teachers.get(plan.id)
        if found is None:
            found = self._teachers[plan.id] = teachers_compiled.incentive_evaluators(
                schedule,
                region=self.region,
                plan=plan.id,
                sections=plan.sections,
                readings=self.readings_of(plan),
            )
        return found

    def _aid_evaluators(self, plan: Plan) -> tuple[StudentReader, AidEvaluator, AidEvaluator]:
        """The plan's reader of student records and its aid evaluators, plain and explained
        (:func:`~edupolicy.aid.compiled.aid_evaluators`), made once."""
        found = self._aid.get(plan.id)
        if found is None:
            found = self._aid[plan.id] = (
                aid_compiled.StudentReader(plan.household_statuses),
                *aid_compiled.aid_evaluators(
                    plan.aid,
                    region=self.region,
                    plan=plan.id,
                    sections=plan.sections,
                    readings=self.readings_of(plan),
                    check=lambda student, locale: plan.check_student(student, locale=locale),
                ),
            )
        return found

    def progress(
        self,
        observations: Iterable[Observation] | Sequence[Mapping[str, Any]] | Mapping[str, Any],
        *,
        year: int | None = None,
        on: _dt.date | str | None = None,
        locale: str | None = None,
    ) -> tuple[TargetProgress, ...]:
        """Where each target of the plan in force stands, given reported values.

        ``observations`` are :class:`~edupolicy.goals.Observation` objects or their
        JSON (a list of objects, or an object mapping indicator ids to values for
        ``year``), checked strictly against the plan's indicators.  The targets are
        judged as of ``on``, or as of the end of ``year``.
        """
        if on is None:
            if year is None:
                raise InvalidRecordError(
                    _("Invalid argument"),
                    [FieldProblem("year", None, _("give the year or the date to judge on"))],
                    locale=locale,
                )
            as_of = _dt.date(as_year(year, locale), 12, 31)
        else:
            as_of = as_date(on, locale)
        plan = self.plan_on(as_of, locale=locale)
        goals = plan.goals
        if goals is None:
            return ()
        data: object = observations
        if not isinstance(data, (Mapping, Iterable)) or isinstance(data, (str, bytes)):
            raise InvalidRecordError(
                _("Invalid observations"),
                [FieldProblem("$", observations, _("must be a list of observations or an object"))],
                locale=locale,
            )
        if not isinstance(observations, Mapping):
            # Observation objects get exactly the checks their JSON would.
            data = [observation_json(obs) for obs in observations]
        checked = structure_observations(data, goals, year=year, locale=locale)
        return goals_progress.progress(goals, checked, as_of, readings=self.readings_of(plan))

    def teacher(
        self,
        teacher: Teacher | Mapping[str, Any],
        on: _dt.date | str,
        *,
        explain: bool = False,
        locale: str | None = None,
    ) -> TeacherResult:
        """The incentives ``teacher`` earns under the plan in force on ``on``.

        ``teacher`` is a :class:`~edupolicy.Teacher` or its JSON-shaped mapping,
        checked strictly.  With ``explain``, the result also lists every rule that did
        not apply, why, and what the teacher lacks for it
        (:attr:`~edupolicy.TeacherResult.lacking`).
        """
        if explain is not False:
            check_flag("explain", explain, locale)
        # Only a date or its text is kept as a key, as in :meth:`aid`.
        found = self._teacher_on.get(on) if type(on) in (_dt.date, str) else None
        if found is None:
            day = as_date(on, locale)
            plan, schedule = self._teacher_schedule(day, locale)
            subjects = teachers_compiled.TeacherSubjects(schedule, day)
            found = (day, subjects, *self._teacher_evaluators(plan, schedule))
            if type(on) in (_dt.date, str):
                if len(self._teacher_on) >= _DATES_KEPT:
                    self._teacher_on.clear()
                self._teacher_on[on] = found
        day, subjects, plain, explained = found
        read = teacher if isinstance(teacher, Teacher) else teachers_reading.read_spans(teacher)
        if read is None:
            # Not plainly valid: the strict converter reads it, and says what is wrong.
            read = structure(teacher, Teacher, locale=locale)
        return (explained if explain else plain)(subjects(read), day, locale)

    def select(
        self,
        programme: str,
        candidates: Sequence[Teacher | Mapping[str, Any]],
        *,
        year: int,
        locale: str | None = None,
    ) -> Selection:
        """This year's cohort of ``programme``: at most its quota, chosen by its ranking.

        ``candidates`` are teachers or their JSON-shaped mappings; every one needs a
        distinct id.  Candidates who are not selected each carry the reason.
        """
        plan, schedule, quota = self._quota(programme, as_year(year, locale), locale)
        return teachers_selection.select_read(
            schedule,
            quota,
            read_candidates(candidates, _("Invalid candidate list"), locale),
            region=self.region,
            plan=plan.id,
            year=year,
            locale=locale,
            readings=self.readings_of(plan),
        )

    def check_awards(
        self,
        awards: Sequence[Award | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        share: str | None = None,
        locale: str | None = None,
    ) -> ShareCheck:
        """Check an award list made on ``on`` against a share of the plan in force.

        ``share`` names the share when the plan has more than one.
        """
        day = as_date(on, locale)
        plan, schedule = self._teacher_schedule(day, locale)
        chosen = share_of(schedule, share, locale=locale)
        entries: list[Award] = read_all(awards, Award, _("Invalid award list"), locale)
        return check_list(
            chosen,
            entries,
            region=self.region,
            plan=plan.id,
            on=day,
            readings=self.readings_of(plan),
        )

    def awards_needed(
        self,
        pool: Sequence[Award | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        size: int,
        share: str | None = None,
        locale: str | None = None,
    ) -> ShareRequirement:
        """How many of ``size`` awards from the nominees ``pool`` must be rural.

        Raises :class:`~edupolicy.ImpossibleShareError` when the pool cannot meet the
        share.
        """
        day = as_date(on, locale)
        plan, schedule = self._teacher_schedule(day, locale)
        chosen = share_of(schedule, share, locale=locale)
        entries: list[Award] = read_all(pool, Award, _("Invalid award list"), locale)
        return requirement_for(
            chosen, entries, size=size, on=day, locale=locale, readings=self.readings_of(plan)
        )

    def with_changes(
        self,
        changes: Sequence[Change] | ChangeFile | str | os.PathLike[str],
        *,
        locale: str | None = None,
    ) -> Policy:
        """A new policy whose plans have ``changes`` applied; this one is untouched.

        ``changes`` are :class:`~edupolicy.plans.Change` objects, the path of a change
        file or a :class:`~edupolicy.io.changefiles.ChangeFile` read.  Each change applies
        to every plan of the region that has its item; an id no plan has, a field that
        does not exist or a value of the wrong type raises
        :class:`~edupolicy.errors.PlanDataError` naming the change and the field.  Of a
        change file, the tables that cannot be read and the changes that do not apply
        are reported together, in one error, in the order of the file.
        """
        if isinstance(changes, (str, os.PathLike)):
            changes = changefiles.read_change_file(os.fspath(changes), locale=locale)
        file = changes if isinstance(changes, changefiles.ChangeFile) else None
        given = changes.changes if isinstance(changes, changefiles.ChangeFile) else changes
        apply_to_plans = analysis.whatif.apply_to_plans
        try:
            plans, listed = apply_to_plans(self.plans, given, region=self.region, locale=locale)
        except PlanDataError as exc:
            if file is None or not file.problems:
                raise
            raise file.error(exc.problems, locale=locale) from None
        if file is not None and file.problems:
            raise file.error(locale=locale)
        return attrs.evolve(self, plans=plans, changes=(*self.changes, *listed))

    def with_readings(self, readings: Mapping[str, str], *, locale: str | None = None) -> Policy:
        """A new policy read under ``readings`` (reading id → choice id); this one is untouched.

        Readings chosen before and not named here are kept; every other reading keeps
        its default.  The plans as written are read under the readings, then this
        policy's what-if changes are applied again.  A reading no plan of the region
        offers, or a choice it does not have, raises
        :class:`~edupolicy.errors.InvalidDataError` naming it and listing what exists.
        """
        chosen = {**self.readings, **check_readings(self.plans_as_written, readings, locale)}
        whatif = analysis.whatif
        plans = tuple(
            whatif.read_under(plan, chosen, locale=locale) for plan in self.plans_as_written
        )
        if self.changes:
            plans, _listed = whatif.apply_to_plans(
                plans, self.changes, region=self.region, locale=locale
            )
        return attrs.evolve(self, plans=plans, readings=chosen)

    def check(self) -> tuple[Finding, ...]:
        """The consistency audit of every plan of the region (see
        :func:`edupolicy.analysis.audit`)."""
        return tuple(finding for plan in self.plans for finding in analysis.audit(plan))

    def side(self, on: _dt.date | str, *, locale: str | None = None) -> Side:
        """The region, version, plan in force on ``on`` and its readings: one side of a
        :meth:`diff`, and what a :meth:`budget` is of."""
        return rosters.side_of(self, on, locale=locale)

    def budget(
        self,
        students: Iterable[Student | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        locale: str | None = None,
    ) -> Budget:
        """What a roster receives under the plan in force on ``on``: the cash a year and
        the fee waivers, in all, by rule, by stage and by household status.

        ``students`` is any iterable of what :meth:`aid` takes, read one at a time in
        flat memory.  A record that cannot be evaluated is kept in
        :attr:`~edupolicy.analysis.Budget.rejected` (row, record, every bad
        field) and counted as ``skipped``; the others are still added up.
        """
        return rosters.budget_of(self, students, on, locale=locale)

    def diff(
        self,
        students: Iterable[Student | Mapping[str, Any]],
        on: _dt.date | str,
        *,
        against: Policy | None = None,
        against_on: _dt.date | str | None = None,
        changes: str | None = None,
        locale: str | None = None,
    ) -> Diff:
        """What a change does to a roster: each student's yearly cash under this policy
        on ``on``, and under ``against`` (another policy: this one with changes or
        readings, another region) on ``against_on`` (default ``on``).

        At least one of ``against`` and ``against_on`` is needed.  ``changes`` names the
        change file ``against`` was made with, if any; it is echoed in the JSON.  Records
        are read as :meth:`budget` reads them; a record either policy cannot evaluate
        is kept in :attr:`~edupolicy.analysis.Diff.rejected`.
        """
        given: object = against
        if given is not None and not isinstance(given, Policy):
            raise InvalidDataError(
                _("Invalid diff"),
                [FieldProblem("against", given, _("must be a Policy"))],
                locale=locale,
            )
        return rosters.diff_of(
            self,
            students,
            on,
            against=against,
            against_on=against_on,
            changes=changes,
            locale=locale,
        )


def _policy_from_fields(fields: dict[str, Any]) -> Policy:
    return Policy(**fields)
