"""Reading a teacher record quickly: a plainly valid JSON-shaped record read straight
into what it states (:func:`read_spans`), without the converter, and the
:class:`~edupolicy.teachers.service.Teacher` of what was read made without checking
again what was checked (:func:`teacher_from`).

Anything not plainly valid is left to the strict converter, which says what is wrong:
both read a valid record alike (a property of the tests holds them to it).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from edupolicy.rules.result import slot_setters
from edupolicy.teachers.service import (
    Posting,
    Span,
    Teacher,
    Title,
    any_overlap,
)
from edupolicy.values import SchoolArea, parse_date

__all__ = [
    "ReadTeacher",
    "checked_posting",
    "checked_teacher",
    "read_of",
    "read_spans",
    "read_teacher",
    "teacher_from",
]


_new = object.__new__
_POSTING = slot_setters(Posting, "school_area", "start", "end")
_TEACHER = slot_setters(Teacher, "service", "title", "meets_title_criteria", "outstanding", "id")


_TITLES: Mapping[str, Title] = {member.value: member for member in Title}
_AREAS: Mapping[str, SchoolArea] = {member.value: member for member in SchoolArea}
_TEACHER_FIELDS = frozenset({"service", "title", "meets_title_criteria", "outstanding", "id"})


#: What :func:`read_spans` reads of a plainly valid record: title, the two flags, id,
#: and the postings, in the record's order.
ReadTeacher: TypeAlias = tuple[Title, bool, bool, "str | None", list[Span]]


def read_spans(data: object) -> ReadTeacher | None:
    """What a plainly valid JSON-shaped teacher record states, read quickly; else ``None``.

    A ``dict`` whose fields are exactly what the strict converter accepts (known names,
    words of the vocabulary, ``YYYY-MM-DD`` days, ``bool`` flags, an id that is absent,
    ``None`` or not blank, postings that do not overlap) is read without it; anything
    else is ``None``, and the converter reads it and says what is wrong.
    """
    if type(data) is not dict or not _TEACHER_FIELDS.issuperset(data):
        return None
    days = _DAYS
    spans: list[Span] = []
    try:
        title = _TITLES[data["title"]]
        raw_service = data["service"]
        if type(raw_service) not in (list, tuple):
            return None
        for raw in raw_service:
            if type(raw) is not dict:
                return None
            # Its members are ``school_area`` and ``start`` (asked for below), and
            # ``end`` when there are three.
            size = len(raw)
            if size == 3:
                text = raw["end"]
                end = None if text is None else days.get(text) or _read_day(text)
            elif size == 2:
                end = None
            else:
                return None
            text = raw["start"]
            start = days.get(text) or _read_day(text)
            if end is not None and end < start:
                return None
            spans.append((start, end, _AREAS[raw["school_area"]]))
    except (KeyError, TypeError, ValueError):
        return None
    meets = data.get("meets_title_criteria", False)
    outstanding = data.get("outstanding", False)
    teacher_id = data.get("id")
    if (
        type(meets) is not bool
        or type(outstanding) is not bool
        or (teacher_id is not None and (type(teacher_id) is not str or not teacher_id.strip()))
        or (len(spans) > 1 and not _apart(spans) and any_overlap(spans))
    ):
        return None
    return title, meets, outstanding, teacher_id, spans


def _apart(spans: Sequence[Span]) -> bool:
    """Whether ``spans`` plainly do not overlap: each starts after the one before starts,
    on or after the day it ends (a day of transfer).  Spans that are not so may still
    not overlap (:func:`~edupolicy.teachers.service.any_overlap` says)."""
    previous_start, previous_end, _area = spans[0]
    for start, end, _area in spans[1:]:
        if previous_end is None or start <= previous_start or start < previous_end:
            return False
        previous_start, previous_end = start, end
    return True


def read_of(teacher: Teacher | ReadTeacher) -> ReadTeacher:
    """``teacher`` as :func:`read_spans` reads a record: what it read, as it is; of a
    :class:`Teacher`, its fields and postings."""
    if not isinstance(teacher, Teacher):
        return teacher
    return (
        teacher.title,
        teacher.meets_title_criteria,
        teacher.outstanding,
        teacher.id,
        [(p.start, p.end, p.school_area) for p in teacher.service],
    )


def read_teacher(data: object) -> Teacher | None:
    """The teacher a plainly valid JSON-shaped record states, read quickly; else ``None``.

    See :func:`read_spans`.  The record is checked there, as strictly as the converter
    checks it, so the :class:`Teacher` and its postings are made without checking again.
    """
    read = read_spans(data)
    return None if read is None else teacher_from(read)


def teacher_from(read: ReadTeacher) -> Teacher:
    """The :class:`Teacher` of what :func:`read_spans` read of a record."""
    title, meets, outstanding, teacher_id, spans = read
    return checked_teacher(
        service=tuple([checked_posting(area, start, end) for start, end, area in spans]),
        title=title,
        meets_title_criteria=meets,
        outstanding=outstanding,
        teacher_id=teacher_id,
    )


def checked_posting(area: SchoolArea, start: _dt.date, end: _dt.date | None) -> Posting:
    """The :class:`Posting` of values already checked (as :func:`read_spans` checks them),
    made without running its validators again."""
    posting: Posting = _new(Posting)
    set_area, set_start, set_end = _POSTING
    set_area(posting, area)
    set_start(posting, start)
    set_end(posting, end)
    return posting


def checked_teacher(
    *,
    service: tuple[Posting, ...],
    title: Title,
    meets_title_criteria: bool,
    outstanding: bool,
    teacher_id: str | None,
) -> Teacher:
    """The :class:`Teacher` of values already checked (as :func:`read_spans` checks them),
    made without running its validators again."""
    teacher: Teacher = _new(Teacher)
    set_service, set_title, set_meets, set_outstanding, set_id = _TEACHER
    set_service(teacher, service)
    set_title(teacher, title)
    set_meets(teacher, meets_title_criteria)
    set_outstanding(teacher, outstanding)
    set_id(teacher, teacher_id)
    return teacher


#: The days of a roster's postings, each read once: the days of a few decades, a few
#: megabytes at most.
_DAYS: dict[str, _dt.date] = {}
_DAYS_KEPT = 1 << 15


def _read_day(text: object) -> _dt.date:
    if type(text) is not str:
        raise ValueError
    day = _DAYS.get(text)
    if day is None:
        day = parse_date(text)
        if day is None:
            raise ValueError
        if len(_DAYS) < _DAYS_KEPT:
            _DAYS[text] = day
    return day
