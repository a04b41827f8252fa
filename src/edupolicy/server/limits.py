"""The largest requests the service reads."""

from __future__ import annotations

from typing import Final

import attrs

__all__ = ["MIB", "Limits"]

#: A mebibyte, in bytes.
MIB: Final = 1024 * 1024


def _positive(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number of bytes, 1 or more")


@attrs.frozen(kw_only=True)
class Limits:
    """The largest requests the service reads, in bytes.

    ``body``: the body of a request that holds one document (a record, a list of
    candidates or awards, figures), and each line of a roster.  ``roster``: the whole
    body of a roster.  A larger request is answered 413.
    """

    body: int = attrs.field(default=MIB, validator=_positive)
    roster: int = attrs.field(default=64 * MIB, validator=_positive)
