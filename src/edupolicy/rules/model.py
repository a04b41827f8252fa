"""Rules, the groups they compete in, and schedules: the data the engine evaluates.

A :class:`Rule` has an id, a name, a condition over a subject, the plan text it comes
from (:class:`Source`) and what it gives.  What it gives is the domain's: a domain
subclasses :class:`Rule` with a field for its benefit or outcome, and says how that is
described (:meth:`Rule.gives`); the fields it adds are what an applied item shows of it
in JSON (written by :mod:`edupolicy.io`).

Rules that compete form a :class:`RuleGroup` whose :class:`Combination` says what
happens when several apply: ``stack`` (all are given) or ``one_wins`` (a rule declares
which others it overrides, as exceptions do in Catala).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar

import attrs

from edupolicy.i18n import Message, Renderable, Text, _
from edupolicy.rules.conditions import Condition
from edupolicy.rules.writing import Written

__all__ = ["Combination", "Rule", "RuleGroup", "Schedule", "Source"]

S = TypeVar("S")


@attrs.frozen(kw_only=True)
class Source(Written):
    """Where a rule comes from: the plan's section and its verbatim words.

    A source cites its own plan's document, unless ``document`` names another: a plan
    that builds on a parent region's plan keeps the parent's words for what it inherits,
    and each such source says which plan and document it comes from (its level).
    """

    #: The section of the plan, as the plan numbers it: ``二(一)1``.
    section: str
    #: The plan's own words, verbatim (Chinese in every locale: it is the legal text).
    quote: str
    #: An English gloss of the quote, for readers of English.
    gloss: str | None = None
    #: Which reading was chosen where the text is ambiguous, and why.
    interpretation: Text | None = None
    #: The plan the source comes from, when a plan builds on another (its id).
    plan: str | None = None
    #: The number of the document the quote is from, when that is not the plan's own.
    document: str | None = None
    #: The title of the section in that document.
    section_title: Text | None = None

    @property
    def at(self) -> str:
        """Where the source is: its section, after the document's number when the source
        names its document (an item of a plan with more than one level):
        ``永教发〔2019〕12号 一``."""
        if self.document is not None:
            return f"{self.document} {self.section}"
        return self.section

    def cite(self) -> Message:
        """``二(一)1 “quote”`` — the citation shown in explanations and errors."""
        if self.document is not None:
            return _(
                "{document} section {section}: “{quote}”",
                document=self.document,
                section=self.section,
                quote=self.quote,
            )
        return _("section {section}: “{quote}”", section=self.section, quote=self.quote)

    def title_in(self, sections: Mapping[str, Text]) -> Text | None:
        """The title of the source's section: its own ``section_title`` when it cites
        another document, else the title in ``sections`` (the plan's own sections)."""
        if self.document is not None:
            return self.section_title
        return sections.get(self.section)


class Combination(enum.Enum):
    """How the rules of a group combine when several apply."""

    #: Exactly one may apply; a rule declares which others it overrides.
    ONE_WINS = "one_wins"
    #: All that apply are given.
    STACK = "stack"


@attrs.frozen(kw_only=True)
class RuleGroup:
    """Rules that compete for the same subject, and how they combine."""

    id: str
    name: Text
    combination: Combination
    #: Why the rules combine this way, where the plan does not say.
    interpretation: Text | None = None


@attrs.frozen(kw_only=True)
class Rule(Generic[S]):
    """One rule: a condition over a subject of type ``S``, and where it comes from.

    Subclasses add what the rule gives, as fields, and implement :meth:`gives`.
    """

    #: Whether evaluation says what a subject lacks for this kind of rule.
    explains_lacks: ClassVar[bool] = False

    id: str
    name: Text
    when: Condition[S]
    source: Source
    #: The group this rule competes in, if any.
    group: str | None = None
    #: Ids of rules of the same ``one_wins`` group that this rule overrides.
    overrides: frozenset[str] = frozenset()

    def gives(self) -> Renderable:
        """What the rule gives, in words."""
        raise NotImplementedError


R = TypeVar("R", bound=Rule[Any])


@attrs.frozen(kw_only=True)
class Schedule(Generic[R]):
    """The rules of one domain in one plan, and the groups they compete in."""

    rules: tuple[R, ...] = ()
    groups: tuple[RuleGroup, ...] = ()

    def rule(self, rule_id: str) -> R:
        """The rule with id ``rule_id``; :class:`KeyError` when there is none."""
        return self._rules_by_id[rule_id]

    def group(self, group_id: str) -> RuleGroup:
        """The group with id ``group_id``; :class:`KeyError` when there is none."""
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)

    @cached_property
    def _rules_by_id(self) -> dict[str, R]:
        return {rule.id: rule for rule in reversed(self.rules)}

    @cached_property
    def one_wins(self) -> frozenset[str]:
        """The ids of the ``one_wins`` groups."""
        return frozenset(g.id for g in self.groups if g.combination is Combination.ONE_WINS)

    @cached_property
    def order(self) -> dict[str, int]:
        """Each rule's position in the schedule."""
        return {rule.id: index for index, rule in enumerate(self.rules)}
