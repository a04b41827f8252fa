"""Goal indicators and targets: the Jinfeng targets as the plan states them, and progress.

The first part checks every target of the Jinfeng plan against a table written from the
plan text: the indicator, unit, comparison, value, deadline and section, and that its
quote is the plan's own words and states the number.  The rest exercises
:meth:`edupolicy.Policy.progress` on made-up observations for 2018–2020, the strict
observation input, and the checks a plan's goals pass when the plan is loaded (with
small plans written for each test, whose goals live in a ``goals.toml`` part).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import edupolicy
import edupolicy_jinfeng
from edupolicy.analysis import audit
from edupolicy.errors import MISSING
from edupolicy.goals import (
    Baseline,
    Comparison,
    Goals,
    Indicator,
    Observation,
    Status,
    Target,
    TargetProgress,
    Unit,
    progress,
)
from edupolicy.i18n import Text
from edupolicy.rules import Source
from tests.planfiles import plan_text

PLAN_TEXT = edupolicy_jinfeng.PLAN_TEXT.read_text(encoding="utf-8")

# ---------------------------------------------------------------------------------------
# Small plans: a plan file listing ``parts = ["goals.toml"]``, and its goals part
# ---------------------------------------------------------------------------------------

ALL_STAGES = (
    '["preschool", "primary", "junior_secondary", "senior_secondary", '
    '"secondary_vocational", "undergraduate", "vocational_college"]'
)

#: One cash rule for every student of every stage: no stage is left without aid.
AID_FOR_EVERYONE = f"""
[[aid.rules]]
id = "grant"
name = {{ zh_CN = "助学金", en = "Grant" }}
benefit = {{ kind = "cash", amount = "100.00", frequency = "per_year" }}
when = {{ stage = {ALL_STAGES} }}
source = {{ section = "一", quote = "每生每年补助100元" }}
"""


def plan_file(
    aid: str = AID_FOR_EVERYONE,
    *,
    parts: Sequence[str] = ("goals.toml",),
    start: str = "2018-01-01",
    end: str = "2020-12-31",
) -> str:
    """A whole plan file, in force from ``start`` to ``end``, whose goals are in ``parts``."""
    return plan_text(aid, plan_id="goal-plan", parts=parts, start=start, end=end)


def indicator(
    indicator_id: str, unit: str = "percent", *, can_exceed_100: bool | None = None
) -> str:
    """One ``[[goals.indicators]]`` table."""
    lines = [
        "[[goals.indicators]]",
        f'id = "{indicator_id}"',
        f'unit = "{unit}"',
        f'name = {{ zh_CN = "指标{indicator_id}", en = "Indicator {indicator_id}" }}',
    ]
    if can_exceed_100 is not None:
        lines.append(f"can_exceed_100 = {'true' if can_exceed_100 else 'false'}")
    return "\n".join(lines) + "\n\n"


def target(
    target_id: str,
    indicator_id: str,
    value: str = '"95"',
    *,
    comparison: str = "at_least",
    deadline: str = "2020-12-31",
    baseline: str | None = None,
    parts: Sequence[str] = (),
    scope: str | None = None,
    section: str = "一",
    quote: str | None = None,
) -> str:
    """One ``[[goals.targets]]`` table; ``value`` and ``baseline`` are TOML."""
    lines = [
        "[[goals.targets]]",
        f'id = "{target_id}"',
        f'indicator = "{indicator_id}"',
        f'comparison = "{comparison}"',
        f"value = {value}",
        f"deadline = {deadline}",
    ]
    if baseline is not None:
        lines.append(f"baseline = {baseline}")
    if parts:
        lines.append("parts = [" + ", ".join(f'"{p}"' for p in parts) + "]")
    if scope is not None:
        lines.append(f'scope = {{ zh_CN = "范围{scope}", en = "{scope}" }}')
    text = quote if quote is not None else f"目标{target_id}的原文"
    lines.append(f'source = {{ section = "{section}", quote = "{text}" }}')
    return "\n".join(lines) + "\n\n"


def fact(fact_id: str, indicator_id: str, value: str, on: str, *, quote: str | None = None) -> str:
    """One ``[[goals.facts]]`` table."""
    text = quote if quote is not None else f"事实{fact_id}的原文"
    return (
        f'[[goals.facts]]\nid = "{fact_id}"\nindicator = "{indicator_id}"\n'
        f'value = {value}\non = {on}\nsource = {{ section = "一", quote = "{text}" }}\n\n'
    )


def write_plan(tmp_path: Path, goals: str, aid: str = AID_FOR_EVERYONE) -> Path:
    """Write ``plan.toml`` and its part ``goals.toml`` into ``tmp_path``; the plan's path."""
    (tmp_path / "goals.toml").write_text(goals, encoding="utf-8")
    path = tmp_path / "plan.toml"
    path.write_text(plan_file(aid), encoding="utf-8")
    return path


def load_plan(tmp_path: Path, goals: str, aid: str = AID_FOR_EVERYONE) -> edupolicy.Plan:
    """The plan of ``goals`` (and ``aid``), loaded as a plugin author loads a plan file."""
    plan: edupolicy.Plan = edupolicy.load_plan(write_plan(tmp_path, goals, aid))
    return plan


def policy_of(plan: edupolicy.Plan) -> edupolicy.Policy:
    return edupolicy.Policy(
        region="testland", distribution="testland-plugin", version="1.0", plans=(plan,)
    )


def load_error(tmp_path: Path, goals: str) -> edupolicy.PlanDataError:
    with pytest.raises(edupolicy.PlanDataError) as caught:
        load_plan(tmp_path, goals)
    return caught.value


def problems_of(error: edupolicy.InvalidDataError) -> list[tuple[str, object]]:
    """(path, offending value) of every problem of ``error``, in order."""
    return [(problem.path, problem.value) for problem in error.problems]


def lines_by_target(lines: Sequence[TargetProgress]) -> dict[str, TargetProgress]:
    found = {line.target.id: line for line in lines}
    assert len(found) == len(lines), "one line per target"
    return found


# ---------------------------------------------------------------------------------------
# Every Jinfeng target, as the plan states it
# ---------------------------------------------------------------------------------------

