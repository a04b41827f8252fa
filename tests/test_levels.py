"""A layered region judged by its own items: own and inherited findings, a plan that
outlives its parent's, the coverage of a district's own provisions, and every output
naming the level an item comes from."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

import edupolicy
from edupolicy import Policy
from edupolicy.analysis import Severity, audit, own_findings, plans_from_file
from edupolicy.cases import ProvisionKind, provisions
from edupolicy.plans import Level, ParentPlans, Plan
from edupolicy.server import create_app
from tests import planfiles
from tests.casetools import output
from tests.casetools import run as run_pytest
from tests.casetools import write as write_cases
from tests.clitools import run
from tests.fakedist import install, plugin_source, region_spec
from tests.planfiles import write_plan
from tests.profiles import scaled
from tests.test_extensions import Hardships
from tests.test_layers import ADD, RAISE, REMOVE, jinfeng_plans, plan_text
from tests.test_schemas import errors as schema_errors
from tests.test_server import validator

JINFENG = Level(plan="jinfeng-2018-410", document="金教发〔2018〕410号", region="jinfeng")
HELAN = Level(plan="helan-2019", document="贺教发〔2019〕12号", region=None)
POOR_PUPIL = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
#: A day after Jinfeng's plan has ended.
LATER = "2021-06-01"
LOCALES = ("en", "zh_CN")

#: A rule of the district's that competes with Jinfeng's poor-pupil grant, with no
#: precedence: an aid conflict of the district's own.
CONFLICT = """
[[changes]]
add = "aid.rules"
reason = "Helan adds a grant for primary boarders of poor households."
source = { section = "一", quote = "小学贫困寄宿生每生每年补助300元" }
[changes.item]
id = "primary-poor-boarder-grant"
group = "primary-grant"
name = { zh_CN = "小学贫困寄宿生补助", en = "Grant for poor primary boarders" }
benefit = { kind = "cash", amount = "300.00", frequency = "per_year" }
when.all = [{ stage = ["primary"] }, { boarding = true }, { household = ["dibao"] }]
"""

#: A top-up for students with two hardships, which a migrant-worker household counts as
#: one: Jinfeng's equal-treatment provision is broken by the district's own rule,
#: although the finding cites Jinfeng's words.
UNEQUAL = """
[[changes]]
add = "aid.rules"
reason = "Helan tops up the aid of students with two hardships."
source = { section = "一", quote = "对同时具有两项及以上困难情形的学生每生每年再补助200元" }
[changes.item]
id = "double-hardship-topup"
name = { zh_CN = "双困学生补助", en = "Top-up for students with two hardships" }
benefit = { kind = "cash", amount = "200.00", frequency = "per_year" }
when = { hardships = { min = 2 } }
"""


def past_jinfeng(*changes: str, end: str = "2021-12-31", follow: bool = False) -> str:
    """Helan's plan with ``changes``, signed in 2019 and in force until ``end``."""
    text = plan_text(*changes).replace("end = 2020-12-31", f"end = {end}")
    if follow:
        text = text.replace('parent = "jinfeng"', 'parent = "jinfeng"\nparent_plans = "follow"')
    return text


def helan_plan(tmp_path: Path, *changes: str) -> Plan:
    (plan,) = plans_from_file(write_plan(tmp_path, past_jinfeng(*changes)), parents=jinfeng_plans)
    return plan


# --- a plan that outlives its parent's ---------------------------------------------------------


def test_a_district_keeps_its_parents_plan_as_issued_past_that_plans_end(tmp_path: Path) -> None:
    plan = helan_plan(tmp_path, RAISE)
    assert str(plan.in_force) == "2019-03-01–2021-12-31"
    assert plan.built_on is not None
    assert plan.built_on.choice is ParentPlans.AS_ISSUED
    assert plan.built_on.plan.id == "jinfeng-2018-410"
    policy = Policy(region="helan", distribution="test", version="0", plans=(plan,))
    result = policy.aid(POOR_PUPIL, LATER)
    # The district's own amount, and Jinfeng's textbook waiver as it stood.
    assert result.cash_total == 600
    assert result.waivers == ("textbook",)
    (ended,) = [f for f in audit(plan) if f.code == "parent-ended"]
    assert ended.severity is Severity.INFO
    assert ended.own
    assert ended.render("en") == (
        "information [parent-ended] jinfeng-2018-410: it keeps plan jinfeng-2018-410 "
        "(金教发〔2018〕410号) of region jinfeng as issued, which ended on December 31, 2020: "
        "its rules stay in force here as they stood"
    )


