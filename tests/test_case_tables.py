"""Case tables and the pytest plugin that runs them, tested by running pytest on case files.

Each test writes case files into a fresh directory and runs pytest on it with
``pytester``, in-process: what a policy officer sees is what is checked.  The last
tests run Jinfeng's own case tables (``tests/cases``) with ``--edupolicy-coverage=fail``:
a rule, quota, share or target without a case fails the build.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import edupolicy
from edupolicy.cases import (
    Case,
    CaseFileError,
    Coverage,
    Expected,
    ProvisionKind,
    Subject,
    provisions,
    read_cases,
)
from edupolicy.i18n import Message
from tests.casetools import output, run, shown_in_output, write

pytestmark = pytest.mark.usefixtures("not_on_ci")

CASES = Path(__file__).resolve().parent / "cases"
DOC = Path(__file__).resolve().parent.parent / "docs" / "cases.md"

HEAD = 'region = "jinfeng"\non = 2019-09-01\n'

#: A passing and a failing student case; the failing one's header is on line 9.
STUDENTS = (
    HEAD
    + """
[[case]]
name = "rural pupil of a dibao household"
student = { stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }
cash_total = "500.00"
waivers = ["textbook"]

[[case]]
name = "orphan of a dibao household"
student = { stage = "primary", year = 3, school_area = "rural", orphan = true, household = [
  "dibao",
] }
cash_total = "1500.00"
waivers = ["textbook"]
applies = ["primary-poor-grant", "primary-orphan-grant"]
not_applies = ["rural-compulsory-boarding-waiver"]
"""
)


def lines_in_order(text: str, expected: list[str]) -> None:
    """Each of ``expected`` is a whole line of ``text``, in this order; ``*`` is a wildcard.

    Unlike ``fnmatch_lines``, brackets match themselves: ``student.household[1]``.
    """
    lines = text.splitlines()
    at = 0
    for wanted in expected:
        pattern = re.compile(".*".join(re.escape(part) for part in wanted.split("*")))
        while at < len(lines) and not pattern.fullmatch(lines[at]):
            at += 1
        assert at < len(lines), f"no line {wanted!r} in order in:\n{text}"
        at += 1


# --- passing and failing cases ----------------------------------------------------------------


def test_each_case_is_a_test_named_by_the_case(pytester: pytest.Pytester) -> None:
    write(pytester, "test_aid.cases.toml", STUDENTS)

    result = run(pytester, "--collect-only", "-q")

    assert result.ret == pytest.ExitCode.OK
    assert result.stdout.lines[:2] == [
        "test_aid.cases.toml::rural pupil of a dibao household",
        "test_aid.cases.toml::orphan of a dibao household",
    ]


def test_a_case_can_be_chosen_by_its_name(pytester: pytest.Pytester) -> None:
    write(pytester, "test_aid.cases.toml", STUDENTS)

    result = run(pytester, "test_aid.cases.toml::rural pupil of a dibao household")

    result.assert_outcomes(passed=1)


def test_a_failing_case_shows_where_it_is_what_differs_and_the_rules_that_applied(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "test_aid.cases.toml", STUDENTS)

    result = run(pytester)

    result.assert_outcomes(passed=1, failed=1)
    lines_in_order(
        output(result),
        [
            "*_ orphan of a dibao household _*",
            "test_aid.cases.toml:10: case “orphan of a dibao household” fails",
            "  cash_total (line 15)",
            "    expected: 1500.00",
            "    actual:   1000.00",
            "  applies (line 17)",
            "    expected: primary-poor-grant, primary-orphan-grant",
            "    actual:   rural-compulsory-textbook-waiver, primary-orphan-grant",
            "    did not apply: primary-poor-grant",
            "Rules that applied (jinfeng, plan jinfeng-2018-410, on 2019-09-01):",
            "  rural-compulsory-textbook-waiver (Textbook fees waived at rural "
            "compulsory-education schools): section 二(一)1 Aid for students from families in "
            "economic hardship: “义务教育阶段农村学校学生课本费、寄宿费全免”",
            "  primary-orphan-grant (Primary-school grant for orphans): section 二(一)1 Aid for "
            "students from families in economic hardship: “小学孤儿每生每年发放资助金1000元”",
            "*short test summary info*",
        ],
    )
    text = output(result)
    # Only the fields that differ, and no traceback through edupolicy.
    assert "waivers (line" not in text
    assert "not_applies (line" not in text
    assert "Traceback" not in text
    assert "edupolicy/" not in text


@pytest.mark.parametrize("option", ["--tb=long", "--edupolicy-traceback"])
def test_the_traceback_comes_back_when_asked_for(pytester: pytest.Pytester, option: str) -> None:
    write(pytester, "test_aid.cases.toml", STUDENTS)

    result = run(pytester, option)

    result.assert_outcomes(passed=1, failed=1)
    lines_in_order(
        output(result), ["*def runtest(self)*", "E *CaseFailed: test_aid.cases.toml:10: *"]
    )


def test_a_report_in_chinese(pytester: pytest.Pytester) -> None:
    write(pytester, "test_aid.cases.toml", STUDENTS)

    result = run(pytester, "--edupolicy-locale=zh_CN")

    lines_in_order(
        output(result),
        [
            "test_aid.cases.toml:10: 用例“orphan of a dibao household”不成立",
            "  cash_total（第15行）",
            "    预期：1500.00",
            "    实际：1000.00",
            "*未适用：primary-poor-grant*",
            "适用的规则（jinfeng，方案jinfeng-2018-410，日期2019-09-01）：",
            "  primary-orphan-grant（小学孤儿资助金）：第二(一)1条 家庭经济困难学生资助："
            "“小学孤儿每生每年发放资助金1000元”",
        ],
    )


def test_an_unsupported_report_language_is_a_usage_error(pytester: pytest.Pytester) -> None:
    write(pytester, "test_aid.cases.toml", STUDENTS)

    result = run(pytester, "--edupolicy-locale=fr")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    lines_in_order(result.stderr.str(), ["*--edupolicy-locale: fr is not a supported locale*"])


# --- every kind of subject ----------------------------------------------------------------------

TEACHERS = (
    HEAD
    + """
