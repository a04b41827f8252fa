"""A change file with mistakes of both kinds, tables that cannot be read and changes that
do not apply to the plan, is reported in one run: every mistake, by line, in the order
of the file, on every surface that takes a change file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy import PlanDataError
from edupolicy.io import read_change_file
from tests.casetools import output, write
from tests.casetools import run as run_pytest
from tests.clitools import run

ON = "2019-09-01"
POOR_PRIMARY = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}

#: One table that cannot be read (an unknown key) between two changes that do not apply
#: (a misspelt rule id, an amount of tenths of a fen).
MIXED = """\
# Three mistakes of two kinds.
[[change]]
rule = "primary-poor-grnat"
set = { "benefit.amount" = "600.00" }
reason = "a misspelt rule"

[[change]]
rule = "junior-poor-grant"
sett = { "benefit.amount" = "1200.00" }
reason = "an unknown key"

[[change]]
rule = "senior-poor-grant"
set = { "benefit.amount" = "12.345" }
reason = "an amount in tenths of a fen"
"""

MISTAKES = [
    "mixed.toml:2: changes[0].rule: no plan of region jinfeng has a rule with the id "
    'primary-poor-grnat (got "primary-poor-grnat")',
    "mixed.toml:7: change[1].sett: unknown field; did you mean set? "
    '(got {"benefit.amount": "1200.00"})',
    'mixed.toml:12: changes[2].set."benefit.amount": must be a string of yuan with at most '
    'two decimals, like "1000.00" (got "12.345")',
]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.toml"
    path.write_text(MIXED, encoding="utf-8")
    return path


def test_python_reports_every_mistake_of_both_kinds_at_once_in_file_order(
    jinfeng: edupolicy.Policy, mixed: Path
) -> None:
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes(mixed)
    assert str(caught.value.heading) == "Change file mixed.toml is not valid"
    assert [problem.render("en") for problem in caught.value.problems] == MISTAKES


def test_the_mistakes_are_said_in_the_caller_s_language(
    jinfeng: edupolicy.Policy, mixed: Path
) -> None:
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes(mixed, locale="zh_CN")
    text = str(caught.value)
    assert text.startswith("修改文件 mixed.toml 无效")
    assert "mixed.toml:2: changes[0].rule：地区 jinfeng 的方案中都没有" in text
    assert "mixed.toml:7: change[1].sett：未知字段" in text
    assert 'mixed.toml:12: changes[2].set."benefit.amount"：必须是以元为单位' in text


def test_a_read_change_file_keeps_what_it_could_read(mixed: Path) -> None:
    read = read_change_file(mixed)
    assert [change.rule for change in read.changes] == ["primary-poor-grnat", "senior-poor-grant"]
    # Each change is named by its place in the file, not in the list of those read.
    assert [(change.origin, change.position) for change in read.changes] == [
        ("mixed.toml:2", 0),
        ("mixed.toml:12", 2),
    ]
    assert [problem.path for problem in read.problems] == ["mixed.toml:7: change[1].sett"]


def test_a_good_file_with_an_unreadable_table_still_fails(
    jinfeng: edupolicy.Policy, tmp_path: Path
) -> None:
    path = tmp_path / "half.toml"
    path.write_text(MIXED.replace("grnat", "grant").replace("12.345", "700.00"), encoding="utf-8")
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes(path)
    assert [problem.path for problem in caught.value.problems] == ["half.toml:7: change[1].sett"]


def test_a_file_with_one_kind_of_mistake_is_reported_as_before(
    jinfeng: edupolicy.Policy, tmp_path: Path
) -> None:
    unread = tmp_path / "unread.toml"
    unread.write_text('[[change]]\nrule = "x"\nsett = {}\nreason = "r"\n', encoding="utf-8")
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes(unread)
    assert caught.value.render("en") == (
        "Change file unread.toml is not valid\n"
        "  unread.toml:1: change[0].sett: unknown field; did you mean set? (got {})"
    )
    misapplied = tmp_path / "misapplied.toml"
    misapplied.write_text('[[change]]\nrule = "x"\nremove = true\nreason = "r"\n', "utf-8")
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes(misapplied)
    assert caught.value.render("en") == (
        "Cannot apply the changes to region jinfeng\n"
        "  misapplied.toml:1: changes[0].rule: no plan of region jinfeng has a rule with "
        'the id x (got "x")'
    )


def test_the_command_line_reports_every_mistake_of_both_kinds(mixed: Path) -> None:
    result = run(
        "aid",
        "--region",
        "jinfeng",
        "--on",
        ON,
        "--changes",
        str(mixed),
        "--format",
        "json",
        "-",
        stdin='{"stage": "primary", "year": 3, "school_area": "rural", "household": []}',
    )
    assert result.status == 2
    lines = result.err.splitlines()
    assert lines[0] == "error: Change file mixed.toml is not valid"
    assert [line.strip() for line in lines[1:]] == MISTAKES


# --- case tables -----------------------------------------------------------------------------

PUPILS = """\
region = "jinfeng"
on = 2019-09-01

[[case]]
name = "a poor primary pupil"
student = { stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }
cash_total = "500.00"

