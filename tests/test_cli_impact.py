"""``edupolicy diff`` and ``edupolicy budget``: what a plan, or a change to it, gives a roster."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.clitools import Run, run
from tests.conftest import record
from tests.fakedist import install, plan_toml, plugin_source, region_spec

pytestmark = pytest.mark.usefixtures("plain_environment")

ON = "2019-09-01"
RAISE = """\
[[change]]
rule = "primary-poor-grant"
set = { "benefit.amount" = "600.00" }
reason = "raise the primary-school grant for poor students"
"""

#: CN¥500.00 a year, CN¥600.00 with the raise.
POOR_PUPIL = record(id="P1", year=3, household=["dibao"])
#: CN¥2,000.00 a year, with or without the raise.
ORPHAN_BOARDER = record(
    id="J1",
    stage="junior_secondary",
    year=2,
    boarding=True,
    household=["dibao", "migrant_worker"],
    orphan=True,
)
#: Nothing.
SENIOR = record(id="H1", stage="senior_secondary", year=1, school_area="urban")
ROSTER = [POOR_PUPIL, ORPHAN_BOARDER, SENIOR]
#: A record with a year that is not a number.
BAD = record(id="X1", year="three")

COLUMNS = ["id", "stage", "year", "school_area", "boarding", "household", "orphan", "disabled"]


def write_roster(path: Path, records: list[dict[str, Any]]) -> str:
    """``records`` in the format that ``path``'s name says: JSON Lines, JSON or CSV."""
    if path.suffix == ".jsonl":
        text = "".join(json.dumps(r) + "\n" for r in records)
    elif path.suffix == ".json":
        text = json.dumps(records)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in records:
            row = []
            for column in COLUMNS:
                value = r.get(column)
                if value is None:
                    row.append("")
                elif isinstance(value, bool):
                    row.append("true" if value else "false")
                elif isinstance(value, list):
                    row.append(";".join(value))
                else:
                    row.append(str(value))
            writer.writerow(row)
        text = buffer.getvalue()
    path.write_text(text, encoding="utf-8")
    return path.name


@pytest.fixture
def changes(workdir: Path) -> str:
    (workdir / "raise.toml").write_text(RAISE, encoding="utf-8")
    return "raise.toml"


def diff(*argv: str) -> Run:
    return run("diff", "--region", "jinfeng", "--on", ON, *argv)


def budget(*argv: str) -> Run:
    return run("budget", "--region", "jinfeng", "--on", ON, *argv)


# --- diff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["roster.jsonl", "roster.json", "roster.csv"])
def test_diff_counts_who_gains_and_the_exact_totals(workdir: Path, changes: str, name: str) -> None:
    roster = write_roster(workdir / name, ROSTER)

    result = diff("--changes", changes, "--format", "json", roster)

    assert result.status == 0
    assert result.err == ""
    data = result.json()
    assert (data["students"], data["skipped"]) == (3, 0)
    assert (data["gain"], data["lose"], data["same"]) == (1, 0, 2)
    assert data["cash_before"] == "2500.00"
    assert data["cash_after"] == "2600.00"
    assert data["cash_change"] == "100.00"
    assert data["by_stage"] == {
        "primary": {"gain": 1, "lose": 0, "same": 0},
        "junior_secondary": {"gain": 0, "lose": 0, "same": 1},
        "senior_secondary": {"gain": 0, "lose": 0, "same": 1},
    }
    assert data["by_household"] == {
        "dibao": {"gain": 1, "lose": 0, "same": 1},
        "migrant_worker": {"gain": 0, "lose": 0, "same": 1},
        "none": {"gain": 0, "lose": 0, "same": 1},
    }
    position = {"roster.jsonl": "roster.jsonl:1", "roster.json": "roster.json[0]"}
    assert data["largest_changes"] == [
        {
            "id": "P1",
            "position": position.get(name, "roster.csv:2"),
            "before": "500.00",
            "after": "600.00",
            "change": "100.00",
        }
    ]


def test_diff_json_shape(workdir: Path, changes: str) -> None:
    roster = write_roster(workdir / "roster.jsonl", ROSTER)

    data = diff("--changes", changes, "--format", "json", roster).json()

    assert set(data) == {
        "region",
        "currency",
        "changes",
        "before",
        "after",
        "students",
        "skipped",
        "gain",
        "lose",
        "same",
        "by_stage",
        "by_household",
        "cash_before",
        "cash_after",
        "cash_change",
        "largest_changes",
    }
    assert data["region"] == "jinfeng"
    assert data["currency"] == "CNY"
    assert data["changes"] == "raise.toml"
    for side in ("before", "after"):
        assert data[side]["on"] == ON
        assert data[side]["plan"] == "jinfeng-2018-410"
        assert data[side]["region"] == "jinfeng"
        assert data[side]["readings"]["continuity-gap"] == "92-days"


