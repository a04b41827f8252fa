"""The exceptions edupolicy raises.

Every error is an :class:`EdupolicyError`.  Its message is a translatable
:class:`~edupolicy.i18n.Message`: ``str(error)`` shows it in the locale the caller
chose when making the call that failed, and :meth:`EdupolicyError.render` shows it
in any other.  Errors about input data carry one :class:`FieldProblem` per bad
field, each naming the field's path and the offending value.
"""

from __future__ import annotations

import datetime as _dt
import enum
import errno
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from edupolicy._lazy import lazy_module
from edupolicy.i18n import Message, Renderable, _, normalize_locale

# What a "did you mean" names is worked out only for a name that is wrong.
if TYPE_CHECKING:
    import difflib
else:
    difflib = lazy_module("difflib")

__all__ = [
    "MAX_PROBLEMS",
    "MISSING",
    "DuplicateRegionError",
    "EdupolicyError",
    "FieldProblem",
    "ImpossibleShareError",
    "IncompatiblePluginError",
    "InvalidDataError",
    "InvalidRecordError",
    "OutOfPeriodError",
    "PlanDataError",
    "PluginError",
    "PluginFilterError",
    "PluginLoadError",
    "PluginWarning",
    "Rejected",
    "RuleConflictError",
    "UnknownRegionError",
    "bounded",
    "field_check",
    "field_type",
    "key_text",
    "nearest",
    "os_error_text",
    "record_id",
    "show_value",
]


class _Missing:
    """The value of a field that is absent."""

    def __repr__(self) -> str:
        return "MISSING"


#: The offending value of a required field that was not given at all.
MISSING: Final = _Missing()


_SHOWN = 80


def show_value(value: object) -> str:
    """Show an offending value as it appeared in JSON (``"false"`` vs ``false``), briefly.

    Never fails and never grows large: containers are shown to a few levels, long text
    is cut at 80 characters, and a huge integer is described by its number of digits.
    """
    text = _json(value, 3)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _json(value: object, depth: int) -> str:
    """``value`` as JSON text, containers cut off below ``depth`` levels; a date, a time,
    an amount or a word of the vocabulary as it is written in data, at any depth."""
    if isinstance(value, _Missing):
        return "(missing)"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() >= _SHOWN:
            return f"(a number of {value.adjusted() + 1} digits)"
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > 200:
            return f"(a whole number of about {int(value.bit_length() * 0.30103) + 1} digits)"
        return str(value)
    if isinstance(value, (str, float)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dict, Mapping)):
        if depth <= 0:
            return "{…}"
        items = []
        for key in sorted(value, key=key_text)[:8]:
            items.append(f"{_json(key_text(key), 1)}: {_json(value[key], depth - 1)}")
        more = ", ..." if len(value) > 8 else ""
        return "{" + ", ".join(items) + more + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        if depth <= 0:
            return "[…]"
        members = list(value)
        shown = ", ".join(_json(item, depth - 1) for item in members[:8])
        return "[" + shown + (", ..." if len(members) > 8 else "") + "]"
    try:
        return repr(value)[: _SHOWN * 2]
    except Exception:  # a hostile __repr__ must not hide the error being reported
        return f"({type(value).__name__})"


def key_text(key: object) -> str:
    """A key of a mapping as a step of a path: the key itself, or how it prints.

    Never fails: a key that cannot be printed is named by its type.
    """
    if isinstance(key, str):
        return key
    try:
        return str(key)
    except Exception:  # a hostile __str__ must not hide the error being reported
        return f"({type(key).__name__})"


@attrs.frozen
class FieldProblem:
    """One bad field of a record or of plan data."""

    #: Where the field is, as a JSON path: ``$.household[1]``.
    path: str
    #: The value found there (:data:`MISSING` when the field was absent).
    value: object
    #: What is wrong with it.
    message: Message

    def render(self, locale: str | None = None) -> str:
        """``$.path: what is wrong (got value)`` in ``locale``."""
        shown: object = _("(missing)") if self.value is MISSING else show_value(self.value)
        return _(
            "{path}: {problem} (got {value})", path=self.path, problem=self.message, value=shown
        ).render(locale)

    def to_json(self, locale: str | None = None) -> dict[str, str]:
        """The problem as JSON: ``path``, ``value`` (as JSON text) and ``message``."""
        return {
            "path": self.path,
            "value": show_value(self.value),
            "message": self.message.render(locale),
        }


#: How many problems one error lists; the rest are counted.
MAX_PROBLEMS = 100

