"""The rules engine on its own: generic over its subject, it knows no domain.

A third domain (school-construction grants) is built here from the engine's parts
alone: a subject type, one leaf condition, a rule that gives a grant.  Nothing in
``edupolicy.rules`` changes for it.  The tests also pin the engine's shared
behaviour that the aid and teacher wings rely on: combinators, groups, overrides,
conflicts, explanation of what did not apply, and the schedule checks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import edupolicy
from edupolicy.aid import BenefitKind, Cash, Unquantified, Waiver
from edupolicy.errors import InvalidRecordError, RuleConflictError
from edupolicy.i18n import Message, Text, _
from edupolicy.rules import (
    All,
    Applied,
    Combination,
    Leaf,
    Missing,
    Not,
    Rule,
    RuleGroup,
    Schedule,
    Source,
    check_schedule,
    evaluate,
    walk,
)
from edupolicy.rules import (
    Any as AnyOf,
)
from edupolicy.teachers import Allowance, Title, TitleExemption
from edupolicy.values import Frequency
from tests.planfiles import plan_text, write_plan

# --- a third domain, over the engine -------------------------------------------------------


@attrs.frozen(kw_only=True)
class School:
    id: str
    area_m2: int
    rural: bool


@attrs.frozen
class AreaBelow(Leaf[School]):
    """The school's floor area is below ``limit`` square metres."""

    limit: int

    def holds(self, school: School, /) -> bool:
        return school.area_m2 < self.limit

    def describe(self) -> Message:
        return Message(f"floor area below {self.limit} m²")

    def why_not(self, school: School, /) -> Message | None:
        return None if self.holds(school) else Message(f"floor area is {school.area_m2} m²")


@attrs.frozen
class IsRural(Leaf[School]):
    def holds(self, school: School, /) -> bool:
        return school.rural

    def describe(self) -> Message:
        return Message("the school is rural")

    def why_not(self, school: School, /) -> Message | None:
        return None if school.rural else Message("the school is urban")


@attrs.frozen(kw_only=True)
class GrantRule(Rule[School]):
    grant: Decimal

    def gives(self) -> Message:
        return Message(f"a grant of {self.grant} yuan")


SOURCE = Source(section="三(二)", quote="改扩建校舍")


def grant(
    rule_id: str,
    when: Any,
    amount: str,
    group: str | None = None,
    overrides: frozenset[str] = frozenset(),
) -> GrantRule:
    return GrantRule(
        id=rule_id,
        name=Text(zh_CN=rule_id, en=rule_id),
        when=when,
        source=SOURCE,
        grant=Decimal(amount),
        group=group,
        overrides=overrides,
    )


GRANTS = Schedule[GrantRule](
    rules=(
        grant("small", AreaBelow(2000), "100000.00", group="size"),
        grant(
            "small-rural",
            All((AreaBelow(2000), IsRural())),
            "150000.00",
            group="size",
            overrides=frozenset({"small"}),
        ),
        grant("repair", AnyOf((IsRural(), Not(AreaBelow(5000)))), "20000.00"),
    ),
    groups=(
        RuleGroup(id="size", name=Text(zh_CN="规模", en="Size"), combination=Combination.ONE_WINS),
    ),
)

WHO = _("this student")


def applied(school: School) -> list[str]:
    return [rule.id for rule in evaluate(GRANTS, school, who=WHO).applied]


def test_a_third_domain_evaluates_over_the_engine_unchanged() -> None:
    assert applied(School(id="a", area_m2=1500, rural=True)) == ["small-rural", "repair"]
    assert applied(School(id="b", area_m2=1500, rural=False)) == ["small"]
    assert applied(School(id="c", area_m2=6000, rural=False)) == ["repair"]
    assert applied(School(id="d", area_m2=3000, rural=False)) == []


def test_the_third_domain_is_explained_like_the_others() -> None:
    found = evaluate(GRANTS, School(id="a", area_m2=1500, rural=True), who=WHO, explain=True)

    assert found.not_applied is not None
    assert [(e.rule_id, e.reason.render()) for e in found.not_applied] == [
        ("small", "overridden by rule small-rural")
    ]
    # Rules that do not say what a subject lacks show no "lacks" in JSON.
    assert "lacks" not in found.not_applied[0].to_json()


