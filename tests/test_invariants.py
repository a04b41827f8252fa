"""Invariants of evaluation, as properties of random valid records.

Whatever the record, under the Jinfeng plan and under a second plan (Example County's,
the plan file that ``docs/plugins.md`` builds a plugin around; for teachers, which
that plan has no rules for, the small plan of :data:`tests.strategies.BASE_PLAN`):

* evaluation is deterministic, and depends neither on the order of the keys of a
  record nor on the order of its lists (statuses, postings, candidates);
* ``cash_total`` is the sum of the cash items that applied, yearly and one-time;
* results and records survive JSON: a result's JSON reads back equal, and a record's
  own ``to_json()`` reads back as an equal record;
* a roster evaluated one by one gives each student the same result in any order, and
  eight threads give what one thread gives.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy import Policy, Student, Teacher
from edupolicy.aid import BenefitKind
from edupolicy.io import unstructure
from tests import strategies as gen

ROOT = Path(__file__).resolve().parent.parent
LOCALES = st.sampled_from(["en", "zh_CN"])


@attrs.frozen
class Case:
    """A plan to evaluate under: its policy, its period and the years of its stages."""

    policy: Policy
    start: dt.date
    end: dt.date

    @property
    def stage_years(self) -> dict[str, int]:
        plan = self.policy.plans[0]
        return {stage.value: years for stage, years in plan.stage_years.items()}

    def days(self) -> st.SearchStrategy[dt.date]:
        return st.dates(min_value=self.start, max_value=self.end)


def example_plan_text() -> str:
    """The plan file of the example plugin, as ``docs/plugins.md`` writes it."""
    page = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    found = re.search(r"^```toml file=\S+/plan\.toml\n(.*?)^```$", page, re.MULTILINE | re.DOTALL)
    assert found is not None, "docs/plugins.md has no plan.toml block"
    return found.group(1)


def case_of(path: Path, region: str) -> Case:
    plan = edupolicy.load_plan(path)
    policy = Policy(region=region, distribution="tests", version="0", plans=(plan,))
    assert plan.in_force.end is not None
    return Case(policy=policy, start=plan.in_force.start, end=plan.in_force.end)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("invariants")
    (folder / "example.toml").write_text(example_plan_text(), encoding="utf-8")
    (folder / "fuzz.toml").write_text(gen.toml_text(gen.BASE_PLAN), encoding="utf-8")
    jinfeng = edupolicy.load("jinfeng")
    (plan,) = jinfeng.plans
    assert plan.in_force.end is not None
    return {
        "jinfeng": Case(policy=jinfeng, start=plan.in_force.start, end=plan.in_force.end),
        "example": case_of(folder / "example.toml", "example"),
        "fuzz-plan": case_of(folder / "fuzz.toml", "fuzz"),
    }


#: The plans with aid rules, and those with teacher rules.
AID_PLANS = pytest.mark.parametrize("name", ["jinfeng", "example"])
TEACHER_PLANS = pytest.mark.parametrize("name", ["jinfeng", "fuzz-plan"])


def shuffled(data: st.DataObject, value: Any) -> Any:
    """``value`` with the keys of every object and the items of every list in another order.

    Every list of a record is a set (statuses, postings), whose order means nothing.
    """
    if isinstance(value, dict):
        keys = data.draw(st.permutations(list(value)))
        return {key: shuffled(data, value[key]) for key in keys}
    if isinstance(value, list):
        return [shuffled(data, item) for item in data.draw(st.permutations(value))]
    return value


def cash_of(found: dict[str, Any]) -> Decimal:
    return sum(
        (Decimal(item["amount"]) for item in found["items"] if item["kind"] == "cash"),
        Decimal(0),
    )


# --- student aid ------------------------------------------------------------------------------


@AID_PLANS
@given(data=st.data(), explain=st.booleans(), locale=LOCALES)
def test_aid_depends_only_on_the_record_and_the_date(
    cases: dict[str, Case], name: str, data: st.DataObject, explain: bool, locale: str
) -> None:
    case = cases[name]
    student = data.draw(gen.students(case.stage_years), label="student")
    on = data.draw(case.days(), label="on")

    first = case.policy.aid(student, on, explain=explain).to_json(locale)
    again = case.policy.aid(student, on, explain=explain).to_json(locale)
    reordered = case.policy.aid(shuffled(data, student), on, explain=explain).to_json(locale)
    as_object = case.policy.aid(edupolicy.structure(student, Student), on.isoformat())

    assert again == first
    assert reordered == first
    assert as_object.to_json(locale) == case.policy.aid(student, on).to_json(locale)


@AID_PLANS
@given(data=st.data())
def test_cash_total_is_the_sum_of_the_cash_items_that_applied(
    cases: dict[str, Case], name: str, data: st.DataObject
) -> None:
    case = cases[name]
    student = data.draw(gen.students(case.stage_years), label="student")
    result = case.policy.aid(student, data.draw(case.days(), label="on"))

    cash = [item for item in result.items if item.kind is BenefitKind.CASH]
    assert all(item.amount is not None and item.amount > 0 for item in cash)
    assert result.cash_total == sum((item.amount or Decimal(0) for item in cash), Decimal(0))
    shown = result.to_json()
    assert Decimal(shown["cash_total"]) == cash_of(shown)
    assert {item["frequency"] for item in shown["items"] if item["kind"] == "cash"} <= {
        "per_year",
        "once",
    }


@AID_PLANS
@given(data=st.data(), explain=st.booleans(), locale=LOCALES)
def test_a_result_and_a_student_survive_json(
    cases: dict[str, Case], name: str, data: st.DataObject, explain: bool, locale: str
) -> None:
    case = cases[name]
    student = data.draw(gen.students(case.stage_years), label="student")
    result = case.policy.aid(student, data.draw(case.days(), label="on"), explain=explain)

    shown = result.to_json(locale)
    assert json.loads(json.dumps(shown, ensure_ascii=False)) == shown
    record = edupolicy.structure(student, Student)
    assert edupolicy.structure(json.loads(json.dumps(record.to_json())), Student) == record
    assert shown["id"] == record.id


@AID_PLANS
@given(data=st.data())
def test_a_roster_gives_each_student_the_same_result_in_any_order(
    cases: dict[str, Case], name: str, data: st.DataObject
) -> None:
    case = cases[name]
    roster = data.draw(st.lists(gen.students(case.stage_years), max_size=12), label="roster")
    on = data.draw(case.days(), label="on")
    in_order = [case.policy.aid(student, on).to_json() for student in roster]

    order = data.draw(st.permutations(range(len(roster))), label="order")
    shuffled_results = {index: case.policy.aid(roster[index], on).to_json() for index in order}

    assert [shuffled_results[index] for index in range(len(roster))] == in_order


#: Threads are slow to start: a fifth of the examples of the profile (10 at least).
THREADED = settings(max_examples=max(10, settings().max_examples // 5))


def in_threads(evaluate: Callable[[Any], Any], roster: list[Any]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(evaluate, roster))


@AID_PLANS
@THREADED
@given(data=st.data(), explain=st.booleans())
def test_eight_threads_give_each_student_what_one_thread_gives(
    cases: dict[str, Case], name: str, data: st.DataObject, explain: bool
) -> None:
    case = cases[name]
    roster = data.draw(
        st.lists(gen.students(case.stage_years), min_size=1, max_size=10), label="roster"
    )
    on = data.draw(case.days(), label="on")

    def evaluate(student: Any) -> Any:
        return case.policy.aid(student, on, explain=explain).to_json("zh_CN")

    # Each student several times over, so that threads meet on the same records.
    alone = [evaluate(student) for student in roster * 4]
    assert in_threads(evaluate, roster * 4) == alone


# --- teachers ---------------------------------------------------------------------------------


@TEACHER_PLANS
@given(data=st.data(), explain=st.booleans(), locale=LOCALES)
def test_incentives_depend_only_on_the_record_and_the_date(
    cases: dict[str, Case], name: str, data: st.DataObject, explain: bool, locale: str
) -> None:
    case = cases[name]
    teacher = data.draw(gen.teachers(), label="teacher")
    on = data.draw(case.days(), label="on")

    first = case.policy.teacher(teacher, on, explain=explain).to_json(locale)
    again = case.policy.teacher(teacher, on, explain=explain).to_json(locale)
    # Postings in another order, and every object's keys.
    reordered = case.policy.teacher(shuffled(data, teacher), on, explain=explain)

    assert again == first
    assert reordered.to_json(locale) == first
    assert json.loads(json.dumps(first, ensure_ascii=False)) == first


@given(teacher=gen.teachers())
def test_a_teacher_survives_json(teacher: dict[str, Any]) -> None:
    record = edupolicy.structure(teacher, Teacher)

    assert edupolicy.structure(json.loads(json.dumps(record.to_json())), Teacher) == record
    assert edupolicy.structure(unstructure(record), Teacher) == record


@TEACHER_PLANS
@given(data=st.data())
def test_a_selection_does_not_depend_on_the_order_of_the_candidates(
    cases: dict[str, Case], name: str, data: st.DataObject
) -> None:
    case = cases[name]
    schedule = case.policy.plans[0].teachers
    assert schedule is not None
    (quota,) = schedule.quotas
    candidates = data.draw(gen.candidate_lists(), label="candidates")
    year = data.draw(st.integers(min_value=case.start.year, max_value=case.end.year), "year")

    first = case.policy.select(quota.id, candidates, year=year).to_json("zh_CN")
    reordered = case.policy.select(quota.id, shuffled(data, candidates), year=year)

    assert reordered.to_json("zh_CN") == first
    assert len(first["selected"]) <= quota.per_year


@TEACHER_PLANS
@THREADED
@given(data=st.data())
def test_eight_threads_give_each_teacher_what_one_thread_gives(
    cases: dict[str, Case], name: str, data: st.DataObject
) -> None:
    case = cases[name]
    roster = data.draw(st.lists(gen.teachers(), min_size=1, max_size=8), label="roster")
    on = data.draw(case.days(), label="on")

    def evaluate(teacher: Any) -> Any:
        return case.policy.teacher(teacher, on, explain=True).to_json("zh_CN")

    alone = [evaluate(teacher) for teacher in roster * 4]
    assert in_threads(evaluate, roster * 4) == alone
