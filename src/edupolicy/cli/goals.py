"""``edupolicy progress``: where a region's targets stand (``check`` is
:mod:`edupolicy.cli.check`'s).

``progress`` says where each target of the plan in force at the end of a year (or on
the date of ``--on``) stands, given reported values (a JSON object mapping indicator
ids to values, or a JSON list of observations; ``-`` reads standard input).
"""

from __future__ import annotations

import argparse
import datetime as _dt
from decimal import Decimal

from edupolicy.cli._io import (
    EXIT_OK,
    Context,
    Input,
    join,
    read_document,
    table,
    under,
    write_json,
)
from edupolicy.cli._options import Options, Shown, Subcommands, load_policy
from edupolicy.errors import EdupolicyError
from edupolicy.goals import Unit
from edupolicy.i18n import _

__all__ = ["add_goals_commands"]


def add_goals_commands(sub: Subcommands, options: Options) -> None:
    """Add ``progress`` to the subparsers ``sub``."""
    t = options.t
    progress = options.command(
        sub, "progress", _("where each target of a region's plan stands, given reported values")
    )
    options.add_region(progress)
    # An object of figures is read as the year's: the command line always needs the year.
    options.add_params(
        progress,
        options.question("progress").params,
        {"year": Shown(metavar="YEAR", required=True)},
    )
    options.add_format(progress)
    options.add_changes(progress)
    progress.add_argument(
        "file",
        metavar="FILE",
        help=t(
            _(
                "JSON: an object mapping indicator ids to values, or a list of observations; "
                "- for stdin"
            )
        ),
    )
    progress.set_defaults(func=run_progress)


def run_progress(args: argparse.Namespace, ctx: Context) -> int:
    """Print where each target stands at the end of ``--year``."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    data = read_document(Input.of(args.file, ctx.stdin), locale)
    if not isinstance(data, (list, dict)):
        raise EdupolicyError(
            _("{file}: must be a list of observations or an object", file=args.file),
            locale=locale,
        )
    lines = policy.progress(data, year=args.year, on=args.on, locale=locale)
    if args.format == "json":
        write_json([line.to_json(locale) for line in lines], ctx.out)
        return EXIT_OK
    if args.on is None:
        plan = policy.plan_on(_dt.date(args.year, 12, 31), locale=locale)
        heading = _(
            "Region {region}, plan {number}: targets at the end of {year}",
            region=args.region,
            number=plan.document.number,
            year=str(args.year),
        )
    else:
        plan = policy.plan_on(args.on, locale=locale)
        heading = _(
            "Region {region}, plan {number}: targets on {on}",
            region=args.region,
            number=plan.document.number,
            on=args.on,
        )
    ctx.out.write("\n".join([heading.render(locale), *under(policy, plan, locale)]) + "\n\n")
    header = [_("target"), _("status"), _("observed"), _("wanted"), _("gap"), _("deadline")]
    rows = [[cell.render(locale) for cell in header]]
    counts: dict[str, int] = {}
    for line in lines:
        unit = line.indicator.unit
        status = line.status.label.render(locale)
        counts[status] = counts.get(status, 0) + 1
        name = line.indicator.name.render(locale)
        if line.target.scope is not None:
            name = _("{name} ({detail})", name=name, detail=line.target.scope).render(locale)
        rows.append(
            [
                name,
                status,
                unit.show(line.observed).render(locale) if line.observed is not None else "-",
                _wanted(line.target.comparison.symbol, unit, line.target.value, locale),
                unit.show(line.gap).render(locale) if line.gap is not None else "-",
                line.target.deadline.isoformat(),
            ]
        )
    ctx.out.write("\n".join(table(rows)) + "\n\n")
    summary = [
        _("{label}: {value}", label=label, value=count).render(locale)
        for label, count in counts.items()
    ]
    ctx.out.write(join(summary, locale) + "\n")
    return EXIT_OK


def _wanted(symbol: str, unit: Unit, value: Decimal, locale: str | None) -> str:
    """``≥ 98.7%``; for an indicator that is achieved or not, just ``achieved``."""
    shown = unit.show(value).render(locale)
    return shown if unit is Unit.ACHIEVED else f"{symbol} {shown}"
