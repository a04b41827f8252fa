"""The operations of the HTTP service, declared once: the routes, the query parameters
each takes (and how they are read), and the schemas of its body and result, from which
both the application and its OpenAPI document are made."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal

import attrs

from edupolicy.errors import MISSING, FieldProblem
from edupolicy.i18n import _
from edupolicy.policy.arguments import not_a_reading, reading_written
from edupolicy.policy.questions import EXPLAIN, ON, QUESTIONS, Question, read_param_text

__all__ = [
    "JSON",
    "JSON_LINES",
    "OPERATIONS",
    "Operation",
    "Param",
    "QueryError",
    "from_question",
    "operations",
    "read_query",
]

JSON: Final = "application/json"
#: The media type of JSON Lines, as the roster endpoint reads and writes them.
JSON_LINES: Final = "application/x-ndjson"

Kind = Literal["date", "flag", "int", "text", "reading"]


@attrs.frozen
class Param:
    """A query parameter: its name, how it is read, whether it is required."""

    name: str
    kind: Kind
    description: str
    required: bool = False


@attrs.frozen(kw_only=True)
class Operation:
    """One operation: its method and path, its parameters, its body and its result.

    ``body`` and ``result`` name a schema: one of :data:`edupolicy.io.SCHEMA_NAMES`,
    or one the OpenAPI document defines itself (see :mod:`edupolicy.server.openapi`).
    """

    id: str
    method: Literal["GET", "POST"]
    path: str
    summary: str
    params: tuple[Param, ...] = ()
    body: str | None = None
    body_media: str = JSON
    result: str
    result_media: str = JSON
    #: Whether the path names a region (``{region}``).
    regional: bool = True


_READING = Param(
    "reading",
    "reading",
    "ID=CHOICE: read an ambiguous sentence of the plan another way; repeat for each reading",
)
_ON = Param(ON.name, ON.kind, ON.description.render("en"), ON.required)
_EXPLAIN = Param(EXPLAIN.name, EXPLAIN.kind, EXPLAIN.description.render("en"))


def from_question(question: Question) -> Operation:
    """The HTTP operation of a declared question: ``POST /regions/{region}/PATH`` with
    its subject as the body (``GET`` when it is asked about nothing)."""
    params = tuple(
        Param(p.name, p.kind, p.description.render("en"), p.required) for p in question.params
    )
    return Operation(
        id=question.id,
        method="POST" if question.subject is not None else "GET",
        path=f"/regions/{{region}}/{question.path}",
        summary=question.summary.render("en"),
        params=(*params, _READING) if question.readings else params,
        body=question.subject.schema if question.subject is not None else None,
        result=question.result,
    )


#: The operations that are not questions of a policy: the regions served, the readings
#: of their plans, and a roster streamed line by line.
_REGIONS = Operation(
    id="regions",
    method="GET",
    path="/regions",
    summary="The regions served",
    result="regions",
    regional=False,
)
_READINGS = Operation(
    id="readings",
    method="GET",
    path="/regions/{region}/readings",
    summary="The readings the region's plans offer, with the choice in force",
    params=(_READING,),
    result="readings",
)
_ROSTER = Operation(
    id="roster",
    method="POST",
    path="/regions/{region}/aid/roster",
    summary=(
        "The aid of each student of a roster (JSON Lines in), one result or problem "
        "per line (JSON Lines out), streamed as they are computed"
    ),
    params=(_ON, _EXPLAIN, _READING),
    body="student",
    body_media=JSON_LINES,
    result="roster-line",
    result_media=JSON_LINES,
)


def operations(questions: Sequence[Question] = QUESTIONS) -> tuple[Operation, ...]:
    """The service's operations: the regions and readings, then one per question (the
    roster after ``aid``, whose answer it streams line by line)."""
    found = [_REGIONS, _READINGS]
    for question in questions:
        found.append(from_question(question))
        if question.id == "aid":
            found.append(_ROSTER)
    return tuple(found)


#: The operations of the questions a policy answers (:data:`QUESTIONS`).
OPERATIONS: Final[tuple[Operation, ...]] = operations()


def read_query(items: list[tuple[str, str]], params: tuple[Param, ...]) -> dict[str, object]:
    """The query parameters ``items`` read as ``params`` declare them.

    A date is a ``datetime.date``, a flag a ``bool``, a whole number an ``int`` and the
    readings one ``dict`` (reading id → choice id).  An absent optional parameter is
    left out (readings: an empty ``dict``).  Every problem (a parameter unknown, given
    twice, malformed or missing) is a :class:`FieldProblem` named by the parameter; if
    there is any, they are raised together in a :class:`QueryError`.
    """
    declared = {param.name: param for param in params}
    given: dict[str, list[str]] = {}
    problems: list[FieldProblem] = []
    for name, value in items:
        if name not in declared:
            problems.append(FieldProblem(name, value, _("unknown field")))
        else:
            given.setdefault(name, []).append(value)
    found: dict[str, object] = {}
    for param in params:
        values = given.get(param.name, [])
        if param.kind == "reading":
            found[param.name] = _readings(values, problems)
            continue
        if not values:
            if param.required:
                problems.append(FieldProblem(param.name, MISSING, _("required field is missing")))
            continue
        if len(values) > 1:
            problems.append(FieldProblem(param.name, values[1], _("listed more than once")))
            continue
        read = _value(param, values[0], problems)
        if read is not None:
            found[param.name] = read
    if problems:
        raise QueryError(problems)
    return found


class QueryError(Exception):
    """Query parameters that cannot be read; :attr:`problems` names each."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(", ".join(problem.path for problem in problems))
        self.problems = tuple(problems)


def _value(param: Param, text: str, problems: list[FieldProblem]) -> object:
    """``text`` read as the question's parameters are read on every surface."""
    if param.kind == "reading":
        return text
    read, wrong = read_param_text(param.kind, text)
    if wrong is not None:
        problems.append(FieldProblem(param.name, text, wrong))
        return None
    return read


def _readings(values: list[str], problems: list[FieldProblem]) -> Mapping[str, str]:
    chosen: dict[str, str] = {}
    for text in values:
        written = reading_written(text)
        if written is None:
            problems.append(FieldProblem("reading", text, not_a_reading(text)))
            continue
        reading, choice = written
        if reading in chosen:
            problems.append(FieldProblem(f"readings.{reading}", text, _("listed more than once")))
        else:
            chosen[reading] = choice
    return chosen
