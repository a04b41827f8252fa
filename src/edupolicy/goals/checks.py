"""The checks of a plan's goals that span more than one field: indicator and target ids,
the indicators targets and facts measure, baselines, parts and their units."""

from __future__ import annotations

from collections.abc import Iterator

from edupolicy.errors import FieldProblem
from edupolicy.goals.indicators import Comparison, Goals, Target, Unit
from edupolicy.i18n import _
from edupolicy.rules import find_cycle

__all__ = ["check_goals"]


def check_goals(goals: Goals) -> Iterator[FieldProblem]:
    """Every problem of a plan's goals that spans more than one field, its paths under
    ``$.goals``: ids, the indicators targets and facts name, baselines, parts."""
    indicators = {}
    for index, indicator in enumerate(goals.indicators):
        if indicator.id in indicators:
            yield FieldProblem(
                f"$.goals.indicators[{index}].id", indicator.id, _("another indicator has this id")
            )
        indicators[indicator.id] = indicator
        if indicator.can_exceed_100 and indicator.unit is not Unit.PERCENT:
            yield FieldProblem(
                f"$.goals.indicators[{index}].can_exceed_100",
                True,
                _("only a percentage can be allowed to exceed 100%"),
            )
    targets = {}
    for index, target in enumerate(goals.targets):
        path = f"$.goals.targets[{index}]"
        if target.id in targets:
            yield FieldProblem(f"{path}.id", target.id, _("another target has this id"))
        targets[target.id] = target
        if target.indicator not in indicators:
            yield FieldProblem(f"{path}.indicator", target.indicator, _("no indicator has this id"))
        if target.baseline is not None and target.baseline.on >= target.deadline:
            yield FieldProblem(
                f"{path}.baseline.on",
                target.baseline.on,
                _("the baseline must come before the deadline"),
            )
        measured = indicators.get(target.indicator)
        if measured is not None and measured.unit is Unit.ACHIEVED:
            yield from _check_achieved(target, path)
    for index, target in enumerate(goals.targets):
        for part_index, part in enumerate(target.parts):
            other = targets.get(part)
            path = f"$.goals.targets[{index}].parts[{part_index}]"
            if other is None:
                yield FieldProblem(path, part, _("no target has this id"))
            elif part == target.id:
                yield FieldProblem(path, part, _("a target cannot be a part of itself"))
            elif (
                other.indicator in indicators
                and target.indicator in indicators
                and indicators[other.indicator].unit is not indicators[target.indicator].unit
            ):
                yield FieldProblem(
                    path, part, _("a part must be measured in the same unit as its total")
                )
    cycle = find_cycle({t.id: sorted(set(t.parts) & set(targets)) for t in goals.targets})
    if cycle:
        yield FieldProblem(
            "$.goals.targets", " → ".join(cycle), _("targets are parts of each other in a cycle")
        )
    for index, fact in enumerate(goals.facts):
        if fact.indicator not in indicators:
            yield FieldProblem(
                f"$.goals.facts[{index}].indicator", fact.indicator, _("no indicator has this id")
            )
        elif indicators[fact.indicator].unit is Unit.ACHIEVED and fact.value not in (0, 1):
            yield FieldProblem(
                f"$.goals.facts[{index}].value",
                str(fact.value),
                _("a fact achieved or not is 1 (achieved) or 0 (not achieved)"),
            )


def _check_achieved(target: Target, path: str) -> Iterator[FieldProblem]:
    """A target that is achieved or not: exactly 1, with no baseline and no parts."""
    if target.comparison is not Comparison.EXACTLY:
        yield FieldProblem(
            f"{path}.comparison",
            target.comparison.value,
            _("a target achieved or not is compared exactly"),
        )
    if target.value != 1:
        yield FieldProblem(
            f"{path}.value",
            str(target.value),
            _("a target achieved or not has the value 1 (achieved)"),
        )
    if target.baseline is not None:
        yield FieldProblem(f"{path}.baseline", "{…}", _("a target achieved or not has no baseline"))
    if target.parts:
        yield FieldProblem(
            f"{path}.parts", list(target.parts), _("a target achieved or not has no parts")
        )
