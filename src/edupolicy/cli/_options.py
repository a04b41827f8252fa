"""The options several commands share, each declared once, and the locale of the output."""

from __future__ import annotations

import argparse
import datetime as _dt
import os
from collections.abc import Sequence
from typing import IO, Protocol

import edupolicy
from edupolicy.i18n import SUPPORTED_LOCALES, Message, _, normalize_locale, supported_locale
from edupolicy.policy import Policy
from edupolicy.values import parse_date

__all__ = ["Options", "Subcommands", "choose_locale", "load_policy"]


class Subcommands(Protocol):
    """The subparsers of the ``edupolicy`` parser, to which each command is added."""

    def add_parser(
        self,
        name: str,
        *,
        parents: Sequence[argparse.ArgumentParser] = ...,
        help: str | None = ...,
    ) -> argparse.ArgumentParser: ...


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
        self._common = argparse.ArgumentParser(add_help=False)
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

    def command(self, sub: Subcommands, name: str, help: Message) -> argparse.ArgumentParser:
        """A new command ``name``; it accepts ``--locale`` after its name."""
        return sub.add_parser(name, parents=[self._common], help=self.t(help))

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

    def add_format(self, parser: argparse.ArgumentParser) -> None:
        """``--format table|json``."""
        parser.add_argument(
            "--format", choices=("table", "json"), default="table", help=self.t(_("output format"))
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
                self.t(_("not a reading written ID=CHOICE: {value}", value=repr(text)))
            )
        return reading.strip(), choice.strip()

    def _day(self, text: str) -> _dt.date:
        parsed = parse_date(text)
        if parsed is None:
            raise argparse.ArgumentTypeError(
                self.t(_("not a date written YYYY-MM-DD: {value}", value=repr(text)))
            )
        return parsed
