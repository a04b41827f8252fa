"""``to_json()``, the public spelling of a value's JSON, without the model knowing JSON.

A class of the model that has a JSON shape (a result, an item of one, a record)
derives from :class:`Written`.  Its :meth:`~Written.to_json` asks the writer that
:mod:`edupolicy.io` registered for the class (:func:`register_writer`): the JSON of
every value is written there, by one writer built on the converter, and its schema
generated from the same declarations.  ``edupolicy.io`` names the module that registers
the writers (:func:`writers_in`) when it is imported, before any result exists
(:class:`~edupolicy.Policy` reads through it); that module is imported when a value is
first written, so a writer is always there when asked for, and a process that writes no
JSON never imports it.  A class without a writer raises :class:`TypeError`.

The registry is filled once, when the writers' module is imported, and only read
afterwards.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Written", "register_writer", "writers_in"]

#: Writes a value as JSON, its texts in a locale.
Writer = Callable[[Any, "str | None"], "dict[str, Any]"]

_WRITERS: dict[type, Writer] = {}

#: The modules that register writers when imported, not imported yet.
_LATER: list[str] = []
_LATER_LOCK = threading.Lock()


def register_writer(cls: type, writer: Writer) -> None:
    """Make ``writer`` the JSON of ``cls`` and of its subclasses without a writer of their own.

    Called by :mod:`edupolicy.io` when it is imported, before anything is written.
    """
    _WRITERS[cls] = writer


def writers_in(module: str) -> None:
    """Name ``module`` as one that registers writers when it is imported: it is imported
    the first time a value is written.

    Called by :mod:`edupolicy.io` when it is imported, before anything is written.
    """
    with _LATER_LOCK:
        _LATER.append(module)


def _writer(cls: type) -> Writer:
    for klass in cls.__mro__:
        found = _WRITERS.get(klass)
        if found is not None:
            _WRITERS[cls] = found
            return found
    if _LATER:
        with _LATER_LOCK:
            while _LATER:
                importlib.import_module(_LATER[0])
                del _LATER[0]
        return _writer(cls)
    raise TypeError(f"no JSON writer is registered for {cls.__qualname__}")


class Written:
    """A value whose JSON :mod:`edupolicy.io` writes: :meth:`to_json`."""

    __slots__ = ()

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The value as JSON-shaped data, its texts in ``locale`` (the default locale: ``None``)."""
        writer = _WRITERS.get(type(self)) or _writer(type(self))
        return writer(self, locale)
