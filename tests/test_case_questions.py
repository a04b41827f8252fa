"""Case tables of any declared question: ``question = "budget"``, what it is asked about,
its parameters, and the parts of its answer's JSON that are expected."""

from __future__ import annotations

from pathlib import Path

import pytest

import edupolicy
from edupolicy.cases import CaseFileError, read_cases
from edupolicy.policy.questions import QUESTIONS

pytestmark = pytest.mark.usefixtures("plain_environment")

HEAD = 'region = "jinfeng"\non = 2019-09-01\n'
PUPIL = '{ id = "P1", stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }'


def _cases(tmp_path: Path, text: str) -> list[edupolicy.cases.Case]:
    path = tmp_path / "test_questions.cases.toml"
    path.write_text(HEAD + text, encoding="utf-8")
    return read_cases(path)


def test_a_budget_case_checks_the_parts_of_the_answer_it_gives(tmp_path: Path) -> None:
    (case,) = _cases(
        tmp_path,
        f"""
[[case]]
name = "one pupil's budget"
question = "budget"
about = [{PUPIL}]
[case.answer]
students = 1
cash_total = "500.00"
by_household = {{ dibao = {{ cash = "500.00" }} }}
""",
    )
    outcome = case.run()
    assert outcome.passed, outcome.report()
    assert {check.field for check in outcome.checks} == {
        "answer.students",
        "answer.cash_total",
        "answer.by_household.dibao.cash",
    }


def test_a_wrong_part_of_the_answer_fails_naming_its_place(tmp_path: Path) -> None:
    (case,) = _cases(
        tmp_path,
        f"""
[[case]]
name = "a wrong total"
question = "budget"
about = [{PUPIL}]
answer = {{ cash_total = "600.00", by_stage = {{ preschool = {{ students = 1 }} }} }}
""",
    )
    outcome = case.run()
    assert not outcome.passed
    failed = {check.field: check for check in outcome.failures}
    assert set(failed) == {"answer.cash_total", "answer.by_stage.preschool"}
    assert failed["answer.cash_total"].actual == '"500.00"'
    report = outcome.report("en")
    assert "answer.cash_total" in report
    assert "600.00" in report


def test_every_declared_question_can_be_a_case(tmp_path: Path) -> None:
    teacher = (
        '{ id = "T1", title = "intermediate", meets_title_criteria = true, '
        'service = [{ school_area = "rural", start = 2004-09-01 }] }'
    )
    awards = '[{ id = "A1", school_area = "rural" }, { id = "A2", school_area = "urban" }]'
    bodies = {
        "aid": (PUPIL, "", '{ cash_total = "500.00" }'),
        "budget": (f"[{PUPIL}]", "", "{ students = 1 }"),
        "diff": (f"[{PUPIL}]", "params = { against = 2020-09-01 }\n", "{ same = 1 }"),
        "teacher": (teacher, "", '{ id = "T1" }'),
        "progress": ('{ primary-retention = "99" }', "year = 2019\n", None),
        "select": (
            f"[{teacher}]",
            'year = 2019\nparams = { programme = "sanatorium" }\n',
            '{ programme = "sanatorium" }',
        ),
        "check_awards": (awards, "", "{ meets = true }"),
        "awards_needed": (awards, "params = { size = 2 }\n", "{ size = 2 }"),
        "check": (None, "", None),
    }
    assert sorted(bodies) == sorted(q.id for q in QUESTIONS)
    text = ""
    for declared in QUESTIONS:
        about, extra, answer = bodies[declared.id]
        text += f'\n[[case]]\nname = "{declared.id}"\nquestion = "{declared.path}"\n'
        text += f"about = {about}\n" if about is not None else ""
        text += extra
        text += f"answer = {answer}\n" if answer is not None else 'error = "nothing"\n'
    cases = {case.name: case for case in _cases(tmp_path, text)}
    for name, case in cases.items():
        outcome = case.run()
        if bodies[name][2] is None:
            # No answer expected here: it answers, so "an error" fails, and says so.
            assert [c.field for c in outcome.failures] == ["error"], name
        else:
            assert outcome.passed, (name, outcome.report())


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('question = "no-such"\nanswer = { a = 1 }', "question", "no such question"),
        (f'question = "check"\nabout = [{PUPIL}]\nanswer = {{ a = 1 }}', "about", "nothing"),
        ('question = "budget"\nanswer = { a = 1 }', "about", "asked about"),
        (
            f'question = "budget"\nabout = [{PUPIL}]\nparams = {{ size = 2 }}\n'
            "answer = { a = 1 }",
            "params.size",
            "no such parameter",
        ),
        (
            'question = "awards_needed"\nabout = []\nanswer = { a = 1 }',
            "params",
            "needs size",
        ),
        (f'question = "budget"\nabout = [{PUPIL}]\nanswer = "500"', "answer", "table"),
    ],
)
def test_a_bad_question_case_is_a_clear_error_of_the_file(
    tmp_path: Path, text: str, field: str, words: str
) -> None:
    with pytest.raises(CaseFileError) as caught:
        _cases(tmp_path, f'\n[[case]]\nname = "bad"\n{text}\n')
    rendered = caught.value.render("en")
    assert field in rendered
    assert words in rendered
