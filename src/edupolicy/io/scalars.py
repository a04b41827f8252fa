"""The converter's hooks for single values: strict, with our own limits and messages.

Nothing is coerced: ``"false"`` is not a bool, ``"3"`` and ``2.5`` are not a year.
Each hook raises :class:`~edupolicy.io._problems.Bad` with a message that says what
the value must be.  :mod:`edupolicy.io.convert` registers them.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import cattrs

from edupolicy.i18n import Message, _
from edupolicy.io._problems import Bad, bad, relative
from edupolicy.values import MAX_INT, money, parse_date

__all__ = [
    "MAX_QUANTITY",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "collection_hook",
    "enum_hook",
    "mapping",
    "structure_bool",
    "structure_calendar_year",
    "structure_date",
    "structure_id",
    "structure_int",
    "structure_money",
    "structure_percent",
    "structure_quantity",
    "structure_str",
    "structure_year",
]


def structure_bool(value: object, _type: object = bool) -> bool:
    if isinstance(value, bool):
        return value
    raise bad(value, _("must be true or false"))


def structure_int(value: object, _type: object = int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) <= MAX_INT:
            return value
        raise bad(value, _("must be a whole number of at most {max}", max=MAX_INT))
    raise bad(value, _("must be a whole number"))


def structure_year(value: object, _type: object) -> int:
    number = structure_int(value)
    if number < 1:
        raise bad(value, _("must be 1 or more (years are counted from 1)"))
    return number


def structure_calendar_year(value: object, _type: object) -> int | None:
    """A year a calendar date can have: a figure reported for it falls on its 31 December."""
    if value is None:
        return None
    number = structure_int(value)
    if not 1 <= number <= 9999:
        raise bad(value, _("must be a year from 1 to 9999"))
    return number


def structure_str(value: object, _type: object) -> str:
    if isinstance(value, str):
        return value
    raise bad(value, _("must be a string"))


def structure_id(value: object, _type: object) -> str | None:
    if value is None:
        return None
    text = structure_str(value, str)
    if not text.strip():
        raise bad(value, _("must not be empty"))
    return text


# Matched with fullmatch: "$" would let a final newline through, and Decimal would read it.
MONEY = re.compile(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?")


def structure_money(value: object, _type: object) -> Decimal:
    if isinstance(value, Decimal) and value.is_finite():
        try:
            return money(value)
        except ValueError:
            pass
    elif isinstance(value, str) and MONEY.fullmatch(value):
        return money(value)
    raise bad(value, _('must be a string of yuan with at most two decimals, like "1000.00"'))


def structure_date(value: object, _type: object) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    raise bad(value, _("must be a date written YYYY-MM-DD"))


def enum_hook(enum_type: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    by_value = {member.value: member for member in enum_type}
    allowed = ", ".join(str(v) for v in by_value)

    def hook(value: object, _type: object) -> enum.Enum:
        if isinstance(value, str):
            found = by_value.get(value)
            if found is not None:
                return found
        raise bad(value, _("must be one of: {allowed}", allowed=allowed))

    return hook


def collection_hook(converter: cattrs.Converter, type_: Any) -> Callable[[object, object], Any]:
    origin = typing.get_origin(type_)
    (item_type, *_rest) = typing.get_args(type_)
    item_hook = converter.get_structure_hook(item_type)
    unique = origin is frozenset

    def hook(value: object, _type: object) -> Any:
        if not isinstance(value, (list, tuple)):
            raise bad(value, _("must be a list"))
        items: list[Any] = []
        found: list[tuple[str, object, Message]] = []
        seen: set[Any] = set()
        for index, raw in enumerate(value):
            try:
                item = item_hook(raw, item_type)
            except Exception as exc:
                found.extend((f"[{index}]{sub}", v, m) for sub, v, m in relative(exc, raw))
                continue
            if unique and item in seen:
                found.append((f"[{index}]", raw, _("listed more than once")))
            seen.add(item)
            items.append(item)
        if found:
            raise Bad(found)
        return frozenset(items) if unique else tuple(items)

    return hook


QUANTITY = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]{1,4})?")
#: Measured values stay below a thousand trillion.
MAX_QUANTITY = 10**15


def structure_quantity(value: object, _type: object) -> Decimal:
    """A measured value: a whole number, or a string of digits with up to 4 decimals."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        number = Decimal(value) if value < MAX_QUANTITY else None
    elif isinstance(value, str) and QUANTITY.fullmatch(value):
        number = Decimal(value) if len(value.split(".")[0]) <= 15 else None
    else:
        raise bad(
            value,
            _('must be a whole number or a string of digits with up to 4 decimals, like "98.7"'),
        )
    if number is None or number >= MAX_QUANTITY:
        raise bad(value, _("must be less than {max}", max=MAX_QUANTITY))
    return number


PERCENT = re.compile(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,4})?")


def structure_percent(value: object, _type: object) -> Decimal:
    if isinstance(value, str) and PERCENT.fullmatch(value):
        return Decimal(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return Decimal(value)
    raise bad(value, _('must be a percentage written as a string, like "30"'))


def mapping(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise bad(value, _("must be a JSON object"))
    return value


#: The readers a field's metadata can name (``metadata={"json": {"read": "year"}}``),
#: for a value its type alone does not say how to read.
READERS: Final[Mapping[str, Callable[[object, object], object]]] = {
    "year": structure_year,
    "id": structure_id,
    "quantity": structure_quantity,
    "percent": structure_percent,
    "calendar_year": structure_calendar_year,
}
