"""Case tables and rosters kept as ``.xlsx`` workbooks: read exactly, bounded, reported by row.

A workbook is read by one reader (``edupolicy.io.workbooks``) for the case tables, the
command line's rosters and the workbench; its cells become the text a CSV file would
hold, so a workbook row and a CSV row are judged alike.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from edupolicy.cases import CaseFileError, case_template, read_cases, write_case_template
from edupolicy.io import workbooks
from edupolicy.io.workbooks import WorkbookError, cell_text, read_workbook
from tests import casetools
from tests.clitools import run

pytestmark = pytest.mark.usefixtures("not_on_ci")


def _book(path: Path, rows: list[list[object]]) -> Path:
    """A workbook of one sheet holding ``rows``, typed as openpyxl types them."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --- cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1000.5, "1000.5"),
        (0.1, "0.1"),
        (1234.56, "1234.56"),
        (1000, "1000"),
        (1e16, "10000000000000000"),
        (1e-7, "0.0000001"),
        (True, "true"),
        (False, "false"),
        (None, ""),
        ("dibao;registered_poor", "dibao;registered_poor"),
        (dt.datetime(2019, 9, 1), "2019-09-01"),
        (dt.datetime(2019, 9, 1, 8, 30), "2019-09-01T08:30:00"),
        (dt.date(2019, 9, 1), "2019-09-01"),
        (Decimal("1000.50"), "1000.50"),
    ],
)
def test_a_cell_reads_as_the_text_a_csv_file_would_hold(value: object, text: str) -> None:
    assert cell_text(value) == text


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_an_amount_typed_into_a_cell_reads_back_exactly(amount: Decimal) -> None:
    # A spreadsheet keeps the typed amount as the nearest binary float: the text read
    # back is the same amount, never the float's binary expansion.
    assert Decimal(cell_text(float(amount))) == amount


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_cell_reads_as_the_number_it_holds(number: float) -> None:
    text = cell_text(number)
    assert "e" not in text.lower()
    assert float(text) == number


# --- reading a workbook -----------------------------------------------------------------------


def test_rows_are_numbered_as_the_spreadsheet_numbers_them(tmp_path: Path) -> None:
    path = _book(tmp_path / "r.xlsx", [["a", "b"], [1, None], [], ["x", 2.5, None, None]])
    rows = list(read_workbook(path, name="r.xlsx"))
    assert [(row.line, row.cells) for row in rows] == [
        (1, ("a", "b")),
        (2, ("1",)),
        (4, ("x", "2.5")),
    ]


def test_a_file_that_is_not_a_workbook_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_text("name,region\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"r\.xlsx: not an \.xlsx workbook"):
        list(read_workbook(path, name="r.xlsx"))


def test_a_zip_that_is_not_a_workbook_is_a_clear_error() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "hello")
    data.seek(0)
    with pytest.raises(WorkbookError, match=r"upload\.xlsx：不是 \.xlsx 工作簿"):
        list(read_workbook(data, name="upload.xlsx", locale="zh_CN"))


def test_a_workbook_larger_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _book(tmp_path / "r.xlsx", [["a"], [1]])
    monkeypatch.setattr(workbooks, "MAX_WORKBOOK_BYTES", 100)
    with pytest.raises(WorkbookError, match="larger than 100 bytes"):
        list(read_workbook(path, name="r.xlsx"))


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _book(tmp_path / "r.xlsx", [["a"], [1]])
    monkeypatch.setattr(workbooks, "MAX_WORKBOOK_UNPACKED_BYTES", 1000)
    with pytest.raises(WorkbookError, match="unpacks to more than 1,000 bytes"):
        list(read_workbook(path, name="r.xlsx"))


