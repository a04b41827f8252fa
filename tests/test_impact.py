"""Budget and diff as library calls and HTTP operations: the same answer as the command
line for the same roster, bad records kept and counted, clear errors for bad arguments."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

import edupolicy
from edupolicy.analysis.impact import BUDGET, DIFF, schema_of
from edupolicy.errors import InvalidDataError, InvalidRecordError, Rejected
from edupolicy.server import create_app
from tests.clitools import run
from tests.conftest import record
from tests.profiles import scaled

pytestmark = pytest.mark.usefixtures("plain_environment")

ON = "2019-09-01"
DAY = datetime.date(2019, 9, 1)
AGAINST = "2020-09-01"
READING = "secondary-vocational-subsidy=universal"

ROSTER: list[dict[str, Any]] = [
    record(id="P1", year=3, household=["dibao"]),
    record(
        id="J1",
        stage="junior_secondary",
        year=2,
        boarding=True,
        household=["dibao", "migrant_worker"],
        orphan=True,
    ),
    record(id="H1", stage="senior_secondary", year=1, school_area="urban"),
    record(id="V1", stage="secondary_vocational", year=2, household=["registered_poor"]),
    record(id="K1", stage="preschool", year=1, household=["other_hardship"], disabled=True),
]
BAD = record(id="X1", year="three")


@pytest.fixture(scope="module")
def policy() -> edupolicy.Policy:
    return edupolicy.load("jinfeng")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(["jinfeng"])) as test_client:
        yield test_client


def _roster_file(tmp_path: Path, records: list[Any]) -> str:
    path = tmp_path / "roster.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return str(path)


def test_a_budget_adds_up_what_each_student_receives(policy: edupolicy.Policy) -> None:
    budget = policy.budget(ROSTER, ON)
    each = [policy.aid(student, ON) for student in ROSTER]
    assert budget.students == len(ROSTER)
    assert budget.cash_total == sum((r.cash_total for r in each), Decimal("0.00"))
    answer = budget.to_json()
    assert answer["cash_total"] == f"{budget.cash_total:.2f}"
    assert answer["waivers"] == sum(len(r.waivers) for r in each)
    assert answer["students"] == 5
    assert answer["skipped"] == 0
    # Each rule's cash is what the items of that rule give, in the plan's order.
    order = [rule.id for rule in policy.plan_on(ON).aid.rules]
    listed = [entry["rule"] for entry in answer["by_rule"]]
    assert listed == sorted(listed, key=order.index)
    for entry in answer["by_rule"]:
        given_ = [i for r in each for i in r.items if i.rule.id == entry["rule"]]
        assert entry["students"] == len(given_)
        cash = sum((i.amount or Decimal(0) for i in given_ if i.kind.value == "cash"), Decimal(0))
        assert Decimal(entry["cash"]) == cash
    assert answer["by_stage"]["primary"]["students"] == 1
    assert answer["by_household"]["dibao"]["students"] == 2
    assert answer["by_household"]["none"]["students"] == 1


def test_a_budget_keeps_every_good_record_and_says_why_a_bad_one_is_out(
    policy: edupolicy.Policy,
) -> None:
    roster: list[Any] = [ROSTER[0], BAD, ROSTER[1], "not a record"]
    budget = policy.budget(roster, DAY)
    assert budget.students == 2
    assert budget.to_json()["skipped"] == 2
    assert [r.row for r in budget.rejected] == [1, 3]
    first = budget.rejected[0]
    assert isinstance(first, Rejected)
    assert isinstance(first.error, InvalidRecordError)
    assert [p.path for p in first.problems] == ["$.year"]
    assert budget.cash_total == policy.budget(ROSTER[:2], DAY).cash_total


def test_a_diff_counts_who_gains_and_who_loses(policy: edupolicy.Policy) -> None:
    raised = policy.with_changes(
        [
            edupolicy.Change(
                rule="primary-poor-grant",
                set={"benefit.amount": "600.00"},
                reason="raise the primary-school grant for poor students",
            )
        ]
    )
    diff = policy.diff(ROSTER, ON, against=raised, changes="raise.toml")
    answer = diff.to_json()
    assert (answer["gain"], answer["lose"], answer["same"]) == (1, 0, 4)
    assert answer["changes"] == "raise.toml"
    assert Decimal(answer["cash_change"]) == Decimal("100.00")
    assert answer["largest_changes"] == [
        {"id": "P1", "position": "$[0]", "before": "500.00", "after": "600.00", "change": "100.00"}
    ]
    assert answer["before"]["plan"] == answer["after"]["plan"]


def test_a_diff_under_another_reading_names_both_sides(policy: edupolicy.Policy) -> None:
    student = record(id="V2", stage="secondary_vocational", year=1)
    universal = policy.with_readings({"secondary-vocational-subsidy": "universal"})
    answer = policy.diff([*ROSTER, student], ON, against=universal).to_json()
    assert answer["gain"] >= 1
    assert [c["id"] for c in answer["largest_changes"]] == ["V2"]
    assert answer["after"]["readings"]["secondary-vocational-subsidy"] == "universal"
    assert answer["before"]["readings"]["secondary-vocational-subsidy"] == "means-tested"


def test_a_diff_needs_something_to_compare_with(policy: edupolicy.Policy) -> None:
    with pytest.raises(InvalidDataError) as caught:
        policy.diff(ROSTER, ON)
    assert [p.path for p in caught.value.problems] == ["against"]
    with pytest.raises(InvalidDataError) as wrong:
        policy.diff(ROSTER, ON, against="jinfeng")  # type: ignore[arg-type]
    assert "against" in wrong.value.render("en")
    assert "jinfeng" in wrong.value.render("en")


def test_a_roster_that_is_not_a_list_is_refused(policy: edupolicy.Policy) -> None:
    with pytest.raises(InvalidRecordError, match="list of records"):
        policy.budget(ROSTER[0], ON)  # type: ignore[arg-type]


def test_http_diff_without_anything_to_compare_with_names_the_parameter(
    client: TestClient,
) -> None:
    answer = client.post(f"/regions/jinfeng/diff?on={ON}", json=ROSTER)
    assert answer.status_code == 422
    assert [e["path"] for e in answer.json()["errors"]] == ["against"]


def test_http_budget_of_something_that_is_not_a_list_is_a_clear_error(
    client: TestClient,
) -> None:
    answer = client.post(f"/regions/jinfeng/budget?on={ON}", json={"stage": "primary"})
    assert answer.status_code in (400, 422)
    assert answer.json()["errors"][0]["path"] == "$"


_STUDENT = st.fixed_dictionaries(
    {
        "stage": st.sampled_from(
            ["preschool", "primary", "junior_secondary", "senior_secondary", "bad"]
        ),
        "year": st.one_of(st.integers(min_value=0, max_value=4), st.just("x")),
        "school_area": st.sampled_from(["urban", "rural"]),
    },
    optional={
        "id": st.text(alphabet="ABC123", min_size=1, max_size=4),
        "boarding": st.booleans(),
        "household": st.lists(
            st.sampled_from(["dibao", "registered_poor", "other_hardship", "migrant_worker"]),
            unique=True,
            max_size=2,
        ),
        "orphan": st.booleans(),
        "disabled": st.booleans(),
    },
)
_GARBAGE = st.one_of(st.integers(), st.text(max_size=3), st.none(), st.lists(st.integers()))
_ROSTERS = st.lists(st.one_of(_STUDENT, _STUDENT, _STUDENT, _GARBAGE), max_size=12)


@settings(
    max_examples=scaled(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(roster=_ROSTERS)
def test_python_the_command_line_and_http_give_the_same_budget_and_diff(
    roster: list[Any], policy: edupolicy.Policy, client: TestClient, tmp_path: Path
) -> None:
    name = _roster_file(tmp_path, roster)
    # budget
    python = policy.budget(roster, ON).to_json()
    cli = run("budget", "--region", "jinfeng", "--on", ON, "--format", "json", name)
    http = client.post(f"/regions/jinfeng/budget?on={ON}", json=roster)
    assert cli.json() == python
    assert http.status_code == 200
    assert http.json() == python
    # diff against another reading and another date
    universal = policy.with_readings({"secondary-vocational-subsidy": "universal"})
    later = policy.diff(roster, ON, against=universal, against_on=AGAINST)
    cli_diff = run(
        "diff", "--region", "jinfeng", "--on", ON, "--against", AGAINST,
        "--reading", f"{READING}", "--format", "json", name,
    )  # fmt: skip
    http_diff = client.post(
        f"/regions/jinfeng/diff?on={ON}&against={AGAINST}&reading={READING}", json=roster
    )
    assert http_diff.status_code == 200
    # The command line names a record by its place in the file; Python and HTTP by its
    # index in the roster.  Everything else is the same.
    expected = later.to_json()
    for answer in (cli_diff.json(), http_diff.json()):
        for change in answer["largest_changes"]:
            change.pop("position")
        assert answer == {
            **expected,
            "largest_changes": [
                {k: v for k, v in c.items() if k != "position"} for c in expected["largest_changes"]
            ],
        }


def test_a_budget_and_a_diff_are_valid_under_their_schemas(policy: edupolicy.Policy) -> None:
    universal = policy.with_readings({"secondary-vocational-subsidy": "universal"})
    roster = [*ROSTER, record(id="V2", stage="secondary_vocational", year=1), BAD]
    for answer, schema in (
        (policy.budget(roster, ON).to_json("zh_CN"), schema_of(BUDGET, "Budget")),
        (policy.diff(roster, ON, against=universal).to_json(), schema_of(DIFF, "Diff")),
    ):
        jsonschema.Draft202012Validator(schema).validate(answer)
    broken = {**policy.budget(roster, ON).to_json(), "cash_total": 500}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema_of(BUDGET, "Budget")).validate(broken)


def test_edupolicy_schema_prints_the_budget_and_diff_schemas(tmp_path: Path) -> None:
    for name, view in (("budget", BUDGET), ("diff", DIFF)):
        printed = run("schema", name)
        assert printed.status == 0
        assert printed.json() == schema_of(view, name.capitalize())
    listed = run("schema", "--list").out
    assert "budget" in listed
    assert "diff" in listed
    budget = run(
        "budget",
        "--region",
        "jinfeng",
        "--on",
        ON,
        "--format",
        "json",
        _roster_file(tmp_path, ROSTER),
    )
    jsonschema.Draft202012Validator(run("schema", "budget").json()).validate(budget.json())
