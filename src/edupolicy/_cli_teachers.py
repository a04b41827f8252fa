"""The teacher commands of the ``edupolicy`` command line.

``edupolicy teacher`` evaluates teacher records on a date; ``edupolicy select`` picks a
year's cohort of a programme with a quota; ``edupolicy check-awards`` checks an award
list against the plan's share of rural schools and teachers (or, with ``--size``, says
how many of so many awards a pool of nominees must give to rural ones).

Input is read as ``edupolicy aid`` reads it: one JSON object, a JSON list, or JSON
Lines; ``-`` reads standard input.  A bad record is reported on standard error, one
line per bad field with the record's position, and the good records are still used;
the exit status is then 1.  Status 2 means nothing could run (unknown region, date
outside every plan, unknown programme, unreadable file, a share the nominees cannot
meet).  ``check-awards`` exits with 3 when every entry was read and the list falls
short of the share.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
from collections.abc import Callable, Sequence
from typing import IO, Any

from edupolicy.cli import (
    EXIT_BAD_RECORDS,
    EXIT_OK,
    _Entry,
    _read_records,
    _table,
    read_input,
)
from edupolicy.errors import EdupolicyError, InvalidDataError
from edupolicy.i18n import Message, Percent, _
from edupolicy.incentives import (
    Award,
    OutcomeKind,
    Selection,
    ShareCheck,
    TeacherResult,
    _years,
    check_list,
    evaluate_schedule,
    quota_for,
    requirement_for,
    schedule_on,
    select_from,
    share_for,
)
from edupolicy.plan import Policy
from edupolicy.records import SchoolArea
from edupolicy.teachers import Teacher

__all__ = ["COMMANDS", "EXIT_SHORT", "add_teacher_commands", "run_teacher_command"]

#: The subcommands this module provides.
COMMANDS = frozenset({"teacher", "select", "check-awards"})

#: ``check-awards``: every entry was read, and the list falls short of the share.
EXIT_SHORT = 3


def add_teacher_commands(
    sub: Any,
    common: argparse.ArgumentParser,
    t: Callable[[Message], str],
    parse_day: Callable[[str], _dt.date],
) -> None:
    """Add ``teacher``, ``select`` and ``check-awards`` to the subparsers ``sub``.

    ``common`` is the parent parser of every command's shared options; ``t`` renders
    a message in the command line's locale; ``parse_day`` reads a date.
    """

    def shared(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--region", required=True, help=t(_("region id, such as jinfeng")))
        parser.add_argument(
            "--format", choices=("table", "json"), default="table", help=t(_("output format"))
        )

    def on(parser: argparse.ArgumentParser, help: Message) -> None:
        parser.add_argument(
            "--on", required=True, type=parse_day, metavar="YYYY-MM-DD", help=t(help)
        )

    teacher = sub.add_parser(
        "teacher",
        parents=[common],
        help=t(_("the incentives each teacher earns, under a region's plan")),
    )
    shared(teacher)
    on(teacher, _("the date to evaluate on (chooses the plan in force)"))
    teacher.add_argument(
        "--explain",
        action="store_true",
        help=t(_("also say what each teacher lacks for the outcomes they do not earn")),
    )
    teacher.add_argument(
        "file",
        metavar="FILE",
        help=t(_("JSON object, JSON list or JSON Lines of teacher records; - for stdin")),
    )

    select = sub.add_parser(
        "select",
        parents=[common],
        help=t(_("select a year's cohort of a programme that has a quota")),
    )
    shared(select)
    select.add_argument("--programme", required=True, help=t(_("programme id, such as sanatorium")))
    select.add_argument(
        "--year", required=True, type=int, metavar="YYYY", help=t(_("the year of the cohort"))
    )
    select.add_argument(
        "file",
        metavar="CANDIDATES",
        help=t(_("JSON list or JSON Lines of candidate teacher records, each with an id")),
    )

    check = sub.add_parser(
        "check-awards",
        parents=[common],
        help=t(_("check an award list against the share of rural schools and teachers")),
    )
    shared(check)
    on(check, _("the date of the award (chooses the plan in force and the teachers' postings)"))
    check.add_argument("--share", help=t(_("share id, when the plan has more than one")))
    check.add_argument(
        "--size",
        type=int,
        metavar="N",
        help=t(_("treat FILE as the nominees and say how many of N awards must be rural")),
    )
    check.add_argument(
        "file",
        metavar="FILE",
        help=t(_("JSON list or JSON Lines of award entries; - for stdin")),
    )


def run_teacher_command(
    args: argparse.Namespace, locale: str, out: IO[str], err: IO[str], stdin: IO[str]
) -> int:
    """Run ``args.command``, one of :data:`COMMANDS`; returns the exit status."""
    import edupolicy

    policy = edupolicy.load(args.region, locale=locale)
    if args.command == "teacher":
        return _cmd_teacher(policy, args, locale, out, err, stdin)
    if args.command == "select":
        return _cmd_select(policy, args, locale, out, err, stdin)
    return _cmd_check_awards(policy, args, locale, out, err, stdin)


# --- reading ----------------------------------------------------------------------------------


def _report(entry: _Entry, error: Exception, locale: str, err: IO[str]) -> None:
    if isinstance(error, InvalidDataError):
        for problem in error.problems:
            err.write(f"{entry.position}: {problem.render(locale)}\n")
    elif isinstance(error, EdupolicyError):
        err.write(f"{entry.position}: {error.render(locale)}\n")


def _read_many(
    text: str,
    name: str,
    reader: Callable[..., Any],
    locale: str,
    err: IO[str],
) -> tuple[list[tuple[_Entry, Any]], int]:
    """The good records of ``text`` with their entries, and how many were bad."""
    good: list[tuple[_Entry, Any]] = []
    bad = 0
    for entry in _read_records(text, name):
        if entry.error is not None:
            bad += 1
            err.write(f"{entry.position}: {entry.error.render(locale)}\n")
            continue
        try:
            good.append((entry, reader(entry.data, locale=locale)))
        except InvalidDataError as exc:
            bad += 1
            _report(entry, exc, locale, err)
    return good, bad


def _bad_count(bad: int, locale: str, err: IO[str]) -> None:
    err.write(_("{count} record(s) could not be evaluated", count=bad).render(locale) + "\n")


def _heading(policy: Policy, on: _dt.date, locale: str) -> str:
    plan = policy.plan_on(on)
    return _(
        "Region {region}, plan {number}, on {on}",
        region=policy.region,
        number=plan.document.number,
        on=on,
    ).render(locale)


def _join(parts: Sequence[str], locale: str) -> str:
    text = parts[0]
    for part in parts[1:]:
        text = _("{left}, {right}", left=text, right=part).render(locale)
    return text


def _json(payload: object, out: IO[str]) -> None:
    out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


# --- edupolicy teacher ------------------------------------------------------------------------


def _describe_teacher(teacher: Teacher, result: TeacherResult, locale: str) -> str:
    service = result.service
    if service.current_area is SchoolArea.RURAL:
        where = _("teaches at a rural school")
    elif service.current_area is SchoolArea.URBAN:
        where = _("teaches at an urban school")
    else:
        where = _("no posting on the date")
    parts = [where.render(locale)]
    if service.continuous_since is not None:
        parts.append(
            _(
                "{years} of continuous rural service (since {since})",
                years=_years(service.continuous_years),
                since=service.continuous_since,
            ).render(locale)
        )
    parts.append(
        _("{years} of rural service in all", years=_years(service.total_years)).render(locale)
    )
    parts.append(teacher.title.label.render(locale))
    if teacher.meets_title_criteria:
        parts.append(_("meets the conditions for title evaluation").render(locale))
    if teacher.outstanding:
        parts.append(_("work rated outstanding").render(locale))
    return _join(parts, locale)


def _render_teacher(
    result: TeacherResult, teacher: Teacher, position: str, locale: str
) -> list[str]:
    label = teacher.id or position
    lines = [f"{label}: {_describe_teacher(teacher, result, locale)}"]
    if result.items:
        rows = [
            [_("rule").render(locale), _("outcome").render(locale), _("section").render(locale)]
        ]
        for item in result.items:
            outcome = item.outcome
            if outcome.kind is OutcomeKind.ALLOWANCE and outcome.amount is None:
                text = _("(no amount stated)").render(locale)
            else:
                text = outcome.describe().render(locale)
            rows.append([item.rule.name.render(locale), text, item.source.section])
        lines.extend("    " + row for row in _table(rows))
    else:
        lines.append("    " + _("no rule applies").render(locale))
    if result.not_applied is not None:
        if result.lacking:
            lines.append("  " + _("what the teacher lacks:").render(locale))
            lines.extend("    " + lack.describe().render(locale) for lack in result.lacking)
        lines.append("  " + _("rules that did not apply:").render(locale))
        for entry in result.not_applied:
            lines.append(
                "    "
                + _("{rule}: {reason}", rule=entry.rule.id, reason=entry.reason).render(locale)
            )
    return lines


def _cmd_teacher(
    policy: Policy,
    args: argparse.Namespace,
    locale: str,
    out: IO[str],
    err: IO[str],
    stdin: IO[str],
) -> int:
    plan, schedule = schedule_on(policy, args.on, locale=locale)
    name, text = read_input(args.file, stdin, locale)
    good, bad = _read_many(text, name, Teacher.from_json, locale, err)
    results: list[dict[str, Any]] = []
    blocks: list[list[str]] = []
    for entry, teacher in good:
        try:
            result = evaluate_schedule(
                schedule,
                teacher,
                region=policy.region,
                plan=plan.id,
                on=args.on,
                explain=args.explain,
                locale=locale,
                sections=plan.sections,
            )
        except EdupolicyError as exc:
            bad += 1
            _report(entry, exc, locale, err)
            continue
        if args.format == "json":
            results.append(result.to_json(locale))
        else:
            blocks.append(_render_teacher(result, teacher, entry.position, locale))

    if args.format == "json":
        single = (
            len(results) == 1
            and bad == 0
            and not (name.endswith(".jsonl") or text.lstrip().startswith("["))
        )
        _json(results[0] if single else results, out)
    else:
        out.write(_heading(policy, args.on, locale) + "\n\n")
        out.write("\n\n".join("\n".join(block) for block in blocks) + ("\n" if blocks else ""))
    if bad:
        _bad_count(bad, locale, err)
        return EXIT_BAD_RECORDS
    return EXIT_OK


# --- edupolicy select -------------------------------------------------------------------------


def _render_selection(selection: Selection, locale: str) -> list[str]:
    quota = selection.quota
    lines = [
        _(
            "{name}, {year}: at most {quota} a year; service counted on {on}",
            name=quota.name,
            year=str(selection.year),
            quota=quota.per_year,
            on=selection.on,
        ).render(locale),
        _(
            "ranking: {keys}",
            keys=_join([key.label.render(locale) for key in quota.ranking], locale),
        ).render(locale),
        "",
    ]
    if not selection.candidates:
        lines.append(_("no candidates").render(locale))
        return lines
    yes, no = _("yes").render(locale), _("no").render(locale)
    rows = [
        [
            _("rank").render(locale),
            _("id").render(locale),
            _("rural years in all").render(locale),
            _("continuous rural years").render(locale),
            _("selected").render(locale),
        ]
    ]
    for candidate in selection.candidates:
        rows.append(
            [
                str(candidate.rank) if candidate.rank is not None else "-",
                candidate.teacher_id,
                str(candidate.service.total_years),
                str(candidate.service.continuous_years),
                yes if candidate.selected else no,
            ]
        )
    lines.extend(_table(rows))
    if selection.not_selected:
        lines.append("")
        lines.append(_("not selected:").render(locale))
        lines.extend(
            f"  {candidate.teacher_id}: {candidate.reason.render(locale)}"
            for candidate in selection.not_selected
        )
    return lines


def _cmd_select(
    policy: Policy,
    args: argparse.Namespace,
    locale: str,
    out: IO[str],
    err: IO[str],
    stdin: IO[str],
) -> int:
    plan, schedule, quota = quota_for(policy, args.programme, args.year, locale=locale)
    name, text = read_input(args.file, stdin, locale)
    good, bad = _read_many(text, name, Teacher.from_json, locale, err)
    teachers: list[Teacher] = []
    seen: dict[str, str] = {}
    for entry, teacher in good:
        if teacher.id is None:
            bad += 1
            err.write(
                f"{entry.position}: $.id: "
                + _("a candidate needs an id: ties are broken by id").render(locale)
                + "\n"
            )
        elif teacher.id in seen:
            bad += 1
            err.write(
                f"{entry.position}: $.id: "
                + _("the candidate at {other} has the same id", other=seen[teacher.id]).render(
                    locale
                )
                + f" ({json.dumps(teacher.id, ensure_ascii=False)})\n"
            )
        else:
            seen[teacher.id] = entry.position
            teachers.append(teacher)
    selection = select_from(
        schedule,
        quota,
        teachers,
        region=policy.region,
        plan=plan.id,
        year=args.year,
        locale=locale,
    )
    if args.format == "json":
        _json(selection.to_json(locale), out)
    else:
        out.write(_heading(policy, selection.on, locale) + "\n\n")
        out.write("\n".join(_render_selection(selection, locale)) + "\n")
    if bad:
        _bad_count(bad, locale, err)
        return EXIT_BAD_RECORDS
    return EXIT_OK


# --- edupolicy check-awards -------------------------------------------------------------------


def _render_check(check: ShareCheck, locale: str) -> list[str]:
    lines = [
        _(
            "{name}: at least {share} ({section})",
            name=check.share.name,
            share=Percent(check.share.min_percent),
            section=check.share.source.section,
        ).render(locale),
        "",
    ]
    if check.entries:
        yes, no = _("yes").render(locale), _("no").render(locale)
        rows = [
            [_("entry").render(locale), _("rural").render(locale), _("why").render(locale)],
            *(
                [entry.label, yes if entry.rural else no, entry.reason.render(locale)]
                for entry in check.entries
            ),
        ]
        lines.extend(_table(rows))
        lines.append("")
    lines.append(check.summary.render(locale))
    if not check.meets and check.rural_to_add is not None:
        lines.append(
            _(
                "or add {count} rural entries to the list as it is",
                count=check.rural_to_add,
            ).render(locale)
        )
    return lines


def _cmd_check_awards(
    policy: Policy,
    args: argparse.Namespace,
    locale: str,
    out: IO[str],
    err: IO[str],
    stdin: IO[str],
) -> int:
    plan, schedule = schedule_on(policy, args.on, locale=locale)
    share = share_for(schedule, args.share, locale=locale)
    name, text = read_input(args.file, stdin, locale)
    good, bad = _read_many(text, name, Award.from_json, locale, err)
    awards: list[Award] = [award for _entry, award in good]
    labels = [award.id or entry.position for entry, award in good]
    if args.size is not None:
        requirement = requirement_for(share, awards, size=args.size, on=args.on, locale=locale)
        if args.format == "json":
            _json(requirement.to_json(locale), out)
        else:
            out.write(_heading(policy, args.on, locale) + "\n\n")
            out.write(requirement.summary.render(locale) + "\n")
        if bad:
            _bad_count(bad, locale, err)
            return EXIT_BAD_RECORDS
        return EXIT_OK

    check = check_list(share, awards, region=policy.region, plan=plan.id, on=args.on, labels=labels)
    if args.format == "json":
        _json(check.to_json(locale), out)
    else:
        out.write(_heading(policy, args.on, locale) + "\n\n")
        out.write("\n".join(_render_check(check, locale)) + "\n")
    if bad:
        _bad_count(bad, locale, err)
        return EXIT_BAD_RECORDS
    return EXIT_OK if check.meets else EXIT_SHORT
