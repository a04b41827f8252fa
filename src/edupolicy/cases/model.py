"""A case of a case table, what it expects, and how it came out.

A :class:`Case` is one named question to a region's policy (a student, a teacher, a
year's figures, a candidate list or an award list, on a date) with what the person
who wrote it expects.  :meth:`Case.run` asks the question and compares: the
:class:`Outcome` holds one :class:`Check` per expectation, expected against actual,
and what the answer rests on (the rules that applied, with their sections and quotes).
Cases are read from files by :func:`edupolicy.cases.read_cases`, which checks them
against the plan first.  What a case expects is in :mod:`edupolicy.cases.vocabulary`,
and the comparison in :mod:`edupolicy.cases.compare`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import attrs

from edupolicy import load
from edupolicy.cases.checks import AppliedRule, Check
from edupolicy.cases.compare import Answer, compare
from edupolicy.cases.questions import QuestionCase, answer_checks
from edupolicy.cases.vocabulary import (
    EXPECTATIONS,
    Expected,
    Named,
    ProvisionKind,
    Subject,
)
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import SUPPORTED_LOCALES, Message, Renderable, _
from edupolicy.plans import Change
from edupolicy.policy import Policy
from edupolicy.policy.questions import Asked as QuestionAsked

__all__ = [
    "EXPECTATIONS",
    "AppliedRule",
    "Case",
    "Check",
    "Expected",
    "Outcome",
    "ProvisionKind",
    "Subject",
]


@attrs.frozen(kw_only=True)
class Case:
    """One named case of a case file: a question to a region's policy and what it expects.

    ``data`` is what the policy is asked about, as :mod:`edupolicy.cases` read it: a
    checked :class:`~edupolicy.Student` or :class:`~edupolicy.Teacher`, the figures,
    or the list of candidates or awards (left as written in a case that expects an
    error, for the evaluation to refuse).
    """

    name: str
    #: The case file, as messages name it.
    file: str
    #: The line of the case in the file (its ``[[case]]`` header, or its CSV row).
    line: int
    region: str
    subject: Subject
    #: The date the question is asked on, and the year (for figures and selections).
    on: _dt.date | None
    year: int | None
    data: Any
    #: The programme of a selection, and the share an award list is checked against
    #: (``None``: the plan's only share).
    programme: str | None = None
    share: str | None = None
    #: The readings the case is checked under (reading id → choice id); the others keep
    #: their defaults.
    readings: Mapping[str, str] = attrs.field(factory=dict)
    #: The what-if changes the case is checked under (its file's ``changes``).
    changes: tuple[Change, ...] = ()
    expected: Expected
    #: The line of each key of the case (``cash_total``, ``status.schools-2020``…).
    lines: Mapping[str, int] = attrs.field(factory=dict)
    #: A case of a declared question: the question, its parameters, what it expects.
    asked: QuestionCase | None = None

    @property
    def location(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"

    def line_of(self, key: str) -> int:
        """The line of key ``key`` of the case (the case's own line when it has none)."""
        return self.lines.get(key, self.line)

    @property
    def names(self) -> frozenset[Named]:
        """The provisions the case names in what it expects or asks."""
        found: set[Named] = set()
        expected = self.expected
        for ids in (expected.applies, expected.not_applies):
            found.update((ProvisionKind.AID_RULE, rule) for rule in ids or ())
        for ids in (expected.earns, expected.not_earns):
            found.update((ProvisionKind.TEACHER_RULE, rule) for rule in ids or ())
        found.update((ProvisionKind.TARGET, target) for target in expected.status or {})
        if self.subject is Subject.CANDIDATES and self.programme is not None:
            found.add((ProvisionKind.QUOTA, self.programme))
        if self.subject is Subject.AWARDS and self.share is not None:
            found.add((ProvisionKind.SHARE, self.share))
        return frozenset(found)

    def run(self, *, locale: str | None = None) -> Outcome:
        """Ask the case's question and compare the answer with what the case expects.

        An edupolicy error raised by the evaluation is part of the outcome (what a case
        that expects an error checks); any other exception propagates.
        """
        try:
            policy = load(self.region, readings=self.readings or None, locale=locale)
            if self.changes:
                policy = policy.with_changes(self.changes, locale=locale)
            if self.asked is not None:
                return self._run_question(self.asked, policy, locale)
            result: Answer
            if self.subject is Subject.STUDENT:
                assert self.on is not None, "checked when the case was read"
                result = policy.aid(self.data, self.on, locale=locale)
            elif self.subject is Subject.TEACHER:
                assert self.on is not None, "checked when the case was read"
                result = policy.teacher(self.data, self.on, locale=locale)
            elif self.subject is Subject.FIGURES:
                result = policy.progress(self.data, year=self.year, on=self.on, locale=locale)
            elif self.subject is Subject.CANDIDATES:
                assert self.programme is not None
                assert self.year is not None
                result = policy.select(self.programme, self.data, year=self.year, locale=locale)
            else:
                assert self.on is not None, "checked when the case was read"
                result = policy.check_awards(self.data, self.on, share=self.share, locale=locale)
        except EdupolicyError as exc:
            return self._failed(exc)
        found = compare(self, result)
        return Outcome(
            case=self,
            checks=found.checks,
            plan=found.plan,
            applied=found.applied,
            context=found.context,
            exercised=found.exercised
            | {(ProvisionKind.READING, f"{key}={value}") for key, value in self.readings.items()},
        )

    def _run_question(self, asked: QuestionCase, policy: Policy, locale: str | None) -> Outcome:
        """Ask a declared question and compare the parts of its answer expected."""
        declared = asked.question
        subject = (
            declared.subject.check(asked.about, locale=locale)
            if declared.subject is not None
            else None
        )

        def other(region: str) -> Policy:
            return load(region, readings=self.readings or None, locale=locale)

        answer = declared.ask(
            QuestionAsked(
                policy=policy,
                base=load(self.region, locale=locale),
                subject=subject,
                params=asked.params,
                locale=locale,
                other=other,
                readings=self.readings,
            )
        )
        wanted = self.expected.answer
        checks = [] if wanted is None else answer_checks(wanted, answer, self.line_of("answer"))
        if self.expected.error is not None:
            checks.insert(
                0,
                Check(
                    field="error",
                    line=self.line_of("error"),
                    expected=_("an error containing “{text}”", text=self.expected.error),
                    actual=_("no error: the evaluation succeeded"),
                    passed=False,
                ),
            )
        return Outcome(
            case=self,
            checks=tuple(checks),
            exercised=frozenset(
                (ProvisionKind.READING, f"{key}={value}") for key, value in self.readings.items()
            ),
        )

    def _failed(self, error: EdupolicyError) -> Outcome:
        """The outcome of an evaluation that raised ``error``."""
        text = error.render(error.locale)
        wanted = self.expected.error
        if wanted is None:
            check = Check(
                field="error",
                line=self.line,
                expected=_("a result"),
                actual=_("the evaluation failed: {error}", error=text),
                passed=False,
            )
        else:
            renderings = {error.render(locale) for locale in SUPPORTED_LOCALES} | {text}
            check = Check(
                field="error",
                line=self.line_of("error"),
                expected=_("an error containing “{text}”", text=wanted),
                actual=text,
                passed=any(wanted in rendering for rendering in renderings),
            )
        return Outcome(case=self, checks=(check,), error=error, exercised=self.names)


@attrs.frozen(kw_only=True)
class Outcome:
    """How a case came out: a check per expectation, and what the answer rests on."""

    case: Case
    checks: tuple[Check, ...]
    #: The plan that answered, when the evaluation succeeded.
    plan: str | None = None
    #: For a student or teacher: the rules that applied, in plan order.
    applied: tuple[AppliedRule, ...] = ()
    #: For the other subjects: the lines of the answer the checks rest on.
    context: tuple[Renderable, ...] = ()
    #: The edupolicy error the evaluation raised, if it raised one.
    error: EdupolicyError | None = None
    #: The provisions the case exercised: those it names and the rules that applied.
    exercised: frozenset[Named] = frozenset()

    @property
    def passed(self) -> bool:
        """Whether every expectation holds."""
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The expectations that do not hold."""
        return tuple(check for check in self.checks if not check.passed)

    def report(self, locale: str | None = None) -> str:
        """The outcome in words: ``file:line``, the case, each failed check, the rules.

        Every check is shown when the case passed; only the failed ones when it did not.
        """
        case = self.case
        if self.passed:
            head = _("{location}: case “{name}” holds", location=case.location, name=case.name)
        else:
            head = _("{location}: case “{name}” fails", location=case.location, name=case.name)
        lines = [head.render(locale)]
        for check in self.checks if self.passed else self.failures:
            lines.append(
                "  " + _("{field} (line {line})", field=check.field, line=check.line).render(locale)
            )
            lines.extend(_labelled(_("expected:"), check.expected, locale))
            lines.extend(_labelled(_("actual:"), check.actual, locale))
            if check.note is not None:
                lines.extend(_indented(check.note.render(locale), "    "))
        # What the case ran under, whatever its subject: its readings and its changes.
        if case.readings:
            chosen = ", ".join(f"{key}={value}" for key, value in case.readings.items())
            lines.append(_("Readings: {readings}", readings=chosen).render(locale))
        for change in case.changes:
            lines.append(
                _(
                    "Change: {change} ({reason})",
                    change=change.describe_in_full(),
                    reason=change.reason,
                ).render(locale)
            )
        if case.subject in (Subject.STUDENT, Subject.TEACHER) and self.plan is not None:
            where = {"region": case.region, "plan": self.plan, "on": _day(case.on)}
            changed = _changed_rules(case.changes)
            if self.applied:
                lines.append(
                    _("Rules that applied ({region}, plan {plan}, on {on}):", **where).render(
                        locale
                    )
                )
                for rule in self.applied:
                    text: Message = rule.describe()
                    if rule.id in changed:
                        text = (
                            _(
                                "{rule} — changed: {amount} in force",
                                rule=text,
                                amount=rule.amount,
                            )
                            if rule.amount is not None
                            else _("{rule} — changed", rule=text)
                        )
                    lines.append("  " + text.render(locale))
            else:
                lines.append(
                    _("No rule applied ({region}, plan {plan}, on {on})", **where).render(locale)
                )
        for line in self.context:
            lines.extend(_indented(line.render(locale), ""))
        return "\n".join(lines)


def _changed_rules(changes: tuple[Change, ...]) -> frozenset[str]:
    """The ids of the rules ``changes`` select (``aid:ID`` and ``teachers:ID`` as ``ID``)."""
    found: set[str] = set()
    for change in changes:
        if change.rule is not None:
            found.add(change.rule.split(":", 1)[1] if ":" in change.rule else change.rule)
    return frozenset(found)


def _day(day: _dt.date | None) -> str:
    return day.isoformat() if day is not None else "-"


def _labelled(label: Message, value: Renderable | str, locale: str | None) -> list[str]:
    text = value if isinstance(value, str) else value.render(locale)
    head = label.render(locale)
    width = max(len(_("expected:").render(locale)), len(_("actual:").render(locale)))
    first, *rest = text.split("\n")
    # A full-width colon (Chinese) carries its own space.
    gap = "" if head.endswith("：") else " "
    return [
        f"    {head.ljust(width)}{gap}{first}".rstrip(),
        *("    " + " " * (width + len(gap)) + r for r in rest),
    ]


def _indented(text: str, prefix: str) -> list[str]:
    return [prefix + line for line in text.split("\n")]
