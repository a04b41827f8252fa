"""JSON Schemas (draft 2020-12) of plan files, records and results.

The schemas of what edupolicy *reads* (a plan file, a student, a teacher, an award
entry, reported figures) are **generated** from the model: the attrs classes that the
one converter (:mod:`edupolicy.io.convert`) reads, walked field by field with
:func:`attrs.fields` and :func:`typing.get_type_hints`.  A field added to a class
appears in its schema without anyone editing a schema.  What a type becomes:

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

The converter reads a few things in a way a type does not say; each is handled here
explicitly, mirroring the converter:

* **Conditions** (``Condition[S]``) are tables with exactly one key: ``all`` and
  ``any`` (a non-empty list of conditions), ``not`` (a condition), or a leaf key of
  the subject's leaves (``_AID_LEAVES``, ``_TEACHER_LEAVES``), whose value is the leaf's
  attribute (``{stage = [...]}``) or the leaf's own fields (``{year = {min = 1}}``), as
  ``_LEAF_KEYS`` says.
* **Tagged unions**: a union of attrs classes that each have a ``kind`` class
  variable (benefits, outcomes) is one table per class, told apart by ``kind``.
* **Fields with a hook of their own** (:data:`FIELD_READERS`, the ``_fields`` calls
  of :func:`~edupolicy.io.convert.make_converter`): years counted from 1, record
  ids, measured quantities, percentages, calendar years.
* **Changes** (:class:`~edupolicy.plans.change.Change`, in the choices of readings)
  are read by :func:`~edupolicy.io.changefiles.read_change`: no ``null``, one action and
  one selector (:data:`~edupolicy.plans.change.SELECTORS`).
* **Checks a validator makes** on one field that a schema can state too
  (:data:`REFINEMENTS`: a list that must not be empty, an amount above zero), and an
  award entry's need for a school or a teacher.

The schemas of results are written here by hand, one per ``to_json``: results are
built by code, not read by the converter.  Every object of a result lists its keys
(``additionalProperties: false``), so the tests fail when a key is added or renamed.

The schemas keep to keywords that JSON Schema draft 4 validators (such as Taplo's)
also know: ``enum`` rather than ``const``, no ``if``/``then``, no ``propertyNames``.

What no schema here can say, and the library checks (see ``docs/schemas.md``): checks
across fields or records (a period that ends before it starts, postings that overlap,
ids and references within a plan, a year beyond the length of its stage in the plan in
force, a reported figure's indicator and unit), and that a number written ``2.0`` in
JSON is not a whole number (to JSON Schema it is one).
"""

from __future__ import annotations

import copy
import datetime as _dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from edupolicy.aid import (
    BenefitKind,
    Cash,
    HouseholdAny,
    Stage,
    StageIn,
    Student,
    Waiver,
    YearIn,
)
from edupolicy.errors import EdupolicyError
from edupolicy.goals import Baseline, Comparison, Fact, Observation, Target, Unit
from edupolicy.goals.progress import Status
from edupolicy.i18n import Message, _
from edupolicy.io.convert import _AID_LEAVES, _LEAF_KEYS, _TEACHER_LEAVES
from edupolicy.io.scalars import (
    structure_calendar_year,
    structure_id,
    structure_percent,
    structure_quantity,
    structure_year,
)
from edupolicy.plans.change import SELECTORS, Change
from edupolicy.plans.layer import PlanLayer
from edupolicy.plans.plan import MAX_STAGE_YEARS, Plan
from edupolicy.plans.reading import Reading
from edupolicy.rules import Condition, Leaf
from edupolicy.teachers import (
    Allowance,
    Award,
    AwardKind,
    ContinuousRuralYears,
    Counting,
    OutcomeKind,
    Quota,
    RankKey,
    RelaxedHonours,
    Share,
    Teacher,
    TeacherOn,
    Title,
    TitleExemption,
    TitleIn,
    TotalRuralYears,
)
from edupolicy.teachers.incentives import Continuity
from edupolicy.values import MAX_INT, Frequency, SchoolArea

