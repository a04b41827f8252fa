"""Rosters as columns give exactly what plain rule-by-rule evaluation gives, row by row.

:func:`edupolicy.columnar.aid_table` evaluates each distinct combination of fields once
and hands its outcome to every row that has it; rows that are not plainly valid are
evaluated alone.  Here its rows are held to the plain evaluation of each row's record
(the strict converter, then every rule walked: ``plain_aid``), on generated rosters of
valid, mutated and garbage records laid out in Arrow columns of every kind, for Jinfeng
and for a plan with stacking groups, overrides, once-only benefits and a conflict.  The
pandas, record-batch and Dask paths are held to the Arrow one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import pickle
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy import InvalidRecordError, RuleConflictError
from edupolicy.errors import show_value
from edupolicy.plans import Change
from tests.profiles import scaled
from tests.strategies import inputs, students
from tests.test_compiled import IN_2020, ON, YEARS, plain_aid, stacked

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

from edupolicy.columnar import (  # noqa: E402  (after the extras are known to be there)
    AID_SCHEMA,
    AID_SCHEMA_DDL,
    MissingExtraError,
    aid_record_batch,
    aid_record_batches,
    aid_table,
)
from edupolicy.columnar.pandas import AID_COLUMNS, aid_frame, frame_meta  # noqa: E402

__all__ = ["stacked"]  # the fixture of the plan with stacking groups, used here too

FIELDS = ("stage", "year", "school_area", "boarding", "household", "orphan", "disabled", "id")


# --- the reference: each row's record, evaluated the plain way ---------------------------


def row_records(table: Any) -> list[dict[str, Any]]:
    """Each row of ``table`` as the record it stands for: its cells, the null ones left
    out, and a household given as text read as a CSV roster's (``;`` between statuses)."""
    found = []
    for row in table.to_pylist():
        record = {name: value for name, value in row.items() if value is not None}
        household = record.get("household")
        if isinstance(household, str):
            record["household"] = [s.strip() for s in household.split(";") if s.strip()]
        found.append(record)
    return found


def expected_rows(policy: edupolicy.Policy, table: Any, on: dt.date) -> list[dict[str, Any]]:
    """What each row of the result must hold: the plain evaluation of its record, or the
    error :meth:`~edupolicy.Policy.aid` raises for it."""
    rows = []
    for index, record in enumerate(row_records(table)):
        given_id = record.get("id")
        row: dict[str, Any] = {"row": index, "id": given_id if isinstance(given_id, str) else None}
        try:
            policy.aid(record, on)
        except InvalidRecordError as exc:
            # The problems Policy.aid reports (the plain reading stops at the converter's).
            row["problems"] = [p.path for p in exc.problems]
            with pytest.raises(InvalidRecordError):
                plain_aid(policy, record, on)
        except RuleConflictError as exc:
            row["error"] = str(exc)
        else:
            result = plain_aid(policy, record, on)
            row["cash_total"] = result.cash_total
            row["waivers"] = list(result.waivers)
            row["rules"] = [item.rule_id for item in result.items]
            assert row["id"] == result.student_id
        rows.append(row)
    return rows


def assert_rows(got: Any, expected: list[dict[str, Any]]) -> None:
    """The result table ``got`` holds ``expected``, row by row."""
    assert got.schema == AID_SCHEMA
    rows = got.to_pylist()
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert (row["row"], row["id"]) == (want["row"], want["id"])
        if "cash_total" in want:
            assert row["error"] is None
            assert row["problems"] is None
            assert (row["cash_total"], row["waivers"], row["rules"]) == (
                want["cash_total"],
                want["waivers"],
                want["rules"],
            )
        else:
            assert (row["cash_total"], row["waivers"], row["rules"]) == (None, None, None)
            assert row["error"]
            if "problems" in want:
                assert [p["path"] for p in row["problems"]] == want["problems"]
            else:
                assert row["error"] == want["error"]
                assert row["problems"] == []


# --- rosters as Arrow tables -------------------------------------------------------------


