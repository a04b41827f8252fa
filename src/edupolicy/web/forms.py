"""Forms made from JSON Schemas: a record's fields as inputs, and the form read back.

:func:`fields` turns a record's schema (``edupolicy schema student``) into the inputs
of a form: a choice for a word of the vocabulary, a box for a flag, a number, a date,
a text, boxes for a list of words, and a few rows for a list of objects (a teacher's
postings).  :func:`record_of` reads the submitted form back into the JSON-shaped
record the library reads; it converts only what is plainly a number or a flag, and
passes anything else on, so that the record's reader names the field and the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

import attrs

__all__ = ["Field", "fields", "record_of"]

Widget = Literal["choice", "flag", "number", "date", "text", "words", "rows"]

#: How many rows a list of objects offers.
ROWS: Final = 3
_WHOLE: Final = re.compile(r"^-?[0-9]+$")
Schema = Mapping[str, Any]


@attrs.frozen(kw_only=True)
class Field:
    """One input of a form."""

    #: The key of the record.
    key: str
    #: The name of the input: the key, or ``service.0.start`` within a row.
    name: str
    widget: Widget
    required: bool
    #: The words a choice or a list of words offers.
    choices: tuple[str, ...] = ()
    #: The fields of each row of a list of objects.
    columns: tuple[Field, ...] = ()
    description: str | None = None


def _resolve(schema: Schema, root: Schema) -> Schema:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        found: Schema = root["$defs"][ref.removeprefix("#/$defs/")]
        return found
    return schema


def _optional(schema: Schema) -> tuple[Schema, bool]:
    """The schema without its ``null`` choice, and whether it had one."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1 and len(rest) < len(options):
            return rest[0], True
    return schema, False


def _field(key: str, name: str, schema: Schema, required: bool, root: Schema) -> Field:
    schema = _resolve(schema, root)
    schema, nullable = _optional(schema)
    required = required and not nullable
    description = schema.get("description")
    kind = schema.get("type")
    if "enum" in schema:
        return Field(
            key=key,
            name=name,
            widget="choice",
            required=required,
            choices=tuple(str(v) for v in schema["enum"]),
            description=description,
        )
    if kind == "boolean":
        return Field(key=key, name=name, widget="flag", required=False, description=description)
    if kind == "integer":
        return Field(
            key=key, name=name, widget="number", required=required, description=description
        )
    if kind == "array":
        items = _resolve(schema.get("items", {}), root)
        if "enum" in items:
            choices = tuple(str(v) for v in items["enum"])
            return Field(key=key, name=name, widget="words", required=False, choices=choices)
        if items.get("type") == "object":
            columns = _columns(items, root, prefix=name)
            return Field(key=key, name=name, widget="rows", required=required, columns=columns)
    if kind == "string" and schema.get("format") == "date":
        return Field(key=key, name=name, widget="date", required=required, description=description)
    return Field(key=key, name=name, widget="text", required=required, description=description)


def _columns(schema: Schema, root: Schema, *, prefix: str) -> tuple[Field, ...]:
    required = set(schema.get("required", ()))
    return tuple(
        _field(key, f"{prefix}.{key}", sub, key in required, root)
        for key, sub in schema.get("properties", {}).items()
    )


def fields(schema: Schema) -> tuple[Field, ...]:
    """The inputs of a form for records of ``schema`` (an object's JSON Schema), required
    ones first, in the schema's order."""
    found = _columns(schema, schema, prefix="")
    found = tuple(attrs.evolve(f, name=f.key, columns=_renamed(f)) for f in found)
    return tuple(sorted(found, key=lambda f: not f.required))


def _renamed(field: Field) -> tuple[Field, ...]:
    return tuple(attrs.evolve(c, name=f"{field.key}.{c.key}") for c in field.columns)


def _value(field: Field, raw: str) -> object:
    if field.widget == "number" and _WHOLE.fullmatch(raw.strip()):
        return int(raw.strip())
    return raw.strip()


def record_of(form: Mapping[str, Sequence[str]], schema_fields: Sequence[Field]) -> dict[str, Any]:
    """The record a submitted form states: ``form`` maps each input's name to the values
    submitted.  An empty input is a field not given (a flag not ticked is false); a row
    whose inputs are all empty is left out."""
    record: dict[str, Any] = {}
    for field in schema_fields:
        given = [v for v in form.get(field.name, ()) if v.strip()]
        if field.widget == "flag":
            record[field.key] = bool(given)
        elif field.widget == "words":
            record[field.key] = [v.strip() for v in given]
        elif field.widget == "rows":
            rows = []
            for index in range(ROWS):
                row: dict[str, Any] = {}
                for column in field.columns:
                    values = [v for v in form.get(f"{column.name}.{index}", ()) if v.strip()]
                    if column.widget == "flag":
                        row[column.key] = bool(values)
                    elif values:
                        row[column.key] = _value(column, values[0])
                    elif not column.required and column.widget == "date":
                        row[column.key] = None
                if any(row.get(c.key) not in (None, False) for c in field.columns):
                    rows.append(row)
            record[field.key] = rows
        elif given:
            record[field.key] = _value(field, given[0])
    return record
