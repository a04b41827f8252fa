"""A plan's published text, sentence by sentence, beside the items that cite it.

Every rule, target, fact, incentive, quota, share, reading and household status of a
plan carries its :class:`~edupolicy.rules.Source`: the section and the verbatim quote.
:func:`read_text` splits the plan's published text (which a region plugin ships, see
:attr:`edupolicy.plugins.RegionSpec.text`) into its sections, by the titles of the
plan's own sections table, and each section into sentences; a sentence is linked to
every item whose quote overlaps it.  A sentence no item cites is encoded by nothing; a
quote that is not found in the text (an inherited one, which cites its parent's
document) is listed apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Final

import attrs

from edupolicy.i18n import Message, Renderable, Text, _
from edupolicy.plans import Plan, Reading
from edupolicy.rules import Source

__all__ = ["Cited", "PlanText", "Section", "Sentence", "cited", "own", "read_text"]

#: The kinds of item that cite the plan, and their names in words.
KINDS: Final[Mapping[str, Message]] = {
    "rule": _("aid rule"),
    "equal-treatment": _("equal treatment"),
    "status": _("household status"),
    "incentive": _("teacher incentive"),
    "quota": _("quota"),
    "share": _("share"),
    "target": _("target"),
    "fact": _("stated fact"),
    "reading": _("reading"),
}

#: A sentence ends after one of these (the plan's text mixes full- and half-width).
_SENTENCE: Final = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
#: The numbering before a heading: ``一、``, ``(一)``, ``1、``, ``1``.
_NUMBERING: Final = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|[0-9]+[、.．]?)\s*"
)


@attrs.frozen(kw_only=True)
class Cited:
    """An item of a plan that cites a sentence: its kind (a key of :data:`KINDS`), id,
    name and source."""

    kind: str
    id: str
    name: Renderable
    source: Source

    @property
    def anchor(self) -> str:
        """The id of the item's place on the plan's page."""
        return f"{self.kind}-{self.id}"


def cited(plan: Plan) -> tuple[Cited, ...]:
    """Every item of ``plan`` that cites the plan's text, in the plan's order."""
    found: list[Cited] = [
        Cited(kind="rule", id=r.id, name=r.name, source=r.source) for r in plan.aid.rules
    ]
    found += [
        Cited(kind="equal-treatment", id=p.id, name=p.name, source=p.source)
        for p in plan.aid.equal_treatment
    ]
    found += [
        Cited(kind="status", id=s.id, name=s.label, source=s.source)
        for s in plan.household_statuses
        if s.source is not None
    ]
    if plan.teachers is not None:
        teachers = plan.teachers
        found += [
            Cited(kind="incentive", id=r.id, name=r.name, source=r.source) for r in teachers.rules
        ]
        found += [
            Cited(kind="quota", id=q.id, name=q.name, source=q.source) for q in teachers.quotas
        ]
        found += [
            Cited(kind="share", id=s.id, name=s.name, source=s.source) for s in teachers.shares
        ]
    if plan.goals is not None:
        names = {indicator.id: indicator.name for indicator in plan.goals.indicators}
        found += [
            Cited(kind="target", id=t.id, name=names[t.indicator], source=t.source)
            for t in plan.goals.targets
        ]
        found += [
            Cited(kind="fact", id=f.id, name=names[f.indicator], source=f.source)
            for f in plan.goals.facts
        ]
    found += [Cited(kind="reading", id=r.id, name=r.name, source=r.source) for r in plan.readings]
    return tuple(found)


def own(item: Cited, plan: Plan) -> bool:
    """Whether ``item`` is the plan's own (its level, :meth:`Plan.level_of
    <edupolicy.plans.Plan.level_of>`), not inherited from the plan of a parent region."""
    level = plan.level_of(item.source)
    return level is None or level.own


@attrs.frozen(kw_only=True)
class Sentence:
    """One sentence of the text, where it is, and the items that cite it."""

    number: int
    text: str
    start: int
    end: int
    cited: tuple[Cited, ...] = ()
    #: The readings of the sentence: the ambiguous sentence each one cites.
    readings: tuple[Reading, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of the sentence on the plan's page."""
        return f"s{self.number}"


@attrs.frozen(kw_only=True)
class Section:
    """A section of the text: its number and title in the plan's sections table (none
    for the words before the first one), and its paragraphs of sentences."""

    number: str | None
    title: Text | None
    heading: str
    paragraphs: tuple[tuple[Sentence, ...], ...]

    @property
    def sentences(self) -> Iterator[Sentence]:
        """The sentences of every paragraph."""
        for paragraph in self.paragraphs:
            yield from paragraph


@attrs.frozen(kw_only=True)
class PlanText:
    """A plan's text read beside its items."""

    sections: tuple[Section, ...]
    #: Items whose quote is not in the text (each cites another document, or the
    #: quote is not verbatim).
    unplaced: tuple[Cited, ...]

    @property
    def sentences(self) -> Iterator[Sentence]:
        """Every sentence, in the order of the text."""
        for section in self.sections:
            yield from section.sentences

    def sentence_of(self, item: Cited) -> Sentence | None:
        """The first sentence ``item`` cites, or ``None`` when its quote is unplaced."""
        return next((s for s in self.sentences if item in s.cited), None)

    def sentences_of(self, quote: str) -> list[Sentence]:
        """The sentences a quote spans."""
        spans = _spans(self._text, quote)
        return [s for s in self.sentences if any(_overlap(s, span) for span in spans)]

    _text: str = ""


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    quote = quote.strip()
    if not quote:
        return []
    spans = []
    at = text.find(quote)
    while at >= 0:
        spans.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return spans


def _overlap(sentence: Sentence, span: tuple[int, int]) -> bool:
    return sentence.start < span[1] and span[0] < sentence.end


def _headings(plan: Plan) -> dict[str, list[str]]:
    """Section numbers by their Chinese title, in the table's order."""
    found: dict[str, list[str]] = {}
    for number, title in plan.sections.items():
        found.setdefault(_bare(title.zh_CN), []).append(number)
    return found


def _bare(line: str) -> str:
    return _NUMBERING.sub("", line.strip()).rstrip("。. ").strip()


def read_text(text: str, plan: Plan) -> PlanText:
    """``text`` (a plan's published text) split into sections and sentences, each
    sentence with the items of ``plan`` that cite it."""
    items = cited(plan)
    # A quote of another document (a parent region's plan) is not this text's, even
    # where the words recur.
    spans = {item: _spans(text, item.source.quote) if own(item, plan) else [] for item in items}
    headings = _headings(plan)
    sections: list[Section] = []
    number: str | None = None
    title: Text | None = None
    heading = ""
    paragraphs: list[tuple[Sentence, ...]] = []
    count = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        start = offset
        offset += len(line)
        stripped = line.strip()
        if not stripped:
            continue
        numbers = headings.get(_bare(stripped))
        if numbers:
            sections.append(
                Section(number=number, title=title, heading=heading, paragraphs=tuple(paragraphs))
            )
            number = numbers.pop(0)
            title = plan.sections[number]
            heading = stripped
            paragraphs = []
            continue
        sentences: list[Sentence] = []
        for match in _SENTENCE.finditer(line):
            words = match.group().strip()
            if not words:
                continue
            count += 1
            begin, end = start + match.start(), start + match.end()
            sentence = Sentence(number=count, text=words, start=begin, end=end)
            citing = tuple(i for i in items if any(_overlap(sentence, span) for span in spans[i]))
            sentences.append(
                attrs.evolve(
                    sentence,
                    cited=citing,
                    readings=tuple(
                        r
                        for r in plan.readings
                        if any(c.kind == "reading" and c.id == r.id for c in citing)
                    ),
                )
            )
        if sentences:
            paragraphs.append(tuple(sentences))
    sections.append(
        Section(number=number, title=title, heading=heading, paragraphs=tuple(paragraphs))
    )
    unplaced = tuple(item for item in items if not spans[item])
    return PlanText(
        sections=tuple(s for s in sections if s.paragraphs or s.number),
        unplaced=unplaced,
        text=text,
    )


def by_kind(items: Sequence[Cited]) -> dict[str, list[Cited]]:
    """``items`` grouped by kind, in the order of :data:`KINDS`."""
    grouped: dict[str, list[Cited]] = {kind: [] for kind in KINDS}
    for item in items:
        grouped[item.kind].append(item)
    return {kind: found for kind, found in grouped.items() if found}
