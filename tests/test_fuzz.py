"""Every bad input gets a clean error: each public entry point, fuzzed.

For any input, a call returns, or raises an :class:`edupolicy.EdupolicyError` that
renders in English and in Chinese; an :class:`edupolicy.InvalidDataError` lists its
problems, each of which renders and names where it is (a JSON path from ``$``, or the
argument).  No other exception ever escapes.  A result renders as JSON too.

The inputs come from :mod:`tests.strategies`; how many each test tries is set by the
Hypothesis profile (see ``tests/conftest.py``).  Each entry point is fuzzed under the
Jinfeng plan, as a host uses it, and most also under a small plan in force on every
day a date can have, where the arithmetic of dates meets its limits.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import traceback
import warnings
from collections.abc import Callable, Collection
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

import edupolicy
import edupolicy.i18n
from edupolicy import (
    Award,
    EdupolicyError,
    InvalidDataError,
    Policy,
    SchoolArea,
    Stage,
    Student,
    Teacher,
    Title,
)
from edupolicy.goals import Observation
from edupolicy.io import unstructure
from edupolicy.teachers import AwardKind, Counting, check_list
from tests import strategies as gen
from tests.strategies import GARBAGE, ODD_VALUES, inputs, mostly

# A failing example may be too large to show in full; Hypothesis says so, and shows it.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

#: The Jinfeng plan is in force from 2018-08-30 to 2020-12-31.
JINFENG_START = dt.date(2018, 8, 30)
JINFENG_END = dt.date(2020, 12, 31)
JINFENG_STAGE_YEARS = {
    stage.value: years for stage, years in edupolicy.load("jinfeng").plans[0].stage_years.items()
}
OPEN_STAGE_YEARS = gen.BASE_PLAN["stage_years"]
ANY_DAY = (dt.date.min, dt.date.max)

LOCALES = st.sampled_from([None, "en", "zh_CN", "zh", "en_US"])
EXPLAIN = mostly(st.booleans(), ODD_VALUES)

#: What ``edupolicy.structure`` reads: records, which render as JSON without a locale.
RECORDS = (Student, Teacher, Award, edupolicy.Posting, Observation)


def check_error(error: EdupolicyError, arguments: Collection[str]) -> None:
    """What a host does with our error: show it, in both languages, problem by problem."""
    assert str(error)
    assert error.render("zh_CN")
    assert error.render("en")
    if isinstance(error, InvalidDataError):
        assert error.problems
        for problem in error.problems:
            assert problem.path.startswith("$") or problem.path in arguments, problem.path
            assert problem.render("zh_CN")
            json.dumps(problem.to_json("en"))


def not_ours(error: Exception) -> AssertionError:
    """The failure to report for an exception that is not ours: its type and where it was
    raised, and nothing of the exception itself, which may hold a value that cannot be
    shown (a pytest report that tried would fail)."""
    where = "".join(traceback.format_tb(error.__traceback__))
    return AssertionError(f"{type(error).__name__}, not an edupolicy error, raised at:\n{where}")


def outcome(call: Callable[[], Any], *arguments: str) -> Any:
    """The result of ``call``, rendered as JSON in Chinese; ``None`` when it raised our error.

    ``arguments`` are the names of the arguments a problem may name instead of a path.
    """
    try:
        result = call()
    except EdupolicyError as error:
        check_error(error, arguments)
        event("raised", type(error).__name__)
        return None
    except Exception as error:
        raise not_ours(error) from None
    event("returned", type(result).__name__)
    if isinstance(result, tuple):
        rendered: Any = [line.to_json("zh_CN") for line in result]
    elif isinstance(result, RECORDS):
        rendered = unstructure(result)
    elif hasattr(result, "to_json"):
        rendered = result.to_json("zh_CN")
    else:
        rendered = str(result)
    json.dumps(rendered, ensure_ascii=False)
    return result


@pytest.fixture(scope="module")
def open_ended(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    """A small plan of every kind of rule, in force from 0001-01-01 with no end."""
    plan = {
        **gen.BASE_PLAN,
        "in_force": {"start": dt.date.min},
        "document": {**gen.BASE_PLAN["document"], "signed": dt.date.min, "published": None},
    }
    path = tmp_path_factory.mktemp("open") / "plan.toml"
    path.write_text(gen.toml_text(plan), encoding="utf-8")
    return Policy(
        region="open", distribution="tests", version="0", plans=(edupolicy.load_plan(path),)
    )


def made(type_: type[Any], value: Any) -> Any:
    """``value``, or the record made in Python from it when it holds keyword arguments."""
    if isinstance(value, gen.Arguments):
        return type_(**value.arguments)
    return value


def students(stage_years: dict[str, int]) -> st.SearchStrategy[Any]:
    """Student records as JSON, valid, mutated or garbage, or made in Python."""
    valid = gen.students(stage_years)
    return st.one_of(inputs(valid), gen.record_arguments(Student, valid))


def teachers(first: dt.date = gen.FIRST, last: dt.date = gen.LAST) -> st.SearchStrategy[Any]:
    valid = gen.teachers(first=first, last=last)
    return st.one_of(inputs(valid), gen.record_arguments(Teacher, valid))


def award_lists(first: dt.date = gen.FIRST, last: dt.date = gen.LAST) -> st.SearchStrategy[Any]:
    """Award lists as JSON, some entries made in Python, and mutants and garbage."""
    valid = gen.awards(first=first, last=last)
    entry = st.one_of(valid, valid.map(lambda found: edupolicy.structure(found, Award)))
    return inputs(st.lists(entry, max_size=12))


# --- student aid ------------------------------------------------------------------------------


@given(
    student=students(JINFENG_STAGE_YEARS),
    on=gen.on_values(JINFENG_START, JINFENG_END),
    explain=EXPLAIN,
    locale=LOCALES,
)
@example(student={"stage": "primary", "year": 1, "school_area": "rural"}, on="2019-09-01",
         explain=True, locale="zh_CN")  # fmt: skip
@example(student={"stage": "primary", "year": 1, "school_area": "rural"}, on=10**5000,
         explain=False, locale=None)  # fmt: skip
@example(student=gen.Arguments({"stage": "primary", "year": 1, "school_area": "rural"}),
         on="2019-09-01", explain=False, locale=None)  # fmt: skip
def test_aid_returns_or_raises_our_error(
    jinfeng: Policy, student: Any, on: Any, explain: Any, locale: str | None
) -> None:
    outcome(
        lambda: jinfeng.aid(made(Student, student), on, explain=explain, locale=locale),
        "on",
        "explain",
    )


@given(student=students(OPEN_STAGE_YEARS), on=gen.on_values(*ANY_DAY))
def test_aid_under_an_open_ended_plan_returns_or_raises_our_error(
    open_ended: Policy, student: Any, on: Any
) -> None:
    outcome(lambda: open_ended.aid(made(Student, student), on, explain=True), "on")


# --- teachers ---------------------------------------------------------------------------------


@given(
    teacher=teachers(),
    on=gen.on_values(JINFENG_START, JINFENG_END),
    explain=EXPLAIN,
    locale=LOCALES,
)
def test_teacher_returns_or_raises_our_error(
    jinfeng: Policy, teacher: Any, on: Any, explain: Any, locale: str | None
) -> None:
    outcome(
        lambda: jinfeng.teacher(made(Teacher, teacher), on, explain=explain, locale=locale),
        "on",
        "explain",
    )


#: Spans of days in which careers and the days they are judged on fall together: the
#: first years a date can have, our times, and the last.
ERAS = st.sampled_from(
    [
        (dt.date.min, dt.date(60, 12, 31)),
        (dt.date(1950, 1, 1), dt.date(2040, 12, 31)),
        (dt.date(9940, 1, 1), dt.date.max),
    ]
)


@given(data=st.data(), era=ERAS)
@example(data=None, era=(dt.date(9990, 9, 1), dt.date(9999, 6, 1)))
def test_teacher_under_an_open_ended_plan_returns_or_raises_our_error(
    open_ended: Policy, data: st.DataObject | None, era: tuple[dt.date, dt.date]
) -> None:
    if data is None:  # a rural run that reaches 10 years only after 9999-12-31
        teacher: Any = {
            "title": "junior",
            "service": [{"school_area": "rural", "start": "9990-09-01"}],
        }
        on: Any = "9999-06-01"
    else:
        teacher = data.draw(teachers(*era), label="teacher")
        on = data.draw(gen.on_values(*era), label="on")
    outcome(lambda: open_ended.teacher(made(Teacher, teacher), on, explain=True), "on")


PROGRAMMES = mostly(st.sampled_from(["sanatorium", "trip"]), ODD_VALUES)


@given(
    programme=PROGRAMMES,
    candidates=inputs(gen.candidate_lists()),
    year=gen.year_values(2018, 2020),
    locale=LOCALES,
)
def test_select_returns_or_raises_our_error(
    jinfeng: Policy, programme: Any, candidates: Any, year: Any, locale: str | None
) -> None:
    outcome(
        lambda: jinfeng.select(programme, candidates, year=year, locale=locale),
        "year",
        "programme",
    )


@given(programme=PROGRAMMES, era=ERAS, data=st.data())
def test_select_under_an_open_ended_plan_returns_or_raises_our_error(
    open_ended: Policy, programme: Any, era: tuple[dt.date, dt.date], data: st.DataObject
) -> None:
    candidates = data.draw(inputs(gen.candidate_lists(first=era[0], last=era[1])), "candidates")
    year = data.draw(gen.year_values(era[0].year, era[1].year), "year")
    outcome(lambda: open_ended.select(programme, candidates, year=year), "year", "programme")


SHARES = mostly(st.sampled_from([None, "rural-commendation-share", "rural"]), ODD_VALUES)
SIZES = mostly(st.integers(min_value=1, max_value=12), st.integers(-2, 20) | ODD_VALUES)


@given(
    awards=award_lists(),
    on=gen.on_values(JINFENG_START, JINFENG_END),
    share=SHARES,
    locale=LOCALES,
)
def test_check_awards_returns_or_raises_our_error(
    jinfeng: Policy, awards: Any, on: Any, share: Any, locale: str | None
) -> None:
    outcome(lambda: jinfeng.check_awards(awards, on, share=share, locale=locale), "on", "share")


@given(
    pool=award_lists(),
    on=gen.on_values(JINFENG_START, JINFENG_END),
    size=SIZES,
    share=SHARES,
    locale=LOCALES,
)
@example(pool=[], on="2019-09-10", size=10**5000, share=None, locale=None)
def test_awards_needed_returns_or_raises_our_error(
    jinfeng: Policy, pool: Any, on: Any, size: Any, share: Any, locale: str | None
) -> None:
    outcome(
        lambda: jinfeng.awards_needed(pool, on, size=size, share=share, locale=locale),
        "on",
        "size",
        "share",
    )


@given(era=ERAS, data=st.data(), size=SIZES)
def test_award_lists_under_an_open_ended_plan_return_or_raise_our_error(
    open_ended: Policy, era: tuple[dt.date, dt.date], data: st.DataObject, size: Any
) -> None:
    awards = data.draw(award_lists(*era), label="awards")
    on = data.draw(gen.on_values(*era), label="on")
    outcome(lambda: open_ended.check_awards(awards, on), "on")
    outcome(lambda: open_ended.awards_needed(awards, on, size=size), "on", "size")


#: The Jinfeng share read by kind: collectives and individuals each at least 30% rural.
BY_KIND = edupolicy.Change(
    share="rural-commendation-share",
    set={"counted": "by_kind"},
    reason="Read 先进集体 and 先进个人 as two lists, each at least 30% rural",
)


@pytest.fixture(scope="module")
def jinfeng_by_kind(jinfeng: Policy) -> Policy:
    return jinfeng.with_changes([BY_KIND])


def one_kind(entries: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The entries of ``kind`` (``"collective"``, ``"individual"``; ``"any"``: all of them)."""
    if kind == "any":
        return entries
    return [entry for entry in entries if ("teacher" in entry) is (kind == "individual")]


