"""Checking a case's subject against the plan in force.

A student or a teacher is read into its record, a candidate or award list into its
records, and figures against the plan's indicators; the rules, fees, targets,
programme and share the case names must be the plan's.  A case that expects an error
is not checked: the evaluation is to refuse it.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from edupolicy import load
from edupolicy.aid import PlanStatus, Student
from edupolicy.cases.coverage import removed
from edupolicy.cases.problems import NOTHING, Problems, Where
from edupolicy.cases.vocabulary import Expected, ProvisionKind, Subject
from edupolicy.errors import (
    MISSING,
    FieldProblem,
    InvalidDataError,
    OutOfPeriodError,
    UnknownRegionError,
)
from edupolicy.goals import Status
from edupolicy.i18n import Message, _
from edupolicy.io import ChangeFile, structure, structure_observations
from edupolicy.plans import Change, Plan
from edupolicy.policy import Policy
from edupolicy.teachers import Award, Teacher
from edupolicy.teachers.selection import NEEDS_AN_ID

__all__ = ["check_against_plan"]


def check_against_plan(
    problems: Problems,
    where: Where,
    subject: Subject,
    region: str,
    on: _dt.date | None,
    year: int | None,
    data: Any,
    programme: str | None,
    share: str | None,
    expected: Expected,
    readings: Mapping[str, str] | None = None,
    changes: Sequence[Change] = (),
    unread: ChangeFile | None = None,
) -> tuple[Any, str | None] | None:
    """The case's data, read, and its share; ``None`` after reporting problems.

    ``unread`` is a change file some tables of which cannot be read: its problems are
    said with those of ``changes`` that do not apply, in one report."""
    before = len(problems)
    try:
        policy = load(region, locale=problems.locale)
    except UnknownRegionError as exc:
        problems.at(
            where,
            "region",
            region,
            _("no such region; installed: {regions}", regions=", ".join(exc.available) or "-"),
        )
        return None
    if readings:
        try:
            policy = policy.with_readings(readings, locale=problems.locale)
        except InvalidDataError as exc:
            for problem in exc.problems:
                problems.at(where, problem.path, problem.value, problem.message)
            return None
    if changes or unread is not None:
        given = changes if unread is None else attrs.evolve(unread, changes=tuple(changes))
        try:
            policy = policy.with_changes(given, locale=problems.locale)
        except InvalidDataError as exc:
            # Said once a file for each region (and readings), not again for each case.
            refused = (region, tuple(sorted((readings or {}).items())))
            if refused not in problems.refused_changes:
                problems.refused_changes.add(refused)
                for problem in exc.problems:
                    problems.at(
                        where,
                        "region",
                        problem.value,
                        _(
                            "the changes do not apply to region {region}: {path}: {problem}",
                            region=region,
                            path=problem.path,
                            problem=problem.message,
                        ),
                    )
            return None
    plan = _plan(problems, where, policy, subject, on, year, programme)
    if plan is None:
        return None
    if subject is Subject.STUDENT:
        data = _record(problems, where, "student", data, Student, plan.household_statuses)
        if data is not None:
            extra = plan.year_problem(data.stage.value, data.year)
            if extra is not None:
                problems.at(where, "student.year", extra.value, extra.message)
        _rules(problems, where, plan, ProvisionKind.AID_RULE, expected.applies, "applies")
        _rules(problems, where, plan, ProvisionKind.AID_RULE, expected.not_applies, "not_applies")
        _waivers(problems, where, plan, expected.waivers)
    elif subject is Subject.TEACHER:
        data = _record(problems, where, "teacher", data, Teacher)
        _rules(problems, where, plan, ProvisionKind.TEACHER_RULE, expected.earns, "earns")
        _rules(problems, where, plan, ProvisionKind.TEACHER_RULE, expected.not_earns, "not_earns")
    elif subject is Subject.FIGURES:
        _figures(problems, where, plan, data, year)
        _targets(problems, where, plan, expected.status or {})
    elif subject is Subject.CANDIDATES:
        data = _records(problems, where, "candidates", data, Teacher)
        if data is not None:
            _candidates(problems, where, data, expected.selected)
    else:
        data = _records(problems, where, "awards", data, Award)
        share = _share(problems, where, plan, share)
    if len(problems) > before:
        return None
    return data, share


def _plan(
    problems: Problems,
    where: Where,
    policy: Policy,
    subject: Subject,
    on: _dt.date | None,
    year: int | None,
    programme: str | None,
) -> Plan | None:
    if subject is Subject.CANDIDATES:
        assert programme is not None
        assert year is not None
        return _quota_plan(problems, where, policy, programme, year)
    day = on if on is not None else _dt.date(year or 1, 12, 31)
    try:
        return policy.plan_on(day, locale=problems.locale)
    except OutOfPeriodError:
        problems.at(
            where,
            "on" if on is not None else "year",
            day,
            _(
                "no plan of region {region} is in force on this date; its plans: {plans}",
                region=policy.region,
                plans=", ".join(f"{plan.id} {plan.in_force}" for plan in policy.plans),
            ),
        )
        return None


def _quota_plan(
    problems: Problems, where: Where, policy: Policy, programme: str, year: int
) -> Plan | None:
    known: list[str] = []
    for plan in policy.plans:
        for quota in plan.teachers.quotas if plan.teachers is not None else ():
            known.append(quota.id)
            if quota.id == programme and quota.on(year) in plan.in_force:
                return plan
    if programme in known:
        problems.at(
            where,
            "year",
            year,
            _(
                "no plan of region {region} in force in this year has a quota for {programme}",
                region=policy.region,
                programme=programme,
            ),
        )
    else:
        problems.at(
            where,
            "programme",
            programme,
            _(
                "region {region} has no quota for this programme; programmes with a quota: {known}",
                region=policy.region,
                known=", ".join(sorted(set(known))) or "-",
            ),
        )
    return None


def _record(
    problems: Problems,
    where: Where,
    key: str,
    data: object,
    type_: type[Any],
    statuses: Iterable[PlanStatus] = (),
) -> Any:
    try:
        return structure(data, type_, locale=problems.locale, statuses=statuses)
    except InvalidDataError as exc:
        for problem in exc.problems:
            problems.at(where, _reroot(key, problem), problem.value, problem.message)
        return None


def _records(problems: Problems, where: Where, key: str, data: list[Any], type_: type[Any]) -> Any:
    found = [
        _record(problems, where, f"{key}[{index}]", item, type_) for index, item in enumerate(data)
    ]
    return None if any(record is None for record in found) else tuple(found)


def _candidates(
    problems: Problems, where: Where, teachers: Sequence[Teacher], selected: Sequence[str] | None
) -> None:
    seen: set[str] = set()
    for index, teacher in enumerate(teachers):
        if teacher.id is None:
            problems.at(
                where,
                f"candidates[{index}]",
                MISSING,
                NEEDS_AN_ID,
            )
        elif teacher.id in seen:
            problems.at(
                where, f"candidates[{index}].id", teacher.id, _("another candidate has this id")
            )
        else:
            seen.add(teacher.id)
    for index, teacher_id in enumerate(selected or ()):
        if teacher_id not in seen:
            problems.at(where, f"selected[{index}]", teacher_id, _("no candidate has this id"))


def _rules(
    problems: Problems,
    where: Where,
    plan: Plan,
    kind: ProvisionKind,
    ids: Sequence[str] | None,
    key: str,
) -> None:
    if ids is None:
        return
    if kind is ProvisionKind.AID_RULE:
        known = [rule.id for rule in plan.aid.rules]
    elif plan.teachers is None:
        problems.at(
            where, key, list(ids), _("plan {plan} has no teacher-incentive rules", plan=plan.id)
        )
        return
    else:
        known = [rule.id for rule in plan.teachers.rules]
    if key.startswith("not_"):
        # A rule the plan removes from what it inherits does not apply: a case may say so.
        known += [id_ for found, id_, _name, _source in removed(plan) if found is kind]
    for index, rule in enumerate(ids):
        if rule not in known:
            problems.at(where, f"{key}[{index}]", rule, _unknown(plan, kind, rule, known))


def _waivers(problems: Problems, where: Where, plan: Plan, waivers: Sequence[str] | None) -> None:
    fees = sorted({fee for rule in plan.aid.rules for fee in rule.benefit.waives})
    for index, fee in enumerate(waivers or ()):
        if fee not in fees:
            problems.at(
                where,
                f"waivers[{index}]",
                fee,
                _(
                    "no rule of plan {plan} waives this fee; it waives: {fees}",
                    plan=plan.id,
                    fees=", ".join(fees) or "-",
                ),
            )


def _figures(problems: Problems, where: Where, plan: Plan, data: Any, year: int | None) -> None:
    if plan.goals is None:
        problems.at(where, "figures", NOTHING, _("plan {plan} has no targets", plan=plan.id))
        return
    try:
        structure_observations(data, plan.goals, year=year, locale=problems.locale)
    except InvalidDataError as exc:
        keys = list(data) if isinstance(data, Mapping) else [item["indicator"] for item in data]
        for problem in exc.problems:
            problems.at(where, _figure_path(problem.path, keys), problem.value, problem.message)


def _targets(problems: Problems, where: Where, plan: Plan, status: Mapping[str, Status]) -> None:
    if plan.goals is None:
        return
    known = [target.id for target in plan.goals.targets]
    for target in status:
        if target not in known:
            problems.at(
                where,
                f"status.{target}",
                target,
                _unknown(plan, ProvisionKind.TARGET, target, known),
            )


def _share(problems: Problems, where: Where, plan: Plan, share: str | None) -> str | None:
    if plan.teachers is None:
        problems.at(where, "awards", NOTHING, _("plan {plan} has no shares", plan=plan.id))
        return None
    known = [item.id for item in plan.teachers.shares]
    if share is None:
        if len(known) == 1:
            return known[0]
        problems.problem(
            where.line,
            where.name("share"),
            MISSING,
            _("choose a share: {shares}", shares=", ".join(known) or "-"),
        )
        return None
    if share not in known:
        problems.at(where, "share", share, _unknown(plan, ProvisionKind.SHARE, share, known))
        return None
    return share


def _unknown(plan: Plan, kind: ProvisionKind, given: str, known: Sequence[str]) -> Message:
    """``plan P has no aid rule with this id``, with the closest id when one is close."""
    close = difflib.get_close_matches(given, known, n=1)
    if close:
        return _(
            "plan {plan} has no {kind} with this id; did you mean {suggestion}?",
            plan=plan.id,
            kind=kind.label,
            suggestion=close[0],
        )
    return _("plan {plan} has no {kind} with this id", plan=plan.id, kind=kind.label)


def _figure_path(path: str, keys: Sequence[str]) -> str:
    """A problem's path in the figures (``$.schools`` or ``$[2].value``) as a key of the case."""
    if path.startswith("$["):
        index = int(path[2 : path.index("]")])
        return f"figures.{keys[index]}" if index < len(keys) else "figures"
    return "figures" + path[1:]


def _reroot(prefix: str, problem: FieldProblem) -> str:
    """The path of ``problem`` (``$.household[0]``) under ``prefix`` (``student``)."""
    return prefix + problem.path[1:]
