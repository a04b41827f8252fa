"""A district's plan file that names a parent region, as read: not yet resolved.

A :class:`PlanLayer` holds the district's own document, period, sections and readings,
and the changes it makes to what it inherits, each a :class:`LayerChange`: a change
table (:class:`~edupolicy.plans.change.Change`) with the district's own ``source``.
:mod:`edupolicy.analysis.layering` resolves it against the parent's plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from edupolicy.aid import PlanStatus, Stage
from edupolicy.i18n import Text
from edupolicy.plans.change import Change
from edupolicy.plans.plan import Extensions, ParentPlans, Period, PlanDocument
from edupolicy.plans.reading import Reading
from edupolicy.rules import Source

__all__ = ["LayerChange", "PlanLayer"]


@attrs.frozen(kw_only=True)
class LayerChange:
    """One change a district makes to what it inherits, with its own words."""

    #: Written flat: the change table's fields beside ``source``.
    #: An item it adds may leave out its source: it takes the change's.
    change: Change = attrs.field(metadata={"json": {"flat": True, "sourced": True}})
    #: The district's own document: the section and the words that make the change.
    source: Source


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class PlanLayer:
    """A district's plan file that names a parent region: read, not yet resolved."""

    id: str
    #: The id of the installed region whose plan this one builds on.
    parent: str
    #: Which of the parent's plans it builds on: the one in force when its document
    #: was signed, for its whole period (``as_issued``), or on each date the one in
    #: force then (``follow``).
    parent_plans: ParentPlans = ParentPlans.AS_ISSUED
    document: PlanDocument
    in_force: Period
    sections: Mapping[str, Text] = attrs.field(factory=dict, converter=_freeze)
    #: Stage lengths, when the district's differ from the parent's.
    stage_years: Mapping[Stage, int] | None = None
    changes: tuple[LayerChange, ...] = ()
    #: The district's own readings of its own text; the parent's are not inherited.
    readings: tuple[Reading, ...] = ()
    #: Household statuses the district declares, beyond the parent's, which it inherits.
    household_statuses: tuple[PlanStatus, ...] = ()
    #: The kinds of condition the district's plugin provides (not plan data).
    extensions: Extensions = attrs.field(default=(), eq=False, repr=False, metadata={"json": False})
