"""Small graph helpers shared by the plan checks."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["find_cycle"]


def find_cycle(edges: Mapping[str, list[str]]) -> list[str]:
    """A cycle in the directed graph ``edges``, or ``[]``."""
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
