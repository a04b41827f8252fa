"""Evaluating a schedule for one subject: which rules apply, which do not, and why.

:func:`evaluate` is a pure function of the schedule and the subject.  Rules whose
conditions hold are kept, except that in a ``one_wins`` group a rule overridden by
another applying rule is dropped; when two rules of such a group remain, evaluation
raises :class:`~edupolicy.errors.RuleConflictError` naming both and their sources:
there is never a silent winner.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection, Sequence
from typing import Any, Generic, TypeVar

import attrs

from edupolicy.errors import RuleConflictError
from edupolicy.i18n import Message, Text, _
from edupolicy.rules.conditions import join_and
from edupolicy.rules.model import Rule, Schedule, Source
from edupolicy.rules.writing import Written

__all__ = [
    "Applied",
    "Evaluation",
    "Lack",
    "NotApplied",
    "evaluate",
    "resolve_one_wins",
]

R = TypeVar("R", bound=Rule[Any])


@attrs.frozen(kw_only=True)
class Lack(Written, Generic[R]):
    """What a subject lacks for a rule."""

    rule: R
    missing: tuple[Message, ...]
    #: The day the subject meets the rule by time alone, when time alone is what it lacks.
    reached_on: _dt.date | None

    def describe(self) -> Message:
        """``3 more years of continuous rural service (…) for <rule>``.

        When several things are lacking: ``for <rule>: <one>; <other>``.
        """
        if len(self.missing) == 1:
            return _("{missing} for {name}", missing=self.missing[0], name=self.rule.name)
        return _("for {name}: {missing}", missing=join_and(list(self.missing)), name=self.rule.name)


@attrs.frozen(kw_only=True)
class NotApplied(Written, Generic[R]):
    """A rule that did not apply, and why.

    For rules that explain lacks, :attr:`lack` says what the subject lacks; it is
    ``None`` when nothing the subject can gain would make the rule apply.
    """

    rule: R
    reason: Message
    lack: Lack[R] | None = None
    #: What the item renders to in each locale, kept by the writer of its JSON: an item
    #: is shared by every subject with the same outcome.  Not part of its value.
    rendered: dict[str | None, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def describe(self) -> Message:
        """``rule: reason``; where the rule's source names its document (a plan with
        more than one level), ``rule (document section): reason``."""
        source = self.rule.source
        if source.document is not None:
            return _("{rule} ({at}): {reason}", rule=self.rule.id, at=source.at, reason=self.reason)
        return _("{rule}: {reason}", rule=self.rule.id, reason=self.reason)


@attrs.frozen(kw_only=True)
class Applied(Written, Generic[R]):
    """One rule that applied to the subject."""

    rule: R
    #: The title of the plan section the rule comes from, where the plan names it.
    section_title: Text | None = None
    #: What the item renders to in each locale, kept by the writer of its JSON: an item
    #: is shared by every subject with the same outcome.  Not part of its value.
    rendered: dict[str | None, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def source(self) -> Source:
        return self.rule.source

    @property
    def explanation(self) -> Message:
        """One line: the rule, what it gives and why it applies."""
        return _(
            "{name}: {gives}, because {conditions}",
            name=self.rule.name,
            gives=self.rule.gives(),
            conditions=self.rule.when.describe(),
        )


@attrs.frozen(kw_only=True)
class Evaluation(Generic[R]):
    """The rules that applied, in plan order, and (when explained) those that did not."""

    applied: tuple[R, ...]
    #: Rules that did not apply, in plan order; ``None`` unless asked for.
    not_applied: tuple[NotApplied[R], ...] | None


def evaluate(
    schedule: Schedule[R],
    subject: object,
    *,
    who: Message,
    explain: bool = False,
    locale: str | None = None,
) -> Evaluation[R]:
    """Apply ``schedule`` to ``subject``: a pure function of its arguments.

    ``who`` names the subject in a conflict's message (``this student``).
    """
    applied: list[R] = []
    failed: list[NotApplied[R]] = []
    for rule in schedule.rules:
        if rule.when.holds(subject):
            applied.append(rule)
        elif explain:
            failed.append(_not_applied(rule, subject))

    def conflict(group_id: str, winners: list[R]) -> Exception:
        first, second = winners[0], winners[1]
        return RuleConflictError(
            _(
                "Rules {first} ({first_source}) and {second} ({second_source}) of group "
                "{group} both apply to {who} and neither overrides the other",
                first=first.id,
                first_source=first.source.cite(),
                second=second.id,
                second_source=second.source.cite(),
                group=group_id,
                who=who,
            ),
            [rule.id for rule in winners],
            locale=locale,
        )

    kept, losers = resolve_one_wins(schedule.one_wins, applied, conflict)
    if not explain:
        return Evaluation(applied=tuple(kept), not_applied=None)
    failed.extend(
        NotApplied(rule=rule, reason=_("overridden by rule {winner}", winner=losers[rule.id].id))
        for rule in applied
        if rule.id in losers
    )
    order = schedule.order
    failed.sort(key=lambda entry: order[entry.rule.id])
    return Evaluation(applied=tuple(kept), not_applied=tuple(failed))


def _not_applied(rule: R, subject: object) -> NotApplied[R]:
    reason = rule.when.why_not(subject) or _("its condition does not hold")
    if not rule.explains_lacks:
        return NotApplied(rule=rule, reason=reason)
    missing = rule.when.lacks(subject)
    lack = None
    if missing and all(m.attainable for m in missing):
        dated = all(m.reached_on is not None for m in missing)
        lack = Lack(
            rule=rule,
            missing=tuple(m.message for m in missing),
            reached_on=max(m.reached_on for m in missing if m.reached_on) if dated else None,
        )
    return NotApplied(rule=rule, reason=reason, lack=lack)


def resolve_one_wins(
    one_wins: Collection[str],
    applied: Sequence[R],
    conflict: Callable[[str, list[R]], Exception],
) -> tuple[list[R], dict[str, R]]:
    """The rules that stay once each ``one_wins`` group keeps its winner, and the losers.

    ``applied`` are the rules whose conditions hold, in plan order.  A rule beaten by
    another applying rule of its group that overrides it is dropped; the second
    mapping gives each dropped rule's id its winner.  When two rules of a group both
    remain, ``conflict(group_id, winners)`` is raised.
    """
    if not one_wins:
        return list(applied), {}
    contenders: dict[str, list[R]] = {}
    for rule in applied:
        if rule.group is not None and rule.group in one_wins:
            contenders.setdefault(rule.group, []).append(rule)
    losers: dict[str, R] = {}
    for group_id, members in contenders.items():
        if len(members) < 2:
            continue
        beaten = {
            loser.id: winner
            for winner in members
            for loser in members
            if loser.id in winner.overrides
        }
        winners = [rule for rule in members if rule.id not in beaten]
        if len(winners) > 1:
            raise conflict(group_id, winners)
        losers.update(beaten)
    if not losers:
        return list(applied), losers
    return [rule for rule in applied if rule.id not in losers], losers
