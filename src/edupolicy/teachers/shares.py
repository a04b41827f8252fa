"""Shares: checking award lists against the part that must go to rural schools.

A **share** (:class:`~edupolicy.teachers.Share`) asks that at least a percentage of an
award list go to rural schools or rural teachers: :func:`check_list` checks a list, and
:func:`requirement_for` says how many of a number of awards must be rural.  A share
counted by kind (:attr:`~edupolicy.teachers.Counting.BY_KIND`) asks it of the
collectives (awarded schools) and of the individuals (awarded teachers) each.

Every function here is pure: the date is always passed in, never read from the clock.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import attrs

from edupolicy.decimals import exact
from edupolicy.errors import (
    FieldProblem,
    ImpossibleShareError,
    InvalidRecordError,
    field_type,
    record_id,
)
from edupolicy.i18n import Count, Message, Percent, _, _n
from edupolicy.rules.writing import Written
from edupolicy.teachers.incentives import Counting, Share
from edupolicy.teachers.service import Teacher
from edupolicy.values import MAX_INT, SchoolArea

__all__ = [
    "Award",
    "AwardCheck",
    "AwardKind",
    "KindCount",
    "ShareCheck",
    "ShareRequirement",
    "check_list",
    "requirement_for",
]


class AwardKind(enum.Enum):
    """The kind of an award entry: an advanced collective or an advanced individual."""

    #: 先进集体: an awarded school, an entry that names only its ``school_area``.
    COLLECTIVE = "collective"
    #: 先进个人: an awarded teacher, an entry that names a ``teacher``.
    INDIVIDUAL = "individual"

    @property
    def label(self) -> Message:
        """The kind in words, translatable."""
        return _AWARD_KIND_LABELS[self]


_AWARD_KIND_LABELS: Mapping[AwardKind, Message] = {
    AwardKind.COLLECTIVE: _("advanced collective"),
    AwardKind.INDIVIDUAL: _("advanced individual"),
}


@attrs.frozen(kw_only=True)
class Award:
    """One entry of an award list: an awarded school, a teacher, or both.

    The entry counts as rural when the awarded school is rural, or when the teacher's
    posting on the date of the award is at a rural school.  An entry with a teacher is
    an individual award; one with only a school is a collective award (:attr:`kind`).
    """

    id: str | None = attrs.field(
        metadata={"json": {"read": "id"}}, default=None, validator=record_id()
    )
    #: The area of the awarded school (a collective award, or the teacher's school).
    school_area: SchoolArea | None = attrs.field(
        default=None,
        validator=field_type(
            lambda v: v is None or isinstance(v, SchoolArea), "SchoolArea or None"
        ),
    )
    #: The awarded teacher's record.
    teacher: Teacher | None = attrs.field(
        default=None,
        validator=field_type(lambda v: v is None or isinstance(v, Teacher), "Teacher or None"),
    )

    def __attrs_post_init__(self) -> None:
        if self.school_area is None and self.teacher is None:
            raise InvalidRecordError(
                _("Invalid award entry"),
                [
                    FieldProblem(
                        "$",
                        {"id": self.id, "school_area": None, "teacher": None},
                        _(
                            "an award entry names the school_area of the awarded school, "
                            "a teacher, or both"
                        ),
                    )
                ],
            )

    @property
    def kind(self) -> AwardKind:
        """An individual award when the entry names a teacher, else a collective one."""
        return AwardKind.COLLECTIVE if self.teacher is None else AwardKind.INDIVIDUAL

    def rural_on(self, on: _dt.date) -> tuple[bool, Message]:
        """Whether the entry is rural on ``on``, and why."""
        if self.school_area is SchoolArea.RURAL:
            return True, _("the awarded school is rural")
        posting = self.teacher.posting_on(on) if self.teacher is not None else None
        if posting is not None and posting.school_area is SchoolArea.RURAL:
            return True, _("the teacher's posting on {on} is at a rural school", on=on)
        if self.teacher is None:
            return False, _("the awarded school is urban")
        if self.school_area is None:
            if posting is None:
                return False, _("the teacher has no posting on {on}", on=on)
            return False, _("the teacher's posting on {on} is at an urban school", on=on)
        return False, _("neither the school nor the teacher's posting on {on} is rural", on=on)


@attrs.frozen(kw_only=True)
class AwardCheck(Written):
    """One entry of a checked award list, and whether it counts as rural."""

    award: Award
    #: The entry's label: its id, or its position in the list.
    label: str
    rural: bool
    reason: Message


@exact
def _rural_to_add(share: Share, rural: int, size: int) -> int | None:
    """How many rural entries to add to ``size`` entries of which ``rural`` are rural, to
    meet ``share`` (0 when they meet it); ``None`` when adding cannot help."""
    if share.meets(rural, size):
        return 0
    if share.min_percent >= 100:
        return None
    needed = (share.min_percent * size - 100 * rural) / (100 - share.min_percent)
    return math.ceil(needed)


@exact
def _percent(rural: int, size: int, share: Share) -> Decimal:
    """``rural`` of ``size`` in percent, to one decimal, rounded (0.0 when empty).

    Rounded half up (2 of 7 is 28.6%), except where that would show a list as
    reaching a share it falls short of: 29.96% of a 30% share is shown as 29.9%.
    """
    if size == 0:
        return Decimal("0.0")
    value = Decimal(rural) * 100 / size
    shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if shown >= share.min_percent > value:
        return value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return shown


@attrs.frozen(kw_only=True)
class KindCount(Written):
    """The entries of one kind of an award list, counted against a share on their own.

    A share counted by kind (:attr:`Counting.BY_KIND`) asks its percentage of the
    collectives and of the individuals each; an empty kind meets it.
    """

    kind: AwardKind
    share: Share
    #: How many entries of this kind the list has.
    size: int
    #: How many of them are rural.
    rural: int

    @property
    def required(self) -> int:
        """How many rural entries of this kind the share needs."""
        return self.share.required(self.size)

    @property
    def meets(self) -> bool:
        """Whether the entries of this kind meet the share."""
        return self.share.meets(self.rural, self.size)

    @property
    def short_by(self) -> int:
        """How many urban entries of this kind rural ones would have to replace."""
        return max(0, self.required - self.rural)

    @property
    def rural_to_add(self) -> int | None:
        """How many rural entries of this kind to add instead; ``None`` if adding cannot help."""
        return _rural_to_add(self.share, self.rural, self.size)

    @property
    def percent(self) -> Decimal:
        """The rural share of this kind, in percent, to one decimal, rounded (never up to
        the share it falls short of)."""
        return _percent(self.rural, self.size, self.share)

    @property
    def summary(self) -> Message:
        """This kind's figures in words."""
        return _(
            "{kind}: {rural} of {size} rural ({percent}), at least {required} needed",
            kind=self.kind.label,
            rural=Count(self.rural),
            size=Count(self.size),
            percent=Percent(self.percent),
            required=Count(self.required),
        )


