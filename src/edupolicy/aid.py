"""Aid schedules: who receives which student aid, how much, how often, and why.

A schedule is a tuple of :class:`AidRule` objects, each with an eligibility
condition, a benefit and the plan text it comes from.  Rules that compete form a
:class:`RuleGroup` whose combination policy says what happens when several apply:
``stack`` (all are paid) or ``one_wins`` (one rule declares that it overrides the
other, as exceptions do in Catala).  When two rules of a ``one_wins`` group apply
and neither overrides the other, evaluation raises
:class:`~edupolicy.errors.RuleConflictError` naming both: there is never a silent
winner.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from edupolicy._groups import resolve_one_wins
from edupolicy.conditions import Condition
from edupolicy.errors import RuleConflictError
from edupolicy.i18n import Message, Text, _
from edupolicy.records import FEN, Household, Stage, Student

__all__ = [
    "AidItem",
    "AidResult",
    "AidRule",
    "AidSchedule",
    "Benefit",
    "BenefitKind",
    "Combination",
    "EqualTreatment",
    "Frequency",
    "NotApplied",
    "RuleGroup",
    "Source",
]


@attrs.frozen(kw_only=True)
class Source:
    """Where a rule comes from: the plan's section and its verbatim words."""

    #: The section of the plan, as the plan numbers it: ``二(一)1``.
    section: str
    #: The plan's own words, verbatim (Chinese in every locale: it is the legal text).
    quote: str
    #: An English gloss of the quote, for readers of English.
    gloss: str | None = None
    #: Which reading was chosen where the text is ambiguous, and why.
    interpretation: Text | None = None

    def cite(self) -> Message:
        """``二(一)1 “quote”`` — the citation shown in explanations and errors."""
        return _("section {section}: “{quote}”", section=self.section, quote=self.quote)

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The source as JSON."""
        return {
            "section": self.section,
            "quote": self.quote,
            "gloss": self.gloss,
            "interpretation": (
                self.interpretation.render(locale) if self.interpretation is not None else None
            ),
        }


class BenefitKind(enum.Enum):
    """What a rule gives."""

    #: Money paid to the student.
    CASH = "cash"
    #: Fees the student does not pay.
    WAIVER = "waiver"
    #: Aid the plan names without stating an amount.
    UNQUANTIFIED = "unquantified"


class Frequency(enum.Enum):
    """How often cash aid is paid."""

    PER_YEAR = "per_year"
    ONCE = "once"

    @property
    def label(self) -> Message:
        """The frequency in words, translatable."""
        return _("per year") if self is Frequency.PER_YEAR else _("once")


#: Names of the fees that plans commonly waive; other fee ids are shown as they are.
FEE_LABELS: Mapping[str, Message] = {
    "textbook": _("textbook fee"),
    "boarding": _("boarding fee"),
    "tuition": _("tuition fee"),
    "accommodation": _("accommodation fee"),
    "books": _("book fee"),
}


def fee_label(fee: str) -> Message:
    """The translatable name of fee ``fee`` (its id when the fee is not a known one)."""
    return FEE_LABELS.get(fee) or Message(fee)


@attrs.frozen(kw_only=True)
class Benefit:
    """What a rule gives: cash (an amount and how often), a fee waiver, or unquantified aid."""

    kind: BenefitKind
    #: Yuan, exact to the fen; only for cash.
    amount: Decimal | None = None
    #: Only for cash.
    frequency: Frequency | None = None
    #: Fee ids waived; only for waivers.
    waives: frozenset[str] = frozenset()
    #: What the aid is, for unquantified aid.
    description: Text | None = None

    def describe(self) -> Message:
        """The benefit in words: ``CN¥500.00 per year``."""
        if self.kind is BenefitKind.CASH:
            assert self.amount is not None
            assert self.frequency is not None
            return _("{amount} {frequency}", amount=self.amount, frequency=self.frequency.label)
        if self.kind is BenefitKind.WAIVER:
            fees = sorted(self.waives)
            text = fee_label(fees[0])
            for fee in fees[1:]:
                text = _("{left} and {right}", left=text, right=fee_label(fee))
            return _("waives the {fees}", fees=text)
        if self.description is not None:
            return _("{description} (the plan states no amount)", description=self.description)
        return _("aid without a stated amount")


class Combination(enum.Enum):
    """How the rules of a group combine when several apply."""

    #: Exactly one may apply; a rule declares which others it overrides.
    ONE_WINS = "one_wins"
    #: All that apply are given.
    STACK = "stack"


@attrs.frozen(kw_only=True)
class RuleGroup:
    """Rules that compete for the same student, and how they combine."""

    id: str
    name: Text
    combination: Combination
    #: Why the rules combine this way, where the plan does not say.
    interpretation: Text | None = None


@attrs.frozen(kw_only=True)
class AidRule:
    """One rule of an aid schedule."""

    id: str
    name: Text
    when: Condition
    benefit: Benefit
    source: Source
    #: The group this rule competes in, if any.
    group: str | None = None
    #: Ids of rules of the same ``one_wins`` group that this rule overrides.
    overrides: frozenset[str] = frozenset()


@attrs.frozen(kw_only=True)
class EqualTreatment:
    """A household status that must not change the aid of students in ``stages``.

    The plan says, for instance, that children of migrant workers receive the same
    aid as local children.  Plans are checked on load: no rule that can apply in
    ``stages`` may mention ``status``.
    """

    id: str
    name: Text
    status: Household
    stages: frozenset[Stage]
    source: Source


@attrs.frozen(kw_only=True)
class AidSchedule:
    """The aid rules of one plan."""

    rules: tuple[AidRule, ...]
    groups: tuple[RuleGroup, ...] = ()
    equal_treatment: tuple[EqualTreatment, ...] = ()

    def rule(self, rule_id: str) -> AidRule:
        """The rule with id ``rule_id``."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def group(self, group_id: str) -> RuleGroup:
        """The group with id ``group_id``."""
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)


