"""The teacher commands: ``teacher``, ``select`` and ``check-awards``.

``edupolicy teacher`` evaluates teacher records on a date; ``edupolicy select`` picks a
year's cohort of a programme with a quota; ``edupolicy check-awards`` checks an award
list against the plan's share of rural schools and teachers (or, with ``--size``, says
how many of so many awards a pool of nominees must give to rural ones).

Input is read as ``edupolicy aid`` reads it: one JSON object, a JSON list, or JSON
Lines; ``-`` reads standard input.  ``teacher`` writes each result as its record is
evaluated (``--format jsonl``: a line of JSON each) and closes with a summary, as
``aid`` does; ``select`` and ``check-awards`` answer for the whole list, once it is
read.  While a list is read, a progress bar is drawn as ``aid`` draws it.  A bad record
is reported on standard error, one line per bad field with the record's position, and
the good records are still used; the exit status is then 1.  Status 2 means nothing
could run (unknown region, date outside every plan, unknown programme, unreadable file,
a share the nominees cannot meet).  ``check-awards`` exits with 3 when every entry was
read and the list falls short of the share.  Under a share counted by kind, its table
also gives the kind of each entry and the figures of each kind.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
from collections.abc import Mapping

import attrs

from edupolicy.cli._io import (
    EXIT_OK,
    Batch,
    Context,
    Input,
    heading,
    join,
    table,
    write_json,
    years,
)
from edupolicy.cli._options import Options, Shown, Subcommands, load_policy
from edupolicy.cli._results import JsonResults, TextResults
from edupolicy.i18n import Percent, _, _n, format_count
from edupolicy.io import structure
from edupolicy.policy import Policy
from edupolicy.policy.arguments import teacher_record
from edupolicy.policy.plans_in_force import teacher_rules_of
from edupolicy.teachers import (
    Allowance,
    Award,
    Selection,
    ShareCheck,
    Teacher,
    TeacherResult,
)
from edupolicy.teachers.selection import NEEDS_AN_ID
from edupolicy.values import SchoolArea

__all__ = ["EXIT_SHORT", "add_teacher_commands"]

#: ``check-awards``: every entry was read, and the list falls short of the share.
EXIT_SHORT = 3


def add_teacher_commands(sub: Subcommands, options: Options) -> None:
    """Add ``teacher``, ``select`` and ``check-awards`` to the subparsers ``sub``."""
    t = options.t
    teacher = options.command(
        sub, "teacher", _("the incentives each teacher earns, under a region's plan")
    )
    options.add_region(teacher)
    options.add_params(teacher, options.question("teacher").params)
    options.add_format(teacher, lines=True)
    options.add_changes(teacher)
    options.add_progress(teacher)
    options.add_summary(teacher)
    teacher.add_argument(
        "file",
        metavar="FILE",
        help=t(_("JSON object, JSON list or JSON Lines of teacher records; - for stdin")),
    )
    teacher.set_defaults(func=run_teacher, declared=options.question("teacher"))

    select = options.command(
        sub, "select", _("select a year's cohort of a programme that has a quota")
    )
    options.add_region(select)
    options.add_format(select)
    options.add_params(
        select,
        options.question("select").params,
        {"programme": Shown(metavar="PROGRAMME"), "year": Shown(metavar="YYYY")},
    )
    options.add_progress(select)
    select.add_argument(
        "file",
        metavar="CANDIDATES",
        help=t(_("JSON list or JSON Lines of candidate teacher records, each with an id")),
    )
    select.set_defaults(func=run_select)

    check = options.command(
        sub,
        "check-awards",
        _("check an award list against the share of rural schools and teachers"),
    )
    options.add_region(check)
    options.add_format(check)
    options.add_changes(check)
    # One command asks two questions: with --size, awards_needed of the nominees.
    asks = (options.question("check_awards"), options.question("awards_needed"))
    options.add_params(
        check,
        {param.name: param for declared in asks for param in declared.params}.values(),
        {
            "share": Shown(metavar="SHARE"),
            "size": Shown(
                help=_("treat FILE as the nominees and say how many of N awards must be rural"),
                required=False,
            ),
        },
    )
    options.add_progress(check)
    check.add_argument(
        "file",
        metavar="FILE",
        help=t(_("JSON list or JSON Lines of award entries; - for stdin")),
    )
    check.set_defaults(func=run_check_awards)


# --- edupolicy teacher ------------------------------------------------------------------------


def run_teacher(args: argparse.Namespace, ctx: Context) -> int:
    """Evaluate each teacher record of the input; print the results."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    _require_teacher_rules(policy, args.on, locale)
    # The question's other parameters (``explain``), as given: ``on`` is passed on its
    # own, the quicker way for a call made once per record.
    params = Options.params(args, args.declared.params)
    on = params.pop("on")

    def evaluate(data: object) -> tuple[TeacherResult, Teacher]:
        teacher = teacher_record(data, locale)
        return policy.teacher(teacher, on, **params, locale=locale), teacher

    def result_of(data: object) -> TeacherResult:
        # The JSON of a result needs no Teacher: a record is read straight into it.
        record = data if isinstance(data, Mapping) else teacher_record(data, locale)
        return policy.teacher(record, on, **params, locale=locale)

    batch = Batch.of(ctx, args)
    source = Input.of(args.file, ctx.stdin)
    if args.format in ("json", "jsonl"):
        out = JsonResults(ctx, batch, lines=args.format == "jsonl", flush=not source.regular)
        for entry, result in batch.records(source, result_of):
            out.write(entry, result)
        out.close()
    else:
        text = TextResults(
            ctx.out, lambda: heading(policy, args.on, locale), flush=not source.regular
        )
        for entry, (result, teacher) in batch.records(source, evaluate):
            text.write(_render_teacher(result, teacher, entry.position, locale))
        text.close()
    return batch.finish()


