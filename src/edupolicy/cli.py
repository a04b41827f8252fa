"""The ``edupolicy`` command line.

``edupolicy regions`` lists the installed regions; ``edupolicy aid`` evaluates
student records (one JSON object, a JSON list, or JSON Lines; ``-`` reads standard
input) under the plan in force on a date.  A bad record is reported on standard
error, one line per bad field with the record's position, and the good records are
still evaluated; the exit status is then 1.  Status 2 means nothing could be
evaluated (unknown region, date outside every plan, unreadable file).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import os
import sys
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from typing import IO, Any

import attrs

from edupolicy.aid import AidResult, BenefitKind, fee_label
from edupolicy.errors import EdupolicyError, InvalidDataError, PluginWarning
from edupolicy.i18n import SUPPORTED_LOCALES, Message, _, normalize_locale, supported_locale
from edupolicy.plan import Policy
from edupolicy.records import Student

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_RECORDS = 1
EXIT_FAILURE = 2


def _locale_from_env() -> str | None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX"):
            return value
    return None


def _choose_locale(requested: str | None, err: IO[str]) -> str:
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


def _parser(locale: str) -> argparse.ArgumentParser:
    def t(message: Message) -> str:
        return message.render(locale)

    def parse_day(text: str) -> _dt.date:
        from edupolicy._convert import parse_date

        parsed = parse_date(text)
        if parsed is None:
            raise argparse.ArgumentTypeError(
                t(_("not a date written YYYY-MM-DD: {value}", value=repr(text)))
            )
        return parsed

    parser = argparse.ArgumentParser(
        prog="edupolicy",
        description=t(_("Rules as code for education poverty-alleviation plans.")),
    )
    parser.add_argument(
        "--locale",
        help=t(_("language of the output: zh_CN or en (default: from LC_ALL / LANG, else en)")),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # --locale may also follow the command (``edupolicy aid --locale zh_CN ...``).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--locale", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    regions = sub.add_parser("regions", parents=[common], help=t(_("list the installed regions")))
    regions.add_argument(
        "--format", choices=("table", "json"), default="table", help=t(_("output format"))
    )

    aid = sub.add_parser(
        "aid", parents=[common], help=t(_("the student aid of each record, under a region's plan"))
    )
    aid.add_argument("--region", required=True, help=t(_("region id, such as jinfeng")))
    aid.add_argument(
        "--on",
        required=True,
        type=parse_day,
        metavar="YYYY-MM-DD",
        help=t(_("the date to evaluate on (chooses the plan in force)")),
    )
    aid.add_argument(
        "--format", choices=("table", "json"), default="table", help=t(_("output format"))
    )
    aid.add_argument(
        "--explain",
        action="store_true",
        help=t(_("also say why each other rule did not apply")),
    )
    source = aid.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help=t(_("JSON object, JSON list or JSON Lines of student records; - for stdin")),
    )
    source.add_argument(
        "--sample",
        action="store_true",
        help=t(_("use the sample roster bundled with the region")),
    )

    progress = sub.add_parser(
        "progress",
        parents=[common],
        help=t(_("where each target of a region's plan stands, given reported values")),
    )
    progress.add_argument("--region", required=True, help=t(_("region id, such as jinfeng")))
    progress.add_argument(
        "--year",
        required=True,
        type=int,
        help=t(_("the year the values are for; targets are judged at its end")),
    )
    progress.add_argument(
        "--format", choices=("table", "json"), default="table", help=t(_("output format"))
    )
    progress.add_argument(
        "file",
        metavar="FILE",
        help=t(
            _(
                "JSON: an object mapping indicator ids to values, or a list of observations; "
                "- for stdin"
            )
        ),
    )

    check = sub.add_parser(
        "check", parents=[common], help=t(_("audit a region's plan data for inconsistencies"))
    )
    check.add_argument("region", metavar="REGION", help=t(_("region id, such as jinfeng")))
    check.add_argument(
        "--format", choices=("table", "json"), default="table", help=t(_("output format"))
    )

    from edupolicy._cli_teachers import add_teacher_commands

    add_teacher_commands(sub, common, t, parse_day)
    return parser


@attrs.frozen
class _Entry:
    """One record read from input: its position label and its data (or why it is unreadable)."""

    position: str
    data: object = None
    error: Message | None = None


def _read_records(text: str, name: str) -> Iterator[_Entry]:
    stripped = text.strip()
    if not stripped:
        return
    if name.endswith((".jsonl", ".ndjson")):
        yield from _read_lines(text, name)
        return
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as exc:
        first_line = stripped.splitlines()[0]
        if stripped.startswith("[") or not _parses(first_line):
            # Not JSON Lines either: one JSON document (a list, or an object written
            # over several lines) that is broken; report it once, where it breaks.
            yield _Entry(name, error=_("not valid JSON: {error}", error=str(exc)))
            return
        whole = None
        lines = True
    else:
        lines = False
    if not lines:
        if isinstance(whole, list):
            for index, item in enumerate(whole):
                yield _Entry(f"{name}[{index}]", item)
        else:
            yield _Entry(name, whole)
        return
    yield from _read_lines(text, name)


def _read_lines(text: str, name: str) -> Iterator[_Entry]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _Entry(f"{name}:{number}", json.loads(line))
        except json.JSONDecodeError as exc:
            yield _Entry(f"{name}:{number}", error=_("not valid JSON: {error}", error=str(exc)))


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    return out


def _describe_student(student: Student, locale: str) -> str:
    parts = [
        _("{stage}, year {year}", stage=student.stage.label, year=student.year).render(locale),
        student.school_area.label.render(locale),
    ]
    if student.boarding:
        parts.append(_("boarding").render(locale))
    parts.extend(
        status.label.render(locale) for status in sorted(student.household, key=lambda h: h.value)
    )
    if student.orphan:
        parts.append(_("orphan").render(locale))
    if student.disabled:
        parts.append(_("disabled").render(locale))
    text = parts[0]
    for part in parts[1:]:
        text = _("{left}, {right}", left=text, right=part).render(locale)
    return text


def _render_result(result: AidResult, student: Student, position: str, locale: str) -> list[str]:
    label = student.id or position
    lines = [f"{label}: {_describe_student(student, locale)}"]
    waivers = ", ".join(fee_label(fee).render(locale) for fee in result.waivers) or "-"
    lines.append(
        "  "
        + _(
            "cash {total}; fees waived: {waivers}", total=result.cash_total, waivers=waivers
        ).render(locale)
    )
    if result.items:
        rows = [[_("rule").render(locale), _("aid").render(locale), _("section").render(locale)]]
        for item in result.items:
            if item.kind is BenefitKind.CASH and item.frequency is not None:
                aid = _(
                    "{amount} {frequency}", amount=item.amount, frequency=item.frequency.label
                ).render(locale)
            elif item.kind is BenefitKind.UNQUANTIFIED:
                aid = _("(no amount stated)").render(locale)
            else:
                aid = item.rule.benefit.describe().render(locale)
            rows.append([item.rule.name.render(locale), aid, item.source.section])
        lines.extend("    " + row for row in _table(rows))
    else:
        lines.append("    " + _("no rule applies").render(locale))
    for note in result.notes:
        lines.append(
            "    "
            + _("note: {name} ({section})", name=note.name, section=note.source.section).render(
                locale
            )
        )
    if result.not_applied is not None:
        lines.append("  " + _("rules that did not apply:").render(locale))
        for entry in result.not_applied:
            lines.append(
                "    "
                + _("{rule}: {reason}", rule=entry.rule.id, reason=entry.reason).render(locale)
            )
    return lines


def _cmd_regions(args: argparse.Namespace, locale: str, out: IO[str], err: IO[str]) -> int:
    import edupolicy

    found = edupolicy.regions()
    if args.format == "json":
        out.write(
            json.dumps([r.to_json(locale) for r in found], ensure_ascii=False, indent=2) + "\n"
        )
    elif found:
        header = [
            _("region").render(locale),
            _("name").render(locale),
            _("distribution").render(locale),
            _("version").render(locale),
        ]
        rows = [[r.id, r.name.render(locale), r.distribution, r.version] for r in found]
        out.write("\n".join(_table([header, *rows])) + "\n")
    else:
        out.write(_("No regions are installed.").render(locale) + "\n")
    return EXIT_OK


def _cmd_aid(
    args: argparse.Namespace, locale: str, out: IO[str], err: IO[str], stdin: IO[str]
) -> int:
    import edupolicy

    policy: Policy = edupolicy.load(args.region, locale=locale)
    policy.plan_on(args.on, locale=locale)
    if args.sample:
        spec = edupolicy.default_registry().spec(args.region, locale=locale)
        if spec.sample_roster is None:
            raise EdupolicyError(
                _("Region {region} has no sample roster", region=args.region), locale=locale
            )
        name = spec.sample_roster.name
        text = spec.sample_roster.read_text(encoding="utf-8-sig")
    else:
        name, text = read_input(args.file, stdin, locale)

    results: list[dict[str, Any]] = []
    blocks: list[list[str]] = []
    bad = 0
    entries = list(_read_records(text, name))
    # One JSON object in, one result out; a list or JSON Lines in, a list out.
    single = bool(entries) and all(entry.position == name for entry in entries)
    for entry in entries:
        if entry.error is not None:
            bad += 1
            err.write(f"{entry.position}: {entry.error.render(locale)}\n")
            continue
        try:
            data = entry.data
            if not isinstance(data, dict):
                Student.from_json(data, locale=locale)  # raises: "must be a JSON object"
                continue  # pragma: no cover - from_json raised
            result = policy.aid(data, args.on, explain=args.explain, locale=locale)
            student = Student.from_json(data, locale=locale)
        except InvalidDataError as exc:
            bad += 1
            for problem in exc.problems:
                err.write(f"{entry.position}: {problem.render(locale)}\n")
            continue
        except EdupolicyError as exc:
            bad += 1
            err.write(f"{entry.position}: {exc.render(locale)}\n")
            continue
        if args.format == "json":
            results.append(result.to_json(locale))
        else:
            blocks.append(_render_result(result, student, entry.position, locale))

    if args.format == "json":
        payload: object = (results[0] if results else None) if single else results
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        plan = policy.plan_on(args.on)
        out.write(
            _(
                "Region {region}, plan {number}, on {on}",
                region=args.region,
                number=plan.document.number,
                on=args.on,
            ).render(locale)
            + "\n\n"
        )
        out.write("\n\n".join("\n".join(block) for block in blocks) + ("\n" if blocks else ""))
    if bad:
        err.write(_("{count} record(s) could not be evaluated", count=bad).render(locale) + "\n")
        return EXIT_BAD_RECORDS
    return EXIT_OK


def read_input(file: str, stdin: IO[str], locale: str) -> tuple[str, str]:
    """The name and text of ``file`` (``-``: standard input), or a clear error."""
    if file == "-":
        return "<stdin>", stdin.read()
    try:
        # utf-8-sig: files saved by editors that write a byte-order mark read as well.
        with open(file, encoding="utf-8-sig") as handle:
            return file, handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise EdupolicyError(
            _("Cannot read {file}: {error}", file=file, error=str(exc)), locale=locale
        ) from None


def _read_json(path: str, stdin: IO[str], locale: str) -> object:
    name, text = read_input(path, stdin, locale)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise EdupolicyError(
            _("{file}: not valid JSON: {error}", file=name, error=str(exc)), locale=locale
        ) from None


def _cmd_progress(args: argparse.Namespace, locale: str, out: IO[str], stdin: IO[str]) -> int:
    import edupolicy

    policy = edupolicy.load(args.region, locale=locale)
    data = _read_json(args.file, stdin, locale)
    if not isinstance(data, (list, dict)):
        raise EdupolicyError(
            _("{file}: must be a list of observations or an object", file=args.file),
            locale=locale,
        )
    lines = policy.progress(data, year=args.year, locale=locale)
    if args.format == "json":
        payload = [line.to_json(locale) for line in lines]
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    plan = policy.plan_on(_dt.date(args.year, 12, 31), locale=locale)
    heading = _(
        "Region {region}, plan {number}: targets at the end of {year}",
        region=args.region,
        number=plan.document.number,
        year=str(args.year),
    )
    out.write(heading.render(locale) + "\n\n")
    header = [_("target"), _("status"), _("observed"), _("wanted"), _("gap"), _("deadline")]
    rows = [[cell.render(locale) for cell in header]]
    counts: dict[str, int] = {}
    for line in lines:
        unit = line.indicator.unit
        status = line.status.label.render(locale)
        counts[status] = counts.get(status, 0) + 1
        name = line.indicator.name.render(locale)
        if line.target.scope is not None:
            name = f"{name} ({line.target.scope.render(locale)})"
        rows.append(
            [
                name,
                status,
                unit.show(line.observed).render(locale) if line.observed is not None else "-",
                f"{line.target.comparison.symbol} {unit.show(line.target.value).render(locale)}",
                unit.show(line.gap).render(locale) if line.gap is not None else "-",
                line.target.deadline.isoformat(),
            ]
        )
    out.write("\n".join(_table(rows)) + "\n\n")
    out.write(", ".join(f"{label}: {count}" for label, count in counts.items()) + "\n")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, locale: str, out: IO[str]) -> int:
    import edupolicy
    from edupolicy.audit import Severity

    policy = edupolicy.load(args.region, locale=locale)
    findings = policy.check()
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    if args.format == "json":
        payload = [finding.to_json(locale) for finding in findings]
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for finding in findings:
            out.write(finding.render(locale) + "\n")
            if finding.source is not None:
                out.write("    " + finding.source.cite().render(locale) + "\n")
        summary = _(
            "{errors} error(s), {others} other finding(s)",
            errors=errors,
            others=len(findings) - errors,
        )
        out.write(summary.render(locale) + "\n")
    return EXIT_BAD_RECORDS if errors else EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    """Run the command line; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    source = stdin if stdin is not None else sys.stdin
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--locale")
    known, _rest = pre.parse_known_args(argv)
    locale = _choose_locale(known.locale, err)
    # Usage errors and --help go to the streams the caller gave, as everything else.
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        args = _parser(locale).parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PluginWarning)
        try:
            if args.command == "regions":
                status = _cmd_regions(args, locale, out, err)
            elif args.command == "progress":
                status = _cmd_progress(args, locale, out, source)
            elif args.command == "check":
                status = _cmd_check(args, locale, out)
            elif args.command in ("teacher", "select", "check-awards"):
                from edupolicy._cli_teachers import run_teacher_command

                status = run_teacher_command(args, locale, out, err, source)
            else:
                status = _cmd_aid(args, locale, out, err, source)
        except EdupolicyError as exc:
            err.write(_("error: {error}", error=exc.render(locale)).render(locale) + "\n")
            status = EXIT_FAILURE
        finally:
            import edupolicy

            try:
                problems = edupolicy.plugin_problems()
            except EdupolicyError:
                problems = ()  # strict mode: the error itself was reported above
            for problem in problems:
                err.write(
                    _("warning: {problem}", problem=problem.render(locale)).render(locale) + "\n"
                )
    del caught
    return status


def run() -> None:
    """Console-script entry point."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (``edupolicy ... | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = EXIT_OK
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
