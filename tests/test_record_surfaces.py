"""The same student records, valid, invalid and malformed, through every surface that reads
records: the Python API, the command line (JSON Lines and CSV), the HTTP service (one
record and a roster) and case tables.  Each gives the same verdict, with the same field
paths, since each reads through the same readers (edupolicy.io.records) and converter.

Of the family of tests/test_questions.py, which does the same for one subject of each
question.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

import edupolicy
from edupolicy.cases import CaseFileError, read_cases
from edupolicy.errors import InvalidDataError
from edupolicy.io.records import STUDENT_CELLS, cell_value, read_records
from edupolicy.server import create_app
from tests.clitools import run
from tests.profiles import scaled

pytestmark = pytest.mark.usefixtures("plain_environment")

ON = "2019-09-01"
COLUMNS = tuple(STUDENT_CELLS)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(["jinfeng"])) as test_client:
        yield test_client


# --- the records --------------------------------------------------------------------------

_WORD = st.text(
    st.characters(codec="utf-8", exclude_characters=";\r\n", exclude_categories=["Cs"]),
    min_size=1,
    max_size=8,
).filter(lambda text: text == text.strip())

_VALID = st.fixed_dictionaries(
    {
        "stage": st.sampled_from(["primary", "junior_secondary", "senior_secondary", "preschool"]),
        "year": st.integers(1, 3),
        "school_area": st.sampled_from(["rural", "urban"]),
    },
    optional={
        "boarding": st.booleans(),
        "household": st.lists(
            st.sampled_from(["dibao", "registered_poor", "other_hardship"]),
            min_size=1,
            max_size=2,
            unique=True,
        ),
        "orphan": st.booleans(),
        "disabled": st.booleans(),
        "id": _WORD,
    },
)

#: What a field may be set to instead: values a CSV cell can hold too.
_WRONG: dict[str, st.SearchStrategy[Any]] = {
    "stage": _WORD,
    "year": st.integers(-5, 0) | st.integers(10**9 + 1, 10**12) | _WORD,
    "school_area": _WORD,
    "boarding": _WORD,
    "household": st.lists(_WORD, min_size=1, max_size=2),
    "orphan": _WORD,
    "disabled": _WORD,
}


@st.composite
def _invalid(draw: st.DrawFn) -> dict[str, Any]:
    record = draw(_VALID)
    for field in draw(st.lists(st.sampled_from(sorted(_WRONG)), min_size=1, max_size=3)):
        record[field] = draw(_WRONG[field])
    for field in draw(st.lists(st.sampled_from(["stage", "year", "school_area"]), max_size=1)):
        record.pop(field, None)
    return record


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _as_in_csv(record: dict[str, Any]) -> bool:
    """Whether a CSV row of ``record`` reads back as ``record`` (a cell ``"3"`` is a number)."""
    return all(cell_value(STUDENT_CELLS[k], _cell(v)) == v for k, v in record.items())


_RECORDS = st.lists(st.one_of(_VALID, _invalid()), min_size=1, max_size=5)


# --- each surface: (verdict, paths) per record ---------------------------------------------

Verdict = tuple[Any, tuple[str, ...]]


def _in_python(policy: edupolicy.Policy, record: dict[str, Any]) -> Verdict:
    try:
        return policy.aid(record, ON).to_json(), ()
    except InvalidDataError as exc:
        return None, tuple(problem.path for problem in exc.problems)


def _paths_on(err: str, position: str) -> tuple[str, ...]:
    pattern = re.compile(rf"^{re.escape(position)}: (\$[^ :]*): ", re.MULTILINE)
    return tuple(pattern.findall(err))


def _on_the_command_line(
    records: list[dict[str, Any]], name: str, text: str, folder: Path
) -> list[Verdict]:
    (folder / name).write_text(text, encoding="utf-8")
    ran = run("aid", "--region", "jinfeng", "--on", ON, "--format", "jsonl", str(folder / name))
    results = iter(json.loads(line) for line in ran.out.splitlines())
    first = 2 if name.endswith(".csv") else 1
    found: list[Verdict] = []
    for number in range(first, first + len(records)):
        paths = _paths_on(ran.err, f"{folder / name}:{number}")
        found.append((None, paths) if paths else (next(results), ()))
    return found


def _over_http(client: TestClient, records: list[dict[str, Any]]) -> list[Verdict]:
    found: list[Verdict] = []
    for record in records:
        response = client.post(f"/regions/jinfeng/aid?on={ON}", json=record)
        body = response.json()
        if response.status_code == 200:
            found.append((body, ()))
        else:
            found.append((None, tuple(error["path"] for error in body["errors"])))
    return found


def _roster_over_http(client: TestClient, text: str) -> list[Verdict]:
    response = client.post(f"/regions/jinfeng/aid/roster?on={ON}", content=text)
    found: list[Verdict] = []
    for line in response.text.splitlines():
        answer = json.loads(line)
        if "type" in answer:
            found.append((None, tuple(error["path"] for error in answer["errors"])))
        else:
            found.append((answer, ()))
    return found


def _case_table(policy: edupolicy.Policy, records: list[dict[str, Any]], path: Path) -> None:
    """Each record as a row of a CSV case table that expects Python's cash total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "region", "on", *COLUMNS, "cash_total"])
    for index, record in enumerate(records):
        expected, _paths = _in_python(policy, record)
        cash = expected["cash_total"] if expected is not None else "0.00"
        cells = [_cell(record[column]) if column in record else "" for column in COLUMNS]
        writer.writerow([f"case {index}", "jinfeng", ON, *cells, cash])
    path.write_text(out.getvalue(), encoding="utf-8")


