"""The teacher commands of the command line: ``teacher``, ``select`` and ``check-awards``.

The tests call :func:`edupolicy.cli.main` with in-memory streams, from an empty working
directory, so that files are named as a user types them.
"""

from __future__ import annotations

import io
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest

import edupolicy
from edupolicy.cli import main
from tests.clitools import Run, run, write

pytestmark = pytest.mark.usefixtures("plain_environment")

ON = "2019-09-01"


def sample(workdir: Path, name: str) -> str:
    """Copy a sample file of the Jinfeng plugin into the working directory."""
    text = (files("edupolicy_jinfeng") / "samples" / name).read_text(encoding="utf-8")
    (workdir / name).write_text(text, encoding="utf-8")
    return name


def posting(area: str, start: str, end: str | None = None) -> dict[str, Any]:
    return {"school_area": area, "start": start, "end": end}


def teacher(*postings: dict[str, Any], **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "junior",
        "meets_title_criteria": True,
        "outstanding": True,
        "service": list(postings),
    }
    base.update(fields)
    return base


#: Fifteen years of continuous rural service on ``ON``.
FIFTEEN = teacher(posting("rural", "2004-09-01"), id="T15")
#: A history broken by an urban year: 14 continuous years, 28 in all.
BROKEN = teacher(
    posting("rural", "1990-09-01", "2004-08-31"),
    posting("urban", "2004-09-01", "2005-08-31"),
    posting("rural", "2005-09-01"),
    id="TB",
)


def teacher_cmd(*argv: str, stdin: str = "") -> Run:
    return run("teacher", "--region", "jinfeng", "--on", ON, *argv, stdin=stdin)


# --- edupolicy teacher ---------------------------------------------------------------------


def test_teacher_table_shows_the_service_the_outcomes_and_the_sections(workdir: Path) -> None:
    name = write(workdir / "staff.json", [FIFTEEN, BROKEN])

    result = teacher_cmd(name)

    assert result.status == 0
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == "Region jinfeng, plan 金教发〔2018〕410号, on September 1, 2019"
    assert lines[2] == (
        "T15: teaches at a rural school, 15 years of continuous rural service (since "
        "September 1, 2004), 15 years of rural service in all, junior title, meets the "
        "conditions for title evaluation, work rated outstanding"
    )
    block = result.out.split("\n\nTB: ")
    rows = [re.split(r"\s{2,}", line.strip()) for line in block[0].splitlines()[3:]]
    assert rows[0] == ["rule", "outcome", "section"]
    assert rows[1] == [
        "Intermediate title outside the post quota for rural teachers",
        "intermediate title evaluation outside the post quota",
        "二(四)3",
    ]
    assert ["Rural teacher living allowance", "(no amount stated)", "二(四)1"] in rows
    assert block[1].startswith(
        "teaches at a rural school, 14 years of continuous rural service (since September 1, "
        "2005), 28 years of rural service in all"
    )
    assert "Encouragement for 20 years or more of rural teaching" in block[1]
    assert "Intermediate title outside the post quota" not in block[1]
    assert "what the teacher lacks" not in result.out


def test_teacher_explain_says_what_the_teacher_lacks(workdir: Path) -> None:
    name = write(workdir / "staff.json", [BROKEN])

    result = teacher_cmd("--explain", name)

    assert result.status == 0
    out = result.out
    assert "  what the teacher lacks:\n" in out
    assert (
        "    1 more year of continuous rural service (15 on September 1, 2020 if the teacher "
        "stays) for Intermediate title outside the post quota for rural teachers\n"
    ) in out
    assert "  rules that did not apply:\n" in out
    assert (
        "    rural-service-encouragement-15: overridden by rule rural-service-encouragement-20"
        in out
    )


def test_teacher_json_for_one_object_is_one_result(workdir: Path) -> None:
    name = write(workdir / "one.json", FIFTEEN)

    result = teacher_cmd("--format", "json", name)

    assert result.status == 0
    data = result.json()
    assert isinstance(data, dict)
    assert data["id"] == "T15"
    assert data["service"]["continuous_rural_years"] == 15
    assert data["service"]["continuous_since"] == "2004-09-01"
    rules = [item["rule"] for item in data["items"]]
    assert rules[:2] == ["intermediate-title-outside-quota", "rural-service-encouragement-15"]
    assert data["items"][0]["outcome"]["level"] == "intermediate"
    assert "not_applied" not in data


