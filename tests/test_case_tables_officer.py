"""Case tables as a policy officer uses them: under a change file or a reading given on
pytest's command line, reports that say what ran, and mistakes named in one run.

Each test runs pytest on case files with ``pytester``, in-process, and checks what the
officer reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edupolicy.cases import CaseFileError, read_cases
from tests.casetools import output, run, write

pytestmark = pytest.mark.usefixtures("not_on_ci")

PUPIL = """\
region = "jinfeng"
on = 2019-09-01

[[case]]
name = "a poor primary pupil"
student = { stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }
cash_total = "600.00"
"""

RAISE = """\
# The raise of 2019.
[[change]]
rule = "primary-poor-grant"
set = { "benefit.amount" = "600.00" }
reason = "The 2019 budget raises the grant."
"""

#: A teacher with a gap of 62 days between two rural postings: 19 years of continuous
#: service under the default reading (a summer's gap does not break it), 9 under the
#: no-gap reading.
TEACHER = """\
region = "jinfeng"
on = 2019-09-01

[[case]]
name = "a summer between two rural postings"
teacher = { title = "junior", meets_title_criteria = true, outstanding = true, service = [
  { school_area = "rural", start = 2000-09-01, end = 2010-06-30 },
  { school_area = "rural", start = 2010-09-01 },
] }
earns = ["intermediate-title-outside-quota"]
"""


def test_a_table_runs_under_a_change_file_given_on_the_command_line(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_pupil.cases.toml", PUPIL)
    write(pytester, "raise.toml", RAISE)

    run(pytester).assert_outcomes(failed=1)
    run(pytester, "--edupolicy-changes=raise.toml").assert_outcomes(passed=1)


def test_a_table_runs_under_a_reading_given_on_the_command_line(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_teacher.cases.toml", TEACHER)

    run(pytester).assert_outcomes(passed=1)
    result = run(pytester, "--edupolicy-reading", "continuity-gap=no-gap")
    result.assert_outcomes(failed=1)
    # The report names the reading the case ran under.
    assert "Readings: continuity-gap=no-gap" in output(result)
    assert "9 years continuous" in output(result)


def test_a_case_s_own_reading_wins_over_the_command_line(pytester: pytest.Pytester) -> None:
    own = TEACHER.replace("earns =", 'readings = { continuity-gap = "92-days" }\nearns =')
    write(pytester, "test_teacher.cases.toml", own)
    run(pytester, "--edupolicy-reading=continuity-gap=no-gap").assert_outcomes(passed=1)


def test_a_bad_command_line_change_file_is_a_usage_error_naming_every_mistake(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_pupil.cases.toml", PUPIL)
    write(
        pytester,
        "bad.toml",
        '[[change]]\nrule = 3\nreason = "a"\n\n[[change]]\nrule = "x"\nsett = {}\n',
    )
    result = run(pytester, "--edupolicy-changes=bad.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "bad.toml:1: change[0].rule: must be a string" in err
    assert "bad.toml:5: change[1].sett: unknown field; did you mean set?" in err
    assert "bad.toml:5: change[1].reason: a change needs a reason" in err


MISAPPLIED = """\
[[change]]
rule = "primary-poor-grnat"
set = { "benefit.amount" = "600.00" }
reason = "a misspelt rule"

[[change]]
rule = "junior-poor-grant"
set = { "benefit.amount" = "12.345" }
reason = "an amount in tenths of a fen"

[[change]]
rule = "senior-poor-grant"
set = { "benefit.amout" = "100.00" }
reason = "a misspelt field"
"""


def test_changes_that_do_not_apply_are_each_said_once_a_file_by_line_and_value(
    pytester: pytest.Pytester,
) -> None:
    case = PUPIL.split("\n\n", 1)[1]
    three = PUPIL + case.replace("a poor", "another poor") + case.replace("a poor", "a third")
    write(pytester, "test_pupil.cases.toml", three)
    write(pytester, "misapplied.toml", MISAPPLIED)

    result = run(pytester, "--edupolicy-changes=misapplied.toml")

    result.assert_outcomes(failed=1)
    text = output(result)
    for mistake in (
        "misapplied.toml:1: changes[0].rule: no plan of region jinfeng has a rule with the id "
        'primary-poor-grnat (got "primary-poor-grnat")',
        'misapplied.toml:6: changes[1].set."benefit.amount": must be a string of yuan with at '
        'most two decimals, like "1000.00" (got "12.345")',
        'misapplied.toml:11: changes[2].set."benefit.amout": a benefit of kind cash has no '
        'field amout; did you mean amount? (got "100.00")',
    ):
        assert text.count(mistake) == 1, text
    assert '(got "jinfeng")' not in text


def test_a_malformed_command_line_reading_is_a_usage_error(pytester: pytest.Pytester) -> None:
    write(pytester, "test_pupil.cases.toml", PUPIL)
    result = run(pytester, "--edupolicy-reading=continuity-gap")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "not a reading written ID=CHOICE" in result.stderr.str()


def test_the_report_says_what_each_change_sets_and_the_amount_in_force(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_pupil.cases.toml", PUPIL.replace("600.00", "700.00"))
    write(pytester, "raise.toml", RAISE)

    result = run(pytester, "--edupolicy-changes=raise.toml")

    result.assert_outcomes(failed=1)
    text = output(result)
    assert (
        'Change: rule = "primary-poor-grant": set benefit.amount = "600.00" '
        "(The 2019 budget raises the grant.)"
    ) in text
    # The rule's quote is the plan's text (500元); the amount in force is said beside it.
    assert "“小学贫困生每生每年发放资助金500元” — changed: CN¥600.00 in force" in text


FIGURES = """\
region = "jinfeng"
year = 2019