__all__ = [
    "DIALECT",
    "FIELD_READERS",
    "REFINEMENTS",
    "SCHEMA_NAMES",
    "UnknownSchemaError",
    "json_schema",
    "schema_description",
]

#: The JSON Schema dialect of every schema.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

#: A JSON Schema, as JSON-shaped Python data.
Schema = dict[str, Any]

_NULL: Final[Schema] = {"type": "null"}
_STRING: Final[Schema] = {"type": "string"}
_BOOLEAN: Final[Schema] = {"type": "boolean"}


def _whole(regex: str) -> str:
    """``regex`` matching the whole string.  ``$(?!\\n)``: in Python, ``$`` alone would let
    a final newline through, which the library refuses."""
    return f"^(?:{regex})$(?!\\n)"


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, dict(_NULL)]}


def _integer(minimum: int = -MAX_INT, maximum: int = MAX_INT) -> Schema:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def _enum(type_: type[enum.Enum], exclude: tuple[enum.Enum, ...] = ()) -> Schema:
    return {"type": "string", "enum": [m.value for m in type_ if m not in exclude]}


def _money() -> Schema:
    return {
        "type": "string",
        "pattern": _whole(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?"),
        "description": 'yuan, as a string with at most two decimals, like "1000.00"',
    }


_POSITIVE: Final[Schema] = {"not": {"pattern": _whole(r"0(\.0{1,2})?")}}


def _date() -> Schema:
    return {"type": "string", "format": "date", "pattern": _whole("[0-9]{4}-[0-9]{2}-[0-9]{2}")}


def _quantity() -> Schema:
    return {
        "anyOf": [
            _integer(0, 10**15 - 1),
            {"type": "string", "pattern": _whole(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,4})?")},
        ],
        "description": 'a whole number, or a string of digits with up to 4 decimals, like "98.7"',
    }


def _percent() -> Schema:
    return {
        "anyOf": [
            _integer(0, 100),
            {"type": "string", "pattern": _whole(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,4})?")},
        ],
        "description": 'a percentage, like "30"',
    }


def _record_id() -> Schema:
    return _nullable({"type": "string", "pattern": r"\S", "description": "not blank"})


#: The fields the converter reads with a hook of their own (the ``_fields`` calls of
#: :func:`~edupolicy.io.convert.make_converter`), and the hook.  A test compares this
#: table with those calls, so that the two cannot drift apart.  ``Teacher.service`` is
#: read as its type says, then checked for overlaps (which no schema can say).
FIELD_READERS: Final[Mapping[tuple[type, str], Callable[[object, object], object] | None]] = {
    (Student, "year"): structure_year,
    (Student, "id"): structure_id,
    (Teacher, "id"): structure_id,
    (Teacher, "service"): None,
    (Award, "id"): structure_id,
    (Share, "min_percent"): structure_percent,
    (Observation, "value"): structure_quantity,
    (Observation, "year"): structure_calendar_year,
    (Target, "value"): structure_quantity,
    (Baseline, "value"): structure_quantity,
    (Fact, "value"): structure_quantity,
}

_HOOK_SCHEMAS: Final[Mapping[Callable[[object, object], object], Callable[[], Schema]]] = {
    structure_year: lambda: {**_integer(1), "description": "counted from 1"},
    structure_id: _record_id,
    structure_quantity: _quantity,
    structure_percent: _percent,
    structure_calendar_year: lambda: _nullable(_integer(1, 9999)),
}

#: What a validator of one field checks that a schema can state as well, merged into
#: the field's schema (into ``X`` of ``X | None``).
REFINEMENTS: Final[Mapping[tuple[type, str], Schema]] = {
    (Plan, "stage_years"): {
        "required": [stage.value for stage in Stage],
        "additionalProperties": _integer(1, MAX_STAGE_YEARS),
    },
    (StageIn, "stages"): {"minItems": 1},
    (HouseholdAny, "statuses"): {"minItems": 1},
    (TitleIn, "titles"): {"minItems": 1},
    (YearIn, "min"): {"minimum": 1},
    (YearIn, "max"): {"minimum": 1},
    (ContinuousRuralYears, "min"): {"minimum": 1},
    (ContinuousRuralYears, "max"): {"minimum": 1},
    (TotalRuralYears, "min"): {"minimum": 1},
    (TotalRuralYears, "max"): {"minimum": 1},
    (Cash, "amount"): _POSITIVE,
    (Waiver, "waives"): {"minItems": 1},
    (Allowance, "amount"): _POSITIVE,
    (RelaxedHonours, "honours"): {"minItems": 1},
    (TitleExemption, "level"): _enum(Title, exclude=(Title.NONE,)),
    (Continuity, "max_gap_days"): {"minimum": 0},
    (Quota, "per_year"): {"minimum": 1},
    (Quota, "counted_on"): {"pattern": _whole("(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")},
    (Quota, "ranking"): {"uniqueItems": True, "minItems": 1},
    (Share, "min_percent"): {
        "anyOf": [
            _integer(1, 100),
            {
                "type": "string",
                "pattern": _whole(r"([0-9]|[1-9][0-9])(\.[0-9]{1,4})?|100(\.0{1,4})?"),
                **_POSITIVE,
            },
        ]
    },
    (Reading, "choices"): {"minItems": 2},
}

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
    Student: _AID_LEAVES,
    TeacherOn: _TEACHER_LEAVES,
}


