"""The strict JSON boundary of student records, and exact money.

A host sends records as JSON.  Nothing is coerced: each bad field is reported by its
JSON path and the value exactly as it was sent, all bad fields of a record at once,
through ``edupolicy.structure`` and ``Policy.aid`` alike.
"""

from __future__ import annotations

import decimal
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import edupolicy
from edupolicy import Household, InvalidRecordError, SchoolArea, Stage, Student, money
from edupolicy.errors import MISSING, InvalidDataError
from tests.conftest import ON, record

Parse = Callable[[object], object]


@pytest.fixture(params=["structure", "Policy.aid"])
def parse(request: pytest.FixtureRequest, jinfeng: edupolicy.Policy) -> Parse:
    """Each public door a JSON record comes in through."""
    if request.param == "structure":
        return lambda data: edupolicy.structure(data, Student)

    def aid(data: object) -> object:
        return jinfeng.aid(data, ON)  # type: ignore[arg-type]

    return aid


def problems_of(parse: Parse, data: object) -> InvalidRecordError:
    with pytest.raises(InvalidRecordError) as excinfo:
        parse(data)
    return excinfo.value


def same(left: object, right: object) -> bool:
    """Equal and of the same type: ``True`` is not ``1``, ``"3"`` is not ``3``."""
    return type(left) is type(right) and left == right


# One bad field per case: (record, JSON path, offending value, the value as shown).
BAD_FIELDS: dict[str, tuple[object, str, object, str]] = {
    "unknown field": (record(schol_area="rural"), "$.schol_area", "rural", '"rural"'),
    "string false for a bool": (record(boarding="false"), "$.boarding", "false", '"false"'),
    "string true for orphan": (record(orphan="true"), "$.orphan", "true", '"true"'),
    "int for disabled": (record(disabled=1), "$.disabled", 1, "1"),
    "float year": (record(year=2.5), "$.year", 2.5, "2.5"),
    "string year": (record(year="3"), "$.year", "3", '"3"'),
    "bool year": (record(year=True), "$.year", True, "true"),
    "year 0": (record(year=0), "$.year", 0, "0"),
    "year -1": (record(year=-1), "$.year", -1, "-1"),
    "null year": (record(year=None), "$.year", None, "null"),
    "unknown stage": (record(stage="kindergarten"), "$.stage", "kindergarten", '"kindergarten"'),
    "stage in another case": (record(stage="Primary"), "$.stage", "Primary", '"Primary"'),
    "unknown school area": (record(school_area="town"), "$.school_area", "town", '"town"'),
    "unknown household status": (
        record(household=["dibao", "poor"]),
        "$.household[1]",
        "poor",
        '"poor"',
    ),
    "household status listed twice": (
        record(household=["dibao", "registered_poor", "dibao"]),
        "$.household[2]",
        "dibao",
        '"dibao"',
    ),
    "household not a list": (record(household="dibao"), "$.household", "dibao", '"dibao"'),
    "household an object": (
        record(household={"dibao": True}),
        "$.household",
        {"dibao": True},
        '{"dibao": true}',
    ),
    "id a number": (record(id=17), "$.id", 17, "17"),
    "id empty": (record(id=""), "$.id", "", '""'),
}


@pytest.mark.parametrize("case", list(BAD_FIELDS))
def test_bad_field_is_reported_with_its_path_and_value(parse: Parse, case: str) -> None:
    data, path, value, shown = BAD_FIELDS[case]

    error = problems_of(parse, data)

    (problem,) = error.problems
    assert problem.path == path
    assert same(problem.value, value)
    text = str(error)
    assert f"{path}: " in text
    assert f"(got {shown})" in text


@pytest.mark.parametrize("field", ["stage", "year", "school_area"])
def test_missing_required_field_is_reported(parse: Parse, field: str) -> None:
    data = record()
    del data[field]

    error = problems_of(parse, data)

    (problem,) = error.problems
    assert problem.path == f"$.{field}"
    assert problem.value is MISSING
    assert f"$.{field}: " in str(error)
    assert "missing" in str(error)


@pytest.mark.parametrize(
    ("data", "shown"),
    [([record()], "[{"), ("primary", '"primary"'), (None, "null"), (3, "3")],
    ids=["list", "string", "null", "number"],
)
def test_record_that_is_not_an_object_is_refused(parse: Parse, data: object, shown: str) -> None:
    error = problems_of(parse, data)

    (problem,) = error.problems
    assert problem.path == "$"
    assert same(problem.value, data)
    assert "$: " in str(error)
    assert f"(got {shown}" in str(error)


