"""The Jinfeng aid schedule (金教发〔2018〕410号, section 二(一)1), as a policy officer checks it.

Every case table reads like the plan: who the student is, what the plan gives them
(cash per year, fees waived, the rules that apply), and which students just miss out.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import edupolicy
import edupolicy_jinfeng
from edupolicy.aid import AidItem, BenefitKind
from edupolicy.cases import Case, read_cases
from edupolicy.values import Frequency
from tests.conftest import ON, record

#: The plan as the plugin ships it, read once to parametrize tests by rule id.
PLAN = edupolicy.load_plan(edupolicy_jinfeng.PLAN_FILE)
RULE_IDS = [rule.id for rule in PLAN.aid.rules]
HARDSHIP = ("dibao", "registered_poor", "other_hardship")
PLAN_PERIOD = "2018-08-30–2020-12-31"

# Rule ids, as the plan data names them.
ALLOWANCE = "preschool-living-allowance"
VOUCHER = "preschool-voucher"
SEAT = "preschool-seat-subsidy"
TEXTBOOK = "rural-compulsory-textbook-waiver"
BOARDING = "rural-compulsory-boarding-waiver"
PRIMARY_POOR = "primary-poor-grant"
PRIMARY_ORPHAN = "primary-orphan-grant"
JUNIOR_POOR = "junior-poor-grant"
JUNIOR_ORPHAN = "junior-orphan-grant"
SENIOR_POOR = "senior-poor-grant"
SENIOR_ORPHAN = "senior-orphan-grant"
VOCATIONAL = "secondary-vocational-subsidy"
UG_FIRST = "undergraduate-dibao-first-year"
UG_LATER = "undergraduate-dibao-later-years"
VC_FIRST = "vocational-college-dibao-first-year"
VC_LATER = "vocational-college-dibao-later-years"
UG_SHAOSHENG = "undergraduate-shaosheng-kuaifu"
VC_SHAOSHENG = "vocational-college-shaosheng-kuaifu"
MIGRANT_PROVISION = "migrant-worker-children"


def section_text() -> str:
    """Section 二(一)1 of the published plan: from its heading to the next one."""
    text = edupolicy_jinfeng.PLAN_TEXT.read_text(encoding="utf-8")
    start = text.index("1、家庭经济困难学生资助")
    end = text.index("2、做好招生扶贫对接工作")
    return text[start:end]


def rule_ids(result: edupolicy.AidResult) -> list[str]:
    return sorted(item.rule_id for item in result.items)


def item_of(result: edupolicy.AidResult, rule_id: str) -> AidItem:
    found = [item for item in result.items if item.rule_id == rule_id]
    assert len(found) == 1, f"{rule_id} applied {len(found)} times: {rule_ids(result)}"
    return found[0]


# ---------------------------------------------------------------------------------------
# What each student receives: the case table tests/cases/test_jinfeng_students.cases.csv
# ---------------------------------------------------------------------------------------

PRESCHOOL = "preschool"
PRIMARY = "primary"
JUNIOR = "junior_secondary"
SENIOR = "senior_secondary"
SEC_VOC = "secondary_vocational"
UNDERGRAD = "undergraduate"
VOC_COLLEGE = "vocational_college"

#: One student a row, with what the plan gives them and every rule that applies.
STUDENTS = Path(__file__).resolve().parent / "cases" / "test_jinfeng_students.cases.csv"


@pytest.mark.parametrize("case", read_cases(STUDENTS), ids=lambda case: case.name)
def test_each_student_case_names_every_rule_that_applies(
    jinfeng: edupolicy.Policy, case: Case
) -> None:
    # pytest runs the table itself; its ``applies`` allows other rules too, here none does.
    assert case.on is not None
    result = jinfeng.aid(case.data, case.on)
    assert rule_ids(result) == sorted(case.expected.applies or ())
    # The total is the sum of the cash items: nothing is paid that is not itemised.
    cash_items = [item.amount for item in result.items if item.kind is BenefitKind.CASH]
    paid = [amount for amount in cash_items if amount is not None]
    assert len(paid) == len(cash_items)
    assert sum(paid, Decimal("0.00")) == result.cash_total


# ---------------------------------------------------------------------------------------
# Each rule: a student who qualifies gets exactly what the rule states
# ---------------------------------------------------------------------------------------

#: rule id → a student it applies to, and what it gives: kind, amount, frequency, waives.
RULES: dict[str, tuple[dict[str, Any], BenefitKind, str | None, Frequency | None, list[str]]] = {
    ALLOWANCE: (
        record(stage=PRESCHOOL, year=2, household=["dibao"]),
        BenefitKind.CASH,
        "1000.00",
        Frequency.PER_YEAR,
        [],
    ),
    VOUCHER: (record(stage=PRESCHOOL), BenefitKind.UNQUANTIFIED, None, None, []),
    SEAT: (record(stage=PRESCHOOL), BenefitKind.UNQUANTIFIED, None, None, []),
    TEXTBOOK: (record(), BenefitKind.WAIVER, None, None, ["textbook"]),
    BOARDING: (record(boarding=True), BenefitKind.WAIVER, None, None, ["boarding"]),
    PRIMARY_POOR: (
        record(household=["dibao"]),
        BenefitKind.CASH,
        "500.00",
        Frequency.PER_YEAR,
        [],
    ),
    PRIMARY_ORPHAN: (record(orphan=True), BenefitKind.CASH, "1000.00", Frequency.PER_YEAR, []),
    JUNIOR_POOR: (
        record(stage=JUNIOR, household=["dibao"]),
        BenefitKind.CASH,
        "1000.00",
        Frequency.PER_YEAR,
        [],
    ),
    JUNIOR_ORPHAN: (
        record(stage=JUNIOR, orphan=True),
        BenefitKind.CASH,
        "2000.00",
        Frequency.PER_YEAR,
        [],
    ),
    SENIOR_POOR: (
        record(stage=SENIOR, household=["dibao"]),
        BenefitKind.CASH,
        "2500.00",
        Frequency.PER_YEAR,
        [],
    ),
    SENIOR_ORPHAN: (
        record(stage=SENIOR, orphan=True),
        BenefitKind.CASH,
        "3500.00",
        Frequency.PER_YEAR,
        [],
    ),
    VOCATIONAL: (
        record(stage=SEC_VOC, household=["dibao"]),
        BenefitKind.CASH,
        "3000.00",
        Frequency.PER_YEAR,
        [],
    ),
    UG_FIRST: (
        record(stage=UNDERGRAD, household=["dibao"]),
        BenefitKind.CASH,
        "6000.00",
        Frequency.PER_YEAR,
        [],
    ),
    UG_LATER: (
        record(stage=UNDERGRAD, year=2, household=["dibao"]),
        BenefitKind.CASH,
        "3000.00",
        Frequency.PER_YEAR,
        [],
    ),
    VC_FIRST: (
        record(stage=VOC_COLLEGE, household=["dibao"]),
        BenefitKind.CASH,
        "5000.00",
        Frequency.PER_YEAR,
        [],
    ),
    VC_LATER: (
        record(stage=VOC_COLLEGE, year=2, household=["dibao"]),
        BenefitKind.CASH,
        "2000.00",
        Frequency.PER_YEAR,
        [],
    ),
    UG_SHAOSHENG: (
        record(stage=UNDERGRAD, household=["shaosheng_kuaifu"]),
        BenefitKind.CASH,
        "6000.00",
        Frequency.ONCE,
        [],
    ),
    VC_SHAOSHENG: (
        record(stage=VOC_COLLEGE, household=["shaosheng_kuaifu"]),
        BenefitKind.CASH,
        "5000.00",
        Frequency.ONCE,
        [],
    ),
}


def test_every_rule_of_the_plan_has_a_case() -> None:
    assert sorted(RULES) == sorted(RULE_IDS)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_a_qualifying_student_gets_exactly_what_the_rule_states(
    jinfeng: edupolicy.Policy, rule_id: str
) -> None:
    student, kind, amount, frequency, waives = RULES[rule_id]
    item = item_of(jinfeng.aid(student, ON), rule_id)
    assert item.kind is kind
    assert item.amount == (Decimal(amount) if amount is not None else None)
    assert item.frequency is frequency
    assert sorted(item.waives) == waives


#: rule id → students just outside one of its conditions.
NEAR_MISSES = [
    # preschool living allowance: years 2–3, hardship household, orphan or disabled
    (ALLOWANCE, record(stage=PRESCHOOL, year=1, household=["dibao"]), "year 1"),
    (ALLOWANCE, record(stage=PRESCHOOL, year=1, orphan=True), "orphan in year 1"),
    (ALLOWANCE, record(stage=PRESCHOOL, year=1, disabled=True), "disabled in year 1"),
    (ALLOWANCE, record(stage=PRESCHOOL, year=2), "no hardship"),
    (ALLOWANCE, record(stage=PRESCHOOL, year=2, household=["shaosheng_kuaifu"]), "shaosheng"),
    (ALLOWANCE, record(stage=PRESCHOOL, year=3, household=["migrant_worker"]), "migrant"),
    (ALLOWANCE, record(stage=PRIMARY, year=2, household=["dibao"]), "primary school"),
    (VOUCHER, record(stage=PRIMARY), "primary school"),
    (SEAT, record(stage=PRIMARY), "primary school"),
    # rural compulsory waivers
    (TEXTBOOK, record(school_area="urban"), "urban primary"),
    (TEXTBOOK, record(stage=JUNIOR, school_area="urban"), "urban junior"),
    (TEXTBOOK, record(stage=PRESCHOOL, year=3), "rural preschool"),
    (TEXTBOOK, record(stage=SENIOR), "rural senior"),
    (TEXTBOOK, record(stage=SEC_VOC, household=["dibao"]), "rural secondary vocational"),
    (BOARDING, record(), "rural day pupil"),
    (BOARDING, record(stage=JUNIOR), "rural junior day pupil"),
    (BOARDING, record(school_area="urban", boarding=True), "urban boarder"),
    (BOARDING, record(stage=SENIOR, boarding=True), "rural senior boarder"),
    # compulsory and senior grants
    (PRIMARY_POOR, record(), "no hardship"),
    (PRIMARY_POOR, record(household=["shaosheng_kuaifu"]), "shaosheng"),
    (PRIMARY_POOR, record(household=["migrant_worker"]), "migrant"),
    (PRIMARY_POOR, record(disabled=True), "disabled"),
    (PRIMARY_POOR, record(stage=JUNIOR, household=["dibao"]), "junior school"),
    (PRIMARY_POOR, record(orphan=True, household=["dibao"]), "orphan of dibao household"),
    (PRIMARY_ORPHAN, record(household=["dibao"]), "not an orphan"),
    (PRIMARY_ORPHAN, record(stage=JUNIOR, orphan=True), "junior school"),
    (JUNIOR_POOR, record(stage=JUNIOR), "no hardship"),
    (JUNIOR_POOR, record(stage=JUNIOR, household=["shaosheng_kuaifu"]), "shaosheng"),
    (JUNIOR_POOR, record(stage=PRIMARY, household=["dibao"]), "primary school"),
    (JUNIOR_POOR, record(stage=SENIOR, household=["dibao"]), "senior school"),
    (JUNIOR_POOR, record(stage=JUNIOR, orphan=True, household=["dibao"]), "orphan"),
    (JUNIOR_ORPHAN, record(stage=JUNIOR, household=["dibao"]), "not an orphan"),
    (JUNIOR_ORPHAN, record(stage=PRIMARY, orphan=True), "primary school"),
    (SENIOR_POOR, record(stage=SENIOR), "no hardship"),
    (SENIOR_POOR, record(stage=SENIOR, household=["shaosheng_kuaifu"]), "shaosheng"),
    (SENIOR_POOR, record(stage=SEC_VOC, household=["dibao"]), "secondary vocational"),
    (SENIOR_POOR, record(stage=SENIOR, orphan=True, household=["dibao"]), "orphan"),
    (SENIOR_ORPHAN, record(stage=SENIOR, household=["dibao"]), "not an orphan"),
    (SENIOR_ORPHAN, record(stage=SEC_VOC, orphan=True), "secondary vocational"),
    # secondary vocational
    (VOCATIONAL, record(stage=SEC_VOC, year=2), "no hardship"),
    (VOCATIONAL, record(stage=SEC_VOC, household=["shaosheng_kuaifu"]), "shaosheng"),
    (VOCATIONAL, record(stage=SEC_VOC, household=["migrant_worker"]), "migrant"),
    (VOCATIONAL, record(stage=SEC_VOC, disabled=True), "disabled"),
    (VOCATIONAL, record(stage=SENIOR, household=["dibao"]), "senior school"),
    (VOCATIONAL, record(stage=VOC_COLLEGE, household=["dibao"]), "vocational college"),
    # higher education
    (UG_FIRST, record(stage=UNDERGRAD, year=2, household=["dibao"]), "year 2"),
    (UG_FIRST, record(stage=UNDERGRAD, household=["registered_poor"]), "registered poor"),
    (UG_FIRST, record(stage=UNDERGRAD, household=["other_hardship"]), "other hardship"),
    (UG_FIRST, record(stage=UNDERGRAD, household=["shaosheng_kuaifu"]), "shaosheng"),
    (UG_FIRST, record(stage=UNDERGRAD, orphan=True), "orphan"),
    (UG_FIRST, record(stage=VOC_COLLEGE, household=["dibao"]), "vocational college"),
    (UG_LATER, record(stage=UNDERGRAD, household=["dibao"]), "year 1"),
    (UG_LATER, record(stage=UNDERGRAD, year=2, household=["registered_poor"]), "reg. poor"),
    (UG_LATER, record(stage=VOC_COLLEGE, year=2, household=["dibao"]), "vocational college"),
    (VC_FIRST, record(stage=VOC_COLLEGE, year=2, household=["dibao"]), "year 2"),
    (VC_FIRST, record(stage=VOC_COLLEGE, household=["other_hardship"]), "other hardship"),
    (VC_FIRST, record(stage=UNDERGRAD, household=["dibao"]), "undergraduate"),
    (VC_LATER, record(stage=VOC_COLLEGE, household=["dibao"]), "year 1"),
    (VC_LATER, record(stage=UNDERGRAD, year=2, household=["dibao"]), "undergraduate"),
    (UG_SHAOSHENG, record(stage=UNDERGRAD, year=2, household=["shaosheng_kuaifu"]), "year 2"),
    (UG_SHAOSHENG, record(stage=UNDERGRAD, household=["dibao"]), "dibao only"),
    (UG_SHAOSHENG, record(stage=VOC_COLLEGE, household=["shaosheng_kuaifu"]), "voc. college"),
    (UG_SHAOSHENG, record(stage=SENIOR, household=["shaosheng_kuaifu"]), "senior school"),
    (VC_SHAOSHENG, record(stage=VOC_COLLEGE, year=2, household=["shaosheng_kuaifu"]), "year 2"),
    (VC_SHAOSHENG, record(stage=VOC_COLLEGE, household=["dibao"]), "dibao only"),
    (VC_SHAOSHENG, record(stage=UNDERGRAD, household=["shaosheng_kuaifu"]), "undergraduate"),
]


@pytest.mark.parametrize(
    ("rule_id", "student"),
    [pytest.param(rule, student, id=f"{rule}: {why}") for rule, student, why in NEAR_MISSES],
)
def test_a_student_just_outside_the_rule_does_not_get_it(
    jinfeng: edupolicy.Policy, rule_id: str, student: dict[str, Any]
) -> None:
    result = jinfeng.aid(student, ON, explain=True)
    assert rule_id not in rule_ids(result)
    assert result.not_applied is not None
    assert rule_id in [entry.rule_id for entry in result.not_applied]


def test_every_rule_has_a_near_miss() -> None:
    assert sorted({rule for rule, _student, _why in NEAR_MISSES}) == sorted(RULE_IDS)


# ---------------------------------------------------------------------------------------
# Interpretations
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "paid"), [(1, False), (2, True), (3, True)])
def test_preschool_two_years_are_years_two_and_three(
    jinfeng: edupolicy.Policy, year: int, paid: bool
) -> None:
    result = jinfeng.aid(record(stage=PRESCHOOL, year=year, household=["dibao"]), ON)
    assert (ALLOWANCE in rule_ids(result)) is paid
    assert result.cash_total == (Decimal("1000.00") if paid else Decimal("0.00"))


@pytest.mark.parametrize(
    "who",
    [
        pytest.param({"orphan": True}, id="orphan"),
        pytest.param({"disabled": True}, id="disabled"),
        pytest.param({"orphan": True, "household": ["migrant_worker"]}, id="orphan, migrant"),
        pytest.param({"disabled": True, "school_area": "urban"}, id="disabled, urban"),
    ],
)
def test_orphans_and_disabled_children_qualify_for_preschool_whatever_their_household(
    jinfeng: edupolicy.Policy, who: dict[str, Any]
) -> None:
    result = jinfeng.aid(record(stage=PRESCHOOL, year=2, **who), ON)
    assert item_of(result, ALLOWANCE).amount == Decimal("1000.00")
    assert result.cash_total == Decimal("1000.00")


@pytest.mark.parametrize(
    ("stage", "winner", "loser", "orphan_rate"),
    [
        (PRIMARY, PRIMARY_ORPHAN, PRIMARY_POOR, "1000.00"),
        (JUNIOR, JUNIOR_ORPHAN, JUNIOR_POOR, "2000.00"),
        (SENIOR, SENIOR_ORPHAN, SENIOR_POOR, "3500.00"),
    ],
)
@pytest.mark.parametrize("status", HARDSHIP)
def test_the_orphan_rate_replaces_the_poor_rate(
    jinfeng: edupolicy.Policy,
    stage: str,
    winner: str,
    loser: str,
    orphan_rate: str,
    status: str,
) -> None:
    student = record(stage=stage, school_area="urban", orphan=True, household=[status])
    result = jinfeng.aid(student, ON, explain=True)
    assert rule_ids(result) == [winner]
    assert result.cash_total == Decimal(orphan_rate)
    assert result.not_applied is not None
    overridden = [entry for entry in result.not_applied if entry.rule_id == loser]
    assert len(overridden) == 1
    assert winner in overridden[0].reason.render("en")
    assert winner in overridden[0].to_json("en")["reason"]


def test_secondary_vocational_subsidy_is_means_tested_and_paid_for_three_years(
    jinfeng: edupolicy.Policy,
) -> None:
    for year in (1, 2, 3):
        poor = jinfeng.aid(record(stage=SEC_VOC, year=year, household=["dibao"]), ON)
        assert rule_ids(poor) == [VOCATIONAL], year
        assert poor.cash_total == Decimal("3000.00"), year
        assert poor.waivers == ()  # paid as cash, not as a fee waiver
        not_poor = jinfeng.aid(record(stage=SEC_VOC, year=year), ON)
        assert not_poor.items == (), year
        assert not_poor.cash_total == Decimal("0.00"), year
    with pytest.raises(edupolicy.InvalidRecordError):
        jinfeng.aid(record(stage=SEC_VOC, year=4, household=["dibao"]), ON)


@pytest.mark.parametrize(
    ("stage", "first_year_rule", "shaosheng_rule", "total"),
    [
        (UNDERGRAD, UG_FIRST, UG_SHAOSHENG, "12000.00"),
        (VOC_COLLEGE, VC_FIRST, VC_SHAOSHENG, "10000.00"),
    ],
)
def test_shaosheng_kuaifu_one_time_aid_stacks_with_dibao_first_year_aid(
    jinfeng: edupolicy.Policy,
    stage: str,
    first_year_rule: str,
    shaosheng_rule: str,
    total: str,
) -> None:
    both = record(stage=stage, household=["dibao", "shaosheng_kuaifu"])
    result = jinfeng.aid(both, ON)
    assert rule_ids(result) == sorted([first_year_rule, shaosheng_rule])
    assert result.cash_total == Decimal(total)
    assert item_of(result, shaosheng_rule).frequency is Frequency.ONCE
    assert item_of(result, first_year_rule).frequency is Frequency.PER_YEAR
    # Once means once: not again in the second year.
    later = jinfeng.aid(record(stage=stage, year=2, household=["shaosheng_kuaifu"]), ON)
    assert later.items == ()


@pytest.mark.parametrize("year", [1, 2, 3])
def test_kindergarten_voucher_and_seat_subsidy_have_no_amount(
    jinfeng: edupolicy.Policy, year: int
) -> None:
    result = jinfeng.aid(record(stage=PRESCHOOL, year=year), ON)
    assert rule_ids(result) == sorted([VOUCHER, SEAT])
    for item in result.items:
        assert item.kind is BenefitKind.UNQUANTIFIED
        assert item.amount is None
        assert item.frequency is None
    assert result.cash_total == Decimal("0.00")
    assert result.waivers == ()
    items = result.to_json()["items"]
    assert [item["amount"] for item in items] == [None, None]
    assert all("no amount" in item["explanation"] for item in items)


def test_unquantified_aid_adds_nothing_to_the_allowance(jinfeng: edupolicy.Policy) -> None:
    result = jinfeng.aid(record(stage=PRESCHOOL, year=2, household=["dibao"]), ON)
    assert len(result.items) == 3
    assert result.cash_total == Decimal("1000.00")
    assert result.to_json()["cash_total"] == "1000.00"


@pytest.mark.parametrize("stage", [PRIMARY, JUNIOR])
def test_boarding_fee_is_waived_only_for_boarders(jinfeng: edupolicy.Policy, stage: str) -> None:
    day = jinfeng.aid(record(stage=stage, boarding=False), ON)
    boarder = jinfeng.aid(record(stage=stage, boarding=True), ON)
    assert day.waivers == ("textbook",)
    assert boarder.waivers == ("boarding", "textbook")
    assert BOARDING not in rule_ids(day)
    assert item_of(boarder, BOARDING).waives == frozenset({"boarding"})


MIGRANT_BASES = [
    pytest.param(record(stage=PRESCHOOL, year=2), id="preschool"),
    pytest.param(record(stage=PRESCHOOL, year=3, household=["dibao"]), id="preschool dibao"),
    pytest.param(record(), id="primary rural"),
    pytest.param(record(school_area="urban"), id="primary urban"),
    pytest.param(record(boarding=True, household=["dibao"]), id="primary dibao boarder"),
    pytest.param(record(household=["registered_poor"]), id="primary registered poor"),
    pytest.param(record(orphan=True, household=["dibao"]), id="primary dibao orphan"),
    pytest.param(record(stage=JUNIOR, school_area="urban"), id="junior urban"),
    pytest.param(record(stage=JUNIOR, household=["other_hardship"]), id="junior hardship"),
    pytest.param(record(stage=SENIOR, household=["dibao"]), id="senior dibao"),
    pytest.param(record(stage=SEC_VOC), id="secondary vocational"),
    pytest.param(record(stage=UNDERGRAD, household=["dibao"]), id="undergrad dibao"),
    pytest.param(record(stage=VOC_COLLEGE), id="vocational college"),
]


@pytest.mark.parametrize("local", MIGRANT_BASES)
def test_a_migrant_workers_child_gets_exactly_what_a_local_child_gets(
    jinfeng: edupolicy.Policy, local: dict[str, Any]
) -> None:
    migrant = {**local, "household": [*local.get("household", []), "migrant_worker"]}
    local_result = jinfeng.aid(local, ON)
    migrant_result = jinfeng.aid(migrant, ON)
    assert migrant_result.cash_total == local_result.cash_total
    assert migrant_result.waivers == local_result.waivers
    assert migrant_result.to_json()["items"] == local_result.to_json()["items"]


def test_migrant_dibao_primary_pupil_gets_what_a_dibao_primary_pupil_gets(
    jinfeng: edupolicy.Policy,
) -> None:
    local = jinfeng.aid(record(household=["dibao"]), ON)
    migrant = jinfeng.aid(record(household=["migrant_worker", "dibao"]), ON)
    assert migrant.items == local.items
    assert [item.to_json() for item in migrant.items] == [item.to_json() for item in local.items]
    assert migrant.cash_total == local.cash_total == Decimal("500.00")
    assert migrant.waivers == local.waivers == ("textbook",)


@pytest.mark.parametrize(
    ("student", "noted"),
    [
        pytest.param(record(household=["migrant_worker"]), True, id="primary migrant"),
        pytest.param(
            record(stage=JUNIOR, year=3, school_area="urban", household=["migrant_worker"]),
            True,
            id="junior migrant",
        ),
        pytest.param(
            record(household=["migrant_worker", "dibao"]), True, id="primary migrant dibao"
        ),
        pytest.param(record(household=["dibao"]), False, id="primary local dibao"),
        pytest.param(
            record(stage=PRESCHOOL, year=2, household=["migrant_worker"]),
            False,
            id="preschool migrant",
        ),
        pytest.param(
            record(stage=SENIOR, household=["migrant_worker"]), False, id="senior migrant"
        ),
        pytest.param(
            record(stage=SEC_VOC, household=["migrant_worker"]), False, id="sec-voc migrant"
        ),
        pytest.param(
            record(stage=UNDERGRAD, household=["migrant_worker"]), False, id="undergrad migrant"
        ),
    ],
)
def test_the_equal_treatment_provision_is_noted_for_compulsory_stage_migrants(
    jinfeng: edupolicy.Policy, student: dict[str, Any], noted: bool
) -> None:
    result = jinfeng.aid(student, ON)
    assert [note.id for note in result.notes] == ([MIGRANT_PROVISION] if noted else [])
    notes_json = result.to_json()["notes"]
    assert [note["id"] for note in notes_json] == ([MIGRANT_PROVISION] if noted else [])
    if noted:
        assert (
            notes_json[0]["source"]["quote"] == "进城务工贫困家庭义务教育阶段学生享受同等资助政策"
        )


# ---------------------------------------------------------------------------------------
# The plan's period
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", [dt.date(2018, 8, 30), dt.date(2019, 12, 31), dt.date(2020, 12, 31)]
)
def test_the_plan_is_in_force_from_signing_to_the_end_of_2020(
    jinfeng: edupolicy.Policy, day: dt.date
) -> None:
    result = jinfeng.aid(record(household=["dibao"]), day)
    assert result.on == day
    assert result.plan == "jinfeng-2018-410"
    assert result.cash_total == Decimal("500.00")
    assert result.to_json()["on"] == day.isoformat()


@pytest.mark.parametrize("day", [dt.date(2018, 8, 29), dt.date(2021, 1, 1), dt.date(2015, 1, 1)])
def test_outside_the_plan_period_is_an_error_naming_the_period(
    jinfeng: edupolicy.Policy, day: dt.date
) -> None:
    with pytest.raises(edupolicy.OutOfPeriodError) as caught:
        jinfeng.aid(record(household=["dibao"]), day)
    assert PLAN_PERIOD in str(caught.value)
    assert day == caught.value.on
    assert any(PLAN_PERIOD in period for period in caught.value.periods)


# ---------------------------------------------------------------------------------------
# Record years beyond the plan's stage lengths
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "year"),
    [
        (PRESCHOOL, 4),
        (PRIMARY, 7),
        (JUNIOR, 4),
        (SENIOR, 4),
        (SEC_VOC, 4),
        (UNDERGRAD, 6),
        (VOC_COLLEGE, 4),
    ],
)
def test_a_year_beyond_the_stage_is_rejected(
    jinfeng: edupolicy.Policy, stage: str, year: int
) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.aid(record(stage=stage, year=year, household=["dibao"]), ON)
    problems = caught.value.problems
    assert [problem.path for problem in problems] == ["$.year"]
    assert problems[0].value == year
    assert "$.year" in str(caught.value)


@pytest.mark.parametrize(
    ("stage", "year"),
    [(PRESCHOOL, 3), (PRIMARY, 6), (JUNIOR, 3), (SENIOR, 3), (UNDERGRAD, 5), (VOC_COLLEGE, 3)],
)
def test_the_last_year_of_each_stage_is_accepted(
    jinfeng: edupolicy.Policy, stage: str, year: int
) -> None:
    assert jinfeng.aid(record(stage=stage, year=year), ON).on == ON


# ---------------------------------------------------------------------------------------
# Fidelity to the published text
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_quotes_section_2_1_1_verbatim(jinfeng: edupolicy.Policy, rule_id: str) -> None:
    rule = jinfeng.plan_on(ON).aid.rule(rule_id)
    assert rule.source.section == "二(一)1"
    assert rule.source.quote
    assert rule.source.quote in section_text()


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_cash_amount_appears_in_its_quote(jinfeng: edupolicy.Policy, rule_id: str) -> None:
    rule = jinfeng.plan_on(ON).aid.rule(rule_id)
    if rule.benefit.kind is not BenefitKind.CASH:
        assert rule.benefit.amount is None
        return
    amount = rule.benefit.amount
    assert amount is not None
    assert amount == amount.to_integral_value()
    assert f"{int(amount)}元" in rule.source.quote


def test_every_equal_treatment_provision_quotes_the_text(jinfeng: edupolicy.Policy) -> None:
    provisions = jinfeng.plan_on(ON).aid.equal_treatment
    assert [provision.id for provision in provisions] == [MIGRANT_PROVISION]
    for provision in provisions:
        assert provision.source.section == "二(一)1"
        assert provision.source.quote in section_text()


def test_the_document_metadata_matches_the_text(jinfeng: edupolicy.Policy) -> None:
    text = edupolicy_jinfeng.PLAN_TEXT.read_text(encoding="utf-8")
    document = jinfeng.plan_on(ON).document
    assert document.number == "金教发〔2018〕410号"
    assert f"文  号 {document.number}" in text
    assert document.signed == dt.date(2018, 8, 30)
    assert "2018年8月30日" in text
    assert document.published == dt.date(2018, 9, 3)
    assert "生成日期 2018-09-03" in text
    assert document.issuer.render("zh_CN") == "银川市金凤区教育局"
    assert document.issuer.render("zh_CN") in text
    assert document.title.render("zh_CN") in text


def test_every_amount_in_section_2_1_1_is_the_amount_of_a_rule(jinfeng: edupolicy.Policy) -> None:
    stated = [int(figure) for figure in re.findall(r"([0-9]+)元", section_text())]
    assert stated == [
        1000,
        500,
        1000,
        1000,
        2000,
        2500,
        3500,
        3000,
        6000,
        5000,
        3000,
        2000,
        6000,
        5000,
    ]
    amounts = {
        rule.benefit.amount
        for rule in jinfeng.plan_on(ON).aid.rules
        if rule.benefit.amount is not None
    }
    missing = [figure for figure in stated if Decimal(figure) not in amounts]
    assert missing == []


# ---------------------------------------------------------------------------------------
# JSON at the boundary
# ---------------------------------------------------------------------------------------


def test_result_json_shape(jinfeng: edupolicy.Policy) -> None:
    data = jinfeng.aid(record(orphan=True, boarding=True, household=["dibao"]), ON).to_json()
    assert {"region", "on", "currency", "cash_total", "waivers", "items"} <= set(data)
    assert data["region"] == "jinfeng"
    assert data["on"] == "2019-09-01"
    assert data["currency"] == "CNY"
    assert data["cash_total"] == "1000.00"
    assert data["waivers"] == ["boarding", "textbook"]
    assert [item["rule"] for item in data["items"]] == [TEXTBOOK, BOARDING, PRIMARY_ORPHAN]
    for item in data["items"]:
        assert {"rule", "kind", "amount", "frequency", "waives", "source", "explanation"} <= set(
            item
        )
        assert item["source"]["section"] == "二(一)1"
        assert item["source"]["quote"] in section_text()
    grant = data["items"][2]
    assert grant["kind"] == "cash"
    assert grant["amount"] == "1000.00"
    assert grant["frequency"] == "per_year"
    assert grant["waives"] == []
    waiver = data["items"][1]
    assert waiver["kind"] == "waiver"
    assert waiver["amount"] is None
    assert waiver["frequency"] is None
    assert waiver["waives"] == ["boarding"]


@pytest.mark.parametrize(
    ("student", "cash_total"),
    [
        (record(school_area="urban"), "0.00"),
        (record(household=["dibao"]), "500.00"),
        (record(stage=UNDERGRAD, household=["dibao", "shaosheng_kuaifu"]), "12000.00"),
    ],
)
def test_cash_total_is_a_string_of_yuan_with_two_decimals(
    jinfeng: edupolicy.Policy, student: dict[str, Any], cash_total: str
) -> None:
    data = jinfeng.aid(student, ON).to_json()
    assert data["cash_total"] == cash_total
    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", data["cash_total"])
    assert all(
        item["amount"] is None or re.fullmatch(r"[0-9]+\.[0-9]{2}", item["amount"])
        for item in data["items"]
    )


def test_result_json_in_chinese_names_the_rules_in_chinese(jinfeng: edupolicy.Policy) -> None:
    result = jinfeng.aid(record(household=["dibao"], boarding=True), ON)
    zh = result.to_json("zh_CN")
    en = result.to_json("en")
    assert [item["name"] for item in zh["items"]] == [
        "农村义务教育课本费全免",
        "农村义务教育寄宿费全免",
        "小学贫困生资助金",
    ]
    assert [item["name"] for item in en["items"]] == [
        "Textbook fees waived at rural compulsory-education schools",
        "Boarding fees waived at rural compulsory-education schools",
        "Primary-school grant for poor students",
    ]
    assert zh["items"][2]["explanation"].startswith("小学贫困生资助金")
    # The quote is the legal text: Chinese in every locale.
    assert zh["items"][2]["source"]["quote"] == en["items"][2]["source"]["quote"]


def test_explanation_mentions_the_conditions(jinfeng: edupolicy.Policy) -> None:
    result = jinfeng.aid(record(household=["dibao"], boarding=True), ON)
    explanations = {item.rule_id: item.explanation.render("en") for item in result.items}
    assert "rural" in explanations[BOARDING]
    assert "boards" in explanations[BOARDING]
    assert "primary school" in explanations[PRIMARY_POOR]
    assert "dibao" in explanations[PRIMARY_POOR]
    assert "500.00" in explanations[PRIMARY_POOR]
    json_items = result.to_json()["items"]
    assert [item["explanation"] for item in json_items] == [
        explanations[item["rule"]] for item in json_items
    ]


def test_explanation_of_the_preschool_allowance_names_orphans_and_disabled_children(
    jinfeng: edupolicy.Policy,
) -> None:
    result = jinfeng.aid(record(stage=PRESCHOOL, year=2, disabled=True), ON)
    text = item_of(result, ALLOWANCE).explanation.render("en")
    assert "preschool" in text
    assert "year 2 to 3" in text
    assert "orphan" in text
    assert "disabled" in text
