"""The teacher record at the JSON boundary, and years of rural service on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from edupolicy.errors import InvalidRecordError
from edupolicy.io import structure
from edupolicy.teachers import Posting, RuralService, Teacher, Title, add_years, completed_years
from edupolicy.values import SchoolArea

#: The longest gap between rural postings that keeps a run, as the Jinfeng plan reads it.
GAP = 92


def posting(area: str, start: str, end: str | None = None) -> dict[str, Any]:
    return {"school_area": area, "start": start, "end": end}


def teacher(*postings: object, **fields: Any) -> dict[str, Any]:
    """A JSON-shaped teacher record with a junior title and the given postings."""
    base: dict[str, Any] = {"title": "junior", "service": list(postings)}
    base.update(fields)
    return base


def service(record: dict[str, Any], on: str, gap: int = GAP) -> RuralService:
    return structure(record, Teacher).rural_service(dt.date.fromisoformat(on), max_gap_days=gap)


def problems(data: object) -> list[str]:
    with pytest.raises(InvalidRecordError) as excinfo:
        structure(data, Teacher)
    assert excinfo.value.heading.render() == "Invalid teacher record"
    return [problem.render() for problem in excinfo.value.problems]


# --- the record --------------------------------------------------------------------------------


def test_a_full_record_is_read_and_written_back() -> None:
    data = {
        "id": "T-07",
        "service": [
            posting("urban", "1998-09-01", "2004-08-31"),
            posting("rural", "2004-09-01"),
        ],
        "title": "intermediate",
        "meets_title_criteria": True,
        "outstanding": True,
    }

    record = structure(data, Teacher)

    assert record.id == "T-07"
    assert record.title is Title.INTERMEDIATE
    assert record.service == (
        Posting(
            school_area=SchoolArea.URBAN,
            start=dt.date(1998, 9, 1),
            end=dt.date(2004, 8, 31),
        ),
        Posting(school_area=SchoolArea.RURAL, start=dt.date(2004, 9, 1), end=None),
    )
    assert record.meets_title_criteria is True
    assert record.outstanding is True
    assert record.to_json() == data


def test_flags_default_to_false_and_id_to_null() -> None:
    record = structure({"title": "none", "service": []}, Teacher)

    assert record.meets_title_criteria is False
    assert record.outstanding is False
    assert record.id is None
    assert record.service == ()


def test_title_and_service_are_required() -> None:
    assert problems({}) == [
        "$.service: required field is missing (got (missing))",
        "$.title: required field is missing (got (missing))",
    ]


def test_every_bad_field_is_reported_at_once_with_path_and_value() -> None:
    data = {
        "id": "T1",
        "service": [
            posting("rural", "2004-09-01", "2003-08-31"),
            {"school_area": "suburban", "start": "2004-13-01"},
            posting("rural", "2010-09-01", "2011-02-30"),
            {"school_area": "rural", "start": "2012-09-01", "until": "2013-07-31"},
        ],
        "title": "professor",
        "outstanding": "yes",
        "meets_title_criterion": True,
    }

    assert sorted(problems(data)) == sorted(
        [
            '$.service[0].end: the posting ends before it starts (2004-09-01) (got "2003-08-31")',
            '$.service[1].school_area: must be one of: urban, rural (got "suburban")',
            '$.service[1].start: must be a date written YYYY-MM-DD (got "2004-13-01")',
            '$.service[2].end: must be a date written YYYY-MM-DD (got "2011-02-30")',
            '$.service[3].until: unknown field (got "2013-07-31")',
            '$.title: must be one of: none, junior, intermediate, senior (got "professor")',
            '$.outstanding: must be true or false (got "yes")',
            "$.meets_title_criterion: unknown field; did you mean meets_title_criteria? (got true)",
        ]
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("T1", '$: must be a JSON object (got "T1")'),
        (teacher(service={}), "$.service: must be a list (got {})"),
        (teacher("rural"), '$.service[0]: must be a JSON object (got "rural")'),
        (teacher(posting("rural", "2004-9-1")), "$.service[0].start: must be a date written"),
        (teacher(id=""), '$.id: must not be empty (got "")'),
        (teacher(meets_title_criteria=1), "$.meets_title_criteria: must be true or false (got 1)"),
    ],
    ids=[
        "not-an-object",
        "service-not-a-list",
        "posting-not-an-object",
        "short-date",
        "empty-id",
        "number-for-bool",
    ],
)
def test_bad_values_are_refused(data: object, expected: str) -> None:
    (line,) = problems(data)
    assert line.startswith(expected)


def test_overlapping_postings_are_an_error_naming_both() -> None:
    data = teacher(
        posting("rural", "2004-09-01", "2012-07-31"),
        posting("urban", "2012-08-01", "2014-07-31"),
        posting("rural", "2011-09-01", "2013-07-31"),
    )

    assert problems(data) == [
        "$.service[2]: overlaps the posting at [0] (2004-09-01–2012-07-31) "
        '(got {"end": "2013-07-31", "school_area": "rural", "start": "2011-09-01"})',
        "$.service[2]: overlaps the posting at [1] (2012-08-01–2014-07-31) "
        '(got {"end": "2013-07-31", "school_area": "rural", "start": "2011-09-01"})',
    ]


def test_two_postings_that_have_not_ended_overlap() -> None:
    data = teacher(posting("rural", "2004-09-01"), posting("urban", "2015-09-01"))

    (line,) = problems(data)
    assert line.startswith("$.service[1]: overlaps the posting at [0] (2004-09-01–…)")


def test_a_posting_may_start_on_the_day_the_one_before_ends() -> None:
    record = structure(
        teacher(posting("rural", "2004-09-01", "2012-09-01"), posting("urban", "2012-09-01")),
        Teacher,
    )

    # On the day of the transfer the teacher is in the new posting.
    assert record.posting_on(dt.date(2012, 9, 1)) == record.service[1]
    assert record.posting_on(dt.date(2012, 8, 31)) == record.service[0]


# --- counting years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "on", "years"),
    [
        ("2004-09-01", "2019-08-31", 14),
        ("2004-09-01", "2019-09-01", 15),
        ("2004-09-01", "2019-09-02", 15),
        ("2004-09-01", "2004-09-01", 0),
        ("2004-09-01", "2004-08-31", 0),
        ("2004-02-29", "2005-02-27", 0),
        ("2004-02-29", "2005-02-28", 1),
        ("2004-02-29", "2008-02-28", 3),
        ("2004-02-29", "2008-02-29", 4),
    ],
)
def test_years_are_completed_anniversaries(start: str, on: str, years: int) -> None:
    assert completed_years(dt.date.fromisoformat(start), dt.date.fromisoformat(on)) == years


def test_the_29th_of_february_moves_to_the_28th_in_a_common_year() -> None:
    assert add_years(dt.date(2004, 2, 29), 1) == dt.date(2005, 2, 28)
    assert add_years(dt.date(2004, 2, 29), 4) == dt.date(2008, 2, 29)


@pytest.mark.parametrize("years", [10, 15, 20, 25])
@pytest.mark.parametrize(
    ("on", "expected"), [("2019-08-31", -1), ("2019-09-01", 0), ("2019-09-02", 0)]
)
def test_one_rural_posting_reaches_its_years_on_the_anniversary(
    years: int, on: str, expected: int
) -> None:
    record = teacher(posting("rural", f"{2019 - years}-09-01"))

    counted = service(record, on)

    assert counted.continuous_years == years + expected
    assert counted.total_years == years + expected
    assert counted.continuous_since == dt.date(2019 - years, 9, 1)
    assert counted.current_area is SchoolArea.RURAL


def test_an_urban_posting_breaks_the_run_but_not_the_total() -> None:
    record = teacher(
        posting("rural", "1990-09-01", "2004-08-31"),
        posting("urban", "2004-09-01", "2005-08-31"),
        posting("rural", "2005-09-01"),
    )

    counted = service(record, "2019-09-01")

    assert counted.continuous_since == dt.date(2005, 9, 1)
    assert counted.continuous_years == 14
    assert counted.total_years == 28
    assert counted.continuous_reached_on(15) == dt.date(2020, 9, 1)


def test_even_a_one_day_urban_posting_breaks_the_run() -> None:
    record = teacher(
        posting("rural", "2000-09-01", "2010-08-30"),
        posting("urban", "2010-08-31", "2010-08-31"),
        posting("rural", "2010-09-01"),
    )

    counted = service(record, "2019-09-01")

    assert counted.continuous_since == dt.date(2010, 9, 1)
    assert counted.continuous_years == 9
    assert counted.total_years == 18


@pytest.mark.parametrize(("gap", "unbroken"), [(91, True), (92, True), (93, False)])
def test_a_gap_of_up_to_92_days_between_rural_postings_keeps_the_run(
    gap: int, unbroken: bool
) -> None:
    first_end = dt.date(2009, 6, 30)
    second_start = first_end + dt.timedelta(days=gap + 1)
    record = teacher(
        posting("rural", "2004-09-01", first_end.isoformat()),
        posting("rural", second_start.isoformat()),
    )

    counted = service(record, "2019-09-01")

    if unbroken:
        assert counted.continuous_since == dt.date(2004, 9, 1)
        assert counted.continuous_years == 15
        # The days of a short gap count as service.
        assert counted.total_years == 15
    else:
        assert counted.continuous_since == second_start
        assert counted.continuous_years == 9
        # The days of a long gap do not.
        assert counted.total_years == 14


def test_the_gap_rule_comes_from_the_caller() -> None:
    record = teacher(posting("rural", "2004-09-01", "2009-06-30"), posting("rural", "2009-09-01"))

    assert service(record, "2019-09-01", gap=92).continuous_years == 15
    assert service(record, "2019-09-01", gap=30).continuous_years == 10


def test_a_teacher_at_an_urban_school_has_no_continuous_rural_service() -> None:
    record = teacher(posting("rural", "1995-09-01", "2015-08-31"), posting("urban", "2015-09-01"))

    counted = service(record, "2019-09-01")

    assert counted.current_area is SchoolArea.URBAN
    assert counted.continuous_since is None
    assert counted.continuous_years == 0
    assert counted.total_years == 20
    assert counted.continuous_reached_on(15) is None
    assert counted.total_reached_on(25) is None


def test_a_run_that_ended_before_the_date_is_not_continuous_service() -> None:
    record = teacher(posting("rural", "1999-09-01", "2019-07-15"))

    counted = service(record, "2019-09-01")

    assert counted.current_area is None
    assert counted.continuous_years == 0
    assert counted.total_years == 19


def test_a_date_within_a_short_gap_of_a_run_is_in_the_run() -> None:
    record = teacher(posting("rural", "2004-09-01", "2019-07-15"), posting("rural", "2019-09-01"))

    counted = service(record, "2019-08-01")

    assert counted.current_area is SchoolArea.RURAL
    assert counted.continuous_since == dt.date(2004, 9, 1)
    assert counted.continuous_years == 14


def test_postings_after_the_date_do_not_count() -> None:
    record = teacher(posting("urban", "2010-09-01", "2019-08-31"), posting("rural", "2019-09-01"))

    counted = service(record, "2019-08-31")

    assert counted.current_area is SchoolArea.URBAN
    assert counted.total_days == 0
    assert counted.total_years == 0


def test_total_years_add_the_runs_as_if_served_back_to_back() -> None:
    # Five years, an urban posting, then ten years: fifteen in all on the tenth
    # anniversary of the second run, and fourteen the day before.
    record = teacher(
        posting("rural", "2000-09-01", "2005-08-31"),
        posting("urban", "2005-09-01", "2010-08-31"),
        posting("rural", "2010-09-01"),
    )

    before, on = service(record, "2020-08-31"), service(record, "2020-09-01")

    assert (before.total_years, on.total_years) == (14, 15)
    assert (before.continuous_years, on.continuous_years) == (9, 10)
    assert before.total_reached_on(15) == dt.date(2020, 9, 1)


def test_the_day_a_total_is_reached_is_the_first_day_with_that_total() -> None:
    record = teacher(
        posting("rural", "1996-03-04", "2001-01-19"),
        posting("rural", "2003-09-01", "2007-02-28"),
        posting("urban", "2007-03-01", "2008-08-31"),
        posting("rural", "2008-09-01"),
    )
    counted = service(record, "2019-09-01")
    reached = counted.total_reached_on(25)
    assert reached is not None

    assert service(record, reached.isoformat()).total_years == 25
    assert service(record, (reached - dt.timedelta(days=1)).isoformat()).total_years == 24


def test_service_as_json() -> None:
    record = teacher(posting("urban", "1998-09-01", "2004-08-31"), posting("rural", "2004-09-01"))

    assert service(record, "2019-09-01").to_json() == {
        "on": "2019-09-01",
        "current_school_area": "rural",
        "continuous_rural_years": 15,
        "continuous_since": "2004-09-01",
        "total_rural_years": 15,
        "total_rural_days": 5478,
    }


def test_titles_are_ordered_lowest_first() -> None:
    assert [title.rank for title in Title] == [0, 1, 2, 3]
    assert Title.INTERMEDIATE.label.render("en") == "intermediate title"


def test_records_made_in_python_are_checked_too() -> None:
    rural = SchoolArea.RURAL
    with pytest.raises(InvalidRecordError) as excinfo:
        Posting(school_area=rural, start=dt.date(2010, 9, 1), end=dt.date(2010, 8, 31))
    assert [p.render() for p in excinfo.value.problems] == [
        "$.end: the posting ends before it starts (2010-09-01) (got 2010-08-31)"
    ]

    with pytest.raises(InvalidRecordError) as excinfo:
        Teacher(
            title=Title.JUNIOR,
            service=(
                Posting(school_area=rural, start=dt.date(2004, 9, 1)),
                Posting(school_area=SchoolArea.URBAN, start=dt.date(2012, 9, 1)),
            ),
        )
    assert [p.render() for p in excinfo.value.problems] == [
        '$.service[1]: overlaps the posting at [0] (2004-09-01–…) (got "2012-09-01–…")'
    ]
