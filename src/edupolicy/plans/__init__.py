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
from edupolicy.plans.schema import SCHEMA_NAMES, UnknownSchemaError, json_schema

__all__ = [
    "SCHEMA_NAMES",
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
    "UnknownSchemaError",
    "apply_changes",
    "audit",
    "json_schema",
    "load_plan",
    "read_changes",
    "read_plan_file",
    "structure",
    "structure_observations",
    "student_space",
    "unstructure",
]
