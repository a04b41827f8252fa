"""The JSON Schema of a change, as :func:`~edupolicy.io.changetables.read_change` reads it.

What a change sets is typed by the dotted path it sets within the kind of item its
selector names, and what it adds as an item of the list it names: the plan's tables and
lists are found by walking the plan's classes through their tables, as
:mod:`edupolicy.analysis.whatif` walks a plan's JSON shape, and the items' kinds come
from :data:`~edupolicy.plans.change.ITEM_LISTS`.  :class:`ChangeSchemas` is the part of
the schema generator (:class:`~edupolicy.io.recordschema.Generator`) that writes them.
"""

from __future__ import annotations

import abc
import copy
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from edupolicy.io.introspection import description, is_none, typevars
from edupolicy.io.schematypes import BOOLEAN, Schema
from edupolicy.plans.change import ITEM_LISTS, SELECTORS, Change
from edupolicy.plans.plan import Plan

__all__ = ["ChangeSchemas"]


class ChangeSchemas(abc.ABC):
    """The schemas of a change, of what it sets and of what it adds; a part of the
    schema generator, which supplies the schema of any type (:meth:`of`) and keeps the
    definitions (:meth:`ref`, :attr:`defs`)."""

    defs: dict[str, Schema]

    @abc.abstractmethod
    def ref(self, name: str, owner: object, build: Callable[[], Schema]) -> Schema:
        """A reference to the definition ``name`` of ``owner``, built once by ``build``."""

    @abc.abstractmethod
    def of(
        self, type_: Any, env: Mapping[Any, Any], refine: Mapping[str, Any] | None = None
    ) -> Schema:
        """The schema of a value of ``type_``."""

    def _change(self) -> Schema:
        """A change, as :func:`~edupolicy.io.changetables.read_change` reads it: no ``null``;
        one action (``set``, ``remove = true`` or ``add``); one selector, or an ``add`` with
        its ``item`` and no selector; what it sets typed by the path it sets, what it adds
        as an item of the list it adds to (:meth:`_set` and :meth:`_added`)."""
        hints = typing.get_type_hints(Change)
        properties: dict[str, Schema] = {}
        for field in attrs.fields(Change):
            if field.metadata.get("json") is False:
                continue
            hint = hints[field.name]
            members = [a for a in typing.get_args(hint) if not is_none(a)] or [hint]
            base = typing.get_origin(members[0]) or members[0]
            if base is bool:
                properties[field.name] = dict(BOOLEAN)
            elif isinstance(base, type) and issubclass(base, Mapping):
                properties[field.name] = {"type": "object"}
            else:
                properties[field.name] = {"type": "string", "pattern": r"\S"}
        properties["set"]["minProperties"] = 1
        selectors = [{"required": [name]} for name in SELECTORS]
        return {
            "type": "object",
            "description": description(Change),
            "properties": properties,
            "required": [f.name for f in attrs.fields(Change) if f.default is attrs.NOTHING],
            "additionalProperties": False,
            "allOf": [
                {
                    "oneOf": [
                        {"required": ["set"]},
                        {"required": ["remove"], "properties": {"remove": {"enum": [True]}}},
                        {"required": ["add"]},
                    ]
                },
                {
                    "oneOf": [
                        {"required": ["add", "item"], "not": {"anyOf": selectors}},
                        {
                            "not": {"anyOf": [{"required": ["add"]}, {"required": ["item"]}]},
                            "oneOf": copy.deepcopy(selectors),
                        },
                    ]
                },
                self._set(),
                self._added(),
            ],
        }

    def _set(self) -> Schema:
        """What a change sets, by the selector it names: each dotted path within its kind
        of item (or table) and the value the reader takes there."""

        def build() -> Schema:
            variants: list[Schema] = []
            for name, places in ITEM_LISTS.items():
                found = [self.of(*_LISTS[".".join(place)]) for place in places]
                variants.append({"required": [name], "properties": {"set": self._paths(found)}})
            for path, (type_, env) in _TABLES.items():
                variants.append(
                    {
                        "required": ["table"],
                        "properties": {
                            "table": {"enum": [path]},
                            "set": self._paths([self.of(type_, env)]),
                        },
                    }
                )
            return {
                "description": "what a change sets: dotted paths within the item it names",
                "anyOf": [{"not": {"required": ["set"]}}, *variants],
            }

        return self.ref("ChangeSet", "ChangeSet", build)

    def _added(self, *, sourced: bool = False) -> Schema:
        """What a change adds: an item of the list it names.  ``sourced``: the change has
        a source of its own, which an added item without one takes."""
        name = "SourcedChangeItem" if sourced else "ChangeItem"

        def build() -> Schema:
            variants: list[Schema] = []
            for path, (type_, env) in _LISTS.items():
                item = self.of(type_, env)
                if sourced:
                    item = self._unsourced(item)
                variants.append({"properties": {"add": {"enum": [path]}, "item": item}})
            return {
                "description": "what a change adds: an item of the list it names",
                "anyOf": [{"not": {"required": ["add"]}}, *variants],
            }

        return self.ref(name, name, build)

    def _unsourced(self, item: Schema) -> Schema:
        """``item`` (a ``$ref``) with its ``source`` left to the change that adds it."""
        if "$ref" not in item:
            return item
        name = item["$ref"].rsplit("/", 1)[1]
        schema = self.defs[name]
        if "source" not in schema.get("required", ()):
            return item

        def build() -> Schema:
            copied = copy.deepcopy(schema)
            copied["required"] = [key for key in copied["required"] if key != "source"]
            if not copied["required"]:
                del copied["required"]
            return copied

        return self.ref(f"{name}Added", (name, "added"), build)

    def _paths(self, items: list[Schema]) -> Schema:
        """A ``set`` table for an item of one of the shapes ``items``: the dotted path of
        each table or value within it, and what may be written there."""
        exact: dict[str, list[Schema]] = {}
        open_: set[str] = set()
        for item in items:
            self._walk(item, "", (), exact, open_)
        properties: Schema = {}
        for path, found in sorted(exact.items()):
            unique: list[Schema] = []
            for each in found:
                if each not in unique:
                    unique.append(each)
            properties[path] = unique[0] if len(unique) == 1 else {"anyOf": unique}
        schema: Schema = {
            "type": "object",
            "minProperties": 1,
            "properties": properties,
            "additionalProperties": False,
        }
        if open_:
            schema["patternProperties"] = {f"^{re.escape(prefix)}": {} for prefix in sorted(open_)}
        return schema

    def _walk(
        self,
        schema: Schema,
        prefix: str,
        seen: tuple[str, ...],
        exact: dict[str, list[Schema]],
        open_: set[str],
    ) -> None:
        """Collect the dotted paths of ``schema`` under ``prefix``.  Where the paths go on
        without end (a condition within a condition) or have keys of any name (a table of
        sections), any path under ``prefix`` is let through, untyped."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            if name in seen:
                open_.add(prefix)
                return
            self._walk(self.defs[name], prefix, (*seen, name), exact, open_)
            return
        for key, value in schema.get("properties", {}).items():
            exact.setdefault(prefix + key, []).append(value)
            self._walk(value, f"{prefix}{key}.", seen, exact, open_)
        if isinstance(schema.get("additionalProperties"), dict):
            open_.add(prefix)
        for key in ("anyOf", "oneOf", "allOf"):
            for alternative in schema.get(key, ()):
                self._walk(alternative, prefix, seen, exact, open_)


def _model_places(
    cls: type, prefix: str = ""
) -> tuple[dict[str, tuple[Any, Mapping[Any, Any]]], dict[str, tuple[Any, Mapping[Any, Any]]]]:
    """The tables and the lists of the JSON shape of ``cls`` (an attrs class), reached
    through tables only, by dotted path: what a change's ``table`` and ``add`` name, as
    :mod:`edupolicy.analysis.whatif` finds them.  Each with its type (of a list: of its
    items) and the meaning of its type variables."""
    tables: dict[str, tuple[Any, Mapping[Any, Any]]] = {}
    lists: dict[str, tuple[Any, Mapping[Any, Any]]] = {}
    hints = typing.get_type_hints(cls)
    env = typevars(cls)
    for field in attrs.fields(cls):
        if field.metadata.get("json") is False:
            continue
        type_ = hints[field.name]
        members = [a for a in typing.get_args(type_) if not is_none(a)]
        if typing.get_origin(type_) in (typing.Union, types.UnionType) and len(members) == 1:
            type_ = members[0]
        if isinstance(type_, typing.TypeVar):
            type_ = env[type_]
        origin = typing.get_origin(type_)
        path = prefix + field.name
        if origin in (tuple, frozenset):
            lists[path] = (typing.get_args(type_)[0], env)
        elif origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
            tables[path] = (type_, env)
        elif isinstance(type_, type) and attrs.has(type_):
            tables[path] = (type_, env)
            more_tables, more_lists = _model_places(type_, f"{path}.")
            tables.update(more_tables)
            lists.update(more_lists)
    return tables, lists


#: The tables and lists of a plan, by dotted path, as changes name them.
_TABLES, _LISTS = _model_places(Plan)
