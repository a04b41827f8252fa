"""Reading the figures a statistics office reports, checked against a plan's indicators."""

from __future__ import annotations

from collections.abc import Mapping

from edupolicy.errors import FieldProblem, InvalidRecordError, key_text, nearest
from edupolicy.goals import Goals, Indicator, Observation, Unit
from edupolicy.i18n import Message, _
from edupolicy.io.convert import structure_record

__all__ = ["structure_observations"]


def _field_path(path: str, field: str, mapped: bool) -> str:
    return path if mapped else f"{path}.{field}"


def _achieved(raw: Mapping[object, object], indicators: Mapping[str, Indicator]) -> bool:
    """Whether ``raw`` is an observation of an indicator that is achieved or not."""
    indicator_id = raw.get("indicator")
    if not isinstance(indicator_id, str) or indicator_id not in indicators:
        return False
    return indicators[indicator_id].unit is Unit.ACHIEVED


def _flag(value: object) -> int | None:
    """An achieved-or-not value as 1 or 0: ``true``/``false``, ``1``/``0`` or ``"1"``/``"0"``."""
    if isinstance(value, bool):
        return 1 if value else 0
    if type(value) is int and value in (0, 1):
        return value
    if isinstance(value, str) and value in ("0", "1"):
        return int(value)
    return None


def _unknown(named: str, indicators: Mapping[str, Indicator]) -> Message:
    """``no indicator has this id``, with the nearest id when one is close enough."""
    close = nearest(named, indicators)
    known = ", ".join(indicators)
    if close is not None:
        return _(
            "no indicator has this id; did you mean {name}? Known: {known}",
            name=close,
            known=known,
        )
    return _("no indicator has this id; known: {known}", known=known)


def structure_observations(
    data: object, goals: Goals, *, year: int | None, locale: str | None = None
) -> tuple[Observation, ...]:
    """Observations from JSON, checked against ``goals``: every problem reported at once.

    ``data`` is a list of observation objects, or an object mapping indicator ids to
    values (for ``year``).  The value of an indicator that is achieved or not is
    ``true`` or ``false`` (or ``1``, ``0``, ``"1"``, ``"0"``), read as 1 or 0.
    """
    heading = _("Invalid observations")
    items: list[tuple[str, object]]
    if isinstance(data, Mapping):
        if year is None:
            raise InvalidRecordError(
                heading,
                [FieldProblem("$", "{…}", _("a mapping of values needs a year"))],
                locale=locale,
            )
        items = [
            (f"$.{key_text(key)}", {"indicator": key, "value": value, "year": year})
            for key, value in data.items()
        ]
        mapped = True
    elif isinstance(data, list):
        items = [(f"$[{index}]", item) for index, item in enumerate(data)]
        mapped = False
    else:
        raise InvalidRecordError(
            heading,
            [FieldProblem("$", data, _("must be a list of observations or an object"))],
            locale=locale,
        )
    indicators = {indicator.id: indicator for indicator in goals.indicators}
    found: list[Observation] = []
    problems: list[FieldProblem] = []
    for path, raw in items:
        if isinstance(raw, Mapping) and not mapped and year is not None and "on" not in raw:
            raw = {"year": year, **raw}
        refused = False
        named = raw.get("indicator") if isinstance(raw, Mapping) else None
        if isinstance(named, str) and named not in indicators:
            # Said first: its value cannot be judged without knowing the indicator.
            problems.append(
                FieldProblem(
                    path if mapped else f"{path}.indicator", named, _unknown(named, indicators)
                )
            )
            continue
        if isinstance(raw, Mapping) and "value" in raw and _achieved(raw, indicators):
            flag = _flag(raw["value"])
            if flag is None:
                problems.append(
                    FieldProblem(
                        _field_path(path, "value", mapped),
                        raw["value"],
                        _("must be true or false"),
                    )
                )
                # Check the other fields all the same, with a value that passes.
                refused, flag = True, 0
            raw = {**raw, "value": flag}
        elif isinstance(raw, Mapping) and isinstance(raw.get("value"), bool):
            # true or false is for targets that are met or not; this indicator has a unit.
            named = raw.get("indicator")
            known = indicators.get(named) if isinstance(named, str) else None
            if known is not None:
                problems.append(
                    FieldProblem(
                        _field_path(path, "value", mapped),
                        raw["value"],
                        _(
                            "{indicator} is measured in {unit}",
                            indicator=known.id,
                            unit=known.unit.value,
                        ),
                    )
                )
                # Check the other fields all the same, with a value that passes.
                refused, raw = True, {**raw, "value": 0}
        try:
            obs = structure_record(raw, Observation, locale=locale)
        except InvalidRecordError as exc:
            for problem in exc.problems:
                sub = problem.path[1:]
                where = path if mapped and sub == ".value" else path + sub
                problems.append(FieldProblem(where, problem.value, problem.message))
            continue
        indicator = indicators.get(obs.indicator)
        if indicator is None:
            problems.append(
                FieldProblem(
                    path if mapped else f"{path}.indicator",
                    obs.indicator,
                    _unknown(obs.indicator, indicators),
                )
            )
            continue
        if (obs.year is None) == (obs.on is None):
            problems.append(
                FieldProblem(path, "{…}", _("give either year or on, not both or neither"))
            )
            continue
        if obs.unit is not None and obs.unit is not indicator.unit:
            problems.append(
                FieldProblem(
                    _field_path(path, "unit", mapped),
                    obs.unit.value,
                    _(
                        "{indicator} is measured in {unit}",
                        indicator=obs.indicator,
                        unit=indicator.unit.value,
                    ),
                )
            )
            continue
        if indicator.unit is Unit.PERCENT and obs.value > 100 and not indicator.can_exceed_100:
            problems.append(
                FieldProblem(
                    _field_path(path, "value", mapped),
                    str(obs.value),
                    _("this rate cannot exceed 100%"),
                )
            )
            continue
        if indicator.unit.whole and obs.value != obs.value.to_integral_value():
            problems.append(
                FieldProblem(
                    _field_path(path, "value", mapped), str(obs.value), _("must be a whole number")
                )
            )
            continue
        if refused:
            continue
        found.append(obs)
    if problems:
        raise InvalidRecordError(heading, problems, locale=locale)
    return tuple(found)