def test_a_sheet_claiming_a_huge_size_is_read_by_its_rows(tmp_path: Path) -> None:
    # A sheet's stated dimension (A1:XFD1048576) is not trusted: rows are read as they are.
    path = _book(tmp_path / "r.xlsx", [["a", "b"], ["1", "2"]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"')
    assert b"XFD1048576" in parts[sheet]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    rows = list(read_workbook(path, name="r.xlsx"))
    assert [row.cells for row in rows] == [("a", "b"), ("1", "2")]


# --- rosters on the command line --------------------------------------------------------------


def test_a_workbook_roster_yields_every_good_record(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "roster.xlsx",
        [
            ["id", "stage", "year", "school_area", "household", "boarding"],
            ["S1", "primary", 3, "rural", "dibao", True],
            ["S2", "primary", "third", "rural"],
            ["S3", "junior_secondary", 2, "rural", "dibao", None, None, "extra"],
            ["S4", "junior_secondary", 2, "rural", "dibao;registered_poor"],
        ],
    )
    result = run("aid", "--region", "jinfeng", "--on", "2019-09-01", str(path), "--format", "json")
    assert result.status == 1
    assert [item["id"] for item in result.json()] == ["S1", "S4"]
    assert [item["cash_total"] for item in result.json()] == ["500.00", "1000.00"]
    assert f"{path}:3: $.year: must be a whole number" in result.err
    assert f"{path}:4: the row has 8 cells; the header has 6" in result.err


def test_a_workbook_roster_gives_what_the_same_csv_roster_gives(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["id", "stage", "year", "school_area", "household", "boarding"],
        ["S1", "primary", 3, "rural", "dibao", True],
        ["S2", "senior_secondary", 1, "urban", "registered_poor", False],
    ]
    book = _book(tmp_path / "roster.xlsx", rows)
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "\n".join(",".join(cell_text(cell) for cell in row) for row in rows) + "\n",
        encoding="utf-8",
    )
    on = ("--region", "jinfeng", "--on", "2019-09-01", "--format", "jsonl")
    assert run("aid", *on, str(book)).out == run("aid", *on, str(csv)).out


def test_a_damaged_workbook_roster_is_named(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    result = run("aid", "--region", "jinfeng", "--on", "2019-09-01", str(path))
    assert result.status == 2
    assert f"{path}: not an .xlsx workbook, or a damaged one" in result.err


# --- case tables ------------------------------------------------------------------------------

_HEADER: list[object] = [
    "name",
    "region",
    "on",
    "stage",
    "year",
    "school_area",
    "household",
    "cash_total",
]


def test_a_workbook_case_table_runs_as_its_csv_twin(pytester: pytest.Pytester) -> None:
    _book(
        pytester.path / "test_aid.cases.xlsx",
        [
            [*_HEADER, "not_applies"],
            # A spreadsheet keeps no empty cells at the end of a row: these rows are
            # shorter than the header, their not_applies empty.
            [
                "rural pupil",
                "jinfeng",
                dt.datetime(2019, 9, 1),
                "primary",
                3,
                "rural",
                "dibao",
                500,
            ],
            ["wrong", "jinfeng", "2019-09-01", "junior_secondary", 2, "rural", "dibao", 999.5],
            ["no household", "jinfeng", "2019-09-01", "primary", 3, "rural", None, "0.00"],
        ],
    )
    result = casetools.run(pytester, "-q")
    result.assert_outcomes(passed=2, failed=1)
    out = casetools.output(result)
    assert "test_aid.cases.xlsx:3: case “wrong” fails" in out
    assert "cash_total" in out
    assert "999.50" in out


def test_a_bad_workbook_case_table_names_each_row(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "test_bad.cases.xlsx",
        [
            _HEADER,
            ["a", "jinfeng", "2019-09-01", "primary", 3, "rural", "dibao", "500.00", "extra"],
            ["b", "jinfeng", "2019-09-01", "primary", "x", "rural", "dibao", "500.00"],
        ],
    )
    with pytest.raises(CaseFileError) as caught:
        read_cases(path, label="test_bad.cases.xlsx")
    lines = caught.value.render().splitlines()[1:]
    assert lines[0].startswith("  test_bad.cases.xlsx:2: the row has 9 cells, more than the 8")
    assert lines[1].startswith("  test_bad.cases.xlsx:3: year: must be a whole number")


def test_a_damaged_workbook_case_table_is_a_problem_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "test_bad.cases.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CaseFileError, match=r"not an \.xlsx workbook"):
        read_cases(path, label="test_bad.cases.xlsx")


# --- the template -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_template_is_a_case_table_that_passes(pytester: pytest.Pytester, suffix: str) -> None:
    name = f"test_template.cases{suffix}"
    result = run("case-template", "jinfeng", str(pytester.path / name))
    assert result.status == 0, result.err
    assert "7 example cases" in result.out
    ran = casetools.run(pytester, "-q")
    ran.assert_outcomes(passed=7)


def test_the_template_expects_what_the_plan_gives() -> None:
    template = case_template("jinfeng", on=dt.date(2019, 9, 1))
    rows = [dict(zip(template.header, row, strict=True)) for row in template.rows]
    primary = next(row for row in rows if row["stage"] == "primary")
    assert primary["cash_total"] == "500.00"
    assert primary["waivers"] == "textbook"
    assert "primary-poor-grant" in primary["applies"].split(";")


def test_the_template_workbook_can_be_written_to_a_stream() -> None:
    data = io.BytesIO()
    write_case_template(data, case_template("jinfeng"))
    data.seek(0)
    rows = list(read_workbook(data, name="template.xlsx"))
    assert rows[0].cells[:3] == ("name", "region", "on")
    assert len(rows) == 8


def test_the_template_command_keeps_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "test_mine.cases.csv"
    target.write_text("mine", encoding="utf-8")
    result = run("case-template", "jinfeng", str(target))
    assert result.status == 2
    assert "exists already" in result.err
    assert target.read_text(encoding="utf-8") == "mine"


def test_the_template_command_says_how_to_name_a_file_pytest_runs(tmp_path: Path) -> None:
    result = run("case-template", "jinfeng", str(tmp_path / "cases.xlsx"))
    assert result.status == 0
    assert "rename it" in result.out


# --- hostile files ----------------------------------------------------------------------------


def _valid_workbook() -> bytes:
    data = io.BytesIO()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "stage", "year"])
    sheet.append(["S1", "primary", 3])
    book.save(data)
    return data.getvalue()


