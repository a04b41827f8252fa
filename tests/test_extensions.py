"""What a district adds to the core's vocabulary without changing it: household statuses
declared in its plan data, and kinds of condition its plugin provides in Python."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from importlib.metadata import entry_points as installed_entry_points
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy import Change, Household, InvalidRecordError, PlanDataError, Policy, Student
from edupolicy.aid import AidExtension, PlanStatus
from edupolicy.analysis import audit, plan_from_file, student_space
from edupolicy.errors import FieldProblem, InvalidDataError, field_check
from edupolicy.i18n import Message, Text, message_factory
from edupolicy.io import unstructure
from edupolicy.plugins import RegionSpec
from edupolicy.plugins.registry import Registry
from tests import planfiles
from tests.fakedist import entry_points, install, plugin_source
from tests.planfiles import write_plan
from tests.profiles import scaled

_ = message_factory("test-extensions")

ON = "2019-09-01"


@attrs.frozen
class Hardships(AidExtension):
    """The student has at least ``min`` hardships: household statuses, orphanhood and
    disability counted together (a "双困" top-up)."""

    key: ClassVar[str] = "hardships"

    min: int = attrs.field(
        validator=field_check(
            lambda _self, v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
            lambda *_args: _("must be a whole number, 1 or more"),
        )
    )

    @classmethod
    def from_value(cls, value: object, /) -> Hardships:
        if not isinstance(value, Mapping) or set(value) != {"min"}:
            raise InvalidDataError(
                _("Invalid value"), [FieldProblem("$", value, _("must be a table { min = N }"))]
            )
        return cls(value["min"])

    def to_value(self) -> Any:
        return {"min": self.min}

    @staticmethod
    def count(student: Student) -> int:
        return len(student.household) + student.orphan + student.disabled

    def holds(self, student: Student, /) -> bool:
        return self.count(student) >= self.min

    def describe(self) -> Message:
        return _("at least {min} hardships", min=self.min)

    def why_not(self, student: Student, /) -> Message | None:
        if self.holds(student):
            return None
        return _("{count} hardship(s), fewer than {min}", count=self.count(student), min=self.min)


VETERAN = """
[[household_statuses]]
id = "veteran_family"
name = { zh_CN = "军烈属家庭", en = "veteran or martyr family" }
source = { section = "一", quote = "对军烈属家庭子女给予资助" }
"""

VETERAN_RULE = """
[[aid.rules]]
id = "veteran-grant"
name = { zh_CN = "军烈属子女资助", en = "Grant for children of veteran families" }
benefit = { kind = "cash", amount = "300.00", frequency = "per_year" }
when.all = [{ stage = ["primary"] }, { household = ["veteran_family"] }]
source = { section = "一", quote = "对军烈属家庭子女每生每年资助300元" }
"""

TOPUP_RULE = """
[[aid.rules]]
id = "double-hardship-topup"
name = { zh_CN = "双困学生补助", en = "Top-up for students with two hardships" }
benefit = { kind = "cash", amount = "200.00", frequency = "per_year" }
when = { hardships = { min = 2 } }
source = { section = "二", quote = "对同时具有两项及以上困难情形的学生每生每年再补助200元" }
"""

NO_RULES = """
[aid]
rules = []
"""

READING = """
[[readings]]
id = "double-hardship"
name = { zh_CN = "双困如何计算", en = "What counts as two hardships" }
default = "two"
source = { section = "二", quote = "对同时具有两项及以上困难情形的学生每生每年再补助200元" }
[[readings.choices]]
id = "two"
text = { zh_CN = "两项", en = "Two" }
[[readings.choices]]
id = "three"
text = { zh_CN = "三项", en = "Three" }
[[readings.choices.changes]]
rule = "double-hardship-topup"
reason = "Read as three hardships."
set.when = { hardships = { min = 3 } }
"""


def plan_text(*parts: str, plan_id: str = "yongning-2019") -> str:
    """A plan file of Yongning County, in force in 2019 and 2020, made of ``parts``."""
    return planfiles.plan_text(
        "".join(parts),
        plan_id=plan_id,
        start="2019-01-01",
        number="永教发〔2019〕3号",
        title=("永宁县教育扶贫方案", "Yongning County plan"),
        issuer=("永宁县教育局", "Yongning County Education Bureau"),
    )


def yongning(tmp_path: Path, *parts: str) -> Policy:
    plan = plan_from_file(
        write_plan(tmp_path, plan_text(*parts)), conditions=[Hardships], locale="en"
    )
    return Policy(region="yongning", distribution="test", version="0", plans=(plan,))


def pupil(*statuses: str, **fields: Any) -> dict[str, Any]:
    return {
        "stage": "primary",
        "year": 2,
        "school_area": "rural",
        "household": list(statuses),
        **fields,
    }


def problems_of(call: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidDataError) as caught:
        call()
    return [(p.path, p.message.render("en")) for p in caught.value.problems]


# --- household statuses declared in plan data ---------------------------------------------


def test_a_record_with_a_declared_status_gets_the_rule_for_it(tmp_path: Path) -> None:
    policy = yongning(tmp_path, VETERAN, VETERAN_RULE)
    (plan,) = policy.plans
    (status,) = plan.household_statuses
    assert status == PlanStatus(id="veteran_family", name=Text(zh_CN="", en=""))
    assert (status.value, status.label.render("zh_CN")) == ("veteran_family", "军烈属家庭")
    result = policy.aid(pupil("veteran_family"), ON)
    assert [item.rule.id for item in result.items] == ["veteran-grant"]
    assert result.cash_total == 300
    assert policy.aid(pupil("dibao"), ON).cash_total == 0


def test_a_declared_status_is_explained_and_written_as_its_id(tmp_path: Path) -> None:
    policy = yongning(tmp_path, VETERAN, VETERAN_RULE)
    result = policy.aid(pupil("dibao"), ON, explain=True)
    (entry,) = result.not_applied or ()
    assert str(entry.reason) == "household is not a veteran or martyr family"
    assert entry.reason.render("zh_CN").endswith("军烈属家庭")
    data = policy.aid(pupil("veteran_family", "dibao"), ON).to_json()
    assert data["items"][0]["rule"] == "veteran-grant"
    student = edupolicy.structure(
        pupil("veteran_family", "dibao"), Student, statuses=policy.plans[0].household_statuses
    )
    assert student.to_json()["household"] == ["dibao", "veteran_family"]


def test_a_status_neither_the_core_nor_the_plan_knows_is_refused_by_path(tmp_path: Path) -> None:
    policy = yongning(tmp_path, VETERAN, VETERAN_RULE)
    assert problems_of(lambda: policy.aid(pupil("dibao", "veteran_famly"), ON)) == [
        (
            "$.household[1]",
            "must be one of: dibao, registered_poor, other_hardship, shaosheng_kuaifu, "
            "migrant_worker, veteran_family",
        )
    ]


def test_the_status_of_one_plan_is_unknown_to_another(tmp_path: Path) -> None:
    jinfeng = edupolicy.load("jinfeng")
    found = problems_of(lambda: jinfeng.aid(pupil("veteran_family"), ON))
    assert found == [
        (
            "$.household[0]",
            "must be one of: dibao, registered_poor, other_hardship, shaosheng_kuaifu, "
            "migrant_worker",
        )
    ]
    # Nor does reading a plan that declares it leave it known afterwards.
    yongning(tmp_path, VETERAN, VETERAN_RULE)
    assert problems_of(lambda: edupolicy.structure(pupil("veteran_family"), Student)) == found


def test_a_declared_status_may_not_take_a_core_id_or_be_declared_twice(tmp_path: Path) -> None:
    clash = VETERAN.replace('"veteran_family"', '"dibao"')
    with pytest.raises(PlanDataError) as caught:
        yongning(tmp_path, clash, NO_RULES)
    assert [(p.path, p.message.render("en")) for p in caught.value.problems] == [
        ("$.household_statuses[0].id", "the core already has a household status with this id")
    ]
    with pytest.raises(PlanDataError) as caught:
        yongning(tmp_path, VETERAN, VETERAN, NO_RULES)
    assert [(p.path, p.message.render("en")) for p in caught.value.problems] == [
        ("$.household_statuses[1].id", "another household status has the same id")
    ]
    with pytest.raises(PlanDataError) as caught:
        yongning(tmp_path, VETERAN.replace('"veteran_family"', '"Veteran"'), NO_RULES)
    assert caught.value.problems[0].path == "$.household_statuses[0].id"


def test_a_rule_may_name_only_a_status_its_plan_declares(tmp_path: Path) -> None:
    with pytest.raises(PlanDataError) as caught:
        yongning(tmp_path, VETERAN_RULE)
    (problem,) = caught.value.problems
    assert problem.path == "$.aid.rules[0].when.all[1].household[0]"
    # A plan made in Python must declare what its rules name, too.
    plan = yongning(tmp_path, VETERAN, VETERAN_RULE).plans[0]
    with pytest.raises(PlanDataError) as caught:
        attrs.evolve(plan, household_statuses=())
    assert [p.path for p in caught.value.problems] == ["$.aid.rules[0].when"]


def test_a_student_made_in_python_may_hold_a_declared_status(tmp_path: Path) -> None:
    policy = yongning(tmp_path, VETERAN, VETERAN_RULE)
    veteran = policy.plans[0].household_statuses[0]
    student = Student(
        stage=edupolicy.Stage.PRIMARY,
        year=1,
        school_area=edupolicy.SchoolArea.URBAN,
        household=frozenset({veteran, Household.DIBAO}),
    )
    assert policy.aid(student, ON).cash_total == 300


STATUSES = [member.value for member in Household] + ["veteran_family"]


@settings(max_examples=scaled(60), deadline=None)
@given(
    statuses=st.lists(st.sampled_from(STATUSES), unique=True),
    orphan=st.booleans(),
    disabled=st.booleans(),
)
def test_any_mix_of_core_and_declared_statuses_is_read_and_judged(
    yongning_policy: Policy, statuses: list[str], orphan: bool, disabled: bool
) -> None:
    record = pupil(*statuses, orphan=orphan, disabled=disabled)
    result = yongning_policy.aid(record, ON)
    expected = (300 if "veteran_family" in statuses else 0) + (
        200 if len(statuses) + orphan + disabled >= 2 else 0
    )
    assert result.cash_total == expected
    student = edupolicy.structure(
        record, Student, statuses=yongning_policy.plans[0].household_statuses
    )
    assert sorted(status.value for status in student.household) == sorted(statuses)
    assert student.to_json()["household"] == sorted(statuses)


@pytest.fixture(scope="module")
def yongning_policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    return yongning(tmp_path_factory.mktemp("yongning"), VETERAN, VETERAN_RULE, TOPUP_RULE)


# --- kinds of condition from a plugin -----------------------------------------------------


def test_a_plugins_condition_is_read_evaluated_and_explained(tmp_path: Path) -> None:
    policy = yongning(tmp_path, VETERAN, VETERAN_RULE, TOPUP_RULE)
    rule = policy.plans[0].aid.rules[1]
    assert rule.when == Hardships(2)
    assert policy.aid(pupil("dibao"), ON).cash_total == 0
    assert policy.aid(pupil("dibao", orphan=True), ON).cash_total == 200
    assert policy.aid(pupil("dibao", "veteran_family"), ON).cash_total == 500
    result = policy.aid(pupil("dibao"), ON, explain=True)
    reasons = {entry.rule_id: str(entry.reason) for entry in result.not_applied or ()}
    assert reasons["double-hardship-topup"] == "1 hardship(s), fewer than 2"
    item = policy.aid(pupil("dibao", orphan=True), ON).items[0]
    assert str(item.explanation).endswith("because at least 2 hardships")


def test_a_plugins_condition_is_written_back_as_its_key(tmp_path: Path) -> None:
    plan = yongning(tmp_path, VETERAN, TOPUP_RULE).plans[0]
    data = unstructure(plan)
    assert data["aid"]["rules"][0]["when"] == {"hardships": {"min": 2}}
    assert "extensions" not in data
    assert plan.extensions == (Hardships,)


def test_a_key_no_one_provides_is_an_unknown_condition(tmp_path: Path) -> None:
    with pytest.raises(PlanDataError) as caught:
        plan_from_file(write_plan(tmp_path, plan_text(TOPUP_RULE)))
    (problem,) = caught.value.problems
    assert problem.path == "$.aid.rules[0].when"
    message = problem.message.render("en")
    assert message.startswith("unknown condition hardships; known conditions: all, any, not")
    assert "hardships" not in message.split("known conditions:")[1]


def test_a_bad_value_of_a_plugins_condition_is_named_by_path(tmp_path: Path) -> None:
    for value, path, message in [
        ("2", "$.aid.rules[0].when.hardships", "must be a table { min = N }"),
        ("{ min = 0 }", "$.aid.rules[0].when.hardships.min", "must be a whole number, 1 or more"),
    ]:
        text = plan_text(TOPUP_RULE.replace("{ min = 2 }", value))
        with pytest.raises(PlanDataError) as caught:
            plan_from_file(write_plan(tmp_path, text), conditions=[Hardships])
        assert [(p.path, p.message.render("en")) for p in caught.value.problems] == [
            (path, message)
        ]


def test_changes_and_readings_keep_a_plugins_condition(tmp_path: Path) -> None:
    policy = yongning(tmp_path, VETERAN, VETERAN_RULE, TOPUP_RULE, READING)
    changed = policy.with_changes(
        [
            Change(
                rule="double-hardship-topup",
                set={"benefit.amount": "250.00"},
                reason="A larger top-up.",
            ),
            Change(
                add="aid.rules",
                reason="Veteran families with another hardship get more.",
                item={
                    "id": "veteran-topup",
                    "name": {"zh_CN": "军烈属双困补助", "en": "Veteran top-up"},
                    "benefit": {"kind": "cash", "amount": "100.00", "frequency": "per_year"},
                    "when": {"all": [{"household": ["veteran_family"]}, {"hardships": {"min": 2}}]},
                    "source": {"section": "二", "quote": "军烈属双困学生再补助100元"},
                },
            ),
        ]
    )
    assert changed.plans[0].aid.rules[1].when == Hardships(2)
    assert changed.plans[0].extensions == (Hardships,)
    assert changed.aid(pupil("veteran_family", orphan=True), ON).cash_total == 650
    three = policy.with_readings({"double-hardship": "three"})
    assert three.plans[0].aid.rules[1].when == Hardships(3)
    assert three.aid(pupil("dibao", orphan=True), ON).cash_total == 0
    assert three.aid(pupil("dibao", orphan=True, disabled=True), ON).cash_total == 200
    # And the changed policy can be read under another reading.
    again = changed.with_readings({"double-hardship": "three"})
    assert again.aid(pupil("veteran_family", orphan=True), ON).cash_total == 300 + 100


def test_a_region_refuses_a_condition_that_takes_a_core_key() -> None:
    @attrs.frozen
    class Stage(Hardships):
        key: ClassVar[str] = "stage"

    name = Text(zh_CN="测试", en="Test")
    with pytest.raises(InvalidDataError) as caught:
        RegionSpec(id="test", name=name, plans=list, conditions=[Stage])
    assert caught.value.problems[0].path == "$.conditions"
    with pytest.raises(InvalidDataError):
        RegionSpec(id="test", name=name, plans=list, conditions=[Hardships, Hardships])
    with pytest.raises(InvalidDataError):
        RegionSpec(id="test", name=name, plans=list, conditions=[dict])  # type: ignore[list-item]
    spec = RegionSpec(id="test", name=name, plans=list, conditions=[Hardships])
    assert spec.conditions == (Hardships,)


# --- a layered district, installed, with both --------------------------------------------

LAYER = """\
id = "xixia-2019"
parent = "jinfeng"