def _jinfeng_and_successor(tmp_path: Path) -> tuple[Plan, ...]:
    """Jinfeng's plan and a successor of it from 2021 that pays poor pupils 800 yuan."""
    (jinfeng,) = jinfeng_plans("jinfeng")
    successor = edupolicy.load_plan(
        write_plan(
            tmp_path,
            planfiles.plan_text(
                """
[[aid.rules]]
id = "primary-poor-grant"
name = { zh_CN = "小学贫困生资助金", en = "Primary-school grant for poor students" }
benefit = { kind = "cash", amount = "800.00", frequency = "per_year" }
when.all = [{ stage = ["primary"] }, { household = ["dibao"] }]
source = { section = "一", quote = "小学贫困生每生每年发放资助金800元" }
""",
                plan_id="jinfeng-2021",
                start="2021-01-01",
                end="2023-12-31",
                number="金教发〔2021〕1号",
            ),
            name="successor.toml",
        )
    )
    return (jinfeng, successor)


def test_a_district_that_follows_its_parent_gets_the_parent_plan_in_force_each_day(
    tmp_path: Path,
) -> None:
    parents = _jinfeng_and_successor(tmp_path)
    path = write_plan(tmp_path, past_jinfeng(follow=True))
    plans = plans_from_file(path, parents=lambda region: parents)
    assert [(p.id, str(p.in_force)) for p in plans] == [
        ("helan-2019@jinfeng-2018-410", "2019-03-01–2020-12-31"),
        ("helan-2019@jinfeng-2021", "2021-01-01–2021-12-31"),
    ]
    policy = Policy(region="helan", distribution="test", version="0", plans=plans)
    assert policy.aid(POOR_PUPIL, "2020-06-01").cash_total == 500
    assert policy.aid(POOR_PUPIL, LATER).cash_total == 800
    # A plan that follows is told of no ended or replaced parent plan.
    assert not [f for p in plans for f in audit(p) if f.code.startswith("parent-")]
    # One plan expected, several found: the reader says which function reads them.
    with pytest.raises(edupolicy.PlanDataError) as caught:
        edupolicy.analysis.plan_from_file(path, parents=lambda region: parents)
    assert caught.value.problems[0].path == "$.parent_plans"
    assert "read it with plans_from_file" in caught.value.render("en")


def test_a_district_kept_as_issued_is_told_its_parents_plan_was_replaced(tmp_path: Path) -> None:
    parents = _jinfeng_and_successor(tmp_path)
    path = write_plan(tmp_path, past_jinfeng())
    (plan,) = plans_from_file(path, parents=lambda region: parents)
    policy = Policy(region="helan", distribution="test", version="0", plans=(plan,))
    assert policy.aid(POOR_PUPIL, LATER).cash_total == 500  # Jinfeng's as issued
    (replaced,) = [f for f in audit(plan) if f.code == "parent-replaced"]
    assert replaced.own
    assert "plan jinfeng-2021 (金教发〔2021〕1号) of region jinfeng is in force from" in (
        replaced.render("en")
    )
    assert 'parent_plans = "follow"' in replaced.render("zh_CN")
    # A district whose period ends before the successor comes into force is told nothing.
    within = write_plan(tmp_path, past_jinfeng(end="2020-12-31"), name="within.toml")
    (kept,) = plans_from_file(within, parents=lambda region: parents)
    assert not [f for f in audit(kept) if f.code.startswith("parent-")]


def test_a_district_that_follows_past_its_parents_last_plan_is_refused(tmp_path: Path) -> None:
    path = write_plan(tmp_path, past_jinfeng(follow=True))
    with pytest.raises(edupolicy.PlanDataError) as caught:
        plans_from_file(path, parents=jinfeng_plans)
    (problem,) = caught.value.problems
    assert problem.path == "$.in_force"
    assert "no plan of region jinfeng is in force on 2021-01-01" in problem.render("en")
    assert "jinfeng-2018-410 2018-08-30–2020-12-31" in problem.render("zh_CN")


