"""Progress: where each target stands, given the values a statistics office reports.

:func:`progress` compares :class:`~edupolicy.goals.Observation` records with the
targets: met, not met, on track or behind (where a baseline gives a trajectory), or
no data.  A target that is achieved or not (:attr:`~edupolicy.goals.Unit.ACHIEVED`) is
met, not met or without data, with no gap.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from edupolicy.decimals import exact
from edupolicy.goals.indicators import Comparison, Goals, Indicator, Observation, Target, Unit
from edupolicy.i18n import Message, _
from edupolicy.rules.writing import Written

__all__ = ["Status", "TargetProgress", "progress"]


class Status(enum.Enum):
    """Where a target stands."""

    MET = "met"
    NOT_MET = "not_met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"

    @property
    def label(self) -> Message:
        """The status in words, translatable."""
        return _STATUS_LABELS[self]


_STATUS_LABELS: Mapping[Status, Message] = {
    Status.MET: _("met"),
    Status.NOT_MET: _("not met"),
    Status.ON_TRACK: _("on track"),
    Status.BEHIND: _("behind"),
    Status.NO_DATA: _("no data"),
}


@attrs.frozen(kw_only=True)
class TargetProgress(Written):
    """One target, the value observed for it, and where it stands."""

    target: Target
    indicator: Indicator
    status: Status
    #: The value compared (``None`` without data) and the date it holds on.
    observed: Decimal | None = None
    observed_on: _dt.date | None = None
    #: Whether ``observed`` is the sum of the target's parts' observations.
    summed_from_parts: bool = False
    #: How far the observed value is from meeting the target, in the indicator's
    #: unit; zero when met, ``None`` without data (and for an indicator that is
    #: achieved or not, which has no distance to speak of).
    gap: Decimal | None = None
    #: Where a straight line from the baseline to the target stands on the date.
    expected: Decimal | None = None
    #: The readings of the plan in force: reading id → the choice applied.
    readings: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def explanation(self) -> Message:
        """One line: the target, the value, the status."""
        unit = self.indicator.unit
        if unit is Unit.ACHIEVED:
            # No number to show: the target is achieved or not, by its deadline.
            named = _(
                "{indicator} by {deadline}",
                indicator=self.indicator.name,
                deadline=self.target.deadline,
            )
            if self.observed is None:
                return _("{target}: no data", target=named)
            if self.status is Status.MET:
                return _("{target}: met", target=named)
            return _("{target}: not met", target=named)
        wanted = _(
            "{indicator} {symbol} {value} by {deadline}",
            indicator=self.indicator.name,
            symbol=self.target.comparison.symbol,
            value=unit.show(self.target.value),
            deadline=self.target.deadline,
        )
        if self.observed is None:
            return _("{target}: no data", target=wanted)
        if self.status is Status.MET:
            return _(
                "{target}: met with {observed}", target=wanted, observed=unit.show(self.observed)
            )
        if self.status in (Status.ON_TRACK, Status.BEHIND):
            assert self.expected is not None
            return _(
                "{target}: {status}, {observed} against {expected} expected on the way from "
                "the baseline",
                target=wanted,
                status=self.status.label,
                observed=unit.show(self.observed),
                expected=unit.show(self.expected),
            )
        assert self.gap is not None
        return _(
            "{target}: not met, {observed} ({gap} short)",
            target=wanted,
            observed=unit.show(self.observed),
            gap=unit.show(self.gap),
        )


def _gap(comparison: Comparison, observed: Decimal, target: Decimal) -> Decimal:
    if comparison is Comparison.AT_LEAST:
        return max(target - observed, Decimal(0))
    if comparison is Comparison.AT_MOST:
        return max(observed - target, Decimal(0))
    return abs(observed - target)


def _latest(observations: Sequence[Observation], as_of: _dt.date) -> Observation | None:
    found = [obs for obs in observations if obs.day <= as_of]
    return max(found, key=lambda obs: obs.day) if found else None


@exact
def progress(
    goals: Goals,
    observations: Iterable[Observation],
    as_of: _dt.date,
    *,
    readings: Mapping[str, str] | None = None,
) -> tuple[TargetProgress, ...]:
    """Where each target stands on ``as_of``, from the latest observation up to that date.

    A target whose indicator has no observation but whose parts all have one is
    judged on the sum of the parts.  Before the deadline, a target not yet met is
    ``on_track`` or ``behind`` when it has a baseline (compared with a straight line
    from the baseline to the target), and ``not_met`` otherwise; on or after the
    deadline it is ``met`` or ``not_met``.  A target that is achieved or not is ``met``
    or ``not_met`` whatever the date, and never judged on parts.  ``readings`` (reading
    id → choice id), the readings the goals' plan was read under, are reported.
    """
    in_force: Mapping[str, str] = readings if readings is not None else {}
    by_indicator: dict[str, list[Observation]] = {}
    for obs in observations:
        by_indicator.setdefault(obs.indicator, []).append(obs)
    targets = {target.id: target for target in goals.targets}
    indicators = {indicator.id: indicator for indicator in goals.indicators}

    def observe(target: Target) -> tuple[Decimal, _dt.date, bool] | None:
        latest = _latest(by_indicator.get(target.indicator, []), as_of)
        if latest is not None:
            return latest.value, latest.day, False
        if not target.parts or indicators[target.indicator].unit is Unit.ACHIEVED:
            # Achieved-or-not values do not add up.
            return None
        found = [observe(targets[part]) for part in target.parts]
        if any(item is None for item in found):
            return None
        values = [item for item in found if item is not None]
        return sum((v for v, _d, _s in values), Decimal(0)), max(d for _v, d, _s in values), True

    lines = []
    for target in goals.targets:
        indicator = indicators[target.indicator]
        seen = observe(target)
        if seen is None:
            lines.append(
                TargetProgress(
                    target=target, indicator=indicator, status=Status.NO_DATA, readings=in_force
                )
            )
            continue
        value, day, summed = seen
        if indicator.unit is Unit.ACHIEVED:
            # Achieved or not: met or not met, whatever the date; no gap, no trajectory.
            met = target.comparison.holds(value, target.value)
            lines.append(
                TargetProgress(
                    target=target,
                    indicator=indicator,
                    status=Status.MET if met else Status.NOT_MET,
                    observed=value,
                    observed_on=day,
                    readings=in_force,
                )
            )
            continue
        gap = _gap(target.comparison, value, target.value)
        expected = None
        if target.comparison.holds(value, target.value):
            status = Status.MET
        elif as_of >= target.deadline or target.baseline is None or target.baseline.on >= day:
            status = Status.NOT_MET
        else:
            base = target.baseline
            share = Decimal((day - base.on).days) / Decimal((target.deadline - base.on).days)
            expected = (base.value + (target.value - base.value) * share).quantize(Decimal("0.01"))
            if target.comparison is Comparison.EXACTLY:
                ahead = abs(value - target.value) <= abs(expected - target.value)
            else:
                ahead = target.comparison.holds(value, expected)
            status = Status.ON_TRACK if ahead else Status.BEHIND
        lines.append(
            TargetProgress(
                target=target,
                indicator=indicator,
                status=status,
                observed=value,
                observed_on=day,
                summed_from_parts=summed,
                gap=gap,
                expected=expected,
                readings=in_force,
            )
        )
    return tuple(lines)
