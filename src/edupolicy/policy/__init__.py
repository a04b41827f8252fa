"""The policy of a region: its plans, dated, and one method per question a host asks.

:class:`Policy` is what :func:`edupolicy.load` returns; :mod:`edupolicy.policy.arguments`
checks the arguments of its questions at the boundary.
"""

from typing import TYPE_CHECKING

from edupolicy._lazy import lazy_names
from edupolicy.errors import Rejected
from edupolicy.policy.policy import Policy

if TYPE_CHECKING:
    from edupolicy.policy import rosters as rosters

__all__ = ["Policy", "Rejected"]

# A roster's questions (budget, diff) need the analysis of a roster: imported when first
# asked.
lazy_names(__name__, {"rosters": "edupolicy.policy.rosters"})
