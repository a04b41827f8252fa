"""``edupolicy ask QUESTION``: any question a policy answers, made from its declaration.

Each declared question (:data:`~edupolicy.policy.questions.QUESTIONS`) is a command
``edupolicy ask PATH`` (``aid``, ``check-awards``, …) whose options are its parameters
(``--on``, ``--against-region``), whose ``FILE`` is its subject (a JSON document, or
``-`` for standard input) and whose answer is the JSON the HTTP service gives.  The
commands of their own (``edupolicy aid``, ``edupolicy teacher``, …) add the formats
people read; ``ask`` is the same question for scripts, and the way a new question
reaches the command line with no other change.
"""

from __future__ import annotations

import argparse

import edupolicy
from edupolicy.cli._io import EXIT_OK, Context, Input, read_document, write_json
from edupolicy.cli._options import Options, Subcommands, load_policy
from edupolicy.i18n import _
from edupolicy.policy.questions import Asked, question

__all__ = ["add_ask_command"]


def add_ask_command(sub: Subcommands, options: Options) -> None:
    """Add ``ask`` and, under it, a command for each of the questions of ``options``."""
    questions = options.questions
    ask = options.command(
        sub, "ask", _("answer any question a policy answers, in JSON, as the HTTP service does")
    )
    inner = ask.add_subparsers(dest="question", required=True, metavar="QUESTION")
    for declared in questions:
        command = options.command(inner, declared.path, declared.summary)
        options.add_region(command)
        options.add_params(command, declared.params)
        if declared.subject is not None:
            command.add_argument(
                "file",
                metavar="FILE",
                help=options.t(
                    _(
                        "{subject}, as JSON; - for standard input",
                        subject=declared.subject.description,
                    )
                ),
            )
        command.set_defaults(func=run_ask, question_id=declared.id, questions=questions)


def run_ask(args: argparse.Namespace, ctx: Context) -> int:
    """Answer the question the arguments name and write its JSON."""
    locale = ctx.locale
    asked = question(args.question_id, args.questions, locale=locale)
    policy = load_policy(args, locale)
    readings = dict(args.reading or [])
    subject = None
    if asked.subject is not None:
        data = read_document(Input.of(args.file, ctx.stdin), locale)
        subject = asked.subject.check(data, locale=locale)
    params = Options.params(args, asked.params)

    def other(region: str) -> edupolicy.Policy:
        return load_policy(args, locale, region=region)

    answer = asked.ask(
        Asked(
            policy=policy,
            base=edupolicy.load(args.region, locale=locale),
            subject=subject,
            params=params,
            locale=locale,
            other=other,
            readings=readings,
        )
    )
    write_json(answer, ctx.out)
    return EXIT_OK
