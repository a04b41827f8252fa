"""One check of a question's parameters: ``Question.check_params``, which
:func:`edupolicy.ask` and the case tables both use, so that they accept and refuse the
same parameters, naming the same one with the same words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import edupolicy
from edupolicy.cases.problems import Problems, TomlSpan
from edupolicy.cases.questions import read_question_case
from edupolicy.errors import MISSING, EdupolicyError, InvalidDataError
from edupolicy.policy.questions import QUESTIONS, Param, question
from tests.strategies import GARBAGE, ODD_VALUES, mutated

STUDENT = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
TEACHER = {
    "service": [{"school_area": "rural", "start": "2000-09-01", "end": None}],
    "title": "intermediate",
}
#: A question whose answer, once its parameters are accepted, refuses nothing as a bad
#: argument: what it is asked about here.  (The others check more of their parameters
#: against the plans when they answer: a programme, a year of a cohort.)
ABOUT: dict[str, object] = {
    "aid": STUDENT,
    "teacher": TEACHER,
    "budget": [],
    "check_awards": [],
    "check": None,
}
#: The keywords of ``edupolicy.ask`` itself, which a question's parameter cannot be.
OWN = {"region_id", "question", "about", "readings", "locale"}


def _valid_value(param: Param) -> st.SearchStrategy[Any]:
    inside = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2021, 12, 31))
    return {
        "date": st.one_of(inside, inside.map(dt.date.isoformat)),
        "int": st.integers(min_value=0, max_value=50),
        "flag": st.booleans(),
        "text": st.text(min_size=1, max_size=8).filter(str.strip),
    }[param.kind]


@st.composite
def _valid(draw: st.DrawFn, params: tuple[Param, ...]) -> dict[str, Any]:
    return {
        param.name: draw(_valid_value(param))
        for param in params
        if param.required or draw(st.booleans())
    }


def _plain(value: object) -> bool:
    return (
        isinstance(value, dict)
        and all(isinstance(key, str) for key in value)
        and not OWN & value.keys()
    )


def _params(params: tuple[Param, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Valid parameters, mutants of them (a value replaced, one left out, one added
    under an unknown name) and garbage."""
    keys = st.one_of(st.sampled_from([p.name for p in params] or ["on"]), st.text(max_size=10))
    return st.one_of(
        _valid(params),
        mutated(_valid(params)).filter(_plain),
        st.dictionaries(keys, GARBAGE, max_size=4).filter(_plain),
    )


@st.composite
def _asked(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    question_id = draw(st.sampled_from(sorted(ABOUT)))
    return question_id, draw(_params(question(question_id).params))


def _by_ask(question_id: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        edupolicy.ask("jinfeng", question_id, ABOUT[question_id], **params)
    except InvalidDataError as exc:
        exc.render("zh_CN")
        return sorted((problem.path, problem.message.msgid) for problem in exc.problems)
    except EdupolicyError:
        pass  # asked, and refused by the plans (a date outside them): not a parameter
    return []


def _by_case(question_id: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    problems = Problems("cases.toml", None)
    raw = {"question": question_id, "about": ABOUT[question_id], "params": params}
    if ABOUT[question_id] is None:
        del raw["about"]
    read_question_case(problems, TomlSpan(("",), 1, 2), raw, None, None)
    for problem in problems.found:
        assert problem.render("zh_CN")
    return sorted(
        (problem.field.removeprefix("params."), problem.message.msgid) for problem in problems.found
    )


@given(_asked())
def test_ask_and_a_case_table_refuse_the_same_parameters_naming_the_same_one(
    asked: tuple[str, dict[str, Any]],
) -> None:
    question_id, params = asked
    assert _by_ask(question_id, params) == _by_case(question_id, params)


def _refused(call: Callable[[], object]) -> list[tuple[str, str]]:
    try:
        call()
    except InvalidDataError as exc:
        return [(problem.path, problem.message.msgid) for problem in exc.problems]
    except EdupolicyError:
        pass  # a date the plans do not cover: not a bad argument
    return []


@given(
    st.one_of(st.dates(), st.dates().map(dt.date.isoformat), ODD_VALUES).filter(
        lambda value: value is not None
    )
)
def test_the_date_of_a_question_is_checked_alike_in_python_and_in_columns(on: object) -> None:
    pa = pytest.importorskip("pyarrow")
    from edupolicy.columnar import aid_table

    policy = edupolicy.load("jinfeng")
    declared = _refused(lambda: question("aid").check_params({"on": on}))
    assert _refused(lambda: policy.aid(STUDENT, on)) == declared  # type: ignore[arg-type]
    table = pa.table({"stage": ["primary"], "year": [3], "school_area": ["rural"]})
    assert _refused(lambda: aid_table(policy, table, on)) == declared  # type: ignore[arg-type]


def test_a_misspelt_parameter_is_named_with_the_one_it_probably_means() -> None:
    with pytest.raises(InvalidDataError) as raised:
        edupolicy.ask("jinfeng", "aid", STUDENT, on="2019-09-01", explian=True)
    [problem] = raised.value.problems
    assert (problem.path, problem.value) == ("explian", True)
    assert "did you mean explain? It has: on, explain" in raised.value.render("en")
    assert "是否想写 explain" in raised.value.render("zh_CN")


def test_every_problem_of_the_parameters_is_named_at_once() -> None:
    with pytest.raises(InvalidDataError) as raised:
        question("awards_needed").check_params({"on": "2019-02-30", "size": -1, "colour": "red"})
    found = {(p.path, p.value) for p in raised.value.problems}
    assert found == {("on", "2019-02-30"), ("size", -1), ("colour", "red")}
    with pytest.raises(InvalidDataError) as raised:
        question("awards_needed").check_params({"share": None})
    assert [(p.path, p.value) for p in raised.value.problems] == [
        ("on", MISSING),
        ("size", MISSING),
    ]


def test_parameters_are_read_as_their_kind() -> None:
    read = question("progress").check_params({"year": 2019, "on": "2019-06-30"})
    assert read == {"year": 2019, "on": dt.date(2019, 6, 30)}
    # A datetime is not a date, a bool not a number, blank text not an id: nothing is coerced.
    for name, value in (("on", dt.datetime(2019, 6, 30)), ("year", True)):
        with pytest.raises(InvalidDataError):
            question("progress").check_params({name: value})
    with pytest.raises(InvalidDataError):
        question("select").check_params({"programme": " ", "year": 2019})


def test_ask_takes_a_date_written_as_text() -> None:
    answer = edupolicy.ask("jinfeng", "aid", STUDENT, on="2019-09-01")
    assert isinstance(answer, dict)
    assert answer["on"] == "2019-09-01"


def test_every_question_here_is_one_of_the_declared() -> None:
    assert set(ABOUT) <= {declared.id for declared in QUESTIONS}
