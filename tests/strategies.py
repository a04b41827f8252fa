"""Hypothesis strategies for every input edupolicy accepts through its Python API.

For each kind of input there are three families:

* **valid** values, as a host sends them (student and teacher records, award entries,
  candidate lists, reported figures, dates, years, plan files);
* **mutants**: a valid value with one thing changed somewhere inside it, by
  :func:`mutated`: a field given a value of the wrong type, out of range, an unknown
  word, odd unicode, a huge number, a float or a ``Decimal``, deep nesting; a field
  removed; a field added, under a string key or not;
* **garbage**: :data:`GARBAGE`, JSON-shaped values and Python objects that JSON has no
  word for, nested at random.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from edupolicy import Household, SchoolArea, Stage, Title
from edupolicy.goals import Goals, Observation, Unit
from edupolicy.io import structure, unstructure
from tests.planfiles import STAGE_YEARS

# --- odd values --------------------------------------------------------------------------


class Hostile:
    """An object that cannot even be shown: its ``repr`` and ``str`` raise."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __format__(self, spec: str) -> str:
        raise RuntimeError("no format")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis shows the object in a failing example."""
        printer.text("Hostile()")


class Colour(enum.Enum):
    """An enum of nobody's vocabulary."""

    RED = "primary"


#: Words that look like a word of the vocabulary, or like a number or a date, and are not.
NEAR_MISSES: Final = (
    "",
    " ",
    "\u00a0",
    "primary ",
    " primary",
    "Primary",
    "PRIMARY",
    "primary\n",
    "primary\x00",
    "prim\u200bary",
    "ｐｒｉｍａｒｙ",
    "小学",
    "rural\n",
    "urbàn",
    "urba\u0301n",
    "Junior",
    "dibao,registered_poor",
    "true",
    "false",
    "null",
    "none",
    "None",
    "1",
    "0",
    "-1",
    "1.0",
    "1e3",
    "NaN",
    "Infinity",
    "２０１９-09-01",
    "2019-09-01\n",
    " 2019-09-01",
    "2019-9-1",
    "2019-02-29",
    "2019-02-30",
    "0000-01-01",
    "9999-12-31",
    "10000-01-01",
    "2019-09-01T00:00:00",
    "20190901",
    "\ud800",
    "\udfff",
    "a\ud800b",
    "\U0010ffff",
    "\u202eevil",
    "𝟙",
    "٣",
    "98\n",
    "98.7\n",
    "1000.00\n",
    " 98",
    "+98",
    "98.",
    ".5",
    "98.70000",
    "1_000",
    "0x10",
    "Ⅻ",
    "x" * 10_000,
)

#: Text of every kind, unpaired surrogates, controls and combining marks included.
ODD_TEXT: Final = st.one_of(
    st.text(max_size=20),
    st.text(
        st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Zl", "Mn", "Nd", "No", "Lo", "So"]),
        max_size=12,
    ),
    st.sampled_from(NEAR_MISSES),
)


def constants(*values: object) -> st.SearchStrategy[Any]:
    """One of ``values``, which Hypothesis never has to show (some cannot be shown)."""
    return st.integers(min_value=0, max_value=len(values) - 1).map(values.__getitem__)


#: Whole numbers from the ordinary to the absurd.
ODD_INTS: Final = st.one_of(
    st.integers(min_value=-5, max_value=40),
    st.integers(),
    constants(-(10**9) - 1, 10**9, 10**9 + 1, 2**31, 2**63, 10**12, 10**100, 10**5000, -(10**5000)),
)

ODD_FLOATS: Final = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, 2.0, 2.5, 98.7, 1e308]),
)

ODD_DECIMALS: Final = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("sNaN"),
            Decimal("-0"),
            Decimal("1"),
            Decimal("2019"),
            Decimal("98.7"),
            Decimal("1000.00"),
            Decimal("12.345"),
            Decimal("1e999999999"),
            Decimal("-1e999999999"),
            Decimal("1e-999999999"),
            Decimal("1E+2"),
        ]
    ),
)

ODD_DATES: Final = st.one_of(
    st.dates(),
    st.datetimes(),
    st.times(),
    st.sampled_from([dt.date.min, dt.date.max, dt.datetime(2019, 9, 1), dt.timedelta(days=1)]),
)