#: (target id, indicator, unit, comparison, value, deadline, section, the words of the
#: quote that state the value).  Where the words hold no digits, the value is a reading
#: of them (``全覆盖`` as 100%, one named school as 1, a goal with no number as achieved)
#: that an interpretation note explains.
D2018 = dt.date(2018, 12, 31)
D2020 = dt.date(2020, 12, 31)
GE = "at_least"
EQ = "exactly"
TARGETS = [
    ("preschool-gross-enrolment-2020", "preschool-gross-enrolment", "percent", GE, "120", D2020, "一(四)", "毛入园率达120%以上"),  # noqa: E501
    ("primary-on-time-enrolment-2020", "primary-on-time-enrolment", "percent", GE, "100", D2020, "一(四)", "分别为100%"),  # noqa: E501
    ("junior-on-time-enrolment-2020", "junior-on-time-enrolment", "percent", GE, "99", D2020, "一(四)", "99%以上"),  # noqa: E501
    ("primary-retention-2020", "primary-retention", "percent", GE, "112", D2020, "一(四)", "小学巩固率112%以上"),  # noqa: E501
    ("junior-retention-2020", "junior-retention", "percent", GE, "98.7", D2020, "一(四)", "初中三年巩固率98.7%以上"),  # noqa: E501
    ("junior-progression-2020", "junior-progression", "percent", GE, "97", D2020, "一(四)", "初中毕业升学率97%以上"),  # noqa: E501
    ("teachers-rotation-trained-2020", "teachers-rotation-trained", "percent", GE, "100", D2020, "一(四)", "教师全面轮训"),  # noqa: E501
    ("rural-demonstration-kindergartens-2020", "rural-demonstration-kindergartens", "count", GE, "1", D2020, "二(二)1", "示范园1所"),  # noqa: E501
    ("rural-grade-one-kindergartens-2020", "rural-grade-one-kindergartens", "count", GE, "5", D2020, "二(二)1", "一类园5所"),  # noqa: E501
    ("rural-kindergartens-grade-two-2020", "rural-kindergartens-grade-two-or-better", "percent", GE, "100", D2020, "二(二)1", "普遍达到二类园"),  # noqa: E501
    ("schools-built-2020", "schools-built", "count", GE, "23", D2020, "二(二)2", "幼儿园23所"),
    ("junior-schools-newly-built-2020", "junior-schools-newly-built", "count", GE, "1", D2020, "二(二)2", "新建初级中学1所"),  # noqa: E501
    ("primary-schools-newly-built-2020", "primary-schools-newly-built", "count", GE, "8", D2020, "二(二)2", "、小学8所"),  # noqa: E501
    ("primary-schools-relocated-2020", "primary-schools-relocated", "count", GE, "2", D2020, "二(二)2", "迁建小学2所"),  # noqa: E501
    ("primary-schools-expanded-2020", "primary-schools-expanded", "count", GE, "4", D2020, "二(二)2", "扩建小学4所"),  # noqa: E501
    ("kindergartens-newly-built-2020", "kindergartens-newly-built", "count", GE, "8", D2020, "二(二)2", "新建幼儿园8所"),  # noqa: E501
    ("new-land-area-2020", "new-land-area", "area_m2", GE, "426992", D2020, "二(二)2", "新增占地面积426992平方米"),  # noqa: E501
    ("new-land-area-schools-2020", "new-land-area-schools", "area_m2", GE, "379892", D2020, "二(二)2", "(中小学379892"),  # noqa: E501
    ("new-land-area-kindergartens-2020", "new-land-area-kindergartens", "area_m2", GE, "47100", D2020, "二(二)2", "幼儿园47100"),  # noqa: E501
    ("new-floor-area-2020", "new-floor-area", "area_m2", GE, "57819", D2020, "二(二)2", "新增建筑面积57819平方米"),  # noqa: E501
    ("new-floor-area-schools-2020", "new-floor-area-schools", "area_m2", GE, "379892", D2020, "二(二)2", "平方米(中小学379892、幼儿园30650"),  # noqa: E501
    ("new-floor-area-kindergartens-2020", "new-floor-area-kindergartens", "area_m2", GE, "30650", D2020, "二(二)2", "幼儿园30650"),  # noqa: E501
    ("new-seats-schools-2020", "new-seats-schools", "seats", GE, "14040", D2020, "二(二)2", "中小学14040人"),  # noqa: E501
    ("new-seats-kindergartens-2020", "new-seats-kindergartens", "seats", GE, "3150", D2020, "二(二)2", "幼儿园3150人"),  # noqa: E501
    ("schools-after-programme", "schools", "count", GE, "33", D2020, "二(二)2", "中小学达到33所"),
    ("junior-schools-after-programme", "junior-schools", "count", GE, "2", D2020, "二(二)2", "初级中学2所"),  # noqa: E501
    ("nine-year-schools-after-programme", "nine-year-schools", "count", GE, "2", D2020, "二(二)2", "九年制学校2所"),  # noqa: E501
    ("primary-schools-after-programme", "primary-schools", "count", GE, "29", D2020, "二(二)2", "小学29所"),  # noqa: E501
    ("public-kindergartens-after-programme", "public-kindergartens", "count", GE, "24", D2020, "二(二)2", "公建幼儿园24所"),  # noqa: E501
    ("construction-investment-2020", "construction-investment", "money", GE, "784100000", D2020, "二(二)2", "规划总投资78410万元"),  # noqa: E501
    ("standardisation-investment-2020", "standardisation-investment", "money", GE, "10000000", D2020, "二(二)3", "再投入资金1000余万元"),  # noqa: E501
    ("resettlement-schools-2020", "resettlement-schools", "count", GE, "1", D2020, "二(二)4", "标准化学校(和丰)"),  # noqa: E501
    ("resettlement-kindergartens-2020", "resettlement-kindergartens", "count", GE, "4", D2020, "二(二)4", "幼儿园(和丰、泾龙、光明、金星)"),  # noqa: E501
    ("liangtian-kindergarten-2018", "liangtian-kindergartens-in-use", "count", GE, "1", D2018, "二(二)4", "良田镇所幼儿的招标及投入使用"),  # noqa: E501
    ("wireless-coverage-2020", "wireless-coverage", "percent", GE, "100", D2020, "二(二)5", "校园无线网络全覆盖"),  # noqa: E501
    ("schools-with-iot-2020", "schools-with-iot", "percent", GE, "100", D2020, "二(二)5", "完成各学校物联网建设"),  # noqa: E501
    ("upgraded-multimedia-terminals-2020", "upgraded-multimedia-terminals", "percent", GE, "100", D2020, "二(二)5", "多媒体教学终端升级换代"),  # noqa: E501
    ("teachers-with-mobile-terminals-2020", "teachers-with-mobile-terminals", "percent", GE, "100", D2020, "二(二)5", "专任教师配备可用于教育教学的移动智能终端"),  # noqa: E501
    ("students-with-mobile-terminals-2020", "students-with-mobile-terminals", "percent", GE, "100", D2020, "二(二)5", "学生移动学习终端的全面普及"),  # noqa: E501
    ("rural-schools-online-classroom-2020", "rural-schools-online-classroom", "percent", GE, "100", D2020, "二(二)5", "在线好课堂农村学校全覆盖"),  # noqa: E501
    ("online-learning-spaces-2020", "online-learning-spaces", "percent", GE, "100", D2020, "二(二)5", "基本实现“一人一空间”"),  # noqa: E501
    ("student-aid-full-coverage-2020", "student-aid-full-coverage", "achieved", EQ, "1", D2020, "一(四)", "学生资助全覆盖"),  # noqa: E501
    ("high-quality-balanced-development-2020", "high-quality-balanced-development", "achieved", EQ, "1", D2020, "二(三)2", "全面达到教育资源优质均衡发展"),  # noqa: E501
    ("principals-improvement-training-2020", "principals-improvement-training", "achieved", EQ, "1", D2020, "二(四)2", "实现校长提高培训"),  # noqa: E501
]  # fmt: skip


@pytest.fixture(scope="module")
def goals(jinfeng: edupolicy.Policy) -> Goals:
    (plan,) = jinfeng.plans
    assert plan.goals is not None
    return plan.goals


def test_the_table_lists_every_jinfeng_target_once(goals: Goals) -> None:
    listed = [row[0] for row in TARGETS]
    assert len(set(listed)) == len(listed)
    assert sorted(listed) == sorted(t.id for t in goals.targets)
    assert len(goals.targets) == 44


@pytest.mark.parametrize(
    ("target_id", "indicator_id", "unit", "comparison", "value", "deadline", "section", "words"),
    TARGETS,
    ids=[row[0] for row in TARGETS],
)
def test_jinfeng_target_is_encoded_as_the_plan_states_it(
    goals: Goals,
    jinfeng: edupolicy.Policy,
    target_id: str,
    indicator_id: str,
    unit: str,
    comparison: str,
    value: str,
    deadline: dt.date,
    section: str,
    words: str,
) -> None:
    found = goals.target(target_id)
    assert found.indicator == indicator_id
    assert goals.indicator(indicator_id).unit is Unit(unit)
    assert found.comparison is Comparison(comparison)
    assert found.value == Decimal(value)
    assert found.deadline == deadline
    assert found.source.section == section
    assert section in jinfeng.plans[0].sections, "the section is one the plan has"
    # Jinfeng states no baselines and no scopes.
    assert found.baseline is None
    assert found.scope is None


@pytest.mark.parametrize(
    ("target_id", "value", "words"),
    [(row[0], row[4], row[7]) for row in TARGETS],
    ids=[row[0] for row in TARGETS],
)
def test_jinfeng_target_quotes_the_plan_and_its_words_state_the_value(
    goals: Goals, target_id: str, value: str, words: str
) -> None:
    source = goals.target(target_id).source
    assert source.quote in PLAN_TEXT, "the quote is the plan's words, verbatim"
    assert words in source.quote
    assert source.gloss, "a gloss for readers of English"
    number = re.search(r"\d+(?:\.\d+)?", words)
    if number is None:
        # A reading of words ("全覆盖", a named school): the note must say so.
        assert source.interpretation is not None
        assert source.interpretation.zh_CN
        assert source.interpretation.en
        return
    stated = Decimal(number.group())
    if "万元" in words:  # ten thousands of yuan: 78410万元 = 784,100,000 yuan
        stated *= 10000
    assert stated == Decimal(value)


