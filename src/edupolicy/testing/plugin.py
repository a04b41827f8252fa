"""The pytest plugin of edupolicy: case tables run as tests.

pytest collects the files named ``test_*.cases.toml`` and ``test_*.cases.csv``, and no
others: a ``cases.toml`` or a ``test_x.toml`` is left alone.  Each case of a file is a
test item whose id is the case's name (``tests/cases/test_aid.cases.toml::an orphan``).

A case that fails is reported by its ``file:line``, its name, expected against actual
for each field that differs, and what the answer rests on (the rules that applied,
with their sections and quotes), without a traceback; ``--tb=long``, ``--tb=native``
or ``--edupolicy-traceback`` bring the traceback back.  A file that does not fit its
region's plan is one failing item of that file (``FILE::case file``), listing each
problem by file, line and field; the other files still run.

``--edupolicy-reading=ID=CHOICE`` (repeatable) and ``--edupolicy-changes=FILE`` run
every case under a reading and a change file, without editing the tables.
``--edupolicy-coverage`` lists the rules, quotas, shares and targets of the regions
under test that no case exercises; ``--edupolicy-coverage=fail`` also fails the run
when there is one.  Of a layered region, they are its own provisions (changed, added,
removed), and with ``--edupolicy-coverage-inherited`` also those it inherits.
``--edupolicy-locale=zh_CN`` shows reports in Chinese.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from edupolicy import load, regions
from edupolicy.cases import (
    CASE_FILE_PATTERNS,
    Case,
    CaseFileError,
    Coverage,
    Outcome,
    read_cases,
)
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _, supported_locale
from edupolicy.io import ChangeFile, read_change_file
from edupolicy.plans import Change
from edupolicy.policy.arguments import not_a_reading, reading_written

__all__ = [
    "CaseFailed",
    "CaseFile",
    "CaseFileItem",
    "CaseItem",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
]

_COVERAGE = pytest.StashKey[Coverage]()
#: The readings and changes every case runs under (``--edupolicy-reading``, ``-changes``).
_UNDER = pytest.StashKey[tuple[dict[str, str], ChangeFile | tuple[Change, ...]]]()
#: The values of ``--edupolicy-coverage``: list what is not exercised, or also fail.
_LIST, _FAIL = "list", "fail"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's options."""
    group = parser.getgroup("edupolicy", _("edupolicy case tables").render())
    group.addoption(
        "--edupolicy-coverage",
        dest="edupolicy_coverage",
        nargs="?",
        const=_LIST,
        default=None,
        choices=(_LIST, _FAIL),
        help=_(
            "list the rules, quotas, shares, targets and readings of the regions under test "
            "that no case exercises; with =fail, also fail the run when there is one"
        ).render(),
    )
    group.addoption(
        "--edupolicy-coverage-inherited",
        dest="edupolicy_coverage_inherited",
        action="store_true",
        default=False,
        help=_(
            "with --edupolicy-coverage, also count what a layered region inherits from its "
            "parent region unchanged (by default, its own provisions: those it changes, "
            "adds or removes)"
        ).render(),
    )
    group.addoption(
        "--edupolicy-traceback",
        dest="edupolicy_traceback",
        action="store_true",
        default=False,
        help=_("show the traceback of a failing case, not only its report").render(),
    )
    group.addoption(
        "--edupolicy-locale",
        dest="edupolicy_locale",
        default=None,
        metavar="LOCALE",
        help=_("the language of case reports: en (the default) or zh_CN").render(),
    )
    group.addoption(
        "--edupolicy-reading",
        dest="edupolicy_readings",
        action="append",
        default=[],
        metavar="ID=CHOICE",
        help=_(
            "run every case under this reading of the plan, as if its file chose it "
            "(a case's own readings still win); may be repeated"
        ).render(),
    )
    group.addoption(
        "--edupolicy-changes",
        dest="edupolicy_changes",
        default=None,
        metavar="FILE",
        help=_(
            "run every case under the what-if changes of this change file, after its file's own"
        ).render(),
    )