def nested(depth: int, leaf: object = None) -> object:
    """``leaf`` inside ``depth`` levels of lists and objects, alternating."""
    value: object = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"x": value}
    return value


def looped() -> list[object]:
    """A list that contains itself."""
    loop: list[object] = []
    loop.append(loop)
    return loop


DEEP: Final = st.one_of(
    st.integers(min_value=10, max_value=40).map(nested),
    st.integers(min_value=200, max_value=3000).map(nested),
    st.builds(looped),
)

#: Python objects that JSON has no word for.
NON_JSON: Final = st.one_of(
    st.binary(max_size=8),
    st.binary(max_size=8).map(bytearray),
    st.frozensets(st.integers(0, 3), max_size=3),
    st.sets(st.sampled_from(["dibao", "rural", "primary"]), max_size=3),
    st.complex_numbers(max_magnitude=10),
    ODD_DECIMALS,
    ODD_DATES,
    st.sampled_from(
        [
            object(),
            Ellipsis,
            NotImplemented,
            int,
            len,
            range(3),
            Stage.PRIMARY,
            Household.DIBAO,
            SchoolArea.RURAL,
            Title.JUNIOR,
            Colour.RED,
            MappingProxyType({"stage": "primary"}),
            iter(()),
            re.compile("x"),
        ]
    ),
    st.builds(Hostile),
)

JSON_SCALARS: Final = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)
)

#: Every kind of odd scalar.
ODD_SCALARS: Final = st.one_of(
    st.none(), st.booleans(), ODD_INTS, ODD_FLOATS, ODD_TEXT, ODD_DECIMALS, ODD_DATES
)

#: Keys of a mapping that are not (all) strings.
ODD_KEYS: Final = st.one_of(
    ODD_TEXT,
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.tuples(st.integers(), st.text(max_size=3)),
    st.binary(max_size=4),
    st.frozensets(st.integers(0, 3), max_size=2),
    st.sampled_from([Stage.PRIMARY, Colour.RED, dt.date(2019, 9, 1)]),
    st.builds(Hostile),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(ODD_KEYS, children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4).map(MappingProxyType),
    )


#: JSON-ish values and Python objects, nested at random.
GARBAGE: Final = st.recursive(
    st.one_of(JSON_SCALARS, ODD_SCALARS, NON_JSON), _containers, max_leaves=12
) | st.one_of(DEEP)

#: A value to put where a valid one was: anything odd, or a near miss.
ODD_VALUES: Final = st.one_of(
    ODD_SCALARS,
    NON_JSON,
    st.lists(ODD_SCALARS, max_size=3),
    st.dictionaries(ODD_KEYS, ODD_SCALARS, max_size=3),
    DEEP,
    GARBAGE,
)


# --- mutation of a valid value ----------------------------------------------------------


