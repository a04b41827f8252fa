"""The audit of what a plan quotes: ``missing-source``, an item without the plan's words,
and ``quote-number``, a figure of the data its own quote does not state (see
:mod:`edupolicy.analysis.audit`)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from edupolicy.analysis.findings import Finding, Severity
from edupolicy.analysis.quote_numbers import states
from edupolicy.goals import Fact, Target, Unit
from edupolicy.i18n import _, years
from edupolicy.plans.plan import Plan
from edupolicy.rules import Source, walk
from edupolicy.teachers import ContinuousRuralYears, TotalRuralYears

__all__ = ["audit_quote_numbers", "audit_sources"]


def audit_sources(plan: Plan) -> Iterator[Finding]:
    sourced: list[tuple[str, Source]] = [(rule.id, rule.source) for rule in plan.aid.rules]
    sourced += [(p.id, p.source) for p in plan.aid.equal_treatment]
    if plan.teachers is not None:
        sourced += [(rule.id, rule.source) for rule in plan.teachers.rules]
        sourced += [(quota.id, quota.source) for quota in plan.teachers.quotas]
        sourced += [(share.id, share.source) for share in plan.teachers.shares]
    if plan.goals is not None:
        sourced += [(t.id, t.source) for t in plan.goals.targets]
        sourced += [(f.id, f.source) for f in plan.goals.facts]
    for subject, source in sourced:
        if not source.quote.strip() or not source.section.strip():
            yield Finding(
                code="missing-source",
                severity=Severity.ERROR,
                subject=subject,
                message=_("it does not quote the plan text it comes from"),
                source=source,
            )


# --- the figures of the quotes -----------------------------------------------------------


@attrs.frozen
class _Figure:
    """One figure of the data, to be found in its item's quote."""

    subject: str
    #: The field that holds it, as plan files name it.
    field: str
    value: Decimal
    #: Whether the plan writes it as a percentage.
    percent: bool
    #: The value in its unit, for the message.
    shown: object
    source: Source


#: The teacher conditions that count years, by the names plan files give them.
_YEARS = ((ContinuousRuralYears, "continuous_rural_years"), (TotalRuralYears, "total_rural_years"))


def _figures(plan: Plan) -> Iterator[_Figure]:
    for rule in plan.aid.rules:
        if (amount := rule.benefit.amount) is not None:
            shown = Unit.MONEY.show(amount)
            yield _Figure(rule.id, "benefit.amount", amount, False, shown, rule.source)
    if plan.goals is not None:
        units = {indicator.id: indicator.unit for indicator in plan.goals.indicators}
        items: list[Target | Fact] = [*plan.goals.targets, *plan.goals.facts]
        for item in items:
            unit = units[item.indicator]
            # An achieved-or-not value is a reading of words, not a figure of the text.
            if unit is not Unit.ACHIEVED:
                percent = unit is Unit.PERCENT
                shown = unit.show(item.value)
                yield _Figure(item.id, "value", item.value, percent, shown, item.source)
    if plan.teachers is None:
        return
    for share in plan.teachers.shares:
        shown = Unit.PERCENT.show(share.min_percent)
        yield _Figure(share.id, "min_percent", share.min_percent, True, shown, share.source)
    for quota in plan.teachers.quotas:
        shown = Unit.COUNT.show(Decimal(quota.per_year))
        yield _Figure(quota.id, "per_year", Decimal(quota.per_year), False, shown, quota.source)
    for incentive in plan.teachers.rules:
        for leaf in walk(incentive.when):
            for kind, name in _YEARS:
                if not isinstance(leaf, kind):
                    continue
                for bound, count in (("min", leaf.min), ("max", leaf.max)):
                    if count is not None:
                        field = f"{name}.{bound}"
                        shown = years(count)
                        value = Decimal(count)
                        yield _Figure(incentive.id, field, value, False, shown, incentive.source)


def audit_quote_numbers(plan: Plan) -> Iterator[Finding]:
    """Every figure of the data must be stated by its own quote, or by its interpretation.

    A figure the quote does not state (an amount changed and the quote kept) is
    reported, whether or not the quote states any number.  An interpretation may supply
    the figure (a full coverage read as 100%, a count of the places a list names), but
    then its Chinese text must state that figure itself, so that a value changed later
    is still reported.  Values of the ``achieved`` unit are not figures of the text.  A
    blank quote is ``missing-source``'s to report.
    """
    for figure in _figures(plan):
        source = figure.source
        if not source.quote.strip() or states(source.quote, figure.value, percent=figure.percent):
            continue
        interpretation = source.interpretation
        if interpretation is None:
            message = _(
                "its {field}, {value}, is not in its quote",
                field=figure.field,
                value=figure.shown,
            )
        elif states(interpretation.zh_CN, figure.value, percent=figure.percent):
            # The Chinese text only: the English one may count in the plan's units
            # ("78,410 ten-thousands of yuan"), which is not the value.
            continue
        else:
            message = _(
                "its {field}, {value}, is neither in its quote nor in its interpretation",
                field=figure.field,
                value=figure.shown,
            )
        yield Finding(
            code="quote-number",
            severity=Severity.WARNING,
            subject=figure.subject,
            message=message,
            source=source,
        )
