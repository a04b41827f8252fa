"""The OpenAPI 3.1 document of the service, made from the library's JSON Schemas.

The records and results are described by :func:`edupolicy.io.json_schema`, the same
schemas ``edupolicy schema`` prints: each becomes a component named as the schema
(``student``, ``aid-result``), and each of its ``$defs`` a component ``NAME.DEF``, its
references rewritten to point there.  The few shapes the library has no schema for
(the regions, the readings, the audit's findings, a problem) are defined here.

Every refusal the service makes is a response of the operation, with the problem's
schema; and the document the service publishes states the values its regions accept
(:mod:`edupolicy.server.accepted`), so that a request the document calls valid is one
the service answers.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Final

from edupolicy.io.schema import DIALECT, json_schema
from edupolicy.policy import Policy
from edupolicy.policy.questions import QUESTIONS, Question
from edupolicy.server.accepted import Accepted, accepted_components, accepted_values
from edupolicy.server.operations import JSON, Operation, Param, operations
from edupolicy.server.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPES

__all__ = ["LIBRARY_SCHEMAS", "openapi_document"]

#: The library's schemas the operations use.
LIBRARY_SCHEMAS: Final[tuple[str, ...]] = (
    "student",
    "teacher",
    "award",
    "figures",
    "aid-result",
    "teacher-result",
    "progress",
    "selection",
    "award-check",
    "awards-needed",
)

_PREFIX: Final = "#/components/schemas/"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": _PREFIX + name}


def _strings(*names: str) -> dict[str, Any]:
    return {name: {"type": "string"} for name in names}


def _local_schemas() -> dict[str, dict[str, Any]]:
    field_problem = {
        "type": "object",
        "description": "A bad field: its JSON path, the value found (as JSON text), what is wrong.",
        "properties": _strings("path", "value", "message"),
        "required": ["path", "value", "message"],
    }
    return {
        "regions": {
            "type": "array",
            "description": "The regions served (RegionInfo.to_json).",
            "items": {
                "type": "object",
                "properties": _strings("id", "name", "entry_point", "distribution", "version"),
                "required": ["id", "name", "entry_point", "distribution", "version"],
            },
        },
        "readings": {
            "type": "array",
            "description": (
                "The readings of each plan (Reading.to_json), with the plan's id and the "
                "choice in force."
            ),
            "items": {
                "type": "object",
                "properties": {
                    **_strings("plan", "id", "name", "default", "in_force"),
                    "source": {"type": "object"},
                    "choices": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["plan", "id", "name", "source", "default", "choices", "in_force"],
            },
        },
        "students": {
            "type": "array",
            "description": (
                "A roster of student records. A record that is not valid does not stop the "
                "others: it is reported in the answer, by its row."
            ),
            "items": {"anyOf": [_ref("student"), {"description": "an invalid record"}]},
        },
        "candidates": {
            "type": "array",
            "description": "Candidate teachers, each with an id, no two the same.",
            "items": {
                "allOf": [
                    _ref("teacher"),
                    {"required": ["id"], "properties": {"id": {"type": "string"}}},
                ]
            },
        },
        "awards": {"type": "array", "description": "Award entries.", "items": _ref("award")},
        "problem": {
            "type": "object",
            "description": "An error (RFC 9457); texts in the language of Accept-Language.",
            "properties": {
                "type": {"type": "string", "enum": [kind.uri for kind in PROBLEM_TYPES]},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {"type": "array", "items": field_problem},
                "line": {"type": "integer", "description": "a roster's line, counted from 1"},
            },
            "required": ["type", "title", "status", "detail", "errors"],
        },
        "roster-line": {
            "description": (
                "A line of the roster's answer: the aid result of the line of the same rank "
                "among the lines that are not blank, or a problem naming the line."
            ),
            "anyOf": [_ref("aid-result"), _ref("problem")],
        },
        "health": {
            "type": "object",
            "properties": {
                "status": {"type": "string"},
                "regions": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["status"],
        },
    }


def _moved(value: Any, name: str) -> Any:
    """``value`` with ``#/$defs/X`` references pointing at the component ``NAME.X``."""
    if isinstance(value, dict):
        moved = {key: _moved(item, name) for key, item in value.items()}
        target = moved.get("$ref")
        if isinstance(target, str) and target.startswith("#/$defs/"):
            moved["$ref"] = f"{_PREFIX}{name}.{target.removeprefix('#/$defs/')}"
        return moved
    if isinstance(value, list):
        return [_moved(item, name) for item in value]
    return value


