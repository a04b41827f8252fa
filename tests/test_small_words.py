"""Small words right: plurals, thousands, shares rounded, and what a reading covers."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import edupolicy
from edupolicy.i18n import years
from tests.clitools import run

ON = dt.date(2019, 9, 1)

#: 19 years and about 7 months at rural schools, with a leave of 200 days between.
LEAVE = {
    "id": "T1",
    "title": "senior",
    "service": [
        {"school_area": "rural", "start": "1999-07-20", "end": "2008-08-31"},
        {"school_area": "rural", "start": "2009-03-20", "end": None},
    ],
}


@pytest.mark.parametrize(
    ("count", "en", "zh"),
    [(1, "1 year", "1年"), (2, "2 years", "2年"), (5000, "5,000 years", "5,000年")],
)
def test_years_are_counted_in_each_language(count: int, en: str, zh: str) -> None:
    assert years(count).render("en") == en
    assert years(count).render("zh_CN") == zh


def test_a_budget_counts_students_with_thousands_and_plurals(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    rows = ["id,stage,year,school_area,household"]
    rows += [f"S{n},primary,3,rural,dibao" for n in range(5000)]
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("budget", "--region", "jinfeng", "--on", "2019-09-01", str(roster))
    assert result.status == 0, result.err
    assert "5,000 students: cash CN¥2,500,000.00 a year, 5,000 fee waivers; 0 skipped" in (
        result.out
    )
    one = tmp_path / "one.csv"
    one.write_text("id,stage,year,school_area\nS1,primary,3,urban\n", encoding="utf-8")
    result = run("budget", "--region", "jinfeng", "--on", "2019-09-01", str(one))
    assert "1 student: cash CN¥0.00 a year, 0 fee waivers; 0 skipped" in result.out


def test_one_rural_entry_is_one_entry(tmp_path: Path) -> None:
    awards = [{"id": f"A{n}", "school_area": "urban"} for n in range(3)]
    awards.append({"id": "A3", "school_area": "rural"})
    path = tmp_path / "awards.json"
    path.write_text(json.dumps(awards), encoding="utf-8")
    result = run("check-awards", "--region", "jinfeng", "--on", "2019-09-01", str(path))
    assert "or add 1 rural entry to the list as it is" in result.out
    assert "entries to the list" not in result.out


def _share_of(rural: int, size: int) -> Decimal:
    policy = edupolicy.load("jinfeng")
    awards = [{"id": f"R{n}", "school_area": "rural"} for n in range(rural)]
    awards += [{"id": f"U{n}", "school_area": "urban"} for n in range(size - rural)]
    return policy.check_awards(awards, ON).percent


def test_a_share_is_rounded_not_truncated() -> None:
    assert _share_of(2, 7) == Decimal("28.6")
    assert _share_of(1, 3) == Decimal("33.3")
    assert _share_of(2, 3) == Decimal("66.7")


def test_a_share_that_falls_short_is_never_shown_as_reaching_it() -> None:
    # 2,999 of 10,000 is 29.99%: rounded it would read 30.0%, the share it misses.
    check = edupolicy.load("jinfeng").check_awards(
        [{"id": f"R{n}", "school_area": "rural"} for n in range(2999)]
        + [{"id": f"U{n}", "school_area": "urban"} for n in range(7001)],
        ON,
    )
    assert not check.meets
    assert check.percent == Decimal("29.9")


@given(st.integers(min_value=1, max_value=400), st.data())
def test_a_share_shown_is_within_a_twentieth_of_a_point(size: int, data: st.DataObject) -> None:
    rural = data.draw(st.integers(min_value=0, max_value=size))
    shown = _share_of(rural, size)
    exact = Decimal(rural) * 100 / size
    assert abs(shown - exact) <= Decimal("0.1")
    meets = (
        edupolicy.load("jinfeng")
        .check_awards(
            [{"id": f"R{n}", "school_area": "rural"} for n in range(rural)]
            + [{"id": f"U{n}", "school_area": "urban"} for n in range(size - rural)],
            ON,
        )
        .meets
    )
    # A list that falls short is never shown at or above the share's 30%.
    assert meets or shown < 30


def test_the_one_year_reading_keeps_continuity_but_does_not_count_the_leave_as_years_taught() -> (
    None
):
    default = edupolicy.load("jinfeng").teacher(LEAVE, ON)
    generous = edupolicy.load("jinfeng", readings={"continuity-gap": "one-year"}).teacher(LEAVE, ON)
    # The 200-day leave breaks continuity under the default, not under one-year...
    assert default.service.continuous_years == 10
    assert generous.service.continuous_years == 20
    # ...but years taught (从教) stay 19 either way: no lift into the 20-year tier.
    assert default.service.total_years == generous.service.total_years == 19
    earned = {item.rule_id for item in generous.items}
    assert "rural-service-encouragement-15" in earned
    assert "rural-service-encouragement-20" not in earned


def test_the_one_year_reading_states_its_scope() -> None:
    policy = edupolicy.load("jinfeng")
    plan = policy.plan_on(ON)
    reading = next(r for r in plan.readings if r.id == "continuity-gap")
    choice = reading.choices[reading.choice_ids.index("one-year")]
    assert "连续任教" in choice.text.zh_CN
    assert "从教" in choice.text.zh_CN
    assert "continuous service (连续任教) only" in choice.text.en


def test_total_gap_days_splits_only_the_total() -> None:
    teacher = edupolicy.structure(LEAVE, edupolicy.Teacher)
    same = teacher.rural_service(ON, max_gap_days=365)
    split = teacher.rural_service(ON, max_gap_days=365, total_gap_days=92)
    assert same.continuous_years == split.continuous_years == 20
    assert (same.total_years, split.total_years) == (20, 19)