@given(
    awards=award_lists(),
    pool=st.tuples(gen.award_lists(), st.sampled_from(["any", "collective", "individual"])),
    on=gen.on_values(JINFENG_START, JINFENG_END),
    size=SIZES,
    locale=LOCALES,
)
def test_award_lists_under_a_share_counted_by_kind_return_or_raise_our_error(
    jinfeng_by_kind: Policy,
    awards: Any,
    pool: tuple[list[dict[str, Any]], str],
    on: Any,
    size: Any,
    locale: str | None,
) -> None:
    outcome(lambda: jinfeng_by_kind.check_awards(awards, on, locale=locale), "on")
    outcome(
        lambda: jinfeng_by_kind.awards_needed(awards, on, size=size, locale=locale),
        "on",
        "size",
        "awards",
    )
    nominees = one_kind(*pool)
    outcome(
        lambda: jinfeng_by_kind.awards_needed(nominees, on, size=size, locale=locale),
        "on",
        "size",
        "awards",
    )


@given(
    awards=gen.award_lists(),
    on=gen.dates_between(gen.FIRST, gen.LAST),
    percent=st.decimals(min_value=Decimal("0.0001"), max_value=100, places=4),
)
def test_a_list_counted_by_kind_asks_at_least_what_it_asks_counted_together(
    jinfeng: Policy, awards: list[dict[str, Any]], on: dt.date, percent: Decimal
) -> None:
    """Counted by kind, a list is the sum of its kinds, and the share is no easier to meet.

    Rounding up each kind asks for at most one more rural entry than rounding up the
    whole list, and meeting the share in each kind meets it in the whole list (the
    converse does not hold: 3 rural schools and 7 urban teachers are 30% together).
    """
    teachers = jinfeng.plans[0].teachers
    assert teachers is not None
    share = attrs.evolve(teachers.share("rural-commendation-share"), min_percent=percent)
    entries = [edupolicy.structure(entry, Award) for entry in awards]
    both = check_list(share, entries, region="r", plan="p", on=on)
    split = check_list(
        attrs.evolve(share, counted=Counting.BY_KIND), entries, region="r", plan="p", on=on
    )
    kinds = split.by_kind
    assert both.by_kind is None
    assert kinds is not None
    assert [kind.kind for kind in kinds] == list(AwardKind)
    assert sum(kind.size for kind in kinds) == split.size == both.size
    assert sum(kind.rural for kind in kinds) == split.rural == both.rural
    for kind in kinds:
        entries_of_kind = [e for e in split.entries if e.award.kind is kind.kind]
        assert kind.size == len(entries_of_kind)
        assert kind.rural == sum(1 for e in entries_of_kind if e.rural)
    assert sum(kind.required for kind in kinds) == split.required
    assert both.required <= split.required <= both.required + 1
    assert sum(kind.short_by for kind in kinds) == split.short_by >= both.short_by
    assert split.meets is all(kind.meets for kind in kinds)
    assert not split.meets or both.meets
    assert split.meets is (split.short_by == 0)
    assert both.meets is (both.short_by == 0)
    if both.rural_to_add is None:
        assert split.rural_to_add is None
    elif split.rural_to_add is not None:
        assert split.rural_to_add >= both.rural_to_add
    data = split.to_json("zh_CN")
    assert data["counted"] == "by_kind"
    assert [entry["kind"] for entry in data["entries"]] == [a.kind.value for a in entries]
    json.dumps(data, ensure_ascii=False)


