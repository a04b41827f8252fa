"""The consistency audit: what it finds in the Jinfeng plan, and one broken plan per rule.

Each broken plan is a small plan file (with its goals in a ``goals.toml`` part) written
for the test and loaded with :func:`edupolicy.load_plan`, as a plugin author would load
theirs; a clean plan of the same shape produces no finding at all.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import edupolicy
from edupolicy.analysis import Finding, Severity, audit
from tests.test_goals import (
    AID_FOR_EVERYONE,
    indicator,
    load_plan,
    plan_file,
)
from tests.test_goals import fact as plain_fact
from tests.test_goals import target as plain_target

# ---------------------------------------------------------------------------------------
# Jinfeng
# ---------------------------------------------------------------------------------------

NEW_FLOOR_AREA_QUOTE = (
    "新增占地面积426992平方米(中小学379892、幼儿园47100)、新增建筑面积57819平方米"
    "(中小学379892、幼儿园30650)、新增学位(中小学14040人、幼儿园3150人)"
)
TARGETS_QUOTE = (
    "2020年学前三年教育毛入园率达120%以上、小学和初中适龄人口按时入学率分别为100%99%以上、"
    "小学巩固率112%以上、初中三年巩固率98.7%以上、初中毕业升学率97%以上"
)
INFORMATION_STAGES = (
    "primary",
    "junior_secondary",
    "senior_secondary",
    "secondary_vocational",
    "undergraduate",
    "vocational_college",
)


@pytest.fixture(scope="module")
def jinfeng_findings(jinfeng: edupolicy.Policy) -> tuple[Finding, ...]:
    return jinfeng.check()


def summary(findings: tuple[Finding, ...]) -> set[tuple[str, str, str]]:
    return {(f.code, f.severity.value, f.subject) for f in findings}


def only(findings: tuple[Finding, ...], code: str) -> Finding:
    (found,) = [finding for finding in findings if finding.code == code]
    return found


def codes(findings: tuple[Finding, ...]) -> set[str]:
    return {finding.code for finding in findings}


def test_jinfeng_audit_finds_exactly_two_errors_and_the_stages_without_some_aid(
    jinfeng_findings: tuple[Finding, ...],
) -> None:
    assert summary(jinfeng_findings) == {
        ("composite-sum", "error", "new-floor-area-2020"),
        ("unit-range", "error", "primary-retention-2020"),
        *(("no-aid", "info", stage) for stage in INFORMATION_STAGES),
    }
    assert len(jinfeng_findings) == 8


def test_jinfeng_errors_come_first(jinfeng_findings: tuple[Finding, ...]) -> None:
    severities = [finding.severity for finding in jinfeng_findings]
    assert severities == [Severity.ERROR] * 2 + [Severity.INFO] * 6


def test_jinfeng_new_floor_area_does_not_add_up(jinfeng_findings: tuple[Finding, ...]) -> None:
    finding = only(jinfeng_findings, "composite-sum")
    message = finding.message.render("en")
    assert message.startswith("the stated total 57,819 m² differs from the sum of its parts")
    for needle in (
        "new-floor-area-schools-2020",
        "new-floor-area-kindergartens-2020",
        "= 410,542 m²",
        "(difference 352,723 m²)",
    ):
        assert needle in message
    assert finding.source is not None
    assert finding.source.section == "二(二)2"
    assert finding.source.quote == NEW_FLOOR_AREA_QUOTE


def test_jinfeng_primary_retention_of_112_percent(jinfeng_findings: tuple[Finding, ...]) -> None:
    finding = only(jinfeng_findings, "unit-range")
    message = finding.message.render("en")
    assert "Primary-school retention rate" in message
    assert "112% is above 100%" in message
    assert finding.source is not None
    assert finding.source.section == "一(四)"
    assert finding.source.quote == TARGETS_QUOTE


def test_jinfeng_gross_enrolment_of_120_percent_is_not_a_finding(
    jinfeng_findings: tuple[Finding, ...],
) -> None:
    subjects = {finding.subject for finding in jinfeng_findings}
    assert "preschool-gross-enrolment-2020" not in subjects


def test_jinfeng_has_no_aid_conflict_and_no_equal_treatment_finding(
    jinfeng_findings: tuple[Finding, ...],
) -> None:
    assert not codes(jinfeng_findings) & {
        "aid-conflict",
        "equal-treatment",
        "missing-source",
        "contradictory-targets",
        "outside-period",
    }


def test_jinfeng_information_on_hardships_without_cash_aid(
    jinfeng_findings: tuple[Finding, ...],
) -> None:
    messages = {f.subject: f.message.render("en") for f in jinfeng_findings if f.code == "no-aid"}
    # Disabled pupils are owed no cash of their own in any school stage ...
    for stage in ("primary", "junior_secondary", "senior_secondary", "secondary_vocational"):
        assert messages[stage].startswith("no cash aid for ")
        assert messages[stage].endswith("whose only hardship is: disabled")
    # ... and at university only dibao households are.
    for stage in ("undergraduate", "vocational_college"):
        assert messages[stage].endswith("orphan, disabled")
        assert "dibao" not in messages[stage]
    assert all(f.source is None for f in jinfeng_findings if f.code == "no-aid")


def test_policy_check_is_the_audit_of_its_plan(
    jinfeng: edupolicy.Policy, jinfeng_findings: tuple[Finding, ...]
) -> None:
    (plan,) = jinfeng.plans
    assert audit(plan) == jinfeng_findings


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_findings_render_in_chinese(jinfeng_findings: tuple[Finding, ...]) -> None:
    rendered = [finding.render("zh_CN") for finding in jinfeng_findings]
    assert rendered[0] == (
        "错误 [composite-sum] new-floor-area-2020：所列总数 57,819平方米 与其分项之和 "
        "new-floor-area-schools-2020 379,892平方米 + new-floor-area-kindergartens-2020 "
        "30,650平方米 = 410,542平方米 不符（相差 352,723平方米）"
    )
    assert rendered[1].startswith("错误 [unit-range] primary-retention-2020：")
    assert "小学巩固率" in rendered[1]
    assert "112% 超过100%" in rendered[1]
    assert all(line.startswith("提示 [no-aid] ") for line in rendered[2:])
    assert all(has_chinese(f.message.render("zh_CN")) for f in jinfeng_findings)
    english = jinfeng_findings[1].render("en")
    assert english.startswith("error [unit-range] primary-retention-2020: ")
    assert not has_chinese(english)


def test_the_json_of_a_finding(jinfeng_findings: tuple[Finding, ...]) -> None:
    data = only(jinfeng_findings, "unit-range").to_json("zh_CN")
    assert data == {
        "code": "unit-range",
        "severity": "error",
        "subject": "primary-retention-2020",
        "message": data["message"],
        "source": {
            "section": "一(四)",
            "quote": TARGETS_QUOTE,
            "gloss": data["source"]["gloss"],
            "interpretation": data["source"]["interpretation"],
        },
    }
    assert "112%" in data["message"]
    assert has_chinese(data["message"])
    assert data["source"]["interpretation"].startswith("巩固率不能超过100%，112%疑为笔误")
    assert data["source"]["gloss"].startswith("In 2020: preschool gross enrolment of 120%")
    information = jinfeng_findings[-1].to_json()
    assert information["severity"] == "info"
    assert information["source"] is None
    json.dumps([finding.to_json() for finding in jinfeng_findings])  # plain JSON


# ---------------------------------------------------------------------------------------
# One broken plan per rule
# ---------------------------------------------------------------------------------------

#: The indicators of these plans that are not percentages.
NOT_PERCENT = {"schools", "new", "old", "area", "area-a", "area-b"}


def stated(item_id: str, indicator_id: str, value: str) -> str:
    """A quote that states ``value`` (TOML) as a plan would, so that ``quote-number`` is quiet."""
    number = value.strip('"')
    return f"{item_id}的原文{number}{'' if indicator_id in NOT_PERCENT else '%'}"


def target(target_id: str, indicator_id: str, value: str = '"95"', **fields: Any) -> str:
    """A target whose quote, unless given, states its value."""
    fields.setdefault("quote", stated(target_id, indicator_id, value))
    return plain_target(target_id, indicator_id, value, **fields)


def fact(fact_id: str, indicator_id: str, value: str, on: str, *, quote: str | None = None) -> str:
    """A fact whose quote, unless given, states its value."""
    text = quote if quote is not None else stated(fact_id, indicator_id, value)
    return plain_fact(fact_id, indicator_id, value, on, quote=text)


RATE = indicator("rate")
GROSS = indicator("gross", can_exceed_100=True)
SCHOOLS = indicator("schools", "count")
AREA = indicator("area", "area_m2")
AREA_PARTS = indicator("area-a", "area_m2") + indicator("area-b", "area_m2")

#: Goals that pass every check: a total that adds up, values their units allow, targets
#: that can be met together, dates inside the period, every source quoted.
CLEAN_GOALS = (
    RATE
    + GROSS
    + SCHOOLS
    + AREA
    + AREA_PARTS
    + target("rate-2020", "rate", '"98.7"', baseline='{ value = "90", on = 2017-06-30 }')
    + target("rate-cap-2020", "rate", '"100"', comparison="at_most")
    + target("gross-2020", "gross", '"120"')
    + target("schools-2020", "schools", "12", comparison="exactly")
    + target("area-2020", "area", '"10"', parts=("area-a-2020", "area-b-2020"))
    + target("area-a-2020", "area-a", '"3"')
    + target("area-b-2020", "area-b", '"7"')
    + fact("schools-now", "schools", "8", "2018-01-01")
)


def audit_of(tmp_path: Path, goals: str, aid: str = AID_FOR_EVERYONE) -> tuple[Finding, ...]:
    return audit(load_plan(tmp_path, goals, aid))


def test_a_clean_plan_has_no_finding(tmp_path: Path) -> None:
    assert audit_of(tmp_path, CLEAN_GOALS) == ()


# --- composite-sum ------------------------------------------------------------------------


def test_composite_sum(tmp_path: Path) -> None:
    goals = (
        AREA
        + AREA_PARTS
        + target("area-2020", "area", '"12"', parts=("area-a-2020", "area-b-2020"), quote="共12")
        + target("area-a-2020", "area-a", '"3"')
        + target("area-b-2020", "area-b", '"7.5"')
    )
    findings = audit_of(tmp_path, goals)
    assert summary(findings) == {("composite-sum", "error", "area-2020")}
    (finding,) = findings
    assert finding.message.render("en") == (
        "the stated total 12 m² differs from the sum of its parts "
        "area-a-2020 3 m² + area-b-2020 7.5 m² = 10.5 m² (difference 1.5 m²)"
    )
    assert finding.source is not None
    assert finding.source.quote == "共12"


def test_composite_sum_of_percentages(tmp_path: Path) -> None:
    goals = (
        RATE
        + indicator("rate-a")
        + target("total", "rate", '"60"', parts=("a",))
        + target("a", "rate-a", '"50"')
    )
    (finding,) = audit_of(tmp_path, goals)
    assert finding.code == "composite-sum"
    assert "a 50% = 50%" in finding.message.render("en")


def test_a_total_that_adds_up_is_not_a_finding(tmp_path: Path) -> None:
    goals = (
        SCHOOLS
        + indicator("new", "count")
        + indicator("old", "count")
        + target("total", "schools", "33", parts=("new-schools", "old-schools"))
        + target("new-schools", "new", "4")
        + target("old-schools", "old", "29")
    )
    assert audit_of(tmp_path, goals) == ()


# --- unit-range ---------------------------------------------------------------------------


def test_unit_range_percent_above_100(tmp_path: Path) -> None:
    findings = audit_of(tmp_path, RATE + target("rate-2020", "rate", '"112"'))
    assert summary(findings) == {("unit-range", "error", "rate-2020")}
    message = findings[0].message.render("en")
    assert "112% is above 100%" in message
    assert "Indicator rate" in message


def test_unit_range_a_baseline_above_100(tmp_path: Path) -> None:
    goals = RATE + target("rate-2020", "rate", baseline='{ value = "101", on = 2017-12-31 }')
    assert summary(audit_of(tmp_path, goals)) == {("unit-range", "error", "rate-2020")}


def test_a_ratio_that_may_exceed_100_is_not_a_finding(tmp_path: Path) -> None:
    assert audit_of(tmp_path, GROSS + target("gross-2020", "gross", '"120"')) == ()


def test_unit_range_fractional_count(tmp_path: Path) -> None:
    goals = SCHOOLS + target("schools-2020", "schools", '"2.5"')
    findings = audit_of(tmp_path, goals)
    assert summary(findings) == {("unit-range", "error", "schools-2020")}
    assert "is not a whole number of Indicator schools" in findings[0].message.render("en")


def test_unit_range_fractional_count_of_a_fact(tmp_path: Path) -> None:
    goals = (
        SCHOOLS
        + target("schools-2020", "schools", "3")
        + fact("now", "schools", '"2.5"', "2018-06-01")
    )
    assert summary(audit_of(tmp_path, goals)) == {("unit-range", "error", "now")}


def test_unit_range_shows_the_value_in_its_unit(tmp_path: Path) -> None:
    findings = audit_of(tmp_path, SCHOOLS + target("schools-2020", "schools", '"2.5"'))
    message = findings[0].message.render("en")
    assert message == "2.5 is not a whole number of Indicator schools"


def test_unit_range_negative(tmp_path: Path) -> None:
    # A plan file cannot state a negative value (loading refuses it); a plan built in
    # Python can, and the audit reports it.
    plan = load_plan(tmp_path, RATE + target("rate-2020", "rate"))
    assert plan.goals is not None
    (stated,) = plan.goals.targets
    negative = attrs.evolve(
        plan,
        goals=attrs.evolve(plan.goals, targets=(attrs.evolve(stated, value=Decimal(-5)),)),
    )
    findings = audit(negative)
    # The value was changed and its quote kept, which quote-number reports too.
    assert summary(findings) == {
        ("unit-range", "error", "rate-2020"),
        ("quote-number", "warning", "rate-2020"),
    }
    assert "a negative value" in findings[0].message.render("en")


# --- contradictory-targets ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "rules"),
    [
        (("at_least", '"90"'), ("at_most", '"80"'), "a (≥ 90) and b (≤ 80)"),
        (("exactly", '"90"'), ("exactly", '"95"'), "a (= 90) and b (= 95)"),
        (("exactly", '"70"'), ("at_least", '"75"'), "a (= 70) and b (≥ 75)"),
    ],
)
def test_contradictory_targets(
    tmp_path: Path, first: tuple[str, str], second: tuple[str, str], rules: str
) -> None:
    goals = (
        RATE
        + target("a", "rate", first[1], comparison=first[0])
        + target("b", "rate", second[1], comparison=second[0], quote=stated("b", "rate", second[1]))
    )
    findings = audit_of(tmp_path, goals)
    assert summary(findings) == {("contradictory-targets", "error", "a, b")}
    assert findings[0].message.render("en") == f"no value meets both {rules}"
    assert findings[0].source is not None
    assert findings[0].source.quote == stated("b", "rate", second[1])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param({}, {"comparison": "at_most", "value": '"99"'}, id="compatible"),
        pytest.param(
            {"scope": "urban"},
            {"scope": "rural", "comparison": "at_most", "value": '"80"'},
            id="different scopes",
        ),
        pytest.param(
            {},
            {"deadline": "2019-12-31", "comparison": "at_most", "value": '"80"'},
            id="different deadlines",
        ),
    ],
)
def test_targets_that_do_not_contradict(
    tmp_path: Path, a: dict[str, str], b: dict[str, str]
) -> None:
    goals = (
        RATE
        + target("a", "rate", a.pop("value", '"90"'), **a)
        + target("b", "rate", b.pop("value", '"90"'), **b)
    )
    assert "contradictory-targets" not in codes(audit_of(tmp_path, goals))


# --- outside-period -----------------------------------------------------------------------


def test_outside_period_deadline(tmp_path: Path) -> None:
    findings = audit_of(tmp_path, RATE + target("rate-2022", "rate", deadline="2022-12-31"))
    assert summary(findings) == {("outside-period", "warning", "rate-2022")}
    assert findings[0].message.render("en") == (
        "its deadline December 31, 2022 lies outside the plan's period 2018-01-01–2020-12-31"
    )


def test_outside_period_fact(tmp_path: Path) -> None:
    goals = (
        SCHOOLS
        + target("schools-2020", "schools", "12")
        + fact("then", "schools", "8", "2016-09-01")
    )
    findings = audit_of(tmp_path, goals)
    assert summary(findings) == {("outside-period", "warning", "then")}
    assert "2016" in findings[0].message.render("en")


def test_a_baseline_before_the_plan_is_normal(tmp_path: Path) -> None:
    goals = RATE + target("rate-2020", "rate", baseline='{ value = "80", on = 2015-12-31 }')
    assert audit_of(tmp_path, goals) == ()


def test_the_period_end_is_inside_it(tmp_path: Path) -> None:
    assert audit_of(tmp_path, RATE + target("rate-2020", "rate", deadline="2020-12-31")) == ()


# --- missing-source -----------------------------------------------------------------------


def test_missing_source_of_a_target(tmp_path: Path) -> None:
    findings = audit_of(tmp_path, RATE + target("rate-2020", "rate", quote=""))
    assert summary(findings) == {("missing-source", "error", "rate-2020")}
    assert findings[0].message.render("en") == "it does not quote the plan text it comes from"


def test_missing_source_of_a_fact_without_a_section(tmp_path: Path) -> None:
    goals = SCHOOLS + target("schools-2020", "schools", "12")
    goals += fact("now", "schools", "8", "2018-06-01").replace('section = "一"', 'section = ""')
    assert summary(audit_of(tmp_path, goals)) == {("missing-source", "error", "now")}


def test_missing_source_of_an_aid_rule(tmp_path: Path) -> None:
    aid = AID_FOR_EVERYONE.replace('quote = "每生每年补助100元"', 'quote = "   "')
    findings = audit_of(tmp_path, RATE + target("rate-2020", "rate"), aid)
    assert summary(findings) == {("missing-source", "error", "grant")}


# --- aid-conflict ---------------------------------------------------------------------------

CONFLICTING_GRANTS = """
[[aid.groups]]
id = "primary-grant"
combination = "one_wins"
name = { zh_CN = "小学资助金", en = "Primary-school grant" }

