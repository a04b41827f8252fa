"""Teachers: the teacher record, its postings, and years of rural service on a date.

A :class:`Teacher` lists the postings of a career (:class:`Posting`: a school area, a
first day and a last day, or none while the posting lasts).  How long the teacher has
served in rural schools on a date is computed here, by :meth:`Teacher.rural_service`,
from two rules:

**Runs.**  Rural postings that follow one another form one *run* of rural service.  A
gap between two rural postings of at most ``max_gap_days`` days (a number the plan in
force states, such as one school holiday) does not break the run; a longer gap, or any
posting at an urban school, does.  The days of a short gap count as service: a run
lasts from the first day of its first posting to the last day of its last one.

**Years.**  Years are whole years completed, counted by anniversaries: a run that began
on 2004-09-01 reaches 15 years on 2019-09-01, not a day earlier.  (A run that began on
29 February completes its years on 28 February of a common year.)

* *Continuous* rural service on a date is the run that covers the date, counted from
  its first day to the date.  A teacher whose last rural run ended before the date, or
  who is at an urban school on the date, has no continuous rural service.
* *Total* rural service is every day of every run before the date (the last day of a
  posting counts in full).  Its years are the anniversaries those days would reach if
  served back to back up to the date, so that a single run gives the same count either
  way, and a posting from 1995-09-01 to 2015-08-31 counts as 20 years.  A plan may
  count the days of a gap toward the total only up to a shorter length
  (``total_gap_days``): the runs of the total are then split at a longer gap.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import TypeAlias

import attrs

from edupolicy.errors import FieldProblem, InvalidRecordError, field_check, field_type, record_id
from edupolicy.i18n import Message, _
from edupolicy.rules.result import slot_setters
from edupolicy.rules.writing import Written
from edupolicy.values import SchoolArea, Word

__all__ = [
    "Posting",
    "RuralService",
    "Teacher",
    "TeacherOn",
    "Title",
    "add_years",
    "completed_years",
]


class Title(Word):
    """A teacher's professional title (职称), lowest first."""

    #: No title yet.
    NONE = "none"
    #: 初级职称.
    JUNIOR = "junior"
    #: 中级职称.
    INTERMEDIATE = "intermediate"
    #: 高级职称.
    SENIOR = "senior"

    @property
    def label(self) -> Message:
        """The title's name, translatable."""
        return _TITLE_LABELS[self]

    @property
    def rank(self) -> int:
        """0 for no title, up to 3 for a senior title."""
        return list(Title).index(self)


_TITLE_LABELS: Mapping[Title, Message] = {
    Title.NONE: _("no title"),
    Title.JUNIOR: _("junior title"),
    Title.INTERMEDIATE: _("intermediate title"),
    Title.SENIOR: _("senior title"),
}


def add_years(day: _dt.date, years: int) -> _dt.date:
    """``day`` moved ``years`` years on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _years_on(day: _dt.date, years: int) -> _dt.date | None:
    """``add_years(day, years)``, or ``None`` when no date is that late."""
    if day.year + years > _dt.MAXYEAR:
        return None
    return add_years(day, years)


def completed_years(start: _dt.date, on: _dt.date) -> int:
    """Whole years from ``start`` to ``on``: the anniversaries reached, ``on`` included.

    >>> import datetime
    >>> completed_years(datetime.date(2004, 9, 1), datetime.date(2019, 9, 1))
    15
    >>> completed_years(datetime.date(2004, 9, 1), datetime.date(2019, 8, 31))
    14
    """
    if on < start:
        return 0
    years = on.year - start.year
    # Before the day and month of ``start`` this year, the anniversary may not be reached
    # (29 February's is reached on the 28th in a common year).
    if (on.month < start.month or (on.month == start.month and on.day < start.day)) and (
        add_years(start, years) > on
    ):
        years -= 1
    return years


_IS_FLAG = field_check(
    lambda _self, v: isinstance(v, bool), lambda *_args: _("must be true or false")
)


def _is_day(value: object) -> bool:
    """Whether ``value`` is a day: a ``date``, not a ``datetime`` with its time of day."""
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)


@attrs.frozen(kw_only=True)
class Posting:
    """One posting of a teacher: at a school in ``school_area``, from ``start`` to ``end``.

    Both days are included.  ``end`` is ``None`` while the posting lasts.  A posting
    may start on the day the one before it ends (the day of a transfer).
    """

    school_area: SchoolArea = attrs.field(
        validator=field_type(lambda v: isinstance(v, SchoolArea), "SchoolArea")
    )
    start: _dt.date = attrs.field(validator=field_type(_is_day, "datetime.date"))
    end: _dt.date | None = attrs.field(
        default=None,
        validator=[
            field_type(lambda v: v is None or _is_day(v), "datetime.date or None"),
            field_check(
                lambda self, end: end is None or end >= self.start,
                lambda self, _end: _(
                    "the posting ends before it starts ({start})", start=self.start.isoformat()
                ),
            ),
        ],
    )

    def covers(self, day: _dt.date) -> bool:
        """Whether the teacher is in this posting on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)

    def describe(self) -> str:
        """``2004-09-01–2012-07-31``: the days, in ISO form as the record gives them."""
        end = self.end.isoformat() if self.end is not None else "…"
        return f"{self.start.isoformat()}–{end}"