def test_ten_thousands_of_yuan_are_read_as_yuan(goals: Goals) -> None:
    assert goals.target("construction-investment-2020").value == Decimal("784100000")
    investment = goals.target("standardisation-investment-2020")
    assert investment.value == Decimal("10000000")
    assert "1000余万元" in investment.source.quote
    assert investment.source.interpretation is not None
    assert "10,000,000" in investment.source.interpretation.en


def test_every_jinfeng_indicator_has_both_names_and_only_gross_enrolment_exceeds_100(
    goals: Goals,
) -> None:
    for found in goals.indicators:
        assert found.name.zh_CN.strip(), found.id
        assert found.name.en.strip(), found.id
    assert [i.id for i in goals.indicators if i.can_exceed_100] == ["preschool-gross-enrolment"]
    assert goals.indicator("primary-retention").can_exceed_100 is False


def test_every_jinfeng_target_measures_a_declared_indicator(goals: Goals) -> None:
    declared = {i.id for i in goals.indicators}
    assert {t.indicator for t in goals.targets} <= declared


# --- composite targets --------------------------------------------------------------------


def part_values(goals: Goals, total_id: str) -> list[Decimal]:
    return [goals.target(part).value for part in goals.target(total_id).parts]


def test_schools_built_is_23_made_of_1_8_2_4_8(goals: Goals) -> None:
    total = goals.target("schools-built-2020")
    assert total.parts == (
        "junior-schools-newly-built-2020",
        "primary-schools-newly-built-2020",
        "primary-schools-relocated-2020",
        "primary-schools-expanded-2020",
        "kindergartens-newly-built-2020",
    )
    assert part_values(goals, total.id) == [Decimal(n) for n in (1, 8, 2, 4, 8)]
    assert sum(part_values(goals, total.id)) == total.value == Decimal(23)


def test_new_land_area_is_379892_plus_47100(goals: Goals) -> None:
    total = goals.target("new-land-area-2020")
    assert total.parts == ("new-land-area-schools-2020", "new-land-area-kindergartens-2020")
    assert part_values(goals, total.id) == [Decimal(379892), Decimal(47100)]
    assert sum(part_values(goals, total.id)) == total.value == Decimal(426992)


def test_schools_after_the_programme_are_2_plus_2_plus_29(goals: Goals) -> None:
    total = goals.target("schools-after-programme")
    assert total.parts == (
        "junior-schools-after-programme",
        "nine-year-schools-after-programme",
        "primary-schools-after-programme",
    )
    assert part_values(goals, total.id) == [Decimal(2), Decimal(2), Decimal(29)]
    assert sum(part_values(goals, total.id)) == total.value == Decimal(33)


def test_new_floor_area_is_encoded_as_stated_although_its_parts_do_not_add_up(
    goals: Goals,
) -> None:
    total = goals.target("new-floor-area-2020")
    assert total.value == Decimal(57819)
    assert part_values(goals, total.id) == [Decimal(379892), Decimal(30650)]
    assert sum(part_values(goals, total.id)) == Decimal(410542)
    assert total.source.interpretation is not None
    assert "410,542" in total.source.interpretation.en


def test_the_plan_states_10_huiyou_kindergartens_as_a_fact(goals: Goals) -> None:
    (huiyou,) = goals.facts
    assert huiyou.id == "huiyou-group-private-kindergartens"
    assert goals.indicator(huiyou.indicator).unit is Unit.COUNT
    assert huiyou.value == Decimal(10)
    assert huiyou.on == dt.date(2018, 8, 30)
    assert huiyou.source.section == "二(二)1"
    assert "10个民办幼儿园" in huiyou.source.quote
    assert huiyou.source.quote in PLAN_TEXT
    assert huiyou.id not in {t.id for t in goals.targets}, "a fact is not a target"


# ---------------------------------------------------------------------------------------
# Progress on Jinfeng, with made-up observations
# ---------------------------------------------------------------------------------------


def test_2018_liangtian_kindergarten_met(jinfeng: edupolicy.Policy) -> None:
    lines = lines_by_target(jinfeng.progress({"liangtian-kindergartens-in-use": 1}, year=2018))
    assert len(lines) == 44
    liangtian = lines["liangtian-kindergarten-2018"]
    assert liangtian.status is Status.MET
    assert liangtian.observed == Decimal(1)
    assert liangtian.observed_on == dt.date(2018, 12, 31)
    assert liangtian.gap == Decimal(0)
    assert liangtian.target.deadline == dt.date(2018, 12, 31)
    assert liangtian.explanation.render("en") == (
        "Kindergartens in use in Liangtian town ≥ 1 by December 31, 2018: met with 1"
    )
    others = [line for target_id, line in lines.items() if target_id != liangtian.target.id]
    assert {line.status for line in others} == {Status.NO_DATA}


def test_2018_liangtian_kindergarten_missed_after_its_deadline(
    jinfeng: edupolicy.Policy,
) -> None:
    lines = lines_by_target(jinfeng.progress({"liangtian-kindergartens-in-use": 0}, year=2018))
    liangtian = lines["liangtian-kindergarten-2018"]
    assert liangtian.status is Status.NOT_MET
    assert liangtian.gap == Decimal(1)
    assert liangtian.explanation.render("en").endswith("not met, 0 (1 short)")
    assert liangtian.explanation.render("zh_CN").endswith("未达成，实际为0（差1）")


def test_2019_without_baselines_a_target_not_yet_reached_is_not_met(
    jinfeng: edupolicy.Policy,
) -> None:
    lines = lines_by_target(
        jinfeng.progress({"primary-retention": "99.5", "schools": 30}, year=2019)
    )
    retention = lines["primary-retention-2020"]
    assert retention.status is Status.NOT_MET
    assert retention.observed == Decimal("99.5")
    assert retention.gap == Decimal("12.5")
    assert retention.expected is None, "Jinfeng states no baseline: no trajectory"
    schools = lines["schools-after-programme"]
    assert schools.status is Status.NOT_MET
    assert schools.gap == Decimal(3)
    assert schools.summed_from_parts is False
    assert lines["junior-retention-2020"].status is Status.NO_DATA


#: Made-up figures for the end of 2020.
OBSERVED_2020: dict[str, object] = {
    "preschool-gross-enrolment": "121.3",
    "junior-retention": "98.7",
    "junior-progression": "96.5",
    "new-seats-schools": 14000,
    "standardisation-investment": "9800000",
    "construction-investment": 790000000,
    "new-floor-area-schools": 379892,
    "new-floor-area-kindergartens": 30650,
}


@pytest.mark.parametrize(
    ("target_id", "status", "observed", "gap", "explanation"),
    [
        pytest.param(
            "preschool-gross-enrolment-2020",
            Status.MET,
            "121.3",
            "0",
            "Gross enrolment ratio of three-year preschool education ≥ 120% by December 31, "
            "2020: met with 121.3%",
            id="a gross ratio above 100% is met",
        ),
        pytest.param(
            "junior-retention-2020",
            Status.MET,
            "98.7",
            "0",
            "Three-year junior-secondary retention rate ≥ 98.7% by December 31, 2020: met "
            "with 98.7%",
            id="exactly the target is met",
        ),
        pytest.param(
            "junior-progression-2020",
            Status.NOT_MET,
            "96.5",
            "0.5",
            "Progression rate of junior-secondary graduates ≥ 97% by December 31, 2020: not "
            "met, 96.5% (0.5% short)",
            id="percent missed",
        ),
        pytest.param(
            "new-seats-schools-2020",
            Status.NOT_MET,
            "14000",
            "40",
            "New places in primary and secondary schools ≥ 14,040 by December 31, 2020: not "
            "met, 14,000 (40 short)",
            id="seats missed",
        ),
        pytest.param(
            "standardisation-investment-2020",
            Status.NOT_MET,
            "9800000",
            "200000",
            "Further investment in standardising rural schools ≥ CN¥10,000,000.00 by "
            "December 31, 2020: not met, CN¥9,800,000.00 (CN¥200,000.00 short)",
            id="money missed, the gap in yuan",
        ),
        pytest.param(
            "construction-investment-2020",
            Status.MET,
            "790000000",
            "0",
            "Total planned investment ≥ CN¥784,100,000.00 by December 31, 2020: met with "
            "CN¥790,000,000.00",
            id="money met",
        ),
        pytest.param(
            "new-floor-area-2020",
            Status.MET,
            "410542",
            "0",
            "New floor area ≥ 57,819 m² by December 31, 2020: met with 410,542 m²",
            id="a total judged on the sum of its parts",
        ),
        pytest.param(
            "primary-retention-2020",
            Status.NO_DATA,
            None,
            None,
            "Primary-school retention rate ≥ 112% by December 31, 2020: no data",
            id="no data",
        ),
    ],
)
def test_2020_met_missed_and_no_data(
    jinfeng: edupolicy.Policy,
    target_id: str,
    status: Status,
    observed: str | None,
    gap: str | None,
    explanation: str,
) -> None:
    line = lines_by_target(jinfeng.progress(OBSERVED_2020, year=2020))[target_id]
    assert line.status is status
    assert line.observed == (Decimal(observed) if observed is not None else None)
    assert line.gap == (Decimal(gap) if gap is not None else None)
    assert line.explanation.render("en") == explanation
    assert line.expected is None


