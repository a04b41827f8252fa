"""The leaf conditions of incentive rules: what they can ask of a teacher on a date.

The subject is a :class:`~edupolicy.teachers.TeacherOn`: the teacher's record and
their rural service counted to the date.  Besides saying why a teacher fails a
condition, each leaf says what the teacher lacks to meet it, and on which day time
alone meets it (years of service grow; a title is never lowered).
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from edupolicy.errors import field_check
from edupolicy.i18n import Message, Renderable, _, _n
from edupolicy.i18n import years as in_years
from edupolicy.rules import (
    AT_LEAST_ONE,
    NOT_BELOW_MIN,
    Condition,
    ExtensionCondition,
    Leaf,
    Missing,
    join_or,
)
from edupolicy.teachers.service import TeacherOn, Title
from edupolicy.values import SchoolArea

__all__ = [
    "ContinuousRuralYears",
    "MeetsTitleCriteria",
    "OutstandingIs",
    "PostedIn",
    "TeacherCondition",
    "TeacherExtension",
    "TitleIn",
    "TotalRuralYears",
]


def _more_years(count: int) -> Message:
    return _n("{count} more year", "{count} more years", count=count)


@attrs.frozen
class ContinuousRuralYears(Leaf[TeacherOn]):
    """The teacher has served continuously in rural schools for ``min`` years (up to ``max``)."""

    min: int = attrs.field(metadata={"json": {"minimum": 1}}, validator=AT_LEAST_ONE)
    max: int | None = attrs.field(
        metadata={"json": {"minimum": 1}}, default=None, validator=NOT_BELOW_MIN
    )

    def holds(self, on: TeacherOn, /) -> bool:
        years = on.service.continuous_years
        return self.min <= years and (self.max is None or years <= self.max)

    def describe(self) -> Message:
        if self.max is None:
            return _("{years} or more of continuous rural service", years=in_years(self.min))
        return _("{min} to {max} years of continuous rural service", min=self.min, max=self.max)

    def why_not(self, on: TeacherOn, /) -> Message | None:
        if self.holds(on):
            return None
        return _(
            "{actual} of continuous rural service, but the rule requires {expected}",
            actual=in_years(on.service.continuous_years),
            expected=self.describe(),
        )

    def lacks(self, on: TeacherOn, /) -> list[Missing]:
        if self.holds(on):
            return []
        years = on.service.continuous_years
        if self.max is not None and years > self.max:
            return [Missing(message=self.why_not(on) or self.describe(), attainable=False)]
        reached = on.service.continuous_reached_on(self.min)
        if reached is None and on.service.in_rural_run:
            # The years would be reached after the last day a date can have.
            return [Missing(message=self.why_not(on) or self.describe(), attainable=False)]
        if reached is None:
            return [
                Missing(
                    message=_(
                        "{years} of continuous rural service (not in rural service on {on})",
                        years=in_years(self.min),
                        on=on.service.on,
                    )
                )
            ]
        return [
            Missing(
                message=_(
                    "{more} of continuous rural service ({years} on {day} if the teacher stays)",
                    more=_more_years(self.min - years),
                    years=self.min,
                    day=reached,
                ),
                reached_on=reached,
            )
        ]


@attrs.frozen
class TotalRuralYears(Leaf[TeacherOn]):
    """The teacher has served in rural schools for ``min`` years in all (up to ``max``)."""

    min: int = attrs.field(metadata={"json": {"minimum": 1}}, validator=AT_LEAST_ONE)
    max: int | None = attrs.field(
        metadata={"json": {"minimum": 1}}, default=None, validator=NOT_BELOW_MIN
    )

    def holds(self, on: TeacherOn, /) -> bool:
        years = on.service.total_years
        return self.min <= years and (self.max is None or years <= self.max)

    def describe(self) -> Message:
        if self.max is None:
            return _("{years} or more of rural service in all", years=in_years(self.min))
        return _("{min} to {max} years of rural service in all", min=self.min, max=self.max)

    def why_not(self, on: TeacherOn, /) -> Message | None:
        if self.holds(on):
            return None
        return _(
            "{actual} of rural service in all, but the rule requires {expected}",
            actual=in_years(on.service.total_years),
            expected=self.describe(),
        )

    def lacks(self, on: TeacherOn, /) -> list[Missing]:
        if self.holds(on):
            return []
        years = on.service.total_years
        if self.max is not None and years > self.max:
            return [Missing(message=self.why_not(on) or self.describe(), attainable=False)]
        reached = on.service.total_reached_on(self.min)
        if reached is None and on.service.in_rural_run:
            # The years would be reached after the last day a date can have.
            return [Missing(message=self.why_not(on) or self.describe(), attainable=False)]
        if reached is None:
            return [
                Missing(
                    message=_(
                        "{more} of rural service (not in rural service on {on})",
                        more=_more_years(self.min - years),
                        on=on.service.on,
                    )
                )
            ]
        return [
            Missing(
                message=_(
                    "{more} of rural service ({years} in all on {day} if the teacher stays)",
                    more=_more_years(self.min - years),
                    years=self.min,
                    day=reached,
                ),
                reached_on=reached,
            )
        ]


def _sorted_titles(titles: frozenset[Title]) -> list[Title]:
    return sorted(titles, key=lambda title: title.rank)


@attrs.frozen
class TitleIn(Leaf[TeacherOn]):
    """The teacher's current title is one of ``titles``."""

    titles: frozenset[Title] = attrs.field(
        metadata={"json": {"min_items": 1}},
        validator=field_check(
            lambda _self, v: bool(v), lambda *_args: _("must list at least one title")
        ),
    )

    def holds(self, on: TeacherOn, /) -> bool:
        return on.teacher.title in self.titles

    def _expected(self) -> Renderable:
        return join_or([title.label for title in _sorted_titles(self.titles)])

    def describe(self) -> Message:
        return _("title is {titles}", titles=self._expected())

    def why_not(self, on: TeacherOn, /) -> Message | None:
        if self.holds(on):
            return None
        return _(
            "title is {actual}, not {expected}",
            actual=on.teacher.title.label,
            expected=self._expected(),
        )

    def lacks(self, on: TeacherOn, /) -> list[Missing]:
        if self.holds(on):
            return []
        # A title is never lowered: a teacher above every listed title cannot meet this.
        reachable = any(title.rank > on.teacher.title.rank for title in self.titles)
        return [
            Missing(
                message=_("a title: {expected}", expected=self._expected())
                if reachable
                else _(
                    "already holds a {actual}, above {expected}",
                    actual=on.teacher.title.label,
                    expected=self._expected(),
                ),
                attainable=reachable,
            )
        ]


