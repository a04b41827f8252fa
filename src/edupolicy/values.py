"""Plain values every domain shares: money, how often it is paid, and school areas.

The enum values are part of the public JSON vocabulary of ``DESIGN.md``; they may be
added to, never renamed.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from edupolicy.i18n import Message, _

__all__ = ["FEN", "Frequency", "SchoolArea", "money", "parse_date"]

#: One fen, the smallest unit of the yuan; every amount is a whole number of fen.
FEN: Final = Decimal("0.01")


def money(value: str | int | Decimal) -> Decimal:
    """An exact amount of yuan, to the fen, from a string, an integer or a ``Decimal``.

    Floats are refused: a float never becomes money.

    >>> money("1000")
    Decimal('1000.00')
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise TypeError(f"money must be a str, int or Decimal, not {type(value).__name__}")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"money must be a number of yuan, not {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"money must be finite, not {value!r}")
    quantized = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    if quantized != amount:
        raise ValueError(f"money is counted in whole fen, not {value!r}")
    return quantized


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_date(value: str) -> _dt.date | None:
    """An ISO ``YYYY-MM-DD`` date, or ``None`` for anything else."""
    if not _DATE.match(value):
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


class Frequency(enum.Enum):
    """How often money is paid."""

    PER_YEAR = "per_year"
    ONCE = "once"

    @property
    def label(self) -> Message:
        """The frequency in words, translatable."""
        return _("per year") if self is Frequency.PER_YEAR else _("once")


class SchoolArea(enum.Enum):
    """Whether a school is urban or rural."""

    URBAN = "urban"
    RURAL = "rural"

    @property
    def label(self) -> Message:
        """The area's name, translatable."""
        return _("urban") if self is SchoolArea.URBAN else _("rural")
