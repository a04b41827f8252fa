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

The checks of goals are in :mod:`edupolicy.analysis.audit_goals`, those of quotes in
:mod:`edupolicy.analysis.audit_sources`, those of aid in :mod:`edupolicy.analysis.audit_aid`;
what they find is a :class:`~edupolicy.analysis.findings.Finding`.  This module runs
them, gives each finding its level, and checks readings and parent plans itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from edupolicy.analysis.audit_aid import audit_aid, student_space
from edupolicy.analysis.audit_goals import audit_goals
from edupolicy.analysis.audit_sources import audit_quote_numbers, audit_sources
from edupolicy.analysis.findings import Finding, Severity, own_findings
from edupolicy.analysis.whatif import read_under
from edupolicy.decimals import exact
from edupolicy.errors import PlanDataError
from edupolicy.i18n import _
from edupolicy.plans.plan import Level, ParentPlans, Plan
from edupolicy.rules import Source

__all__ = ["Finding", "Severity", "audit", "own_findings", "student_space"]


@exact
def audit(plan: Plan) -> tuple[Finding, ...]:
    """Every finding about ``plan``, errors first; in a plan that builds on a parent
    region's plan, each with its ``level``."""
    findings: list[Finding] = []
    if plan.goals is not None:
        findings.extend(audit_goals(plan, plan.goals))
    findings.extend(audit_sources(plan))
    findings.extend(audit_quote_numbers(plan))
    findings.extend(audit_aid(plan))
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