[[case]]
name = "the schools"
figures = { schools = 30 }
status = { schools-after-programme = "met" }
"""

CANDIDATES = """\
region = "jinfeng"

[[case]]
name = "the sanatorium"
year = 2019
programme = "sanatorium"
candidates = [
  { id = "K1", title = "junior", outstanding = true, service = [
    { school_area = "rural", start = 1995-09-01 },
  ] },
]
selected = []
"""

AWARDS = """\
region = "jinfeng"
on = 2019-09-01

[[case]]
name = "one rural entry of four"
awards = [
  { id = "A1", school_area = "rural" },
  { id = "A2", school_area = "urban" },
  { id = "A3", school_area = "urban" },
  { id = "A4", school_area = "urban" },
]
meets = true
"""


@pytest.mark.parametrize(
    "table", [FIGURES, CANDIDATES, AWARDS], ids=["figures", "candidates", "awards"]
)
def test_every_failure_report_names_its_readings_and_changes(
    pytester: pytest.Pytester, table: str
) -> None:
    write(pytester, "test_it.cases.toml", table)
    write(pytester, "raise.toml", RAISE)

    result = run(
        pytester, "--edupolicy-changes=raise.toml", "--edupolicy-reading=continuity-gap=no-gap"
    )

    result.assert_outcomes(failed=1)
    text = output(result)
    assert "Readings: continuity-gap=no-gap" in text
    assert 'Change: rule = "primary-poor-grant": set benefit.amount = "600.00"' in text


# --- mistakes, named ---------------------------------------------------------------------------


def _problems(path: Path) -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        read_cases(path, label=path.name)
    return [problem.render() for problem in caught.value.problems]


def test_a_csv_row_with_a_missing_cell_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "test_rows.cases.csv"
    path.write_text(
        "name,region,on,stage,year,school_area,household,cash_total\n"
        "ok,jinfeng,2019-09-01,primary,3,rural,dibao,500.00\n"
        # The household cell is left out: the amount would be read as a household.
        "short,jinfeng,2019-09-01,primary,3,rural,500.00\n",
        encoding="utf-8",
    )
    (problem,) = _problems(path)
    assert problem.startswith(
        "test_rows.cases.csv:3: the row has 7 cells, fewer than the 8 columns: a cell or its "
        "comma is missing"
    )
    assert "household" not in problem


def test_a_misspelt_key_gets_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "test_keys.cases.toml"
    path.write_text(PUPIL.replace("cash_total", "cash_totl"), encoding="utf-8")
    problems = _problems(path)
    assert any(
        problem.startswith(
            "test_keys.cases.toml:7: cash_totl: unknown key; did you mean cash_total?"
        )
        for problem in problems
    )


def test_a_misspelt_indicator_with_a_yes_no_value_is_named_as_unknown(tmp_path: Path) -> None:
    path = tmp_path / "test_figures.cases.toml"
    path.write_text(
        'region = "jinfeng"\nyear = 2020\n\n[[case]]\nname = "x"\n'
        "figures = { student-aid-ful-coverage = true }\n"
        'status = { student-aid-full-coverage-2020 = "met" }\n',
        encoding="utf-8",
    )
    problems = _problems(path)
    assert problems[0].startswith(
        "test_figures.cases.toml:6: figures.student-aid-ful-coverage: no indicator has this id; "
        "did you mean student-aid-full-coverage?"
    )
    assert not any("whole number" in problem for problem in problems)


def test_a_gbk_csv_file_gets_a_hint_to_save_it_as_csv_utf8(tmp_path: Path) -> None:
    path = tmp_path / "test_gbk.cases.csv"
    path.write_bytes(
        "name,region,on,stage,year,school_area,cash_total\n"
        "农村小学生,jinfeng,2019-09-01,primary,3,rural,0.00\n".encode("gbk")
    )
    (problem,) = _problems(path)
    assert problem.startswith("test_gbk.cases.csv:2: the file is not UTF-8 text (line 2);")
    assert "save it as “CSV UTF-8”" in problem


def test_the_progress_table_names_its_readings_and_changes(tmp_path: Path) -> None:
    from tests.clitools import run as cli

    (tmp_path / "figures.json").write_text('{"schools": 33}', encoding="utf-8")
    (tmp_path / "raise.toml").write_text(RAISE, encoding="utf-8")
    result = cli(
        "progress",
        "--region",
        "jinfeng",
        "--year",
        "2020",
        "--reading",
        "liangtian-kindergartens=four",
        "--changes",
        str(tmp_path / "raise.toml"),
        str(tmp_path / "figures.json"),
    )
    assert result.status == 0, result.err
    lines = result.out.splitlines()
    assert lines[1] == "readings: liangtian-kindergartens=four"
    assert lines[2].startswith('change: rule = "primary-poor-grant": set benefit.amount')


def test_a_misspelt_reading_on_the_command_line_gets_did_you_mean(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_pupil.cases.toml", PUPIL)
    result = run(pytester, "--edupolicy-reading=continuity-gp=one-year")
    result.assert_outcomes(failed=1)
    assert "readings.continuity-gp: no plan of the region offers this reading; did you mean " in (
        output(result)
    )
    assert "continuity-gap?" in output(result)