def pytest_configure(config: pytest.Config) -> None:
    """Check the options and start gathering what the cases exercise."""
    locale = config.getoption("edupolicy_locale")
    if locale is not None and supported_locale(locale) is None:
        raise pytest.UsageError(
            _(
                "--edupolicy-locale: {locale} is not a supported locale (en, zh_CN)",
                locale=locale,
            ).render()
        )
    config.stash[_COVERAGE] = Coverage(
        inherited=bool(config.getoption("edupolicy_coverage_inherited"))
    )
    config.stash[_UNDER] = _under(config, supported_locale(locale) if locale else None)


def _under(
    config: pytest.Config, locale: str | None
) -> tuple[dict[str, str], ChangeFile | tuple[Change, ...]]:
    """The readings and changes of the command line; a bad one is a usage error.

    A change file some tables of which cannot be read is a usage error when the changes
    of the others apply to every installed region (its only mistakes are the tables).
    Otherwise it is checked against each region's plan when a case file of the region
    is read: its problems are said there with those of its changes that do not apply,
    in one report, once for the file and the region.
    """
    readings: dict[str, str] = {}
    for text in config.getoption("edupolicy_readings"):
        written = reading_written(text)
        if written is None:
            raise pytest.UsageError(
                _(
                    "{field}: {problem}", field="--edupolicy-reading", problem=not_a_reading(text)
                ).render(locale)
            )
        readings[written[0]] = written[1]
    file: str | None = config.getoption("edupolicy_changes")
    if file is None:
        return readings, ()
    try:
        read = read_change_file(config.invocation_params.dir / file, locale=locale)
        if read.problems and _apply_everywhere(read.changes, readings, locale):
            raise read.error(locale=locale)
    except EdupolicyError as exc:
        raise _bad_change_file(exc, locale) from None
    return readings, read


def _apply_everywhere(
    changes: tuple[Change, ...], readings: dict[str, str], locale: str | None
) -> bool:
    """Whether ``changes`` apply to the plans of every installed region, under
    ``readings``."""
    for region in regions():
        try:
            policy = load(region.id, locale=locale)
            if readings:
                policy = policy.with_readings(readings, locale=locale)
            policy.with_changes(changes, locale=locale)
        except EdupolicyError:
            return False
    return True


