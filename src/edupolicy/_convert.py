"""The one cattrs converter of the JSON boundary, and plan-file loading.

Strict: an unknown field, a value of the wrong JSON type, an unknown enum value is an
error.  Nothing is coerced (``"false"`` is not a bool, ``"3"`` and ``2.5`` are not a
year).  Every problem of a record is collected and reported at once, each with its
JSON path and the offending value, in one :class:`~edupolicy.errors.InvalidDataError`.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import tomllib
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from edupolicy import conditions as c
from edupolicy.errors import (
    MISSING,
    FieldProblem,
    InvalidDataError,
    InvalidRecordError,
    PlanDataError,
)
from edupolicy.i18n import Message, _
from edupolicy.records import Household, Stage, Student, money

__all__ = ["load_plan", "parse_date", "structure_record", "unstructure"]

T = TypeVar("T")


class _Bad(ValueError):
    """Raised by our hooks: the problems found, with paths relative to the hook's value."""

    def __init__(self, problems: list[tuple[str, object, Message]]) -> None:
        super().__init__(problems[0][2].render() if problems else "invalid")
        self.problems = problems


def _bad(value: object, message: Message) -> _Bad:
    return _Bad([("", value, message)])


def _problems(exc: BaseException, path: str, data: object) -> list[FieldProblem]:
    """Flatten a cattrs error tree into problems with JSON paths."""
    if isinstance(exc, BaseValidationError):
        found: list[FieldProblem] = []
        for sub in exc.exceptions:
            notes = getattr(sub, "__notes__", [])
            attr = next((n for n in notes if isinstance(n, AttributeValidationNote)), None)
            item = next((n for n in notes if isinstance(n, IterableValidationNote)), None)
            if attr is not None:
                sub_data = data.get(attr.name, MISSING) if isinstance(data, Mapping) else MISSING
                found.extend(_problems(sub, f"{path}.{attr.name}", sub_data))
            elif item is not None:
                index = item.index
                try:
                    sub_data = data[index]  # type: ignore[index]
                except (LookupError, TypeError):
                    sub_data = MISSING
                step = f"[{index}]" if isinstance(index, int) else f".{index}"
                found.extend(_problems(sub, f"{path}{step}", sub_data))
            else:
                found.extend(_problems(sub, path, data))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        mapping = data if isinstance(data, Mapping) else {}
        return [
            FieldProblem(f"{path}.{key}", mapping.get(key, MISSING), _("unknown field"))
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, _Bad):
        return [FieldProblem(path + sub, value, message) for sub, value, message in exc.problems]
    if isinstance(exc, KeyError):
        return [FieldProblem(path, MISSING, _("required field is missing"))]
    return [FieldProblem(path, data, _("invalid value"))]


def _relative(exc: BaseException, data: object) -> list[tuple[str, object, Message]]:
    return [(p.path[1:], p.value, p.message) for p in _problems(exc, "$", data)]


# --- scalar hooks -----------------------------------------------------------------------


