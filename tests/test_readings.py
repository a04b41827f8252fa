"""Readings: a plan's ambiguous sentences, read another way from Python and the command line."""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
import json
from importlib.resources import files
from typing import Any

import pytest

import edupolicy
from edupolicy import Change, InvalidDataError, PlanDataError, Policy
from edupolicy.analysis.audit import audit
from edupolicy.cli import main
from edupolicy.io import unstructure
from edupolicy.io.planfiles import structure_plan
from tests.clitools import run

ON = "2019-09-01"
PLAN_TEXT = files("edupolicy_jinfeng").joinpath("plan-text.txt").read_text(encoding="utf-8")
JINFENG_READINGS = {
    "secondary-vocational-subsidy": ("means-tested", ("means-tested", "universal")),
    "rural-commendation-share": ("together", ("together", "by-kind")),
    "preschool-orphans-disabled": ("in-their-own-right", ("in-their-own-right", "household-only")),
    "continuity-gap": ("92-days", ("92-days", "no-gap", "one-year")),
    "liangtian-kindergartens": ("one", ("one", "four")),
}
DEFAULTS = {reading: default for reading, (default, _choices) in JINFENG_READINGS.items()}
VOCATIONAL = {"stage": "secondary_vocational", "year": 1, "school_area": "urban"}
ORPHAN = {"stage": "preschool", "year": 2, "school_area": "urban", "orphan": True}


def teacher_with_gap(days: int) -> dict[str, Any]:
    """A teacher rural since 2001 with one gap of ``days`` days in 2010, outstanding."""
    gap_end = dt.date(2010, 9, 1)
    gap_start = gap_end - dt.timedelta(days=days + 1)
    return {
        "id": f"gap-{days}",
        "title": "junior",
        "meets_title_criteria": True,
        "outstanding": True,
        "service": [
            {"school_area": "rural", "start": "2001-09-01", "end": gap_start.isoformat()},
            {"school_area": "rural", "start": gap_end.isoformat(), "end": None},
        ],
    }


def applied(policy: Policy, teacher: dict[str, Any], on: str = "2019-09-01") -> set[str]:
    return {item.rule.id for item in policy.teacher(teacher, on).items}


# --- the readings Jinfeng offers -------------------------------------------------------------


def test_jinfeng_offers_its_readings_with_their_defaults(jinfeng: Policy) -> None:
    (plan,) = jinfeng.plans
    offered = {r.id: (r.default, r.choice_ids) for r in plan.readings}
    assert offered == JINFENG_READINGS
    for reading in plan.readings:
        assert reading.name.render("zh_CN") != reading.name.render("en")
        assert reading.source.section in plan.sections
        assert reading.source.quote in PLAN_TEXT, f"{reading.id}: not the plan's words"
        for choice in reading.choices:
            assert choice.text.render("zh_CN")
            assert choice.text.render("en")
            assert all(change.reason.strip() for change in choice.changes)


def test_a_policy_loaded_plainly_reads_every_sentence_its_default_way(jinfeng: Policy) -> None:
    assert dict(jinfeng.readings) == {}
    assert dict(jinfeng.readings_on(ON)) == DEFAULTS
    assert jinfeng.aid(VOCATIONAL, ON).to_json()["readings"] == DEFAULTS


@pytest.mark.parametrize(
    "combination",
    list(itertools.product(*(choices for _default, choices in JINFENG_READINGS.values()))),
    ids=lambda combo: "+".join(combo),
)
def test_every_combination_of_jinfeng_choices_loads_and_is_reported(
    combination: tuple[str, ...],
) -> None:
    chosen = dict(zip(JINFENG_READINGS, combination, strict=True))
    policy = edupolicy.load("jinfeng", readings=chosen)
    assert dict(policy.readings_on(ON)) == chosen
    result = policy.aid(VOCATIONAL, ON)
    assert result.to_json()["readings"] == chosen
    universal = chosen["secondary-vocational-subsidy"] == "universal"
    assert result.cash_total == (3000 if universal else 0)


def test_the_vocational_subsidy_read_as_universal_reaches_a_student_with_no_hardship(
    jinfeng: Policy,
) -> None:
    universal = jinfeng.with_readings({"secondary-vocational-subsidy": "universal"})
    assert jinfeng.aid(VOCATIONAL, ON).cash_total == 0
    result = universal.aid(VOCATIONAL, ON)
    assert result.cash_total == 3000
    (item,) = result.items
    assert item.rule.id == "secondary-vocational-subsidy"
    interpretation = item.rule.source.interpretation
    assert interpretation is not None
    assert "every" in interpretation.render("en")
    # Paid in each of the three years the sentence names.
    assert universal.aid({**VOCATIONAL, "year": 3}, ON).cash_total == 3000