# --- reported figures -------------------------------------------------------------------------


@st.composite
def progress_arguments(
    draw: st.DrawFn, policy: Policy, years: tuple[int, int]
) -> tuple[Any, Any, Any]:
    """Observations in either form, with the year, the date or both to judge them on."""
    goals = policy.plans[-1].goals
    assert goals is not None
    year = st.integers(min_value=years[0], max_value=years[1])
    on = gen.dates_between(dt.date(years[0], 1, 1), dt.date(years[1], 12, 31))
    when = draw(
        mostly(
            st.one_of(st.tuples(year, st.none()), st.tuples(st.none(), on), st.tuples(year, on)),
            st.tuples(st.none() | gen.year_values(*years), st.none() | gen.on_values(*ANY_DAY)),
        )
    )
    listed = inputs(gen.observation_lists(goals, years))
    mapped = inputs(gen.observation_mappings(goals))
    objects = st.lists(gen.observation_objects(goals, years), max_size=4)
    observations = draw(st.one_of(listed, mapped, objects))
    return observations, *when


@given(arguments=progress_arguments(edupolicy.load("jinfeng"), (2018, 2020)), locale=LOCALES)
@example(arguments=([{"indicator": "primary-retention", "value": "9", "year": 10**6}], 2019,
                    None), locale=None)  # fmt: skip
