"""Limits that are ours: sizes, depths, ranges and decimal arithmetic checked at the boundary.

Whatever a host passes, the answer is a result or an edupolicy error that renders and
names the field; and no result depends on the caller's ``decimal`` context.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import Any

import pytest

import edupolicy
from edupolicy.errors import show_value
from edupolicy.teachers import Posting, Teacher, Title
from edupolicy.values import SchoolArea
from tests.conftest import ON, record

INT_KEY: dict[Any, Any] = {**record(), 1: 0}


def nested(depth: int) -> list[Any]:
    outer: list[Any] = []
    inner = outer
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    return outer


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (record(year=10**5000), "$.year"),
        (record(year=10**12), "$.year"),
        (record(household=nested(1000)), "$"),
        (record(id="x" * 100_000), None),
        (INT_KEY, "$.1"),
        ({**record(), **{f"extra{i}": i for i in range(500)}}, "$"),
    ],
    ids=["huge-int", "big-int", "deep", "long-id", "int-key", "many-unknown-fields"],
)
def test_hostile_records_get_our_error_which_renders(
    jinfeng: edupolicy.Policy, data: dict[Any, Any], path: str | None
) -> None:
    if path is None:  # a long id is valid
        assert jinfeng.aid(data, ON).student_id == data["id"]
        return
    with pytest.raises(edupolicy.InvalidDataError) as caught:
        jinfeng.aid(data, ON)

    assert len(str(caught.value)) < 20_000
    assert caught.value.render("zh_CN")
    assert path in [p.path for p in caught.value.problems]


def test_an_error_lists_at_most_a_hundred_problems_and_counts_the_rest(
    jinfeng: edupolicy.Policy,
) -> None:
    data = {**record(), **{f"extra{i}": i for i in range(500)}}

    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.aid(data, ON)

    problems = caught.value.problems
    assert len(problems) == 101
    assert problems[-1].render() == "$: and more problems, not listed (got 400)"


def test_show_value_never_fails_and_stays_short() -> None:
    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert show_value(10**5000) == "(a whole number of about 5001 digits)"
    assert show_value(nested(5000)) == "[[[[…]]]]"
    assert show_value(Hostile()) == "(Hostile)"
    assert len(show_value("x" * 10_000)) == 80
    assert show_value({2: "b", "a": 1}) == '{"2": "b", "a": 1}'


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: p.progress({}, year=0), "year: must be a year from 1 to 9999 (got 0)"),
        (lambda p: p.progress({}, year=10000), "year: must be a year from 1 to 9999"),
        (lambda p: p.progress({}, year="2019"), "year: must be a whole number"),
        (lambda p: p.select("sanatorium", [], year=0), "year: must be a year from 1 to 9999"),
        (
            lambda p: p.progress(None, year=2019),
            "$: must be a list of observations or an object (got null)",
        ),
        (lambda p: p.progress(5, year=2019), "$: must be a list of observations or an object"),
    ],
    ids=["year-0", "year-10000", "year-text", "select-year-0", "none", "number"],
)
def test_bad_arguments_are_our_errors_naming_the_argument(
    jinfeng: edupolicy.Policy, call: Any, message: str
) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        call(jinfeng)

    assert message in str(caught.value)


@pytest.mark.parametrize("value", ["1" + "0" * 28, 10**28, "1" + "0" * 15])
def test_a_reported_figure_beyond_the_boundarys_range_is_refused(
    jinfeng: edupolicy.Policy, value: object
) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress({"primary-retention": value}, year=2019)

    (problem,) = caught.value.problems
    assert problem.path == "$.primary-retention"
    assert problem.message.render() == "must be less than 1000000000000000"


def test_the_largest_figure_the_boundary_admits_still_renders_as_json(
    jinfeng: edupolicy.Policy,
) -> None:
    lines = jinfeng.progress({"construction-investment": "999999999999999.9999"}, year=2019)

    for line in lines:
        line.to_json("zh_CN")


def test_results_do_not_depend_on_the_callers_decimal_context(jinfeng: edupolicy.Policy) -> None:
    student = record(stage="undergraduate", year=1, household=["registered_poor", "dibao"])
    expected = jinfeng.aid(student, ON).to_json("zh_CN")
    assert Decimal(expected["cash_total"]) >= 1000

    with decimal.localcontext(
        decimal.Context(prec=2, rounding=decimal.ROUND_FLOOR, traps=[decimal.Inexact])
    ):
        assert jinfeng.aid(student, ON).to_json("zh_CN") == expected
        assert jinfeng.aid(student, ON).to_json("en") == jinfeng.aid(student, ON).to_json("en")


def test_a_lowered_global_precision_does_not_break_the_plan(jinfeng: edupolicy.Policy) -> None:
    # What a careless plugin does at import.
    context = decimal.getcontext()
    saved = context.prec
    student = record(stage="undergraduate", year=1, household=["registered_poor"])
    expected = jinfeng.aid(student, ON).to_json()
    context.prec = 3
    try:
        assert jinfeng.aid(student, ON).to_json() == expected
        assert [f.code for f in jinfeng.check()]
    finally:
        context.prec = saved


def posting(area: str, start: str, end: str | None) -> Posting:
    return Posting(
        school_area=SchoolArea(area),
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end) if end else None,
    )


@pytest.mark.parametrize(
    "pair",
    [
        (posting("rural", "2010-09-01", "2010-09-01"), posting("urban", "2010-09-01", None)),
        (posting("rural", "2004-09-01", "2010-09-01"), posting("urban", "2010-09-01", None)),
        (posting("rural", "2004-09-01", None), posting("urban", "2010-09-01", None)),
        (posting("rural", "2004-09-01", "2010-09-02"), posting("urban", "2010-09-01", None)),
    ],
    ids=["one-day-on-transfer", "transfer", "both-open", "two-days-shared"],
)
def test_postings_are_valid_or_not_whatever_their_order(pair: tuple[Posting, Posting]) -> None:
    def accepted(postings: tuple[Posting, ...]) -> bool:
        try:
            Teacher(title=Title.JUNIOR, service=postings)
        except edupolicy.InvalidRecordError:
            return False
        return True

    assert accepted(pair) == accepted(pair[::-1])


def test_service_does_not_depend_on_the_order_of_postings() -> None:
    postings = (
        posting("rural", "2004-09-01", "2010-09-01"),
        posting("rural", "2010-09-01", None),
        posting("urban", "1999-09-01", "2004-08-31"),
    )
    services = {
        Teacher(title=Title.JUNIOR, service=order).rural_service(ON, max_gap_days=92)
        for order in (postings, postings[::-1], postings[1:] + postings[:1])
    }
    assert len(services) == 1