[[case]]
name = "fifteen continuous rural years"
teacher = { title = "junior", meets_title_criteria = true, outstanding = true, service = [
  { school_area = "rural", start = 2004-09-01 },
] }
earns = ["intermediate-title-outside-quota", "rural-service-encouragement-15"]
not_earns = ["rural-service-encouragement-10"]

[[case]]
name = "fourteen years are not fifteen"
on = 2019-08-31
teacher = { title = "junior", meets_title_criteria = true, outstanding = true, service = [
  { school_area = "rural", start = 2004-09-01 },
] }
earns = ["intermediate-title-outside-quota"]
"""
)


def test_teacher_cases(pytester: pytest.Pytester) -> None:
    write(pytester, "test_teachers.cases.toml", TEACHERS)

    result = run(pytester)

    result.assert_outcomes(passed=1, failed=1)
    lines_in_order(
        output(result),
        [
            "test_teachers.cases.toml:12: case “fourteen years are not fifteen” fails",
            "  earns (line 18)",
            "    expected: intermediate-title-outside-quota",
            "    actual:   rural-service-encouragement-10, teachers-day-priority, *",
            "    not earned: intermediate-title-outside-quota",
            "Rules that applied (jinfeng, plan jinfeng-2018-410, on 2019-08-31):",
            "  rural-service-encouragement-10 (*): section 二(四)3 *: “对在乡村学校从教20年、15年、"
            "10年以上的教师给予鼓励”",
            "*",
            "Rural service on 2019-08-31: 14 years continuous, 14 years in all",
        ],
    )


FIGURES = """
region = "jinfeng"
year = 2019

[[case]]
name = "the schools before the deadline"
figures = { schools = 30, liangtian-kindergartens-in-use = 1 }
status = { schools-after-programme = "not_met", liangtian-kindergarten-2018 = "met" }

[[case]]
name = "the parts of the schools total"
year = 2020
[case.figures]
junior-schools = 2
nine-year-schools = 2
primary-schools = 28
[case.status]
schools-after-programme = "met"
primary-schools-after-programme = "not_met"
"""


def test_figures_cases(pytester: pytest.Pytester) -> None:
    write(pytester, "test_goals.cases.toml", FIGURES)

    result = run(pytester)

    result.assert_outcomes(passed=1, failed=1)
    lines_in_order(
        output(result),
        [
            "test_goals.cases.toml:10: case “the parts of the schools total” fails",
            "  status.schools-after-programme (line 18)",
            "    expected: met",
            "    actual:   not_met",
            "    Primary and secondary schools ≥ 33 by December 31, 2020: not met, 32 (1 short)",
            "schools-after-programme: section 二(二)2: “规划完成后金凤区中小学达到33所,*”",
        ],
    )
    assert "primary-schools-after-programme (line" not in output(result)


CANDIDATES = """
region = "jinfeng"

