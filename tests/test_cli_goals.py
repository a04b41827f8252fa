"""The command line for goals: ``edupolicy progress`` and ``edupolicy check``.

Commands run in-process through :func:`edupolicy.cli.main` with in-memory streams.  A
region of our own, installed as a fake plugin distribution, shows ``check`` on a plan
without errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import edupolicy
from tests.clitools import Run, run, write
from tests.fakedist import install, plugin_source, region_spec
from tests.test_goals import indicator, plan_file, target

pytestmark = pytest.mark.usefixtures("plain_environment")

HEADING_2019 = "Region jinfeng, plan 金教发〔2018〕410号: targets at the end of 2019"

#: Made-up figures for the end of 2019: one target met, two not (yet) met.
OBSERVED_2019: dict[str, object] = {
    "liangtian-kindergartens-in-use": 1,
    "primary-retention": "99.5",
    "schools": 30,
}


def progress(*argv: str, stdin: str = "") -> Run:
    return run("progress", "--region", "jinfeng", *argv, stdin=stdin)


def row(out: str, start: str) -> list[str]:
    """The cells of the table row that starts with ``start`` (cells are 2+ spaces apart)."""
    (line,) = [line for line in out.splitlines() if line.startswith(start)]
    return [cell.strip() for cell in line.split("  ") if cell.strip()]


# --- progress --------------------------------------------------------------------------------


def test_progress_table(workdir: Path) -> None:
    name = write(workdir / "2019.json", OBSERVED_2019)
    result = progress("--year", "2019", name)

    assert result.status == 0
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == HEADING_2019
    assert lines[1] == ""
    assert lines[2].split() == ["target", "status", "observed", "wanted", "gap", "deadline"]
    assert row(result.out, "Primary-school retention rate") == [
        "Primary-school retention rate",
        "not met",
        "99.5%",
        "≥ 112%",
        "12.5%",
        "2020-12-31",
    ]
    assert row(result.out, "Kindergartens in use in Liangtian town") == [
        "Kindergartens in use in Liangtian town",
        "met",
        "1",
        "≥ 1",
        "0",
        "2018-12-31",
    ]
    assert row(result.out, "Primary and secondary schools ") == [
        "Primary and secondary schools",
        "not met",
        "30",
        "≥ 33",
        "3",
        "2020-12-31",
    ]
    assert row(result.out, "Total planned investment") == [
        "Total planned investment",
        "no data",
        "-",
        "≥ CN¥784,100,000.00",
        "-",
        "2020-12-31",
    ]
    assert len(lines) == 3 + 44 + 2, "a heading, a header, one row per target, a summary"
    assert lines[-1] == "no data: 41, not met: 2, met: 1"


def test_progress_json(workdir: Path) -> None:
    name = write(workdir / "2019.json", OBSERVED_2019)
    result = progress("--year", "2019", "--format", "json", name)

    assert result.status == 0
    lines = {line["target"]: line for line in result.json()}
    assert len(lines) == 44
    assert lines["primary-retention-2020"] == {
        "target": "primary-retention-2020",
        "indicator": "primary-retention",
        "name": "Primary-school retention rate",
        "scope": None,
        "unit": "percent",
        "comparison": "at_least",
        "value": "112",
        "deadline": "2020-12-31",
        "status": "not_met",
        "observed": "99.5",
        "observed_on": "2019-12-31",
        "summed_from_parts": False,
        "gap": "12.5",
        "expected": None,
        "section": "一(四)",
        "explanation": "Primary-school retention rate ≥ 112% by December 31, 2020: not met, "
        "99.5% (12.5% short)",
        "readings": dict(edupolicy.load("jinfeng").readings_on("2019-12-31")),
    }
    assert lines["liangtian-kindergarten-2018"]["status"] == "met"
    assert lines["junior-retention-2020"]["status"] == "no_data"


#: Goals with no number, reported achieved or not.
ACHIEVED_2020: dict[str, object] = {
    "principals-improvement-training": True,
    "student-aid-full-coverage": False,
}


def test_progress_table_shows_goals_achieved_or_not_in_words() -> None:
    result = progress("--year", "2020", "-", stdin=json.dumps(ACHIEVED_2020))

    assert result.status == 0
    assert row(result.out, "Principals' improvement training") == [
        "Principals' improvement training",
        "met",
        "achieved",
        "achieved",
        "-",
        "2020-12-31",
    ]
    assert row(result.out, "Student aid covering every stage") == [
        "Student aid covering every stage from preschool to higher education",
        "not met",
        "not achieved",
        "achieved",
        "-",
        "2020-12-31",
    ]
    assert row(result.out, "High-quality balanced development") == [
        "High-quality balanced development of educational resources",
        "no data",
        "-",
        "achieved",
        "-",
        "2020-12-31",
    ]
    assert "= 1" not in result.out
    assert result.out.splitlines()[-1] == "no data: 42, not met: 1, met: 1"


def test_progress_json_of_goals_achieved_or_not() -> None:
    result = progress("--year", "2020", "--format", "json", "-", stdin=json.dumps(ACHIEVED_2020))

    assert result.status == 0
    lines = {line["target"]: line for line in result.json()}
    training = lines["principals-improvement-training-2020"]
    assert (training["unit"], training["value"], training["observed"], training["gap"]) == (
        "achieved",
        True,
        True,
        None,
    )
    assert training["explanation"] == "Principals' improvement training by December 31, 2020: met"
    coverage = lines["student-aid-full-coverage-2020"]
    assert (coverage["status"], coverage["observed"], coverage["gap"]) == ("not_met", False, None)
    balance = lines["high-quality-balanced-development-2020"]
    assert (balance["status"], balance["observed"], balance["gap"]) == ("no_data", None, None)


def test_progress_refuses_an_achieved_value_that_is_not_true_or_false() -> None:
    bad = {"principals-improvement-training": "yes", "student-aid-full-coverage": 2}
    result = progress("--year", "2020", "-", stdin=json.dumps(bad))

    assert result.status == 2
    assert result.out == ""
    assert result.err.splitlines()[1:] == [
        '  $.principals-improvement-training: must be true or false (got "yes")',
        "  $.student-aid-full-coverage: must be true or false (got 2)",
    ]


def test_progress_reads_standard_input() -> None:
    result = progress("--year", "2019", "--format", "json", "-", stdin=json.dumps(OBSERVED_2019))
    assert result.status == 0
    statuses = {line["target"]: line["status"] for line in result.json()}
    assert statuses["schools-after-programme"] == "not_met"


def test_progress_takes_a_list_of_observations() -> None:
    observations = [
        {"indicator": "schools", "value": 25, "year": 2018},
        {"indicator": "schools", "value": 30, "on": "2019-06-30"},
        {"indicator": "wireless-coverage", "value": "100"},
    ]
    result = progress("--year", "2019", "--format", "json", "-", stdin=json.dumps(observations))
    assert result.status == 0
    lines = {line["target"]: line for line in result.json()}
    assert lines["schools-after-programme"]["observed"] == "30"
    assert lines["schools-after-programme"]["observed_on"] == "2019-06-30"
    # An observation without a date is for the year asked about.
    assert lines["wireless-coverage-2020"]["status"] == "met"
    assert lines["wireless-coverage-2020"]["observed_on"] == "2019-12-31"


def test_progress_composite_target_from_its_parts() -> None:
    parts = {"new-floor-area-schools": 379892, "new-floor-area-kindergartens": 30650}
    result = progress("--year", "2020", "--format", "json", "-", stdin=json.dumps(parts))
    (line,) = [line for line in result.json() if line["target"] == "new-floor-area-2020"]
    assert line["status"] == "met"
    assert line["observed"] == "410542"
    assert line["summed_from_parts"] is True


def test_progress_in_chinese() -> None:
    result = run(
        "--locale",
        "zh_CN",
        "progress",
        "--region",
        "jinfeng",
        "--year",
        "2019",
        "-",
        stdin=json.dumps(OBSERVED_2019),
    )
    assert result.status == 0
    lines = result.out.splitlines()
    assert lines[0] == "地区 jinfeng，方案 金教发〔2018〕410号：2019年底目标进展"
    assert lines[2].split() == ["目标", "状态", "实际值", "目标值", "差距", "期限"]
    assert row(result.out, "小学巩固率") == [
        "小学巩固率",
        "未达成",
        "99.5%",
        "≥ 112%",
        "12.5%",
        "2020-12-31",
    ]
    assert row(result.out, "规划总投资")[3] == "≥ ¥784,100,000.00"
    assert lines[-1] == "无数据：41、未达成：2、已达成：1"


def test_progress_json_in_chinese() -> None:
    result = run(
        "--locale",
        "zh_CN",
        "progress",
        "--region",
        "jinfeng",
        "--year",
        "2019",
        "--format",
        "json",
        "-",
        stdin=json.dumps(OBSERVED_2019),
    )
    (line,) = [line for line in result.json() if line["target"] == "primary-retention-2020"]
    assert line["name"] == "小学巩固率"
    assert line["status"] == "not_met", "status codes are not translated"
    assert line["explanation"] == "2020年12月31日前小学巩固率≥112%：未达成，实际为99.5%（差12.5%）"


def test_bad_observations_one_line_per_bad_field(workdir: Path) -> None:
    name = write(
        workdir / "bad.json",
        {
            "bogus": 1,
            "schools": "1.5",
            "primary-retention": 98.5,
            "junior-retention": "100.5",
            "junior-progression": "96",
        },
    )
    result = progress("--year", "2019", name)

    assert result.status == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == "error: Invalid observations"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "$.bogus",
        "$.schools",
        "$.primary-retention",
        "$.junior-retention",
    ]
    assert lines[2] == '  $.schools: must be a whole number (got "1.5")'
    assert lines[3].endswith("(got 98.5)")
    assert lines[4] == '  $.junior-retention: this rate cannot exceed 100% (got "100.5")'


def test_bad_observations_in_a_list_name_their_position() -> None:
    observations = [
        {"indicator": "schools", "value": 30, "unit": "percent"},
        {"indicator": "schools", "value": 30, "year": 2019, "on": "2019-06-30"},
        {"indicator": "schools", "value": 30, "note": "provisional"},
    ]
    result = progress("--year", "2019", "-", stdin=json.dumps(observations))
    assert result.status == 2
    assert result.out == ""
    assert result.err.splitlines()[1:] == [
        '  $[0].unit: schools is measured in count (got "percent")',
        '  $[1]: give either year or on, not both or neither (got "{…}")',
        '  $[2].note: unknown field (got "provisional")',
    ]


def test_bad_observations_in_chinese() -> None:
    result = run(
        "--locale",
        "zh_CN",
        "progress",
        "--region",
        "jinfeng",
        "--year",
        "2019",
        "-",
        stdin=json.dumps({"schools": "1.5"}),
    )
    assert result.status == 2
    lines = result.err.splitlines()
    assert lines[0] == "错误：统计数据无效"
    assert lines[1].startswith("  $.schools")
    assert '"1.5"' in lines[1]


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("{not json", "<stdin>: not valid JSON"),
        ("42", "must be a list of observations or an object"),
        ("", "<stdin>: not valid JSON"),
    ],
)
def test_unreadable_observations(stdin: str, message: str) -> None:
    result = progress("--year", "2019", "-", stdin=stdin)
    assert result.status == 2
    assert result.out == ""
    assert result.err.startswith("error: ")
    assert message in result.err


def test_a_missing_file(workdir: Path) -> None:
    result = progress("--year", "2019", "absent.json")
    assert result.status == 2
    assert result.err.startswith("error: Cannot read absent.json")


def test_progress_outside_the_plan() -> None:
    result = progress("--year", "2021", "-", stdin="{}")
    assert result.status == 2
    assert result.out == ""
    assert result.err == (
        "error: No plan of region jinfeng is in force on December 31, 2021; plans exist for: "
        "jinfeng-2018-410 2018-08-30–2020-12-31\n"
    )


def test_progress_unknown_region() -> None:
    result = run("progress", "--region", "nowhere", "--year", "2019", "-", stdin="{}")
    assert result.status == 2
    assert result.err.startswith('error: Unknown region "nowhere"; installed regions: ')


# --- check ---------------------------------------------------------------------------------

FLOOR_AREA_QUOTE = (
    "section 二(二)2: “新增占地面积426992平方米(中小学379892、幼儿园47100)、新增建筑面积57819平方米"
    "(中小学379892、幼儿园30650)、新增学位(中小学14040人、幼儿园3150人)”"
)
RETENTION_QUOTE = (
    "section 一(四): “2020年学前三年教育毛入园率达120%以上、小学和初中适龄人口按时入学率分别为"
    "100%99%以上、小学巩固率112%以上、初中三年巩固率98.7%以上、初中毕业升学率97%以上”"
)


def test_check_jinfeng_prints_both_errors_with_their_quotes_and_exits_1() -> None:
    result = run("check", "jinfeng")

    assert result.status == 1
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0].startswith("error [composite-sum] new-floor-area-2020: the stated total 57,819")
    assert lines[1] == "    " + FLOOR_AREA_QUOTE
    assert lines[2].startswith("error [unit-range] primary-retention-2020: ")
    assert "112%" in lines[2]
    assert lines[3] == "    " + RETENTION_QUOTE
    information = lines[4:-1]
    assert len(information) == 6
    assert all(line.startswith("information [no-aid] ") for line in information)
    assert lines[-1] == "2 errors, 6 other findings"


def test_check_jinfeng_json() -> None:
    result = run("check", "jinfeng", "--format", "json")

    assert result.status == 1
    findings = result.json()
    assert [(f["code"], f["severity"], f["subject"]) for f in findings[:2]] == [
        ("composite-sum", "error", "new-floor-area-2020"),
        ("unit-range", "error", "primary-retention-2020"),
    ]
    assert {f["code"] for f in findings[2:]} == {"no-aid"}
    assert all(set(f) == {"code", "severity", "subject", "message", "source"} for f in findings)
    assert findings[0]["source"]["section"] == "二(二)2"
    assert "57819平方米" in findings[0]["source"]["quote"]
    assert findings[1]["source"]["interpretation"].startswith("A retention rate cannot exceed 100%")


def test_check_jinfeng_in_chinese() -> None:
    result = run("--locale", "zh_CN", "check", "jinfeng")

    assert result.status == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("错误 [composite-sum] new-floor-area-2020：所列总数 57,819平方米")
    assert lines[1].startswith("    第二(二)2")
    assert lines[1].endswith(FLOOR_AREA_QUOTE.removeprefix("section 二(二)2: "))
    assert lines[2].startswith("错误 [unit-range] primary-retention-2020：")
    assert all(line.startswith("提示 [no-aid] ") for line in lines[4:-1])


def test_check_unknown_region_exits_2() -> None:
    result = run("check", "nowhere")
    assert result.status == 2
    assert result.out == ""
    assert result.err.startswith('error: Unknown region "nowhere"; installed regions: ')
    assert "jinfeng" in result.err


# --- check on a region of our own ------------------------------------------------------------


def install_region(site: Path, goals: str) -> None:
    """Install a plugin providing region ``demo``, whose plan's goals are ``goals``."""
    install(
        site,
        plugin_source(f"[{region_spec('demo')}]"),
        distribution="edupolicy-demo",
        files={"plan.toml": plan_file(), "goals.toml": goals},
    )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory on ``sys.path`` to install fake distributions into."""
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_check_exits_0_when_there_is_no_error(site: Path) -> None:
    install_region(
        site,
        indicator("rate")
        + target("rate-2022", "rate", deadline="2022-12-31", quote="到2022年达到95%"),
    )
    result = run("check", "demo")

    assert result.status == 0
    assert result.out.splitlines() == [
        "warning [outside-period] rate-2022: its deadline December 31, 2022 lies outside the "
        "plan's period 2018-01-01–2020-12-31",
        "    section 一: “到2022年达到95%”",
        "0 errors, 1 other finding",
    ]


def test_check_exits_1_on_an_error_of_our_own(site: Path) -> None:
    install_region(site, indicator("rate") + target("rate-2020", "rate", quote=""))
    result = run("check", "demo", "--format", "json")

    assert result.status == 1
    assert result.json() == [
        {
            "code": "missing-source",
            "severity": "error",
            "subject": "rate-2020",
            "message": "it does not quote the plan text it comes from",
            "source": {"section": "一", "quote": "", "gloss": None, "interpretation": None},
        }
    ]


def test_progress_on_a_region_of_our_own(site: Path) -> None:
    goals = indicator("rate") + target(
        "rate-2020", "rate", baseline='{ value = "80", on = 2017-12-31 }'
    )
    install_region(site, goals)
    result = run("progress", "--region", "demo", "--year", "2019", "-", stdin='{"rate": "85"}')

    assert result.status == 0
    assert row(result.out, "Indicator rate") == [
        "Indicator rate",
        "behind",
        "85%",
        "≥ 95%",
        "10%",
        "2020-12-31",
    ]
