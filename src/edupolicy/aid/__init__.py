"""Student aid: the student record, aid conditions, benefits and aid schedules.

A wing over the rules engine (:mod:`edupolicy.rules`): it supplies the subject (a
:class:`Student`), the leaf conditions over it and the kinds of benefit.
"""

from edupolicy.aid.benefits import Benefit, BenefitKind, Cash, Unquantified, Waiver, fee_label
from edupolicy.aid.conditions import (
    AidCondition,
    AidExtension,
    BoardingIs,
    DisabledIs,
    HouseholdAny,
    OrphanIs,
    SchoolAreaIs,
    StageIn,
    YearIn,
)
from edupolicy.aid.records import (
    COMPULSORY_STAGES,
    STUDENT_FIELDS,
    Household,
    HouseholdStatus,
    PlanStatus,
    Stage,
    Student,
    sorted_statuses,
    status_order,
)
from edupolicy.aid.schedule import (
    AidItem,
    AidOutcome,
    AidResult,
    AidRule,
    AidSchedule,
    EqualTreatment,
    evaluate_aid,
)

__all__ = [
    "COMPULSORY_STAGES",
    "STUDENT_FIELDS",
    "AidCondition",
    "AidExtension",
    "AidItem",
    "AidOutcome",
    "AidResult",
    "AidRule",
    "AidSchedule",
    "Benefit",
    "BenefitKind",
    "BoardingIs",
    "Cash",
    "DisabledIs",
    "EqualTreatment",
    "Household",
    "HouseholdAny",
    "HouseholdStatus",
    "OrphanIs",
    "PlanStatus",
    "SchoolAreaIs",
    "Stage",
    "StageIn",
    "Student",
    "Unquantified",
    "Waiver",
    "YearIn",
    "evaluate_aid",
    "fee_label",
    "sorted_statuses",
    "status_order",
]
