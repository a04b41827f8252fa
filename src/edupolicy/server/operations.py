"""The operations of the HTTP service, declared once: the routes, the query parameters
each takes (and how they are read), and the schemas of its body and result, from which
both the application and its OpenAPI document are made."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Literal

import attrs

from edupolicy.errors import MISSING, FieldProblem
from edupolicy.i18n import _
from edupolicy.values import parse_date

__all__ = [
    "JSON",
    "JSON_LINES",
    "OPERATIONS",
    "Operation",
    "Param",
    "QueryError",
    "read_query",
]

JSON: Final = "application/json"
#: The media type of JSON Lines, as the roster endpoint reads and writes them.
JSON_LINES: Final = "application/x-ndjson"

_WHOLE: Final = re.compile(r"[0-9]{1,9}")

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
_ON = Param("on", "date", "the date, YYYY-MM-DD: it chooses the plan in force", required=True)
_EXPLAIN = Param("explain", "flag", "true: also list the rules that did not apply, and why")
_SHARE = Param("share", "text", "the share's id, when the plan has more than one")

OPERATIONS: Final[tuple[Operation, ...]] = (
    Operation(
        id="regions",
        method="GET",
        path="/regions",
        summary="The regions served",
        result="regions",
        regional=False,
    ),
    Operation(
        id="readings",
        method="GET",
        path="/regions/{region}/readings",
        summary="The readings the region's plans offer, with the choice in force",
        params=(_READING,),
        result="readings",
    ),
    Operation(
        id="aid",
        method="POST",
        path="/regions/{region}/aid",
        summary="The aid of one student under the plan in force on a date",
        params=(_ON, _EXPLAIN, _READING),
        body="student",
        result="aid-result",
    ),
    Operation(
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
    ),
    Operation(
        id="budget",
        method="POST",
        path="/regions/{region}/budget",
        summary=(
            "What a roster receives under the plan in force on a date: the cash a year and "
            "the fee waivers, in all, by rule, by stage and by household status"
        ),
        params=(_ON, _READING),
        body="students",
        result="budget",
    ),
    Operation(
        id="diff",
        method="POST",
        path="/regions/{region}/diff",
        summary=(
            "What another reading, another date or another region does to a roster's aid: "
            "who gains, who loses, the cash before and after"
        ),
        params=(
            _ON,
            Param("against", "date", "compare with the plan in force on this date, YYYY-MM-DD"),
            Param("against_region", "text", "compare with another region served"),
            Param(
                "reading",
                "reading",
                "ID=CHOICE: compare with the plan read another way; repeat for each reading",
            ),
        ),
        body="students",
        result="diff",
    ),
    Operation(
        id="teacher",
        method="POST",
        path="/regions/{region}/teacher",
        summary="The incentives one teacher earns under the plan in force on a date",
        params=(_ON, _EXPLAIN, _READING),
        body="teacher",
        result="teacher-result",
    ),
    Operation(
        id="progress",
        method="POST",
        path="/regions/{region}/progress",
        summary="Where each target stands, given reported figures",
        params=(
            Param("year", "int", "the year of the figures: targets are judged at its end"),
            Param("on", "date", "instead of year: the date the targets are judged on"),
            _READING,
        ),
        body="figures",
        result="progress",
    ),
    Operation(
        id="select",
        method="POST",
        path="/regions/{region}/select",
        summary="A year's cohort of a programme with a quota, among the candidates",
        params=(
            Param("programme", "text", "the programme's id", required=True),
            Param("year", "int", "the year of the cohort", required=True),
            _READING,
        ),
        body="candidates",
        result="selection",
    ),
    Operation(
        id="check_awards",
        method="POST",
        path="/regions/{region}/check-awards",
        summary="An award list checked against the share of rural schools and teachers",
        params=(_ON, _SHARE, _READING),
        body="awards",
        result="award-check",
    ),
    Operation(
        id="awards_needed",
        method="POST",
        path="/regions/{region}/awards-needed",
        summary="How many of so many awards, chosen from the nominees, must be rural",
        params=(
            _ON,
            Param("size", "int", "the number of awards to be made", required=True),
            _SHARE,
            _READING,
        ),
        body="awards",
        result="awards-needed",
    ),
    Operation(
        id="check",
        method="GET",
        path="/regions/{region}/check",
        summary="The consistency audit of the region's plans",
        params=(_READING,),
        result="findings",
    ),
)


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
    if param.kind == "date":
        day = parse_date(text)
        if day is None:
            problems.append(FieldProblem(param.name, text, _("must be a date (YYYY-MM-DD)")))
        return day
    if param.kind == "flag":
        if text not in ("true", "false"):
            problems.append(FieldProblem(param.name, text, _("must be true or false")))
            return None
        return text == "true"
    if param.kind == "int":
        if not _WHOLE.fullmatch(text):
            problems.append(FieldProblem(param.name, text, _("must be a whole number")))
            return None
        return int(text)
    return text


def _readings(values: list[str], problems: list[FieldProblem]) -> Mapping[str, str]:
    chosen: dict[str, str] = {}
    for text in values:
        reading, sep, choice = text.partition("=")
        reading, choice = reading.strip(), choice.strip()
        if not sep or not reading or not choice:
            problems.append(
                FieldProblem(
                    "reading", text, _("not a reading written ID=CHOICE: {value}", value=repr(text))
                )
            )
        elif reading in chosen:
            problems.append(FieldProblem(f"readings.{reading}", text, _("listed more than once")))
        else:
            chosen[reading] = choice
    return chosen
