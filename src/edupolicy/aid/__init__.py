"""Student aid: the student record, aid conditions, benefits and aid schedules.

A wing over the rules engine (:mod:`edupolicy.rules`): it supplies the subject (a
:class:`Student`), the leaf conditions over it and the kinds of benefit.
"""

from edupolicy.aid.benefits import Benefit, BenefitKind, Cash, Unquantified, Waiver, fee_label
from edupolicy.aid.compiled import (
    EXPLAINED_LIMIT,
    AidEvaluator,
    ReadStudent,
    StudentReader,
    aid_evaluators,
)
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
    StudentKey,
    sorted_statuses,
    status_order,
    student_from_key,
    student_key,
)
from edupolicy.aid.schedule import (
    AidItem,
    AidOutcome,
    AidResult,
    AidRule,
    AidSchedule,
    EqualTreatment,
    aid_outcome,
    evaluate_aid,
)

__all__ = [
    "COMPULSORY_STAGES",
    "EXPLAINED_LIMIT",
    "STUDENT_FIELDS",
    "AidCondition",
    "AidEvaluator",
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
    "ReadStudent",
    "SchoolAreaIs",
    "Stage",
    "StageIn",
    "Student",
    "StudentKey",
    "StudentReader",
    "Unquantified",
    "Waiver",
    "YearIn",
    "aid_evaluators",
    "aid_outcome",
    "evaluate_aid",
    "fee_label",
    "sorted_statuses",
    "status_order",
    "student_from_key",
    "student_key",
]
