"""The pieces every JSON Schema here is made of: the dialect, and the schema of each kind
of value the JSON boundary reads or writes (money, dates, counts, words).

The schemas keep to keywords that JSON Schema draft 4 validators (such as Taplo's)
also know: ``enum`` rather than ``const``, no ``if``/``then``, no ``propertyNames``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Final

from edupolicy.values import MAX_INT

__all__ = [
    "BOOLEAN",
    "DIALECT",
    "NULL",
    "POSITIVE",
    "STRING",
    "Schema",
    "amount",
    "date",
    "document",
    "integer",
    "money",
    "nullable",
    "number_text",
    "percent",
    "quantity",
    "record_id",
    "whole",
    "words",
]

#: The JSON Schema dialect of every schema.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

#: A JSON Schema, as JSON-shaped Python data.
Schema = dict[str, Any]

NULL: Final[Schema] = {"type": "null"}
STRING: Final[Schema] = {"type": "string"}
BOOLEAN: Final[Schema] = {"type": "boolean"}


def whole(regex: str) -> str:
    """``regex`` matching the whole string.  ``$(?!\\n)``: in Python, ``$`` alone would let
    a final newline through, which the library refuses."""
    return f"^(?:{regex})$(?!\\n)"


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, dict(NULL)]}


def integer(minimum: int = -MAX_INT, maximum: int = MAX_INT) -> Schema:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def words(values: type[enum.Enum] | Iterable[str], exclude: Iterable[object] = ()) -> Schema:
    """One of an enum's values (but those of ``exclude``), or one of the words given."""
    left_out = {getattr(member, "value", member) for member in exclude}
    found = [getattr(member, "value", member) for member in values]
    return {"type": "string", "enum": [word for word in found if word not in left_out]}


def money() -> Schema:
    """Money as the library reads it: a string of yuan with at most two decimals."""
    return {
        "type": "string",
        "pattern": whole(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?"),
        "description": 'yuan, as a string with at most two decimals, like "1000.00"',
    }


#: Money above zero (merged into :func:`money`).
POSITIVE: Final[Schema] = {"not": {"pattern": whole(r"0(\.0{1,2})?")}}


def amount() -> Schema:
    """Money as a result writes it: a string of yuan with two decimals."""
    return {"type": "string", "pattern": whole(r"(0|[1-9][0-9]*)\.[0-9]{2}")}


def number_text() -> Schema:
    """A decimal number as a result writes it: a string of digits."""
    return {"type": "string", "pattern": whole(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")}


def date() -> Schema:
    return {"type": "string", "format": "date", "pattern": whole("[0-9]{4}-[0-9]{2}-[0-9]{2}")}


def quantity() -> Schema:
    return {
        "anyOf": [
            integer(0, 10**15 - 1),
            {"type": "string", "pattern": whole(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,4})?")},
        ],
        "description": 'a whole number, or a string of digits with up to 4 decimals, like "98.7"',
    }


def percent() -> Schema:
    return {
        "anyOf": [
            integer(0, 100),
            {"type": "string", "pattern": whole(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,4})?")},
        ],
        "description": 'a percentage, like "30"',
    }


#: A character that is not blank: neither a space of JSON Schema's (ECMA-262) ``\s`` nor
#: one Python's ``str.strip`` removes (the separators U+001C to U+001F and U+0085), since
#: an id is refused when ``strip`` leaves nothing of it.
NOT_BLANK = r"[^\s\u001c-\u001f\u0085]"


def record_id() -> Schema:
    return nullable({"type": "string", "pattern": NOT_BLANK, "description": "not blank"})


def document(title: str, description: str, body: Schema, defs: dict[str, Schema]) -> Schema:
    """A whole schema: its dialect, title, body, description and definitions (sorted)."""
    schema: Schema = {"$schema": DIALECT, "title": title}
    schema.update(body)
    schema["description"] = description
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema
