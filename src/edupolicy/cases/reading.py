"""Reading case files: TOML files of named cases, CSV files of student cases.

A file is checked as it is read, against the plan in force of the region each case
names: every problem (an unknown key or column, a misspelt status, a rule, target,
programme or share the plan does not have, a malformed amount or date, a case that
expects nothing, two cases of one name) is reported at once, each with the file, the
line and the field, in one :class:`CaseFileError`.

``tomllib`` keeps no line numbers, so the lines come from the text: each case starts
at its ``[[case]]`` header, and a key of a case is found by scanning the case's lines.
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import io
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Protocol

import attrs

from edupolicy import load
from edupolicy.aid import Student
from edupolicy.cases.model import EXPECTATIONS, Case, Expected, ProvisionKind, Subject
from edupolicy.errors import (
    MISSING,
    EdupolicyError,
    FieldProblem,
    InvalidDataError,
    OutOfPeriodError,
    UnknownRegionError,
    show_value,
)
from edupolicy.goals import Status
from edupolicy.i18n import Message, _
from edupolicy.plans import Plan, structure, structure_observations
from edupolicy.policy import Policy
from edupolicy.teachers import Award, Teacher
from edupolicy.values import money, parse_date

__all__ = ["CASE_FILE_PATTERNS", "CSV_COLUMNS", "CaseFileError", "CaseProblem", "read_cases"]

#: The names of case files that the pytest plugin collects.
CASE_FILE_PATTERNS: Final = ("test_*.cases.toml", "test_*.cases.csv")

#: The columns a CSV case file may have; ``name``, ``region`` and ``on`` are required.
CSV_COLUMNS: Final = (
    "name",
    "region",
    "on",
    "stage",
    "year",
    "school_area",
    "boarding",
    "household",
    "orphan",
    "disabled",
    "id",
    "cash_total",
    "waivers",
    "applies",
    "not_applies",
    "error",
)
_CSV_REQUIRED: Final = ("name", "region", "on")
_CSV_STUDENT: Final = (
    "stage",
    "year",
    "school_area",
    "boarding",
    "household",
    "orphan",
    "disabled",
    "id",
)
_CSV_LISTS: Final = ("waivers", "applies", "not_applies")

_TOP_KEYS: Final = ("region", "on", "year", "case")
_EXPECTATION_KEYS: Final = (
    *(key for keys in EXPECTATIONS.values() for key in keys),
    "error",
)
_CASE_KEYS: Final = (
    "name",
    "region",
    "on",
    "year",
    *(subject.value for subject in Subject),
    "programme",
    "share",
    *_EXPECTATION_KEYS,
)
#: Expectations whose empty list would check nothing.
_NOT_EMPTY: Final = ("applies", "not_applies", "earns", "not_earns")


class _Nothing:
    """No offending value to show."""


_NOTHING: Final = _Nothing()


@attrs.frozen(kw_only=True)
class _Defaults:
    """What the top of a TOML file says for every case: region, date and year."""

    #: Whether the file gives a region (``region`` is ``None`` when it is not valid).
    given: bool = False
    region: str | None = None
    on: _dt.date | None = None
    year: int | None = None


@attrs.frozen
class CaseProblem:
    """One problem of a case file: where it is, the field, and what is wrong."""

    file: str
    line: int
    #: The key or column (``student.household[0]``); empty for the file as a whole.
    field: str
    #: The offending value (:data:`~edupolicy.errors.MISSING` when the field is absent).
    value: object
    message: Message

    @property
    def location(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"

    def render(self, locale: str | None = None) -> str:
        """``file:line: field: what is wrong (got value)`` in ``locale``."""
        text = self.message
        if self.field:
            text = _("{field}: {problem}", field=self.field, problem=text)
        if not isinstance(self.value, _Nothing):
            shown: object = _("(missing)") if self.value is MISSING else show_value(self.value)
            text = _("{problem} (got {value})", problem=text, value=shown)
        return _("{location}: {problem}", location=self.location, problem=text).render(locale)


class CaseFileError(EdupolicyError, ValueError):
    """A case file that cannot be read, or that does not fit its region's plan."""

    def __init__(
        self, file: str, problems: Sequence[CaseProblem], *, locale: str | None = None
    ) -> None:
        self.file = file
        self.problems: tuple[CaseProblem, ...] = tuple(problems)
        super().__init__(_("Case file {file} is not valid", file=file), locale=locale)

    def render(self, locale: str | None = None) -> str:
        lines = [self.message.render(locale)]
        lines.extend("  " + problem.render(locale) for problem in self.problems)
        return "\n".join(lines)


def read_cases(
    path: str | Path, *, label: str | None = None, locale: str | None = None
) -> list[Case]:
    """The cases of the case file ``path`` (``.toml`` or ``.csv``), checked.

    ``label`` is how messages name the file (``path`` as given, by default).  A file
    with any problem raises :class:`CaseFileError`, listing every problem found;
    ``locale`` chooses its language.
    """
    source = Path(path)
    reader = _Reader(label if label is not None else str(path), locale)
    if source.name.endswith(".toml"):
        kind = "toml"
    elif source.name.endswith(".csv"):
        kind = "csv"
    else:
        reader.problem(1, "", source.name, _("a case file is a .toml or a .csv file"))
        raise reader.error()
    try:
        raw = source.read_bytes()
    except OSError as exc:
        reader.problem(1, "", _NOTHING, _("cannot read the file: {error}", error=exc.strerror))
        raise reader.error() from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reader.problem(line, "", _NOTHING, _("the file is not UTF-8 text"))
        raise reader.error() from None
    cases = reader.read_toml(text) if kind == "toml" else reader.read_csv(text)
    if reader.problems:
        raise reader.error()
    return cases


# --- where a key is ---------------------------------------------------------------------------


class _Where(Protocol):
    """Where the keys of one case are."""

    @property
    def line(self) -> int:
        """The line of the case."""
        ...

    def line_of(self, path: str) -> int:
        """The line of the key at ``path`` (``student.household[1]``)."""
        ...

    def name(self, path: str) -> str:
        """How messages name the key at ``path``."""
        ...


_STEP = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def _steps(path: str) -> list[str | int]:
    return [key if key else int(index) for key, index in _STEP.findall(path)]


@attrs.frozen
class _TomlSpan:
    """Lines ``start`` to ``end`` (exclusive) of a TOML file: a case, or the file's top."""

    text: Sequence[str]
    start: int
    end: int
    #: The table the span's sub-table headers name (``case``), if any.
    table: str | None = "case"

    @property
    def line(self) -> int:
        return self.start

    def name(self, path: str) -> str:
        return path

    def line_of(self, path: str) -> int:
        found = at = self.start
        key: str | None = None
        for step in _steps(path):
            hit = self._key(step, at) if isinstance(step, str) else self._item(key, step, at)
            if hit is None:
                break
            found = at = hit
            key = step if isinstance(step, str) else key
        return found

    def _lines(self, start: int) -> Iterator[tuple[int, str]]:
        for number in range(start, min(self.end, len(self.text) + 1)):
            yield number, self.text[number - 1]

    def _key(self, key: str, start: int) -> int | None:
        word = re.escape(key)
        quoted = rf"(?:{word}|\"{word}\"|'{word}')"
        assignment = re.compile(rf"(?:^|[\s{{,.]){quoted}\s*[=.]")
        header = (
            re.compile(rf"^\s*\[\[?\s*{re.escape(self.table)}\.{quoted}\s*[\].]")
            if self.table
            else None
        )
        for number, line in self._lines(start):
            if assignment.search(line) or (header is not None and header.search(line)):
                return number
        return None

    def _item(self, key: str | None, index: int, start: int) -> int | None:
        if key is None:
            return None
        if self.table:
            header = re.compile(rf"^\s*\[\[\s*{re.escape(self.table)}\.{re.escape(key)}\s*\]\]")
            headers = [number for number, line in self._lines(start) if header.search(line)]
            if headers:
                return headers[index] if index < len(headers) else None
        tables = [number for number, line in self._lines(start) if "{" in line]
        return tables[index] if index < len(tables) else None