[[aid.rules]]
id = "poor-grant"
group = "primary-grant"
name = { zh_CN = "贫困生资助金", en = "Grant for poor pupils" }
benefit = { kind = "cash", amount = "500.00", frequency = "per_year" }
when.all = [{ stage = ["primary"] }, { household = ["dibao"] }]
source = { section = "二", quote = "小学贫困生每生每年发放资助金500元" }

[[aid.rules]]
id = "orphan-grant"
group = "primary-grant"
name = { zh_CN = "孤儿资助金", en = "Grant for orphans" }
benefit = { kind = "cash", amount = "1000.00", frequency = "per_year" }
when.all = [{ stage = ["primary"] }, { orphan = true }]
source = { section = "二", quote = "小学孤儿每生每年发放资助金1000元" }
"""

EXAMPLE_STUDENT = {
    "stage": "primary",
    "year": 1,
    "school_area": "urban",
    "household": ["dibao"],
    "orphan": True,
}


def test_aid_conflict_is_found_by_the_audit_although_the_plan_loads(tmp_path: Path) -> None:
    plan = load_plan(
        tmp_path, RATE + target("rate-2020", "rate"), AID_FOR_EVERYONE + CONFLICTING_GRANTS
    )
    findings = audit(plan)
    assert summary(findings) == {("aid-conflict", "error", "orphan-grant, poor-grant")}
    (finding,) = findings
    message = finding.message.render("en")
    assert message == (
        "rules orphan-grant and poor-grant of a one_wins group both apply, with no precedence "
        "declared, for example to stage=primary, year=1, school_area=urban, boarding=False, "
        "household=['dibao'], orphan=True, disabled=False"
    )
    assert finding.source is not None
    assert finding.source.quote == "小学贫困生每生每年发放资助金500元"
    # The example is a real student whom the plan cannot evaluate.
    policy = edupolicy.Policy(region="t", distribution="t", version="1", plans=(plan,))
    with pytest.raises(edupolicy.RuleConflictError) as caught:
        policy.aid(EXAMPLE_STUDENT, "2018-09-01")
    assert sorted(caught.value.rule_ids) == ["orphan-grant", "poor-grant"]


def test_a_declared_precedence_resolves_the_conflict(tmp_path: Path) -> None:
    aid = CONFLICTING_GRANTS.replace(
        'id = "orphan-grant"\n', 'id = "orphan-grant"\noverrides = ["poor-grant"]\n'
    )
    assert "overrides" in aid
    assert audit_of(tmp_path, RATE + target("rate-2020", "rate"), AID_FOR_EVERYONE + aid) == ()


# --- equal-treatment --------------------------------------------------------------------------

MIGRANT_GRANT = """
[[aid.rules]]
id = "migrant-grant"
name = { zh_CN = "进城务工子女补助", en = "Grant for migrant workers' children" }
benefit = { kind = "cash", amount = "200.00", frequency = "per_year" }
when.all = [{ stage = ["primary"] }, { household = ["migrant_worker"] }]
source = { section = "二", quote = "进城务工子女补助200元" }
"""


def equal_treatment(stages: str) -> str:
    return f"""