def test_the_json_of_a_line_gives_quantities_as_strings(jinfeng: edupolicy.Policy) -> None:
    line = lines_by_target(jinfeng.progress(OBSERVED_2020, year=2020))["new-floor-area-2020"]
    assert line.to_json("zh_CN") == {
        "target": "new-floor-area-2020",
        "indicator": "new-floor-area",
        "name": "新增建筑面积",
        "scope": None,
        "unit": "area_m2",
        "comparison": "at_least",
        "value": "57819",
        "deadline": "2020-12-31",
        "status": "met",
        "observed": "410542",
        "observed_on": "2020-12-31",
        "summed_from_parts": True,
        "gap": "0",
        "expected": None,
        "section": "二(二)2",
        "explanation": "2020年12月31日前新增建筑面积≥57,819平方米：已达成，实际为410,542平方米",
        "readings": dict(jinfeng.readings_on("2020-12-31")),
    }


SCHOOLS_BUILT_PARTS = {
    "junior-schools-newly-built": 1,
    "primary-schools-newly-built": 8,
    "primary-schools-relocated": 2,
    "primary-schools-expanded": 4,
    "kindergartens-newly-built": 8,
}


def test_a_composite_target_is_judged_on_the_sum_of_its_parts(
    jinfeng: edupolicy.Policy,
) -> None:
    line = lines_by_target(jinfeng.progress(SCHOOLS_BUILT_PARTS, year=2020))["schools-built-2020"]
    assert line.status is Status.MET
    assert line.observed == Decimal(23)
    assert line.summed_from_parts is True
    assert line.observed_on == dt.date(2020, 12, 31)


def test_a_composite_target_short_in_one_part(jinfeng: edupolicy.Policy) -> None:
    observed = {**SCHOOLS_BUILT_PARTS, "kindergartens-newly-built": 5}
    lines = lines_by_target(jinfeng.progress(observed, year=2020))
    assert lines["schools-built-2020"].status is Status.NOT_MET
    assert lines["schools-built-2020"].observed == Decimal(20)
    assert lines["schools-built-2020"].gap == Decimal(3)
    assert lines["kindergartens-newly-built-2020"].gap == Decimal(3)


def test_a_composite_target_has_no_data_when_a_part_is_not_observed(
    jinfeng: edupolicy.Policy,
) -> None:
    observed = {k: v for k, v in SCHOOLS_BUILT_PARTS.items() if k != "primary-schools-expanded"}
    line = lines_by_target(jinfeng.progress(observed, year=2020))["schools-built-2020"]
    assert line.status is Status.NO_DATA
    assert line.observed is None
    assert line.summed_from_parts is False


def test_an_observed_total_wins_over_the_sum_of_its_parts(jinfeng: edupolicy.Policy) -> None:
    observed = {**SCHOOLS_BUILT_PARTS, "schools-built": 20}
    line = lines_by_target(jinfeng.progress(observed, year=2020))["schools-built-2020"]
    assert line.observed == Decimal(20)
    assert line.summed_from_parts is False
    assert line.status is Status.NOT_MET
    assert line.gap == Decimal(3)


#: A statistics office's series: the number of schools at the end of each year.
SCHOOLS_SERIES: list[dict[str, object]] = [
    {"indicator": "schools", "value": 25, "year": 2018},
    {"indicator": "schools", "value": 30, "year": 2019},
    {"indicator": "schools", "value": 33, "year": 2020},
]


@pytest.mark.parametrize(
    ("on", "observed", "observed_on", "status"),
    [
        ("2018-12-30", None, None, Status.NO_DATA),
        ("2018-12-31", "25", dt.date(2018, 12, 31), Status.NOT_MET),
        ("2019-06-30", "25", dt.date(2018, 12, 31), Status.NOT_MET),
        ("2019-12-31", "30", dt.date(2019, 12, 31), Status.NOT_MET),
        (dt.date(2020, 12, 31), "33", dt.date(2020, 12, 31), Status.MET),
    ],
)
def test_the_latest_observation_on_or_before_the_date_is_used(
    jinfeng: edupolicy.Policy,
    on: str | dt.date,
    observed: str | None,
    observed_on: dt.date | None,
    status: Status,
) -> None:
    line = lines_by_target(jinfeng.progress(SCHOOLS_SERIES, on=on))["schools-after-programme"]
    assert line.observed == (Decimal(observed) if observed is not None else None)
    assert line.observed_on == observed_on
    assert line.status is status


def test_year_judges_at_the_end_of_that_year(jinfeng: edupolicy.Policy) -> None:
    line = lines_by_target(jinfeng.progress(SCHOOLS_SERIES, year=2019))["schools-after-programme"]
    assert line.observed == Decimal(30)


def test_an_observation_dated_on_a_day(jinfeng: edupolicy.Policy) -> None:
    series = [{"indicator": "wireless-coverage", "value": "87.5", "on": "2019-09-01"}]
    before = lines_by_target(jinfeng.progress(series, on="2019-08-31"))
    assert before["wireless-coverage-2020"].status is Status.NO_DATA
    line = lines_by_target(jinfeng.progress(series, on="2019-09-01"))["wireless-coverage-2020"]
    assert line.observed == Decimal("87.5")
    assert line.observed_on == dt.date(2019, 9, 1)
    assert line.gap == Decimal("12.5")


def test_observation_objects_are_accepted(jinfeng: edupolicy.Policy) -> None:
    observations = [Observation(indicator="junior-progression", value=Decimal("97.5"), year=2020)]
    line = lines_by_target(jinfeng.progress(observations, year=2020))["junior-progression-2020"]
    assert line.status is Status.MET
    assert line.observed == Decimal("97.5")


@pytest.mark.parametrize(
    "when",
    [{"year": 2021}, {"year": 2017}, {"on": "2018-08-29"}, {"on": dt.date(2021, 1, 1)}],
)
def test_a_date_outside_the_plan_is_an_error_naming_the_periods(
    jinfeng: edupolicy.Policy, when: dict[str, Any]
) -> None:
    with pytest.raises(edupolicy.OutOfPeriodError) as caught:
        jinfeng.progress([], **when)
    assert caught.value.periods == ("jinfeng-2018-410 2018-08-30–2020-12-31",)
    assert "2018-08-30–2020-12-31" in str(caught.value)


def test_the_first_day_of_the_plan_is_inside_it(jinfeng: edupolicy.Policy) -> None:
    lines = jinfeng.progress([], on="2018-08-30")
    assert {line.status for line in lines} == {Status.NO_DATA}


def test_neither_year_nor_date_is_an_error(jinfeng: edupolicy.Policy) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress({"schools": 30})
    assert [problem.path for problem in caught.value.problems] == ["year"]


@pytest.mark.parametrize("on", ["2019-13-01", "31.12.2019", "2019"])
def test_a_malformed_date_is_an_error(jinfeng: edupolicy.Policy, on: str) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress([], on=on)
    assert problems_of(caught.value) == [("on", on)]