def _structure_bool(value: object, _type: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _bad(value, _("must be true or false"))


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _bad(value, _("must be a whole number"))


def _structure_year(value: object, _type: object) -> int:
    number = _structure_int(value, int)
    if number < 1:
        raise _bad(value, _("must be 1 or more (years are counted from 1)"))
    return number


def _structure_str(value: object, _type: object) -> str:
    if isinstance(value, str):
        return value
    raise _bad(value, _("must be a string"))


def _structure_id(value: object, _type: object) -> str | None:
    if value is None:
        return None
    text = _structure_str(value, str)
    if not text.strip():
        raise _bad(value, _("must not be empty"))
    return text


_MONEY = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$")


def _structure_money(value: object, _type: object) -> Decimal:
    if isinstance(value, Decimal) and value.is_finite():
        try:
            return money(value)
        except ValueError:
            pass
    elif isinstance(value, str) and _MONEY.match(value):
        return money(value)
    raise _bad(value, _('must be a string of yuan with at most two decimals, like "1000.00"'))


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_date(value: str) -> _dt.date | None:
    """An ISO ``YYYY-MM-DD`` date, or ``None`` for anything else."""
    if not _DATE.match(value):
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


def _structure_date(value: object, _type: object) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    raise _bad(value, _("must be a date written YYYY-MM-DD"))


def _enum_hook(enum_type: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    by_value = {member.value: member for member in enum_type}
    allowed = ", ".join(str(v) for v in by_value)

    def hook(value: object, _type: object) -> enum.Enum:
        if isinstance(value, str) and value in by_value:
            return by_value[value]
        raise _bad(value, _("must be one of: {allowed}", allowed=allowed))

    return hook


def _collection_hook(converter: cattrs.Converter, type_: Any) -> Callable[[object, object], Any]:
    origin = typing.get_origin(type_)
    (item_type, *_rest) = typing.get_args(type_)
    item_hook = converter.get_structure_hook(item_type)
    unique = origin is frozenset

    def hook(value: object, _type: object) -> Any:
        if not isinstance(value, (list, tuple)):
            raise _bad(value, _("must be a list"))
        items: list[Any] = []
        problems: list[tuple[str, object, Message]] = []
        seen: set[Any] = set()
        for index, raw in enumerate(value):
            try:
                item = item_hook(raw, item_type)
            except Exception as exc:
                problems.extend((f"[{index}]{sub}", v, m) for sub, v, m in _relative(exc, raw))
                continue
            if unique and item in seen:
                problems.append((f"[{index}]", raw, _("listed more than once")))
            seen.add(item)
            items.append(item)
        if problems:
            raise _Bad(problems)
        return frozenset(items) if unique else tuple(items)

    return hook


_QUANTITY = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]{1,4})?$")