[[case]]
name = "the sanatorium: twenty years and outstanding work"
year = 2019
programme = "sanatorium"
candidates = [
  { id = "K1", title = "junior", outstanding = true, service = [
    { school_area = "rural", start = 1995-09-01 },
  ] },
  { id = "K2", title = "junior", outstanding = false, service = [
    { school_area = "rural", start = 1990-09-01 },
  ] },
  { id = "K3", title = "junior", outstanding = true, service = [
    { school_area = "rural", start = 2005-09-01 },
  ] },
]
selected = ["K1", "K2"]
"""


def test_candidates_cases(pytester: pytest.Pytester) -> None:
    write(pytester, "test_quota.cases.toml", CANDIDATES)

    result = run(pytester)

    result.assert_outcomes(failed=1)
    lines_in_order(
        output(result),
        [
            "test_quota.cases.toml:4: case “the sanatorium: twenty years and outstanding work” "
            "fails",
            "  selected (line 19)",
            "    expected: K1, K2",
            "    actual:   K1",
            "    K2: not eligible: work not rated outstanding",
            "Quota sanatorium: 10 a year, counted on 2019-12-31; section 二(四)3: “每年组织10名*”",
        ],
    )


AWARDS = (
    HEAD
    + """
[[case]]
name = "one rural entry of four"
awards = [
  { id = "A1", school_area = "rural" },
  { id = "A2", school_area = "urban" },
  { id = "A3", teacher = { title = "junior", service = [
    { school_area = "rural", start = 2004-09-01 },
  ] } },
  { id = "A4", school_area = "urban" },
]
meets = false
short_by = 1
"""
)


def test_awards_cases(pytester: pytest.Pytester) -> None:
    write(pytester, "test_share.cases.toml", AWARDS)

    result = run(pytester)

    result.assert_outcomes(failed=1)
    lines_in_order(
        output(result),
        [
            "test_share.cases.toml:4: case “one rural entry of four” fails",
            "  meets (line 14)",
            "    expected: false",
            "    actual:   true",
            "    2 of 4 entries are rural (50.0%); at least 2 are needed (30%): the list meets "
            "the share",
            "  short_by (line 15)",
            "    expected: 1",
            "    actual:   0",
            "*",
            "Share rural-commendation-share: section 二(四)3: “*不低于30%”",
            "A1: the awarded school is rural",
            "A3: the teacher's posting on September 1, 2019 is at a rural school",
        ],
    )


ERRORS = (
    HEAD
    + """
[[case]]
name = "a seventh year of primary school is refused"
student = { stage = "primary", year = 7, school_area = "rural" }
error = "primary school lasts 6 years"

[[case]]
name = "an error in Chinese"
student = { stage = "primary", year = 7, school_area = "rural" }
error = "本方案中小学学制为 6 年"

[[case]]
name = "a valid record is no error"
student = { stage = "primary", year = 6, school_area = "rural" }
error = "lasts 6 years"

