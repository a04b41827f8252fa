"""The benchmarks still run, and their paths still agree, at a small size.

The benchmark script compares the totals of ``aid_each``, ``aid_table`` and the numpy
reference before it times anything, and stops when they differ; here it runs at sizes
small enough for the test suite, so that a change that breaks it, or makes the three
disagree, fails the build rather than the next person who measures.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import edupolicy
from edupolicy.analysis import student_space
from edupolicy.cli import main

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


@pytest.mark.slow
@pytest.mark.skipif(not SCRIPT.exists(), reason="the benchmarks are not in this tree")
def test_the_benchmark_table_is_printed_at_a_small_size() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sizes",
            "500,2000",
            "--cli-size",
            "300",
            "--teachers",
            "40",
            "--repeat",
            "2",
            "--processes",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split("  ")[0] for line in done.stdout.splitlines()]
    for label in (
        "one student from a dict, µs",
        "aid_each, 2,000 records, records/s",
        "aid_table, 2,000 records, records/s",
        "aid_dask, 2 workers, 2,000, cash_total.sum(), s",
        "CLI aid jsonl, 300 records, s (CPU s)",
        "CLI teacher jsonl, 300 teachers, s (CPU s)",
        "cold edupolicy aid of one record, ms (CPU ms)",
        "select from 40 teachers, CPU ms",
        "cold import + load, whole process, ms (CPU ms)",
    ):
        assert label in rows, done.stdout


@pytest.mark.slow
@pytest.mark.skipif(not SCRIPT.exists(), reason="the benchmarks are not in this tree")
def test_the_plain_script_writes_what_the_command_line_writes(tmp_path: Path) -> None:
    # The command line is measured against the plain script: both must do the same
    # work, down to the byte, for every kind of student the plan can meet.
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import reference
    finally:
        sys.path.remove(str(SCRIPT.parent))
    policy = edupolicy.load("jinfeng")
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(reference.rules_data(policy, "2019-09-01"), ensure_ascii=False),
        encoding="utf-8",
    )
    roster = tmp_path / "roster.jsonl"
    plan = policy.plan_on("2019-09-01")
    with roster.open("w", encoding="utf-8") as file:
        for index, student in enumerate(student_space(plan)):
            file.write(json.dumps({**edupolicy.unstructure(student), "id": f"S{index}"}) + "\n")
    by_hand = subprocess.run(
        [sys.executable, str(SCRIPT.parent / "plain.py"), str(rules), str(roster)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out = io.StringIO()
    argv = ["aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "jsonl"]
    assert main([*argv, str(roster)], stdout=out, stderr=io.StringIO()) == 0
    assert by_hand.count("\n") == len(list(student_space(plan)))
    assert by_hand == out.getvalue()
