"""What the audit finds: one :class:`Finding` per problem, with its :class:`Severity`.

The checks of :mod:`edupolicy.analysis.audit` each make findings of their own codes; a
finding knows how to render itself.  Its JSON is declared once, as the view
:data:`FINDING`, from which both :meth:`Finding.to_json` and the schema of the audit's
findings (:func:`findings_schema`, ``edupolicy schema findings``) are made.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from edupolicy.i18n import Message, _
from edupolicy.io.item_views import SOURCE
from edupolicy.io.result_views import LEVEL
from edupolicy.io.schematypes import Schema, document
from edupolicy.io.views import STRING, TEXT, Nullable, Of, View, Words, member
from edupolicy.plans.plan import Level
from edupolicy.rules import Source

__all__ = ["FINDING", "Finding", "Severity", "findings_schema", "own_findings"]


class Severity(enum.Enum):
    """How much a finding matters."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> Message:
        """The severity in words, translatable."""
        if self is Severity.ERROR:
            return _("error")
        return _("warning") if self is Severity.WARNING else _("information")


@attrs.frozen(kw_only=True)
class Finding:
    """One thing the audit found."""

    code: str
    severity: Severity
    #: The rule, target or fact concerned.
    subject: str
    message: Message
    source: Source | None = None
    #: The level of a layered plan the finding belongs to: the plan whose item causes
    #: it, which may not be the one whose words it cites; ``None`` for a plan of one
    #: level.
    level: Level | None = None

    @property
    def own(self) -> bool:
        """Whether the finding is the plan's own, not one it inherits from a parent
        region's plan (always, for a plan of one level)."""
        return self.level is None or self.level.own

    def render(self, locale: str | None = None) -> str:
        """``severity code subject: message`` in ``locale``."""
        return _(
            "{severity} [{code}] {subject}: {message}",
            severity=self.severity.label,
            code=self.code,
            subject=self.subject,
            message=self.message,
        ).render(locale)

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The finding as JSON (the view ``FINDING`` of
        ``edupolicy.analysis.findings``), its message in ``locale``."""
        return FINDING.write(self, locale)


#: A finding's JSON, and its schema.
FINDING = View(
    "Finding",
    (
        member("code", STRING),
        member("severity", Words(Severity)),
        member("subject", STRING),
        member("message", TEXT),
        member("source", Nullable(Of(SOURCE))),
        # Only in a layered plan: a plan of one level writes what it always has.
        member("level", Of(LEVEL), optional=True),
    ),
    "One thing the audit found: its code, severity, the rule, target or fact concerned, "
    "the message, the source it cites; in a plan that builds on a parent region's plan, "
    "the level it belongs to.",
)


def findings_schema() -> Schema:
    """The JSON Schema of the audit's findings (``edupolicy check --format json``, the
    ``check`` question), as a document of its own."""
    defs: dict[str, Schema] = {}
    body: Schema = {"type": "array", "items": FINDING.schema(defs)}
    return document(
        "Findings", "The findings of the audit, errors first (Finding.to_json).", body, defs
    )


def own_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings of ``findings`` that are their plan's own, not inherited from a
    parent region's plan: what a district's checks judge."""
    return tuple(finding for finding in findings if finding.own)