def _description(cls: type) -> str | None:
    doc = cls.__doc__
    if not doc or doc.startswith(f"{cls.__name__}("):  # attrs' generated signature
        return None
    return " ".join(doc.strip().split("\n\n")[0].split())


def _is_none(type_: Any) -> bool:
    return type_ is type(None)


def _typevars(cls: type) -> dict[Any, Any]:
    """What each type variable of ``cls``'s generic bases stands for (``S`` → ``Student``)."""
    found: dict[Any, Any] = {}
    for klass in reversed(cls.__mro__):
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base)
            parameters = getattr(origin, "__parameters__", ())
            arguments = [found.get(a, a) for a in typing.get_args(base)]
            found.update(zip(parameters, arguments, strict=False))
    return found


def _leaf_subject(cls: type) -> Any:
    for base in getattr(cls, "__orig_bases__", ()):
        if typing.get_origin(base) is Leaf:
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


class _Generator:
    """Builds one schema, its classes collected under ``$defs``.

    ``declared``: whether the data may use words that it declares itself (a plan file's
    own household statuses); a record may use only the core's words.
    """

    def __init__(self, *, declared: bool = False) -> None:
        self.declared = declared
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

    def of(self, type_: Any, env: Mapping[Any, Any], refine: Schema | None = None) -> Schema:
        """The schema of a value of ``type_``; ``refine`` merged into it (not into ``null``)."""
        if isinstance(type_, typing.TypeVar):
            type_ = env[type_]
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        if origin in (typing.Union, types.UnionType):
            members = tuple(a for a in args if not _is_none(a))
            if len(members) < len(args):
                inner = members[0] if len(members) == 1 else typing.Union[members]  # noqa: UP007
                return _nullable(self.of(inner, env, refine))
            words = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
            schema = self._open(words[0]) if len(words) == 1 else self._tagged(members)
        else:
            schema = self._bare(type_, origin, args, env)
        return {**schema, **refine} if refine else schema

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
            return dict(_BOOLEAN)
        if type_ is int:
            return _integer()
        if type_ is str:
            return dict(_STRING)
        if type_ is Decimal:
            return _money()
        if type_ is _dt.date:
            return _date()
        if isinstance(type_, type) and issubclass(type_, enum.Enum):
            return _enum(type_)
        if type_ is Change:
            return self.ref("Change", Change, _change)
        if isinstance(type_, type) and attrs.has(type_):
            return self.ref(type_.__name__, type_, lambda: self.record(type_))
        raise TypeError(f"no schema for the type {type_!r}")

    def record(self, cls: type, *, tag: enum.Enum | None = None) -> Schema:
        """An attrs class as a table of its fields, no others (with its ``kind`` tag)."""
        hints = typing.get_type_hints(cls)
        env = _typevars(cls)
        properties: dict[str, Schema] = {}
        required: list[str] = []
        if tag is not None:
            properties["kind"] = {"type": "string", "enum": [tag.value]}
            required.append("kind")
        for field in attrs.fields(cls):
            if field.metadata.get("json", True) is False:
                continue  # not data: left out of the JSON shape
            hook = FIELD_READERS.get((cls, field.name))
            refine = REFINEMENTS.get((cls, field.name))
            if hook is not None:
                found = {**_HOOK_SCHEMAS[hook](), **(refine or {})}
            else:
                found = self.of(hints[field.name], env, refine)
            properties[field.name] = found
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema: Schema = {"type": "object"}
        description = _description(cls)
        if description:
            schema["description"] = description
        schema.update(properties=properties, required=required, additionalProperties=False)
        schema.update(copy.deepcopy(_CLASS_RULES.get(cls, {})))
        return schema

    def _open(self, words: type[enum.Enum]) -> Schema:
        """An open vocabulary (``Household | PlanStatus``): the core's words, or in a plan
        file a word that the plan declares (checked against the plan, not here)."""
        core = _enum(words)
        if not self.declared:
            return core
        declared = {
            "type": "string",
            "pattern": _whole(_DECLARED_WORD),
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
            return {
                "description": (
                    "a condition: a table with exactly one of the keys "
                    + ", ".join(["all", "any", "not", *leaves])
                ),
                "oneOf": branches,
            }

        return self.ref(name, (Condition, subject), build)

    def _leaf(self, subject: type, key: str) -> Schema:
        found = [
            (cls, attribute)
            for cls, (leaf_key, attribute) in _LEAF_KEYS.items()
            if leaf_key == key and _leaf_subject(cls) is subject
        ]
        if len(found) != 1:
            raise TypeError(f"the leaf {key} of conditions over {subject.__name__} is not known")
        ((cls, attribute),) = found
        if attribute is None:
            return self.ref(cls.__name__, cls, lambda: self.record(cls))
        hints = typing.get_type_hints(cls)
        return self.of(hints[attribute], _typevars(cls), REFINEMENTS.get((cls, attribute)))


def _one_key(key: str, value: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {key: value},
        "required": [key],
        "additionalProperties": False,
    }


def _change() -> Schema:
    """A change, as :func:`~edupolicy.io.changefiles.read_change` reads it: no ``null``;
    one action (``set``, ``remove = true`` or ``add``); one selector, or an ``add`` with
    its ``item`` and no selector."""
    hints = typing.get_type_hints(Change)
    properties: dict[str, Schema] = {}
    for field in attrs.fields(Change):
        hint = hints[field.name]
        members = [a for a in typing.get_args(hint) if not _is_none(a)] or [hint]
        base = typing.get_origin(members[0]) or members[0]
        if base is bool:
            properties[field.name] = dict(_BOOLEAN)
        elif isinstance(base, type) and issubclass(base, Mapping):
            properties[field.name] = {"type": "object"}
        else:
            properties[field.name] = {"type": "string", "pattern": r"\S"}
    properties["set"]["minProperties"] = 1
    selectors = [{"required": [name]} for name in SELECTORS]
    return {
        "type": "object",
        "description": _description(Change),
        "properties": properties,
        "required": [f.name for f in attrs.fields(Change) if f.default is attrs.NOTHING],
        "additionalProperties": False,
        "allOf": [
            {
                "oneOf": [
                    {"required": ["set"]},
                    {"required": ["remove"], "properties": {"remove": {"enum": [True]}}},
                    {"required": ["add"]},
                ]
            },
            {
                "oneOf": [
                    {"required": ["add", "item"], "not": {"anyOf": selectors}},
                    {
                        "not": {"anyOf": [{"required": ["add"]}, {"required": ["item"]}]},
                        "oneOf": copy.deepcopy(selectors),
                    },
                ]
            },
        ],
    }


# --- the schemas of what edupolicy reads ---------------------------------------------------


def _document(title: str, description: str, body: Schema, generator: _Generator) -> Schema:
    schema: Schema = {"$schema": DIALECT, "title": title}
    schema.update(body)
    schema["description"] = description
    if generator.defs:
        schema["$defs"] = dict(sorted(generator.defs.items()))
    return schema


def _plan(*, part: bool) -> Schema:
    """A plan file: a whole plan, or (naming a ``parent`` region) a layer over the
    parent's plan; with ``parts``.  A part: any of their top-level tables."""
    generator = _Generator(declared=True)
    shapes = [generator.record(Plan), generator.record(PlanLayer)]
    for shape in shapes:
        if part:
            shape["required"] = []
        else:
            shape["properties"]["parts"] = {
                "type": "array",
                "items": {"type": "string", "pattern": _whole(r"[^/\\.][^/\\]*")},
                "description": "files beside the plan file whose top-level tables join the plan",
            }
    if part:
        title, text = "edupolicy plan part", "A part of a plan file: some of its top-level tables."
    else:
        title, text = "edupolicy plan file", "A region's plan file (TOML), read as JSON."
    return _document(title, text, {"type": "object", "anyOf": shapes}, generator)


def _record(cls: type, title: str, text: str) -> Schema:
    generator = _Generator()
    return _document(title, text, generator.record(cls), generator)


def _figures() -> Schema:
    generator = _Generator()
    observation = generator.record(Observation)
    # An indicator that is achieved or not may be reported as true or false.
    value = {"anyOf": [_quantity(), dict(_BOOLEAN)]}
    observation["properties"]["value"] = value
    generator.defs["Observation"] = observation
    body: Schema = {
        "anyOf": [
            {"type": "array", "items": {"$ref": "#/$defs/Observation"}},
            {
                "type": "object",
                "description": "indicator id → value, for the year the caller gives",
                "additionalProperties": copy.deepcopy(value),
            },
        ]
    }
    return _document(
        "edupolicy reported figures",
        "Figures a statistics office reports: a list of observations, or an object of "
        "indicator ids and values.",
        body,
        generator,
    )


# --- the schemas of results (written by hand: results are built by code) ------------------


def _object(required: Mapping[str, Schema], optional: Mapping[str, Schema] | None = None) -> Schema:
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def _list(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


_AMOUNT: Final = {"type": "string", "pattern": _whole(r"(0|[1-9][0-9]*)\.[0-9]{2}")}
_NUMBER_TEXT: Final = {"type": "string", "pattern": _whole(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")}


def _result_defs() -> dict[str, Schema]:
    text, date, count = dict(_STRING), _date(), _integer(0)
    source = {
        "section": text,
        "quote": text,
        "gloss": _nullable(text),
        "interpretation": _nullable(text),
    }
    cited = {"plan": text, "document": text}
    lack = _object(
        {
            "rule": text,
            "name": text,
            "missing": _list(text),
            "reached_on": _nullable(date),
            "text": text,
        }
    )
    service = _object(
        {
            "on": date,
            "current_school_area": _nullable(_enum(SchoolArea)),
            "continuous_rural_years": count,
            "continuous_since": _nullable(date),
            "total_rural_years": count,
            "total_rural_days": count,
        }
    )
    kind_count = _object(
        {"size": count, "rural": count, "required": count, "meets": _BOOLEAN, "short_by": count}
    )
    return {
        "Source": _object(source, cited),
        "ItemSource": _object({**source, "section_title": _nullable(text)}, cited),
        "Readings": {
            "type": "object",
            "description": "reading id → the choice applied",
            "additionalProperties": text,
        },
        "Lack": lack,
        "RuralService": service,
        "KindCount": kind_count,
    }


def _result(title: str, text: str, body: Schema, names: tuple[str, ...]) -> Schema:
    defs = _result_defs()
    schema: Schema = {"$schema": DIALECT, "title": title, "description": text, **body}
    schema["$defs"] = {name: defs[name] for name in sorted(names)}
    return schema


def _aid_result() -> Schema:
    text = dict(_STRING)
    item = _object(
        {
            "rule": text,
            "name": text,
            "kind": _enum(BenefitKind),
            "amount": _nullable(_AMOUNT),
            "frequency": _nullable(_enum(Frequency)),
            "waives": _list(text),
            "source": _ref("ItemSource"),
            "explanation": text,
        }
    )
    note = _object({"id": text, "name": text, "source": _ref("Source")})
    not_applied = _object({"rule": text, "name": text, "reason": text, "section": text})
    body = _object(
        {
            "region": text,
            "plan": text,
            "on": _date(),
            "id": _nullable(text),
            "currency": {"type": "string", "enum": ["CNY"]},
            "cash_total": _AMOUNT,
            "waivers": _list(text),
            "items": _list(item),
            "readings": _ref("Readings"),
            "notes": _list(note),
        },
        {"not_applied": _list(not_applied)},
    )
    return _result(
        "edupolicy aid result",
        "The aid one student receives: AidResult.to_json().",
        body,
        ("ItemSource", "Readings", "Source"),
    )


def _teacher_result() -> Schema:
    text = dict(_STRING)
    outcome = _object(
        {
            "kind": _enum(OutcomeKind),
            "level": _nullable(_enum(Title)),
            "programme": _nullable(text),
            "honours": _list(text),
            "description": _nullable(text),
            "amount": _nullable(_AMOUNT),
            "frequency": _nullable(_enum(Frequency)),
            "text": text,
        }
    )
    item = _object(
        {
            "rule": text,
            "name": text,
            "outcome": outcome,
            "source": _ref("ItemSource"),
            "explanation": text,
        }
    )
    not_applied = _object(
        {
            "rule": text,
            "name": text,
            "reason": text,
            "lacks": _nullable(_ref("Lack")),
            "section": text,
        }
    )
    body = _object(
        {
            "region": text,
            "plan": text,
            "on": _date(),
            "id": _nullable(text),
            "service": _ref("RuralService"),
            "items": _list(item),
            "readings": _ref("Readings"),
        },
        {"not_applied": _list(not_applied), "lacking": _list(_ref("Lack"))},
    )
    return _result(
        "edupolicy teacher result",
        "The incentives one teacher earns: TeacherResult.to_json().",
        body,
        ("ItemSource", "Lack", "Readings", "RuralService"),
    )


def _progress() -> Schema:
    text = dict(_STRING)
    line = _object(
        {
            "target": text,
            "indicator": text,
            "name": text,
            "scope": _nullable(text),
            "unit": _enum(Unit),
            "comparison": _enum(Comparison),
            "value": {"anyOf": [_NUMBER_TEXT, _BOOLEAN]},
            "deadline": _date(),
            "status": _enum(Status),
            "observed": {"anyOf": [_NUMBER_TEXT, _BOOLEAN, _NULL]},
            "observed_on": _nullable(_date()),
            "summed_from_parts": _BOOLEAN,
            "gap": _nullable(_NUMBER_TEXT),
            "expected": _nullable(_NUMBER_TEXT),
            "section": text,
            "explanation": text,
            "readings": _ref("Readings"),
        }
    )
    return _result(
        "edupolicy progress",
        "Where each target stands: a list of TargetProgress.to_json().",
        _list(line),
        ("Readings",),
    )


def _selection() -> Schema:
    text = dict(_STRING)
    candidate = _object(
        {
            "id": _nullable(text),
            "selected": _BOOLEAN,
            "eligible": _BOOLEAN,
            "rank": _nullable(_integer(1)),
            "reason": text,
            "service": _ref("RuralService"),
        }
    )
    body = _object(
        {
            "region": text,
            "plan": text,
            "programme": text,
            "name": text,
            "year": _integer(),
            "on": _date(),
            "per_year": _integer(1),
            "ranking": _list(_enum(RankKey)),
            "source": _ref("Source"),
            "selected": _list(text),
            "candidates": _list(candidate),
            "readings": _ref("Readings"),
        }
    )
    return _result(
        "edupolicy selection",
        "A year's cohort of a quota: Selection.to_json().",
        body,
        ("Readings", "RuralService", "Source"),
    )


def _award_check() -> Schema:
    text, count = dict(_STRING), _integer(0)
    entry = _object({"id": text, "kind": _enum(AwardKind), "rural": _BOOLEAN, "reason": text})
    body = _object(
        {
            "region": text,
            "plan": text,
            "share": text,
            "name": text,
            "on": _date(),
            "min_percent": _NUMBER_TEXT,
            "counted": _enum(Counting),
            "size": count,
            "rural": count,
            "percent": _NUMBER_TEXT,
            "required": count,
            "meets": _BOOLEAN,
            "short_by": count,
            "rural_to_add": _nullable(count),
            "summary": text,
            "source": _ref("Source"),
            "entries": _list(entry),
            "readings": _ref("Readings"),
        },
        {
            "by_kind": {
                "type": "object",
                "properties": {kind.value: _ref("KindCount") for kind in AwardKind},
                "additionalProperties": False,
            }
        },
    )
    return _result(
        "edupolicy award check",
        "An award list checked against a share: ShareCheck.to_json().",
        body,
        ("KindCount", "Readings", "Source"),
    )


def _awards_needed() -> Schema:
    text, count = dict(_STRING), _integer(0)
    body = _object(
        {
            "share": text,
            "counted": _enum(Counting),
            "on": _date(),
            "size": _integer(1),
            "pool": count,
            "pool_rural": count,
            "required": count,
            "summary": text,
            "readings": _ref("Readings"),
        }
    )
    return _result(
        "edupolicy awards needed",
        "How many awards must be rural: ShareRequirement.to_json().",
        body,
        ("Readings",),
    )


# --- by name -------------------------------------------------------------------------------

_BUILDERS: Final[Mapping[str, tuple[Callable[[], Schema], Message]]] = {
    "plan": (lambda: _plan(part=False), _("a plan file (TOML, read as JSON)")),
    "plan-part": (lambda: _plan(part=True), _("a part of a plan file, listed in its parts")),
    "student": (
        lambda: _record(Student, "edupolicy student record", "A student record."),
        _("a student record"),
    ),
    "teacher": (
        lambda: _record(Teacher, "edupolicy teacher record", "A teacher record."),
        _("a teacher record"),
    ),
    "award": (
        lambda: _record(Award, "edupolicy award entry", "One entry of an award list."),
        _("an entry of an award list"),
    ),
    "figures": (_figures, _("reported figures: a list of observations, or indicator → value")),
    "aid-result": (_aid_result, _("the aid result of a student")),
    "teacher-result": (_teacher_result, _("the incentives result of a teacher")),
    "progress": (_progress, _("progress towards the targets: a list of target lines")),
    "selection": (_selection, _("a quota's selection of teachers")),
    "award-check": (_award_check, _("an award list checked against a share")),
    "awards-needed": (_awards_needed, _("how many awards of a list must be rural")),
}

#: The names of the schemas, as ``edupolicy schema NAME`` and :func:`json_schema` take them.
SCHEMA_NAMES: Final[tuple[str, ...]] = tuple(_BUILDERS)


class UnknownSchemaError(EdupolicyError, LookupError):
    """No schema has the name asked for; :attr:`available` lists the names."""

    def __init__(self, name: object, *, locale: str | None = None) -> None:
        self.name = name
        self.available = SCHEMA_NAMES
        super().__init__(
            _(
                "no schema is named {name}; schemas: {names}",
                name=repr(name),
                names=", ".join(SCHEMA_NAMES),
            ),
            locale=locale,
        )


@functools.cache
def _built(name: str) -> Schema:
    return _BUILDERS[name][0]()


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) named ``name``, one of :data:`SCHEMA_NAMES`.

    ``plan`` is the schema of a plan file (its dates as ``YYYY-MM-DD`` strings, as a
    TOML date reads in JSON); ``student``, ``teacher``, ``award`` and ``figures`` those
    of the records edupolicy reads; ``aid-result``, ``teacher-result``, ``progress``,
    ``selection``, ``award-check`` and ``awards-needed`` those of the results'
    ``to_json()``.  A new copy each time.  An unknown name raises
    :class:`UnknownSchemaError` (a :class:`LookupError`) listing the names.
    """
    given: object = name  # callers without a type checker may pass anything
    if not isinstance(given, str) or given not in _BUILDERS:
        raise UnknownSchemaError(name)
    return copy.deepcopy(_built(name))


def schema_description(name: str) -> Message:
    """What the schema ``name`` describes, translatable."""
    if name not in _BUILDERS:
        raise UnknownSchemaError(name)
    return _BUILDERS[name][1]
