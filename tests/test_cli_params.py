"""The commands of their own take their question's parameters from its declaration.

``edupolicy aid``, ``teacher``, ``select``, ``check-awards``, ``progress``, ``budget``,
``diff`` and ``check`` each ask a declared question
(:data:`~edupolicy.policy.questions.QUESTIONS`): each parameter of the declaration is
an option of the command, of its kind and as required as the declaration says (but for
the few a command shows otherwise, listed here), and a parameter added to a
declaration is an option of the command with no other change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json

import attrs
import pytest

from edupolicy.cli import _parser, main
from edupolicy.cli._options import Options, Shown
from edupolicy.i18n import Message
from edupolicy.policy.questions import QUESTIONS, Param, Question
from tests.clitools import run

pytestmark = pytest.mark.usefixtures("plain_environment")

#: The command of its own that asks each question (``check-awards`` asks two: with
#: ``--size``, how many awards the nominees need).
DEDICATED = {
    "aid": "aid",
    "budget": "budget",
    "diff": "diff",
    "teacher": "teacher",
    "progress": "progress",
    "select": "select",
    "check_awards": "check-awards",
    "awards_needed": "check-awards",
    "check": "check",
}
#: The parameters a command requires otherwise than its declaration, and why.
REQUIRED_OTHERWISE = {
    # Figures given as an object are the year's: the command always needs the year.
    ("progress", "year"): True,
    # One command for two questions: without --size it checks the list.
    ("check-awards", "size"): False,
}
#: A value of each kind, as typed, and as the command reads it.
TYPED = {"date": ("2019-09-01", dt.date(2019, 9, 1)), "int": ("7", 7), "text": ("x1", "x1")}


def _command(name: str, questions: tuple[Question, ...] = QUESTIONS) -> argparse.ArgumentParser:
    parser = _parser("en", questions)
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found: argparse.ArgumentParser = commands.choices[name]
    return found


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action:
    [action] = [a for a in parser._actions if flag in a.option_strings]
    return action


def test_every_question_has_a_command_of_its_own_here() -> None:
    assert sorted(DEDICATED) == sorted(declared.id for declared in QUESTIONS)


@pytest.mark.parametrize("declared", QUESTIONS, ids=lambda q: q.id)
def test_each_parameter_of_a_question_is_an_option_of_its_command(declared: Question) -> None:
    command = DEDICATED[declared.id]
    parser = _command(command)
    for param in declared.params:
        action = _option(parser, "--" + param.name.replace("_", "-"))
        assert action.dest == param.name
        required = REQUIRED_OTHERWISE.get((command, param.name), param.required)
        assert action.required is required, (command, param.name)
        if param.kind == "flag":
            assert action.nargs == 0
            assert action.const is True
        else:
            kind = action.type
            assert callable(kind)
            typed, read = TYPED[param.kind]
            assert kind(typed) == read, (command, param.name)
            for other, (text, _value) in TYPED.items():
                if other != param.kind and param.kind != "text":
                    with pytest.raises(argparse.ArgumentTypeError):
                        kind(text)


def _with(question_id: str, param: Param) -> tuple[Question, ...]:
    return tuple(
        attrs.evolve(q, params=(*q.params, param)) if q.id == question_id else q for q in QUESTIONS
    )


@pytest.mark.parametrize("question_id", sorted(DEDICATED))
def test_a_parameter_added_to_a_declaration_is_an_option_of_its_command(
    question_id: str,
) -> None:
    command = DEDICATED[question_id]
    added = Param("cohort_size", "int", Message("how many in the cohort"), required=True)
    questions = _with(question_id, added)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        main([command, "--help"], stdout=out, stderr=err, questions=questions)
    assert "--cohort-size N" in out.getvalue()
    assert "how many in the cohort" in out.getvalue()
    # Required, as declared: the command refuses to run without it.
    with pytest.raises(SystemExit) as exited:
        main([command, "--region", "jinfeng"], stdout=out, stderr=err, questions=questions)
    assert exited.value.code == 2
    assert "--cohort-size" in err.getvalue().splitlines()[-1]
    # And a value of the wrong kind is a usage error in the command's words.
    err = io.StringIO()
    with pytest.raises(SystemExit):
        main([command, "--cohort-size", "many"], stdout=out, stderr=err, questions=questions)
    assert 'argument --cohort-size: not a whole number: "many"' in err.getvalue()


def test_the_declarations_description_is_the_options_help() -> None:
    for declared in QUESTIONS:
        help_text = _command(DEDICATED[declared.id]).format_help()
        # The help is wrapped (a line may end after a hyphen): compared without spaces.
        flat = "".join(help_text.split())
        for param in declared.params:
            if (DEDICATED[declared.id], param.name) == ("check-awards", "size"):
                assert "sayhowmanyofNawardsmustberural" in flat
            else:
                wanted = "".join(param.description.render("en").split())
                assert wanted in flat, (declared.id, param.name)


def test_a_command_keeps_its_placeholders() -> None:
    shown = {
        "select": ("--programme PROGRAMME", "--year YYYY"),
        "check-awards": ("--on YYYY-MM-DD", "--share SHARE", "--size N"),
        "diff": ("--against YYYY-MM-DD", "--against-region REGION"),
        "progress": ("--year YEAR", "--on YYYY-MM-DD"),
    }
    for command, placeholders in shown.items():
        usage = " ".join(_command(command).format_usage().split())
        for placeholder in placeholders:
            assert placeholder in usage, (command, placeholder)
    # edupolicy ask shows each parameter as its kind's placeholder.
    out = io.StringIO()
    with pytest.raises(SystemExit):
        main(["ask", "awards-needed", "--help"], stdout=out, stderr=io.StringIO())
    usage = " ".join(out.getvalue().split())
    for placeholder in ("--on YYYY-MM-DD", "--size N", "--share ID"):
        assert placeholder in usage


def test_showing_a_parameter_the_question_does_not_have_is_refused() -> None:
    parser = argparse.ArgumentParser()
    with pytest.raises(ValueError, match="no such parameter to show otherwise: yaer"):
        Options("en").add_params(parser, QUESTIONS[0].params, {"yaer": Shown(metavar="YYYY")})


def test_progress_judges_the_targets_on_the_date_of_on() -> None:
    figures = json.dumps({"primary-retention": "99.5"})
    at_end = run("progress", "--region", "jinfeng", "--year", "2019", "-", stdin=figures)
    on = run(
        "progress", "--region", "jinfeng", "--year", "2019", "--on", "2019-06-30", "-",
        stdin=figures,
    )  # fmt: skip
    assert (at_end.status, on.status) == (0, 0)
    assert "targets at the end of 2019" in at_end.out
    assert "targets on June 30, 2019" in on.out
    as_json = run(
        "progress", "--region", "jinfeng", "--year", "2019", "--on", "2019-06-30",
        "--format", "json", "-", stdin=figures,
    )  # fmt: skip
    assert as_json.status == 0
    asked = run(
        "ask", "progress", "--region", "jinfeng", "--year", "2019", "--on", "2019-06-30", "-",
        stdin=figures,
    )  # fmt: skip
    assert as_json.json() == asked.json()


def test_a_year_that_is_not_a_whole_number_is_a_usage_error_in_chinese() -> None:
    err = io.StringIO()
    argv = ["--locale", "zh_CN", "select", "--region", "jinfeng", "--programme", "x"]
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--year", "二〇一九", "-"], stdout=io.StringIO(), stderr=err)
    assert exited.value.code == 2
    assert '参数 --year：不是整数："二〇一九"' in err.getvalue()
