"""Translatable text: one gettext-style function for every user-facing string.

Every message that edupolicy shows a person is built once, through :func:`_` (or a
plugin's own factory from :func:`message_factory`), as a :class:`Message`: the
English ``msgid`` plus its parameters.  Nothing is translated when the message is
made; it is rendered in a locale only when a caller asks, with
:meth:`Message.render`.  Results and errors therefore stay locale-free data and the
same one can be shown in Chinese and in English.

Plan data carries its own bilingual text as :class:`Text` (a rule's name in
``zh_CN`` and ``en``), which renders the same way.
"""

from __future__ import annotations

import datetime as _dt
import functools
import gettext
import threading
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, Protocol, cast, runtime_checkable

import attrs

from edupolicy.decimals import exact

__all__ = [
    "DEFAULT_LOCALE",
    "SUPPORTED_LOCALES",
    "Area",
    "Count",
    "LocaleWarning",
    "Message",
    "Percent",
    "Renderable",
    "Text",
    "format_area",
    "format_count",
    "format_day",
    "format_money",
    "format_percent",
    "message_factory",
    "normalize_locale",
    "plural_message",
    "register_domain",
    "render",
    "supported_locale",
    "years",
]

#: The locale used when a caller does not choose one.
DEFAULT_LOCALE = "en"
#: Locales that edupolicy ships catalogues and texts for.
SUPPORTED_LOCALES: tuple[str, ...] = ("en", "zh_CN")

CORE_DOMAIN = "edupolicy"

_domains: dict[str, Path] = {CORE_DOMAIN: Path(__file__).parent / "locale"}
_cache: dict[tuple[str, str], gettext.NullTranslations] = {}
_lock = threading.Lock()


@runtime_checkable
class Renderable(Protocol):
    """Anything that can be shown to a person in a chosen locale."""

    def render(self, locale: str | None = None) -> str:
        """The text in ``locale`` (``None`` means :data:`DEFAULT_LOCALE`)."""
        ...


def register_domain(domain: str, localedir: Path) -> None:
    """Make the message catalogues of ``domain`` (one per plugin) findable.

    ``localedir`` holds ``<locale>/LC_MESSAGES/<domain>.mo`` files.
    """
    with _lock:
        _domains[domain] = localedir
        for key in [k for k in _cache if k[0] == domain]:
            del _cache[key]


def _translations(domain: str, locale: str) -> gettext.NullTranslations:
    key = (domain, locale)
    found = _cache.get(key)
    if found is not None:
        return found
    with _lock:
        localedir = _domains.get(domain)
        catalogue = None
        if localedir is not None and locale != "en":
            catalogue = gettext.find(domain, str(localedir), [locale])
        if catalogue is None:
            result = gettext.NullTranslations()
        else:
            with open(catalogue, "rb") as file:
                result = gettext.GNUTranslations(file)
        _cache[key] = result
        return result


class _Babel(NamedTuple):
    """The functions of Babel that format numbers and dates."""

    format_currency: Callable[..., str]
    format_date: Callable[..., str]
    format_decimal: Callable[..., str]
    format_percent: Callable[..., str]
    format_unit: Callable[..., str]


def _babel() -> _Babel:
    """Babel's formatting functions, imported when a number or a date is first shown.

    Deferred for start-up time: importing them is a noticeable part of what
    ``import edupolicy`` would otherwise take, and loading a policy formats nothing.
    Looked up again at each call (each formatted value is kept, so calls are few):
    kept functions would outlive a reload of Babel's modules, which some test runners
    make, and fail on the locale data the new modules read.
    """
    from babel.dates import format_date
    from babel.numbers import format_currency, format_decimal, format_percent
    from babel.units import format_unit

    return _Babel(format_currency, format_date, format_decimal, format_percent, format_unit)


class LocaleWarning(UserWarning):
    """A caller asked for a locale edupolicy does not support; English is used instead."""


def supported_locale(locale: str) -> str | None:
    """The supported locale that ``locale`` names, or ``None``.

    ``zh``, ``zh-CN``, ``zh_CN.UTF-8`` and ``zh_Hans`` name ``zh_CN``; ``en`` and
    ``en_US`` name ``en``.
    """
    if locale in SUPPORTED_LOCALES:
        return locale
    base = locale.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    lowered = base.lower()
    if lowered in ("zh", "zh_cn", "zh_hans", "zh_hans_cn", "zh_sg"):
        return "zh_CN"
    if lowered == "en" or lowered.startswith("en_"):
        return "en"
    return None