def test_preschool_orphans_need_a_hardship_household_only_under_the_household_reading(
    jinfeng: Policy,
) -> None:
    household_only = jinfeng.with_readings({"preschool-orphans-disabled": "household-only"})
    assert jinfeng.aid(ORPHAN, ON).cash_total == 1000
    assert household_only.aid(ORPHAN, ON).cash_total == 0
    in_dibao = {**ORPHAN, "household": ["dibao"]}
    assert household_only.aid(in_dibao, ON).cash_total == 1000
    disabled = {**ORPHAN, "orphan": False, "disabled": True}
    assert jinfeng.aid(disabled, ON).cash_total == 1000
    assert household_only.aid(disabled, ON).cash_total == 0


@pytest.mark.parametrize(
    ("gap", "choice", "continuous"),
    [
        (30, "92-days", True),
        (92, "92-days", True),
        (93, "92-days", False),
        (1, "no-gap", False),
        (0, "no-gap", True),
        (200, "one-year", True),
        (366, "one-year", False),
    ],
)
def test_the_continuity_gap_reading_decides_whether_a_gap_breaks_the_run(
    jinfeng: Policy, gap: int, choice: str, continuous: bool
) -> None:
    # Rural since 2001: 18 continuous years on the date if the 2010 gap does not break
    # the run, 9 if it does; the intermediate title needs 15.
    policy = jinfeng.with_readings({"continuity-gap": choice})
    assert ("intermediate-title-outside-quota" in applied(policy, teacher_with_gap(gap))) is (
        continuous
    )


def test_the_liangtian_reading_sets_how_many_kindergartens_the_target_wants(
    jinfeng: Policy,
) -> None:
    reported = [{"indicator": "liangtian-kindergartens-in-use", "value": 2}]
    four = jinfeng.with_readings({"liangtian-kindergartens": "four"})

    def status(policy: Policy) -> str:
        lines = policy.progress(reported, year=2018)
        (line,) = [line for line in lines if line.target.id == "liangtian-kindergarten-2018"]
        return line.status.value

    assert status(jinfeng) == "met"
    assert status(four) == "not_met"


def test_the_share_reading_counts_collectives_and_individuals_separately(
    jinfeng: Policy,
) -> None:
    # 3 rural schools and 7 urban teachers: 30% rural together; 0% of the individuals.
    schools = [{"id": f"S{i}", "school_area": "rural"} for i in range(3)]
    teachers = [
        {
            "id": f"T{i}",
            "teacher": {
                "title": "junior",
                "service": [{"school_area": "urban", "start": "2010-09-01", "end": None}],
            },
        }
        for i in range(7)
    ]
    awards = schools + teachers
    by_kind = jinfeng.with_readings({"rural-commendation-share": "by-kind"})
    assert jinfeng.check_awards(awards, ON).meets
    assert not by_kind.check_awards(awards, ON).meets


# --- choosing, combining, reporting ------------------------------------------------------------


def test_the_policy_it_was_derived_from_is_untouched(jinfeng: Policy) -> None:
    universal = jinfeng.with_readings({"secondary-vocational-subsidy": "universal"})
    assert universal is not jinfeng
    assert jinfeng.aid(VOCATIONAL, ON).cash_total == 0
    assert dict(jinfeng.readings) == {}
    assert universal.plans_as_written == jinfeng.plans_as_written


def test_readings_chosen_in_turn_add_up_and_a_later_choice_replaces_an_earlier(
    jinfeng: Policy,
) -> None:
    first = jinfeng.with_readings({"secondary-vocational-subsidy": "universal"})
    both = first.with_readings({"preschool-orphans-disabled": "household-only"})
    assert dict(both.readings) == {
        "secondary-vocational-subsidy": "universal",
        "preschool-orphans-disabled": "household-only",
    }
    assert both.aid(VOCATIONAL, ON).cash_total == 3000
    assert both.aid(ORPHAN, ON).cash_total == 0
    back = both.with_readings({"secondary-vocational-subsidy": "means-tested"})
    assert back.aid(VOCATIONAL, ON).cash_total == 0
    assert back.readings_on(ON)["secondary-vocational-subsidy"] == "means-tested"