[[aid.equal_treatment]]
id = "migrants-equal"
status = "migrant_worker"
stages = {stages}
name = {{ zh_CN = "同等待遇", en = "Equal treatment" }}
source = {{ section = "二", quote = "进城务工人员随迁子女享受同等资助政策" }}
"""


class UncheckedPlan(edupolicy.Plan):
    """A plan that skips the checks made when a plan is built.

    A checked plan cannot hold a rule that mentions a status in a stage where an
    equal-treatment provision covers it, so the audit's equal-treatment rule is tested
    on a plan built without those checks, as a plan from a faulty source would be.
    """

    def __attrs_post_init__(self) -> None:
        pass


def test_a_plan_file_that_breaks_equal_treatment_does_not_load(tmp_path: Path) -> None:
    aid = AID_FOR_EVERYONE + MIGRANT_GRANT + equal_treatment('["primary", "junior_secondary"]')
    with pytest.raises(edupolicy.PlanDataError) as caught:
        load_plan(tmp_path, RATE + target("rate-2020", "rate"), aid)
    assert [p.path for p in caught.value.problems] == ["$.aid.equal_treatment[0].status"]


def test_equal_treatment(tmp_path: Path) -> None:
    # Loads while the provision covers junior secondary only; then widened to primary.
    aid = AID_FOR_EVERYONE + MIGRANT_GRANT + equal_treatment('["junior_secondary"]')
    checked = load_plan(tmp_path, RATE + target("rate-2020", "rate"), aid)
    assert audit(checked) == ()
    (provision,) = checked.aid.equal_treatment
    widened = attrs.evolve(provision, stages=frozenset({edupolicy.Stage.PRIMARY}))
    fields = {field.name: getattr(checked, field.name) for field in attrs.fields(edupolicy.Plan)}
    fields["aid"] = attrs.evolve(checked.aid, equal_treatment=(widened,))
    unchecked = UncheckedPlan(**fields)
    findings = audit(unchecked)
    assert summary(findings) == {("equal-treatment", "error", "migrants-equal")}
    message = findings[0].message.render("en")
    assert message.startswith("the aid of stage=primary, ")
    assert message.endswith("changes when the household is also migrant_worker")
    assert findings[0].source is not None
    assert findings[0].source.quote == "进城务工人员随迁子女享受同等资助政策"


# --- no-aid ---------------------------------------------------------------------------------

DIBAO_PRIMARY_ONLY = """
[[aid.rules]]
id = "dibao-grant"
name = { zh_CN = "低保资助", en = "Dibao grant" }
benefit = { kind = "cash", amount = "500.00", frequency = "per_year" }
when.all = [{ stage = ["primary"] }, { household = ["dibao"] }]
source = { section = "二", quote = "低保家庭小学生每年500元" }

