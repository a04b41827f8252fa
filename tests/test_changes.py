"""What-if changes: plans in their JSON shape, changes by id, policies derived from them."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import edupolicy
from edupolicy import Change, Plan, PlanDataError
from edupolicy.analysis import apply_changes
from edupolicy.analysis.whatif import SELECTORS
from edupolicy.io import read_changes, structure, unstructure
from edupolicy.io.convert import CONVERTER
from tests.clitools import run
from tests.planfiles import STAGE_YEARS

ON = "2019-09-01"
POOR_PRIMARY = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
FIFTEEN_YEARS = {
    "id": "T15",
    "title": "junior",
    "meets_title_criteria": True,
    "outstanding": True,
    "service": [{"school_area": "rural", "start": "2004-09-01", "end": None}],
}
RAISE = Change(
    rule="primary-poor-grant", set={"benefit.amount": "600.00"}, reason="raise the grant"
)


def messages(error: PlanDataError, locale: str = "en") -> list[str]:
    return [problem.render(locale) for problem in error.problems]


# --- plans in their JSON shape ---------------------------------------------------------------


def test_every_jinfeng_plan_reads_back_from_its_json_shape(jinfeng: edupolicy.Policy) -> None:
    for plan in jinfeng.plans:
        data = unstructure(plan)
        json.dumps(data)  # nothing but JSON types
        rebuilt = CONVERTER.structure(data, Plan)
        assert unstructure(rebuilt) == data
        assert rebuilt.aid == plan.aid
        assert rebuilt.teachers == plan.teachers
        assert rebuilt.goals == plan.goals


def test_a_plan_in_its_json_shape_is_the_shape_of_a_plan_file(jinfeng: edupolicy.Policy) -> None:
    data = unstructure(jinfeng.plans[0])
    rules = {rule["id"]: rule for rule in data["aid"]["rules"]}
    living = rules["preschool-living-allowance"]
    assert living["benefit"] == {"kind": "cash", "amount": "1000.00", "frequency": "per_year"}
    assert living["when"]["all"][:2] == [{"stage": ["preschool"]}, {"year": {"min": 2, "max": 3}}]
    assert rules["preschool-voucher"]["when"] == {"stage": ["preschool"]}
    assert "group" not in living  # TOML has no null: an absent field is left out
    teacher_rule = data["teachers"]["rules"][0]
    assert teacher_rule["when"]["all"][0] == {"continuous_rural_years": {"min": 15}}
    assert data["document"]["signed"] == "2018-08-30"
    assert set(data["document"]["title"]) == {"zh_CN", "en"}
    assert data["teachers"]["continuity"]["max_gap_days"] == 92


SMALL = {
    "id": "small",
    "document": {
        "title": {"zh_CN": "小", "en": "Small"},
        "number": "1",
        "issuer": {"zh_CN": "局", "en": "Bureau"},
        "signed": "2020-01-01",
    },
    "in_force": {"start": "2020-01-01"},
    "stage_years": dict(STAGE_YEARS),
    "aid": {
        "rules": [
            {
                "id": "grant",
                "name": {"zh_CN": "补助", "en": "Grant"},
                "benefit": {"kind": "cash", "amount": "0.05", "frequency": "per_year"},
                "when": {
                    "not": {
                        "any": [{"boarding": False}, {"household": ["dibao", "other_hardship"]}]
                    }
                },
                "source": {"section": "1", "quote": "q"},
            },
            {
                "id": "fees",
                "name": {"zh_CN": "免费", "en": "Fees"},
                "benefit": {"kind": "waiver", "waives": ["textbook", "boarding"]},
                "when": {"year": {"min": 2}},
                "source": {"section": "1", "quote": "q"},
            },
        ]
    },
}


def test_a_small_plan_reads_back_from_its_json_shape() -> None:
    plan = CONVERTER.structure(SMALL, Plan)
    data = unstructure(plan)
    assert unstructure(CONVERTER.structure(data, Plan)) == data
    assert data["aid"]["rules"][0]["benefit"]["amount"] == "0.05"
    assert data["aid"]["rules"][1]["when"] == {"year": {"min": 2}}
    assert data["aid"]["rules"][1]["benefit"]["waives"] == ["boarding", "textbook"]


def test_figures_and_percentages_read_back_exactly(jinfeng: edupolicy.Policy) -> None:
    plan = jinfeng.plans[0]
    assert plan.goals is not None
    assert plan.teachers is not None
    data = unstructure(plan)
    for target, raw in zip(plan.goals.targets, data["goals"]["targets"], strict=True):
        assert Decimal(raw["value"]) == target.value
        assert raw["value"] == str(target.value)
    for share, raw in zip(plan.teachers.shares, data["teachers"]["shares"], strict=True):
        assert Decimal(raw["min_percent"]) == share.min_percent


def test_records_still_read_back(jinfeng: edupolicy.Policy) -> None:
    student = structure(POOR_PRIMARY, edupolicy.Student)
    assert structure(unstructure(student), edupolicy.Student) == student


# --- changes --------------------------------------------------------------------------------


def test_a_change_gives_a_new_plan_and_leaves_the_old_one(jinfeng: edupolicy.Policy) -> None:
    plan = jinfeng.plans[0]
    before = unstructure(plan)
    changed = apply_changes(plan, [RAISE])
    rule = next(r for r in changed.aid.rules if r.id == "primary-poor-grant")
    assert rule.benefit.amount == Decimal("600.00")
    assert unstructure(plan) == before


def test_changes_set_switch_off_add_and_change_tables(jinfeng: edupolicy.Policy) -> None:
    plan = jinfeng.plans[0]
    new_rule = unstructure(plan)["aid"]["rules"][5] | {"id": "primary-poor-extra"}
    changed = apply_changes(
        plan,
        [
            Change(rule="primary-orphan-grant", remove=True, reason="folded in"),
            Change(add="aid.rules", item=new_rule, reason="a second grant"),
            Change(table="teachers.continuity", set={"max_gap_days": 120}, reason="longer gaps"),
            Change(
                rule="intermediate-title-outside-quota",
                set={"when": {"continuous_rural_years": {"min": 20}}},
                reason="stricter",
            ),
        ],
    )
    ids = [rule.id for rule in changed.aid.rules]
    assert "primary-orphan-grant" not in ids
    assert ids[-1] == "primary-poor-extra"
    assert changed.teachers is not None
    assert changed.teachers.continuity.max_gap_days == 120
    data = unstructure(changed)
    assert data["teachers"]["rules"][0]["when"] == {"continuous_rural_years": {"min": 20}}


def test_a_target_and_a_quota_are_changed_by_id(jinfeng: edupolicy.Policy) -> None:
    plan = jinfeng.plans[0]
    changed = apply_changes(
        plan,
        [
            Change(target="preschool-gross-enrolment-2020", set={"value": "95.5"}, reason="r"),
            Change(quota="sanatorium", set={"per_year": 12}, reason="r"),
        ],
    )
    assert changed.goals is not None
    assert changed.teachers is not None
    target = next(t for t in changed.goals.targets if t.id == "preschool-gross-enrolment-2020")
    assert target.value == Decimal("95.5")
    assert changed.teachers.quotas[0].per_year == 12


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            Change(rule="primary-poor-grnt", set={"benefit.amount": "600.00"}, reason="r"),
            "changes[0].rule: "
            "no rule has the id primary-poor-grnt in plan jinfeng-2018-410; "
            'did you mean primary-poor-grant? (got "primary-poor-grnt")',
        ),
        (
            Change(rule="primary-poor-grant", set={"benefit.amount": 600.5}, reason="r"),
            'changes[0].set."benefit.amount": '
            'must be a string of yuan with at most two decimals, like "1000.00" (got 600.5)',
        ),
        (
            Change(rule="primary-poor-grant", set={"benefit.x.y": 1}, reason="r"),
            'changes[0].set."benefit.x.y": the item has no table benefit.x (got 1)',
        ),
        (
            Change(rule="primary-poor-grant", set={"benefit.amont": "1.00"}, reason="r"),
            'changes[0].set."benefit.amont": '
            'a benefit of kind cash has no field amont; did you mean amount? (got "1.00")',
        ),
        (
            Change(table="teachers.continuity", set={"max_gap_days": "9"}, reason="r"),
            'changes[0].set."max_gap_days": must be a whole number (got "9")',
        ),
        (
            Change(rule="primary-poor-grant", set={"benfit.amount": "1.00"}, reason="r"),
            'changes[0].set."benfit.amount": '
            'the item has no table benfit; did you mean benefit? (got "1.00")',
        ),
        (
            Change(table="teachers.continuty", remove=True, reason="r"),
            "changes[0].table: plan jinfeng-2018-410 has no table teachers.continuty; "
            'did you mean teachers.continuity? (got "teachers.continuty")',
        ),
        (
            Change(add="aid.rule", item={"id": "x"}, reason="r"),
            "changes[0].add: plan jinfeng-2018-410 has no list aid.rule; "
            'did you mean aid.rules? (got "aid.rule")',
        ),
        (
            Change(table="teachers.nothing", remove=True, reason="r"),
            "changes[0].table: "
            'plan jinfeng-2018-410 has no table teachers.nothing (got "teachers.nothing")',
        ),
        (
            Change(rule="primary-poor-grant", reason="r"),
            "changes[0]: "
            "a change has exactly one action: set, remove = true, or add with item (got [])",
        ),
        (
            Change(rule="primary-poor-grant", remove=True, reason=" "),
            'changes[0].reason: a change needs a reason (got " ")',
        ),
        (
            Change(add="aid.rules", reason="r"),
            "changes[0].item: an add needs the item to add (got (missing))",
        ),
    ],
)
def test_a_bad_change_is_named_by_position_and_field(
    jinfeng: edupolicy.Policy, change: Change, expected: str
) -> None:
    with pytest.raises(PlanDataError) as caught:
        apply_changes(jinfeng.plans[0], [change])
    assert expected in messages(caught.value)


def test_two_selectors_are_an_error(jinfeng: edupolicy.Policy) -> None:
    change = Change(rule="primary-poor-grant", group="primary-grant", remove=True, reason="r")
    with pytest.raises(PlanDataError) as caught:
        apply_changes(jinfeng.plans[0], [change])
    (found,) = caught.value.problems
    assert found.path == "changes[0]"
    assert all(name in found.render() for name in SELECTORS)


def test_a_later_change_is_named_after_an_earlier_removal(jinfeng: edupolicy.Policy) -> None:
    changes = [
        Change(rule="preschool-voucher", remove=True, reason="r"),
        Change(rule="primary-orphan-grant", set={"when": {"stage": ["primry"]}}, reason="r"),
    ]
    with pytest.raises(PlanDataError) as caught:
        apply_changes(jinfeng.plans[0], changes)
    assert [p.path for p in caught.value.problems] == ['changes[1].set."when".stage[0]']


def test_an_id_of_both_an_aid_and_a_teacher_rule_asks_for_the_qualified_form(
    jinfeng: edupolicy.Policy,
) -> None:
    plan = jinfeng.plans[0]
    twin = unstructure(plan)["teachers"]["rules"][0] | {"id": "primary-poor-grant"}
    both = apply_changes(plan, [Change(add="teachers.rules", item=twin, reason="r")])
    with pytest.raises(PlanDataError) as caught:
        apply_changes(both, [RAISE])
    assert (
        "write aid:primary-poor-grant or teachers:primary-poor-grant" in messages(caught.value)[0]
    )
    qualified = Change(rule="aid:primary-poor-grant", set=RAISE.set, reason="r")
    rule = next(r for r in apply_changes(both, [qualified]).aid.rules if r.id == qualified.rule[4:])  # type: ignore[index]
    assert rule.benefit.amount == Decimal("600.00")


def test_errors_are_in_the_callers_locale(jinfeng: edupolicy.Policy) -> None:
    bad = Change(rule="nope", remove=True, reason="r")
    with pytest.raises(PlanDataError) as caught:
        apply_changes(jinfeng.plans[0], [bad], locale="zh_CN")
    assert "方案 jinfeng-2018-410 中没有 id 为 nope 的规则" in caught.value.render("zh_CN")


def test_a_change_that_breaks_a_plan_check_is_reported(jinfeng: edupolicy.Policy) -> None:
    """Removing a group its rules still name fails the plan check, which runs again."""
    with pytest.raises(PlanDataError) as caught:
        apply_changes(
            jinfeng.plans[0], [Change(group="aid:primary-grant", remove=True, reason="r")]
        )
    assert any(p.path.endswith(".group") for p in caught.value.problems)


# --- change files ---------------------------------------------------------------------------

CHANGE_FILE = """\
[[change]]
rule = "primary-poor-grant"
set = { "benefit.amount" = "600.00" }
reason = "raise the primary-school grant"

