"""What a plan means beyond one question: what-if changes, readings applied, layered
regions resolved, the audit of a plan against itself and its text, and what a plan gives
a whole roster (its budget, and the difference a change makes).

Each works on plans read by :mod:`edupolicy.io` and answers in the plan model; none
of it is needed to answer a question of a plan as written.
"""

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
