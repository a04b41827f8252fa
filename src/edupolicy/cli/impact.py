"""``edupolicy diff`` and ``edupolicy budget``: what a plan gives a whole roster.

``diff`` evaluates each student of a roster twice, under the plans as installed and
with a change file applied (``--changes``), or under the plans in force on two dates
(``--on`` and ``--against``), and reports who gains, who loses and what the yearly
cash comes to.  ``budget`` adds up the cash and the waivers of a roster under the plan
in force on a date, by rule, by stage and by household status.

The roster is read as :func:`~edupolicy.cli._io.read_records` reads it (JSON, JSON
Lines or CSV), one record at a time: only the running totals and the ten largest
changes are kept.  A bad record is reported on standard error and counted; the others
are still counted, and the exit status is then 1.  While the roster is read, a progress
bar is drawn on standard error when it is a terminal (not with ``--no-progress``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import edupolicy
from edupolicy import analysis
from edupolicy.aid import AidResult, Household, PlanStatus, Stage
from edupolicy.cli._io import Batch, Context, Input, heading, table, write_json
from edupolicy.cli._options import Options, Shown, Subcommands, load_policy
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import Count, _, _n, format_money
from edupolicy.policy import Policy

if TYPE_CHECKING:
    from edupolicy.analysis.impact import Counts, DiffTally, Tally

__all__ = ["add_impact_commands"]

_CORE_KEYS = frozenset(member.value for member in Household)


def add_impact_commands(sub: Subcommands, options: Options) -> None:
    """Add ``diff`` and ``budget`` to the subparsers ``sub``."""
    t = options.t
    roster_help = _("JSON, JSON Lines or CSV (.csv) roster of student records; - for stdin")

    diff = options.command(
        sub, "diff", _("what a change to the plan (or another date) does to a roster")
    )
    options.add_region(diff)
    options.add_params(
        diff, options.question("diff").params, {"against_region": Shown(metavar="REGION")}
    )
    options.add_format(diff)
    options.add_changes(diff)
    options.add_progress(diff)
    diff.add_argument("file", metavar="ROSTER", help=t(roster_help))
    diff.set_defaults(func=run_diff)

    budget = options.command(
        sub, "budget", _("the cash and the waivers a roster receives, by rule, stage and status")
    )
    options.add_region(budget)
    options.add_params(budget, options.question("budget").params)
    options.add_format(budget)
    options.add_changes(budget)
    options.add_progress(budget)
    budget.add_argument("file", metavar="ROSTER", help=t(roster_help))
    budget.set_defaults(func=run_budget)


def _declared(*plans: edupolicy.Plan) -> dict[str, PlanStatus]:
    """The household statuses ``plans`` declare, by id."""
    return {status.id: status for plan in plans for status in plan.household_statuses}


def _stage_label(key: str, locale: str) -> str:
    return Stage(key).label.render(locale)


def _status_label(key: str, locale: str, declared: Mapping[str, PlanStatus]) -> str:
    if key == analysis.impact.NO_STATUS:
        return _("no household status").render(locale)
    if key in _CORE_KEYS:
        return Household(key).label.render(locale)
    found = declared.get(key)
    return found.label.render(locale) if found is not None else key


def _signed(amount: Decimal, locale: str) -> str:
    text = format_money(amount, locale)
    return "+" + text if amount > 0 else text


def _counts_row(counts: Counts, label: str) -> list[str]:
    return [label, str(counts.gain), str(counts.lose), str(counts.same)]


# --- diff -----------------------------------------------------------------------------------


def run_diff(args: argparse.Namespace, ctx: Context) -> int:
    """Evaluate each student under both policies; report the difference.

    The first policy is the region's plans as written, on ``--on``; the second is the
    same, or ``--against-region``'s, read under ``--reading``, with ``--changes``
    applied, on ``--against`` or ``--on``.
    """
    locale = ctx.locale
    if not (args.changes or args.reading or args.against or args.against_region):
        raise EdupolicyError(
            _(
                "diff: give what to compare with: --changes FILE, --reading ID=CHOICE, "
                "--against YYYY-MM-DD or --against-region REGION"
            ),
            locale=locale,
        )
    before = edupolicy.load(args.region, locale=locale)
    after = load_policy(args, locale, region=args.against_region)
    before_on: _dt.date = args.on
    after_on: _dt.date = args.against if args.against is not None else args.on
    declared = _declared(
        before.plan_on(before_on, locale=locale), after.plan_on(after_on, locale=locale)
    )
    source = Input.of(args.file, ctx.stdin)

    def evaluate(data: object) -> tuple[AidResult, AidResult]:
        return analysis.impact.diff_entry(before, after, data, before_on, after_on, locale=locale)

    batch = Batch.of(ctx, args)
    totals = analysis.impact.DiffTally()
    for entry, (was, now) in batch.records(source, evaluate):
        totals.add(entry.position, was, now)
    totals.skipped = batch.bad
    if args.format == "json":
        diff = analysis.impact.Diff(
            before=before.side(before_on, locale=locale),
            after=after.side(after_on, locale=locale),
            tally=totals,
            changes=args.changes,
        )
        write_json(diff.to_json(locale), ctx.out)
    else:
        _write_diff(args, before, after, totals, ctx, declared)
    return batch.status()


def _write_diff(
    args: argparse.Namespace,
    before: Policy,
    after: Policy,
    totals: DiffTally,
    ctx: Context,
    declared: Mapping[str, PlanStatus],
) -> None:
    locale = ctx.locale
    lines = [heading(before, args.on, locale)]
    after_on = args.against if args.against is not None else args.on
    lines.append(
        _("compared with: {heading}", heading=heading(after, after_on, locale)).render(locale)
    )
    if args.changes is not None:
        lines.append(_("with the changes of {file}", file=args.changes).render(locale))
    lines.append("")
    counts = totals.overall
    lines.append(
        _n(
            "{count} student: {gain} gain, {lose} lose, {same} unchanged; {skipped} skipped",
            "{count} students: {gain} gain, {lose} lose, {same} unchanged; {skipped} skipped",
            count=totals.students,
            gain=Count(counts.gain),
            lose=Count(counts.lose),
            same=Count(counts.same),
            skipped=Count(totals.skipped),
        ).render(locale)
    )
    lines.append(
        _(
            "cash per year: {before} before, {after} after, change {change}",
            before=totals.cash_before,
            after=totals.cash_after,
            change=_signed(totals.change, locale),
        ).render(locale)
    )
    header = [_("gain").render(locale), _("lose").render(locale), _("unchanged").render(locale)]
    if totals.by_stage:
        lines.append("")
        rows = [[_("stage").render(locale), *header]]
        for key in sorted(totals.by_stage, key=analysis.impact.stage_order):
            rows.append(_counts_row(totals.by_stage[key], _stage_label(key, locale)))
        lines.extend(table(rows))
        lines.append("")
        rows = [[_("household status").render(locale), *header]]
        for key in sorted(totals.by_household, key=analysis.impact.status_order):
            rows.append(_counts_row(totals.by_household[key], _status_label(key, locale, declared)))
        lines.extend(table(rows))
    top = totals.top()
    lines.append("")
    if top:
        lines.append(_("largest changes:").render(locale))
        rows = [
            [
                _("record").render(locale),
                _("before").render(locale),
                _("after").render(locale),
                _("change").render(locale),
            ]
        ]
        for record in top:
            rows.append(
                [
                    record.id or record.position,
                    format_money(record.before, locale),
                    format_money(record.after, locale),
                    _signed(record.change, locale),
                ]
            )
        lines.extend("  " + line for line in table(rows))
    else:
        lines.append(_("no student's cash changes").render(locale))
    ctx.out.write("\n".join(lines) + "\n")


# --- budget ---------------------------------------------------------------------------------


def _row(tally: Tally, label: str, locale: str) -> list[str]:
    return [label, str(tally.students), format_money(tally.cash, locale), str(tally.waivers)]


def run_budget(args: argparse.Namespace, ctx: Context) -> int:
    """Add up the aid of each student of the roster."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    plan = policy.plan_on(args.on, locale=locale)
    declared = _declared(plan)
    source = Input.of(args.file, ctx.stdin)

    def evaluate(data: object) -> AidResult:
        return analysis.impact.budget_entry(policy, data, args.on, locale=locale)

    batch = Batch.of(ctx, args)
    totals = analysis.impact.BudgetTally()
    for _entry, result in batch.records(source, evaluate):
        totals.add(result)
    totals.skipped = batch.bad
    rules = totals.rules([rule.id for rule in plan.aid.rules])

    def name(rule_id: str) -> str:
        return totals.names[rule_id].render(locale)

    stages = totals.stages()
    statuses = totals.statuses()
    if args.format == "json":
        budget = analysis.impact.Budget(
            side=policy.side(args.on, locale=locale),
            order=tuple(rule.id for rule in plan.aid.rules),
            tally=totals,
        )
        write_json(budget.to_json(locale), ctx.out)
        return batch.status()
    lines = [heading(policy, args.on, locale), ""]
    lines.append(
        _n(
            "{count} student: cash {cash} a year, {waivers}; {skipped} skipped",
            "{count} students: cash {cash} a year, {waivers}; {skipped} skipped",
            count=totals.overall.students,
            cash=totals.overall.cash,
            waivers=_n("{count} fee waiver", "{count} fee waivers", count=totals.overall.waivers),
            skipped=Count(batch.bad),
        ).render(locale)
    )
    columns = [
        _("students").render(locale),
        _("cash").render(locale),
        _("waivers").render(locale),
    ]
    if rules:
        lines.append("")
        rows = [[_("rule").render(locale), _("name").render(locale), *columns]]
        for rule_id in rules:
            rows.append([rule_id, *_row(totals.by_rule[rule_id], name(rule_id), locale)])
        lines.extend(table(rows))
    if stages:
        lines.append("")
        rows = [[_("stage").render(locale), *columns]]
        rows.extend(_row(totals.by_stage[key], _stage_label(key, locale), locale) for key in stages)
        lines.extend(table(rows))
        lines.append("")
        rows = [[_("household status").render(locale), *columns]]
        rows.extend(
            _row(totals.by_household[key], _status_label(key, locale, declared), locale)
            for key in statuses
        )
        lines.extend(table(rows))
    ctx.out.write("\n".join(lines) + "\n")
    return batch.status()
