"""Teacher incentives: the region-neutral engine, cohort quotas and shares, and the Jinfeng rules.

The engine is exercised through small plans written for each test, loaded with
:func:`edupolicy.load_plan` as a plugin author would load them; the Jinfeng rules
through the installed region, as a host uses them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import edupolicy
import edupolicy_jinfeng
from edupolicy.errors import (
    EdupolicyError,
    ImpossibleShareError,
    InvalidRecordError,
    OutOfPeriodError,
    PlanDataError,
    RuleConflictError,
)
from edupolicy.io import structure
from edupolicy.plans import Plan
from edupolicy.rules import walk
from edupolicy.teachers import (
    Allowance,
    Award,
    ContinuousRuralYears,
    OutcomeKind,
    RankKey,
    RelaxedHonours,
    Selection,
    Teacher,
    TeacherResult,
    TeacherSchedule,
    Title,
    TitleExemption,
    TotalRuralYears,
    check_list,
    evaluate_incentives,
    requirement_for,
    select_from,
)
from tests.planfiles import plan_text, write_plan

# --- building records --------------------------------------------------------------------------


def posting(area: str, start: str, end: str | None = None) -> dict[str, Any]:
    return {"school_area": area, "start": start, "end": end}


def teacher(*postings: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A teacher meeting the title criteria, outstanding, with a junior title."""
    base: dict[str, Any] = {
        "title": "junior",
        "meets_title_criteria": True,
        "outstanding": True,
        "service": list(postings),
    }
    base.update(fields)
    return base


def rural_since(start: str, **fields: Any) -> dict[str, Any]:
    """A teacher at a rural school since ``start``."""
    return teacher(posting("rural", start), **fields)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- small plans for the engine ----------------------------------------------------------------

SOURCE = '{ section = "1", quote = "测试条文" }'


def plan_file(tmp_path: Path, teachers: str) -> Path:
    """A plan file in force in 2020, without aid, with ``teachers`` as its teacher tables."""
    body = f"""
[aid]
rules = []

[teachers.continuity]
max_gap_days = 60
source = {SOURCE}

{teachers}
"""
    return write_plan(tmp_path, plan_text(body))


def schedule(tmp_path: Path, teachers: str) -> TeacherSchedule:
    plan: Plan = edupolicy.load_plan(plan_file(tmp_path, teachers))
    assert plan.teachers is not None
    return plan.teachers


def plan_problems(tmp_path: Path, teachers: str) -> list[str]:
    with pytest.raises(PlanDataError) as excinfo:
        edupolicy.load_plan(plan_file(tmp_path, teachers))
    return [problem.render() for problem in excinfo.value.problems]


def incentive(
    rule_id: str,
    when: str,
    outcome: str = '{ kind = "recognition", description = { zh_CN = "鼓励", en = "praise" } }',
    extra: str = "",
) -> str:
    return f"""
[[teachers.rules]]
id = "{rule_id}"
name = {{ zh_CN = "规则{rule_id}", en = "Rule {rule_id}" }}
when = {when}
outcome = {outcome}
source = {SOURCE}
{extra}
"""


def evaluate(
    found: TeacherSchedule, record: dict[str, Any], on: str, *, explain: bool = True
) -> TeacherResult:
    return evaluate_incentives(
        found,
        structure(record, Teacher),
        region="test",
        plan="test-plan",
        on=day(on),
        explain=explain,
    )


def applied(result: TeacherResult) -> list[str]:
    return [item.rule_id for item in result.items]


# --- the engine: conditions and outcomes -------------------------------------------------------


def test_every_condition_of_the_plan_vocabulary_is_read_and_evaluated(tmp_path: Path) -> None:
    found = schedule(
        tmp_path,
        incentive(
            "all-of-them",
            """{ all = [
                { continuous_rural_years = { min = 5, max = 9 } },
                { total_rural_years = { min = 6 } },
                { title = ["junior", "intermediate"] },
                { meets_title_criteria = true },
                { outstanding = true },
                { school_area = "rural" },
                { not = { any = [{ title = ["senior"] }, { outstanding = false }] } },
            ] }""",
        ),
    )
    history = teacher(
        posting("rural", "2005-09-01", "2008-08-31"),
        posting("urban", "2008-09-01", "2012-08-31"),
        posting("rural", "2012-09-01"),
    )

    assert applied(evaluate(found, history, "2020-09-01")) == ["all-of-them"]
    # Eight continuous years, eleven in all; on 2021-09-01 the run reaches nine...
    assert applied(evaluate(found, history, "2020-08-31")) == ["all-of-them"]
    # ... and before 2017-09-01 it is below five.
    early = evaluate(found, history, "2017-08-31")
    assert applied(early) == []
    (entry,) = early.not_applied or ()
    assert entry.reason.render() == (
        "4 years of continuous rural service, but the rule requires 5 to 9 years of "
        "continuous rural service"
    )


def test_an_unknown_condition_is_reported_with_its_path(tmp_path: Path) -> None:
    problems = plan_problems(
        tmp_path,
        incentive("r", "{ all = [{ outstanding = true }, { rural_years = { min = 5 } }] }"),
    )

    (line,) = problems
    assert line.startswith("$.teachers.rules[0].when.all[1]: unknown condition rural_years;")
    assert "continuous_rural_years, total_rural_years" in line