# ---------------------------------------------------------------------------------------
# Baselines: on track and behind (a plan of our own: Jinfeng states no baselines)
# ---------------------------------------------------------------------------------------

BASELINE_DAY = dt.date(2017, 12, 31)
DEADLINE = dt.date(2020, 12, 31)

#: Enrolment from 80% at the end of 2017 to at least 95% by the end of 2020; dropouts
#: from 6% down to at most 2%; exactly 12 schools, from 4.
TRAJECTORY_GOALS = (
    indicator("enrolment")
    + indicator("dropout")
    + indicator("schools", "count")
    + target(
        "enrolment-2020",
        "enrolment",
        '"95"',
        baseline='{ value = "80", on = 2017-12-31 }',
        quote="2020年入学率达95%以上",
    )
    + target(
        "dropout-2020",
        "dropout",
        '"2"',
        comparison="at_most",
        baseline='{ value = "6", on = 2017-12-31 }',
    )
    + target(
        "schools-2020",
        "schools",
        "12",
        comparison="exactly",
        baseline="{ value = 4, on = 2017-12-31 }",
    )
)


@pytest.fixture
def trajectory(tmp_path: Path) -> edupolicy.Policy:
    return policy_of(load_plan(tmp_path, TRAJECTORY_GOALS))


def straight_line(start: Decimal, end: Decimal, day: dt.date) -> Decimal:
    """Where a straight line from the baseline to the target stands on ``day``."""
    share = Decimal((day - BASELINE_DAY).days) / Decimal((DEADLINE - BASELINE_DAY).days)
    return (start + (end - start) * share).quantize(Decimal("0.01"))


def test_the_straight_line_from_the_baseline() -> None:
    # 365 of 1096 days, and 730 of 1096.
    assert straight_line(Decimal(80), Decimal(95), dt.date(2018, 12, 31)) == Decimal("85.00")
    assert straight_line(Decimal(80), Decimal(95), dt.date(2019, 12, 31)) == Decimal("89.99")
    assert straight_line(Decimal(6), Decimal(2), dt.date(2019, 12, 31)) == Decimal("3.34")


@pytest.mark.parametrize(
    ("year", "value", "status", "expected", "gap"),
    [
        (2018, "85", Status.ON_TRACK, "85.00", "10"),
        (2018, "84", Status.BEHIND, "85.00", "11"),
        (2019, "90", Status.ON_TRACK, "89.99", "5"),
        (2019, "89.9", Status.BEHIND, "89.99", "5.1"),
        (2019, "95.5", Status.MET, None, "0"),
        (2020, "94", Status.NOT_MET, None, "1"),
        (2020, "95", Status.MET, None, "0"),
    ],
)
def test_at_least_with_a_baseline(
    trajectory: edupolicy.Policy,
    year: int,
    value: str,
    status: Status,
    expected: str | None,
    gap: str,
) -> None:
    line = lines_by_target(trajectory.progress({"enrolment": value}, year=year))["enrolment-2020"]
    assert line.status is status
    assert line.expected == (Decimal(expected) if expected is not None else None)
    if expected is not None:
        assert line.expected == straight_line(Decimal(80), Decimal(95), dt.date(year, 12, 31))
    assert line.gap == Decimal(gap)


def test_behind_is_explained_with_the_expected_value(trajectory: edupolicy.Policy) -> None:
    line = lines_by_target(trajectory.progress({"enrolment": "84"}, year=2018))["enrolment-2020"]
    assert line.explanation.render("en") == (
        "Indicator enrolment ≥ 95% by December 31, 2020: behind, 84% against 85.00% "
        "expected on the way from the baseline"
    )
    assert "落后" in line.explanation.render("zh_CN")
    assert line.to_json()["expected"] == "85.00"
    assert line.to_json()["status"] == "behind"


@pytest.mark.parametrize(
    ("value", "status", "gap"),
    [("3.3", Status.ON_TRACK, "1.3"), ("3.5", Status.BEHIND, "1.5"), ("2", Status.MET, "0")],
)
def test_at_most_with_a_baseline(
    trajectory: edupolicy.Policy, value: str, status: Status, gap: str
) -> None:
    line = lines_by_target(trajectory.progress({"dropout": value}, year=2019))["dropout-2020"]
    assert line.status is status
    assert line.gap == Decimal(gap)
    if status is not Status.MET:
        assert line.expected == Decimal("3.34")


@pytest.mark.parametrize(
    ("value", "status", "gap"),
    [(10, Status.ON_TRACK, "2"), (9, Status.BEHIND, "3"), (14, Status.ON_TRACK, "2")],
)
def test_exactly_with_a_baseline_is_judged_by_the_distance_to_the_target(
    trajectory: edupolicy.Policy, value: int, status: Status, gap: str
) -> None:
    # On the line, the end of 2019 stands at 4 + 8 × 730/1096 = 9.33.
    line = lines_by_target(trajectory.progress({"schools": value}, year=2019))["schools-2020"]
    assert line.expected == Decimal("9.33")
    assert line.status is status
    assert line.gap == Decimal(gap)


def test_after_the_deadline_an_old_observation_on_the_way_is_not_met(
    trajectory: edupolicy.Policy,
) -> None:
    old = [{"indicator": "enrolment", "value": 90, "year": 2019}]
    line = lines_by_target(trajectory.progress(old, year=2020))["enrolment-2020"]
    assert line.observed_on == dt.date(2019, 12, 31)
    assert line.status is Status.NOT_MET


def test_without_a_baseline_a_plan_of_our_own_reports_not_met_before_the_deadline(
    tmp_path: Path,
) -> None:
    subject = policy_of(load_plan(tmp_path, indicator("enrolment") + target("e", "enrolment")))
    (line,) = subject.progress({"enrolment": "90"}, year=2019)
    assert line.status is Status.NOT_MET
    assert line.expected is None
    assert line.gap == Decimal(5)


# ---------------------------------------------------------------------------------------
# Strict observation input
# ---------------------------------------------------------------------------------------

EVERY_RATE = "no indicator has this id; known: preschool-gross-enrolment"


@pytest.mark.parametrize(
    ("key", "value", "shown", "message"),
    [
        pytest.param("bogus", 1, "bogus", EVERY_RATE, id="unknown indicator"),
        pytest.param(
            "primary-retention",
            98.5,
            98.5,
            "must be a whole number or a string of digits with up to 4 decimals",
            id="a float",
        ),
        pytest.param(
            "primary-retention",
            "abc",
            "abc",
            "must be a whole number or a string of digits",
            id="not a number",
        ),
        pytest.param(
            "schools", -1, -1, "must be a whole number or a string of digits", id="negative"
        ),
        pytest.param(
            "schools", "-1", "-1", "must be a whole number or a string of digits", id="negative"
        ),
        # true or false is for targets met or not: this one is a count.
        pytest.param("schools", True, True, "schools is measured in count", id="a boolean"),
        pytest.param("schools", None, None, "must be a whole number", id="null"),
        pytest.param(
            "primary-retention", "12.34567", "12.34567", "up to 4 decimals", id="5 decimals"
        ),
        pytest.param(
            "junior-retention",
            "100.5",
            "100.5",
            "this rate cannot exceed 100%",
            id="a rate above 100",
        ),
        pytest.param("schools", "1.5", "1.5", "must be a whole number", id="fractional count"),
        pytest.param("new-seats-schools", "0.5", "0.5", "must be a whole number", id="seats"),
    ],
)
def test_a_bad_value_in_the_mapping_form_names_its_path_and_value(
    jinfeng: edupolicy.Policy, key: str, value: object, shown: object, message: str
) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress({key: value}, year=2019)
    (problem,) = caught.value.problems
    assert problem.path == f"$.{key}"
    assert problem.value == shown
    assert message in problem.message.render("en")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("preschool-gross-enrolment", "121.5"),
        ("primary-retention", "100"),
        ("new-land-area", "1200.25"),
        ("construction-investment", "784100000.5"),
        ("schools", 0),
    ],
)
def test_a_good_value_in_the_mapping_form(
    jinfeng: edupolicy.Policy, key: str, value: object
) -> None:
    lines = jinfeng.progress({key: value}, year=2019)
    observed = [line for line in lines if line.indicator.id == key]
    assert observed
    assert observed[0].observed == Decimal(str(value))