_VALID = _valid_workbook()


def _read_all(data: bytes) -> list[tuple[int, tuple[str, ...]]] | WorkbookError:
    """The rows of ``data``, or the error that names it (in either language)."""
    try:
        return [(row.line, row.cells) for row in read_workbook(io.BytesIO(data), name="x.xlsx")]
    except WorkbookError as exc:
        error = exc
    assert "x.xlsx" in error.render("en")
    assert "x.xlsx" in error.render("zh_CN")
    return error


@given(st.binary(max_size=2000))
def test_garbage_is_a_workbook_error(data: bytes) -> None:
    assert isinstance(_read_all(data), WorkbookError)


@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_workbook_is_a_workbook_error_or_its_rows(
    flips: list[tuple[int, int]],
) -> None:
    data = bytearray(_VALID)
    for at, byte in flips:
        data[at % len(data)] = byte
    found = _read_all(bytes(data))
    if not isinstance(found, WorkbookError):
        assert all(isinstance(cell, str) for _line, cells in found for cell in cells)


def test_a_truncated_workbook_is_a_workbook_error() -> None:
    for size in (10, len(_VALID) // 2, len(_VALID) - 1):
        assert isinstance(_read_all(_VALID[:size]), WorkbookError)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_template_that_cannot_be_written_is_one_error_line(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / "no such folder" / f"test_mine.cases{suffix}"
    result = run("case-template", "jinfeng", str(target))

    assert result.status == 2
    assert result.err == f"error: Cannot write {target}: no such file or folder\n"
    assert not target.parent.exists()
