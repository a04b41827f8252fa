"""The consistency audit: what is wrong with a plan's own data, before anyone relies on it.

:func:`audit` checks one :class:`~edupolicy.plans.Plan` and returns its findings, each
with a severity, a translatable message and the plan text it concerns:

``composite-sum`` (error)
    A stated total differs from the sum of the parts the plan names for it.
``unit-range`` (error)
    A value its unit does not allow: a rate above 100% that cannot exceed it, a
    negative value, a fraction of a whole count.
``contradictory-targets`` (error)
    Two targets for the same indicator, scope and deadline that no value can meet
    together.
``outside-period`` (warning)
    A deadline, baseline or fact dated outside the plan's period.
``missing-source`` (error)
    A rule, target or fact without the plan's words.
``quote-number`` (warning)
    A figure of the data (an aid amount, a target's or fact's value, a share, a quota,
    a teacher rule's years) that its own quote does not state, such as an amount
    changed while its quote was kept, unless the item's interpretation states it.
``aid-conflict`` (error)
    Two rules of a ``one_wins`` group that both apply to some student, with no
    precedence declared — found by evaluating every combination of the finite record
    space (stage × year × area × boarding × household statuses × orphan × disabled).
``equal-treatment`` (error)
    A student whose aid changes with a household status the plan says must not
    matter.
``no-aid`` (info)
    A stage, or a kind of hardship within a stage, that no rule covers.
``parent-ended`` (info)
    A plan that keeps its parent's plan as issued runs past that plan's end.
``parent-replaced`` (info)
    A later plan of the parent region replaces, within a plan's period, the plan it
    keeps as issued.

In a plan that builds on a parent region's plan, each finding names its
:class:`~edupolicy.plans.Level`: the plan's own, when an item of the plan's own
document is concerned or the parent's plan does not have the finding (the district's
changes caused it); else the level the parent's plan gives the same finding.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs

from edupolicy.aid import (
    AidSchedule,
    Household,
    HouseholdStatus,
    Stage,
    Student,
    evaluate_aid,
)
from edupolicy.aid.records import student_from_key
from edupolicy.analysis.quote_numbers import states
from edupolicy.analysis.whatif import read_under
from edupolicy.decimals import exact
from edupolicy.errors import PlanDataError, RuleConflictError
from edupolicy.goals import Comparison, Fact, Goals, Target, Unit
from edupolicy.i18n import Message, _, years
from edupolicy.plans.plan import Level, ParentPlans, Plan
from edupolicy.rules import Source, walk
from edupolicy.teachers import ContinuousRuralYears, TotalRuralYears
from edupolicy.values import SchoolArea

__all__ = ["Finding", "Severity", "audit", "own_findings", "student_space"]


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


def student_space(plan: Plan) -> Iterator[Student]:
    """Every distinct student record the plan's rules can tell apart: the core's household
    statuses and those the plan declares, in every combination."""
    statuses: list[HouseholdStatus] = [*Household, *plan.household_statuses]
    subsets = [
        frozenset(combo)
        for size in range(len(statuses) + 1)
        for combo in itertools.combinations(statuses, size)
    ]
    for stage in Stage:
        for year in range(1, plan.stage_years[stage] + 1):
            for area, boarding, household, orphan, disabled in itertools.product(
                SchoolArea, (False, True), subsets, (False, True), (False, True)
            ):
                yield student_from_key((stage, year, area, boarding, household, orphan, disabled))


@exact
def audit(plan: Plan) -> tuple[Finding, ...]:
    """Every finding about ``plan``, errors first; in a plan that builds on a parent
    region's plan, each with its ``level``."""
    findings: list[Finding] = []
    if plan.goals is not None:
        findings.extend(_audit_goals(plan, plan.goals))
    findings.extend(_audit_sources(plan))
    findings.extend(_audit_quote_numbers(plan))
    findings.extend(_audit_aid(plan))
    findings.extend(_audit_readings(plan))
    findings = _levelled(plan, findings)
    findings.extend(_audit_parent(plan))
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return tuple(sorted(findings, key=lambda f: order[f.severity]))


# --- levels --------------------------------------------------------------------------------


