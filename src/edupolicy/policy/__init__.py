"""The policy of a region: its plans, dated, and one method per question a host asks.

:class:`Policy` is what :func:`edupolicy.load` returns; :mod:`edupolicy.policy.arguments`
checks the arguments of its questions at the boundary.
"""

from edupolicy.errors import Rejected
from edupolicy.policy.policy import Policy

__all__ = ["Policy", "Rejected"]
