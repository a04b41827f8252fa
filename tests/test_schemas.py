"""The JSON Schemas: valid, published as generated, and in agreement with the library.

A schema is never stricter than the library: whatever the library reads, the schema
accepts.  Where the schema accepts what the library refuses, the library's reasons
are all among :data:`INEXPRESSIBLE`, the checks no schema here can state (checks
across fields or against a plan).  A JSON number written with a zero fraction
(``2.0``) is an integer to JSON Schema and not to the library: such inputs are left out.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import math
import re
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, Draft202012Validator

import edupolicy
from edupolicy.analysis import plan_from_file, student_space
from edupolicy.cli.scaffold import write_plugin
from edupolicy.errors import InvalidDataError, PlanDataError
from edupolicy.goals import Observation, Unit
from edupolicy.io import SCHEMA_NAMES, UnknownSchemaError, json_schema
from edupolicy.io.observations import structure_observations
from edupolicy.io.planfiles import read_plan_file, structure_plan
from edupolicy.plans.layer import PlanLayer
from edupolicy.rules import ExtensionCondition
from edupolicy.teachers import Award, Teacher
from tests import test_layers as layers
from tests.clitools import run
from tests.fakedist import plan_toml
from tests.planfiles import write_plan
from tests.strategies import (
    awards,
    inputs,
    mutated,
    observation_lists,
    observation_mappings,
    students,
    teachers,
    toml_text,
)
from tests.test_docs import PAGES, PLAN_BLOCKS, Block, blocks

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date(2019, 9, 1)

#: The library's messages for what no schema here can check: across fields, or
#: against the plan the figures are reported for.
INEXPRESSIBLE = frozenset(
    {
        "overlaps the posting at [{other}] ({days})",
        "the posting ends before it starts ({start})",
        "no indicator has this id; known: {known}",
        "{indicator} is measured in {unit}",
        "this rate cannot exceed 100%",
        "must be a whole number",
        "must be true or false",
        "give either year or on, not both or neither",
    }
)


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        json_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


VALIDATORS = {name: validator(name) for name in SCHEMA_NAMES}


def errors(name: str, data: object) -> list[str]:
    """What schema ``name`` finds wrong with ``data``, one line each."""
    return [
        f"{list(error.absolute_path)}: {error.message[:200]}"
        for error in VALIDATORS[name].iter_errors(data)
    ]


def is_json(value: object, limit: int = 40) -> bool:
    """Whether ``value`` is JSON data as a JSON parser gives it, nested at most ``limit``
    levels, with no integral float."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, float):
            if not math.isfinite(item) or item.is_integer():
                return False
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return False
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, int) and not isinstance(item, bool):
            if abs(item) > 10**100:  # a JSON parser refuses so many digits
                return False
        elif not (item is None or isinstance(item, (bool, str))):
            return False
    return True


def messages(exc: InvalidDataError) -> set[str]:
    return {problem.message.msgid for problem in exc.problems}


def agree(name: str, data: object, read: Callable[[object], object]) -> None:
    """The library reads ``data`` ⇒ the schema accepts it; the schema accepts it and the
    library refuses it ⇒ only for reasons no schema can state."""
    assume(is_json(data))
    found = errors(name, data)
    refused: InvalidDataError | None = None
    try:
        read(data)
    except InvalidDataError as exc:
        refused = exc
    if refused is None:
        assert found == [], found
    elif not found:
        assert messages(refused) <= INEXPRESSIBLE, refused.render()


