"""The views of what results hold: the sources they cite, the rules that applied and
those that did not (with what a subject lacks), what a rule gives (a benefit, an
outcome), a teacher's rural service and the notes of equal treatment.

Each is a :class:`~edupolicy.io.views.View`, from which both its JSON and its JSON
Schema are made; the results of :mod:`edupolicy.io.result_views` hold them.  An item of
a result is shared by every subject with the same outcome, and rendering its texts
costs far more than evaluating it: :func:`write_applied` and :func:`write_not_applied`
render its JSON once per locale and keep it on the item (``rendered``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from edupolicy.aid import AidRule, BenefitKind
from edupolicy.i18n import normalize_locale
from edupolicy.io.convert import unstructure
from edupolicy.io.schematypes import Schema
from edupolicy.io.views import (
    COUNT,
    DATE,
    MONEY,
    STRING,
    TEXT,
    ListOf,
    Member,
    Nullable,
    Of,
    View,
    Words,
    member,
)
from edupolicy.rules import Applied, NotApplied, Rule, Source
from edupolicy.teachers import IncentiveRule, OutcomeKind, Title
from edupolicy.values import Frequency, SchoolArea

__all__ = [
    "AID_ITEM",
    "BENEFIT",
    "INCENTIVE_ITEM",
    "ITEM_SOURCE",
    "LACK",
    "NOTE",
    "NOT_APPLIED",
    "NOT_APPLIED_LACKING",
    "OUTCOME",
    "RURAL_SERVICE",
    "SOURCE",
    "write_applied",
    "write_not_applied",
]


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


def write_applied(item: Applied[Any], locale: str | None) -> dict[str, Any]:
    return _kept(item.rendered, locale, lambda named: _item_view(item.rule).write(item, named))


def write_not_applied(entry: NotApplied[Any], locale: str | None) -> dict[str, Any]:
    view = NOT_APPLIED_LACKING if entry.rule.explains_lacks else NOT_APPLIED
    return _kept(entry.rendered, locale, lambda named: view.write(entry, named))
