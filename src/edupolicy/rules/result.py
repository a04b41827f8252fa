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
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

import attrs

from edupolicy.rules.writing import Written

__all__ = ["Result"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Result(Written, Generic[T]):
    """The outcome of one subject under the plan in force on a date, and where it comes from.

    A domain specialises it with its outcome type.  Its JSON (:meth:`to_json`) is
    written by :mod:`edupolicy.io`: where it comes from, the id, then the outcome's.
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


def slot_setters(cls: type, *names: str) -> tuple[Callable[[object, object], None], ...]:
    """The setters of the slots ``names`` of the slotted attrs class ``cls``, in order:
    what a maker of one of its values from values already checked sets, after
    ``object.__new__(cls)``, without its ``__init__`` (a value made by the thousand)."""
    assert [field.name for field in attrs.fields(cls)] == list(names), "every field, in order"
    return tuple(getattr(cls, name).__set__ for name in names)