[[case]]
name = "another poor primary pupil"
student = { stage = "primary", year = 4, school_area = "rural", household = ["dibao"] }
cash_total = "500.00"
"""


@pytest.mark.usefixtures("not_on_ci")
def test_a_case_run_under_a_mixed_change_file_says_each_mistake_once(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_pupil.cases.toml", PUPILS)
    write(pytester, "test_more.cases.toml", PUPILS)
    write(pytester, "mixed.toml", MIXED)

    result = run_pytest(pytester, "--edupolicy-changes=mixed.toml")

    # Each case file fails once, listing every mistake once; no case runs.
    result.assert_outcomes(failed=2)
    text = output(result)
    said = [line.split("region jinfeng: ", 1)[1] for line in text.splitlines() if "region:" in line]
    # Once for each file (and region), not once for each case.
    assert said == MISTAKES + MISTAKES, text


@pytest.mark.usefixtures("not_on_ci")
def test_a_case_file_s_own_mixed_change_file_says_every_mistake(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_pupil.cases.toml", 'changes = "mixed.toml"\n' + PUPILS)
    write(pytester, "mixed.toml", MIXED)

    result = run_pytest(pytester)

    result.assert_outcomes(failed=1)
    text = output(result)
    assert text.count("mixed.toml:7: change[1].sett: unknown field") == 1, text
    assert text.count("mixed.toml:2: changes[0].rule: no plan of region jinfeng") == 1, text
    assert text.count('mixed.toml:12: changes[2].set."benefit.amount": must be') == 1, text


@pytest.mark.usefixtures("not_on_ci")
def test_a_change_file_whose_only_mistakes_are_unreadable_tables_is_still_a_usage_error(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_pupil.cases.toml", PUPILS)
    write(pytester, "half.toml", MIXED.replace("grnat", "grant").replace("12.345", "700.00"))
    result = run_pytest(pytester, "--edupolicy-changes=half.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "--edupolicy-changes: Change file half.toml is not valid" in err
    assert "half.toml:7: change[1].sett: unknown field; did you mean set?" in err
    assert "changes[0]" not in err


@pytest.mark.usefixtures("not_on_ci")
def test_a_mixed_change_file_without_case_files_is_a_usage_error(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "mixed.toml", MIXED)
    write(pytester, "test_plain.py", "def test_nothing() -> None:\n    assert True\n")
    result = run_pytest(pytester, "--edupolicy-changes=mixed.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "mixed.toml:7: change[1].sett: unknown field" in result.stderr.str()


# --- any mix of good and bad tables ----------------------------------------------------------

#: Tables that apply, that cannot be read, and that do not apply; each on its own rule, so
#: that no two of a file touch the same item.
TABLES = [
    'rule = "primary-poor-grant"\nset = { "benefit.amount" = "600.00" }\nreason = "good"\n',
    'rule = "preschool-voucher"\nremove = true\nreason = "good"\n',
    'rule = "senior-poor-grant"\nsett = { "benefit.amount" = "1.00" }\nreason = "unread"\n',
    'rule = "preschool-living-allowance"\nremove = true\n',
    'rule = 3\nremove = true\nreason = "unread"\n',
    'rule = "primary-poor-grnat"\nremove = true\nreason = "no such rule"\n',
    'rule = "senior-orphan-grant"\nset = { "benefit.amount" = "-5" }\nreason = "bad amount"\n',
    'rule = "junior-orphan-grant"\nset = { "benefit.amout" = "5.00" }\nreason = "no field"\n',
    'rule = "x"\nremove = true\nadd = "aid.rules"\nreason = "two actions"\n',
]


def _file(tables: list[str]) -> tuple[str, list[int]]:
    """The text of a change file of ``tables``, and the line of each table."""
    text, lines = "# generated\n", []
    for table in tables:
        lines.append(text.count("\n") + 1)
        text += "[[change]]\n" + table + "\n"
    return text, lines


def _problems(policy: edupolicy.Policy, folder: Path, name: str, text: str) -> list[str]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    try:
        policy.with_changes(path)
    except PlanDataError as exc:
        return [problem.render("en") for problem in exc.problems]
    return []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(range(len(TABLES))), unique=True, max_size=6))
def test_a_file_reports_exactly_what_each_of_its_tables_reports_alone(chosen: list[int]) -> None:
    jinfeng = edupolicy.load("jinfeng")
    tables = [TABLES[index] for index in chosen]
    text, lines = _file(tables)
    with tempfile.TemporaryDirectory() as folder:
        reported = _problems(jinfeng, Path(folder), "mixed.toml", text)
        expected: list[str] = []
        for place, (table, line) in enumerate(zip(tables, lines, strict=True)):
            alone, (first,) = _file([table])
            for problem in _problems(jinfeng, Path(folder), "alone.toml", alone):
                for kind in ("change", "changes"):
                    problem = problem.replace(
                        f"alone.toml:{first}: {kind}[0]", f"mixed.toml:{line}: {kind}[{place}]"
                    )
                expected.append(problem)
    assert sorted(reported) == sorted(expected)
    if any(": change[" in problem for problem in reported):
        # With a table that cannot be read, the problems come in the order of the file.
        assert reported == expected
