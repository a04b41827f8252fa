"""The JSON Schemas of what edupolicy reads, generated from the model.

The attrs classes that the one converter (:mod:`edupolicy.io.convert`) reads are walked
field by field with :func:`attrs.fields` and :func:`typing.get_type_hints`: a field
added to a class appears in its schema without anyone editing a schema.  What a type
becomes:

==============================  =========================================================
``str``, ``bool``               a string, a boolean (nothing is coerced)
``int``                         an integer of at most :data:`~edupolicy.values.MAX_INT`
``Decimal``                     money: a string of yuan with at most two decimals
``datetime.date``               a string ``YYYY-MM-DD`` with ``format: date`` (a TOML
                                date, read as JSON, is such a string)
an enum                         one of its values
``tuple[X, ...]``               a list; ``frozenset[X]``: a list without repeats
``Mapping[Enum, X]``            a table whose keys are the enum's values
``Mapping[str, X]``             a table of any keys
``X | None``                    ``X`` or ``null`` (a field with a default may be left out)
an attrs class                  a table of its fields, no others; those without a
                                default are required
==============================  =========================================================

What a field's type does not say, its metadata does (``metadata={"json": {...}}``, the
same declaration the converter reads):

* ``read``: the reader of :data:`~edupolicy.io.scalars.READERS` the converter uses for
  the field (years counted from 1, record ids, quantities, percentages, calendar
  years), whose schema is :data:`READ_SCHEMAS`;
* what a validator of the field checks that a schema can state too: ``min_items``,
  ``unique``, ``minimum`` and ``maximum`` (of a number, or of each value of a table),
  ``every_key`` (a table keyed by an enum names every member), ``positive`` (money
  above zero), ``exclude`` (words of the enum not allowed), ``pattern``;
* ``flat`` (on a field of an attrs class): the field's table is written flat, beside
  the other fields (a change to what a district inherits, with its ``source``);
  ``sourced`` (on such a change): an item the change adds may leave out its ``source``,
  which it takes from the change;
* ``json = False``: not data, left out.

The converter reads a few things in a way no field says; each is handled here
explicitly, mirroring the converter: conditions (a table with exactly one key, as
:mod:`edupolicy.io.conditions` reads them), tagged unions (benefits and outcomes,
told apart by ``kind``), and changes (:func:`~edupolicy.io.changetables.read_change`,
whose schema is :mod:`edupolicy.io.changeschema`'s).
"""

from __future__ import annotations

import copy
import datetime as _dt
import enum
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from edupolicy.aid import Student
from edupolicy.goals import Observation
from edupolicy.io.changeschema import ChangeSchemas
from edupolicy.io.conditions import AID_LEAVES, LEAF_KEYS, TEACHER_LEAVES
from edupolicy.io.introspection import description, is_none, typevars
from edupolicy.io.schematypes import (
    BOOLEAN,
    POSITIVE,
    STRING,
    Schema,
    date,
    integer,
    money,
    nullable,
    percent,
    quantity,
    record_id,
    whole,
    words,
)
from edupolicy.plans.change import Change
from edupolicy.rules import Condition, ExtensionCondition, Leaf
from edupolicy.teachers import Award, TeacherOn

__all__ = ["READ_SCHEMAS", "Generator", "description"]

#: The schema of each reader a field's metadata can name.
READ_SCHEMAS: Final[Mapping[str, Callable[[], Schema]]] = {
    "year": lambda: {**integer(1), "description": "counted from 1"},
    "id": record_id,
    "quantity": quantity,
    "percent": percent,
    "calendar_year": lambda: nullable(integer(1, 9999)),
}


def _refinement(meta: Mapping[str, Any], base: Schema) -> Schema:
    """What a field's metadata says beyond its type, merged into ``base`` (the schema of
    the type, or of ``X`` in ``X | None``)."""
    schema = dict(base)
    if "min_items" in meta:
        schema["minItems"] = meta["min_items"]
    if meta.get("unique"):
        schema["uniqueItems"] = True
    if "pattern" in meta:
        schema["pattern"] = whole(meta["pattern"])
    if meta.get("positive"):
        schema.update(copy.deepcopy(POSITIVE))
    if "exclude" in meta:
        excluded = tuple(meta["exclude"])
        schema.update(words(type(excluded[0]), excluded))
    bounds = {key: meta[key] for key in ("minimum", "maximum") if key in meta}
    if "properties" in schema and schema.get("type") == "object":
        if meta.get("every_key"):
            schema["required"] = list(schema["properties"])
        if bounds:
            schema["properties"] = {
                key: {**value, **bounds} for key, value in schema["properties"].items()
            }
    else:
        schema.update(bounds)
    return schema