@example(arguments=({"primary-retention": "98\n"}, 2019, None), locale=None)
def test_progress_returns_or_raises_our_error(
    jinfeng: Policy, arguments: tuple[Any, Any, Any], locale: str | None
) -> None:
    observations, year, on = arguments
    outcome(lambda: jinfeng.progress(observations, year=year, on=on, locale=locale), "year", "on")


@given(data=st.data())
def test_progress_under_an_open_ended_plan_returns_or_raises_our_error(
    open_ended: Policy, data: st.DataObject
) -> None:
    first = data.draw(st.integers(min_value=1, max_value=9999), label="year")
    observations, year, on = data.draw(progress_arguments(open_ended, (first, first)))
    outcome(lambda: open_ended.progress(observations, year=year, on=on), "year", "on")


# --- records read on their own ------------------------------------------------------------


def read(data: Any, type_: type[Any], locale: str | None) -> None:
    found = outcome(lambda: edupolicy.structure(data, type_, locale=locale))
    assert found is None or isinstance(found, type_)


@given(data=inputs(gen.students()), locale=LOCALES)
def test_structure_of_a_student_returns_one_or_raises_our_error(
    data: Any, locale: str | None
) -> None:
    read(data, Student, locale)


@given(data=inputs(gen.teachers()), locale=LOCALES)
def test_structure_of_a_teacher_returns_one_or_raises_our_error(
    data: Any, locale: str | None
) -> None:
    read(data, Teacher, locale)


