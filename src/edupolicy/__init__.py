"""edupolicy: rules as code for education poverty-alleviation plans.

>>> import datetime, edupolicy
>>> policy = edupolicy.load("jinfeng")
>>> result = policy.aid({"stage": "primary", "year": 3, "school_area": "rural",
...                      "household": ["dibao"]}, datetime.date(2019, 9, 1))
>>> result.cash_total
Decimal('500.00')
"""

from __future__ import annotations

import os
from importlib.resources.abc import Traversable
from pathlib import Path

from edupolicy._version import __version__
from edupolicy.aid import (
    AidItem,
    AidResult,
    AidRule,
    AidSchedule,
    Benefit,
    BenefitKind,
    Combination,
    EqualTreatment,
    Frequency,
    NotApplied,
    RuleGroup,
    Source,
)
from edupolicy.errors import (
    DuplicateRegionError,
    EdupolicyError,
    FieldProblem,
    IncompatiblePluginError,
    InvalidDataError,
    InvalidRecordError,
    OutOfPeriodError,
    PlanDataError,
    PluginError,
    PluginLoadError,
    PluginWarning,
    RuleConflictError,
    UnknownRegionError,
)
from edupolicy.i18n import Message, Text
from edupolicy.incentives import (
    Award,
    AwardCheck,
    CandidateResult,
    Continuity,
    ImpossibleShareError,
    IncentiveItem,
    IncentiveRule,
    Lack,
    NotGranted,
    Outcome,
    OutcomeKind,
    Quota,
    RankKey,
    Selection,
    Share,
    ShareCheck,
    ShareRequirement,
    TeacherResult,
    TeacherSchedule,
    awards_needed,
    check_awards,
    evaluate_teacher,
    select_cohort,
)
from edupolicy.plan import Period, Plan, PlanDocument, Policy
from edupolicy.plugins.manager import RegionInfo, Registry, default_registry
from edupolicy.records import Household, SchoolArea, Stage, Student, money
from edupolicy.teachers import Posting, RuralService, Teacher, Title

__all__ = [
    "AidItem",
    "AidResult",
    "AidRule",
    "AidSchedule",
    "Award",
    "AwardCheck",
    "Benefit",
    "BenefitKind",
    "CandidateResult",
    "Combination",
    "Continuity",
    "DuplicateRegionError",
    "EdupolicyError",
    "EqualTreatment",
    "FieldProblem",
    "Frequency",
    "Household",
    "ImpossibleShareError",
    "IncentiveItem",
    "IncentiveRule",
    "IncompatiblePluginError",
    "InvalidDataError",
    "InvalidRecordError",
    "Lack",
    "Message",
    "NotApplied",
    "NotGranted",
    "OutOfPeriodError",
    "Outcome",
    "OutcomeKind",
    "Period",
    "Plan",
    "PlanDataError",
    "PlanDocument",
    "PluginError",
    "PluginLoadError",
    "PluginWarning",
    "Policy",
    "Posting",
    "Quota",
    "RankKey",
    "RegionInfo",
    "Registry",
    "RuleConflictError",
    "RuleGroup",
    "RuralService",
    "SchoolArea",
    "Selection",
    "Share",
    "ShareCheck",
    "ShareRequirement",
    "Source",
    "Stage",
    "Student",
    "Teacher",
    "TeacherResult",
    "TeacherSchedule",
    "Text",
    "Title",
    "UnknownRegionError",
    "__version__",
    "awards_needed",
    "check_awards",
    "default_registry",
    "evaluate_teacher",
    "load",
    "load_plan",
    "money",
    "plugin_problems",
    "regions",
    "select_cohort",
]


def regions() -> tuple[RegionInfo, ...]:
    """The installed regions, with the distribution and version of each one's plugin."""
    return default_registry().regions()


def load(region_id: str, *, locale: str | None = None) -> Policy:
    """The immutable :class:`Policy` of region ``region_id``.

    An unknown id raises :class:`UnknownRegionError`, which lists the ids that exist;
    ``locale`` chooses the language of any error.
    """
    return default_registry().load(region_id, locale=locale)


def plugin_problems() -> tuple[PluginError, ...]:
    """The installed plugins that could not be used, and why."""
    return default_registry().problems


def load_plan(path: str | os.PathLike[str] | Traversable, *, locale: str | None = None) -> Plan:
    """Read and check a plan file (TOML) — for plugin authors and policy staff.

    No code in the file is executed; a bad field raises :class:`PlanDataError`
    naming its path.
    """
    from edupolicy._convert import load_plan as _load

    source = path if isinstance(path, Traversable) else Path(path)
    plan: Plan = _load(source, locale=locale)
    return plan