_NOT_LISTED = _("and more problems, not listed")


def bounded(problems: Sequence[FieldProblem]) -> tuple[FieldProblem, ...]:
    """``problems``, at most :data:`MAX_PROBLEMS` of them; then one problem at ``$``
    whose value counts the rest ("and more problems, not listed").

    A count already in ``problems`` (of a list bounded before) is added to the count.
    """
    if len(problems) <= MAX_PROBLEMS:
        return tuple(problems)
    listed: list[FieldProblem] = []
    rest = 0
    for problem in problems:
        if problem.message == _NOT_LISTED and isinstance(problem.value, int):
            rest += problem.value
        elif len(listed) < MAX_PROBLEMS:
            listed.append(problem)
        else:
            rest += 1
    if rest:
        listed.append(FieldProblem("$", rest, _NOT_LISTED))
    return tuple(listed)


class EdupolicyError(Exception):
    """Base class of every error edupolicy raises."""

    def __init__(self, message: Renderable, *, locale: str | None = None) -> None:
        self.message = message
        self.locale = normalize_locale(locale)
        super().__init__(message.render(self.locale))

    def render(self, locale: str | None = None) -> str:
        """The error's full text in ``locale``."""
        return self.message.render(locale)

    def __str__(self) -> str:
        return self.render(self.locale)


class InvalidDataError(EdupolicyError, ValueError):
    """Data that does not fit the schema: every bad field is listed in :attr:`problems`,
    up to ``MAX_PROBLEMS`` of them, and the rest counted (``bounded``)."""

    def __init__(
        self, heading: Message, problems: Sequence[FieldProblem], *, locale: str | None = None
    ) -> None:
        self.heading = heading
        self.problems: tuple[FieldProblem, ...] = bounded(problems)
        super().__init__(heading, locale=locale)

    def render(self, locale: str | None = None) -> str:
        lines = [self.heading.render(locale)]
        lines.extend("  " + problem.render(locale) for problem in self.problems)
        return "\n".join(lines)


class InvalidRecordError(InvalidDataError):
    """A student or other input record is malformed (unknown field, wrong type, bad value)."""


class PlanDataError(InvalidDataError):
    """A region's plan data is malformed or inconsistent."""


class UnknownRegionError(EdupolicyError, LookupError):
    """No installed plugin provides the requested region."""

    def __init__(
        self,
        region: object,
        available: Sequence[str],
        *,
        hidden_by: str | None = None,
        locale: str | None = None,
    ) -> None:
        #: The id asked for, as given (it need not be a string).
        self.region = region
        self.available = tuple(available)
        #: The environment variable whose plugin filter may hide the region, if one is set.
        self.hidden_by = hidden_by
        names = ", ".join(self.available) if self.available else _("(none installed)")
        message = _(
            "Unknown region {region}; installed regions: {available}",
            region=show_value(region),
            available=names,
        )
        if hidden_by is not None:
            message = _(
                "Unknown region {region}; installed regions: {available}. {var} filters the "
                "plugins, and may hide the plugin that provides it",
                region=show_value(region),
                available=names,
                var=hidden_by,
            )
        super().__init__(message, locale=locale)


class OutOfPeriodError(EdupolicyError, LookupError):
    """No plan of the region is in force on the requested date."""

    def __init__(
        self, region: str, on: _dt.date, periods: Sequence[str], *, locale: str | None = None
    ) -> None:
        self.region = region
        self.on = on
        self.periods = tuple(periods)
        super().__init__(
            _(
                "No plan of region {region} is in force on {on}; plans exist for: {periods}",
                region=region,
                on=on,
                periods=", ".join(self.periods),
            ),
            locale=locale,
        )


class RuleConflictError(EdupolicyError):
    """Two rules of a one-wins group both apply and neither overrides the other."""

    def __init__(
        self, message: Message, rule_ids: Sequence[str], *, locale: str | None = None
    ) -> None:
        self.rule_ids = tuple(rule_ids)
        super().__init__(message, locale=locale)


class ImpossibleShareError(EdupolicyError, ValueError):
    """A request that the candidates cannot meet: too few rural ones for a share."""

    def __init__(
        self,
        message: Message,
        *,
        required: int,
        available: int,
        locale: str | None = None,
    ) -> None:
        self.required = required
        self.available = available
        super().__init__(message, locale=locale)