def test_an_item_of_a_third_domain_shows_the_fields_its_rule_adds() -> None:
    rule = GRANTS.rule("small-rural")
    item = Applied(rule=rule).to_json("en")

    assert list(item) == ["rule", "name", "grant", "source", "explanation"]
    assert item["grant"] == "150000.00"
    assert item["source"]["section"] == "三(二)"

    found = evaluate(GRANTS, School(id="d", area_m2=3000, rural=False), who=WHO, explain=True)
    assert found.not_applied is not None
    reasons = {e.rule_id: e.reason.render() for e in found.not_applied}
    assert reasons["small"] == "floor area is 3000 m²"
    assert reasons["repair"].startswith("none of these holds: the school is rural or not (")


def test_two_winners_of_a_one_wins_group_are_a_conflict_naming_both() -> None:
    tied = attrs.evolve(
        GRANTS, rules=(GRANTS.rules[0], attrs.evolve(GRANTS.rules[1], overrides=frozenset()))
    )

    with pytest.raises(RuleConflictError) as caught:
        evaluate(tied, School(id="a", area_m2=1500, rural=True), who=_("this teacher"))

    assert caught.value.rule_ids == ("small", "small-rural")
    assert "both apply to this teacher" in str(caught.value)
    assert "改扩建校舍" in str(caught.value)
    assert "都适用于该教师" in caught.value.render("zh_CN")


def test_the_schedule_check_finds_every_mistake_with_its_path() -> None:
    broken = Schedule[GrantRule](
        rules=(
            grant("a", IsRural(), "1.00", group="nowhere"),
            grant("a", IsRural(), "1.00", group="size", overrides=frozenset({"b"})),
            grant("b", IsRural(), "1.00", group="size", overrides=frozenset({"a"})),
            grant("c", IsRural(), "1.00", overrides=frozenset({"ghost"})),
        ),
        groups=GRANTS.groups,
    )

    found = sorted(p.render() for p in check_schedule(broken, "$.grants"))

    assert found == sorted(
        [
            '$.grants.rules[1].id: another rule has the same id (got "a")',
            '$.grants.rules[0].group: no group has this id (got "nowhere")',
            '$.grants.rules[3].overrides: no rule has this id (got "ghost")',
            '$.grants.rules: rules override each other in a cycle (got "a → b → a")',
        ]
    )


def test_walk_visits_every_condition_inside_a_tree() -> None:
    tree = All((AreaBelow(10), AnyOf((IsRural(), Not(AreaBelow(5))))))

    kinds = [type(node).__name__ for node in walk(tree)]

    assert kinds == ["All", "AreaBelow", "Any", "IsRural", "Not", "AreaBelow"]


def test_a_leaf_without_its_own_lacks_reports_what_it_lacks_as_out_of_reach() -> None:
    lacking = AreaBelow(100).lacks(School(id="x", area_m2=500, rural=True))

    assert lacking == [Missing(message=Message("floor area is 500 m²"), attainable=False)]
    assert AreaBelow(1000).lacks(School(id="x", area_m2=500, rural=True)) == []


# --- kinds of benefit and outcome: one class each --------------------------------------------


