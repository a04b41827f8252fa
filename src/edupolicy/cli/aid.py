"""``edupolicy aid``: the student aid of each record, under a region's plan.

Student records are read as :func:`~edupolicy.cli._io.read_records` reads them; ``-``
reads standard input, ``--sample`` the roster the region's plugin ships.  Each result is
written as its record is evaluated (:mod:`edupolicy.cli._results`): as a block of text,
as JSON, or as a line of JSON Lines (``--format jsonl``); each record is read once.  A
bad record is reported on standard error, one line per bad field with the record's
position, and the good records are still evaluated; the exit status is then 1.  Status
2 means nothing could be evaluated (unknown region, date outside every plan, unreadable
file).  A progress bar and a closing summary (the records read, evaluated, rejected and
the cash in all) are shown on standard error when it is a terminal.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from decimal import Decimal

from edupolicy.aid import AidResult, BenefitKind, Student, fee_label
from edupolicy.aid.records import student_from_key
from edupolicy.cli._io import Batch, Context, Input, add_cash, heading, join, table
from edupolicy.cli._options import Options, Subcommands, load_policy
from edupolicy.cli._results import ByOutcome, JsonResults, TextResults
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _
from edupolicy.io import structure
from edupolicy.plugins.registry import default_registry

_ZERO = Decimal("0.00")

__all__ = ["add_aid_commands"]


def add_aid_commands(sub: Subcommands, options: Options) -> None:
    """Add ``aid`` to the subparsers ``sub``."""
    t = options.t
    aid = options.command(sub, "aid", _("the student aid of each record, under a region's plan"))
    options.add_region(aid)
    options.add_params(aid, options.question("aid").params)
    options.add_format(aid, lines=True)
    options.add_changes(aid)
    options.add_progress(aid)
    options.add_summary(aid)
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
    aid.set_defaults(func=run_aid, declared=options.question("aid"))


def run_aid(args: argparse.Namespace, ctx: Context) -> int:
    """Evaluate each record of the input; write each result as it is evaluated."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    policy.plan_on(args.on, locale=locale)
    if args.sample:
        spec = default_registry().spec(args.region, locale=locale)
        if spec.sample_roster is None:
            raise EdupolicyError(
                _("Region {region} has no sample roster", region=args.region), locale=locale
            )
        source = Input.bundled(spec.sample_roster)
    else:
        source = Input.of(args.file, ctx.stdin)

    # The question's other parameters (``explain``), as given: ``on`` is passed on its
    # own, the quicker way for a call made once per record.
    params = Options.params(args, args.declared.params)
    on = params.pop("on")

    def evaluate(data: object) -> AidResult:
        # Not a mapping: ``structure`` says so ("must be a JSON object").
        record = (
            data
            if type(data) is dict or isinstance(data, Mapping)
            else structure(data, Student, locale=locale)
        )
        return policy.aid(record, on, **params, locale=locale)

    batch = Batch.of(ctx, args)
    cash = _ZERO
    if args.format in ("json", "jsonl"):
        out = JsonResults(ctx, batch, lines=args.format == "jsonl", flush=not source.regular)
        for entry, result in batch.records(source, evaluate):
            out.write(entry, result)
            cash = add_cash(cash, result.cash_total)
        out.close()
        return batch.finish(cash=cash)

    text = TextResults(ctx.out, lambda: heading(policy, args.on, locale), flush=not source.regular)
    # A block but its label (the student's id, or the record's position), once per
    # outcome: each outcome is evaluated for one student but the id (its key).
    blocks: ByOutcome[AidResult, tuple[str, str]] = ByOutcome(lambda result: _block(result, locale))
    for entry, result in batch.records(source, evaluate):
        before, after = blocks(result)
        text.write_block(before + (result.student_id or entry.position) + after)
        cash = add_cash(cash, result.cash_total)
    text.close()
    return batch.finish(cash=cash)


#: Where a block's label goes in its first line, rendered once per outcome.
_LABEL = "\x00label\x00"


def _block(result: AidResult, locale: str) -> tuple[str, str]:
    """The text of ``result``'s block before its label, and after it: its first line says
    who the student is (``{label}: {value}``), the next lines what they receive."""
    described = _describe_student(student_from_key(result.outcome.key), locale)
    first = _("{label}: {value}", label=_LABEL, value=described).render(locale)
    before, _label, after = first.partition(_LABEL)
    return before, "\n".join([after, *_result_lines(result, locale)])


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


def _result_lines(result: AidResult, locale: str) -> list[str]:
    """The lines of a result's block after the student's: what every student of its
    outcome receives."""
    lines = []
    fees = [fee_label(fee).render(locale) for fee in result.waivers]
    waivers = join(fees, locale) if fees else "-"
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
            rows.append([item.rule.name.render(locale), aid, item.source.at])
        lines.extend("    " + row for row in table(rows))
    else:
        lines.append("    " + _("no rule applies").render(locale))
    for note in result.notes:
        lines.append(
            "    "
            + _("note: {name} ({section})", name=note.name, section=note.source.at).render(locale)
        )
    if result.not_applied is not None:
        lines.append("  " + _("rules that did not apply:").render(locale))
        for entry in result.not_applied:
            lines.append("    " + entry.describe().render(locale))
    return lines