[document]
number = "西教发〔2019〕5号"
signed = 2019-03-01
title.zh_CN = "西夏区教育脱贫实施方案"
title.en = "Xixia District plan against poverty through education"
issuer.zh_CN = "西夏区教育局"
issuer.en = "Xixia District Education Bureau"

[in_force]
start = 2019-03-01
end = 2020-12-31

[sections]
"一" = { zh_CN = "学生资助", en = "Student aid" }

[[household_statuses]]
id = "veteran_family"
name = { zh_CN = "军烈属家庭", en = "veteran or martyr family" }
source = { section = "一", quote = "军烈属家庭子女" }

[[changes]]
add = "aid.rules"
reason = "Xixia tops up the aid of veteran families' children with another hardship."
source = { section = "一", quote = "军烈属家庭子女另有困难情形的,每生每年补助400元" }
[changes.item]
id = "veteran-double-hardship"
name = { zh_CN = "军烈属双困补助", en = "Top-up for veteran families with another hardship" }
benefit = { kind = "cash", amount = "400.00", frequency = "per_year" }
when.all = [{ household = ["veteran_family"] }, { hardships = { min = 2 } }]
"""

CONDITION_SOURCE = textwrap.dedent(
    """
    from typing import ClassVar

    import attrs

    from edupolicy.aid import AidExtension
    from edupolicy.errors import FieldProblem, InvalidDataError
    from edupolicy.i18n import Message


    @attrs.frozen
    class Hardships(AidExtension):
        key: ClassVar[str] = "hardships"
        min: int

        @classmethod
        def from_value(cls, value, /):
            if not isinstance(value, dict) or set(value) != {"min"}:
                raise InvalidDataError(
                    Message("Invalid value"), [FieldProblem("$", value, Message("bad"))]
                )
            return cls(value["min"])

        def to_value(self):
            return {"min": self.min}

        def holds(self, student, /):
            return len(student.household) + student.orphan + student.disabled >= self.min

        def describe(self):
            return Message("at least {min} hardships", (("min", self.min),))

        def why_not(self, student, /):
            return None if self.holds(student) else Message("fewer hardships")
    """
)


def test_a_layered_district_adds_a_status_and_a_plugins_condition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = (
        'RegionSpec.from_files(id="xixia", name=Text(zh_CN="西夏区", en="Xixia"), '
        'plan_files=[HERE / "plan.toml"], conditions=[Hardships])'
    )
    install(
        tmp_path,
        plugin_source(f"[{spec}]", preamble=CONDITION_SOURCE),
        files={"plan.toml": LAYER},
    )
    real = [ep for ep in installed_entry_points(group="edupolicy") if ep.name == "jinfeng"]
    registry = Registry(entry_points=[*real, *entry_points(tmp_path)], environ={})
    policy = registry.load("xixia")
    (plan,) = policy.plans
    assert [s.id for s in plan.household_statuses] == ["veteran_family"]
    assert [kind.key for kind in plan.extensions] == ["hardships"]
    inherited = policy.aid(pupil("dibao"), ON).cash_total
    assert inherited == 500
    both = policy.aid(pupil("dibao", "veteran_family"), ON)
    assert both.cash_total == inherited + 400
    assert both.items[-1].source.plan == "xixia-2019"
    assert policy.aid(pupil("veteran_family"), ON).cash_total == 0
    # A change to the district's plan reads its condition back.
    changed = policy.with_changes(
        [Change(rule="veteran-double-hardship", set={"benefit.amount": "450.00"}, reason="r")]
    )
    assert changed.aid(pupil("dibao", "veteran_family"), ON).cash_total == inherited + 450
    # The parent's records know nothing of the district's status.
    with pytest.raises(InvalidRecordError):
        registry.load("jinfeng").aid(pupil("veteran_family"), ON)


def test_the_audit_considers_students_of_a_declared_status(tmp_path: Path) -> None:
    policy = yongning(tmp_path, VETERAN, VETERAN_RULE)
    (plan,) = policy.plans
    seen = {status.value for student in student_space(plan) for status in student.household}
    assert "veteran_family" in seen
    # The status is one more of the plan's hardships: no "no-aid" finding names it as
    # uncovered for primary school, where its rule applies.
    findings = [f for f in audit(plan) if f.code == "no-aid" and f.subject == "primary"]
    assert all("veteran" not in f.render("en") for f in findings)
