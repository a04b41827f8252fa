"""The benchmarks still run, and their paths still agree, at a small size.

The benchmark script compares the totals of ``aid_each``, ``aid_table`` and the numpy
reference before it times anything, and stops when they differ; here it runs at sizes
small enough for the test suite, so that a change that breaks it, or makes the three
disagree, fails the build rather than the next person who measures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
        "CLI jsonl, 300 records, records/s",
        "select from 40 teachers, ms",
        "cold import + load, whole process, ms",
    ):
        assert label in rows, done.stdout