@settings(max_examples=scaled(20))
@given(
    value=st.one_of(
        st.sampled_from(["as_issued", "follow", "as-issued", "Follow", ""]),
        st.text(max_size=12),
        st.integers(),
        st.booleans(),
        st.lists(st.text(max_size=3), max_size=2),
    )
)
@example(value="folow")
def test_parent_plans_is_one_of_two_words_or_an_error_at_its_path(
    tmp_path_factory: pytest.TempPathFactory, value: object
) -> None:
    shown = json.dumps(value, ensure_ascii=False)
    text = past_jinfeng(end="2020-12-31").replace(
        'parent = "jinfeng"', f'parent = "jinfeng"\nparent_plans = {shown}'
    )
    path = write_plan(tmp_path_factory.mktemp("plan"), text)
    if value in ("as_issued", "follow"):
        (plan,) = plans_from_file(path, parents=jinfeng_plans)
        assert plan.built_on is not None
        assert plan.built_on.choice.value == value
        return
    with pytest.raises(edupolicy.PlanDataError) as caught:
        plans_from_file(path, parents=jinfeng_plans)
    (problem,) = caught.value.problems
    assert problem.path.startswith("$.parent_plans")
    assert caught.value.render("zh_CN")


# --- own and inherited findings --------------------------------------------------------------


def test_jinfengs_errors_are_inherited_and_a_district_without_its_own_has_none(
    tmp_path: Path,
) -> None:
    plan = helan_plan(tmp_path, RAISE, REMOVE, ADD)
    findings = audit(plan)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    jinfeng_errors = [f for f in audit(jinfeng_plans("jinfeng")[0]) if f.severity is Severity.ERROR]
    assert len(jinfeng_errors) == 2
    assert [(f.code, f.subject) for f in errors] == [(f.code, f.subject) for f in jinfeng_errors]
    assert {f.level for f in errors} == {JINFENG}
    assert not any(f.own for f in errors)
    assert [f for f in own_findings(findings) if f.severity is Severity.ERROR] == []
    assert {f.level for f in own_findings(findings)} == {HELAN}
    entry = errors[0].to_json("en")
    assert entry["level"] == {
        "plan": "jinfeng-2018-410",
        "document": "金教发〔2018〕410号",
        "region": "jinfeng",
        "own": False,
    }


def test_a_conflict_of_the_districts_own_is_its_own_error(tmp_path: Path) -> None:
    own = own_findings(audit(helan_plan(tmp_path, CONFLICT)))
    errors = [f for f in own if f.severity is Severity.ERROR]
    # The new rule competes with both of Jinfeng's primary grants.
    assert [(f.code, f.subject, f.level) for f in errors] == [
        ("aid-conflict", "primary-poor-boarder-grant, primary-poor-grant", HELAN),
        ("aid-conflict", "primary-orphan-grant, primary-poor-boarder-grant", HELAN),
    ]


def test_a_finding_the_districts_rule_causes_is_its_own_though_it_cites_the_parent(
    tmp_path: Path,
) -> None:
    path = write_plan(tmp_path, past_jinfeng(UNEQUAL))
    (plan,) = plans_from_file(path, parents=jinfeng_plans, conditions=[Hardships])
    (unequal,) = [f for f in audit(plan) if f.code == "equal-treatment"]
    assert unequal.subject == "migrant-worker-children"
    assert unequal.source is not None
    assert unequal.source.document == "金教发〔2018〕410号"  # Jinfeng's words ...
    assert unequal.level == HELAN  # ... Helan's rule


def test_a_plan_of_one_level_writes_its_findings_as_before(jinfeng: Policy) -> None:
    findings = jinfeng.check()
    assert all(f.level is None and f.own for f in findings)
    assert all("level" not in f.to_json("en") for f in findings)
    assert own_findings(findings) == findings


