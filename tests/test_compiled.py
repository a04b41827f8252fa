"""Compiled evaluation and rosters give exactly what plain rule-by-rule evaluation gives.

:meth:`Policy.aid` evaluates through a compiled schedule (outcomes tabled by what the
rules read, records read without the converter when they are plainly valid).  Here
its results are held to :func:`edupolicy.aid.evaluate_aid` over a record read by the
strict converter, on generated valid, mutated and garbage records, for Jinfeng and for
a plan with stacking groups, overrides and once-only benefits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy import InvalidRecordError, Rejected, RuleConflictError, Student
from edupolicy.aid import AidExtension, AidResult, evaluate_aid
from edupolicy.aid.compiled import StudentReader
from edupolicy.aid.records import student_key
from edupolicy.errors import InvalidDataError
from edupolicy.i18n import (
    LocaleWarning,
    Message,
    Text,
    format_day,
    format_money,
    format_percent,
)
from edupolicy.io.result_views import AID_RESULT
from edupolicy.plans import Plan
from edupolicy.rules import All, Not, Source, join_or
from edupolicy.rules import Any as AnyOf
from edupolicy.rules.table import DecisionTable, TabledEvaluator
from edupolicy.teachers import (
    ContinuousRuralYears,
    IncentiveRule,
    MeetsTitleCriteria,
    OutstandingIs,
    PostedIn,
    Programme,
    Quota,
    RuralService,
    Teacher,
    TeacherOn,
    TeacherSchedule,
    Title,
    TitleIn,
    TotalRuralYears,
    completed_years,
    evaluate_incentives,
)
from edupolicy.teachers.compiled import TeacherKeys, decided_by
from edupolicy.teachers.reading import read_teacher
from edupolicy.teachers.service import ServiceCount
from edupolicy.values import SchoolArea
from tests.planfiles import plan_text
from tests.profiles import scaled
from tests.strategies import candidate_lists, inputs, students, teachers
from tests.test_aid_engine import group, load, policy_of, rule

ON = dt.date(2019, 9, 1)
IN_2020 = dt.date(2020, 6, 1)
#: How long each stage lasts in the Jinfeng plan: records mostly within it.
YEARS = {
    stage.value: years for stage, years in edupolicy.load("jinfeng").plan_on(ON).stage_years.items()
}


def plain_aid(
    policy: edupolicy.Policy,
    data: object,
    on: dt.date,
    *,
    explain: bool = False,
    locale: str | None = None,
) -> AidResult:
    """The aid of ``data`` the plain way: the strict converter, then every rule walked."""
    plan = policy.plan_on(on)
    student = (
        data
        if isinstance(data, Student)
        else edupolicy.structure(data, Student, statuses=plan.household_statuses, locale=locale)
    )
    plan.check_student(student, locale=locale)
    return evaluate_aid(
        plan.aid,
        student,
        region=policy.region,
        plan=plan.id,
        on=on,
        explain=explain,
        locale=locale,
        sections=plan.sections,
        readings=policy.readings_of(plan),
    )


def assert_same(policy: edupolicy.Policy, data: object, on: dt.date, explain: bool) -> None:
    """``policy.aid`` and the plain evaluation agree: the same result, or both reject."""
    try:
        expected = plain_aid(policy, data, on, explain=explain)
    except InvalidRecordError:
        with pytest.raises(InvalidRecordError):
            policy.aid(data, on, explain=explain)  # type: ignore[arg-type]
        return
    except RuleConflictError as exc:
        expected_text = str(exc)
        with pytest.raises(RuleConflictError) as caught:
            policy.aid(data, on, explain=explain)  # type: ignore[arg-type]
        assert str(caught.value) == expected_text
        return
    got = policy.aid(data, on, explain=explain)  # type: ignore[arg-type]
    assert got == expected
    for locale in ("zh_CN", "en"):
        # Twice: the second time from what the first kept on the shared outcome.
        for _ in range(2):
            assert got.to_json(locale) == AID_RESULT.write(expected, locale)


@pytest.fixture(scope="module")
def fresh_jinfeng() -> edupolicy.Policy:
    """A Jinfeng policy of this module's own, so that its tables start empty."""
    return attrs.evolve(edupolicy.load("jinfeng"))


@settings(max_examples=scaled(400), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=inputs(students(YEARS)))
def test_jinfeng_compiled_equals_plain(fresh_jinfeng: edupolicy.Policy, data: Any) -> None:
    assert_same(fresh_jinfeng, data, ON, explain=False)
    assert_same(fresh_jinfeng, data, ON, explain=True)


