"""A region's plan: its document, period and rules; reading plan files; the audit.

The JSON boundary's one converter lives here (:mod:`edupolicy.plans.convert`), above
the domains whose types it reads.  The JSON Schemas (``edupolicy.plans.schema``)
are imported when first asked for: reading a plan does not need them.
"""

from typing import TYPE_CHECKING

from edupolicy.plans.audit import Finding, Severity, audit, student_space
from edupolicy.plans.changes import Change, apply_changes, read_changes
from edupolicy.plans.convert import structure, unstructure
from edupolicy.plans.files import load_plan, read_plan_file
from edupolicy.plans.layer import LayerChange, PlanLayer
from edupolicy.plans.observations import structure_observations
from edupolicy.plans.plan import Period, Plan, PlanDocument
from edupolicy.plans.reading import Choice, Reading

if TYPE_CHECKING:
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


#: The names this package takes from :mod:`edupolicy.plans.schema`, imported on first use.
_FROM_SCHEMA = frozenset({"SCHEMA_NAMES", "UnknownSchemaError", "json_schema"})


def __getattr__(name: str) -> object:
    """The schema names, imported when first asked for: deferred for start-up time."""
    if name in _FROM_SCHEMA:
        from edupolicy.plans import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