[[case]]
name = "another error"
on = 2021-01-01
student = { stage = "primary", year = 1, school_area = "rural" }
error = "lasts 6 years"
"""
)


def test_cases_that_expect_an_error(pytester: pytest.Pytester) -> None:
    write(pytester, "test_errors.cases.toml", ERRORS)

    result = run(pytester)

    result.assert_outcomes(passed=2, failed=2)
    lines_in_order(
        output(result),
        [
            "test_errors.cases.toml:14: case “a valid record is no error” fails",
            "  error (line 17)",
            "    expected: an error containing “lasts 6 years”",
            "    actual:   no error: the evaluation succeeded",
            "*",
            "test_errors.cases.toml:19: case “another error” fails",
            "  error (line 23)",
            "    expected: an error containing “lasts 6 years”",
            "    actual:   No plan of region jinfeng is in force on January 1, 2021; *",
        ],
    )


# --- CSV --------------------------------------------------------------------------------------

STUDENTS_CSV = (
    "name,region,on,stage,year,school_area,boarding,household,orphan,disabled,id,"
    "cash_total,waivers,applies,not_applies\n"
    "rural boarder of a dibao household,jinfeng,2019-09-01,primary,2,rural,true,dibao,,,S1,"
    "500.00,boarding;textbook,primary-poor-grant,\n"
    "urban pupil,jinfeng,2019-09-01,primary,2,urban,false,,,,,"
    "0.00,-,,rural-compulsory-textbook-waiver\n"
    "orphan of a fewer-births household,jinfeng,2019-09-01,junior_secondary,1,urban,,"
    "shaosheng_kuaifu;dibao,true,,,2000.00,-,junior-poor-grant,\n"
)


def test_csv_cases_one_a_row(pytester: pytest.Pytester) -> None:
    write(pytester, "test_students.cases.csv", STUDENTS_CSV)

    result = run(pytester, "-v")

    result.assert_outcomes(passed=2, failed=1)
    lines_in_order(
        output(result),
        [
            "test_students.cases.csv::rural boarder of a dibao household PASSED*",
            "test_students.cases.csv::urban pupil PASSED*",
            "test_students.cases.csv::orphan of a fewer-births household FAILED*",
            "test_students.cases.csv:4: case “orphan of a fewer-births household” fails",
            "  applies (line 4)",
            "    expected: junior-poor-grant",
            "    actual:   junior-orphan-grant",
            "    did not apply: junior-poor-grant",
        ],
    )


# --- bad files are collection errors ------------------------------------------------------------

BAD_TOML = [
    pytest.param(
        'region = "jinfeng"\non = 2019-09-01\ncolour = "blue"\n[[case]]\nname = "a"\n'
        'student = { stage = "primary", year = 1, school_area = "rural" }\ncash_total = "0.00"\n',
        ["test_bad.cases.toml:3: colour: unknown key at the top of the file*"],
        id="unknown top-level key",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary", year = 1, '
        'school_area = "rural" }\ncash = "0.00"\n',
        [
            "test_bad.cases.toml:3: the case expects nothing: give cash_total, waivers, "
            "applies, not_applies, error",
            "test_bad.cases.toml:6: cash: unknown key; a case may have: name, region, *",
        ],
        id="unknown case key, no expectation",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\n\nstudent = { stage = "primary", year = 1, '
        'school_area = "rural", household = ["dibao", "migrant"] }\ncash_total = "500.00"\n',
        [
            "test_bad.cases.toml:6: student.household[1]: must be one of: dibao, "
            'registered_poor, other_hardship, shaosheng_kuaifu, migrant_worker (got "migrant")',
        ],
        id="misspelt household status",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\n[case.student]\nstage = "primary"\nyear = 9\n'
        'school_area = "rural"\n[case.teacher]\ntitle = "junior"\nservice = []\n',
        ["test_bad.cases.toml:9: teacher: a case has one subject, and this one also has student"],
        id="two subjects",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\n[case.student]\nstage = "primary"\nyear = 9\n'
        'school_area = "rural"\n\n[[case.x]]\n',
        [
            "test_bad.cases.toml:3: the case expects nothing*",
            "test_bad.cases.toml:10: x: unknown key*",
        ],
        id="sub-table of an unknown key",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary", year = 7, '
        'school_area = "rural" }\ncash_total = "0.00"\n',
        ["test_bad.cases.toml:5: student.year: primary school lasts 6 years in this plan (got 7)"],
        id="year beyond the stage",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary", year = 1, '
        'school_area = "rural" }\napplies = ["primary-poor-grnat"]\nnot_applies = ["x"]\n',
        [
            "test_bad.cases.toml:6: applies[0]: plan jinfeng-2018-410 has no aid rule with this "
            'id; did you mean primary-poor-grant? (got "primary-poor-grnat")',
            "test_bad.cases.toml:7: not_applies[0]: plan jinfeng-2018-410 has no aid rule with "
            'this id (got "x")',
        ],
        id="unknown rule ids",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary", year = 1, '
        'school_area = "rural" }\nwaivers = ["textbooks"]\n',
        ["test_bad.cases.toml:6: waivers[0]: no rule of plan jinfeng-2018-410 waives this fee*"],
        id="unknown fee",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nteacher = { title = "junior", service = [] }\n'
        'earns = ["rural-service-encouragement-5"]\n',
        [
            "test_bad.cases.toml:6: earns[0]: plan jinfeng-2018-410 has no teacher-incentive "
            "rule with this id; did you mean rural-service-encouragement-15?*",
        ],
        id="unknown incentive rule",
    ),
    pytest.param(
        'region = "jinfeng"\nyear = 2020\n[[case]]\nname = "a"\nfigures = { schools = 30 }\n'
        '[case.status]\nschools-2020 = "met"\nschools-after-programme = "missed"\n',
        [
            "test_bad.cases.toml:7: status.schools-2020: plan jinfeng-2018-410 has no target "
            "with this id*",
            "test_bad.cases.toml:8: status.schools-after-programme: must be one of: met, "
            'not_met, on_track, behind, no_data (got "missed")',
        ],
        id="unknown target, misspelt status",
    ),
    pytest.param(
        'region = "jinfeng"\nyear = 2020\n[[case]]\nname = "a"\n'
        'figures = { school = 30, schools = "30.5" }\n'
        'status = { schools-after-programme = "met" }\n',
        [
            "test_bad.cases.toml:5: figures.school: no indicator has this id*",
            'test_bad.cases.toml:5: figures.schools: must be a whole number (got "30.5")',
        ],
        id="bad figures",
    ),
    pytest.param(
        'region = "jinfeng"\nyear = 2019\n[[case]]\nname = "a"\nprogramme = "spa"\n'
        "candidates = []\nselected = []\n",
        [
            "test_bad.cases.toml:5: programme: region jinfeng has no quota for this programme; "
            'programmes with a quota: sanatorium (got "spa")',
        ],
        id="unknown programme",
    ),
    pytest.param(
        'region = "jinfeng"\nyear = 2019\n[[case]]\nname = "a"\nprogramme = "sanatorium"\n'
        'candidates = [{ title = "junior", service = [] }]\nselected = ["K9"]\n',
        [
            "test_bad.cases.toml:6: candidates[0]: a candidate needs an id*",
            'test_bad.cases.toml:7: selected[0]: no candidate has this id (got "K9")',
        ],
        id="candidates without ids",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nshare = "rural-share"\n'
        'awards = [{ school_area = "rural" }]\nmeets = "yes"\n',
        [
            "test_bad.cases.toml:5: share: plan jinfeng-2018-410 has no share with this id; did "
            'you mean rural-commendation-share? (got "rural-share")',
            'test_bad.cases.toml:7: meets: must be true or false (got "yes")',
        ],
        id="unknown share",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary", year = 1, '
        'school_area = "rural" }\ncash_total = 500.5\n\n[[case]]\nname = "b"\n'
        'student = { stage = "primary", year = 1, school_area = "rural" }\ncash_total = "1.234"\n',
        [
            'test_bad.cases.toml:6: cash_total: write an amount as a string of yuan, like "500.00" '
            "(got 500.5)",
            'test_bad.cases.toml:11: cash_total: money is counted in whole fen (got "1.234")',
        ],
        id="malformed amounts",
    ),
    pytest.param(
        'region = "jinfeng"\non = "2019-02-30"\n[[case]]\nname = "a"\non = "1 Sept 2019"\n'
        'student = { stage = "primary", year = 1, school_area = "rural" }\ncash_total = "0.00"\n',
        [
            'test_bad.cases.toml:2: on: must be a date, written YYYY-MM-DD (got "2019-02-30")',
            'test_bad.cases.toml:5: on: must be a date, written YYYY-MM-DD (got "1 Sept 2019")',
        ],
        id="malformed dates",
    ),
    pytest.param(
        'region = "jinfeng"\non = 2021-09-01\n[[case]]\nname = "a"\n'
        'student = { stage = "primary", year = 1, school_area = "rural" }\ncash_total = "0.00"\n',
        [
            "test_bad.cases.toml:3: on: no plan of region jinfeng is in force on this date; its "
            "plans: jinfeng-2018-410 2018-08-30–2020-12-31 (got 2021-09-01)",
        ],
        id="date outside the plan",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary", year = 1, '
        'school_area = "rural" }\ncash_total = "0.00"\n\n[[case]]\nname = "a"\n'
        'student = { stage = "primary", year = 2, school_area = "rural" }\ncash_total = "0.00"\n',
        ['test_bad.cases.toml:9: name: another case has this name, on line 3 (got "a")'],
        id="two cases of one name",
    ),
    pytest.param(
        'on = 2019-09-01\n[[case]]\nname = "a"\nregion = "nowhere"\n'
        'student = { stage = "primary", year = 1, school_area = "rural" }\ncash_total = "0.00"\n'
        '\n[[case]]\nname = "b"\nstudent = { stage = "primary", year = 1, '
        'school_area = "rural" }\ncash_total = "0.00"\n',
        [
            'test_bad.cases.toml:4: region: no such region; installed: jinfeng* (got "nowhere")',
            "test_bad.cases.toml:8: region: no region: give region in the case or at the top of "
            "the file (got (missing))",
        ],
        id="unknown and missing region",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nteacher = { title = "junior", service = [] }\n'
        'earns = ["rural-living-allowance"]\nerror = "x"\n',
        ["test_bad.cases.toml:7: error: a case that expects an error checks nothing else*"],
        id="error and other expectations",
    ),
    pytest.param(
        HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary" \n',
        ["test_bad.cases.toml:5: not valid TOML: *"],
        id="not TOML",
    ),
]


@pytest.mark.parametrize(("text", "lines"), BAD_TOML)
def test_a_bad_case_file_fails_naming_file_line_and_field_and_the_others_run(
    pytester: pytest.Pytester, text: str, lines: list[str]
) -> None:
    write(pytester, "test_bad.cases.toml", text)
    write(pytester, "test_good.cases.toml", STUDENTS)

    result = run(pytester)

    # The bad file is one failing item; the good file's two cases still run.
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, failed=2)
    lines_in_order(
        output(result),
        [
            "*_ case file _*",
            "Case file test_bad.cases.toml is not valid",
            *(f"  {line}" for line in lines),
        ],
    )
    assert "FAILED test_bad.cases.toml::case file" in output(result)
    assert "Interrupted" not in output(result)
    assert "Traceback" not in output(result)


BAD_CSV = [
    pytest.param(
        "name,region,on,stage,yaer,school_area,cash_total\n"
        "a,jinfeng,2019-09-01,primary,1,rural,0.00\n",
        [
            "test_bad.cases.csv:1: yaer: unknown column; did you mean year? "
            "The columns are: name, region, on, *"
        ],
        id="unknown column",
    ),
    pytest.param(
        "name,stage,year,school_area,cash_total\na,primary,1,rural,0.00\n",
        [
            "test_bad.cases.csv:1: region: the file needs this column (got (missing))",
            "test_bad.cases.csv:1: on: the file needs this column (got (missing))",
        ],
        id="missing columns",
    ),
    pytest.param(
        "name,region,on,stage,year,school_area,boarding,household,cash_total,waivers\n"
        "a,jinfeng,2019-09-01,primary,1,rural,false,dibao,500.00,textbook\n"
        "b,jinfeng,2019-09-01,primary,one,rural,yes,dibao;poor,5OO,textbook\n"
        "c,jinfeng,2019-09-31,primary,1,rural,,,,\n",
        [
            'test_bad.cases.csv:3: cash_total: money must be a number of yuan (got "5OO")',
            'test_bad.cases.csv:3: year: must be a whole number (got "one")',
            'test_bad.cases.csv:3: boarding: must be true or false (got "yes")',
            "test_bad.cases.csv:3: household[1]: must be one of: *",
            'test_bad.cases.csv:4: on: must be a date, written YYYY-MM-DD (got "2019-09-31")',
            "test_bad.cases.csv:4: the case expects nothing: *",
        ],
        id="bad cells",
    ),
]


@pytest.mark.parametrize(("text", "lines"), BAD_CSV)
def test_a_bad_csv_file_is_a_failing_item(
    pytester: pytest.Pytester, text: str, lines: list[str]
) -> None:
    write(pytester, "test_bad.cases.csv", text)

    result = run(pytester)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    lines_in_order(
        output(result),
        ["Case file test_bad.cases.csv is not valid", *(f"  {line}" for line in lines)],
    )


def test_only_files_named_like_case_tables_are_collected(pytester: pytest.Pytester) -> None:
    for name in ("cases.toml", "test_x.toml", "x.cases.toml", "test_x.cases.json", "test_x.csv"):
        write(pytester, name, "this is not a case file\n")
    write(pytester, "test_aid.cases.toml", STUDENTS)

    result = run(pytester, "--collect-only", "-q")

    assert result.ret == pytest.ExitCode.OK
    assert [line for line in result.stdout.lines if "::" in line] == [
        "test_aid.cases.toml::rural pupil of a dibao household",
        "test_aid.cases.toml::orphan of a dibao household",
    ]


# --- coverage ---------------------------------------------------------------------------------


def test_coverage_lists_what_no_case_exercises(pytester: pytest.Pytester) -> None:
    write(pytester, "test_aid.cases.toml", STUDENTS)
    write(pytester, "test_goals.cases.toml", FIGURES)

    result = run(pytester, "--edupolicy-coverage")

    assert result.ret == pytest.ExitCode.TESTS_FAILED  # the failing case, not the coverage
    text = output(result)
    section = text[text.index("edupolicy coverage") :]
    # Exercised: applied, named in applies or not_applies, or a checked target.
    for exercised in (
        "primary-poor-grant ",
        "primary-orphan-grant ",
        "rural-compulsory-textbook-waiver ",
        "rural-compulsory-boarding-waiver ",
        "target schools-after-programme ",
        "target liangtian-kindergarten-2018 ",
        "target primary-schools-after-programme ",
    ):
        assert exercised not in section
    lines_in_order(
        output(result),
        [
            "*edupolicy coverage*",
            "jinfeng: 73 of 80 rules, quotas, shares, targets and readings are exercised by "
            "no case:",
            "  aid rule preschool-living-allowance (Preschool living allowance), section 二(一)1",
            "*",
            "  teacher-incentive rule teachers-day-priority (*), section 二(四)3",
            "*",
            "  quota sanatorium (Sanatorium stay for rural teachers), section 二(四)3",
            "  share rural-commendation-share (*), section 二(四)3",
            "  target preschool-gross-enrolment-2020 (*), section 一(四)",
        ],
    )


@pytest.mark.parametrize(
    ("files", "outcome"),
    [
        ({"test_quota.cases.toml": CANDIDATES}, pytest.ExitCode.TESTS_FAILED),
        ({"test_share.cases.toml": AWARDS}, pytest.ExitCode.TESTS_FAILED),
    ],
)
def test_coverage_fail_mode_fails_a_run_whose_cases_pass(
    pytester: pytest.Pytester, files: dict[str, str], outcome: pytest.ExitCode
) -> None:
    name, text = next(iter(files.items()))
    # Make the one case pass: the test is of the coverage, not of the case.
    write(
        pytester,
        name,
        text.replace('["K1", "K2"]', '["K1"]').replace(
            "meets = false\nshort_by = 1", "meets = true"
        ),
    )

    listed = run(pytester, "--edupolicy-coverage")
    failed = run(pytester, "--edupolicy-coverage=fail")

    listed.assert_outcomes(passed=1)
    assert listed.ret == pytest.ExitCode.OK
    failed.assert_outcomes(passed=1)
    assert failed.ret == outcome
    lines_in_order(
        output(failed),
        ["--edupolicy-coverage=fail: the run fails, because a rule, quota, share or target is *"],
    )


def test_coverage_without_case_files(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_nothing():\n    pass\n")

    result = run(pytester, "--edupolicy-coverage=fail")

    assert result.ret == pytest.ExitCode.OK
    lines_in_order(
        output(result), ["*edupolicy coverage*", "no case names a region: nothing to cover"]
    )


def test_a_bad_coverage_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--edupolicy-coverage=all")

    assert result.ret == pytest.ExitCode.USAGE_ERROR


# --- the Python API ---------------------------------------------------------------------------


def test_read_cases_and_run_them(tmp_path: Path) -> None:
    path = tmp_path / "test_aid.cases.toml"
    path.write_text(STUDENTS, encoding="utf-8")

    passing, failing = read_cases(path, label="aid.toml")

    assert (passing.name, passing.line, passing.subject) == (
        "rural pupil of a dibao household",
        4,
        Subject.STUDENT,
    )
    assert passing.location == "aid.toml:4"
    first = passing.run()
    assert first.passed
    assert first.failures == ()
    second = failing.run()
    assert [check.field for check in second.failures] == ["cash_total", "applies"]
    assert (second.failures[0].expected, second.failures[0].actual) == ("1500.00", "1000.00")
    assert [rule.id for rule in second.applied] == [
        "rural-compulsory-textbook-waiver",
        "primary-orphan-grant",
    ]
    assert (ProvisionKind.AID_RULE, "rural-compulsory-boarding-waiver") in second.exercised


def test_an_unexpected_error_is_a_failed_check_not_an_exception() -> None:
    case = Case(
        name="made in Python",
        file="cases.toml",
        line=7,
        region="jinfeng",
        subject=Subject.STUDENT,
        on=dt.date(2019, 9, 1),
        year=None,
        data={"stage": "primary", "year": 9, "school_area": "rural"},
        expected=Expected(cash_total=Decimal("0.00")),
    )

    outcome = case.run()

    assert not outcome.passed
    (check,) = outcome.failures
    assert (check.field, check.line) == ("error", 7)
    assert outcome.error is not None
    assert outcome.report().splitlines() == [
        "cases.toml:7: case “made in Python” fails",
        "  error (line 7)",
        "    expected: a result",
        "    actual:   the evaluation failed: Invalid student record",
        "                $.year: primary school lasts 6 years in this plan (got 9)",
    ]


def test_a_case_file_error_lists_every_problem_in_either_language(tmp_path: Path) -> None:
    path = tmp_path / "test_bad.cases.toml"
    path.write_text(HEAD + '[[case]]\nname = "a"\nstudent = { stage = "primary" }\n', "utf-8")

    with pytest.raises(CaseFileError) as excinfo:
        read_cases(path, label="bad.toml")

    error = excinfo.value
    assert [(p.line, p.field) for p in error.problems] == [
        (3, ""),
        (5, "student.year"),
        (5, "student.school_area"),
    ]
    assert error.render().splitlines()[0] == "Case file bad.toml is not valid"
    assert error.render("zh_CN").splitlines()[:2] == [
        "用例文件bad.toml无效",
        "  bad.toml:3: 用例没有预期：请给出cash_total, waivers, applies, not_applies, error",
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [("cases.txt", "x"), ("test_x.cases.toml", b"name = '\xff'\n")],
    ids=["not toml or csv", "not UTF-8"],
)
def test_a_file_that_is_not_a_case_file(tmp_path: Path, name: str, text: str | bytes) -> None:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")

    with pytest.raises(CaseFileError) as excinfo:
        read_cases(path)

    (problem,) = excinfo.value.problems
    assert problem.line == 1
    assert isinstance(problem.message, Message)


def test_the_provisions_of_a_region_and_what_covers_them(tmp_path: Path) -> None:
    path = tmp_path / "test_aid.cases.toml"
    path.write_text(STUDENTS, encoding="utf-8")
    coverage = Coverage()

    for case in read_cases(path):
        coverage.add(case.run())

    assert coverage.regions == ("jinfeng",)
    missing = {(p.kind, p.id) for p in coverage.unexercised()}
    assert (ProvisionKind.AID_RULE, "primary-poor-grant") not in missing
    assert (ProvisionKind.AID_RULE, "preschool-voucher") in missing
    assert (ProvisionKind.QUOTA, "sanatorium") in missing


# --- Jinfeng's own case tables ----------------------------------------------------------------


def test_jinfeng_has_case_tables_for_every_kind_of_subject() -> None:
    subjects = {case.subject for path in sorted(CASES.iterdir()) for case in read_cases(path)}

    assert subjects == set(Subject)


def test_every_jinfeng_rule_quota_share_and_target_has_a_case(pytester: pytest.Pytester) -> None:
    for path in sorted(CASES.iterdir()):
        shutil.copy(path, pytester.path / path.name)
    expected = sum(len(read_cases(path)) for path in sorted(CASES.iterdir()))

    result = run(pytester, "--edupolicy-coverage=fail")

    assert expected > 100
    result.assert_outcomes(passed=expected)
    assert result.ret == pytest.ExitCode.OK
    count = len(provisions(edupolicy.load("jinfeng")))
    line = (
        f"jinfeng: a case exercises each of the {count} rules, quotas, shares, targets and readings"
    )
    lines_in_order(output(result), [line])
    # The documentation shows this line.
    assert f"\n{line}\n" in DOC.read_text(encoding="utf-8")


# --- the documentation ------------------------------------------------------------------------


def doc_blocks() -> list[tuple[int, list[str], str]]:
    """The fenced blocks of ``docs/cases.md``: line, info words, text."""
    found: list[tuple[int, list[str], str]] = []
    lines = DOC.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].startswith("```"):
            index += 1
            continue
        start, words = index + 1, lines[index][3:].split()
        index += 1
        body: list[str] = []
        while lines[index] != "```":
            body.append(lines[index])
            index += 1
        index += 1
        found.append((start, words, "".join(line + "\n" for line in body)))
    return found


def test_the_case_files_and_outputs_the_documentation_shows_are_real(
    pytester: pytest.Pytester,
) -> None:
    written: list[str] = []
    checked = 0
    for _line, words, text in doc_blocks():
        if words[1:2] == ["cases"]:
            write(pytester, words[2], text)
            written.append(words[2])
        elif words[:2] == ["text", "pytest"]:
            result = run(pytester, *words[2:])
            shown_in_output(text, output(result), page="docs/cases.md")
            checked += 1
            if not words[2:]:
                # Every case shown passes, except the one shown failing.
                cases = sum(len(read_cases(pytester.path / name)) for name in written)
                result.assert_outcomes(passed=cases - 1, failed=1)
    assert len(written) == 5
    assert checked == 2
