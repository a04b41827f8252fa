"""The options several commands share, each declared once, and the locale of the output."""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any, NoReturn, Protocol

import edupolicy
from edupolicy.errors import show_value
from edupolicy.i18n import SUPPORTED_LOCALES, Message, _, normalize_locale, supported_locale
from edupolicy.policy import Policy
from edupolicy.values import parse_date

__all__ = ["Options", "Parser", "Subcommands", "choose_locale", "load_policy"]


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


class Options:
    """The options several commands share, each declared here once; help in ``locale``."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
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

    def add_on(
        self,
        parser: argparse.ArgumentParser,
        help: Message | None = None,
    ) -> None:
        """``--on YYYY-MM-DD``, required; a malformed date is a usage error."""
        if help is None:
            help = _("the date to evaluate on (chooses the plan in force)")
        parser.add_argument(
            "--on", required=True, type=self._day, metavar="YYYY-MM-DD", help=self.t(help)
        )

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
        reading, sep, choice = text.partition("=")
        if not sep or not reading.strip() or not choice.strip():
            raise argparse.ArgumentTypeError(
                self.t(_("not a reading written ID=CHOICE: {value}", value=show_value(text)))
            )
        return reading.strip(), choice.strip()

    def _day(self, text: str) -> _dt.date:
        parsed = parse_date(text)
        if parsed is None:
            raise argparse.ArgumentTypeError(
                self.t(_("not a date written YYYY-MM-DD: {value}", value=show_value(text)))
            )
        return parsed
