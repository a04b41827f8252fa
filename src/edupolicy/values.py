"""Plain values every domain shares: money, how often it is paid, and school areas.

The enum values are part of the public JSON vocabulary of ``DESIGN.md``; they may be
added to, never renamed.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from edupolicy.decimals import exact
from edupolicy.errors import FieldProblem, InvalidDataError
from edupolicy.i18n import Message, _

__all__ = [
    "FEN",
    "MAX_INT",
    "MAX_MONEY",
    "Frequency",
    "SchoolArea",
    "Word",
    "money",
    "parse_date",
]

#: One fen, the smallest unit of the yuan; every amount is a whole number of fen.
FEN: Final = Decimal("0.01")


#: The largest whole number the boundary admits (years, counts, days, sizes).
MAX_INT: Final = 10**9

#: The largest amount the boundary admits: just under a thousand trillion yuan.
MAX_MONEY: Final = Decimal("999999999999999.99")

_MONEY_TEXT = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")


class _WrongType(InvalidDataError, TypeError):
    """Money from a value of the wrong type: an :class:`InvalidDataError` and a ``TypeError``."""


def _repr(value: object) -> str:
    try:
        return repr(value)
    except Exception:  # a hostile __repr__ must not hide the error being reported
        return f"({type(value).__name__})"


@exact
def money(value: str | int | Decimal) -> Decimal:
    """An exact amount of yuan, to the fen, from a string, an integer or a ``Decimal``.

    A string is ASCII digits with an optional ``-`` and decimal point (no exponent, no
    separators).  Floats are refused: a float never becomes money.  A bad value raises
    :class:`~edupolicy.errors.InvalidDataError` (a ``ValueError``; for a value of the
    wrong type, also a ``TypeError``) that names the value.

    >>> money("1000")
    Decimal('1000.00')
    """
    heading = _("Invalid amount of money")
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise _WrongType(
            heading,
            [
                FieldProblem(
                    "$",
                    _repr(value),
                    _("money must be a str, int or Decimal, not {type}", type=type(value).__name__),
                )
            ],
        )
    if isinstance(value, str):
        text = value.strip()
        if not _MONEY_TEXT.match(text):
            raise InvalidDataError(
                heading, [FieldProblem("$", value, _("money must be a number of yuan"))]
            )
        amount = Decimal(text)
    else:
        amount = Decimal(value)
    # The value as given; a whole number too long to print is described when shown.
    shown: object = value if isinstance(value, (str, int)) else str(value)
    if not amount.is_finite():
        raise InvalidDataError(heading, [FieldProblem("$", shown, _("money must be finite"))])
    # copy_abs, unlike abs, does not round: no exponent is too large for it.
    if amount.copy_abs() > MAX_MONEY:
        raise InvalidDataError(
            heading,
            [FieldProblem("$", shown, _("money must be at most {max}", max=str(MAX_MONEY)))],
        )
    quantized = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    if quantized != amount:
        raise InvalidDataError(
            heading, [FieldProblem("$", shown, _("money is counted in whole fen"))]
        )
    return quantized


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: str) -> _dt.date | None:
    """An ISO ``YYYY-MM-DD`` date, or ``None`` for anything else."""
    if not _DATE.fullmatch(value):
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


class Word(enum.Enum):
    """Base of the enums of the JSON vocabulary whose members are looked up by the
    thousand (a stage, a school area, a household status, a title).

    ``enum.Enum`` hashes a member by its name in Python code on every dict or set
    lookup; members are singletons compared by identity, so hashing by identity gives
    the same sets and mappings, at the speed of ``object``.
    """

    __hash__ = object.__hash__


class Frequency(enum.Enum):
    """How often money is paid."""

    PER_YEAR = "per_year"
    ONCE = "once"

    @property
    def label(self) -> Message:
        """The frequency in words, translatable."""
        return _("per year") if self is Frequency.PER_YEAR else _("once")


class SchoolArea(Word):
    """Whether a school is urban or rural."""

    URBAN = "urban"
    RURAL = "rural"

    @property
    def label(self) -> Message:
        """The area's name, translatable."""
        return _("urban") if self is SchoolArea.URBAN else _("rural")
