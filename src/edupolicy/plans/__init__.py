"""A region's plan: its document, period and rules; reading plan files; the audit.

The JSON boundary's one converter lives here (:mod:`edupolicy.plans.convert`), above
the domains whose types it reads.
"""

from edupolicy.plans.audit import Finding, Severity, audit, student_space
from edupolicy.plans.convert import structure, unstructure
from edupolicy.plans.files import load_plan
from edupolicy.plans.observations import structure_observations
from edupolicy.plans.plan import Period, Plan, PlanDocument

__all__ = [
    "Finding",
    "Period",
    "Plan",
    "PlanDocument",
    "Severity",
    "audit",
    "load_plan",
    "structure",
    "structure_observations",
    "student_space",
    "unstructure",
]