@attrs.frozen(kw_only=True)
class AidItem:
    """One rule that applied to the student."""

    rule: AidRule
    #: The title of the plan section the rule comes from, where the plan names it.
    section_title: Text | None = None

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def kind(self) -> BenefitKind:
        return self.rule.benefit.kind

    @property
    def amount(self) -> Decimal | None:
        return self.rule.benefit.amount

    @property
    def frequency(self) -> Frequency | None:
        return self.rule.benefit.frequency

    @property
    def waives(self) -> frozenset[str]:
        return self.rule.benefit.waives

    @property
    def source(self) -> Source:
        return self.rule.source

    @property
    def explanation(self) -> Message:
        """One line: the rule, what it gives and why it applies."""
        return _(
            "{name}: {benefit}, because {conditions}",
            name=self.rule.name,
            benefit=self.rule.benefit.describe(),
            conditions=self.rule.when.describe(),
        )

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The item in the JSON shape of ``DESIGN.md``."""
        benefit = self.rule.benefit
        return {
            "rule": self.rule.id,
            "name": self.rule.name.render(locale),
            "kind": benefit.kind.value,
            "amount": f"{benefit.amount:.2f}" if benefit.amount is not None else None,
            "frequency": benefit.frequency.value if benefit.frequency is not None else None,
            "waives": sorted(benefit.waives),
            "source": {
                **self.rule.source.to_json(locale),
                "section_title": (
                    self.section_title.render(locale) if self.section_title is not None else None
                ),
            },
            "explanation": self.explanation.render(locale),
        }


@attrs.frozen(kw_only=True)
class NotApplied:
    """A rule that did not apply, and the condition that failed."""

    rule: AidRule
    reason: Message

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The rule id, its name, why it did not apply, and its source section."""
        return {
            "rule": self.rule.id,
            "name": self.rule.name.render(locale),
            "reason": self.reason.render(locale),
            "section": self.rule.source.section,
        }