def _levelled(plan: Plan, findings: list[Finding]) -> list[Finding]:
    """``findings``, each with its level when ``plan`` builds on a parent's plan.

    A finding is inherited when the parent's plan has the same finding (code, subject,
    severity and message) and none of the items its subject names is of the plan's own
    document; it then keeps the level the parent's plan gives it.  Every other finding
    is the plan's own: its own items, or its changes to what it inherits (a rule
    removed, a condition added), cause it.
    """
    own = plan.own_level
    if plan.built_on is None or own is None:
        return findings
    parent = plan.built_on.plan
    inherited: dict[tuple[str, str, Severity, str], Level] = {}
    for found in audit(parent):
        key = (found.code, found.subject, found.severity, found.message.render("en"))
        level = found.level
        if level is None or level.own:
            level = Level(
                plan=parent.id, document=parent.document.number, region=plan.built_on.region
            )
        inherited.setdefault(key, level)
    sources = _sources_by_id(plan)
    levelled: list[Finding] = []
    for finding in findings:
        key = (finding.code, finding.subject, finding.severity, finding.message.render("en"))
        level = inherited.get(key)
        named = [sources[name] for name in _named(finding.subject) if name in sources]
        if level is None or any(plan.level_of(source) == own for source in named):
            level = own
        levelled.append(attrs.evolve(finding, level=level))
    return levelled


def _named(subject: str) -> list[str]:
    """The ids a finding's subject names: ``a, b`` or ``reading=choice``."""
    return [part.split("=", 1)[0] for part in subject.split(", ")]


def _sources_by_id(plan: Plan) -> dict[str, Source]:
    sources: dict[str, Source] = {rule.id: rule.source for rule in plan.aid.rules}
    sources.update((p.id, p.source) for p in plan.aid.equal_treatment)
    if plan.teachers is not None:
        sources.update((rule.id, rule.source) for rule in plan.teachers.rules)
        sources.update((quota.id, quota.source) for quota in plan.teachers.quotas)
        sources.update((share.id, share.source) for share in plan.teachers.shares)
    if plan.goals is not None:
        sources.update((target.id, target.source) for target in plan.goals.targets)
        sources.update((fact.id, fact.source) for fact in plan.goals.facts)
    sources.update((reading.id, reading.source) for reading in plan.readings)
    return sources


def _audit_parent(plan: Plan) -> Iterator[Finding]:
    """What became of the parent's plan a plan keeps as issued: ended, or replaced."""
    built_on = plan.built_on
    if built_on is None or built_on.choice is not ParentPlans.AS_ISSUED:
        return
    parent = built_on.plan
    ends, own_end = parent.in_force.end, plan.in_force.end
    if ends is not None and (own_end is None or own_end > ends):
        yield Finding(
            code="parent-ended",
            severity=Severity.INFO,
            subject=parent.id,
            message=_(
                "it keeps plan {parent} ({document}) of region {region} as issued, which "
                "ended on {day}: its rules stay in force here as they stood",
                parent=parent.id,
                document=parent.document.number,
                region=built_on.region,
                day=ends,
            ),
            level=plan.own_level,
        )
    for later in built_on.later:
        if own_end is not None and later.in_force.start > own_end:
            break  # in force only after this plan has ended: nothing to tell
        yield Finding(
            code="parent-replaced",
            severity=Severity.INFO,
            subject=parent.id,
            message=_(
                "plan {later} ({document}) of region {region} is in force from {day}, "
                "after plan {parent}, which this plan keeps as issued; to follow the "
                'region\'s plans instead, write parent_plans = "follow"',
                later=later.id,
                document=later.document.number,
                region=built_on.region,
                day=later.in_force.start,
                parent=parent.id,
            ),
            level=plan.own_level,
        )


# --- readings ------------------------------------------------------------------------------


def _audit_readings(plan: Plan) -> Iterator[Finding]:
    """Every choice of every reading must make a valid plan when it is chosen alone."""
    for reading in plan.readings:
        for choice in reading.choices:
            if choice.id == reading.default:
                continue
            try:
                read_under(plan, {reading.id: choice.id})
            except PlanDataError as exc:
                for problem in exc.problems:
                    yield Finding(
                        code="reading-invalid",
                        severity=Severity.ERROR,
                        subject=f"{reading.id}={choice.id}",
                        message=_(
                            "under this reading the plan is not valid: {path}: {problem}",
                            path=problem.path,
                            problem=problem.message,
                        ),
                        source=reading.source,
                    )


# --- goals ---------------------------------------------------------------------------------


def _show(unit: Unit, value: Decimal) -> object:
    return unit.show(value)