def _require_teacher_rules(policy: Policy, on: _dt.date, locale: str) -> None:
    """Fail before any record is read when the plan in force has no teacher rules."""
    teacher_rules_of(policy.plan_on(on, locale=locale), policy.region, locale)


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
                years=years(service.continuous_years),
                since=service.continuous_since,
            ).render(locale)
        )
    parts.append(
        _("{years} of rural service in all", years=years(service.total_years)).render(locale)
    )
    parts.append(teacher.title.label.render(locale))
    if teacher.meets_title_criteria:
        parts.append(_("meets the conditions for title evaluation").render(locale))
    if teacher.outstanding:
        parts.append(_("work rated outstanding").render(locale))
    return join(parts, locale)


def _render_teacher(
    result: TeacherResult, teacher: Teacher, position: str, locale: str
) -> list[str]:
    label = teacher.id or position
    lines = [
        _("{label}: {value}", label=label, value=_describe_teacher(teacher, result, locale)).render(
            locale
        )
    ]
    if result.items:
        rows = [
            [_("rule").render(locale), _("outcome").render(locale), _("section").render(locale)]
        ]
        for item in result.items:
            outcome = item.outcome
            if isinstance(outcome, Allowance) and outcome.amount is None:
                text = _("(no amount stated)").render(locale)
            else:
                text = outcome.describe().render(locale)
            rows.append([item.rule.name.render(locale), text, item.source.at])
        lines.extend("    " + row for row in table(rows))
    else:
        lines.append("    " + _("no rule applies").render(locale))
    if result.not_applied is not None:
        if result.lacking:
            lines.append("  " + _("what the teacher lacks:").render(locale))
            lines.extend("    " + lack.describe().render(locale) for lack in result.lacking)
        lines.append("  " + _("rules that did not apply:").render(locale))
        for entry in result.not_applied:
            lines.append("    " + entry.describe().render(locale))
    return lines


# --- edupolicy select -------------------------------------------------------------------------


