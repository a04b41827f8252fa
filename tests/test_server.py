"""The HTTP service: every operation, the shape of errors, the language, the limits, the
roster stream and the OpenAPI document, in process (Starlette's TestClient); then a real
``edupolicy serve`` with two uvicorn workers, started, asked and stopped by the test.

The module needs the ``server`` extra, which the ``test`` extra installs.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from jsonschema import Draft202012Validator
from referencing import Registry as SchemaRegistry
from referencing import Resource
from referencing.jsonschema import DRAFT202012
from starlette.testclient import TestClient

import edupolicy
from edupolicy.cli._io import Context
from edupolicy.cli._options import Options, Parser
from edupolicy.cli.serve import FACTORY, add_serve_command, serve_environment
from edupolicy.errors import EdupolicyError, InvalidRecordError
from edupolicy.io import json_schema
from edupolicy.server import ENV_MAX_BODY, ENV_MAX_ROSTER, ENV_REGIONS, Limits, create_app
from edupolicy.server.app import negotiate_locale
from edupolicy.server.openapi import LIBRARY_SCHEMAS
from edupolicy.server.operations import OPERATIONS
from edupolicy.server.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPES
from tests.conftest import record

ON = "2019-09-01"
PUPIL = record(id="P1", year=3, household=["dibao"])
TEACHER = {
    "id": "T1",
    "service": [{"school_area": "rural", "start": "2004-09-01", "end": None}],
    "title": "intermediate",
    "meets_title_criteria": True,
}
CANDIDATES = [
    {**TEACHER, "id": "T1"},
    {**TEACHER, "id": "T2", "service": [{"school_area": "rural", "start": "2010-09-01"}]},
]
AWARDS = [{"id": "A1", "school_area": "rural"}, {"id": "A2", "school_area": "urban"}]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(["jinfeng"])) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def small() -> Iterator[TestClient]:
    """A service that reads at most 300 bytes a record and 2,000 a roster."""
    with TestClient(create_app(["jinfeng"], limits=Limits(body=300, roster=2000))) as c:
        yield c


def problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    """The problem of ``response``, checked to be one, of ``status`` and type ``slug``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:edupolicy:problem:{slug}"
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["errors"], list)
    return body


def library_error(call: Any) -> InvalidRecordError:
    with pytest.raises(InvalidRecordError) as caught:
        call()
    return caught.value


# --- health -----------------------------------------------------------------------------


def test_liveness_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "regions": ["jinfeng"]}


def test_not_ready_until_the_policies_are_loaded() -> None:
    # Without ``with``, the application's lifespan (which loads the policies) never runs.
    idle = TestClient(create_app(["jinfeng"]))
    assert idle.get("/healthz").status_code == 200
    problem(idle.get("/readyz"), 503, "not-ready")
    problem(idle.post(f"/regions/jinfeng/aid?on={ON}", json=PUPIL), 503, "not-ready")


def test_a_region_that_cannot_be_loaded_stops_the_start() -> None:
    with pytest.raises(EdupolicyError), TestClient(create_app(["nowhere"])):
        pass  # pragma: no cover


def test_every_installed_region_by_default() -> None:
    with TestClient(create_app()) as every:
        ids = [info.id for info in edupolicy.regions()]
        assert every.get("/readyz").json()["regions"] == ids


# --- the operations answer as the library does ---------------------------------------------


def test_regions(client: TestClient) -> None:
    assert client.get("/regions").json() == [info.to_json() for info in edupolicy.regions()]