def test_bad_condition_values_are_reported_with_their_paths(tmp_path: Path) -> None:
    problems = plan_problems(
        tmp_path,
        incentive(
            "r",
            """{ all = [
                { continuous_rural_years = { min = 0 } },
                { total_rural_years = { min = 10, max = 5 } },
                { title = ["dean"] },
                { outstanding = "yes" },
            ] }""",
        ),
    )

    assert sorted(problems) == sorted(
        [
            "$.teachers.rules[0].when.all[0].continuous_rural_years.min: must be 1 or more (got 0)",
            "$.teachers.rules[0].when.all[1].total_rural_years.max: must not be less than min "
            "(got 5)",
            "$.teachers.rules[0].when.all[2].title[0]: must be one of: none, junior, "
            'intermediate, senior (got "dean")',
            '$.teachers.rules[0].when.all[3].outstanding: must be true or false (got "yes")',
        ]
    )


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (
            '{ kind = "title_exemption" }',
            "$.teachers.rules[0].outcome.level: an outcome of kind title_exemption needs the "
            "field level (got (missing))",
        ),
        (
            '{ kind = "title_exemption", level = "none" }',
            '$.teachers.rules[0].outcome.level: must be a title: junior or higher (got "none")',
        ),
        (
            '{ kind = "recognition", level = "senior", description = { zh_CN = "甲", en = "a" } }',
            "$.teachers.rules[0].outcome.level: an outcome of kind recognition has no field level "
            '(got "senior")',
        ),
        (
            '{ kind = "relaxed_honours" }',
            "$.teachers.rules[0].outcome.honours: an outcome of kind relaxed_honours needs the "
            "field honours (got (missing))",
        ),
        (
            '{ kind = "allowance", amount = "100.00", description = { zh_CN = "甲", en = "a" } }',
            "$.teachers.rules[0].outcome.frequency: an allowance needs both an amount and a "
            "frequency, or neither (got (missing))",
        ),
    ],
    ids=["no-level", "level-none", "stray-level", "no-honours", "amount-without-frequency"],
)
def test_an_outcome_must_have_the_fields_of_its_kind(
    tmp_path: Path, outcome: str, expected: str
) -> None:
    assert plan_problems(tmp_path, incentive("r", "{ outstanding = true }", outcome)) == [expected]


def test_an_allowance_with_an_amount_is_described_with_it(tmp_path: Path) -> None:
    found = schedule(
        tmp_path,
        incentive(
            "pay",
            '{ school_area = "rural" }',
            '{ kind = "allowance", amount = "300.00", frequency = "per_year", '
            'description = { zh_CN = "补助", en = "rural allowance" } }',
        ),
    )

    (item,) = evaluate(found, rural_since("2015-09-01"), "2020-09-01").items

    assert isinstance(item.outcome, Allowance)
    assert item.outcome.amount == Decimal("300.00")
    assert item.outcome.describe().render() == "rural allowance: CN¥300.00 per year"
    assert item.to_json()["outcome"]["amount"] == "300.00"


# --- the engine: groups -------------------------------------------------------------------------

TIERS = """
[[teachers.groups]]
id = "tiers"
combination = "one_wins"
name = { zh_CN = "档次", en = "Tiers" }
""" + "".join(
    incentive(
        f"tier-{years}",
        f"{{ total_rural_years = {{ min = {years} }} }}",
        extra=f'group = "tiers"\noverrides = [{overrides}]',
    )
    for years, overrides in [(10, '"tier-5"'), (5, "")]
)


def test_in_a_one_wins_group_only_the_overriding_rule_applies(tmp_path: Path) -> None:
    found = schedule(tmp_path, TIERS)

    result = evaluate(found, rural_since("2008-09-01"), "2020-09-01")

    assert applied(result) == ["tier-10"]
    assert [(e.rule_id, e.reason.render(), e.lack) for e in result.not_applied or ()] == [
        ("tier-5", "overridden by rule tier-10", None)
    ]


def test_two_rules_of_a_one_wins_group_that_both_apply_are_a_conflict_naming_both(
    tmp_path: Path,
) -> None:
    found = schedule(tmp_path, TIERS.replace('overrides = ["tier-5"]', "overrides = []"))

    with pytest.raises(RuleConflictError) as excinfo:
        evaluate(found, rural_since("2008-09-01"), "2020-09-01")

    assert excinfo.value.rule_ids == ("tier-10", "tier-5")
    message = str(excinfo.value)
    assert "tier-10" in message
    assert "tier-5" in message
    assert "测试条文" in message


def test_override_mistakes_are_reported(tmp_path: Path) -> None:
    problems = plan_problems(
        tmp_path,
        incentive("a", "{ outstanding = true }", extra='overrides = ["b"]')
        + incentive("b", "{ outstanding = true }", extra='overrides = ["nobody"]')
        + incentive("a", "{ outstanding = true }", extra='group = "nowhere"'),
    )

    assert sorted(problems) == sorted(
        [
            "$.teachers.rules[0].overrides: only rules of a one_wins group can override others "
            '(got "b")',
            '$.teachers.rules[1].overrides: no rule has this id (got "nobody")',
            '$.teachers.rules[2].id: another rule has the same id (got "a")',
            '$.teachers.rules[2].group: no group has this id (got "nowhere")',
        ]
    )


# --- the engine: what a teacher lacks ----------------------------------------------------------


def test_what_a_teacher_lacks_comes_soonest_first_with_the_day_it_is_reached(
    tmp_path: Path,
) -> None:
    found = schedule(
        tmp_path,
        incentive("twelve", "{ continuous_rural_years = { min = 12 } }")
        + incentive("eight", "{ total_rural_years = { min = 8 } }")
        + incentive(
            "flag", "{ all = [{ total_rural_years = { min = 1 } }, { outstanding = true }] }"
        )
        + incentive("senior-only", '{ title = ["senior"] }')
        + incentive("not-senior", '{ title = ["none"] }'),
    )

    result = evaluate(found, rural_since("2014-03-01", outstanding=False), "2020-09-01")

    assert [(lack.rule.id, lack.reached_on) for lack in result.lacking] == [
        ("eight", day("2022-03-01")),
        ("twelve", day("2026-03-01")),
        ("flag", None),
        ("senior-only", None),
    ]
    texts = [lack.describe().render() for lack in result.lacking]
    assert texts[0] == (
        "2 more years of rural service (8 in all on March 1, 2022 if the teacher stays) "
        "for Rule eight"
    )
    assert texts[1] == (
        "6 more years of continuous rural service (12 on March 1, 2026 if the teacher stays) "
        "for Rule twelve"
    )
    assert texts[2] == "work rated outstanding for Rule flag"
    assert texts[3] == "a title: senior title for Rule senior-only"
    # A title is never lowered: "not-senior" is out of reach, so it is not among the lacks.
    (entry,) = [e for e in result.not_applied or () if e.rule_id == "not-senior"]
    assert entry.lack is None
    assert entry.reason.render() == "title is junior title, not no title"


