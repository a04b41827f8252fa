"""How fast edupolicy is, at every size: one record, a roster, a command line, a start.

Run ``python benchmarks/run.py`` (or ``nox -s benchmarks``).  It prints one table.  Each
row gives edupolicy's figure beside a plain reference measured in the same run, on the
same machine, and the multiple of the one by the other: on a busy machine the multiples
hold where absolute times do not.  The aim of each row (what the project
holds itself to on a 2-core machine) is printed beside it.

* **Per record** (µs): evaluating one student from a JSON-shaped dict, plainly and
  explained as JSON, and one teacher; beside ``json.loads`` of the record's text.
* **Rosters** (records per second, and the peak memory of the process): a roster
  evaluated lazily from a generator of dicts (``Policy.aid_each``) and as a pyarrow
  table (``edupolicy.columnar.aid_table``), at each size; beside a hand-written numpy
  version of the same schedule over the same Arrow table (``benchmarks/reference.py``).
  Each size runs in a fresh process, so that its peak memory is its own.
* **Dask** (seconds): ``aid_dask`` on a local cluster of two worker processes beside
  ``aid_frame`` in one process (``benchmarks/spread.py``).
* **Command line**: ``edupolicy aid --format jsonl`` over a JSON Lines file, records per
  second, peak memory and the time to the first line of output.
* **Teachers**: selecting a cohort from generated teachers.
* **Cold start** (ms): a whole fresh process that imports edupolicy and loads the Jinfeng
  region, beside a process that only imports the libraries it is built on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import reference

import edupolicy
from edupolicy.columnar import aid_record_batches, aid_table
from edupolicy_jinfeng import SAMPLE_ROSTER

REGION = "jinfeng"
ON = dt.date(2019, 9, 1)
HERE = Path(__file__).resolve().parent

#: The cold-start reference: the libraries edupolicy is built on, imported alone.
COLD_REFERENCE = "import attrs, cattrs, babel.numbers, babel.dates, babel.support, pluggy"
COLD_STATEMENT = f'import edupolicy; edupolicy.load("{REGION}")'
#: The rows of a record batch in the batch row: as many as a Spark task's batches may have.
BATCH_ROWS = 125_000
#: Timings of each column row, of which the shortest is shown: on a shared machine one
#: run can take twice another.
COLUMN_RUNS = 3


def sample() -> list[dict[str, Any]]:
    """The region's sample students, as JSON-shaped dicts."""
    text = SAMPLE_ROSTER.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def students(size: int) -> Iterator[dict[str, Any]]:
    """``size`` students: the sample over and over, each with an id of its own."""
    base = sample()
    for index in range(size):
        yield {**base[index % len(base)], "id": f"S{index}"}


def teachers(size: int, seed: int = 1) -> list[dict[str, Any]]:
    """``size`` teachers with one to three postings each, rural or urban, since 1980."""
    rng = random.Random(seed)
    found = []
    for index in range(size):
        day = dt.date(1980, 1, 1) + dt.timedelta(days=rng.randrange(12_000))
        service: list[dict[str, str | None]] = []
        for _ in range(rng.randrange(1, 4)):
            end = day + dt.timedelta(days=rng.randrange(300, 4_000))
            area = rng.choice(["rural", "urban"])
            service.append({"school_area": area, "start": day.isoformat(), "end": end.isoformat()})
            day = end + dt.timedelta(days=rng.randrange(1, 200))
        service[-1]["end"] = None
        found.append(
            {
                "id": f"T{index}",
                "title": rng.choice(["none", "junior", "intermediate", "senior"]),
                "service": service,
                "meets_title_criteria": rng.random() < 0.5,
                "outstanding": rng.random() < 0.2,
            }
        )
    return found


def per_call(work: Callable[[], object], calls: int, repeat: int) -> float:
    """The median time of one of ``calls`` calls that ``work`` makes, in µs."""
    timer = timeit.Timer(work)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(run / number / calls * 1e6 for run in runs)


