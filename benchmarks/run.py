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
import csv
import datetime as dt
import hashlib
import importlib.util
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
import plain
import pyarrow as pa
import pyarrow.compute as pc
import reference

import edupolicy
from edupolicy.columnar import aid_record_batches, aid_table
from edupolicy_jinfeng import SAMPLE_ROSTER

REGION = "jinfeng"
ON = dt.date(2019, 9, 1)
HERE = Path(__file__).resolve().parent

#: The cold-start floors: the libraries edupolicy is built on, imported alone — all of
#: them (the command line formats money with Babel), those a load imports, and attrs.
COLD_REFERENCE = "import attrs, cattrs, babel.numbers, babel.dates, babel.support, pluggy"
COLD_LOAD_LIBRARIES = "import attrs, cattrs, pluggy"
COLD_ATTRS = "import attrs"
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
    """The median CPU time of one of ``calls`` calls that ``work`` makes, in µs.

    CPU time, not wall time: on a busy machine the wall time of a few microseconds says
    more about the other processes than about the work.
    """
    timer = timeit.Timer(work, timer=time.process_time)
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


#: A command run as its console script runs it (or the plain script, ``plain.py``, or the
#: OpenFisca batch, ``openfisca_batch.py``); it
#: then writes its own peak memory to a file named by ``EDUPOLICY_BENCHMARK_PEAK``.
_CHILD = """\
import os, runpy, sys
from pathlib import Path
try:
    if sys.argv[1] in ("plain", "openfisca"):
        script = os.environ["EDUPOLICY_BENCHMARK_" + sys.argv[1].upper()]
        sys.argv = sys.argv[1:]
        sys.path.insert(0, os.path.dirname(script))  # as ``python script`` would
        runpy.run_path(script, run_name="__main__")
        code = 0
    else:
        from edupolicy.cli import run
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

#: The commands timed over a roster: name → the command's arguments but the file.
_ON = ["--region", REGION, "--on", ON.isoformat()]
COMMANDS: dict[str, list[str]] = {
    "plain": [],
    "aid jsonl": ["aid", *_ON, "--format", "jsonl"],
    "aid table": ["aid", *_ON],
    "aid csv in, jsonl out": ["aid", *_ON, "--format", "jsonl"],
    "budget": ["budget", *_ON],
    "diff": ["diff", *_ON, "--against", "2020-06-01"],
    "teacher jsonl": ["teacher", *_ON, "--format", "jsonl"],
}
#: The scripts run in place of a command, over the rules data: name → their file.
SCRIPTS = {"plain": HERE / "plain.py", "openfisca": HERE / "openfisca_batch.py"}
#: Whether the OpenFisca batch can run here (``openfisca-core``, which ``nox -s
#: benchmarks`` installs): its rows are left out where it cannot.
HAS_OPENFISCA = importlib.util.find_spec("openfisca_core") is not None
if HAS_OPENFISCA:
    COMMANDS["openfisca"] = []


def command_line(size: int, folder: Path) -> dict[str, float]:
    """Each of :data:`COMMANDS` over ``size`` records: seconds, first line, peak MiB."""
    path = folder / f"students-{size}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for record in students(size):
            out.write(json.dumps(record) + "\n")
    table = folder / f"students-{size}.csv"
    with table.open("w", encoding="utf-8", newline="") as out:
        write = csv.writer(out).writerow
        columns = ["id", "stage", "year", "school_area", "boarding", "household", "orphan"]
        write([*columns, "disabled"])
        for record in students(size):
            row = [record.get(c, "") for c in (*columns, "disabled")]
            write([";".join(v) if isinstance(v, list) else _cell(v) for v in row])
    staff = folder / f"teachers-{size}.jsonl"
    with staff.open("w", encoding="utf-8") as out:
        for teacher in teachers(size):
            out.write(json.dumps(teacher) + "\n")
    rules = folder / "rules.json"
    rules.write_text(
        json.dumps(reference.rules_data(edupolicy.load(REGION), ON), ensure_ascii=False),
        encoding="utf-8",
    )
    found: dict[str, float] = {}
    digests: dict[str, str] = {}
    for name, argv in COMMANDS.items():
        if name in SCRIPTS:
            argv = [name, str(rules)]
        source = {"teacher jsonl": staff, "aid csv in, jsonl out": table}.get(name, path)
        whole = name in ("aid table", "budget", "diff")  # not a line per record
        digest = hashlib.sha256() if name in ("plain", "aid jsonl", "openfisca") else None
        figures = _run_command([*argv, str(source)], folder, size, whole=whole, digest=digest)
        found.update({f"{name}|{key}": value for key, value in figures.items()})
        if digest is not None:
            digests[name] = digest.hexdigest()
    if len(set(digests.values())) != 1:
        raise SystemExit(f"the command line, the plain script and OpenFisca differ: {digests}")
    return found


def _cell(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _run_command(
    argv: list[str], folder: Path, size: int, *, whole: bool, digest: Any = None
) -> dict[str, float]:
    """One command over ``size`` records: its seconds, CPU seconds, first line and peak
    MiB; its output's lines are added to ``digest`` (a hashlib object), if given."""
    command = [sys.executable, "-c", _CHILD, *argv]
    peak_file = folder / "peak"
    env = {
        **os.environ,
        "EDUPOLICY_BENCHMARK_PEAK": str(peak_file),
        **{f"EDUPOLICY_BENCHMARK_{name.upper()}": str(path) for name, path in SCRIPTS.items()},
    }
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    ) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        first = time.perf_counter() - start
        lines = 1
        if digest is not None:
            digest.update(line)
            for line in proc.stdout:
                lines += 1
                digest.update(line)
        else:
            for _line in proc.stdout:
                lines += 1
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or (lines != size and not whole):
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}, {lines} lines)")
    peak = int(peak_file.read_text() or 0) / 1024
    if not peak:  # no /proc: the children's peak, which may count this process's too
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = done.ru_utime - used.ru_utime + done.ru_stime - used.ru_stime
    return {"seconds": seconds, "cpu": cpu, "first": first, "peak_mib": peak}