@attrs.frozen(kw_only=True)
class ShareCheck(Written):
    """An award list checked against a share."""

    region: str
    plan: str
    share: Share
    on: _dt.date
    entries: tuple[AwardCheck, ...]
    #: The readings of the plan in force: reading id → the choice applied.
    readings: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def size(self) -> int:
        return len(self.entries)

    @property
    def rural(self) -> int:
        """How many entries are rural."""
        return sum(1 for entry in self.entries if entry.rural)

    @property
    def by_kind(self) -> tuple[KindCount, ...] | None:
        """The collectives and the individuals, each counted on its own, in that order.

        ``None`` unless the share is counted by kind (:attr:`Counting.BY_KIND`).
        """
        if self.share.counted is not Counting.BY_KIND:
            return None
        return tuple(
            KindCount(
                kind=kind,
                share=self.share,
                size=sum(1 for entry in self.entries if entry.award.kind is kind),
                rural=sum(1 for entry in self.entries if entry.rural and entry.award.kind is kind),
            )
            for kind in AwardKind
        )

    @property
    def required(self) -> int:
        """How many rural entries a list of this length needs (by kind: the sum over kinds)."""
        kinds = self.by_kind
        if kinds is not None:
            return sum(kind.required for kind in kinds)
        return self.share.required(self.size)

    @property
    def meets(self) -> bool:
        """Whether the list meets the share (by kind: whether every kind meets it)."""
        kinds = self.by_kind
        if kinds is not None:
            return all(kind.meets for kind in kinds)
        return self.share.meets(self.rural, self.size)

    @property
    def short_by(self) -> int:
        """How many more rural entries a list of this length needs (0 when it meets the share).

        That is how many urban entries would have to give way to rural ones; by kind, the
        sum of each kind's shortfall.
        """
        kinds = self.by_kind
        if kinds is not None:
            return sum(kind.short_by for kind in kinds)
        return max(0, self.required - self.rural)

    @property
    def rural_to_add(self) -> int | None:
        """How many rural entries to add to the list (0 when it meets the share).

        ``None`` when adding cannot help: the share is 100% and the list (by kind: a
        kind) has an urban entry.  By kind, the sum of what each kind needs.
        """
        kinds = self.by_kind
        if kinds is None:
            return _rural_to_add(self.share, self.rural, self.size)
        each = [kind.rural_to_add for kind in kinds]
        return None if None in each else sum(n for n in each if n is not None)

    @property
    def percent(self) -> Decimal:
        """The rural share of the list, in percent, to one decimal, rounded (never up to
        the share it falls short of)."""
        return _percent(self.rural, self.size, self.share)

    @property
    def summary(self) -> Message:
        """One line: the count, the share, and by how many the list falls short."""
        kinds = self.by_kind
        if kinds is not None:
            collective, individual = kinds
            if self.meets:
                return _(
                    "collectives and individuals are counted separately, at least {share} of "
                    "each: {collective}; {individual}; the list meets the share",
                    share=Percent(self.share.min_percent),
                    collective=collective.summary,
                    individual=individual.summary,
                )
            return _(
                "collectives and individuals are counted separately, at least {share} of each: "
                "{collective}; {individual}; the list falls short by {short}",
                share=Percent(self.share.min_percent),
                collective=collective.summary,
                individual=individual.summary,
                short=Count(self.short_by),
            )
        counted = _n(
            "{count} of {size} entries is rural ({percent})",
            "{count} of {size} entries are rural ({percent})",
            count=self.rural,
            size=Count(self.size),
            percent=Percent(self.percent),
        )
        needed = _n(
            "at least {count} is needed", "at least {count} are needed", count=self.required
        )
        if self.meets:
            return _(
                "{counted}; {needed} ({share}): the list meets the share",
                counted=counted,
                needed=needed,
                share=Percent(self.share.min_percent),
            )
        return _(
            "{counted}; {needed} ({share}): the list falls short by {short}",
            counted=counted,
            needed=needed,
            share=Percent(self.share.min_percent),
            short=Count(self.short_by),
        )


