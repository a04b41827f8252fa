"""Comparing the answer to a case's question with what the case expects.

:func:`compare` makes a :class:`~edupolicy.cases.Check` of each expectation of a case,
expected against actual, and gathers what the answer rests on: the rules that applied,
the lines of the answer the checks rest on, and the provisions the case exercised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeAlias

import attrs

from edupolicy.aid import AidResult
from edupolicy.cases.checks import AppliedRule, Check
from edupolicy.cases.vocabulary import Expected, Named, ProvisionKind
from edupolicy.goals import TargetProgress
from edupolicy.i18n import Message, Renderable, _
from edupolicy.teachers import Selection, ShareCheck, TeacherResult

__all__ = ["Answer", "Asked", "Comparison", "compare"]

#: The answer of a region's policy to a case's question.
Answer: TypeAlias = AidResult | TeacherResult | tuple[TargetProgress, ...] | Selection | ShareCheck


class Asked(Protocol):
    """What the comparison needs of a case: what it expects, and where."""

    @property
    def expected(self) -> Expected:
        """What the case expects."""
        ...

    @property
    def names(self) -> frozenset[Named]:
        """The provisions the case names in what it expects or asks."""
        ...

    def line_of(self, key: str) -> int:
        """The line of key ``key`` of the case."""
        ...


@attrs.frozen(kw_only=True)
class Comparison:
    """A case's checks, and what the answer they compare rests on."""

    checks: tuple[Check, ...]
    #: The plan that answered, when it says.
    plan: str | None = None
    #: For a student or teacher: the rules that applied, in plan order.
    applied: tuple[AppliedRule, ...] = ()
    #: For the other subjects: the lines of the answer the checks rest on.
    context: tuple[Renderable, ...] = ()
    #: The provisions the case exercised: those it names and the rules that applied.
    exercised: frozenset[Named] = frozenset()


def _ids(ids: Sequence[str]) -> Renderable | str:
    return ", ".join(ids) if ids else _("(none)")


def _must_apply(
    field: str,
    line: int,
    wanted: Sequence[str],
    applied: Sequence[str],
    missing_note: Callable[[str], Message],
) -> Check:
    """Every rule of ``wanted`` is among ``applied``."""
    missing = [rule for rule in wanted if rule not in applied]
    return Check(
        field=field,
        line=line,
        expected=_ids(wanted),
        actual=_ids(applied),
        passed=not missing,
        note=missing_note(", ".join(missing)) if missing else None,
    )


def _must_not_apply(
    field: str,
    line: int,
    unwanted: Sequence[str],
    applied: Sequence[str],
    found_note: Callable[[str], Message],
) -> Check:
    """No rule of ``unwanted`` is among ``applied``."""
    found = [rule for rule in unwanted if rule in applied]
    return Check(
        field=field,
        line=line,
        expected=_("none of: {rules}", rules=", ".join(unwanted)),
        actual=_ids(applied),
        passed=not found,
        note=found_note(", ".join(found)) if found else None,
    )


def compare(case: Asked, result: Answer) -> Comparison:
    """The checks of ``case`` against ``result``, its question's answer."""
    expected = case.expected
    checks: list[Check] = []
    if expected.error is not None:
        checks.append(
            Check(
                field="error",
                line=case.line_of("error"),
                expected=_("an error containing “{text}”", text=expected.error),
                actual=_("no error: the evaluation succeeded"),
                passed=False,
            )
        )
    if isinstance(result, AidResult):
        return _compare_aid(case, result, checks)
    if isinstance(result, TeacherResult):
        return _compare_teacher(case, result, checks)
    if isinstance(result, Selection):
        return _compare_selection(case, result, checks)
    if isinstance(result, ShareCheck):
        return _compare_share(case, result, checks)
    return _compare_progress(case, result, checks)


def _compare_aid(case: Asked, result: AidResult, checks: list[Check]) -> Comparison:
    expected = case.expected
    applied = [item.rule_id for item in result.items]
    if expected.cash_total is not None:
        checks.append(
            Check(
                field="cash_total",
                line=case.line_of("cash_total"),
                expected=f"{expected.cash_total:.2f}",
                actual=f"{result.cash_total:.2f}",
                passed=expected.cash_total == result.cash_total,
            )
        )
    if expected.waivers is not None:
        wanted = sorted(expected.waivers)
        checks.append(
            Check(
                field="waivers",
                line=case.line_of("waivers"),
                expected=_ids(wanted),
                actual=_ids(result.waivers),
                passed=wanted == sorted(result.waivers),
            )
        )
    if expected.applies is not None:
        checks.append(
            _must_apply(
                "applies",
                case.line_of("applies"),
                expected.applies,
                applied,
                lambda rules: _("did not apply: {rules}", rules=rules),
            )
        )
    if expected.not_applies is not None:
        checks.append(
            _must_not_apply(
                "not_applies",
                case.line_of("not_applies"),
                expected.not_applies,
                applied,
                lambda rules: _("applied: {rules}", rules=rules),
            )
        )
    return Comparison(
        checks=tuple(checks),
        plan=result.plan,
        applied=tuple(AppliedRule.of(item) for item in result.items),
        exercised=case.names | {(ProvisionKind.AID_RULE, rule) for rule in applied},
    )