def _bad_change_file(error: EdupolicyError, locale: str | None) -> pytest.UsageError:
    return pytest.UsageError(
        _("--edupolicy-changes: {error}", error=error.render(locale)).render(locale)
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """A change file with tables that cannot be read is a usage error when no case file
    was collected to report it."""
    _readings, changes = session.config.stash[_UNDER]
    if not isinstance(changes, ChangeFile) or not changes.problems:
        return
    if not any(isinstance(item, (CaseItem, CaseFileItem)) for item in session.items):
        locale = _locale(session.config)
        raise _bad_change_file(changes.error(locale=locale), locale)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CaseFile | None:
    """A case file for each file whose name fits one of :data:`CASE_FILE_PATTERNS`."""
    if any(fnmatch.fnmatchcase(file_path.name, pattern) for pattern in CASE_FILE_PATTERNS):
        found: CaseFile = CaseFile.from_parent(parent, path=file_path)
        return found
    return None


def _locale(config: pytest.Config) -> str | None:
    locale: str | None = config.getoption("edupolicy_locale")
    return supported_locale(locale) if locale is not None else None


def _tracebacks(config: pytest.Config) -> bool:
    """Whether the user asked for tracebacks rather than case reports."""
    return bool(config.getoption("edupolicy_traceback")) or config.getoption("tbstyle") in (
        "long",
        "native",
    )


class CaseFailed(Exception):
    """A case whose outcome differs from what it expects."""

    def __init__(self, outcome: Outcome, report: str) -> None:
        super().__init__(report)
        self.outcome = outcome
        self.report = report


class CaseFile(pytest.File):
    """A case file: one item per case."""

    def collect(self) -> Iterator[CaseItem | CaseFileItem]:
        label = self.nodeid.split("::")[0] or self.path.name
        try:
            readings, changes = self.config.stash[_UNDER]
            cases = read_cases(
                self.path,
                label=label,
                locale=_locale(self.config),
                readings=readings,
                changes=changes,
            )
        except CaseFileError as exc:
            # One failing item for the file: the run goes on with the other files.
            bad: CaseFileItem = CaseFileItem.from_parent(self, name=CASE_FILE_ITEM, error=exc)
            yield bad
            return
        coverage = self.config.stash[_COVERAGE]
        for case in cases:
            coverage.add_case(case)
            item: CaseItem = CaseItem.from_parent(self, name=case.name, case=case)
            yield item

    # The base returns ``str | TerminalRepr``, a type pytest does not export.
    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """A bad case file: every problem by file, line and field, without a traceback."""
        if isinstance(excinfo.value, CaseFileError) and not _tracebacks(self.config):
            return excinfo.value.render(_locale(self.config))
        return super().repr_failure(excinfo)


#: The name of the item that stands for a case file that cannot be read.
CASE_FILE_ITEM = "case file"


class CaseFileItem(pytest.Item):
    """A case file that cannot be read or does not fit its plan: it fails, listing every
    problem, and the other files still run."""

    def __init__(self, *, error: CaseFileError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    # The base returns ``str | TerminalRepr``, a type pytest does not export.
    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """Every problem of the file by file, line and field, without a traceback."""
        if isinstance(excinfo.value, CaseFileError) and not _tracebacks(self.config):
            return excinfo.value.render(_locale(self.config))
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        first = self.error.problems[0].line if self.error.problems else 1
        return self.path, first - 1, CASE_FILE_ITEM


class CaseItem(pytest.Item):
    """One case of a case file."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        #: How the case came out, once it ran.
        self.outcome: Outcome | None = None

    def runtest(self) -> None:
        locale = _locale(self.config)
        outcome = self.case.run(locale=locale)
        self.outcome = outcome
        self.config.stash[_COVERAGE].add(outcome)
        if not outcome.passed:
            raise CaseFailed(outcome, outcome.report(locale)) from outcome.error

    # The base returns ``str | TerminalRepr``, a type pytest does not export.
    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """A failed case: its report (``file:line``, expected against actual, the rules)."""
        if isinstance(excinfo.value, CaseFailed) and not _tracebacks(self.config):
            return excinfo.value.report
        if not self.config.getoption("fulltrace"):
            # From this plugin on: pytest's own frames tell nothing about the case.
            excinfo.traceback = excinfo.traceback.cut(path=Path(__file__))
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, self.case.name


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ``--edupolicy-coverage=fail``, fail a run that leaves a provision unexercised."""
    config = session.config
    if config.getoption("edupolicy_coverage") != _FAIL or session.exitstatus != pytest.ExitCode.OK:
        return
    if config.stash[_COVERAGE].unexercised():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """With ``--edupolicy-coverage``: what no case exercises, region by region."""
    mode = config.getoption("edupolicy_coverage")
    if mode is None:
        return
    locale = _locale(config)
    coverage = config.stash[_COVERAGE]
    terminalreporter.write_sep("=", _("edupolicy coverage").render(locale))
    lines = coverage.report(locale)
    if not lines:
        lines = [_("no case names a region: nothing to cover").render(locale)]
    for line in lines:
        terminalreporter.write_line(line)
    if mode == _FAIL and coverage.unexercised():
        terminalreporter.write_line(
            _(
                "--edupolicy-coverage=fail: the run fails, because a rule, quota, share or "
                "target is exercised by no case"
            ).render(locale),
            red=True,
        )
