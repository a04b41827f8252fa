"""The options several commands share, each declared once, and the locale of the output.

A question's parameters are options made from its declaration
(:attr:`Question.params <edupolicy.policy.questions.Question.params>`) by
:meth:`Options.add_params`, for ``edupolicy ask`` and the commands of their own alike:
a parameter added to a declaration is an option of each command that asks its question,
with no other change.  Where a command shows a parameter otherwise (the placeholder of
its value, a help text that says what the option does there), it says so with a
:class:`Shown`, next to the command.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import datetime as _dt
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn, Protocol

import attrs

import edupolicy
from edupolicy.errors import show_value
from edupolicy.i18n import SUPPORTED_LOCALES, Message, _, normalize_locale, supported_locale
from edupolicy.policy import Policy
from edupolicy.policy.arguments import not_a_reading, reading_written
from edupolicy.policy.questions import QUESTIONS, Param, Question
from edupolicy.values import parse_date

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = [
    "METAVARS",
    "Options",
    "Parser",
    "Shown",
    "Subcommands",
    "choose_locale",
    "load_policy",
    "option_name",
    "writing_to",
]


#: argparse's own error messages, and each in our catalogue: argparse's words are then
#: in the command line's language too.
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Message]], ...] = (
    (
        re.compile(r"the following arguments are required: (?P<args>.*)", re.S),
        lambda m: _("the following arguments are required: {args}", args=m["args"]),
    ),
    (
        re.compile(r"unrecognized arguments: (?P<args>.*)", re.S),
        lambda m: _("unrecognized arguments: {args}", args=m["args"]),
    ),
    (
        re.compile(
            r"argument (?P<arg>\S+): invalid choice: (?P<value>.*?) "
            r"\(choose from (?P<choices>.*)\)",
            re.S,
        ),
        lambda m: _(
            "argument {arg}: invalid choice: {value} (choose from {choices})",
            arg=m["arg"],
            value=m["value"],
            choices=m["choices"],
        ),
    ),
    (
        re.compile(r"argument (?P<arg>\S+): expected one argument", re.S),
        lambda m: _("argument {arg}: expected one argument", arg=m["arg"]),
    ),
    (
        re.compile(r"argument (?P<arg>\S+): (?P<detail>.*)", re.S),
        lambda m: _("argument {arg}: {detail}", arg=m["arg"], detail=m["detail"]),
    ),
)


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, with the usage line headed in the parser's language."""

    usage_prefix = "usage: "

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)


#: Where the parsers of this context write their usage, help and errors: the streams the
#: command line was given (``None``: the process's).
_STREAMS: contextvars.ContextVar[tuple[IO[str], IO[str]] | None] = contextvars.ContextVar(
    "edupolicy_cli_streams", default=None
)


@contextlib.contextmanager
def writing_to(out: IO[str], err: IO[str]) -> Iterator[None]:
    """Make the parsers write what argparse sends to standard output (``--help``,
    ``--version``) to ``out``, and the rest (usage, errors) to ``err``, in this context
    alone: ``sys.stdout`` and ``sys.stderr`` are left as they are, for the other threads
    of a host."""
    token = _STREAMS.set((out, err))
    try:
        yield
    finally:
        _STREAMS.reset(token)


class Parser(argparse.ArgumentParser):
    """An argument parser whose own words (usage, section titles, ``--help``, errors) are
    in ``locale``, as the help texts we write are."""

    def __init__(
        self, *args: Any, locale: str = "en", help_option: bool = True, **kwargs: Any
    ) -> None:
        prefix = _("usage: ").render(locale)
        formatter = type("Formatter", (_Formatter,), {"usage_prefix": prefix})
        kwargs.setdefault("formatter_class", formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.locale = locale
        self._positionals.title = _("positional arguments").render(locale)
        self._optionals.title = _("options").render(locale)
        if help_option:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=_("show this help message and exit").render(locale),
            )

    def format_help(self) -> str:
        """The help, its section titles followed by the colon of the parser's language."""
        text = super().format_help()
        colon = _("{label}: {value}", label="", value="").render(self.locale).strip()
        if colon == ":":
            return text
        titles = {group.title for group in self._action_groups if group.title}
        return "\n".join(
            line[:-1] + colon if line.endswith(":") and line.strip()[:-1] in titles else line
            for line in text.split("\n")
        )

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        streams = _STREAMS.get()
        if streams is not None and message:
            streams[0 if file is sys.stdout else 1].write(message)
            return
        super()._print_message(message, file)

    def error(self, message: str) -> NoReturn:
        """Print the usage and ``message``, in the parser's language; exit with 2."""
        translated: Message | None = None
        for pattern, make in _ARGPARSE_ERRORS:
            found = pattern.fullmatch(message)
            if found is not None:
                translated = make(found)
                break
        text = translated.render(self.locale) if translated is not None else message
        self.print_usage(sys.stderr)
        self.exit(
            2,
            _("{prog}: error: {message}", prog=self.prog, message=text).render(self.locale) + "\n",
        )


