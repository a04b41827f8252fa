"""The figures a piece of plan text states, for the audit's ``quote-number`` check.

:func:`figures` reads every number of a quote (or of an interpretation) in the forms
plans write them, and :func:`states` says whether a value of plan data is one of them:

- Arabic numerals, with decimals (``98.7``) and thousands separators (``1,000``);
  a comma between digits may also separate two figures (``本科6000元,专科5000元``),
  so both readings are kept;
- a multiplier after the digits, with an optional ``余`` or ``多`` (more than)
  before or after it: ``78410万元`` is 784,100,000, ``1000余万元`` is 10,000,000,
  ``1.2亿元`` is 120,000,000.  A figure written with a multiplier stands only for its
  scaled value: ``78410万元`` does not state 78,410 yuan;
- percentages: ``30%``.  Figures side by side are read apart: ``100%99%以上`` states
  100% and 99%;
- Chinese numerals that count something, that is, followed by a measure word:
  ``三年``, ``两年``, ``十五年``, ``二十名``, ``一百零八人``.  A Chinese numeral
  before anything else is a name or a rank, not a figure (``一类园``, ``三级联动``,
  ``“十三五”``, ``一对一``), and is not read.  A run of digits alone
  (``二〇二〇年``) is read digit by digit;
- a date (``2018年8月30日``, ``12月31日``) states no figure and is not read.

Full-width digits and signs (``１２％``) are read as their ASCII forms.  Numbers are
compared as :class:`~decimal.Decimal`, so ``500.00`` is stated by ``500元``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal

import attrs

__all__ = ["Figure", "figures", "states"]


@attrs.frozen
class Figure:
    """One number that a text states, in plain units (yuan, not 万元)."""

    value: Decimal
    #: Whether the text writes it as a percentage.
    percent: bool = False


_SCALES = {"万": 4, "亿": 8, "万亿": 12}

_ARABIC = re.compile(
    r"(?P<number>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)"
    r"(?:[余多]?(?P<scale>万亿|亿|万)[余多]?)?"
    r"(?P<percent>%)?"
)

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}

#: Measure words after which a Chinese numeral counts something.
_MEASURES = "年名所个人元次天周岁项位批户间张台套届节班"

#: A date (``2018年8月30日``, ``12月31日``): its numbers are not figures.
_DATE = re.compile(r"(?:[0-9]+年)?[0-9]{1,2}月[0-9]{1,2}日")

_CHINESE = re.compile(rf"(?P<number>[零〇一二两三四五六七八九十百千万亿]+)[余多]?(?=[{_MEASURES}])")


def _chinese_value(numeral: str) -> int:
    """The value of a Chinese numeral: ``十五`` 15, ``二十`` 20, ``一百零八`` 108."""
    if len(numeral) > 1 and all(ch in _DIGITS for ch in numeral):
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total = section = digit = 0
    for ch in numeral:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            total = (total + section + digit) * _BIG[ch]
            section = digit = 0
    return total + section + digit


def _arabic(text: str) -> set[Figure]:
    found: set[Figure] = set()
    for match in _ARABIC.finditer(text):
        number = match["number"]
        exponent = _SCALES[match["scale"]] if match["scale"] else 0
        percent = match["percent"] is not None
        readings = {number.replace(",", "")}
        if "," in number:
            # "6000,5000" may be two figures, not one with a separator.
            readings.update(part for part in number.split(",") if not part.startswith("0"))
        for reading in readings:
            found.add(Figure(Decimal(f"{reading}E{exponent}"), percent=percent))
    return found


@functools.lru_cache(maxsize=1024)
def figures(text: str) -> frozenset[Figure]:
    """Every figure that ``text`` states."""
    text = _DATE.sub(" ", unicodedata.normalize("NFKC", text))
    found = _arabic(text)
    for match in _CHINESE.finditer(text):
        numeral = match["number"]
        # 万 or 千 alone ("万人", "千名") is a word, not a figure.
        if any(ch in _DIGITS for ch in numeral) or numeral.startswith("十"):
            found.add(Figure(Decimal(_chinese_value(numeral))))
    return frozenset(found)


def states(text: str, value: Decimal, *, percent: bool = False) -> bool:
    """Whether ``text`` states ``value``, as a percentage when ``percent``.

    A percentage is stated only by a figure written with ``%``; any other value only by
    a figure written without it.
    """
    return Figure(value, percent=percent) in figures(text)
