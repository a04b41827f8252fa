"""The command line streams a roster: each result is out as its record is evaluated.

``--format jsonl`` writes one JSON object per line, ``result.to_json(locale)``; JSON
Lines and CSV are read one line at a time, and the first result is written (and
flushed) before the rest of the input is read.  Memory stays flat whatever the
length of the roster.  A progress bar is drawn on standard error only when it is a
terminal (``--no-progress`` turns it off), and the closing summary — records read,
evaluated, rejected, and the cash in all — is shown then, or with ``--summary``.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import operator
import os
import selectors
import struct
import subprocess
import sys
import termios
import threading
import time
import tracemalloc
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy import EdupolicyError
from edupolicy.aid import AidResult, Student
from edupolicy.cli import main
from edupolicy.cli._results import ByOutcome, _line
from edupolicy.cli.aid import _describe_student, _result_lines
from edupolicy.i18n import Count, _n
from edupolicy.io import structure
from edupolicy.io.views import DATE, Integer, Member, Of, View, member
from tests.clitools import Run, run
from tests.conftest import record
from tests.profiles import scaled
from tests.strategies import inputs, students, teachers

pytestmark = pytest.mark.usefixtures("plain_environment")

ON = "2019-09-01"
DAY = dt.date(2019, 9, 1)
SAMPLE = (
    Path(__file__).resolve().parent.parent / "src" / "edupolicy_jinfeng" / "samples"
).resolve()
#: The Jinfeng policy (the hypothesis tests take no fixture: its repr is long).
POLICY = edupolicy.load("jinfeng")
YEARS = {stage.value: years for stage, years in POLICY.plan_on(DAY).stage_years.items()}

#: A roster of every kind of outcome the sample has, each id its own.
ROSTER = [
    record(id="P1", year=3, household=["dibao"]),
    record(id="J1", stage="junior_secondary", year=2, boarding=True, household=["dibao"]),
    record(id="U1", stage="senior_secondary", year=1, school_area="urban"),
    record(id=None, stage="preschool", year=2, school_area="urban", disabled=True),
    record(id="O1", stage="primary", year=4, orphan=True),
]
BAD = record(id="B1", year=0)


def aid(*argv: str, stdin: str = "") -> Run:
    return run("aid", "--region", "jinfeng", "--on", ON, *argv, stdin=stdin)


def jsonl(records: list[Any]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def expected(policy: edupolicy.Policy, records: list[Any], locale: str = "en") -> list[Any]:
    return [policy.aid(r, DAY, locale=locale).to_json(locale) for r in records]


# --- --format jsonl ---------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_jsonl_is_one_result_per_line_as_to_json_gives_it(
    workdir: Path, jinfeng: edupolicy.Policy, locale: str
) -> None:
    (workdir / "roster.jsonl").write_text(jsonl(ROSTER), encoding="utf-8")

    result = run(
        "--locale", locale, "aid", "--region", "jinfeng", "--on", ON, "--format", "jsonl",
        "roster.jsonl",
    )  # fmt: skip

    assert result.status == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert [json.loads(line) for line in lines] == expected(jinfeng, ROSTER, locale)
    # One object per line, whatever the input's shape.
    assert all(line.startswith("{") and line.endswith("}") for line in lines)


@pytest.mark.parametrize("shape", ["object", "list", "stdin"])
def test_jsonl_gives_lines_for_every_input_shape(
    workdir: Path, jinfeng: edupolicy.Policy, shape: str
) -> None:
    if shape == "object":
        (workdir / "one.json").write_text(json.dumps(ROSTER[0]), encoding="utf-8")
        result, records = aid("--format", "jsonl", "one.json"), ROSTER[:1]
    elif shape == "list":
        (workdir / "all.json").write_text(json.dumps(ROSTER, indent=2), encoding="utf-8")
        result, records = aid("--format", "jsonl", "all.json"), ROSTER
    else:
        result, records = aid("--format", "jsonl", "-", stdin=jsonl(ROSTER)), ROSTER

    assert result.status == 0, result.err
    assert [json.loads(line) for line in result.out.splitlines()] == expected(jinfeng, records)


def test_jsonl_with_explanations(workdir: Path, jinfeng: edupolicy.Policy) -> None:
    result = aid("--format", "jsonl", "--explain", "-", stdin=jsonl(ROSTER))

    want = [jinfeng.aid(r, DAY, explain=True, locale="en").to_json("en") for r in ROSTER]
    assert [json.loads(line) for line in result.out.splitlines()] == want
    assert all("not_applied" in json.loads(line) for line in result.out.splitlines())


@settings(max_examples=scaled(25))
@given(roster=st.lists(students(YEARS), max_size=30))
def test_results_of_one_outcome_differ_by_their_id_alone(roster: list[dict[str, Any]]) -> None:
    # The JSON around the id is made once per outcome; every line is still its own result.
    text = jsonl(roster)

    result = aid("--format", "jsonl", "-", stdin=text)

    assert result.status == 0, result.err
    assert [json.loads(line) for line in result.out.splitlines()] == expected(POLICY, roster)


@settings(max_examples=scaled(25))
@given(roster=st.lists(students(YEARS), max_size=30))
def test_the_table_describes_each_student_as_its_own(roster: list[dict[str, Any]]) -> None:
    # A block's rows are made once per outcome, a description once per student but the id.
    result = aid("-", stdin=jsonl(roster))

    statuses = POLICY.plan_on(DAY).household_statuses
    blocks = []
    for number, data in enumerate(roster, start=1):
        student = structure(data, Student, statuses=statuses)
        label = student.id or ("<stdin>" if len(roster) == 1 else f"<stdin>:{number}")
        lines = [f"{label}: {_describe_student(student, 'en')}"]
        lines += _result_lines(POLICY.aid(data, DAY), "en")
        blocks.append("\n".join(lines) + "\n")
    first, _blank, *rest = result.out.split("\n", 2)
    assert result.status == 0, result.err
    assert first.startswith("Region jinfeng")
    assert "".join(rest) == "\n".join(blocks)


def test_csv_in_jsonl_out(workdir: Path, jinfeng: edupolicy.Policy) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "stage", "year", "school_area", "boarding", "household"])
    writer.writerow(["C1", "primary", "3", "rural", "false", "dibao"])
    writer.writerow(["C2", "junior_secondary", "2", "rural", "true", "dibao;migrant_worker"])
    writer.writerow(["C3", "primary", "nine", "rural", "", ""])
    writer.writerow(["C4", "senior_secondary", "1", "urban", "", ""])
    (workdir / "roster.csv").write_text(buffer.getvalue(), encoding="utf-8")

    result = aid("--format", "jsonl", "roster.csv")

    assert result.status == 1
    assert result.err.splitlines() == [
        'roster.csv:4: $.year: must be a whole number (got "nine")',
        "1 record could not be evaluated",
    ]
    records = [
        record(id="C1", year=3, boarding=False, household=["dibao"]),
        record(
            id="C2",
            stage="junior_secondary",
            year=2,
            boarding=True,
            household=["dibao", "migrant_worker"],
        ),
        record(id="C4", stage="senior_secondary", school_area="urban"),
    ]
    assert [json.loads(line) for line in result.out.splitlines()] == expected(jinfeng, records)


def test_rejected_records_are_reported_and_the_rest_evaluated(
    workdir: Path, jinfeng: edupolicy.Policy
) -> None:
    lines = [*map(json.dumps, ROSTER[:2]), '{"stage": "primary"', json.dumps(BAD), "42"]
    lines.append(json.dumps(ROSTER[2]))
    (workdir / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = aid("--format", "jsonl", "mixed.jsonl")

    assert result.status == 1
    assert result.err.splitlines() == [
        "mixed.jsonl:3: not valid JSON: a comma is missing (line 1, column 20)",
        "mixed.jsonl:4: $.year: must be 1 or more (years are counted from 1) (got 0)",
        "mixed.jsonl:5: $: must be a JSON object (got 42)",
        "3 records could not be evaluated",
    ]
    assert [json.loads(line) for line in result.out.splitlines()] == expected(
        jinfeng, [*ROSTER[:2], ROSTER[2]]
    )


def test_teacher_jsonl(workdir: Path) -> None:
    text = (SAMPLE / "teachers.jsonl").read_text(encoding="utf-8")
    policy = edupolicy.load("jinfeng")

    result = run("teacher", "--region", "jinfeng", "--on", ON, "--format", "jsonl", "-", stdin=text)

    assert result.status == 0, result.err
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    want = [policy.teacher(r, DAY).to_json("en") for r in records]
    assert [json.loads(line) for line in result.out.splitlines()] == want


def _as_json_line(record: object) -> str | None:
    try:
        return json.dumps(record, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None


@settings(max_examples=scaled(25))
@given(
    roster=st.lists(inputs(teachers()).map(_as_json_line).filter(bool), max_size=20),
    locale=st.sampled_from(["en", "zh_CN"]),
)
def test_teacher_lines_are_the_bytes_of_each_results_json(roster: list[str], locale: str) -> None:
    """Each teacher's line, written from its outcome's text around its id and service, is
    byte for byte the compact JSON of its result; a bad record gets no line."""
    result = run(
        "--locale", locale, "teacher", "--region", "jinfeng", "--on", ON, "--format", "jsonl",
        "-", stdin="".join(line + "\n" for line in roster),
    )  # fmt: skip

    want = []
    for line in roster:
        try:
            found = POLICY.teacher(json.loads(line), DAY, locale=locale)
        except EdupolicyError:
            continue
        want.append(json.dumps(found.to_json(locale), ensure_ascii=False, separators=(",", ":")))
    assert result.out.splitlines() == want


@pytest.mark.parametrize("command", ["select", "check-awards", "diff", "budget"])
def test_commands_that_answer_for_the_whole_list_have_no_jsonl(command: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"], stdout=io.StringIO(), stderr=io.StringIO())
    assert exited.value.code == 0
    out = io.StringIO()
    with pytest.raises(SystemExit):
        main([command, "--format", "jsonl", "x"], stdout=out, stderr=out)
    assert "invalid choice: 'jsonl'" in out.getvalue()


# --- --format json, written as it goes --------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_json_list_out_is_what_json_dumps_gives(
    workdir: Path, jinfeng: edupolicy.Policy, count: int
) -> None:
    (workdir / "roster.jsonl").write_text(jsonl(ROSTER[:count]), encoding="utf-8")

    result = aid("--format", "json", "roster.jsonl")

    want = expected(jinfeng, ROSTER[:count])
    assert result.out == json.dumps(want, ensure_ascii=False, indent=2) + "\n"


def test_one_object_in_is_one_object_out(workdir: Path, jinfeng: edupolicy.Policy) -> None:
    (workdir / "one.json").write_text(json.dumps(ROSTER[1], indent=2), encoding="utf-8")

    result = aid("--format", "json", "one.json")

    (want,) = expected(jinfeng, ROSTER[1:2])
    assert result.out == json.dumps(want, ensure_ascii=False, indent=2) + "\n"


# --- streaming --------------------------------------------------------------------------------


class Feed(io.StringIO):
    """Standard input that gives one line at a time, and checks before each line that
    the result of every line before it is already written (but the first: one line of
    look-ahead at the start of standard input tells one object from JSON Lines)."""

    def __init__(self, lines: list[str], out: io.StringIO) -> None:
        super().__init__()
        self._lines = iter(lines)
        self._out = out
        self.given = 0

    # typeshed's StringIO inherits the bytes signatures of _IOBase too.
    def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]
        line = next(self._lines, "")
        if line:
            self.given += 1
            written = self._out.getvalue().count("\n")
            assert written >= self.given - (2 if self.given <= 2 else 1), (written, self.given)
        return line

    def __next__(self) -> str:  # type: ignore[override]
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def test_each_result_is_written_before_the_next_record_is_read() -> None:
    out, err = io.StringIO(), io.StringIO()
    feed = Feed([json.dumps(r) + "\n" for r in ROSTER * 4], out)
    argv = ["aid", "--region", "jinfeng", "--on", ON, "--format", "jsonl", "-"]

    status = main(argv, stdout=out, stderr=err, stdin=feed)

    assert status == 0, err.getvalue()
    assert feed.given == len(ROSTER) * 4
    assert len(out.getvalue().splitlines()) == len(ROSTER) * 4


def _read_line(stream: Any, timeout: float = 60.0) -> bytes:
    """One line of a pipe, or a failure after ``timeout`` seconds."""
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        if not selector.select(max(0.0, deadline - time.monotonic())):
            pytest.fail(f"no output within {timeout} s (got {line!r})")
        chunk = os.read(stream.fileno(), 1)
        if not chunk:
            break
        line += chunk
    selector.close()
    return line


def _process(*argv: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EDUPOLICY_", "LC_"))}
    env["LANG"] = "C.UTF-8"
    env["PYTHONIOENCODING"] = "utf-8"
    code = "from edupolicy.cli import run; run()"
    return subprocess.Popen([sys.executable, "-c", code, *argv], env=env, **kwargs)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "table", "json"])
def test_output_starts_before_the_input_ends(fmt: str) -> None:
    # A real pipe both ways: what is written is flushed at once, not at the end.
    argv = ("aid", "--region", "jinfeng", "--on", ON, "--format", fmt, "-")
    pipes: dict[str, Any] = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE}
    with _process(*argv, **pipes, stderr=subprocess.PIPE) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            process.stdin.write(jsonl(ROSTER[:2]).encode())
            process.stdin.flush()
            first = _read_line(process.stdout)
            # The input is still open: the first result came out before its end.
            assert process.poll() is None
            process.stdin.write(jsonl(ROSTER[2:]).encode())
            process.stdin.close()
            rest = process.stdout.read()
            err = process.stderr.read()
            assert process.wait(timeout=60) == 0, err
        finally:
            if process.poll() is None:
                process.kill()
    if fmt == "jsonl":
        assert json.loads(first)["id"] == "P1"
        ids = [json.loads(line)["id"] for line in (first + rest).splitlines()]
        assert ids == [r["id"] for r in ROSTER]
    elif fmt == "json":
        assert first == b"[\n"
        assert [r["id"] for r in json.loads(first + rest)] == [r["id"] for r in ROSTER]
    else:
        assert first.startswith(b"Region jinfeng")


def test_memory_stays_flat_whatever_the_length_of_the_roster(workdir: Path) -> None:
    def peak(count: int) -> int:
        roster = [dict(ROSTER[n % len(ROSTER)], id=f"S{n}") for n in range(count)]
        (workdir / "big.jsonl").write_text(jsonl(roster), encoding="utf-8")
        sink, err = _Discard(), io.StringIO()
        argv = ["aid", "--region", "jinfeng", "--on", ON, "--format", "jsonl", "big.jsonl"]
        tracemalloc.start()
        try:
            status = main(argv, stdout=sink, stderr=err)
            used = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert status == 0, err.getvalue()
        assert sink.lines == count
        return used

    peak(100)  # the policy loaded and compiled once, before measuring
    small, large = peak(1_000), peak(20_000)
    # Twenty times the records, not twenty times the memory: nothing is kept per record.
    assert large < small + 1_000_000, (small, large)


class _Discard(io.StringIO):
    """Standard output that counts the lines written and keeps none."""

    def __init__(self) -> None:
        super().__init__()
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


# --- the summary ------------------------------------------------------------------------------


def test_no_summary_and_no_bar_when_standard_error_is_not_a_terminal(workdir: Path) -> None:
    (workdir / "roster.jsonl").write_text(jsonl(ROSTER), encoding="utf-8")

    result = aid("--format", "jsonl", "roster.jsonl")

    assert result.status == 0
    assert result.err == ""


@pytest.mark.parametrize(("locale", "cash"), [("en", "CN¥3,500.00"), ("zh_CN", "¥3,500.00")])
def test_the_summary_counts_the_records_and_adds_up_the_cash(
    workdir: Path, jinfeng: edupolicy.Policy, locale: str, cash: str
) -> None:
    lines = [*map(json.dumps, ROSTER), json.dumps(BAD), "not json"]
    (workdir / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run(
        "--locale", locale, "aid", "--region", "jinfeng", "--on", ON, "--summary",
        "--format", "jsonl", "mixed.jsonl",
    )  # fmt: skip

    total = sum((jinfeng.aid(r, DAY).cash_total for r in ROSTER), Decimal(0))
    assert total == Decimal("3500.00")
    summary = _n(
        "{count} record read: {evaluated} evaluated, {rejected} rejected; cash {cash} in all",
        "{count} records read: {evaluated} evaluated, {rejected} rejected; cash {cash} in all",
        count=7,
        evaluated=Count(5),
        rejected=Count(2),
        cash=total,
    ).render(locale)
    assert result.status == 1
    assert result.err.splitlines()[-1] == summary
    assert cash in summary
    if locale == "en":
        assert summary == "7 records read: 5 evaluated, 2 rejected; cash CN¥3,500.00 in all"
    # The count of the bad records is still the line before.
    count = _n(
        "{count} record could not be evaluated",
        "{count} records could not be evaluated",
        count=2,
    ).render(locale)
    assert result.err.splitlines()[-2] == count


def test_the_summary_of_a_table_and_of_a_json_list(workdir: Path) -> None:
    (workdir / "roster.jsonl").write_text(jsonl(ROSTER), encoding="utf-8")
    want = "5 records read: 5 evaluated, 0 rejected; cash CN¥3,500.00 in all\n"

    assert aid("--summary", "roster.jsonl").err == want
    assert aid("--summary", "--format", "json", "roster.jsonl").err == want
    assert aid("--no-summary", "roster.jsonl").err == ""


def test_the_summary_counts_thousands_with_their_separator(workdir: Path) -> None:
    roster = [dict(ROSTER[2], id=f"S{n}") for n in range(1_200)]
    (workdir / "roster.jsonl").write_text(jsonl(roster), encoding="utf-8")

    result = aid("--summary", "--format", "jsonl", "roster.jsonl")

    assert result.err == "1,200 records read: 1,200 evaluated, 0 rejected; cash CN¥0.00 in all\n"


def test_the_teacher_summary_has_no_cash() -> None:
    text = (SAMPLE / "teachers.jsonl").read_text(encoding="utf-8")
    count = sum(1 for line in text.splitlines() if line.strip())

    result = run(
        "teacher", "--region", "jinfeng", "--on", ON, "--summary", "--format", "jsonl", "-",
        stdin=text,
    )  # fmt: skip

    assert result.err == f"{count} records read: {count} evaluated, 0 rejected\n"


# --- the progress bar -------------------------------------------------------------------------


def _on_a_terminal(*argv: str, stdin: bytes) -> tuple[int, bytes, str]:
    """Run ``edupolicy ARGV`` with standard error on a pseudo-terminal and standard
    output on a pipe; the exit status, standard output, and what the terminal shows."""
    pty = pytest.importorskip("pty")
    controller, terminal = pty.openpty()
    # A terminal of 24 lines of 100 columns (a new pseudo-terminal has none).
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    shown: list[bytes] = []

    def show() -> None:
        # Read the terminal as the process writes it, until it is closed.
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=show, daemon=True)
    reader.start()
    process = _process(*argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    try:
        out, _err = process.communicate(stdin, timeout=120)
        reader.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return process.wait(), out, b"".join(shown).decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_progress_bar_and_the_summary_on_a_terminal() -> None:
    roster = [dict(r, id=f"S{n}-{r['id']}") for n in range(2_000) for r in ROSTER[:3]]

    status, out, shown = _on_a_terminal(
        "aid", "--region", "jinfeng", "--on", ON, "--format", "jsonl", "-",
        stdin=jsonl(roster).encode(),
    )  # fmt: skip

    assert status == 0, shown
    assert len(out.splitlines()) == len(roster)
    assert "records/s" in shown  # tqdm's bar: the count and the rate
    assert "<stdin>" in shown
    assert shown.rstrip().endswith(
        "6,000 records read: 6,000 evaluated, 0 rejected; cash CN¥3,000,000.00 in all"
    )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_no_progress_bar_on_a_terminal_with_no_progress() -> None:
    status, _out, shown = _on_a_terminal(
        "aid", "--region", "jinfeng", "--on", ON, "--format", "jsonl", "--no-progress", "-",
        stdin=jsonl(ROSTER).encode(),
    )  # fmt: skip

    assert status == 0, shown
    assert "records/s" not in shown
    # The summary is still shown: standard error is a terminal.
    assert shown.strip() == "5 records read: 5 evaluated, 0 rejected; cash CN¥3,500.00 in all"


@pytest.mark.parametrize(
    "argv",
    [
        ("teacher", "--region", "jinfeng", "--on", ON),
        ("select", "--region", "jinfeng", "--programme", "sanatorium", "--year", "2019"),
        ("check-awards", "--region", "jinfeng", "--on", ON),
        ("budget", "--region", "jinfeng", "--on", ON),
    ],
)
def test_every_command_reading_a_roster_takes_no_progress(argv: tuple[str, ...]) -> None:
    result = run(*argv, "--no-progress", "-", stdin="[]")

    assert result.status == 0, result.err


# --- what is kept, what cannot be written -----------------------------------------------------


def test_at_most_so_many_outcomes_are_kept() -> None:
    made: list[str | None] = []

    def make(result: AidResult) -> str | None:
        made.append(result.student_id)
        return result.student_id

    kept = ByOutcome(make, limit=2)
    results = [POLICY.aid(r, DAY) for r in ROSTER[:3]]
    again = [POLICY.aid(dict(r, id="again"), DAY) for r in ROSTER[:3]]

    # Each outcome is made once while it is kept; a third starts the store again.
    assert [kept(r) for r in results[:2]] == ["P1", "J1"]
    assert [kept(r) for r in again[:2]] == ["P1", "J1"]
    assert kept(results[2]) == "U1"
    assert kept(again[0]) == "again"
    assert made == ["P1", "J1", "U1", "again"]
    assert len(kept._kept) <= 2


def test_text_the_output_cannot_encode_is_written_as_json_escapes() -> None:
    roster = [dict(ROSTER[0], id="学生-1"), ROSTER[1]]
    for fmt in ("jsonl", "json"):
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="ascii", write_through=True)
        err = io.StringIO()
        argv = ["aid", "--region", "jinfeng", "--on", ON, "--format", fmt, "-"]

        status = main(argv, stdout=out, stderr=err, stdin=io.StringIO(jsonl(roster)))

        assert status == 0, err.getvalue()
        text = raw.getvalue().decode("ascii")
        assert "\\u5b66\\u751f-1" in text
        if fmt == "jsonl":
            assert [json.loads(line) for line in text.splitlines()] == expected(POLICY, roster)
        else:
            assert json.loads(text) == expected(POLICY, roster)


class _CountingOut(io.StringIO):
    """Standard output that counts how often it is flushed."""

    flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


@pytest.mark.parametrize("fmt", ["jsonl", "json", "table"])
def test_a_regular_file_gives_what_a_pipe_gives_in_blocks(workdir: Path, fmt: str) -> None:
    # Read from a regular file, results are written as the output's buffer fills and
    # flushed at the end; from a pipe, flushed one by one.  The text is the same.
    roster = ROSTER * 20
    (workdir / "roster.jsonl").write_text(jsonl(roster), encoding="utf-8")
    argv = ["aid", "--region", "jinfeng", "--on", ON, "--format", fmt]
    from_file, from_pipe = _CountingOut(), _CountingOut()

    assert main([*argv, "roster.jsonl"], stdout=from_file, stderr=io.StringIO()) == 0
    piped = io.StringIO(jsonl(roster))
    assert main([*argv, "-"], stdout=from_pipe, stderr=io.StringIO(), stdin=piped) == 0

    # A record without an id is labelled by its position: its file's name, or <stdin>.
    assert from_file.getvalue().replace("roster.jsonl:", "<stdin>:") == from_pipe.getvalue()
    assert from_pipe.flushes >= len(roster)
    assert from_file.flushes <= 2


def test_a_nested_objects_values_are_written_as_json_writes_them_whatever_came_before() -> None:
    """The text of each value of a nested object, kept for the next result with that
    value, is never another's: 1 and ``True`` are equal keys but different JSON, and a
    value that is no key is written each time."""
    inner = View("Inner", (member("n", Integer()), member("on", DATE)))
    outer = Member("inner", Of(inner), operator.itemgetter("inner"))
    values = [1, True, 1, 1.0, [1, 2], None, [1, 2], False, 0]
    for value in values:
        result: Any = {"inner": types.SimpleNamespace(n=value, on=DAY)}
        line = _line(result, ['{"a":1,"inner":', "}"], [outer], "en")
        assert line == json.dumps(
            {"a": 1, "inner": {"n": value, "on": ON}}, ensure_ascii=False, separators=(",", ":")
        )
