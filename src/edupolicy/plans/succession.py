"""The plans of one region in succession: each in force after the one before has ended.

A region's plans may be returned in any order; :func:`in_succession` puts them in
the order they come into force, and :func:`overlap` says when two of them would be
in force on the same day, which no policy may have.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from edupolicy.i18n import Message, _
from edupolicy.plans.plan import Plan

__all__ = ["in_succession", "overlap"]


def in_succession(plans: Iterable[Plan]) -> list[Plan]:
    """``plans`` in the order they come into force."""
    return sorted(plans, key=lambda plan: plan.in_force.start)


def overlap(plans: Sequence[Plan], *, region: str) -> Message | None:
    """Why ``plans``, in succession, cannot be the plans of ``region``: the first two in
    force at the same time; ``None`` when each ends before the next comes into force."""
    for earlier, later in itertools.pairwise(plans):
        if earlier.in_force.end is None or later.in_force.start <= earlier.in_force.end:
            return _(
                "Plans {first} ({first_period}) and {second} ({second_period}) of region "
                "{region} are in force at the same time",
                first=earlier.id,
                first_period=str(earlier.in_force),
                second=later.id,
                second_period=str(later.in_force),
                region=region,
            )
    return None
