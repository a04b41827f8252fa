"""The plan model: a region's plan, its document and period, its readings and layers.

A :class:`Plan` bundles the domains' schedules (aid, goals, teacher incentives) with
the document they encode; what spans the plan is checked when it is made, each
domain's own facts by the domain's checks.  Reading plan files and the converter live
in :mod:`edupolicy.io`; what-if changes, layering and the audit in
:mod:`edupolicy.analysis`.
"""

from edupolicy.plans.change import Change
from edupolicy.plans.layer import LayerChange, PlanLayer
from edupolicy.plans.plan import (
    MAX_STAGE_YEARS,
    BuiltOn,
    Level,
    ParentPlans,
    Period,
    Plan,
    PlanDocument,
)
from edupolicy.plans.reading import Choice, Reading

__all__ = [
    "MAX_STAGE_YEARS",
    "BuiltOn",
    "Change",
    "Choice",
    "LayerChange",
    "Level",
    "ParentPlans",
    "Period",
    "Plan",
    "PlanDocument",
    "PlanLayer",
    "Reading",
]
