"""The audit's ``quote-number`` check: every figure of plan data is stated by its own quote.

The figures of a quote are read by :mod:`edupolicy.analysis.quote_numbers` in the forms the
Jinfeng plan writes them (``500元``, ``78410万元``, ``1000余万元``, ``30%``,
``100%99%以上``, ``学前三年``); the audit reports a value that its quote does not state
unless the Chinese text of the item's interpretation states it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import edupolicy
from edupolicy import Change
from edupolicy.analysis import Finding, Severity, audit
from edupolicy.analysis.quote_numbers import figures, states
from tests.test_goals import AID_FOR_EVERYONE, indicator, load_plan, target

# ---------------------------------------------------------------------------------------
# Reading the figures of a text
# ---------------------------------------------------------------------------------------

TARGETS_QUOTE = (
    "2020年学前三年教育毛入园率达120%以上、小学和初中适龄人口按时入学率分别为100%99%以上、"
    "小学巩固率112%以上、初中三年巩固率98.7%以上、初中毕业升学率97%以上"
)


def read(text: str) -> set[tuple[str, bool]]:
    """The figures of ``text`` as (plain decimal, whether a percentage)."""
    return {(f"{figure.value.normalize():f}", figure.percent) for figure in figures(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("小学贫困生每生每年发放资助金500元", {("500", False)}, id="yuan"),
        pytest.param("规划总投资78410万元", {("784100000", False)}, id="ten-thousands"),
        pytest.param(
            "2020年需再投入资金1000余万元",
            {("2020", False), ("10000000", False)},
            id="more than ten-thousands",
        ),
        pytest.param("投入1.2亿元", {("120000000", False)}, id="hundred-millions"),
        pytest.param(
            TARGETS_QUOTE,
            {
                ("2020", False),
                ("3", False),
                ("120", True),
                ("100", True),
                ("99", True),
                ("112", True),
                ("98.7", True),
                ("97", True),
            },
            id="percentages side by side",
        ),
        pytest.param(
            "新增占地面积426992平方米(中小学379892、幼儿园47100)",
            {("426992", False), ("379892", False), ("47100", False)},
            id="parts in brackets",
        ),
        pytest.param("每年发放1,000元", {("1000", False), ("1", False)}, id="thousands separator"),
        pytest.param(
            "按照本科6000元,专科5000元", {("6000", False), ("5000", False)}, id="comma between"
        ),
        pytest.param("比例不低于３０％", {("30", True)}, id="full-width"),
        pytest.param("给予学前两年资助", {("2", False)}, id="two years"),
        pytest.param("帮助其完成三年中职学习", {("3", False)}, id="three years"),
        pytest.param(
            "对在乡村学校从教二十年、十五年、十年以上的教师给予鼓励",
            {("20", False), ("15", False), ("10", False)},
            id="tens",
        ),
        pytest.param("每年组织十名教师", {("10", False)}, id="ten teachers"),
        pytest.param("一百零八人、两万人", {("108", False), ("20000", False)}, id="hundreds"),
        pytest.param("二〇二〇年", {("2020", False)}, id="digit by digit"),
        pytest.param("一类园5所,办园水平普遍达到二类园", {("5", False)}, id="grades"),
        pytest.param("纳入“十三五”教育发展规划", set(), id="a name"),
        pytest.param("学校三级联动、“一对一”帮扶", set(), id="levels and idioms"),
        pytest.param("落款日期2018年8月30日", set(), id="a date"),
        pytest.param("按当年12月31日计算", set(), id="a day of the year"),
    ],
)
def test_the_figures_of_a_text(text: str, expected: set[tuple[str, bool]]) -> None:
    assert read(text) == expected


def test_a_scaled_figure_does_not_state_its_digits() -> None:
    assert states("规划总投资78410万元", Decimal("784100000.00"))
    assert not states("规划总投资78410万元", Decimal("78410"))


def test_a_percentage_is_stated_only_with_its_sign() -> None:
    assert states("比例不低于30%", Decimal(30), percent=True)
    assert not states("比例不低于30%", Decimal(30))
    assert not states("示范园30所", Decimal(30), percent=True)


def plain(amount: Decimal) -> str:
    """``amount`` as a plan writes it: ``500`` for 500.00, ``12.5`` for 12.50."""
    return f"{amount.normalize():f}"


def grouped(amount: Decimal) -> str:
    whole, _dot, fraction = plain(amount).partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def ten_thousands(amount: Decimal) -> str:
    return plain(amount / 10_000)


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@given(amount=amounts)
def test_an_amount_is_found_however_the_plan_writes_it(amount: Decimal) -> None:
    assert states(f"每生每年发放资助金{plain(amount)}元", amount)
    assert states(f"每生每年发放资助金{grouped(amount)}元", amount)
    assert states(f"投入资金{ten_thousands(amount)}万元", amount)
    assert states(f"比例不低于{plain(amount)}%", amount, percent=True)


@given(amount=amounts, other=amounts)
def test_a_changed_amount_is_not_found(amount: Decimal, other: Decimal) -> None:
    assume(amount != other)
    assert not states(f"每生每年发放资助金{plain(amount)}元", other)
    assert not states(f"投入资金{ten_thousands(amount)}万元", other)


_DIGIT_NAMES = "零一二三四五六七八九"


def chinese(number: int) -> str:
    """``number`` (1 to 9999) in Chinese numerals: 十五, 二十, 一百零八, 一千零一十."""
    text = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += ("" if unit == 10 and not text and digit == 1 else _DIGIT_NAMES[digit]) + name
    return text


@given(years=st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_that_count_years_are_read(years: int) -> None:
    assert states(f"在乡村学校连续任教{chinese(years)}年", Decimal(years))
    assert not states(f"在乡村学校连续任教{chinese(years)}年", Decimal(years + 1))


# ---------------------------------------------------------------------------------------
# Jinfeng
# ---------------------------------------------------------------------------------------


def quote_numbers(plan: edupolicy.Plan) -> list[Finding]:
    return [finding for finding in audit(plan) if finding.code == "quote-number"]


def changed(policy: edupolicy.Policy, **change: Any) -> list[Finding]:
    """The ``quote-number`` findings of ``policy``'s plan with one change."""
    (plan,) = policy.with_changes([Change(reason="a what-if", **change)]).plans
    return quote_numbers(plan)


