"""The region-neutral aid engine, exercised through small plans written for each test.

Each plan here is TOML text in the shape of a region's ``plan.toml``, loaded with
:func:`edupolicy.load_plan` exactly as a plugin author or policy officer would load it.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import edupolicy
from edupolicy import Household, SchoolArea, Stage
from edupolicy.errors import MISSING
from tests.conftest import record
from tests.planfiles import STAGE_YEARS, plan_text, write_plan

IN_2020 = dt.date(2020, 6, 1)


def rule(
    rule_id: str,
    *,
    when: str = '{ stage = ["primary"] }',
    amount: str = '"100.00"',
    frequency: str = "per_year",
    group: str | None = None,
    overrides: tuple[str, ...] = (),
    quote: str | None = None,
    benefit: str | None = None,
    extra: str = "",
) -> str:
    """One ``[[aid.rules]]`` table of cash aid (or of ``benefit``, when given)."""
    lines = [
        "[[aid.rules]]",
        f'id = "{rule_id}"',
        f'name = {{ zh_CN = "规则{rule_id}", en = "Rule {rule_id}" }}',
        "benefit = "
        + (benefit or f'{{ kind = "cash", amount = {amount}, frequency = "{frequency}" }}'),
        f"when = {when}",
    ]
    if group is not None:
        lines.append(f'group = "{group}"')
    if overrides:
        lines.append("overrides = [" + ", ".join(f'"{o}"' for o in overrides) + "]")
    if extra:
        lines.append(extra)
    lines.append(f'source = {{ section = "一", quote = "{quote or "quote of rule " + rule_id}" }}')
    return "\n".join(lines) + "\n\n"


def group(group_id: str, combination: str) -> str:
    return (
        f'[[aid.groups]]\nid = "{group_id}"\ncombination = "{combination}"\n'
        f'name = {{ zh_CN = "组{group_id}", en = "Group {group_id}" }}\n\n'
    )


def load(tmp_path: Path, text: str, name: str = "plan.toml") -> edupolicy.Plan:
    return edupolicy.load_plan(write_plan(tmp_path, text, name))


def policy_of(*plans: edupolicy.Plan) -> edupolicy.Policy:
    return edupolicy.Policy(
        region="testland", distribution="testland-plugin", version="1.0", plans=plans
    )


def policy(tmp_path: Path, body: str) -> edupolicy.Policy:
    return policy_of(load(tmp_path, plan_text(body)))


def load_error(tmp_path: Path, text: str) -> edupolicy.PlanDataError:
    with pytest.raises(edupolicy.PlanDataError) as caught:
        load(tmp_path, text)
    return caught.value


def ids(result: edupolicy.AidResult) -> list[str]:
    return [item.rule_id for item in result.items]


# ---------------------------------------------------------------------------------------
# Groups: one_wins, overrides, stack
# ---------------------------------------------------------------------------------------

POOR = "grant-for-poor"
ORPHANS = "grant-for-orphans"
POOR_QUOTE = "小学贫困生每生每年发放资助金500元"
ORPHANS_QUOTE = "小学孤儿每生每年发放资助金1000元"


def grant_plan(*, orphans_override: bool, combination: str = "one_wins") -> str:
    return group("grant", combination) + (
        rule(
            POOR,
            when='{ household = ["dibao"] }',
            amount='"500.00"',
            group="grant",
            quote=POOR_QUOTE,
        )
        + rule(
            ORPHANS,
            when="{ orphan = true }",
            amount='"1000.00"',
            group="grant",
            overrides=(POOR,) if orphans_override else (),
            quote=ORPHANS_QUOTE,
        )
    )


@pytest.mark.parametrize("explain", [False, True])
def test_two_rules_of_a_one_wins_group_without_overrides_conflict(
    tmp_path: Path, explain: bool
) -> None:
    subject = policy(tmp_path, grant_plan(orphans_override=False))
    with pytest.raises(edupolicy.RuleConflictError) as caught:
        subject.aid(record(household=["dibao"], orphan=True), IN_2020, explain=explain)
    error = caught.value
    assert isinstance(error, edupolicy.EdupolicyError)
    assert sorted(error.rule_ids) == sorted([POOR, ORPHANS])
    message = str(error)
    for needle in (POOR, ORPHANS, POOR_QUOTE, ORPHANS_QUOTE, "grant"):
        assert needle in message


def test_a_one_wins_group_without_overrides_is_fine_when_only_one_applies(
    tmp_path: Path,
) -> None:
    subject = policy(tmp_path, grant_plan(orphans_override=False))
    poor = subject.aid(record(household=["dibao"]), IN_2020)
    assert ids(poor) == [POOR]
    assert poor.cash_total == Decimal("500.00")
    orphan = subject.aid(record(orphan=True), IN_2020)
    assert ids(orphan) == [ORPHANS]
    assert orphan.cash_total == Decimal("1000.00")


def test_the_rule_that_overrides_wins(tmp_path: Path) -> None:
    subject = policy(tmp_path, grant_plan(orphans_override=True))
    both = subject.aid(record(household=["dibao"], orphan=True), IN_2020, explain=True)
    assert ids(both) == [ORPHANS]
    assert both.cash_total == Decimal("1000.00")
    assert both.not_applied is not None
    [overridden] = [entry for entry in both.not_applied if entry.rule_id == POOR]
    assert ORPHANS in overridden.reason.render("en")
    # The overridden rule still applies to a student the winner does not cover.
    assert ids(subject.aid(record(household=["dibao"]), IN_2020)) == [POOR]


def test_overrides_are_transitive(tmp_path: Path) -> None:
    body = (
        group("g", "one_wins")
        + rule("a", when="{ orphan = true }", amount='"300.00"', group="g", overrides=("b",))
        + rule("b", when="{ disabled = true }", amount='"200.00"', group="g", overrides=("c",))
        + rule("c", when='{ stage = ["primary"] }', amount='"100.00"', group="g")
    )
    subject = policy(tmp_path, body)
    everything = subject.aid(record(orphan=True, disabled=True), IN_2020, explain=True)
    assert ids(everything) == ["a"]
    assert everything.cash_total == Decimal("300.00")
    assert everything.not_applied is not None
    reasons = {entry.rule_id: entry.reason.render("en") for entry in everything.not_applied}
    assert set(reasons) == {"b", "c"}
    assert reasons["b"].split()[-1] == "a"
    assert reasons["c"].split()[-1] == "b"

    assert ids(subject.aid(record(disabled=True), IN_2020)) == ["b"]
    assert ids(subject.aid(record(), IN_2020)) == ["c"]


def test_a_stack_group_gives_every_rule_that_applies(tmp_path: Path) -> None:
    subject = policy(tmp_path, grant_plan(orphans_override=False, combination="stack"))
    both = subject.aid(record(household=["dibao"], orphan=True), IN_2020)
    assert ids(both) == [POOR, ORPHANS]
    assert both.cash_total == Decimal("1500.00")
    assert subject.aid(record(orphan=True), IN_2020).cash_total == Decimal("1000.00")


def test_rules_outside_any_group_all_apply(tmp_path: Path) -> None:
    body = (
        rule("x", amount='"0.01"')
        + rule("y", amount='"99.99"')
        + rule(
            "w",
            benefit='{ kind = "waiver", waives = ["textbook", "boarding"] }',
        )
    )
    result = policy(tmp_path, body).aid(record(), IN_2020)
    assert ids(result) == ["x", "y", "w"]
    assert result.cash_total == Decimal("100.00")
    assert result.waivers == ("boarding", "textbook")
    assert result.to_json()["cash_total"] == "100.00"


# ---------------------------------------------------------------------------------------
# Explanations of rules that did not apply
# ---------------------------------------------------------------------------------------

#: rule id → its condition, and words the reason must contain for a rural primary
#: year-1 day pupil with no household status, not orphaned, not disabled.
CONDITIONS: dict[str, tuple[str, list[str]]] = {
    "by-stage": (
        '{ stage = ["junior_secondary", "senior_secondary"] }',
        ["primary school", "junior secondary school", "senior secondary school"],
    ),
    "by-year": ("{ year = { min = 2, max = 3 } }", ["year is 1", "year 2 to 3"]),
    "by-year-open": ("{ year = { min = 2 } }", ["year is 1", "year 2 or later"]),
    "by-area": ('{ school_area = "urban" }', ["school is rural", "urban"]),
    "by-boarding": ("{ boarding = true }", ["does not board"]),
    "by-household": (
        '{ household = ["dibao", "registered_poor"] }',
        ["household is not", "dibao", "registered poor"],
    ),
    "by-orphan": ("{ orphan = true }", ["not an orphan"]),
    "by-disabled": ("{ disabled = true }", ["not disabled"]),
    "by-any": (
        "{ any = [{ orphan = true }, { disabled = true }] }",
        ["none of these holds", "orphan", "disabled"],
    ),
    "by-all": (
        '{ all = [{ stage = ["primary"] }, { orphan = true }, { school_area = "urban" }] }',
        ["not an orphan", "school is rural, not urban"],
    ),
    "by-not": ('{ not = { school_area = "rural" } }', ["must not", "rural"]),
}


@pytest.fixture(scope="module")
def conditions_policy(tmp_path_factory: pytest.TempPathFactory) -> edupolicy.Policy:
    body = "".join(rule(rule_id, when=when) for rule_id, (when, _words) in CONDITIONS.items())
    body += rule("applies", when='{ all = [{ stage = ["primary"] }, { year = { max = 1 } }] }')
    return policy(tmp_path_factory.mktemp("conditions"), body)


@pytest.mark.parametrize("rule_id", list(CONDITIONS))
def test_explain_says_which_condition_failed(
    conditions_policy: edupolicy.Policy, rule_id: str
) -> None:
    result = conditions_policy.aid(record(), IN_2020, explain=True)
    assert result.not_applied is not None
    [entry] = [entry for entry in result.not_applied if entry.rule_id == rule_id]
    reason = entry.reason.render("en")
    for word in CONDITIONS[rule_id][1]:
        assert word in reason
    as_json = entry.to_json("en")
    assert as_json["rule"] == rule_id
    assert as_json["reason"] == reason
    assert as_json["section"] == "一"


def test_explain_lists_only_the_parts_of_a_condition_that_failed(
    conditions_policy: edupolicy.Policy,
) -> None:
    result = conditions_policy.aid(record(), IN_2020, explain=True)
    assert result.not_applied is not None
    [entry] = [entry for entry in result.not_applied if entry.rule_id == "by-all"]
    assert "stage" not in entry.reason.render("en")


def test_explain_accounts_for_every_rule_exactly_once(conditions_policy: edupolicy.Policy) -> None:
    result = conditions_policy.aid(record(), IN_2020, explain=True)
    assert ids(result) == ["applies"]
    assert result.not_applied is not None
    assert [entry.rule_id for entry in result.not_applied] == list(CONDITIONS)
    data = result.to_json()
    assert [entry["rule"] for entry in data["not_applied"]] == list(CONDITIONS)


def test_a_day_pupil_condition_explains_that_the_student_boards(tmp_path: Path) -> None:
    subject = policy(tmp_path, rule("day-pupils", when="{ boarding = false }"))
    result = subject.aid(record(boarding=True), IN_2020, explain=True)
    assert result.not_applied is not None
    [entry] = result.not_applied
    assert "boards" in entry.reason.render("en")
    assert "does not" not in entry.reason.render("en")
    assert ids(subject.aid(record(boarding=False), IN_2020)) == ["day-pupils"]


def test_without_explain_there_is_no_not_applied(conditions_policy: edupolicy.Policy) -> None:
    result = conditions_policy.aid(record(), IN_2020)
    assert result.not_applied is None
    assert "not_applied" not in result.to_json()
    assert ids(result) == ["applies"]


# ---------------------------------------------------------------------------------------
# Plan data validation
# ---------------------------------------------------------------------------------------

G_ONE = group("g", "one_wins")
G_OTHER = group("h", "one_wins")
G_STACK = group("s", "stack")
MIGRANT_EQUAL = """
[[aid.equal_treatment]]
id = "migrants"
status = "migrant_worker"
stages = ["primary", "junior_secondary"]
name = { zh_CN = "同等待遇", en = "Equal treatment" }
source = { section = "一", quote = "进城务工人员子女享受同等待遇" }
"""
STAGE_YEARS_WITHOUT_PRIMARY = {k: v for k, v in STAGE_YEARS.items() if k != "primary"}

INVALID_PLANS = [
    pytest.param(
        plan_text(rule("a", extra='gruop = "g"')),
        "$.aid.rules[0].gruop",
        "g",
        id="unknown field (typo of group)",
    ),
    pytest.param(
        plan_text(rule("a", benefit='{ kind = "cash", amount = "1.00", frequncy = "per_year" }')),
        "$.aid.rules[0].benefit.frequncy",
        "per_year",
        id="unknown field in benefit (typo of frequency)",
    ),
    pytest.param(
        plan_text(rule("a", amount="1000.5")),
        "$.aid.rules[0].benefit.amount",
        1000.5,
        id="amount as a float",
    ),
    pytest.param(
        plan_text(rule("a", amount="1000")),
        "$.aid.rules[0].benefit.amount",
        1000,
        id="amount as an integer",
    ),
    pytest.param(
        plan_text(rule("a", amount='"1000.005"')),
        "$.aid.rules[0].benefit.amount",
        "1000.005",
        id="amount with three decimals",
    ),
    pytest.param(
        plan_text(rule("a", when='{ stage = ["primery"] }')),
        "$.aid.rules[0].when.stage[0]",
        "primery",
        id="unknown stage",
    ),
    pytest.param(
        plan_text(rule("z") + rule("a", when='{ all = [{ orphan = true }, { stage = ["x"] }] }')),
        "$.aid.rules[1].when.all[1].stage[0]",
        "x",
        id="unknown stage nested in all",
    ),
    pytest.param(
        plan_text(rule("a", when='{ stage = ["primary"], orphan = true }')),
        "$.aid.rules[0].when",
        {"stage": ["primary"], "orphan": True},
        id="condition table with two keys",
    ),
    pytest.param(
        plan_text(rule("a", overrides=("no-such-rule",))),
        "$.aid.rules[0].overrides",
        "no-such-rule",
        id="override of a rule that does not exist",
    ),
    pytest.param(
        plan_text(G_ONE + G_OTHER + rule("a", group="g", overrides=("b",)) + rule("b", group="h")),
        "$.aid.rules[0].overrides",
        "b",
        id="override across groups",
    ),
    pytest.param(
        plan_text(G_STACK + rule("a", group="s", overrides=("b",)) + rule("b", group="s")),
        "$.aid.rules[0].overrides",
        "b",
        id="override in a stack group",
    ),
    pytest.param(
        plan_text(rule("a", overrides=("b",)) + rule("b")),
        "$.aid.rules[0].overrides",
        "b",
        id="override outside any group",
    ),
    pytest.param(
        plan_text(rule("a") + rule("b") + rule("a")),
        "$.aid.rules[2].id",
        "a",
        id="duplicate rule id",
    ),
    pytest.param(
        plan_text(G_ONE + rule("a", group="no-such-group")),
        "$.aid.rules[0].group",
        "no-such-group",
        id="unknown group",
    ),
    pytest.param(
        plan_text(
            G_ONE + rule("a", group="g", overrides=("b",)) + rule("b", group="g", overrides=("a",))
        ),
        "$.aid.rules",
        "a → b → a",
        id="override cycle",
    ),
    pytest.param(
        plan_text(rule("a"), start="2020-01-01", end="2019-12-31"),
        "$.in_force.end",
        dt.date(2019, 12, 31),
        id="period ends before it starts",
    ),
    pytest.param(
        plan_text(rule("a"), stage_years=STAGE_YEARS_WITHOUT_PRIMARY),
        "$.stage_years.primary",
        MISSING,
        id="missing stage_years entry",
    ),
    pytest.param(
        plan_text(rule("a"), stage_years={**STAGE_YEARS, "primary": 0}),
        "$.stage_years.primary",
        0,
        id="stage of zero years",
    ),
    pytest.param(
        plan_text(rule("a"), stage_years={**STAGE_YEARS, "kindergarten": 2}),
        "$.stage_years.kindergarten",
        "kindergarten",
        id="unknown stage in stage_years",
    ),
    pytest.param(
        plan_text(rule("a", amount='"0.00"')),
        "$.aid.rules[0].benefit.amount",
        Decimal("0.00"),
        id="amount of zero",
    ),
    pytest.param(
        plan_text(
            rule(
                "a",
                when='{ all = [{ stage = ["junior_secondary"] }, '
                '{ household = ["migrant_worker"] }] }',
            )
            + MIGRANT_EQUAL
        ),
        "$.aid.equal_treatment[0].status",
        "migrant_worker",
        id="equal treatment contradicted by a rule",
    ),
    pytest.param(
        plan_text(rule("a", when='{ not = { household = ["migrant_worker"] } }') + MIGRANT_EQUAL),
        "$.aid.equal_treatment[0].status",
        "migrant_worker",
        id="equal treatment contradicted by a rule excluding the status",
    ),
]


@pytest.mark.parametrize(("text", "path", "value"), INVALID_PLANS)
def test_bad_plan_data_is_reported_by_path_and_value(
    tmp_path: Path, text: str, path: str, value: object
) -> None:
    error = load_error(tmp_path, text)
    found = [(problem.path, problem.value) for problem in error.problems]
    assert any(
        problem_path == path
        and (problem_value is value if value is MISSING else problem_value == value)
        and type(problem_value) is type(value)
        for problem_path, problem_value in found
    ), found
    assert path in str(error)
    assert "plan.toml" in str(error)


def test_an_equal_treatment_status_is_allowed_in_other_stages(tmp_path: Path) -> None:
    body = (
        rule(
            "senior-migrants",
            when='{ all = [{ stage = ["senior_secondary"] }, { household = ["migrant_worker"] }] }',
        )
        + MIGRANT_EQUAL
    )
    plan = load(tmp_path, plan_text(body))
    result = policy_of(plan).aid(
        record(stage="senior_secondary", household=["migrant_worker"]), IN_2020
    )
    assert ids(result) == ["senior-migrants"]
    assert result.notes == ()


def test_an_unknown_condition_key_is_reported_with_the_value_at_its_path(tmp_path: Path) -> None:
    error = load_error(tmp_path, plan_text(rule("a", when="{ grade = 3 }")))
    [problem] = error.problems
    # Either the whole condition table at `.when`, or the unknown key and its own value.
    assert (problem.path, problem.value) in [
        ("$.aid.rules[0].when", {"grade": 3}),
        ("$.aid.rules[0].when.grade", 3),
    ]
    assert "grade" in str(error)


def test_invalid_toml_syntax_is_a_plan_data_error(tmp_path: Path) -> None:
    text = plan_text(rule("a")).replace('id = "a"', 'id = "a', 1)
    error = load_error(tmp_path, text)
    [problem] = error.problems
    assert problem.path == "$"
    assert problem.value == "plan.toml"
    assert "line" in problem.message.render("en")


def test_a_missing_plan_file_is_a_plan_data_error(tmp_path: Path) -> None:
    with pytest.raises(edupolicy.PlanDataError) as caught:
        edupolicy.load_plan(tmp_path / "nowhere.toml")
    assert [problem.path for problem in caught.value.problems] == ["$"]
    assert "nowhere.toml" in str(caught.value)


@pytest.mark.parametrize(
    ("benefit", "path"),
    [
        pytest.param('{ kind = "cash", frequency = "per_year" }', "amount", id="cash no amount"),
        pytest.param('{ kind = "cash", amount = "5.00" }', "frequency", id="cash no frequency"),
        pytest.param('{ kind = "waiver" }', "waives", id="waiver waiving nothing"),
        pytest.param(
            '{ kind = "waiver", waives = ["textbook"], amount = "5.00" }',
            "amount",
            id="waiver with an amount",
        ),
    ],
)
def test_a_benefit_that_does_not_fit_its_kind_is_rejected_on_load(
    tmp_path: Path, benefit: str, path: str
) -> None:
    # Otherwise the plan loads and evaluating a student crashes (or shows an amount
    # that cash_total leaves out): a plan author must hear of it from load_plan.
    error = load_error(tmp_path, plan_text(rule("a", benefit=benefit)))
    assert f"$.aid.rules[0].benefit.{path}" in [problem.path for problem in error.problems]


# ---------------------------------------------------------------------------------------
# The evaluation date
# ---------------------------------------------------------------------------------------


def test_the_date_may_be_an_iso_string(tmp_path: Path) -> None:
    subject = policy(tmp_path, rule("a"))
    on: Any = "2020-06-01"
    result = subject.aid(record(), on)
    assert result.on == dt.date(2020, 6, 1)
    assert result.to_json() == subject.aid(record(), dt.date(2020, 6, 1)).to_json()


@pytest.mark.parametrize(
    "on",
    [
        pytest.param(dt.datetime(2020, 6, 1, 12, 0), id="datetime"),
        pytest.param("2020-6-1", id="not zero-padded"),
        pytest.param("2020-02-30", id="no such day"),
        pytest.param("yesterday", id="words"),
        pytest.param("2020-06-01T00:00:00", id="ISO datetime string"),
        pytest.param(20200601, id="number"),
        pytest.param(None, id="None"),
    ],
)
def test_a_date_that_is_not_a_date_is_rejected(tmp_path: Path, on: Any) -> None:
    subject = policy(tmp_path, rule("a"))
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        subject.aid(record(), on)
    assert [problem.path for problem in caught.value.problems] == ["on"]
    assert "on" in str(caught.value)


# ---------------------------------------------------------------------------------------
# Purity
# ---------------------------------------------------------------------------------------


def test_the_same_record_gives_the_same_result(tmp_path: Path) -> None:
    subject = policy(tmp_path, grant_plan(orphans_override=True))
    student = record(household=["dibao"], orphan=True, id="s-1")
    before = copy.deepcopy(student)
    first = subject.aid(student, IN_2020, explain=True).to_json()
    subject.aid(record(household=["dibao"]), IN_2020, explain=True)
    second = subject.aid(student, IN_2020, explain=True).to_json()
    assert first == second
    assert student == before
    assert first["id"] == "s-1"


def test_a_student_object_and_its_json_give_the_same_result(tmp_path: Path) -> None:
    subject = policy(
        tmp_path,
        grant_plan(orphans_override=True) + rule("w", when="{ year = { min = 2, max = 2 } }"),
    )
    student = edupolicy.Student(
        stage=Stage.PRIMARY,
        year=2,
        school_area=SchoolArea.URBAN,
        household=frozenset({Household.DIBAO}),
        orphan=True,
        id="s-2",
    )
    as_json = {
        "stage": "primary",
        "year": 2,
        "school_area": "urban",
        "household": ["dibao"],
        "orphan": True,
        "id": "s-2",
    }
    assert student.to_json()["household"] == ["dibao"]
    from_object = subject.aid(student, IN_2020, explain=True)
    from_json = subject.aid(as_json, IN_2020, explain=True)
    assert from_object.to_json() == from_json.to_json()
    assert ids(from_object) == [ORPHANS, "w"]
    assert from_object.cash_total == Decimal("1100.00")


# ---------------------------------------------------------------------------------------
# Several plans: the one in force on the date
# ---------------------------------------------------------------------------------------


@pytest.fixture
def two_plans(tmp_path: Path) -> edupolicy.Policy:
    older = load(
        tmp_path,
        plan_text(
            rule("grant", amount='"100.00"'),
            plan_id="plan-2018",
            start="2018-01-01",
            end="2018-12-31",
        ),
        name="2018.toml",
    )
    newer = load(
        tmp_path,
        plan_text(
            rule("grant", amount='"200.00"'),
            plan_id="plan-2019",
            start="2019-03-01",
            end="2019-12-31",
        ),
        name="2019.toml",
    )
    return policy_of(older, newer)


@pytest.mark.parametrize(
    ("day", "plan_id", "cash"),
    [
        (dt.date(2018, 1, 1), "plan-2018", "100.00"),
        (dt.date(2018, 12, 31), "plan-2018", "100.00"),
        (dt.date(2019, 3, 1), "plan-2019", "200.00"),
        (dt.date(2019, 12, 31), "plan-2019", "200.00"),
    ],
)
def test_the_plan_in_force_on_the_date_is_used(
    two_plans: edupolicy.Policy, day: dt.date, plan_id: str, cash: str
) -> None:
    result = two_plans.aid(record(), day)
    assert result.plan == plan_id
    assert result.cash_total == Decimal(cash)
    assert two_plans.plan_on(day).id == plan_id
    assert result.region == "testland"


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(dt.date(2017, 12, 31), id="before the first plan"),
        pytest.param(dt.date(2019, 1, 15), id="in the gap between plans"),
        pytest.param(dt.date(2020, 1, 1), id="after the last plan"),
    ],
)
def test_a_date_outside_every_plan_names_the_periods_that_exist(
    two_plans: edupolicy.Policy, day: dt.date
) -> None:
    with pytest.raises(edupolicy.OutOfPeriodError) as caught:
        two_plans.aid(record(), day)
    error = caught.value
    message = str(error)
    assert "testland" in message
    assert "2018-01-01–2018-12-31" in message
    assert "2019-03-01–2019-12-31" in message
    assert len(error.periods) == 2
    assert error.on == day
    assert error.region == "testland"


def test_an_open_ended_plan_is_in_force_from_its_start(tmp_path: Path) -> None:
    subject = policy_of(load(tmp_path, plan_text(rule("a"), start="2020-01-01", end=None)))
    assert subject.aid(record(), dt.date(2099, 1, 1)).cash_total == Decimal("100.00")
    with pytest.raises(edupolicy.OutOfPeriodError) as caught:
        subject.aid(record(), dt.date(2019, 12, 31))
    assert "2020-01-01–…" in str(caught.value)