def peak_mib() -> float:
    """The peak resident memory of this process so far, in MiB.

    Read from ``VmHWM`` where Linux gives it: unlike ``ru_maxrss``, it is the process's
    own since it started, not also that of the process it was started from.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- work done in a fresh process, one size at a time ---------------------------------------


def child(kind: str, size: int) -> dict[str, Any]:
    """Run one roster benchmark of ``size`` records here; its seconds and peak MiB."""
    policy = edupolicy.load(REGION)
    if kind == "numpy":
        table = roster_table(size)
        schedule = policy.plan_on(ON).aid
        reference.aid_columns(schedule, roster_table(100))  # warm, as the others are
        seconds, answer = best_of(COLUMN_RUNS, lambda: reference.aid_columns(schedule, table))
        checksum = int(np.sum(answer.fen))
        digest = _digest(answer.rules, answer.waivers)
    elif kind == "batch":
        for warm in policy.aid_each(sample(), ON):
            assert not isinstance(warm, edupolicy.Rejected)
        start = time.perf_counter()
        fen = 0
        for result in policy.aid_each(students(size), ON):
            if isinstance(result, edupolicy.Rejected):
                raise SystemExit(f"rejected: {result.error}")
            fen += int(result.cash_total * 100)
        seconds = time.perf_counter() - start
        checksum = fen
    elif kind == "columnar":
        table = roster_table(size)
        aid_table(policy, roster_table(100), ON)  # warm: the first call loads pyarrow's kernels
        seconds, out = best_of(COLUMN_RUNS, lambda: aid_table(policy, table, ON))
        cash = pc.sum(out.column("cash_total")).as_py()
        checksum = int(cash * 100) if cash is not None else 0
        digest = _digest(out.column("rules"), out.column("waivers"))
        del out
        # Batch by batch, as Spark and Ray hand them over, each answer kept.
        batches = table.to_batches(max_chunksize=BATCH_ROWS)
        in_batches, _ = best_of(
            COLUMN_RUNS, lambda: list(aid_record_batches(batches, policy=policy, on=ON))
        )
    elif kind == "cli":
        with tempfile.TemporaryDirectory() as folder:
            return command_line(size, Path(folder))
    else:
        raise SystemExit(f"unknown benchmark {kind}")
    found: dict[str, Any] = {"seconds": seconds, "peak_mib": peak_mib(), "checksum": checksum}
    if kind in ("numpy", "columnar"):
        found["digest"] = digest
    if kind == "columnar":
        found["in_batches"] = in_batches
    return found


T = TypeVar("T")


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """The shortest of ``runs`` timings of ``work``, and what it gave (each earlier
    answer let go before the next run, so that the peak memory is that of one)."""
    best = float("inf")
    found: T | None = None
    for _ in range(runs):
        found = None
        start = time.perf_counter()
        found = work()
        best = min(best, time.perf_counter() - start)
    assert found is not None
    return best, found


def roster_table(size: int) -> pa.Table:
    """``size`` students as a host holds them in Arrow: the sample roster repeated, every
    field given, the stage, area and id as text and the household a list of text."""
    full = {"boarding": False, "household": [], "orphan": False, "disabled": False}
    one = pa.Table.from_pylist([{**full, **r} for r in sample()]).drop_columns("id")
    table = one.take(np.arange(size) % one.num_rows)
    join: Any = pc.binary_join_element_wise
    ids = join("S", pa.array(np.arange(size)).cast(pa.string()), "")
    return table.append_column("id", ids)


def _digest(rules: Any, waivers: Any) -> dict[str, dict[str, int]]:
    """How many students each rule applied to, and each fee was waived for."""

    def counts(lists: Any) -> dict[str, int]:
        found = pc.value_counts(pc.list_flatten(lists)).to_pylist()
        return {str(c["values"]): int(c["counts"]) for c in found}

    return {"rules": counts(rules), "waivers": counts(waivers)}


def in_fresh_process(kind: str, size: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(HERE / "run.py"), "--child", kind, str(size)],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


#: The command line, run as its console script runs it; it then writes its own peak
#: memory to a file named by ``EDUPOLICY_BENCHMARK_PEAK``.
_CLI_CHILD = """\
import os, sys
from pathlib import Path
from edupolicy.cli import run
try:
    code = run()