def test_jinfeng_states_every_figure_in_its_quote(jinfeng: edupolicy.Policy) -> None:
    assert [f for f in jinfeng.check() if f.code == "quote-number"] == []


@pytest.mark.parametrize(
    ("reading", "choice"),
    [("liangtian-kindergartens", "four"), ("rural-commendation-share", "by-kind")],
)
def test_jinfeng_states_every_figure_under_its_readings(reading: str, choice: str) -> None:
    policy = edupolicy.load("jinfeng", readings={reading: choice})
    assert [f for f in policy.check() if f.code == "quote-number"] == []


def test_a_changed_amount_with_its_old_quote_is_reported(jinfeng: edupolicy.Policy) -> None:
    (finding,) = changed(jinfeng, rule="primary-poor-grant", set={"benefit.amount": "600.00"})
    assert finding.severity is Severity.WARNING
    assert finding.subject == "primary-poor-grant"
    assert finding.message.render("en") == (
        "its benefit.amount, CN¥600.00, is neither in its quote nor in its interpretation"
    )
    assert finding.source is not None
    assert finding.source.quote == "小学贫困生每生每年发放资助金500元"
    assert finding.render("en").startswith("warning [quote-number] primary-poor-grant: ")


def test_the_same_amount_written_otherwise_is_not_reported(jinfeng: edupolicy.Policy) -> None:
    assert changed(jinfeng, rule="primary-poor-grant", set={"benefit.amount": "500"}) == []


def test_a_value_in_ten_thousands_of_yuan(jinfeng: edupolicy.Policy) -> None:
    # 78410万元 is 784,100,000 yuan; 78,410 yuan is the unit forgotten.
    (finding,) = changed(jinfeng, target="construction-investment-2020", set={"value": "78410"})
    assert finding.subject == "construction-investment-2020"
    assert "CN¥78,410.00" in finding.message.render("en")
    assert changed(jinfeng, target="construction-investment-2020", set={"value": "784100000"}) == []


def test_a_percentage(jinfeng: edupolicy.Policy) -> None:
    (finding,) = changed(jinfeng, target="junior-retention-2020", set={"value": "97.8"})
    assert finding.message.render("en") == "its value, 97.8%, is not in its quote"
    assert changed(jinfeng, target="junior-retention-2020", set={"value": "98.70"}) == []
    (share,) = changed(jinfeng, share="rural-commendation-share", set={"min_percent": "25"})
    assert share.subject == "rural-commendation-share"
    assert "its min_percent, 25%, " in share.message.render("en")