def test_a_teacher_outside_rural_service_lacks_a_new_run(tmp_path: Path) -> None:
    found = schedule(tmp_path, incentive("five", "{ continuous_rural_years = { min = 5 } }"))
    record = teacher(posting("rural", "2010-09-01", "2018-08-31"), posting("urban", "2018-09-01"))

    (lack,) = evaluate(found, record, "2020-09-01").lacking

    assert lack.reached_on is None
    assert lack.describe().render() == (
        "5 years of continuous rural service (not in rural service on September 1, 2020) "
        "for Rule five"
    )


def test_several_lacks_are_listed_after_the_rule(tmp_path: Path) -> None:
    found = schedule(
        tmp_path,
        incentive(
            "title",
            "{ all = [{ continuous_rural_years = { min = 15 } }, "
            "{ meets_title_criteria = true }] }",
        ),
    )

    (lack,) = evaluate(
        found, rural_since("2019-09-01", meets_title_criteria=False), "2020-09-01"
    ).lacking

    assert lack.describe().render() == (
        "for Rule title: 14 more years of continuous rural service (15 on September 1, 2034 "
        "if the teacher stays); meeting the conditions for title evaluation"
    )
    assert lack.reached_on is None


def test_without_explain_nothing_is_said_about_rules_that_did_not_apply(tmp_path: Path) -> None:
    found = schedule(tmp_path, incentive("five", "{ continuous_rural_years = { min = 5 } }"))

    result = evaluate(found, rural_since("2019-09-01"), "2020-09-01", explain=False)

    assert result.not_applied is None
    assert result.lacking == ()
    assert "not_applied" not in result.to_json()


# --- quotas -------------------------------------------------------------------------------------

QUOTA = (
    incentive(
        "eligible",
        "{ all = [{ total_rural_years = { min = 10 } }, { outstanding = true }] }",
        '{ kind = "programme", programme = "trip", '
        'description = { zh_CN = "疗养", en = "a trip" } }',
    )
    + """
[[teachers.quotas]]
id = "trip"
name = { zh_CN = "疗养", en = "Trip" }
per_year = 3
counted_on = "12-31"
ranking = ["total_rural_years", "continuous_rural_years", "id"]
source = { section = "1", quote = "测试条文" }
"""
)


def candidates() -> list[dict[str, Any]]:
    return [
        rural_since("2000-09-01", id="K-old"),
        rural_since("2005-09-01", id="K-b"),
        rural_since("2005-09-01", id="K-a"),
        teacher(
            posting("rural", "1999-09-01", "2004-08-31"),
            posting("urban", "2004-09-01", "2005-08-31"),
            posting("rural", "2005-09-01"),
            id="K-broken",
        ),
        rural_since("2009-09-01", id="K-young"),
        rural_since("2001-09-01", id="K-plain", outstanding=False),
        rural_since("2010-12-31", id="K-just"),
    ]


def select(tmp_path: Path, people: list[dict[str, Any]], year: int = 2020) -> Selection:

    found = schedule(tmp_path, QUOTA)
    return select_from(
        found,
        found.quota("trip"),
        [structure(p, Teacher) for p in people],
        region="test",
        plan="test-plan",
        year=year,
    )


def test_a_quota_selects_by_its_ranking_and_breaks_ties_by_id(tmp_path: Path) -> None:
    selection = select(tmp_path, candidates())

    assert selection.on == day("2020-12-31")
    assert [c.teacher_id for c in selection.selected] == ["K-old", "K-broken", "K-a"]
    by_id = {c.teacher_id: c for c in selection.candidates}
    # K-broken has as many years in all as K-a and K-b (15) but fewer continuous ones...
    assert (by_id["K-broken"].service.total_years, by_id["K-broken"].service.continuous_years) == (
        20,
        15,
    )
    # ... and K-a and K-b are tied on every key but the id.
    assert by_id["K-b"].reason.render() == (
        "not selected: ranked 4 of 6 eligible and the quota is 3 a year; tied with K-a on "
        "every other ranking key; the tie-break by id puts K-a first"
    )
    assert by_id["K-young"].reason.render() == (
        "not selected: ranked 5 of 6 eligible and the quota is 3 a year; fewer years of rural "
        "service in all than K-a (11 against 15)"
    )
    assert by_id["K-plain"].reason.render() == "not eligible: work not rated outstanding"
    assert by_id["K-a"].reason.render() == (
        "selected: ranked 3 of 6 eligible; the quota is 3 a year"
    )


def test_a_selection_does_not_depend_on_the_order_of_the_candidates(tmp_path: Path) -> None:
    expected = [c.teacher_id for c in select(tmp_path, candidates()).candidates]

    for order in itertools.islice(itertools.permutations(candidates()), 0, 5040, 97):
        assert [c.teacher_id for c in select(tmp_path, list(order)).candidates] == expected