def test_the_findings_schema_is_made_from_what_writes_a_finding_and_holds_every_finding(
    tmp_path: Path, jinfeng: Policy
) -> None:
    printed = run("schema", "findings")
    assert printed.status == 0, printed.err
    schema = json.loads(printed.out)
    layered = [f.to_json(locale) for f in audit(helan_plan(tmp_path, RAISE)) for locale in LOCALES]
    plain = [f.to_json() for f in jinfeng.check()]
    assert {"level" in entry for entry in layered} == {True}
    assert {"level" in entry for entry in plain} == {False}
    check = Draft202012Validator(schema)
    check.validate(layered)
    check.validate(plain)
    # What a finding must hold, it is refused without.
    for key in ("code", "severity", "subject", "message", "source"):
        assert not check.is_valid([{k: v for k, v in plain[0].items() if k != key}])
    assert not check.is_valid([{**layered[0], "level": {**layered[0]["level"], "own": "no"}}])
    assert not check.is_valid([{**plain[0], "severity": "fatal"}])


# --- edupolicy check ---------------------------------------------------------------------------


@pytest.mark.usefixtures("fresh_registry")
def test_check_of_a_district_file_judges_its_own_findings(tmp_path: Path) -> None:
    path = write_plan(tmp_path, past_jinfeng(RAISE, REMOVE, ADD))
    checked = run("check", str(path))
    assert checked.status == 0, checked.out + checked.err
    assert "[composite-sum]" not in checked.out
    assert (
        "2 errors, 5 other findings inherited from jinfeng, 金教发〔2018〕410号\n"
        "they do not fail the check; --inherited lists them\n"
    ) in checked.out
    assert "[parent-ended]" in checked.out
    folder = run("check", str(tmp_path))
    assert folder.status == 0, folder.out
    assert "inherited from jinfeng, 金教发〔2018〕410号" in folder.out
    chinese = run("--locale", "zh_CN", "check", str(path))
    assert "继承自 jinfeng、金教发〔2018〕410号：2 个错误，5 个其他发现" in chinese.out
    listed = run("check", "--inherited", str(path))
    assert listed.status == 0
    assert "[composite-sum]" in listed.out
    data = json.loads(run("check", "--inherited", "--format", "json", str(path)).out)
    levels = {(entry["code"], entry["level"]["own"]) for entry in data}
    assert ("composite-sum", False) in levels
    assert ("parent-ended", True) in levels
    own_only = json.loads(run("check", "--format", "json", str(path)).out)
    assert all(entry["level"]["own"] for entry in own_only)


@pytest.mark.usefixtures("fresh_registry")
def test_check_fails_on_a_conflict_of_the_districts_own(tmp_path: Path) -> None:
    path = write_plan(tmp_path, past_jinfeng(RAISE, CONFLICT))
    checked = run("check", str(path))
    assert checked.status == 1
    assert run("check", str(tmp_path)).status == 1
    assert "error [aid-conflict] primary-poor-boarder-grant, primary-poor-grant" in checked.out
    assert "2 errors" in checked.out


def _install_helan(site: Path, *changes: str) -> None:
    install(
        site,
        plugin_source(f"[{region_spec('helan')}]"),
        files={"plan.toml": past_jinfeng(*changes)},
    )


@pytest.mark.usefixtures("fresh_registry")
def test_check_of_an_installed_district_and_its_check_over_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _install_helan(tmp_path, RAISE, REMOVE, ADD)
    checked = run("check", "helan")
    assert checked.status == 0, checked.out + checked.err
    assert "inherited from jinfeng, 金教发〔2018〕410号" in checked.out
    with TestClient(create_app(["helan"])) as client:
        answer = client.get("/regions/helan/check").json()
        document = client.get("/openapi.json").json()
    assert answer == [finding.to_json() for finding in edupolicy.load("helan").check()]
    assert {entry["level"]["own"] for entry in answer} == {True, False}
    validator(document, "findings").validate(answer)


# --- coverage and cases of a layered region ------------------------------------------------------


