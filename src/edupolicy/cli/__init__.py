"""The ``edupolicy`` command line.

``edupolicy regions`` lists the installed regions; ``edupolicy aid`` evaluates student
records under the plan in force on a date; ``progress`` and ``check`` concern a plan's
targets and data; ``teacher``, ``select`` and ``check-awards`` its teacher incentives;
``diff`` and ``budget`` what a plan (or a change to it) gives a whole roster;
``schema`` prints the JSON Schema of a plan file, a record or a result.
Each group of commands has its module, which adds its commands to the parser.  What
they share is declared once: the common options and the locale in
:mod:`edupolicy.cli._options`, reading records and writing results in
:mod:`edupolicy.cli._io`.

Exit statuses: 0 ok; 1 some records could not be used (the others were); 2 nothing
could run (unknown region, date outside every plan, unreadable file, usage error);
3 ``check-awards`` read every entry and the list falls short of the share.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import IO

import edupolicy
from edupolicy.cli._io import EXIT_FAILURE, EXIT_OK, Context
from edupolicy.cli._options import Options, Parser, choose_locale, writing_to
from edupolicy.cli.aid import add_aid_commands
from edupolicy.cli.ask import add_ask_command
from edupolicy.cli.goals import add_goals_commands
from edupolicy.cli.impact import add_impact_commands
from edupolicy.cli.regions import add_regions_commands
from edupolicy.cli.schema import add_schema_commands
from edupolicy.cli.serve import add_serve_command
from edupolicy.cli.teachers import add_teacher_commands
from edupolicy.errors import EdupolicyError, PluginWarning
from edupolicy.i18n import _
from edupolicy.policy.questions import QUESTIONS, Question

__all__ = ["main", "run"]

#: What a command runs: its parsed arguments and context in, the exit status out.
Command = Callable[[argparse.Namespace, Context], int]


def _parser(locale: str, questions: Sequence[Question] = QUESTIONS) -> argparse.ArgumentParser:
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
    add_regions_commands(sub, options)
    add_aid_commands(sub, options)
    add_goals_commands(sub, options)
    add_teacher_commands(sub, options)
    add_impact_commands(sub, options)
    add_schema_commands(sub, options, questions)
    add_serve_command(sub, options)
    add_ask_command(sub, options, questions)
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
    known, _rest = pre.parse_known_args(argv)
    locale = choose_locale(known.locale, err)
    if questions is None:
        # Only these two commands need the questions plugins add: the others do not
        # import every plugin to learn them.
        command_given = next((arg for arg in _rest if not arg.startswith("-")), None)
        questions = edupolicy.questions() if command_given in ("ask", "schema") else QUESTIONS
    # Usage errors and --help go to the streams the caller gave, as everything else.
    with writing_to(out, err):
        args = _parser(locale, questions).parse_args(argv)
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