@given(data=inputs(gen.awards()), locale=LOCALES)
def test_structure_of_an_award_returns_one_or_raises_our_error(
    data: Any, locale: str | None
) -> None:
    read(data, Award, locale)


@given(data=inputs(gen.postings(min_size=1).map(lambda found: found[0])), locale=LOCALES)
def test_structure_of_a_posting_returns_one_or_raises_our_error(
    data: Any, locale: str | None
) -> None:
    read(data, edupolicy.Posting, locale)


@given(data=inputs(gen.observations()), locale=LOCALES)
def test_structure_of_an_observation_returns_one_or_raises_our_error(
    data: Any, locale: str | None
) -> None:
    read(data, Observation, locale)


@pytest.mark.parametrize(
    ("type_", "valid"),
    [
        (Student, gen.students()),
        (Teacher, gen.teachers()),
        (Award, gen.awards()),
        (edupolicy.Posting, gen.postings(min_size=1).map(lambda found: found[0])),
    ],
    ids=["Student", "Teacher", "Award", "Posting"],
)
@given(data=st.data())
def test_a_record_made_in_python_is_checked_as_strictly_as_its_json(
    type_: type[Any], valid: st.SearchStrategy[dict[str, Any]], data: st.DataObject
) -> None:
    arguments = data.draw(gen.record_arguments(type_, valid), label="arguments")

    found = outcome(lambda: made(type_, arguments))

    if found is not None:
        # What was made is what its JSON reads back as.
        assert edupolicy.structure(unstructure(found), type_) == found
    assert (found is not None) or not arguments.valid


# --- plan files -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("plans")


@given(content=gen.plan_files(), locale=LOCALES)
@example(content=gen.toml_text(gen.BASE_PLAN).encode("gbk"), locale=None)
@example(content=b"x = " + b"[" * 5000 + b"]" * 5000, locale=None)
@example(content=b"x = 1" + b"0" * 5000, locale="zh_CN")
def test_load_plan_returns_a_plan_or_raises_our_error(
    plan_folder: Path, content: bytes, locale: str | None
) -> None:
    path = plan_folder / "plan.toml"
    path.write_bytes(content)
    plan = outcome(lambda: edupolicy.load_plan(path, locale=locale))
    if plan is not None:
        # A plan that loads can be audited and used.
        policy = Policy(region="fuzz", distribution="tests", version="0", plans=(plan,))
        outcome(policy.check)
        day = plan.in_force.start
        student = {"stage": "primary", "year": 1, "school_area": "rural", "household": ["dibao"]}
        outcome(lambda: policy.aid(student, day, explain=True))
        if plan.teachers is not None:
            teacher = {
                "title": "junior",
                "service": [{"school_area": "rural", "start": "1990-09-01"}],
            }
            outcome(lambda: policy.teacher(teacher, day, explain=True))
            outcome(lambda: policy.check_awards([{"teacher": teacher}], day))
            for quota in plan.teachers.quotas:
                outcome(partial(policy.select, quota.id, [{"id": "T1", **teacher}], year=day.year))
        if plan.goals is not None:
            outcome(lambda: policy.progress({"retention": "93.5"}, year=day.year), "year")


