"""A question a plugin adds (hook ``edupolicy_questions``) reaches every surface.

A fake installed distribution declares one question, the cash a household's children
receive; with nothing else changed, it is answered in Python (``edupolicy.ask``), over
HTTP (an operation and its OpenAPI description), by ``edupolicy ask``, by ``edupolicy
schema`` and by case tables, and every surface gives the same answer.
"""

from __future__ import annotations

import io
import json
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import edupolicy
from edupolicy import InvalidDataError, PluginWarning
from edupolicy.cases import read_cases
from edupolicy.cli import main
from edupolicy.errors import PluginLoadError
from edupolicy.server import create_app
from tests.fakedist import install, plan_toml, plugin_source, region_spec

ON = "2019-09-01"

CHILDREN: list[dict[str, Any]] = [
    {"id": "C1", "stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]},
    {
        "id": "C2",
        "stage": "senior_secondary",
        "year": 1,
        "school_area": "urban",
        "household": ["dibao"],
    },
]

#: The plugin's question, in the plugin's own module: declared once, nothing else.
QUESTION_SOURCE = """
from decimal import Decimal

from edupolicy.i18n import _
from edupolicy.policy.questions import ON, Question, Subject

CHILD = {"type": "object"}


def household_cash(asked):
    total = sum(
        (asked.policy.aid(child, asked.params["on"]).cash_total for child in asked.subject),
        Decimal("0"),
    )
    return {"children": len(asked.subject), "cash_total": f"{total:.2f}"}


HOUSEHOLD_CASH = Question(
    id="household_cash",
    path="household-cash",
    summary=_("The cash a household's children receive a year"),
    subject=Subject(
        name="children",
        schema="children",
        shape="list",
        invalid=_("Invalid list of children"),
        description=_("the household's children"),
    ),
    params=(ON,),
    result="household-cash",
    schemas={
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/student"}},
        "household-cash": {
            "type": "object",
            "required": ["children", "cash_total"],
            "properties": {"children": {"type": "integer"}, "cash_total": {"type": "string"}},
        },
    },
    answer=household_cash,
    to_json=lambda answer, locale: answer,
)
"""


def _plugin(site: Path, questions: str, *, preamble: str = QUESTION_SOURCE) -> None:
    source = plugin_source(f"[{region_spec('demo')}]", api_version="1.1", preamble=preamble)
    source += textwrap.dedent(
        f"""
        @impl
        def edupolicy_questions():
            return {questions}
        """
    )
    install(site, source, files={"plan.toml": plan_toml()})


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_environment: None) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


@pytest.fixture
def with_question(site: Path) -> Path:
    _plugin(site, "[HOUSEHOLD_CASH]")
    return site


def _expected() -> dict[str, object]:
    """The answer, from each child's aid asked one at a time."""
    policy = edupolicy.load("jinfeng")
    on = edupolicy.values.parse_date(ON)
    assert on is not None
    total = sum((policy.aid(child, on).cash_total for child in CHILDREN), Decimal("0"))
    return {"children": 2, "cash_total": f"{total:.2f}"}


def test_python_asks_the_plugin_question(with_question: Path) -> None:
    assert "household_cash" in [question.id for question in edupolicy.questions()]
    answer = edupolicy.ask("jinfeng", "household-cash", CHILDREN, on=ON)
    assert answer == _expected()
    # A primary pupil of a dibao household receives 500 yuan a year; the senior-high
    # student of one is not nothing either: the total is more than the pupil's alone.
    assert isinstance(answer, dict)
    assert Decimal(answer["cash_total"]) > Decimal("500.00")