def normalize_locale(locale: str | None, *, warn: bool = True) -> str:
    """The supported locale that ``locale`` names; ``None`` is :data:`DEFAULT_LOCALE`.

    An unsupported locale falls back to English with a :class:`LocaleWarning`
    (unless ``warn`` is false); it never raises.
    """
    raw: object = locale
    # Never the truth of an object that is not a string: it may be anything.
    if raw is None or (isinstance(raw, str) and not raw):
        return DEFAULT_LOCALE
    found = supported_locale(raw) if isinstance(raw, str) else None
    if found is not None:
        return found
    if warn:
        warnings.warn(
            LocaleWarning(
                f"locale {_shown(locale)} is not supported; using {DEFAULT_LOCALE!r} "
                f"(supported: {', '.join(SUPPORTED_LOCALES)})"
            ),
            stacklevel=3,
        )
    return DEFAULT_LOCALE


def _shown(value: object) -> str:
    """``repr(value)``, or the name of its type when even that fails."""
    try:
        return repr(value)
    except Exception:  # a hostile __repr__, a whole number too long to print
        return f"({type(value).__name__})"


#: How many formatted values each formatter keeps.
_FORMATTED_LIMIT = 4096


def _remembered(function: Callable[[Any, str], str]) -> Callable[[Any, str], str]:
    """``function(value, locale)``, kept by value and (supported) locale: Babel's
    formatting costs far more than a rule's evaluation, and a plan's amounts are few.

    The key is exact: a ``Decimal`` by its digits and exponent (``98.7`` and ``98.70``
    are shown differently), anything else by its type and itself.  At most
    :data:`_FORMATTED_LIMIT` values are kept.
    """
    kept: dict[tuple[object, str], str] = {}

    @functools.wraps(function)
    def formatted(value: Any, locale: str) -> str:
        exact_value = value.as_tuple() if isinstance(value, Decimal) else (type(value), value)
        key = (exact_value, locale)
        found = kept.get(key)
        if found is None:
            found = function(value, locale)
            if len(kept) >= _FORMATTED_LIMIT:
                kept.clear()
            kept[key] = found
        return found

    return formatted


def format_money(amount: Decimal, locale: str | None = None) -> str:
    """Yuan in ``locale``'s way: ``CN¥1,000.00`` in English, ``¥1,000.00`` in Chinese.

    Formatted from the ``Decimal`` itself, never through a float.
    """
    return _money(amount, normalize_locale(locale))


@_remembered
@exact
def _money(amount: Decimal, locale: str) -> str:
    return _babel().format_currency(amount, "CNY", locale=locale)


def format_day(day: _dt.date, locale: str | None = None) -> str:
    """A date in ``locale``'s long form: ``August 30, 2018`` / ``2018年8月30日``."""
    return _day(day, normalize_locale(locale))


@_remembered
def _day(day: _dt.date, locale: str) -> str:
    return _babel().format_date(day, format="long", locale=locale)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def format_percent(value: Decimal, locale: str | None = None) -> str:
    """A percentage given in percent (``Decimal("98.7")`` → ``98.7%``).

    Shown with exactly the decimals of ``value``, the precision the plan states.
    """
    return _percent(value, normalize_locale(locale))


@_remembered
@exact
def _percent(value: Decimal, locale: str) -> str:
    places = _decimals(value)
    pattern = "#,##0" + ("." + "0" * places if places else "") + "%"
    return _babel().format_percent(value / 100, format=pattern, locale=locale)


def format_count(value: int | Decimal, locale: str | None = None) -> str:
    """A count with the locale's digit grouping: ``14,040``."""
    return _count(value, normalize_locale(locale))


@_remembered
@exact
def _count(value: int | Decimal, locale: str) -> str:
    return _babel().format_decimal(value, locale=locale)


def format_area(value: int | Decimal, locale: str | None = None) -> str:
    """An area in square metres: ``426,992 m²`` / ``426,992平方米``."""
    return _area(value, normalize_locale(locale))


@_remembered
@exact
def _area(value: int | Decimal, locale: str) -> str:
    return _babel().format_unit(value, "area-square-meter", length="short", locale=locale)


@attrs.frozen
class Percent:
    """A percentage to be shown in a message (``Decimal("98.7")`` is 98.7%)."""

    value: Decimal

    def render(self, locale: str | None = None) -> str:
        """The percentage in ``locale``."""
        return format_percent(self.value, locale)