@pytest.mark.parametrize("name", ["staff.jsonl", "staff.ndjson"])
def test_teacher_json_for_a_one_line_json_lines_file_is_a_list(workdir: Path, name: str) -> None:
    (workdir / name).write_text(json.dumps(FIFTEEN) + "\n", encoding="utf-8")

    data = teacher_cmd("--format", "json", name).json()

    assert isinstance(data, list)
    assert [r["id"] for r in data] == ["T15"]


def test_teacher_json_for_one_bad_object_is_nothing_but_the_reason(workdir: Path) -> None:
    name = write(workdir / "bad.json", teacher(id="T0", title="boss"))

    result = teacher_cmd("--format", "json", name)

    assert result.status == 1
    assert result.out == ""
    assert "bad.json: $.title: " in result.err


def test_teacher_reads_json_lines_from_standard_input() -> None:
    lines = json.dumps(FIFTEEN) + "\n\n" + json.dumps(BROKEN) + "\n"

    result = teacher_cmd("--format", "json", "--explain", "-", stdin=lines)

    assert result.status == 0
    data = result.json()
    assert [r["id"] for r in data] == ["T15", "TB"]
    assert data[1]["lacking"][0]["rule"] == "intermediate-title-outside-quota"
    assert data[1]["lacking"][0]["reached_on"] == "2020-09-01"


def test_teacher_in_chinese_gives_chinese_rule_names(workdir: Path) -> None:
    name = write(workdir / "one.json", FIFTEEN)

    result = teacher_cmd("--locale", "zh_CN", name)

    assert result.status == 0
    assert result.out.startswith("地区 jinfeng，方案 金教发〔2018〕410号，日期 2019年9月1日")
    assert "乡村教师评聘中级职称不受岗位职数限制" in result.out
    assert "乡村从教15年以上鼓励" in result.out
    assert "Intermediate title outside" not in result.out


def test_teacher_sample_roster(workdir: Path) -> None:
    name = sample(workdir, "teachers.jsonl")

    result = teacher_cmd(name)

    assert result.status == 0
    labels = [line.split(":")[0] for line in result.out.splitlines() if line[:1] == "T"]
    assert labels == ["T01", "T02", "T03", "T04", "T05", "T06"]
    assert "T06: teaches at an urban school, 0 years of rural service in all" in result.out


def test_bad_teacher_records_are_reported_and_good_ones_still_evaluated(workdir: Path) -> None:
    name = write(
        workdir / "staff.json",
        [
            FIFTEEN,
            teacher(
                posting("rural", "2004-09-01", "2003-01-01"),
                posting("city", "2010-02-30"),
                rank="senior",
            ),
            teacher(posting("rural", "2000-09-01"), posting("urban", "2010-09-01")),
        ],
    )

    result = teacher_cmd(name)

    assert result.status == 1
    assert "\nT15: " in result.out
    problems = [line for line in result.err.splitlines() if line.startswith("staff.json")]
    assert sorted(problems) == sorted(
        [
            "staff.json[1]: $.service[0].end: the posting ends before it starts (2004-09-01) "
            '(got "2003-01-01")',
            'staff.json[1]: $.service[1].school_area: must be one of: urban, rural (got "city")',
            "staff.json[1]: $.service[1].start: must be a date written YYYY-MM-DD "
            '(got "2010-02-30")',
            'staff.json[1]: $.rank: unknown field (got "senior")',
            "staff.json[2]: $.service[1]: overlaps the posting at [0] (2000-09-01–…) "
            '(got {"end": null, "school_area": "urban", "start": "2010-09-01"})',
        ]
    )
    assert result.err.splitlines()[-1] == "2 records could not be evaluated"


