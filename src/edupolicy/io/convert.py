"""The one cattrs converter of the JSON boundary, made here and only here.

Strict: an unknown field, a value of the wrong JSON type, an unknown enum value is an
error.  Nothing is coerced (``"false"`` is not a bool, ``"3"`` and ``2.5`` are not a
year).  Every problem of an input is collected and reported at once, each with its
JSON path and the offending value.  Every hook is registered in :func:`make_converter`;
the model classes it reads know nothing of it.

The converter is made on first use (:func:`get_converter`), not when this module is
imported: making it generates code for the classes it reads, which a process that never
reads a plan or a record does not need.
"""

from __future__ import annotations

import datetime as _dt
import enum
import threading
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from edupolicy.aid import (
    AidExtension,
    Benefit,
    Cash,
    HouseholdStatus,
    PlanStatus,
    Student,
    Unquantified,
    Waiver,
)
from edupolicy.errors import MISSING, FieldProblem, InvalidRecordError
from edupolicy.goals import Baseline, Fact, Observation, Target
from edupolicy.i18n import Message, _
from edupolicy.io._problems import (
    Bad,
    bad,
    is_unknown_field,
    problems,
    relative,
    suggesting,
    unknown_field,
)
from edupolicy.io.changefiles import read_change
from edupolicy.io.conditions import (
    AID_LEAVES,
    CORE_CONDITION_KEYS,
    TEACHER_LEAVES,
    Extensions,
    condition_hook,
    extensions,
    reading_with,
    structure_status,
    unstructure_condition,
)
from edupolicy.io.scalars import (
    READERS,
    collection_hook,
    enum_hook,
    mapping,
    structure_bool,
    structure_date,
    structure_int,
    structure_money,
    structure_str,
)
from edupolicy.plans.change import Change
from edupolicy.plans.layer import LayerChange, PlanLayer
from edupolicy.plans.plan import Plan
from edupolicy.rules import Condition, Source
from edupolicy.teachers import (
    Allowance,
    Award,
    Outcome,
    Posting,
    Priority,
    Programme,
    Recognition,
    RelaxedHonours,
    Share,
    Teacher,
    TeacherExtension,
    TeacherOn,
    TitleExemption,
)
from edupolicy.teachers.service import overlap_problems

# ``CONVERTER`` (the converter, made when first asked for) is still there, through the
# module's ``__getattr__``; new code calls :func:`get_converter`.
__all__ = [
    "CORE_CONDITION_KEYS",
    "Extensions",
    "get_converter",
    "make_converter",
    "reading_with",
    "structure",
    "structure_record",
    "too_deep",
    "unstructure",
]

T = TypeVar("T")

#: The records a host sends, written with every field, ``null`` where there is none: one
#: shape, whether it comes from ``unstructure`` or ``to_json()``.
_RECORDS: frozenset[type] = frozenset({Student, Teacher, Posting, Award})


def _unstructure_attrs(converter: cattrs.Converter, type_: Any) -> Callable[[Any], Any]:
    """Write an attrs class's fields, leaving out those that are not data (``json=False``
    in their metadata: the kinds of condition a plan was read with); and, but for a
    record, those that are ``None`` by default, as a plan file does (TOML has no null)."""
    omitted: dict[str, Any] = {
        field.name: override(omit_if_default=True)
        for field in attrs.fields(_origin(type_))
        if field.default is None and _origin(type_) not in _RECORDS
    }
    omitted.update(
        (field.name, override(omit=True))
        for field in attrs.fields(_origin(type_))
        if field.metadata.get("json") is False
    )
    return make_dict_unstructure_fn(type_, converter, **omitted)


def _unstructure_decimal(value: Decimal) -> str:
    """A decimal as its digits, never in exponent notation, so it reads back exactly."""
    return format(value, "f")


# --- benefits and outcomes: tagged unions ------------------------------------------------


def _kind_tag(cls: Any) -> str:
    tag: str = cls.kind.value
    return tag