# --- the schemas themselves ---------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_is_a_valid_draft_2020_12_and_draft_4_schema(name: str) -> None:
    found = json_schema(name)
    Draft202012Validator.check_schema(found)
    # Taplo, which editors use to check TOML, knows draft 4.
    Draft4Validator.check_schema(found)
    assert found["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _tools() -> Any:
    spec = importlib.util.spec_from_file_location("schemas_tool", ROOT / "tools" / "schemas.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_published_schemas_are_what_the_generator_writes_now() -> None:
    """src/edupolicy/schemas/ never drifts from the model: `python tools/schemas.py update`."""
    assert list(_tools().problems()) == []


def test_published_schemas_are_package_data() -> None:
    folder = files("edupolicy") / "schemas"
    for name in SCHEMA_NAMES:
        published = json.loads((folder / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert published == json_schema(name)


def test_a_schema_is_a_new_copy_each_time() -> None:
    first = json_schema("student")
    first["properties"].clear()
    assert json_schema("student")["properties"]


def test_an_unknown_schema_name_is_an_error_that_lists_the_names() -> None:
    with pytest.raises(UnknownSchemaError) as caught:
        json_schema("students")
    assert isinstance(caught.value, LookupError)
    assert caught.value.available == SCHEMA_NAMES
    assert "student, teacher" in str(caught.value)


# --- plan files ---------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    """TOML data as JSON sees it: dates as ISO strings."""
    if isinstance(value, dict):
        return {key: _iso(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _jinfeng() -> tuple[dict[str, Any], list[str], dict[str, dict[str, Any]]]:
    """Jinfeng's plan file as TOML data, its parts' names, and each part's data."""
    root = files("edupolicy_jinfeng")
    data = tomllib.loads((root / "plan.toml").read_text(encoding="utf-8"))
    parts = data.pop("parts", [])
    return data, parts, {p: tomllib.loads((root / p).read_text(encoding="utf-8")) for p in parts}


def jinfeng_plan_data() -> dict[str, Any]:
    """Jinfeng's plan data merged as load_plan merges its parts (TOML dates kept)."""
    data, _parts, by_part = _jinfeng()
    for extra in by_part.values():
        data.update(extra)
    return data


def test_jinfeng_plan_file_validates_against_the_plan_schema() -> None:
    data, parts, by_part = _jinfeng()
    assert parts, "Jinfeng's plan is split into parts"
    assert errors("plan", _iso({**data, "parts": parts})) == []
    merged = jinfeng_plan_data()
    assert errors("plan", _iso(merged)) == []
    for name, part in by_part.items():
        assert errors("plan-part", _iso(part)) == [], name


@pytest.mark.parametrize(
    "block", PLAN_BLOCKS, ids=[f"{b.page.name}:{b.line}:{b.file}" for b in PLAN_BLOCKS]
)
def test_documented_plan_files_validate(block: Block) -> None:
    assert errors("plan", _iso(tomllib.loads(block.text))) == []


XINYUAN = ROOT / "examples" / "edupolicy-xinyuan" / "src" / "edupolicy_xinyuan"


def _xinyuan_conditions(monkeypatch: pytest.MonkeyPatch) -> list[type[Any]]:
    """The kinds of condition of the example plugin, imported from its source for the test."""
    modules: dict[str, Any] = {}
    for name, path in (
        ("edupolicy_xinyuan", XINYUAN / "__init__.py"),
        ("edupolicy_xinyuan.conditions", XINYUAN / "conditions.py"),
    ):
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        modules[name] = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, name, modules[name])
        spec.loader.exec_module(modules[name])
    module = modules["edupolicy_xinyuan.conditions"]
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and getattr(value, "__module__", "") == module.__name__
        and issubclass(value, ExtensionCondition)
    ]


def plan_errors(data: object, conditions: Sequence[type[Any]] = ()) -> list[str]:
    """What the plan schema (with the plugin's kinds of condition ``conditions``) finds
    wrong with ``data``, under draft 2020-12 and under draft 4 (as Taplo reads it)."""
    schema = json_schema("plan", conditions=conditions)
    return [
        f"{validator.__name__} {list(error.absolute_path)}: {error.message[:200]}"
        for validator in (Draft202012Validator, Draft4Validator)
        for error in validator(schema, format_checker=validator.FORMAT_CHECKER).iter_errors(data)
    ]


def _scaffolded(tmp_path: Path, parent: str | None) -> Path:
    """The plan file ``edupolicy new-region`` writes, with ``--parent`` or without."""
    folder = tmp_path / f"scaffold-{parent}"
    write_plugin(
        folder,
        "helan",
        parent=parent,
        start=dt.date(2018, 8, 30),
        end=dt.date(2020, 12, 31),
        name=("贺兰县", "Helan County"),
    )
    return folder / "src" / "edupolicy_helan" / "plan.toml"


def _fixtures(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The plan files the tests write: a small plan, and a layered one with a change of
    each kind (set, remove, add)."""
    yield "fakedist", write_plan(tmp_path, plan_toml(), name="fakedist.toml")
    layered = layers.plan_text(layers.RAISE, layers.REMOVE, layers.ADD)
    yield "layers", write_plan(tmp_path, layered, name="layers.toml")


def test_every_plan_file_at_hand_validates_and_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinfeng's, the example plugin's, the scaffold's with and without a parent, the
    tests' own and the docs': each read by the library and accepted by the schema, under
    an independent validator in draft 2020-12 and draft 4."""
    kinds = _xinyuan_conditions(monkeypatch)
    files: list[tuple[str, Path, Sequence[type[Any]]]] = [
        ("jinfeng", ROOT / "src" / "edupolicy_jinfeng" / "plan.toml", ()),
        ("xinyuan", XINYUAN / "plan.toml", kinds),
        ("new-region", _scaffolded(tmp_path, None), ()),
        ("new-region --parent", _scaffolded(tmp_path, "jinfeng"), ()),
        *((name, path, ()) for name, path in _fixtures(tmp_path)),
    ]
    for block in (b for page in PAGES for b in blocks(page)):
        if block.language == "toml" and re.search(r"^parent = ", block.text, re.MULTILINE):
            path = tmp_path / f"{block.page.stem}-{block.line}.toml"
            path.write_text(block.text, encoding="utf-8")
            files.append((f"{block.page.name}:{block.line}", path, kinds))
    layered = 0
    for name, path, conditions in files:
        read = read_plan_file(path, conditions=conditions)
        layered += isinstance(read, PlanLayer) and bool(read.changes)
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert plan_errors(_iso(data), conditions) == [], name
    assert layered >= 3  # the example's, the tests' and the docs' layered plans


def test_a_plugins_kind_of_condition_is_a_key_of_its_plans_schema_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kinds = _xinyuan_conditions(monkeypatch)
    data = _iso(tomllib.loads((XINYUAN / "plan.toml").read_text(encoding="utf-8")))
    assert plan_errors(data) != []  # a key the core's schema does not know
    assert plan_errors(data, kinds) == []
    shown = run("schema", "plan")
    assert json.loads(shown.out) == json_schema("plan")


_LAYER = layers.plan_text(layers.RAISE, layers.REMOVE, layers.ADD)


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        # An amount that is not one, where a change sets it.
        (('"600.00"', '"abc"'), '$.changes[0].set."benefit.amount"'),
        (('"600.00"', "600"), '$.changes[0].set."benefit.amount"'),
        # A field the item does not have.
        (('"benefit.amount"', '"benefit.amont"'), '$.changes[0].set."benefit.amont"'),
        (('"benefit.amount"', '"benfit.amount"'), '$.changes[0].set."benfit.amount"'),
        # A misspelt key, a bad amount, a bad word in the rule a change adds.
        (('\nbenefit = { kind = "cash"', '\nbenfit = { kind = "cash"'), "$.changes[2].item.benfit"),
        (('amount = "200.00"', 'amount = "two hundred"'), "$.changes[2].item.benefit.amount"),
        (('stage = ["senior_secondary"]', 'stage = ["senior"]'),
         "$.changes[2].item.when.all[0].stage[0]"),
        (('{ boarding = true }', '{ boarding = true, orphan = true }'),
         "$.changes[2].item.when.all[1]"),
        # A list no plan has, or a rule added to the list of another kind of item.
        (('add = "aid.rules"', 'add = "aid.rule"'), "$.changes[2].add"),
        (('add = "aid.rules"', 'add = "goals.targets"'), "$.changes[2].item.indicator"),
        # Remove is true or nothing.
        (("remove = true", "remove = false"), "$.changes[1]"),
    ],
)  # fmt: skip
def test_a_bad_change_is_refused_by_both(tmp_path: Path, bad: tuple[str, str], path: str) -> None:
    assert bad[0] in _LAYER
    text = _LAYER.replace(bad[0], bad[1], 1)
    data = _iso(tomllib.loads(text))
    assert plan_errors(data) != []
    with pytest.raises(PlanDataError) as caught:
        edupolicy.load_plan(write_plan(tmp_path, text))
    assert path in [problem.path for problem in caught.value.problems]


def _first_rule(data: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = next(r for r in data["aid"]["rules"] if r["benefit"]["kind"] == "cash")
    return rule


def _unknown_key(data: dict[str, Any]) -> None:
    _first_rule(data)["amount"] = "500.00"


def _wrong_enum(data: dict[str, Any]) -> None:
    _first_rule(data)["benefit"]["frequency"] = "one-off"


def _float_money(data: dict[str, Any]) -> None:
    _first_rule(data)["benefit"]["amount"] = 500.0


def _number_money(data: dict[str, Any]) -> None:
    _first_rule(data)["benefit"]["amount"] = 500


def _zero_money(data: dict[str, Any]) -> None:
    _first_rule(data)["benefit"]["amount"] = "0.00"


def _two_keys(data: dict[str, Any]) -> None:
    _first_rule(data)["when"] = {"orphan": True, "disabled": True}


def _unknown_condition(data: dict[str, Any]) -> None:
    _first_rule(data)["when"] = {"grade": 3}


def _benefit_of_another_kind(data: dict[str, Any]) -> None:
    _first_rule(data)["benefit"]["waives"] = ["textbook"]


def _missing_stage(data: dict[str, Any]) -> None:
    del data["stage_years"]["primary"]


@pytest.mark.parametrize(
    "spoil",
    [
        _unknown_key,
        _wrong_enum,
        _float_money,
        _number_money,
        _zero_money,
        _two_keys,
        _unknown_condition,
        _benefit_of_another_kind,
        _missing_stage,
    ],
)
def test_a_bad_plan_is_refused_by_both(spoil: Callable[[dict[str, Any]], None]) -> None:
    data = copy.deepcopy(jinfeng_plan_data())
    spoil(data)
    with pytest.raises(PlanDataError):
        structure_plan(copy.deepcopy(data), name="plan.toml")
    assert errors("plan", _iso(data)) != []


def test_a_change_in_a_reading_needs_one_action_and_one_selector() -> None:
    data = copy.deepcopy(jinfeng_plan_data())
    changes = next(c for r in data["readings"] for c in r["choices"] if c.get("changes"))["changes"]
    changes[0]["remove"] = True
    with pytest.raises(PlanDataError):
        structure_plan(copy.deepcopy(data), name="plan.toml")
    assert errors("plan", _iso(data)) != []


# --- records ------------------------------------------------------------------------------


def test_a_student_the_library_reads_validates() -> None:
    record = {"id": "S05", "stage": "primary", "year": 1, "school_area": "urban",
              "household": ["migrant_worker", "other_hardship"]}  # fmt: skip
    edupolicy.structure(record, edupolicy.Student)
    assert errors("student", record) == []
    assert errors("student", edupolicy.structure(record, edupolicy.Student).to_json()) == []


@pytest.mark.parametrize(
    ("name", "cls", "bad"),
    [
        ("student", edupolicy.Student, {"stage": "primary", "year": 1, "school_area": "urban",
                                        "grade": 3}),
        ("student", edupolicy.Student, {"stage": "Primary", "year": 1, "school_area": "urban"}),
        ("student", edupolicy.Student, {"stage": "primary", "year": 2.5, "school_area": "urban"}),
        ("student", edupolicy.Student, {"stage": "primary", "year": 0, "school_area": "urban"}),
        ("student", edupolicy.Student, {"stage": "primary", "year": "3", "school_area": "urban"}),
        ("student", edupolicy.Student, {"stage": "primary", "year": 1, "school_area": "urban",
                                        "id": " "}),
        ("student", edupolicy.Student, {"stage": "primary", "year": 1, "school_area": "urban",
                                        "household": ["dibao", "dibao"]}),
        ("teacher", Teacher, {"title": "junior", "service": [], "rank": 1}),
        ("teacher", Teacher, {"title": "professor", "service": []}),
        ("teacher", Teacher, {"title": "junior",
                              "service": [{"school_area": "rural", "start": "2019-9-1"}]}),
        ("award", Award, {"id": "A1"}),
        ("award", Award, {"school_area": "suburban"}),
    ],
)  # fmt: skip
def test_a_bad_record_is_refused_by_both(name: str, cls: type, bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidDataError):
        edupolicy.structure(bad, cls)
    assert errors(name, bad) != []


@given(inputs(students()))
def test_students_library_and_schema_agree(data: object) -> None:
    agree("student", data, lambda d: edupolicy.structure(d, edupolicy.Student))


@given(inputs(teachers()))
def test_teachers_library_and_schema_agree(data: object) -> None:
    agree("teacher", data, lambda d: edupolicy.structure(d, Teacher))


@given(inputs(awards()))
def test_awards_library_and_schema_agree(data: object) -> None:
    agree("award", data, lambda d: edupolicy.structure(d, Award))


JINFENG = edupolicy.load("jinfeng")
GOALS = JINFENG.plan_on(ON).goals
assert GOALS is not None


def _figures(data: object) -> tuple[Observation, ...]:
    assert GOALS is not None
    return structure_observations(data, GOALS, year=2019)


@given(inputs(observation_lists(GOALS, (2018, 2020))))
def test_figures_as_a_list_library_and_schema_agree(data: object) -> None:
    agree("figures", data, _figures)


@given(inputs(observation_mappings(GOALS)))
def test_figures_as_an_object_library_and_schema_agree(data: object) -> None:
    agree("figures", data, _figures)


def test_figures_that_give_both_year_and_on_are_refused_by_both() -> None:
    assert GOALS is not None
    bad = [{"indicator": GOALS.indicators[0].id, "value": 1, "year": 2019, "on": "2019-06-30"}]
    with pytest.raises(InvalidDataError):
        _figures(bad)
    assert errors("figures", bad) != []


# --- results ------------------------------------------------------------------------------


def _both(result: Any) -> Iterator[Any]:
    for locale in ("en", "zh_CN"):
        yield result.to_json(locale)


def test_every_aid_result_validates() -> None:
    """Every distinct set of items the Jinfeng plan gives, plain and explained, in both
    languages: the first student of the plan's student space to receive it."""
    plan = JINFENG.plan_on(ON)
    kinds: set[str] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    for student in student_space(plan):
        result = JINFENG.aid(student, ON)
        given = (student.stage.value, frozenset(item.rule_id for item in result.items))
        if given in seen:
            continue
        seen.add(given)
        for data in (*_both(result), *_both(JINFENG.aid(student, ON, explain=True))):
            assert errors("aid-result", data) == [], data
        kinds.update(item.kind.value for item in result.items)
    assert kinds == {rule.benefit.kind.value for rule in plan.aid.rules}


def _careers() -> Iterator[dict[str, Any]]:
    for start in ("1979-09-01", "2001-09-01", "2006-09-01", "2015-09-01"):
        for area in ("rural", "urban"):
            for title in ("none", "junior", "intermediate", "senior"):
                for flag in (False, True):
                    yield {
                        "title": title,
                        "outstanding": flag,
                        "meets_title_criteria": flag,
                        "service": [{"school_area": area, "start": start, "end": None}],
                    }


def test_every_teacher_result_validates() -> None:
    plan = JINFENG.plan_on(ON)
    assert plan.teachers is not None
    kinds: set[str] = set()
    records = [
        json.loads(line)
        for line in (files("edupolicy_jinfeng") / "samples" / "teachers.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    for record in [*records, *_careers()]:
        for explain in (False, True):
            result = JINFENG.teacher(record, ON, explain=explain)
            for data in _both(result):
                assert errors("teacher-result", data) == [], data
            kinds.update(item["outcome"]["kind"] for item in result.to_json()["items"])
    assert kinds == {rule.outcome.kind.value for rule in plan.teachers.rules}


def test_progress_validates_for_every_status() -> None:
    assert GOALS is not None
    met: dict[str, Any] = {}
    for target in GOALS.targets:
        indicator = GOALS.indicator(target.indicator)
        if indicator.unit is Unit.ACHIEVED:
            met[indicator.id] = True
        elif indicator.unit is Unit.PERCENT and not indicator.can_exceed_100:
            met[indicator.id] = str(min(target.value, 100))
        else:
            met[indicator.id] = str(target.value)
    statuses: set[str] = set()
    for figures, on in (({}, "2019-12-31"), (met, "2019-12-31"), (met, "2020-12-31")):
        lines = JINFENG.progress(figures, year=2019, on=on)
        data = [line.to_json() for line in lines]
        assert errors("progress", data) == []
        assert errors("progress", [line.to_json("zh_CN") for line in lines]) == []
        statuses.update(line["status"] for line in data)
    assert {"met", "no_data"} <= statuses


@given(observation_mappings(GOALS))
def test_progress_validates_for_any_figures(figures: dict[str, Any]) -> None:
    lines = JINFENG.progress(figures, year=2019)
    assert errors("progress", [line.to_json() for line in lines]) == []


def _sample(name: str) -> Any:
    return json.loads((files("edupolicy_jinfeng") / "samples" / name).read_text(encoding="utf-8"))


def test_selection_validates() -> None:
    plan = JINFENG.plan_on(ON)
    assert plan.teachers is not None
    for quota in plan.teachers.quotas:
        selection = JINFENG.select(quota.id, _sample("candidates.json"), year=2019)
        for data in _both(selection):
            assert errors("selection", data) == []
        assert selection.selected
        assert selection.not_selected


def test_award_checks_and_awards_needed_validate() -> None:
    plan = JINFENG.plan_on(ON)
    assert plan.teachers is not None
    pool = _sample("awards.json")
    for reading in ("together", "by-kind"):
        policy = JINFENG
        choices = plan.reading("rural-commendation-share").choice_ids
        if reading in choices:
            policy = JINFENG.with_readings({"rural-commendation-share": reading})
        for share in plan.teachers.shares:
            check = policy.check_awards(pool, ON, share=share.id)
            for data in _both(check):
                assert errors("award-check", data) == []
            individuals = [a for a in pool if "teacher" in a]
            needed = policy.awards_needed(individuals, ON, size=1, share=share.id)
            for data in _both(needed):
                assert errors("awards-needed", data) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [("aid-result", "cash_total"), ("teacher-result", "service"), ("selection", "ranking")],
)
def test_a_result_with_a_key_added_or_renamed_is_refused(name: str, key: str) -> None:
    student = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
    results = {
        "aid-result": lambda: JINFENG.aid(student, ON).to_json(),
        "teacher-result": lambda: JINFENG.teacher(next(_careers()), ON).to_json(),
        "selection": lambda: JINFENG.select(
            JINFENG.plan_on(ON).teachers.quotas[0].id,  # type: ignore[union-attr]
            _sample("candidates.json"),
            year=2019,
        ).to_json(),
    }
    data = results[name]()
    assert errors(name, data) == []
    assert errors(name, {**data, "extra": 1}) != []
    renamed = {("_" + k if k == key else k): v for k, v in data.items()}
    assert errors(name, renamed) != []


_LAYER_DATA = tomllib.loads(_LAYER)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated(st.just(_LAYER_DATA["changes"])))
def test_changes_the_library_reads_the_schema_accepts(changes: object) -> None:
    """A layered plan's changes, valid and mutated: what the library builds on Jinfeng's
    plan, the schema accepts (the schema is never stricter than the library)."""
    assume(is_json(changes))
    text = toml_text({**_LAYER_DATA, "changes": changes})
    with tempfile.TemporaryDirectory() as folder:
        path = write_plan(Path(folder), text)
        try:
            plan_from_file(path, parents=layers.jinfeng_plans)
        except PlanDataError:
            return
        data = tomllib.loads(text)
    assert plan_errors(_iso(data)) == []


@pytest.mark.parametrize("name", ["student", "teacher", "award"])
def test_a_blank_id_is_blank_to_the_schema_and_to_the_reader_alike(name: str) -> None:
    """An id of one character is valid under the record's schema exactly when the
    reader accepts it as not blank: every character ``str.strip`` removes (the
    separators U+001C to U+001F and U+0085 among them) is refused by both."""
    schema = json_schema(name)
    pattern = schema["properties"]["id"]["anyOf"][0]["pattern"]
    blank = [chr(c) for c in range(0x3100) if not chr(c).strip()] + ["\u3000"]
    assert {"\x1c", "\x1d", "\x1e", "\x1f", "\x85", " ", "\u3000"} <= set(blank)
    for char in blank:
        assert re.search(pattern, char) is None, hex(ord(char))
    for char in ("a", "0", "金", "\ufeff", "\x00", "-"):
        assert re.search(pattern, char) is not None, hex(ord(char))
    validator = Draft202012Validator(schema)
    record = {"id": "\x1e"}
    assert any(e.path and e.path[0] == "id" for e in validator.iter_errors(record))
