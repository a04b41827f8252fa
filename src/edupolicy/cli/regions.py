"""The commands about regions: ``regions`` (the installed regions) and ``readings`` (the
readings a region's plans offer); ``new-region`` is :mod:`edupolicy.cli.scaffold`'s."""

from __future__ import annotations

import argparse
import textwrap

import edupolicy
from edupolicy.cli._io import EXIT_BAD_RECORDS, EXIT_OK, Context, join, table, write_json
from edupolicy.cli._options import Options, Subcommands, load_policy
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _

__all__ = ["add_regions_commands"]

#: How wide a reading's texts are wrapped in a table.
_WIDTH = 96


def add_regions_commands(sub: Subcommands, options: Options) -> None:
    """Add ``regions`` and ``readings`` to the subparsers ``sub``."""
    regions = options.command(sub, "regions", _("list the installed regions"))
    options.add_format(regions)
    regions.set_defaults(func=run_regions)

    readings = options.command(
        sub, "readings", _("list the readings a region's plans offer, and their choices")
    )
    options.add_region(readings)
    options.add_format(readings)
    readings.set_defaults(func=run_readings)


def run_regions(args: argparse.Namespace, ctx: Context) -> int:
    """List the installed regions, with the distribution and version of each one's plugin,
    and load each region's plans: a region whose plans have an error is reported."""
    locale = ctx.locale
    found = edupolicy.regions()
    errors: dict[str, EdupolicyError] = {}
    for region in found:
        try:
            edupolicy.load(region.id, locale=locale)
        except EdupolicyError as exc:
            errors[region.id] = exc
    if args.format == "json":
        write_json(
            [
                {
                    **region.to_json(locale),
                    "status": "error" if region.id in errors else "ok",
                    "error": errors[region.id].render(locale) if region.id in errors else None,
                }
                for region in found
            ],
            ctx.out,
        )
    elif found:
        header = [
            _("region").render(locale),
            _("name").render(locale),
            _("distribution").render(locale),
            _("version").render(locale),
            _("plans").render(locale),
        ]
        ok, error = _("ok").render(locale), _("error").render(locale)
        rows = [
            [
                r.id,
                r.name.render(locale),
                r.distribution,
                r.version,
                error if r.id in errors else ok,
            ]
            for r in found
        ]
        ctx.out.write("\n".join(table([header, *rows])) + "\n")
    else:
        ctx.out.write(_("No regions are installed.").render(locale) + "\n")
    for problem in errors.values():
        ctx.err.write(_("error: {error}", error=problem.render(locale)).render(locale) + "\n")
    return EXIT_BAD_RECORDS if errors else EXIT_OK


def run_readings(args: argparse.Namespace, ctx: Context) -> int:
    """List each plan's readings: the question, the sentence, the choices, the one in force."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    if args.format == "json":
        write_json(
            [
                {
                    "plan": plan.id,
                    **reading.to_json(locale),
                    "in_force": policy.readings_of(plan)[reading.id],
                }
                for plan in policy.plans
                for reading in plan.readings
            ],
            ctx.out,
        )
        return EXIT_OK
    lines: list[str] = []
    for plan in policy.plans:
        in_force = policy.readings_of(plan)
        lines.append(
            _(
                "Region {region}, plan {number} ({period})",
                region=policy.region,
                number=plan.document.number,
                period=str(plan.in_force),
            ).render(locale)
        )
        if not plan.readings:
            lines.append(_("The plan offers no readings.").render(locale))
        for reading in plan.readings:
            lines.append("")
            lines.append(_("{label}: {value}", label=reading.id, value=reading.name).render(locale))
            lines.append("  " + reading.source.cite().render(locale))
            for choice in reading.choices:
                marks = []
                if choice.id == reading.default:
                    marks.append(_("default").render(locale))
                if choice.id == in_force[reading.id]:
                    marks.append(_("in force").render(locale))
                detail = join(marks, locale) if marks else ""
                label = (
                    _("{name} ({detail})", name=choice.id, detail=detail).render(locale)
                    if marks
                    else choice.id
                )
                lines.append(f"  {'*' if choice.id == in_force[reading.id] else '-'} {label}")
                lines.extend(
                    textwrap.wrap(
                        choice.text.render(locale),
                        # A Chinese character takes two columns of a terminal.
                        _WIDTH // 2 if locale.startswith("zh") else _WIDTH,
                        initial_indent="      ",
                        subsequent_indent="      ",
                    )
                )
    ctx.out.write("\n".join(lines) + "\n")
    return EXIT_OK