def test_diff_table(workdir: Path, changes: str) -> None:
    roster = write_roster(workdir / "roster.csv", ROSTER)

    result = diff("--changes", changes, roster)

    assert result.status == 0
    lines = result.out.splitlines()
    assert "金教发〔2018〕410号" in lines[0]
    assert lines[1].startswith("compared with: Region jinfeng")
    assert lines[2] == (
        'change: rule = "primary-poor-grant": set benefit.amount = "600.00" '
        "(raise the primary-school grant for poor students)"
    )
    assert lines[3] == "with the changes of raise.toml"
    assert "3 students: 1 gain, 0 lose, 2 unchanged; 0 skipped" in lines
    assert "cash per year: CN¥2,500.00 before, CN¥2,600.00 after, change +CN¥100.00" in lines
    assert lines[-1].split() == ["P1", "CN¥500.00", "CN¥600.00", "+CN¥100.00"]


def test_diff_table_in_chinese(workdir: Path, changes: str) -> None:
    roster = write_roster(workdir / "roster.jsonl", ROSTER)

    result = run("--locale", "zh_CN", "diff", "--region", "jinfeng", "--on", ON,
                 "--changes", changes, roster)  # fmt: skip

    assert result.status == 0
    assert "变更前 ¥2,500.00" in result.out
    assert "变化最大的记录" in result.out


@pytest.mark.parametrize("name", ["roster.jsonl", "roster.csv"])
@pytest.mark.parametrize("at", [0, 1, 3], ids=["start", "middle", "end"])
def test_diff_counts_the_good_records_around_a_bad_one(
    workdir: Path, changes: str, name: str, at: int
) -> None:
    records = list(ROSTER)
    records.insert(at, BAD)
    roster = write_roster(workdir / name, records)

    result = diff("--changes", changes, "--format", "json", roster)

    assert result.status == 1
    data = result.json()
    assert (data["students"], data["skipped"]) == (3, 1)
    assert (data["gain"], data["lose"], data["same"]) == (1, 0, 2)
    assert data["cash_change"] == "100.00"
    line = at + 1 if name.endswith("jsonl") else at + 2
    assert f"{name}:{line}: $.year: must be a whole number" in result.err
    assert result.err.endswith("1 record could not be evaluated\n")


def test_diff_text_reports_the_skipped_rows(workdir: Path, changes: str) -> None:
    roster = write_roster(workdir / "roster.csv", [*ROSTER, BAD])

    result = diff("--changes", changes, roster)

    assert result.status == 1
    assert "3 students: 1 gain, 0 lose, 2 unchanged; 1 skipped" in result.out


def test_diff_against_another_date(workdir: Path) -> None:
    roster = write_roster(workdir / "roster.jsonl", ROSTER)

    result = diff("--against", "2020-03-01", "--format", "json", roster)

    assert result.status == 0
    data = result.json()
    assert data["changes"] is None
    assert (data["after"]["on"], data["after"]["plan"]) == ("2020-03-01", "jinfeng-2018-410")
    assert (data["gain"], data["lose"], data["same"]) == (0, 0, 3)
    assert data["cash_before"] == data["cash_after"] == "2500.00"
    assert data["largest_changes"] == []
    table = diff("--against", "2020-03-01", roster).out
    assert table.splitlines()[1].startswith("compared with: Region jinfeng")
    assert table.splitlines()[-1] == "no student's cash changes"


def test_diff_against_a_date_outside_every_plan_is_an_error(workdir: Path) -> None:
    roster = write_roster(workdir / "roster.jsonl", ROSTER)

    result = diff("--against", "2021-09-01", roster)

    assert result.status == 2
    assert result.err.startswith("error: No plan of region jinfeng is in force")


def test_diff_with_changes_on_another_date_compares_both_at_once(
    workdir: Path, changes: str
) -> None:
    roster = write_roster(workdir / "roster.jsonl", ROSTER)

    result = diff("--against", "2020-03-01", "--changes", "raise.toml", "--format", "json", roster)

    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["after"]["on"] == "2020-03-01"
    assert data["cash_change"] == "100.00"


def test_diff_keeps_the_ten_largest_changes_earliest_first(workdir: Path, changes: str) -> None:
    pupils = [record(id=f"P{n:02d}", year=1 + n % 6, household=["dibao"]) for n in range(15)]
    orphan = record(id="O1", year=2, orphan=True, household=["dibao"])
    roster = write_roster(workdir / "roster.jsonl", [*pupils, orphan])

    data = diff("--changes", changes, "--format", "json", roster).json()

    assert data["gain"] == 15
    assert data["cash_change"] == "1500.00"
    assert [r["id"] for r in data["largest_changes"]] == [f"P{n:02d}" for n in range(10)]


