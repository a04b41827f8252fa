"""What evaluating a schedule for one subject gives: one envelope for every domain.

A :class:`Result` says where it comes from (the region, the plan in force, the date
and the readings the plan was read under), whose it is (the subject's id) and what the
subject receives (the domain's *outcome*).  Subjects alike in everything their rules
read share one outcome object (:class:`~edupolicy.rules.table.TabledEvaluator`), so a result
is a few references; a surface that shows many results can make what depends on the
outcome once per outcome, and take it from :attr:`Result.outcome` directly.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

__all__ = ["Result"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Result(Generic[T]):
    """The outcome of one subject under the plan in force on a date, and where it comes from.

    A domain specialises it with its outcome type and says how the outcome reads as
    JSON (:meth:`json_after_id`).
    """

    region: str
    #: The id of the plan in force.
    plan: str
    on: _dt.date
    #: The record's id, if it has one.
    subject_id: str | None
    #: What the subject receives: shared by every subject alike in what the rules read.
    outcome: T
    #: The readings of the plan in force: reading id → the choice applied.
    readings: Mapping[str, str] = attrs.field(factory=dict)

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The result as JSON, texts in ``locale``: where it comes from, the id, the rest."""
        data = self.json_before_id()
        data["id"] = self.subject_id
        data.update(self.json_after_id(locale))
        return data

    def json_before_id(self) -> dict[str, Any]:
        """The members of :meth:`to_json` before the id: the region, the plan and the date."""
        return {"region": self.region, "plan": self.plan, "on": self.on.isoformat()}

    def json_after_id(self, locale: str | None = None) -> dict[str, Any]:
        """The members of :meth:`to_json` after the id: the domain's."""
        return {"readings": dict(self.readings)}
