"""The HTTP service under hostile input and ordinary clients: every answer is JSON or a
problem, every list of problems is bounded, and a roster is answered whole whatever the
client (one that sends the whole body before it reads included)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

import edupolicy
from edupolicy.cli.serve import FACTORY, UVICORN_LIMITS
from edupolicy.errors import MAX_PROBLEMS
from edupolicy.server import create_app
from edupolicy.server.app import negotiate_locale
from edupolicy.server.problems import PROBLEM_MEDIA_TYPE
from tests.profiles import scaled
from tests.test_server import AWARDS, CANDIDATES, ON, PUPIL, TEACHER, serve, serving

pytestmark = pytest.mark.usefixtures("plain_environment")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(["jinfeng"]), raise_server_exceptions=False) as test_client:
        yield test_client


def lines_of(response: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.text.splitlines()]


# --- answers that echo what they were sent ------------------------------------------------

SURROGATE = "\ud800"

#: For each operation with a body: a body whose echoed strings hold a lone surrogate.
ECHOING = {
    f"aid?on={ON}": {**PUPIL, "id": SURROGATE},
    f"aid?on={ON}&explain=true": {**PUPIL, "stage": SURROGATE},
    f"teacher?on={ON}": {**TEACHER, "id": SURROGATE, SURROGATE: 1},
    "select?programme=sanatorium&year=2019": [{**c, "id": SURROGATE} for c in CANDIDATES],
    f"check-awards?on={ON}": [{**a, "id": SURROGATE + a["id"]} for a in AWARDS],
    "progress?year=2019": {SURROGATE: 99},
}


@pytest.mark.parametrize(("path", "body"), list(ECHOING.items()), ids=list(ECHOING))
def test_an_answer_echoing_a_lone_surrogate_is_json_not_a_failure(
    client: TestClient, path: str, body: object
) -> None:
    # json.dumps writes the surrogate as the escape a host's JSON library writes.
    response = client.post(f"/regions/jinfeng/{path}", content=json.dumps(body))
    assert response.status_code in (200, 422), response.text
    assert response.headers["content-type"] in ("application/json", PROBLEM_MEDIA_TYPE)
    assert "\\ud800" in response.text  # echoed, escaped


def test_a_roster_line_echoing_a_surrogate_keeps_the_lines_around_it(
    client: TestClient, jinfeng: edupolicy.Policy
) -> None:
    lines = [PUPIL, {**PUPIL, "id": SURROGATE}, {"stage": SURROGATE}, {**PUPIL, "id": "P9"}]
    body = "".join(json.dumps(line) + "\n" for line in lines)
    response = client.post(f"/regions/jinfeng/aid/roster?on={ON}", content=body)
    answers = lines_of(response)
    assert response.status_code == 200
    assert answers[0] == jinfeng.aid(PUPIL, ON).to_json()
    assert answers[1]["id"] == SURROGATE
    assert (answers[2]["line"], answers[2]["errors"][0]["path"]) == (3, "$.stage")
    assert answers[3] == jinfeng.aid({**PUPIL, "id": "P9"}, ON).to_json()


# --- headers --------------------------------------------------------------------------------

ROUTES = [
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/openapi.json"),
    ("GET", "/regions"),
    ("GET", "/regions/jinfeng/readings"),
    ("GET", "/regions/jinfeng/check"),
    ("POST", f"/regions/jinfeng/aid?on={ON}"),
    ("POST", f"/regions/jinfeng/aid/roster?on={ON}"),
    ("GET", "/nowhere"),
    ("DELETE", "/healthz"),
]


@pytest.mark.parametrize(
    "header",
    ["en;q=9e9999999", "zh;q=1e-9999999, en", "zh;q=NaN", "*;q=-1", "zh;q=" + "9" * 5000],
)
def test_no_accept_language_header_breaks_a_route(client: TestClient, header: str) -> None:
    for method, path in ROUTES:
        response = client.request(
            method, path, content=json.dumps(PUPIL), headers={"Accept-Language": header}
        )
        assert response.status_code < 500, (method, path, response.text)
        assert response.headers["content-type"] in (
            "application/json",
            PROBLEM_MEDIA_TYPE,
            "application/x-ndjson",
        )


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("zh-TW", "zh_CN"),  # Babel falls back to the language: Chinese rather than English
        ("en;q=0.5, zh;q=0.501", "zh_CN"),
        ("zh;q=1.0, en", "zh_CN"),
        ("zh;q=1.5, en;q=0.1", "en"),  # not a quality HTTP allows: that range is left out
        ("zh;q=9e9999999, en;q=0.1", "en"),
        ("de, *, zh", "en"),
        ("de, zh, *", "zh_CN"),
        (",".join(["de"] * 100 + ["zh"]), "en"),  # only the first ranges are read
    ],
)
def test_locales_are_negotiated_by_quality_and_babel(header: str, locale: str) -> None:
    assert negotiate_locale(header) == locale


@settings(max_examples=scaled(200), deadline=None)
@given(st.text())
def test_any_accept_language_gives_a_served_locale(header: str) -> None:
    assert negotiate_locale(header) in ("en", "zh_CN")


# --- lists of problems ------------------------------------------------------------------------


def test_thousands_of_bad_readings_list_at_most_a_hundred(client: TestClient) -> None:
    query = "&".join(f"reading=r{i}%3Dx" for i in range(1500))
    response = client.get(f"/regions/jinfeng/check?{query}")
    body = response.json()
    assert response.status_code == 422
    assert len(body["errors"]) == MAX_PROBLEMS + 1
    assert body["errors"][-1] == {
        "path": "$",
        "value": "1400",
        "message": "and more problems, not listed",
    }
    assert len(response.content) < 50_000


def test_thousands_of_unknown_parameters_list_at_most_a_hundred(client: TestClient) -> None:
    query = "&".join(f"x{i}=1" for i in range(3000))
    response = client.get(f"/regions/jinfeng/check?{query}")
    body = response.json()
    assert response.status_code == 400
    assert len(body["errors"]) == MAX_PROBLEMS + 1
    assert body["errors"][-1]["value"] == "2900"


def test_thousands_of_bad_candidates_list_at_most_a_hundred(client: TestClient) -> None:
    candidates = [{"id": f"T{i}", "service": "none"} for i in range(5000)]
    response = client.post(
        "/regions/jinfeng/select?programme=sanatorium&year=2019", json=candidates
    )
    assert response.status_code == 422
    assert len(response.json()["errors"]) == MAX_PROBLEMS + 1
    assert len(response.content) < 50_000


# --- a bad byte in a roster -------------------------------------------------------------------


def roster_with_a_bad_byte(count: int = 10_001, bad: int = 5_000) -> bytes:
    """``count`` lines of JSON Lines; line ``bad`` has a byte that is not UTF-8."""
    good = (json.dumps({**PUPIL, "id": "S{}"}) + "\n").encode()
    lines = [good.replace(b"{}", str(n).encode()) for n in range(1, count + 1)]
    lines[bad - 1] = lines[bad - 1].replace(b'"S', b'"\xff')
    return b"".join(lines)


def test_a_bad_byte_is_a_problem_of_its_line_over_http(client: TestClient) -> None:
    body = roster_with_a_bad_byte()
    at = body.split(b"\n")[4999].index(b"\xff") + 1
    response = client.post(f"/regions/jinfeng/aid/roster?on={ON}", content=body)
    answers = lines_of(response)
    assert len(answers) == 10_001
    problems = [answer for answer in answers if "type" in answer]
    assert problems == [
        {
            "type": "urn:edupolicy:problem:malformed-json",
            "title": "The request body is not valid JSON",
            "status": 400,
            "detail": f"must be UTF-8 text; byte {at} is not",
            "errors": [],
            "line": 5000,
        }
    ]
    assert [answer["id"] for answer in answers if "id" in answer][-1] == "S10001"


# --- clients that send the whole body before they read ----------------------------------------


@pytest.fixture(scope="module")
def one_worker() -> Iterator[str]:
    """A real ``edupolicy serve`` with one worker and its default limits."""
    with serving("--region", "jinfeng") as base:
        yield base


@pytest.mark.slow
def test_a_client_that_sends_everything_first_gets_every_line(
    one_worker: str, jinfeng: edupolicy.Policy
) -> None:
    """httpx sends the whole body, then reads: 100,000 records (about 14 MB) get through."""
    count = 100_000
    student = {**PUPIL, "boarding": False, "orphan": False, "disabled": False}
    body = b"".join(
        (json.dumps({**student, "id": f"S{n:06d}"}) + "\n").encode() for n in range(count)
    )
    assert len(body) > 13_000_000
    response = httpx2.post(
        f"{one_worker}/regions/jinfeng/aid/roster?on={ON}",
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
        timeout=httpx2.Timeout(30, read=300),
    )
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert len(lines) == count
    expected = jinfeng.aid({**student, "id": "S099999"}, ON).to_json()
    assert json.loads(lines[-1]) == expected
    # The service is still up, and answers the next request.
    assert httpx2.get(f"{one_worker}/healthz", timeout=10).json() == {"status": "ok"}


@pytest.mark.slow
def test_a_real_server_answers_hostile_heads_with_problems_or_its_own_400(one_worker: str) -> None:
    huge_q = httpx2.get(f"{one_worker}/healthz", headers={"Accept-Language": "en;q=9e9999999"})
    assert (huge_q.status_code, huge_q.json()) == (200, {"status": "ok"})
    # A head within the limit edupolicy serve sets (64 KiB; uvicorn's own is 16 KiB)
    # reaches the service.
    within = httpx2.get(f"{one_worker}/healthz", headers={"X-Big": "x" * 40_000})
    assert (within.status_code, within.json()) == (200, {"status": "ok"})
    # One past it is refused by uvicorn itself, before the service sees it: a 400, or
    # the connection closed while the client is still sending; the service goes on.
    try:
        status = httpx2.get(f"{one_worker}/healthz", headers={"X-Big": "x" * 200_000}).status_code
    except httpx2.TransportError:
        status = 400
    assert status == 400
    assert httpx2.get(f"{one_worker}/healthz").status_code == 200


BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "server.py"


@pytest.mark.slow
@pytest.mark.skipif(not BENCHMARK.exists(), reason="the benchmarks are not in this tree")
def test_the_service_benchmark_prints_its_table_at_a_small_size() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARK),
            "--workers",
            "1",
            "--requests",
            "200",
            "--concurrency",
            "4",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.rsplit("  ", 1)[0].strip(): line.split()[-1] for line in done.stdout.splitlines()}
    for label in (
        "library: policy.aid(...).to_json() as JSON bytes, µs",
        "service, 1 worker(s), concurrency 4, requests/s",
        "service, 1 worker(s), concurrency 4, p99 ms",
    ):
        assert float(rows[label].replace(",", "")) > 0, done.stdout


class _FullDisk(io.BytesIO):
    def write(self, data: Any) -> int:
        raise OSError(28, "No space left on device")


def test_a_roster_that_cannot_be_kept_ends_with_a_problem(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", lambda max_size: _FullDisk())
    response = client.post(f"/regions/jinfeng/aid/roster?on={ON}", content=json.dumps(PUPIL))
    assert response.status_code == 200
    assert [(line["status"], line["line"]) for line in lines_of(response)] == [(500, 1)]
    monkeypatch.undo()
    response = client.post(f"/regions/jinfeng/aid/roster?on={ON}", content=json.dumps(PUPIL))
    assert lines_of(response)[0]["id"] == PUPIL["id"]


def test_serve_gives_uvicorn_its_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    called: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: called.update(options))
    status, err = serve("--region", "jinfeng", "--workers", "2")
    assert (status, err) == (0, "")
    assert {key: called[key] for key in UVICORN_LIMITS} == UVICORN_LIMITS
    assert called["h11_max_incomplete_event_size"] == 64 * 1024
    assert called["limit_concurrency"] == 256
    # Each is a setting uvicorn knows, of the type it takes.
    config = uvicorn.Config(FACTORY, factory=True, **UVICORN_LIMITS)  # type: ignore[arg-type]
    assert config.limit_concurrency == 256