def _audit_goals(plan: Plan, goals: Goals) -> Iterator[Finding]:
    targets = {target.id: target for target in goals.targets}
    indicators = {indicator.id: indicator for indicator in goals.indicators}
    for target in goals.targets:
        unit = indicators[target.indicator].unit
        if target.parts:
            parts = [targets[part] for part in target.parts]
            total = sum((part.value for part in parts), Decimal(0))
            if total != target.value:
                yield Finding(
                    code="composite-sum",
                    severity=Severity.ERROR,
                    subject=target.id,
                    message=_(
                        "the stated total {total} differs from the sum of its parts "
                        "{parts} = {sum} (difference {difference})",
                        total=_show(unit, target.value),
                        parts=_sum_text(unit, parts),
                        sum=_show(unit, total),
                        difference=_show(unit, abs(total - target.value)),
                    ),
                    source=target.source,
                )
    for target in goals.targets:
        yield from _value_range(
            target.id, indicators[target.indicator], target.value, target.source
        )
        if target.baseline is not None:
            yield from _value_range(
                target.id, indicators[target.indicator], target.baseline.value, target.source
            )
    for fact in goals.facts:
        yield from _value_range(fact.id, indicators[fact.indicator], fact.value, fact.source)

    yield from _contradictions(goals)

    period = plan.in_force
    for target in goals.targets:
        # A baseline before the plan starts is normal; a deadline outside it is not.
        if target.deadline not in period:
            yield Finding(
                code="outside-period",
                severity=Severity.WARNING,
                subject=target.id,
                message=_(
                    "its deadline {day} lies outside the plan's period {period}",
                    day=target.deadline,
                    period=str(period),
                ),
                source=target.source,
            )
    for fact in goals.facts:
        if fact.on not in period:
            yield Finding(
                code="outside-period",
                severity=Severity.WARNING,
                subject=fact.id,
                message=_(
                    "its date {day} lies outside the plan's period {period}",
                    day=fact.on,
                    period=str(period),
                ),
                source=fact.source,
            )


def _plain(unit: Unit, value: Decimal) -> object:
    """A value in its unit, without rounding that would hide a fraction or a sign."""
    if unit is Unit.PERCENT:
        return f"{value}%"
    if value >= 0 and value == value.to_integral_value():
        return unit.show(value)
    return str(value)


def _sum_text(unit: Unit, parts: list[Target]) -> Message:
    text = _("{target} {value}", target=parts[0].id, value=unit.show(parts[0].value))
    for part in parts[1:]:
        text = _(
            "{left} + {target} {value}", left=text, target=part.id, value=unit.show(part.value)
        )
    return text


def _value_range(subject: str, indicator: Any, value: Decimal, source: Source) -> Iterator[Finding]:
    unit: Unit = indicator.unit
    if value < 0:
        yield Finding(
            code="unit-range",
            severity=Severity.ERROR,
            subject=subject,
            message=_(
                "a negative value {value} for {indicator}",
                value=_plain(unit, value),
                indicator=indicator.name,
            ),
            source=source,
        )
    if unit is Unit.PERCENT and value > 100 and not indicator.can_exceed_100:
        yield Finding(
            code="unit-range",
            severity=Severity.ERROR,
            subject=subject,
            message=_(
                "{indicator}: {value} is above 100%, which this rate cannot exceed",
                value=unit.show(value),
                indicator=indicator.name,
            ),
            source=source,
        )
    if unit.whole and value != value.to_integral_value():
        yield Finding(
            code="unit-range",
            severity=Severity.ERROR,
            subject=subject,
            message=_(
                "{value} is not a whole number of {indicator}",
                value=_plain(unit, value),
                indicator=indicator.name,
            ),
            source=source,
        )


def _interval(target: Target) -> tuple[Decimal | None, Decimal | None]:
    if target.comparison is Comparison.AT_LEAST:
        return target.value, None
    if target.comparison is Comparison.AT_MOST:
        return None, target.value
    return target.value, target.value


def _rule_text(target: Target) -> str:
    return f"{target.comparison.symbol} {target.value}"


def _contradictions(goals: Goals) -> Iterator[Finding]:
    groups: dict[tuple[str, str, Any], list[Target]] = {}
    for target in goals.targets:
        scope = target.scope.en if target.scope is not None else ""
        groups.setdefault((target.indicator, scope, target.deadline), []).append(target)
    for members in groups.values():
        for first, second in itertools.combinations(members, 2):
            low1, high1 = _interval(first)
            low2, high2 = _interval(second)
            low = max((v for v in (low1, low2) if v is not None), default=None)
            high = min((v for v in (high1, high2) if v is not None), default=None)
            if low is not None and high is not None and low > high:
                yield Finding(
                    code="contradictory-targets",
                    severity=Severity.ERROR,
                    subject=f"{first.id}, {second.id}",
                    message=_(
                        "no value meets both {first} ({first_rule}) and {second} ({second_rule})",
                        first=first.id,
                        first_rule=_rule_text(first),
                        second=second.id,
                        second_rule=_rule_text(second),
                    ),
                    source=second.source,
                )


