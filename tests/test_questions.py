"""Each question a policy answers is declared once: Python, the HTTP service and its
OpenAPI document, and the command line's ``ask`` are made from the declaration, give
the same answer for the same input and name the same fields when it is refused; a new
declaration reaches every one of them with no other change."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import attrs
import pytest
from edupolicy_question_tables import expand, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

import edupolicy
from edupolicy.cli import main
from edupolicy.cli._io import EXIT_FAILURE
from edupolicy.errors import EdupolicyError, InvalidDataError
from edupolicy.i18n import Message
from edupolicy.policy.questions import (
    ON,
    QUESTIONS,
    Asked,
    Param,
    Question,
    Subject,
    question,
)
from edupolicy.server import create_app
from edupolicy.server.openapi import openapi_document
from edupolicy.server.operations import OPERATIONS
from tests.clitools import run
from tests.conftest import record
from tests.profiles import scaled
from tests.test_server import AWARDS, CANDIDATES, PUPIL, TEACHER
from tests.test_server import ON as ON_DATE

pytestmark = pytest.mark.usefixtures("plain_environment")

# The records the HTTP service's own tests send.
ON_DAY = ON_DATE
ROSTER = [PUPIL, record(id="V1", stage="secondary_vocational", year=1)]

#: For each question: its subject and its parameters, as a host would send them.
SAMPLES: dict[str, tuple[Any, dict[str, str]]] = {
    "aid": (PUPIL, {"on": ON_DAY, "explain": "true"}),
    "budget": (ROSTER, {"on": ON_DAY}),
    "diff": (ROSTER, {"on": ON_DAY, "against": "2020-09-01"}),
    "teacher": (TEACHER, {"on": ON_DAY}),
    "progress": ({"primary-retention": 99}, {"year": "2019"}),
    "select": (CANDIDATES, {"programme": "sanatorium", "year": "2019"}),
    "check_awards": (AWARDS, {"on": ON_DAY}),
    "awards_needed": (AWARDS, {"on": ON_DAY, "size": "2"}),
    "check": (None, {}),
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(["jinfeng"])) as test_client:
        yield test_client


def _python_params(declared: Question, given: dict[str, str]) -> dict[str, Any]:
    read: dict[str, Any] = {}
    for param in declared.params:
        if param.name not in given:
            continue
        text = given[param.name]
        if param.kind == "date":
            read[param.name] = datetime.date.fromisoformat(text)
        elif param.kind == "int":
            read[param.name] = int(text)
        elif param.kind == "flag":
            read[param.name] = text == "true"
        else:
            read[param.name] = text
    return read


def _in_python(declared: Question, subject: Any, given: dict[str, str]) -> object:
    policy = edupolicy.load("jinfeng")
    return declared.ask(
        Asked(
            policy=policy,
            base=policy,
            subject=subject,
            params=_python_params(declared, given),
            locale=None,
            other=edupolicy.load,
        )
    )


def _over_http(client: TestClient, declared: Question, subject: Any, given: dict[str, str]) -> Any:
    url = f"/regions/jinfeng/{declared.path}?{urlencode(given)}"
    if declared.subject is None:
        return client.get(url)
    # Sent as written: ``null`` too is a body.
    body = json.dumps(subject)
    return client.post(url, content=body, headers={"content-type": "application/json"})


def _on_the_command_line(
    declared: Question, subject: Any, given: dict[str, str], tmp_path: Path, **kwargs: Any
) -> Any:
    argv = ["ask", declared.path, "--region", "jinfeng"]
    for param in declared.params:
        if param.name in given:
            flag = "--" + param.name.replace("_", "-")
            argv += [flag] if param.kind == "flag" else [flag, given[param.name]]
    if declared.subject is not None:
        path = tmp_path / "subject.json"
        path.write_text(json.dumps(subject), encoding="utf-8")
        argv.append(str(path))
    return run(*argv, **kwargs)


def test_every_question_has_a_sample_here() -> None:
    assert sorted(SAMPLES) == sorted(q.id for q in QUESTIONS)


def test_every_question_is_an_http_operation_and_in_the_openapi_document() -> None:
    ids = {op.id for op in OPERATIONS}
    paths = openapi_document("0")["paths"]
    for declared in QUESTIONS:
        assert declared.id in ids
        method = "post" if declared.subject is not None else "get"
        operation = paths[f"/regions/{{region}}/{declared.path}"][method]
        assert operation["operationId"] == declared.id
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert {p.name for p in declared.params} <= names


@pytest.mark.parametrize("question_id", [q.id for q in QUESTIONS])
def test_python_http_and_the_command_line_give_the_same_answer(
    question_id: str, client: TestClient, tmp_path: Path
) -> None:
    declared = question(question_id)
    subject, given = SAMPLES[question_id]
    expected = _in_python(declared, subject, given)
    response = _over_http(client, declared, subject, given)
    assert response.status_code == 200, response.text
    assert response.json() == expected
    ran = _on_the_command_line(declared, subject, given, tmp_path)
    assert ran.status == 0, ran.err
    assert ran.json() == expected


_GARBAGE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


def _mutated(value: Any) -> st.SearchStrategy[Any]:
    """``value`` with one of its fields replaced by garbage, or garbage outright."""
    if isinstance(value, dict) and value:
        return st.one_of(
            _GARBAGE,
            st.builds(
                lambda key, new: {**value, key: new}, st.sampled_from(sorted(value)), _GARBAGE
            ),
        )
    if isinstance(value, list) and value:
        return st.one_of(
            _GARBAGE,
            st.builds(
                lambda index, new: [*value[:index], new, *value[index + 1 :]],
                st.integers(0, len(value) - 1),
                _mutated(value[0]),
            ),
        )
    return _GARBAGE


@settings(
    max_examples=scaled(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_refused_subject_names_the_same_fields_everywhere(
    data: st.DataObject, client: TestClient, tmp_path: Path
) -> None:
    declared = data.draw(st.sampled_from([q for q in QUESTIONS if q.subject is not None]))
    subject_, given = SAMPLES[declared.id]
    subject = data.draw(_mutated(subject_))
    try:
        expected: object = _in_python(declared, subject, given)
        paths: list[str] | None = None
    except EdupolicyError as exc:
        expected = None
        paths = [p.path for p in exc.problems] if isinstance(exc, InvalidDataError) else []
    response = _over_http(client, declared, subject, given)
    ran = _on_the_command_line(declared, subject, given, tmp_path)
    if paths is None:
        assert response.status_code == 200, response.text
        assert response.json() == expected
        assert ran.json() == expected
    else:
        assert response.status_code >= 400
        assert [e["path"] for e in response.json().get("errors", [])] == paths
        assert ran.status == EXIT_FAILURE
        for path in paths:
            assert path in ran.err


# --- a new question: one declaration plus its domain code ----------------------------------


def _fees(asked: Asked) -> Any:
    """The domain code of the new question: the fees a student's aid waives."""
    result = asked.policy.aid(asked.subject, asked.params["on"], locale=asked.locale)
    return {"id": result.student_id, "waived": list(result.waivers)}