def test_each_kind_of_benefit_is_its_own_class_with_only_its_fields() -> None:
    cash = Cash(amount=Decimal("500.00"), frequency=Frequency.PER_YEAR)
    waiver = Waiver(waives=frozenset({"textbook"}))
    plain = Unquantified()

    assert [b.kind for b in (cash, waiver, plain)] == list(BenefitKind)
    assert (waiver.amount, plain.amount, cash.waives) == (None, None, frozenset())
    assert set(attrs.fields_dict(Cash)) == {"amount", "frequency"}
    assert set(attrs.fields_dict(Waiver)) == {"waives"}
    with pytest.raises(TypeError):
        Waiver(waives=frozenset({"textbook"}), amount=Decimal("1.00"))  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("build", "path", "message"),
    [
        (
            lambda: Cash(amount=Decimal("0.00"), frequency=Frequency.ONCE),
            "$.amount",
            "an amount of aid must be more than zero",
        ),
        (lambda: Waiver(waives=frozenset()), "$.waives", "a waiver must name the fees it waives"),
        (lambda: TitleExemption(level=Title.NONE), "$.level", "must be a title: junior or higher"),
        (
            lambda: Allowance(description=Text(zh_CN="补助", en="x"), amount=Decimal("5.00")),
            "$.frequency",
            "an allowance needs both an amount and a frequency, or neither",
        ),
    ],
    ids=["cash-zero", "empty-waiver", "title-none", "amount-alone"],
)
def test_objects_made_in_python_are_checked_on_their_fields(
    build: Any, path: str, message: str
) -> None:
    with pytest.raises(InvalidRecordError) as caught:
        build()

    assert [(p.path, p.message.render()) for p in caught.value.problems] == [(path, message)]


BENEFIT_RULE = """
[[aid.rules]]
id = "r"
name = {{ zh_CN = "甲", en = "A" }}
when = {{ stage = ["primary"] }}
benefit = {benefit}
source = {{ section = "一", quote = "甲" }}
"""


def benefit_plan(benefit: str) -> str:
    """A plan file, in force from 2020, of one rule whose benefit is ``benefit`` (TOML)."""
    return plan_text(BENEFIT_RULE.format(benefit=benefit), plan_id="p", end=None)


@pytest.mark.parametrize(
    ("benefit", "expected"),
    [
        (
            '{ kind = "grant", amount = "1.00" }',
            '$.aid.rules[0].benefit.kind: must be one of: cash, waiver, unquantified (got "grant")',
        ),
        (
            '{ kind = "waiver", waives = ["textbook"], frequency = "once" }',
            "$.aid.rules[0].benefit.frequency: a benefit of kind waiver has no field frequency "
            '(got "once")',
        ),
        (
            '{ kind = "cash", frequency = "once" }',
            "$.aid.rules[0].benefit.amount: a benefit of kind cash needs the field amount "
            "(got (missing))",
        ),
        (
            '"cash"',
            '$.aid.rules[0].benefit: must be a JSON object (got "cash")',
        ),
    ],
    ids=["unknown-kind", "stray-field", "missing-field", "not-a-table"],
)
def test_a_benefit_is_read_by_its_kind_tag_and_its_problems_name_the_kind(
    tmp_path: Path, benefit: str, expected: str
) -> None:
    path = write_plan(tmp_path, benefit_plan(benefit))

    with pytest.raises(edupolicy.PlanDataError) as caught:
        edupolicy.load_plan(path)

    assert [p.render() for p in caught.value.problems] == [expected]


def test_every_problem_of_a_plan_is_reported_at_once(tmp_path: Path) -> None:
    # A field validator (the amount), a kind's missing field and a plan-wide check
    # (an unknown group) all in one error, each with its path.
    text = benefit_plan('{ kind = "cash", amount = "0.00", frequency = "once" }')
    text += """
[[aid.rules]]
id = "s"
name = { zh_CN = "乙", en = "B" }
when = { stage = ["primary"] }
benefit = { kind = "waiver" }
source = { section = "一", quote = "乙" }
"""
    path = write_plan(tmp_path, text)

    with pytest.raises(edupolicy.PlanDataError) as caught:
        edupolicy.load_plan(path)

    assert sorted(p.path for p in caught.value.problems) == [
        "$.aid.rules[0].benefit.amount",
        "$.aid.rules[1].benefit.waives",
    ]
    assert caught.value.problems[0].value == Decimal("0.00")


def test_a_plan_period_is_checked_on_its_field() -> None:
    with pytest.raises(InvalidRecordError) as caught:
        edupolicy.Period(start=dt.date(2020, 1, 1), end=dt.date(2019, 1, 1))

    assert [p.render() for p in caught.value.problems] == [
        "$.end: the period ends before it starts (got 2019-01-01)"
    ]
