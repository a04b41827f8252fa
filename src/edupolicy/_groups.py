"""Resolving ``one_wins`` groups: the mechanism shared by aid and teacher-incentive rules."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Protocol, TypeVar

__all__ = ["resolve_one_wins"]


class Competing(Protocol):
    """A rule that may compete in a group: aid rules and incentive rules both are."""

    @property
    def id(self) -> str: ...

    @property
    def group(self) -> str | None: ...

    @property
    def overrides(self) -> frozenset[str]: ...


R = TypeVar("R", bound=Competing)


def resolve_one_wins(
    one_wins: Collection[str],
    applied: Sequence[R],
    conflict: Callable[[str, list[R]], Exception],
) -> tuple[list[R], dict[str, R]]:
    """The rules that stay once each ``one_wins`` group keeps its winner, and the losers.

    ``applied`` are the rules whose conditions hold, in plan order.  A rule beaten by
    another applying rule of its group that overrides it is dropped; the second
    mapping gives each dropped rule's id its winner.  When two rules of a group both
    remain, ``conflict(group_id, winners)`` is raised: there is never a silent winner.
    """
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