def _utf8(value: object, depth: int = 0) -> object:
    """A value Arrow can take: text without lone surrogates (which it refuses), and
    nesting a few levels deep at most (a list that holds itself would never end)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, (list, dict)):
        if depth >= 3:
            return _utf8(show_value(value))
        if isinstance(value, list):
            return [_utf8(item, depth + 1) for item in value]
        return {str(_utf8(show_value(k))): _utf8(v, depth + 1) for k, v in value.items()}
    return value


def column_of(values: Sequence[object]) -> Any:
    """An Arrow column of ``values``: as they are when Arrow can hold them together; else
    those of the commonest type that it can, the others null; else their text."""
    try:
        return pa.array([_utf8(v) for v in values])
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    kinds = [type(v) for v in values if v is not None]
    common = max(set(kinds), key=kinds.count)
    kept = [_utf8(v) if type(v) is common else None for v in values]
    try:
        return pa.array(kept)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return pa.array([None if v is None else _utf8(show_value(v)) for v in values])


def table_of(records: Sequence[Mapping[Any, object]]) -> Any:
    """A table with a column per field any record has (a missing field is null).

    A key that is not text cannot name a column, and is left out.
    """
    names: list[str] = []
    for record in records:
        names.extend(k for k in record if isinstance(k, str) and k not in names)
    columns = {str(_utf8(name)): column_of([r.get(name) for r in records]) for name in names}
    if not columns:
        return pa.table({"stage": pa.nulls(len(records), pa.string())})
    return pa.table(columns)


#: Ways a host may lay out a column: another Arrow type for the same values.
LAYOUTS: dict[str, Callable[[Any], Any]] = {
    "as is": lambda column: column,
    "dictionary": lambda column: (
        column.dictionary_encode() if pa.types.is_string(column.type) else column
    ),
    "large": lambda column: (
        column.cast(pa.large_string())
        if pa.types.is_string(column.type)
        else column.cast(pa.large_list(column.type.value_type))
        if pa.types.is_list(column.type)
        else column
    ),
    "view": lambda column: (
        column.cast(pa.string_view()) if pa.types.is_string(column.type) else column
    ),
    "csv": lambda column: (
        pa.array(
            [None if v is None else ";".join(map(str, v)) for v in column.to_pylist()], pa.string()
        )
        if pa.types.is_list(column.type) and pa.types.is_string(column.type.value_type)
        else column
    ),
    "narrow": lambda column: (
        column.cast(pa.int8(), safe=False) if pa.types.is_integer(column.type) else column
    ),
    "unsigned": lambda column: (
        column.cast(pa.uint64(), safe=False) if pa.types.is_integer(column.type) else column
    ),
}


@st.composite
def rosters(draw: st.DrawFn, records: st.SearchStrategy[Any]) -> Any:
    """A roster: records (mostly valid, some mutated) in Arrow columns, each column laid
    out one of the :data:`LAYOUTS` ways, the table maybe in chunks or a slice."""
    rows = [r for r in draw(st.lists(records, max_size=16)) if isinstance(r, dict)]
    table = table_of(rows)
    columns = []
    for name in table.column_names:
        column = table.column(name).combine_chunks()
        layout = draw(st.sampled_from(sorted(LAYOUTS)))
        with contextlib.suppress(pa.ArrowException, TypeError, ValueError, OverflowError):
            column = LAYOUTS[layout](column)
        columns.append(column)
    table = pa.table(dict(zip(table.column_names, columns, strict=True)))
    if draw(st.booleans()) and table.num_rows > 2:
        # In chunks, or a slice of a larger table: the arrays do not start at 0.
        cut = draw(st.integers(1, table.num_rows - 1))
        if draw(st.booleans()):
            table = pa.concat_tables([table.slice(0, cut), table.slice(cut)])
        else:
            table = table.slice(cut)
    return table


RECORDS = inputs(students(YEARS))


@settings(max_examples=scaled(300), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=rosters(RECORDS))
def test_jinfeng_table_equals_plain(jinfeng: edupolicy.Policy, table: Any) -> None:
    assert_rows(aid_table(jinfeng, table, ON), expected_rows(jinfeng, table, ON))


@settings(max_examples=scaled(300), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=rosters(inputs(students())))
def test_stacked_table_equals_plain(stacked: edupolicy.Policy, table: Any) -> None:
    assert_rows(aid_table(stacked, table, IN_2020), expected_rows(stacked, table, IN_2020))


@settings(max_examples=scaled(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=rosters(students(YEARS)), batches=st.integers(1, 4))
def test_record_batches_equal_the_table(
    jinfeng: edupolicy.Policy, table: Any, batches: int
) -> None:
    """Batch by batch, rows counted on through the stream, the table's result."""
    whole = aid_table(jinfeng, table, ON)
    size = max(1, -(-table.num_rows // batches))
    stream = table.to_batches(max_chunksize=size)
    got = list(aid_record_batches(iter(stream), policy=jinfeng, on=ON))
    assert all(isinstance(batch, pa.RecordBatch) for batch in got)
    assert pa.Table.from_batches(got, schema=AID_SCHEMA).equals(whole)
    for batch in stream:
        alone = aid_record_batch(batch, policy=jinfeng, on=ON)
        assert isinstance(alone, pa.RecordBatch)
        assert alone.column("row").to_pylist() == list(range(batch.num_rows))


def test_a_table_given_to_the_batch_function_gives_a_table(jinfeng: edupolicy.Policy) -> None:
    table = table_of([{"stage": "primary", "year": 3, "school_area": "rural"}])
    got = aid_record_batch(table, policy=jinfeng, on=ON)
    assert isinstance(got, pa.Table)
    assert got.equals(aid_table(jinfeng, table, ON))


# --- what each row says ------------------------------------------------------------------

SAMPLE = [
    {"id": "S03", "stage": "primary", "year": 3, "school_area": "rural", "boarding": True,
     "household": ["registered_poor"]},
    {"id": "S07", "stage": "junior_secondary", "year": 1, "school_area": "urban"},
]  # fmt: skip


def test_a_row_gives_the_cash_waivers_and_rules_of_its_record(jinfeng: edupolicy.Policy) -> None:
    got = aid_table(jinfeng, table_of(SAMPLE), "2019-09-01").to_pylist()
    result = jinfeng.aid(SAMPLE[0], ON)
    assert got[0] == {
        "row": 0,
        "id": "S03",
        "cash_total": Decimal("500.00"),
        "waivers": ["boarding", "textbook"],
        "rules": [item.rule_id for item in result.items],
        "error": None,
        "problems": None,
    }
    assert got[1]["cash_total"] == Decimal("0.00")
    assert (got[1]["waivers"], got[1]["rules"]) == ([], [])


def test_money_is_exact_decimal_with_two_places(jinfeng: edupolicy.Policy) -> None:
    kind = aid_table(jinfeng, table_of(SAMPLE), ON).schema.field("cash_total").type
    assert pa.types.is_decimal(kind)
    assert kind.scale == 2


def test_bad_rows_are_reported_and_the_rest_evaluated(jinfeng: edupolicy.Policy) -> None:
    records = [
        {"stage": "primary", "year": 3, "school_area": "rural", "id": "A"},
        {"stage": "primary", "year": 9, "school_area": "rural", "id": "B"},
        {"stage": "primary ", "year": 1, "school_area": "rural", "id": " "},
        {"stage": "primary", "year": 1, "school_area": "rural", "household": ["dibao", "dibao"]},
        {"stage": "primary", "year": 1, "school_area": "rural", "household": ["wealthy"]},
        {"stage": "primary", "year": 2, "school_area": "urban", "id": "F"},
    ]
    got = aid_table(jinfeng, table_of(records), ON, locale="en").to_pylist()
    assert [row["error"] is None for row in got] == [True, False, False, False, False, True]
    assert [row["id"] for row in got] == ["A", "B", " ", None, None, "F"]
    assert got[1]["problems"] == [
        {"path": "$.year", "value": "9", "message": "primary school lasts 6 years in this plan"}
    ]
    assert [p["path"] for p in got[2]["problems"]] == ["$.stage", "$.id"]
    assert [p["path"] for p in got[3]["problems"]] == ["$.household[1]"]
    assert [p["path"] for p in got[4]["problems"]] == ["$.household[0]"]
    assert got[1]["error"].startswith("Invalid student record\n  $.year: ")


def test_problems_are_in_the_language_asked_for(jinfeng: edupolicy.Policy) -> None:
    table = table_of([{"stage": "primary", "year": 9, "school_area": "rural"}])
    (row,) = aid_table(jinfeng, table, ON, locale="zh_CN").to_pylist()
    assert row["problems"][0]["message"] == jinfeng_error(jinfeng, row_records(table)[0])


def jinfeng_error(policy: edupolicy.Policy, record: dict[str, Any]) -> str:
    with pytest.raises(InvalidRecordError) as caught:
        policy.aid(record, ON, locale="zh_CN")
    return caught.value.problems[0].message.render("zh_CN")


def test_a_conflict_is_the_rejection_of_its_rows(stacked: edupolicy.Policy) -> None:
    clash = {"stage": "primary", "year": 2, "school_area": "urban", "orphan": True,
             "disabled": True, "household": ["migrant_worker"]}  # fmt: skip
    table = table_of([clash, {**clash, "disabled": False}, clash])
    got = aid_table(stacked, table, IN_2020).to_pylist()
    with pytest.raises(RuleConflictError) as caught:
        stacked.aid(clash, IN_2020)
    assert [row["error"] for row in got] == [str(caught.value), None, str(caught.value)]
    assert got[0]["problems"] == []


def test_a_missing_required_column_rejects_every_row(jinfeng: edupolicy.Policy) -> None:
    table = pa.table({"stage": ["primary", "junior_secondary"], "year": [1, 2]})
    got = aid_table(jinfeng, table, ON).to_pylist()
    assert [[(p["path"], p["value"]) for p in row["problems"]] for row in got] == [
        [("$.school_area", "(missing)")]
    ] * 2
    assert "required field is missing" in got[0]["problems"][0]["message"]


def test_missing_optional_columns_take_their_defaults(jinfeng: edupolicy.Policy) -> None:
    record = {"stage": "primary", "year": 3, "school_area": "rural"}
    (row,) = aid_table(jinfeng, table_of([record]), ON).to_pylist()
    assert row["cash_total"] == jinfeng.aid(record, ON).cash_total
    assert row["id"] is None


@pytest.mark.parametrize(
    ("column", "values", "path", "message"),
    [
        ("year", pa.array(["1", "2"]), "$.year", "must be a whole number"),
        ("year", pa.array([1.0, 2.0]), "$.year", "must be a whole number"),
        ("stage", pa.array([1, 2]), "$.stage", "must be one of"),
        ("boarding", pa.array([1, 0]), "$.boarding", "must be true or false"),
        ("id", pa.array([7, 8]), "$.id", "must be a string"),
        ("household", pa.array([[1], [2]]), "$.household[0]", "must be one of"),
    ],
)
def test_a_column_of_the_wrong_type_rejects_the_rows_it_gives_values(
    jinfeng: edupolicy.Policy, column: str, values: Any, path: str, message: str
) -> None:
    data = {"stage": ["primary"] * 2, "year": [1, 2], "school_area": ["rural"] * 2}
    data[column] = values
    got = aid_table(jinfeng, pa.table(data), ON).to_pylist()
    for row in got:
        assert [p["path"] for p in row["problems"]] == [path]
        assert message in row["problems"][0]["message"]


def test_null_cells_are_fields_not_given(jinfeng: edupolicy.Policy) -> None:
    table = pa.table(
        {
            "stage": ["primary", None],
            "year": pa.array([3, 3], pa.int64()),
            "school_area": ["rural", "rural"],
            "boarding": pa.array([None, True]),
            "household": pa.array([None, ["dibao"]]),
            "id": pa.array([None, "B"]),
        }
    )
    first, second = aid_table(jinfeng, table, ON).to_pylist()
    expected = jinfeng.aid({"stage": "primary", "year": 3, "school_area": "rural"}, ON)
    assert first["cash_total"] == expected.cash_total
    assert [p["path"] for p in second["problems"]] == ["$.stage"]


def test_a_column_that_is_not_a_field_rejects_the_rows_it_gives_a_value(
    jinfeng: edupolicy.Policy,
) -> None:
    table = pa.table(
        {
            "stage": ["primary"] * 3,
            "year": [1, 2, 3],
            "school_area": ["rural"] * 3,
            "boardng": [True, None, False],
            "note": pa.nulls(3, pa.string()),
        }
    )
    got = aid_table(jinfeng, table, ON).to_pylist()
    assert [row["error"] is None for row in got] == [False, True, False]
    assert "did you mean boarding" in got[0]["problems"][0]["message"]


def test_a_household_column_of_text_is_read_as_in_a_csv_roster(
    jinfeng: edupolicy.Policy,
) -> None:
    table = pa.table(
        {
            "stage": ["primary"] * 4,
            "year": [1] * 4,
            "school_area": ["rural"] * 4,
            "household": ["dibao", " dibao ; registered_poor ", "", None],
        }
    )
    got = aid_table(jinfeng, table, ON).to_pylist()
    for row, household in zip(got, [["dibao"], ["dibao", "registered_poor"], [], []], strict=True):
        expected = jinfeng.aid({**row_records(table)[0], "household": household}, ON)
        assert row["rules"] == [item.rule_id for item in expected.items]


@pytest.mark.parametrize(
    ("given", "accepted"),
    [("A1", True), ("\u200b", True), ("学生", True), (" ", False), ("\x1c", False),
     ("\u3000", False), ("", False), (" A ", True)],
)  # fmt: skip
def test_an_id_is_blank_exactly_when_python_strips_it_to_nothing(
    jinfeng: edupolicy.Policy, given: str, accepted: bool
) -> None:
    table = table_of([{"stage": "primary", "year": 1, "school_area": "rural", "id": given}])
    (row,) = aid_table(jinfeng, table, ON).to_pylist()
    assert (row["error"] is None) is accepted
    assert row["id"] == given


@pytest.mark.parametrize(
    "year", [pa.array([2**64 - 1], pa.uint64()), pa.array([2**63 + 3], pa.uint64()),
             pa.array([-1], pa.int8()), pa.array([0], pa.int16())]
)  # fmt: skip
def test_years_out_of_range_are_rejected(jinfeng: edupolicy.Policy, year: Any) -> None:
    table = pa.table({"stage": ["primary"], "year": year, "school_area": ["rural"]})
    (row,) = aid_table(jinfeng, table, ON).to_pylist()
    assert [p["path"] for p in row["problems"]] == ["$.year"]


def test_an_empty_roster_gives_an_empty_result(jinfeng: edupolicy.Policy) -> None:
    empty = pa.table({name: pa.array([], pa.string()) for name in ("stage", "school_area")})
    got = aid_table(jinfeng, empty, ON)
    assert got.num_rows == 0
    assert got.schema == AID_SCHEMA


@pytest.mark.parametrize(("dense_limit", "max_code"), [(1 << 24, 1 << 62), (0, 1 << 62), (0, 64)])
def test_many_combinations(
    monkeypatch: pytest.MonkeyPatch, dense_limit: int, max_code: int
) -> None:
    """Every combination of a stage's first years: looked up in a table, by sorting, and
    with the codes made dense again as they are combined."""
    monkeypatch.setattr("edupolicy.columnar._core._DENSE_LIMIT", dense_limit)
    monkeypatch.setattr("edupolicy.columnar._core._MAX_CODE", max_code)
    policy = attrs.evolve(edupolicy.load("jinfeng"))
    records = [
        {"stage": stage.value, "year": 1 + i % 3, "school_area": ("urban", "rural")[i % 2],
         "boarding": bool(i & 4), "orphan": bool(i & 8), "disabled": bool(i & 16),
         "household": [h.value for j, h in enumerate(edupolicy.Household) if i >> (j + 5) & 1]}
        for i in range(1024)
        for stage in edupolicy.Stage
    ]  # fmt: skip
    table = table_of(records)
    assert_rows(aid_table(policy, table, ON), expected_rows(policy, table, ON))


# --- what is refused as a whole ----------------------------------------------------------


@pytest.mark.parametrize("table", [None, [{"stage": "primary"}], "roster.csv"])
def test_what_is_not_a_table_is_refused(jinfeng: edupolicy.Policy, table: Any) -> None:
    with pytest.raises(InvalidRecordError, match="must be a pyarrow Table or RecordBatch") as e:
        aid_table(jinfeng, table, ON)
    assert [p.path for p in e.value.problems] == ["table"]


def test_a_column_given_twice_is_refused(jinfeng: edupolicy.Policy) -> None:
    table = pa.Table.from_arrays([pa.array(["primary"]), pa.array(["rural"])], ["stage", "stage"])
    with pytest.raises(InvalidRecordError, match="more than once"):
        aid_table(jinfeng, table, ON)


@pytest.mark.parametrize(
    ("on", "error"),
    [(dt.date(2030, 1, 1), edupolicy.OutOfPeriodError), ("yesterday", InvalidRecordError)],
)
def test_a_bad_date_is_raised_before_any_row_is_read(
    jinfeng: edupolicy.Policy, on: Any, error: type[Exception]
) -> None:
    table = table_of(SAMPLE)
    with pytest.raises(error):
        aid_table(jinfeng, table, on)
    with pytest.raises(error):
        aid_record_batches(iter(()), policy=jinfeng, on=on)


def test_the_spark_schema_names_the_columns_of_the_arrow_one() -> None:
    fields, depth, current = [], 0, ""
    for char in AID_SCHEMA_DDL + ",":
        depth += {"<": 1, "(": 1, ">": -1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            fields.append(current.strip())
            current = ""
        else:
            current += char
    assert [field.split()[0].strip("`") for field in fields] == AID_SCHEMA.names
    assert fields[2].endswith("DECIMAL(38,2)")


# --- pandas ------------------------------------------------------------------------------


def frame_rows(frame: Any) -> list[dict[str, Any]]:
    """The rows of an ``aid_frame`` result in the shape of ``aid_table``'s: a missing
    value (``pd.NA`` in an Arrow-typed column) as ``None``."""
    return [
        {name: None if value is pd.NA else value for name, value in row.items()}
        for row in frame.to_dict("records")
    ]


@settings(max_examples=scaled(100), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=rosters(RECORDS))
def test_a_frame_gives_what_its_table_gives(jinfeng: edupolicy.Policy, table: Any) -> None:
    """A frame whose columns keep their Arrow types, and the same frame in numpy types."""
    expected = aid_table(jinfeng, table, ON).to_pylist()
    arrow_typed = table.to_pandas(types_mapper=pd.ArrowDtype)
    got = aid_frame(jinfeng, arrow_typed, ON)
    assert list(got.columns) == list(AID_COLUMNS)
    assert frame_rows(got) == expected
    try:
        plain = table.to_pandas()
        again = pa.Table.from_pandas(plain, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        return
    assert frame_rows(aid_frame(jinfeng, plain, ON)) == aid_table(jinfeng, again, ON).to_pylist()


def test_a_frame_keeps_its_index_and_exact_money(jinfeng: edupolicy.Policy) -> None:
    frame = pd.DataFrame(SAMPLE, index=pd.Index(["x", "y"], name="key"))
    got: Any = aid_frame(jinfeng, frame, ON)
    assert got.index.equals(frame.index)
    assert got.loc["x", "cash_total"] == Decimal("500.00")
    assert isinstance(got.loc["x", "cash_total"], Decimal)
    assert got.loc["x", "waivers"] == ["boarding", "textbook"]
    assert got.loc["x", "error"] is pd.NA
    assert list(got["row"]) == [0, 1]


def test_a_frame_has_the_arrow_types_of_the_table(jinfeng: edupolicy.Policy) -> None:
    """Each column of the result is typed as the table's is: money a decimal, never a
    float or an object; lists of text as lists.  Sums and groupings stay exact."""
    frame = pd.DataFrame(SAMPLE * 3)
    got: Any = aid_frame(jinfeng, frame, ON)
    assert [got[name].dtype for name in AID_COLUMNS] == [
        pd.ArrowDtype(field.type) for field in AID_SCHEMA
    ]
    assert got["cash_total"].sum() == 3 * (Decimal("500.00") + Decimal("0.00"))
    assert isinstance(got["cash_total"].sum(), Decimal)
    by_stage = got.assign(stage=frame["stage"]).groupby("stage")["cash_total"].sum()
    assert by_stage.to_dict() == {
        "junior_secondary": Decimal("0.00"),
        "primary": Decimal("1500.00"),
    }
    # pandas shows the amounts as they are, with their two places.
    assert "500.00" in got.to_string()
    back = pa.Table.from_pandas(got, preserve_index=False)
    assert back.schema.types == AID_SCHEMA.types
    assert back.to_pylist() == aid_table(jinfeng, table_of(SAMPLE * 3), ON).to_pylist()


def test_a_column_no_arrow_type_holds_is_read_value_by_value(
    jinfeng: edupolicy.Policy,
) -> None:
    frame = pd.DataFrame(
        {
            "stage": ["primary", "primary", "primary"],
            "year": pd.Series([3, "three", None], dtype=object),
            "school_area": ["rural"] * 3,
            "id": pd.Series(["A", 7, "C"], dtype=object),
        }
    )
    got: Any = aid_frame(jinfeng, frame, ON)
    assert list(got["error"].isna()) == [True, False, False]
    assert [p["path"] for p in got.loc[1, "problems"]] == ["$.year", "$.id"]
    assert [p["path"] for p in got.loc[2, "problems"]] == ["$.year"]
    assert [None if v is pd.NA else v for v in got["id"]] == ["A", None, "C"]
    expected = jinfeng.aid({"stage": "primary", "year": 3, "school_area": "rural"}, ON)
    assert got.loc[0, "cash_total"] == expected.cash_total


def test_what_is_not_a_frame_is_refused(jinfeng: edupolicy.Policy) -> None:
    with pytest.raises(InvalidRecordError, match="must be a pandas DataFrame"):
        aid_frame(jinfeng, table_of(SAMPLE), ON)


# --- pickling, for other processes -------------------------------------------------------


@pytest.mark.parametrize(
    "derive",
    [
        lambda policy: policy,
        lambda policy: policy.with_readings({"continuity-gap": "no-gap"}),
        lambda policy: policy.with_changes(
            [Change(rule="primary-poor-grant", set={"benefit.amount": "600.00"}, reason="what if")]
        ),
    ],
)
def test_a_policy_pickles_and_evaluates_identically(
    jinfeng: edupolicy.Policy, derive: Callable[[edupolicy.Policy], edupolicy.Policy]
) -> None:
    policy = derive(jinfeng)
    policy.aid(SAMPLE[0], ON)  # its compiled tables are not part of what is pickled
    copy = pickle.loads(pickle.dumps(policy))
    assert (copy.region, copy.changes, dict(copy.readings)) == (
        policy.region,
        policy.changes,
        dict(policy.readings),
    )
    table = table_of(row_records(table_of(SAMPLE)) * 3)
    assert aid_table(copy, table, ON).equals(aid_table(policy, table, ON))
    for record in SAMPLE:
        assert copy.aid(record, ON, explain=True).to_json("zh_CN") == policy.aid(
            record, ON, explain=True
        ).to_json("zh_CN")


def test_a_stacked_policy_pickles(stacked: edupolicy.Policy) -> None:
    copy = pickle.loads(pickle.dumps(attrs.evolve(stacked)))
    record = {"stage": "primary", "year": 1, "school_area": "rural", "orphan": True}
    assert copy.aid(record, IN_2020) == stacked.aid(record, IN_2020)


# --- the extras --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "blocked", "extra"),
    [
        ("edupolicy.columnar", "pyarrow", "arrow"),
        ("edupolicy.columnar.pandas", "pandas", "pandas"),
        ("edupolicy.columnar.dask", "dask", "dask"),
    ],
)
def test_a_missing_extra_is_named(module: str, blocked: str, extra: str) -> None:
    """Without its dependency, a module says which extra to install, as our error."""
    code = (
        "import sys\n"
        "class Absent:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.partition('.')[0] == {blocked!r}:\n"
        "            raise ModuleNotFoundError(name=name)\n"
        "sys.meta_path.insert(0, Absent())\n"
        "from edupolicy import EdupolicyError\n"
        "try:\n"
        f"    import {module}\n"
        "except EdupolicyError as exc:\n"
        "    assert isinstance(exc, ImportError)\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert f"pip install 'edupolicy[{extra}]'" in done.stdout
    assert f"({blocked} is not installed)" in done.stdout


def test_the_missing_extra_error_is_ours() -> None:
    error = MissingExtraError("edupolicy.columnar", module="pyarrow", extra="arrow")
    assert isinstance(error, edupolicy.EdupolicyError)
    assert isinstance(error, ImportError)
    assert error.name == "pyarrow"
    assert "edupolicy[arrow]" in error.render("zh_CN")


# --- Dask, on a local cluster ----------------------------------------------------------


@pytest.fixture(scope="module")
def cluster_client() -> Any:
    """A local Dask cluster of two worker processes, and a client of it."""
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("dask.dataframe")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def roster_frame(size: int) -> Any:
    """A roster of ``size`` students: the valid and mutated records of a fixed draw."""
    records = [
        {"id": f"S{i}", "stage": stage.value, "year": 1 + i % 3,
         "school_area": ("urban", "rural")[i % 2], "boarding": i % 3 == 0,
         "household": [h.value for j, h in enumerate(edupolicy.Household) if i >> j & 1],
         "orphan": i % 7 == 0, "disabled": i % 11 == 0}
        for i, stage in zip(range(size), list(edupolicy.Stage) * size, strict=False)
    ]  # fmt: skip
    if size > 13:
        records[5]["year"] = 40  # beyond every stage
        records[9]["household"] = ["dibao", "dibao"]
        records[13]["id"] = " "
    return pd.DataFrame(records, index=pd.RangeIndex(100, 100 + size, name="key"))


@pytest.mark.slow
def test_dask_on_a_cluster_equals_the_frame(
    cluster_client: Any, jinfeng: edupolicy.Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    from edupolicy.columnar.dask import aid_dask

    frame = roster_frame(3_000)
    with dask.config.set({"dataframe.convert-string": False}):
        roster = dd.from_pandas(frame, npartitions=6)
    pickled = 0
    reduce = edupolicy.Policy.__reduce__

    def counted(policy: edupolicy.Policy) -> Any:
        nonlocal pickled
        pickled += 1
        return reduce(policy)

    monkeypatch.setattr(edupolicy.Policy, "__reduce__", counted)
    result: Any = aid_dask(jinfeng, roster, ON)
    assert list(result.columns) == list(AID_COLUMNS)
    got = result.compute()
    # Pickled to go to the cluster once or twice for its six partitions, not once each.
    assert 1 <= pickled <= 2
    expected = aid_frame(jinfeng, frame, ON)
    pd.testing.assert_frame_equal(got, expected)
    assert got["error"].notna().sum() == 3


def test_dask_refuses_what_is_not_a_dask_frame(jinfeng: edupolicy.Policy) -> None:
    dd = pytest.importorskip("dask.dataframe")
    from edupolicy.columnar.dask import aid_dask

    with pytest.raises(InvalidRecordError, match="must be a Dask DataFrame"):
        aid_dask(jinfeng, roster_frame(3), ON)
    roster = dd.from_pandas(roster_frame(3), npartitions=1)
    with pytest.raises(edupolicy.OutOfPeriodError):
        aid_dask(jinfeng, roster, "2030-01-01")


def assert_recipes(policy: edupolicy.Policy, frame: Any, students: Any, folder: Path) -> None:
    """The recipes of the Dask section of the docs, on ``students`` (a Dask frame of
    ``frame``), give what :meth:`~edupolicy.Policy.aid` gives each record: the cash in
    all, by stage, the students each rule applied to; the result written to Parquet
    and read back."""
    from edupolicy.columnar.dask import aid_dask

    dd = pytest.importorskip("dask.dataframe")
    pq = pytest.importorskip("pyarrow.parquet")
    cash: dict[str, Decimal] = defaultdict(Decimal)
    applied: Counter[str] = Counter()
    for record in frame.to_dict("records"):
        with contextlib.suppress(InvalidRecordError):
            result = policy.aid(record, ON)
            cash[record["stage"]] += result.cash_total
            applied.update(item.rule_id for item in result.items)

    aided: Any = aid_dask(policy, students, ON)
    assert dict(aided.dtypes) == dict(frame_meta().dtypes)
    total = aided.cash_total.sum().compute()
    assert isinstance(total, Decimal)
    assert total == sum(cash.values())
    by_stage = students.assign(cash=aided.cash_total).groupby("stage").cash.sum().compute()
    assert {stage: v for stage, v in by_stage.to_dict().items() if v} == {
        stage: v for stage, v in cash.items() if v
    }
    assert aided.rules.explode().value_counts().compute().to_dict() == dict(applied)

    aided.to_parquet(folder / "aid")
    written = pq.read_table(folder / "aid").select(list(AID_COLUMNS)).sort_by("row")
    expected = aid_table(policy, pa.Table.from_pandas(frame, preserve_index=False), ON)
    assert written.cast(AID_SCHEMA).to_pylist() == expected.to_pylist()
    # Whole rows, as the docs say: pandas cannot yet read a column of these files alone
    # (it fails on the list columns' types in the files' pandas metadata).
    back = dd.read_parquet(folder / "aid", dtype_backend="pyarrow").compute()
    assert back.cash_total.sum() == total


#: Dask's Parquet reader and writer still call pandas' set_index and reset_index with
#: inplace=True, which pandas 3.1 deprecates: a warning of theirs, not of edupolicy's.
DASK_PARQUET_WARNINGS = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame")


@DASK_PARQUET_WARNINGS
def test_the_dask_recipes_in_threads(jinfeng: edupolicy.Policy, tmp_path: Path) -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    frame = roster_frame(300)
    with dask.config.set({"dataframe.convert-string": False}):
        students = dd.from_pandas(frame, npartitions=3)
    assert_recipes(jinfeng, frame, students, tmp_path)


@pytest.mark.slow
@DASK_PARQUET_WARNINGS
def test_the_dask_recipes_on_a_cluster(
    cluster_client: Any, jinfeng: edupolicy.Policy, tmp_path: Path
) -> None:
    """On two worker processes, the roster read from Parquet files, as a host's is."""
    dd = pytest.importorskip("dask.dataframe")
    frame = roster_frame(3_000).reset_index(drop=True)
    (tmp_path / "roster").mkdir()
    for part in range(4):
        frame.iloc[part * 750 : (part + 1) * 750].to_parquet(
            tmp_path / "roster" / f"{part}.parquet"
        )
    students = dd.read_parquet(tmp_path / "roster", dtype_backend="pyarrow")
    assert students.npartitions == 4
    assert_recipes(jinfeng, frame, students, tmp_path)
