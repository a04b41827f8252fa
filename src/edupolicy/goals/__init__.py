"""Goal indicators: what a plan means to achieve, by when, and how far along it is.

The indicators and targets a plan holds are imported with the package; how far along a
target is (:mod:`edupolicy.goals.progress`) is imported when one of its names is first
used: loading and checking a plan does not need it.
"""

from typing import TYPE_CHECKING

from edupolicy._lazy import lazy_names
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

if TYPE_CHECKING:
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

lazy_names(
    __name__,
    {name: f"edupolicy.goals.progress:{name}" for name in ("Status", "TargetProgress", "progress")},
)