def test_a_quota(jinfeng: edupolicy.Policy) -> None:
    # The interpretation's date, 12月31日, states no figure.
    (finding,) = changed(jinfeng, quota="sanatorium", set={"per_year": 12})
    assert finding.subject == "sanatorium"
    assert "its per_year, 12, " in finding.message.render("en")


def test_teacher_year_thresholds(jinfeng: edupolicy.Policy) -> None:
    conditions = [{"continuous_rural_years": {"min": 16}}, {"outstanding": True}]
    (finding,) = changed(
        jinfeng, rule="intermediate-title-outside-quota", set={"when.all": conditions}
    )
    assert finding.message.render("en") == (
        "its continuous_rural_years.min, 16 years, is neither in its quote nor in its "
        "interpretation"
    )
    bounded = {"total_rural_years": {"min": 20, "max": 30}}
    (finding,) = changed(jinfeng, rule="rural-service-encouragement-20", set={"when": bounded})
    assert "its total_rural_years.max, 30 years, " in finding.message.render("en")


def test_teacher_years_in_chinese_numerals(jinfeng: edupolicy.Policy) -> None:
    quote = "对在乡村学校从教二十年、十五年、十年以上的教师给予鼓励"
    change: dict[str, Any] = {"source.quote": quote}
    assert changed(jinfeng, rule="rural-service-encouragement-20", set=change) == []
    change["when"] = {"total_rural_years": {"min": 25}}
    (finding,) = changed(jinfeng, rule="rural-service-encouragement-20", set=change)
    assert "25 years" in finding.message.render("en")


def test_an_interpretation_that_states_the_value(jinfeng: edupolicy.Policy) -> None:
    # The quote names no number; the interpretation states 1所, and the "four" reading 4所.
    (finding,) = changed(jinfeng, target="liangtian-kindergarten-2018", set={"value": "2"})
    assert "its value, 2, is neither in its quote nor in its interpretation" in (
        finding.message.render("en")
    )
    four = edupolicy.load("jinfeng", readings={"liangtian-kindergartens": "four"})
    assert four.plans[0].goals is not None
    assert four.plans[0].goals.target("liangtian-kindergarten-2018").value == 4


# ---------------------------------------------------------------------------------------
# Small plans
# ---------------------------------------------------------------------------------------

MONEY = indicator("investment", "money")


def figures_of(tmp_path: Path, goals: str, aid: str = AID_FOR_EVERYONE) -> set[tuple[str, str]]:
    plan = load_plan(tmp_path, goals, aid)
    return {(f.subject, f.message.render("en")) for f in quote_numbers(plan)}


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        ('"784100000"', "规划总投资78410万元"),
        ('"10000000"', "2020年需再投入资金1000余万元"),
        ('"1000"', "投入1,000元"),
    ],
)
def test_money_as_the_plan_writes_it(tmp_path: Path, value: str, quote: str) -> None:
    assert figures_of(tmp_path, MONEY + target("i", "investment", value, quote=quote)) == set()


def test_a_quote_without_any_number_is_reported(tmp_path: Path) -> None:
    goals = indicator("rate") + target("rate-2020", "rate", '"100"', quote="实现全覆盖")
    assert figures_of(tmp_path, goals) == {("rate-2020", "its value, 100%, is not in its quote")}


def test_an_achieved_target_states_no_number(tmp_path: Path) -> None:
    goals = indicator("done", "achieved") + target(
        "done-2020", "done", '"1"', comparison="exactly", quote="实现校长提高培训"
    )
    assert figures_of(tmp_path, goals) == set()


def test_a_blank_quote_is_missing_source_only(tmp_path: Path) -> None:
    goals = indicator("rate") + target("rate-2020", "rate", quote="")
    codes = {f.code for f in audit(load_plan(tmp_path, goals))}
    assert codes == {"missing-source"}


def test_an_aid_amount_without_interpretation(tmp_path: Path) -> None:
    aid = AID_FOR_EVERYONE.replace('amount = "100.00"', 'amount = "120.00"')
    goals = indicator("rate") + target("rate-2020", "rate", '"95"', quote="达到95%")
    assert figures_of(tmp_path, goals, aid) == {
        ("grant", "its benefit.amount, CN¥120.00, is not in its quote")
    }