def test_http_serves_and_describes_the_plugin_question(with_question: Path) -> None:
    with TestClient(create_app(["jinfeng"])) as client:
        answer = client.post(f"/regions/jinfeng/household-cash?on={ON}", json=CHILDREN)
        refused = client.post(f"/regions/jinfeng/household-cash?on={ON}", json={"id": "C1"})
        document = client.get("/openapi.json").json()
    assert answer.status_code == 200
    assert answer.json() == _expected()
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["path"] == "$"
    operation = document["paths"]["/regions/{region}/household-cash"]["post"]
    assert operation["summary"] == "The cash a household's children receive a year"
    assert "household-cash" in document["components"]["schemas"]


def test_the_command_line_asks_the_plugin_question_and_prints_its_schemas(
    with_question: Path,
) -> None:
    children = with_question / "children.json"
    children.write_text(json.dumps(CHILDREN), encoding="utf-8")
    out = io.StringIO()
    status = main(
        ["ask", "household-cash", "--region", "jinfeng", "--on", ON, str(children)], stdout=out
    )
    assert status == 0
    assert json.loads(out.getvalue()) == _expected()

    out = io.StringIO()
    assert main(["schema", "household-cash"], stdout=out) == 0
    assert json.loads(out.getvalue())["required"] == ["children", "cash_total"]
    out = io.StringIO()
    assert main(["schema", "--list"], stdout=out) == 0
    assert "The cash a household's children receive a year" in out.getvalue()


def test_case_tables_check_the_plugin_question(with_question: Path) -> None:
    expected = _expected()
    cases = with_question / "test_household.cases.toml"
    rows = ", ".join(
        "{ " + ", ".join(f"{key} = {json.dumps(value)}" for key, value in child.items()) + " }"
        for child in CHILDREN
    )
    cases.write_text(
        textwrap.dedent(
            f"""\
            region = "jinfeng"
            on = {ON}

            [[case]]
            name = "two children of a dibao household"
            question = "household-cash"
            about = [{rows}]
            answer = {{ cash_total = "{expected["cash_total"]}" }}

            [[case]]
            name = "a wrong total is caught"
            question = "household-cash"
            about = [{rows}]
            answer = {{ cash_total = "1.00" }}
            """
        ),
        encoding="utf-8",
    )
    right, wrong = (case.run() for case in read_cases(cases))
    assert right.passed, right.report()
    assert not wrong.passed
    assert "answer.cash_total" in wrong.report()


def test_a_plugin_question_whose_id_is_taken_is_refused_and_the_plugin_kept(site: Path) -> None:
    taken = QUESTION_SOURCE + "\nimport attrs\nTAKEN = attrs.evolve(HOUSEHOLD_CASH, path='aid')\n"
    _plugin(site, "[TAKEN]", preamble=taken)
    with pytest.warns(PluginWarning, match="already answers a question of that id or path"):
        regions = [info.id for info in edupolicy.regions()]
    assert "demo" in regions
    (problem,) = edupolicy.plugin_problems()
    assert isinstance(problem, PluginLoadError)
    assert "question household_cash" in str(problem)
    assert "household_cash" not in [question.id for question in edupolicy.questions()]


def test_a_plugin_question_that_is_not_a_question_is_reported(site: Path) -> None:
    _plugin(site, "['household-cash']")
    with pytest.warns(PluginWarning, match="not a Question"):
        ids = [question.id for question in edupolicy.questions()]
    assert ids == [question.id for question in edupolicy.policy.questions.QUESTIONS]


@pytest.mark.parametrize(
    ("args", "params", "path"),
    [
        (("jinfeng", "household-cash", CHILDREN), {"on": ON, "size": 3}, "size"),
        (("jinfeng", "household-cash", CHILDREN), {}, "on"),
        (("jinfeng", "check", CHILDREN), {}, "about"),
        (("jinfeng", "no-such-question", CHILDREN), {"on": ON}, "question"),
    ],
)
def test_ask_refuses_bad_arguments_naming_them(
    with_question: Path, args: tuple[Any, ...], params: dict[str, Any], path: str
) -> None:
    with pytest.raises(InvalidDataError) as raised:
        edupolicy.ask(*args, **params)
    assert [problem.path for problem in raised.value.problems] == [path]
