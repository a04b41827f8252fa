"""The caller's language: read from ``Accept-Language``, and named in the answer."""

from __future__ import annotations

import re
from typing import Final

from babel import negotiate_locale as _babel_negotiate
from starlette.requests import Request

from edupolicy.i18n import DEFAULT_LOCALE, supported_locale

__all__ = ["accept_language", "language_headers", "negotiate_locale"]


def negotiate_locale(header: str | None) -> str:
    """The locale of the answer, from an ``Accept-Language`` header.

    The header's language ranges are ranked by their quality (``q``, read as the HTTP
    standard writes it: ``0`` to ``1`` with at most three decimals; a range with any
    other ``q`` is left out) and Babel's :func:`babel.negotiate_locale` picks the first
    one served: ``zh-CN``, ``zh``, ``zh-Hans`` and the like are Chinese, ``en-*``
    English.  ``*``, or a header naming no language served, is English.  Only the first 32
    ranges are read; no header can make this fail.
    """
    if not header:
        return DEFAULT_LOCALE
    ranked: list[tuple[int, int, str]] = []
    for index, part in enumerate(header.split(",", _MAX_RANGES)[:_MAX_RANGES]):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1000
        for param in params:
            key, _sep, value = param.partition("=")
            if key.strip().lower() == "q":
                weight = _quality(value.strip())
        if tag and weight > 0:
            ranked.append((-weight, index, tag))
    preferred: list[str] = []
    for _weight, _index, tag in sorted(ranked):
        if tag == "*":
            break  # any language: the default, unless one served was preferred to it
        preferred.append(tag)
    found = _babel_negotiate(preferred, _SERVED_TAGS, sep="-")
    return (supported_locale(found) if found else None) or DEFAULT_LOCALE


#: How many language ranges of an ``Accept-Language`` header are read.
_MAX_RANGES: Final = 32
#: The language tags Babel matches a header's ranges against, each naming a locale served.
_SERVED_TAGS: Final = ("en", "zh", "zh-CN", "zh-Hans", "zh-SG")
# A quality value as HTTP writes one (RFC 9110, 12.4.2): 0 to 1, at most three decimals.
_QUALITY: Final = re.compile(r"(?:0(?:\.([0-9]{0,3}))?|1(?:\.0{0,3})?)")


def _quality(text: str) -> int:
    """A quality value in thousandths; 0 (left out) for one HTTP does not allow."""
    match = _QUALITY.fullmatch(text)
    if match is None:
        return 0
    if text.startswith("1"):
        return 1000
    return int((match.group(1) or "").ljust(3, "0"))


def _content_language(locale: str) -> str:
    return locale.replace("_", "-")


def language_headers(locale: str) -> dict[str, str]:
    """The headers that name the language of an answer in ``locale``."""
    return {"Content-Language": _content_language(locale), "Vary": "Accept-Language"}


def accept_language(request: Request) -> str | None:
    """The ``Accept-Language`` header of ``request``, if it has one."""
    return request.headers.get("accept-language")
