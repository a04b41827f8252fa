"""Turning cattrs' error trees into :class:`~edupolicy.errors.FieldProblem` lists.

Every problem of an input is collected, each with its JSON path and the offending
value; nothing is reported as a bare exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from edupolicy.errors import MISSING, FieldProblem, InvalidDataError, key_text, nearest
from edupolicy.i18n import Message, _

__all__ = [
    "Bad",
    "bad",
    "closest",
    "did_you_mean",
    "is_unknown_field",
    "problems",
    "relative",
    "suggesting",
    "unknown_field",
]


class Bad(ValueError):
    """Raised by the converter's hooks: problems with paths relative to the hook's value."""

    def __init__(self, found: list[tuple[str, object, Message]]) -> None:
        super().__init__(found[0][2].render() if found else "invalid")
        self.problems = found


def bad(value: object, message: Message) -> Bad:
    """One problem with the value a hook was given."""
    return Bad([("", value, message)])


def problems(exc: BaseException, path: str, data: object, *, raw: bool) -> list[FieldProblem]:
    """Flatten a cattrs error tree into problems with JSON paths.

    With ``raw``, a field's offending value is shown as the input gave it (``"2003-08-31"``),
    not as it was read (a date): that is what a host sent.
    """
    if isinstance(exc, BaseValidationError):
        found: list[FieldProblem] = []
        for sub in exc.exceptions:
            notes = getattr(sub, "__notes__", [])
            attr = next((n for n in notes if isinstance(n, AttributeValidationNote)), None)
            item = next((n for n in notes if isinstance(n, IterableValidationNote)), None)
            if attr is not None:
                sub_data = data.get(attr.name, MISSING) if isinstance(data, Mapping) else MISSING
                found.extend(problems(sub, f"{path}.{attr.name}", sub_data, raw=raw))
            elif item is not None:
                index = item.index
                try:
                    sub_data = data[index]  # type: ignore[index]
                except (LookupError, TypeError):
                    sub_data = MISSING
                step = f"[{index}]" if isinstance(index, int) else f".{key_text(index)}"
                found.extend(problems(sub, f"{path}{step}", sub_data, raw=raw))
            else:
                found.extend(problems(sub, path, data, raw=raw))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        mapping = data if isinstance(data, Mapping) else {}
        known = _field_names(exc.cl)
        return [
            FieldProblem(
                f"{path}.{key_text(key)}", mapping.get(key, MISSING), unknown_field(key, known)
            )
            for key in sorted(exc.extra_fields, key=key_text)
        ]
    if isinstance(exc, Bad):
        return [FieldProblem(path + sub, value, message) for sub, value, message in exc.problems]
    if isinstance(exc, InvalidDataError):
        # An attrs validator's problems, relative to the object it checked.
        return [_rooted(problem, path, data, raw) for problem in exc.problems]
    if isinstance(exc, KeyError):
        return [FieldProblem(path, MISSING, _("required field is missing"))]
    return [FieldProblem(path, data, _("invalid value"))]


def _field_names(cls: object) -> list[str]:
    """The fields of the attrs class ``cls``, as its data names them."""
    if isinstance(cls, type) and attrs.has(cls):
        return [field.name for field in attrs.fields(cls)]
    return []


def is_unknown_field(message: Message) -> bool:
    """Whether ``message`` is :func:`unknown_field`'s, with a suggestion or without."""
    return message.msgid in ("unknown field", "unknown field; did you mean {name}?")


def closest(given: object, known: Iterable[str]) -> str | None:
    """The one of ``known`` nearest to ``given``, when one is close enough."""
    return nearest(given, known)


def unknown_field(key: object, known: Sequence[str]) -> Message:
    """``unknown field``, with the nearest known field when one is close enough."""
    close = closest(key, known)
    if close is not None:
        return _("unknown field; did you mean {name}?", name=close)
    return _("unknown field")


def suggesting(message: Message, given: object, known: Iterable[str]) -> Message:
    """``message``, followed by "did you mean …?" when one of ``known`` is close to
    ``given`` (a misspelt id, field or path)."""
    return did_you_mean(message, closest(given, known))


def did_you_mean(message: Message, name: str | None) -> Message:
    """``message``, followed by "did you mean ``name``?" when there is a ``name``."""
    if name is None:
        return message
    return _("{problem}; did you mean {name}?", problem=message, name=name)


def _rooted(problem: FieldProblem, path: str, data: object, raw: bool) -> FieldProblem:
    sub = problem.path[1:]
    value = problem.value
    name = sub[1:]
    if raw and sub.startswith(".") and name.isidentifier() and isinstance(data, Mapping):
        value = data.get(name, value)
    elif raw and not sub:
        # A problem of the whole object (an award entry that names no one): the object
        # as the input gave it.
        value = dict(data) if isinstance(data, Mapping) else data
    return FieldProblem(path + sub, value, problem.message)


def relative(exc: BaseException, data: object) -> list[tuple[str, object, Message]]:
    """The problems of ``exc`` with paths relative to ``data`` (``.min``, ``[2]``)."""
    return [(p.path[1:], p.value, p.message) for p in problems(exc, "$", data, raw=False)]