class PluginError(EdupolicyError):
    """A region plugin could not be used; names its entry point and distribution."""

    def __init__(
        self, message: Message, *, entry_point: str, distribution: str, locale: str | None = None
    ) -> None:
        self.entry_point = entry_point
        self.distribution = distribution
        super().__init__(message, locale=locale)


class PluginLoadError(PluginError):
    """A plugin failed to import or handed back malformed data."""


class IncompatiblePluginError(PluginError):
    """A plugin was written for a plugin-API version this edupolicy does not support."""


class DuplicateRegionError(PluginError):
    """Two plugins claim the same region id."""


class PluginFilterError(PluginError):
    """``EDUPOLICY_PLUGINS`` or ``EDUPOLICY_DISABLE_PLUGINS`` names a plugin that is not
    installed (a misspelt name); ``entry_point`` is the name, ``distribution`` empty."""


@attrs.frozen(kw_only=True)
class Rejected:
    """A record of a roster that could not be evaluated, and why
    (:meth:`edupolicy.Policy.aid_each`)."""

    #: The record's position in the roster, counted from 0.
    row: int
    #: The record as it was given.
    record: object = attrs.field(repr=False)
    #: Why: an :class:`InvalidRecordError` listing each bad field, or
    #: another :class:`EdupolicyError` (two rules in conflict).
    error: EdupolicyError

    @property
    def problems(self) -> tuple[FieldProblem, ...]:
        """The bad fields, by path and value; empty when the error is not about fields."""
        return self.error.problems if isinstance(self.error, InvalidDataError) else ()

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """``{"row": 3, "error": "...", "problems": [{"path", "value", "message"}]}``."""
        return {
            "row": self.row,
            "error": self.error.render(locale),
            "problems": [problem.to_json(locale) for problem in self.problems],
        }


class PluginWarning(UserWarning):
    """A plugin was skipped; the other regions still load."""


def field_check(
    test: Callable[[Any, Any], bool], message: Callable[[Any, Any], Message]
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator: ``test(instance, value)`` must hold for the field.

    When it does not, an :class:`InvalidDataError` names the field as ``$.name`` with
    the value and ``message(instance, value)``; the plan and record readers put the
    path of the object in front, so the error names the field wherever it sits.
    """

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not test(instance, value):
            raise InvalidRecordError(
                _("Invalid value"),
                [FieldProblem(f"$.{attribute.name}", value, message(instance, value))],
            )

    return validate


def field_type(
    test: Callable[[Any], bool], kind: str
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator: the field's value must pass ``test``, being a ``kind``.

    A record made in Python is not read from JSON, so its fields are checked when it is
    made: a wrong type is an :class:`InvalidRecordError` naming the field, never a
    failure later, in the middle of an evaluation.
    """
    return field_check(
        lambda _instance, value: test(value), lambda *_args: _("must be a {type}", type=kind)
    )


def record_id() -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """The attrs validator of a record's ``id``: ``None`` or text that is not blank."""
    is_text = field_type(lambda value: value is None or isinstance(value, str), "str or None")
    not_blank = field_check(
        lambda _instance, value: value is None or bool(value.strip()),
        lambda *_args: _("must not be empty"),
    )

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        is_text(instance, attribute, value)
        not_blank(instance, attribute, value)

    return validate


#: What the operating system's most common refusals mean, in edupolicy's own words.
_OS_ERRORS: Final[Mapping[int, Message]] = {
    errno.ENOENT: _("no such file or folder"),
    errno.EACCES: _("permission denied"),
    errno.EPERM: _("permission denied"),
    errno.EISDIR: _("it is a folder, not a file"),
    errno.ENOTDIR: _("a part of the path is not a folder"),
    errno.ENAMETOOLONG: _("the name is too long"),
    errno.ENOSPC: _("no space left on the device"),
    errno.EROFS: _("the file system is read-only"),
    errno.EEXIST: _("it exists already"),
    errno.EMFILE: _("too many files are open"),
}


def nearest(name: object, known: Iterable[str]) -> str | None:
    """The one of ``known`` that ``name`` probably misspells, if one is close enough: what
    a "did you mean" names."""
    if not isinstance(name, str):
        return None
    close = difflib.get_close_matches(name, list(known), n=1)
    return close[0] if close else None


def os_error_text(exc: OSError) -> Message:
    """What the operating system's error ``exc`` means, as a message of edupolicy's own.

    The system's own text is in the language of the system, not the caller's; the
    common errors have a message here, any other is named by its error code.
    """
    known = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known
    code = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno is not None else "?"
    return _("the system refused ({code})", code=code)
