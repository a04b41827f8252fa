"""The arguments of a policy's questions, checked at the boundary: dates, years, flags,
ids, readings, lists of records and rosters.  Nothing is coerced: a value of the wrong
kind is refused with an error that names the argument."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from edupolicy._lazy import lazy_module
from edupolicy.errors import (
    EdupolicyError,
    FieldProblem,
    InvalidDataError,
    InvalidRecordError,
    Rejected,
    key_text,
    nearest,
    show_value,
)
from edupolicy.goals import Observation, Unit
from edupolicy.i18n import Message, _
from edupolicy.io import structure
from edupolicy.plans import Plan
from edupolicy.teachers import Share, Teacher, TeacherSchedule
from edupolicy.values import parse_date

# The fast reader of teacher records is imported when a teacher is first read: loading a
# plan does not need it.
if TYPE_CHECKING:
    from edupolicy.teachers import reading as teacher_reading
    from edupolicy.teachers.reading import ReadTeacher
else:
    teacher_reading = lazy_module("edupolicy.teachers.reading")

__all__ = [
    "as_date",
    "as_year",
    "check_flag",
    "check_readings",
    "check_text",
    "each",
    "not_a_reading",
    "observation_json",
    "read_all",
    "reading_written",
    "share_of",
    "teacher_record",
]

R = TypeVar("R")


def reading_written(text: str) -> tuple[str, str] | None:
    """A reading chosen as text, ``ID=CHOICE`` (``--reading``, ``?reading=``): the
    reading's id and its choice, without the spaces around them; ``None`` when ``text``
    is not written so (no ``=``, or nothing on a side of it).  Whether the plans offer
    that reading and choice is :func:`check_readings`'."""
    reading, sep, choice = text.partition("=")
    reading, choice = reading.strip(), choice.strip()
    if not sep or not reading or not choice:
        return None
    return reading, choice


def not_a_reading(text: str) -> Message:
    """What is wrong with ``text``, a reading not written ``ID=CHOICE``."""
    return _("not a reading written ID=CHOICE: {value}", value=show_value(text))


def each(
    records: Iterable[Any], evaluate: Callable[[Any], R], locale: str | None
) -> Iterator[R | Rejected]:
    """``evaluate`` of each record, or what it rejected, lazily."""
    rows: object = records
    if not isinstance(rows, Iterable) or isinstance(rows, (str, bytes, bytearray, Mapping)):
        raise InvalidRecordError(
            _("Invalid roster"),
            [FieldProblem("$", rows, _("must be a list of records"))],
            locale=locale,
        )
    return _evaluated(records, evaluate)


def _evaluated(records: Iterable[Any], evaluate: Callable[[Any], R]) -> Iterator[R | Rejected]:
    for row, record in enumerate(records):
        try:
            yield evaluate(record)
        except EdupolicyError as exc:
            yield Rejected(row=row, record=record, error=exc)


def check_readings(plans: Sequence[Plan], readings: object, locale: str | None) -> dict[str, str]:
    """``readings`` checked against the readings ``plans`` offer: all problems at once."""
    heading = _("Invalid readings")
    if not isinstance(readings, Mapping):
        raise InvalidDataError(
            heading,
            [FieldProblem("readings", readings, _("must map reading ids to choice ids"))],
            locale=locale,
        )
    offered: dict[str, tuple[str, ...]] = {}
    for plan in plans:
        for reading in plan.readings:
            offered.setdefault(reading.id, ())
            offered[reading.id] += tuple(
                c for c in reading.choice_ids if c not in offered[reading.id]
            )
    found: list[FieldProblem] = []
    chosen: dict[str, str] = {}
    for key, value in readings.items():
        name: object = key
        if not isinstance(name, str):
            found.append(FieldProblem("readings", name, _("a reading id must be a string")))
            continue
        path = f"readings.{key_text(key)}"
        choices = offered.get(key)
        if choices is None:
            close = nearest(key, offered)
            found.append(
                FieldProblem(
                    path,
                    key,
                    _(
                        "no plan of the region offers this reading; readings: {known}",
                        known=", ".join(offered) or "-",
                    )
                    if close is None
                    else _(
                        "no plan of the region offers this reading; did you mean {name}? "
                        "Readings: {known}",
                        name=close,
                        known=", ".join(offered),
                    ),
                )
            )
        elif not isinstance(value, str) or value not in choices:
            found.append(
                FieldProblem(
                    path, value, _("no such choice; choices: {choices}", choices=", ".join(choices))
                )
            )
        else:
            chosen[key] = value
    if found:
        raise InvalidDataError(heading, found, locale=locale)
    return chosen


def observation_json(obs: object) -> object:
    """An observation object as its JSON, to be read as strictly as JSON is.

    A field of the wrong type (an object is not checked when it is made) is left as it
    is, for the reader to report by its path.
    """
    if not isinstance(obs, Observation):
        return obs
    value: object = obs.value
    on: object = obs.on
    unit: object = obs.unit
    data: dict[str, object] = {
        "indicator": obs.indicator,
        "value": str(value) if isinstance(value, Decimal) else value,
    }
    if obs.year is not None:
        data["year"] = obs.year
    if on is not None:
        data["on"] = on.isoformat() if type(on) is _dt.date else on
    if unit is not None:
        data["unit"] = unit.value if isinstance(unit, Unit) else unit
    return data