def test_bad_json_lines_are_reported_by_line_number(workdir: Path) -> None:
    (workdir / "staff.jsonl").write_text(
        json.dumps(FIFTEEN) + "\n" + '{"title": "junior",\n' + json.dumps(BROKEN) + "\n",
        encoding="utf-8",
    )

    result = teacher_cmd("--format", "json", "staff.jsonl")

    assert result.status == 1
    assert [r["id"] for r in result.json()] == ["T15", "TB"]
    (line,) = [line for line in result.err.splitlines() if line.startswith("staff.jsonl")]
    assert line.startswith("staff.jsonl:2: not valid JSON")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--region", "nowhere", "--on", ON), "nowhere"),
        (("--region", "jinfeng", "--on", "2021-01-01"), "2018-08-30–2020-12-31"),
    ],
    ids=["unknown-region", "outside-the-plan"],
)
def test_teacher_exits_2_when_nothing_can_run(
    workdir: Path, argv: tuple[str, ...], expected: str
) -> None:
    name = write(workdir / "one.json", FIFTEEN)

    result = run("teacher", *argv, name)

    assert result.status == 2
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith("error: ")
    assert expected in line


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_teacher_under_a_plan_without_teacher_rules_says_so_as_the_library_does(
    workdir: Path, jinfeng: edupolicy.Policy, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    plans = tuple(attrs.evolve(plan, teachers=None) for plan in jinfeng.plans)
    without = attrs.evolve(jinfeng, plans=plans, plans_as_written=plans)
    monkeypatch.setattr(edupolicy, "load", lambda *args, **kwargs: without)
    name = write(workdir / "one.json", FIFTEEN)
    with pytest.raises(edupolicy.EdupolicyError) as raised:
        without.teacher(FIFTEEN, ON, locale=locale)

    result = run("--locale", locale, "teacher", "--region", "jinfeng", "--on", ON, name)

    assert result.status == 2
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line.endswith(f"{raised.value}")
    assert ("has no teacher-incentive rules" in result.err) is (locale == "en")


def test_teacher_missing_file_exits_2(workdir: Path) -> None:
    result = teacher_cmd("missing.json")

    assert result.status == 2
    assert result.err.startswith("error: Cannot read missing.json")


def test_teacher_bad_date_is_a_usage_error(workdir: Path) -> None:
    name = write(workdir / "one.json", FIFTEEN)
    err = io.StringIO()

    with pytest.raises(SystemExit) as excinfo:
        main(["teacher", "--region", "jinfeng", "--on", "2019-02-30", name], stderr=err)

    assert excinfo.value.code == 2
    assert "2019-02-30" in err.getvalue()


# --- edupolicy select ----------------------------------------------------------------------


def select(*argv: str, stdin: str = "") -> Run:
    return run("select", "--region", "jinfeng", "--programme", "sanatorium", *argv, stdin=stdin)


def test_select_picks_ten_and_says_why_the_others_were_not(workdir: Path) -> None:
    name = sample(workdir, "candidates.json")

    result = select("--year", "2019", name)

    assert result.status == 0
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == "Region jinfeng, plan 金教发〔2018〕410号, on December 31, 2019"
    assert lines[2] == (
        "Sanatorium stay for rural teachers, 2019: at most 10 a year; service counted on "
        "December 31, 2019"
    )
    rows = [line.split() for line in lines if line[:1].isdigit() or line.startswith("-  ")]
    assert [(row[0], row[1], row[-1]) for row in rows] == [
        ("1", "C01", "yes"),
        ("2", "C02", "yes"),
        ("3", "C03", "yes"),
        ("4", "C04", "yes"),
        ("5", "C08", "yes"),
        ("6", "C05", "yes"),
        ("7", "C06", "yes"),
        ("8", "C07", "yes"),
        ("9", "C09", "yes"),
        ("10", "C10", "yes"),
        ("11", "C12", "no"),
        ("12", "C11", "no"),
        ("-", "C13", "no"),
        ("-", "C14", "no"),
    ]
    assert (
        "  C12: not selected: ranked 11 of 12 eligible and the quota is 10 a year; tied with "
        "C10 on every other ranking key; the tie-break by id puts C10 first"
    ) in lines
    assert "  C13: not eligible: work not rated outstanding" in lines


def test_select_as_json(workdir: Path) -> None:
    name = sample(workdir, "candidates.json")

    data = select("--year", "2019", "--format", "json", name).json()

    assert data["programme"] == "sanatorium"
    assert data["per_year"] == 10
    assert data["on"] == "2019-12-31"
    assert data["selected"] == [
        "C01",
        "C02",
        "C03",
        "C04",
        "C08",
        "C05",
        "C06",
        "C07",
        "C09",
        "C10",
    ]
    by_id = {c["id"]: c for c in data["candidates"]}
    assert by_id["C12"]["rank"] == 11
    assert by_id["C12"]["selected"] is False
    assert by_id["C14"]["eligible"] is False
    assert by_id["C14"]["rank"] is None


def test_select_reports_candidates_without_id_or_with_a_used_id(workdir: Path) -> None:
    people = [
        teacher(posting("rural", "1990-09-01"), id="A"),
        teacher(posting("rural", "1991-09-01")),
        teacher(posting("rural", "1992-09-01"), id="A"),
        teacher(posting("rural", "1993-09-01"), id="B", title="boss"),
        teacher(posting("rural", "1994-09-01"), id="C"),
    ]
    name = write(workdir / "people.json", people)

    result = select("--year", "2019", "--format", "json", name)

    assert result.status == 1
    assert result.json()["selected"] == ["A", "C"]
    assert [line for line in result.err.splitlines() if line.startswith("people.json")] == [
        'people.json[3]: $.title: must be one of: none, junior, intermediate, senior (got "boss")',
        "people.json[1]: $.id: a candidate needs an id: ties are broken by id",
        'people.json[2]: $.id: the candidate at people.json[0] has the same id ("A")',
    ]
    assert result.err.splitlines()[-1] == "3 records could not be evaluated"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--programme", "spa", "--year", "2019"), "programmes with a quota: sanatorium"),
        (("--programme", "sanatorium", "--year", "2021"), "December 31, 2021"),
    ],
    ids=["unknown-programme", "year-outside-the-plan"],
)
def test_select_exits_2_when_nothing_can_run(
    workdir: Path, argv: tuple[str, ...], expected: str
) -> None:
    name = sample(workdir, "candidates.json")

    result = run("select", "--region", "jinfeng", *argv, name)

    assert result.status == 2
    assert result.out == ""
    assert expected in result.err


