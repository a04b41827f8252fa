"""The views of the results a policy gives: the aid of a student, the incentives of a
teacher, where a target stands, a year's cohort of a quota, an award list checked
against a share, how many awards must be rural, and a plan's readings.

Each is a :class:`~edupolicy.io.views.View` over the views of what it holds
(:mod:`edupolicy.io.item_views`); :mod:`edupolicy.io.results` writes results' JSON
and their JSON Schemas from them.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Any, Final

from edupolicy.goals import Comparison, TargetProgress, Unit
from edupolicy.goals.progress import Status
from edupolicy.io import schematypes as st
from edupolicy.io.item_views import (
    AID_ITEM,
    INCENTIVE_ITEM,
    LACK,
    NOT_APPLIED,
    NOT_APPLIED_LACKING,
    NOTE,
    RURAL_SERVICE,
    SOURCE,
    write_applied,
    write_not_applied,
)
from edupolicy.io.views import (
    BOOLEAN,
    COUNT,
    DATE,
    MONEY,
    NUMBER,
    READINGS,
    STRING,
    TEXT,
    Either,
    Integer,
    Keyed,
    ListOf,
    Member,
    Nullable,
    Of,
    View,
    Words,
    member,
)
from edupolicy.teachers import AwardKind, Counting, RankKey

__all__ = [
    "AID_RESULT",
    "AWARD_CHECK",
    "CANDIDATE",
    "ENVELOPE",
    "KIND_COUNT",
    "LEVEL",
    "PROGRESS_LINE",
    "READING",
    "RESULT_VIEWS",
    "SELECTION",
    "SHARE_CHECK",
    "SHARE_REQUIREMENT",
    "SUBJECT_ID",
    "TEACHER_RESULT",
]


#: Where a result comes from, and whose it is: the members before a domain's own.
_BEFORE_ID: Final = (member("region", STRING), member("plan", STRING), member("on", DATE))
SUBJECT_ID: Final = member("id", Nullable(STRING), "subject_id", own=True)
_READINGS: Final = member("readings", READINGS)

AID_RESULT: Final = View(
    "AidResult",
    (
        *_BEFORE_ID,
        SUBJECT_ID,
        member("currency", Words(("CNY",)), "outcome.currency"),
        member("cash_total", MONEY, "outcome.cash_total"),
        member("waivers", ListOf(STRING), "outcome.waivers"),
        member("items", ListOf(Of(AID_ITEM, write_applied)), "outcome.items"),
        _READINGS,
        member("notes", ListOf(Of(NOTE)), "outcome.notes"),
        member(
            "not_applied",
            ListOf(Of(NOT_APPLIED, write_not_applied)),
            "outcome.not_applied",
            optional=True,
        ),
    ),
    "The aid one student receives: AidResult.to_json().",
)

TEACHER_RESULT: Final = View(
    "TeacherResult",
    (
        *_BEFORE_ID,
        SUBJECT_ID,
        member("service", Of(RURAL_SERVICE), own=True),
        member("items", ListOf(Of(INCENTIVE_ITEM, write_applied)), "outcome.items"),
        _READINGS,
        member(
            "not_applied",
            ListOf(Of(NOT_APPLIED_LACKING, write_not_applied)),
            "outcome.not_applied",
            optional=True,
        ),
        Member(
            "lacking",
            ListOf(Of(LACK)),
            lambda result: None if result.not_applied is None else result.lacking,
            optional=True,
        ),
    ),
    "The incentives one teacher earns: TeacherResult.to_json().",
)


def _progress_value(line: TargetProgress) -> Any:
    if line.indicator.unit is Unit.ACHIEVED:
        return line.target.value == 1
    return str(line.target.value)


def _progress_observed(line: TargetProgress) -> Any:
    if line.observed is None:
        return None
    if line.indicator.unit is Unit.ACHIEVED:
        return line.observed == 1
    return str(line.observed)


def _progress_gap(line: TargetProgress) -> Any:
    if line.gap is None or line.indicator.unit is Unit.ACHIEVED:
        return None
    return str(line.gap)


#: A number already written as its text, or (for a target achieved or not) a boolean.
_NUMBER_OR_TRUTH: Final = Either(st.number_text, lambda: dict(st.BOOLEAN))
_NUMBER_SHOWN: Final = Either(st.number_text)

PROGRESS_LINE: Final = View(
    "TargetProgress",
    (
        member("target", STRING, "target.id"),
        member("indicator", STRING, "indicator.id"),
        member("name", TEXT, "indicator.name"),
        member("scope", Nullable(TEXT), "target.scope"),
        member("unit", Words(Unit), "indicator.unit"),
        member("comparison", Words(Comparison), "target.comparison"),
        Member("value", _NUMBER_OR_TRUTH, _progress_value),
        member("deadline", DATE, "target.deadline"),
        member("status", Words(Status)),
        Member("observed", Nullable(_NUMBER_OR_TRUTH), _progress_observed),
        member("observed_on", Nullable(DATE)),
        member("summed_from_parts", BOOLEAN),
        Member("gap", Nullable(_NUMBER_SHOWN), _progress_gap),
        member("expected", Nullable(NUMBER)),
        member("section", STRING, "target.source.section"),
        member("explanation", TEXT),
        _READINGS,
    ),
    "Where a target stands: TargetProgress.to_json().",
)

CANDIDATE: Final = View(
    "Candidate",
    (
        member("id", Nullable(STRING), "teacher.id"),
        member("selected", BOOLEAN),
        member("eligible", BOOLEAN),
        member("rank", Nullable(Integer(1))),
        member("reason", TEXT),
        member("service", Of(RURAL_SERVICE), own=True),
    ),
)

SELECTION: Final = View(
    "Selection",
    (
        member("region", STRING),
        member("plan", STRING),
        member("programme", STRING, "quota.id"),
        member("name", TEXT, "quota.name"),
        member("year", Integer()),
        member("on", DATE),
        member("per_year", Integer(1), "quota.per_year"),
        member("ranking", ListOf(Words(RankKey)), "quota.ranking"),
        member("source", Of(SOURCE), "quota.source"),
        Member("selected", ListOf(STRING), lambda s: [c.teacher_id for c in s.selected]),
        member("candidates", ListOf(Of(CANDIDATE))),
        _READINGS,
    ),
    "A year's cohort of a quota: Selection.to_json().",
)

AWARD_CHECK: Final = View(
    "AwardCheck",
    (
        member("id", STRING, "label"),
        member("kind", Words(AwardKind), "award.kind"),
        member("rural", BOOLEAN),
        member("reason", TEXT),
    ),
)

KIND_COUNT: Final = View(
    "KindCount",
    (
        member("size", COUNT),
        member("rural", COUNT),
        member("required", COUNT),
        member("meets", BOOLEAN),
        member("short_by", COUNT),
    ),
)

SHARE_CHECK: Final = View(
    "ShareCheck",
    (
        member("region", STRING),
        member("plan", STRING),
        member("share", STRING, "share.id"),
        member("name", TEXT, "share.name"),
        member("on", DATE),
        member("min_percent", NUMBER, "share.min_percent"),
        member("counted", Words(Counting), "share.counted"),
        member("size", COUNT),
        member("rural", COUNT),
        member("percent", NUMBER),
        member("required", COUNT),
        member("meets", BOOLEAN),
        member("short_by", COUNT),
        member("rural_to_add", Nullable(COUNT)),
        member("summary", TEXT),
        member("source", Of(SOURCE), "share.source"),
        member("entries", ListOf(Of(AWARD_CHECK))),
        _READINGS,
        Member(
            "by_kind",
            Keyed(lambda count: count.kind.value, Of(KIND_COUNT), [k.value for k in AwardKind]),
            operator.attrgetter("by_kind"),
            optional=True,
        ),
    ),
    "An award list checked against a share: ShareCheck.to_json().",
)

SHARE_REQUIREMENT: Final = View(
    "ShareRequirement",
    (
        member("share", STRING, "share.id"),
        member("counted", Words(Counting), "share.counted"),
        member("on", DATE),
        member("size", Integer(1)),
        member("pool", COUNT),
        member("pool_rural", COUNT),
        member("required", COUNT),
        member("summary", TEXT),
        _READINGS,
    ),
    "How many awards must be rural: ShareRequirement.to_json().",
)

_CHANGE_LINE: Final = View(
    "ChangeLine",
    (Member("change", STRING, lambda change: change.describe()), member("reason", STRING)),
)
_CHOICE: Final = View(
    "Choice",
    (member("id", STRING), member("text", TEXT), member("changes", ListOf(Of(_CHANGE_LINE)))),
)
READING: Final = View(
    "Reading",
    (
        member("id", STRING),
        member("name", TEXT),
        member("source", Of(SOURCE)),
        member("default", STRING),
        member("choices", ListOf(Of(_CHOICE))),
    ),
)

#: One level of a layered plan (:class:`~edupolicy.plans.Level`).
LEVEL: Final = View(
    "Level",
    (
        member("plan", STRING),
        member("document", STRING),
        member("region", Nullable(STRING)),
        member("own", BOOLEAN),
    ),
    "One level of a layered plan: the plan and its document; region: the parent region's "
    "id for a level the plan inherits, null for its own; own: whether it is its own.",
)

#: The views of the results, by the name of their schema.
RESULT_VIEWS: Final[Mapping[str, View]] = {
    "aid-result": AID_RESULT,
    "teacher-result": TEACHER_RESULT,
    "selection": SELECTION,
    "award-check": SHARE_CHECK,
    "awards-needed": SHARE_REQUIREMENT,
}

#: A result of a domain not declared here: where it comes from, its id, its readings.
ENVELOPE: Final = View("Result", (*_BEFORE_ID, SUBJECT_ID, _READINGS))