@attrs.frozen(kw_only=True)
class AidResult:
    """The aid one student receives under the plan in force on a date.

    ``cash_total`` is the cash of the school year the record describes: the yearly
    amounts plus any one-time amount paid in that year.
    """

    region: str
    plan: str
    on: _dt.date
    student_id: str | None
    cash_total: Decimal
    waivers: tuple[str, ...]
    items: tuple[AidItem, ...]
    #: Provisions of equal treatment that cover this student.
    notes: tuple[EqualTreatment, ...] = ()
    #: Rules that did not apply, with the reason; ``None`` unless asked for.
    not_applied: tuple[NotApplied, ...] | None = None
    currency: str = "CNY"

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The result in the JSON shape of ``DESIGN.md``, texts in ``locale``."""
        data: dict[str, Any] = {
            "region": self.region,
            "plan": self.plan,
            "on": self.on.isoformat(),
            "id": self.student_id,
            "currency": self.currency,
            "cash_total": f"{self.cash_total:.2f}",
            "waivers": list(self.waivers),
            "items": [item.to_json(locale) for item in self.items],
            "notes": [
                {
                    "id": note.id,
                    "name": note.name.render(locale),
                    "source": note.source.to_json(locale),
                }
                for note in self.notes
            ],
        }
        if self.not_applied is not None:
            data["not_applied"] = [entry.to_json(locale) for entry in self.not_applied]
        return data


def evaluate_schedule(
    schedule: AidSchedule,
    student: Student,
    *,
    region: str,
    plan: str,
    on: _dt.date,
    explain: bool = False,
    locale: str | None = None,
    sections: Mapping[str, Text] | None = None,
) -> AidResult:
    """Apply ``schedule`` to ``student``: a pure function of its arguments."""
    applied: list[AidRule] = []
    failed: list[NotApplied] = []
    for rule in schedule.rules:
        if rule.when.holds(student):
            applied.append(rule)
        elif explain:
            reason = rule.when.why_not(student)
            failed.append(NotApplied(rule=rule, reason=reason or _("its condition does not hold")))

    applied = _resolve_groups(schedule, applied, failed if explain else None, locale)

    total = Decimal(0)
    waived: set[str] = set()
    for rule in applied:
        benefit = rule.benefit
        if benefit.amount is not None and benefit.kind is BenefitKind.CASH:
            total += benefit.amount
        waived.update(benefit.waives)

    notes = tuple(
        provision
        for provision in schedule.equal_treatment
        if provision.status in student.household and student.stage in provision.stages
    )
    if explain:
        order = {rule.id: index for index, rule in enumerate(schedule.rules)}
        failed.sort(key=lambda entry: order[entry.rule.id])
    return AidResult(
        region=region,
        plan=plan,
        on=on,
        student_id=student.id,
        cash_total=total.quantize(FEN),
        waivers=tuple(sorted(waived)),
        items=tuple(
            AidItem(rule=rule, section_title=(sections or {}).get(rule.source.section))
            for rule in applied
        ),
        notes=notes,
        not_applied=tuple(failed) if explain else None,
    )


def _resolve_groups(
    schedule: AidSchedule,
    applied: list[AidRule],
    failed: list[NotApplied] | None,
    locale: str | None,
) -> list[AidRule]:
    def conflict(group_id: str, winners: list[AidRule]) -> Exception:
        first, second = winners[0], winners[1]
        return RuleConflictError(
            _(
                "Rules {first} ({first_source}) and {second} ({second_source}) of group "
                "{group} both apply to this student and neither overrides the other",
                first=first.id,
                first_source=first.source.cite(),
                second=second.id,
                second_source=second.source.cite(),
                group=group_id,
            ),
            [rule.id for rule in winners],
            locale=locale,
        )

    one_wins = {g.id for g in schedule.groups if g.combination is Combination.ONE_WINS}
    kept, losers = resolve_one_wins(one_wins, applied, conflict)
    if failed is not None:
        failed.extend(
            NotApplied(
                rule=rule, reason=_("overridden by rule {winner}", winner=losers[rule.id].id)
            )
            for rule in applied
            if rule.id in losers
        )
    return kept