@attrs.frozen(kw_only=True)
class RuralService(Written):
    """A teacher's rural service on a date, as :meth:`Teacher.rural_service` computes it."""

    #: The date the service is counted to.
    on: _dt.date
    #: Where the teacher teaches on the date: the area of the posting that covers it
    #: (``rural`` also within a short gap of a rural run), or ``None`` when no posting does.
    current_area: SchoolArea | None
    #: The first day of the rural run that covers the date, if one does.
    continuous_since: _dt.date | None
    #: Whole years of continuous rural service on the date.
    continuous_years: int
    #: Days of rural service in all before the date (the last day of a posting counts;
    #: the date itself does not, so that a year is complete on its anniversary).
    total_days: int
    #: Whole years of rural service in all.
    total_years: int

    @property
    def in_rural_run(self) -> bool:
        """Whether the teacher is in a run of rural service on the date."""
        return self.continuous_since is not None

    def continuous_reached_on(self, years: int) -> _dt.date | None:
        """The day continuous service reaches ``years``, if the teacher stays in the run.

        ``None`` when the teacher is not in a rural run on the date, or when that day
        would come after 9999-12-31, the last day a date can have.
        """
        if self.continuous_since is None:
            return None
        return _years_on(self.continuous_since, years)

    def total_reached_on(self, years: int) -> _dt.date | None:
        """The day total rural service reaches ``years``, if the teacher stays in rural service.

        ``None`` when the teacher is not in a rural run on the date (the total then
        grows only with a posting the record does not yet hold), or when that day would
        come after 9999-12-31.
        """
        if self.continuous_since is None:
            return None
        return _years_on(self.on - _dt.timedelta(days=self.total_days), years)


def _no_overlaps(_instance: object, _attribute: object, service: tuple[Posting, ...]) -> None:
    """Validator of :attr:`Teacher.service`: every overlap, named by the later posting."""
    overlapping = overlap_problems(list(enumerate(service)))
    if overlapping:
        raise InvalidRecordError(
            _("Invalid teacher record"),
            [
                FieldProblem(f"$.service[{index}]", service[index].describe(), message)
                for index, message in overlapping
            ],
        )


@attrs.frozen(kw_only=True)
class Teacher(Written):
    """A teacher as a host system describes one.

    Read one from JSON with :func:`edupolicy.structure`, which checks every field,
    every posting's dates, and that no two postings overlap.
    """

    #: The teacher's postings, in any order; no two may overlap.
    service: tuple[Posting, ...] = attrs.field(
        validator=[
            field_type(
                lambda v: isinstance(v, tuple) and all(isinstance(p, Posting) for p in v),
                "tuple of Posting",
            ),
            _no_overlaps,
        ]
    )
    title: Title = attrs.field(validator=field_type(lambda v: isinstance(v, Title), "Title"))
    #: The teacher meets the conditions for title evaluation (符合评聘条件).
    meets_title_criteria: bool = attrs.field(default=False, validator=_IS_FLAG)
    #: The teacher's work is rated outstanding (业绩突出, 优秀教师).
    outstanding: bool = attrs.field(default=False, validator=_IS_FLAG)
    id: str | None = attrs.field(
        metadata={"json": {"read": "id"}}, default=None, validator=record_id()
    )

    def posting_on(self, day: _dt.date) -> Posting | None:
        """The posting the teacher is in on ``day``, if any (on a day of transfer, the new one)."""
        covering = [posting for posting in self.service if posting.covers(day)]
        return max(covering, key=_order) if covering else None

    def rural_service(
        self, on: _dt.date, *, max_gap_days: int, total_gap_days: int | None = None
    ) -> RuralService:
        """The teacher's rural service on ``on`` (see the module's documentation).

        ``max_gap_days`` is the longest gap between two rural postings that does not
        break a run; the plan in force states it.  ``total_gap_days``, where given, is
        the longest gap whose days count toward the total instead (the runs of the total
        are then split at a longer gap).
        """
        spans = [(p.start, p.end, p.school_area) for p in self.service]
        return rural_service_of(spans, on, max_gap_days=max_gap_days, total_gap_days=total_gap_days)