[[change]]
rule = "senior-orphan-grant"
remove = true
reason = "folded into the poor-student grant"
"""


CHANGE_FILE_OF_MISTAKES = """\
# Three mistakes, each reported at once by the line of its [[change]] table.
[[change]]
rule = "primary-poor-grnat"
set = { "benefit.amount" = "600.00" }
reason = "a misspelt rule"

[[change]]
rule = "junior-poor-grant"
set = { "benefit.amout" = "1200.00" }
reason = "a misspelt field"

[[change]]
rule = "senior-poor-grant"
set = { "benefit.amount" = "-5" }
reason = "an amount below zero"
"""


def test_every_mistake_of_a_change_file_is_reported_at_once_by_line(
    tmp_path: Path, jinfeng: edupolicy.Policy
) -> None:
    path = tmp_path / "raise.toml"
    path.write_text(CHANGE_FILE_OF_MISTAKES, encoding="utf-8")
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes(path)
    paths = [problem.path for problem in caught.value.problems]
    assert paths[0] == "raise.toml:2: changes[0].rule"
    assert any(path.startswith("raise.toml:7: changes[1]") for path in paths)
    assert any(path.startswith("raise.toml:12: changes[2]") for path in paths)
    assert len({path.split(":")[1] for path in paths}) == 3


def test_a_change_read_from_a_file_knows_its_line(tmp_path: Path) -> None:
    path = tmp_path / "changes.toml"
    path.write_text(CHANGE_FILE, encoding="utf-8")
    first, second = read_changes(path)
    assert (first.origin, second.origin) == ("changes.toml:1", "changes.toml:6")
    # Where it was written is not part of the change's value.
    assert first == attrs.evolve(first, origin=None)


def test_a_change_says_what_it_sets() -> None:
    change = Change(rule="r", set={"benefit.amount": "600.00", "name.en": "x"}, reason="why")
    assert change.describe_in_full() == (
        'rule = "r": set benefit.amount = "600.00"; set name.en = "x"'
    )
    assert Change(rule="r", remove=True, reason="why").describe_in_full() == (
        'rule = "r": remove = true'
    )


def test_a_change_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "changes.toml"
    path.write_text(CHANGE_FILE, encoding="utf-8")
    first, second = read_changes(path)
    assert first == Change(
        rule="primary-poor-grant",
        set={"benefit.amount": "600.00"},
        reason="raise the primary-school grant",
    )
    assert second.remove


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[change]]\nrule = "x"\nsett = { a = 1 }\nreason = "r"\n',
            'changes.toml:1: change[0].sett: unknown field; did you mean set? (got {"a": 1})',
        ),
        (
            '[[change]]\nrule = "x"\nremove = true\n',
            "changes.toml:1: change[0].reason: a change needs a reason",
        ),
        (
            '[[change]]\nrule = 3\nremove = true\nreason = "r"\n',
            "changes.toml:1: change[0].rule: must be a string",
        ),
        ('title = "x"\n', "$.title: unknown field; a change file holds [[change]] tables"),
        (
            '[[change]]\nrule = "x"\nremove = "yes"\nreason = "r"\n',
            "changes.toml:1: change[0].remove: must be true or false",
        ),
    ],
)
def test_a_bad_change_file_names_file_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "changes.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanDataError) as caught:
        read_changes(path)
    assert "changes.toml" in caught.value.render()
    assert any(line.startswith(expected) for line in messages(caught.value))


# --- from a policy --------------------------------------------------------------------------


def test_a_policy_with_changes_leaves_the_original(jinfeng: edupolicy.Policy) -> None:
    before = [unstructure(plan) for plan in jinfeng.plans]
    changed = jinfeng.with_changes([RAISE])
    assert changed.aid(POOR_PRIMARY, ON).cash_total == Decimal("600.00")
    assert jinfeng.aid(POOR_PRIMARY, ON).cash_total == Decimal("500.00")
    assert [unstructure(plan) for plan in jinfeng.plans] == before
    assert changed.changes == (RAISE,)
    assert jinfeng.changes == ()
    assert changed.with_changes([RAISE]).changes == (RAISE, RAISE)


def test_a_policy_takes_a_change_file(jinfeng: edupolicy.Policy, tmp_path: Path) -> None:
    path = tmp_path / "changes.toml"
    path.write_text(CHANGE_FILE, encoding="utf-8")
    changed = jinfeng.with_changes(path)
    assert changed.aid(POOR_PRIMARY, ON).cash_total == Decimal("600.00")
    assert len(changed.changes) == 2
    assert jinfeng.with_changes(str(path)).changes == changed.changes


def test_an_id_no_plan_of_the_policy_has_is_an_error(jinfeng: edupolicy.Policy) -> None:
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes([Change(rule="nope", remove=True, reason="r")])
    assert messages(caught.value) == [
        'changes[0].rule: no plan of region jinfeng has a rule with the id nope (got "nope")'
    ]


def test_changes_that_are_not_changes_are_refused(jinfeng: edupolicy.Policy) -> None:
    given: Any = [{"rule": "x"}]
    with pytest.raises(PlanDataError):
        jinfeng.with_changes(given)


# --- the command line ------------------------------------------------------------------------


def test_aid_evaluates_under_the_changes(tmp_path: Path) -> None:
    path = tmp_path / "changes.toml"
    path.write_text(CHANGE_FILE, encoding="utf-8")
    argv = ("aid", "--region", "jinfeng", "--on", ON, "--format", "json", "-")
    plain = run(*argv, stdin=json.dumps(POOR_PRIMARY))
    changed = run(*argv, "--changes", str(path), stdin=json.dumps(POOR_PRIMARY))
    assert (plain.status, changed.status) == (0, 0)
    assert plain.json()["cash_total"] == "500.00"
    assert changed.json()["cash_total"] == "600.00"


def test_teacher_evaluates_under_the_changes(tmp_path: Path) -> None:
    path = tmp_path / "changes.toml"
    path.write_text(
        '[[change]]\nrule = "intermediate-title-outside-quota"\n'
        'set = { "when" = { continuous_rural_years = { min = 20 } } }\nreason = "stricter"\n',
        encoding="utf-8",
    )
    argv = ("teacher", "--region", "jinfeng", "--on", ON, "--format", "json", "-")
    plain = run(*argv, stdin=json.dumps(FIFTEEN_YEARS))
    changed = run(*argv, "--changes", str(path), stdin=json.dumps(FIFTEEN_YEARS))
    assert "intermediate-title-outside-quota" in [i["rule"] for i in plain.json()["items"]]
    assert "intermediate-title-outside-quota" not in [i["rule"] for i in changed.json()["items"]]


def test_a_bad_change_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "changes.toml"
    path.write_text('[[change]]\nrule = "nope"\nremove = true\nreason = "r"\n', encoding="utf-8")
    result = run(
        "aid",
        "--region",
        "jinfeng",
        "--on",
        ON,
        "--changes",
        str(path),
        "-",
        stdin=json.dumps(POOR_PRIMARY),
    )
    assert result.status == 2
    assert "changes[0].rule: no plan of region jinfeng has a rule with the id nope" in result.err


def test_a_change_reaches_a_stated_fact_and_an_equal_treatment_provision(
    jinfeng: edupolicy.Policy,
) -> None:
    plan = jinfeng.plans[0]
    assert plan.goals is not None
    fact = plan.goals.facts[0]
    provision = plan.aid.equal_treatment[0]
    changed = jinfeng.with_changes(
        [
            Change(fact=fact.id, set={"value": "7"}, reason="a recount"),
            Change(provision=provision.id, remove=True, reason="no longer stated"),
        ]
    )
    (after,) = changed.plans
    assert after.goals is not None
    assert after.goals.facts[0].value == Decimal("7")
    assert [p.id for p in after.aid.equal_treatment] == [p.id for p in plan.aid.equal_treatment[1:]]
    with pytest.raises(PlanDataError) as caught:
        jinfeng.with_changes([Change(fact="no-such-fact", remove=True, reason="x")])
    assert caught.value.problems[0].path == "changes[0].fact"
    assert "fact" in caught.value.problems[0].render("en")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "# a comment\n", "\n\n", "# [[change]] in a comment\n"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_change_knows_the_line_of_its_table(layout: list[tuple[str, bool]]) -> None:
    text = ""
    headers: list[int] = []
    for index, (before, bad) in enumerate(layout):
        text += before
        headers.append(text.count("\n") + 1)
        reason = "" if bad else f'reason = "r{index}"\n'
        text += f'[[change]]\nrule = "primary-poor-grant"\nremove = true\n{reason}'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.toml"
        path.write_text(text, encoding="utf-8")
        if not any(bad for _before, bad in layout):
            assert [change.origin for change in read_changes(path)] == [
                f"c.toml:{line}" for line in headers
            ]
            return
        with pytest.raises(PlanDataError) as caught:
            read_changes(path)
    wanted = [
        f"c.toml:{line}: change[{i}].reason" for i, line in enumerate(headers) if layout[i][1]
    ]
    assert [problem.path for problem in caught.value.problems] == wanted