def test_service_is_counted_on_the_quota_day_of_the_year(tmp_path: Path) -> None:
    # K-just completes ten years on 31 December 2020: eligible in 2020, counted on 12-31.
    selection = select(tmp_path, [rural_since("2010-12-31", id="K-just")])

    (candidate,) = selection.candidates
    assert candidate.eligible
    assert candidate.selected


def test_a_quota_with_fewer_eligible_candidates_selects_them_all(tmp_path: Path) -> None:
    selection = select(tmp_path, [rural_since("2000-09-01", id="only")])

    assert [c.teacher_id for c in selection.selected] == ["only"]
    assert selection.not_selected == ()


def test_candidates_need_distinct_ids(tmp_path: Path) -> None:
    people = [
        rural_since("2000-09-01", id="K1"),
        rural_since("2001-09-01"),
        rural_since("2002-09-01", id="K1"),
    ]

    with pytest.raises(InvalidRecordError) as excinfo:
        select(tmp_path, people)

    assert [p.render() for p in excinfo.value.problems] == [
        "$[1].id: a candidate needs an id: ties are broken by id (got (missing))",
        '$[2].id: the candidate at [0] has the same id (got "K1")',
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                'ranking = ["total_rural_years", "continuous_rural_years", "id"]',
                'ranking = ["total_rural_years"]',
            ),
            "$.teachers.quotas[0].ranking: must end with id, so that ties are always broken the "
            'same way (got ["total_rural_years"])',
        ),
        (
            ('counted_on = "12-31"', 'counted_on = "02-29"'),
            "$.teachers.quotas[0].counted_on: must be a day of every year, written MM-DD "
            '(got "02-29")',
        ),
        (
            ("per_year = 3", "per_year = 0"),
            "$.teachers.quotas[0].per_year: must be 1 or more (got 0)",
        ),
        (
            ('programme = "trip"', 'programme = "journey"'),
            "$.teachers.quotas[0].id: no rule has a programme outcome for this programme "
            '(got "trip")',
        ),
    ],
    ids=["ranking-without-id", "leap-day", "no-places", "no-eligibility-rule"],
)
def test_quota_mistakes_are_reported(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in QUOTA
    assert plan_problems(tmp_path, QUOTA.replace(old, new)) == [expected]


def test_rank_keys_are_named() -> None:
    assert [key.label.render() for key in RankKey] == [
        "more years of rural service in all first",
        "more days of rural service in all first",
        "more years of continuous rural service first",
        "teachers rated outstanding first",
        "higher titles first",
        "then by id, in code-point order",
    ]


# --- shares -------------------------------------------------------------------------------------

SHARE = """
[[teachers.shares]]
id = "rural"
name = { zh_CN = "比例", en = "Rural share" }
min_percent = "30"
source = { section = "1", quote = "测试条文" }
"""


def awards(rural: int, urban: int) -> list[dict[str, Any]]:
    return [{"id": f"R{n}", "school_area": "rural"} for n in range(rural)] + [
        {"id": f"U{n}", "school_area": "urban"} for n in range(urban)
    ]


def share_check(tmp_path: Path, entries: list[dict[str, Any]], on: str = "2020-09-10") -> Any:

    found = schedule(tmp_path, SHARE)
    return check_list(
        found.share("rural"),
        [structure(e, Award) for e in entries],
        region="test",
        plan="test-plan",
        on=day(on),
    )


@pytest.mark.parametrize(
    ("rural", "urban", "meets", "required", "short_by", "to_add"),
    [
        (3, 7, True, 3, 0, 0),
        (2, 8, False, 3, 1, 2),
        (0, 10, False, 3, 3, 5),
        (1, 9, False, 3, 2, 3),
        (3, 8, False, 4, 1, 1),
        (0, 0, True, 0, 0, 0),
    ],
    ids=["exactly-30", "short-by-1", "none-rural", "short-by-2", "rounded-up", "empty"],
)
def test_a_share_check_says_by_how_many_a_list_falls_short(
    tmp_path: Path, rural: int, urban: int, meets: bool, required: int, short_by: int, to_add: int
) -> None:
    check = share_check(tmp_path, awards(rural, urban))

    assert (check.rural, check.size) == (rural, rural + urban)
    assert check.meets is meets
    assert check.required == required
    assert check.short_by == short_by
    assert check.rural_to_add == to_add


def test_the_summary_of_a_list_that_falls_short(tmp_path: Path) -> None:
    check = share_check(tmp_path, awards(2, 8))

    assert check.summary.render() == (
        "2 of 10 entries are rural (20.0%); at least 3 are needed (30%): the list falls short by 1"
    )
    assert check.to_json()["short_by"] == 1


def test_the_summary_agrees_with_its_counts_and_groups_their_digits(tmp_path: Path) -> None:
    one = share_check(tmp_path, awards(0, 2))
    many = share_check(tmp_path, awards(1, 4999))

    assert one.summary.render() == (
        "0 of 2 entries are rural (0.0%); at least 1 is needed (30%): the list falls short by 1"
    )
    assert many.summary.render() == (
        "1 of 5,000 entries is rural (0.0%); at least 1,500 are needed (30%): "
        "the list falls short by 1,499"
    )
    assert many.summary.render("zh_CN") == (
        "5,000个条目中乡村1个（0.0%）；至少需要1,500个（30%）：名单还差1,499个"
    )
    nominee = [structure(awards(1, 0)[0], Award)]
    with pytest.raises(ImpossibleShareError, match=r"Cannot give 10 awards from 1 nominee$"):
        requirement_for(one.share, nominee, size=10, on=day("2020-09-10"))


def test_the_percentage_shown_is_rounded_down_so_a_list_below_the_share_never_shows_it(
    tmp_path: Path,
) -> None:
    check = share_check(tmp_path, awards(299, 701))

    assert check.percent == Decimal("29.9")
    assert not check.meets


def test_an_entry_is_rural_by_its_school_or_by_the_teachers_posting_on_the_day(
    tmp_path: Path,
) -> None:
    moved = teacher(posting("rural", "2000-09-01", "2020-08-31"), posting("urban", "2020-09-01"))
    check = share_check(
        tmp_path,
        [
            {"id": "school", "school_area": "rural"},
            {"id": "teacher", "teacher": rural_since("2010-09-01")},
            {"id": "moved", "teacher": moved},
            {"id": "both", "school_area": "rural", "teacher": moved},
            {"id": "gone", "teacher": teacher(posting("rural", "2000-09-01", "2019-08-31"))},
        ],
    )

    assert [(e.label, e.rural, e.reason.render()) for e in check.entries] == [
        ("school", True, "the awarded school is rural"),
        ("teacher", True, "the teacher's posting on September 10, 2020 is at a rural school"),
        ("moved", False, "the teacher's posting on September 10, 2020 is at an urban school"),
        ("both", True, "the awarded school is rural"),
        ("gone", False, "the teacher has no posting on September 10, 2020"),
    ]


def test_an_award_entry_needs_a_school_or_a_teacher_and_is_read_strictly() -> None:

    with pytest.raises(InvalidRecordError) as excinfo:
        structure({"id": "A1"}, Award)
    assert [p.render() for p in excinfo.value.problems] == [
        "$: an award entry names the school_area of the awarded school, a teacher, or both "
        '(got {"id": "A1"})'
    ]

    with pytest.raises(InvalidRecordError) as excinfo:
        structure({"teacher": {"title": "junior", "service": [{"school_area": "rural"}]}}, Award)
    assert [p.render() for p in excinfo.value.problems] == [
        "$.teacher.service[0].start: required field is missing (got (missing))"
    ]


def test_share_mistakes_are_reported(tmp_path: Path) -> None:
    assert plan_problems(tmp_path, SHARE.replace('"30"', '"120"')) == [
        "$.teachers.shares[0].min_percent: must be more than 0 and at most 100 (got 120)"
    ]
    (line,) = plan_problems(tmp_path, SHARE.replace('"30"', "30.5"))
    assert line.startswith("$.teachers.shares[0].min_percent: must be a percentage written")


def test_a_pool_that_cannot_meet_the_share_is_a_clear_error(tmp_path: Path) -> None:

    found = schedule(tmp_path, SHARE)
    pool = [structure(e, Award) for e in awards(2, 18)]

    with pytest.raises(ImpossibleShareError) as excinfo:
        requirement_for(found.share("rural"), pool, size=10, on=day("2020-09-10"))

    assert (excinfo.value.required, excinfo.value.available) == (3, 2)
    assert str(excinfo.value) == (
        "Rural share cannot be met: 10 awards need at least 3 rural schools or teachers (30%, "
        "section 1: “测试条文”), but the nominees include only 2"
    )
    # Fewer awards need fewer rural ones: six awards need two.
    requirement = requirement_for(found.share("rural"), pool, size=6, on=day("2020-09-10"))
    assert (requirement.required, requirement.pool_rural) == (2, 2)


def test_more_awards_than_nominees_is_an_error(tmp_path: Path) -> None:

    found = schedule(tmp_path, SHARE)
    pool = [structure(e, Award) for e in awards(5, 0)]

    with pytest.raises(ImpossibleShareError, match="Cannot give 6 awards from 5 nominees"):
        requirement_for(found.share("rural"), pool, size=6, on=day("2020-09-10"))
    with pytest.raises(InvalidRecordError, match="size: must be a whole number, 1 or more"):
        requirement_for(found.share("rural"), pool, size=0, on=day("2020-09-10"))


# --- Jinfeng: the rules of 二(四)3 and 二(四)1 --------------------------------------------------

ON = "2019-09-01"
ALL_RULES = [
    "intermediate-title-outside-quota",
    "senior-title-outside-quota",
    "rural-service-encouragement-20",
    "rural-service-encouragement-15",
    "rural-service-encouragement-10",
    "teachers-day-priority",
    "sanatorium-eligibility",
    "relaxed-honour-conditions",
    "rural-living-allowance",
    "rural-backbone-teacher-allowance",
]
#: The rules that apply to every teacher at a rural school.
RURAL_TEACHER = [
    "teachers-day-priority",
    "relaxed-honour-conditions",
    "rural-living-allowance",
    "rural-backbone-teacher-allowance",
]


def jinfeng_rules(jinfeng: edupolicy.Policy, record: dict[str, Any], on: str) -> list[str]:
    return [item.rule_id for item in jinfeng.teacher(record, on).items]


def years_ago(years: int, on: str = ON) -> str:
    """The first day of a run that completes ``years`` years on ``on``."""
    return day(on).replace(year=day(on).year - years).isoformat()


#: (years, the rule that needs exactly that many years)
THRESHOLDS = [
    (10, "rural-service-encouragement-10"),
    (15, "intermediate-title-outside-quota"),
    (15, "rural-service-encouragement-15"),
    (20, "rural-service-encouragement-20"),
    (20, "sanatorium-eligibility"),
    (25, "senior-title-outside-quota"),
]


@pytest.mark.parametrize(("years", "rule_id"), THRESHOLDS)
@pytest.mark.parametrize(
    ("on", "applies"),
    [("2019-08-31", False), ("2019-09-01", True), ("2019-09-02", True)],
    ids=["day-before", "anniversary", "day-after"],
)
def test_each_threshold_is_met_on_its_anniversary_not_a_day_before(
    jinfeng: edupolicy.Policy, years: int, rule_id: str, on: str, applies: bool
) -> None:
    record = rural_since(years_ago(years))

    result = jinfeng.teacher(record, on, explain=True)

    assert (rule_id in [item.rule_id for item in result.items]) is applies
    if not applies:
        (lack,) = [lack for lack in result.lacking if lack.rule.id == rule_id]
        assert lack.reached_on == day("2019-09-01")
        assert lack.describe().render().startswith("1 more year of ")


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (9, []),
        (10, ["rural-service-encouragement-10"]),
        (14, ["rural-service-encouragement-10"]),
        (15, ["intermediate-title-outside-quota", "rural-service-encouragement-15"]),
        (19, ["intermediate-title-outside-quota", "rural-service-encouragement-15"]),
        (
            20,
            [
                "intermediate-title-outside-quota",
                "rural-service-encouragement-20",
                "sanatorium-eligibility",
            ],
        ),
        (
            25,
            [
                "intermediate-title-outside-quota",
                "senior-title-outside-quota",
                "rural-service-encouragement-20",
                "sanatorium-eligibility",
            ],
        ),
    ],
)
def test_a_rural_teacher_earns_the_highest_tier_and_the_title_rules_of_their_years(
    jinfeng: edupolicy.Policy, years: int, expected: list[str]
) -> None:
    found = jinfeng_rules(jinfeng, rural_since(years_ago(years)), ON)

    assert [r for r in found if r not in RURAL_TEACHER] == expected
    assert [r for r in found if r in RURAL_TEACHER] == RURAL_TEACHER