def _component(name: str, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``schema``, a document of its own, as components: its definitions ``NAME.X``."""
    schema = dict(schema)
    schema.pop("$schema", None)
    defs: dict[str, Any] = schema.pop("$defs", {})
    found = {name: _moved(schema, name)}
    for def_name, definition in defs.items():
        found[f"{name}.{def_name}"] = _moved(definition, name)
    return found


def _merged(schema: dict[str, Any], stated: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with what ``stated`` adds: objects merged key by key, the rest replaced."""
    found = dict(schema)
    for key, value in stated.items():
        if isinstance(value, dict) and isinstance(found.get(key), dict):
            found[key] = _merged(found[key], value)
        else:
            found[key] = copy.deepcopy(value)
    return found


def _library_schemas() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for name in LIBRARY_SCHEMAS:
        found.update(_component(name, json_schema(name)))
    return found


def _question_schemas(questions: Sequence[Question]) -> dict[str, dict[str, Any]]:
    """The schemas the questions bring (a subject or an answer edupolicy.io does not
    define), each with its definitions."""
    found: dict[str, dict[str, Any]] = {}
    for question in questions:
        for name, schema in question.schemas.items():
            found.update(_component(name, dict(schema)))
    return found


#: The largest whole number a query parameter can be (nine digits).
_MOST: Final = 999_999_999
#: The whole numbers the questions take, where they are not any of 0 to :data:`_MOST`.
_WHOLE_NUMBERS: Final = {"year": (1, 9999), "size": (1, _MOST)}


def _param_schema(param: Param, op: Operation, accepted: Accepted) -> dict[str, Any]:
    stated = accepted.get((op.id, param.name), accepted.get(param.name))
    if stated is not None:
        return copy.deepcopy(stated)
    if param.kind == "date":
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    if param.kind == "flag":
        return {"type": "boolean"}
    if param.kind == "int":
        low, high = _WHOLE_NUMBERS.get(param.name, (0, _MOST))
        return {"type": "integer", "minimum": low, "maximum": high}
    if param.kind == "reading":
        return {"type": "array", "items": {"type": "string", "pattern": "^[^=]+=.+$"}}
    return {"type": "string"}


def _problem_responses(*statuses: int) -> dict[str, Any]:
    content = {PROBLEM_MEDIA_TYPE: {"schema": _ref("problem")}}
    found: dict[str, Any] = {}
    for status in statuses:
        kinds = [kind for kind in PROBLEM_TYPES if kind.status == status]
        found[str(status)] = {
            "description": "; ".join(f"{kind.slug}: {kind.title}" for kind in kinds),
            "content": copy.deepcopy(content),
        }
    return found


def _operation(op: Operation, accepted: Accepted) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = []
    if op.regional:
        region = copy.deepcopy(accepted.get("region", {"type": "string"}))
        parameters.append({"name": "region", "in": "path", "required": True, "schema": region})
    for param in op.params:
        entry: dict[str, Any] = {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "description": param.description,
            "schema": _param_schema(param, op, accepted),
        }
        if param.kind == "reading":
            entry.update(style="form", explode=True)
        parameters.append(entry)
    statuses = [400]
    if op.regional:
        statuses.append(404)
    if op.body is not None:
        statuses.append(413)
    if op.regional:
        statuses.extend([422, 503])
    result_description = "the answer, in the shape the library documents"
    if op.result_media != JSON:
        result_description = "JSON Lines: one roster-line per line of the roster that is not blank"
    found: dict[str, Any] = {
        "operationId": op.id,
        "summary": op.summary,
        "parameters": parameters,
        "responses": {
            "200": {
                "description": result_description,
                "headers": {"Content-Language": {"schema": {"type": "string"}}},
                "content": {op.result_media: {"schema": _ref(op.result)}},
            },
            **_problem_responses(*statuses),
        },
    }
    if op.body is not None:
        body_description = "JSON"
        body_schema = _ref(op.body)
        if op.body_media != JSON:
            body_description = (
                f"JSON Lines: each line a {op.body} record; a line that is not one is "
                "answered by a problem naming the line"
            )
            body_schema = {"anyOf": [body_schema, {"description": "a line that is not valid"}]}
        found["requestBody"] = {
            # A roster with no lines is answered with none.
            "required": op.body_media == JSON,
            "description": body_description,
            "content": {op.body_media: {"schema": body_schema}},
        }
    return found


def _plain(summary: str, schema: str, *statuses: int) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "responses": {
                "200": {"description": summary, "content": {JSON: {"schema": _ref(schema)}}},
                **_problem_responses(*statuses),
            },
        }
    }


def openapi_document(
    version: str,
    questions: Sequence[Question] = QUESTIONS,
    policies: Mapping[str, Policy] | None = None,
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service, edupolicy being at ``version``, with an
    operation for each of ``questions``.

    With ``policies`` (the policies served, by region), the parameters whose values the
    regions decide state the values they accept; without, any value of their kind.
    """
    accepted = accepted_values(policies) if policies is not None else {}
    paths: dict[str, dict[str, Any]] = {
        "/healthz": _plain("The process is alive", "health"),
        "/readyz": _plain("The policies are loaded (200), or not yet (503)", "health", 503),
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {}}}},
            }
        },
    }
    for op in operations(questions):
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, accepted)
    schemas = {**_library_schemas(), **_local_schemas(), **_question_schemas(questions)}
    if policies is not None:
        for name, stated in accepted_components(policies).items():
            if name in schemas:
                schemas[name] = _merged(schemas[name], stated)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "edupolicy",
            "version": version,
            "description": (
                "Rules as code for education poverty-alleviation plans, over HTTP. Records "
                "and results are those of the library; errors are application/problem+json "
                "(RFC 9457); Accept-Language chooses zh-CN or en."
            ),
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