# --- sources -------------------------------------------------------------------------------


def _audit_sources(plan: Plan) -> Iterator[Finding]:
    sourced: list[tuple[str, Source]] = [(rule.id, rule.source) for rule in plan.aid.rules]
    sourced += [(p.id, p.source) for p in plan.aid.equal_treatment]
    if plan.teachers is not None:
        sourced += [(rule.id, rule.source) for rule in plan.teachers.rules]
        sourced += [(quota.id, quota.source) for quota in plan.teachers.quotas]
        sourced += [(share.id, share.source) for share in plan.teachers.shares]
    if plan.goals is not None:
        sourced += [(t.id, t.source) for t in plan.goals.targets]
        sourced += [(f.id, f.source) for f in plan.goals.facts]
    for subject, source in sourced:
        if not source.quote.strip() or not source.section.strip():
            yield Finding(
                code="missing-source",
                severity=Severity.ERROR,
                subject=subject,
                message=_("it does not quote the plan text it comes from"),
                source=source,
            )


# --- the figures of the quotes -----------------------------------------------------------


@attrs.frozen
class _Figure:
    """One figure of the data, to be found in its item's quote."""

    subject: str
    #: The field that holds it, as plan files name it.
    field: str
    value: Decimal
    #: Whether the plan writes it as a percentage.
    percent: bool
    #: The value in its unit, for the message.
    shown: object
    source: Source


#: The teacher conditions that count years, by the names plan files give them.
_YEARS = ((ContinuousRuralYears, "continuous_rural_years"), (TotalRuralYears, "total_rural_years"))


def _figures(plan: Plan) -> Iterator[_Figure]:
    for rule in plan.aid.rules:
        if (amount := rule.benefit.amount) is not None:
            shown = Unit.MONEY.show(amount)
            yield _Figure(rule.id, "benefit.amount", amount, False, shown, rule.source)
    if plan.goals is not None:
        units = {indicator.id: indicator.unit for indicator in plan.goals.indicators}
        items: list[Target | Fact] = [*plan.goals.targets, *plan.goals.facts]
        for item in items:
            unit = units[item.indicator]
            # An achieved-or-not value is a reading of words, not a figure of the text.
            if unit is not Unit.ACHIEVED:
                percent = unit is Unit.PERCENT
                shown = unit.show(item.value)
                yield _Figure(item.id, "value", item.value, percent, shown, item.source)
    if plan.teachers is None:
        return
    for share in plan.teachers.shares:
        shown = Unit.PERCENT.show(share.min_percent)
        yield _Figure(share.id, "min_percent", share.min_percent, True, shown, share.source)
    for quota in plan.teachers.quotas:
        shown = Unit.COUNT.show(Decimal(quota.per_year))
        yield _Figure(quota.id, "per_year", Decimal(quota.per_year), False, shown, quota.source)
    for incentive in plan.teachers.rules:
        for leaf in walk(incentive.when):
            for kind, name in _YEARS:
                if not isinstance(leaf, kind):
                    continue
                for bound, count in (("min", leaf.min), ("max", leaf.max)):
                    if count is not None:
                        field = f"{name}.{bound}"
                        shown = years(count)
                        value = Decimal(count)
                        yield _Figure(incentive.id, field, value, False, shown, incentive.source)


def _audit_quote_numbers(plan: Plan) -> Iterator[Finding]:
    """Every figure of the data must be stated by its own quote, or by its interpretation.

    A figure the quote does not state (an amount changed and the quote kept) is
    reported, whether or not the quote states any number.  An interpretation may supply
    the figure (a full coverage read as 100%, a count of the places a list names), but
    then its Chinese text must state that figure itself, so that a value changed later
    is still reported.  Values of the ``achieved`` unit are not figures of the text.  A
    blank quote is ``missing-source``'s to report.
    """
    for figure in _figures(plan):
        source = figure.source
        if not source.quote.strip() or states(source.quote, figure.value, percent=figure.percent):
            continue
        interpretation = source.interpretation
        if interpretation is None:
            message = _(
                "its {field}, {value}, is not in its quote",
                field=figure.field,
                value=figure.shown,
            )
        elif states(interpretation.zh_CN, figure.value, percent=figure.percent):
            # The Chinese text only: the English one may count in the plan's units
            # ("78,410 ten-thousands of yuan"), which is not the value.
            continue
        else:
            message = _(
                "its {field}, {value}, is neither in its quote nor in its interpretation",
                field=figure.field,
                value=figure.shown,
            )
        yield Finding(
            code="quote-number",
            severity=Severity.WARNING,
            subject=figure.subject,
            message=message,
            source=source,
        )


