"""Declared JSON shapes: what a result's JSON holds, written once, and both written and
described from that one declaration.

A :class:`View` is a list of members, each a key, a :class:`Kind` of JSON value and
where its value comes from.  ``view.write(value, locale)`` is the value's JSON, and
``view.schema(defs)`` the JSON Schema of that JSON, with the views it holds collected
in ``defs``: the two cannot disagree.  A kind says how a value of the model reads in
JSON: a :class:`~edupolicy.i18n.Text` or :class:`~edupolicy.i18n.Message` rendered in
the locale, money as ``"1000.00"``, a date as ``YYYY-MM-DD``, an enum as its value.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from edupolicy.io import schematypes as st
from edupolicy.io.schematypes import Schema

__all__ = [
    "BOOLEAN",
    "COUNT",
    "DATE",
    "MONEY",
    "NUMBER",
    "READINGS",
    "STRING",
    "TEXT",
    "Either",
    "Integer",
    "Keyed",
    "Kind",
    "ListOf",
    "Member",
    "Nullable",
    "Of",
    "View",
    "Words",
    "member",
]

Locale = str | None


class Kind(Protocol):
    """A kind of JSON value: how a value of the model is written, and its schema."""

    def write(self, value: Any, locale: Locale) -> Any: ...

    def schema(self, defs: dict[str, Schema]) -> Schema: ...


class _Plain:
    """A value that is JSON as it is (a string, a boolean, a whole number)."""

    __slots__ = ("_schema",)

    def __init__(self, schema: Schema) -> None:
        self._schema = schema

    def write(self, value: Any, locale: Locale) -> Any:
        return value

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return dict(self._schema)


class _Converted:
    """A value written by a function of it alone (money, a date, an enum's value)."""

    __slots__ = ("_convert", "_schema")

    def __init__(self, convert: Callable[[Any], Any], schema: Callable[[], Schema]) -> None:
        self._convert = convert
        self._schema = schema

    def write(self, value: Any, locale: Locale) -> Any:
        return self._convert(value)

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._schema()


class _Rendered:
    """A :class:`~edupolicy.i18n.Text` or :class:`~edupolicy.i18n.Message`, in the locale."""

    __slots__ = ()

    def write(self, value: Any, locale: Locale) -> Any:
        return value.render(locale)

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return dict(st.STRING)


STRING: Kind = _Plain(st.STRING)
BOOLEAN: Kind = _Plain(st.BOOLEAN)
#: A count: a whole number from 0.
COUNT: Kind = _Plain(st.integer(0))
TEXT: Kind = _Rendered()
#: Money, to the fen: ``"1000.00"``.
MONEY: Kind = _Converted(lambda value: f"{value:.2f}", st.amount)
#: A decimal number as its digits: ``"12.5"``.
NUMBER: Kind = _Converted(str, st.number_text)
DATE: Kind = _Converted(lambda value: value.isoformat(), st.date)
#: The readings of the plan in force: reading id → the choice applied.
READINGS: Kind = _Converted(
    dict,
    lambda: {
        "type": "object",
        "description": "reading id → the choice applied",
        "additionalProperties": dict(st.STRING),
    },
)


def Integer(minimum: int | None = None) -> Kind:
    """A whole number, from ``minimum`` when given."""
    return _Plain(st.integer() if minimum is None else st.integer(minimum))


def Words(values: Any, exclude: Iterable[object] = ()) -> Kind:
    """An enum member, written as its value; or one of the words ``values``, as it is."""
    if isinstance(values, type):
        return _Converted(operator.attrgetter("value"), lambda: st.words(values, exclude))
    return _Plain(st.words(values, exclude))


def Either(*schemas: Callable[[], Schema]) -> Kind:
    """A value already JSON that is one of several shapes (a number's text or a boolean)."""
    return _Plain({"anyOf": [schema() for schema in schemas]})


class Nullable:
    """``kind``, or ``null`` for ``None``."""

    __slots__ = ("_kind",)

    def __init__(self, kind: Kind) -> None:
        self._kind = kind

    def write(self, value: Any, locale: Locale) -> Any:
        return None if value is None else self._kind.write(value, locale)

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return st.nullable(self._kind.schema(defs))


class ListOf:
    """A list of ``kind``; ``sort``: written sorted."""

    __slots__ = ("_kind", "_sort")

    def __init__(self, kind: Kind, *, sort: bool = False) -> None:
        self._kind = kind
        self._sort = sort

    def write(self, value: Any, locale: Locale) -> Any:
        kind = self._kind
        found = [kind.write(item, locale) for item in value]
        return sorted(found) if self._sort else found

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return {"type": "array", "items": self._kind.schema(defs)}


class Keyed:
    """Items written as an object, each under the word ``key`` gives (one of ``words``)."""

    __slots__ = ("_key", "_kind", "_words")

    def __init__(self, key: Callable[[Any], str], kind: Kind, words: Iterable[str]) -> None:
        self._key = key
        self._kind = kind
        self._words = tuple(words)

    def write(self, value: Any, locale: Locale) -> Any:
        return {self._key(item): self._kind.write(item, locale) for item in value}

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return {
            "type": "object",
            "properties": {word: self._kind.schema(defs) for word in self._words},
            "additionalProperties": False,
        }


class Member:
    """One key of a view: its kind, where its value comes from, and when it is there.

    ``optional``: left out when the value is ``None`` (else written as ``null``).
    ``own``: of a result, a member that is its subject's own (its id, a teacher's
    service), where the others are the same for every result of one outcome, plan and
    date.
    """

    __slots__ = ("get", "key", "kind", "optional", "own")

    def __init__(
        self,
        key: str,
        kind: Kind,
        get: Callable[[Any], Any],
        *,
        optional: bool = False,
        own: bool = False,
    ) -> None:
        self.key = key
        self.kind = kind
        self.get = get
        self.optional = optional
        self.own = own


def member(
    key: str,
    kind: Kind,
    attribute: str | None = None,
    *,
    optional: bool = False,
    own: bool = False,
) -> Member:
    """A member whose value is the attribute ``attribute`` (dotted; default: ``key``)."""
    return Member(key, kind, operator.attrgetter(attribute or key), optional=optional, own=own)


class View:
    """A JSON object declared as its members, in the order they are written."""

    __slots__ = ("_members", "description", "name")

    def __init__(self, name: str, members: Iterable[Member], description: str = "") -> None:
        self.name = name
        self.description = description
        self._members = tuple(members)

    @property
    def members(self) -> tuple[Member, ...]:
        return self._members

    def write(self, value: Any, locale: Locale) -> dict[str, Any]:
        """``value`` as this view's JSON object, its texts in ``locale``."""
        data: dict[str, Any] = {}
        for part in self._members:
            found = part.get(value)
            if found is None:
                if not part.optional:
                    data[part.key] = None
                continue
            data[part.key] = part.kind.write(found, locale)
        return data

    def body(self, defs: dict[str, Schema]) -> Schema:
        """The schema of the object, its views collected in ``defs``."""
        schema: Schema = {"type": "object"}
        if self.description:
            schema["description"] = self.description
        schema["properties"] = {part.key: part.kind.schema(defs) for part in self._members}
        schema["required"] = [part.key for part in self._members if not part.optional]
        schema["additionalProperties"] = False
        return schema

    def schema(self, defs: dict[str, Schema]) -> Schema:
        """A reference to this view, defined in ``defs``."""
        if self.name not in defs:
            defs[self.name] = {}  # a placeholder, for recursion
            defs[self.name] = self.body(defs)
        return {"$ref": f"#/$defs/{self.name}"}

    def extended(self, name: str, members: Iterable[Member], description: str = "") -> View:
        """This view with ``members`` after its own."""
        return View(name, (*self._members, *members), description or self.description)


def nested_view(kind: Kind) -> View | None:
    """The view a kind made by :func:`Of` writes its values as; ``None`` for another kind."""
    return kind.view if isinstance(kind, _Nested) else None


def Of(view: View, write: Callable[[Any, Locale], Any] | None = None) -> Kind:
    """A value written as ``view``, a nested object; by ``write`` when given (a writer
    that keeps what it wrote), which must write what ``view`` declares."""
    return _Nested(view, write or view.write)


class _Nested:
    __slots__ = ("_view", "write")

    def __init__(self, view: View, write: Callable[[Any, Locale], Any]) -> None:
        self._view = view
        self.write = write

    @property
    def view(self) -> View:
        return self._view

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._view.schema(defs)