def _in_case_tables(
    policy: edupolicy.Policy, records: list[dict[str, Any]], folder: Path
) -> list[Verdict]:
    """The paths of each row a case table refuses (the column ``year`` is ``$.year``);
    for the other rows, whether their case holds, run from a table of them alone."""
    path = folder / "test_surfaces.cases.csv"
    _case_table(policy, records, path)
    refused: dict[int, list[str]] = {}
    try:
        read_cases(path)
    except CaseFileError as exc:
        for problem in exc.problems:
            # A row's problem names its column (``year``, ``household[0]``).
            column = re.match(r"[a-z_]+", problem.field)
            assert column is not None, problem.render()
            assert column.group() in COLUMNS, problem.render()
            refused.setdefault(problem.line - 2, []).append("$." + problem.field)
    kept = [record for index, record in enumerate(records) if index not in refused]
    held: list[bool] = []
    if kept:
        _case_table(policy, kept, path)
        held = [case.run().passed for case in read_cases(path)]
    found: list[Verdict] = []
    for index in range(len(records)):
        if index in refused:
            found.append((None, tuple(refused[index])))
        else:
            found.append(("held" if held.pop(0) else "failed", ()))
    return found


@settings(
    max_examples=scaled(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=_RECORDS)
@example(records=[{"stage": "primary", "year": "+3", "school_area": "rural"}])
@example(records=[{"stage": "primary", "year": 3, "school_area": "rural", "household": ["x"]}])
def test_every_surface_gives_the_same_verdict_and_paths(
    records: list[dict[str, Any]], client: TestClient, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assume(all(_as_in_csv(record) for record in records))
    folder = tmp_path_factory.mktemp("surfaces")
    policy = edupolicy.load("jinfeng")
    expected = [_in_python(policy, record) for record in records]
    lines = "".join(json.dumps(record) + "\n" for record in records)
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_cell(record[c]) if c in record else "" for c in COLUMNS])

    assert _on_the_command_line(records, "roster.jsonl", lines, folder) == expected
    assert _on_the_command_line(records, "roster.csv", table.getvalue(), folder) == expected
    assert _over_http(client, records) == expected
    assert _roster_over_http(client, lines) == expected
    # A case table checks what a record gets rather than giving it: each valid record's
    # case holds, each invalid one is refused with the same paths.
    cases = _in_case_tables(policy, records, folder)
    assert cases == [("held" if result is not None else None, paths) for result, paths in expected]


#: Lines that are not records: a broken line, a byte that is not UTF-8, a number that is
#: not JSON's, a document nested past the parser.
MALFORMED = [
    b'{"stage": "primary",',
    b'{"id": "\xff"}',
    b'{"year": ' + b"9" * 5000 + b"}",
    b"[" * 100_000,
]


@pytest.mark.parametrize("line", MALFORMED, ids=["broken", "bad-byte", "huge", "deep"])
def test_a_malformed_line_is_the_same_problem_of_its_line_everywhere(
    line: bytes, client: TestClient, tmp_path: Path
) -> None:
    good = json.dumps({"stage": "primary", "year": 1, "school_area": "rural"}).encode()
    body = good + b"\n" + line + b"\n" + good + b"\n"
    file = tmp_path / "r.jsonl"
    file.write_bytes(body)
    ran = run("aid", "--region", "jinfeng", "--on", ON, "--format", "jsonl", str(file))
    response = client.post(f"/regions/jinfeng/aid/roster?on={ON}", content=body)
    answers = [json.loads(text) for text in response.text.splitlines()]
    entries = list(read_records(io.BytesIO(body), "r.jsonl"))
    # Python's reader, the command line and the service: the two good lines evaluated,
    # the bad one reported with the same words.
    assert entries[1].error is not None
    reason = entries[1].error.render()
    assert ran.err.splitlines()[0] == f"{file}:2: {reason}"
    assert len(ran.out.splitlines()) == 2
    assert (answers[1]["line"], answers[1]["detail"]) == (2, reason)
    assert [answer.get("cash_total") is not None for answer in answers] == [True, False, True]
