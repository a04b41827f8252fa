"""``edupolicy regions``: the installed regions."""

from __future__ import annotations

import argparse

import edupolicy
from edupolicy.cli._io import EXIT_OK, Context, table, write_json
from edupolicy.cli._options import Options, Subcommands
from edupolicy.i18n import _

__all__ = ["add_regions_commands"]


def add_regions_commands(sub: Subcommands, options: Options) -> None:
    """Add ``regions`` to the subparsers ``sub``."""
    regions = options.command(sub, "regions", _("list the installed regions"))
    options.add_format(regions)
    regions.set_defaults(func=run_regions)


def run_regions(args: argparse.Namespace, ctx: Context) -> int:
    """List the installed regions, with the distribution and version of each one's plugin."""
    locale = ctx.locale
    found = edupolicy.regions()
    if args.format == "json":
        write_json([region.to_json(locale) for region in found], ctx.out)
    elif found:
        header = [
            _("region").render(locale),
            _("name").render(locale),
            _("distribution").render(locale),
            _("version").render(locale),
        ]
        rows = [[r.id, r.name.render(locale), r.distribution, r.version] for r in found]
        ctx.out.write("\n".join(table([header, *rows])) + "\n")
    else:
        ctx.out.write(_("No regions are installed.").render(locale) + "\n")
    return EXIT_OK
