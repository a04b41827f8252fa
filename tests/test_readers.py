"""The readers of records (edupolicy.io.records), and the command line reading through them:
a bad byte or a bad line is a problem of its own line, and no good record is lost."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edupolicy.cli import main
from edupolicy.errors import MAX_PROBLEMS, FieldProblem, InvalidDataError, bounded
from edupolicy.i18n import _
from edupolicy.io.records import (
    Entry,
    NotReadable,
    cell_value,
    csv_records,
    json_bytes,
    json_lines,
    read_json,
    read_records,
)
from tests.clitools import Run
from tests.profiles import scaled

pytestmark = pytest.mark.usefixtures("plain_environment")

ON = "2019-09-01"
PUPIL = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}


def roster(count: int = 10_001, bad: int = 5_000) -> bytes:
    """``count`` lines of JSON Lines, ids ``S1``...; line ``bad`` has a byte that is not UTF-8."""
    lines = [(json.dumps({**PUPIL, "id": f"S{n}"}) + "\n").encode() for n in range(1, count + 1)]
    lines[bad - 1] = lines[bad - 1].replace(b'"S', b'"\xff')
    return b"".join(lines)


# --- the readers ----------------------------------------------------------------------------


def test_a_line_is_read_once_from_bytes_or_text() -> None:
    assert read_json(b'{"year": 3}\n') == {"year": 3}
    assert read_json('{"year": 3}') == {"year": 3}
    assert read_json(b"\xef\xbb\xbf[1]") == [1]  # a byte-order mark is skipped


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"id": "\xff"}', "must be UTF-8 text; byte 9 is not"),
        (b'{"id": "\xed\xa0\x80"}', "must be UTF-8 text; byte 9 is not"),  # an encoded surrogate
        (b'{"year": 3', "not valid JSON: a comma is missing (line 1, column 11)"),
        (b"[" * 100_000, "not valid JSON: nested too deeply to read"),
        (
            b"",
            "not valid JSON: a value is missing, or is not JSON (text needs double quotes) "
            "(line 1, column 1)",
        ),
    ],
)
def test_what_is_not_json_is_not_readable_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(NotReadable) as caught:
        read_json(data)
    assert caught.value.message.render() == message


def test_nan_is_read_for_the_records_reader_to_refuse_by_field() -> None:
    value = read_json(b'{"year": NaN}')
    assert isinstance(value, dict)
    assert value["year"] != value["year"]


def test_json_lines_keep_every_good_line_around_a_bad_one() -> None:
    lines = [b'{"a": 1}\n', b"\n", b'{"a": \xff}\n', b"{broken\n", b'{"a": 2}']
    entries = list(json_lines(lines, "r.jsonl"))
    assert entries == [
        Entry("r.jsonl:1", {"a": 1}),
        Entry("r.jsonl:3", error=entries[1].error),
        Entry("r.jsonl:4", error=entries[2].error),
        Entry("r.jsonl:5", {"a": 2}),
    ]
    assert [e.error.render() for e in entries[1:3] if e.error is not None] == [
        "must be UTF-8 text; byte 7 is not",
        "not valid JSON: a key must be text in double quotes (or a comma is left over) "
        "(line 1, column 2)",
    ]


def test_a_bad_byte_in_a_json_list_costs_only_its_item() -> None:
    items = [json.dumps({**PUPIL, "id": f"S{n}"}).encode() for n in range(4)]
    items[2] = items[2].replace(b'"S', b'"\xff')
    data = b"[\n  " + b",\n  ".join(items) + b', {"id": "\\udcff"}\n]\n'
    entries = list(read_records(io.BytesIO(data), "r.json"))
    assert [e.position for e in entries] == [f"r.json[{n}]" for n in range(5)]
    assert [e.data for e in entries] == [
        json.loads(items[0]),
        json.loads(items[1]),
        None,
        json.loads(items[3]),
        {"id": "\udcff"},  # an escape of the document, not a bad byte
    ]
    bad, at = entries[2].error, items[2].index(b"\xff") + 1
    assert bad is not None
    assert bad.render() == f"must be UTF-8 text; byte {at} is not"


@given(
    ids=st.lists(st.text(max_size=5), min_size=1, max_size=8),
    bad=st.sets(st.integers(0, 7)),
    byte=st.sampled_from([b"\xff", b"\x80", b"\xc3", b"\xed\xa0\x80"]),
    gap=st.sampled_from([b",", b" ,\n ", b",\r\n"]),
)
def test_every_item_of_a_json_list_without_a_bad_byte_is_read(
    ids: list[str], bad: set[int], byte: bytes, gap: bytes
) -> None:
    items = [json.dumps({"id": i, "n": n}).encode() for n, i in enumerate(ids)]
    spoilt = {n for n in bad if n < len(items)}
    for n in spoilt:
        items[n] = items[n].replace(b'"id": "', b'"id": "' + byte)
    entries = list(read_records(io.BytesIO(b"[" + gap.join(items) + b"]"), "r.json"))
    assert [e.position for e in entries] == [f"r.json[{n}]" for n in range(len(items))]
    for n, entry in enumerate(entries):
        if n in spoilt:
            assert entry.error is not None
            assert entry.error.render().startswith("must be UTF-8 text; byte ")
        else:
            assert entry.data == {"id": ids[n], "n": n}


@pytest.mark.parametrize(
    ("kind", "cell", "value"),
    [
        ("whole", "3", 3),
        ("whole", "-1", -1),
        ("whole", "+3", "+3"),
        ("whole", "3.0", "3.0"),
        ("whole", "３", "３"),
        ("flag", "true", True),
        ("flag", "false", False),
        ("flag", "yes", "yes"),
        ("list", "dibao; orphan;", ["dibao", "orphan"]),
        ("text", "primary", "primary"),
    ],
)
def test_a_cell_is_read_by_its_fields_kind(kind: Any, cell: str, value: object) -> None:
    assert cell_value(kind, cell) == value


def test_a_csv_row_with_a_bad_byte_is_a_problem_of_its_row() -> None:
    lines = [
        b"\xef\xbb\xbfstage,year,school_area,id\n",
        b"primary,1,rural,A\n",
        b"primary,1,rural,\xff\n",
        b'primary,"1",rural,"C\n',
        b'D"\n',
    ]
    entries = list(csv_records(lines, "r.csv"))
    assert [(e.position, e.data) for e in entries] == [
        ("r.csv:2", {"stage": "primary", "year": 1, "school_area": "rural", "id": "A"}),
        ("r.csv:3", None),
        ("r.csv:5", {"stage": "primary", "year": 1, "school_area": "rural", "id": "C\nD"}),
    ]
    assert entries[1].error is not None
    assert entries[1].error.render() == "must be UTF-8 text; byte 17 is not"


def test_a_csv_roster_saved_as_gbk_says_once_how_to_save_it_as_utf8() -> None:
    lines = [b"id,stage,year,school_area\n"] + [
        f"{name},primary,1,rural\n".encode("gbk") for name in ("张三", "李四", "王五")
    ]
    entries = list(csv_records(lines, "r.csv"))
    said = [e.error.render() for e in entries if e.error is not None]
    assert said == [
        "must be UTF-8 text; byte 1 is not; it looks like GBK/GB18030, which Excel writes as "
        "“CSV” on a Chinese Windows: save the file as “CSV UTF-8”",
        "must be UTF-8 text; byte 1 is not",
        "must be UTF-8 text; byte 1 is not",
    ]
    assert all(e.error is not None for e in entries)
    first = entries[0].error
    assert first is not None
    assert first.render("zh_CN").endswith(
        "看来是 GBK/GB18030 编码，即中文 Windows 上 Excel "
        "另存为“CSV”时的编码：请把文件另存为“CSV UTF-8”"
    )


def test_a_stream_is_read_as_its_name_says() -> None:
    data = b'{"a": 1}\n{"a": 2}\n'
    assert [e.data for e in read_records(io.BytesIO(data), "x.json")] == [{"a": 1}, {"a": 2}]
    listed = list(read_records(io.BytesIO(b'[{"a": 1},\n {"a": 2}]'), "x.json"))
    assert [e.position for e in listed] == ["x.json[0]", "x.json[1]"]
    alone = list(read_records(io.StringIO('{\n"a": 1}'), "<stdin>"))
    assert alone == [Entry("<stdin>", {"a": 1}, alone=True)]


@settings(max_examples=scaled(200), deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_json_or_not_readable(data: bytes) -> None:
    try:
        read_json(data)
    except NotReadable as exc:
        reason = exc.message.render("zh_CN")
    else:
        reason = "read"
    assert reason
    for entry in json_lines(data.splitlines(keepends=True), "x"):
        assert (entry.data is None) or (entry.error is None)


#: A line of JSON Lines: white space or a byte-order mark or nothing, a JSON value or any
#: text, then a line break, white space JSON does not allow, or more text.
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
).map(json.dumps)
_LINES = st.tuples(
    st.sampled_from(["", " ", "\t", "\r", "\ufeff", "\u3000", "\x0b"]),
    _JSON_VALUES | st.text(max_size=12) | st.sampled_from(["[1", '{"a":', "[]]", "1 2", '"a']),
    st.sampled_from(["", "\n", "\r\n", " \n", "\t", "\u3000\n", "\x0b", " x", "}", "\n\n"]),
).map("".join)


@settings(max_examples=scaled(400), deadline=None)
@given(_LINES)
def test_a_json_line_is_read_as_json_loads_reads_it(line: str) -> None:
    """JSON Lines are read with a quicker path than ``json.loads``: it reads every line
    to the same value (``1`` stays an int, ``1.0`` a float), and refuses what it refuses."""
    entries = list(json_lines([line], "x")) + list(json_lines([line.encode()], "x"))
    try:
        expected = json.loads(line)
    except (ValueError, RecursionError):
        # Not JSON to json.loads: a problem of its line, or nothing for a blank line (or,
        # after a byte-order mark, the value after it).
        bom = line.lstrip().startswith("\ufeff")
        assert all(entry.error is not None or bom for entry in entries)
        return
    assert [(entry.position, entry.error) for entry in entries] == [("x:1", None)] * 2
    assert [repr(entry.data) for entry in entries] == [repr(expected)] * 2


@settings(max_examples=scaled(200), deadline=None)
@given(st.recursive(st.text() | st.integers() | st.booleans() | st.none(), st.lists, max_leaves=8))
def test_json_bytes_never_fails_and_reads_back(payload: object) -> None:
    assert json.loads(json_bytes(payload)) == payload


# --- the command line: a bad byte on line 5,000 of 10,001 -------------------------------------


def _aid(*argv: str, stdin: io.TextIOWrapper | None = None) -> Run:
    out, err = io.StringIO(), io.StringIO()
    args = ["aid", "--region", "jinfeng", "--on", ON, *argv]
    status = main(args, stdout=out, stderr=err, stdin=stdin or io.StringIO())
    return Run(status, out.getvalue(), err.getvalue())


def _evaluated(fmt: str, out: str) -> list[str]:
    """The ids of the students whose results ``out`` holds."""
    if fmt == "json":
        return [result["id"] for result in json.loads(out)]  # a whole, terminated list
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in out.splitlines()]
    return [line.split(":")[0] for line in out.splitlines() if line.startswith("S")]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "table"])
@pytest.mark.parametrize("name", ["roster.jsonl", "roster.json", "-"])
def test_a_bad_byte_costs_only_its_line_on_the_command_line(
    tmp_path: Path, fmt: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = roster()
    if name == "-":
        stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict")
        ran = _aid("--format", fmt, "-", stdin=stdin)
        label = "<stdin>"
    else:
        monkeypatch.chdir(tmp_path)
        Path(name).write_bytes(data)
        ran = _aid("--format", fmt, name)
        label = name
    ids = _evaluated(fmt, ran.out)
    assert len(ids) == 10_000
    assert ids[4998:5000] == ["S4999", "S5001"]
    assert ran.err.splitlines() == [
        f"{label}:5000: must be UTF-8 text; byte 88 is not",
        "1 record could not be evaluated",
    ]
    assert ran.status == 1


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_standard_input_under_a_strict_utf8_locale_loses_no_good_record(fmt: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EDUPOLICY_", "LC_", "PYTHON"))}
    env.update(LC_ALL="C.UTF-8", PYTHONPATH=os.pathsep.join(sys.path))
    code = "from edupolicy.cli import run; run()"
    argv = ["aid", "--region", "jinfeng", "--on", ON, "--format", fmt, "-"]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        input=roster(),
        capture_output=True,
        env=env,
        check=False,
    )
    out = done.stdout.decode()
    assert len(_evaluated(fmt, out)) == 10_000
    assert (
        done.stderr.decode().splitlines()[0] == "<stdin>:5000: must be UTF-8 text; byte 88 is not"
    )
    assert done.returncode == 1


# --- lists of problems ----------------------------------------------------------------------


def test_a_list_bounded_twice_keeps_the_count_of_what_it_left_out() -> None:
    many = [FieldProblem(f"$.f{i}", i, _("unknown field")) for i in range(250)]
    once = bounded(many)
    assert len(once) == MAX_PROBLEMS + 1
    assert once[-1].render() == "$: and more problems, not listed (got 150)"
    # A list bounded before, with more problems added (as a policy adds a plan's check).
    twice = bounded([*once, *many[:3]])
    assert twice[:MAX_PROBLEMS] == once[:MAX_PROBLEMS]
    assert twice[-1].render() == "$: and more problems, not listed (got 153)"
    error = InvalidDataError(_("Invalid data"), many)
    assert error.problems == once
    assert bounded(many[:5]) == tuple(many[:5])