# --- CSV input ------------------------------------------------------------------------------


def test_csv_cells_a_header_in_any_order_and_blank_rows(workdir: Path) -> None:
    (workdir / "roster.csv").write_text(
        "household,year,stage,school_area,id\n"
        "dibao;registered_poor,3,primary,rural,P1\n"
        "\n"
        ",1,senior_secondary,urban,\n",
        encoding="utf-8",
    )

    result = budget("--format", "json", "roster.csv")

    assert result.status == 0
    assert result.err == ""
    data = result.json()
    assert data["students"] == 2
    assert data["cash_total"] == "500.00"
    assert set(data["by_household"]) == {"dibao", "registered_poor", "none"}


def test_csv_row_of_the_wrong_length_is_skipped(workdir: Path) -> None:
    (workdir / "roster.csv").write_text(
        "stage,year,school_area\nprimary,1\nprimary,1,rural\n", encoding="utf-8"
    )

    result = budget("--format", "json", "roster.csv")

    assert result.status == 1
    assert "roster.csv:2: the row has 2 cells; the header has 3" in result.err
    assert result.json()["students"] == 1


def test_csv_bad_flag_is_reported_by_field(workdir: Path) -> None:
    (workdir / "roster.csv").write_text(
        "stage,year,school_area,boarding\nprimary,1,rural,yes\n", encoding="utf-8"
    )

    result = budget("roster.csv")

    assert result.status == 1
    assert "roster.csv:2: $.boarding: " in result.err


def test_csv_unknown_column_is_an_error(workdir: Path) -> None:
    (workdir / "roster.csv").write_text("stage,year,area\nprimary,1,rural\n", encoding="utf-8")

    result = budget("roster.csv")

    assert result.status == 2
    assert result.err.startswith("error: roster.csv: the header row must name columns")


def test_aid_reads_csv_too(workdir: Path) -> None:
    roster = write_roster(workdir / "roster.csv", ROSTER)

    data = run("aid", "--region", "jinfeng", "--on", ON, "--format", "json", roster).json()

    assert [(r["id"], r["cash_total"]) for r in data] == [
        ("P1", "500.00"),
        ("J1", "2000.00"),
        ("H1", "0.00"),
    ]


# --- budget ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["roster.jsonl", "roster.json", "roster.csv"])
def test_budget_by_rule_equals_the_sum_of_the_aid_results(workdir: Path, name: str) -> None:
    records = [
        *ROSTER,
        record(id="P2", year=2, orphan=True),
        record(id="V1", stage="secondary_vocational", year=1, school_area="urban", orphan=True),
        record(id="K1", stage="preschool", year=3, school_area="urban", disabled=True),
    ]
    roster = write_roster(workdir / name, records)
    results = run("aid", "--region", "jinfeng", "--on", ON, "--format", "json", roster).json()
    expected: dict[str, list[Decimal]] = {}
    for result in results:
        for item in result["items"]:
            amount = Decimal(item["amount"]) if item["kind"] == "cash" else Decimal(0)
            expected.setdefault(item["rule"], []).append(amount)

    data = budget("--format", "json", roster).json()

    assert data["students"] == len(records)
    total = sum((Decimal(r["cash_total"]) for r in results), Decimal(0))
    assert Decimal(data["cash_total"]) == total
    assert data["waivers"] == sum(len(r["waivers"]) for r in results)
    by_rule = {entry["rule"]: entry for entry in data["by_rule"]}
    assert set(by_rule) == set(expected)
    for rule_id, amounts in expected.items():
        assert by_rule[rule_id]["students"] == len(amounts)
        assert Decimal(by_rule[rule_id]["cash"]) == sum(amounts, Decimal(0))
    assert sum(Decimal(e["cash"]) for e in data["by_rule"]) == total
    assert sum(Decimal(s["cash"]) for s in data["by_stage"].values()) == total


def test_budget_json_shape(workdir: Path) -> None:
    roster = write_roster(workdir / "roster.jsonl", ROSTER)

    data = budget("--format", "json", roster).json()

    assert data["region"] == "jinfeng"
    assert data["plan"] == "jinfeng-2018-410"
    assert data["on"] == ON
    assert data["currency"] == "CNY"
    assert (data["students"], data["skipped"]) == (3, 0)
    assert data["cash_total"] == "2500.00"
    assert data["waivers"] == 3
    assert data["by_rule"][0] == {
        "rule": "rural-compulsory-textbook-waiver",
        "name": "Textbook fees waived at rural compulsory-education schools",
        "students": 2,
        "cash": "0.00",
        "waivers": 2,
    }
    assert data["by_stage"]["primary"] == {"students": 1, "cash": "500.00", "waivers": 1}
    assert data["by_household"]["dibao"] == {"students": 2, "cash": "2500.00", "waivers": 3}


