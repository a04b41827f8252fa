"""The OpenAPI document the service publishes states what its regions accept, and
lists every refusal: a value the document allows is one the service answers, and one
it refuses is one the service refuses.

The module needs the ``server`` extra, which the ``test`` extra installs.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("starlette")

from jsonschema import Draft202012Validator
from referencing import Registry as SchemaRegistry
from referencing import Resource
from referencing.jsonschema import DRAFT202012
from starlette.testclient import TestClient

import edupolicy
from edupolicy.plans.plan import Period
from edupolicy.server import create_app
from edupolicy.server.accepted import dates_pattern
from edupolicy.server.openapi import openapi_document
from edupolicy.server.operations import OPERATIONS
from edupolicy.server.problems import PROBLEM_MEDIA_TYPE
from tests.conftest import record

TEACHER = {
    "id": "T1",
    "service": [{"school_area": "rural", "start": "2004-09-01", "end": None}],
    "title": "intermediate",
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(["jinfeng"])) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/openapi.json").json()
    return found


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = SchemaRegistry().with_resource("urn:edupolicy:openapi", resource)
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _component(name: str) -> dict[str, Any]:
    return {"$ref": f"urn:edupolicy:openapi#/components/schemas/{name}"}


def _param(document: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    operation = next(iter(document["paths"][path].values()))
    found: dict[str, Any] = next(p for p in operation["parameters"] if p["name"] == name)
    return found


def _allows(document: dict[str, Any], schema: dict[str, Any], value: object) -> bool:
    return bool(_validator(document, schema).is_valid(value))


@pytest.mark.parametrize(
    ("on", "answered"),
    [
        ("2018-08-29", False),
        ("2018-08-30", True),
        ("2019-02-28", True),
        ("2019-02-29", False),
        ("2020-02-29", True),
        ("2020-12-31", True),
        ("2021-01-01", False),
    ],
)
def test_a_date_the_document_allows_is_one_a_plan_is_in_force_on(
    client: TestClient, document: dict[str, Any], on: str, answered: bool
) -> None:
    schema = _param(document, "/regions/{region}/aid", "on")["schema"]
    assert _allows(document, schema, on) is answered
    response = client.post(f"/regions/jinfeng/aid?on={on}", json=record(year=3))
    assert (response.status_code == 200) is answered, response.text


@pytest.mark.parametrize(
    ("readings", "answered"),
    [
        (["continuity-gap=no-gap"], True),
        (["continuity-gap=no-gap", "liangtian-kindergartens=four"], True),
        (["continuity-gap=two-years"], False),
        (["no-such-reading=no-gap"], False),
        (["continuity-gap=no-gap", "continuity-gap=one-year"], False),
        (["continuity-gap=no-gap", "continuity-gap=no-gap"], False),
    ],
)
def test_readings_the_document_allows_are_those_the_plans_offer(
    client: TestClient, document: dict[str, Any], readings: list[str], answered: bool
) -> None:
    schema = _param(document, "/regions/{region}/teacher", "reading")["schema"]
    assert _allows(document, schema, readings) is answered
    query = "&".join(f"reading={reading}" for reading in readings)
    response = client.post(f"/regions/jinfeng/teacher?on=2019-09-01&{query}", json=TEACHER)
    assert (response.status_code == 200) is answered, response.text


@pytest.mark.parametrize(
    ("student", "answered"),
    [
        (record(stage="primary", year=6), True),
        (record(stage="primary", year=7), False),
        (record(stage="preschool", year=3), True),
        (record(stage="preschool", year=4), False),
    ],
)
def test_a_stage_year_the_document_allows_is_one_the_plan_has(
    client: TestClient, document: dict[str, Any], student: dict[str, Any], answered: bool
) -> None:
    assert _allows(document, _component("student"), student) is answered
    response = client.post("/regions/jinfeng/aid?on=2019-09-01", json=student)
    assert (response.status_code == 200) is answered, response.text


@pytest.mark.parametrize(
    ("figures", "answered"),
    [
        ({"primary-retention": "98.5"}, True),
        ({"primary-retention": "100.5"}, False),
        ({"no-such-indicator": 1}, False),
        ({"schools-built": "2.5"}, False),
        ({"schools-built": 3}, True),
        ({"schools-built": "2.0"}, True),
        ({"primary-retention": "100.10"}, False),
        ({"primary-retention": "100.0"}, True),
        ({"primary-retention": True}, False),
    ],
)
def test_figures_the_document_allows_are_those_the_plan_reads(
    client: TestClient, document: dict[str, Any], figures: dict[str, Any], answered: bool
) -> None:
    assert _allows(document, _component("figures"), figures) is answered
    response = client.post("/regions/jinfeng/progress?year=2019", json=figures)
    assert (response.status_code == 200) is answered, response.text


def test_ids_and_years_the_document_allows_are_the_regions(document: dict[str, Any]) -> None:
    assert _param(document, "/regions/{region}/aid", "region")["schema"]["enum"] == ["jinfeng"]
    assert _param(document, "/regions/{region}/select", "programme")["schema"]["enum"] == [
        "sanatorium"
    ]
    year = _param(document, "/regions/{region}/select", "year")["schema"]
    assert (year["minimum"], year["maximum"]) == (2018, 2020)
    assert _param(document, "/regions/{region}/awards-needed", "size")["schema"]["minimum"] == 1


def test_every_operation_lists_its_refusals_as_problems(document: dict[str, Any]) -> None:
    for op in OPERATIONS:
        responses = document["paths"][op.path][op.method.lower()]["responses"]
        expected = {"400"}
        if op.regional:
            expected |= {"404", "422", "503"}
        if op.body is not None:
            expected.add("413")
        assert set(responses) - {"200"} == expected, op.id
        for status in expected:
            content = responses[status]["content"]
            assert content == {
                PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/problem"}}
            }


def test_the_document_without_policies_states_only_kinds() -> None:
    document = openapi_document(edupolicy.__version__)
    region = _param(document, "/regions/{region}/aid", "region")
    assert region["schema"] == {"type": "string"}
    on = _param(document, "/regions/{region}/aid", "on")["schema"]
    assert on["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def test_the_document_states_values_once_the_policies_are_loaded() -> None:
    app = create_app(["jinfeng"])
    before = TestClient(app).get("/openapi.json").json()  # no lifespan: not loaded
    assert _param(before, "/regions/{region}/aid", "region")["schema"] == {"type": "string"}
    with TestClient(app) as client:
        after = client.get("/openapi.json").json()
    assert _param(after, "/regions/{region}/aid", "region")["schema"]["enum"] == ["jinfeng"]


def test_the_dates_of_a_period_with_no_end_run_to_year_9999() -> None:
    pattern = dates_pattern([Period(start=_dt.date(2021, 3, 5), end=None)])
    assert pattern is not None
    days = re.compile(pattern)
    for day in ("2021-03-05", "2021-12-31", "2022-01-01", "2400-02-29", "9999-12-31"):
        assert days.match(day), day
    for day in ("2021-03-04", "2020-12-31", "1999-01-01"):
        assert not days.match(day), day
    assert dates_pattern([]) is None
