"""What the model's classes say of themselves, for their JSON Schemas: a class's
description, whether a type is ``None``, and what the type variables of a class's generic
bases stand for.
"""

from __future__ import annotations

import typing
from typing import Any

__all__ = ["description", "is_none", "typevars"]


def description(cls: type) -> str | None:
    """The first paragraph of ``cls``'s docstring, on one line."""
    doc = cls.__doc__
    if not doc or doc.startswith(f"{cls.__name__}("):  # attrs' generated signature
        return None
    return " ".join(doc.strip().split("\n\n")[0].split())


def is_none(type_: Any) -> bool:
    return type_ is type(None)


def typevars(cls: type) -> dict[Any, Any]:
    """What each type variable of ``cls``'s generic bases stands for (``S`` → ``Student``)."""
    found: dict[Any, Any] = {}
    for klass in reversed(cls.__mro__):
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base)
            parameters = getattr(origin, "__parameters__", ())
            arguments = [found.get(a, a) for a in typing.get_args(base)]
            found.update(zip(parameters, arguments, strict=False))
    return found