def _tagged(
    converter: cattrs.Converter,
    union: Any,
    kinds: Mapping[str, type],
    needs: Callable[[str, str], Message],
    has_no: Callable[[str, str], Message],
) -> None:
    """Read ``union`` by its ``kind`` tag through cattrs, with messages that name the kind."""
    configure_tagged_union(union, converter, tag_name="kind", tag_generator=_kind_tag)
    tagged = converter.get_structure_hook(union)
    allowed = ", ".join(kinds)

    def structure(value: object, _type: object) -> Any:
        data = mapping(value)
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            raise Bad([(".kind", kind, _("must be one of: {allowed}", allowed=allowed))])
        try:
            return tagged(data, union)
        except Exception as exc:
            found = relative(exc, data)
        reworded = []
        for path, shown, message in found:
            field = path[1:]
            if message.msgid == "required field is missing":
                message = needs(kind, field)
            elif is_unknown_field(message):
                known = [f.name for f in attrs.fields(kinds[kind])]
                message = suggesting(has_no(kind, field), field, ["kind", *known])
            reworded.append((path, shown, message))
        raise Bad(reworded)

    converter.register_structure_hook_func(_is(union), structure)


# --- records --------------------------------------------------------------------------------


def _service_hook(converter: cattrs.Converter) -> Callable[[object, object], tuple[Posting, ...]]:
    """A teacher's postings: each one checked, then every overlap, by the later posting."""

    def structure(value: object, _type: object) -> tuple[Posting, ...]:
        if not isinstance(value, (list, tuple)):
            raise bad(value, _("must be a list"))
        good: list[tuple[int, Posting, object]] = []
        found: list[tuple[str, object, Message]] = []
        for index, raw in enumerate(value):
            try:
                good.append((index, converter.structure(mapping(raw), Posting), raw))
            except Exception as exc:
                found.extend(
                    (f"[{index}]{p.path[1:]}", p.value, p.message)
                    for p in problems(exc, "$", raw, raw=True)
                )
        raws = {index: raw for index, _posting, raw in good}
        for index, message in overlap_problems([(i, posting) for i, posting, _raw in good]):
            found.append((f"[{index}]", raws[index], message))
        if found:
            raise Bad(found)
        return tuple(posting for _index, posting, _raw in good)

    return structure


def _object(
    converter: cattrs.Converter, type_: type[T], check: Callable[[T, Mapping[str, Any]], None]
) -> Callable[[object, object], T]:
    """Read a record that must be a JSON object, then ``check`` it against its input."""
    fields = converter.get_structure_hook(type_)

    def structure(value: object, _type: object) -> T:
        data = mapping(value)
        found: T = fields(data, type_)
        check(found, data)
        return found

    return structure


def _on_first_use(make: Callable[[], Callable[[Any, Any], T]]) -> Callable[[Any, Any], T]:
    """A structure hook that ``make`` makes when it is first called.

    cattrs generates and compiles the code of a hook: a process that reads only plans
    never needs that of a student or a teacher, and one that reads only records never
    needs that of a plan.  Making a hook calls no other hook, so making one never waits
    for another.
    """
    made: list[Callable[[Any, Any], T]] = []
    lock = threading.Lock()

    def hook(value: Any, type_: Any) -> T:
        if not made:
            with lock:
                if not made:
                    made.append(make())
        return made[0](value, type_)

    return hook


def _fields(
    converter: cattrs.Converter, type_: type[T], **overrides: Callable[[object, object], Any]
) -> None:
    """Read the fields of ``type_`` strictly, some with hooks of their own: those given,
    and the reader a field's metadata names (``metadata={"json": {"read": "year"}}``,
    one of :data:`~edupolicy.io.scalars.READERS`)."""
    hooks = {
        field.name: READERS[field.metadata["json"]["read"]]
        for field in attrs.fields(_origin(type_))
        if isinstance(field.metadata.get("json"), Mapping) and "read" in field.metadata["json"]
    }
    hooks.update(overrides)
    attribute_overrides: dict[str, Any] = {
        name: override(struct_hook=hook) for name, hook in hooks.items()
    }
    converter.register_structure_hook(
        type_,
        _on_first_use(
            lambda: make_dict_structure_fn(
                type_, converter, _cattrs_forbid_extra_keys=True, **attribute_overrides
            )
        ),
    )