@attrs.frozen
class MeetsTitleCriteria(Leaf[TeacherOn]):
    """The teacher meets the conditions for title evaluation (``value`` true) or not."""

    value: bool = True

    def holds(self, on: TeacherOn, /) -> bool:
        return on.teacher.meets_title_criteria is self.value

    def describe(self) -> Message:
        if self.value:
            return _("meets the conditions for title evaluation")
        return _("does not meet the conditions for title evaluation")

    def why_not(self, on: TeacherOn, /) -> Message | None:
        if self.holds(on):
            return None
        if self.value:
            return _("does not meet the conditions for title evaluation")
        return _("meets the conditions for title evaluation")

    def lacks(self, on: TeacherOn, /) -> list[Missing]:
        if self.holds(on):
            return []
        if self.value:
            return [Missing(message=_("meeting the conditions for title evaluation"))]
        return [Missing(message=self.describe(), attainable=False)]


@attrs.frozen
class OutstandingIs(Leaf[TeacherOn]):
    """The teacher's work is rated outstanding (``value`` true) or is not."""

    value: bool = True

    def holds(self, on: TeacherOn, /) -> bool:
        return on.teacher.outstanding is self.value

    def describe(self) -> Message:
        return _("work rated outstanding") if self.value else _("work not rated outstanding")

    def why_not(self, on: TeacherOn, /) -> Message | None:
        if self.holds(on):
            return None
        return _("work not rated outstanding") if self.value else _("work rated outstanding")

    def lacks(self, on: TeacherOn, /) -> list[Missing]:
        if self.holds(on):
            return []
        if self.value:
            return [Missing(message=_("work rated outstanding"))]
        return [Missing(message=self.describe(), attainable=False)]


@attrs.frozen
class PostedIn(Leaf[TeacherOn]):
    """On the date, the teacher teaches at a school in ``area``."""

    area: SchoolArea

    def holds(self, on: TeacherOn, /) -> bool:
        return on.service.current_area is self.area

    def describe(self) -> Message:
        return _("teaches at a {area} school", area=self.area.label)

    def why_not(self, on: TeacherOn, /) -> Message | None:
        if self.holds(on):
            return None
        if on.service.current_area is None:
            return _("has no posting on {on}", on=on.service.on)
        return _(
            "teaches at a {actual} school, not a {expected} one",
            actual=on.service.current_area.label,
            expected=self.area.label,
        )

    def lacks(self, on: TeacherOn, /) -> list[Missing]:
        if self.holds(on):
            return []
        return [Missing(message=_("a posting at a {area} school", area=self.area.label))]


class TeacherExtension(ExtensionCondition[TeacherOn]):
    """Base of a kind of incentive condition a region plugin adds: subclass it, set
    ``key``, and hand the class to edupolicy with the region
    (``RegionSpec(conditions=[...])``).

    See :class:`edupolicy.rules.ExtensionCondition` for what a subclass provides; a
    subclass may also override ``lacks`` to say when time alone meets it.
    """

    __slots__ = ()


#: A condition over a teacher on a date: a leaf of this module, or the engine's
#: combinators of them.
TeacherCondition: TypeAlias = Condition[TeacherOn]