def test_a_districts_provisions_are_its_changed_added_and_removed_ones(tmp_path: Path) -> None:
    plan = helan_plan(tmp_path, RAISE, REMOVE, ADD)
    policy = Policy(region="helan", distribution="test", version="0", plans=(plan,))
    own = provisions(policy)
    assert [(p.kind, p.id, p.removed) for p in own] == [
        (ProvisionKind.AID_RULE, "primary-poor-grant", False),
        (ProvisionKind.AID_RULE, "senior-boarder-travel", False),
        (ProvisionKind.AID_RULE, "undergraduate-shaosheng-kuaifu", True),
    ]
    assert own[2].describe().render("en") == (
        "aid rule undergraduate-shaosheng-kuaifu (One-time aid for undergraduates of "
        '"fewer births, faster prosperity" households), removed from 金教发〔2018〕410号 '
        "section 二(一)1"
    )
    every = provisions(policy, inherited=True)
    # Jinfeng's (but its readings, which are of its own text), and the one Helan adds.
    jinfeng = provisions(edupolicy.load("jinfeng"))
    assert len(every) == len([p for p in jinfeng if p.kind is not ProvisionKind.READING]) + 1


HELAN_CASES = """\
region = "helan"
on = 2021-06-01

[[case]]
name = "a poor pupil receives Helan's amount"
student = { stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }
cash_total = "600.00"
applies = ["primary-poor-grant"]

[[case]]
name = "a senior boarder receives the travel grant"
student = { stage = "senior_secondary", year = 1, school_area = "urban", boarding = true }
applies = ["senior-boarder-travel"]
"""

REMOVED_CASE = """
[[case]]
name = "university aid for these households is the city's"
cash_total = "0.00"
not_applies = ["undergraduate-shaosheng-kuaifu"]
[case.student]
stage = "undergraduate"
year = 1
school_area = "urban"
household = ["shaosheng_kuaifu"]
"""


@pytest.fixture
def helan_installed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    """Helan's plugin (a raised amount, a rule removed, one added) installed for pytester."""
    site = pytester.path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    _install_helan(site, RAISE, REMOVE, ADD)


@pytest.mark.usefixtures("helan_installed", "not_on_ci")
def test_coverage_of_a_district_counts_its_own_provisions(pytester: pytest.Pytester) -> None:
    write_cases(pytester, "test_helan.cases.toml", HELAN_CASES)
    missing = run_pytest(pytester, "--edupolicy-coverage=fail")
    missing.assert_outcomes(passed=2)
    assert missing.ret == pytest.ExitCode.TESTS_FAILED
    text = output(missing)
    assert "helan: 1 of 3 rules, quotas, shares, targets and readings are exercised" in text
    assert "removed from 金教发〔2018〕410号 section 二(一)1" in text
    assert "its own provisions only, not those it inherits from jinfeng" in text

    write_cases(pytester, "test_helan.cases.toml", HELAN_CASES + REMOVED_CASE)
    green = run_pytest(pytester, "--edupolicy-coverage=fail")
    green.assert_outcomes(passed=3)
    assert green.ret == pytest.ExitCode.OK
    assert "helan: a case exercises each of the 3 rules" in output(green)

    inherited = run_pytest(pytester, "--edupolicy-coverage=fail", "--edupolicy-coverage-inherited")
    assert inherited.ret == pytest.ExitCode.TESTS_FAILED
    assert "aid rule preschool-living-allowance" in output(inherited)


@pytest.mark.usefixtures("helan_installed", "not_on_ci")
def test_a_case_naming_a_rule_the_district_does_not_have_is_still_an_error(
    pytester: pytest.Pytester,
) -> None:
    applies_removed = REMOVED_CASE.replace("not_applies", "applies")
    write_cases(pytester, "test_helan.cases.toml", HELAN_CASES + applies_removed)
    result = run_pytest(pytester)
    # The bad file is a failing item of its own; it does not interrupt the run.
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "FAILED test_helan.cases.toml::case file" in output(result)
    assert "plan helan-2019 has no aid rule with this id" in output(result)


# --- every output names the level --------------------------------------------------------------