def test_a_history_broken_by_an_urban_posting(jinfeng: edupolicy.Policy) -> None:
    record = teacher(
        posting("rural", "1990-09-01", "2004-08-31"),
        posting("urban", "2004-09-01", "2005-08-31"),
        posting("rural", "2005-09-01"),
        id="T-broken",
    )

    result = jinfeng.teacher(record, ON, explain=True)

    assert result.service.continuous_years == 14
    assert result.service.total_years == 28
    rules = [item.rule_id for item in result.items]
    # Twenty-eight years in all earn the 20-year tier and the sanatorium...
    assert "rural-service-encouragement-20" in rules
    assert "sanatorium-eligibility" in rules
    # ... but the urban year broke the run: fourteen continuous years are not fifteen.
    assert "intermediate-title-outside-quota" not in rules
    lacks = {lack.rule.id: lack.describe().render() for lack in result.lacking}
    assert lacks["intermediate-title-outside-quota"] == (
        "1 more year of continuous rural service (15 on September 1, 2020 if the teacher "
        "stays) for Intermediate title outside the post quota for rural teachers"
    )
    assert result.lacking[0].rule.id == "intermediate-title-outside-quota"


def test_the_same_history_without_the_urban_posting_is_unbroken(jinfeng: edupolicy.Policy) -> None:
    record = teacher(posting("rural", "1990-09-01", "2004-08-31"), posting("rural", "2004-09-01"))

    result = jinfeng.teacher(record, ON)

    assert result.service.continuous_years == 29
    assert "senior-title-outside-quota" in [item.rule_id for item in result.items]