# --- edupolicy check-awards ----------------------------------------------------------------


def check(*argv: str, stdin: str = "") -> Run:
    return run("check-awards", "--region", "jinfeng", "--on", "2019-09-10", *argv, stdin=stdin)


def test_check_awards_says_by_how_many_the_list_falls_short_and_exits_3(workdir: Path) -> None:
    name = sample(workdir, "awards.json")

    result = check(name)

    assert result.status == 3
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[2] == (
        "Share of rural schools and teachers among commendations: at least 30% (二(四)3)"
    )
    assert "A03    yes    the teacher's posting on September 10, 2019 is at a rural school" in lines
    assert (
        "A07    no     the teacher's posting on September 10, 2019 is at an urban school" in lines
    )
    assert lines[-2] == (
        "2 of 10 entries are rural (20.0%); at least 3 are needed (30%): the list falls short by 1"
    )
    assert lines[-1] == "or add 2 rural entries to the list as it is"


def test_check_awards_of_a_list_that_meets_the_share_exits_0(workdir: Path) -> None:
    entries = [{"school_area": "rural"}] * 3 + [{"school_area": "urban"}] * 7
    name = write(workdir / "list.json", entries)

    result = check(name)

    assert result.status == 0
    assert result.out.splitlines()[-1] == (
        "3 of 10 entries are rural (30.0%); at least 3 are needed (30%): the list meets the share"
    )
    # Entries without an id are named by their position.
    assert "list.json[0]  yes" in result.out


def test_check_awards_as_json(workdir: Path) -> None:
    name = sample(workdir, "awards.json")

    result = check("--format", "json", name)

    assert result.status == 3
    data = result.json()
    assert (data["size"], data["rural"], data["required"], data["short_by"]) == (10, 2, 3, 1)
    assert data["meets"] is False
    assert data["min_percent"] == "30"
    assert data["source"]["section"] == "二(四)3"


def test_check_awards_with_bad_entries_exits_1_and_checks_the_rest(workdir: Path) -> None:
    entries: list[Any] = [
        {"id": "A1", "school_area": "rural"},
        {"id": "A2"},
        {"id": "A3", "teacher": {"title": "junior", "service": [{"school_area": "rural"}]}},
    ]
    name = write(workdir / "list.json", entries)

    result = check("--format", "json", name)

    assert result.status == 1
    assert result.json()["size"] == 1
    assert [line for line in result.err.splitlines() if line.startswith("list.json")] == [
        "list.json[1]: $: an award entry names the school_area of the awarded school, a "
        'teacher, or both (got {"id": "A2"})',
        "list.json[2]: $.teacher.service[0].start: required field is missing (got (missing))",
    ]


def test_check_awards_size_says_how_many_must_be_rural(workdir: Path) -> None:
    name = sample(workdir, "awards.json")

    result = check("--size", "6", name)

    assert result.status == 0
    assert result.out.splitlines()[-1] == (
        "at least 2 of 6 awards must go to rural schools or teachers (30%); the 10 nominees "
        "include 2 rural"
    )


