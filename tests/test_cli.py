"""The ``edupolicy`` command line: ``regions`` and ``aid``.

Most tests call :func:`edupolicy.cli.main` with in-memory streams; one runs the
installed console script in a real process.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import edupolicy
from edupolicy.cli import main
from edupolicy.cli._options import Parser
from tests.clitools import Run, run, write
from tests.conftest import record

pytestmark = pytest.mark.usefixtures("plain_environment")

ON = "2019-09-01"
SAMPLE_IDS = [f"S{n:02d}" for n in range(1, 13)]


def aid(*argv: str, stdin: str = "") -> Run:
    return run("aid", "--region", "jinfeng", "--on", ON, *argv, stdin=stdin)


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


#: A rural primary pupil of a dibao household: textbook waiver and CN¥500.00 a year.
POOR_PUPIL = record(id="P1", year=3, household=["dibao"])
#: A rural junior-secondary boarder, an orphan of a dibao household: CN¥2,000.00 a year.
ORPHAN_BOARDER = record(
    id="J1", stage="junior_secondary", year=2, boarding=True, household=["dibao"], orphan=True
)


# --- regions -------------------------------------------------------------------------------


def test_regions_table_lists_jinfeng_with_its_distribution_and_version() -> None:
    result = run("regions")

    assert result.status == 0
    assert result.err == ""
    header, *rows = result.out.splitlines()
    assert header.split()[:2] == ["region", "name"]
    (jinfeng,) = [row for row in rows if row.split()[0] == "jinfeng"]
    assert "Jinfeng District, Yinchuan" in jinfeng
    assert jinfeng.split()[-3:] == ["edupolicy", edupolicy.__version__, "ok"]


def test_regions_json() -> None:
    result = run("regions", "--format", "json")

    assert result.status == 0
    assert {
        "id": "jinfeng",
        "name": "Jinfeng District, Yinchuan",
        "entry_point": "jinfeng",
        "distribution": "edupolicy",
        "version": edupolicy.__version__,
        "status": "ok",
        "error": None,
    } in result.json()


def test_regions_in_chinese() -> None:
    result = run("--locale", "zh_CN", "regions", "--format", "json")

    assert result.status == 0
    (jinfeng,) = [r for r in result.json() if r["id"] == "jinfeng"]
    assert jinfeng["name"] == "银川市金凤区"


# --- aid: input shapes ---------------------------------------------------------------------


def test_aid_json_for_one_object_is_one_result(workdir: Path) -> None:
    name = write(workdir / "pupil.json", POOR_PUPIL)

    result = aid("--format", "json", name)

    assert result.status == 0
    assert result.err == ""
    data = result.json()
    assert isinstance(data, dict)
    assert data["region"] == "jinfeng"
    assert data["on"] == ON
    assert data["id"] == "P1"
    assert data["currency"] == "CNY"
    assert data["cash_total"] == "500.00"
    assert data["waivers"] == ["textbook"]
    items = {item["rule"]: item for item in data["items"]}
    assert set(items) == {"rural-compulsory-textbook-waiver", "primary-poor-grant"}
    grant = items["primary-poor-grant"]
    assert grant["kind"] == "cash"
    assert grant["amount"] == "500.00"
    assert grant["frequency"] == "per_year"
    assert grant["waives"] == []
    assert grant["source"]["section"] == "二(一)1"
    assert "500元" in grant["source"]["quote"]
    assert grant["explanation"]
    waiver = items["rural-compulsory-textbook-waiver"]
    assert waiver["kind"] == "waiver"
    assert waiver["amount"] is None
    assert waiver["waives"] == ["textbook"]
    assert "not_applied" not in data


def test_aid_json_for_a_list_is_a_list_in_input_order(workdir: Path) -> None:
    name = write(workdir / "roster.json", [ORPHAN_BOARDER, POOR_PUPIL])

    result = aid("--format", "json", name)

    assert result.status == 0
    data = result.json()
    assert isinstance(data, list)
    assert [(r["id"], r["cash_total"]) for r in data] == [("J1", "2000.00"), ("P1", "500.00")]
    assert data[0]["waivers"] == ["boarding", "textbook"]
    assert "junior-orphan-grant" in [item["rule"] for item in data[0]["items"]]
    assert "junior-poor-grant" not in [item["rule"] for item in data[0]["items"]]


def test_aid_json_for_a_one_element_list_is_still_a_list(workdir: Path) -> None:
    name = write(workdir / "roster.json", [POOR_PUPIL])

    data = aid("--format", "json", name).json()

    assert isinstance(data, list)
    assert [r["id"] for r in data] == ["P1"]


def test_aid_reads_json_lines_skipping_blank_lines(workdir: Path) -> None:
    (workdir / "roster.jsonl").write_text(
        "\n" + jsonl(POOR_PUPIL) + "\n   \n" + jsonl(ORPHAN_BOARDER) + "\n", encoding="utf-8"
    )

    result = aid("--format", "json", "roster.jsonl")

    assert result.status == 0
    assert result.err == ""
    data = result.json()
    assert isinstance(data, list)
    assert [(r["id"], r["cash_total"]) for r in data] == [("P1", "500.00"), ("J1", "2000.00")]


def test_aid_json_for_a_one_line_jsonl_file_is_a_list(workdir: Path) -> None:
    (workdir / "roster.jsonl").write_text(jsonl(POOR_PUPIL), encoding="utf-8")

    data = aid("--format", "json", "roster.jsonl").json()

    assert isinstance(data, list)
    assert [r["id"] for r in data] == ["P1"]


@pytest.mark.parametrize(
    ("stdin", "shape"),
    [
        (json.dumps(POOR_PUPIL), dict),
        (json.dumps([POOR_PUPIL, ORPHAN_BOARDER]), list),
        (jsonl(POOR_PUPIL, ORPHAN_BOARDER), list),
    ],
    ids=["object", "list", "json-lines"],
)
def test_aid_reads_standard_input_with_dash(stdin: str, shape: type) -> None:
    result = aid("--format", "json", "-", stdin=stdin)

    assert result.status == 0
    data = result.json()
    assert isinstance(data, shape)
    results: list[Any] = data if isinstance(data, list) else [data]
    assert results[0]["id"] == "P1"
    assert results[0]["cash_total"] == "500.00"


# --- aid: the table ------------------------------------------------------------------------


def test_aid_table_shows_the_student_the_rules_and_the_amounts(workdir: Path) -> None:
    name = write(workdir / "roster.json", [POOR_PUPIL, ORPHAN_BOARDER])

    result = aid(name)

    assert result.status == 0
    assert result.err == ""
    out = result.out
    assert "金教发〔2018〕410号" in out.splitlines()[0]
    assert "\nP1: " in out
    assert "\nJ1: " in out
    assert "Primary-school grant for poor students" in out
    assert "Textbook fees waived at rural compulsory-education schools" in out
    assert "CN¥500.00" in out
    assert "Junior-secondary grant for orphans" in out
    assert "CN¥2,000.00" in out
    # The orphan rate overrides the poor-student rate: the latter is not listed.
    assert "Junior-secondary grant for poor students" not in out
    assert "did not apply" not in out


def test_aid_table_names_a_record_without_id_by_its_position(workdir: Path) -> None:
    name = write(workdir / "roster.json", [record(year=3, household=["dibao"])])

    out = aid(name).out

    assert "\nroster.json[0]: " in out
    assert "CN¥500.00" in out


def test_aid_explain_gives_the_reasons_of_rules_that_did_not_apply(workdir: Path) -> None:
    name = write(workdir / "pupil.json", POOR_PUPIL)

    result = aid("--explain", name)

    assert result.status == 0
    out = result.out
    assert "rules that did not apply:" in out
    assert "primary-orphan-grant: student is not an orphan" in out
    assert "rural-compulsory-boarding-waiver: student does not board" in out
    assert "preschool-living-allowance: stage is primary school, not preschool" in out


def test_aid_explain_in_json_lists_the_rules_that_did_not_apply(workdir: Path) -> None:
    name = write(workdir / "pupil.json", ORPHAN_BOARDER)

    data = aid("--explain", "--format", "json", name).json()

    not_applied = {entry["rule"]: entry for entry in data["not_applied"]}
    assert "overridden by rule junior-orphan-grant" in not_applied["junior-poor-grant"]["reason"]
    assert "primary-poor-grant" in not_applied


def test_aid_sample_evaluates_the_bundled_roster() -> None:
    result = aid("--sample")

    assert result.status == 0
    assert result.err == ""
    labels = [line.split(":")[0] for line in result.out.splitlines() if line[:1] == "S"]
    assert labels == SAMPLE_IDS


def test_aid_sample_as_json() -> None:
    result = aid("--sample", "--format", "json")

    data = result.json()
    assert [r["id"] for r in data] == SAMPLE_IDS
    by_id = {r["id"]: r for r in data}
    assert by_id["S03"]["cash_total"] == "500.00"
    assert by_id["S03"]["waivers"] == ["boarding", "textbook"]
    assert by_id["S11"]["cash_total"] == "12000.00"


def test_aid_in_chinese_gives_chinese_rule_names(workdir: Path) -> None:
    name = write(workdir / "pupil.json", POOR_PUPIL)

    result = run("--locale", "zh_CN", "aid", "--region", "jinfeng", "--on", ON, name)

    assert result.status == 0
    assert result.err == ""
    assert "小学贫困生资助金" in result.out
    assert "农村义务教育课本费全免" in result.out
    assert "Primary-school grant" not in result.out
    assert "¥500.00" in result.out


def test_aid_in_chinese_json_gives_chinese_rule_names(workdir: Path) -> None:
    name = write(workdir / "pupil.json", POOR_PUPIL)

    data = run(
        "--locale", "zh_CN", "aid", "--region", "jinfeng", "--on", ON, "--format", "json", name
    ).json()
    names = {item["rule"]: item["name"] for item in data["items"]}
    assert names["primary-poor-grant"] == "小学贫困生资助金"
    assert data["cash_total"] == "500.00"


# --- aid: bad records ----------------------------------------------------------------------


def test_bad_records_in_a_list_are_reported_and_good_ones_still_evaluated(workdir: Path) -> None:
    name = write(
        workdir / "file.json",
        [POOR_PUPIL, record(year=2.5, schol_area="rural"), record(household=["dibao", "poor"])],
    )

    result = aid(name)

    assert result.status == 1
    assert "\nP1: " in result.out
    assert "CN¥500.00" in result.out
    problem_lines = [line for line in result.err.splitlines() if line.startswith("file.json")]
    assert sorted(problem_lines) == sorted(
        [
            "file.json[1]: $.year: must be a whole number (got 2.5)",
            'file.json[1]: $.schol_area: unknown field; did you mean school_area? (got "rural")',
            "file.json[2]: $.household[1]: must be one of: dibao, registered_poor, "
            'other_hardship, shaosheng_kuaifu, migrant_worker (got "poor")',
        ]
    )
    assert "2 records could not be evaluated" in result.err


def test_bad_records_in_json_output_leave_the_good_results(workdir: Path) -> None:
    name = write(workdir / "file.json", [POOR_PUPIL, record(year="3")])

    result = aid("--format", "json", name)

    assert result.status == 1
    assert [r["id"] for r in result.json()] == ["P1"]
    assert "file.json[1]: $.year: " in result.err


def test_bad_json_lines_are_reported_by_line_number(workdir: Path) -> None:
    (workdir / "file.jsonl").write_text(
        jsonl(POOR_PUPIL)
        + "\n"
        + jsonl(record(boarding="false"))
        + '{"stage": "primary", "year": 1,\n'
        + jsonl(ORPHAN_BOARDER),
        encoding="utf-8",
    )

    name = "file.jsonl"
    result = aid(name)

    assert result.status == 1
    assert "\nP1: " in result.out
    assert "\nJ1: " in result.out
    err_lines = result.err.splitlines()
    assert f'{name}:3: $.boarding: must be true or false (got "false")' in err_lines
    (unparsable,) = [line for line in err_lines if line.startswith(f"{name}:4: ")]
    assert "not valid JSON" in unparsable
    assert [line for line in err_lines if line.startswith(name)] == [
        f'{name}:3: $.boarding: must be true or false (got "false")',
        unparsable,
    ]


def test_record_that_is_not_an_object_is_reported(workdir: Path) -> None:
    name = write(workdir / "file.json", [POOR_PUPIL, "P2"])

    result = aid(name)

    assert result.status == 1
    assert 'file.json[1]: $: must be a JSON object (got "P2")' in result.err.splitlines()


def test_year_beyond_the_stage_is_reported_for_the_record(workdir: Path) -> None:
    name = write(workdir / "file.json", [record(year=7)])

    result = aid(name)

    assert result.status == 1
    (line,) = [line for line in result.err.splitlines() if line.startswith("file.json")]
    assert line.startswith("file.json[0]: $.year: ")
    assert "(got 7)" in line


def test_bad_record_errors_in_chinese_still_name_position_path_and_value(workdir: Path) -> None:
    name = write(workdir / "file.json", [record(year=2.5)])

    result = run("--locale", "zh_CN", "aid", "--region", "jinfeng", "--on", ON, name)

    assert result.status == 1
    (line,) = [line for line in result.err.splitlines() if line.startswith("file.json")]
    assert line.startswith("file.json[0]: $.year")
    assert "2.5" in line


# --- aid: nothing can be evaluated ---------------------------------------------------------


def test_unknown_region_exits_2_listing_the_installed_regions(workdir: Path) -> None:
    name = write(workdir / "pupil.json", POOR_PUPIL)

    result = run("aid", "--region", "nowhere", "--on", ON, name)

    assert result.status == 2
    assert result.out == ""
    assert "nowhere" in result.err
    assert "jinfeng" in result.err


def test_date_outside_the_plan_exits_2_naming_the_period(workdir: Path) -> None:
    name = write(workdir / "pupil.json", POOR_PUPIL)

    result = run("aid", "--region", "jinfeng", "--on", "2017-01-01", name)

    assert result.status == 2
    assert result.out == ""
    assert "2018-08-30–2020-12-31" in result.err
    assert "2017" in result.err


@pytest.mark.parametrize("day", ["2019-13-01", "2019-02-30", "01/09/2019", "2019-9-1"])
def test_bad_on_date_is_an_argparse_error(
    workdir: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    name = write(workdir / "pupil.json", POOR_PUPIL)

    with pytest.raises(SystemExit) as excinfo:
        main(["aid", "--region", "jinfeng", "--on", day, name], stdout=io.StringIO())

    assert excinfo.value.code == 2
    captured = capsys.readouterr().err
    assert "--on" in captured
    assert day in captured


def test_missing_file_exits_2_with_a_clear_message(workdir: Path) -> None:
    result = aid("missing.json")

    assert result.status == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert "missing.json" in lines[0]


# --- the installed console script ----------------------------------------------------------


@pytest.mark.slow
def test_installed_console_script_evaluates_the_sample_roster() -> None:
    beside_python = str(Path(sys.executable).parent)
    script = shutil.which(
        "edupolicy", path=os.pathsep.join([beside_python, os.environ.get("PATH", "")])
    )
    if script is None:
        pytest.skip("the edupolicy console script is not installed in this environment")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EDUPOLICY_", "LC_"))}
    env["LANG"] = "C.UTF-8"

    completed = subprocess.run(
        [script, "aid", "--region", "jinfeng", "--on", ON, "--sample"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    labels = [line.split(":")[0] for line in completed.stdout.splitlines() if line[:1] == "S"]
    assert labels == SAMPLE_IDS
    assert "CN¥500.00" in completed.stdout


def test_a_broken_multi_line_json_object_is_one_error_not_one_per_line(workdir: Path) -> None:
    text = json.dumps(POOR_PUPIL, indent=2).replace('"P1"', '"P1",')  # a trailing comma
    (workdir / "one.json").write_text(text, encoding="utf-8")
    result = aid("one.json")
    assert result.status == 1
    lines = result.err.strip().splitlines()
    assert lines[0].startswith("one.json: not valid JSON:")
    assert lines[-1] == "1 record could not be evaluated"
    assert len(lines) == 2


def test_a_file_with_a_byte_order_mark_is_read(workdir: Path) -> None:
    (workdir / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(POOR_PUPIL).encode())
    result = aid("--format", "json", "bom.json")
    assert result.status == 0, result.err
    assert result.json()["cash_total"] == "500.00"


def test_locale_may_follow_the_command(workdir: Path) -> None:
    result = aid("--locale", "zh_CN", "--format", "json", write(workdir / "p.json", POOR_PUPIL))
    assert result.status == 0
    names = [item["name"] for item in result.json()["items"]]
    assert "小学贫困生资助金" in names


def test_usage_errors_go_to_the_given_stderr() -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        main(["aid", "--region", "jinfeng", "--on", "soon", "-"], stdout=out, stderr=err)
    assert exited.value.code == 2
    assert "argument --on" in err.getvalue()
    assert "soon" in err.getvalue()


def test_an_invalid_single_object_gives_no_json_only_the_reason_and_status(
    workdir: Path,
) -> None:
    result = aid("--format", "json", write(workdir / "bad.json", record(year=0)))
    assert result.status == 1
    assert result.out == ""
    assert "bad.json: $.year:" in result.err


def test_a_year_beyond_the_stage_is_reported_with_the_other_problems(workdir: Path) -> None:
    result = aid(write(workdir / "bad.json", record(year=7, boarding="no")))
    assert result.status == 1
    assert "bad.json: $.boarding:" in result.err
    assert "bad.json: $.year: primary school lasts 6 years in this plan (got 7)" in result.err


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["aid", "--help"], ["--version"], ["aid", "--on", "someday"], ["no-such"]],
    ids=["help", "command-help", "version", "bad-option", "unknown-command"],
)
def test_the_command_line_writes_its_usage_to_its_streams_leaving_the_process_ones(
    monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    # A host that runs the command line in one thread must not find another thread's
    # output in its streams, nor its own in the process's: sys.stdout and sys.stderr
    # stay what they are while the arguments are read.
    process_out, process_err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", process_out)
    monkeypatch.setattr(sys, "stderr", process_err)
    seen: list[object] = []
    real_usage = Parser.format_usage

    def usage(self: Parser) -> str:
        seen.append((sys.stdout, sys.stderr))
        return real_usage(self)

    monkeypatch.setattr(Parser, "format_usage", usage)
    monkeypatch.setattr(Parser, "format_help", lambda self: (usage(self), "help\n")[1])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        main(["--locale", "en", *argv], stdout=out, stderr=err)
    assert set(seen) <= {(process_out, process_err)}
    assert process_out.getvalue() == process_err.getvalue() == ""
    assert out.getvalue() or err.getvalue()
