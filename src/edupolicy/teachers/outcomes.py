"""What an incentive rule earns a teacher: one class per kind of outcome.

Plan files state an outcome as a table tagged by ``kind``; an outcome of one kind
cannot carry the fields of another, and the plan reader rejects them by path.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any, ClassVar, TypeAlias

import attrs

from edupolicy.errors import MISSING, FieldProblem, InvalidRecordError, field_check
from edupolicy.i18n import Message, Text, _
from edupolicy.rules.writing import Written
from edupolicy.teachers.service import Title
from edupolicy.values import Frequency

__all__ = [
    "Allowance",
    "Outcome",
    "OutcomeKind",
    "Priority",
    "Programme",
    "Recognition",
    "RelaxedHonours",
    "TitleExemption",
]


class OutcomeKind(enum.Enum):
    """What an incentive rule earns a teacher."""

    #: Evaluation for a title at ``level`` outside the post quota (不受岗位职数的限制).
    TITLE_EXEMPTION = "title_exemption"
    #: A tier of recognition or encouragement.
    RECOGNITION = "recognition"
    #: Eligibility for a named programme, which may have a quota.
    PROGRAMME = "programme"
    #: Relaxed conditions when named honours are awarded.
    RELAXED_HONOURS = "relaxed_honours"
    #: Priority in something the plan names, without a number (倾斜).
    PRIORITY = "priority"
    #: An allowance, with or without a stated amount.
    ALLOWANCE = "allowance"


class _Fields(Written):
    """What every outcome has: its kind, and words for it."""

    __slots__ = ()
    kind: ClassVar[OutcomeKind]

    def describe(self) -> Message | Text:
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class TitleExemption(_Fields):
    """Evaluation for a title at ``level`` outside the post quota."""

    kind: ClassVar[OutcomeKind] = OutcomeKind.TITLE_EXEMPTION

    level: Title = attrs.field(
        metadata={"json": {"exclude": (Title.NONE,)}},
        validator=field_check(
            lambda _self, v: v is not Title.NONE,
            lambda *_args: _("must be a title: junior or higher"),
        ),
    )
    description: Text | None = None

    def describe(self) -> Message:
        return _("{level} evaluation outside the post quota", level=self.level.label)


@attrs.frozen(kw_only=True)
class Recognition(_Fields):
    """A tier of recognition or encouragement."""

    kind: ClassVar[OutcomeKind] = OutcomeKind.RECOGNITION

    description: Text

    def describe(self) -> Text:
        return self.description


@attrs.frozen(kw_only=True)
class Programme(_Fields):
    """Eligibility for programme ``programme`` (a quota of the same id may limit it)."""

    kind: ClassVar[OutcomeKind] = OutcomeKind.PROGRAMME

    programme: str
    description: Text

    def describe(self) -> Text:
        return self.description


@attrs.frozen(kw_only=True)
class RelaxedHonours(_Fields):
    """Relaxed conditions when the named ``honours`` are awarded."""

    kind: ClassVar[OutcomeKind] = OutcomeKind.RELAXED_HONOURS

    honours: tuple[Text, ...] = attrs.field(
        metadata={"json": {"min_items": 1}},
        validator=field_check(
            lambda _self, v: bool(v),
            lambda *_args: _(
                "an outcome of kind {kind} needs the field {field}",
                kind=OutcomeKind.RELAXED_HONOURS.value,
                field="honours",
            ),
        ),
    )
    description: Text | None = None

    def describe(self) -> Message:
        text: Message | Text = self.honours[0]
        for honour in self.honours[1:]:
            text = _("{left}, {right}", left=text, right=honour)
        return _("relaxed conditions for the honours: {honours}", honours=text)


@attrs.frozen(kw_only=True)
class Priority(_Fields):
    """Priority in something the plan names, without a number."""

    kind: ClassVar[OutcomeKind] = OutcomeKind.PRIORITY

    description: Text

    def describe(self) -> Text:
        return self.description


def _amount_and_frequency(instance: Any, _attribute: object, frequency: object) -> None:
    """Validator of :attr:`Allowance.frequency`: both it and the amount, or neither."""
    if (instance.amount is None) == (frequency is None):
        return
    missing = "frequency" if frequency is None else "amount"
    raise InvalidRecordError(
        _("Invalid value"),
        [
            FieldProblem(
                f"$.{missing}",
                MISSING,
                _("an allowance needs both an amount and a frequency, or neither"),
            )
        ],
    )


@attrs.frozen(kw_only=True)
class Allowance(_Fields):
    """An allowance: with an amount and how often it is paid, or without either."""

    kind: ClassVar[OutcomeKind] = OutcomeKind.ALLOWANCE

    description: Text
    #: Yuan, where the plan states an amount.
    amount: Decimal | None = attrs.field(
        metadata={"json": {"positive": True}},
        default=None,
        validator=field_check(
            lambda _self, v: v is None or v > 0,
            lambda *_args: _("an amount must be more than zero"),
        ),
    )
    frequency: Frequency | None = attrs.field(default=None, validator=_amount_and_frequency)

    def describe(self) -> Message:
        if self.amount is not None and self.frequency is not None:
            return _(
                "{description}: {amount} {frequency}",
                description=self.description,
                amount=self.amount,
                frequency=self.frequency.label,
            )
        return _("{description} (the plan states no amount)", description=self.description)


#: What an incentive rule earns: one of the kinds above, read by its ``kind`` tag.
Outcome: TypeAlias = (
    TitleExemption | Recognition | Programme | RelaxedHonours | Priority | Allowance
)
