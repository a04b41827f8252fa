"""The parts of a case's outcome: a check, expected against actual, and a rule that applied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from edupolicy.aid import AidItem
from edupolicy.i18n import Message, Renderable, Text, _
from edupolicy.rules import Applied, Source

__all__ = ["AppliedRule", "Check"]


@attrs.frozen(kw_only=True)
class Check:
    """One expectation of a case: expected against actual."""

    #: The key of the case (``cash_total``, ``status.schools-2020``…).
    field: str
    #: Its line in the case file.
    line: int
    expected: Renderable | str
    actual: Renderable | str
    passed: bool
    #: What explains the difference (``did not apply: …``), if anything.
    note: Renderable | None = None


@attrs.frozen(kw_only=True)
class AppliedRule:
    """A rule that applied in a case's result, with where the plan says it."""

    id: str
    name: Text
    source: Source
    section_title: Text | None = None
    #: The amount the rule gives under the plan in force (changes applied), if it has one.
    amount: Decimal | None = None

    @classmethod
    def of(cls, item: Applied[Any]) -> AppliedRule:
        """The rule of an applied item of a result."""
        return cls(
            id=item.rule.id,
            name=item.rule.name,
            source=item.rule.source,
            section_title=item.section_title,
            amount=item.amount if isinstance(item, AidItem) else None,
        )

    def describe(self) -> Message:
        """``id (name): section 二(一)1 title, “quote”``."""
        return _(
            "{id} ({name}): {source}",
            id=self.id,
            name=self.name,
            source=_cite(self.source, self.section_title),
        )


def _cite(source: Source, title: Text | None) -> Message:
    if title is None:
        return source.cite()
    if source.document is not None:
        return _(
            "{document} section {section} {title}: “{quote}”",
            document=source.document,
            section=source.section,
            title=title,
            quote=source.quote,
        )
    return _(
        "section {section} {title}: “{quote}”",
        section=source.section,
        title=title,
        quote=source.quote,
    )