def _is(expected: Any) -> Callable[[Any], bool]:
    return lambda type_: bool(type_ == expected)


def _is_collection(type_: Any) -> bool:
    return typing.get_origin(type_) in (tuple, frozenset) and type_ is not tuple


def _origin(type_: Any) -> Any:
    """The class of ``type_``, a generic alias (``All[Student]``) or a class."""
    origin: Any = typing.get_origin(type_)
    return type_ if origin is None else origin


def _is_attrs(type_: Any) -> bool:
    return isinstance(_origin(type_), type) and attrs.has(_origin(type_))


def _unstructure_set(converter: cattrs.Converter, type_: Any) -> Callable[[Any], Any]:
    """Write a set as a sorted list, each item as the set's type of item says (a
    household status a plan declares as its id)."""
    (item,) = typing.get_args(type_) or (Any,)
    return lambda value: sorted(converter.unstructure(found, item) for found in value)


def _is_frozenset(type_: Any) -> bool:
    return typing.get_origin(type_) is frozenset


def _structure_change(value: object, _type: object) -> Change:
    """A change in plan data (a reading's choice): the same table a change file holds."""
    change, found = read_change(value)
    if found or change is None:
        raise Bad(found)
    return change


def _unstructure_change(change: Change) -> dict[str, Any]:
    """A change as its table: only the fields it gives."""
    data: dict[str, Any] = {"reason": change.reason}
    selector = change.selector
    if selector is not None:
        data[selector[0]] = selector[1]
    if change.set is not None:
        data["set"] = dict(change.set)
    if change.remove:
        data["remove"] = True
    if change.add is not None:
        data["add"] = change.add
    if change.item is not None:
        data["item"] = dict(change.item)
    return data


def _layer_change_hook(converter: cattrs.Converter) -> Callable[[object, object], LayerChange]:
    """A change a district makes to what it inherits: a change table with its ``source``."""

    def structure(value: object, _type: object) -> LayerChange:
        data = mapping(value)
        found: list[tuple[str, object, Message]] = []
        source: Source | None = None
        if "source" not in data:
            found.append(
                (
                    ".source",
                    MISSING,
                    _("a change to what a plan inherits cites the plan's own words: its source"),
                )
            )
        else:
            try:
                source = converter.structure(data["source"], Source)
            except Exception as exc:
                found.extend(
                    (f".source{path}", shown, message)
                    for path, shown, message in relative(exc, data["source"])
                )
        change, wrong = read_change({key: item for key, item in data.items() if key != "source"})
        found.extend(wrong)
        if found or change is None or source is None:
            raise Bad(found)
        return LayerChange(change=change, source=source)

    return structure


def _plan_hook(converter: cattrs.Converter, type_: type[T]) -> Callable[[object, object], T]:
    """Read a plan (or a district's layer): its declared household statuses first, so
    that its conditions and provisions may name them; the plan remembers the kinds of
    condition it was read with."""
    # What a plan was read with and what it was built on are not plan data.
    hidden = [f.name for f in attrs.fields(_origin(type_)) if f.metadata.get("json") is False]
    omitted: dict[str, Any] = {name: override(omit=True) for name in hidden}
    fields = _on_first_use(
        lambda: make_dict_structure_fn(type_, converter, _cattrs_forbid_extra_keys=True, **omitted)
    )

    def structure(value: object, _type: object) -> T:
        data = mapping(value)
        for name in hidden:
            if name in data:
                raise Bad([(f".{name}", data[name], unknown_field(name, []))])
        try:
            declared = converter.structure(
                data.get("household_statuses", ()), tuple[PlanStatus, ...]
            )
        except Exception:
            declared = ()  # reported, by path, when the plan's fields are read
        kinds = extensions()
        with reading_with(statuses=declared):
            found = fields(data, type_)
        if kinds:
            # Set on the object just made, before anyone else sees it: what it was
            # read with is not plan data, and changes nothing that was checked.
            object.__setattr__(found, "extensions", kinds)
        return found

    return structure


