"""What a plan means beyond one question: what-if changes, readings applied, layered
regions resolved, and the audit of a plan against itself and its text.

Each works on plans read by :mod:`edupolicy.io` and answers in the plan model; none
of it is needed to answer a question of a plan as written.
"""

from edupolicy.analysis.audit import Finding, Severity, audit, student_space
from edupolicy.analysis.layering import load_plan
from edupolicy.analysis.whatif import apply_changes

__all__ = ["Finding", "Severity", "apply_changes", "audit", "load_plan", "student_space"]
