"""The JSON of every result, and of the items and records it holds, declared once.

Each result's JSON is a :class:`~edupolicy.io.views.View`: its keys in order, the kind
of each value and where it comes from.  From that one declaration come both the JSON
(``to_json()``, registered here for each class with
:func:`~edupolicy.rules.writing.register_writer`) and the JSON Schema of the result
(:func:`result_schema`).  Records (a student, a teacher) are written by the one
converter, in the shape it reads them.

An item of a result (a rule that applied, or one that did not) is shared by every
subject with the same outcome, and rendering its texts costs far more than evaluating
it: its JSON is rendered once per locale and kept on the item (``rendered``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from edupolicy.aid import (
    AidResult,
    AidRule,
    BenefitKind,
    Cash,
    EqualTreatment,
    Student,
    Unquantified,
    Waiver,
)
from edupolicy.goals import Comparison, TargetProgress, Unit
from edupolicy.goals.progress import Status
from edupolicy.i18n import normalize_locale
from edupolicy.io import schematypes as st
from edupolicy.io.convert import unstructure
from edupolicy.io.schematypes import Schema
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
from edupolicy.plans.reading import Reading
from edupolicy.rules import Applied, Lack, NotApplied, Result, Rule, Source
from edupolicy.rules.writing import register_writer
from edupolicy.teachers import (
    Allowance,
    AwardCheck,
    AwardKind,
    CandidateResult,
    Counting,
    IncentiveRule,
    KindCount,
    OutcomeKind,
    Priority,
    Programme,
    RankKey,
    Recognition,
    RelaxedHonours,
    RuralService,
    Selection,
    ShareCheck,
    ShareRequirement,
    Teacher,
    TeacherResult,
    Title,
    TitleExemption,
)
from edupolicy.values import Frequency, SchoolArea

__all__ = ["RESULT_VIEWS", "around_id", "result_schema"]


# --- what results hold -------------------------------------------------------------------


def _source_members(source: Callable[[Any], Source]) -> tuple[Member, ...]:
    """The members of a source; ``plan`` and ``document`` only when it cites another plan."""
    return (
        Member("section", STRING, lambda value: source(value).section),
        Member("quote", STRING, lambda value: source(value).quote),
        Member("gloss", Nullable(STRING), lambda value: source(value).gloss),
        Member("interpretation", Nullable(TEXT), lambda value: source(value).interpretation),
        Member("plan", STRING, lambda value: source(value).plan, optional=True),
        Member("document", STRING, lambda value: source(value).document, optional=True),
    )


SOURCE: Final = View("Source", _source_members(lambda source: source))

#: The source of an applied item: the rule's, with the title of its section.
ITEM_SOURCE: Final = View(
    "ItemSource",
    (
        *_source_members(lambda item: item.rule.source),
        Member("section_title", Nullable(TEXT), operator.attrgetter("section_title")),
    ),
)

LACK: Final = View(
    "Lack",
    (
        member("rule", STRING, "rule.id"),
        member("name", TEXT, "rule.name"),
        member("missing", ListOf(TEXT)),
        member("reached_on", Nullable(DATE)),
        Member("text", TEXT, lambda lack: lack.describe()),
    ),
)

_NOT_APPLIED: Final = (
    member("rule", STRING, "rule.id"),
    member("name", TEXT, "rule.name"),
    member("reason", TEXT),
)
_SECTION: Final = (
    member("section", STRING, "rule.source.section"),
    # Only where the plan has more than one level: the plan and document the rule is from.
    Member("plan", STRING, lambda value: value.rule.source.plan, optional=True),
    Member("document", STRING, lambda value: value.rule.source.document, optional=True),
)

#: A rule that did not apply, and why.
NOT_APPLIED: Final = View("NotApplied", (*_NOT_APPLIED, *_SECTION))
#: A rule that did not apply, of a kind that says what the subject lacks.
NOT_APPLIED_LACKING: Final = View(
    "NotAppliedLacking", (*_NOT_APPLIED, member("lacks", Nullable(Of(LACK)), "lack"), *_SECTION)
)

BENEFIT: Final = View(
    "Benefit",
    (
        Member("kind", Words(BenefitKind), operator.attrgetter("kind")),
        member("amount", Nullable(MONEY)),
        member("frequency", Nullable(Words(Frequency))),
        member("waives", ListOf(STRING, sort=True)),
    ),
)

OUTCOME: Final = View(
    "Outcome",
    (
        Member("kind", Words(OutcomeKind), operator.attrgetter("kind")),
        Member("level", Nullable(Words(Title)), lambda o: getattr(o, "level", None)),
        Member("programme", Nullable(STRING), lambda o: getattr(o, "programme", None)),
        Member("honours", ListOf(TEXT), lambda o: getattr(o, "honours", ())),
        Member("description", Nullable(TEXT), lambda o: getattr(o, "description", None)),
        Member("amount", Nullable(MONEY), lambda o: getattr(o, "amount", None)),
        Member("frequency", Nullable(Words(Frequency)), lambda o: getattr(o, "frequency", None)),
        Member("text", TEXT, lambda o: o.describe()),
    ),
)


def _through(get: Callable[[Any], Any], attribute: str) -> Callable[[Any], Any]:
    """``get`` of the attribute ``attribute`` (dotted) of a value."""
    via = operator.attrgetter(attribute)
    return lambda value: get(via(value))


#: What a rule of each domain gives, as members of an applied item.
_GIVES: Final[Mapping[type, tuple[Member, ...]]] = {
    AidRule: tuple(
        Member(part.key, part.kind, _through(part.get, "rule.benefit")) for part in BENEFIT.members
    ),
    IncentiveRule: (Member("outcome", Of(OUTCOME), lambda item: item.rule.outcome),),
}


def _applied(name: str, gives: tuple[Member, ...]) -> View:
    return View(
        name,
        (
            member("rule", STRING, "rule.id"),
            member("name", TEXT, "rule.name"),
            *gives,
            Member("source", Of(ITEM_SOURCE), lambda item: item),
            Member("explanation", TEXT, operator.attrgetter("explanation")),
        ),
    )


AID_ITEM: Final = _applied("AidItem", _GIVES[AidRule])
INCENTIVE_ITEM: Final = _applied("IncentiveItem", _GIVES[IncentiveRule])

_ITEMS: dict[type, View] = {AidRule: AID_ITEM, IncentiveRule: INCENTIVE_ITEM}


def _item_view(rule: Rule[Any]) -> View:
    """The view of an item applied by ``rule``: what its domain's rules give; for a rule
    of a domain not declared here, the fields its class adds to a rule, as the converter
    writes them."""
    kind = type(rule)
    found = _ITEMS.get(kind)
    if found is None:
        base = {field.name for field in attrs.fields(Rule)}
        added = tuple(
            Member(field.name, _CONVERTED, operator.attrgetter(f"rule.{field.name}"))
            for field in attrs.fields(kind)
            if field.name not in base
        )
        found = _ITEMS[kind] = _applied(kind.__name__, added)
    return found


class _ByConverter:
    """A value as the one converter writes it."""

    __slots__ = ()

    def write(self, value: Any, locale: str | None) -> Any:
        return unstructure(value)

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return {}


_CONVERTED: Final = _ByConverter()

RURAL_SERVICE: Final = View(
    "RuralService",
    (
        member("on", DATE),
        member("current_school_area", Nullable(Words(SchoolArea)), "current_area"),
        member("continuous_rural_years", COUNT, "continuous_years"),
        member("continuous_since", Nullable(DATE)),
        member("total_rural_years", COUNT, "total_years"),
        member("total_rural_days", COUNT, "total_days"),
    ),
)

NOTE: Final = View(
    "EqualTreatment",
    (member("id", STRING), member("name", TEXT), member("source", Of(SOURCE))),
)


def _kept(
    kept: dict[str | None, Any], locale: str | None, render: Callable[[str | None], Any]
) -> dict[str, Any]:
    """``render(locale)``, kept in ``kept``; each caller gets its own copy to change.

    Kept by the supported locale the caller's names, and by the caller's own spelling
    only when that is the supported name itself, so that any other spelling is
    normalised (and warned about) each time.
    """
    found = kept.get(locale) if locale is None or type(locale) is str else None
    if found is None:
        named = normalize_locale(locale)
        found = kept.get(named)
        if found is None:
            found = kept[named] = render(named)
        if locale is None or locale == named:
            kept[locale] = found
    fresh: dict[str, Any] = _fresh(found)
    return fresh


def _fresh(value: Any) -> Any:
    """A copy of JSON-shaped ``value``: its dicts and lists new, its scalars shared."""
    if type(value) is dict:
        return {key: _fresh(item) for key, item in value.items()}
    if type(value) is list:
        return [_fresh(item) for item in value]
    return value


def _write_applied(item: Applied[Any], locale: str | None) -> dict[str, Any]:
    return _kept(item.rendered, locale, lambda named: _item_view(item.rule).write(item, named))


def _write_not_applied(entry: NotApplied[Any], locale: str | None) -> dict[str, Any]:
    view = NOT_APPLIED_LACKING if entry.rule.explains_lacks else NOT_APPLIED
    return _kept(entry.rendered, locale, lambda named: view.write(entry, named))


# --- the results ---------------------------------------------------------------------------

#: Where a result comes from, and whose it is: the members before a domain's own.
_BEFORE_ID: Final = (member("region", STRING), member("plan", STRING), member("on", DATE))
_ID: Final = member("id", Nullable(STRING), "subject_id")
_READINGS: Final = member("readings", READINGS)

AID_RESULT: Final = View(
    "AidResult",
    (
        *_BEFORE_ID,
        _ID,
        member("currency", Words(("CNY",)), "outcome.currency"),
        member("cash_total", MONEY, "outcome.cash_total"),
        member("waivers", ListOf(STRING), "outcome.waivers"),
        member("items", ListOf(Of(AID_ITEM, _write_applied)), "outcome.items"),
        _READINGS,
        member("notes", ListOf(Of(NOTE)), "outcome.notes"),
        member(
            "not_applied",
            ListOf(Of(NOT_APPLIED, _write_not_applied)),
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
        _ID,
        member("service", Of(RURAL_SERVICE)),
        member("items", ListOf(Of(INCENTIVE_ITEM, _write_applied)), "outcome.items"),
        _READINGS,
        member(
            "not_applied",
            ListOf(Of(NOT_APPLIED_LACKING, _write_not_applied)),
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
        member("service", Of(RURAL_SERVICE)),
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

#: The views of the results, by the name of their schema.
RESULT_VIEWS: Final[Mapping[str, View]] = {
    "aid-result": AID_RESULT,
    "teacher-result": TEACHER_RESULT,
    "selection": SELECTION,
    "award-check": SHARE_CHECK,
    "awards-needed": SHARE_REQUIREMENT,
}


# --- writing -------------------------------------------------------------------------------


def _record(value: object, _locale: str | None) -> dict[str, Any]:
    found: dict[str, Any] = unstructure(value)
    return found


def _result(value: Result[Any], locale: str | None) -> dict[str, Any]:
    return _RESULTS.get(type(value), _ENVELOPE).write(value, locale)


def around_id(result: Result[Any], locale: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The members of ``result``'s JSON before its id, and those after it: what depends on
    where it comes from and on its outcome, written once for many results that share them."""
    view = _RESULTS.get(type(result), _ENVELOPE)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    into = before
    for part in view.members:
        if part is _ID:
            into = after
            continue
        found = part.get(result)
        if found is None:
            if not part.optional:
                into[part.key] = None
            continue
        into[part.key] = part.kind.write(found, locale)
    return before, after


