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
import heapq
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

import edupolicy
from edupolicy.aid import AidResult, BenefitKind, Household, PlanStatus, Stage, Student
from edupolicy.cli._io import Batch, Context, Input, heading, table, write_json
from edupolicy.cli._options import Options, Subcommands, load_policy
from edupolicy.decimals import CONTEXT
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import Text, _, format_money
from edupolicy.io import structure
from edupolicy.policy import Policy

__all__ = ["add_impact_commands"]

#: How many of the largest changes ``diff`` reports.
TOP = 10
#: The key of the students whose household has no status.
NO_STATUS = "none"
_ZERO = Decimal("0.00")


def add_impact_commands(sub: Subcommands, options: Options) -> None:
    """Add ``diff`` and ``budget`` to the subparsers ``sub``."""
    t = options.t
    roster_help = _("JSON, JSON Lines or CSV (.csv) roster of student records; - for stdin")

    diff = options.command(
        sub, "diff", _("what a change to the plan (or another date) does to a roster")
    )
    options.add_region(diff)
    options.add_on(diff)
    options.add_format(diff)
    options.add_changes(diff)
    options.add_progress(diff)
    diff.add_argument(
        "--against",
        type=options.day,
        metavar="YYYY-MM-DD",
        help=t(_("compare with the plan in force on this date")),
    )
    diff.add_argument(
        "--against-region",
        metavar="REGION",
        help=t(
            _(
                "compare with another installed region (such as the next version of a plan, "
                "installed as a region of its own)"
            )
        ),
    )
    diff.add_argument("file", metavar="ROSTER", help=t(roster_help))
    diff.set_defaults(func=run_diff)

    budget = options.command(
        sub, "budget", _("the cash and the waivers a roster receives, by rule, stage and status")
    )
    options.add_region(budget)
    options.add_on(budget)
    options.add_format(budget)
    options.add_changes(budget)
    options.add_progress(budget)
    budget.add_argument("file", metavar="ROSTER", help=t(roster_help))
    budget.set_defaults(func=run_budget)


def _read_student(data: object, locale: str, statuses: Iterable[PlanStatus]) -> Student:
    return structure(data, Student, locale=locale, statuses=statuses)


def _declared(*plans: edupolicy.Plan) -> dict[str, PlanStatus]:
    """The household statuses ``plans`` declare, by id."""
    return {status.id: status for plan in plans for status in plan.household_statuses}


def _categories(student: Student) -> tuple[str, list[str]]:
    """The stage and the household statuses (or ``none``) a student is counted under."""
    statuses = sorted(status.value for status in student.household) or [NO_STATUS]
    return student.stage.value, statuses


def _stage_label(key: str, locale: str) -> str:
    return Stage(key).label.render(locale)


_CORE_STATUSES = [member.value for member in Household]


def _status_label(key: str, locale: str, declared: Mapping[str, PlanStatus]) -> str:
    if key == NO_STATUS:
        return _("no household status").render(locale)
    if key in _CORE_STATUSES:
        return Household(key).label.render(locale)
    found = declared.get(key)
    return found.label.render(locale) if found is not None else key


def _stage_order(key: str) -> int:
    return list(Stage).index(Stage(key))


def _status_order(key: str) -> tuple[int, str]:
    """The core's statuses in their order, then those plans declare by id, then none."""
    if key == NO_STATUS:
        return (len(_CORE_STATUSES) + 1, "")
    if key in _CORE_STATUSES:
        return (_CORE_STATUSES.index(key), "")
    return (len(_CORE_STATUSES), key)


def _add(left: Decimal, right: Decimal) -> Decimal:
    return CONTEXT.add(left, right)


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _signed(amount: Decimal, locale: str) -> str:
    text = format_money(amount, locale)
    return "+" + text if amount > 0 else text


# --- diff -----------------------------------------------------------------------------------


@attrs.define
class _Counts:
    gain: int = 0
    lose: int = 0
    same: int = 0

    def add(self, change: Decimal) -> None:
        if change > 0:
            self.gain += 1
        elif change < 0:
            self.lose += 1
        else:
            self.same += 1

    def to_json(self) -> dict[str, int]:
        return {"gain": self.gain, "lose": self.lose, "same": self.same}

    def row(self, label: str) -> list[str]:
        return [label, str(self.gain), str(self.lose), str(self.same)]


@attrs.frozen
class _Change:
    id: str | None
    position: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return CONTEXT.subtract(self.after, self.before)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "before": _money(self.before),
            "after": _money(self.after),
            "change": _money(self.change),
        }


