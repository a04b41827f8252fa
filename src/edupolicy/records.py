"""Records and vocabulary: what a host sends in, and the words of the JSON boundary.

The enum values are the public JSON vocabulary of ``DESIGN.md``; they may be added to,
never renamed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

import attrs

from edupolicy.i18n import Message, _

__all__ = [
    "COMPULSORY_STAGES",
    "FEN",
    "Household",
    "SchoolArea",
    "Stage",
    "Student",
    "money",
]

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


class Stage(enum.Enum):
    """Stage of education a student is in."""

    PRESCHOOL = "preschool"
    PRIMARY = "primary"
    JUNIOR_SECONDARY = "junior_secondary"
    SENIOR_SECONDARY = "senior_secondary"
    SECONDARY_VOCATIONAL = "secondary_vocational"
    #: 本科, including 民族预科.
    UNDERGRADUATE = "undergraduate"
    #: 高职 / 专科.
    VOCATIONAL_COLLEGE = "vocational_college"

    @property
    def label(self) -> Message:
        """The stage's name, translatable."""
        return _STAGE_LABELS[self]


_STAGE_LABELS: Mapping[Stage, Message] = {
    Stage.PRESCHOOL: _("preschool"),
    Stage.PRIMARY: _("primary school"),
    Stage.JUNIOR_SECONDARY: _("junior secondary school"),
    Stage.SENIOR_SECONDARY: _("senior secondary school"),
    Stage.SECONDARY_VOCATIONAL: _("secondary vocational school"),
    Stage.UNDERGRADUATE: _("undergraduate"),
    Stage.VOCATIONAL_COLLEGE: _("vocational college"),
}

#: The stages of compulsory education (义务教育).
COMPULSORY_STAGES: Final = frozenset({Stage.PRIMARY, Stage.JUNIOR_SECONDARY})


class SchoolArea(enum.Enum):
    """Whether a school is urban or rural."""

    URBAN = "urban"
    RURAL = "rural"

    @property
    def label(self) -> Message:
        """The area's name, translatable."""
        return _("urban") if self is SchoolArea.URBAN else _("rural")


class Household(enum.Enum):
    """A status of the student's household."""

    #: 低保: the household receives the minimum living guarantee.
    DIBAO = "dibao"
    #: 建档立卡: registered poor household.
    REGISTERED_POOR = "registered_poor"
    #: 其他特困: other household in extreme hardship.
    OTHER_HARDSHIP = "other_hardship"
    #: 计划生育"少生快富"项目户: family-planning "fewer births, faster prosperity" household.
    SHAOSHENG_KUAIFU = "shaosheng_kuaifu"
    #: 进城务工: migrant worker household.
    MIGRANT_WORKER = "migrant_worker"

    @property
    def label(self) -> Message:
        """The status's name, translatable."""
        return _HOUSEHOLD_LABELS[self]


_HOUSEHOLD_LABELS: Mapping[Household, Message] = {
    Household.DIBAO: _("minimum-living-guarantee (dibao) household"),
    Household.REGISTERED_POOR: _("registered poor household"),
    Household.OTHER_HARDSHIP: _("other household in extreme hardship"),
    Household.SHAOSHENG_KUAIFU: _('"fewer births, faster prosperity" household'),
    Household.MIGRANT_WORKER: _("migrant worker household"),
}


@attrs.frozen(kw_only=True)
class Student:
    """A student as a host system describes one.

    Build one from JSON with :meth:`from_json`, which checks every field.
    """

    stage: Stage
    #: The year within the stage, counted from 1.
    year: int
    school_area: SchoolArea
    boarding: bool = False
    household: frozenset[Household] = frozenset()
    orphan: bool = False
    disabled: bool = False
    id: str | None = None

    @classmethod
    def from_json(cls, data: object, *, locale: str | None = None) -> Student:
        """A student from a JSON-shaped mapping, checked strictly.

        Every bad field is reported at once, by path and value, in one
        :class:`~edupolicy.errors.InvalidRecordError`.
        """
        from edupolicy._convert import structure_record

        return structure_record(data, cls, locale=locale, what=_("Invalid student record"))

    def to_json(self) -> dict[str, Any]:
        """The student in the JSON vocabulary of the boundary."""
        from edupolicy._convert import unstructure

        result: dict[str, Any] = unstructure(self)
        return result