@attrs.frozen
class Count:
    """A count to be shown in a message, with digit grouping."""

    value: int | Decimal

    def render(self, locale: str | None = None) -> str:
        """The count in ``locale``."""
        return format_count(self.value, locale)


@attrs.frozen
class Area:
    """An area in square metres to be shown in a message."""

    value: int | Decimal

    def render(self, locale: str | None = None) -> str:
        """The area in ``locale``."""
        return format_area(self.value, locale)


def render(value: object, locale: str | None = None) -> str:
    """Show one value in ``locale``: messages and texts are rendered, the rest printed plainly."""
    # What a runtime check against Renderable asks, without its cost (it walks the
    # protocol's members on every call): whether the value's type has ``render``.
    if callable(getattr(type(value), "render", None)):
        return cast(Renderable, value).render(locale)
    if isinstance(value, Decimal):
        return format_money(value, locale)
    if isinstance(value, _dt.date):
        return format_day(value, locale)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, frozenset, set)):
        items = sorted(value, key=_plain) if isinstance(value, (frozenset, set)) else value
        return ", ".join(render(item, locale) for item in items)
    if isinstance(value, int) and value.bit_length() > 10_000:
        # Python prints no whole number of more than 4,300 digits.
        digits = value.bit_length() * 30103 // 100_000 + 1
        return _("a whole number of about {digits} digits", digits=digits).render(locale)
    return repr(value) if value is None else _plain(value)


def _plain(value: object) -> str:
    """``str(value)``, or the name of its type when even that fails: a message never fails."""
    try:
        return str(value)
    except Exception:  # a hostile __str__ must not hide the message that shows it
        return f"({type(value).__name__})"


@attrs.frozen
class Message:
    """A user-facing message: an English ``msgid`` and the parameters it names.

    A message with a ``plural`` has two English forms (``1 record``, ``2 records``);
    the number of its parameter ``count`` chooses the form in each language, through
    the catalogue's plural rule (gettext's ``ngettext``): Chinese has one form.
    """

    msgid: str
    params: tuple[tuple[str, object], ...] = ()
    domain: str = CORE_DOMAIN
    #: The English plural form of ``msgid``, for a message that counts something.
    plural: str | None = attrs.field(default=None, repr=False)

    def render(self, locale: str | None = None) -> str:
        """The message translated into ``locale``, with its parameters filled in."""
        loc = normalize_locale(locale)
        if self.plural is None:
            template = _translations(self.domain, loc).gettext(self.msgid)
        else:
            template = _translations(self.domain, loc).ngettext(
                self.msgid, self.plural, self._number()
            )
        if not self.params:
            return template
        values = {name: render(value, loc) for name, value in self.params}
        return template.format(**values)

    def _number(self) -> int:
        """The number that chooses the plural form: the parameter ``count``."""
        value = dict(self.params).get("count", 0)
        if isinstance(value, Count):
            value = value.value
        return int(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else 0

    def __str__(self) -> str:
        return self.render(DEFAULT_LOCALE)


class _Factory(Protocol):
    def __call__(self, msgid: str, /, **params: object) -> Message: ...


def message_factory(domain: str) -> _Factory:
    """A gettext-style function ``_`` that makes :class:`Message` objects of ``domain``."""

    def _(msgid: str, /, **params: object) -> Message:
        return Message(msgid, tuple(params.items()), domain)

    return _


_ = message_factory(CORE_DOMAIN)


def plural_message(singular: str, plural: str, /, *, count: int, **params: object) -> Message:
    """A message of edupolicy's own that counts ``count`` things: ``singular`` for one,
    ``plural`` for another number, in English; in each language as its catalogue says.

    ``count`` is shown with the locale's digit grouping (``5,000 students``).
    """
    values: dict[str, object] = {"count": Count(count), **params}
    return Message(singular, tuple(values.items()), CORE_DOMAIN, plural)


#: ``_n(singular, plural, count=n, **params)``: :func:`plural_message`, as catalogues
#: extract it.
_n = plural_message


def years(count: int) -> Message:
    """``count`` years, in words: ``1 year``, ``20 years``, ``20年``."""
    return _n("{count} year", "{count} years", count=count)


@attrs.frozen(kw_only=True)
class Text:
    """Text that plan data states in each supported locale, such as a rule's name."""

    zh_CN: str
    en: str

    def render(self, locale: str | None = None) -> str:
        """The text in ``locale``: Chinese for ``zh_CN``, English otherwise."""
        return self.zh_CN if normalize_locale(locale) == "zh_CN" else self.en

    def __str__(self) -> str:
        return self.render(DEFAULT_LOCALE)