@pytest.mark.parametrize(
    ("gap", "continuous", "title_rule"), [(92, 15, True), (93, 9, False)], ids=["92", "93"]
)
def test_a_summer_break_between_postings_keeps_the_run_and_a_longer_one_breaks_it(
    jinfeng: edupolicy.Policy, gap: int, continuous: int, title_rule: bool
) -> None:
    end = day("2009-06-30")
    record = teacher(
        posting("rural", "2004-09-01", end.isoformat()),
        posting("rural", (end + dt.timedelta(days=gap + 1)).isoformat()),
    )

    result = jinfeng.teacher(record, ON)

    assert result.service.continuous_years == continuous
    rules = [item.rule_id for item in result.items]
    assert ("intermediate-title-outside-quota" in rules) is title_rule


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"meets_title_criteria": False}, "does not meet the conditions for title evaluation"),
        ({"outstanding": False}, "work not rated outstanding"),
        ({"title": "intermediate"}, "title is intermediate title, not no title or junior title"),
        ({"title": "senior"}, "title is senior title, not no title or junior title"),
    ],
)
def test_the_intermediate_title_rule_needs_criteria_outstanding_work_and_a_lower_title(
    jinfeng: edupolicy.Policy, fields: dict[str, Any], reason: str
) -> None:
    result = jinfeng.teacher(rural_since(years_ago(16), **fields), ON, explain=True)

    (entry,) = [
        e for e in result.not_applied or () if e.rule_id == "intermediate-title-outside-quota"
    ]
    assert entry.reason.render() == reason


def test_a_senior_teacher_is_not_told_to_wait_for_a_title_rule(jinfeng: edupolicy.Policy) -> None:
    result = jinfeng.teacher(rural_since(years_ago(12), title="senior"), ON, explain=True)

    lacking = [lack.rule.id for lack in result.lacking]
    assert "intermediate-title-outside-quota" not in lacking
    assert "senior-title-outside-quota" not in lacking
    assert lacking[0] == "rural-service-encouragement-15"


def test_an_urban_teacher_keeps_the_encouragement_but_not_the_rural_teacher_rules(
    jinfeng: edupolicy.Policy,
) -> None:
    record = teacher(posting("rural", "1990-09-01", "2012-08-31"), posting("urban", "2012-09-01"))

    result = jinfeng.teacher(record, ON, explain=True)

    assert [item.rule_id for item in result.items] == [
        "rural-service-encouragement-20",
        "sanatorium-eligibility",
    ]
    reasons = {e.rule_id: e.reason.render() for e in result.not_applied or ()}
    assert reasons["teachers-day-priority"] == "teaches at a urban school, not a rural one"
    assert reasons["intermediate-title-outside-quota"].startswith(
        "0 years of continuous rural service"
    )


