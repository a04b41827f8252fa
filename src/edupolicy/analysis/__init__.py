"""What a plan means beyond one question: what-if changes, readings applied, layered
regions resolved, the audit of a plan against itself and its text, and what a plan gives
a whole roster (its budget, and the difference a change makes).

Each works on plans read by :mod:`edupolicy.io` and answers in the plan model; none
of it is needed to answer a question of a plan as written, so each module is imported
when one of its names is first used.
"""

from typing import TYPE_CHECKING

from edupolicy._lazy import lazy_names

if TYPE_CHECKING:
    from edupolicy.analysis import findings as findings
    from edupolicy.analysis import impact as impact
    from edupolicy.analysis import layering as layering
    from edupolicy.analysis import whatif as whatif
    from edupolicy.analysis.audit import Finding, Severity, audit, own_findings, student_space
    from edupolicy.analysis.impact import Budget, Diff, Side
    from edupolicy.analysis.layering import plan_from_file, plans_from_file
    from edupolicy.analysis.whatif import apply_changes

__all__ = [
    "Budget",
    "Diff",
    "Finding",
    "Severity",
    "Side",
    "apply_changes",
    "audit",
    "own_findings",
    "plan_from_file",
    "plans_from_file",
    "student_space",
]

_AUDIT = "edupolicy.analysis.audit"
_IMPACT = "edupolicy.analysis.impact"

lazy_names(
    __name__,
    {
        "Finding": f"{_AUDIT}:Finding",
        "Severity": f"{_AUDIT}:Severity",
        "audit": f"{_AUDIT}:audit",
        "student_space": f"{_AUDIT}:student_space",
        "own_findings": f"{_AUDIT}:own_findings",
        "Budget": f"{_IMPACT}:Budget",
        "Diff": f"{_IMPACT}:Diff",
        "Side": f"{_IMPACT}:Side",
        "plan_from_file": "edupolicy.analysis.layering:plan_from_file",
        "plans_from_file": "edupolicy.analysis.layering:plans_from_file",
        "apply_changes": "edupolicy.analysis.whatif:apply_changes",
        # The modules a layer above uses beyond the names here.
        "findings": "edupolicy.analysis.findings",
        "impact": _IMPACT,
        "layering": "edupolicy.analysis.layering",
        "whatif": "edupolicy.analysis.whatif",
    },
)
