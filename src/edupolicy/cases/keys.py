"""Reading one case of a case file: its keys, checked, into a :class:`~edupolicy.cases.Case`.

A case has a name, one subject, a region and a date or a year (its own, or those at
the top of its file), a programme or a share for the subjects that have one, and what
it expects.  Every problem is reported; a case with none is then checked against the
plan in force (:mod:`edupolicy.cases.subjects`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from edupolicy.cases.expectation_values import EXPECTATION_KEYS, read_expected
from edupolicy.cases.model import Case
from edupolicy.cases.problems import NOTHING, Problems, Where
from edupolicy.cases.questions import read_question_case
from edupolicy.cases.subjects import check_against_plan
from edupolicy.cases.vocabulary import Subject
from edupolicy.errors import MISSING, PlanDataError, nearest
from edupolicy.i18n import Message, _
from edupolicy.io import ChangeFile, changefiles
from edupolicy.plans import Change
from edupolicy.values import parse_date

__all__ = [
    "CASE_KEYS",
    "CaseReader",
    "Defaults",
    "check_readings",
    "check_region",
    "date_fields",
    "read_change_file",
    "unknown_key",
]

#: The keys a case may have.
CASE_KEYS: Final = (
    "name",
    "region",
    "on",
    "year",
    *(subject.value for subject in Subject),
    "programme",
    "share",
    "readings",
    # A question case's subject and parameters (its question is the key ``question``).
    "about",
    "params",
    *EXPECTATION_KEYS,
)


@attrs.frozen(kw_only=True)
class Defaults:
    """What the top of a TOML file says for every case: region, date and year."""

    #: Whether the file gives a region (``region`` is ``None`` when it is not valid).
    given: bool = False
    region: str | None = None
    on: _dt.date | None = None
    year: int | None = None
    #: The readings every case of the file is checked under (reading id → choice id).
    readings: Mapping[str, str] = attrs.field(factory=dict)
    #: The what-if changes every case of the file is checked under (its ``changes`` file).
    changes: tuple[Change, ...] = ()


class CaseReader:
    """Reads the cases of one file, one at a time, collecting every problem."""

    def __init__(
        self,
        problems: Problems,
        *,
        folder: Path | None = None,
        readings: Mapping[str, str] | None = None,
        changes: Sequence[Change] | ChangeFile = (),
    ) -> None:
        self.problems = problems
        #: The folder of the case file: a change file it names is found there.
        self.folder = folder
        #: The readings and changes every case runs under besides its file's (given
        #: on pytest's command line).
        self.readings: Mapping[str, str] = dict(readings or {})
        file = changes if isinstance(changes, ChangeFile) else None
        given = changes.changes if isinstance(changes, ChangeFile) else changes
        self.changes: tuple[Change, ...] = tuple(given)
        #: That change file, when some of its tables cannot be read: their problems are
        #: said with those of the changes that do not apply, once for each region.
        self.unread = file if file is not None and file.problems else None
        #: The line of each case name read so far.
        self._names: dict[str, int] = {}

    def case(
        self,
        raw: Mapping[str, Any],
        where: Where,
        defaults: Defaults,
    ) -> Case | None:
        """The case ``raw`` (at ``where``), or ``None`` after reporting its problems."""
        before = len(self.problems)
        if self.readings or self.changes:
            defaults = attrs.evolve(
                defaults,
                readings={**defaults.readings, **self.readings},
                changes=(*defaults.changes, *self.changes),
            )
        keys = ", ".join(CASE_KEYS)
        for key, value in raw.items():
            if key not in CASE_KEYS:
                self.problems.at(where, key, value, unknown_key(key, CASE_KEYS, keys))
        name = self._name(raw, where)
        subject = _subject(self.problems, raw, where)
        region = _region(self.problems, raw, where, defaults)
        # A case that gives either date itself takes neither from the top of the file.
        dated = len(self.problems)
        if "on" in raw or "year" in raw:
            on, year = date_fields(self.problems, where, raw)
        else:
            on, year = defaults.on, defaults.year
        programme, share = _programme_and_share(self.problems, raw, where, subject)
        readings = {**defaults.readings, **(check_readings(self.problems, where, raw) or {})}
        if subject is not None and subject is not Subject.QUESTION and len(self.problems) == dated:
            _dates_needed(self.problems, where, subject, on, year)
        undated = len(self.problems) > dated
        expected = read_expected(self.problems, raw, where, subject)
        if subject is Subject.QUESTION:
            asked = read_question_case(self.problems, where, raw, on, year)
            if asked is None or region is None or expected is None or name is None:
                return None
            if len(self.problems) > before:
                return None
            return Case(
                name=name,
                file=self.problems.file,
                line=where.line,
                region=region,
                subject=subject,
                on=on,
                year=year,
                data=asked.about,
                readings=readings,
                changes=defaults.changes,
                expected=attrs.evolve(expected, answer=asked.answer),
                lines={key: where.line_of(key) for key in raw},
                asked=asked,
            )
        if subject is None or region is None or expected is None:
            return None
        data: Any = raw[subject.value]
        if undated or not _shape(self.problems, where, subject, data):
            # Without its date, its programme or its subject, the case has no plan to
            # be checked against.
            return None
        lines = {key: where.line_of(key) for key in raw}
        for target in expected.status or {}:
            lines[f"status.{target}"] = where.line_of(f"status.{target}")
        if subject is Subject.FIGURES:
            data = _observations_of(data, year, on)
        if expected.error is None:
            checked = check_against_plan(
                self.problems,
                where,
                subject,
                region,
                on,
                year,
                data,
                programme,
                share,
                expected,
                readings,
                defaults.changes,
                self.unread,
            )
            if checked is None:
                return None
            data, share = checked
        if name is None or len(self.problems) > before:
            return None
        return Case(
            name=name,
            file=self.problems.file,
            line=where.line,
            region=region,
            subject=subject,
            on=on,
            year=year,
            data=data,
            programme=programme,
            share=share,
            readings=readings,
            changes=defaults.changes,
            expected=expected,
            lines=lines,
        )

    def _name(self, raw: Mapping[str, Any], where: Where) -> str | None:
        if "name" not in raw:
            self.problems.problem(
                where.line, where.name("name"), MISSING, _("every case needs a name")
            )
            return None
        name = raw["name"]
        if not isinstance(name, str) or not name.strip():
            self.problems.at(where, "name", name, _("must be text that is not blank"))
            return None
        if "::" in name or "\n" in name or "\r" in name:
            self.problems.at(where, "name", name, _("must not contain “::” or a line break"))
            return None
        if name in self._names:
            self.problems.at(
                where,
                "name",
                name,
                _("another case has this name, on line {line}", line=self._names[name]),
            )
            return None
        self._names[name] = where.line
        return name


def _subject(problems: Problems, raw: Mapping[str, Any], where: Where) -> Subject | None:
    subjects = [subject for subject in Subject if subject.value in raw]
    if not subjects:
        problems.problem(
            where.line,
            "",
            NOTHING,
            _(
                "the case has no subject: give one of {subjects}",
                subjects=", ".join(subject.value for subject in Subject),
            ),
        )
        return None
    if len(subjects) > 1:
        problems.at(
            where,
            subjects[1].value,
            NOTHING,
            _("a case has one subject, and this one also has {other}", other=subjects[0].value),
        )
        return None
    return subjects[0]


def _region(
    problems: Problems, raw: Mapping[str, Any], where: Where, defaults: Defaults
) -> str | None:
    if "region" in raw:
        return check_region(problems, where, raw)
    if defaults.given:
        return defaults.region
    problems.problem(
        where.line,
        where.name("region"),
        MISSING,
        _("no region: give region in the case or at the top of the file"),
    )
    return None


def unknown_key(key: object, known: Sequence[str], listed: str) -> Message:
    """``unknown key``, with the nearest known key when one is close enough, and ``listed``."""
    close = nearest(key, known)
    if close is not None:
        return _(
            "unknown key; did you mean {name}? A case may have: {keys}", name=close, keys=listed
        )
    return _("unknown key; a case may have: {keys}", keys=listed)


def check_region(problems: Problems, where: Where, table: Mapping[str, Any]) -> str | None:
    if "region" not in table:
        return None
    region = table["region"]
    if not isinstance(region, str) or not region.strip():
        problems.at(where, "region", region, _("must be the id of a region, as text"))
        return None
    return region


def read_change_file(
    problems: Problems, where: Where, table: Mapping[str, Any], folder: Path | None
) -> tuple[Change, ...]:
    """The changes of the change file ``table["changes"]`` names, beside the case file."""
    if "changes" not in table:
        return ()
    name = table["changes"]
    if not isinstance(name, str) or not name.strip() or folder is None:
        problems.at(where, "changes", name, _("must be the name of a change file, as text"))
        return ()
    try:
        read = changefiles.read_change_file(folder / name, locale=problems.locale)
    except PlanDataError as exc:
        _change_file_problems(problems, where, name, exc)
        return ()
    if read.problems:
        # The changes that can be read are still checked against the plan, so that
        # every mistake of the file is said in one run.
        _change_file_problems(problems, where, name, read.error(locale=problems.locale))
    return read.changes


def _change_file_problems(problems: Problems, where: Where, name: str, exc: PlanDataError) -> None:
    for problem in exc.problems:
        problems.at(
            where,
            "changes",
            name,
            _(
                "{heading}: {path}: {problem}",
                heading=exc.heading,
                path=problem.path,
                problem=problem.message,
            ),
        )


def check_readings(
    problems: Problems, where: Where, table: Mapping[str, Any]
) -> dict[str, str] | None:
    """The ``readings`` of ``table``: a table of reading ids and choice ids, as text."""
    if "readings" not in table:
        return None
    readings = table["readings"]
    if not isinstance(readings, Mapping):
        problems.at(
            where,
            "readings",
            readings,
            _('must be a table of readings: reading id = "choice id"'),
        )
        return None
    found: dict[str, str] = {}
    for key, value in readings.items():
        if not isinstance(value, str) or not value.strip():
            problems.at(where, f"readings.{key}", value, _("must be the id of a choice, as text"))
        else:
            found[key] = value
    return found


def date_fields(
    problems: Problems, where: Where, table: Mapping[str, Any]
) -> tuple[_dt.date | None, int | None]:
    on: _dt.date | None = None
    year: int | None = None
    if "on" in table:
        value = table["on"]
        if isinstance(value, str):
            on = parse_date(value)
        elif isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            on = value
        if on is None:
            problems.at(where, "on", value, _("must be a date, written YYYY-MM-DD"))
    if "year" in table:
        value = table["year"]
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
            year = value
        else:
            problems.at(where, "year", value, _("must be a year from 1 to 9999"))
    return on, year


def _programme_and_share(
    problems: Problems, raw: Mapping[str, Any], where: Where, subject: Subject | None
) -> tuple[str | None, str | None]:
    found: dict[str, str | None] = {"programme": None, "share": None}
    owners = {"programme": Subject.CANDIDATES, "share": Subject.AWARDS}
    for key, owner in owners.items():
        if key not in raw:
            if key == "programme" and subject is Subject.CANDIDATES:
                problems.problem(
                    where.line,
                    where.name(key),
                    MISSING,
                    _("a candidates case names the programme whose quota selects"),
                )
            continue
        value = raw[key]
        if subject is not None and subject is not owner:
            problems.at(
                where,
                key,
                value,
                _("only a {owner} case has this key", owner=owner.value),
            )
        elif not isinstance(value, str) or not value.strip():
            problems.at(where, key, value, _("must be an id, as text"))
        else:
            found[key] = value
    return found["programme"], found["share"]


def _dates_needed(
    problems: Problems,
    where: Where,
    subject: Subject,
    on: _dt.date | None,
    year: int | None,
) -> None:
    if subject in (Subject.STUDENT, Subject.TEACHER, Subject.AWARDS) and on is None:
        problems.problem(
            where.line,
            where.name("on"),
            MISSING,
            _(
                "a {subject} case is evaluated on a date: give on in the case or at the "
                "top of the file",
                subject=subject.value,
            ),
        )
    elif subject is Subject.CANDIDATES and year is None:
        problems.problem(
            where.line,
            where.name("year"),
            MISSING,
            _("a candidates case selects for a year: give year in the case or at the top"),
        )
    elif subject is Subject.FIGURES and on is None and year is None:
        problems.problem(
            where.line,
            where.name("year"),
            MISSING,
            _("figures are for a year or a date: give year or on"),
        )


def _shape(problems: Problems, where: Where, subject: Subject, data: object) -> bool:
    """Whether the subject's value has its shape: a table, or a list of tables."""
    if subject in (Subject.CANDIDATES, Subject.AWARDS):
        if isinstance(data, list) and all(isinstance(item, dict) for item in data):
            return True
        problems.at(where, subject.value, data, _("must be a list of tables"))
        return False
    if isinstance(data, dict):
        return True
    problems.at(where, subject.value, data, _("must be a table"))
    return False


def _observations_of(data: Mapping[str, Any], year: int | None, on: _dt.date | None) -> Any:
    """The figures of a case as :meth:`~edupolicy.Policy.progress` reads them.

    With a year, they are the values at the end of that year; with only a date, the
    values on that date.
    """
    if year is not None:
        return dict(data)
    assert on is not None
    return [
        {"indicator": indicator, "value": value, "on": on.isoformat()}
        for indicator, value in data.items()
    ]