#: Checks of a whole record that a schema can state.
_CLASS_RULES: Final[Mapping[type, Schema]] = {
    # An award entry names the school_area of the awarded school, a teacher, or both.
    Award: {
        "anyOf": [
            {"required": ["school_area"], "properties": {"school_area": {"type": "string"}}},
            {"required": ["teacher"], "properties": {"teacher": {"type": "object"}}},
        ]
    },
    # An observation gives its year or the day it holds on, not both.
    Observation: {
        "not": {
            "required": ["year", "on"],
            "properties": {"year": {"type": "integer"}, "on": {"type": "string"}},
        }
    },
}

#: The leaves of the conditions over each subject, as the converter reads them.
_LEAVES: Final[Mapping[type, Mapping[str, object]]] = {
    Student: AID_LEAVES,
    TeacherOn: TEACHER_LEAVES,
}


def _leaf_subject(cls: type) -> Any:
    """The subject of a leaf condition's class (``Student``), found among its bases."""
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            if typing.get_origin(base) in (Leaf, ExtensionCondition):
                return typing.get_args(base)[0]
    return None


def _tag_enum(members: tuple[Any, ...]) -> type[enum.Enum] | None:
    """The enum of the ``kind`` tag shared by ``members``, if they form a tagged union."""
    kinds = [getattr(m, "kind", None) if attrs.has(m) else None for m in members]
    enums: set[type[enum.Enum]] = set()
    for kind in kinds:
        if not isinstance(kind, enum.Enum):
            return None
        enums.add(type(kind))
    return enums.pop() if len(enums) == 1 else None


#: A word a plan declares to add to an open vocabulary (a household status's id).
_DECLARED_WORD: Final = "[a-z][a-z0-9_]{0,63}"


