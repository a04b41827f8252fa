"""``edupolicy check``: audit an installed region's plans, or a plan file or plugin folder
before it is installed.

``check REGION`` loads the region and audits its plans.  ``check PATH`` reads a plan
file, or every plan file of a folder (a plugin's source tree), runs every load-time
check (a plan that names a parent is built on the installed parent) and audits what
loads.  A plan that does not load is reported by file and field path.  The exit status
is 1 when there is an error (with ``--strict``, a warning too), 2 when nothing could be
checked.  A plan that builds on a parent region's plan is judged by its own findings:
those it inherits are counted on one line per level, and listed with ``--inherited``.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import edupolicy

# The audit is imported when a check runs, not whenever the command line starts.
from edupolicy import analysis
from edupolicy.cli._io import EXIT_BAD_RECORDS, EXIT_OK, Context, write_json
from edupolicy.cli._options import Options, Subcommands, load_policy
from edupolicy.errors import EdupolicyError, FieldProblem, PlanDataError
from edupolicy.i18n import Message, _, _n
from edupolicy.plans import Plan

if TYPE_CHECKING:
    from edupolicy.analysis import Finding

__all__ = ["add_check_command", "plan_files"]

#: Folders a search for plan files never enters.
_SKIPPED = frozenset({"build", "dist", "node_modules", "site-packages", "__pycache__"})


def add_check_command(sub: Subcommands, options: Options) -> None:
    """Add ``check`` to the subparsers ``sub``."""
    check = options.command(
        sub,
        "check",
        _("audit a region's plan data, or a plan file or plugin folder, for inconsistencies"),
    )
    options.add_region(check, positional=True)
    options.add_params(check, options.question("check").params)
    check.set_defaults(func=run_check)
    check.add_argument(
        "--strict",
        action="store_true",
        help=options.t(_("a warning fails the check too")),
    )
    check.add_argument(
        "--inherited",
        action="store_true",
        help=options.t(
            _(
                "also list the findings a layered plan inherits from its parent region's "
                "plan (they never fail the check)"
            )
        ),
    )
    options.add_format(check)


def _is_path(text: str) -> bool:
    """Whether the argument of ``check`` names a file or folder rather than a region."""
    return os.sep in text or "/" in text or text.endswith(".toml") or Path(text).exists()


def plan_files(folder: Path) -> list[Path]:
    """The plan files under ``folder``: TOML files with a ``document`` or a ``parent``
    (the parts a plan file lists, and ``pyproject.toml``, are not plans)."""
    found: list[Path] = []
    for path in sorted(_toml_files(folder)):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError):
            # A file that cannot be read is checked as a plan if it is named like one.
            if path.name == "plan.toml" or path.name.endswith(".plan.toml"):
                found.append(path)
            continue
        if "document" in data or "parent" in data:
            found.append(path)
    return found


def _toml_files(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIPPED]
        for name in files:
            if name.endswith(".toml") and name != "pyproject.toml":
                yield Path(root) / name


def run_check(args: argparse.Namespace, ctx: Context) -> int:
    """Print the findings of the audit; 1 when one is an error (or, ``--strict``, a warning)."""
    locale = ctx.locale
    target: str = args.region
    if not _is_path(target):
        policy = load_policy(args, locale)
        return _report([(None, finding) for finding in policy.check()], [], args, ctx)
    path = Path(target)
    if path.is_dir():
        files = plan_files(path)
        if not files:
            raise EdupolicyError(
                _("No plan file in {folder}: a plan file is a TOML file with a [document]",
                  folder=target),
                locale=locale,
            )  # fmt: skip
    else:
        files = [path]
    findings: list[tuple[str | None, Finding]] = []
    failures: list[tuple[str, PlanDataError]] = []
    for file in files:
        shown = os.path.join(target, os.path.relpath(file, path)) if path.is_dir() else target
        try:
            plans = edupolicy.load_plans(file, locale=locale)
        except PlanDataError as exc:
            failures.append((shown, exc))
            continue
        except EdupolicyError as exc:  # its parent region cannot be loaded: the next plan can
            heading = _("Cannot load plan file {file}: {error}", file=file.name, error=exc.message)
            failures.append((shown, PlanDataError(heading, [], locale=locale)))
            continue
        for plan in plans:
            findings.extend((shown, finding) for finding in _audit(plan, args, locale))
    return _report(findings, failures, args, ctx)


def _audit(plan: Plan, args: argparse.Namespace, locale: str) -> Sequence[Finding]:
    chosen: list[tuple[str, str]] = getattr(args, "reading", None) or []
    if not chosen:
        return analysis.audit(plan)
    policy = edupolicy.Policy(region="-", distribution="-", version="-", plans=(plan,))
    return policy.with_readings(dict(chosen), locale=locale).check()


def _report(
    findings: Sequence[tuple[str | None, Finding]],
    failures: Sequence[tuple[str, PlanDataError]],
    args: argparse.Namespace,
    ctx: Context,
) -> int:
    locale = ctx.locale
    inherited = [(file, finding) for file, finding in findings if not finding.own]
    listed = findings if args.inherited else [entry for entry in findings if entry[1].own]
    findings = [entry for entry in findings if entry[1].own]
    errors = len(failures) + sum(1 for _f, f in findings if f.severity is analysis.Severity.ERROR)
    warnings = sum(1 for _f, f in findings if f.severity is analysis.Severity.WARNING)
    if args.format == "json":
        data: list[dict[str, object]] = [
            {
                "file": file,
                "code": "load",
                "severity": analysis.Severity.ERROR.value,
                "subject": problem.path,
                "message": _(
                    "{label}: {value}", label=exc.heading, value=problem.render(locale)
                ).render(locale),
                "source": None,
            }
            for file, exc in failures
            for problem in _problems(exc)
        ]
        for file, finding in listed:
            entry: dict[str, object] = finding.to_json(locale)
            if file is not None:
                entry = {"file": file, **entry}
            data.append(entry)
        write_json(data, ctx.out)
    else:
        for file, exc in failures:
            ctx.out.write(f"{file}: {exc.render(locale)}\n")
        for file, finding in listed:
            prefix = f"{file}: " if file is not None else ""
            ctx.out.write(prefix + finding.render(locale) + "\n")
            if finding.source is not None:
                ctx.out.write("    " + finding.source.cite().render(locale) + "\n")
        summary = _(
            "{errors}, {others}",
            errors=_n("{count} error", "{count} errors", count=errors),
            others=_n(
                "{count} other finding",
                "{count} other findings",
                count=len(findings) + len(failures) - errors,
            ),
        )
        ctx.out.write(summary.render(locale) + "\n")
        for line in _inherited_summary(inherited, shown=args.inherited):
            ctx.out.write(line.render(locale) + "\n")
    failed = errors > 0 or (args.strict and warnings > 0)
    return EXIT_BAD_RECORDS if failed else EXIT_OK


def _problems(exc: PlanDataError) -> Sequence[FieldProblem]:
    return exc.problems or [FieldProblem("$", None, exc.heading)]


def _inherited_summary(
    inherited: Sequence[tuple[str | None, Finding]], *, shown: bool
) -> list[Message]:
    """One line per level a layered plan inherits findings from: how many errors and
    other findings, from which region and document."""
    counted: dict[tuple[str | None, str], list[int]] = {}
    for _file, finding in inherited:
        assert finding.level is not None
        counts = counted.setdefault((finding.level.region, finding.level.document), [0, 0])
        counts[0 if finding.severity is analysis.Severity.ERROR else 1] += 1
    lines = [
        _(
            "{errors}, {others} inherited from {region}, {document}",
            errors=_n("{count} error", "{count} errors", count=errors),
            others=_n("{count} other finding", "{count} other findings", count=others),
            region=region or "-",
            document=document,
        )
        for (region, document), (errors, others) in counted.items()
    ]
    if lines and not shown:
        lines.append(_("they do not fail the check; --inherited lists them"))
    return lines