def _compare_teacher(case: Asked, result: TeacherResult, checks: list[Check]) -> Comparison:
    expected = case.expected
    earned = [item.rule_id for item in result.items]
    if expected.earns is not None:
        checks.append(
            _must_apply(
                "earns",
                case.line_of("earns"),
                expected.earns,
                earned,
                lambda rules: _("not earned: {rules}", rules=rules),
            )
        )
    if expected.not_earns is not None:
        checks.append(
            _must_not_apply(
                "not_earns",
                case.line_of("not_earns"),
                expected.not_earns,
                earned,
                lambda rules: _("earned: {rules}", rules=rules),
            )
        )
    service = result.service
    return Comparison(
        checks=tuple(checks),
        plan=result.plan,
        applied=tuple(AppliedRule.of(item) for item in result.items),
        context=(
            _(
                "Rural service on {on}: {continuous} years continuous, {total} years in all",
                on=service.on.isoformat(),
                continuous=service.continuous_years,
                total=service.total_years,
            ),
        ),
        exercised=case.names | {(ProvisionKind.TEACHER_RULE, rule) for rule in earned},
    )


def _compare_progress(
    case: Asked, lines: tuple[TargetProgress, ...], checks: list[Check]
) -> Comparison:
    by_id = {line.target.id: line for line in lines}
    context: list[Renderable] = []
    for target, status in (case.expected.status or {}).items():
        line = by_id.get(target)
        actual = line.status.value if line is not None else "-"
        passed = line is not None and line.status is status
        note: Renderable | None = line.explanation if line is not None else None
        checks.append(
            Check(
                field=f"status.{target}",
                line=case.line_of(f"status.{target}"),
                expected=status.value,
                actual=actual,
                passed=passed,
                note=note,
            )
        )
        if line is not None and not passed:
            context.append(_("{target}: {source}", target=target, source=line.target.source.cite()))
    return Comparison(checks=tuple(checks), context=tuple(context), exercised=case.names)


def _compare_selection(case: Asked, selection: Selection, checks: list[Check]) -> Comparison:
    wanted = case.expected.selected
    chosen = [candidate.teacher_id for candidate in selection.selected]
    if wanted is not None:
        reasons = {c.teacher_id: c.reason for c in selection.candidates}
        surprises = [tid for tid in wanted if tid not in chosen] + [
            tid for tid in chosen if tid not in wanted
        ]
        note: Renderable | None = None
        if surprises:
            note = _lines([_("{id}: {reason}", id=tid, reason=reasons[tid]) for tid in surprises])
        checks.append(
            Check(
                field="selected",
                line=case.line_of("selected"),
                expected=_ids(sorted(wanted)),
                actual=_ids(chosen),
                passed=sorted(wanted) == sorted(chosen),
                note=note,
            )
        )
    quota = selection.quota
    return Comparison(
        checks=tuple(checks),
        plan=selection.plan,
        context=(
            _(
                "Quota {quota}: {per_year} a year, counted on {on}; {source}",
                quota=quota.id,
                per_year=quota.per_year,
                on=selection.on.isoformat(),
                source=quota.source.cite(),
            ),
        ),
        exercised=case.names | {(ProvisionKind.QUOTA, quota.id)},
    )


def _compare_share(case: Asked, check: ShareCheck, checks: list[Check]) -> Comparison:
    expected = case.expected
    if expected.meets is not None:
        checks.append(
            Check(
                field="meets",
                line=case.line_of("meets"),
                expected=_bool(expected.meets),
                actual=_bool(check.meets),
                passed=expected.meets is check.meets,
                note=check.summary,
            )
        )
    if expected.short_by is not None:
        checks.append(
            Check(
                field="short_by",
                line=case.line_of("short_by"),
                expected=str(expected.short_by),
                actual=str(check.short_by),
                passed=expected.short_by == check.short_by,
                note=check.summary,
            )
        )
    share = check.share
    return Comparison(
        checks=tuple(checks),
        plan=check.plan,
        context=(
            _("Share {share}: {source}", share=share.id, source=share.source.cite()),
            _lines([_("{id}: {reason}", id=e.label, reason=e.reason) for e in check.entries]),
        ),
        exercised=case.names | {(ProvisionKind.SHARE, share.id)},
    )


def _bool(value: bool) -> str:
    return "true" if value else "false"


@attrs.frozen
class _Lines:
    """Several messages, one a line."""

    items: tuple[Renderable, ...]

    def render(self, locale: str | None = None) -> str:
        return "\n".join(item.render(locale) for item in self.items)


def _lines(items: Sequence[Renderable]) -> Renderable:
    return _Lines(tuple(items))
