"""A share counted over the whole award list, or over each kind of award on its own.

Section 二(四)3 of the Jinfeng plan asks that rural schools and rural teachers make up
at least 30% of the advanced collectives and advanced individuals commended.  Read
together, every entry of the list counts alike (``counted = "together"``, the default);
read by kind, the collectives (schools) and the individuals (teachers) must each be at
least 30% rural (``counted = "by_kind"``).  The shares here are written in small plan
files, as a plugin author writes them, and the by-kind reading of the Jinfeng share is
derived with a what-if change, as a host would try it.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest

import edupolicy
from edupolicy.errors import ImpossibleShareError, InvalidRecordError, PlanDataError
from edupolicy.io import structure, unstructure
from edupolicy.io.convert import CONVERTER
from edupolicy.teachers import (
    Award,
    AwardKind,
    Counting,
    Share,
    ShareCheck,
    check_list,
    requirement_for,
)
from edupolicy.values import SchoolArea
from tests.planfiles import plan_text, write_plan

ON = dt.date(2020, 9, 10)

SHARE = """
[aid]
rules = []

[teachers.continuity]
max_gap_days = 92
source = {{ section = "1", quote = "测试条文" }}

[[teachers.shares]]
id = "rural"
name = {{ zh_CN = "比例", en = "Rural share" }}
min_percent = "{percent}"
{counted}
source = {{ section = "1", quote = "测试条文" }}
"""


def load_share(tmp_path: Path, counted: str | None, percent: str = "30") -> Share:
    """The share of a small plan file, with ``counted = "..."`` when ``counted`` is given."""
    line = "" if counted is None else f'counted = "{counted}"'
    text = plan_text(SHARE.format(counted=line, percent=percent))
    plan = edupolicy.load_plan(write_plan(tmp_path, text))
    assert plan.teachers is not None
    return plan.teachers.share("rural")


@pytest.fixture
def by_kind(tmp_path: Path) -> Share:
    return load_share(tmp_path, "by_kind")


@pytest.fixture
def together(tmp_path: Path) -> Share:
    return load_share(tmp_path, None)


def collectives(rural: int, urban: int) -> list[Award]:
    """Awarded schools: ``rural`` rural ones, then ``urban`` urban ones."""
    return [
        Award(id=f"S{n}", school_area=SchoolArea.RURAL if n < rural else SchoolArea.URBAN)
        for n in range(rural + urban)
    ]


def individuals(rural: int, urban: int) -> list[Award]:
    """Awarded teachers: ``rural`` posted at rural schools, then ``urban`` at urban ones."""
    return [
        structure(
            {
                "id": f"T{n}",
                "teacher": {
                    "id": f"teacher-{n}",
                    "title": "junior",
                    "service": [
                        {"school_area": "rural" if n < rural else "urban", "start": "2010-09-01"}
                    ],
                },
            },
            Award,
        )
        for n in range(rural + urban)
    ]


def check(share: Share, awards: list[Award]) -> ShareCheck:
    return check_list(share, awards, region="test", plan="test-plan", on=ON)


def figures(result: ShareCheck) -> tuple[int, int, int, bool, int, int | None]:
    return (
        result.size,
        result.rural,
        result.required,
        result.meets,
        result.short_by,
        result.rural_to_add,
    )


# --- the option in plan data ----------------------------------------------------------------


def test_a_share_is_counted_together_unless_the_plan_says_otherwise(
    together: Share, by_kind: Share
) -> None:
    assert together.counted is Counting.TOGETHER
    assert by_kind.counted is Counting.BY_KIND
    assert [c.value for c in Counting] == ["together", "by_kind"]


def test_the_jinfeng_share_is_counted_together_as_written() -> None:
    share = edupolicy.load("jinfeng").plans[0].teachers
    assert share is not None
    assert share.share("rural-commendation-share").counted is Counting.TOGETHER


def test_counted_is_written_back_and_read_again(by_kind: Share) -> None:
    data = unstructure(by_kind)

    assert data["counted"] == "by_kind"
    assert CONVERTER.structure(data, Share) == by_kind


def test_a_bad_counted_value_in_plan_data_names_its_path_and_value(tmp_path: Path) -> None:
    with pytest.raises(PlanDataError) as excinfo:
        load_share(tmp_path, "per_kind")

    assert [problem.render() for problem in excinfo.value.problems] == [
        '$.teachers.shares[0].counted: must be one of: together, by_kind (got "per_kind")'
    ]
    assert excinfo.value.problems[0].path == "$.teachers.shares[0].counted"


def test_a_share_made_in_python_refuses_a_counted_that_is_not_a_counting(by_kind: Share) -> None:
    word: Any = "by_kind"  # a caller without a type checker may pass the word
    with pytest.raises(InvalidRecordError) as excinfo:
        attrs.evolve(by_kind, counted=word)

    assert [problem.render() for problem in excinfo.value.problems] == [
        '$.counted: must be a Counting (got "by_kind")'
    ]


# --- the kind of an entry -------------------------------------------------------------------


def test_an_entry_with_a_teacher_is_an_individual_and_one_with_only_a_school_is_not() -> None:
    (school,) = collectives(1, 0)
    (person,) = individuals(1, 0)
    both = structure(
        {
            "school_area": "urban",
            "teacher": {
                "title": "junior",
                "service": [{"school_area": "rural", "start": "2000-01-01"}],
            },
        },
        Award,
    )

    assert school.kind is AwardKind.COLLECTIVE
    assert person.kind is AwardKind.INDIVIDUAL
    assert both.kind is AwardKind.INDIVIDUAL
    assert [kind.label.render() for kind in AwardKind] == [
        "advanced collective",
        "advanced individual",
    ]


# --- checking a list --------------------------------------------------------------------------


def test_a_list_that_meets_the_share_together_can_fall_short_by_kind(
    together: Share, by_kind: Share
) -> None:
    # 3 rural collectives and 7 urban individuals: 3 of 10 is 30%, but none of the 7
    # individuals is rural, and 30% of 7 is 3 (2.1, rounded up).
    awards = collectives(3, 0) + individuals(0, 7)

    assert figures(check(together, awards)) == (10, 3, 3, True, 0, 0)
    result = check(by_kind, awards)
    assert figures(result) == (10, 3, 1 + 3, False, 3, 3)
    assert result.by_kind is not None
    collective, individual = result.by_kind
    assert (collective.kind, collective.size, collective.rural) == (AwardKind.COLLECTIVE, 3, 3)
    assert (collective.required, collective.meets, collective.short_by) == (1, True, 0)
    assert (individual.kind, individual.size, individual.rural) == (AwardKind.INDIVIDUAL, 7, 0)
    assert (individual.required, individual.meets, individual.short_by) == (3, False, 3)
    assert result.summary.render() == (
        "collectives and individuals are counted separately, at least 30% of each: advanced "
        "collective: 3 of 3 rural (100.0%), at least 1 needed; advanced individual: 0 of 7 "
        "rural (0.0%), at least 3 needed; the list falls short by 3"
    )


def test_the_other_way_round_the_rural_collectives_fall_short(
    together: Share, by_kind: Share
) -> None:
    # 7 urban collectives and 3 rural individuals: 30% together, none of the schools rural.
    awards = collectives(0, 7) + individuals(3, 0)

    assert check(together, awards).meets
    result = check(by_kind, awards)
    assert figures(result) == (10, 3, 3 + 1, False, 3, 3)
    assert result.to_json()["by_kind"] == {
        "collective": {"size": 7, "rural": 0, "required": 3, "meets": False, "short_by": 3},
        "individual": {"size": 3, "rural": 3, "required": 1, "meets": True, "short_by": 0},
    }


def test_rounding_up_each_kind_can_ask_for_more_than_the_whole_list(
    together: Share, by_kind: Share
) -> None:
    # One rural school and one urban teacher: 50% together; the one teacher needs 1 rural.
    awards = collectives(1, 0) + individuals(0, 1)

    assert figures(check(together, awards)) == (2, 1, 1, True, 0, 0)
    assert figures(check(by_kind, awards)) == (2, 1, 2, False, 1, 1)


def test_a_list_that_meets_the_share_by_kind_meets_it_together_too(
    together: Share, by_kind: Share
) -> None:
    # 1 of 3 collectives, 3 of 10 individuals: each at least 30%, and 4 of 13 in all.
    awards = collectives(1, 2) + individuals(3, 7)

    result = check(by_kind, awards)
    assert figures(result) == (13, 4, 1 + 3, True, 0, 0)
    assert result.summary.render() == (
        "collectives and individuals are counted separately, at least 30% of each: advanced "
        "collective: 1 of 3 rural (33.3%), at least 1 needed; advanced individual: 3 of 10 "
        "rural (30.0%), at least 3 needed; the list meets the share"
    )
    assert check(together, awards).meets


def test_a_kind_the_list_does_not_have_meets_the_share(by_kind: Share) -> None:
    result = check(by_kind, individuals(3, 7))

    assert figures(result) == (10, 3, 3, True, 0, 0)
    assert result.to_json()["by_kind"]["collective"] == {
        "size": 0,
        "rural": 0,
        "required": 0,
        "meets": True,
        "short_by": 0,
    }
    empty = check(by_kind, [])
    assert figures(empty) == (0, 0, 0, True, 0, 0)


def test_adding_rural_entries_cannot_help_a_kind_with_an_urban_entry_under_a_100_percent_share(
    tmp_path: Path,
) -> None:
    share = load_share(tmp_path, "by_kind", percent="100")

    result = check(share, collectives(2, 0) + individuals(1, 1))

    assert (result.meets, result.short_by, result.rural_to_add) == (False, 1, None)
    assert check(share, collectives(2, 0) + individuals(1, 0)).rural_to_add == 0


def test_as_json_by_kind(by_kind: Share) -> None:
    awards = collectives(3, 0) + individuals(0, 7)

    data = check(by_kind, awards).to_json()

    assert data["counted"] == "by_kind"
    assert (data["size"], data["rural"], data["required"], data["meets"]) == (10, 3, 4, False)
    assert (data["short_by"], data["rural_to_add"]) == (3, 3)
    assert data["by_kind"] == {
        "collective": {"size": 3, "rural": 3, "required": 1, "meets": True, "short_by": 0},
        "individual": {"size": 7, "rural": 0, "required": 3, "meets": False, "short_by": 3},
    }
    assert data["entries"][0] == {
        "id": "S0",
        "kind": "collective",
        "rural": True,
        "reason": "the awarded school is rural",
    }
    assert data["entries"][3]["kind"] == "individual"
    json.dumps(data, ensure_ascii=False)


def test_counted_together_the_json_only_gains_counted_and_each_entrys_kind(
    together: Share,
) -> None:
    data = check(together, collectives(1, 1) + individuals(1, 0)).to_json()

    assert data["counted"] == "together"
    assert "by_kind" not in data
    assert set(data) == {
        "region",
        "plan",
        "share",
        "name",
        "on",
        "min_percent",
        "counted",
        "size",
        "rural",
        "percent",
        "required",
        "meets",
        "short_by",
        "rural_to_add",
        "summary",
        "source",
        "entries",
        "readings",
    }
    assert [entry["kind"] for entry in data["entries"]] == [
        "collective",
        "collective",
        "individual",
    ]
    assert data["summary"] == (
        "2 of 3 entries are rural (66.7%); at least 1 is needed (30%): the list meets the share"
    )


# --- how many awards must be rural ------------------------------------------------------------


def test_awards_needed_by_kind_refuses_a_pool_that_mixes_the_kinds(by_kind: Share) -> None:
    pool = collectives(2, 1) + individuals(1, 3)

    with pytest.raises(InvalidRecordError) as excinfo:
        requirement_for(by_kind, pool, size=3, on=ON)

    (problem,) = excinfo.value.problems
    assert problem.path == "awards"
    assert problem.value == {"collective": 3, "individual": 4}
    assert "ask for each kind's list on its own" in problem.render()
    assert problem.render() == (
        "awards: the nominees mix collectives and individuals, and this share counts "
        "collectives and individuals separately: ask for each kind's list on its own (got "
        '{"collective": 3, "individual": 4})'
    )


def test_awards_needed_by_kind_of_one_kind_is_counted_as_before(
    together: Share, by_kind: Share
) -> None:
    for pool in (collectives(3, 7), individuals(3, 7)):
        found = requirement_for(by_kind, pool, size=10, on=ON)
        assert (found.required, found.pool, found.pool_rural) == (3, 10, 3)
        assert found.to_json()["counted"] == "by_kind"
        assert found.summary == requirement_for(together, pool, size=10, on=ON).summary
    with pytest.raises(ImpossibleShareError):
        requirement_for(by_kind, individuals(2, 8), size=10, on=ON)
    with pytest.raises(ImpossibleShareError):
        requirement_for(by_kind, [], size=1, on=ON)


def test_awards_needed_together_still_takes_a_mixed_pool(together: Share) -> None:
    found = requirement_for(together, collectives(2, 1) + individuals(1, 3), size=3, on=ON)

    assert found.required == 1
    assert found.to_json()["counted"] == "together"


# --- the Jinfeng share read by kind -----------------------------------------------------------

BY_KIND = edupolicy.Change(
    share="rural-commendation-share",
    set={"counted": "by_kind"},
    reason="Read 先进集体 and 先进个人 as two lists, each at least 30% rural",
)


def samples(name: str) -> Any:
    return json.loads((files("edupolicy_jinfeng") / "samples" / name).read_text("utf-8"))


def test_the_jinfeng_sample_list_read_by_kind() -> None:
    policy = edupolicy.load("jinfeng").with_changes([BY_KIND])
    awards = samples("awards.json")

    result = policy.check_awards(awards, "2019-09-10")

    assert result.share.counted is Counting.BY_KIND
    # 7 schools with 1 rural, 3 teachers with 1 rural.
    assert result.to_json()["by_kind"] == {
        "collective": {"size": 7, "rural": 1, "required": 3, "meets": False, "short_by": 2},
        "individual": {"size": 3, "rural": 1, "required": 1, "meets": True, "short_by": 0},
    }
    with pytest.raises(InvalidRecordError) as excinfo:
        policy.awards_needed(awards, "2019-09-10", size=3)
    assert [problem.path for problem in excinfo.value.problems] == ["awards"]
    schools = [entry for entry in awards if "teacher" not in entry]
    assert policy.awards_needed(schools, "2019-09-10", size=3).required == 1


def test_a_change_to_a_bad_counted_value_is_a_plan_data_error() -> None:
    bad = edupolicy.Change(
        share="rural-commendation-share", set={"counted": "both"}, reason="a typo"
    )

    with pytest.raises(PlanDataError) as excinfo:
        edupolicy.load("jinfeng").with_changes([bad])

    assert any("counted" in problem.path for problem in excinfo.value.problems)
    assert "together, by_kind" in str(excinfo.value)


def test_the_new_names_are_in_the_teachers_wing_only() -> None:
    import edupolicy.teachers

    assert {"Counting", "AwardKind", "KindCount"} <= set(edupolicy.teachers.__all__)
    assert not {"Counting", "AwardKind", "KindCount"} & set(edupolicy.__all__)