def check_list(
    share: Share,
    awards: Sequence[Award],
    *,
    region: str,
    plan: str,
    on: _dt.date,
    labels: Sequence[str] | None = None,
    readings: Mapping[str, str] | None = None,
) -> ShareCheck:
    """Check ``awards`` against ``share`` on ``on``: a pure function of its arguments."""
    entries = []
    for index, award in enumerate(awards):
        rural, reason = award.rural_on(on)
        label = labels[index] if labels is not None else (award.id or f"[{index}]")
        entries.append(AwardCheck(award=award, label=label, rural=rural, reason=reason))
    return ShareCheck(
        region=region,
        plan=plan,
        share=share,
        on=on,
        entries=tuple(entries),
        readings=readings if readings is not None else {},
    )


@attrs.frozen(kw_only=True)
class ShareRequirement(Written):
    """How many of a number of awards must be rural, for a pool of nominees that can meet it."""

    share: Share
    on: _dt.date
    size: int
    pool: int
    pool_rural: int
    required: int
    #: The readings of the plan in force: reading id → the choice applied.
    readings: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def summary(self) -> Message:
        """One line: how many awards must be rural, and how many rural nominees there are."""
        return _(
            "at least {required} of {size} awards must go to rural schools or teachers "
            "({share}); the {pool} nominees include {rural} rural",
            required=Count(self.required),
            size=Count(self.size),
            share=Percent(self.share.min_percent),
            pool=Count(self.pool),
            rural=Count(self.pool_rural),
        )


def requirement_for(
    share: Share,
    pool: Sequence[Award],
    *,
    size: int,
    on: _dt.date,
    locale: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> ShareRequirement:
    """How many of ``size`` awards chosen from ``pool`` must be rural under ``share``.

    Raises :class:`ImpossibleShareError` when the pool has too few nominees, or too
    few rural ones, to meet the share.  A share counted by kind
    (:attr:`Counting.BY_KIND`) is asked of one kind's nominees at a time: a pool that
    mixes collectives and individuals is an :class:`InvalidRecordError` naming
    ``awards``.
    """
    given: object = size  # callers without a type checker may pass anything
    if isinstance(given, bool) or not isinstance(given, int) or given < 1:
        raise InvalidRecordError(
            _("Invalid argument"),
            [FieldProblem("size", size, _("must be a whole number, 1 or more"))],
            locale=locale,
        )
    if given > MAX_INT:
        raise InvalidRecordError(
            _("Invalid argument"),
            [FieldProblem("size", size, _("must be a whole number of at most {max}", max=MAX_INT))],
            locale=locale,
        )
    if share.counted is Counting.BY_KIND:
        _one_kind(pool, locale)
    rural = sum(1 for award in pool if award.rural_on(on)[0])
    required = share.required(size)
    if size > len(pool):
        raise ImpossibleShareError(
            _(
                "Cannot give {awards} from {nominees}",
                awards=_n("{count} award", "{count} awards", count=size),
                nominees=_n("{count} nominee", "{count} nominees", count=len(pool)),
            ),
            required=size,
            available=len(pool),
            locale=locale,
        )
    if rural < required:
        raise ImpossibleShareError(
            _(
                "{name} cannot be met: {size} awards need at least {required} rural schools or "
                "teachers ({share}, {source}), but the nominees include only {rural}",
                name=share.name,
                size=Count(size),
                required=Count(required),
                share=Percent(share.min_percent),
                source=share.source.cite(),
                rural=Count(rural),
            ),
            required=required,
            available=rural,
            locale=locale,
        )
    return ShareRequirement(
        share=share,
        on=on,
        size=size,
        pool=len(pool),
        pool_rural=rural,
        required=required,
        readings=readings if readings is not None else {},
    )


def _one_kind(pool: Sequence[Award], locale: str | None) -> None:
    """Refuse a pool of nominees that mixes collectives and individuals."""
    counts = {kind: sum(1 for award in pool if award.kind is kind) for kind in AwardKind}
    if all(counts.values()):
        raise InvalidRecordError(
            _("Invalid argument"),
            [
                FieldProblem(
                    "awards",
                    {kind.value: count for kind, count in counts.items()},
                    _(
                        "the nominees mix collectives and individuals, and this share counts "
                        "collectives and individuals separately: ask for each kind's list on "
                        "its own"
                    ),
                )
            ],
            locale=locale,
        )