def test_changes_are_applied_again_over_a_new_reading(jinfeng: Policy) -> None:
    raised = jinfeng.with_changes(
        [
            Change(
                rule="secondary-vocational-subsidy",
                set={"benefit.amount": "3500.00"},
                reason="a higher subsidy",
            )
        ]
    )
    both = raised.with_readings({"secondary-vocational-subsidy": "universal"})
    assert both.aid(VOCATIONAL, ON).cash_total == 3500
    assert both.changes == raised.changes


def test_a_reading_that_no_plan_offers_is_an_error_listing_those_that_exist(
    jinfeng: Policy,
) -> None:
    with pytest.raises(InvalidDataError) as caught:
        edupolicy.load("jinfeng", readings={"continuity-gaps": "no-gap"})
    (problem,) = caught.value.problems
    assert problem.path == "readings.continuity-gaps"
    assert problem.value == "continuity-gaps"
    assert "continuity-gap," in problem.render("en")


def test_a_choice_the_reading_does_not_offer_is_an_error_listing_its_choices(
    jinfeng: Policy,
) -> None:
    with pytest.raises(InvalidDataError) as caught:
        jinfeng.with_readings({"continuity-gap": "90-days"}, locale="zh_CN")
    (problem,) = caught.value.problems
    assert problem.path == "readings.continuity-gap"
    assert problem.value == "90-days"
    rendered = problem.render("zh_CN")
    assert "92-days, no-gap, one-year" in rendered
    assert "choices" not in rendered  # in the caller's language


@pytest.mark.parametrize(
    ("readings", "path"),
    [
        (["continuity-gap", "no-gap"], "readings"),
        ({1: "no-gap"}, "readings"),
        ({"continuity-gap": 0}, "readings.continuity-gap"),
        ({"continuity-gap": None}, "readings.continuity-gap"),
    ],
)
def test_readings_of_the_wrong_shape_are_our_error(
    jinfeng: Policy, readings: Any, path: str
) -> None:
    with pytest.raises(InvalidDataError) as caught:
        jinfeng.with_readings(readings)
    assert [problem.path for problem in caught.value.problems] == [path]


def test_every_bad_reading_is_reported_at_once(jinfeng: Policy) -> None:
    with pytest.raises(InvalidDataError) as caught:
        jinfeng.with_readings({"nope": "x", "continuity-gap": "y"})
    assert [p.path for p in caught.value.problems] == ["readings.nope", "readings.continuity-gap"]


# --- readings in plan data ---------------------------------------------------------------------


def plan_data(jinfeng: Policy) -> dict[str, Any]:
    return copy.deepcopy(unstructure(jinfeng.plans_as_written[0]))


def problems_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(PlanDataError) as caught:
        structure_plan(data, name="plan.toml")
    return [(p.path, p.message.render("en")) for p in caught.value.problems]


def test_readings_read_back_from_their_json_shape(jinfeng: Policy) -> None:
    data = plan_data(jinfeng)
    json.dumps(data)
    assert [r["id"] for r in data["readings"]] == list(JINFENG_READINGS)
    rebuilt = structure_plan(data, name="plan.toml")
    assert rebuilt.readings == jinfeng.plans[0].readings


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d["readings"][0].update(default="maybe"), "$.readings[0].default", "no choice"),
        (
            lambda d: d["readings"][1].update(id=d["readings"][0]["id"]),
            "$.readings[1].id",
            "another reading",
        ),
        (
            lambda d: d["readings"][3]["choices"][2].update(id="no-gap"),
            "$.readings[3].choices[2].id",
            "another choice",
        ),
        (
            lambda d: d["readings"][0]["choices"][0].update(
                changes=d["readings"][0]["choices"][1]["changes"]
            ),
            "$.readings[0].choices[0].changes",
            "the default choice is the plan as written",
        ),
        (
            lambda d: d["readings"][0]["choices"][1].pop("changes"),
            "$.readings[0].choices[1].changes",
            "needs the changes",
        ),
        (
            lambda d: d["readings"][4].update(choices=d["readings"][4]["choices"][:1]),
            "$.readings[4].choices",
            "at least two choices",
        ),
        (
            lambda d: d["readings"][2]["source"].update(section="九"),
            "$.readings[2].source.section",
            "no such section",
        ),
        (
            lambda d: d["readings"][0]["choices"][1]["changes"][0].pop("reason"),
            "$.readings[0].choices[1].changes[0].reason",
            "needs a reason",
        ),
        (
            lambda d: d["readings"][0]["choices"][1]["changes"][0].update(colour="red"),
            "$.readings[0].choices[1].changes[0].colour",
            "unknown field",
        ),
        (
            lambda d: d["readings"][0].update(question="?"),
            "$.readings[0].question",
            "unknown field",
        ),
    ],
    ids=[
        "default",
        "duplicate-reading",
        "duplicate-choice",
        "default-with-changes",
        "choice-without-changes",
        "one-choice",
        "section",
        "reason",
        "change-field",
        "reading-field",
    ],
)
def test_a_bad_reading_in_plan_data_is_named_by_its_path(
    jinfeng: Policy, mutate: Any, path: str, words: str
) -> None:
    data = plan_data(jinfeng)
    mutate(data)
    found = problems_of(data)
    assert any(where == path and words in message for where, message in found), found


