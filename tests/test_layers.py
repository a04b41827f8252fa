"""Layered regions: a district's plan file that names a parent region and changes by id
only what differs, each change with the district's own words."""

from __future__ import annotations

import json
from importlib.metadata import entry_points as installed_entry_points
from pathlib import Path

import pytest

import edupolicy
from edupolicy import PlanDataError, Policy, UnknownRegionError
from edupolicy.analysis import plan_from_file
from edupolicy.plugins.registry import Registry
from tests import planfiles
from tests.clitools import run
from tests.fakedist import entry_points, install, plugin_source, region_spec
from tests.planfiles import write_plan

ON = "2019-09-01"
POOR_PUPIL = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}

SECTIONS = """
[sections]
"一" = { zh_CN = "学生资助", en = "Student aid" }
"""

RAISE = """
[[changes]]
rule = "primary-poor-grant"
set = { "benefit.amount" = "600.00" }
reason = "Helan pays poor primary pupils 600 yuan a year."
source = { section = "一", quote = "小学贫困生每生每年发放资助金600元" }
"""

REMOVE = """
[[changes]]
rule = "undergraduate-shaosheng-kuaifu"
remove = true
reason = "Helan leaves university aid for these households to the city."
source = { section = "一", quote = "少生快富项目户子女上大学资助由市级统一实施" }
"""

ADD = """
[[changes]]
add = "aid.rules"
reason = "Helan adds a grant for senior-secondary boarders."
source = { section = "一", quote = "普通高中寄宿生每生每年补助交通费200元" }
[changes.item]
id = "senior-boarder-travel"
name = { zh_CN = "普通高中寄宿生交通补助", en = "Travel grant for senior-secondary boarders" }
benefit = { kind = "cash", amount = "200.00", frequency = "per_year" }
when.all = [{ stage = ["senior_secondary"] }, { boarding = true }]
"""


def plan_text(*changes: str, parent: str = "jinfeng", start: str = "2019-03-01") -> str:
    """Helan District's plan: ``changes`` to the plans of ``parent``, until 2020."""
    return planfiles.plan_text(
        SECTIONS + "".join(changes),
        plan_id="helan-2019",
        parent=parent,
        start=start,
        number="贺教发〔2019〕12号",
        title=("贺兰区教育脱贫实施方案", "Helan District plan against poverty through education"),
        issuer=("贺兰区教育局", "Helan District Education Bureau"),
        stage_years=None,
    )


def jinfeng_plans(region_id: str) -> tuple[edupolicy.Plan, ...]:
    if region_id != "jinfeng":
        raise AssertionError(f"asked for {region_id}")
    return edupolicy.load("jinfeng").plans_as_written


def helan(tmp_path: Path, *changes: str) -> Policy:
    plan = plan_from_file(write_plan(tmp_path, plan_text(*changes)), parents=jinfeng_plans)
    return Policy(region="helan", distribution="test", version="0", plans=(plan,))


# --- what a layer inherits and what it changes ----------------------------------------------


def test_a_district_inherits_everything_it_does_not_change(tmp_path: Path) -> None:
    policy = helan(tmp_path, RAISE, REMOVE, ADD)
    (plan,) = policy.plans
    (parent,) = edupolicy.load("jinfeng").plans
    assert plan.parent == "jinfeng"
    assert plan.document.number == "贺教发〔2019〕12号"
    assert str(plan.in_force) == "2019-03-01–2020-12-31"
    ids = [rule.id for rule in plan.aid.rules]
    assert ids == [r.id for r in parent.aid.rules if r.id != "undergraduate-shaosheng-kuaifu"] + [
        "senior-boarder-travel"
    ]
    assert plan.teachers is not None
    assert parent.teachers is not None
    assert [r.id for r in plan.teachers.rules] == [r.id for r in parent.teachers.rules]
    assert plan.goals is not None
    assert parent.goals is not None
    assert len(plan.goals.targets) == len(parent.goals.targets)
    assert plan.readings == ()  # the parent's readings are of the parent's text