[[aid.rules]]
id = "textbooks"
name = { zh_CN = "免课本费", en = "Free textbooks" }
benefit = { kind = "waiver", waives = ["textbook"] }
when = { stage = ["junior_secondary"] }
source = { section = "二", quote = "初中课本费全免" }
"""


def test_no_aid(tmp_path: Path) -> None:
    findings = audit_of(tmp_path, RATE + target("rate-2020", "rate"), DIBAO_PRIMARY_ONLY)
    assert summary(findings) == {
        ("no-aid", "info", stage)
        for stage in (
            "preschool",
            "primary",
            "junior_secondary",
            "senior_secondary",
            "secondary_vocational",
            "undergraduate",
            "vocational_college",
        )
    }
    messages = {f.subject: f.message.render("en") for f in findings}
    assert messages["preschool"] == "no aid rule applies to any preschool student"
    # Primary: only dibao pupils get cash; every other hardship is reported.
    primary = messages["primary"]
    assert primary.startswith("no cash aid for primary school students whose only hardship is: ")
    assert primary.endswith("orphan, disabled")
    assert "dibao" not in primary
    # Junior secondary: a waiver is aid, but not cash, so every hardship is reported.
    junior = messages["junior_secondary"]
    assert junior.startswith("no cash aid for junior secondary school students")
    assert "dibao" in junior
    assert junior.endswith("orphan, disabled")
    assert all(f.severity is Severity.INFO and f.source is None for f in findings)
    assert findings[0].render("zh_CN").startswith("提示 [no-aid] ")


# --- several at once ------------------------------------------------------------------------


def test_findings_are_ordered_errors_warnings_information(tmp_path: Path) -> None:
    goals = (
        RATE
        + target("late", "rate", deadline="2021-06-30")
        + target("over", "rate", '"105"')
        + target("unquoted", "rate", quote="")
    )
    findings = audit_of(tmp_path, goals, DIBAO_PRIMARY_ONLY)
    severities = [finding.severity for finding in findings]
    assert severities == sorted(
        severities, key=[Severity.ERROR, Severity.WARNING, Severity.INFO].index
    )
    assert {("unit-range", "over"), ("missing-source", "unquoted"), ("outside-period", "late")} <= {
        (f.code, f.subject) for f in findings
    }
    assert severities.count(Severity.ERROR) == 2
    assert severities.count(Severity.WARNING) == 1


@pytest.mark.parametrize(
    ("severity", "en", "zh"),
    [
        (Severity.ERROR, "error", "错误"),
        (Severity.WARNING, "warning", "警告"),
        (Severity.INFO, "information", "提示"),
    ],
)
def test_severity_labels(severity: Severity, en: str, zh: str) -> None:
    assert severity.label.render("en") == en
    assert severity.label.render("zh_CN") == zh


def test_a_plan_file_written_for_the_audit_is_a_valid_plan_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(plan_file(parts=()), encoding="utf-8")
    assert audit(edupolicy.load_plan(path)) == ()