def test_the_fuzzed_plan_loads_as_written(tmp_path: Path) -> None:
    # The mutants are only as good as the plan they start from.
    path = tmp_path / "plan.toml"
    path.write_text(gen.toml_text(gen.BASE_PLAN), encoding="utf-8")

    plan = edupolicy.load_plan(path)

    assert plan.id == "fuzz-plan"
    assert plan.teachers is not None
    assert plan.goals is not None
    assert [rule.id for rule in plan.aid.rules][:2] == ["hardship-grant", "orphan-grant"]


# --- money and regions ------------------------------------------------------------------------


@given(value=st.one_of(st.integers(), st.text(), gen.ODD_DECIMALS, ODD_VALUES, GARBAGE))
@example(value=Decimal("1e999999999"))
@example(value=10**5000)
@example(value=gen.Hostile())
def test_money_returns_an_amount_or_raises_our_error(value: Any) -> None:
    amount = outcome(lambda: edupolicy.money(value))
    if amount is not None:
        assert amount == amount.quantize(Decimal("0.01"))


@given(region=st.one_of(gen.ODD_TEXT, ODD_VALUES).filter(lambda r: r != "jinfeng"))
def test_load_of_an_unknown_region_raises_our_error_listing_the_installed_ones(
    region: Any,
) -> None:
    with pytest.raises(edupolicy.UnknownRegionError) as caught:
        edupolicy.load(region)

    check_error(caught.value, ())
    assert "jinfeng" in str(caught.value)


@pytest.mark.parametrize("region", [10**5000, gen.Hostile()], ids=["huge-int", "hostile"])
def test_load_of_a_region_id_that_cannot_be_shown_raises_our_error(region: object) -> None:
    with pytest.raises(edupolicy.UnknownRegionError) as caught:
        edupolicy.load(region)  # type: ignore[arg-type]

    assert "jinfeng" in caught.value.render("zh_CN")


@given(locale=st.one_of(gen.ODD_TEXT, ODD_VALUES), student=inputs(gen.students()))
@example(locale=gen.Hostile(), student={"stage": "primary"})
@example(locale=10**5000, student={"stage": "primary", "year": 1, "school_area": "rural"})
@example(locale=NotImplemented, student={"stage": "primary", "year": 1, "school_area": "rural"})
def test_any_locale_gives_a_result_or_our_error_in_english_at_worst(
    jinfeng: Policy, locale: Any, student: Any
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome(lambda: jinfeng.aid(student, "2019-09-01", explain=True, locale=locale), "on")

    # An unsupported locale is warned about (English is used); nothing else is.
    assert {type(warning.message) for warning in caught} <= {edupolicy.i18n.LocaleWarning}


def test_an_unsupported_locale_warns_and_still_gives_our_error(jinfeng: Policy) -> None:
    with pytest.warns(edupolicy.i18n.LocaleWarning), pytest.raises(InvalidDataError) as caught:
        jinfeng.aid({"stage": "primary"}, "2019-09-01", locale="tlh")

    assert str(caught.value).startswith("Invalid student record")


# --- what the fuzzing found -------------------------------------------------------------------
# One small test per bug, each once an exception that was not ours.

ON = dt.date(2019, 9, 10)


def problems_of(call: Callable[[], Any]) -> list[str]:
    """The problems, rendered, of the :class:`InvalidDataError` that ``call`` raises."""
    try:
        call()
    except InvalidDataError as error:
        check_error(error, ("on", "year", "size", "programme", "share", "explain"))
        return [problem.render() for problem in error.problems]
    except Exception as error:
        raise not_ours(error) from None
    pytest.fail("no error was raised")


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.select("sanatorium", None, year=2019),
        lambda p: p.check_awards(None, ON),
        lambda p: p.awards_needed(5, ON, size=1),
        lambda p: p.check_awards({"school_area": "rural"}, ON),
    ],
    ids=["select-none", "check-awards-none", "awards-needed-number", "check-awards-one-entry"],
)
def test_a_list_argument_that_is_not_a_list_is_named(jinfeng: Policy, call: Any) -> None:
    (line,) = problems_of(lambda: call(jinfeng))

    assert line.startswith("$: must be a list (got ")