@settings(max_examples=scaled(300))
@given(data=inputs(students()))
def test_the_quick_reader_reads_what_the_converter_reads(data: Any) -> None:
    """The reader reads a record the converter accepts, to the same student, or leaves it."""
    read = StudentReader()(data)
    try:
        student = edupolicy.structure(data, Student)
    except InvalidRecordError:
        assert read is None
        return
    if read is not None:
        assert read == (student_key(student), student.id)


@pytest.mark.parametrize(
    "record",
    [
        {"stage": "primary", "year": 1, "school_area": "rural"},
        {"stage": "primary", "year": 2, "school_area": "urban", "household": ["dibao"], "id": "A"},
        {
            "stage": "junior_secondary",
            "year": 3,
            "school_area": "rural",
            "boarding": True,
            "orphan": False,
            "disabled": True,
            "household": ["registered_poor", "dibao"],
            "id": None,
        },
    ],
)
def test_a_plain_valid_record_is_read_without_the_converter(record: dict[str, Any]) -> None:
    assert StudentReader()(record) is not None


@pytest.mark.parametrize(
    "record",
    [
        {"stage": "primary", "year": True, "school_area": "rural"},
        {"stage": "primary", "year": 1.0, "school_area": "rural"},
        {"stage": "primary", "year": 0, "school_area": "rural"},
        {"stage": "primary", "year": 1, "school_area": "rural", "household": ["dibao", "dibao"]},
        {"stage": "primary", "year": 1, "school_area": "rural", "household": "dibao"},
        {"stage": "primary", "year": 1, "school_area": "rural", "household": [["dibao"]]},
        {"stage": "primary", "year": 1, "school_area": "rural", "id": " "},
        {"stage": "primary", "year": 1, "school_area": "rural", "id": 7},
        {"stage": "primary", "year": 1, "school_area": "rural", "boarding": 1},
        {"stage": "primary", "year": 1, "school_area": "rural", "extra": 1},
        {"stage": ["primary"], "year": 1, "school_area": "rural"},
        {"year": 1, "school_area": "rural"},
    ],
)
def test_anything_else_is_left_to_the_converter(record: dict[str, Any]) -> None:
    assert StudentReader()(record) is None


# --- a plan with stacking groups, overrides and once-only benefits ------------------------

STACKED = (
    group("grant", "one_wins")
    + group("extras", "stack")
    + rule("poor", when='{ household = ["dibao"] }', amount='"500.00"', group="grant")
    + rule(
        "orphans",
        when="{ orphan = true }",
        amount='"1000.00"',
        group="grant",
        overrides=("poor",),
    )
    + rule(
        "disabled",
        when="{ disabled = true }",
        amount='"1500.00"',
        group="grant",
        overrides=("orphans", "poor"),
    )
    + rule(
        "boarders",
        when='{ all = [{ boarding = true }, { school_area = "rural" }] }',
        amount='"625.00"',
        group="extras",
    )
    + rule("entry", when="{ year = { max = 1 } }", amount='"300.00"', frequency="once")
    + rule(
        "entry-extra",
        when='{ all = [{ year = { max = 1 } }, { not = { stage = ["preschool"] } }] }',
        amount='"120.50"',
        frequency="once",
        group="extras",
    )
    + rule(
        "fees",
        when='{ any = [{ household = ["registered_poor"] }, { orphan = true }] }',
        benefit='{ kind = "waiver", waives = ["tuition", "boarding"] }',
    )
    # Two rules of one group that neither overrides: a conflict whenever both apply.
    + group("clash", "one_wins")
    + rule("left", when="{ all = [{ orphan = true }, { disabled = true }] }", group="clash")
    + rule(
        "right",
        when='{ all = [{ orphan = true }, { household = ["migrant_worker"] }] }',
        group="clash",
    )
)


@pytest.fixture(scope="module")
def stacked(tmp_path_factory: pytest.TempPathFactory) -> edupolicy.Policy:
    return policy_of(load(tmp_path_factory.mktemp("stacked"), plan_text(STACKED)))


@settings(max_examples=scaled(400), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=inputs(students()))
def test_stacked_compiled_equals_plain(stacked: edupolicy.Policy, data: Any) -> None:
    assert_same(stacked, data, IN_2020, explain=False)
    assert_same(stacked, data, IN_2020, explain=True)


def test_the_stacked_plan_gives_what_its_rules_say(stacked: edupolicy.Policy) -> None:
    """The plan above, by hand: an override, a stack, a once-only amount and waivers."""
    result = stacked.aid(
        {
            "stage": "primary",
            "year": 1,
            "school_area": "rural",
            "boarding": True,
            "household": ["dibao", "registered_poor"],
            "orphan": True,
        },
        IN_2020,
    )
    assert [item.rule_id for item in result.items] == [
        "orphans",
        "boarders",
        "entry",
        "entry-extra",
        "fees",
    ]
    assert str(result.cash_total) == "2045.50"
    assert result.waivers == ("boarding", "tuition")