@pytest.mark.parametrize(
    ("item", "path", "shown", "message"),
    [
        pytest.param(
            {"indicator": "bogus", "value": 1, "year": 2019},
            "$[0].indicator",
            "bogus",
            EVERY_RATE,
            id="unknown indicator",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30, "year": 2019, "unit": "percent"},
            "$[0].unit",
            "percent",
            "schools is measured in count",
            id="wrong unit",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30, "year": 2019, "unit": "hectare"},
            "$[0].unit",
            "hectare",
            "must be one of: percent, count, seats, area_m2, money",
            id="unknown unit",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30, "year": 2019, "on": "2019-06-30"},
            "$[0]",
            "{…}",
            "give either year or on, not both or neither",
            id="both year and on",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30},
            "$[0]",
            "{…}",
            "give either year or on, not both or neither",
            id="neither year nor on",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30, "year": 2019, "note": "provisional"},
            "$[0].note",
            "provisional",
            "unknown field",
            id="unknown field",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30.0, "year": 2019},
            "$[0].value",
            30.0,
            "must be a whole number or a string of digits",
            id="a float",
        ),
        pytest.param(
            {"indicator": "schools", "year": 2019},
            "$[0].value",
            MISSING,
            "required field is missing",
            id="no value",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30, "year": "2019"},
            "$[0].year",
            "2019",
            "must be a whole number",
            id="year as a string",
        ),
        pytest.param(
            {"indicator": "schools", "value": 30, "on": "30.06.2019"},
            "$[0].on",
            "30.06.2019",
            "must be a date written YYYY-MM-DD",
            id="malformed date",
        ),
        pytest.param(
            {"indicator": "primary-retention", "value": "101", "year": 2019},
            "$[0].value",
            "101",
            "this rate cannot exceed 100%",
            id="a rate above 100",
        ),
        pytest.param(
            {"indicator": "schools", "value": "30.5", "year": 2019},
            "$[0].value",
            "30.5",
            "must be a whole number",
            id="fractional count",
        ),
        pytest.param(["schools", 30], "$[0]", ["schools", 30], "must be a JSON object", id="list"),
    ],
)
def test_a_bad_observation_in_the_list_form_names_its_path_and_value(
    jinfeng: edupolicy.Policy, item: Any, path: str, shown: object, message: str
) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress([item], on="2019-12-31")
    (problem,) = caught.value.problems
    assert problem.path == path
    assert problem.value == shown
    assert message in problem.message.render("en")


def test_every_problem_is_reported_at_once(jinfeng: edupolicy.Policy) -> None:
    observations = {
        "bogus": 1,
        "schools": "1.5",
        "junior-retention": "100.5",
        "primary-retention": 98.5,
        "junior-progression": "96",
    }
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress(observations, year=2019)
    assert problems_of(caught.value) == [
        ("$.bogus", "bogus"),
        ("$.schools", "1.5"),
        ("$.junior-retention", "100.5"),
        ("$.primary-retention", 98.5),
    ]
    lines = str(caught.value).splitlines()
    assert lines[0] == "Invalid observations"
    assert lines[2] == '  $.schools: must be a whole number (got "1.5")'
    assert len(lines) == 5


def test_every_problem_of_a_list_is_reported_at_once(jinfeng: edupolicy.Policy) -> None:
    observations = [
        {"indicator": "schools", "value": 30, "year": 2019},
        {"indicator": "bogus", "value": 1, "year": 2019},
        {"indicator": "schools", "value": 30, "year": 2019, "unit": "seats"},
        {"indicator": "schools", "value": 30, "year": 2019, "on": "2019-01-01"},
        {"indicator": "schools", "value": 30, "year": 2019, "source": "census"},
    ]
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress(observations, year=2019)
    assert [path for path, _value in problems_of(caught.value)] == [
        "$[1].indicator",
        "$[2].unit",
        "$[3]",
        "$[4].source",
    ]


def test_observation_errors_in_chinese(jinfeng: edupolicy.Policy) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress({"schools": "1.5"}, year=2019, locale="zh_CN")
    text = str(caught.value)
    assert text.startswith("统计数据无效")
    assert "$.schools" in text
    assert '"1.5"' in text
    assert caught.value.render("en").startswith("Invalid observations")


def test_a_mapping_needs_a_year(jinfeng: edupolicy.Policy) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress({"schools": 30}, on="2019-12-31")
    (problem,) = caught.value.problems
    assert problem.path == "$"
    assert "a mapping of values needs a year" in problem.message.render("en")


def test_an_unknown_indicator_of_an_observation_object_is_an_error(
    jinfeng: edupolicy.Policy,
) -> None:
    observations = [
        Observation(indicator="schools", value=Decimal(30), year=2019),
        Observation(indicator="bogus", value=Decimal(1), year=2019),
    ]
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress(observations, year=2019)
    assert problems_of(caught.value) == [("$[1].indicator", "bogus")]


def test_an_observation_object_in_the_wrong_unit_is_refused(jinfeng: edupolicy.Policy) -> None:
    observations = [Observation(indicator="schools", value=Decimal(30), year=2019, unit=Unit.SEATS)]
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress(observations, year=2019)
    assert [problem.path for problem in caught.value.problems] == ["$[0].unit"]


def test_an_observation_object_without_a_date_takes_the_year_judged(
    jinfeng: edupolicy.Policy,
) -> None:
    # As in the JSON list form: an observation without a date is for the year judged.
    observations = [Observation(indicator="schools", value=Decimal(30))]
    line = lines_by_target(jinfeng.progress(observations, year=2019))["schools-after-programme"]
    assert line.observed == Decimal(30)
    assert line.observed_on == dt.date(2019, 12, 31)
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress(observations, on=dt.date(2019, 6, 30))
    assert [problem.path for problem in caught.value.problems] == ["$[0]"]


# ---------------------------------------------------------------------------------------
# Plan data: the goals are checked when the plan is loaded
# ---------------------------------------------------------------------------------------

RATE = indicator("rate")
COUNT = indicator("count", "count")
DONE = indicator("done", "achieved")
AFTER_2018 = '{ value = "0", on = 2018-12-31 }'


