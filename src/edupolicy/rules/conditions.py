"""Conditions over a subject, and the combinators that join them.

A condition is declarative data, evaluated by code, never taken from a data file.  The
engine knows nothing of students or teachers: a domain supplies its *leaf* conditions
(:class:`Leaf` subclasses over its own subject type) and the engine supplies
:class:`All`, :class:`Any` and :class:`Not`, which work over any subject.

Every condition can say in words what it requires (``describe``), why a subject fails
it (``why_not``), and what the subject lacks to meet it (``lacks``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence
from typing import Any as AnyType
from typing import ClassVar, Generic, Protocol, Self, TypeVar

import attrs

from edupolicy.errors import field_check
from edupolicy.i18n import Message, Renderable, _

__all__ = [
    "AT_LEAST_ONE",
    "NOT_BELOW_MIN",
    "All",
    "Any",
    "Condition",
    "ExtensionCondition",
    "Leaf",
    "Missing",
    "Not",
    "join_and",
    "join_or",
    "walk",
]

S = TypeVar("S")
S_contra = TypeVar("S_contra", contravariant=True)


@attrs.frozen(kw_only=True)
class Missing:
    """One thing a subject lacks for a condition to hold."""

    message: Message
    #: The day it is met by time alone, when time alone meets it.
    reached_on: _dt.date | None = None
    #: Whether it can still be met at all.
    attainable: bool = True


class Condition(Protocol[S_contra]):
    """What every condition over a subject of type ``S`` can do."""

    def holds(self, subject: S_contra, /) -> bool:
        """Whether the condition holds for ``subject``."""

    def describe(self) -> Message:
        """What the condition requires, in words."""

    def why_not(self, subject: S_contra, /) -> Message | None:
        """Why ``subject`` fails the condition, or ``None`` when it holds."""

    def lacks(self, subject: S_contra, /) -> list[Missing]:
        """What ``subject`` lacks for the condition to hold (empty when it holds)."""


def join_or(items: Sequence[Renderable]) -> Renderable:
    """``a or b or c``, translatable; the items are messages or plan texts."""
    result = items[0]
    for item in items[1:]:
        result = _("{left} or {right}", left=result, right=item)
    return result


def join_and(items: Sequence[Message]) -> Message:
    """``a; b; c``, translatable."""
    result = items[0]
    for item in items[1:]:
        result = _("{left}; {right}", left=result, right=item)
    return result


class Leaf(Generic[S]):
    """Base of a domain's leaf conditions: ``lacks`` defaults to "cannot be gained".

    A domain whose subjects can come to meet a condition (a teacher's years of service
    grow) overrides :meth:`lacks` to say how.
    """

    __slots__ = ()

    def holds(self, subject: S, /) -> bool:
        raise NotImplementedError

    def describe(self) -> Message:
        raise NotImplementedError

    def why_not(self, subject: S, /) -> Message | None:
        raise NotImplementedError

    def lacks(self, subject: S, /) -> list[Missing]:
        if self.holds(subject):
            return []
        return [Missing(message=self.why_not(subject) or self.describe(), attainable=False)]


class ExtensionCondition(Leaf[S]):
    """Base of a kind of leaf condition a region plugin adds, with its key in plan files.

    A subclass (usually a frozen attrs class) sets :attr:`key`, reads itself from the
    value its key has in plan data (:meth:`from_value`), writes that value back
    (:meth:`to_value`: a what-if change, a reading or a layered plan rewrites a plan
    through its JSON shape and reads it again), and says what the leaf says:
    :meth:`holds`, :meth:`describe`, :meth:`why_not`.  A domain offers the subclass
    for its subject (:class:`edupolicy.aid.AidExtension`); a plugin hands its
    classes to edupolicy with its region (``RegionSpec(conditions=[...])``).
    """

    __slots__ = ()

    #: The condition's key in plan files: ``{hardships = {min = 2}}``.
    key: ClassVar[str]

    @classmethod
    def from_value(cls, value: object, /) -> Self:
        """The condition that ``value`` (the TOML or JSON value of its key) states.

        A bad value raises :class:`~edupolicy.errors.InvalidDataError` whose problems
        say what is wrong, by path relative to the value (``$`` the value itself,
        ``$.min`` a field of it); an attrs validator made with
        :func:`~edupolicy.errors.field_check` raises one.
        """
        raise NotImplementedError

    def to_value(self) -> AnyType:
        """The value of the condition's key, as :meth:`from_value` reads it back."""
        raise NotImplementedError