#: A posting as rural service is worked out from it: its first day, its last day
#: (``None`` while it lasts) and the area of its school.
Span: TypeAlias = tuple[_dt.date, "_dt.date | None", SchoolArea]


def _span_order(span: Span) -> tuple[_dt.date, _dt.date]:
    """The order of :func:`_order`, of a span."""
    return span[0], span[1] or _dt.date.max


def rural_service_of(
    spans: Sequence[Span],
    on: _dt.date,
    *,
    max_gap_days: int,
    total_gap_days: int | None = None,
) -> RuralService:
    """The rural service on ``on`` of a teacher whose postings are ``spans`` (in any order,
    not overlapping): :meth:`Teacher.rural_service`, worked out in one pass over them
    (two when ``total_gap_days`` differs from ``max_gap_days``)."""
    return ServiceCount(on, max_gap_days=max_gap_days, total_gap_days=total_gap_days).service(spans)


#: How many first days :class:`ServiceCount` keeps the years of, at most.
_YEARS_KEPT = 1 << 15

#: What :meth:`ServiceCount.numbers` gives: the area taught in on the day, the first day
#: of the rural run that covers it, the whole years of that run, the days of rural
#: service in all, and their whole years.
ServiceNumbers: TypeAlias = tuple["SchoolArea | None", "_dt.date | None", int, int, int]


class ServiceCount:
    """Rural service on one day under one continuity rule, worked out for teacher after
    teacher: what the day and the rule give (the day's ordinal, the gaps, the years
    completed by the day since each first day met) is worked out once for them all.

    Safe to share between threads: what it keeps is a cache of equal answers.
    """

    __slots__ = ("_day", "_gap", "_total_gap", "_years", "on")

    def __init__(self, on: _dt.date, *, max_gap_days: int, total_gap_days: int | None) -> None:
        self.on = on
        self._day = on.toordinal()
        # A run goes on across a gap of up to ``max_gap_days`` days: the next posting
        # starts at most that many days plus one after the last day of the run.
        self._gap = max_gap_days + 1
        self._total_gap = (
            None if total_gap_days is None or total_gap_days == max_gap_days else total_gap_days + 1
        )
        # Whole years from a day (its ordinal) to ``on``, for the first days of a
        # roster's runs: the days of a few decades at most (``_YEARS_KEPT``).
        self._years: dict[int, int] = {}

    def years_since(self, first: int) -> int:
        """Whole years from the day of ordinal ``first`` to the day counted on."""
        years = self._years.get(first)
        if years is None:
            years = completed_years(_dt.date.fromordinal(first), self.on)
            if len(self._years) < _YEARS_KEPT:
                self._years[first] = years
        return years

    def numbers(self, spans: Sequence[Span]) -> ServiceNumbers:
        """The figures of :class:`RuralService` for ``spans`` (in any order, not
        overlapping), without making one: in one pass over them (two when the total is
        counted with a gap of its own)."""
        if len(spans) > 1 and not _in_order(spans):
            spans = sorted(spans, key=_span_order)
        day = self._day
        area, current, total_days = _runs(spans, self.on, day, self._gap)
        if self._total_gap is not None:
            _area, _current, total_days = _runs(spans, self.on, day, self._total_gap)
        years = self._years
        total_years = years.get(day - total_days)
        if total_years is None:
            total_years = self.years_since(day - total_days)
        if current is None:
            return area, None, 0, total_days, total_years
        continuous_years = years.get(current.toordinal())
        if continuous_years is None:
            continuous_years = self.years_since(current.toordinal())
        if area is None:
            area = SchoolArea.RURAL
        return area, current, continuous_years, total_days, total_years

    def service(self, spans: Sequence[Span]) -> RuralService:
        """The :class:`RuralService` of ``spans`` (in any order, not overlapping)."""
        return self.of(self.numbers(spans))

    def of(self, numbers: ServiceNumbers) -> RuralService:
        """The :class:`RuralService` of what :meth:`numbers` gave (made without its
        ``__init__``: its fields have no checks to run)."""
        service: RuralService = _new(RuralService)
        set_on, set_area, set_since, set_continuous, set_days, set_total = _SERVICE
        set_on(service, self.on)
        set_area(service, numbers[0])
        set_since(service, numbers[1])
        set_continuous(service, numbers[2])
        set_days(service, numbers[3])
        set_total(service, numbers[4])
        return service


