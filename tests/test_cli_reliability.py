"""No good record is lost: the command line evaluates every good record of a roster.

Bad records — broken JSON, numbers of thousands of digits, deep nesting, bad fields —
sit at the start, in the middle and at the end of every input format; each is reported
on standard error with its line or index, every good record is evaluated, and the exit
status is the documented 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clitools import run
from tests.conftest import record
from tests.fakedist import install, plan_toml, plugin_source

GOOD = [record(id=f"G{i}", household=["dibao"]) for i in range(5)]

BAD_LINES = {
    "broken JSON": '{"stage": "primary", "year": ',
    "a number of 5000 digits": '{"stage": "primary", "year": ' + "9" * 5000 + "}",
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "a bad field": json.dumps(record(id="B", year=0)),
    "not an object": "42",
}


def lines_with(bad: str, at: int) -> list[str]:
    lines = [json.dumps(r) for r in GOOD]
    lines.insert(at, bad)
    return lines


POSITIONS = {"start": 0, "middle": 3, "end": 5}


def evaluated_ids(out: str) -> list[str]:
    return [result["id"] for result in json.loads(out)]


@pytest.mark.parametrize("where", list(POSITIONS))
@pytest.mark.parametrize("kind", list(BAD_LINES))
@pytest.mark.parametrize("form", ["file.jsonl", "file.json", "stdin"])
def test_json_lines_with_a_bad_line_keep_every_good_record(
    workdir: Path, form: str, kind: str, where: str
) -> None:
    lines = lines_with(BAD_LINES[kind], POSITIONS[where])
    text = "\n".join(lines) + "\n"
    if form == "stdin":
        result = run(
            "aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "json", "-", stdin=text
        )
        name = "<stdin>"
    else:
        (workdir / form).write_text(text, encoding="utf-8")
        result = run("aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "json", form)
        name = form

    assert result.status == 1, result.err
    assert evaluated_ids(result.out) == [r["id"] for r in GOOD]
    line = POSITIONS[where] + 1
    assert f"{name}:{line}: " in result.err
    assert "1 record could not be evaluated" in result.err
    assert len(result.err) < 5_000


@pytest.mark.parametrize("where", list(POSITIONS))
def test_a_json_list_with_bad_records_keeps_every_good_record(workdir: Path, where: str) -> None:
    roster: list[object] = list(GOOD)
    roster.insert(POSITIONS[where], record(id="B", boarding="no"))
    (workdir / "roster.json").write_text(json.dumps(roster), encoding="utf-8")

    result = run(
        "aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "json", "roster.json"
    )

    assert result.status == 1
    assert evaluated_ids(result.out) == [r["id"] for r in GOOD]
    assert f"roster.json[{POSITIONS[where]}]: $.boarding: must be true or false" in result.err


def test_a_byte_order_mark_on_standard_input_is_not_part_of_the_records() -> None:
    text = "\ufeff" + "\n".join(json.dumps(r) for r in GOOD) + "\n"

    result = run(
        "aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "json", "-", stdin=text
    )

    assert result.status == 0, result.err
    assert evaluated_ids(result.out) == [r["id"] for r in GOOD]


@pytest.mark.slow
def test_text_the_terminal_cannot_encode_is_escaped_not_a_traceback(tmp_path: Path) -> None:
    # An unpaired surrogate in an id, through a real process writing to a pipe.
    (tmp_path / "odd.json").write_text(json.dumps([record(id="\ud800x")]), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPOLICY_")}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from edupolicy.cli import run; run()",
            "aid",
            "--region",
            "jinfeng",
            "--on",
            "2019-09-01",
            "--format",
            "json",
            "odd.json",
        ],
        cwd=tmp_path,
        capture_output=True,
        env=env,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    (result,) = json.loads(done.stdout)
    assert result["cash_total"] == "0.00"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_environment: None) -> Path:
    """A directory on ``sys.path`` to install fake distributions into."""
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_a_sample_roster_the_plugin_does_not_ship_is_a_clear_error(site: Path) -> None:
    install(
        site,
        plugin_source(
            "[RegionSpec.from_files(id='demo', name=Text(zh_CN='甲', en='A'), "
            "plan_files=[HERE / 'plan.toml'], sample_roster=HERE / 'missing.jsonl')]"
        ),
        entry_point="demo",
        files={"plan.toml": plan_toml(plan_id="demo-2019")},
    )

    result = run("aid", "--region", "demo", "--on", "2019-09-01", "--sample")

    assert result.status == 2
    assert result.err.startswith("error: Cannot read missing.jsonl: ")