def test_a_changed_amount_cites_the_district_and_an_inherited_one_the_parent(
    tmp_path: Path,
) -> None:
    policy = helan(tmp_path, RAISE)
    result = policy.aid(POOR_PUPIL, ON)
    assert result.cash_total == 600
    items = {item["rule"]: item["source"] for item in result.to_json("en")["items"]}
    assert items["primary-poor-grant"] == {
        "section": "一",
        "quote": "小学贫困生每生每年发放资助金600元",
        "gloss": None,
        "interpretation": None,
        "plan": "helan-2019",
        "document": "贺教发〔2019〕12号",
        "section_title": "Student aid",
    }
    waiver = items["rural-compulsory-textbook-waiver"]
    assert (waiver["plan"], waiver["document"]) == ("jinfeng-2018-410", "金教发〔2018〕410号")
    assert waiver["section_title"] == "Aid for students from families in economic hardship"
    (applied,) = [i for i in result.items if i.rule.id == "rural-compulsory-textbook-waiver"]
    assert applied.rule.source.cite().render("en").startswith("金教发〔2018〕410号 section 二(一)1")


def test_an_added_rule_applies_and_a_removed_one_does_not(tmp_path: Path) -> None:
    policy = helan(tmp_path, REMOVE, ADD)
    boarder = {"stage": "senior_secondary", "year": 1, "school_area": "urban", "boarding": True}
    assert policy.aid(boarder, ON).cash_total == 200
    student = {
        "stage": "undergraduate",
        "year": 1,
        "school_area": "urban",
        "household": ["shaosheng_kuaifu"],
    }
    assert edupolicy.load("jinfeng").aid(student, ON).cash_total == 6000
    assert policy.aid(student, ON).cash_total == 0


# --- clear errors at load time -------------------------------------------------------------------


def problems_of(call: object) -> list[tuple[str, str]]:
    assert callable(call)
    with pytest.raises(PlanDataError) as caught:
        call()
    return [(p.path, p.render("en")) for p in caught.value.problems]


def test_a_change_to_an_id_the_parent_does_not_have_is_named(tmp_path: Path) -> None:
    text = plan_text(RAISE.replace("primary-poor-grant", "primary-poor-grnat"))
    found = problems_of(lambda: plan_from_file(write_plan(tmp_path, text), parents=jinfeng_plans))
    assert found[0][0] == "$.changes[0].rule"
    assert "no rule has the id primary-poor-grnat in plan jinfeng-2018-410" in found[0][1]


def test_a_change_without_the_districts_own_words_is_refused(tmp_path: Path) -> None:
    text = plan_text(
        RAISE.replace(
            'source = { section = "一", quote = "小学贫困生每生每年发放资助金600元" }\n', ""
        )
    )
    found = problems_of(lambda: plan_from_file(write_plan(tmp_path, text), parents=jinfeng_plans))
    assert found[0][0] == "$.changes[0].source"


def test_a_parent_whose_period_does_not_cover_the_districts_is_refused(tmp_path: Path) -> None:
    text = plan_text(RAISE, start="2018-01-01")
    found = problems_of(lambda: plan_from_file(write_plan(tmp_path, text), parents=jinfeng_plans))
    assert found[0][0] == "$.in_force"
    assert (
        "no plan of region jinfeng is in force on the day the document was signed "
        "(2018-01-01) or on the first day of the period" in found[0][1]
    )
    assert "jinfeng-2018-410 2018-08-30–2020-12-31" in found[0][1]


def test_a_layer_read_without_its_parents_says_so(tmp_path: Path) -> None:
    found = problems_of(lambda: plan_from_file(write_plan(tmp_path, plan_text(RAISE))))
    assert found == [("$.parent", '$.parent: a plan that names a parent is read through its '
                      'region or a registry (got "jinfeng")')]  # fmt: skip


def test_edupolicy_load_plan_finds_the_parent_among_the_installed_regions(
    tmp_path: Path,
) -> None:
    plan = edupolicy.load_plan(write_plan(tmp_path, plan_text(RAISE)))
    assert plan.parent == "jinfeng"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "no installed region has this id; installed: jinfeng; did you mean jinfeng?"),
        ("zh_CN", "没有已安装的地区使用此编号；已安装：jinfeng；是否应为 jinfeng？"),
    ],
)
@pytest.mark.usefixtures("plain_environment")
def test_a_misspelt_parent_is_a_plan_error_at_its_field_with_the_intended_name(
    tmp_path: Path, locale: str, expected: str
) -> None:
    path = write_plan(tmp_path, plan_text(RAISE, parent="jinfen"), name="helan.toml")
    with pytest.raises(PlanDataError) as caught:
        edupolicy.load_plan(path, locale=locale)
    assert not isinstance(caught.value, UnknownRegionError)
    assert "helan.toml" in caught.value.heading.render(locale)
    ((where, value, message),) = [
        (p.path, p.value, p.message.render(locale)) for p in caught.value.problems
    ]
    assert (where, value) == ("$.parent", "jinfen")
    assert expected in message