@attrs.define
class _Diff:
    """The running totals of ``diff``, and the largest changes so far."""

    students: int = 0
    overall: _Counts = attrs.Factory(_Counts)
    by_stage: dict[str, _Counts] = attrs.Factory(dict)
    by_household: dict[str, _Counts] = attrs.Factory(dict)
    cash_before: Decimal = _ZERO
    cash_after: Decimal = _ZERO
    #: The largest changes, a heap of (size, -order, change), at most :data:`TOP` long.
    _top: list[tuple[Decimal, int, _Change]] = attrs.Factory(list)

    def add(self, student: Student, position: str, before: AidResult, after: AidResult) -> None:
        self.students += 1
        record = _Change(student.id, position, before.cash_total, after.cash_total)
        change = record.change
        self.overall.add(change)
        stage, statuses = _categories(student)
        self.by_stage.setdefault(stage, _Counts()).add(change)
        for status in statuses:
            self.by_household.setdefault(status, _Counts()).add(change)
        self.cash_before = _add(self.cash_before, before.cash_total)
        self.cash_after = _add(self.cash_after, after.cash_total)
        if change:
            # Of equal changes, the earlier record ranks higher.
            item = (abs(change), -self.students, record)
            if len(self._top) < TOP:
                heapq.heappush(self._top, item)
            elif item[:2] > self._top[0][:2]:
                heapq.heapreplace(self._top, item)

    @property
    def change(self) -> Decimal:
        return CONTEXT.subtract(self.cash_after, self.cash_before)

    def top(self) -> list[_Change]:
        """The largest changes, largest first."""
        return [record for *_key, record in sorted(self._top, key=lambda i: i[:2], reverse=True)]


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
    statuses = tuple(declared.values())
    source = Input.of(args.file, ctx.stdin)

    def evaluate(data: object) -> tuple[Student, AidResult, AidResult]:
        record = data if isinstance(data, Mapping) else _read_student(data, locale, statuses)
        was = before.aid(record, before_on, locale=locale)
        student = _read_student(record, locale, statuses) if isinstance(record, Mapping) else record
        return student, was, after.aid(student, after_on, locale=locale)

    batch = Batch.of(ctx, args)
    totals = _Diff()
    for entry, (student, was, now) in batch.records(source, evaluate):
        totals.add(student, entry.position, was, now)
    if args.format == "json":
        write_json(_diff_json(args, before, after, totals, batch.bad), ctx.out)
    else:
        _write_diff(args, before, after, totals, batch.bad, ctx, declared)
    return batch.status()


def _side(policy: Policy, on: _dt.date) -> dict[str, Any]:
    return {
        "region": policy.region,
        "version": policy.version,
        "on": on.isoformat(),
        "plan": policy.plan_on(on).id,
        "readings": dict(policy.readings_on(on)),
    }


def _diff_json(
    args: argparse.Namespace, before: Policy, after: Policy, totals: _Diff, skipped: int
) -> dict[str, Any]:
    return {
        "region": before.region,
        "currency": "CNY",
        "changes": args.changes,
        "before": _side(before, args.on),
        "after": _side(after, args.against if args.against is not None else args.on),
        "students": totals.students,
        "skipped": skipped,
        **totals.overall.to_json(),
        "by_stage": {
            key: totals.by_stage[key].to_json() for key in sorted(totals.by_stage, key=_stage_order)
        },
        "by_household": {
            key: totals.by_household[key].to_json()
            for key in sorted(totals.by_household, key=_status_order)
        },
        "cash_before": _money(totals.cash_before),
        "cash_after": _money(totals.cash_after),
        "cash_change": _money(totals.change),
        "largest_changes": [record.to_json() for record in totals.top()],
    }


