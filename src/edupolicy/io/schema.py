"""JSON Schemas (draft 2020-12) of plan files, records and results, by name.

Every schema is generated from the model, from the declarations that read or write
the data it describes: the schemas of what edupolicy *reads* (a plan file, a student,
a teacher, an award entry, reported figures) from the attrs classes the one converter
reads, and their fields' metadata (:mod:`edupolicy.io.recordschema`); the schemas of
results from the views their JSON is written from (:mod:`edupolicy.io.results`).  Every
object of a result lists its keys (``additionalProperties: false``), so the tests fail
when a key is added or renamed without the view.

What no schema here can say, and the library checks (see ``docs/schemas.md``): checks
across fields or records (a period that ends before it starts, postings that overlap,
ids and references within a plan, a year beyond the length of its stage in the plan in
force, a reported figure's indicator and unit), and that a number written ``2.0`` in
JSON is not a whole number (to JSON Schema it is one).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from edupolicy.aid import Student
from edupolicy.errors import EdupolicyError, show_value
from edupolicy.goals import Observation
from edupolicy.i18n import Message, _
from edupolicy.io.recordschema import Generator
from edupolicy.io.results import result_schema
from edupolicy.io.schematypes import BOOLEAN, DIALECT, Schema, document, quantity, whole
from edupolicy.plans.layer import PlanLayer
from edupolicy.plans.plan import Plan
from edupolicy.rules import ExtensionCondition
from edupolicy.teachers import Award, Teacher

__all__ = [
    "DIALECT",
    "SCHEMA_NAMES",
    "UnknownSchemaError",
    "json_schema",
    "schema_description",
]


def _document(title: str, description: str, body: Schema, generator: Generator) -> Schema:
    return document(title, description, body, generator.defs)


def _plan(*, part: bool, conditions: Sequence[type[ExtensionCondition[Any]]] = ()) -> Schema:
    """A plan file: a whole plan, or (naming a ``parent`` region) a layer over the
    parent's plan; with ``parts``.  A part: any of their top-level tables.  Its
    conditions may use the keys of ``conditions``, the kinds of condition a plugin adds."""
    generator = Generator(declared=True, conditions=conditions)
    shapes = [generator.record(Plan), generator.record(PlanLayer)]
    for shape in shapes:
        if part:
            shape.pop("required", None)
        else:
            shape["properties"]["parts"] = {
                "type": "array",
                "items": {"type": "string", "pattern": whole(r"[^/\\.][^/\\]*")},
                "description": "files beside the plan file whose top-level tables join the plan",
            }
    if part:
        title, text = "edupolicy plan part", "A part of a plan file: some of its top-level tables."
    else:
        title, text = "edupolicy plan file", "A region's plan file (TOML), read as JSON."
    return _document(title, text, {"type": "object", "anyOf": shapes}, generator)


def _record(cls: type, title: str, text: str) -> Schema:
    generator = Generator()
    return _document(title, text, generator.record(cls), generator)


def _figures() -> Schema:
    generator = Generator()
    observation = generator.record(Observation)
    # An indicator that is achieved or not may be reported as true or false.
    value = {"anyOf": [quantity(), dict(BOOLEAN)]}
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
    "aid-result": (
        lambda: result_schema("aid-result", "edupolicy aid result"),
        _("the aid result of a student"),
    ),
    "teacher-result": (
        lambda: result_schema("teacher-result", "edupolicy teacher result"),
        _("the incentives result of a teacher"),
    ),
    "progress": (
        lambda: result_schema("progress", "edupolicy progress"),
        _("progress towards the targets: a list of target lines"),
    ),
    "selection": (
        lambda: result_schema("selection", "edupolicy selection"),
        _("a quota's selection of teachers"),
    ),
    "award-check": (
        lambda: result_schema("award-check", "edupolicy award check"),
        _("an award list checked against a share"),
    ),
    "awards-needed": (
        lambda: result_schema("awards-needed", "edupolicy awards needed"),
        _("how many awards of a list must be rural"),
    ),
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
                name=show_value(name),
                names=", ".join(SCHEMA_NAMES),
            ),
            locale=locale,
        )


@functools.cache
def _built(name: str) -> Schema:
    return _BUILDERS[name][0]()


def json_schema(
    name: str, *, conditions: Iterable[type[ExtensionCondition[Any]]] = ()
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) named ``name``, one of :data:`SCHEMA_NAMES`.

    ``plan`` is the schema of a plan file (its dates as ``YYYY-MM-DD`` strings, as a
    TOML date reads in JSON); ``student``, ``teacher``, ``award`` and ``figures`` those
    of the records edupolicy reads; ``aid-result``, ``teacher-result``, ``progress``,
    ``selection``, ``award-check`` and ``awards-needed`` those of the results'
    ``to_json()``.  ``conditions``: the kinds of condition a region's plugin adds
    (:class:`~edupolicy.rules.ExtensionCondition` subclasses), whose keys the
    conditions of a ``plan`` or ``plan-part`` may use.  A new copy each time.  An
    unknown name raises :class:`UnknownSchemaError` (a :class:`LookupError`) listing
    the names.
    """
    given: object = name  # callers without a type checker may pass anything
    if not isinstance(given, str) or given not in _BUILDERS:
        raise UnknownSchemaError(name)
    kinds = tuple(conditions)
    if kinds and name in ("plan", "plan-part"):
        return _plan(part=name == "plan-part", conditions=kinds)
    return copy.deepcopy(_built(name))


def schema_description(name: str) -> Message:
    """What the schema ``name`` describes, translatable."""
    if name not in _BUILDERS:
        raise UnknownSchemaError(name)
    return _BUILDERS[name][1]