def run_select(args: argparse.Namespace, ctx: Context) -> int:
    """Select the year's cohort among the candidates of the input; print the selection."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    # With no candidates: the programme and the year are checked before any record is read.
    policy.select(args.programme, [], year=args.year, locale=locale)

    def read(data: object) -> Teacher:
        return teacher_record(data, locale)

    batch = Batch.of(ctx, args)
    # Every record is read, and its problems reported, before ids are compared.
    good = list(batch.records(Input.of(args.file, ctx.stdin), read))
    teachers: list[Teacher] = []
    seen: dict[str, str] = {}
    for entry, teacher in good:
        if teacher.id is None:
            batch.reject(entry.position, _("{field}: {problem}", field="$.id", problem=NEEDS_AN_ID))
        elif teacher.id in seen:
            same = _("the candidate at {other} has the same id", other=seen[teacher.id])
            shown = json.dumps(teacher.id, ensure_ascii=False)
            problem = _("{name} ({detail})", name=same, detail=shown)
            batch.reject(entry.position, _("{field}: {problem}", field="$.id", problem=problem))
        else:
            seen[teacher.id] = entry.position
            teachers.append(teacher)
    selection = policy.select(args.programme, teachers, year=args.year, locale=locale)
    if args.format == "json":
        write_json(selection.to_json(locale), ctx.out)
    else:
        ctx.out.write(heading(policy, selection.on, locale) + "\n\n")
        ctx.out.write("\n".join(_render_selection(selection, locale)) + "\n")
    return batch.status()


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
            keys=join([key.label.render(locale) for key in quota.ranking], locale),
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
                format_count(candidate.rank, locale) if candidate.rank is not None else "-",
                candidate.teacher_id,
                str(candidate.service.total_years),
                str(candidate.service.continuous_years),
                yes if candidate.selected else no,
            ]
        )
    lines.extend(table(rows))
    if selection.not_selected:
        lines.append("")
        lines.append(_("not selected:").render(locale))
        lines.extend(
            "  "
            + _("{label}: {value}", label=candidate.teacher_id, value=candidate.reason).render(
                locale
            )
            for candidate in selection.not_selected
        )
    return lines


# --- edupolicy check-awards -------------------------------------------------------------------


def run_check_awards(args: argparse.Namespace, ctx: Context) -> int:
    """Check the award list of the input against the share; or, with ``--size``, say how
    many of that many awards the nominees of the input must give to rural ones."""
    locale = ctx.locale
    policy = load_policy(args, locale)
    # With no entries: the plan in force and the share are checked before any is read.
    policy.check_awards([], args.on, share=args.share, locale=locale)

    def read(data: object) -> Award:
        return structure(data, Award, locale=locale)

    batch = Batch.of(ctx, args)
    good = list(batch.records(Input.of(args.file, ctx.stdin), read))
    awards = [award for _entry, award in good]
    if args.size is not None:
        requirement = policy.awards_needed(
            awards, args.on, size=args.size, share=args.share, locale=locale
        )
        if args.format == "json":
            write_json(requirement.to_json(locale), ctx.out)
        else:
            ctx.out.write(heading(policy, args.on, locale) + "\n\n")
            ctx.out.write(requirement.summary.render(locale) + "\n")
        return batch.status()

    check = policy.check_awards(awards, args.on, share=args.share, locale=locale)
    # An entry without an id is named by its position in the input.
    labelled = [
        attrs.evolve(checked, label=award.id or entry.position)
        for checked, (entry, award) in zip(check.entries, good, strict=True)
    ]
    check = attrs.evolve(check, entries=tuple(labelled))
    if args.format == "json":
        write_json(check.to_json(locale), ctx.out)
    else:
        ctx.out.write(heading(policy, args.on, locale) + "\n\n")
        ctx.out.write("\n".join(_render_check(check, locale)) + "\n")
    return batch.status(EXIT_OK if check.meets else EXIT_SHORT)


def _render_check(check: ShareCheck, locale: str) -> list[str]:
    kinds = check.by_kind
    if kinds is None:
        title = _(
            "{name}: at least {share} ({section})",
            name=check.share.name,
            share=Percent(check.share.min_percent),
            section=check.share.source.at,
        )
    else:
        title = _(
            "{name}: at least {share} of the collectives and of the individuals each ({section})",
            name=check.share.name,
            share=Percent(check.share.min_percent),
            section=check.share.source.at,
        )
    lines = [title.render(locale), ""]
    yes, no = _("yes").render(locale), _("no").render(locale)
    if check.entries:
        if kinds is None:
            rows = [
                [_("entry").render(locale), _("rural").render(locale), _("why").render(locale)],
                *(
                    [entry.label, yes if entry.rural else no, entry.reason.render(locale)]
                    for entry in check.entries
                ),
            ]
        else:
            rows = [
                [
                    _("entry").render(locale),
                    _("kind").render(locale),
                    _("rural").render(locale),
                    _("why").render(locale),
                ],
                *(
                    [
                        entry.label,
                        entry.award.kind.label.render(locale),
                        yes if entry.rural else no,
                        entry.reason.render(locale),
                    ]
                    for entry in check.entries
                ),
            ]
        lines.extend(table(rows))
        lines.append("")
    if kinds is not None:
        rows = [
            [
                _("kind").render(locale),
                _("entries").render(locale),
                _("rural").render(locale),
                _("needed").render(locale),
                _("meets").render(locale),
                _("short by").render(locale),
            ],
            *(
                [
                    kind.kind.label.render(locale),
                    format_count(kind.size, locale),
                    format_count(kind.rural, locale),
                    format_count(kind.required, locale),
                    yes if kind.meets else no,
                    format_count(kind.short_by, locale),
                ]
                for kind in kinds
            ),
        ]
        lines.extend(table(rows))
        lines.append("")
    lines.append(check.summary.render(locale))
    if not check.meets and check.rural_to_add is not None:
        lines.append(
            _n(
                "or add {count} rural entry to the list as it is",
                "or add {count} rural entries to the list as it is",
                count=check.rural_to_add,
            ).render(locale)
        )
    return lines