def _places(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """The path of every value inside ``value`` (dict keys and list indexes), ``value`` first."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_places(item, (*path, index)))
    return found


def _at(value: Any, path: Sequence[object]) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated(
    draw: st.DrawFn,
    valid: st.SearchStrategy[Any],
    odd: st.SearchStrategy[Any] = ODD_VALUES,
) -> Any:
    """A value drawn from ``valid`` with one thing changed somewhere inside it.

    The change is one of: a value replaced by ``odd``; an object's field removed; a
    field added under an unknown key (a string or not); a list emptied or an item
    repeated; the whole value wrapped in deep nesting.
    """
    value = copy.deepcopy(draw(valid))
    places = _places(value)
    path = draw(st.sampled_from(places))
    target = _at(value, path)
    actions = ["replace", "wrap"]
    if isinstance(target, dict):
        actions += ["add", "add", "add-odd-key"]
        if target:
            actions += ["remove", "remove"]
    if isinstance(target, list) and target:
        actions += ["repeat", "empty"]
    action = draw(st.sampled_from(actions))
    if action == "replace":
        replacement = draw(odd)
    elif action == "wrap":
        replacement = nested(draw(st.integers(min_value=1, max_value=60)), target)
    elif action == "add":
        replacement = {**target, draw(ODD_TEXT): draw(st.one_of(JSON_SCALARS, odd))}
    elif action == "add-odd-key":
        replacement = {**target, draw(ODD_KEYS): draw(st.one_of(JSON_SCALARS, odd))}
    elif action == "remove":
        key = draw(st.sampled_from(sorted(target, key=repr)))
        replacement = {k: v for k, v in target.items() if k != key}
    elif action == "repeat":
        replacement = [*target, target[draw(st.integers(0, len(target) - 1))]]
    else:
        replacement = []
    if not path:
        return replacement
    _at(value, path[:-1])[path[-1]] = replacement
    return value


@st.composite
def _branch(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy)


def weight(strategy: st.SearchStrategy[Any], times: int) -> list[st.SearchStrategy[Any]]:
    """``strategy`` as ``times`` branches of a ``one_of``, each a single branch.

    ``one_of`` counts a strategy object once, and spreads the branches of a ``one_of``
    among (even mapped) into its own; a composite strategy is a single branch.
    """
    return [_branch(strategy) for _ in range(times)]


def mostly(valid: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Three times in four a ``valid`` value, else an ``odd`` one."""
    return st.one_of(*weight(valid, 3), *weight(odd, 1))


def inputs(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid values, mutants of them, and garbage: two in five valid, two mutants, one garbage."""
    return st.one_of(*weight(valid, 2), *weight(mutated(valid), 2), *weight(GARBAGE, 1))


# --- dates and years ---------------------------------------------------------------------


def dates_between(start: dt.date, end: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=start, max_value=end)


def on_values(start: dt.date, end: dt.date) -> st.SearchStrategy[Any]:
    """The ``on`` argument: mostly a date or an ISO string inside ``start``–``end``."""
    inside = dates_between(start, end)
    valid = st.one_of(inside, inside.map(dt.date.isoformat))
    return mostly(valid, st.one_of(st.dates().map(dt.date.isoformat), st.dates(), ODD_VALUES))


def year_values(start: int, end: int) -> st.SearchStrategy[Any]:
    """The ``year`` argument: mostly a whole number of a year within ``start``–``end``."""
    return mostly(
        st.integers(min_value=start, max_value=end),
        st.one_of(st.integers(min_value=-2, max_value=10_002), ODD_VALUES),
    )


# --- student records ---------------------------------------------------------------------

STAGES: Final = tuple(stage.value for stage in Stage)
HOUSEHOLDS: Final = tuple(status.value for status in Household)
AREAS: Final = tuple(area.value for area in SchoolArea)
TITLES: Final = tuple(title.value for title in Title)

#: An id as a host gives one: ``None`` or non-blank text, sometimes odd.
IDS: Final = st.one_of(
    st.none(),
    st.from_regex(r"[A-Z][0-9]{1,4}", fullmatch=True),
    st.text(min_size=1, max_size=12).filter(lambda text: bool(text.strip())),
)


@st.composite
def students(draw: st.DrawFn, stage_years: Mapping[str, int] | None = None) -> dict[str, Any]:
    """A valid JSON-shaped student record; its year within ``stage_years`` when given."""
    stage = draw(st.sampled_from(STAGES))
    last = stage_years[stage] if stage_years is not None else 10**9
    record: dict[str, Any] = {
        "stage": stage,
        "year": draw(st.integers(min_value=1, max_value=min(last, 12)) | st.just(last)),
        "school_area": draw(st.sampled_from(AREAS)),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "boarding": st.booleans(),
        "household": st.lists(st.sampled_from(HOUSEHOLDS), unique=True),
        "orphan": st.booleans(),
        "disabled": st.booleans(),
        "id": IDS,
    }
    for field, values in optional.items():
        if draw(st.booleans()):
            record[field] = draw(values)
    order = draw(st.permutations(list(record)))
    return {field: record[field] for field in order}


# --- teacher records ---------------------------------------------------------------------

#: Careers start between these days, unless a strategy is told otherwise.
FIRST: Final = dt.date(1960, 1, 1)
LAST: Final = dt.date(2030, 12, 31)


@st.composite
def postings(
    draw: st.DrawFn,
    *,
    first: dt.date = FIRST,
    last: dt.date = LAST,
    min_size: int = 0,
) -> list[dict[str, Any]]:
    """A valid career: postings that do not overlap (a posting may start the day one ends),
    listed in any order."""
    count = draw(st.integers(min_value=min_size, max_value=max(min_size, 5)))
    day = draw(st.dates(min_value=first, max_value=last))
    latest = dt.date.max - dt.timedelta(days=13 * 366 + 1000)
    found: list[dict[str, Any]] = []
    for index in range(count):
        posting: dict[str, Any] = {"school_area": draw(st.sampled_from(AREAS))}
        posting["start"] = day.isoformat()
        if (index == count - 1 and draw(st.booleans())) or day > latest:
            if draw(st.booleans()):
                posting["end"] = None
            found.append(posting)
            break
        end = day + dt.timedelta(days=draw(st.integers(min_value=0, max_value=12 * 366)))
        posting["end"] = end.isoformat()
        found.append(posting)
        # The next posting starts on the day of transfer, or after a gap.
        day = end + dt.timedelta(days=draw(st.sampled_from([0, 1, 2, 30, 92, 93, 94, 200, 1000])))
    return draw(st.permutations(found)) if found else []


@st.composite
def teachers(
    draw: st.DrawFn, *, with_id: bool = False, first: dt.date = FIRST, last: dt.date = LAST
) -> dict[str, Any]:
    """A valid JSON-shaped teacher record (with an id when ``with_id``)."""
    record: dict[str, Any] = {
        "title": draw(st.sampled_from(TITLES)),
        "service": draw(postings(first=first, last=last)),
    }
    for field in ("meets_title_criteria", "outstanding"):
        if draw(st.booleans()):
            record[field] = draw(st.booleans())
    if with_id:
        record["id"] = draw(st.from_regex(r"T[0-9]{1,4}", fullmatch=True))
    elif draw(st.booleans()):
        record["id"] = draw(IDS)
    order = draw(st.permutations(list(record)))
    return {field: record[field] for field in order}


def candidate_lists(
    *, first: dt.date = FIRST, last: dt.date = LAST
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Valid candidates for a selection: teachers with distinct ids."""
    return st.lists(
        teachers(with_id=True, first=first, last=last),
        max_size=14,
        unique_by=lambda teacher: teacher["id"],
    )


@st.composite
def awards(draw: st.DrawFn, *, first: dt.date = FIRST, last: dt.date = LAST) -> dict[str, Any]:
    """A valid award entry: a school's area, a teacher, or both."""
    names = draw(st.sampled_from([("school_area",), ("teacher",), ("school_area", "teacher")]))
    entry: dict[str, Any] = {}
    if "school_area" in names:
        entry["school_area"] = draw(st.sampled_from(AREAS))
    if "teacher" in names:
        entry["teacher"] = draw(teachers(first=first, last=last))
    if draw(st.booleans()):
        entry["id"] = draw(IDS)
    return entry


def award_lists(
    *, first: dt.date = FIRST, last: dt.date = LAST
) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(awards(first=first, last=last), max_size=12)


# --- records made in Python --------------------------------------------------------------


class Arguments:
    """Keyword arguments to make a record in Python with; ``valid`` when they make one."""

    def __init__(self, arguments: dict[str, Any], *, valid: bool = True) -> None:
        self.arguments = arguments
        self.valid = valid

    def __repr__(self) -> str:
        return f"Arguments({self.arguments!r}, valid={self.valid})"


@st.composite
def record_arguments(
    draw: st.DrawFn, type_: type[Any], valid: st.SearchStrategy[dict[str, Any]]
) -> Arguments:
    """Arguments that make a ``type_`` in Python: those of a valid record, or with one field
    given the record's JSON (a word for an enum, a list for a set) or an odd value."""
    record = structure(draw(valid), type_)
    arguments = {field.name: getattr(record, field.name) for field in attrs.fields(type_)}
    if draw(st.booleans()):
        return Arguments(arguments)
    name = draw(st.sampled_from(sorted(arguments)))
    as_json = unstructure(record).get(name)
    arguments[name] = draw(st.one_of(st.just(as_json), ODD_VALUES))
    return Arguments(arguments, valid=False)


# --- reported figures --------------------------------------------------------------------


def _figure(unit: Unit, can_exceed_100: bool) -> st.SearchStrategy[Any]:
    """A valid reported value of an indicator measured in ``unit``."""
    if unit is Unit.ACHIEVED:
        # Achieved or not: JSON true and false are valid too, but not for an Observation.
        return st.sampled_from([0, 1, "0", "1"])
    if unit.whole:
        return st.integers(min_value=0, max_value=10**6) | st.integers(0, 10**6).map(str)
    top = 300 if (unit is not Unit.PERCENT or can_exceed_100) else 100
    fractions = st.integers(min_value=0, max_value=4).flatmap(
        lambda places: st.decimals(min_value=0, max_value=top, places=places)
    )
    return st.one_of(st.integers(min_value=0, max_value=top), fractions.map(lambda d: f"{d:f}"))


@st.composite
def observations(draw: st.DrawFn) -> dict[str, Any]:
    """A valid JSON-shaped observation of an indicator of any plan."""
    obs: dict[str, Any] = {
        "indicator": draw(st.text(min_size=1, max_size=10)),
        "value": draw(_figure(draw(st.sampled_from(list(Unit))), True)),
    }
    if draw(st.booleans()):
        obs["year"] = draw(st.integers(min_value=1, max_value=9999))
    else:
        obs["on"] = draw(st.dates()).isoformat()
    if draw(st.booleans()):
        obs["unit"] = draw(st.sampled_from([unit.value for unit in Unit]))
    return obs


@st.composite
def reported(draw: st.DrawFn, goals: Goals, years: tuple[int, int]) -> dict[str, Any]:
    """One reported figure, as an object: valid for ``goals``, for a day in ``years``."""
    indicator = draw(st.sampled_from(goals.indicators))
    obs: dict[str, Any] = {
        "indicator": indicator.id,
        "value": draw(_figure(indicator.unit, indicator.can_exceed_100)),
    }
    if draw(st.booleans()):
        obs["year"] = draw(st.integers(min_value=years[0], max_value=years[1]))
    else:
        day = draw(st.dates(dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)))
        obs["on"] = day.isoformat()
    if draw(st.booleans()):
        obs["unit"] = indicator.unit.value
    return obs


def observation_lists(goals: Goals, years: tuple[int, int]) -> st.SearchStrategy[list[Any]]:
    """The list-of-objects form of reported figures: valid for ``goals``."""
    return st.lists(reported(goals, years), max_size=6)


@st.composite
def observation_objects(draw: st.DrawFn, goals: Goals, years: tuple[int, int]) -> Observation:
    """An :class:`~edupolicy.goals.Observation` made in Python: valid for ``goals``, or with
    one field given its JSON or an odd value (an observation is checked when it is used)."""
    found = draw(reported(goals, years))
    record = structure(found, Observation)
    if draw(st.booleans()):
        return record
    name = draw(st.sampled_from([field.name for field in attrs.fields(Observation)]))
    odd = draw(st.one_of(st.just(unstructure(record).get(name)), ODD_VALUES))
    return attrs.evolve(record, **{name: odd})


@st.composite
def observation_mappings(draw: st.DrawFn, goals: Goals) -> dict[str, Any]:
    """The ``{indicator: value}`` form of reported figures: valid for ``goals``."""
    chosen = draw(st.lists(st.sampled_from(goals.indicators), unique_by=lambda i: i.id))
    return {
        indicator.id: draw(
            _figure(indicator.unit, indicator.can_exceed_100)
            | (st.booleans() if indicator.unit is Unit.ACHIEVED else st.nothing())
        )
        for indicator in chosen
    }


# --- plan files --------------------------------------------------------------------------


class RawToml:
    """TOML text written as it is, for values a Python value cannot spell (``nan``, 10**5000)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"RawToml({self.text[:40]!r})"


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_string(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            # An escaped surrogate is not a Unicode scalar value: TOML refuses it.
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_key(key: object) -> str:
    # TOML keys are text: any other key is written as it prints (or as "key").
    try:
        text = str(key)
    except RuntimeError:
        text = "key"
    return text if _BARE_KEY.fullmatch(text) else _toml_string(text)


def toml_value(value: object) -> str:
    """``value`` as a TOML value, tables inline."""
    if isinstance(value, RawToml):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = [f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value if item is not None) + "]"
    return _toml_string(repr(value))


def toml_text(data: object) -> str:
    """A whole TOML document: one ``key = value`` line for each top-level key.

    A value that is not a table becomes the value of a key ``plan``.
    """
    if not isinstance(data, Mapping):
        data = {"plan": data}
    return "".join(f"{_toml_key(k)} = {toml_value(v)}\n" for k, v in data.items() if v is not None)


def _name(text: str) -> dict[str, str]:
    return {"zh_CN": f"名称{text}", "en": f"Name {text}"}


_SOURCE: Final = {"section": "一", "quote": "测试条文"}

#: A small plan that uses every part of the plan vocabulary: aid, goals, teachers.
BASE_PLAN: Final[Mapping[str, Any]] = MappingProxyType(
    {
        "id": "fuzz-plan",
        "document": {
            "number": "测试〔2020〕1号",
            "signed": dt.date(2020, 1, 1),
            "published": dt.date(2020, 1, 5),
            "title": _name("plan"),
            "issuer": _name("bureau"),
        },
        "in_force": {"start": dt.date(2020, 1, 1), "end": dt.date(2020, 12, 31)},
        "sections": {"一": _name("section")},
        "stage_years": dict(STAGE_YEARS),
        "aid": {
            "groups": [{"id": "grant", "combination": "one_wins", "name": _name("grant")}],
            "rules": [
                {
                    "id": "hardship-grant",
                    "group": "grant",
                    "name": _name("hardship"),
                    "benefit": {"kind": "cash", "amount": "1000.00", "frequency": "per_year"},
                    "when": {
                        "all": [
                            {"stage": ["primary", "junior_secondary"]},
                            {"household": ["dibao", "registered_poor"]},
                        ]
                    },
                    "source": _SOURCE,
                },
                {
                    "id": "orphan-grant",
                    "group": "grant",
                    "overrides": ["hardship-grant"],
                    "name": _name("orphan"),
                    "benefit": {"kind": "cash", "amount": "1500.50", "frequency": "per_year"},
                    "when": {"all": [{"orphan": True}, {"not": {"stage": ["preschool"]}}]},
                    "source": _SOURCE,
                },
                {
                    "id": "entry-grant",
                    "name": _name("entry"),
                    "benefit": {"kind": "cash", "amount": "5000", "frequency": "once"},
                    "when": {
                        "all": [
                            {"stage": ["undergraduate"]},
                            {"year": {"min": 1, "max": 1}},
                            {"any": [{"disabled": True}, {"school_area": "rural"}]},
                        ]
                    },
                    "source": _SOURCE,
                },
                {
                    "id": "boarding-waiver",
                    "name": _name("waiver"),
                    "benefit": {"kind": "waiver", "waives": ["boarding", "textbook"]},
                    "when": {"boarding": True},
                    "source": _SOURCE,
                },
                {
                    "id": "support",
                    "name": _name("support"),
                    "benefit": {"kind": "unquantified", "description": _name("support")},
                    "when": {"household": ["other_hardship"]},
                    "source": _SOURCE,
                },
            ],
            "equal_treatment": [
                {
                    "id": "migrants",
                    "status": "migrant_worker",
                    "stages": ["primary"],
                    "name": _name("migrants"),
                    "source": _SOURCE,
                }
            ],
        },
        "goals": {
            "indicators": [
                {"id": "retention", "unit": "percent", "name": _name("retention")},
                {"id": "schools", "unit": "count", "name": _name("schools")},
            ],
            "targets": [
                {
                    "id": "retention-2020",
                    "indicator": "retention",
                    "comparison": "at_least",
                    "value": "95",
                    "deadline": dt.date(2020, 12, 31),
                    "baseline": {"value": "90", "on": dt.date(2020, 1, 1)},
                    "source": _SOURCE,
                },
                {
                    "id": "schools-2020",
                    "indicator": "schools",
                    "comparison": "exactly",
                    "value": 12,
                    "deadline": dt.date(2020, 12, 31),
                    "source": _SOURCE,
                },
            ],
        },
        "teachers": {
            "continuity": {"max_gap_days": 60, "source": _SOURCE},
            "groups": [{"id": "tiers", "combination": "one_wins", "name": _name("tiers")}],
            "rules": [
                {
                    "id": "ten",
                    "group": "tiers",
                    "name": _name("ten"),
                    "when": {"total_rural_years": {"min": 10}},
                    "outcome": {"kind": "recognition", "description": _name("ten")},
                    "source": _SOURCE,
                },
                {
                    "id": "twenty",
                    "group": "tiers",
                    "overrides": ["ten"],
                    "name": _name("twenty"),
                    "when": {
                        "all": [
                            {"total_rural_years": {"min": 20}},
                            {"outstanding": True},
                            {"title": ["junior", "intermediate"]},
                        ]
                    },
                    "outcome": {
                        "kind": "programme",
                        "programme": "trip",
                        "description": _name("trip"),
                    },
                    "source": _SOURCE,
                },
                {
                    "id": "exempt",
                    "name": _name("exempt"),
                    "when": {
                        "all": [
                            {"continuous_rural_years": {"min": 15, "max": 40}},
                            {"meets_title_criteria": True},
                            {"school_area": "rural"},
                        ]
                    },
                    "outcome": {"kind": "title_exemption", "level": "intermediate"},
                    "source": _SOURCE,
                },
            ],
            "quotas": [
                {
                    "id": "trip",
                    "name": _name("trip"),
                    "per_year": 3,
                    "counted_on": "12-31",
                    "ranking": ["total_rural_years", "continuous_rural_years", "id"],
                    "source": _SOURCE,
                }
            ],
            "shares": [
                {"id": "rural", "name": _name("share"), "min_percent": "30", "source": _SOURCE}
            ],
        },
    }
)

#: Values TOML can hold, odd for a plan: wrong types, out of range, odd words, deep nesting.
TOML_ODD: Final = st.one_of(
    ODD_TEXT,
    ODD_INTS.filter(lambda n: abs(n) < 10**4000),
    ODD_FLOATS,
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.lists(st.one_of(ODD_TEXT, st.integers(), st.booleans()), max_size=3),
    st.dictionaries(ODD_TEXT, st.one_of(ODD_TEXT, st.integers()), max_size=3),
    st.sampled_from(
        [
            RawToml("nan"),
            RawToml("-inf"),
            RawToml("1" + "0" * 5000),
            RawToml("[" * 3000 + "]" * 3000),
            RawToml("{a=" * 400 + "1" + "}" * 400),
            RawToml("0x7fffffffffffffff"),
            RawToml("1979-05-27T07:32:00-08:00"),
            RawToml("07:32:00"),
            [],
            {},
        ]
    ),
    st.integers(min_value=1, max_value=400).map(
        lambda depth: RawToml("{ not = " * depth + '{ stage = ["primary"] }' + " }" * depth)
    ),
)


def plan_texts() -> st.SearchStrategy[str]:
    """The text of the valid :data:`BASE_PLAN`, or of one of its mutants."""
    base = st.just(BASE_PLAN).map(lambda plan: copy.deepcopy(dict(plan)))
    return st.one_of(base, mutated(base, TOML_ODD), mutated(base, TOML_ODD)).map(toml_text)


def _edit_bytes(edit: str, text: str, where: float, junk: bytes) -> bytes:
    raw = text.encode("utf-8")
    cut = int(len(raw) * where)
    edits: Mapping[str, Callable[[], bytes]] = {
        "truncate": lambda: raw[:cut],
        "insert": lambda: raw[:cut] + junk + raw[cut:],
        "bom": lambda: b"\xef\xbb\xbf" + raw,
        "utf-16": lambda: text.encode("utf-16"),
        "gbk": lambda: text.encode("gbk", errors="replace"),
        "nul": lambda: raw + b"\x00",
        "latin-1": lambda: raw + "é".encode("latin-1"),
    }
    return edits[edit]()


@st.composite
def plan_files(draw: st.DrawFn) -> bytes:
    """The bytes of a plan file: valid, mutated as data, or damaged as bytes."""
    text = draw(plan_texts())
    if draw(st.integers(0, 3)) > 0:
        return text.encode("utf-8")
    edit = draw(st.sampled_from(["truncate", "insert", "bom", "utf-16", "gbk", "nul", "latin-1"]))
    return _edit_bytes(edit, text, draw(st.floats(0, 1)), draw(st.binary(min_size=1, max_size=8)))