def test_a_conflict_is_raised_for_every_student_it_concerns(stacked: edupolicy.Policy) -> None:
    """A conflict is not kept as an outcome: the second student with it gets it too."""
    record = {
        "stage": "primary",
        "year": 2,
        "school_area": "urban",
        "orphan": True,
        "disabled": True,
        "household": ["migrant_worker"],
    }
    for _ in range(2):
        with pytest.raises(RuleConflictError, match="left"):
            stacked.aid(record, IN_2020)


def test_a_year_beyond_the_stage_is_rejected_every_time(stacked: edupolicy.Policy) -> None:
    record = {"stage": "primary", "year": 7, "school_area": "urban"}
    for locale, words in (("en", "lasts 6 years"), ("zh_CN", "6")):
        with pytest.raises(InvalidRecordError, match=words) as caught:
            stacked.aid(record, IN_2020, locale=locale)
        assert [p.path for p in caught.value.problems] == ["$.year"]


def test_changing_a_result_json_does_not_change_the_next(jinfeng: edupolicy.Policy) -> None:
    """Items are shared by students with one outcome; their JSON is each caller's own."""
    record = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
    first = jinfeng.aid(record, ON, explain=True).to_json("zh_CN")
    expected = jinfeng.aid(record, ON, explain=True).to_json("zh_CN")
    first["items"][0]["source"]["quote"] = "changed"
    first["items"][0]["name"] = "changed"
    first["not_applied"].clear()
    assert jinfeng.aid(record, ON, explain=True).to_json("zh_CN") == expected


@pytest.mark.parametrize("explain", [False, True])
def test_results_of_one_outcome_give_json_of_their_own(
    jinfeng: edupolicy.Policy, explain: bool
) -> None:
    """An outcome keeps its results' JSON; each result's is its own id's, date's and copy."""
    record = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
    first = jinfeng.aid({**record, "id": "A"}, ON, explain=explain)
    second = jinfeng.aid({**record, "id": "B"}, ON, explain=explain)
    later = jinfeng.aid({**record, "id": "A"}, IN_2020, explain=explain)
    assert first.outcome is second.outcome
    changed = first.to_json()
    changed["items"][0]["source"]["section"] = "changed"
    changed["waivers"].append("changed")
    changed["readings"].clear()
    assert second.to_json() == {**AID_RESULT.write(first, None), "id": "B"}
    assert first.to_json() == AID_RESULT.write(first, None)
    assert later.to_json()["on"] == "2020-06-01"
    assert list(second.to_json("zh_CN")) == list(changed)


def test_an_explained_result_is_the_plain_one_and_more(jinfeng: edupolicy.Policy) -> None:
    record = {"stage": "junior_secondary", "year": 2, "school_area": "rural", "boarding": True}
    plain = jinfeng.aid(record, ON)
    explained = jinfeng.aid(record, ON, explain=True)
    assert plain.not_applied is None
    assert explained.not_applied
    assert (plain.cash_total, plain.items) == (explained.cash_total, explained.items)


def test_the_id_of_each_student_is_its_own(jinfeng: edupolicy.Policy) -> None:
    """Students with one outcome share it, not their ids."""
    base = {"stage": "primary", "year": 3, "school_area": "rural"}
    assert [jinfeng.aid({**base, "id": name}, ON).student_id for name in "ABC"] == list("ABC")
    assert jinfeng.aid(base, ON).student_id is None


# --- the table ---------------------------------------------------------------------------


def test_a_table_keeps_outcomes_up_to_its_limit() -> None:
    table: DecisionTable[int, str] = DecisionTable(limit=2)
    assert table.get(1) is None
    assert table.keep(1, "one") == "one"
    assert table.keep(2, "two") == "two"
    assert table.keep(3, "three") == "three"  # returned, but the table is full
    assert (table.get(1), table.get(2), table.get(3), len(table)) == ("one", "two", None, 2)


def test_a_tabled_evaluator_evaluates_once_per_key_and_keeps_no_error() -> None:
    evaluated: list[str] = []

    def evaluate(subject: str, locale: str | None) -> str:
        evaluated.append(subject)
        if subject.startswith("!"):
            raise ValueError(subject)
        return subject.upper()

    def build(subject: str, on: dt.date, outcome: str) -> tuple[str, dt.date, str]:
        return subject, on, outcome

    tabled = TabledEvaluator(key=len, evaluate=evaluate, build=build)
    assert tabled("ab", ON) == ("ab", ON, "AB")
    assert tabled("cd", ON) == ("cd", ON, "AB")  # the same key: the outcome kept for "ab"
    for _ in range(2):
        with pytest.raises(ValueError, match="!"):
            tabled("!", ON)
    plain: TabledEvaluator[str, int, str, tuple[str, dt.date, str]]
    plain = TabledEvaluator(key=None, evaluate=evaluate, build=build)
    assert plain("cd", ON) == ("cd", ON, "CD")
    assert evaluated == ["ab", "!", "!", "cd"]


