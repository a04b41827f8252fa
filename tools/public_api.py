"""Write the public surface of edupolicy: every public name of the documented modules.

``python tools/public_api.py``
    Write ``tests/public_api.txt`` from the code as it is now.
``python tools/public_api.py check``
    Print how the file differs from the code; exit with 1 when it does.
    ``tests/test_public_api.py`` runs the same comparison.

The file has a section per module that ``docs/api.md`` and ``docs/reference/`` document,
and a line per public name (``__all__``): ``module.name: kind signature``.  A function
shows its signature; a class its constructor, then a line per public method, property
and enum member, inherited ones included; anything else its type.  Annotations are
written as the source spells them (``from __future__ import annotations`` keeps them
strings), so the text is the same on every Python version edupolicy supports.  Last
come the deprecated aliases of 0.1.0's names, each with its new spelling.

A module whose optional dependencies are not installed cannot be read; its section is
kept as the file has it, and the check says so.
"""

from __future__ import annotations

import difflib
import enum
import functools
import importlib
import inspect
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: Where the surface is written; the test compares the code with it.
FILE = ROOT / "tests" / "public_api.txt"

#: The modules the API reference documents, each read through its ``__all__``.
MODULES = (
    "edupolicy",
    "edupolicy.aid",
    "edupolicy.analysis",
    "edupolicy.cases",
    "edupolicy.columnar",
    "edupolicy.columnar.arrow",
    "edupolicy.columnar.dask",
    "edupolicy.columnar.extras",
    "edupolicy.columnar.pandas",
    "edupolicy.decimals",
    "edupolicy.errors",
    "edupolicy.goals",
    "edupolicy.i18n",
    "edupolicy.io",
    "edupolicy.plans",
    "edupolicy.plugins",
    "edupolicy.plugins.registry",
    "edupolicy.plugins.spec",
    "edupolicy.policy",
    "edupolicy.policy.questions",
    "edupolicy.rules",
    "edupolicy.server",
    "edupolicy.teachers",
    "edupolicy.values",
)

#: Names the reference documents beyond a module's ``__all__``.
EXTRA_NAMES: dict[str, tuple[str, ...]] = {}

#: The heading of the section of the deprecated aliases.
DEPRECATED = "deprecated aliases"

#: Where an inherited member comes from the language, not from edupolicy: left out.
_FOREIGN = frozenset({"builtins", "abc", "enum", "typing", "typing_extensions", "types"})

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

MESSAGE = (
    "the public surface changed: if deliberate, run `python tools/public_api.py` "
    "and add a CHANGELOG line (old → new)"
)


# --- how one object is written ------------------------------------------------------------


def _annotation(value: object) -> str:
    return value if isinstance(value, str) else inspect.formatannotation(value)


def _clean(text: str) -> str:
    return _ADDRESS.sub("", text)


def signature(function: Callable[..., Any], *, bound: bool = False) -> str:
    """``(param: type = default, *, ...) -> result``, the annotations as written."""
    try:
        found = inspect.signature(function)
    except (TypeError, ValueError):
        return "(...)"
    parameters = list(found.parameters.values())
    if bound and parameters:
        parameters = parameters[1:]
    parts: list[str] = []
    star = False
    for index, parameter in enumerate(parameters):
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        text = parameter.name
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            text, star = "*" + text, True
        elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
            text = "**" + text
        if parameter.annotation is not inspect.Parameter.empty:
            text += ": " + _annotation(parameter.annotation)
        if parameter.default is not inspect.Parameter.empty:
            text += " = " + _clean(repr(parameter.default))
        parts.append(text)
        last = index + 1 == len(parameters)
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY and (
            last or parameters[index + 1].kind is not inspect.Parameter.POSITIONAL_ONLY
        ):
            parts.append("/")
    result = found.return_annotation
    returns = "" if result is inspect.Signature.empty else " -> " + _annotation(result)
    return f"({', '.join(parts)}){returns}"


def _constructor(cls: type) -> str:
    """The signature of ``cls(...)``: its own ``__init__``, or the nearest it inherits."""
    for klass in cls.__mro__:
        if klass.__module__ in _FOREIGN:
            continue
        for name in ("__init__", "__new__"):
            if inspect.isfunction(vars(klass).get(name)) or isinstance(
                vars(klass).get(name), staticmethod
            ):
                function = vars(klass)[name]
                function = getattr(function, "__func__", function)
                return signature(function, bound=True)
    return "(...)"


def _owner(cls: type, name: str) -> type:
    return next(klass for klass in cls.__mro__ if name in vars(klass))