@attrs.frozen
class All(Generic[S]):
    """Every one of ``conditions`` holds."""

    conditions: tuple[Condition[S], ...]

    def holds(self, subject: S, /) -> bool:
        return all(c.holds(subject) for c in self.conditions)

    def describe(self) -> Message:
        return join_and([c.describe() for c in self.conditions])

    def why_not(self, subject: S, /) -> Message | None:
        failures = [m for m in (c.why_not(subject) for c in self.conditions) if m is not None]
        return join_and(failures) if failures else None

    def lacks(self, subject: S, /) -> list[Missing]:
        return [missing for c in self.conditions for missing in c.lacks(subject)]


@attrs.frozen
class Any(Generic[S]):
    """At least one of ``conditions`` holds."""

    conditions: tuple[Condition[S], ...]

    def holds(self, subject: S, /) -> bool:
        return any(c.holds(subject) for c in self.conditions)

    def describe(self) -> Message:
        return _("either {options}", options=join_or([c.describe() for c in self.conditions]))

    def why_not(self, subject: S, /) -> Message | None:
        if self.holds(subject):
            return None
        return _(
            "none of these holds: {options}",
            options=join_or([c.describe() for c in self.conditions]),
        )

    def lacks(self, subject: S, /) -> list[Missing]:
        """The option closest to being met: dated ones first, the soonest, the fewest gaps."""
        if self.holds(subject):
            return []
        options = [c.lacks(subject) for c in self.conditions]
        open_options = [o for o in options if all(m.attainable for m in o)]
        if not open_options:
            return [Missing(message=self.why_not(subject) or self.describe(), attainable=False)]

        def closeness(option: list[Missing]) -> tuple[int, _dt.date, int]:
            dated = all(m.reached_on is not None for m in option)
            last = max((m.reached_on for m in option if m.reached_on), default=_dt.date.max)
            return (0 if dated else 1, last, len(option))

        return min(open_options, key=closeness)


@attrs.frozen
class Not(Generic[S]):
    """``condition`` does not hold."""

    condition: Condition[S]

    def holds(self, subject: S, /) -> bool:
        return not self.condition.holds(subject)

    def describe(self) -> Message:
        return _("not ({condition})", condition=self.condition.describe())

    def why_not(self, subject: S, /) -> Message | None:
        if self.holds(subject):
            return None
        return _("it must not be that {condition}", condition=self.condition.describe())

    def lacks(self, subject: S, /) -> list[Missing]:
        if self.holds(subject):
            return []
        # What holds now is taken not to be undone: a negation is out of reach.
        return [Missing(message=self.why_not(subject) or self.describe(), attainable=False)]


def walk(condition: object) -> Iterator[object]:
    """``condition`` and every condition inside it, depth first."""
    yield condition
    if isinstance(condition, (All, Any)):
        for part in condition.conditions:
            yield from walk(part)
    elif isinstance(condition, Not):
        yield from walk(condition.condition)


#: Validator of a range's lower end: 1 or more.
AT_LEAST_ONE = field_check(lambda _self, v: v >= 1, lambda *_args: _("must be 1 or more"))
#: Validator of a range's upper end: ``None``, or not below the instance's ``min``.
NOT_BELOW_MIN = field_check(
    lambda self, v: v is None or v >= self.min, lambda *_args: _("must not be less than min")
)
