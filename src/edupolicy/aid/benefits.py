"""What an aid rule gives: one class per kind of benefit.

Plan files state a benefit as a table tagged by ``kind``: ``cash`` (an amount and how
often it is paid), ``waiver`` (fees the student does not pay) or ``unquantified`` (aid
the plan names without an amount).  A benefit of one kind cannot carry the fields of
another: the plan reader rejects them by path.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar, TypeAlias

import attrs

from edupolicy.errors import field_check
from edupolicy.i18n import Message, Text, _
from edupolicy.rules.writing import Written
from edupolicy.values import Frequency

__all__ = [
    "Benefit",
    "BenefitKind",
    "Cash",
    "Unquantified",
    "Waiver",
    "fee_label",
]


class BenefitKind(enum.Enum):
    """What a rule gives."""

    #: Money paid to the student.
    CASH = "cash"
    #: Fees the student does not pay.
    WAIVER = "waiver"
    #: Aid the plan names without stating an amount.
    UNQUANTIFIED = "unquantified"


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
class Cash(Written):
    """Money paid to the student: ``amount`` yuan, ``frequency``."""

    kind: ClassVar[BenefitKind] = BenefitKind.CASH
    waives: ClassVar[frozenset[str]] = frozenset()

    #: Yuan, exact to the fen.
    amount: Decimal = attrs.field(
        metadata={"json": {"positive": True}},
        validator=field_check(
            lambda _self, v: v > 0, lambda *_args: _("an amount of aid must be more than zero")
        ),
    )
    frequency: Frequency

    def describe(self) -> Message:
        """``CN¥500.00 per year``."""
        return _("{amount} {frequency}", amount=self.amount, frequency=self.frequency.label)


@attrs.frozen(kw_only=True)
class Waiver(Written):
    """Fees the student does not pay."""

    kind: ClassVar[BenefitKind] = BenefitKind.WAIVER
    amount: ClassVar[None] = None
    frequency: ClassVar[None] = None

    #: Fee ids waived (``textbook``, ``boarding``…).
    waives: frozenset[str] = attrs.field(
        metadata={"json": {"min_items": 1}},
        validator=field_check(
            lambda _self, v: bool(v), lambda *_args: _("a waiver must name the fees it waives")
        ),
    )

    def describe(self) -> Message:
        """``waives the textbook fee and boarding fee``."""
        fees = sorted(self.waives)
        text = fee_label(fees[0])
        for fee in fees[1:]:
            text = _("{left} and {right}", left=text, right=fee_label(fee))
        return _("waives the {fees}", fees=text)


@attrs.frozen(kw_only=True)
class Unquantified(Written):
    """Aid the plan names without stating an amount."""

    kind: ClassVar[BenefitKind] = BenefitKind.UNQUANTIFIED
    amount: ClassVar[None] = None
    frequency: ClassVar[None] = None
    waives: ClassVar[frozenset[str]] = frozenset()

    #: What the aid is.
    description: Text | None = None

    def describe(self) -> Message:
        """The aid, and that the plan states no amount."""
        if self.description is not None:
            return _("{description} (the plan states no amount)", description=self.description)
        return _("aid without a stated amount")


#: What an aid rule gives: one of the kinds above, read by its ``kind`` tag.
Benefit: TypeAlias = Cash | Waiver | Unquantified