def test_an_entry_of_the_wrong_record_type_is_named_by_its_position(jinfeng: Policy) -> None:
    teacher = edupolicy.structure({"id": "T1", "title": "junior", "service": []}, Teacher)
    award = edupolicy.structure({"school_area": "rural"}, Award)

    mixed: list[Any] = [award, teacher]
    assert problems_of(lambda: jinfeng.check_awards(mixed, ON)) == [
        "$[1]: must be a JSON object (got Teacher(service=(), title=<Title.JUNIOR: 'junior'>, "
        "meets_title_criteria=Fals...)"
    ]
    wrong: list[Any] = [award]
    assert problems_of(lambda: jinfeng.select("sanatorium", wrong, year=2019))[0].startswith(
        "$[0]: must be a JSON object (got Award("
    )


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            {"stage": "primary", "year": 1, "school_area": "rural"},
            "$.stage: must be a Stage (got \"primary\")",
        ),
        (
            {"stage": Stage.PRIMARY, "year": True, "school_area": SchoolArea.RURAL},
            "$.year: must be a whole number (got true)",
        ),
        (
            {"stage": Stage.PRIMARY, "year": 0, "school_area": SchoolArea.RURAL},
            "$.year: must be 1 or more (years are counted from 1) (got 0)",
        ),
        (
            {"stage": Stage.PRIMARY, "year": 1, "school_area": SchoolArea.RURAL,
             "household": ["dibao"]},
            "$.household: must be a frozenset of Household or PlanStatus (got [\"dibao\"])",
        ),
        (
            {"stage": Stage.PRIMARY, "year": 1, "school_area": SchoolArea.RURAL, "id": " "},
            "$.id: must not be empty (got \" \")",
        ),
    ],
    ids=["stage-word", "year-bool", "year-0", "household-list", "blank-id"],
)  # fmt: skip
def test_a_student_made_with_a_wrong_field_is_refused_naming_it(
    arguments: dict[str, Any], expected: str
) -> None:
    # It once failed later, inside the evaluation, with a KeyError or an AttributeError.
    assert problems_of(lambda: Student(**arguments)) == [expected]


def test_an_award_made_naming_no_one_is_refused_as_its_json_is() -> None:
    # It was accepted, and counted as an urban school.
    assert problems_of(lambda: Award(id="A1")) == [
        "$: an award entry names the school_area of the awarded school, a teacher, or both "
        '(got {"id": "A1", "school_area": null, "teacher": null})'
    ]
    assert problems_of(lambda: edupolicy.structure({"id": "A1"}, Award)) == [
        "$: an award entry names the school_area of the awarded school, a teacher, or both "
        '(got {"id": "A1"})'
    ]


def test_a_teacher_made_with_json_postings_is_refused_naming_them() -> None:
    service = [{"school_area": "rural", "start": "2004-09-01"}]

    (line,) = problems_of(lambda: Teacher(title=Title.JUNIOR, service=service))  # type: ignore[arg-type]

    assert line.startswith("$.service: must be a tuple of Posting (got [")


def test_observation_objects_with_fields_of_the_wrong_type_are_read_as_their_json(
    jinfeng: Policy,
) -> None:
    observations = [
        Observation(indicator="primary-retention", value=Decimal(9), year=2019, unit="percent"),  # type: ignore[arg-type]
        Observation(indicator="primary-retention", value=Decimal(9), on="2019-13-01"),  # type: ignore[arg-type]
    ]

    assert problems_of(lambda: jinfeng.progress(observations, year=2019)) == [
        '$[1].on: must be a date written YYYY-MM-DD (got "2019-13-01")'
    ]


@pytest.mark.parametrize("year", [0, 10_000, 10**12])
def test_a_figure_for_a_year_no_date_can_have_is_refused(jinfeng: Policy, year: int) -> None:
    figures = [{"indicator": "primary-retention", "value": "98", "year": year}]

    (line,) = problems_of(lambda: jinfeng.progress(figures, year=2019))

    assert line.startswith("$[0].year: must be ")


@pytest.mark.parametrize("value", ["98\n", "98.7\n", "1\n"])
def test_a_figure_with_a_final_newline_is_refused(jinfeng: Policy, value: str) -> None:
    # A regular expression ending in "$" let the newline through, and Decimal read it.
    (line,) = problems_of(lambda: jinfeng.progress({"primary-retention": value}, year=2019))

    assert line.startswith("$.primary-retention: must be a whole number or a string of digits")