def test_every_bad_field_of_a_record_is_reported_at_once(parse: Parse) -> None:
    data: dict[str, Any] = {
        "year": 2.5,
        "school_area": "rural",
        "schol_area": "rural",
        "boarding": "false",
        "household": ["dibao", "poor"],
        "id": 17,
    }

    error = problems_of(parse, data)

    found = {problem.path: problem.value for problem in error.problems}
    assert set(found) == {
        "$.stage",
        "$.year",
        "$.schol_area",
        "$.boarding",
        "$.household[1]",
        "$.id",
    }
    assert found["$.stage"] is MISSING
    assert same(found["$.year"], 2.5)
    assert same(found["$.boarding"], "false")
    assert same(found["$.household[1]"], "poor")
    text = str(error)
    for path in found:
        assert f"{path}: " in text


def test_several_bad_household_statuses_are_all_reported(parse: Parse) -> None:
    error = problems_of(parse, record(household=["poor", "dibao", "dibao", 7]))

    assert [(p.path, p.value) for p in error.problems] == [
        ("$.household[0]", "poor"),
        ("$.household[2]", "dibao"),
        ("$.household[3]", 7),
    ]


def test_problem_as_json_names_path_value_and_message(parse: Parse) -> None:
    error = problems_of(parse, record(boarding="false"))

    (problem,) = error.problems
    as_json = problem.to_json()
    assert as_json["path"] == "$.boarding"
    assert as_json["value"] == '"false"'
    assert as_json["message"]
    assert json.loads(json.dumps(as_json)) == as_json


def test_policy_aid_rejects_a_year_beyond_the_stage_in_the_plan(
    jinfeng: edupolicy.Policy,
) -> None:
    with pytest.raises(InvalidRecordError) as excinfo:
        jinfeng.aid(record(stage="primary", year=7), ON)

    (problem,) = excinfo.value.problems
    assert (problem.path, problem.value) == ("$.year", 7)
    assert "$.year" in str(excinfo.value)
    assert "6" in str(excinfo.value)


@pytest.mark.parametrize("locale", ["zh_CN", "zh-CN", "zh_CN.UTF-8"])
def test_errors_in_chinese_still_name_the_path_and_the_value(locale: str) -> None:
    with pytest.raises(InvalidRecordError) as excinfo:
        edupolicy.structure(record(year=2.5, schol_area="rural"), Student, locale=locale)

    error = excinfo.value
    assert error.locale == "zh_CN"
    assert {(p.path, p.value) for p in error.problems} == {
        ("$.year", 2.5),
        ("$.schol_area", "rural"),
    }
    text = str(error)
    assert "$.year" in text
    assert "2.5" in text
    assert "$.schol_area" in text
    assert '"rural"' in text
    # The same error shown in English says something else around the same facts.
    assert text != error.render("en")
    assert "$.year" in error.render("en")


def test_policy_aid_errors_in_chinese_name_the_path_and_value(
    jinfeng: edupolicy.Policy,
) -> None:
    with pytest.raises(InvalidRecordError) as excinfo:
        jinfeng.aid(record(boarding="false"), ON, locale="zh_CN")

    text = str(excinfo.value)
    assert "$.boarding" in text
    assert '"false"' in text


# --- valid records ---------------------------------------------------------------------------


def test_valid_record_takes_defaults_for_optional_fields() -> None:
    student = edupolicy.structure({"stage": "primary", "year": 1, "school_area": "rural"}, Student)

    assert student == Student(stage=Stage.PRIMARY, year=1, school_area=SchoolArea.RURAL)
    assert student.boarding is False
    assert student.household == frozenset()
    assert student.orphan is False
    assert student.disabled is False
    assert student.id is None


def test_valid_record_with_every_field() -> None:
    student = edupolicy.structure(
        {
            "id": "S-001",
            "stage": "junior_secondary",
            "year": 3,
            "school_area": "urban",
            "boarding": True,
            "household": ["migrant_worker", "dibao"],
            "orphan": True,
            "disabled": True,
        },
        Student,
    )

    assert student.id == "S-001"
    assert student.stage is Stage.JUNIOR_SECONDARY
    assert student.year == 3
    assert student.school_area is SchoolArea.URBAN
    assert student.boarding is True
    assert student.household == frozenset({Household.MIGRANT_WORKER, Household.DIBAO})
    assert student.orphan is True
    assert student.disabled is True


