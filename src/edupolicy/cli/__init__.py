"""The ``edupolicy`` command line.

``edupolicy regions`` lists the installed regions; ``edupolicy aid`` evaluates student
records under the plan in force on a date; ``progress`` and ``check`` concern a plan's
targets and data; ``teacher``, ``select`` and ``check-awards`` its teacher incentives;
``diff`` and ``budget`` what a plan (or a change to it) gives a whole roster;
``schema`` prints the JSON Schema of a plan file, a record or a result.
Each group of commands has its module, which adds its commands to the parser;
:data:`COMMANDS` says which, and only the module of the command given is imported and
its commands built (every command, for ``edupolicy --help`` or a name that is none).
What they share is declared once: the common options and the locale in
:mod:`edupolicy.cli._options`, reading records and writing results in
:mod:`edupolicy.cli._io`.

Exit statuses: 0 ok; 1 some records could not be used (the others were); 2 nothing
could run (unknown region, date outside every plan, unreadable file, usage error);
3 ``check-awards`` read every entry and the list falls short of the share.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import IO

import edupolicy
from edupolicy.cli._io import EXIT_FAILURE, EXIT_OK, Context
from edupolicy.cli._options import Options, Parser, Subcommands, choose_locale, writing_to
from edupolicy.errors import EdupolicyError, PluginWarning
from edupolicy.i18n import _
from edupolicy.policy.questions import QUESTIONS, Question

__all__ = ["main", "run"]

#: What a command runs: its parsed arguments and context in, the exit status out.
Command = Callable[[argparse.Namespace, Context], int]

#: What adds commands to the parser: a function of the command's module.
Adder = Callable[[Subcommands, Options], None]

#: Each command, by name, and the function that adds it (``"module:function"``), in the
#: order of ``edupolicy --help``.  A function that adds several commands is named for
#: each of them, and called once.
COMMANDS: Mapping[str, str] = {
    "regions": "edupolicy.cli.regions:add_regions_commands",
    "readings": "edupolicy.cli.regions:add_regions_commands",
    "new-region": "edupolicy.cli.scaffold:add_scaffold_command",
    "case-template": "edupolicy.cli.scaffold:add_case_template_command",
    "aid": "edupolicy.cli.aid:add_aid_commands",
    "progress": "edupolicy.cli.goals:add_goals_commands",
    "check": "edupolicy.cli.check:add_check_command",
    "teacher": "edupolicy.cli.teachers:add_teacher_commands",
    "select": "edupolicy.cli.teachers:add_teacher_commands",
    "check-awards": "edupolicy.cli.teachers:add_teacher_commands",
    "diff": "edupolicy.cli.impact:add_impact_commands",
    "budget": "edupolicy.cli.impact:add_impact_commands",
    "schema": "edupolicy.cli.schema:add_schema_commands",
    "serve": "edupolicy.cli.serve:add_serve_command",
    "ask": "edupolicy.cli.ask:add_ask_command",
}


def adder(where: str) -> Adder:
    """The function ``where`` (``"module:function"``), its module imported now."""
    module_name, _sep, name = where.partition(":")
    found: Adder = getattr(importlib.import_module(module_name), name)
    return found


def _parser(
    locale: str, questions: Sequence[Question] = QUESTIONS, *, command: str | None = None
) -> argparse.ArgumentParser:
    """The parser of the command line, with every command, or only those added with
    ``command`` (one of :data:`COMMANDS`) if given; help and messages in ``locale``."""
    options = Options(locale, questions)
    parser = Parser(
        prog="edupolicy",
        description=options.t(_("Rules as code for education poverty-alleviation plans.")),
        locale=locale,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"edupolicy {edupolicy.__version__}",
        help=options.t(_("show the version of edupolicy and exit")),
    )
    options.add_locale(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    adders = dict.fromkeys(COMMANDS.values()) if command is None else [COMMANDS[command]]
    for where in adders:
        adder(where)(sub, options)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
    questions: Sequence[Question] | None = None,
) -> int:
    """Run the command line; returns the exit status.

    ``questions`` are the questions ``edupolicy ask`` answers and ``edupolicy schema``
    knows the schemas of (default: every question a policy answers: the core's,
    :data:`~edupolicy.policy.questions.QUESTIONS`, and those the installed plugins add);
    the commands of their own (``aid``, ``teacher``, ``select``…) take the parameters
    of their question from its declaration there (the core's, if not there).
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    source = stdin if stdin is not None else sys.stdin
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--locale")
    known, rest = pre.parse_known_args(argv)
    locale = choose_locale(known.locale, err)
    if questions is None:
        # Only these two commands need the questions plugins add: the others do not
        # import every plugin to learn them.
        command_given = next((arg for arg in rest if not arg.startswith("-")), None)
        questions = edupolicy.questions() if command_given in ("ask", "schema") else QUESTIONS
    # A command named first is the only one built; anything else before it (-h) or
    # a name that is no command needs them all.
    only = rest[0] if rest and rest[0] in COMMANDS else None
    # Usage errors and --help go to the streams the caller gave, as everything else.
    with writing_to(out, err):
        args = _parser(locale, questions, command=only).parse_args(argv)
    command: Command = args.func
    ctx = Context(locale=locale, out=out, err=err, stdin=source)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always", PluginWarning)
        try:
            status = command(args, ctx)
        except EdupolicyError as exc:
            err.write(_("error: {error}", error=exc.render(locale)).render(locale) + "\n")
            status = EXIT_FAILURE
        finally:
            try:
                problems = edupolicy.plugin_problems()
            except EdupolicyError:
                problems = ()  # strict mode: the error itself was reported above
            for problem in problems:
                err.write(
                    _("warning: {problem}", problem=problem.render(locale)).render(locale) + "\n"
                )
    return status


def run() -> None:
    """Console-script entry point."""
    # Text the terminal cannot encode (an unpaired surrogate in an id) is escaped, not fatal.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (``edupolicy ... | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = EXIT_OK
    sys.exit(status)