class Generator(ChangeSchemas):
    """Builds one schema, its classes collected under ``$defs``.

    ``declared``: whether the data may use words that it declares itself (a plan file's
    own household statuses); a record may use only the core's words.  ``conditions``:
    the kinds of condition a region's plugin adds, whose keys the data may use too (each
    with the value its plugin reads, which no schema here knows).
    """

    def __init__(
        self,
        *,
        declared: bool = False,
        conditions: Sequence[type[ExtensionCondition[Any]]] = (),
    ) -> None:
        self.declared = declared
        self.conditions = tuple(conditions)
        self.defs: dict[str, Schema] = {}
        self._owners: dict[str, object] = {}

    def ref(self, name: str, owner: object, build: Callable[[], Schema]) -> Schema:
        if name in self._owners:
            if self._owners[name] != owner:
                raise TypeError(f"two definitions are named {name}")
        else:
            self._owners[name] = owner
            self.defs[name] = {}  # a placeholder, for recursion
            self.defs[name] = build()
        return {"$ref": f"#/$defs/{name}"}

    # --- types ---------------------------------------------------------------------------

    def of(
        self, type_: Any, env: Mapping[Any, Any], refine: Mapping[str, Any] | None = None
    ) -> Schema:
        """The schema of a value of ``type_``; the metadata ``refine`` applied to it (not
        to ``null``)."""
        if isinstance(type_, typing.TypeVar):
            type_ = env[type_]
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        if origin in (typing.Union, types.UnionType):
            members = tuple(a for a in args if not is_none(a))
            if len(members) < len(args):
                inner = members[0] if len(members) == 1 else typing.Union[members]  # noqa: UP007
                return nullable(self.of(inner, env, refine))
            words = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
            schema = self._open(words[0]) if len(words) == 1 else self._tagged(members)
        else:
            schema = self._bare(type_, origin, args, env)
        return _refinement(refine, schema) if refine else schema

    def _bare(
        self, type_: Any, origin: Any, args: tuple[Any, ...], env: Mapping[Any, Any]
    ) -> Schema:
        if origin is Condition:
            return self.condition(env.get(args[0], args[0]))
        if origin is tuple:
            return {"type": "array", "items": self.of(args[0], env)}
        if origin is frozenset:
            return {"type": "array", "items": self.of(args[0], env), "uniqueItems": True}
        if origin is not None and issubclass(origin, Mapping):
            key, value = args
            values = {} if value is Any else self.of(value, env)
            if isinstance(key, type) and issubclass(key, enum.Enum):
                return {
                    "type": "object",
                    "properties": {member.value: copy.deepcopy(values) for member in key},
                    "additionalProperties": False,
                }
            return {"type": "object", "additionalProperties": values}
        if type_ is Any:
            return {}
        if type_ is bool:
            return dict(BOOLEAN)
        if type_ is int:
            return integer()
        if type_ is str:
            return dict(STRING)
        if type_ is Decimal:
            return money()
        if type_ is _dt.date:
            return date()
        if isinstance(type_, type) and issubclass(type_, enum.Enum):
            return words(type_)
        if type_ is Change:
            return self.ref("Change", Change, self._change)
        if isinstance(type_, type) and attrs.has(type_):
            return self.ref(type_.__name__, type_, lambda: self.record(type_))
        raise TypeError(f"no schema for the type {type_!r}")

    def record(self, cls: type, *, tag: enum.Enum | None = None) -> Schema:
        """An attrs class as a table of its fields, no others (with its ``kind`` tag)."""
        hints = typing.get_type_hints(cls)
        env = typevars(cls)
        properties: dict[str, Schema] = {}
        required: list[str] = []
        rules: Schema = {}
        if tag is not None:
            properties["kind"] = {"type": "string", "enum": [tag.value]}
            required.append("kind")
        for field in attrs.fields(cls):
            meta = field.metadata.get("json", {})
            if meta is False:
                continue  # not data: left out of the JSON shape
            if "read" in meta:
                found = _refinement(meta, READ_SCHEMAS[meta["read"]]())
            else:
                found = self.of(hints[field.name], env, meta)
            if meta.get("flat"):
                flat = dict(self.defs[found["$ref"].rsplit("/", 1)[1]])
                properties.update(copy.deepcopy(flat["properties"]))
                required.extend(flat.get("required", []))
                rules = {k: copy.deepcopy(v) for k, v in flat.items() if k not in _OBJECT_KEYS}
                if meta.get("sourced"):
                    rules["allOf"] = [
                        self._added(sourced=True) if part == self._added() else part
                        for part in rules.get("allOf", [])
                    ]
                continue
            properties[field.name] = found
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema: Schema = {"type": "object"}
        text = description(cls)
        if text:
            schema["description"] = text
        schema["properties"] = properties
        if required:  # draft 4 wants at least one name in a "required"
            schema["required"] = required
        schema["additionalProperties"] = False
        schema.update(copy.deepcopy(_CLASS_RULES.get(cls, {})))
        schema.update(rules)
        return schema

    def _open(self, vocabulary: type[enum.Enum]) -> Schema:
        """An open vocabulary (``Household | PlanStatus``): the core's words, or in a plan
        file a word that the plan declares (checked against the plan, not here)."""
        core = words(vocabulary)
        if not self.declared:
            return core
        declared = {
            "type": "string",
            "pattern": whole(_DECLARED_WORD),
            "description": "a word the plan declares",
        }
        return {"anyOf": [core, declared]}

    def _tagged(self, members: tuple[Any, ...]) -> Schema:
        """A union of attrs classes told apart by their ``kind``: one table per class."""
        kinds = _tag_enum(members)
        if kinds is None:
            raise TypeError(f"no schema for a union of {members!r}")

        def variant(member: Any) -> Schema:
            return self.ref(member.__name__, member, lambda: self.record(member, tag=member.kind))

        def build() -> Schema:
            return {
                "description": f"one of the kinds: {', '.join(m.kind.value for m in members)}",
                "oneOf": [variant(member) for member in members],
            }

        return self.ref(kinds.__name__.removesuffix("Kind"), kinds, build)

    def condition(self, subject: type) -> Schema:
        """A condition over ``subject``: a table with exactly one key."""
        leaves = _LEAVES[subject]
        name = f"{subject.__name__}Condition"

        def build() -> Schema:
            me = {"$ref": f"#/$defs/{name}"}
            branches = [
                _one_key(key, {"type": "array", "items": me, "minItems": 1})
                for key in ("all", "any")
            ]
            branches.append(_one_key("not", me))
            for key in leaves:
                branches.append(_one_key(key, self._leaf(subject, key)))
            added = [kind.key for kind in self.conditions if _leaf_subject(kind) is subject]
            for key in added:
                branches.append(_one_key(key, {"description": "read by the region's plugin"}))
            return {
                "description": (
                    "a condition: a table with exactly one of the keys "
                    + ", ".join(["all", "any", "not", *leaves, *added])
                ),
                "oneOf": branches,
            }

        return self.ref(name, (Condition, subject), build)

    def _leaf(self, subject: type, key: str) -> Schema:
        found = [
            (cls, attribute)
            for cls, (leaf_key, attribute) in LEAF_KEYS.items()
            if leaf_key == key and _leaf_subject(cls) is subject
        ]
        if len(found) != 1:
            raise TypeError(f"the leaf {key} of conditions over {subject.__name__} is not known")
        ((cls, attribute),) = found
        if attribute is None:
            return self.ref(cls.__name__, cls, lambda: self.record(cls))
        hints = typing.get_type_hints(cls)
        meta = attrs.fields_dict(cls)[attribute].metadata.get("json") or {}
        return self.of(hints[attribute], typevars(cls), meta)


def _one_key(key: str, value: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {key: value},
        "required": [key],
        "additionalProperties": False,
    }


_OBJECT_KEYS: Final = frozenset(
    {"type", "description", "properties", "required", "additionalProperties"}
)