@attrs.frozen
class _CsvRow:
    """A row of a CSV file: every key of its case is on its line."""

    line: int

    def line_of(self, path: str) -> int:
        return self.line

    def name(self, path: str) -> str:
        return path.removeprefix("student.")


# --- the reader -------------------------------------------------------------------------------


_CASE_HEADER = re.compile(r"^\s*\[\[\s*case\s*\]\]\s*(#.*)?$")
_TOML_POSITION = re.compile(r"\s*\(at line ([0-9]+), column [0-9]+\)\s*$")


def _reroot(prefix: str, problem: FieldProblem) -> str:
    """The path of ``problem`` (``$.household[0]``) under ``prefix`` (``student``)."""
    return prefix + problem.path[1:]


class _Reader:
    """Reads one case file, collecting every problem."""

    def __init__(self, file: str, locale: str | None) -> None:
        self.file = file
        self.locale = locale
        self.problems: list[CaseProblem] = []
        self._names: dict[str, int] = {}

    def problem(self, line: int, field: str, value: object, message: Message) -> None:
        self.problems.append(CaseProblem(self.file, line, field, value, message))

    def at(self, where: _Where, path: str, value: object, message: Message) -> None:
        """A problem of the key at ``path`` of a case."""
        self.problem(where.line_of(path), where.name(path), value, message)

    def error(self) -> CaseFileError:
        problems = sorted(self.problems, key=lambda problem: problem.line)
        return CaseFileError(self.file, problems, locale=self.locale)

    # --- TOML ---------------------------------------------------------------------------------

    def read_toml(self, text: str) -> list[Case]:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            detail = str(exc)
            position = _TOML_POSITION.search(detail)
            line = int(position.group(1)) if position else 1
            reason = _TOML_POSITION.sub("", detail)
            self.problem(line, "", _NOTHING, _("not valid TOML: {error}", error=reason))
            return []
        lines = text.splitlines()
        headers = [n for n, line in enumerate(lines, start=1) if _CASE_HEADER.match(line)]
        top = _TomlSpan(lines, 1, headers[0] if headers else len(lines) + 1, table=None)
        for key, value in data.items():
            if key not in _TOP_KEYS:
                self.at(
                    top,
                    key,
                    value,
                    _(
                        "unknown key at the top of the file; it may have region, on, year "
                        "and [[case]] tables"
                    ),
                )
        on, year = self._date_fields(top, data)
        defaults = _Defaults(
            given="region" in data, region=self._check_region(top, data), on=on, year=year
        )
        raw_cases = data.get("case")
        if raw_cases is None:
            self.problem(1, "", _NOTHING, _("the file has no [[case]] tables"))
            return []
        if not isinstance(raw_cases, list) or not all(isinstance(c, dict) for c in raw_cases):
            self.at(top, "case", raw_cases, _("cases are [[case]] tables"))
            return []
        if len(headers) != len(raw_cases):
            # Cases written in some other TOML form: name them all by the first line.
            headers = [1] * len(raw_cases)
        cases: list[Case] = []
        for index, raw in enumerate(raw_cases):
            end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
            span = _TomlSpan(lines, headers[index], max(end, headers[index] + 1))
            found = self.case(raw, span, defaults)
            if found is not None:
                cases.append(found)
        return cases

    # --- CSV ----------------------------------------------------------------------------------

    def read_csv(self, text: str) -> list[Case]:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            self.problem(1, "", _NOTHING, _("the file is empty; its first row names the columns"))
            return []
        except csv.Error as exc:
            self.problem(1, "", _NOTHING, _("not valid CSV: {error}", error=str(exc)))
            return []
        columns = [cell.strip() for cell in header]
        known = ", ".join(CSV_COLUMNS)
        for position, column in enumerate(columns):
            if column not in CSV_COLUMNS:
                self.problem(
                    1, column, column, _("unknown column; the columns are: {known}", known=known)
                )
            elif column in columns[:position]:
                self.problem(1, column, column, _("the column appears more than once"))
        for column in _CSV_REQUIRED:
            if column not in columns:
                self.problem(1, column, MISSING, _("the file needs this column"))
        if any(column not in columns for column in _CSV_REQUIRED):
            return []
        cases: list[Case] = []
        end = reader.line_num
        while True:
            start = end + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.problem(start, "", _NOTHING, _("not valid CSV: {error}", error=str(exc)))
                break
            end = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            where = _CsvRow(start)
            if len(row) > len(columns):
                self.problem(
                    start,
                    "",
                    row,
                    _(
                        "the row has {cells} cells, more than the {columns} columns",
                        cells=len(row),
                        columns=len(columns),
                    ),
                )
                continue
            cells = {
                column: cell.strip()
                for column, cell in zip(columns, row, strict=False)
                if column in CSV_COLUMNS and cell.strip()
            }
            found = self.case(_csv_case(cells), where, _Defaults())
            if found is not None:
                cases.append(found)
        if not cases and not self.problems:
            self.problem(1, "", _NOTHING, _("the file has no cases"))
        return cases

    # --- one case ------------------------------------------------------------------------------

    def case(
        self,
        raw: Mapping[str, Any],
        where: _Where,
        defaults: _Defaults,
    ) -> Case | None:
        """The case ``raw`` (at ``where``), or ``None`` after reporting its problems."""
        before = len(self.problems)
        keys = ", ".join(_CASE_KEYS)
        for key, value in raw.items():
            if key not in _CASE_KEYS:
                self.at(where, key, value, _("unknown key; a case may have: {keys}", keys=keys))
        name = self._name(raw, where)
        subject = self._subject(raw, where)
        region = self._region(raw, where, defaults)
        # A case that gives either date itself takes neither from the top of the file.
        dated = len(self.problems)
        if "on" in raw or "year" in raw:
            on, year = self._date_fields(where, raw)
        else:
            on, year = defaults.on, defaults.year
        programme, share = self._programme_and_share(raw, where, subject)
        if subject is not None and len(self.problems) == dated:
            self._dates_needed(where, subject, on, year)
        undated = len(self.problems) > dated
        expected = self._expected(raw, where, subject)
        if subject is None or region is None or expected is None:
            return None
        data: Any = raw[subject.value]
        if undated or not self._shape(where, subject, data):
            # Without its date, its programme or its subject, the case has no plan to
            # be checked against.
            return None
        lines = {key: where.line_of(key) for key in raw}
        for target in expected.status or {}:
            lines[f"status.{target}"] = where.line_of(f"status.{target}")
        if subject is Subject.FIGURES:
            data = _observations_of(data, year, on)
        if expected.error is None:
            checked = self._against_plan(
                where, subject, region, on, year, data, programme, share, expected
            )
            if checked is None:
                return None
            data, share = checked
        if name is None or len(self.problems) > before:
            return None
        return Case(
            name=name,
            file=self.file,
            line=where.line,
            region=region,
            subject=subject,
            on=on,
            year=year,
            data=data,
            programme=programme,
            share=share,
            expected=expected,
            lines=lines,
        )

    def _name(self, raw: Mapping[str, Any], where: _Where) -> str | None:
        if "name" not in raw:
            self.problem(where.line, where.name("name"), MISSING, _("every case needs a name"))
            return None
        name = raw["name"]
        if not isinstance(name, str) or not name.strip():
            self.at(where, "name", name, _("must be text that is not blank"))
            return None
        if "::" in name or "\n" in name or "\r" in name:
            self.at(where, "name", name, _("must not contain “::” or a line break"))
            return None
        if name in self._names:
            self.at(
                where,
                "name",
                name,
                _("another case has this name, on line {line}", line=self._names[name]),
            )
            return None
        self._names[name] = where.line
        return name

    def _subject(self, raw: Mapping[str, Any], where: _Where) -> Subject | None:
        subjects = [subject for subject in Subject if subject.value in raw]
        if not subjects:
            self.problem(
                where.line,
                "",
                _NOTHING,
                _(
                    "the case has no subject: give one of {subjects}",
                    subjects=", ".join(subject.value for subject in Subject),
                ),
            )
            return None
        if len(subjects) > 1:
            self.at(
                where,
                subjects[1].value,
                _NOTHING,
                _("a case has one subject, and this one also has {other}", other=subjects[0].value),
            )
            return None
        return subjects[0]

    def _region(self, raw: Mapping[str, Any], where: _Where, defaults: _Defaults) -> str | None:
        if "region" in raw:
            return self._check_region(where, raw)
        if defaults.given:
            return defaults.region
        self.problem(
            where.line,
            where.name("region"),
            MISSING,
            _("no region: give region in the case or at the top of the file"),
        )
        return None

    def _check_region(self, where: _Where, table: Mapping[str, Any]) -> str | None:
        if "region" not in table:
            return None
        region = table["region"]
        if not isinstance(region, str) or not region.strip():
            self.at(where, "region", region, _("must be the id of a region, as text"))
            return None
        return region

    def _date_fields(
        self, where: _Where, table: Mapping[str, Any]
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
                self.at(where, "on", value, _("must be a date, written YYYY-MM-DD"))
        if "year" in table:
            value = table["year"]
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
                year = value
            else:
                self.at(where, "year", value, _("must be a year from 1 to 9999"))
        return on, year

    def _programme_and_share(
        self, raw: Mapping[str, Any], where: _Where, subject: Subject | None
    ) -> tuple[str | None, str | None]:
        found: dict[str, str | None] = {"programme": None, "share": None}
        owners = {"programme": Subject.CANDIDATES, "share": Subject.AWARDS}
        for key, owner in owners.items():
            if key not in raw:
                if key == "programme" and subject is Subject.CANDIDATES:
                    self.problem(
                        where.line,
                        where.name(key),
                        MISSING,
                        _("a candidates case names the programme whose quota selects"),
                    )
                continue
            value = raw[key]
            if subject is not None and subject is not owner:
                self.at(
                    where,
                    key,
                    value,
                    _("only a {owner} case has this key", owner=owner.value),
                )
            elif not isinstance(value, str) or not value.strip():
                self.at(where, key, value, _("must be an id, as text"))
            else:
                found[key] = value
        return found["programme"], found["share"]

    def _expected(
        self, raw: Mapping[str, Any], where: _Where, subject: Subject | None
    ) -> Expected | None:
        given = [key for key in _EXPECTATION_KEYS if key in raw]
        if subject is None:
            return None
        allowed = (*EXPECTATIONS[subject], "error")
        for key in given:
            if key not in allowed:
                self.at(
                    where,
                    key,
                    raw[key],
                    _(
                        "a {subject} case does not expect {key}; it expects {keys}",
                        subject=subject.value,
                        key=key,
                        keys=", ".join(allowed),
                    ),
                )
        if not given:
            self.problem(
                where.line,
                "",
                _NOTHING,
                _("the case expects nothing: give {keys}", keys=", ".join(allowed)),
            )
        if "error" in given and len(given) > 1:
            self.at(
                where,
                "error",
                raw["error"],
                _("a case that expects an error checks nothing else"),
            )
            given = ["error"]
        # A bad value is reported and left out; the others are still checked.
        values = {key: self._expectation(where, key, raw[key]) for key in given if key in allowed}
        for wanted, unwanted in (("applies", "not_applies"), ("earns", "not_earns")):
            both = set(values.get(wanted) or ()) & set(values.get(unwanted) or ())
            for rule in sorted(both):
                self.at(
                    where,
                    unwanted,
                    rule,
                    _("also listed in {other}: a rule cannot both apply and not", other=wanted),
                )
        return Expected(**values)

    def _expectation(self, where: _Where, key: str, value: object) -> Any:
        """The value of expectation ``key``, read; ``None`` after reporting a problem."""
        if key == "cash_total":
            return self._amount(where, key, value)
        if key in ("waivers", "applies", "not_applies", "earns", "not_earns", "selected"):
            return self._ids(where, key, value)
        if key == "status":
            return self._status(where, value)
        if key == "meets":
            if isinstance(value, bool):
                return value
            self.at(where, key, value, _("must be true or false"))
            return None
        if key == "short_by":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return value
            self.at(where, key, value, _("must be a whole number, 0 or more"))
            return None
        if isinstance(value, str) and value.strip():
            return value
        self.at(where, key, value, _("must be the text the error contains"))
        return None

    def _amount(self, where: _Where, key: str, value: object) -> Decimal | None:
        if isinstance(value, float):
            self.at(where, key, value, _('write an amount as a string of yuan, like "500.00"'))
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.at(where, key, value, _('must be an amount of yuan, like "500.00"'))
            return None
        try:
            return money(value)
        except InvalidDataError as exc:
            for problem in exc.problems:
                self.at(where, key, value, problem.message)
            return None

    def _ids(self, where: _Where, key: str, value: object) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.at(where, key, value, _("must be a list of ids"))
            return None
        found: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.at(where, f"{key}[{index}]", item, _("must be an id, as text"))
            elif item in found:
                self.at(where, f"{key}[{index}]", item, _("listed more than once"))
            else:
                found.append(item)
        if key in _NOT_EMPTY and not value:
            self.at(where, key, value, _("an empty list checks nothing"))
        return tuple(found)

    def _status(self, where: _Where, value: object) -> Mapping[str, Status] | None:
        if not isinstance(value, dict) or not value:
            self.at(
                where,
                "status",
                value,
                _(
                    "must be a table of target ids and statuses, like {example}",
                    example='{ target-id = "met" }',
                ),
            )
            return None
        allowed = ", ".join(status.value for status in Status)
        found: dict[str, Status] = {}
        for target, status in value.items():
            match = next((s for s in Status if s.value == status), None)
            if match is None:
                self.at(
                    where,
                    f"status.{target}",
                    status,
                    _("must be one of: {allowed}", allowed=allowed),
                )
            else:
                found[target] = match
        return found

    def _dates_needed(
        self,
        where: _Where,
        subject: Subject,
        on: _dt.date | None,
        year: int | None,
    ) -> None:
        if subject in (Subject.STUDENT, Subject.TEACHER, Subject.AWARDS) and on is None:
            self.problem(
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
            self.problem(
                where.line,
                where.name("year"),
                MISSING,
                _("a candidates case selects for a year: give year in the case or at the top"),
            )
        elif subject is Subject.FIGURES and on is None and year is None:
            self.problem(
                where.line,
                where.name("year"),
                MISSING,
                _("figures are for a year or a date: give year or on"),
            )

    def _shape(self, where: _Where, subject: Subject, data: object) -> bool:
        """Whether the subject's value has its shape: a table, or a list of tables."""
        if subject in (Subject.CANDIDATES, Subject.AWARDS):
            if isinstance(data, list) and all(isinstance(item, dict) for item in data):
                return True
            self.at(where, subject.value, data, _("must be a list of tables"))
            return False
        if isinstance(data, dict):
            return True
        self.at(where, subject.value, data, _("must be a table"))
        return False

    # --- against the plan ------------------------------------------------------------------

    def _against_plan(
        self,
        where: _Where,
        subject: Subject,
        region: str,
        on: _dt.date | None,
        year: int | None,
        data: Any,
        programme: str | None,
        share: str | None,
        expected: Expected,
    ) -> tuple[Any, str | None] | None:
        """The case's data, read, and its share; ``None`` after reporting problems."""
        before = len(self.problems)
        try:
            policy = load(region, locale=self.locale)
        except UnknownRegionError as exc:
            self.at(
                where,
                "region",
                region,
                _("no such region; installed: {regions}", regions=", ".join(exc.available) or "-"),
            )
            return None
        plan = self._plan(where, policy, subject, on, year, programme)
        if plan is None:
            return None
        if subject is Subject.STUDENT:
            data = self._record(where, "student", data, Student)
            if data is not None:
                extra = plan.year_problem(data.stage.value, data.year)
                if extra is not None:
                    self.at(where, "student.year", extra.value, extra.message)
            self._rules(where, plan, ProvisionKind.AID_RULE, expected.applies, "applies")
            self._rules(where, plan, ProvisionKind.AID_RULE, expected.not_applies, "not_applies")
            self._waivers(where, plan, expected.waivers)
        elif subject is Subject.TEACHER:
            data = self._record(where, "teacher", data, Teacher)
            self._rules(where, plan, ProvisionKind.TEACHER_RULE, expected.earns, "earns")
            self._rules(where, plan, ProvisionKind.TEACHER_RULE, expected.not_earns, "not_earns")
        elif subject is Subject.FIGURES:
            self._figures(where, plan, data, year)
            self._targets(where, plan, expected.status or {})
        elif subject is Subject.CANDIDATES:
            data = self._records(where, "candidates", data, Teacher)
            if data is not None:
                self._candidates(where, data, expected.selected)
        else:
            data = self._records(where, "awards", data, Award)
            share = self._share(where, plan, share)
        if len(self.problems) > before:
            return None
        return data, share

    def _plan(
        self,
        where: _Where,
        policy: Policy,
        subject: Subject,
        on: _dt.date | None,
        year: int | None,
        programme: str | None,
    ) -> Plan | None:
        if subject is Subject.CANDIDATES:
            assert programme is not None
            assert year is not None
            return self._quota_plan(where, policy, programme, year)
        day = on if on is not None else _dt.date(year or 1, 12, 31)
        try:
            return policy.plan_on(day, locale=self.locale)
        except OutOfPeriodError:
            self.at(
                where,
                "on" if on is not None else "year",
                day,
                _(
                    "no plan of region {region} is in force on this date; its plans: {plans}",
                    region=policy.region,
                    plans=", ".join(f"{plan.id} {plan.in_force}" for plan in policy.plans),
                ),
            )
            return None

    def _quota_plan(self, where: _Where, policy: Policy, programme: str, year: int) -> Plan | None:
        known: list[str] = []
        for plan in policy.plans:
            for quota in plan.teachers.quotas if plan.teachers is not None else ():
                known.append(quota.id)
                if quota.id == programme and quota.on(year) in plan.in_force:
                    return plan
        if programme in known:
            self.at(
                where,
                "year",
                year,
                _(
                    "no plan of region {region} in force in this year has a quota for {programme}",
                    region=policy.region,
                    programme=programme,
                ),
            )
        else:
            self.at(
                where,
                "programme",
                programme,
                _(
                    "region {region} has no quota for this programme; programmes with a "
                    "quota: {known}",
                    region=policy.region,
                    known=", ".join(sorted(set(known))) or "-",
                ),
            )
        return None

    def _record(self, where: _Where, key: str, data: object, type_: type[Any]) -> Any:
        try:
            return structure(data, type_, locale=self.locale)
        except InvalidDataError as exc:
            for problem in exc.problems:
                self.at(where, _reroot(key, problem), problem.value, problem.message)
            return None

    def _records(self, where: _Where, key: str, data: list[Any], type_: type[Any]) -> Any:
        found = [
            self._record(where, f"{key}[{index}]", item, type_) for index, item in enumerate(data)
        ]
        return None if any(record is None for record in found) else tuple(found)

    def _candidates(
        self, where: _Where, teachers: Sequence[Teacher], selected: Sequence[str] | None
    ) -> None:
        seen: set[str] = set()
        for index, teacher in enumerate(teachers):
            if teacher.id is None:
                self.at(
                    where,
                    f"candidates[{index}]",
                    MISSING,
                    _("a candidate needs an id: ties are broken by id"),
                )
            elif teacher.id in seen:
                self.at(
                    where, f"candidates[{index}].id", teacher.id, _("another candidate has this id")
                )
            else:
                seen.add(teacher.id)
        for index, teacher_id in enumerate(selected or ()):
            if teacher_id not in seen:
                self.at(where, f"selected[{index}]", teacher_id, _("no candidate has this id"))

    def _rules(
        self,
        where: _Where,
        plan: Plan,
        kind: ProvisionKind,
        ids: Sequence[str] | None,
        key: str,
    ) -> None:
        if ids is None:
            return
        if kind is ProvisionKind.AID_RULE:
            known = [rule.id for rule in plan.aid.rules]
        elif plan.teachers is None:
            self.at(
                where, key, list(ids), _("plan {plan} has no teacher-incentive rules", plan=plan.id)
            )
            return
        else:
            known = [rule.id for rule in plan.teachers.rules]
        for index, rule in enumerate(ids):
            if rule not in known:
                self.at(where, f"{key}[{index}]", rule, _unknown(plan, kind, rule, known))

    def _waivers(self, where: _Where, plan: Plan, waivers: Sequence[str] | None) -> None:
        fees = sorted({fee for rule in plan.aid.rules for fee in rule.benefit.waives})
        for index, fee in enumerate(waivers or ()):
            if fee not in fees:
                self.at(
                    where,
                    f"waivers[{index}]",
                    fee,
                    _(
                        "no rule of plan {plan} waives this fee; it waives: {fees}",
                        plan=plan.id,
                        fees=", ".join(fees) or "-",
                    ),
                )

    def _figures(self, where: _Where, plan: Plan, data: Any, year: int | None) -> None:
        if plan.goals is None:
            self.at(where, "figures", _NOTHING, _("plan {plan} has no targets", plan=plan.id))
            return
        try:
            structure_observations(data, plan.goals, year=year, locale=self.locale)
        except InvalidDataError as exc:
            keys = list(data) if isinstance(data, Mapping) else [item["indicator"] for item in data]
            for problem in exc.problems:
                self.at(where, _figure_path(problem.path, keys), problem.value, problem.message)

    def _targets(self, where: _Where, plan: Plan, status: Mapping[str, Status]) -> None:
        if plan.goals is None:
            return
        known = [target.id for target in plan.goals.targets]
        for target in status:
            if target not in known:
                self.at(
                    where,
                    f"status.{target}",
                    target,
                    _unknown(plan, ProvisionKind.TARGET, target, known),
                )

    def _share(self, where: _Where, plan: Plan, share: str | None) -> str | None:
        if plan.teachers is None:
            self.at(where, "awards", _NOTHING, _("plan {plan} has no shares", plan=plan.id))
            return None
        known = [item.id for item in plan.teachers.shares]
        if share is None:
            if len(known) == 1:
                return known[0]
            self.problem(
                where.line,
                where.name("share"),
                MISSING,
                _("choose a share: {shares}", shares=", ".join(known) or "-"),
            )
            return None
        if share not in known:
            self.at(where, "share", share, _unknown(plan, ProvisionKind.SHARE, share, known))
            return None
        return share


def _unknown(plan: Plan, kind: ProvisionKind, given: str, known: Sequence[str]) -> Message:
    """``plan P has no aid rule with this id``, with the closest id when one is close."""
    close = difflib.get_close_matches(given, known, n=1)
    if close:
        return _(
            "plan {plan} has no {kind} with this id; did you mean {suggestion}?",
            plan=plan.id,
            kind=kind.label,
            suggestion=close[0],
        )
    return _("plan {plan} has no {kind} with this id", plan=plan.id, kind=kind.label)


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


def _figure_path(path: str, keys: Sequence[str]) -> str:
    """A problem's path in the figures (``$.schools`` or ``$[2].value``) as a key of the case."""
    if path.startswith("$["):
        index = int(path[2 : path.index("]")])
        return f"figures.{keys[index]}" if index < len(keys) else "figures"
    return "figures" + path[1:]


def _csv_case(cells: Mapping[str, str]) -> dict[str, Any]:
    """A CSV row as the table of a TOML case, its values typed where they can be."""
    case: dict[str, Any] = {
        key: cells[key] for key in ("name", "region", "on", "error", "cash_total") if key in cells
    }
    student: dict[str, Any] = {}
    for column in _CSV_STUDENT:
        if column not in cells:
            continue
        cell = cells[column]
        value: Any = cell
        if column == "year" and cell.isascii() and cell.isdigit():
            value = int(cell)
        elif column in ("boarding", "orphan", "disabled") and cell in ("true", "false"):
            value = cell == "true"
        elif column == "household":
            value = _split(cell)
        student[column] = value
    case["student"] = student
    for column in _CSV_LISTS:
        if column in cells:
            case[column] = [] if cells[column] == "-" else _split(cells[column])
    return case


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]
