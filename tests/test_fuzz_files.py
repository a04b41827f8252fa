"""Fuzzing the files policy staff write: case tables and change files.

The property, as for every other input: a file is read, or an edupolicy error is
raised whose message renders in both languages; nothing else, ever.  The inputs are
a valid file of each kind with one line replaced, dropped, duplicated or cut, and
arbitrary text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import edupolicy
from edupolicy.cases import read_cases
from edupolicy.io import read_changes

CASES = """region = "jinfeng"
on = 2019-09-01

[[case]]
name = "a rural primary pupil of a dibao household"
student = { stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }
cash_total = "500.00"
applies = ["primary-poor-grant"]

[[case]]
name = "a teacher of fifteen rural years"
teacher = { title = "junior", service = [{ school_area = "rural", start = 2004-09-01 }] }
not_earns = ["sanatorium-eligibility"]
"""

CSV = """name,region,on,stage,year,school_area,household,cash_total
a pupil,jinfeng,2019-09-01,primary,3,rural,dibao,500.00
another pupil,jinfeng,2019-09-01,junior_secondary,1,urban,,0.00
"""

CHANGES = """[[change]]
rule = "primary-poor-grant"
set = { "benefit.amount" = "600.00" }
reason = "What if the grant rose?"

[[change]]
target = "primary-retention-2020"
remove = true
reason = "Not measured"
"""

ODD_LINES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "[[case]]",
            "[[change]]",
            'name = "x"',
            "year = 99999999999999999999999999",
            "on = 2019-02-30",
            'student = "primary"',
            "cash_total = 1.5",
            'applies = ["no-such-rule"]',
            'rule = "no-such-rule"',
            "set = { nothing = 1 }",
            "remove = false",
            "region = 3",
            '"\\ud800" = 1',
            "a = [" * 50,
            "x = " + "9" * 5000,
            ",,,,",
        ]
    ),
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines()
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["replace", "drop", "duplicate", "cut", "insert"]))
    if action == "replace":
        lines[index] = draw(ODD_LINES)
    elif action == "drop":
        del lines[index]
    elif action == "duplicate":
        lines.insert(index, lines[index])
    elif action == "insert":
        lines.insert(index, draw(ODD_LINES))
    else:
        lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
    return "\n".join(lines) + "\n"


def read_or_our_error(read: Callable[[Path], object], text: str, suffix: str) -> None:
    """Read ``text`` as a file: anything but success or our error fails the test."""
    error: edupolicy.EdupolicyError | None = None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"test_fuzzed{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            read(path)
        except edupolicy.EdupolicyError as exc:
            error = exc
    if error is not None:
        assert str(error)
        assert error.render("zh_CN")


@pytest.mark.usefixtures("jinfeng")
@given(text=st.one_of(mutated(CASES), st.text(max_size=300)))
@example(text="x = " + "9" * 5000 + "\n" + CASES)
@example(text="x = " + "[" * 5000 + "\n")
def test_a_case_table_is_read_or_refused_with_our_error(text: str) -> None:
    read_or_our_error(read_cases, text, ".cases.toml")


@pytest.mark.usefixtures("jinfeng")
@given(text=st.one_of(mutated(CSV), st.text(max_size=300)))
def test_a_csv_case_table_is_read_or_refused_with_our_error(text: str) -> None:
    read_or_our_error(read_cases, text, ".cases.csv")


@given(text=st.one_of(mutated(CHANGES), st.text(max_size=300)))
def test_a_change_file_is_read_or_refused_with_our_error(text: str) -> None:
    read_or_our_error(read_changes, text, ".toml")


@pytest.mark.usefixtures("jinfeng")
@given(text=mutated(CHANGES))
def test_changes_apply_or_are_refused_with_our_error(text: str) -> None:
    policy = edupolicy.load("jinfeng")
    read_or_our_error(policy.with_changes, text, ".toml")


def test_the_valid_files_are_valid(tmp_path: Path) -> None:
    (tmp_path / "test_a.cases.toml").write_text(CASES, encoding="utf-8")
    (tmp_path / "test_b.cases.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "changes.toml").write_text(CHANGES, encoding="utf-8")

    assert len(read_cases(tmp_path / "test_a.cases.toml")) == 2
    assert len(read_cases(tmp_path / "test_b.cases.csv")) == 2
    assert len(read_changes(tmp_path / "changes.toml")) == 2
    changed = edupolicy.load("jinfeng").with_changes(tmp_path / "changes.toml")
    pupil = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
    assert str(changed.aid(pupil, "2019-09-01").cash_total) == "600.00"
