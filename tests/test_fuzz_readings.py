"""Fuzzing readings: whatever readings a caller asks for, and whatever a plan file says of
its readings, the answer is a policy, a plan, or our error naming the field.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy import EdupolicyError, InvalidDataError, PlanDataError, Policy
from edupolicy.io import unstructure
from edupolicy.io.planfiles import structure_plan
from tests import strategies as gen
from tests.profiles import scaled
from tests.test_fuzz import not_ours

JINFENG = edupolicy.load("jinfeng")
(WRITTEN,) = JINFENG.plans_as_written
OFFERED = {reading.id: reading.choice_ids for reading in WRITTEN.readings}
ON = "2019-09-01"


@st.composite
def valid_readings(draw: st.DrawFn) -> dict[str, str]:
    """Some of Jinfeng's readings, each with one of its choices."""
    chosen = draw(st.lists(st.sampled_from(sorted(OFFERED)), unique=True))
    return {reading: draw(st.sampled_from(OFFERED[reading])) for reading in chosen}


#: The policies read under each combination of choices drawn so far.
_POLICIES: dict[tuple[tuple[str, str], ...], Policy] = {}

#: Valid choices, mutants of them (a reading or choice replaced, removed, added) and garbage.
READINGS = gen.inputs(valid_readings())


def _check(error: EdupolicyError) -> None:
    assert error.render("zh_CN")
    assert error.render("en")
    if isinstance(error, InvalidDataError):
        assert error.problems
        for problem in error.problems:
            assert problem.path == "readings" or problem.path.startswith("readings."), problem
            json.dumps(problem.to_json("zh_CN"), ensure_ascii=False)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(readings=READINGS)
@example(readings={"continuity-gap": "no-gap", "nope": 1})
@example(readings={None: None})
@example(readings=[("continuity-gap", "no-gap")])
def test_any_readings_give_a_policy_or_our_error_naming_them(readings: Any) -> None:
    try:
        policy = JINFENG.with_readings(readings)
    except EdupolicyError as error:
        _check(error)
        return
    except Exception as error:
        raise not_ours(error) from None
    in_force = dict(policy.readings_on(ON))
    assert in_force == {
        reading: readings.get(reading, default)
        for reading, default in ((r.id, r.default) for r in WRITTEN.readings)
    }


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(readings=valid_readings(), student=gen.students(), teacher=gen.teachers())
def test_under_any_valid_readings_every_answer_says_them(
    readings: dict[str, str], student: dict[str, Any], teacher: dict[str, Any]
) -> None:
    key = tuple(sorted(readings.items()))
    policy = _POLICIES.get(key)
    if policy is None:
        policy = _POLICIES[key] = JINFENG.with_readings(readings)
    in_force = dict(policy.readings_on(ON))
    for call in (lambda: policy.aid(student, ON), lambda: policy.teacher(teacher, ON)):
        try:
            result = call()
        except EdupolicyError as error:
            _check_record_error(error)
            continue
        except Exception as error:
            raise not_ours(error) from None
        data = result.to_json("zh_CN")
        assert data["readings"] == in_force
        json.dumps(data, ensure_ascii=False)


def _check_record_error(error: EdupolicyError) -> None:
    assert error.render("zh_CN")
    if isinstance(error, InvalidDataError):
        assert all(problem.path.startswith("$") for problem in error.problems)


def _check_paths(error: PlanDataError, prefix: str) -> None:
    """Every problem of ``error`` is named by a path that starts with ``prefix``."""
    assert error.problems
    for problem in error.problems:
        assert problem.path.startswith(prefix), problem
        assert problem.render("zh_CN")


def _readings_data() -> list[Any]:
    return copy.deepcopy(unstructure(WRITTEN)["readings"])


@settings(
    max_examples=scaled(60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(readings=gen.mutated(st.just(_readings_data())))
def test_a_plan_file_with_any_readings_gives_a_plan_or_our_error_by_path(
    readings: Any,
) -> None:
    data = copy.deepcopy(unstructure(WRITTEN))
    data["readings"] = readings
    try:
        plan = structure_plan(data, name="plan.toml")
    except PlanDataError as error:
        _check_paths(error, "$")
        return
    except Exception as error:
        raise not_ours(error) from None
    # Each choice of a plan that reads gives a plan or our error, named by its path.
    policy = Policy(region="fuzz", distribution="fuzz", version="0", plans=(plan,))
    for reading in plan.readings:
        for choice in reading.choices:
            try:
                policy.with_readings({reading.id: choice.id})
            except PlanDataError as error:
                _check_paths(error, "readings[")
            except Exception as error:
                raise not_ours(error) from None
