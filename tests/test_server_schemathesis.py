"""The HTTP service against its own OpenAPI document: schemathesis, in process (ASGI).

Every operation the document describes is called with requests made from the document,
valid and invalid ones, and every check schemathesis has runs on each answer: no server
error, every status and header documented, every body of its schema, a valid request
answered, an invalid one refused.  The document the service publishes states the
values its regions accept, so a request it calls valid is one the service answers.

A few refusals depend on two values together (two fields, two items, one of several
parameters), which a JSON Schema cannot compare, so the document cannot state them; a
request the service refuses for those only is not held against the check of valid
requests (:data:`_UNSTATABLE`), and nothing else is left out.

The run is schemathesis's engine, the one its command line runs, over the application
in process: it runs every phase, and says how many requests it made.  (Its pytest
integration would load the schema when the module is collected, or, through a
fixture, needs a node attribute pytest 9 no longer has.)  Run it with
``pytest -m slow tests/test_server_schemathesis.py``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("schemathesis")

import schemathesis
from jsonschema import Draft202012Validator
from referencing import Registry as SchemaRegistry
from referencing import Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.engine import events, from_schema
from schemathesis.engine.statistic import Statistic

from edupolicy.errors import MAX_PROBLEMS
from edupolicy.server import create_app
from edupolicy.server.operations import JSON_LINES

pytestmark = pytest.mark.slow

#: Requests made for each operation and each phase; ``EDUPOLICY_SCHEMATHESIS_EXAMPLES``
#: asks for more (the whole run stays within two minutes on two shared cores at 40).
EXAMPLES = int(os.environ.get("EDUPOLICY_SCHEMATHESIS_EXAMPLES", "40"))
#: The same requests each run, so a failure can be reproduced;
#: ``EDUPOLICY_SCHEMATHESIS_SEED`` draws others.
SEED = int(os.environ.get("EDUPOLICY_SCHEMATHESIS_SEED", "20181030"))

#: The checks of schemathesis 4 (``st run --checks all`` but ``max_response_time``).
ALL_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
)

#: The refusals a JSON Schema cannot state, each by the message (in English) of the
#: field it names, and why the document cannot say it:
_UNSTATABLE = (
    # Two fields compared: a posting's end and its start.
    re.compile(r"^the posting ends before it starts "),
    # Two items compared: postings that overlap, candidates with the same id.
    re.compile(r"^overlaps the posting at "),
    re.compile(r"^the candidate at \[[0-9]+\] has the same id$"),
    # JSON Schema counts 3.0 a whole number; edupolicy reads a whole number written whole.
    re.compile(r"^must be a whole number( or a string of digits.*)?$"),
    # One of several parameters, or a body's form and a parameter together.
    re.compile(r"^give what to compare with: "),
    re.compile(r"^give the year or the date to judge on$"),
    re.compile(r"^give either year or on, not both or neither$"),
    re.compile(r"^a mapping of values needs a year$"),
)
#: A whole number written with a decimal point, as a problem shows the value.
_POINTED = re.compile(r'^"?[0-9]+\.0+"?$')
#: The size of an award list against the number of nominees.
_IMPOSSIBLE_SHARE = "urn:edupolicy:problem:impossible-share"


def _unstatable(response: Any) -> bool:
    """Whether ``response`` refuses a request only for what the document cannot state."""
    if response.status_code != 422:
        return False
    problem = response.json()
    if problem.get("type") == _IMPOSSIBLE_SHARE:
        return True
    # Past the first problems, a problem counts the rest (edupolicy.errors.bounded):
    # the verdict is that of those listed.
    errors = problem.get("errors", [])[:MAX_PROBLEMS]
    return bool(errors) and all(_unstatable_error(error) for error in errors)


def _answered(response: Any) -> str:
    """What the answer says: the problems that are not of :data:`_UNSTATABLE`."""
    if response.status_code < 400:
        return f"{response.text:.300}"
    errors = response.json().get("errors", [])
    return json.dumps([error for error in errors if not _unstatable_error(error)])[:600]


def _unstatable_error(error: dict[str, Any]) -> bool:
    message = str(error.get("message", ""))
    if message.startswith("must be a whole number"):
        return bool(_POINTED.match(str(error.get("value", ""))))
    return any(pattern.match(message) for pattern in _UNSTATABLE)


def _json_lines(ctx: Any, value: Any) -> bytes:
    """A roster's body: the record the document describes, a line of JSON."""
    return json.dumps(value).encode() + b"\n"


def roster_lines_conform(ctx: Any, response: Any, case: Any) -> bool | None:
    """Each line of a roster's answer is a ``roster-line`` of the document (schemathesis
    validates no JSON Lines itself)."""
    if response.status_code != 200 or not case.operation.path.endswith("/roster"):
        return None
    resource = Resource.from_contents(
        case.operation.schema.raw_schema, default_specification=DRAFT202012
    )
    registry = SchemaRegistry().with_resource("urn:edupolicy:openapi", resource)
    line = {"$ref": "urn:edupolicy:openapi#/components/schemas/roster-line"}
    validator = Draft202012Validator(line, registry=registry)
    for text in response.content.splitlines():
        validator.validate(json.loads(text))
    return True


schemathesis.serializer(JSON_LINES)(_json_lines)
schemathesis.check(roster_lines_conform)


@dataclass
class Run:
    """What a run found: the requests made, the failures by check, the errors."""

    cases: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    #: How many answers each check judged.
    checks: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    #: Each failure kept: the request and the answer.
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(examples: int) -> Run:
    """A schemathesis run over every operation of the service serving Jinfeng."""
    config = schemathesis.Config.from_dict({"generation": {"max-examples": examples}, "seed": SEED})
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(["jinfeng"]), config=config)
    found = Run()

    def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
        # What the document cannot state, and only that, is not held against the
        # check of valid requests.
        if "positive_data_acceptance" in type(failure).checks and _unstatable(response):
            return False
        found.details.append(
            f"{failure.code} {case.method} {case.formatted_path} {case.query} "
            f"{case.body!r:.300} -> {response.status_code} {_answered(response)}"
        )
        return True

    schema.hook(filter_failure)
    statistic = Statistic()
    for event in from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            statistic.on_scenario_finished(event.recorder)
            for checks in event.recorder.checks.values():
                found.checks.update(check.name for check in checks)
        elif isinstance(event, events.NonFatalError):
            found.errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            found.errors.append(repr(event.exception))
        elif isinstance(event, events.EngineFinished):
            found.seconds = event.running_time
            for failure in event.failures:
                found.failures[failure.title] += 1
    found.cases = statistic.total_cases
    for failure, _case_id in statistic.unique_failures_map.items():
        found.failures[f"{failure.code} {failure.kind_title}: {failure.operation}"] += 1
    return found


def test_a_schemathesis_run_finds_nothing() -> None:
    found = run(EXAMPLES)
    print(f"schemathesis {schemathesis.__version__}: {found}")
    assert found.cases > 0
    # Every check of schemathesis judged answers (but max_response_time, which needs a
    # limit), and each line of the rosters answered.
    assert set(found.checks) == {*ALL_CHECKS, "roster_lines_conform"}, found.checks
    assert not found.failures, "\n".join(found.details)
    assert not found.errors, found.errors