def test_the_audit_reports_a_choice_that_does_not_make_a_valid_plan(jinfeng: Policy) -> None:
    data = plan_data(jinfeng)
    changes = data["readings"][0]["choices"][1]["changes"]
    changes[0]["rule"] = "secondary-vocational-grant"  # no such rule
    changes.append({"table": "teachers.continuity", "set": {"max_gap_days": -1}, "reason": "x"})
    plan = structure_plan(data, name="plan.toml")
    findings = [f for f in audit(plan) if f.code == "reading-invalid"]
    assert [f.subject for f in findings] == ["secondary-vocational-subsidy=universal"]
    assert "readings[0].choices[1].changes[0].rule" in findings[0].render("en")
    # Chosen, it is an error that names the change.
    policy = Policy(region="test", distribution="test", version="0", plans=(plan,))
    with pytest.raises(PlanDataError) as caught:
        policy.with_readings({"secondary-vocational-subsidy": "universal"})
    assert caught.value.problems[0].path == "readings[0].choices[1].changes[0].rule"


def test_jinfeng_passes_the_audit_of_its_readings(jinfeng: Policy) -> None:
    assert [f for f in jinfeng.check() if f.code == "reading-invalid"] == []


# --- the command line ---------------------------------------------------------------------------


def test_aid_on_the_command_line_reads_under_the_reading_given() -> None:
    record = json.dumps(VOCATIONAL)
    plain = run("aid", "--region", "jinfeng", "--on", ON, "--format", "json", "-", stdin=record)
    assert plain.status == 0, plain.err
    assert json.loads(plain.out)["cash_total"] == "0.00"
    chosen = run(
        "aid",
        "--region",
        "jinfeng",
        "--on",
        ON,
        "--reading",
        "secondary-vocational-subsidy=universal",
        "--format",
        "json",
        "-",
        stdin=record,
    )
    assert chosen.status == 0, chosen.err
    result = json.loads(chosen.out)
    assert result["cash_total"] == "3000.00"
    assert result["readings"]["secondary-vocational-subsidy"] == "universal"


def test_a_malformed_reading_option_is_a_usage_error() -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        main(
            ["aid", "--region", "jinfeng", "--on", ON, "--reading", "continuity-gap", "-"],
            stdout=out,
            stderr=err,
        )
    assert exited.value.code == 2
    assert "ID=CHOICE" in err.getvalue()
    assert "continuity-gap" in err.getvalue()


def test_an_unknown_choice_on_the_command_line_names_it_and_the_choices() -> None:
    result = run(
        "aid", "--region", "jinfeng", "--on", ON, "--reading", "continuity-gap=forever", "-"
    )
    assert result.status != 0
    assert "readings.continuity-gap" in result.err
    assert "92-days, no-gap, one-year" in result.err
    assert "Traceback" not in result.err


def test_every_kind_of_result_says_the_readings_in_force(jinfeng: Policy) -> None:
    chosen = {"continuity-gap": "one-year", "rural-commendation-share": "by-kind"}
    policy = jinfeng.with_readings(chosen)
    expected = {**DEFAULTS, **chosen}
    teacher = teacher_with_gap(30)
    school = {"id": "S1", "school_area": "rural"}
    results: list[Any] = [
        policy.aid(VOCATIONAL, ON),
        policy.teacher(teacher, ON),
        policy.select("sanatorium", [teacher], year=2019),
        policy.check_awards([school], ON),
        policy.awards_needed([school], ON, size=1),
        *policy.progress({"schools": 20}, year=2019),
    ]
    for result in results:
        assert result.to_json("zh_CN")["readings"] == expected, type(result).__name__