def _write_diff(
    args: argparse.Namespace,
    before: Policy,
    after: Policy,
    totals: _Diff,
    skipped: int,
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
        _(
            "{students} student(s): {gain} gain, {lose} lose, {same} unchanged; {skipped} skipped",
            students=totals.students,
            gain=counts.gain,
            lose=counts.lose,
            same=counts.same,
            skipped=skipped,
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
        for key in sorted(totals.by_stage, key=_stage_order):
            rows.append(totals.by_stage[key].row(_stage_label(key, locale)))
        lines.extend(table(rows))
        lines.append("")
        rows = [[_("household status").render(locale), *header]]
        for key in sorted(totals.by_household, key=_status_order):
            rows.append(totals.by_household[key].row(_status_label(key, locale, declared)))
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


@attrs.define
class _Tally:
    students: int = 0
    cash: Decimal = _ZERO
    waivers: int = 0

    def add(self, cash: Decimal, waivers: int) -> None:
        self.students += 1
        self.cash = _add(self.cash, cash)
        self.waivers += waivers

    def to_json(self) -> dict[str, Any]:
        return {"students": self.students, "cash": _money(self.cash), "waivers": self.waivers}

    def row(self, label: str, locale: str) -> list[str]:
        return [label, str(self.students), format_money(self.cash, locale), str(self.waivers)]


@attrs.define
class _Budget:
    overall: _Tally = attrs.Factory(_Tally)
    by_rule: dict[str, _Tally] = attrs.Factory(dict)
    names: dict[str, Text] = attrs.Factory(dict)
    by_stage: dict[str, _Tally] = attrs.Factory(dict)
    by_household: dict[str, _Tally] = attrs.Factory(dict)

    def add(self, student: Student, result: AidResult) -> None:
        waivers = len(result.waivers)
        self.overall.add(result.cash_total, waivers)
        stage, statuses = _categories(student)
        self.by_stage.setdefault(stage, _Tally()).add(result.cash_total, waivers)
        for status in statuses:
            self.by_household.setdefault(status, _Tally()).add(result.cash_total, waivers)
        for item in result.items:
            cash = (
                item.amount if item.kind is BenefitKind.CASH and item.amount is not None else _ZERO
            )
            self.by_rule.setdefault(item.rule.id, _Tally()).add(cash, len(item.waives))
            self.names.setdefault(item.rule.id, item.rule.name)


def run_budget(args: argparse.Namespace, ctx: Context) -> int:
    """Add up the aid of each student of the roster."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    plan = policy.plan_on(args.on, locale=locale)
    declared = _declared(plan)
    declared_statuses = plan.household_statuses
    source = Input.of(args.file, ctx.stdin)

    def evaluate(data: object) -> tuple[Student, AidResult]:
        record = (
            data if isinstance(data, Mapping) else _read_student(data, locale, declared_statuses)
        )
        result = policy.aid(record, args.on, locale=locale)
        student = (
            _read_student(record, locale, declared_statuses)
            if isinstance(record, Mapping)
            else record
        )
        return student, result

    batch = Batch.of(ctx, args)
    totals = _Budget()
    for _entry, (student, result) in batch.records(source, evaluate):
        totals.add(student, result)
    order = {rule.id: index for index, rule in enumerate(plan.aid.rules)}
    rules = sorted(totals.by_rule, key=lambda rule_id: order.get(rule_id, len(order)))

    def name(rule_id: str) -> str:
        return totals.names[rule_id].render(locale)

    stages = sorted(totals.by_stage, key=_stage_order)
    statuses = sorted(totals.by_household, key=_status_order)
    if args.format == "json":
        write_json(
            {
                "region": policy.region,
                "plan": plan.id,
                "on": args.on.isoformat(),
                "readings": dict(policy.readings_of(plan)),
                "currency": "CNY",
                "students": totals.overall.students,
                "skipped": batch.bad,
                "cash_total": _money(totals.overall.cash),
                "waivers": totals.overall.waivers,
                "by_rule": [
                    {"rule": rule_id, "name": name(rule_id), **totals.by_rule[rule_id].to_json()}
                    for rule_id in rules
                ],
                "by_stage": {key: totals.by_stage[key].to_json() for key in stages},
                "by_household": {key: totals.by_household[key].to_json() for key in statuses},
            },
            ctx.out,
        )
        return batch.status()
    lines = [heading(policy, args.on, locale), ""]
    lines.append(
        _(
            "{students} student(s): cash {cash} a year, {waivers} fee waiver(s); {skipped} skipped",
            students=totals.overall.students,
            cash=totals.overall.cash,
            waivers=totals.overall.waivers,
            skipped=batch.bad,
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
            rows.append([rule_id, *totals.by_rule[rule_id].row(name(rule_id), locale)])
        lines.extend(table(rows))
    if stages:
        lines.append("")
        rows = [[_("stage").render(locale), *columns]]
        rows.extend(totals.by_stage[key].row(_stage_label(key, locale), locale) for key in stages)
        lines.extend(table(rows))
        lines.append("")
        rows = [[_("household status").render(locale), *columns]]
        rows.extend(
            totals.by_household[key].row(_status_label(key, locale, declared), locale)
            for key in statuses
        )
        lines.extend(table(rows))
    ctx.out.write("\n".join(lines) + "\n")
    return batch.status()
