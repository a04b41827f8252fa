"""``edupolicy schema``: the JSON Schemas of plan files, records and results, and those the
declared questions bring (a budget's, a diff's)."""

from __future__ import annotations

import argparse
from typing import Any

from edupolicy.cli._io import EXIT_OK, Context, table, write_json
from edupolicy.cli._options import Options, Subcommands
from edupolicy.i18n import Message, _
from edupolicy.io.schema import SCHEMA_NAMES, json_schema, schema_description
from edupolicy.plugins.registry import default_registry
from edupolicy.policy.questions import QUESTIONS
from edupolicy.rules import ExtensionCondition

#: The schemas the questions bring, by name, each with what it describes.
_BROUGHT: dict[str, tuple[dict[str, object], Message]] = {
    name: (dict(schema), question.summary)
    for question in QUESTIONS
    for name, schema in question.schemas.items()
    if name not in SCHEMA_NAMES
}
_NAMES = (*SCHEMA_NAMES, *_BROUGHT)


def _description(name: str) -> Message:
    brought = _BROUGHT.get(name)
    return brought[1] if brought is not None else schema_description(name)


__all__ = ["add_schema_commands"]


def add_schema_commands(sub: Subcommands, options: Options) -> None:
    """Add ``schema`` to the subparsers ``sub``."""
    command = options.command(
        sub, "schema", _("print the JSON Schema of a plan file, a record or a result")
    )
    command.add_argument(
        "name",
        nargs="?",
        choices=_NAMES,
        metavar="NAME",
        help=options.t(_("the schema to print; without it, the list of schemas")),
    )
    command.add_argument("--list", action="store_true", help=options.t(_("list the schemas")))
    command.add_argument(
        "--region",
        metavar="REGION",
        help=options.t(
            _(
                "with plan or plan-part: for the plan files of this installed region, "
                "whose plugin may add kinds of condition"
            )
        ),
    )
    command.set_defaults(func=run_schema)


def run_schema(args: argparse.Namespace, ctx: Context) -> int:
    """Print the schema named, or list the names and what each describes."""
    if args.name is None or args.list:
        rows = [[name, _description(name).render(ctx.locale)] for name in _NAMES]
        header = [_("schema").render(ctx.locale), _("describes").render(ctx.locale)]
        ctx.out.write("\n".join(table([header, *rows])) + "\n")
        return EXIT_OK
    brought = _BROUGHT.get(args.name)
    if brought is not None:
        write_json(brought[0], ctx.out)
        return EXIT_OK
    conditions: tuple[type[ExtensionCondition[Any]], ...] = ()
    if args.region is not None:
        conditions = default_registry().spec(args.region, locale=ctx.locale).conditions
    write_json(json_schema(args.name, conditions=conditions), ctx.out)
    return EXIT_OK