@pytest.mark.parametrize("stage", [stage.value for stage in Stage])
def test_every_stage_of_the_vocabulary_is_accepted(stage: str) -> None:
    assert edupolicy.structure(record(stage=stage), Student).stage.value == stage


def test_every_household_status_of_the_vocabulary_is_accepted() -> None:
    statuses = ["dibao", "registered_poor", "other_hardship", "shaosheng_kuaifu", "migrant_worker"]

    student = edupolicy.structure(record(household=statuses), Student)

    assert sorted(status.value for status in student.household) == sorted(statuses)


@pytest.mark.parametrize(
    "data",
    [
        record(),
        record(
            id="S-9",
            stage="undergraduate",
            year=1,
            school_area="urban",
            boarding=True,
            household=["shaosheng_kuaifu", "dibao"],
            orphan=True,
            disabled=True,
        ),
    ],
    ids=["minimal", "full"],
)
def test_to_json_round_trips_through_from_json(data: dict[str, Any]) -> None:
    student = edupolicy.structure(data, Student)

    as_json = student.to_json()

    assert json.loads(json.dumps(as_json)) == as_json
    assert edupolicy.structure(as_json, Student) == student
    assert edupolicy.structure(json.loads(json.dumps(as_json)), Student) == student


def test_to_json_uses_the_vocabulary_of_the_boundary() -> None:
    student = edupolicy.structure(record(household=["other_hardship", "dibao"], id="A1"), Student)

    assert student.to_json() == {
        "stage": "primary",
        "year": 1,
        "school_area": "rural",
        "boarding": False,
        "household": ["dibao", "other_hardship"],
        "orphan": False,
        "disabled": False,
        "id": "A1",
    }


def test_policy_aid_accepts_a_valid_json_record(jinfeng: edupolicy.Policy) -> None:
    result = jinfeng.aid(record(year=3, household=["dibao"]), ON)

    assert result.cash_total == Decimal("500.00")


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1000", "1000.00"),
        ("1000.00", "1000.00"),
        ("0.5", "0.50"),
        ("12.34", "12.34"),
        (1000, "1000.00"),
        (0, "0.00"),
        (Decimal("2500"), "2500.00"),
        (Decimal("0.01"), "0.01"),
        (Decimal("3.10"), "3.10"),
    ],
)
def test_money_is_exact_yuan_to_the_fen(value: str | int | Decimal, expected: str) -> None:
    amount = money(value)

    assert isinstance(amount, Decimal)
    assert str(amount) == expected


@pytest.mark.parametrize("value", [0.1, 1000.0, 2.5, True, None, [1]])
def test_money_refuses_floats_bools_and_other_types(value: object) -> None:
    with pytest.raises(InvalidDataError) as caught:
        money(value)  # type: ignore[arg-type]

    # Ours, and still the TypeError it has always been.
    assert isinstance(caught.value, TypeError)
    (problem,) = caught.value.problems
    assert problem.message.render() == (
        f"money must be a str, int or Decimal, not {type(value).__name__}"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.001", "money is counted in whole fen"),
        ("1000.005", "money is counted in whole fen"),
        (Decimal("12.345"), "money is counted in whole fen"),
        (Decimal("0.0001"), "money is counted in whole fen"),
        (Decimal("NaN"), "money must be finite"),
        (Decimal("Infinity"), "money must be finite"),
        ("1" * 27, "money must be at most 999999999999999.99"),
        (10**20, "money must be at most 999999999999999.99"),
    ],
)
def test_money_refuses_fractions_of_a_fen_and_out_of_range_numbers(
    value: str | int | Decimal, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        money(value)

    assert isinstance(caught.value, InvalidDataError)


@pytest.mark.parametrize(
    "value", ["abc", "1,000", "", "NaN", "Infinity", "1_000", "1E+2", "١٠٠", "+5", "007", "5."]
)
def test_money_refuses_text_that_is_not_plain_digits_naming_the_text(value: str) -> None:
    with pytest.raises(InvalidDataError) as caught:
        money(value)

    (problem,) = caught.value.problems
    assert problem.value == value
    assert problem.message.render() == "money must be a number of yuan"


def test_money_does_not_depend_on_the_callers_decimal_context() -> None:
    with decimal.localcontext(decimal.Context(prec=3, traps=[decimal.Inexact, decimal.Rounded])):
        assert money("123456789.12") == Decimal("123456789.12")