class Subcommands(Protocol):
    """The subparsers of the ``edupolicy`` parser, to which each command is added."""

    def add_parser(
        self,
        name: str,
        *,
        parents: Sequence[Parser] = ...,
        help: str | None = ...,
        locale: str = ...,
    ) -> Parser: ...


def _locale_from_env() -> str | None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX"):
            return value
    return None


def choose_locale(requested: str | None, err: IO[str]) -> str:
    """The locale of the output: ``requested`` (``--locale``), else the environment's."""
    raw = requested if requested is not None else _locale_from_env()
    locale = normalize_locale(raw, warn=False)
    if requested is not None and supported_locale(requested) is None:
        err.write(
            _(
                "warning: locale {locale} is not supported; using {fallback} "
                "(supported: {supported})",
                locale=requested,
                fallback=locale,
                supported=", ".join(SUPPORTED_LOCALES),
            ).render(locale)
            + "\n"
        )
    return locale


def load_policy(args: argparse.Namespace, locale: str, *, region: str | None = None) -> Policy:
    """The policy of ``--region`` (or ``region``), read under the ``--reading`` choices
    given, with the changes of ``--changes`` applied if given."""
    chosen: list[tuple[str, str]] = getattr(args, "reading", None) or []
    policy = edupolicy.load(region or args.region, readings=dict(chosen) or None, locale=locale)
    changes: str | None = getattr(args, "changes", None)
    return policy if changes is None else policy.with_changes(changes, locale=locale)


@attrs.frozen(kw_only=True)
class Shown:
    """How one command shows a parameter of its question where it differs from the
    declaration; what is not given here is the declaration's.

    Only what belongs to the command line is here: the option's name, its kind (the
    type of its value), its meaning and whether the question needs it are the
    declaration's, and so the HTTP service's and ``edupolicy ask``'s too.
    """

    #: The placeholder of the value in the help (``YYYY``), instead of the kind's.
    metavar: str | None = None
    #: The help text, where the option does more on this command than the parameter
    #: means to the question (``check-awards --size`` asks another question).
    help: Message | None = None
    #: Whether the option must be given, where the command needs it though the
    #: question does not (or asks another question without it).
    required: bool | None = None


#: The placeholder of a parameter's value, by its kind.
METAVARS = {"date": "YYYY-MM-DD", "int": "N", "text": "ID"}


def option_name(param: str) -> str:
    """The option of the parameter ``param``: ``--`` and its name, ``_`` written ``-``."""
    return "--" + param.replace("_", "-")


