"""The spellings of edupolicy 0.1.0 that changed, kept working until 0.3.

Each old name is looked up on attribute access, by the module-level ``__getattr__`` of
``edupolicy`` and of the old modules (``edupolicy.audit``, ``.records``, ``.plan``,
``.conditions``, ``.incentives``).  It warns with a :class:`DeprecationWarning` that names
the new spelling, and returns the new object itself.  The four functions of 0.1.0 that
took a policy first are now :class:`~edupolicy.Policy` methods; their old spellings call
the methods.

Nothing in edupolicy uses these names, and ``import edupolicy`` imports neither this
module nor the old ones.  A 0.1.0 name with no faithful new spelling is not here: the
CHANGELOG says what to use instead.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from edupolicy.policy import Policy
    from edupolicy.teachers import (
        Award,
        Selection,
        ShareCheck,
        ShareRequirement,
        Teacher,
        TeacherResult,
    )

__all__ = ["MOVED", "POLICY_METHODS", "REMOVED_IN", "moved", "new_object"]

#: The version whose release removes the old spellings.
REMOVED_IN = "0.3"

_AID = "edupolicy.aid"
_TEACHERS = "edupolicy.teachers"
_RULES = "edupolicy.rules"


def _same(module: str, names: str) -> dict[str, str]:
    return {name: f"{module}.{name}" for name in names.split()}


#: The functions of 0.1.0 that took a policy first: old name → the Policy method.
POLICY_METHODS: Mapping[str, str] = {
    "awards_needed": "edupolicy.Policy.awards_needed",
    "check_awards": "edupolicy.Policy.check_awards",
    "evaluate_teacher": "edupolicy.Policy.teacher",
    "select_cohort": "edupolicy.Policy.select",
}

#: Module → old name → new spelling (``module.name``, or a Policy method).
MOVED: Mapping[str, Mapping[str, str]] = {
    "edupolicy": {
        **_same(_AID, "AidItem AidRule AidSchedule BenefitKind EqualTreatment"),
        **_same(_TEACHERS, "AwardCheck CandidateResult Continuity IncentiveItem"),
        **_same(_TEACHERS, "IncentiveRule OutcomeKind Quota RankKey RuralService Share"),
        **_same(_TEACHERS, "TeacherSchedule"),
        **_same(_RULES, "Combination Lack NotApplied RuleGroup Source"),
        "NotGranted": "edupolicy.rules.NotApplied",
        **_same("edupolicy.errors", "DuplicateRegionError IncompatiblePluginError"),
        **_same("edupolicy.errors", "PluginLoadError"),
        "Frequency": "edupolicy.values.Frequency",
        **_same("edupolicy.i18n", "Message Text"),
        **_same("edupolicy.plugins.registry", "Registry default_registry"),
        **POLICY_METHODS,
    },
    "edupolicy.audit": _same("edupolicy.analysis", "Finding Severity audit student_space"),
    "edupolicy.records": {
        "COMPULSORY_STAGES": "edupolicy.aid.COMPULSORY_STAGES",
        "FEN": "edupolicy.values.FEN",
        **_same("edupolicy", "Household SchoolArea Stage Student money"),
    },
    "edupolicy.plan": _same("edupolicy", "Period Plan PlanDocument Policy"),
    "edupolicy.conditions": {
        **_same(_RULES, "All Any Not"),
        "Condition": "edupolicy.aid.AidCondition",
        **_same(_AID, "BoardingIs DisabledIs HouseholdAny OrphanIs SchoolAreaIs StageIn YearIn"),
    },
    "edupolicy.incentives": {
        "AllOf": "edupolicy.rules.All",
        "AnyOf": "edupolicy.rules.Any",
        **_same(_RULES, "Lack Missing Not"),
        "NotGranted": "edupolicy.rules.NotApplied",
        **_same("edupolicy", "Award ImpossibleShareError Selection ShareCheck"),
        **_same("edupolicy", "ShareRequirement TeacherResult"),
        **_same(_TEACHERS, "AwardCheck CandidateResult Continuity ContinuousRuralYears"),
        **_same(_TEACHERS, "IncentiveItem IncentiveRule MeetsTitleCriteria OutcomeKind"),
        **_same(_TEACHERS, "OutstandingIs PostedIn Quota RankKey Share TeacherCondition"),
        **_same(_TEACHERS, "TeacherSchedule TitleIn TotalRuralYears"),
        **_same(_TEACHERS, "check_list requirement_for select_from"),
        "evaluate_schedule": "edupolicy.teachers.evaluate_incentives",
        **POLICY_METHODS,
    },
}


def awards_needed(
    policy: Policy,
    pool: Sequence[Award | Mapping[str, Any]],
    on: _dt.date | str,
    *,
    size: int,
    share: str | None = None,
    locale: str | None = None,
) -> ShareRequirement:
    """0.1.0's ``awards_needed(policy, ...)``: ``policy.awards_needed(...)``."""
    return policy.awards_needed(pool, on, size=size, share=share, locale=locale)


def check_awards(
    policy: Policy,
    awards: Sequence[Award | Mapping[str, Any]],
    on: _dt.date | str,
    *,
    share: str | None = None,
    locale: str | None = None,
) -> ShareCheck:
    """0.1.0's ``check_awards(policy, ...)``: ``policy.check_awards(...)``."""
    return policy.check_awards(awards, on, share=share, locale=locale)


def evaluate_teacher(
    policy: Policy,
    teacher: Teacher | Mapping[str, Any],
    on: _dt.date | str,
    *,
    explain: bool = False,
    locale: str | None = None,
) -> TeacherResult:
    """0.1.0's ``evaluate_teacher(policy, ...)``: ``policy.teacher(...)``."""
    return policy.teacher(teacher, on, explain=explain, locale=locale)


def select_cohort(
    policy: Policy,
    programme: str,
    candidates: Sequence[Teacher | Mapping[str, Any]],
    *,
    year: int,
    locale: str | None = None,
) -> Selection:
    """0.1.0's ``select_cohort(policy, ...)``: ``policy.select(...)``."""
    return policy.select(programme, candidates, year=year, locale=locale)


_CALLS: Mapping[str, Callable[..., Any]] = {
    "awards_needed": awards_needed,
    "check_awards": check_awards,
    "evaluate_teacher": evaluate_teacher,
    "select_cohort": select_cohort,
}


def new_object(module: str, name: str) -> Any:
    """What the old ``module.name`` is now, without a warning (for tests and tools)."""
    if name in POLICY_METHODS and MOVED[module][name] == POLICY_METHODS[name]:
        return _CALLS[name]
    where, _, attribute = MOVED[module][name].rpartition(".")
    return getattr(importlib.import_module(where), attribute)


def moved(module: str, name: str) -> Any:
    """The new object of the old ``module.name``, with a warning that names it.

    Raises :class:`AttributeError`, as a module does, for a name that never moved.
    """
    spelling = MOVED[module].get(name)
    if spelling is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warnings.warn(
        f"{module}.{name} is deprecated and will be removed in {REMOVED_IN}; use {spelling}",
        DeprecationWarning,
        stacklevel=3,
    )
    return new_object(module, name)
