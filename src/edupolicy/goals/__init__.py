"""Goal indicators: what a plan means to achieve, by when, and how far along it is."""

from edupolicy.goals.indicators import (
    Baseline,
    Comparison,
    Fact,
    Goals,
    Indicator,
    Observation,
    Target,
    Unit,
)
from edupolicy.goals.progress import Status, TargetProgress, progress

__all__ = [
    "Baseline",
    "Comparison",
    "Fact",
    "Goals",
    "Indicator",
    "Observation",
    "Status",
    "Target",
    "TargetProgress",
    "Unit",
    "progress",
]