#: A result of a domain not declared here: where it comes from, its id, its readings.
_ENVELOPE: Final = View("Result", (*_BEFORE_ID, _ID, _READINGS))
_RESULTS: Final[Mapping[type, View]] = {AidResult: AID_RESULT, TeacherResult: TEACHER_RESULT}


#: The writer of each class with a JSON shape (and of its subclasses).
WRITERS: Final[Mapping[type, Callable[[Any, str | None], dict[str, Any]]]] = {
    Result: _result,
    Applied: _write_applied,
    NotApplied: _write_not_applied,
    Lack: LACK.write,
    Source: SOURCE.write,
    Cash: BENEFIT.write,
    Waiver: BENEFIT.write,
    Unquantified: BENEFIT.write,
    **dict.fromkeys(
        (TitleExemption, Recognition, Programme, RelaxedHonours, Priority, Allowance),
        OUTCOME.write,
    ),
    RuralService: RURAL_SERVICE.write,
    CandidateResult: CANDIDATE.write,
    Selection: SELECTION.write,
    AwardCheck: AWARD_CHECK.write,
    KindCount: KIND_COUNT.write,
    ShareCheck: SHARE_CHECK.write,
    ShareRequirement: SHARE_REQUIREMENT.write,
    TargetProgress: PROGRESS_LINE.write,
    Reading: READING.write,
    EqualTreatment: NOTE.write,
    Student: _record,
    Teacher: _record,
}

for _cls, _write in WRITERS.items():
    register_writer(_cls, _write)


# --- schemas -------------------------------------------------------------------------------


def result_schema(name: str, title: str) -> Schema:
    """The JSON Schema of the result ``name`` (of :data:`RESULT_VIEWS`, or ``progress``)."""
    defs: dict[str, Schema] = {}
    if name == "progress":
        body: Schema = {"type": "array", "items": PROGRESS_LINE.schema(defs)}
        text = "Where each target stands: a list of TargetProgress.to_json()."
    else:
        view = RESULT_VIEWS[name]
        body = view.body(defs)
        text = body.pop("description")
    return st.document(title, text, body, defs)