# --- the converter ---------------------------------------------------------------------


class _Converter(cattrs.Converter):
    """A converter that generates the structure hook of an attrs class without a hook of
    its own once.

    When cattrs generates the hook of a class, it looks up the hooks of its fields'
    classes without keeping them: a class read in many places of a plan (a text, a
    source) would have its hook generated and compiled again for each.

    A kept hook is not made again when a hook is registered later: every hook a
    generated one may use is registered in :func:`make_converter` before anything is
    read with it, and nothing registers a hook after that.
    """

    __slots__ = ("_attrs_hooks",)

    def __init__(self, **options: Any) -> None:
        self._attrs_hooks: dict[Any, Callable[[Mapping[str, Any], Any], Any]] = {}
        super().__init__(**options)

    def gen_structure_attrs_fromdict(self, cl: Any) -> Callable[[Mapping[str, Any], Any], Any]:
        found = self._attrs_hooks.get(cl)
        if found is None:
            found = self._attrs_hooks[cl] = super().gen_structure_attrs_fromdict(cl)
        return found


def make_converter() -> cattrs.Converter:
    """The strict converter of the JSON boundary, with every hook it needs.

    The hooks of the records and of plans are generated when first used.
    """
    converter = _Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(bool, structure_bool)
    converter.register_structure_hook(int, structure_int)
    converter.register_structure_hook(str, structure_str)
    converter.register_structure_hook(Decimal, structure_money)
    converter.register_structure_hook(_dt.date, structure_date)
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), enum_hook
    )
    converter.register_structure_hook_factory(
        _is_collection, lambda t: collection_hook(converter, t)
    )

    converter.register_structure_hook_func(_is(HouseholdStatus), structure_status)

    aid_condition: Any = Condition[Student]
    teacher_condition: Any = Condition[TeacherOn]
    for condition, leaves, base in (
        (aid_condition, AID_LEAVES, AidExtension),
        (teacher_condition, TEACHER_LEAVES, TeacherExtension),
    ):
        converter.register_structure_hook_func(
            _is(condition), condition_hook(converter, condition, leaves, base)
        )

    # Unstructuring: a value in the shape a plan file or record states it.  Registered
    # before the tagged unions, whose hooks are made from these.
    converter.register_unstructure_hook_factory(
        _is_attrs, lambda t: _unstructure_attrs(converter, t)
    )
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    converter.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    converter.register_unstructure_hook_factory(
        _is_frozenset, lambda t: _unstructure_set(converter, t)
    )
    converter.register_unstructure_hook_func(_is(HouseholdStatus), lambda status: status.value)
    write_condition = unstructure_condition(converter)
    for condition in (aid_condition, teacher_condition):
        converter.register_unstructure_hook_func(_is(condition), write_condition)

    _tagged(
        converter,
        Benefit,
        {cls.kind.value: cls for cls in (Cash, Waiver, Unquantified)},
        lambda kind, field: _(
            "a benefit of kind {kind} needs the field {field}", kind=kind, field=field
        ),
        lambda kind, field: _(
            "a benefit of kind {kind} has no field {field}", kind=kind, field=field
        ),
    )
    _tagged(
        converter,
        Outcome,
        {
            cls.kind.value: cls
            for cls in (TitleExemption, Recognition, Programme, RelaxedHonours, Priority, Allowance)
        },
        lambda kind, field: _(
            "an outcome of kind {kind} needs the field {field}", kind=kind, field=field
        ),
        lambda kind, field: _(
            "an outcome of kind {kind} has no field {field}", kind=kind, field=field
        ),
    )

    converter.register_structure_hook(Change, _structure_change)
    converter.register_unstructure_hook(Change, _unstructure_change)
    converter.register_structure_hook(LayerChange, _layer_change_hook(converter))
    converter.register_unstructure_hook(
        LayerChange,
        lambda entry: {
            **_unstructure_change(entry.change),
            "source": converter.unstructure(entry.source),
        },
    )

    _fields(converter, PlanStatus)
    for plan_type in (Plan, PlanLayer):
        converter.register_structure_hook(plan_type, _plan_hook(converter, plan_type))

    _fields(converter, Student)
    _fields(converter, Posting)
    _fields(converter, Teacher, service=_service_hook(converter))
    converter.register_structure_hook(
        Teacher, _object(converter, Teacher, lambda _teacher, _data: None)
    )
    _fields(converter, Award)
    converter.register_structure_hook(Award, _object(converter, Award, lambda _award, _data: None))
    for record in (Share, Observation, Target, Baseline, Fact):
        _fields(converter, record)

    return converter