class Options:
    """The options several commands share, each declared here once; help in ``locale``.

    ``questions`` are the declarations the commands take their questions' parameters
    from (by id; the core's :data:`~edupolicy.policy.questions.QUESTIONS` for any not
    among them).
    """

    def __init__(self, locale: str, questions: Sequence[Question] = QUESTIONS) -> None:
        self.locale = locale
        #: The questions given: those ``ask`` answers and ``schema`` knows the schemas of.
        self.questions = tuple(questions)
        self._questions = {found.id: found for found in (*QUESTIONS, *questions)}
        # --locale may also follow the command (``edupolicy aid --locale zh_CN ...``).
        self._common = Parser(locale=locale, help_option=False)  # only shared options
        self._common.add_argument("--locale", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def t(self, message: Message) -> str:
        """``message`` in the command line's locale."""
        return message.render(self.locale)

    def add_locale(self, parser: argparse.ArgumentParser) -> None:
        """``--locale``, with its help, on the top-level parser."""
        parser.add_argument(
            "--locale",
            help=self.t(
                _("language of the output: zh_CN or en (default: from LC_ALL / LANG, else en)")
            ),
        )

    def command(self, sub: Subcommands, name: str, help: Message) -> Parser:
        """A new command ``name``; it accepts ``--locale`` after its name."""
        return sub.add_parser(name, parents=[self._common], help=self.t(help), locale=self.locale)

    def add_region(self, parser: argparse.ArgumentParser, *, positional: bool = False) -> None:
        """``--region`` (required; ``REGION`` when ``positional``) and ``--reading``."""
        region_help = self.t(_("region id, such as jinfeng"))
        if positional:
            parser.add_argument("region", metavar="REGION", help=region_help)
        else:
            parser.add_argument("--region", required=True, help=region_help)
        parser.add_argument(
            "--reading",
            action="append",
            type=self._reading,
            metavar="ID=CHOICE",
            help=self.t(
                _(
                    "read an ambiguous sentence of the plan another way (a reading the plan "
                    "offers; may be repeated)"
                )
            ),
        )

    def question(self, question_id: str) -> Question:
        """The declaration of the question ``question_id``."""
        return self._questions[question_id]

    def add_params(
        self,
        parser: argparse.ArgumentParser,
        params: Iterable[Param],
        shown: Mapping[str, Shown] | None = None,
    ) -> None:
        """An option for each of ``params``, as its declaration states it: ``--name``
        (``_`` written ``-``), its value of its kind (a date, a whole number or an id;
        a flag takes none), its description as help, required if the parameter is.
        A malformed value is a usage error.  ``shown`` says, by parameter name, how a
        command shows one otherwise."""
        declared = list(params)
        shown = shown or {}
        unknown = set(shown) - {param.name for param in declared}
        if unknown:
            raise ValueError(f"no such parameter to show otherwise: {', '.join(sorted(unknown))}")
        for param in declared:
            self._add_param(parser, param, shown.get(param.name, Shown()))

    def _add_param(self, parser: argparse.ArgumentParser, param: Param, shown: Shown) -> None:
        flag = option_name(param.name)
        help_text = self.t(shown.help if shown.help is not None else param.description)
        if param.kind == "flag":
            parser.add_argument(flag, dest=param.name, action="store_true", help=help_text)
            return
        kinds: dict[str, Callable[[str], object]] = {
            "date": self._day,
            "int": self._whole,
            "text": str,
        }
        parser.add_argument(
            flag,
            dest=param.name,
            type=kinds[param.kind],
            metavar=shown.metavar or METAVARS[param.kind],
            required=param.required if shown.required is None else shown.required,
            help=help_text,
        )

    @staticmethod
    def params(args: argparse.Namespace, params: Iterable[Param]) -> dict[str, Any]:
        """The values of ``params`` given on the command line, by name (a flag only when
        given), as a question takes them."""
        values = {param.name: getattr(args, param.name) for param in params}
        return {
            name: value
            for name, value in values.items()
            if value is not None and value is not False
        }

    def add_format(self, parser: argparse.ArgumentParser, *, lines: bool = False) -> None:
        """``--format table|json``; with ``lines``, ``jsonl`` too (a result per record)."""
        choices = ("table", "json", "jsonl") if lines else ("table", "json")
        parser.add_argument(
            "--format", choices=choices, default="table", help=self.t(_("output format"))
        )

    def add_progress(self, parser: argparse.ArgumentParser) -> None:
        """``--no-progress``: no progress bar while the records are read."""
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help=self.t(
                _(
                    "no progress bar (one is shown on standard error while records are read, "
                    "when standard error is a terminal and standard output is not)"
                )
            ),
        )

    def add_summary(self, parser: argparse.ArgumentParser) -> None:
        """``--summary`` / ``--no-summary``: the closing count of the records, on standard
        error; by default only when standard error is a terminal."""
        parser.add_argument(
            "--summary",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=self.t(
                _(
                    "after a roster, say on standard error how many records were read, "
                    "evaluated and rejected (default: when standard error is a terminal)"
                )
            ),
        )

    def add_changes(self, parser: argparse.ArgumentParser) -> None:
        """``--changes FILE``: evaluate under the region's plans with the changes applied."""
        parser.add_argument(
            "--changes",
            metavar="FILE",
            help=self.t(_("a change file (TOML): evaluate under the plans with these changes")),
        )

    def day(self, text: str) -> _dt.date:
        """``text`` as a date, for an option's ``type``; malformed, a usage error."""
        return self._day(text)

    def _reading(self, text: str) -> tuple[str, str]:
        written = reading_written(text)
        if written is None:
            raise argparse.ArgumentTypeError(self.t(not_a_reading(text)))
        return written

    def _whole(self, text: str) -> int:
        if not (text.isascii() and text.isdigit()) or len(text) > 9:
            raise argparse.ArgumentTypeError(
                self.t(_("not a whole number: {value}", value=show_value(text)))
            )
        return int(text)

    def _day(self, text: str) -> _dt.date:
        parsed = parse_date(text)
        if parsed is None:
            raise argparse.ArgumentTypeError(
                self.t(_("not a date written YYYY-MM-DD: {value}", value=show_value(text)))
            )
        return parsed
