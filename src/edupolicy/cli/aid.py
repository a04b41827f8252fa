"""``edupolicy aid``: the student aid of each record, under a region's plan.

Student records are read as :func:`~edupolicy.cli._io.read_records` reads them; ``-``
reads standard input, ``--sample`` the roster the region's plugin ships.  A bad record
is reported on standard error, one line per bad field with the record's position, and
the good records are still evaluated; the exit status is then 1.  Status 2 means
nothing could be evaluated (unknown region, date outside every plan, unreadable file).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from edupolicy.aid import AidResult, BenefitKind, PlanStatus, Student, fee_label
from edupolicy.cli._io import Batch, Context, Input, heading, join, table
from edupolicy.cli._options import Options, Subcommands, load_policy
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _
from edupolicy.plans import structure
from edupolicy.plugins.manager import default_registry
from edupolicy.policy import Policy

__all__ = ["add_aid_commands"]


def add_aid_commands(sub: Subcommands, options: Options) -> None:
    """Add ``aid`` to the subparsers ``sub``."""
    t = options.t
    aid = options.command(sub, "aid", _("the student aid of each record, under a region's plan"))
    options.add_region(aid)
    options.add_on(aid)
    options.add_format(aid)
    options.add_changes(aid)
    aid.add_argument(
        "--explain",
        action="store_true",
        help=t(_("also say why each other rule did not apply")),
    )
    source = aid.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help=t(_("JSON object, JSON list or JSON Lines of student records; - for stdin")),
    )
    source.add_argument(
        "--sample",
        action="store_true",
        help=t(_("use the sample roster bundled with the region")),
    )
    aid.set_defaults(func=run_aid)


def run_aid(args: argparse.Namespace, ctx: Context) -> int:
    """Evaluate each record of the input; print the results."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    statuses = policy.plan_on(args.on, locale=locale).household_statuses
    if args.sample:
        spec = default_registry().spec(args.region, locale=locale)
        if spec.sample_roster is None:
            raise EdupolicyError(
                _("Region {region} has no sample roster", region=args.region), locale=locale
            )
        source = Input.bundled(spec.sample_roster)
    else:
        source = Input.of(args.file, ctx.stdin)

    def evaluate(data: object) -> tuple[AidResult, Student | Mapping[Any, Any]]:
        # Not a mapping: ``structure`` says so ("must be a JSON object").
        record = data if isinstance(data, Mapping) else structure(data, Student, locale=locale)
        return policy.aid(record, args.on, explain=args.explain, locale=locale), record

    batch = Batch(ctx)
    results: list[dict[str, Any]] = []
    blocks: list[list[str]] = []
    for entry, (result, record) in batch.records(source, evaluate):
        if args.format == "json":
            results.append(result.to_json(locale))
        else:
            student = _student(record, locale, statuses)
            blocks.append(_render_result(result, student, entry.position, locale))
    if args.format == "json":
        batch.write_json(results)
    else:
        _write_blocks(policy, args, blocks, ctx)
    return batch.status()


def _student(
    record: Student | Mapping[Any, Any], locale: str, statuses: Sequence[PlanStatus]
) -> Student:
    if isinstance(record, Student):
        return record
    return structure(record, Student, locale=locale, statuses=statuses)


def _write_blocks(
    policy: Policy, args: argparse.Namespace, blocks: list[list[str]], ctx: Context
) -> None:
    ctx.out.write(heading(policy, args.on, ctx.locale) + "\n\n")
    ctx.out.write("\n\n".join("\n".join(block) for block in blocks) + ("\n" if blocks else ""))


def _describe_student(student: Student, locale: str) -> str:
    parts = [
        _("{stage}, year {year}", stage=student.stage.label, year=student.year).render(locale),
        student.school_area.label.render(locale),
    ]
    if student.boarding:
        parts.append(_("boarding").render(locale))
    parts.extend(
        status.label.render(locale) for status in sorted(student.household, key=lambda h: h.value)
    )
    if student.orphan:
        parts.append(_("orphan").render(locale))
    if student.disabled:
        parts.append(_("disabled").render(locale))
    return join(parts, locale)


def _render_result(result: AidResult, student: Student, position: str, locale: str) -> list[str]:
    label = student.id or position
    lines = [f"{label}: {_describe_student(student, locale)}"]
    waivers = ", ".join(fee_label(fee).render(locale) for fee in result.waivers) or "-"
    lines.append(
        "  "
        + _(
            "cash {total}; fees waived: {waivers}", total=result.cash_total, waivers=waivers
        ).render(locale)
    )
    if result.items:
        rows = [[_("rule").render(locale), _("aid").render(locale), _("section").render(locale)]]
        for item in result.items:
            if item.kind is BenefitKind.CASH and item.frequency is not None:
                aid = _(
                    "{amount} {frequency}", amount=item.amount, frequency=item.frequency.label
                ).render(locale)
            elif item.kind is BenefitKind.UNQUANTIFIED:
                aid = _("(no amount stated)").render(locale)
            else:
                aid = item.rule.benefit.describe().render(locale)
            rows.append([item.rule.name.render(locale), aid, item.source.section])
        lines.extend("    " + row for row in table(rows))
    else:
        lines.append("    " + _("no rule applies").render(locale))
    for note in result.notes:
        lines.append(
            "    "
            + _("note: {name} ({section})", name=note.name, section=note.source.section).render(
                locale
            )
        )
    if result.not_applied is not None:
        lines.append("  " + _("rules that did not apply:").render(locale))
        for entry in result.not_applied:
            lines.append(
                "    "
                + _("{rule}: {reason}", rule=entry.rule.id, reason=entry.reason).render(locale)
            )
    return lines
