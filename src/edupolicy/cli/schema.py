"""``edupolicy schema``: the JSON Schemas of plan files, records and results, and those the
declared questions bring (a budget's, a diff's)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from edupolicy.cli._io import EXIT_OK, Context, table, write_json
from edupolicy.cli._options import Options, Subcommands
from edupolicy.i18n import Message, _
from edupolicy.io.schema import SCHEMA_NAMES, json_schema, schema_description
from edupolicy.plugins.registry import default_registry
from edupolicy.policy.questions import Question
from edupolicy.rules import ExtensionCondition


def _brought(questions: Sequence[Question]) -> dict[str, tuple[dict[str, object], Message]]:
    """The schemas ``questions`` bring, by name, each with what it describes."""
    return {
        name: (dict(schema), question.summary)
        for question in questions
        for name, schema in question.schemas.items()
        if name not in SCHEMA_NAMES
    }


__all__ = ["add_schema_commands"]


def add_schema_commands(sub: Subcommands, options: Options) -> None:
    """Add ``schema`` to the subparsers ``sub``: the schemas of edupolicy and those
    the questions of ``options`` bring."""
    brought = _brought(options.questions)
    command = options.command(
        sub, "schema", _("print the JSON Schema of a plan file, a record or a result")
    )
    command.add_argument(
        "name",
        nargs="?",
        choices=(*SCHEMA_NAMES, *brought),
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
    command.set_defaults(func=run_schema, brought=brought)


def run_schema(args: argparse.Namespace, ctx: Context) -> int:
    """Print the schema named, or list the names and what each describes."""
    brought: dict[str, tuple[dict[str, object], Message]] = args.brought
    if args.name is None or args.list:
        rows = [[name, schema_description(name).render(ctx.locale)] for name in SCHEMA_NAMES] + [
            [name, described.render(ctx.locale)] for name, (_s, described) in brought.items()
        ]
        header = [_("schema").render(ctx.locale), _("describes").render(ctx.locale)]
        ctx.out.write("\n".join(table([header, *rows])) + "\n")
        return EXIT_OK
    found = brought.get(args.name)
    if found is not None:
        write_json(found[0], ctx.out)
        return EXIT_OK
    conditions: tuple[type[ExtensionCondition[Any]], ...] = ()
    if args.region is not None:
        conditions = default_registry().spec(args.region, locale=ctx.locale).conditions
    write_json(json_schema(args.name, conditions=conditions), ctx.out)
    return EXIT_OK