def test_the_qualitative_rules_and_allowances_carry_no_number(jinfeng: edupolicy.Policy) -> None:
    result = jinfeng.teacher(rural_since(years_ago(3)), ON)
    items = {item.rule_id: item for item in result.items}

    assert list(items) == RURAL_TEACHER
    for rule_id in ("rural-living-allowance", "rural-backbone-teacher-allowance"):
        outcome = items[rule_id].outcome
        assert isinstance(outcome, Allowance)
        assert outcome.kind is OutcomeKind.ALLOWANCE
        assert outcome.amount is None
        assert outcome.describe().render().endswith("(the plan states no amount)")
    assert items["teachers-day-priority"].outcome.kind is OutcomeKind.PRIORITY
    honours = items["relaxed-honour-conditions"].outcome
    assert isinstance(honours, RelaxedHonours)
    assert honours.kind is OutcomeKind.RELAXED_HONOURS
    assert [h.zh_CN for h in honours.honours] == ["“塞上名师”", "特级教师", "自治区级骨干教师"]
    assert honours.describe().render("zh_CN").endswith("“塞上名师”、特级教师、自治区级骨干教师")


def test_the_title_rules_name_their_level(jinfeng: edupolicy.Policy) -> None:
    schedule = jinfeng.plan_on(ON).teachers
    assert schedule is not None

    for rule_id, level in [
        ("intermediate-title-outside-quota", Title.INTERMEDIATE),
        ("senior-title-outside-quota", Title.SENIOR),
    ]:
        outcome = schedule.rule(rule_id).outcome
        assert isinstance(outcome, TitleExemption)
        assert outcome.level is level
    assert schedule.continuity.max_gap_days == 92


def test_a_teacher_result_in_json(jinfeng: edupolicy.Policy) -> None:
    record = rural_since("2004-09-01", id="T1")

    data = jinfeng.teacher(record, ON, explain=True).to_json("zh_CN")

    assert data["id"] == "T1"
    assert data["plan"] == "jinfeng-2018-410"
    assert data["service"]["continuous_rural_years"] == 15
    items = {item["rule"]: item for item in data["items"]}
    title = items["intermediate-title-outside-quota"]
    assert title["name"] == "乡村教师评聘中级职称不受岗位职数限制"
    assert title["outcome"]["kind"] == "title_exemption"
    assert title["outcome"]["level"] == "intermediate"
    assert title["source"]["section"] == "二(四)3"
    assert title["source"]["section_title"] == "落实乡村教师支持计划"
    assert "连续任教15年" in title["source"]["quote"]
    assert [lack["rule"] for lack in data["lacking"]] == [
        "rural-service-encouragement-20",
        "sanatorium-eligibility",
        "senior-title-outside-quota",
    ]
    assert data["lacking"][0]["reached_on"] == "2024-09-01"
    json.dumps(data)


def test_a_bad_teacher_record_and_a_date_outside_the_plan_are_errors(
    jinfeng: edupolicy.Policy,
) -> None:
    with pytest.raises(InvalidRecordError, match=r"\$\.service\[0\]\.start"):
        jinfeng.teacher(teacher(posting("rural", "2004-09-31")), ON)
    with pytest.raises(OutOfPeriodError, match="2018-08-30–2020-12-31"):
        jinfeng.teacher(rural_since("2004-09-01"), "2021-01-01")


def test_a_teacher_object_is_evaluated_on_several_dates(jinfeng: edupolicy.Policy) -> None:
    record = structure(rural_since("2004-09-01"), Teacher)

    before = jinfeng.teacher(record, dt.date(2019, 8, 31))
    after = jinfeng.teacher(record, dt.date(2019, 9, 1))

    assert before.service.continuous_years == 14
    assert after.service.continuous_years == 15


# --- Jinfeng: the sanatorium and the 30% share -------------------------------------------------


def sample(name: str) -> Any:
    return json.loads((files("edupolicy_jinfeng") / "samples" / name).read_text("utf-8"))


def test_the_sanatorium_selects_ten_a_year(jinfeng: edupolicy.Policy) -> None:
    selection = jinfeng.select("sanatorium", sample("candidates.json"), year=2019)

    assert selection.quota.per_year == 10
    assert selection.on == day("2019-12-31")
    assert [c.teacher_id for c in selection.selected] == [
        "C01",
        "C02",
        "C03",
        "C04",
        "C08",
        "C05",
        "C06",
        "C07",
        "C09",
        "C10",
    ]
    reasons = {c.teacher_id: c.reason.render() for c in selection.not_selected}
    assert reasons == {
        "C12": "not selected: ranked 11 of 12 eligible and the quota is 10 a year; tied with "
        "C10 on every other ranking key; the tie-break by id puts C10 first",
        "C11": "not selected: ranked 12 of 12 eligible and the quota is 10 a year; fewer "
        "years of rural service in all than C10 (20 against 22)",
        "C13": "not eligible: work not rated outstanding",
        "C14": "not eligible: 19 years of rural service in all, but the rule requires 20 years "
        "or more of rural service in all",
    }


def test_a_teacher_reaching_twenty_years_during_the_year_joins_that_years_list(
    jinfeng: edupolicy.Policy,
) -> None:
    people = [rural_since("1999-11-15", id="N1")]

    in_2019 = jinfeng.select("sanatorium", people, year=2019)
    in_2018 = jinfeng.select("sanatorium", people, year=2018)

    assert [c.teacher_id for c in in_2019.selected] == ["N1"]
    assert in_2018.selected == ()


def test_a_selection_outside_the_plan_or_of_an_unknown_programme_is_an_error(
    jinfeng: edupolicy.Policy,
) -> None:
    with pytest.raises(OutOfPeriodError, match="December 31, 2021"):
        jinfeng.select("sanatorium", [], year=2021)
    with pytest.raises(EdupolicyError, match="programmes with a quota: sanatorium"):
        jinfeng.select("spa", [], year=2019)