def test_check_awards_size_that_the_nominees_cannot_meet_is_a_clear_error(workdir: Path) -> None:
    name = sample(workdir, "awards.json")

    result = check("--size", "10", name)

    assert result.status == 2
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line == (
        "error: Share of rural schools and teachers among commendations cannot be met: 10 "
        "awards need at least 3 rural schools or teachers (30%, section 二(四)3: “在评选表彰"
        "教育系统先进集体和先进个人时,乡村学校、乡村教师所占比例不低于30%”), but the nominees "
        "include only 2"
    )


def test_check_awards_unknown_share_exits_2(workdir: Path) -> None:
    name = sample(workdir, "awards.json")

    result = check("--share", "women", name)

    assert result.status == 2
    assert "rural-commendation-share" in result.err


#: A change file that reads the Jinfeng share by kind: collectives and individuals each.
BY_KIND = """
[[change]]
share = "rural-commendation-share"
set = { counted = "by_kind" }
reason = "Read 先进集体 and 先进个人 as two lists, each at least 30% rural"
"""


def test_check_awards_by_kind_shows_each_entrys_kind_and_each_kinds_figures(
    workdir: Path,
) -> None:
    name = sample(workdir, "awards.json")
    (workdir / "by-kind.toml").write_text(BY_KIND, encoding="utf-8")

    result = check("--changes", "by-kind.toml", name)

    assert result.status == 3
    assert result.err == ""
    lines = result.out.splitlines()
    # Below the heading (the region, the plan, the date, and the change applied):
    title = lines.index(
        "Share of rural schools and teachers among commendations: at least 30% of the "
        "collectives and of the individuals each (二(四)3)"
    )
    assert lines[title + 2].split() == ["entry", "kind", "rural", "why"]
    assert lines[title + 3] == "A01    advanced collective  no     the awarded school is urban"
    assert lines[title + 5].startswith("A03    advanced individual  yes    the teacher's posting")
    assert lines[-6:] == [
        "kind                 entries  rural  needed  meets  short by",
        "advanced collective  7        1      3       no     2",
        "advanced individual  3        1      1       yes    0",
        "",
        "collectives and individuals are counted separately, at least 30% of each: advanced "
        "collective: 1 of 7 rural (14.3%), at least 3 needed; advanced individual: 1 of 3 "
        "rural (33.3%), at least 1 needed; the list falls short by 2",
        "or add 2 rural entries to the list as it is",
    ]


def test_check_awards_by_kind_as_json(workdir: Path) -> None:
    name = sample(workdir, "awards.json")
    (workdir / "by-kind.toml").write_text(BY_KIND, encoding="utf-8")

    result = check("--changes", "by-kind.toml", "--format", "json", name)

    assert result.status == 3
    data = result.json()
    assert data["counted"] == "by_kind"
    assert data["by_kind"] == {
        "collective": {"size": 7, "rural": 1, "required": 3, "meets": False, "short_by": 2},
        "individual": {"size": 3, "rural": 1, "required": 1, "meets": True, "short_by": 0},
    }
    assert [entry["kind"] for entry in data["entries"]][:4] == [
        "collective",
        "collective",
        "individual",
        "individual",
    ]


def test_check_awards_together_keeps_its_table_and_adds_counted_to_the_json(
    workdir: Path,
) -> None:
    name = sample(workdir, "awards.json")

    table_out = check(name).out
    data = check("--format", "json", name).json()

    assert "advanced collective" not in table_out
    assert "kind" not in table_out
    assert data["counted"] == "together"
    assert "by_kind" not in data


def test_check_awards_size_by_kind_refuses_a_mixed_pool_and_takes_one_kind(
    workdir: Path,
) -> None:
    name = sample(workdir, "awards.json")
    (workdir / "by-kind.toml").write_text(BY_KIND, encoding="utf-8")
    schools = write(workdir / "schools.json", [{"school_area": "rural"}] * 2)

    mixed = check("--changes", "by-kind.toml", "--size", "3", name)
    one_kind = check("--changes", "by-kind.toml", "--size", "2", "--format", "json", schools)

    assert mixed.status == 2
    assert mixed.out == ""
    assert mixed.err.splitlines() == [
        "error: Invalid argument",
        "  awards: the nominees mix collectives and individuals, and this share counts "
        "collectives and individuals separately: ask for each kind's list on its own (got "
        '{"collective": 7, "individual": 3})',
    ]
    assert one_kind.status == 0
    assert (one_kind.json()["required"], one_kind.json()["counted"]) == (1, "by_kind")


def test_the_new_commands_are_listed_in_the_help() -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit):
        main(["--help"], stdout=out)

    help_text = out.getvalue()
    assert "teacher" in help_text
    assert "select" in help_text
    assert "check-awards" in help_text
