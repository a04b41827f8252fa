"""What the audit finds: one :class:`Finding` per problem, with its :class:`Severity`.

The checks of :mod:`edupolicy.analysis.audit` each make findings of their own codes; a
finding knows how to render itself and how it is written in JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from edupolicy.i18n import Message, _
from edupolicy.plans.plan import Level
from edupolicy.rules import Source

__all__ = ["Finding", "Severity", "own_findings"]


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
        """The finding as JSON."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "subject": self.subject,
            "message": self.message.render(locale),
            "source": self.source.to_json(locale) if self.source is not None else None,
            # Only in a layered plan: a plan of one level writes what it always has.
            **({"level": self.level.to_json()} if self.level is not None else {}),
        }


def own_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings of ``findings`` that are their plan's own, not inherited from a
    parent region's plan: what a district's checks judge."""
    return tuple(finding for finding in findings if finding.own)
