"""Names of a package imported from their modules when first asked for.

A package whose ``__init__`` re-exports what its modules define imports all of them
with it, although a host that only answers questions needs few.  :func:`lazy_names`
makes such a package import each module on the first use of one of its names (the
module-level ``__getattr__`` of PEP 562, here on the package's module type), and keep
the name, so that later uses cost a dictionary lookup.  The package's ``__init__`` still
imports the names for the type checker, under ``TYPE_CHECKING``.

A name may be that of a module of the package as well (``edupolicy.analysis.audit`` is
the function ``audit`` and the module that defines it).  The import system binds a
module to its name in its package once the module is imported; a lazy package keeps
its own name instead, as the eager import of the name did.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping

__all__ = ["lazy_module", "lazy_names"]


class _LazyPackage(types.ModuleType):
    """A package whose names in ``__lazy__`` are imported on first use."""

    __lazy__: Mapping[str, str]

    def __getattr__(self, name: str) -> object:
        where = self.__lazy__.get(name)
        if where is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        module_name, _, attribute = where.partition(":")
        module = importlib.import_module(module_name)
        value = getattr(module, attribute) if attribute else module
        types.ModuleType.__setattr__(self, name, value)
        return value

    def __setattr__(self, name: str, value: object) -> None:
        where = self.__dict__.get("__lazy__", {}).get(name)
        if isinstance(value, types.ModuleType) and where is not None and ":" in where:
            # The import system binding a module to a name the package gives another
            # object: the package's object keeps the name.
            return
        types.ModuleType.__setattr__(self, name, value)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.__lazy__})


def lazy_names(package: str, names: Mapping[str, str]) -> None:
    """Make the names of ``package`` import on first use.

    ``names`` maps each name to where it is defined: ``"module:attribute"``, or
    ``"module"`` for a module itself.  The package's own module-level ``__getattr__``,
    if it has one, is asked first (it raises :class:`AttributeError` for a name it does
    not know); a name found nowhere is an :class:`AttributeError`.
    """
    module = sys.modules[package]
    module.__lazy__ = dict(names)  # type: ignore[attr-defined]
    module.__class__ = _LazyPackage


class _LazyModule(types.ModuleType):
    """Stands in for a module not imported yet: the first name asked of it imports it.

    It keeps each name once asked, so that a name used for every record of a roster costs
    a dictionary lookup after the first.
    """

    def __getattr__(self, name: str) -> object:
        value = getattr(importlib.import_module(self.__name__), name)
        types.ModuleType.__setattr__(self, name, value)
        return value


def lazy_module(name: str) -> types.ModuleType:
    """The module ``name``, imported on the first use of one of its names.

    For a module that needs another in some of its functions only (a module beside it,
    one of a layer below that answers a question, a module of the standard library
    used on a rare path): it does not import that module when it is imported itself,
    and does not reach it through their package (which may import the module using
    it: a circle).  Under ``TYPE_CHECKING``, import the module itself, so that its
    names are checked.
    """
    return _LazyModule(name)
