"""How long edupolicy takes: per student, and to start.

Run ``python benchmarks/run.py``.  It prints, for the sample roster of the Jinfeng
region evaluated on one date:

* the time to evaluate one student from a JSON-shaped dict (what a host sends), from a
  prebuilt :class:`edupolicy.Student`, from a dict with ``explain=True``, and the time
  of ``edupolicy.structure(dict, Student)`` alone, in microseconds per student;
* the time of ``import edupolicy`` and of ``import edupolicy; edupolicy.load("jinfeng")``
  in a fresh Python process, measured inside that process, in milliseconds.

Each figure is the median (and the 90th percentile) over repeated measurements, shown
beside a plain reference measured in the same run — ``json.loads`` of each student's
JSON text, and importing the libraries edupolicy is built on — and as a multiple of
it: on a shared, noisy machine the multiples hold where absolute times do not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable, Sequence
from typing import Any

import edupolicy
from edupolicy_jinfeng import SAMPLE_ROSTER

REGION = "jinfeng"
ON = dt.date(2019, 9, 1)

#: Run in a fresh interpreter: print the seconds the statement took.
_CHILD = """\
import time
start = time.perf_counter()
{statement}
print(time.perf_counter() - start)
"""

#: The cold-start reference: the libraries edupolicy is built on, imported alone.
COLD_REFERENCE = (
    "reference: import attrs, cattrs, babel, pluggy",
    "import attrs, cattrs, babel.numbers, babel.dates, pluggy",
)

COLD_STATEMENTS = (
    ("import edupolicy", "import edupolicy"),
    (
        f'import edupolicy; edupolicy.load("{REGION}")',
        f'import edupolicy\nedupolicy.load("{REGION}")',
    ),
)


def roster() -> list[dict[str, Any]]:
    """The region's sample students, as JSON-shaped dicts."""
    text = SAMPLE_ROSTER.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def summary(samples: Sequence[float]) -> tuple[float, float]:
    """The median and the 90th percentile of ``samples``."""
    p90 = statistics.quantiles(samples, n=10, method="inclusive")[-1]
    return statistics.median(samples), p90


def per_student(work: Callable[[], object], students: int, repeat: int) -> tuple[float, float]:
    """Median and p90, in µs, of one call of ``work`` divided among ``students``."""
    timer = timeit.Timer(work)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=repeat, number=number)
    return summary([run / number / students * 1e6 for run in runs])


def cold(statement: str, runs: int) -> tuple[float, float]:
    """Median and p90, in ms, of ``statement`` in a fresh interpreter, timed inside it."""
    code = _CHILD.format(statement=statement)
    # One run first, so that compiled bytecode is cached and every measured run is alike.
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
        samples.append(float(done.stdout) * 1e3)
    return summary(samples)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15, help="timings per figure (default: 15)")
    parser.add_argument(
        "--processes", type=int, default=10, help="fresh processes per cold start (default: 10)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 2 or args.processes < 2:
        parser.error("--repeat and --processes must be at least 2")

    policy = edupolicy.load(REGION)
    records = roster()
    students = [edupolicy.structure(record, edupolicy.Student) for record in records]
    count = len(records)

    def from_dicts() -> None:
        for record in records:
            policy.aid(record, ON)

    def from_students() -> None:
        for student in students:
            policy.aid(student, ON)

    def explained() -> None:
        for record in records:
            policy.aid(record, ON, explain=True)

    def parse_only() -> None:
        for record in records:
            edupolicy.structure(record, edupolicy.Student)

    texts = [json.dumps(record) for record in records]

    def reference() -> None:
        for text in texts:
            json.loads(text)

    print(
        f"edupolicy {edupolicy.__version__}, Python {platform.python_version()}, "
        f"region {REGION} on {ON.isoformat()}, {count} sample students"
    )
    print()
    print(f"{'per student, µs':<48}{'median':>10}{'p90':>10}{'× ref':>10}")
    base, base_p90 = per_student(reference, count, args.repeat)
    print(f"{'reference: json.loads(record text)':<48}{base:>10.1f}{base_p90:>10.1f}{1:>10.1f}")
    cases: list[tuple[str, Callable[[], None]]] = [
        ("policy.aid(dict, on)", from_dicts),
        ("policy.aid(Student, on)", from_students),
        ("policy.aid(dict, on, explain=True)", explained),
        ("edupolicy.structure(dict, Student)", parse_only),
    ]
    for label, work in cases:
        median, p90 = per_student(work, count, args.repeat)
        print(f"{label:<48}{median:>10.1f}{p90:>10.1f}{median / base:>10.1f}")
    print()
    print(f"{'cold start in a fresh process, ms':<48}{'median':>10}{'p90':>10}{'× ref':>10}")
    label, statement = COLD_REFERENCE
    base, base_p90 = cold(statement, args.processes)
    print(f"{label:<48}{base:>10.1f}{base_p90:>10.1f}{1:>10.1f}")
    for label, statement in COLD_STATEMENTS:
        median, p90 = cold(statement, args.processes)
        print(f"{label:<48}{median:>10.1f}{p90:>10.1f}{median / base:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