@pytest.mark.usefixtures("fresh_registry")
def test_the_aid_table_explanation_and_not_applied_name_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _install_helan(tmp_path, RAISE)
    pupil = json.dumps(POOR_PUPIL)
    table = run("aid", "--region", "helan", "--on", LATER, "--explain", "-", stdin=pupil)
    assert table.status == 0, table.err
    rows = table.out.splitlines()
    assert any(r.rstrip().endswith("贺教发〔2019〕12号 一") and "600.00" in r for r in rows)
    assert any(r.rstrip().endswith("金教发〔2018〕410号 二(一)1") for r in rows)
    assert "    primary-orphan-grant (金教发〔2018〕410号 二(一)1): " in table.out
    chinese = run(
        "--locale", "zh_CN", "aid", "--region", "helan", "--on", LATER, "--explain", "-",
        stdin=pupil,
    )  # fmt: skip
    assert "    primary-orphan-grant（金教发〔2018〕410号 二(一)1）：" in chinese.out
    data = json.loads(
        run(
            "aid", "--region", "helan", "--on", LATER, "--explain", "--format", "json", "-",
            stdin=pupil,
        ).out
    )  # fmt: skip
    assert schema_errors("aid-result", data) == []
    entry = next(e for e in data["not_applied"] if e["rule"] == "primary-orphan-grant")
    assert (entry["section"], entry["plan"], entry["document"]) == (
        "二(一)1",
        "jinfeng-2018-410",
        "金教发〔2018〕410号",
    )


@pytest.mark.usefixtures("fresh_registry")
def test_jinfengs_aid_table_and_not_applied_stay_as_they_were() -> None:
    pupil = json.dumps(POOR_PUPIL)
    table = run("aid", "--region", "jinfeng", "--on", "2019-09-01", "--explain", "-", stdin=pupil)
    heading, rows = table.out.split("\n", 1)
    assert heading == "Region jinfeng, plan 金教发〔2018〕410号, on September 1, 2019"
    assert "〔" not in rows
    assert any(row.rstrip().endswith("  二(一)1") for row in rows.splitlines())
    assert "    primary-orphan-grant: " in table.out
    data = json.loads(
        run(
            "aid", "--region", "jinfeng", "--on", "2019-09-01", "--explain", "--format",
            "json", "-", stdin=pupil,
        ).out
    )  # fmt: skip
    assert {tuple(entry) for entry in data["not_applied"]} <= {
        ("rule", "name", "reason", "section"),
        ("rule", "name", "reason", "lacks", "section"),
    }


@pytest.mark.usefixtures("helan_installed", "not_on_ci")
def test_a_failing_case_of_a_district_names_the_document_of_each_rule(
    pytester: pytest.Pytester,
) -> None:
    write_cases(pytester, "test_helan.cases.toml", HELAN_CASES.replace("600.00", "500.00"))
    result = run_pytest(pytester)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    text = output(result)
    assert "贺教发〔2019〕12号 section 一 Student aid" in text
    assert "金教发〔2018〕410号 section 二(一)1" in text


@pytest.mark.usefixtures("fresh_registry")
def test_the_teacher_table_and_explanation_name_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _install_helan(tmp_path, RAISE)
    teacher = {
        "id": "T1",
        "service": [{"school_area": "rural", "start": "2004-09-01", "end": None}],
        "title": "intermediate",
        "meets_title_criteria": True,
    }
    table = run(
        "teacher", "--region", "helan", "--on", LATER, "--explain", "-",
        stdin=json.dumps(teacher),
    )  # fmt: skip
    assert table.status == 0, table.err
    rows = table.out.splitlines()
    assert any(r.rstrip().endswith("  金教发〔2018〕410号 二(四)3") for r in rows)
    assert "    rural-service-encouragement-20 (金教发〔2018〕410号 二(四)3): " in table.out


def test_a_pickled_district_policy_keeps_what_its_plan_was_built_on(tmp_path: Path) -> None:
    plan = helan_plan(tmp_path, RAISE, CONFLICT)
    policy = Policy(region="helan", distribution="test", version="0", plans=(plan,))
    copy = pickle.loads(pickle.dumps(policy))
    (copied,) = copy.plans
    assert copied.built_on is not None
    assert copied.built_on.plan.id == "jinfeng-2018-410"
    assert [(f.code, f.own) for f in copy.check()] == [(f.code, f.own) for f in policy.check()]
