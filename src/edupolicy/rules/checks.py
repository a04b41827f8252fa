"""Checks of a schedule that span its rules: ids, groups, overrides, cycles.

Each check yields :class:`~edupolicy.errors.FieldProblem` objects whose paths start
at the path the caller gives (``$.aid``), so that a plan reports every problem of
every schedule at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from edupolicy.errors import FieldProblem
from edupolicy.i18n import Message, _
from edupolicy.rules.model import Combination, Rule, Schedule

__all__ = ["check_schedule", "duplicates", "find_cycle"]

R = TypeVar("R", bound=Rule[Any])


def find_cycle(edges: Mapping[str, list[str]]) -> list[str]:
    """A cycle in the directed graph ``edges``, as the nodes along it, or ``[]``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in edges:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def duplicates(ids: Sequence[str], path: str, what: Message) -> Iterator[FieldProblem]:
    """A problem at ``path[i].id`` for each id that an earlier item already has."""
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            yield FieldProblem(
                f"{path}[{index}].id", item, _("another {what} has the same id", what=what)
            )
        seen.add(item)


def check_schedule(schedule: Schedule[R], path: str) -> Iterator[FieldProblem]:
    """Every problem of ``schedule``'s ids, group references and overrides."""
    yield from duplicates([g.id for g in schedule.groups], f"{path}.groups", _("group"))
    yield from duplicates([r.id for r in schedule.rules], f"{path}.rules", _("rule"))
    groups = {g.id: g for g in schedule.groups}
    rules = {r.id: r for r in schedule.rules}
    for index, rule in enumerate(schedule.rules):
        where = f"{path}.rules[{index}]"
        group = groups.get(rule.group) if rule.group is not None else None
        if rule.group is not None and group is None:
            yield FieldProblem(f"{where}.group", rule.group, _("no group has this id"))
        for target in sorted(rule.overrides):
            other = rules.get(target)
            if other is None:
                yield FieldProblem(f"{where}.overrides", target, _("no rule has this id"))
            elif target == rule.id:
                yield FieldProblem(f"{where}.overrides", target, _("a rule cannot override itself"))
            elif group is None or group.combination is not Combination.ONE_WINS:
                yield FieldProblem(
                    f"{where}.overrides",
                    target,
                    _("only rules of a one_wins group can override others"),
                )
            elif other.group != rule.group:
                yield FieldProblem(
                    f"{where}.overrides",
                    target,
                    _("the overridden rule is not in group {group}", group=rule.group),
                )
    cycle = find_cycle({rule.id: sorted(rule.overrides) for rule in schedule.rules})
    if cycle:
        yield FieldProblem(
            f"{path}.rules", " → ".join(cycle), _("rules override each other in a cycle")
        )
