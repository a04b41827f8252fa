"""How the converter's hooks are made, for any class: its fields read strictly, each
with the reader its metadata names, by a hook made on first use; a union read by its
``kind`` tag; an attrs class, a decimal and a set written in the shape a plan file or
record states them.  :func:`~edupolicy.io.convert.make_converter` registers them.
"""

from __future__ import annotations

import threading
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from edupolicy.aid import Student
from edupolicy.i18n import Message, _
from edupolicy.io._problems import Bad, is_unknown_field, relative, suggesting
from edupolicy.io.scalars import READERS, mapping
from edupolicy.teachers import Award, Posting, Teacher

__all__ = [
    "is_attrs",
    "is_collection",
    "is_frozenset",
    "is_type",
    "object_hook",
    "on_first_use",
    "origin",
    "read_fields",
    "tagged_union",
    "unstructure_attrs",
    "unstructure_decimal",
    "unstructure_set",
]

T = TypeVar("T")

#: The records a host sends, written with every field, ``null`` where there is none: one
#: shape, whether it comes from ``unstructure`` or ``to_json()``.
_RECORDS: frozenset[type] = frozenset({Student, Teacher, Posting, Award})


def unstructure_attrs(converter: cattrs.Converter, type_: Any) -> Callable[[Any], Any]:
    """Write an attrs class's fields, leaving out those that are not data (``json=False``
    in their metadata: the kinds of condition a plan was read with); and, but for a
    record, those that are ``None`` by default, as a plan file does (TOML has no null)."""
    omitted: dict[str, Any] = {
        field.name: override(omit_if_default=True)
        for field in attrs.fields(origin(type_))
        if field.default is None and origin(type_) not in _RECORDS
    }
    omitted.update(
        (field.name, override(omit=True))
        for field in attrs.fields(origin(type_))
        if field.metadata.get("json") is False
    )
    return make_dict_unstructure_fn(type_, converter, **omitted)


def unstructure_decimal(value: Decimal) -> str:
    """A decimal as its digits, never in exponent notation, so it reads back exactly."""
    return format(value, "f")


# --- benefits and outcomes: tagged unions ------------------------------------------------


def _kind_tag(cls: Any) -> str:
    tag: str = cls.kind.value
    return tag


def tagged_union(
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

    converter.register_structure_hook_func(is_type(union), structure)


# --- records --------------------------------------------------------------------------------


def object_hook(
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


def on_first_use(make: Callable[[], Callable[[Any, Any], T]]) -> Callable[[Any, Any], T]:
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


def read_fields(
    converter: cattrs.Converter, type_: type[T], **overrides: Callable[[object, object], Any]
) -> None:
    """Read the fields of ``type_`` strictly, some with hooks of their own: those given,
    and the reader a field's metadata names (``metadata={"json": {"read": "year"}}``,
    one of :data:`~edupolicy.io.scalars.READERS`)."""
    hooks = {
        field.name: READERS[field.metadata["json"]["read"]]
        for field in attrs.fields(origin(type_))
        if isinstance(field.metadata.get("json"), Mapping) and "read" in field.metadata["json"]
    }
    hooks.update(overrides)
    attribute_overrides: dict[str, Any] = {
        name: override(struct_hook=hook) for name, hook in hooks.items()
    }
    converter.register_structure_hook(
        type_,
        on_first_use(
            lambda: make_dict_structure_fn(
                type_, converter, _cattrs_forbid_extra_keys=True, **attribute_overrides
            )
        ),
    )


def is_type(expected: Any) -> Callable[[Any], bool]:
    return lambda type_: bool(type_ == expected)


def is_collection(type_: Any) -> bool:
    return typing.get_origin(type_) in (tuple, frozenset) and type_ is not tuple


def origin(type_: Any) -> Any:
    """The class of ``type_``, a generic alias (``All[Student]``) or a class."""
    origin: Any = typing.get_origin(type_)
    return type_ if origin is None else origin


def is_attrs(type_: Any) -> bool:
    return isinstance(origin(type_), type) and attrs.has(origin(type_))


def unstructure_set(converter: cattrs.Converter, type_: Any) -> Callable[[Any], Any]:
    """Write a set as a sorted list, each item as the set's type of item says (a
    household status a plan declares as its id)."""
    (item,) = typing.get_args(type_) or (Any,)
    return lambda value: sorted(converter.unstructure(found, item) for found in value)


def is_frozenset(type_: Any) -> bool:
    return typing.get_origin(type_) is frozenset