def _member(value: object) -> str | None:
    """How a class member is written, or ``None`` when it is not part of the surface."""
    if isinstance(value, classmethod):
        return "classmethod " + signature(value.__func__, bound=True)
    if isinstance(value, staticmethod):
        return "staticmethod " + signature(value.__func__)
    if inspect.isfunction(value):
        return "method " + signature(value, bound=True)
    if isinstance(value, property):
        returns = inspect.signature(value.fget).return_annotation if value.fget else None
        shown = "" if returns in (None, inspect.Signature.empty) else " -> " + _annotation(returns)
        return "property" + shown
    if isinstance(value, functools.cached_property):
        return "property" + signature(value.func, bound=True).split(")", 1)[1]
    if isinstance(value, type):
        return "class " + _constructor(value)
    if isinstance(value, (types.MemberDescriptorType, types.GetSetDescriptorType)):
        return None  # an attrs field: the constructor shows it
    return "attribute " + type(value).__name__


def _class_lines(qualified: str, cls: type) -> Iterator[str]:
    if issubclass(cls, enum.Enum):
        yield f"{qualified}: enum"
        for member in cls:
            yield f"{qualified}.{member.name}: member {member.value!r}"
    elif getattr(cls, "_is_protocol", False):
        yield f"{qualified}: protocol"
    else:
        kind = "exception" if issubclass(cls, BaseException) else "class"
        yield f"{qualified}: {kind} {_constructor(cls)}"
    members = cls.__members__ if issubclass(cls, enum.Enum) else {}
    for name in sorted(dir(cls)):
        if name.startswith("_") or name in members:
            continue
        owner = _owner(cls, name)
        if owner.__module__ in _FOREIGN:
            continue
        shown = _member(vars(owner)[name])
        if shown is not None:
            yield f"{qualified}.{name}: {shown}"


def describe(qualified: str, value: object) -> list[str]:
    """The lines of one public name."""
    if isinstance(value, type):
        return list(_class_lines(qualified, value))
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        return [f"{qualified}: function {signature(value)}"]
    if isinstance(value, typing.TypeVar):
        return [f"{qualified}: type variable {value!r}"]
    if isinstance(value, (types.UnionType, types.GenericAlias)) or type(value).__module__ in (
        "typing",
        "types",
    ):
        return [f"{qualified}: type alias {_clean(repr(value))}"]
    if isinstance(value, types.ModuleType):
        return [f"{qualified}: module"]
    return [f"{qualified}: constant {type(value).__name__}"]


# --- the file -------------------------------------------------------------------------------


def module_lines(name: str) -> list[str]:
    """The sorted lines of module ``name``'s public names."""
    module = importlib.import_module(name)
    names = [*getattr(module, "__all__", ()), *EXTRA_NAMES.get(name, ())]
    lines: list[str] = []
    for public in sorted(set(names)):
        lines.extend(describe(f"{name}.{public}", getattr(module, public)))
    return lines


def deprecated_lines() -> list[str]:
    """A line per deprecated alias: the old spelling, the new one, and when it goes."""
    from edupolicy._deprecated import MOVED, REMOVED_IN

    return sorted(
        f"{module}.{name}: deprecated, removed in {REMOVED_IN}; use {new}"
        for module, table in MOVED.items()
        for name, new in table.items()
    )


def sections(text: str) -> dict[str, list[str]]:
    """The sections of a written file: heading → lines."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("# "):
            current = found.setdefault(line[2:], [])
        elif line and current is not None:
            current.append(line)
    return found


def generate(previous: str = "") -> tuple[str, list[str]]:
    """The text of the file, and the modules that could not be imported here.

    A module that cannot be imported keeps its section of ``previous``.
    """
    kept = sections(previous)
    missing: list[str] = []
    parts: list[str] = []
    for name in MODULES:
        try:
            lines = module_lines(name)
        except ImportError:
            missing.append(name)
            lines = kept.get(name, [])
        parts.append("\n".join([f"# {name}", *lines]))
    parts.append("\n".join([f"# {DEPRECATED}", *deprecated_lines()]))
    return "\n\n".join(parts) + "\n", missing


def difference(written: str, now: str) -> str:
    """A unified diff from the written file to the surface of the code now."""
    return "".join(
        difflib.unified_diff(
            written.splitlines(keepends=True),
            now.splitlines(keepends=True),
            fromfile=str(FILE.relative_to(ROOT)),
            tofile="the code now",
        )
    )


def main(argv: list[str]) -> int:
    written = FILE.read_text(encoding="utf-8") if FILE.exists() else ""
    now, missing = generate(written)
    for name in missing:
        print(f"{name} cannot be imported here: its section is kept as written", file=sys.stderr)
    if argv[1:] == ["check"]:
        diff = difference(written, now)
        if diff:
            print(diff + "\n" + MESSAGE)
            return 1
        return 0
    if argv[1:]:
        print(__doc__)
        return 2
    FILE.write_text(now, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
