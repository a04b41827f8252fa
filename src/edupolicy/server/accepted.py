"""What the regions served accept, stated as JSON Schemas of the OpenAPI document.

A request can be well formed and still be refused: a date on which no plan of the
region is in force, a reading its plans do not offer, a programme with no quota.  The
document the service publishes states these values for the regions it serves, so that
a request the document calls valid is one the service answers: the regions
(``region``, ``against_region``), the readings (``ID=CHOICE``), the days the plans are
in force (a pattern over ``YYYY-MM-DD``), the years a question can be asked of, and the
ids of the programmes with a quota and of the shares.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from edupolicy.goals import Indicator, Unit
from edupolicy.plans import Plan
from edupolicy.plans.plan import Period
from edupolicy.policy import Policy
from edupolicy.teachers import Quota

__all__ = ["Accepted", "accepted_components", "accepted_values", "dates_pattern"]

#: A schema for each parameter: by name, or by (operation, name) where an operation
#: reads a name its own way.
Accepted = dict[str | tuple[str, str], dict[str, Any]]

_LAST_YEAR: Final = 9999
_DAYS_31: Final = "(?:0[1-9]|[12][0-9]|3[01])"
_DAYS_30: Final = "(?:0[1-9]|[12][0-9]|30)"
_FEBRUARY: Final = {False: "(?:0[1-9]|1[0-9]|2[0-8])", True: "(?:0[1-9]|[12][0-9])"}


def _full_year(leap: bool) -> str:
    """The months and days of a whole year, ``MM-DD``."""
    return f"(?:(?:0[13578]|1[02])-{_DAYS_31}|(?:0[469]|11)-{_DAYS_30}|02-{_FEBRUARY[leap]})"


def _leap(year: int) -> bool:
    return calendar.isleap(year)


def _whole_month(year: int, month: int) -> str:
    """The days ``DD`` of a whole month."""
    if month == 2:
        return _FEBRUARY[_leap(year)]
    return _DAYS_30 if month in (4, 6, 9, 11) else _DAYS_31


def _digits(low: str, high: str) -> str:
    """A pattern of the numbers from ``low`` to ``high``, written with as many digits."""
    if low == high:
        return low
    if len(low) == 1:
        return f"[{low}-{high}]"
    rest = len(low) - 1
    if low[0] == high[0]:
        return low[0] + f"(?:{_digits(low[1:], high[1:])})"
    parts = [low[0] + f"(?:{_digits(low[1:], '9' * rest)})"]
    if int(high[0]) - int(low[0]) > 1:
        parts.append(f"[{int(low[0]) + 1}-{int(high[0]) - 1}][0-9]{{{rest}}}")
    parts.append(high[0] + f"(?:{_digits('0' * rest, high[1:])})")
    return "(?:" + "|".join(parts) + ")"


def _months(days: Iterable[_dt.date]) -> str:
    """A pattern of ``MM-DD`` for ``days``, all of one year."""
    parts: list[str] = []
    for month, found in itertools.groupby(sorted(days), key=lambda day: day.month):
        in_month = sorted(found)
        numbers = sorted({day.day for day in in_month})
        if len(numbers) == calendar.monthrange(in_month[0].year, month)[1]:
            parts.append(f"{month:02d}-{_whole_month(in_month[0].year, month)}")
        else:
            parts.append(f"{month:02d}-(?:" + "|".join(f"{n:02d}" for n in numbers) + ")")
    return "(?:" + "|".join(parts) + ")"


def dates_pattern(periods: Iterable[Period]) -> str | None:
    """A pattern of the ``YYYY-MM-DD`` days in ``periods`` (``None``: there are none).

    Whole years are written by their years; the days of a year only partly in force
    one by one.  A period with no end runs to the end of year 9999; beyond its first
    year, the pattern lets 29 February be in any of those years, and the format
    ``date`` (stated beside the pattern) leaves it to the years that have one.
    """
    days: set[_dt.date] = set()
    open_from: int | None = None
    for period in periods:
        end = period.end
        if end is None:
            end = _dt.date(period.start.year, 12, 31)
            following = period.start.year + 1
            open_from = following if open_from is None else min(open_from, following)
        days.update(
            period.start + _dt.timedelta(days=n) for n in range((end - period.start).days + 1)
        )
    if open_from is not None:
        days = {day for day in days if day.year < open_from}
    whole: dict[bool, list[int]] = {False: [], True: []}
    parts: list[str] = []
    for year, found in itertools.groupby(sorted(days), key=lambda day: day.year):
        in_year = list(found)
        if len(in_year) == (366 if _leap(year) else 365):
            whole[_leap(year)].append(year)
        else:
            parts.append(f"{year:04d}-{_months(in_year)}")
    for leap, years in whole.items():
        if years:
            names = "|".join(f"{year:04d}" for year in years)
            parts.append(f"(?:{names})-{_full_year(leap)}")
    if open_from is not None and open_from <= _LAST_YEAR:
        parts.append(f"{_digits(f'{open_from:04d}', str(_LAST_YEAR))}-{_full_year(True)}")
    if not parts:
        return None
    return "^(?:" + "|".join(parts) + ")$"


def _years(found: set[int], open_from: int | None) -> dict[str, Any]:
    """A whole number among ``found``, or from ``open_from`` to 9999."""
    if open_from is not None:
        return {"type": "integer", "minimum": min([*found, open_from]), "maximum": _LAST_YEAR}
    if not found:
        return {"type": "integer", "enum": []}
    low, high = min(found), max(found)
    if len(found) == high - low + 1:
        return {"type": "integer", "minimum": low, "maximum": high}
    return {"type": "integer", "enum": sorted(found)}


def _counted(
    periods: Iterable[Period], counted: Callable[[int], _dt.date]
) -> tuple[set[int], int | None]:
    """The years whose day ``counted(year)`` is in one of ``periods``: those of the
    periods with an end, and the first year of any without one."""
    found: set[int] = set()
    open_from: int | None = None
    for period in periods:
        if period.end is None:
            start = period.start.year
            open_from = start if open_from is None else min(open_from, start)
            continue
        found.update(
            year
            for year in range(period.start.year, period.end.year + 1)
            if counted(year) in period
        )
    return found, open_from


def _figure_years(policies: Iterable[Policy]) -> dict[str, Any]:
    # Figures of a year are judged at its end (Policy.progress).
    periods = [period for policy in policies for period in policy.periods]
    return _years(*_counted(periods, lambda year: _dt.date(year, 12, 31)))


def _cohort_years(policies: Iterable[Policy]) -> dict[str, Any]:
    # A cohort of a year is chosen on its quota's counting day, by the plan in force then.
    found: set[int] = set()
    starts: list[int] = []
    for policy in policies:
        for plan in policy.plans:
            for quota in _quotas(plan):
                years, open_from = _counted([plan.in_force], quota.on)
                found.update(years)
                if open_from is not None:
                    starts.append(open_from)
    return _years(found, min(starts, default=None))


def _quotas(plan: Plan) -> tuple[Quota, ...]:
    return plan.teachers.quotas if plan.teachers is not None else ()


def _ids(values: Iterable[str]) -> dict[str, Any]:
    return {"type": "string", "enum": sorted(set(values))}


def _readings(plans: Iterable[Plan]) -> dict[str, Any]:
    """``ID=CHOICE`` of the readings the plans offer, each reading chosen at most once."""
    offered: dict[str, set[str]] = {}
    for plan in plans:
        for reading in plan.readings:
            offered.setdefault(reading.id, set()).update(reading.choice_ids)
    return {
        "type": "array",
        "items": _ids(f"{id_}={choice}" for id_, choices in offered.items() for choice in choices),
        "uniqueItems": True,
        "maxItems": len(offered),
        "allOf": [
            {
                "contains": {"type": "string", "pattern": f"^{re.escape(id_)}="},
                "minContains": 0,
                "maxContains": 1,
            }
            for id_ in sorted(offered)
        ],
    }


def accepted_components(policies: Mapping[str, Policy]) -> dict[str, dict[str, Any]]:
    """What the plans of ``policies`` add to the components that describe records: the
    years of each stage (``student``), the indicators (``figures``)."""
    plans = [plan for policy in policies.values() for plan in policy.plans]
    years: dict[str, int] = {}
    for plan in plans:
        for stage, length in plan.stage_years.items():
            years[stage.value] = max(years.get(stage.value, 0), length)
    found = {
        indicator.id: indicator
        for plan in plans
        if plan.goals is not None
        for indicator in plan.goals.indicators
    }
    values = {id_: _indicator_value(indicator) for id_, indicator in sorted(found.items())}
    return {
        "student": {
            "anyOf": [
                {"properties": {"stage": {"const": stage}, "year": {"maximum": length}}}
                for stage, length in sorted(years.items())
            ]
        },
        # Beside the figures' own schema of a value (additionalProperties), which
        # applies to every indicator's value only if they are not its properties.
        "figures": {"propertyNames": _ids(values), "allOf": [{"properties": values}]},
        "figures.Observation": {
            "anyOf": [
                {
                    "properties": {
                        "indicator": {"const": id_},
                        "value": value,
                        "unit": {"enum": [found[id_].unit.value, None]},
                    }
                }
                for id_, value in values.items()
            ]
        },
    }


#: A decimal written as text with a fraction that is not zero: ``2.5``, not ``2.0``.
_FRACTION: Final = "\\.[0-9]*[1-9]"
#: A decimal written as text above 100, as the figures' schema writes decimals (no
#: leading zeros): ``101``, ``250.5``, ``100.01``.
_ABOVE_100: Final = (
    "^(?:(?:[1-9][0-9]{3,}|[2-9][0-9]{2}|1[1-9][0-9]|10[1-9])(?:\\.[0-9]*)?"
    "|100\\.[0-9]*[1-9][0-9]*)$"
)


def _indicator_value(indicator: Indicator) -> dict[str, Any]:
    """What a figure of ``indicator`` cannot be, beyond the figures' schema: achieved or
    not, or no true or false for a number; no fraction for a whole number of things; no
    more than 100 for a rate that cannot exceed it."""
    if indicator.unit is Unit.ACHIEVED:
        return {"enum": [True, False, 1, 0, "1", "0"]}
    refused: list[dict[str, Any]] = [{"type": "boolean"}]
    if indicator.unit.whole:
        refused.append({"type": "string", "pattern": _FRACTION})
    if indicator.unit is Unit.PERCENT and not indicator.can_exceed_100:
        refused.append({"type": "number", "exclusiveMinimum": 100})
        refused.append({"type": "string", "pattern": _ABOVE_100})
    return {"not": {"anyOf": refused}}


def accepted_values(policies: Mapping[str, Policy]) -> Accepted:
    """The schema of each parameter whose values ``policies`` (by region) decide."""
    served = list(policies.values())
    plans = [plan for policy in served for plan in policy.plans]
    dates: dict[str, Any] = {"type": "string", "format": "date"}
    pattern = dates_pattern(period for policy in served for period in policy.periods)
    dates["pattern"] = pattern if pattern is not None else "^$"
    return {
        "region": _ids(policies),
        "against_region": _ids(policies),
        "reading": _readings(plans),
        "on": dates,
        "against": dates,
        ("progress", "year"): _figure_years(served),
        ("select", "year"): _cohort_years(served),
        "programme": _ids(quota.id for plan in plans for quota in _quotas(plan)),
        "share": _ids(
            share.id
            for plan in plans
            if plan.teachers is not None
            for share in plan.teachers.shares
        ),
    }