def _structure_quantity(value: object, _type: object) -> Decimal:
    """A measured value: a whole number, or a string of digits with up to 4 decimals."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Decimal(value)
    if isinstance(value, str) and _QUANTITY.match(value):
        return Decimal(value)
    raise _bad(
        value,
        _('must be a whole number or a string of digits with up to 4 decimals, like "98.7"'),
    )


def _field_path(path: str, field: str, mapped: bool) -> str:
    return path if mapped else f"{path}.{field}"


def structure_observations(
    data: object, goals: Any, *, year: int | None, locale: str | None = None
) -> tuple[Any, ...]:
    """Observations from JSON, checked against ``goals``: every problem reported at once.

    ``data`` is a list of observation objects, or an object mapping indicator ids to
    values (for ``year``).
    """
    from edupolicy.goals import Observation, Unit

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
            (f"$.{key}", {"indicator": key, "value": value, "year": year})
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
                    _("no indicator has this id; known: {known}", known=", ".join(indicators)),
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
        found.append(obs)
    if problems:
        raise InvalidRecordError(heading, problems, locale=locale)
    return tuple(found)


# --- conditions -------------------------------------------------------------------------

_CONDITION_KEYS = (
    "all",
    "any",
    "not",
    "stage",
    "year",
    "school_area",
    "boarding",
    "household",
    "orphan",
    "disabled",
)


def _structure_condition(converter: cattrs.Converter) -> Callable[[object, object], Any]:
    def structure(value: object, _type: object) -> c.Condition:
        if not isinstance(value, Mapping) or len(value) != 1:
            raise _bad(
                value,
                _(
                    "a condition is a table with exactly one of the keys: {keys}",
                    keys=", ".join(_CONDITION_KEYS),
                ),
            )
        ((key, raw),) = value.items()
        if key not in _CONDITION_KEYS:
            raise _bad(
                dict(value),
                _(
                    "unknown condition {key}; known conditions: {keys}",
                    key=key,
                    keys=", ".join(_CONDITION_KEYS),
                ),
            )
        try:
            return _build_condition(converter, key, raw)
        except Exception as exc:
            raise _Bad([(f".{key}{sub}", v, m) for sub, v, m in _relative(exc, raw)]) from None

    return structure


@attrs.frozen(kw_only=True)
class _YearRange:
    min: int = 1
    max: int | None = None


def _build_condition(converter: cattrs.Converter, key: str, raw: object) -> c.Condition:
    if key in ("all", "any"):
        parts = converter.structure(raw, tuple[c.Condition, ...])
        if not parts:
            raise _bad(raw, _("must list at least one condition"))
        return c.All(parts) if key == "all" else c.Any(parts)
    if key == "not":
        return c.Not(converter.structure(raw, c.Condition))  # type: ignore[arg-type]
    if key == "stage":
        stages = converter.structure(raw, frozenset[Stage])
        if not stages:
            raise _bad(raw, _("must list at least one stage"))
        return c.StageIn(stages)
    if key == "year":
        years = converter.structure(raw, _YearRange)
        if years.min < 1:
            raise _Bad([(".min", years.min, _("must be 1 or more"))])
        if years.max is not None and years.max < years.min:
            raise _Bad([(".max", years.max, _("must not be less than min"))])
        return c.YearIn(years.min, years.max)
    if key == "school_area":
        from edupolicy.records import SchoolArea

        return c.SchoolAreaIs(converter.structure(raw, SchoolArea))
    if key == "household":
        statuses = converter.structure(raw, frozenset[Household])
        if not statuses:
            raise _bad(raw, _("must list at least one household status"))
        return c.HouseholdAny(statuses)
    if key in ("boarding", "orphan", "disabled"):
        flag = _structure_bool(raw, bool)
        if key == "boarding":
            return c.BoardingIs(flag)
        return c.OrphanIs(flag) if key == "orphan" else c.DisabledIs(flag)
    raise _Bad(
        [
            (
                "",
                {key: raw},
                _(
                    "unknown condition {key}; known conditions: {keys}",
                    key=key,
                    keys=", ".join(_CONDITION_KEYS),
                ),
            )
        ]
    )


def _unstructure_condition(condition: c.Condition) -> dict[str, Any]:
    match condition:
        case c.All(conditions=parts):
            return {"all": [_unstructure_condition(p) for p in parts]}
        case c.Any(conditions=parts):
            return {"any": [_unstructure_condition(p) for p in parts]}
        case c.Not(condition=inner):
            return {"not": _unstructure_condition(inner)}
        case c.StageIn(stages=stages):
            return {"stage": sorted(s.value for s in stages)}
        case c.YearIn(min=low, max=high):
            return {"year": {"min": low} if high is None else {"min": low, "max": high}}
        case c.SchoolAreaIs(area=area):
            return {"school_area": area.value}
        case c.HouseholdAny(statuses=statuses):
            return {"household": sorted(s.value for s in statuses)}
        case c.BoardingIs(value=value):
            return {"boarding": value}
        case c.OrphanIs(value=value):
            return {"orphan": value}
        case c.DisabledIs(value=value):
            return {"disabled": value}
    raise TypeError(condition)  # pragma: no cover - the match is exhaustive


# --- the converter ----------------------------------------------------------------------


def _is_condition(type_: Any) -> bool:
    return bool(type_ == c.Condition)


def _is_frozenset(type_: Any) -> bool:
    return typing.get_origin(type_) is frozenset


def _is_collection(type_: Any) -> bool:
    return typing.get_origin(type_) in (tuple, frozenset) and type_ is not tuple


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(Decimal, _structure_money)
    converter.register_structure_hook(_dt.date, _structure_date)
    converter.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
        lambda value, t: _enum_hook(t)(value, t),
    )
    converter.register_structure_hook_factory(
        _is_collection, lambda t: _collection_hook(converter, t)
    )
    converter.register_structure_hook_func(_is_condition, _structure_condition(converter))
    converter.register_structure_hook(
        Student,
        make_dict_structure_fn(
            Student,
            converter,
            _cattrs_forbid_extra_keys=True,
            year=override(struct_hook=_structure_year),
            id=override(struct_hook=_structure_id),
        ),
    )

    from edupolicy.goals import Baseline, Fact, Observation, Target

    for quantity_type in (Observation, Target, Baseline, Fact):
        converter.register_structure_hook(
            quantity_type,
            make_dict_structure_fn(
                quantity_type,
                converter,
                _cattrs_forbid_extra_keys=True,
                value=override(struct_hook=_structure_quantity),
            ),
        )

    converter.register_unstructure_hook(Decimal, lambda d: f"{d:.2f}")
    converter.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    converter.register_unstructure_hook_func(
        _is_frozenset, lambda v: sorted(converter.unstructure(item) for item in v)
    )
    converter.register_unstructure_hook_func(_is_condition, _unstructure_condition)
    return converter


CONVERTER = _make_converter()


def structure_record(
    data: object, type_: type[T], *, locale: str | None = None, what: Message | None = None
) -> T:
    """``data`` as a ``type_``, or an :class:`InvalidRecordError` listing every problem."""
    heading = what or _("Invalid record")
    if not isinstance(data, Mapping):
        raise InvalidRecordError(
            heading, [FieldProblem("$", data, _("must be a JSON object"))], locale=locale
        )
    try:
        return CONVERTER.structure(data, type_)
    except Exception as exc:
        raise InvalidRecordError(heading, _problems(exc, "$", data), locale=locale) from None


def unstructure(value: object) -> Any:
    """``value`` in its JSON shape."""
    return CONVERTER.unstructure(value)


# --- plan files ---------------------------------------------------------------------------


def _read_toml(source: Traversable | Path, locale: str | None) -> dict[str, Any]:
    name = getattr(source, "name", str(source))
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanDataError(
            _("Cannot read plan file {file}", file=name),
            [FieldProblem("$", name, Message(str(exc.strerror or exc)))],
            locale=locale,
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanDataError(
            _("Plan file {file} is not valid", file=name),
            [FieldProblem("$", name, Message(str(exc)))],
            locale=locale,
        ) from None


def load_plan(source: Traversable | Path, *, locale: str | None = None) -> Any:
    """Read and check a plan file (TOML).  No code in the file is ever executed.

    A plan file may list ``parts = ["goals.toml", ...]``: files beside it whose
    top-level tables join the plan (a topic per file); a table may be defined once.
    """
    from edupolicy.plan import Plan

    name = getattr(source, "name", str(source))
    data = _read_toml(source, locale)
    parts = data.pop("parts", [])
    heading = _("Plan file {file} is not valid", file=name)
    if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
        raise PlanDataError(
            heading,
            [FieldProblem("$.parts", parts, _("must be a list of file names"))],
            locale=locale,
        )
    parent = getattr(source, "parent", None)
    for index, part in enumerate(parts):
        if parent is None or "/" in part or "\\" in part or part.startswith("."):
            raise PlanDataError(
                heading,
                [FieldProblem(f"$.parts[{index}]", part, _("must name a file beside the plan"))],
                locale=locale,
            )
        extra = _read_toml(parent / part, locale)
        clashes = sorted(set(extra) & set(data))
        if clashes or "parts" in extra:
            raise PlanDataError(
                heading,
                [
                    FieldProblem(
                        f"$.{key}",
                        part,
                        _(
                            "this table is defined twice: in {file} and in {part}",
                            file=name,
                            part=part,
                        ),
                    )
                    for key in (clashes or ["parts"])
                ],
                locale=locale,
            )
        data.update(extra)
    return structure_plan(data, name=name, locale=locale, plan_type=Plan)


def plan_from_toml(text: str, *, name: str, plan_type: type[T], locale: str | None = None) -> T:
    """A plan from the text of a TOML plan file (without ``parts``)."""
    heading = _("Plan file {file} is not valid", file=name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanDataError(
            heading, [FieldProblem("$", name, Message(str(exc)))], locale=locale
        ) from None
    return structure_plan(data, name=name, locale=locale, plan_type=plan_type)


def structure_plan(
    data: dict[str, Any], *, name: str, plan_type: type[T], locale: str | None = None
) -> T:
    """A plan from parsed plan data, every problem reported by path."""
    heading = _("Plan file {file} is not valid", file=name)
    try:
        return CONVERTER.structure(data, plan_type)
    except InvalidDataError as exc:
        raise PlanDataError(heading, exc.problems, locale=locale) from None
    except Exception as exc:
        problems = _problems(exc, "$", data)
        nested = _nested_plan_error(exc)
        if nested is not None:
            problems = list(nested.problems)
        raise PlanDataError(heading, problems, locale=locale) from None


def _nested_plan_error(exc: BaseException) -> PlanDataError | None:
    if isinstance(exc, PlanDataError):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            found = _nested_plan_error(sub)
            if found is not None:
                return found
    return None