@pytest.mark.parametrize(
    ("goals_toml", "expected"),
    [
        pytest.param(
            RATE + target("t", "nowhere"),
            [("$.goals.targets[0].indicator", "nowhere")],
            id="unknown indicator in a target",
        ),
        pytest.param(
            RATE + target("t", "rate") + fact("f", "nowhere", '"1"', "2019-01-01"),
            [("$.goals.facts[0].indicator", "nowhere")],
            id="unknown indicator in a fact",
        ),
        pytest.param(
            RATE + target("total", "rate", parts=("nowhere",)),
            [("$.goals.targets[0].parts[0]", "nowhere")],
            id="unknown part",
        ),
        pytest.param(
            RATE + COUNT + target("total", "rate", parts=("p",)) + target("p", "count", "3"),
            [("$.goals.targets[0].parts[0]", "p")],
            id="part in a different unit",
        ),
        pytest.param(
            RATE
            + target("a", "rate", parts=("b",))
            + target("b", "rate", parts=("c",))
            + target("c", "rate", parts=("a",)),
            [("$.goals.targets", "a → b → c → a")],
            id="parts cycle",
        ),
        pytest.param(
            RATE + target("a", "rate", parts=("a",)),
            [("$.goals.targets[0].parts[0]", "a"), ("$.goals.targets", "a → a")],
            id="a target part of itself",
        ),
        pytest.param(
            RATE + indicator("rate", "count") + target("t", "rate"),
            [("$.goals.indicators[1].id", "rate")],
            id="duplicate indicator id",
        ),
        pytest.param(
            RATE + target("t", "rate") + target("t", "rate", '"90"'),
            [("$.goals.targets[1].id", "t")],
            id="duplicate target id",
        ),
        pytest.param(
            RATE + target("t", "rate", baseline='{ value = "80", on = 2021-01-01 }'),
            [("$.goals.targets[0].baseline.on", dt.date(2021, 1, 1))],
            id="baseline after deadline",
        ),
        pytest.param(
            RATE + target("t", "rate", baseline='{ value = "80", on = 2020-12-31 }'),
            [("$.goals.targets[0].baseline.on", dt.date(2020, 12, 31))],
            id="baseline on the deadline",
        ),
        pytest.param(
            indicator("n", "count", can_exceed_100=True) + target("t", "n", "3"),
            [("$.goals.indicators[0].can_exceed_100", True)],
            id="can_exceed_100 on a count",
        ),
        pytest.param(
            indicator("r", "hectare") + target("t", "r"),
            [("$.goals.indicators[0].unit", "hectare")],
            id="unknown unit",
        ),
        pytest.param(
            RATE + target("t", "rate", comparison="more_than"),
            [("$.goals.targets[0].comparison", "more_than")],
            id="unknown comparison",
        ),
        pytest.param(
            RATE + target("t", "rate", "98.5"),
            [("$.goals.targets[0].value", 98.5)],
            id="a TOML float as a value",
        ),
        pytest.param(
            RATE + target("t", "rate", '"-5"'),
            [("$.goals.targets[0].value", "-5")],
            id="a negative value",
        ),
        pytest.param(
            RATE + target("t", "rate", baseline="{ value = 80.5, on = 2018-01-01 }"),
            [("$.goals.targets[0].baseline.value", 80.5)],
            id="a TOML float as a baseline",
        ),
        pytest.param(
            RATE + target("t", "rate").replace("[[goals.targets]]", "[[goals.targets]]\nwhy = 1"),
            [("$.goals.targets[0].why", 1)],
            id="unknown field",
        ),
        pytest.param(
            DONE + target("t", "done", '"1"', comparison="at_least"),
            [("$.goals.targets[0].comparison", "at_least")],
            id="achieved: compared other than exactly",
        ),
        pytest.param(
            DONE + target("t", "done", '"2"', comparison="exactly"),
            [("$.goals.targets[0].value", "2")],
            id="achieved: a value other than 1",
        ),
        pytest.param(
            DONE + target("t", "done", "0", comparison="exactly"),
            [("$.goals.targets[0].value", "0")],
            id="achieved: not achieved as the target",
        ),
        pytest.param(
            DONE + target("t", "done", '"1"', comparison="exactly", baseline=AFTER_2018),
            [("$.goals.targets[0].baseline", "{…}")],
            id="achieved: a baseline",
        ),
        pytest.param(
            DONE
            + target("t", "done", '"1"', comparison="exactly", parts=("p",))
            + target("p", "done", '"1"', comparison="exactly"),
            [("$.goals.targets[0].parts", ["p"])],
            id="achieved: parts",
        ),
        pytest.param(
            DONE
            + target("t", "done", '"1"', comparison="exactly")
            + fact("f", "done", '"2"', "2019-01-01"),
            [("$.goals.facts[0].value", "2")],
            id="achieved: a fact neither 0 nor 1",
        ),
        pytest.param(
            DONE + target("t", "done", '"3"', baseline=AFTER_2018, parts=("t",)),
            [
                ("$.goals.targets[0].comparison", "at_least"),
                ("$.goals.targets[0].value", "3"),
                ("$.goals.targets[0].baseline", "{…}"),
                ("$.goals.targets[0].parts", ["t"]),
                ("$.goals.targets[0].parts[0]", "t"),
                ("$.goals.targets", "t → t"),
            ],
            id="achieved: every problem at once",
        ),
    ],
)
def test_bad_goals_are_refused_when_the_plan_is_loaded(
    tmp_path: Path, goals_toml: str, expected: list[tuple[str, object]]
) -> None:
    error = load_error(tmp_path, goals_toml)
    assert problems_of(error) == expected
    assert str(error).startswith("Plan file plan.toml is not valid")


def test_every_goal_problem_is_reported_at_once(tmp_path: Path) -> None:
    goals_toml = (
        indicator("n", "count", can_exceed_100=True)
        + target("a", "nowhere")
        + target("b", "n", "3", parts=("missing",))
    )
    error = load_error(tmp_path, goals_toml)
    assert [path for path, _value in problems_of(error)] == [
        "$.goals.indicators[0].can_exceed_100",
        "$.goals.targets[0].indicator",
        "$.goals.targets[1].parts[0]",
    ]


def test_goals_defined_in_both_files_are_refused(tmp_path: Path) -> None:
    aid_and_goals = AID_FOR_EVERYONE + "\n" + indicator("rate")
    with pytest.raises(edupolicy.PlanDataError) as caught:
        load_plan(tmp_path, indicator("rate"), aid=aid_and_goals)
    (problem,) = caught.value.problems
    assert problem.path == "$.goals"
    assert "defined twice" in problem.message.render("en")