def test_students_alike_share_one_outcome_object(fresh_jinfeng: edupolicy.Policy) -> None:
    """What the command line makes once per outcome relies on it."""
    base = {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
    first, second = (fresh_jinfeng.aid({**base, "id": name}, ON) for name in "AB")
    assert first.outcome is second.outcome
    assert (first.student_id, second.student_id) == ("A", "B")
    assert fresh_jinfeng.aid(base, ON, explain=True).outcome is not first.outcome


def test_a_full_table_still_gives_right_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound nothing more is kept, and every result is still computed right."""
    monkeypatch.setattr("edupolicy.rules.table._LIMIT", 3)
    policy = attrs.evolve(edupolicy.load("jinfeng"))
    records = [
        {"stage": "primary", "year": year, "school_area": area}
        for year in range(1, 7)
        for area in ("rural", "urban")
    ]
    for record in records:
        assert policy.aid(record, ON) == plain_aid(policy, record, ON)


# --- rosters -----------------------------------------------------------------------------


def test_a_roster_gives_a_result_or_a_rejection_for_every_record(
    jinfeng: edupolicy.Policy,
) -> None:
    roster: list[object] = [
        {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]},
        {"stage": "primary", "year": "three", "school_area": "rural"},
        "not a record",
        {"stage": "primary", "year": 9, "school_area": "rural"},
        {"stage": "junior_secondary", "year": 1, "school_area": "urban", "id": "S5"},
    ]
    out = list(jinfeng.aid_each(roster, ON, locale="en"))  # type: ignore[arg-type]
    assert len(out) == len(roster)
    rejected = [entry for entry in out if isinstance(entry, Rejected)]
    assert [entry.row for entry in rejected] == [1, 2, 3]
    assert [p.path for p in rejected[0].problems] == ["$.year"]
    assert rejected[0].record is roster[1]
    assert rejected[2].to_json("en")["problems"][0]["path"] == "$.year"
    good = [entry for entry in out if isinstance(entry, AidResult)]
    assert [result.student_id for result in good] == [None, "S5"]
    assert good[0] == jinfeng.aid(roster[0], ON)  # type: ignore[arg-type]


def test_a_roster_is_read_lazily(jinfeng: edupolicy.Policy) -> None:
    """One record is read per result: an endless roster can be evaluated a piece at a time."""
    read = 0

    def endless() -> Iterator[Mapping[str, Any]]:
        nonlocal read
        while True:
            read += 1
            yield {"stage": "primary", "year": 1 + read % 6, "school_area": "rural"}

    results = jinfeng.aid_each(endless(), ON)
    first = [next(results) for _ in range(5)]
    assert read == 5
    assert all(isinstance(result, AidResult) for result in first)


def test_a_bad_date_is_raised_before_any_record_is_read(jinfeng: edupolicy.Policy) -> None:
    read = False

    def roster() -> Iterator[dict[str, Any]]:
        nonlocal read
        read = True
        yield {"stage": "primary", "year": 1, "school_area": "rural"}

    with pytest.raises(edupolicy.OutOfPeriodError):
        jinfeng.aid_each(roster(), dt.date(2030, 1, 1))
    with pytest.raises(InvalidRecordError, match="on"):
        jinfeng.aid_each(roster(), "yesterday")
    assert not read


@pytest.mark.parametrize("roster", ["text", {"stage": "primary"}, 7, None])
def test_a_roster_that_is_not_a_list_is_refused(jinfeng: edupolicy.Policy, roster: Any) -> None:
    with pytest.raises(InvalidRecordError, match="must be a list of records"):
        jinfeng.aid_each(roster, ON)


@settings(max_examples=scaled(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(roster=st.lists(inputs(students(YEARS)), max_size=12))
def test_a_roster_equals_its_records_one_by_one(
    fresh_jinfeng: edupolicy.Policy, roster: list[Any]
) -> None:
    out = list(fresh_jinfeng.aid_each(roster, ON))
    assert len(out) == len(roster)
    for row, (data, entry) in enumerate(zip(roster, out, strict=True)):
        if isinstance(entry, Rejected):
            assert entry.row == row
            with pytest.raises(type(entry.error)):
                fresh_jinfeng.aid(data, ON)
        else:
            assert entry == plain_aid(fresh_jinfeng, data, ON)


def test_a_teacher_roster_gives_a_result_or_a_rejection(jinfeng: edupolicy.Policy) -> None:
    teacher = {
        "id": "T1",
        "title": "senior",  # a title of the vocabulary
        "service": [{"school_area": "rural", "start": "2000-09-01", "end": None}],
    }
    out = list(jinfeng.teacher_each([teacher, {"id": "T2"}], ON))
    assert isinstance(out[0], edupolicy.TeacherResult)
    assert out[0] == jinfeng.teacher(teacher, ON)
    assert isinstance(out[1], Rejected)
    assert out[1].row == 1
    assert out[1].problems


# --- teachers ----------------------------------------------------------------------------


@settings(max_examples=scaled(300))
@given(data=inputs(teachers()))
def test_the_quick_teacher_reader_reads_what_the_converter_reads(data: Any) -> None:
    read = read_teacher(data)
    try:
        teacher = edupolicy.structure(data, Teacher)
    except InvalidRecordError:
        assert read is None
        return
    assert read is None or read == teacher


@pytest.mark.parametrize(
    "change",
    [
        {"title": "professor"},
        {"outstanding": 1},
        {"id": ""},
        {"service": [{"school_area": "rural", "start": "2001-02-30"}]},
        {"service": [{"school_area": "rural", "start": "2001-01-01", "end": "2000-01-01"}]},
        {
            "service": [
                {"school_area": "rural", "start": "2001-01-01", "end": "2005-01-01"},
                {"school_area": "urban", "start": "2004-01-01"},
            ]
        },
        {"service": [{"school_area": "rural", "start": "2001-01-01", "days": 3}]},
        {"service": {"school_area": "rural", "start": "2001-01-01"}},
        {"extra": True},
    ],
)
def test_a_teacher_not_plainly_valid_is_left_to_the_converter(change: dict[str, Any]) -> None:
    record = {"title": "junior", "service": [{"school_area": "rural", "start": "2001-09-01"}]}
    assert read_teacher(record) is not None
    assert read_teacher({**record, **change}) is None


@settings(max_examples=scaled(40), deadline=None)
@given(candidates=candidate_lists())
def test_a_selection_from_records_equals_one_from_teachers(candidates: list[Any]) -> None:
    """The quick reader changes nothing in a selection: the same ranks, the same reasons."""
    policy = edupolicy.load("jinfeng")
    objects = [edupolicy.structure(c, Teacher) for c in candidates]
    from_records = policy.select("sanatorium", candidates, year=2019).to_json("zh_CN")
    assert from_records == policy.select("sanatorium", objects, year=2019).to_json("zh_CN")


@settings(max_examples=scaled(300), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=inputs(teachers()),
    on=st.dates(min_value=dt.date(2018, 9, 1), max_value=dt.date(2020, 12, 31)),
    explain=st.booleans(),
)
def test_teacher_compiled_equals_plain(
    fresh_jinfeng: edupolicy.Policy, data: Any, on: dt.date, explain: bool
) -> None:
    """Tabled by what the rules read, a teacher's incentives are what plain evaluation gives."""
    try:
        teacher = edupolicy.structure(data, Teacher)
    except InvalidRecordError:
        with pytest.raises(InvalidRecordError):
            fresh_jinfeng.teacher(data, on, explain=explain)
        return
    plan = fresh_jinfeng.plan_on(on)
    assert plan.teachers is not None
    expected = evaluate_incentives(
        plan.teachers,
        teacher,
        region=fresh_jinfeng.region,
        plan=plan.id,
        on=on,
        explain=explain,
        sections=plan.sections,
        readings=fresh_jinfeng.readings_of(plan),
    )
    got = fresh_jinfeng.teacher(data, on, explain=explain)
    assert got == expected
    assert got.to_json("zh_CN") == expected.to_json("zh_CN")


def test_teachers_alike_in_all_but_continuous_service_are_told_apart() -> None:
    """Two outstanding junior rural teachers with 19 years of rural service in all, one of
    them 19 years without a break and the other 14: only the first may be evaluated for an
    intermediate title outside the quota (15 continuous years), and the table must not
    give one the other's outcome."""
    policy = attrs.evolve(edupolicy.load("jinfeng"))
    flags = {"title": "junior", "meets_title_criteria": True, "outstanding": True}
    unbroken = {**flags, "service": [{"school_area": "rural", "start": "2000-09-01"}]}
    broken = {
        **flags,
        "service": [
            {"school_area": "rural", "start": "1995-09-01", "end": "2000-08-31"},
            {"school_area": "urban", "start": "2000-09-01", "end": "2005-08-31"},
            {"school_area": "rural", "start": "2005-09-01"},
        ],
    }
    first = policy.teacher(unbroken, ON)
    second = policy.teacher(broken, ON)
    assert first.service.total_years == second.service.total_years
    assert first.service.continuous_years != second.service.continuous_years
    assert "intermediate-title-outside-quota" in [i.rule_id for i in first.items]
    assert "intermediate-title-outside-quota" not in [i.rule_id for i in second.items]
    # Explained evaluation is never tabled: it is the plain rule-by-rule answer.
    plain = policy.teacher(broken, ON, explain=True)
    assert [i.rule_id for i in second.items] == [i.rule_id for i in plain.items]


# --- what the caches must not change ------------------------------------------------------


@attrs.frozen
class IdPrefix(AidExtension):
    """A plugin condition that reads what no core condition reads: the record's id."""

    key: ClassVar[str] = "id_prefix"

    prefix: str

    @classmethod
    def from_value(cls, value: object, /) -> IdPrefix:
        return cls(str(value))

    def to_value(self) -> Any:
        return self.prefix

    def holds(self, student: Student, /) -> bool:
        return (student.id or "").startswith(self.prefix)

    def describe(self) -> Message:
        return Message("id starts with {prefix}", (("prefix", self.prefix),))

    def why_not(self, student: Student, /) -> Message | None:
        return None if self.holds(student) else self.describe()


def test_a_schedule_with_a_plugin_condition_is_evaluated_student_by_student(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A plugin's condition may read anything, the id included: no outcome is shared."""
    text = plan_text(rule("pilot", when='{ id_prefix = "P" }', amount='"100.00"'))
    path = tmp_path_factory.mktemp("prefix") / "plan.toml"
    path.write_text(text, encoding="utf-8")
    policy = policy_of(edupolicy.load_plan(path, conditions=[IdPrefix]))
    base = {"stage": "primary", "year": 1, "school_area": "rural"}
    totals = [str(policy.aid({**base, "id": name}, IN_2020).cash_total) for name in ("P1", "Q1")]
    assert totals == ["100.00", "0.00"]
    student = edupolicy.structure({**base, "id": "P2"}, Student)
    assert str(policy.aid(student, IN_2020).cash_total) == "100.00"


def test_an_odd_locale_falls_back_to_english_with_a_warning_every_time(
    jinfeng: edupolicy.Policy,
) -> None:
    result = jinfeng.aid({"stage": "primary", "year": 3, "school_area": "rural"}, ON)
    english = result.to_json("en")
    for odd in ("fr", ["en"], 7):
        with pytest.warns(LocaleWarning):
            assert result.to_json(odd) == english  # type: ignore[arg-type]


def test_the_formatters_keep_their_signatures_and_their_warnings() -> None:
    assert format_money(amount=Decimal("1000.00"), locale="zh_CN") == "¥1,000.00"
    assert format_day(day=dt.date(2018, 8, 30), locale="en") == "August 30, 2018"
    format_money(Decimal("1.00"), "en")
    with pytest.warns(LocaleWarning):
        assert format_money(Decimal("1.00"), "fr") == format_money(Decimal("1.00"), "en")
    # 98.7 and 98.70 are equal numbers, shown with the decimals each states.
    assert format_percent(Decimal("98.7")) == "98.7%"
    assert format_percent(Decimal("98.70")) == "98.70%"


# --- teachers' quick paths against the plain ones -----------------------------------------


def plain_service(
    teacher: Teacher, on: dt.date, max_gap_days: int, total_gap_days: int | None = None
) -> RuralService:
    """A teacher's rural service the plain way, as the module's documentation defines it:
    rural postings in order merged into runs (a gap of up to the allowed days keeps a run,
    an urban posting breaks it), the run covering ``on``, and the days of the runs before
    ``on``."""
    postings = sorted(teacher.service, key=lambda p: (p.start, p.end or dt.date.max))

    def runs(gap: int) -> list[list[dt.date | None]]:
        found: list[list[dt.date | None]] = []
        last: list[dt.date | None] | None = None
        for posting in postings:
            if posting.school_area is not SchoolArea.RURAL:
                last = None
                continue
            end = last[1] if last is not None else None
            if last is not None and end is not None and (posting.start - end).days <= gap + 1:
                last[1] = posting.end
            else:
                last = [posting.start, posting.end]
                found.append(last)
        return found

    def counted(gap: int) -> tuple[dt.date | None, int]:
        current: dt.date | None = None
        days = 0
        for start, end in runs(gap):
            assert start is not None
            if start > on:
                continue
            if current is None and (end is None or on <= end):
                current = start
            last = on if end is None else min(end + dt.timedelta(days=1), on)
            days += max((last - start).days, 0)
        return current, days

    current, total = counted(max_gap_days)
    if total_gap_days is not None:
        _current, total = counted(total_gap_days)
    posting = teacher.posting_on(on)
    area = posting.school_area if posting is not None else None
    if area is None and current is not None:
        area = SchoolArea.RURAL
    return RuralService(
        on=on,
        current_area=area,
        continuous_since=current,
        continuous_years=completed_years(current, on) if current is not None else 0,
        total_days=total,
        total_years=completed_years(on - dt.timedelta(days=total), on) if total else 0,
    )


@settings(max_examples=scaled(300))
@given(
    records=st.lists(teachers(), min_size=1, max_size=6),
    on=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    max_gap=st.sampled_from([0, 1, 30, 92, 365]),
    total_gap=st.sampled_from([None, 0, 30, 92]),
)
def test_rural_service_in_one_pass_is_the_plain_count(
    records: list[Any], on: dt.date, max_gap: int, total_gap: int | None
) -> None:
    """Worked out in one pass, with what the day and the rule give kept across teachers,
    rural service is what merging the postings into runs gives."""
    count = ServiceCount(on, max_gap_days=max_gap, total_gap_days=total_gap)
    for record in records:
        teacher = edupolicy.structure(record, Teacher)
        expected = plain_service(teacher, on, max_gap, total_gap)
        spans = [(p.start, p.end, p.school_area) for p in teacher.service]
        assert count.service(spans) == expected
        assert teacher.rural_service(on, max_gap_days=max_gap, total_gap_days=total_gap) == (
            expected
        )


def sanatorium(policy: edupolicy.Policy, year: int) -> tuple[Plan, TeacherSchedule, Quota]:
    """The plan in force on the sanatorium's counting day of ``year``, its teacher rules
    and the sanatorium's quota."""
    plan = next(p for p in policy.plans if dt.date(year, 12, 31) in p.in_force)
    assert plan.teachers is not None
    return plan, plan.teachers, plan.teachers.quota("sanatorium")


def plain_selection(
    policy: edupolicy.Policy, candidates: list[Any], year: int
) -> list[tuple[Teacher, RuralService, bool, int | None, bool]]:
    """A cohort the plain way: each candidate read by the converter, its service counted
    plainly, every rule walked for every candidate, the eligible sorted by the ranking."""
    _plan, schedule, quota = sanatorium(policy, year)
    on = quota.on(year)
    rules = schedule.programme_rules("sanatorium")
    continuity = schedule.continuity
    rows = []
    for data in candidates:
        teacher = edupolicy.structure(data, Teacher)
        service = plain_service(teacher, on, continuity.max_gap_days, continuity.total_gap_days)
        ok = any(rule.when.holds(TeacherOn(teacher=teacher, service=service)) for rule in rules)
        rows.append((teacher, service, ok))
    eligible = sorted((r for r in rows if r[2]), key=lambda r: quota.sort_key(r[0], r[1]))
    others = sorted((r for r in rows if not r[2]), key=lambda r: r[0].id or "")
    return [
        (t, s, True, rank, rank <= quota.per_year) for rank, (t, s, _ok) in enumerate(eligible, 1)
    ] + [(t, s, False, None, False) for t, s, _ok in others]


def plain_list_problems(candidates: list[Any]) -> list[tuple[str, str]]:
    """What is wrong with a candidate list, the plain way: each record read by the
    converter, its problems' paths put under its index."""
    problems: list[tuple[str, str]] = []
    for index, data in enumerate(candidates):
        try:
            edupolicy.structure(data, Teacher)
        except InvalidDataError as exc:
            problems.extend(
                (f"$[{index}]{p.path[1:]}", p.message.render("en")) for p in exc.problems
            )
    return problems


@settings(max_examples=scaled(120), deadline=None)
@given(
    candidates=st.one_of(
        candidate_lists(first=dt.date(1975, 1, 1)),
        st.lists(inputs(teachers(with_id=True)), max_size=6),
    ),
    year=st.sampled_from([2018, 2019, 2020]),
)
def test_a_selection_is_what_plain_evaluation_chooses(candidates: list[Any], year: int) -> None:
    """Candidates read quickly, each one's eligibility decided by its title and flags or
    tabled by what the rules read, teachers and services made when asked for: the same
    candidates in the same order, with the same teachers, services, ranks and reasons as
    reading each with the converter and walking every rule for each; a list with bad
    records gives the converter's problems, each under its index."""
    jinfeng = edupolicy.load("jinfeng")
    problems = plain_list_problems(candidates)
    if problems:
        with pytest.raises(InvalidRecordError) as caught:
            jinfeng.select("sanatorium", candidates, year=year)
        assert [(p.path, p.message.render("en")) for p in caught.value.problems] == problems
        return
    ids = [c.get("id") for c in candidates]
    if None in ids or len(set(ids)) < len(ids):
        with pytest.raises(InvalidRecordError):
            jinfeng.select("sanatorium", candidates, year=year)
        return
    expected = plain_selection(jinfeng, candidates, year)
    got = jinfeng.select("sanatorium", candidates, year=year)
    assert [(c.teacher, c.service, c.eligible, c.rank, c.selected) for c in got.candidates] == (
        expected
    )
    objects = jinfeng.select(
        "sanatorium", [edupolicy.structure(c, Teacher) for c in candidates], year=year
    )
    assert got == objects
    assert got.to_json("zh_CN") == objects.to_json("zh_CN")
    for candidate, (teacher, service, eligible, _rank, _selected) in zip(
        got.candidates, expected, strict=True
    ):
        if not eligible:
            reason = not_eligible_reason(jinfeng, year, teacher, service)
            for locale in ("zh_CN", "en"):
                assert candidate.reason.render(locale) == reason.render(locale)


def not_eligible_reason(
    policy: edupolicy.Policy, year: int, teacher: Teacher, service: RuralService
) -> Message:
    """Why a candidate is not eligible, the plain way: each rule's reason, or'ed."""
    _plan, schedule, _quota = sanatorium(policy, year)
    rules = schedule.programme_rules("sanatorium")
    subject = TeacherOn(teacher=teacher, service=service)
    reasons = [m for m in (rule.when.why_not(subject) for rule in rules) if m is not None]
    return Message(
        "not eligible: {reason}",
        (("reason", join_or(reasons) if reasons else Message("its condition does not hold")),),
    )


_LEAVES: st.SearchStrategy[Any] = st.one_of(
    st.frozensets(st.sampled_from(list(Title)), min_size=1).map(TitleIn),
    st.booleans().map(MeetsTitleCriteria),
    st.booleans().map(OutstandingIs),
    st.sampled_from(list(SchoolArea)).map(PostedIn),
    st.integers(min_value=1, max_value=30).map(ContinuousRuralYears),
    st.integers(min_value=1, max_value=30).map(TotalRuralYears),
)
CONDITIONS: st.SearchStrategy[Any] = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: All(tuple(parts))),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: AnyOf(tuple(parts))),
        inner.map(Not),
    ),
    max_leaves=6,
)