@pytest.mark.usefixtures("plain_environment")
@pytest.mark.parametrize("var", ["EDUPOLICY_PLUGINS", "EDUPOLICY_DISABLE_PLUGINS"])
def test_a_parent_hidden_by_a_plugin_filter_says_the_filter_hides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, var: str
) -> None:
    # Allow no plugin at all, or disable Jinfeng's.
    monkeypatch.setenv(var, "jinfeng" if var == "EDUPOLICY_DISABLE_PLUGINS" else "")
    path = write_plan(tmp_path, plan_text(RAISE))
    with pytest.raises(PlanDataError) as caught:
        edupolicy.load_plan(path)
    (problem,) = caught.value.problems
    assert problem.path == "$.parent"
    assert problem.message.render("en") == (
        f"the installed plugin jinfeng is hidden by {var}, which filters the plugins; "
        f"change {var} to load it"
    )


# --- layered regions installed as plugins --------------------------------------------------------


def _layer_plugin(site: Path, region_id: str, parent: str) -> None:
    text = plan_text(RAISE, parent=parent).replace("helan-2019", f"{region_id}-2019")
    install(site, plugin_source(f"[{region_spec(region_id)}]"), files={"plan.toml": text})


def _registry(site: Path) -> Registry:
    real = [ep for ep in installed_entry_points(group="edupolicy") if ep.name == "jinfeng"]
    return Registry(entry_points=[*real, *entry_points(site)], environ={})


def test_an_installed_region_builds_on_an_installed_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _layer_plugin(tmp_path, "helan", "jinfeng")
    policy = _registry(tmp_path).load("helan")
    assert policy.aid(POOR_PUPIL, ON).cash_total == 600
    assert policy.plans[0].parent == "jinfeng"


def test_a_missing_parent_and_a_cycle_are_clear_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _layer_plugin(tmp_path, "orphan", "nowhere")
    _layer_plugin(tmp_path, "east", "west")
    _layer_plugin(tmp_path, "west", "east")
    registry = _registry(tmp_path)
    missing = problems_of(lambda: registry.load("orphan"))
    assert missing[0][0] == "$.parent"
    assert "no installed region has this id; installed:" in missing[0][1]
    _layer_plugin(tmp_path, "typo", "jinfen")
    misspelt = problems_of(lambda: _registry(tmp_path).load("typo"))
    assert misspelt == [
        (
            "$.parent",
            "$.parent: no installed region has this id; installed: east, jinfeng, orphan, "
            'typo, west; did you mean jinfeng? (got "jinfen")',
        )
    ]
    cycle = problems_of(lambda: registry.load("east"))
    assert cycle[0][0] == "$.parent"
    assert "regions build on each other in a cycle: east → west → east" in cycle[0][1]


@pytest.mark.usefixtures("fresh_registry")
def test_the_command_line_evaluates_a_layered_region_and_shows_both_levels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    _layer_plugin(site, "helan", "jinfeng")
    result = run(
        "aid", "--region", "helan", "--on", ON, "--format", "json", "-",
        stdin=json.dumps(POOR_PUPIL),
    )  # fmt: skip
    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["cash_total"] == "600.00"
    documents = {item["rule"]: item["source"]["document"] for item in data["items"]}
    assert documents == {
        "rural-compulsory-textbook-waiver": "金教发〔2018〕410号",
        "primary-poor-grant": "贺教发〔2019〕12号",
    }
    table = run("aid", "--region", "helan", "--on", ON, "-", stdin=json.dumps(POOR_PUPIL))
    assert "贺教发〔2019〕12号" in table.out


def test_a_plan_file_with_changes_and_no_parent_is_told_to_name_it(tmp_path: Path) -> None:
    text = plan_text(RAISE).replace('parent = "jinfeng"\n', "")
    found = problems_of(lambda: edupolicy.load_plan(write_plan(tmp_path, text)))
    assert found == [
        (
            "$.parent",
            "$.parent: a plan file with [[changes]] builds on the plan of another region: "
            'name the region with parent = "ID" (got (missing))',
        )
    ]