# --- aid -----------------------------------------------------------------------------------


def _audit_aid(plan: Plan) -> Iterator[Finding]:
    schedule = plan.aid
    conflicts: dict[tuple[str, ...], Student] = {}
    results: dict[Student, frozenset[str]] = {}
    for student in student_space(plan):
        try:
            result = evaluate_aid(
                schedule, student, region="", plan=plan.id, on=plan.in_force.start
            )
        except RuleConflictError as error:
            key = tuple(sorted(error.rule_ids))
            conflicts.setdefault(key, student)
            continue
        results[student] = frozenset(item.rule_id for item in result.items)
    for rule_ids, example in conflicts.items():
        first = schedule.rule(rule_ids[0])
        second = schedule.rule(rule_ids[1])
        yield Finding(
            code="aid-conflict",
            severity=Severity.ERROR,
            subject=", ".join(rule_ids),
            message=_(
                "rules {first} and {second} of a one_wins group both apply, with no "
                "precedence declared, for example to {student}",
                first=first.id,
                second=second.id,
                student=_describe(example),
            ),
            source=second.source,
        )
    yield from _equal_treatment(schedule, results)
    yield from _coverage(plan, results)


def _describe(student: Student) -> str:
    fields = {
        "stage": student.stage.value,
        "year": student.year,
        "school_area": student.school_area.value,
        "boarding": student.boarding,
        "household": sorted(h.value for h in student.household),
        "orphan": student.orphan,
        "disabled": student.disabled,
    }
    return ", ".join(f"{key}={value}" for key, value in fields.items())


def _equal_treatment(
    schedule: AidSchedule, results: dict[Student, frozenset[str]]
) -> Iterator[Finding]:
    for provision in schedule.equal_treatment:
        for student, applied in results.items():
            if student.stage not in provision.stages or provision.status in student.household:
                continue
            other = attrs.evolve(student, household=student.household | {provision.status})
            if other in results and results[other] != applied:
                yield Finding(
                    code="equal-treatment",
                    severity=Severity.ERROR,
                    subject=provision.id,
                    message=_(
                        "the aid of {student} changes when the household is also {status}",
                        student=_describe(student),
                        status=provision.status.value,
                    ),
                    source=provision.source,
                )
                break


_MARKERS: Sequence[tuple[Message, dict[str, Any]]] = (
    (Household.DIBAO.label, {"household": frozenset({Household.DIBAO})}),
    (Household.REGISTERED_POOR.label, {"household": frozenset({Household.REGISTERED_POOR})}),
    (Household.OTHER_HARDSHIP.label, {"household": frozenset({Household.OTHER_HARDSHIP})}),
    (_("orphan"), {"orphan": True}),
    (_("disabled"), {"disabled": True}),
)


def _coverage(plan: Plan, results: dict[Student, frozenset[str]]) -> Iterator[Finding]:
    by_stage: dict[Stage, list[tuple[Student, frozenset[str]]]] = {}
    for student, applied in results.items():
        by_stage.setdefault(student.stage, []).append((student, applied))
    for stage in Stage:
        entries = by_stage.get(stage, [])
        if not any(applied for _s, applied in entries):
            yield Finding(
                code="no-aid",
                severity=Severity.INFO,
                subject=stage.value,
                message=_("no aid rule applies to any {stage} student", stage=stage.label),
            )
            continue
        uncovered: list[Message] = []
        for marker, fields in _MARKERS:
            matching = [applied for student, applied in entries if _only(student, fields)]
            cash = [
                rule_id
                for applied in matching
                for rule_id in applied
                if plan.aid.rule(rule_id).benefit.kind.value == "cash"
            ]
            if matching and not cash:
                uncovered.append(marker)
        if uncovered:
            yield Finding(
                code="no-aid",
                severity=Severity.INFO,
                subject=stage.value,
                message=_(
                    "no cash aid for {stage} students whose only hardship is: {markers}",
                    stage=stage.label,
                    markers=_join(uncovered),
                ),
            )


def _join(items: list[Message]) -> Message:
    joined = items[0]
    for item in items[1:]:
        joined = _("{left}, {right}", left=joined, right=item)
    return joined


def _only(student: Student, fields: dict[str, Any]) -> bool:
    household = fields.get("household", frozenset())
    return (
        student.household == household
        and student.orphan is fields.get("orphan", False)
        and student.disabled is fields.get("disabled", False)
    )