def test_aid_is_the_librarys_result(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    response = client.post(f"/regions/jinfeng/aid?on={ON}", json=PUPIL)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == jinfeng.aid(PUPIL, ON).to_json()
    assert response.json()["cash_total"] == "500.00"


def test_aid_explained_and_under_a_reading(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    url = f"/regions/jinfeng/aid?on={ON}&explain=true&reading=continuity-gap=no-gap"
    body = client.post(url, json=PUPIL).json()
    expected = jinfeng.with_readings({"continuity-gap": "no-gap"}).aid(PUPIL, ON, explain=True)
    assert body == expected.to_json()
    assert body["readings"]["continuity-gap"] == "no-gap"
    assert "not_applied" in body


def test_teacher(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    response = client.post(f"/regions/jinfeng/teacher?on={ON}&explain=true", json=TEACHER)
    assert response.json() == jinfeng.teacher(TEACHER, ON, explain=True).to_json()


def test_progress(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    figures = {"primary-retention": 99}
    response = client.post("/regions/jinfeng/progress?year=2019", json=figures)
    assert response.status_code == 200, response.text
    assert response.json() == [line.to_json() for line in jinfeng.progress(figures, year=2019)]


def test_select(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    response = client.post(
        "/regions/jinfeng/select?programme=sanatorium&year=2019", json=CANDIDATES
    )
    assert response.json() == jinfeng.select("sanatorium", CANDIDATES, year=2019).to_json()


def test_check_awards_and_awards_needed(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    checked = client.post(f"/regions/jinfeng/check-awards?on={ON}", json=AWARDS)
    assert checked.json() == jinfeng.check_awards(AWARDS, ON).to_json()
    needed = client.post(f"/regions/jinfeng/awards-needed?on={ON}&size=2", json=AWARDS)
    assert needed.json() == jinfeng.awards_needed(AWARDS, ON, size=2).to_json()


def test_awards_that_cannot_meet_the_share(client: TestClient) -> None:
    urban = [{"id": "U1", "school_area": "urban"}, {"id": "U2", "school_area": "urban"}]
    body = problem(
        client.post(f"/regions/jinfeng/awards-needed?on={ON}&size=2", json=urban),
        422,
        "impossible-share",
    )
    assert body["required"] == 1
    assert body["available"] == 0


def test_the_audit(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    response = client.get("/regions/jinfeng/check")
    assert response.json() == [finding.to_json() for finding in jinfeng.check()]


def test_readings(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    body = client.get("/regions/jinfeng/readings?reading=continuity-gap=no-gap").json()
    expected = [
        {"plan": plan.id, **reading.to_json(), "in_force": reading.default}
        for plan in jinfeng.plans
        for reading in plan.readings
    ]
    for line in expected:
        if line["id"] == "continuity-gap":
            line["in_force"] = "no-gap"
    assert body == expected


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en"),
        ("", "en"),
        ("zh-CN", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh-Hans-CN;q=0.8", "zh_CN"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR, zh;q=0.5", "zh_CN"),
        ("zh;q=0, en", "en"),
        ("en;q=0.2, zh-CN;q=0.7", "zh_CN"),
        ("*", "en"),
        ("de", "en"),
        ("zh;q=nonsense, en;q=0.1", "en"),
    ],
)
def test_accept_language_chooses_the_locale(header: str | None, locale: str) -> None:
    assert negotiate_locale(header) == locale


def test_results_and_errors_in_chinese(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    zh = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
    response = client.post(f"/regions/jinfeng/aid?on={ON}", json=PUPIL, headers=zh)
    assert response.headers["content-language"] == "zh-CN"
    assert "Accept-Language" in response.headers["vary"]
    assert response.json() == jinfeng.aid(PUPIL, ON).to_json("zh_CN")
    bad = {"stage": "primary", "year": 1, "school_area": "urban", "boarding": "false"}
    body = problem(
        client.post(f"/regions/jinfeng/aid?on={ON}", json=bad, headers=zh), 422, "invalid-record"
    )
    error = library_error(lambda: jinfeng.aid(bad, ON))
    assert body["detail"] == error.heading.render("zh_CN")
    assert body["errors"] == [p.to_json("zh_CN") for p in error.problems]
    assert (
        body["title"]
        != problem(client.post(f"/regions/jinfeng/aid?on={ON}", json=bad), 422, "invalid-record")[
            "title"
        ]
    )


# --- errors ---------------------------------------------------------------------------------


def test_an_invalid_record_lists_every_bad_field(
    client: TestClient, jinfeng: edupolicy.Policy
) -> None:
    bad = {"stage": "primary", "school_area": "urban", "household": ["dibao", "poor"], "grade": 3}
    body = problem(client.post(f"/regions/jinfeng/aid?on={ON}", json=bad), 422, "invalid-record")
    error = library_error(lambda: jinfeng.aid(bad, ON))
    assert body["errors"] == [p.to_json() for p in error.problems]
    assert {e["path"] for e in body["errors"]} == {"$.year", "$.household[1]", "$.grade"}
    assert all(set(e) == {"path", "value", "message"} for e in body["errors"])


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("teacher?on=2019-09-01", {"service": "rural"}),
        ("select?programme=sanatorium&year=2019", {"not": "a list"}),
        ("check-awards?on=2019-09-01", [{"school_area": "suburban"}]),
        ("progress?year=2019", "figures"),
        ("aid?on=2019-09-01", [PUPIL]),
        ("awards-needed?on=2019-09-01&size=0", AWARDS),
    ],
)
def test_invalid_input_of_each_operation(client: TestClient, path: str, data: object) -> None:
    body = problem(client.post(f"/regions/jinfeng/{path}", json=data), 422, "invalid-record")
    assert body["errors"]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b'{"stage": "primary"', "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "must be UTF-8 text; byte 1 is not"),
        (b"[" * 100_000, "not valid JSON"),
    ],
    ids=["truncated", "empty", "not-utf8", "deep"],
)
def test_malformed_json_is_400(client: TestClient, content: bytes, detail: str) -> None:
    body = problem(
        client.post(f"/regions/jinfeng/aid?on={ON}", content=content), 400, "malformed-json"
    )
    assert body["detail"].startswith(detail)


def test_nan_is_read_and_refused_by_its_field_as_everywhere(client: TestClient) -> None:
    """Python's JSON reads ``NaN``: the record's reader names the field, as in Python."""
    content = json.dumps({**PUPIL, "year": float("nan")}).encode()
    body = problem(
        client.post(f"/regions/jinfeng/aid?on={ON}", content=content), 422, "invalid-record"
    )
    assert body["errors"] == [
        {"path": "$.year", "value": "NaN", "message": "must be a whole number"}
    ]


def test_unknown_region_is_404(client: TestClient) -> None:
    body = problem(client.post(f"/regions/yinchuan/aid?on={ON}", json=PUPIL), 404, "unknown-region")
    assert body["available"] == ["jinfeng"]
    assert "yinchuan" in body["detail"]


def test_a_date_outside_every_plan_is_422(client: TestClient) -> None:
    body = problem(
        client.post("/regions/jinfeng/aid?on=2021-09-01", json=PUPIL), 422, "out-of-period"
    )
    assert body["on"] == "2021-09-01"
    assert body["periods"] == ["jinfeng-2018-410 2018-08-30–2020-12-31"]


def test_every_bad_query_parameter_at_once(client: TestClient) -> None:
    url = "/regions/jinfeng/aid?on=2019-13-01&explain=yes&reading=gap&explian=true"
    body = problem(client.post(url, json=PUPIL), 400, "bad-parameter")
    assert [(e["path"], e["value"]) for e in body["errors"]] == [
        ("explian", '"true"'),
        ("on", '"2019-13-01"'),
        ("explain", '"yes"'),
        ("reading", '"gap"'),
    ]
    missing = problem(client.post("/regions/jinfeng/aid", json=PUPIL), 400, "bad-parameter")
    assert missing["errors"] == [
        {"path": "on", "value": "(missing)", "message": "required field is missing"}
    ]
    twice = problem(
        client.post(f"/regions/jinfeng/aid?on={ON}&on={ON}", json=PUPIL), 400, "bad-parameter"
    )
    assert twice["errors"][0]["path"] == "on"


def test_an_unknown_reading_is_422(client: TestClient) -> None:
    body = problem(
        client.get("/regions/jinfeng/check?reading=continuity-gap=never"), 422, "invalid-data"
    )
    assert body["errors"][0]["path"] == "readings.continuity-gap"


def test_an_unknown_programme_cannot_be_answered(client: TestClient) -> None:
    url = "/regions/jinfeng/select?programme=nothing&year=2019"
    body = problem(client.post(url, json=[]), 422, "unprocessable")
    assert "sanatorium" in body["detail"]


def test_unknown_addresses_and_methods(client: TestClient) -> None:
    problem(client.get("/regions/jinfeng/nothing"), 404, "not-found")
    response = client.get(f"/regions/jinfeng/aid?on={ON}")
    problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "POST"


def test_a_failure_of_the_service_is_a_problem_without_details(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(edupolicy.Policy, "aid", broken)
    with TestClient(create_app(["jinfeng"]), raise_server_exceptions=False) as failing:
        response = failing.post(f"/regions/jinfeng/aid?on={ON}", json=PUPIL)
        body = problem(response, 500, "internal")
        assert "secret" not in response.text
        lines = failing.post(f"/regions/jinfeng/aid/roster?on={ON}", content=b"{}\n{}\n")
        assert [line["status"] for line in map(json.loads, lines.text.splitlines())] == [500, 500]
        assert body["errors"] == []


# --- limits ---------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413(small: TestClient) -> None:
    large = {**PUPIL, "id": "x" * 400}
    body = problem(small.post(f"/regions/jinfeng/aid?on={ON}", json=large), 413, "too-large")
    assert body["limit"] == 300


def test_a_body_over_the_limit_without_a_length_is_413(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"id": "'
        for _ in range(10):
            yield b"x" * 50
        yield b'"}'

    problem(small.post(f"/regions/jinfeng/aid?on={ON}", content=chunks()), 413, "too-large")


def test_limits_are_whole_numbers_of_bytes() -> None:
    with pytest.raises(ValueError, match="body"):
        Limits(body=0)


# --- the roster stream ----------------------------------------------------------------------


def lines_of(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    return [json.loads(line) for line in response.text.splitlines()]


def test_a_roster_gives_a_result_or_a_problem_per_line(
    client: TestClient, jinfeng: edupolicy.Policy
) -> None:
    second = record(id="P2", stage="junior_secondary", year=1, orphan=True)
    roster = (
        "\ufeff" + json.dumps(PUPIL) + "\n"
        '{"stage": "primary", "year": 8, "school_area": "rural"}\n'
        "\n"
        '{"id": "P3", "stage"\n'
        "[1, 2]\r\n" + json.dumps(second)  # the last line has no newline
    )
    out = lines_of(client.post(f"/regions/jinfeng/aid/roster?on={ON}", content=roster.encode()))
    assert out[0] == jinfeng.aid(PUPIL, ON).to_json()
    assert (out[1]["line"], out[1]["status"], out[1]["errors"][0]["path"]) == (2, 422, "$.year")
    assert (out[2]["line"], out[2]["status"]) == (4, 400)
    assert out[2]["type"] == "urn:edupolicy:problem:malformed-json"
    assert (out[3]["line"], out[3]["errors"][0]["path"]) == (5, "$")
    assert out[4] == jinfeng.aid(second, ON).to_json()
    assert len(out) == 5


def test_a_roster_in_chinese_explained(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    response = client.post(
        f"/regions/jinfeng/aid/roster?on={ON}&explain=true",
        content=(json.dumps(PUPIL) + "\n").encode(),
        headers={"Accept-Language": "zh"},
    )
    assert lines_of(response) == [jinfeng.aid(PUPIL, ON, explain=True).to_json("zh_CN")]


def test_a_roster_out_of_period_is_one_problem(client: TestClient) -> None:
    response = client.post("/regions/jinfeng/aid/roster?on=2022-01-01", content=b"{}\n")
    problem(response, 422, "out-of-period")


def test_an_overlong_line_is_a_problem_and_the_rest_are_evaluated(small: TestClient) -> None:
    long_line = json.dumps({**PUPIL, "id": "y" * 500})

    def chunks() -> Iterator[bytes]:
        yield (json.dumps(PUPIL) + "\n" + long_line[:200]).encode()
        yield (long_line[200:] + "\n").encode()
        yield (json.dumps(PUPIL) + "\n").encode()

    out = lines_of(small.post(f"/regions/jinfeng/aid/roster?on={ON}", content=chunks()))
    assert [line.get("line") for line in out] == [None, 2, None]
    assert out[1]["status"] == 413
    assert out[1]["limit"] == 300


def test_a_roster_over_its_limit_ends_with_a_problem(small: TestClient) -> None:
    line = (json.dumps(PUPIL) + "\n").encode()

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield line

    out = lines_of(small.post(f"/regions/jinfeng/aid/roster?on={ON}", content=chunks()))
    assert out[-1]["status"] == 413
    assert out[-1]["limit"] == 2000
    assert all(result["cash_total"] == "500.00" for result in out[:-1])
    declared = small.post(f"/regions/jinfeng/aid/roster?on={ON}", content=line * 100)
    problem(declared, 413, "too-large")


# --- the OpenAPI document -------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def validator(document: dict[str, Any], component: str) -> Draft202012Validator:
    """A validator of the component ``component`` of the OpenAPI document."""
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = SchemaRegistry().with_resource("urn:edupolicy:openapi", resource)
    schema = {"$ref": f"urn:edupolicy:openapi#/components/schemas/{component}"}
    return Draft202012Validator(schema, registry=registry)


def test_the_document_has_every_operation(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["version"] == edupolicy.__version__
    for op in OPERATIONS:
        operation = document["paths"][op.path][op.method.lower()]
        assert operation["operationId"] == op.id
        assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == [
            p.name for p in op.params
        ]
    assert {"/healthz", "/readyz", "/openapi.json"} <= set(document["paths"])


def test_the_document_is_made_from_the_librarys_schemas(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in LIBRARY_SCHEMAS:
        original = json_schema(name)
        assert schemas[name]["title"] == original["title"]
        # What the region served adds to a record (the years of a stage) comes on top.
        assert set(schemas[name]) >= set(original) - {"$schema", "$defs"}
        for definition in original.get("$defs", {}):
            assert f"{name}.{definition}" in schemas
    text = json.dumps(document)
    assert "#/$defs/" not in text
    refs = set(_refs(document))
    assert {ref.removeprefix("#/components/schemas/") for ref in refs} <= set(schemas)
    assert all(
        set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        for name in schemas
    )


def _refs(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def test_answers_match_the_document(client: TestClient, document: dict[str, Any]) -> None:
    zh = {"Accept-Language": "zh-CN"}
    answers = {
        "aid-result": client.post(f"/regions/jinfeng/aid?on={ON}&explain=true", json=PUPIL),
        "teacher-result": client.post(f"/regions/jinfeng/teacher?on={ON}", json=TEACHER),
        "selection": client.post(
            "/regions/jinfeng/select?programme=sanatorium&year=2019", json=CANDIDATES
        ),
        "award-check": client.post(f"/regions/jinfeng/check-awards?on={ON}", json=AWARDS),
        "awards-needed": client.post(f"/regions/jinfeng/awards-needed?on={ON}&size=2", json=AWARDS),
        "progress": client.post("/regions/jinfeng/progress?year=2019", json={}),
        "regions": client.get("/regions"),
        "readings": client.get("/regions/jinfeng/readings", headers=zh),
        "findings": client.get("/regions/jinfeng/check"),
        "problem": client.post(f"/regions/jinfeng/aid?on={ON}", json={"year": "1"}),
        "health": client.get("/readyz"),
    }
    for component, response in answers.items():
        errors = list(validator(document, component).iter_errors(response.json()))
        assert errors == [], (component, errors[:1])
    assert set(document["components"]["schemas"]["problem"]["properties"]["type"]["enum"]) == {
        kind.uri for kind in PROBLEM_TYPES
    }


# --- edupolicy serve ------------------------------------------------------------------------


def serve(*argv: str) -> tuple[int, str]:
    """``edupolicy serve ARGV`` as the command line runs it: (status, standard error)."""
    options = Options("en")
    parser = Parser(prog="edupolicy", locale="en")
    add_serve_command(parser.add_subparsers(dest="command", required=True), options)
    args = parser.parse_args(["serve", *argv])
    err = io.StringIO()
    ctx = Context(locale="en", out=io.StringIO(), err=err, stdin=io.StringIO())
    try:
        status: int = args.func(args, ctx)
    except EdupolicyError as exc:
        err.write(f"error: {exc.render('en')}\n")
        status = 2
    return status, err.getvalue()


def test_serve_refuses_a_region_it_cannot_load() -> None:
    status, err = serve("--region", "yinchuan")
    assert status == 2
    assert err.startswith('error: Unknown region "yinchuan"')


def test_serve_passes_its_options_to_each_worker() -> None:
    env = serve_environment(["jinfeng", "other"], 100, None)
    assert env == {ENV_REGIONS: "jinfeng,other", ENV_MAX_BODY: "100"}
    assert ENV_MAX_ROSTER == "EDUPOLICY_SERVER_MAX_ROSTER"
    assert FACTORY == "edupolicy.server:app_from_environ"


_RUN_SERVE = """
import sys
from edupolicy.cli._io import Context
from edupolicy.cli._options import Options, Parser
from edupolicy.cli.serve import add_serve_command
parser = Parser(prog="edupolicy", locale="en")
add_serve_command(parser.add_subparsers(dest="command", required=True), Options("en"))
args = parser.parse_args(["serve", *sys.argv[1:]])
sys.exit(args.func(args, Context(locale="en", out=sys.stdout, err=sys.stderr, stdin=sys.stdin)))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(*argv: str) -> Iterator[str]:
    """A real ``edupolicy serve ARGV`` on a free port; its base URL once it is ready."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPOLICY_")}
    process = subprocess.Popen(
        [sys.executable, "-c", _RUN_SERVE, "--port", str(port), *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.communicate()[0].decode(errors="replace")
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real ``edupolicy serve`` with two workers; its base URL once it is ready."""
    with serving("--workers", "2", "--region", "jinfeng", "--max-body", "4096") as base:
        yield base


def post(url: str, data: object, language: str | None = None) -> tuple[int, str, dict[str, Any]]:
    """(status, media type, JSON body) of a POST to the real server."""
    headers = {"Content-Type": "application/json"}
    if language is not None:
        headers["Accept-Language"] = language
    request = urllib.request.Request(url, json.dumps(data).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], json.loads(error.read())


@pytest.mark.slow
def test_a_real_server_answers(server: str, jinfeng: edupolicy.Policy) -> None:
    with urllib.request.urlopen(server + "/readyz", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ready", "regions": ["jinfeng"]}
    status, media, body = post(f"{server}/regions/jinfeng/aid?on={ON}", PUPIL, "zh-CN")
    assert (status, media) == (200, "application/json")
    assert body == jinfeng.aid(PUPIL, ON).to_json("zh_CN")
    status, media, body = post(f"{server}/regions/jinfeng/aid?on=2022-01-01", PUPIL)
    assert (status, media) == (422, PROBLEM_MEDIA_TYPE)
    assert body["type"] == "urn:edupolicy:problem:out-of-period"
    status, media, body = post(f"{server}/regions/jinfeng/aid?on={ON}", {**PUPIL, "id": "z" * 5000})
    assert (status, media, body["limit"]) == (413, PROBLEM_MEDIA_TYPE, 4096)


@pytest.mark.slow
def test_a_real_server_streams_a_roster(server: str, jinfeng: edupolicy.Policy) -> None:
    """Each result arrives while the rest of the roster is still being sent."""
    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", f"/regions/jinfeng/aid/roster?on={ON}")
    connection.putheader("Content-Type", "application/x-ndjson")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()

    def send(text: str) -> None:
        data = text.encode()
        connection.send(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    try:
        send(json.dumps(PUPIL) + "\n")
        response = connection.getresponse()
        assert response.status == 200
        assert json.loads(response.readline()) == jinfeng.aid(PUPIL, ON).to_json()
        send("{broken\n")
        assert json.loads(response.readline())["line"] == 2
        connection.send(b"0\r\n\r\n")
        assert response.read() == b""
    finally:
        connection.close()
