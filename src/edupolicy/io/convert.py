"""The one cattrs converter of the JSON boundary, made here and only here.

Strict: an unknown field, a value of the wrong JSON type, an unknown enum value is an
error.  Nothing is coerced (``"false"`` is not a bool, ``"3"`` and ``2.5`` are not a
year).  Every problem of an input is collected and reported at once, each with its
JSON path and the offending value.  Every hook is registered in :func:`make_converter`;
the model classes it reads know nothing of it.  How a hook is made for any class is
:mod:`edupolicy.io.hook_factories`; the hooks of changes and plans are
:mod:`edupolicy.io.plan_hooks`, those of conditions :mod:`edupolicy.io.conditions`, those
of plain values :mod:`edupolicy.io.scalars`.

The converter is made on first use (:func:`get_converter`), not when this module is
imported: making it generates code for the classes it reads, which a process that never
reads a plan or a record does not need.
"""

from __future__ import annotations

import datetime as _dt
import enum
import threading
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import cattrs

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
from edupolicy.errors import FieldProblem, InvalidRecordError
from edupolicy.goals import Baseline, Fact, Observation, Target
from edupolicy.i18n import Message, _
from edupolicy.io._problems import Bad, bad, problems
from edupolicy.io.conditions import (
    AID_LEAVES,
    CORE_CONDITION_KEYS,
    TEACHER_LEAVES,
    Extensions,
    condition_hook,
    reading_with,
    structure_status,
    unstructure_condition,
)
from edupolicy.io.hook_factories import (
    is_attrs,
    is_collection,
    is_frozenset,
    is_type,
    object_hook,
    read_fields,
    tagged_union,
    unstructure_attrs,
    unstructure_decimal,
    unstructure_set,
)
from edupolicy.io.plan_hooks import (
    layer_change_hook,
    plan_hook,
    structure_change,
    unstructure_change,
)
from edupolicy.io.scalars import (
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
from edupolicy.rules import Condition
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
        is_collection, lambda t: collection_hook(converter, t)
    )

    converter.register_structure_hook_func(is_type(HouseholdStatus), structure_status)

    aid_condition: Any = Condition[Student]
    teacher_condition: Any = Condition[TeacherOn]
    for condition, leaves, base in (
        (aid_condition, AID_LEAVES, AidExtension),
        (teacher_condition, TEACHER_LEAVES, TeacherExtension),
    ):
        converter.register_structure_hook_func(
            is_type(condition), condition_hook(converter, condition, leaves, base)
        )

    # Unstructuring: a value in the shape a plan file or record states it.  Registered
    # before the tagged unions, whose hooks are made from these.
    converter.register_unstructure_hook_factory(is_attrs, lambda t: unstructure_attrs(converter, t))
    converter.register_unstructure_hook(Decimal, unstructure_decimal)
    converter.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    converter.register_unstructure_hook_factory(
        is_frozenset, lambda t: unstructure_set(converter, t)
    )
    converter.register_unstructure_hook_func(is_type(HouseholdStatus), lambda status: status.value)
    write_condition = unstructure_condition(converter)
    for condition in (aid_condition, teacher_condition):
        converter.register_unstructure_hook_func(is_type(condition), write_condition)

    tagged_union(
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
    tagged_union(
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

    converter.register_structure_hook(Change, structure_change)
    converter.register_unstructure_hook(Change, unstructure_change)
    converter.register_structure_hook(LayerChange, layer_change_hook(converter))
    converter.register_unstructure_hook(
        LayerChange,
        lambda entry: {
            **unstructure_change(entry.change),
            "source": converter.unstructure(entry.source),
        },
    )

    read_fields(converter, PlanStatus)
    for plan_type in (Plan, PlanLayer):
        converter.register_structure_hook(plan_type, plan_hook(converter, plan_type))

    read_fields(converter, Student)
    read_fields(converter, Posting)
    read_fields(converter, Teacher, service=_service_hook(converter))
    converter.register_structure_hook(
        Teacher, object_hook(converter, Teacher, lambda _teacher, _data: None)
    )
    read_fields(converter, Award)
    converter.register_structure_hook(
        Award, object_hook(converter, Award, lambda _award, _data: None)
    )
    for record in (Share, Observation, Target, Baseline, Fact):
        read_fields(converter, record)

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