FEES = Question(
    id="fees_waived",
    path="fees-waived",
    summary=Message("The fees a student does not pay"),
    subject=Subject(
        name="student",
        schema="student",
        shape="object",
        invalid=Message("Invalid student record"),
        description=Message("a student record"),
    ),
    params=(ON, Param("note", "text", Message("a note, echoed"))),
    result="aid-result",
    answer=_fees,
    to_json=lambda answer, _locale: answer,
)


def test_a_new_question_reaches_http_openapi_and_the_command_line(tmp_path: Path) -> None:
    questions = (*QUESTIONS, FEES)
    expected = {"id": "P1", "waived": ["textbook"]}
    with TestClient(create_app(["jinfeng"], questions=questions)) as client:
        answer = client.post(f"/regions/jinfeng/fees-waived?on={ON_DAY}", json=PUPIL)
        assert answer.status_code == 200, answer.text
        assert answer.json()["id"] == "P1"
        assert answer.json() == _in_python(FEES, PUPIL, {"on": ON_DAY})
        document = client.get("/openapi.json").json()
    operation = document["paths"]["/regions/{region}/fees-waived"]["post"]
    assert operation["summary"] == "The fees a student does not pay"
    assert {p["name"] for p in operation["parameters"]} >= {"on", "note", "reading"}
    path = tmp_path / "pupil.json"
    path.write_text(json.dumps(PUPIL), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["ask", "fees-waived", "--region", "jinfeng", "--on", ON_DAY, str(path)],
        stdout=out,
        stderr=err,
        questions=questions,
    )
    assert status == 0, err.getvalue()
    assert json.loads(out.getvalue()) == answer.json()
    assert set(expected) <= set(answer.json())
    # Without the declaration, neither surface knows it.
    with TestClient(create_app(["jinfeng"])) as plain:
        assert (
            plain.post(f"/regions/jinfeng/fees-waived?on={ON_DAY}", json=PUPIL).status_code == 404
        )
    with pytest.raises(SystemExit) as usage:
        run("ask", "fees-waived", "--region", "jinfeng")
    assert usage.value.code == EXIT_FAILURE


DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_a_new_question_is_a_row_of_the_docs_tables() -> None:
    """The docs' tables are made from the declarations when the site is built: a
    question declared later is a row of each, with its summary, parameters and subject."""
    questions = (*QUESTIONS, FEES)
    assert (
        "| `POST /regions/{region}/fees-waived` | The fees a student does not pay "
        "| `on=YYYY-MM-DD` (required), `note=ID`, `reading=ID=CHOICE` | a student record "
        "| `aid-result` |"
    ) in table("http", questions).splitlines()
    assert (
        "| `fees-waived` | The fees a student does not pay "
        "| `--on YYYY-MM-DD` (required), `--note ID` | a student record |"
    ) in table("cli", questions).splitlines()
    # Without the declaration, neither table has it.
    assert "fees-waived" not in table("http") + table("cli")


def test_a_question_of_the_plans_is_a_get_with_no_body_in_the_docs() -> None:
    row = next(line for line in table("http").splitlines() if "/regions/{region}/check`" in line)
    assert row == (
        "| `GET /regions/{region}/check` | The consistency audit of the region's plans "
        "| `reading=ID=CHOICE` |  | `findings` |"
    )


def test_a_bar_in_a_summary_stays_inside_its_cell() -> None:
    barred = attrs.evolve(FEES, summary=Message("Waived | or not"))
    rows = [line for line in table("cli", (barred,)).splitlines() if "fees-waived" in line]
    assert rows == [
        "| `fees-waived` | Waived \\| or not "
        "| `--on YYYY-MM-DD` (required), `--note ID` | a student record |"
    ]


@pytest.mark.parametrize(("page", "surface"), [("server.md", "http"), ("cli.md", "cli")])
def test_the_docs_pages_show_the_table_of_every_question(page: str, surface: str) -> None:
    """The page as the site reads it has the table in place of its block, and no row
    written by hand above or below it."""
    shown = expand((DOCS / page).read_text(encoding="utf-8"))
    assert "{edupolicy-questions}" not in shown
    generated = table(surface)
    before, after = shown.split(generated.rstrip("\n"))
    # The table stands alone: no row written by hand above or below it.
    assert before.endswith("\n\n")
    assert after.startswith("\n\n")
    assert generated.splitlines()[0] not in before + after


def test_a_table_of_an_unknown_surface_is_refused() -> None:
    with pytest.raises(ValueError, match="surfaces: http, cli"):
        expand("```{edupolicy-questions} web\n```\n")


def test_an_unknown_question_is_a_clear_error() -> None:
    with pytest.raises(InvalidDataError) as caught:
        question("no-such-question")
    assert caught.value.problems[0].path == "question"
    assert "aid" in caught.value.render("en")


def test_a_subject_of_the_wrong_shape_names_the_body() -> None:
    declared = question("budget")
    assert declared.subject is not None
    with pytest.raises(InvalidDataError) as caught:
        declared.subject.check({"stage": "primary"})
    assert [p.path for p in caught.value.problems] == ["$"]
    assert "must be a list" in caught.value.render("en")


def test_an_answer_kept_for_the_plans_is_kept_in_each_language(client: TestClient) -> None:
    english = client.get("/regions/jinfeng/check", headers={"accept-language": "en"}).json()
    chinese = client.get("/regions/jinfeng/check", headers={"accept-language": "zh-CN"}).json()
    again = client.get("/regions/jinfeng/check", headers={"accept-language": "en"}).json()
    policy = edupolicy.load("jinfeng")
    assert english == again == [f.to_json("en") for f in policy.check()]
    assert chinese == [f.to_json("zh_CN") for f in policy.check()]
    assert chinese != english