@settings(max_examples=scaled(300))
@given(
    conditions=st.lists(CONDITIONS, min_size=1, max_size=3),
    title=st.sampled_from(list(Title)),
    meets=st.booleans(),
    outstanding=st.booleans(),
    area=st.sampled_from([None, *SchoolArea]),
    continuous=st.integers(min_value=0, max_value=35),
    total=st.integers(min_value=0, max_value=35),
    data=st.data(),
)
def test_what_title_and_flags_decide_holds_whatever_the_service(
    conditions: list[Any],
    title: Title,
    meets: bool,
    outstanding: bool,
    area: SchoolArea | None,
    continuous: int,
    total: int,
    data: st.DataObject,
) -> None:
    """When a teacher's title and flags decide a programme's rules, any service gives that
    answer; and teachers of the same key (the members the rules read, the years as the
    classes between their bounds) are alike to them."""
    rules = [
        IncentiveRule(
            id=f"r{index}",
            name=Text(zh_CN="规则", en="rule"),
            when=condition,
            source=Source(section="一", quote="规则"),
            outcome=Programme(programme="p", description=Text(zh_CN="项目", en="programme")),
        )
        for index, condition in enumerate(conditions)
    ]
    teacher = Teacher(
        service=(), title=title, meets_title_criteria=meets, outstanding=outstanding, id="T1"
    )
    service = RuralService(
        on=ON,
        current_area=area,
        continuous_since=ON if continuous else None,
        continuous_years=min(continuous, total),
        total_days=total * 366,
        total_years=total,
    )
    holds = any(rule.when.holds(TeacherOn(teacher=teacher, service=service)) for rule in rules)
    decided = decided_by(rules, title, meets, outstanding, ON)
    assert decided is None or decided is holds
    keys = TeacherKeys(rules)
    assert keys.tabled
    mine = (title, meets, outstanding, area, service.continuous_years, total)
    # A teacher of the same key (each member kept, or drawn anew) gets the same answer.
    choices = (
        st.sampled_from(list(Title)),
        st.booleans(),
        st.booleans(),
        st.sampled_from([None, *SchoolArea]),
        st.integers(min_value=0, max_value=35),
        st.integers(min_value=0, max_value=35),
    )
    other: Any = tuple(
        value if data.draw(st.booleans()) else data.draw(choice)
        for value, choice in zip(mine, choices, strict=True)
    )
    if keys.key(*other) != keys.key(*mine):
        return
    other_teacher = Teacher(
        service=(),
        title=other[0],
        meets_title_criteria=other[1],
        outstanding=other[2],
        id="T2",
    )
    other_service = attrs.evolve(
        service,
        current_area=other[3],
        continuous_years=other[4],
        total_years=other[5],
    )
    assert holds is any(
        rule.when.holds(TeacherOn(teacher=other_teacher, service=other_service)) for rule in rules
    )