_converter: cattrs.Converter | None = None
_converter_lock = threading.Lock()


def get_converter() -> cattrs.Converter:
    """The one converter of the JSON boundary, made on first use."""
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = make_converter()
    return _converter


def __getattr__(name: str) -> cattrs.Converter:
    """``CONVERTER``: the one converter (:func:`get_converter`), made when first asked for."""
    if name == "CONVERTER":
        return get_converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: How deeply a record may nest (a teacher's postings are three levels down).
MAX_DEPTH = 16


def too_deep(data: object, limit: int) -> bool:
    """Whether ``data`` nests containers more than ``limit`` levels deep (no recursion)."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def structure_record(
    data: object,
    type_: type[T],
    *,
    locale: str | None = None,
    what: Message | None = None,
    statuses: Iterable[PlanStatus] = (),
) -> T:
    """``data`` as a ``type_``, or an :class:`InvalidRecordError` listing every problem.

    Whatever ``data`` holds, the outcome is the record or our error: a record nested
    more than :data:`MAX_DEPTH` levels is refused before it is read, and at most
    ``edupolicy.errors.MAX_PROBLEMS`` problems are listed.
    """
    heading = what or _("Invalid record")
    if not isinstance(data, Mapping):
        raise InvalidRecordError(
            heading, [FieldProblem("$", data, _("must be a JSON object"))], locale=locale
        )
    if too_deep(data, MAX_DEPTH):
        raise InvalidRecordError(
            heading,
            [FieldProblem("$", data, _("nested more than {max} levels deep", max=MAX_DEPTH))],
            locale=locale,
        )
    try:
        with reading_with(statuses=statuses):
            return get_converter().structure(data, type_)
    except Exception as exc:
        found = problems(exc, "$", data, raw=True)
    # At most MAX_PROBLEMS of them are listed, and the rest counted: the error bounds them.
    raise InvalidRecordError(heading, found, locale=locale)


def unstructure(value: object) -> Any:
    """``value`` in its JSON shape."""
    return get_converter().unstructure(value)


_HEADINGS: Mapping[type, Message] = {
    Student: _("Invalid student record"),
    Teacher: _("Invalid teacher record"),
    Award: _("Invalid award entry"),
    Observation: _("Invalid observations"),
}


def structure(
    data: object,
    type_: type[T],
    *,
    locale: str | None = None,
    statuses: Iterable[PlanStatus] = (),
) -> T:
    """A record of ``type_`` (:class:`~edupolicy.Student`, :class:`~edupolicy.Teacher`,
    :class:`~edupolicy.Award`…) read from its JSON-shaped mapping, checked strictly.

    Every bad field is reported at once, by path and value, in one
    :class:`~edupolicy.errors.InvalidRecordError`; ``locale`` chooses its language.
    A student's household may also name ``statuses``, those a plan declares
    (:attr:`Plan.household_statuses <edupolicy.Plan.household_statuses>`).
    """
    return structure_record(
        data, type_, locale=locale, what=_HEADINGS.get(type_), statuses=statuses
    )
