"""Which provisions of a region's plans the cases exercise, and which none does.

A provision is an aid rule, a teacher-incentive rule, a quota, a share, a target, or a
choice of a reading other than its default.  A rule is exercised when a case names it
in an expectation or it applied in a case's result; a target when a case checks its
status; a quota or a share when a case selects or checks an award list with it; a
reading's choice when a case is checked under it.  A new rule without a case then
shows up here.

For a region whose plans build on a parent region's plans, the provisions counted are
the region's own: those its document changes or adds, and those it removes from what
it inherits (a case exercises a removed rule by expecting that it does not apply).
The provisions it inherits unchanged are counted only when asked for (``inherited``).
"""

from __future__ import annotations

import attrs

from edupolicy import load
from edupolicy.cases.model import Case, Outcome
from edupolicy.cases.vocabulary import Named, ProvisionKind
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import Message, Text, _
from edupolicy.plans import Plan
from edupolicy.policy import Policy
from edupolicy.rules import Source

__all__ = ["Coverage", "Provision", "provisions", "removed"]


@attrs.frozen(kw_only=True)
class Provision:
    """One provision of a region's plans that cases can exercise."""

    region: str
    kind: ProvisionKind
    id: str
    name: Text
    source: Source
    #: Whether the region's plan removes it from what it inherits.
    removed: bool = False

    def describe(self) -> Message:
        """``aid rule preschool-voucher (Preschool study voucher), section 二(一)1``; in a
        plan with more than one level, the section after its document's number."""
        fields = {"kind": self.kind.label, "id": self.id, "name": self.name}
        section, document = self.source.section, self.source.document
        if self.removed:
            return _(
                "{kind} {id} ({name}), removed from {document} section {section}",
                document=document or "-",
                section=section,
                **fields,
            )
        if document is not None:
            return _(
                "{kind} {id} ({name}), {document} section {section}",
                document=document,
                section=section,
                **fields,
            )
        return _("{kind} {id} ({name}), section {section}", section=section, **fields)


#: A provision of one plan: its kind, id, name and source.
_Found = tuple[ProvisionKind, str, Text, Source]


def provisions(policy: Policy, *, inherited: bool = False) -> tuple[Provision, ...]:
    """Every provision of every plan of ``policy``, each once, in plan order.

    Of a plan that builds on a parent region's plan, its own provisions and those it
    removes; with ``inherited``, also those it inherits unchanged.
    """
    found: dict[Named, Provision] = {}
    for plan in policy.plans:
        counted = [
            (provision, False)
            for provision in _of_plan(plan)
            if inherited or (level := plan.level_of(provision[3])) is None or level.own
        ]
        counted += [(provision, True) for provision in removed(plan)]
        for (kind, id_, name, source), gone in counted:
            found.setdefault(
                (kind, id_),
                Provision(
                    region=policy.region, kind=kind, id=id_, name=name, source=source, removed=gone
                ),
            )
    return tuple(found.values())


def removed(plan: Plan) -> tuple[_Found, ...]:
    """The provisions of the parent's plan that ``plan`` builds on and removes (its
    readings are the parent's, of the parent's text, and never inherited)."""
    if plan.built_on is None:
        return ()
    kept = {(kind, id_) for kind, id_, _name, _source in _of_plan(plan)}
    parent = plan.built_on.plan
    return tuple(
        (kind, id_, name, _stamped(source, parent))
        for kind, id_, name, source in _of_plan(parent)
        if (kind, id_) not in kept and kind is not ProvisionKind.READING
    )


def _stamped(source: Source, plan: Plan) -> Source:
    """``source`` naming the plan and document it comes from."""
    if source.document is not None:
        return source
    return attrs.evolve(source, plan=plan.id, document=plan.document.number)


def _of_plan(plan: Plan) -> list[_Found]:
    """Every provision of ``plan``, in its order."""
    found: list[_Found] = []

    def add(kind: ProvisionKind, id_: str, name: Text, source: Source) -> None:
        found.append((kind, id_, name, source))

    for rule in plan.aid.rules:
        add(ProvisionKind.AID_RULE, rule.id, rule.name, rule.source)
    if plan.teachers is not None:
        for incentive in plan.teachers.rules:
            add(ProvisionKind.TEACHER_RULE, incentive.id, incentive.name, incentive.source)
        for quota in plan.teachers.quotas:
            add(ProvisionKind.QUOTA, quota.id, quota.name, quota.source)
        for share in plan.teachers.shares:
            add(ProvisionKind.SHARE, share.id, share.name, share.source)
    if plan.goals is not None:
        for target in plan.goals.targets:
            indicator = plan.goals.indicator(target.indicator)
            add(ProvisionKind.TARGET, target.id, indicator.name, target.source)
    for reading in plan.readings:
        for choice in reading.choices:
            if choice.id != reading.default:
                add(
                    ProvisionKind.READING,
                    f"{reading.id}={choice.id}",
                    reading.name,
                    reading.source,
                )
    return found


class Coverage:
    """The regions under test and what their cases exercised, gathered case by case."""

    def __init__(self, *, inherited: bool = False) -> None:
        self._regions: dict[str, None] = {}
        self._exercised: set[tuple[str, ProvisionKind, str]] = set()
        #: Whether a layered region's inherited provisions are counted too.
        self.inherited = inherited

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions the cases name, in the order first named."""
        return tuple(self._regions)

    def add_case(self, case: Case) -> None:
        """A case under test: its region is a region under test."""
        self._regions.setdefault(case.region)

    def add(self, outcome: Outcome) -> None:
        """A case that ran: what it exercised."""
        self.add_case(outcome.case)
        region = outcome.case.region
        self._exercised.update((region, kind, id_) for kind, id_ in outcome.exercised)

    def exercised(self, provision: Provision) -> bool:
        """Whether a case exercised ``provision``."""
        return (provision.region, provision.kind, provision.id) in self._exercised

    def unexercised(self) -> tuple[Provision, ...]:
        """The provisions of the regions under test that no case exercised.

        A region that cannot be loaded has none: its cases report the error.
        """
        missing: list[Provision] = []
        for region in self._regions:
            try:
                policy = load(region)
            except EdupolicyError:
                continue
            every = provisions(policy, inherited=self.inherited)
            missing.extend(p for p in every if not self.exercised(p))
        return tuple(missing)

    def report(self, locale: str | None = None) -> list[str]:
        """One line per region under test, then each provision no case exercises."""
        lines: list[str] = []
        for region in self._regions:
            try:
                policy = load(region)
            except EdupolicyError:
                continue
            every = provisions(policy, inherited=self.inherited)
            missing = [p for p in every if not self.exercised(p)]
            parents = sorted({p.built_on.region for p in policy.plans if p.built_on is not None})
            if parents and not self.inherited:
                message = _(
                    "{region}: its own provisions only, not those it inherits from {parents} "
                    "(--edupolicy-coverage-inherited counts them)",
                    region=region,
                    parents=", ".join(parents),
                )
                lines.append(message.render(locale))
            if not missing:
                message = _(
                    "{region}: a case exercises each of the {count} rules, quotas, shares, "
                    "targets and readings",
                    region=region,
                    count=len(every),
                )
                lines.append(message.render(locale))
                continue
            message = _(
                "{region}: {missing} of {count} rules, quotas, shares, targets and readings are "
                "exercised by no case:",
                region=region,
                missing=len(missing),
                count=len(every),
            )
            lines.append(message.render(locale))
            lines.extend("  " + provision.describe().render(locale) for provision in missing)
        return lines