def _runs(
    spans: Sequence[Span], on: _dt.date, day: int, gap: int
) -> tuple[SchoolArea | None, _dt.date | None, int]:
    """Of ``spans`` (in order): the area of the posting on ``on`` (of ordinal ``day``; on
    a day of transfer, the new one's), the first day of the rural run that covers it, if
    one does, and the days of rural service before it: a run's last day counts in full,
    ``on`` itself does not, so that a year is complete on its anniversary.  A run goes on
    while the next rural posting starts at most ``gap`` days after its last day."""
    rural = SchoolArea.RURAL
    area: SchoolArea | None = None
    area_span: Span | None = None
    current: _dt.date | None = None
    total_days = 0
    run_first: _dt.date | None = None
    run_start = 0
    run_end: int | None = None
    for span in (*spans, None):
        if span is not None:
            start, end, where = span
            # Of two postings alike in order, the first, as ``max`` chooses.
            if (
                start <= on
                and (end is None or on <= end)
                and (area_span is None or start != area_span[0] or end != area_span[1])
            ):
                area, area_span = where, span
            if (
                where is rural
                and run_first is not None
                and run_end is not None
                and start.toordinal() - run_end <= gap
            ):
                run_end = None if end is None else end.toordinal()
                continue
        if run_first is not None:
            # The run ends here: count it.
            if run_start <= day:
                if current is None and (run_end is None or day <= run_end):
                    current = run_first
                if run_start < day:
                    last = day if run_end is None else min(run_end + 1, day)
                    total_days += last - run_start
            run_first = None
        if span is not None and span[2] is rural:
            run_first = span[0]
            run_start = run_first.toordinal()
            end = span[1]
            run_end = None if end is None else end.toordinal()
    return area, current, total_days


def _in_order(spans: Sequence[Span]) -> bool:
    """Whether ``spans`` are in :func:`_span_order` already: each starts after the one
    before (postings that do not overlap and start on different days)."""
    previous = spans[0][0]
    for start, _end, _area in spans[1:]:
        if start <= previous:
            return False
        previous = start
    return True


_new = object.__new__
_SERVICE = slot_setters(
    RuralService,
    "on",
    "current_area",
    "continuous_since",
    "continuous_years",
    "total_days",
    "total_years",
)


def any_overlap(spans: Sequence[Span]) -> bool:
    """Whether two of ``spans`` overlap (:func:`overlaps`)."""
    return any(
        _spans_overlap(first, second)
        for later, second in enumerate(spans)
        for first in spans[:later]
    )


def overlap_problems(postings: Sequence[tuple[int, Posting]]) -> list[tuple[int, Message]]:
    """For each pair of overlapping postings: the later one's index, and a message naming the other.

    ``postings`` pairs each posting with its index in the record.
    """
    found: list[tuple[int, Message]] = []
    for later, (index, posting) in enumerate(postings):
        for other_index, other in postings[:later]:
            if overlaps(other, posting):
                found.append(
                    (
                        index,
                        _(
                            "overlaps the posting at [{other}] ({days})",
                            other=other_index,
                            days=other.describe(),
                        ),
                    )
                )
    return found


def overlaps(first: Posting, second: Posting) -> bool:
    """Whether two postings share a day other than a day of transfer.

    A posting may start on the day the other ends; any longer shared time is an overlap.
    """
    return _spans_overlap(
        (first.start, first.end, first.school_area), (second.start, second.end, second.school_area)
    )


def _spans_overlap(first: Span, second: Span) -> bool:
    """:func:`overlaps`, of two spans."""
    first_start, first_end, _area = first
    second_start, second_end, _area = second
    latest_start = max(first_start, second_start)
    if first_end is None:
        earliest_end = second_end
    elif second_end is None:
        earliest_end = first_end
    else:
        earliest_end = min(first_end, second_end)
    if earliest_end is None or latest_start < earliest_end:
        return True
    if latest_start > earliest_end:
        return False
    # One shared day: a transfer when one posting ends on it and the other starts on it.
    day = latest_start
    return not (
        (first_end == day and second_start == day) or (second_end == day and first_start == day)
    )


def _order(posting: Posting) -> tuple[_dt.date, _dt.date]:
    """The order of postings whatever order a record lists them in: by start, then end."""
    return posting.start, posting.end or _dt.date.max


@attrs.frozen(kw_only=True)
class TeacherOn:
    """The subject of incentive rules: a teacher, and their rural service on a date."""

    teacher: Teacher
    service: RuralService