def test_a_plan_without_goals_reports_no_progress(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(plan_file(parts=()), encoding="utf-8")
    plan = edupolicy.load_plan(path)
    assert plan.goals is None
    assert policy_of(plan).progress({}, year=2019) == ()


def test_the_goals_of_a_small_plan_load_with_their_sources(tmp_path: Path) -> None:
    plan = load_plan(
        tmp_path,
        TRAJECTORY_GOALS + fact("known", "schools", "4", "2018-06-01", quote="现有学校4所"),
    )
    assert plan.goals is not None
    enrolment = plan.goals.target("enrolment-2020")
    assert enrolment.baseline is not None
    assert enrolment.baseline.value == Decimal(80)
    assert enrolment.baseline.on == BASELINE_DAY
    assert enrolment.source.quote == "2020年入学率达95%以上"
    (known,) = plan.goals.facts
    assert known.value == Decimal(4)
    assert known.source.quote == "现有学校4所"


# ---------------------------------------------------------------------------------------
# Goals with no number: achieved or not
# ---------------------------------------------------------------------------------------

#: The Jinfeng targets that are met or not, and their indicators.
ACHIEVED_TARGETS = {
    "student-aid-full-coverage-2020": "student-aid-full-coverage",
    "high-quality-balanced-development-2020": "high-quality-balanced-development",
    "principals-improvement-training-2020": "principals-improvement-training",
}
TRAINING = "principals-improvement-training"
TRAINING_2020 = "principals-improvement-training-2020"


def test_jinfeng_goals_with_no_number_are_achieved_targets(goals: Goals) -> None:
    achieved = [i.id for i in goals.indicators if i.unit is Unit.ACHIEVED]
    assert sorted(achieved) == sorted(ACHIEVED_TARGETS.values())
    for target_id, indicator_id in ACHIEVED_TARGETS.items():
        found = goals.target(target_id)
        assert found.indicator == indicator_id
        assert found.comparison is Comparison.EXACTLY
        assert found.value == Decimal(1)
        assert found.baseline is None
        assert found.parts == ()
        assert found.source.quote in PLAN_TEXT


def test_the_undated_aid_coverage_goal_takes_the_end_of_2020_and_says_so(goals: Goals) -> None:
    coverage = goals.target("student-aid-full-coverage-2020")
    assert coverage.deadline == dt.date(2020, 12, 31)
    assert not re.search(r"\d", coverage.source.quote), "the plan gives no year"
    note = coverage.source.interpretation
    assert note is not None
    assert "2020年" in note.zh_CN
    assert "no year" in note.en
    assert "end of the plan, 2020" in note.en


def test_balanced_development_notes_the_same_goal_in_section_1_4(goals: Goals) -> None:
    balance = goals.target("high-quality-balanced-development-2020")
    note = balance.source.interpretation
    assert note is not None
    assert "促进义务教育由基本均衡向优质均衡跨越" in PLAN_TEXT
    assert "促进义务教育由基本均衡向优质均衡跨越" in note.zh_CN
    assert "一(四)" in note.en


def test_the_achieved_unit_is_shown_in_words() -> None:
    assert Unit("achieved") is Unit.ACHIEVED
    assert Unit.ACHIEVED.show(Decimal(1)).render("en") == "achieved"
    assert Unit.ACHIEVED.show(Decimal(0)).render("en") == "not achieved"
    assert Unit.ACHIEVED.whole


@pytest.mark.parametrize(
    ("value", "observed", "status"),
    [
        pytest.param(True, 1, Status.MET, id="true"),
        pytest.param(False, 0, Status.NOT_MET, id="false"),
        pytest.param(1, 1, Status.MET, id="1"),
        pytest.param(0, 0, Status.NOT_MET, id="0"),
        pytest.param("1", 1, Status.MET, id="'1'"),
        pytest.param("0", 0, Status.NOT_MET, id="'0'"),
    ],
)
def test_an_achieved_value_is_true_or_false_in_either_form(
    jinfeng: edupolicy.Policy, value: object, observed: int, status: Status
) -> None:
    mapped = lines_by_target(jinfeng.progress({TRAINING: value}, year=2020))[TRAINING_2020]
    listed = lines_by_target(
        jinfeng.progress([{"indicator": TRAINING, "value": value, "year": 2020}], year=2020)
    )[TRAINING_2020]
    for line in (mapped, listed):
        assert line.observed == Decimal(observed)
        assert line.status is status
        assert line.gap is None
        assert line.expected is None


@pytest.mark.parametrize(
    "value", ["yes", "true", 2, 0.5, 1.0, "1.0", "01", -1, None, [], {"done": True}]
)
def test_an_achieved_value_that_is_not_true_or_false_names_its_path(
    jinfeng: edupolicy.Policy, value: object
) -> None:
    for data, path in (
        ({TRAINING: value}, f"$.{TRAINING}"),
        ([{"indicator": TRAINING, "value": value, "year": 2020}], "$[0].value"),
    ):
        with pytest.raises(edupolicy.InvalidRecordError) as caught:
            jinfeng.progress(data, year=2020)
        (problem,) = caught.value.problems
        assert problem.path == path
        assert problem.value == value
        assert problem.message.render("en") == "must be true or false"


def test_a_bad_achieved_value_is_reported_with_the_other_problems(
    jinfeng: edupolicy.Policy,
) -> None:
    observations: list[dict[str, object]] = [
        {"indicator": TRAINING, "value": "yes", "year": "2020"},
        {"indicator": "student-aid-full-coverage", "value": True, "unit": "count"},
        {"indicator": "schools", "value": True},
    ]
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress(observations, year=2020)
    assert problems_of(caught.value) == [
        ("$[0].value", "yes"),
        ("$[0].year", "2020"),
        ("$[1].unit", "count"),
        ("$[2].value", True),
    ]
    messages = [problem.message.render("en") for problem in caught.value.problems]
    assert messages[1] == "must be a whole number"
    assert messages[2] == "student-aid-full-coverage is measured in achieved"
    # A bool for a number stays an error, and says what the indicator is measured in.
    assert messages[3] == "schools is measured in count"


def test_an_achieved_observation_object_is_read_as_its_json(jinfeng: edupolicy.Policy) -> None:
    observations = [
        Observation(indicator=TRAINING, value=Decimal(1), year=2020, unit=Unit.ACHIEVED),
        Observation(indicator="student-aid-full-coverage", value=Decimal(0), year=2020),
    ]
    lines = lines_by_target(jinfeng.progress(observations, year=2020))
    assert lines[TRAINING_2020].status is Status.MET
    assert lines["student-aid-full-coverage-2020"].status is Status.NOT_MET
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.progress([Observation(indicator=TRAINING, value=Decimal(2))], year=2020)
    assert problems_of(caught.value) == [("$[0].value", "2")]


@pytest.mark.parametrize(
    ("figures", "year", "status", "explanation"),
    [
        pytest.param(
            {TRAINING: True},
            2020,
            Status.MET,
            "Principals' improvement training by December 31, 2020: met",
            id="met",
        ),
        pytest.param(
            {TRAINING: False},
            2020,
            Status.NOT_MET,
            "Principals' improvement training by December 31, 2020: not met",
            id="not met",
        ),
        pytest.param(
            {TRAINING: False},
            2019,
            Status.NOT_MET,
            "Principals' improvement training by December 31, 2020: not met",
            id="not met before the deadline, never behind",
        ),
        pytest.param(
            {TRAINING: True},
            2019,
            Status.MET,
            "Principals' improvement training by December 31, 2020: met",
            id="met before the deadline",
        ),
        pytest.param(
            {"schools": 30},
            2020,
            Status.NO_DATA,
            "Principals' improvement training by December 31, 2020: no data",
            id="no data",
        ),
    ],
)
def test_an_achieved_target_is_met_not_met_or_without_data(
    jinfeng: edupolicy.Policy,
    figures: dict[str, object],
    year: int,
    status: Status,
    explanation: str,
) -> None:
    line = lines_by_target(jinfeng.progress(figures, year=year))[TRAINING_2020]
    assert line.status is status
    assert line.explanation.render("en") == explanation
    assert line.gap is None
    assert line.expected is None


@pytest.mark.parametrize(
    ("figures", "status", "observed"),
    [
        pytest.param({TRAINING: True}, "met", True, id="met"),
        pytest.param({TRAINING: False}, "not_met", False, id="not met"),
        pytest.param({}, "no_data", None, id="no data"),
    ],
)
def test_the_json_of_an_achieved_line(
    jinfeng: edupolicy.Policy, figures: dict[str, object], status: str, observed: bool | None
) -> None:
    line = lines_by_target(jinfeng.progress(figures, year=2020))[TRAINING_2020]
    words = {"met": "met", "not_met": "not met", "no_data": "no data"}[status]
    assert line.to_json("en") == {
        "target": TRAINING_2020,
        "indicator": TRAINING,
        "name": "Principals' improvement training",
        "scope": None,
        "unit": "achieved",
        "comparison": "exactly",
        "value": True,
        "deadline": "2020-12-31",
        "status": status,
        "observed": observed,
        "observed_on": "2020-12-31" if observed is not None else None,
        "summed_from_parts": False,
        "gap": None,
        "expected": None,
        "section": "二(四)2",
        "explanation": f"Principals' improvement training by December 31, 2020: {words}",
        "readings": dict(jinfeng.readings_on("2020-12-31")),
    }


def test_an_achieved_target_made_in_python_has_no_trajectory_and_no_parts() -> None:
    # Goals made in Python are not checked as a plan is: progress must still say met or
    # not met, never on track or behind, and never add up achieved-or-not parts.
    done = Indicator(id="done", name=Text(zh_CN="完成", en="Done"), unit=Unit.ACHIEVED)
    part = Indicator(id="part", name=Text(zh_CN="部分", en="Part"), unit=Unit.ACHIEVED)
    source = Source(section="一", quote="2020年实现")
    goals = Goals(
        indicators=(done, part),
        targets=(
            Target(
                id="done-2020",
                indicator="done",
                comparison=Comparison.EXACTLY,
                value=Decimal(1),
                deadline=dt.date(2020, 12, 31),
                baseline=Baseline(value=Decimal(0), on=dt.date(2018, 12, 31)),
                source=source,
            ),
            Target(
                id="whole-2020",
                indicator="part",
                comparison=Comparison.EXACTLY,
                value=Decimal(1),
                deadline=dt.date(2020, 12, 31),
                parts=("done-2020",),
                source=source,
            ),
        ),
    )
    seen = [Observation(indicator="done", value=Decimal(0), year=2019)]
    first, second = progress(goals, seen, dt.date(2019, 12, 31))
    assert first.status is Status.NOT_MET
    assert first.expected is None
    assert first.gap is None
    assert second.status is Status.NO_DATA


def test_a_small_plan_with_achieved_targets_loads_and_audits_clean(tmp_path: Path) -> None:
    goals_toml = (
        DONE
        + target("t", "done", '"1"', comparison="exactly")
        + target("u", "done", "1", comparison="exactly")
        + fact("f", "done", "0", "2019-01-01")
    )
    plan = load_plan(tmp_path, goals_toml)
    assert plan.goals is not None
    assert plan.goals.target("t").value == Decimal(1)
    goal_codes = {"composite-sum", "unit-range", "contradictory-targets", "outside-period"}
    assert [f for f in audit(plan) if f.code in goal_codes] == []
    lines = policy_of(plan).progress({"done": True}, year=2020)
    assert [line.status for line in lines] == [Status.MET, Status.MET]