def as_year(year: object, locale: str | None) -> int:
    """``year`` if it is a whole number of a year a calendar date can have (1 to 9999)."""
    if isinstance(year, int) and not isinstance(year, bool) and 1 <= year <= 9999:
        return year
    message = (
        _("must be a year from 1 to 9999")
        if isinstance(year, int) and not isinstance(year, bool)
        else _("must be a whole number")
    )
    raise InvalidRecordError(
        _("Invalid argument"), [FieldProblem("year", year, message)], locale=locale
    )


def as_date(on: object, locale: str | None) -> _dt.date:
    if type(on) is _dt.date:
        return on
    if isinstance(on, _dt.datetime) or not isinstance(on, _dt.date):
        parsed = _parse_date(on) if isinstance(on, str) else None
        if parsed is None:
            raise InvalidRecordError(
                _("Invalid argument"),
                [FieldProblem("on", on, _("must be a date (YYYY-MM-DD)"))],
                locale=locale,
            )
        return parsed
    return on


#: A roster is usually evaluated on one date, given as text: read it once.
_parse_date = functools.lru_cache(maxsize=64)(parse_date)


def teacher_record(data: object, locale: str | None) -> Teacher:
    """The teacher ``data`` states: a :class:`Teacher` as it is; a plainly valid record
    read quickly (:func:`~edupolicy.teachers.service.read_teacher`); anything else read
    by the strict converter, which names every bad field."""
    if isinstance(data, Teacher):
        return data
    found: Teacher = teacher_reading.read_teacher(data) or structure(data, Teacher, locale=locale)
    return found


def read_candidates(
    items: Sequence[object], heading: Message, locale: str | None
) -> list[Teacher | ReadTeacher]:
    """Teachers as :func:`read_all` reads them, but each plainly valid record read only
    into what it states (:func:`~edupolicy.teachers.service.read_spans`), its
    :class:`Teacher` made when it is needed.  When any record is not plainly valid,
    every one is read by :func:`read_all`, which names each bad field."""
    if type(items) in (list, tuple):
        found: list[Teacher | ReadTeacher] = []
        for item in items:
            read = item if isinstance(item, Teacher) else teacher_reading.read_spans(item)
            if read is None:
                break
            found.append(read)
        else:
            return found
    teachers: list[Teacher | ReadTeacher] = read_all(items, Teacher, heading, locale)
    return teachers


def read_all(
    items: Sequence[object], type_: type[Any], heading: Message, locale: str | None
) -> list[Any]:
    given: object = items
    if not isinstance(given, Iterable) or isinstance(given, (str, bytes, bytearray, Mapping)):
        raise InvalidRecordError(
            heading, [FieldProblem("$", given, _("must be a list"))], locale=locale
        )
    records: list[Any] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(given):
        if isinstance(item, type_):
            records.append(item)
            continue
        try:
            if type_ is Teacher:
                records.append(teacher_record(item, locale))
            else:
                records.append(structure(item, type_, locale=locale))
        except InvalidDataError as exc:
            problems.extend(
                FieldProblem(f"$[{index}]{p.path[1:]}", p.value, p.message) for p in exc.problems
            )
    if problems:
        raise InvalidRecordError(heading, problems, locale=locale)
    return records


def check_text(argument: str, value: object, locale: str | None, *, optional: bool) -> None:
    """Refuse an id argument that is not a string (or ``None``, when ``optional``)."""
    if isinstance(value, str) or (optional and value is None):
        return
    raise InvalidRecordError(
        _("Invalid argument"),
        [FieldProblem(argument, value, _("must be a string"))],
        locale=locale,
    )


def check_flag(argument: str, value: object, locale: str | None) -> None:
    """Refuse a flag argument that is not ``True`` or ``False``: nothing is coerced."""
    if not isinstance(value, bool):
        raise InvalidRecordError(
            _("Invalid argument"),
            [FieldProblem(argument, value, _("must be true or false"))],
            locale=locale,
        )


def share_of(schedule: TeacherSchedule, share: str | None, *, locale: str | None) -> Share:
    """The share ``share`` of ``schedule``, or its only share when ``share`` is ``None``."""
    check_text("share", share, locale, optional=True)
    if share is not None:
        try:
            return schedule.share(share)
        except KeyError:
            pass
    elif len(schedule.shares) == 1:
        return schedule.shares[0]
    raise EdupolicyError(
        _(
            "Choose a share: {shares}",
            shares=", ".join(s.id for s in schedule.shares) or "-",
        )
        if share is None
        else _(
            "No share {share}; the plan's shares: {shares}",
            share=share,
            shares=", ".join(s.id for s in schedule.shares) or "-",
        ),
        locale=locale,
    )