except SystemExit as exit:
    code = exit.code
status = Path("/proc/self/status")
peak = next(
    (int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM:")),
    0,
) if status.exists() else 0
Path(os.environ["EDUPOLICY_BENCHMARK_PEAK"]).write_text(str(peak))
sys.exit(code)
"""


def command_line(size: int, folder: Path) -> dict[str, float]:
    """``edupolicy aid --format jsonl`` over ``size`` records: seconds, first line, peak."""
    path = folder / f"students-{size}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for record in students(size):
            out.write(json.dumps(record) + "\n")
    command = [
        sys.executable,
        "-c",
        _CLI_CHILD,
        "aid",
        "--region",
        REGION,
        "--on",
        ON.isoformat(),
        "--format",
        "jsonl",
        str(path),
    ]
    peak_file = folder / "peak"
    env = {**os.environ, "EDUPOLICY_BENCHMARK_PEAK": str(peak_file)}
    start = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    ) as proc:
        assert proc.stdout is not None
        proc.stdout.readline()
        first = time.perf_counter() - start
        lines = 1
        for _line in proc.stdout:
            lines += 1
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or lines != size:
        raise SystemExit(f"the command line failed ({proc.returncode}, {lines} lines)")
    peak = int(peak_file.read_text() or 0) / 1024
    if not peak:  # no /proc: the children's peak, which may count this process's too
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "first": first, "peak_mib": peak}


def whole_process(statement: str, runs: int) -> float:
    """The median wall time, in ms, of a fresh ``python -c statement`` process.

    One unmeasured run first, allowed to write bytecode, so that every measured run
    finds it, as an installed package does.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", statement], check=True, env=env)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, env=env)
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


# --- the table ------------------------------------------------------------------------------

Row = tuple[str, str, str, str, str]


def _ratio(value: float, reference: float) -> str:
    return f"{value / reference:.1f}" if reference else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="roster sizes, comma-separated (default: 10000,100000,1000000)",
    )
    parser.add_argument(
        "--cli-size", type=int, default=1_000_000, help="records for the command line"
    )
    parser.add_argument(
        "--dask-size",
        type=int,
        default=None,
        help="records for the Dask rows (default: the largest size, at most 10^6; 0: none)",
    )
    parser.add_argument("--teachers", type=int, default=10_000, help="candidates to select from")
    parser.add_argument("--repeat", type=int, default=7, help="timings per figure (default: 7)")
    parser.add_argument(
        "--processes", type=int, default=7, help="fresh processes per cold start (default: 7)"
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0
    sizes = [int(float(size)) for size in args.sizes.split(",")]

    rows: list[Row] = []

    def row(what: str, value: str, reference: str, ratio: str, aim: str) -> None:
        rows.append((what, value, reference, ratio, aim))
        print(f"{what:<46}{value:>14}{reference:>14}{ratio:>8}   {aim}", flush=True)

    print(
        f"edupolicy {edupolicy.__version__}, Python {platform.python_version()}, "
        f"region {REGION} on {ON.isoformat()}"
    )
    print(f"{'':<46}{'edupolicy':>14}{'reference':>14}{'× ref':>8}   aim")

    # Per record.
    policy = edupolicy.load(REGION)
    records = sample()
    texts = [json.dumps(record) for record in records]
    count = len(records)
    base = per_call(lambda: [json.loads(text) for text in texts], count, args.repeat)
    plain = per_call(lambda: [policy.aid(r, ON) for r in records], count, args.repeat)
    explained = per_call(
        lambda: [policy.aid(r, ON, explain=True).to_json() for r in records], count, args.repeat
    )
    row("one student from a dict, µs", f"{plain:.1f}", f"{base:.1f}", _ratio(plain, base), "≤ 5")
    row(
        "one student, explained, as JSON, µs",
        f"{explained:.1f}",
        f"{base:.1f}",
        _ratio(explained, base),
        "≤ 50",
    )
    staff = teachers(200)
    one_teacher = per_call(lambda: [policy.teacher(t, ON) for t in staff], len(staff), 3)
    row("one teacher from a dict, µs", f"{one_teacher:.1f}", f"{base:.1f}", "-", "")

    # Rosters, each size in a fresh process.
    for size in sizes:
        numpy = in_fresh_process("numpy", size)
        for kind, label in (("batch", "aid_each"), ("columnar", "aid_table")):
            found = in_fresh_process(kind, size)
            if found["checksum"] != numpy["checksum"]:
                raise SystemExit(f"{kind} at {size}: the totals differ from the reference")
            if "digest" in found and found["digest"] != numpy["digest"]:
                raise SystemExit(f"{kind} at {size}: the rules differ from the reference")
            rate = size / found["seconds"]
            reference_rate = size / numpy["seconds"]
            aim = "≤ 2× ref" if kind == "columnar" and size == 1_000_000 else ""
            row(
                f"{label}, {size:,} records, records/s",
                f"{rate:,.0f}",
                f"{reference_rate:,.0f}",
                _ratio(reference_rate, rate),
                aim,
            )
            row(
                f"{label}, {size:,} records, peak MiB",
                f"{found['peak_mib']:.0f}",
                f"{numpy['peak_mib']:.0f}",
                "-",
                "",
            )
            if "in_batches" in found:
                batch_rate = size / found["in_batches"]
                row(
                    f"aid_record_batches, {size:,}, batches of {BATCH_ROWS:,}, records/s",
                    f"{batch_rate:,.0f}",
                    f"{reference_rate:,.0f}",
                    _ratio(reference_rate, batch_rate),
                    "",
                )

    # Dask on a local cluster, beside aid_frame in one process.
    dask_size = args.dask_size if args.dask_size is not None else min(max(sizes), 1_000_000)
    if dask_size:
        done = subprocess.run(
            [sys.executable, str(HERE / "spread.py"), str(dask_size)],
            check=True,
            capture_output=True,
            text=True,
            cwd=HERE.parent,
        )
        spread = json.loads(done.stdout)
        row(
            f"aid_frame, one process, {dask_size:,}, first call, s",
            f"{spread['first']:.2f}",
            f"{spread['in_process']:.2f}",
            _ratio(spread["first"], spread["in_process"]),
            "",
        )
        for what, label in (
            ("evaluated", "evaluated, kept on the workers"),
            ("collected", "collected by the client"),
            ("summed", "cash_total.sum()"),
        ):
            row(
                f"aid_dask, 2 workers, {dask_size:,}, {label}, s",
                f"{spread[what]:.2f}",
                f"{spread['in_process']:.2f}",
                _ratio(spread[what], spread["in_process"]),
                "",
            )

    # The command line, from a fresh process whose only child it is.
    cli = in_fresh_process("cli", args.cli_size)
    row(
        f"CLI jsonl, {args.cli_size:,} records, records/s",
        f"{args.cli_size / cli['seconds']:,.0f}",
        "",
        "-",
        "≥ 50,000",
    )
    row(
        f"CLI jsonl, {args.cli_size:,} records, peak MiB",
        f"{cli['peak_mib']:.0f}",
        "",
        "-",
        "< 100",
    )
    row("CLI jsonl, first line of output, s", f"{cli['first']:.2f}", "", "-", "")

    # Teachers.
    candidates = teachers(args.teachers)
    start = time.perf_counter()
    policy.select("sanatorium", candidates, year=2019)
    selection = (time.perf_counter() - start) * 1e3
    row(f"select from {args.teachers:,} teachers, ms", f"{selection:.0f}", "", "-", "≤ 50")

    # Cold start.
    cold = whole_process(COLD_STATEMENT, args.processes)
    reference = whole_process(COLD_REFERENCE, args.processes)
    empty = whole_process("pass", args.processes)
    row(
        "cold import + load, whole process, ms",
        f"{cold:.0f}",
        f"{reference:.0f}",
        _ratio(cold, reference),
        "≤ 80",
    )
    row("empty Python process, ms", f"{empty:.0f}", "", "-", "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
