"""A case of a case table, what it expects, and how it came out.

A :class:`Case` is one named question to a region's policy (a student, a teacher, a
year's figures, a candidate list or an award list, on a date) with what the person
who wrote it expects.  :meth:`Case.run` asks the question and compares: the
:class:`Outcome` holds one :class:`Check` per expectation, expected against actual,
and what the answer rests on (the rules that applied, with their sections and quotes).
Cases are read from files by :func:`edupolicy.cases.read_cases`, which checks them
against the plan first.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from edupolicy import load
from edupolicy.aid import AidResult
from edupolicy.errors import EdupolicyError
from edupolicy.goals import Status, TargetProgress
from edupolicy.i18n import SUPPORTED_LOCALES, Message, Renderable, Text, _
from edupolicy.rules import Applied, Source
from edupolicy.teachers import Selection, ShareCheck, TeacherResult

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


class Subject(enum.Enum):
    """What a case asks about: the key of the case that holds its record."""

    #: A student record: the aid the student receives on a date.
    STUDENT = "student"
    #: A teacher record: the incentives the teacher earns on a date.
    TEACHER = "teacher"
    #: Reported figures: where the plan's targets stand.
    FIGURES = "figures"
    #: A candidate list: the cohort a quota selects in a year.
    CANDIDATES = "candidates"
    #: An award list: whether it meets a share.
    AWARDS = "awards"


#: The expectation keys of each subject, in the order their checks are reported.
#: ``error`` is an expectation of every subject.
EXPECTATIONS: Final[Mapping[Subject, tuple[str, ...]]] = {
    Subject.STUDENT: ("cash_total", "waivers", "applies", "not_applies"),
    Subject.TEACHER: ("earns", "not_earns"),
    Subject.FIGURES: ("status",),
    Subject.CANDIDATES: ("selected",),
    Subject.AWARDS: ("meets", "short_by"),
}


class ProvisionKind(enum.Enum):
    """A kind of provision of a plan that cases exercise."""

    AID_RULE = "aid_rule"
    TEACHER_RULE = "teacher_rule"
    QUOTA = "quota"
    SHARE = "share"
    TARGET = "target"

    @property
    def label(self) -> Message:
        """The kind in words, translatable."""
        return _KIND_LABELS[self]


_KIND_LABELS: Mapping[ProvisionKind, Message] = {
    ProvisionKind.AID_RULE: _("aid rule"),
    ProvisionKind.TEACHER_RULE: _("teacher-incentive rule"),
    ProvisionKind.QUOTA: _("quota"),
    ProvisionKind.SHARE: _("share"),
    ProvisionKind.TARGET: _("target"),
}

#: A provision of a region's plans, by kind and id.
Named = tuple[ProvisionKind, str]


@attrs.frozen(kw_only=True)
class Expected:
    """What a case expects; ``None`` where it expects nothing of that field."""

    cash_total: Decimal | None = None
    waivers: tuple[str, ...] | None = None
    applies: tuple[str, ...] | None = None
    not_applies: tuple[str, ...] | None = None
    earns: tuple[str, ...] | None = None
    not_earns: tuple[str, ...] | None = None
    #: The status of each target named, by target id.
    status: Mapping[str, Status] | None = None
    selected: tuple[str, ...] | None = None
    meets: bool | None = None
    short_by: int | None = None
    #: The evaluation must fail with an edupolicy error whose text contains this.
    error: str | None = None


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
    expected: Expected
    #: The line of each key of the case (``cash_total``, ``status.schools-2020``…).
    lines: Mapping[str, int] = attrs.field(factory=dict)

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
            policy = load(self.region, locale=locale)
            result: AidResult | TeacherResult | tuple[TargetProgress, ...] | Selection | ShareCheck
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
        return _compare(self, result)

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

    @classmethod
    def of(cls, item: Applied[Any]) -> AppliedRule:
        """The rule of an applied item of a result."""
        return cls(
            id=item.rule.id,
            name=item.rule.name,
            source=item.rule.source,
            section_title=item.section_title,
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
    return _(
        "section {section} {title}: “{quote}”",
        section=source.section,
        title=title,
        quote=source.quote,
    )


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
        if case.subject in (Subject.STUDENT, Subject.TEACHER) and self.plan is not None:
            where = {"region": case.region, "plan": self.plan, "on": _day(case.on)}
            if self.applied:
                lines.append(
                    _("Rules that applied ({region}, plan {plan}, on {on}):", **where).render(
                        locale
                    )
                )
                lines.extend("  " + rule.describe().render(locale) for rule in self.applied)
            else:
                lines.append(
                    _("No rule applied ({region}, plan {plan}, on {on})", **where).render(locale)
                )
        for line in self.context:
            lines.extend(_indented(line.render(locale), ""))
        return "\n".join(lines)


def _day(day: _dt.date | None) -> str:
    return day.isoformat() if day is not None else "-"


def _labelled(label: Message, value: Renderable | str, locale: str | None) -> list[str]:
    text = value if isinstance(value, str) else value.render(locale)
    head = label.render(locale)
    width = max(len(_("expected:").render(locale)), len(_("actual:").render(locale)))
    first, *rest = text.split("\n")
    return [
        f"    {head.ljust(width)} {first}".rstrip(),
        *("    " + " " * (width + 1) + r for r in rest),
    ]


def _indented(text: str, prefix: str) -> list[str]:
    return [prefix + line for line in text.split("\n")]


# --- comparing a result with what the case expects ------------------------------------------


def _ids(ids: Sequence[str]) -> Renderable | str:
    return ", ".join(ids) if ids else _("(none)")


def _must_apply(
    field: str,
    line: int,
    wanted: Sequence[str],
    applied: Sequence[str],
    missing_note: Callable[[str], Message],
) -> Check:
    """Every rule of ``wanted`` is among ``applied``."""
    missing = [rule for rule in wanted if rule not in applied]
    return Check(
        field=field,
        line=line,
        expected=_ids(wanted),
        actual=_ids(applied),
        passed=not missing,
        note=missing_note(", ".join(missing)) if missing else None,
    )


def _must_not_apply(
    field: str,
    line: int,
    unwanted: Sequence[str],
    applied: Sequence[str],
    found_note: Callable[[str], Message],
) -> Check:
    """No rule of ``unwanted`` is among ``applied``."""
    found = [rule for rule in unwanted if rule in applied]
    return Check(
        field=field,
        line=line,
        expected=_("none of: {rules}", rules=", ".join(unwanted)),
        actual=_ids(applied),
        passed=not found,
        note=found_note(", ".join(found)) if found else None,
    )


def _compare(
    case: Case,
    result: AidResult | TeacherResult | tuple[TargetProgress, ...] | Selection | ShareCheck,
) -> Outcome:
    expected = case.expected
    checks: list[Check] = []
    if expected.error is not None:
        checks.append(
            Check(
                field="error",
                line=case.line_of("error"),
                expected=_("an error containing “{text}”", text=expected.error),
                actual=_("no error: the evaluation succeeded"),
                passed=False,
            )
        )
    if isinstance(result, AidResult):
        return _compare_aid(case, result, checks)
    if isinstance(result, TeacherResult):
        return _compare_teacher(case, result, checks)
    if isinstance(result, Selection):
        return _compare_selection(case, result, checks)
    if isinstance(result, ShareCheck):
        return _compare_share(case, result, checks)
    return _compare_progress(case, result, checks)


def _compare_aid(case: Case, result: AidResult, checks: list[Check]) -> Outcome:
    expected = case.expected
    applied = [item.rule_id for item in result.items]
    if expected.cash_total is not None:
        checks.append(
            Check(
                field="cash_total",
                line=case.line_of("cash_total"),
                expected=f"{expected.cash_total:.2f}",
                actual=f"{result.cash_total:.2f}",
                passed=expected.cash_total == result.cash_total,
            )
        )
    if expected.waivers is not None:
        wanted = sorted(expected.waivers)
        checks.append(
            Check(
                field="waivers",
                line=case.line_of("waivers"),
                expected=_ids(wanted),
                actual=_ids(result.waivers),
                passed=wanted == sorted(result.waivers),
            )
        )
    if expected.applies is not None:
        checks.append(
            _must_apply(
                "applies",
                case.line_of("applies"),
                expected.applies,
                applied,
                lambda rules: _("did not apply: {rules}", rules=rules),
            )
        )
    if expected.not_applies is not None:
        checks.append(
            _must_not_apply(
                "not_applies",
                case.line_of("not_applies"),
                expected.not_applies,
                applied,
                lambda rules: _("applied: {rules}", rules=rules),
            )
        )
    return Outcome(
        case=case,
        checks=tuple(checks),
        plan=result.plan,
        applied=tuple(AppliedRule.of(item) for item in result.items),
        exercised=case.names | {(ProvisionKind.AID_RULE, rule) for rule in applied},
    )


def _compare_teacher(case: Case, result: TeacherResult, checks: list[Check]) -> Outcome:
    expected = case.expected
    earned = [item.rule_id for item in result.items]
    if expected.earns is not None:
        checks.append(
            _must_apply(
                "earns",
                case.line_of("earns"),
                expected.earns,
                earned,
                lambda rules: _("not earned: {rules}", rules=rules),
            )
        )
    if expected.not_earns is not None:
        checks.append(
            _must_not_apply(
                "not_earns",
                case.line_of("not_earns"),
                expected.not_earns,
                earned,
                lambda rules: _("earned: {rules}", rules=rules),
            )
        )
    service = result.service
    return Outcome(
        case=case,
        checks=tuple(checks),
        plan=result.plan,
        applied=tuple(AppliedRule.of(item) for item in result.items),
        context=(
            _(
                "Rural service on {on}: {continuous} years continuous, {total} years in all",
                on=service.on.isoformat(),
                continuous=service.continuous_years,
                total=service.total_years,
            ),
        ),
        exercised=case.names | {(ProvisionKind.TEACHER_RULE, rule) for rule in earned},
    )


def _compare_progress(
    case: Case, lines: tuple[TargetProgress, ...], checks: list[Check]
) -> Outcome:
    by_id = {line.target.id: line for line in lines}
    context: list[Renderable] = []
    for target, status in (case.expected.status or {}).items():
        line = by_id.get(target)
        actual = line.status.value if line is not None else "-"
        passed = line is not None and line.status is status
        note: Renderable | None = line.explanation if line is not None else None
        checks.append(
            Check(
                field=f"status.{target}",
                line=case.line_of(f"status.{target}"),
                expected=status.value,
                actual=actual,
                passed=passed,
                note=note,
            )
        )
        if line is not None and not passed:
            context.append(_("{target}: {source}", target=target, source=line.target.source.cite()))
    return Outcome(case=case, checks=tuple(checks), context=tuple(context), exercised=case.names)


def _compare_selection(case: Case, selection: Selection, checks: list[Check]) -> Outcome:
    wanted = case.expected.selected
    chosen = [candidate.teacher_id for candidate in selection.selected]
    if wanted is not None:
        reasons = {c.teacher_id: c.reason for c in selection.candidates}
        surprises = [tid for tid in wanted if tid not in chosen] + [
            tid for tid in chosen if tid not in wanted
        ]
        note: Renderable | None = None
        if surprises:
            note = _lines([_("{id}: {reason}", id=tid, reason=reasons[tid]) for tid in surprises])
        checks.append(
            Check(
                field="selected",
                line=case.line_of("selected"),
                expected=_ids(sorted(wanted)),
                actual=_ids(chosen),
                passed=sorted(wanted) == sorted(chosen),
                note=note,
            )
        )
    quota = selection.quota
    return Outcome(
        case=case,
        checks=tuple(checks),
        plan=selection.plan,
        context=(
            _(
                "Quota {quota}: {per_year} a year, counted on {on}; {source}",
                quota=quota.id,
                per_year=quota.per_year,
                on=selection.on.isoformat(),
                source=quota.source.cite(),
            ),
        ),
        exercised=case.names | {(ProvisionKind.QUOTA, quota.id)},
    )


def _compare_share(case: Case, check: ShareCheck, checks: list[Check]) -> Outcome:
    expected = case.expected
    if expected.meets is not None:
        checks.append(
            Check(
                field="meets",
                line=case.line_of("meets"),
                expected=_bool(expected.meets),
                actual=_bool(check.meets),
                passed=expected.meets is check.meets,
                note=check.summary,
            )
        )
    if expected.short_by is not None:
        checks.append(
            Check(
                field="short_by",
                line=case.line_of("short_by"),
                expected=str(expected.short_by),
                actual=str(check.short_by),
                passed=expected.short_by == check.short_by,
                note=check.summary,
            )
        )
    share = check.share
    return Outcome(
        case=case,
        checks=tuple(checks),
        plan=check.plan,
        context=(
            _("Share {share}: {source}", share=share.id, source=share.source.cite()),
            _lines([_("{id}: {reason}", id=e.label, reason=e.reason) for e in check.entries]),
        ),
        exercised=case.names | {(ProvisionKind.SHARE, share.id)},
    )


def _bool(value: bool) -> str:
    return "true" if value else "false"


@attrs.frozen
class _Lines:
    """Several messages, one a line."""

    items: tuple[Renderable, ...]

    def render(self, locale: str | None = None) -> str:
        return "\n".join(item.render(locale) for item in self.items)


def _lines(items: Sequence[Renderable]) -> Renderable:
    return _Lines(tuple(items))