def test_budget_with_changes_and_text(workdir: Path, changes: str) -> None:
    roster = write_roster(workdir / "roster.csv", [*ROSTER, BAD])

    result = budget("--changes", changes, roster)

    assert result.status == 1
    assert "3 students: cash CN¥2,600.00 a year, 3 fee waivers; 1 skipped" in result.out
    (grant,) = [line for line in result.out.splitlines() if line.startswith("primary-poor-grant")]
    assert grant.split()[-2:] == ["CN¥600.00", "0"]


# --- diff under a reading, and against another installed region ------------------------------

VOCATIONAL = record(id="V1", stage="secondary_vocational", year=1, school_area="urban")


def test_diff_under_a_reading_counts_who_gains_and_says_the_reading(workdir: Path) -> None:
    name = write_roster(workdir / "roster.jsonl", [*ROSTER, VOCATIONAL])
    reading = "secondary-vocational-subsidy=universal"

    table_run = run("diff", "--region", "jinfeng", "--on", ON, "--reading", reading, name)
    json_run = run(
        "diff", "--region", "jinfeng", "--on", ON, "--reading", reading, "--format", "json", name
    )

    assert table_run.status == 0, table_run.err
    assert "readings: secondary-vocational-subsidy=universal" in table_run.out
    assert "4 students: 1 gain, 0 lose, 3 unchanged" in table_run.out
    report = json.loads(json_run.out)
    assert report["before"]["readings"]["secondary-vocational-subsidy"] == "means-tested"
    assert report["after"]["readings"]["secondary-vocational-subsidy"] == "universal"
    assert report["cash_change"] == "3000.00"
    assert [r["id"] for r in report["largest_changes"]] == ["V1"]


def test_budget_under_a_reading_counts_the_cash_of_that_reading(workdir: Path) -> None:
    name = write_roster(workdir / "roster.jsonl", [*ROSTER, VOCATIONAL])
    plain = json.loads(
        run("budget", "--region", "jinfeng", "--on", ON, "--format", "json", name).out
    )
    universal = json.loads(
        run(
            "budget",
            "--region",
            "jinfeng",
            "--on",
            ON,
            "--reading",
            "secondary-vocational-subsidy=universal",
            "--format",
            "json",
            name,
        ).out
    )
    assert Decimal(universal["cash_total"]) - Decimal(plain["cash_total"]) == 3000
    assert universal["readings"]["secondary-vocational-subsidy"] == "universal"
    assert plain["readings"]["secondary-vocational-subsidy"] == "means-tested"


def test_diff_with_nothing_to_compare_with_says_what_to_give(workdir: Path) -> None:
    name = write_roster(workdir / "roster.jsonl", ROSTER)
    result = run("diff", "--region", "jinfeng", "--on", ON, name)
    assert result.status == 2
    assert "--reading ID=CHOICE" in result.err
    assert "--against-region REGION" in result.err


def test_diff_against_another_installed_region_compares_two_versions_of_a_plan(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two versions of one district's plan, each installed as a region of its own.
    site = workdir / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    install(
        site,
        plugin_source(f"[{region_spec('demo')}]"),
        version="1.0.0",
        files={"plan.toml": plan_toml(amount='"300.00"')},
    )
    install(
        site,
        plugin_source(f"[{region_spec('demo-next')}]"),
        version="2.0.0",
        files={"plan.toml": plan_toml(plan_id="demo-2019-next", amount='"350.00"')},
    )
    name = write_roster(workdir / "roster.jsonl", [POOR_PUPIL, record(id="P2", year=1)])

    result = run(
        "diff",
        "--region",
        "demo",
        "--against-region",
        "demo-next",
        "--on",
        ON,
        "--format",
        "json",
        name,
    )

    assert result.status == 0, result.err
    report = json.loads(result.out)
    assert (report["before"]["version"], report["after"]["version"]) == ("1.0.0", "2.0.0")
    assert report["after"]["plan"] == "demo-2019-next"
    assert report["cash_change"] == "100.00"
    assert report["by_stage"]["primary"]["gain"] == 2


def test_the_counts_of_the_tables_group_their_digits(workdir: Path) -> None:
    pupil = record(stage="primary", year=3, school_area="rural")
    name = write_roster(workdir / "roster.jsonl", [{**pupil, "id": f"P{n}"} for n in range(1200)])

    spent = run("budget", "--region", "jinfeng", "--on", ON, name)
    compared = run("diff", "--region", "jinfeng", "--on", ON, "--against", "2020-09-01", name)

    (stage,) = [line for line in spent.out.splitlines() if line.startswith("primary school")]
    assert stage.split()[-3:] == ["1,200", "CN¥0.00", "1,200"]
    (stage,) = [line for line in compared.out.splitlines() if line.startswith("primary school")]
    assert stage.split()[-3:] == ["0", "0", "1,200"]