def whole_process(statement: str, runs: int, *argv: str) -> tuple[float, float]:
    """The median wall time and the median CPU time, in ms, of a fresh
    ``python -c statement ARGV`` process.

    One unmeasured run first, allowed to write bytecode and to keep what edupolicy keeps
    between processes (the plan data, the installed plugins), so that every measured run
    finds them, as on a host that has run edupolicy before.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-c", statement, *argv]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    walls, cpus = [], []
    for _ in range(runs):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        walls.append((time.perf_counter() - start) * 1e3)
        done = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((done.ru_utime - used.ru_utime + done.ru_stime - used.ru_stime) * 1e3)
    return statistics.median(walls), statistics.median(cpus)


# --- the table ------------------------------------------------------------------------------

Row = tuple[str, str, str, str, str]


def _ratio(value: float, reference: float) -> str:
    return f"{value / reference:.1f}" if reference else "-"


def cold_start(
    processes: int, record: dict[str, Any], row: Callable[[str, str, str, str, str], None]
) -> None:
    """The cold-start rows: whole processes, beside an empty one; compared by CPU time."""
    empty = whole_process("pass", processes)
    with tempfile.TemporaryDirectory() as folder:
        one = Path(folder) / "one.json"
        one.write_text(json.dumps(record), encoding="utf-8")
        starts = {
            "cold import + load, whole process": whole_process(COLD_STATEMENT, processes),
            "cold edupolicy aid of one record": whole_process(
                "from edupolicy.cli import run; run()",
                processes,
                *COMMANDS["aid jsonl"],
                str(one),
            ),
            "import attrs, cattrs, Babel, pluggy alone": whole_process(COLD_REFERENCE, processes),
            "import attrs, cattrs, pluggy alone": whole_process(COLD_LOAD_LIBRARIES, processes),
            "import attrs alone": whole_process(COLD_ATTRS, processes),
        }
    aims = {
        "cold import + load, whole process": "≤ 5× ref",
        "cold edupolicy aid of one record": "≤ 6× ref",
    }
    for label, (wall, cpu) in starts.items():
        row(
            f"{label}, ms (CPU ms)",
            f"{wall:.0f} ({cpu:.0f})",
            f"{empty[0]:.0f} ({empty[1]:.0f})",
            _ratio(cpu, empty[1]),
            aims.get(label, ""),
        )
    row("empty Python process, ms (CPU ms)", f"{empty[0]:.0f} ({empty[1]:.0f})", "", "-", "")


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
    parser.add_argument("--cold-start-only", action="store_true", help="only the cold-start rows")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0
    sizes = [int(float(size)) for size in args.sizes.split(",")]

    rows: list[Row] = []

    def row(what: str, value: str, reference: str, ratio: str, aim: str) -> None:
        rows.append((what, value, reference, ratio, aim))
        print(f"{what:<56}{value:>16}{reference:>16}{ratio:>8}   {aim}", flush=True)

    print(
        f"edupolicy {edupolicy.__version__}, Python {platform.python_version()}, "
        f"region {REGION} on {ON.isoformat()}"
    )
    print(f"{'':<56}{'edupolicy':>16}{'reference':>16}{'× ref':>8}   aim")
    if args.cold_start_only:
        cold_start(args.processes, sample()[0], row)
        return 0

    # Per record.
    policy = edupolicy.load(REGION)
    records = sample()
    count = len(records)
    by_hand = plain.aid_function(reference.rules_data(policy, ON)["rules"])
    for record in records:  # the plain function gives edupolicy's answer
        fen, _applied = by_hand(record)
        if fen != int(policy.aid(record, ON).cash_total * 100):
            raise SystemExit(f"the plain function differs on {record}")
    base = per_call(lambda: [by_hand(r) for r in records], count, args.repeat)
    plain_aid = per_call(lambda: [policy.aid(r, ON) for r in records], count, args.repeat)
    results = [policy.aid(r, ON) for r in records]
    as_json = per_call(lambda: [r.to_json() for r in results], count, args.repeat)
    explained = per_call(
        lambda: [policy.aid(r, ON, explain=True).to_json() for r in records], count, args.repeat
    )
    row(
        "one student from a dict, µs",
        f"{plain_aid:.1f}",
        f"{base:.1f}",
        _ratio(plain_aid, base),
        "≤ 8× ref",
    )
    row(
        "its result's to_json(), µs",
        f"{as_json:.1f}",
        f"{plain_aid:.1f}",
        _ratio(as_json, plain_aid),
        "≤ 1× ref",
    )
    row(
        "one student, explained, as JSON, µs",
        f"{explained:.1f}",
        f"{base:.1f}",
        _ratio(explained, base),
        "≤ 50 µs",
    )
    staff = teachers(200)
    one_teacher = per_call(lambda: [policy.teacher(t, ON) for t in staff], len(staff), 3)
    row(
        "one teacher from a dict, µs",
        f"{one_teacher:.1f}",
        f"{plain_aid:.1f}",
        _ratio(one_teacher, plain_aid),
        "≤ 2× ref",
    )

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

    # The command line, from a fresh process whose only child it is: each command
    # against the plain streaming script (plain.py) over the same roster.
    size = args.cli_size
    cli = in_fresh_process("cli", size)

    def both(name: str) -> str:
        return f"{cli[name + '|seconds']:.2f} ({cli[name + '|cpu']:.2f})"

    reference_cpu = cli["plain|cpu"]
    aims = {
        "aid jsonl": "≤ 1.3× ref",
        "aid table": "≤ 1.6× ref",
        "aid csv in, jsonl out": "≤ 1.3× ref",
    }
    row(f"plain streaming script, {size:,} records, s (CPU s)", both("plain"), "", "-", "")
    for name in COMMANDS:
        if name in ("plain", "openfisca", "teacher jsonl"):
            continue
        row(
            f"CLI {name}, {size:,} records, s (CPU s)",
            both(name),
            both("plain"),
            _ratio(cli[f"{name}|cpu"], reference_cpu),
            aims.get(name, ""),
        )
    if HAS_OPENFISCA:
        row(
            f"OpenFisca batch script, {size:,} records, s (CPU s)",
            both("openfisca"),
            both("plain"),
            _ratio(cli["openfisca|cpu"], reference_cpu),
            "",
        )
        row(
            f"CLI aid jsonl against OpenFisca, {size:,} records, s (CPU s)",
            both("aid jsonl"),
            both("openfisca"),
            _ratio(cli["aid jsonl|cpu"], cli["openfisca|cpu"]),
            "≤ 0.33× ref",
        )
        row(
            f"OpenFisca batch script, {size:,} records, peak MiB",
            f"{cli['openfisca|peak_mib']:.0f}",
            f"{cli['plain|peak_mib']:.0f}",
            "-",
            "",
        )
    row(
        f"CLI teacher jsonl, {size:,} teachers, s (CPU s)",
        both("teacher jsonl"),
        both("aid jsonl"),
        _ratio(cli["teacher jsonl|cpu"], cli["aid jsonl|cpu"]),
        "≈ 1× CLI aid",
    )
    row(
        f"CLI aid jsonl, {size:,} records, peak MiB",
        f"{cli['aid jsonl|peak_mib']:.0f}",
        f"{cli['plain|peak_mib']:.0f}",
        "-",
        "< 100",
    )
    row(
        "CLI aid jsonl, first line of output, s",
        f"{cli['aid jsonl|first']:.2f}",
        f"{cli['plain|first']:.2f}",
        "-",
        "",
    )

    # Teachers.
    candidates = teachers(args.teachers)
    policy.select("sanatorium", candidates[:50], year=2019)  # warm
    selection = min(
        timeit.Timer(
            lambda: policy.select("sanatorium", candidates, year=2019), timer=time.process_time
        ).repeat(3, 1)
    )
    row(
        f"select from {args.teachers:,} teachers, CPU ms",
        f"{selection * 1e3:.0f}",
        "",
        "-",
        "≤ 50",
    )

    cold_start(args.processes, records[0], row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
