"""A region's plan: its document, period and rules; reading plan files; the audit.

The JSON boundary's one converter lives here (:mod:`edupolicy.plans.convert`), above
the domains whose types it reads.
"""

from edupolicy.plans.audit import Finding, Severity, audit, student_space
from edupolicy.plans.changes import Change, apply_changes, read_changes
from edupolicy.plans.convert import structure, unstructure
from edupolicy.plans.files import load_plan, read_plan_file
from edupolicy.plans.layer import LayerChange, PlanLayer
from edupolicy.plans.observations import structure_observations
from edupolicy.plans.plan import Period, Plan, PlanDocument
from edupolicy.plans.reading import Choice, Reading

__all__ = [
    "Change",
    "Choice",
    "Finding",
    "LayerChange",
    "Period",
    "Plan",
    "PlanDocument",
    "PlanLayer",
    "Reading",
    "Severity",
    "apply_changes",
    "audit",
    "load_plan",
    "read_changes",
    "read_plan_file",
    "structure",
    "structure_observations",
    "student_space",
    "unstructure",
]