def test_a_key_that_cannot_be_printed_is_named_by_its_type(jinfeng: Policy) -> None:
    record: dict[Any, Any] = {"stage": "primary", "year": 1, "school_area": "rural"}
    record[gen.Hostile()] = 1

    (line,) = problems_of(lambda: jinfeng.aid(record, ON))

    assert line == "$.(Hostile): unknown field (got 1)"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda p: p.aid({}, 10**5000), "on: must be a date (YYYY-MM-DD) (got (a whole"),
        (lambda p: p.progress({}, year=gen.Hostile()), "year: must be a whole number (got (Hos"),
        (lambda p: p.select(10**5000, [], year=2019), "programme: must be a string (got (a "),
        (lambda p: p.check_awards([], ON, share=gen.Hostile()), "share: must be a string (got ("),
        (lambda p: p.awards_needed([], ON, size=10**5000), "size: must be a whole number of at"),
        (
            lambda p: p.teacher({}, ON, explain=NotImplemented),
            "explain: must be true or false (got NotImplemented)",
        ),
    ],
    ids=["on", "year", "programme", "share", "size", "explain"],
)
def test_an_argument_that_cannot_be_printed_is_still_named(
    jinfeng: Policy, call: Any, expected: str
) -> None:
    (line,) = problems_of(lambda: call(jinfeng))

    assert line.startswith(expected)


def plan_bytes(change: Callable[[dict[str, Any]], None]) -> bytes:
    """The file of :data:`tests.strategies.BASE_PLAN` with ``change`` made to its data."""
    plan = copy.deepcopy(dict(gen.BASE_PLAN))
    change(plan)
    return gen.toml_text(plan).encode("utf-8")


def too_deep(plan: dict[str, Any]) -> None:
    plan["aid"]["rules"][0]["when"] = gen.nested(60, {"boarding": True})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("测试".encode("gbk"), "$: must be UTF-8 text; byte 1 is not (got \"plan.toml\")"),
        (b"x = " + b"[" * 5000 + b"]" * 5000, "$: nests arrays or tables too deeply to read"),
        (b"x = 1" + b"0" * 5000, "$: holds a number too long to read"),
        (b'parts = ["a\\u0000b"]', "$: no file can have this name"),
        (
            plan_bytes(too_deep),
            "$: nested more than 40 levels deep",
        ),
        (
            plan_bytes(lambda p: p["stage_years"].update(primary=10**9)),
            "$.stage_years.primary: a stage lasts at most 12 years (got 1000000000)",
        ),
    ],
    ids=["gbk", "deep-arrays", "long-number", "nul-in-part", "deep-plan", "endless-stage"],
)  # fmt: skip
def test_a_plan_file_that_cannot_be_read_is_our_error(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(content)

    lines = problems_of(lambda: edupolicy.load_plan(path))

    assert any(line.startswith(expected) for line in lines), lines


def test_years_of_service_beyond_the_last_date_are_lacking_not_a_crash(tmp_path: Path) -> None:
    def endless(plan: dict[str, Any]) -> None:
        plan["teachers"]["rules"][2]["when"] = {"continuous_rural_years": {"min": 10**9}}

    path = tmp_path / "plan.toml"
    path.write_bytes(plan_bytes(endless))
    policy = Policy(region="t", distribution="t", version="0", plans=(edupolicy.load_plan(path),))
    teacher = {"title": "junior", "service": [{"school_area": "rural", "start": "2010-09-01"}]}

    result = policy.teacher(teacher, "2020-06-01", explain=True)

    # Out of reach: no date is late enough for a billion years of service.
    not_applied = {entry.rule.id: entry for entry in result.not_applied or ()}
    assert not_applied["exempt"].lack is None
    assert "exempt" not in [lack.rule.id for lack in result.lacking]
    assert "requires 1,000,000,000 years or more" in json.dumps(result.to_json("en"))


@pytest.mark.parametrize("path", [None, 3])
def test_a_plan_path_that_is_not_a_path_is_our_error(path: Any) -> None:
    with pytest.raises(edupolicy.PlanDataError):
        edupolicy.load_plan(path)


@given(path=st.one_of(gen.ODD_TEXT, ODD_VALUES))
def test_any_plan_path_gives_a_plan_or_our_error(path: Any) -> None:
    outcome(lambda: edupolicy.load_plan(path), "path")
