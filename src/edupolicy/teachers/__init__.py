"""Teacher incentives: service history, incentive rules, and cohorts with quotas and shares.

A wing over the rules engine (:mod:`edupolicy.rules`): it supplies the subject (a
teacher and their rural service on a date, :class:`TeacherOn`), the leaf conditions
over it and the kinds of outcome.

What a plan holds (rules, conditions, outcomes, quotas and shares) is imported with the
package; choosing a cohort (:mod:`edupolicy.teachers.selection`) is imported when one of
its names is first used: loading and checking a plan does not need it.
"""

from typing import TYPE_CHECKING

from edupolicy._lazy import lazy_names
from edupolicy.teachers.conditions import (
    ContinuousRuralYears,
    MeetsTitleCriteria,
    OutstandingIs,
    PostedIn,
    TeacherCondition,
    TeacherExtension,
    TitleIn,
    TotalRuralYears,
)
from edupolicy.teachers.incentives import (
    Continuity,
    Counting,
    IncentiveItem,
    IncentiveOutcome,
    IncentiveRule,
    Quota,
    RankKey,
    Share,
    TeacherResult,
    TeacherSchedule,
    evaluate_incentives,
)
from edupolicy.teachers.outcomes import (
    Allowance,
    Outcome,
    OutcomeKind,
    Priority,
    Programme,
    Recognition,
    RelaxedHonours,
    TitleExemption,
)
from edupolicy.teachers.service import (
    Posting,
    RuralService,
    Teacher,
    TeacherOn,
    Title,
    add_years,
    completed_years,
)
from edupolicy.teachers.shares import (
    Award,
    AwardCheck,
    AwardKind,
    KindCount,
    ShareCheck,
    ShareRequirement,
    check_list,
    requirement_for,
)

if TYPE_CHECKING:
    from edupolicy.teachers.selection import CandidateResult, Selection, select_from

__all__ = [
    "Allowance",
    "Award",
    "AwardCheck",
    "AwardKind",
    "CandidateResult",
    "Continuity",
    "ContinuousRuralYears",
    "Counting",
    "IncentiveItem",
    "IncentiveOutcome",
    "IncentiveRule",
    "KindCount",
    "MeetsTitleCriteria",
    "Outcome",
    "OutcomeKind",
    "OutstandingIs",
    "PostedIn",
    "Posting",
    "Priority",
    "Programme",
    "Quota",
    "RankKey",
    "Recognition",
    "RelaxedHonours",
    "RuralService",
    "Selection",
    "Share",
    "ShareCheck",
    "ShareRequirement",
    "Teacher",
    "TeacherCondition",
    "TeacherExtension",
    "TeacherOn",
    "TeacherResult",
    "TeacherSchedule",
    "Title",
    "TitleExemption",
    "TitleIn",
    "TotalRuralYears",
    "add_years",
    "check_list",
    "completed_years",
    "evaluate_incentives",
    "requirement_for",
    "select_from",
]

lazy_names(
    __name__,
    {
        name: f"edupolicy.teachers.selection:{name}"
        for name in ("CandidateResult", "Selection", "select_from")
    },
)