def test_bad_candidates_are_reported_together(jinfeng: edupolicy.Policy) -> None:
    people: list[Any] = [rural_since("1990-09-01", id="X"), {"id": "Y"}, "Z"]

    with pytest.raises(InvalidRecordError) as excinfo:
        jinfeng.select("sanatorium", people, year=2019)

    assert [p.render() for p in excinfo.value.problems] == [
        "$[1].service: required field is missing (got (missing))",
        "$[1].title: required field is missing (got (missing))",
        '$[2]: must be a JSON object (got "Z")',
    ]


def test_the_sample_award_list_falls_short_of_30_percent_by_one(jinfeng: edupolicy.Policy) -> None:
    check = jinfeng.check_awards(sample("awards.json"), "2019-09-10")

    assert check.share.min_percent == Decimal("30")
    assert (check.rural, check.size, check.required, check.short_by) == (2, 10, 3, 1)
    assert check.rural_to_add == 2
    assert [e.label for e in check.entries if e.rural] == ["A02", "A03"]


def test_the_sample_nominees_cannot_give_ten_awards_with_30_percent_rural(
    jinfeng: edupolicy.Policy,
) -> None:
    pool = sample("awards.json")

    with pytest.raises(ImpossibleShareError, match="include only 2"):
        jinfeng.awards_needed(pool, "2019-09-10", size=10)
    assert jinfeng.awards_needed(pool, "2019-09-10", size=6).required == 2


# --- Jinfeng: the data --------------------------------------------------------------------------


def plan_text_of(section: str) -> str:
    text = edupolicy_jinfeng.PLAN_TEXT.read_text(encoding="utf-8")
    heads = {
        "二(四)1": ("1建立完善教师补充", "2进一步加强"),
        "二(四)3": ("3、落实乡村教师支持计划", "4、落实扶贫"),
    }
    start, end = heads[section]
    return text[text.index(start) : text.index(end)]


def test_every_teacher_rule_is_encoded_and_quotes_its_section_verbatim(
    jinfeng: edupolicy.Policy,
) -> None:
    plan = jinfeng.plan_on(ON)
    schedule = plan.teachers
    assert schedule is not None

    assert [rule.id for rule in schedule.rules] == ALL_RULES
    sources = [rule.source for rule in schedule.rules]
    sources += [q.source for q in schedule.quotas] + [s.source for s in schedule.shares]
    sources.append(schedule.continuity.source)
    for source in sources:
        assert source.quote in plan_text_of(source.section), source.quote
        assert source.section in plan.sections
        assert source.gloss


def test_the_numbers_of_the_rules_are_those_the_plan_states(jinfeng: edupolicy.Policy) -> None:
    schedule = jinfeng.plan_on(ON).teachers
    assert schedule is not None

    (quota,) = schedule.quotas
    assert (quota.id, quota.per_year) == ("sanatorium", 10)
    assert "10名" in quota.source.quote
    (share,) = schedule.shares
    assert share.min_percent == Decimal("30")
    assert "30%" in share.source.quote
    for rule_id, years in [
        ("intermediate-title-outside-quota", 15),
        ("senior-title-outside-quota", 25),
        ("rural-service-encouragement-20", 20),
        ("rural-service-encouragement-15", 15),
        ("rural-service-encouragement-10", 10),
        ("sanatorium-eligibility", 20),
    ]:
        rule = schedule.rule(rule_id)
        assert f"{years}年" in rule.source.quote
        minimums = [
            leaf.min
            for leaf in walk(rule.when)
            if isinstance(leaf, (ContinuousRuralYears, TotalRuralYears))
        ]
        assert minimums == [years]


@pytest.mark.parametrize(
    "rule_id",
    [
        "intermediate-title-outside-quota",
        "senior-title-outside-quota",
        "rural-service-encouragement-20",
        "teachers-day-priority",
        "sanatorium-eligibility",
        "relaxed-honour-conditions",
        "rural-living-allowance",
        "rural-backbone-teacher-allowance",
    ],
)
def test_ambiguous_rules_say_how_they_are_read_in_both_languages(
    jinfeng: edupolicy.Policy, rule_id: str
) -> None:
    schedule = jinfeng.plan_on(ON).teachers
    assert schedule is not None
    interpretation = schedule.rule(rule_id).source.interpretation

    assert interpretation is not None
    assert re.search(r"[\u4e00-\u9fff]", interpretation.zh_CN)
    assert interpretation.en


def test_the_continuity_rule_is_explained(jinfeng: edupolicy.Policy) -> None:
    schedule = jinfeng.plan_on(ON).teachers
    assert schedule is not None
    interpretation = schedule.continuity.source.interpretation
    assert interpretation is not None

    assert "92 days" in interpretation.en
    assert "92天" in interpretation.zh_CN
    assert "15th anniversary" in interpretation.en
    (quota,) = schedule.quotas
    assert quota.source.interpretation is not None
    assert "code-point order" in quota.source.interpretation.en
    assert [key.value for key in quota.ranking] == [
        "total_rural_years",
        "continuous_rural_years",
        "id",
    ]


def test_each_question_has_one_spelling_a_policy_method() -> None:
    # The module-level twins of the Policy methods are gone from the public namespace: one
    # spelling per question. Until 0.3 the old spellings warn, naming the method.
    for old in ("evaluate_teacher", "select_cohort", "check_awards", "awards_needed"):
        assert old not in edupolicy.__all__
        with pytest.warns(DeprecationWarning, match=r"; use edupolicy\.Policy\."):
            getattr(edupolicy, old)
    for method in ("aid", "progress", "teacher", "select", "check_awards", "awards_needed"):
        assert callable(getattr(edupolicy.Policy, method))
