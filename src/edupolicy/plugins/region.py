"""What a plugin says about a region it provides."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from edupolicy.errors import field_check
from edupolicy.i18n import Message, Renderable, _
from edupolicy.io.convert import CORE_CONDITION_KEYS
from edupolicy.io.planfiles import is_traversable, read_region_plan_file
from edupolicy.plans import Plan, PlanLayer
from edupolicy.rules import ExtensionCondition

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["RegionSpec"]

_REGION_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def valid_region_id(value: object) -> bool:
    """Whether ``value`` is a region id: lower-case letters, digits, ``-`` and ``_``."""
    return isinstance(value, str) and _REGION_ID.match(value) is not None


def _conditions_problem(kinds: tuple[object, ...]) -> Message | None:
    """What is wrong with a plugin's kinds of condition, or ``None``."""
    seen: set[str] = set()
    for kind in kinds:
        if not (isinstance(kind, type) and issubclass(kind, ExtensionCondition)):
            return _(
                "must list subclasses of ExtensionCondition (AidExtension, TeacherExtension); "
                "got {value}",
                value=repr(kind),
            )
        key = getattr(kind, "key", None)
        if not isinstance(key, str) or _REGION_ID.fullmatch(key) is None:
            return _(
                "{kind} needs a key: lower-case letters, digits, - and _",
                kind=kind.__name__,
            )
        if key in CORE_CONDITION_KEYS:
            return _(
                "{kind} takes the key {key}, a condition of the core", kind=kind.__name__, key=key
            )
        if key in seen:
            return _("two kinds of condition take the key {key}", key=key)
        seen.add(key)
    return None


def _texts(value: Mapping[str, Traversable | Path]) -> Mapping[str, Traversable | Path]:
    return MappingProxyType(dict(value))


def _tuple(
    value: Iterable[type[ExtensionCondition[Any]]],
) -> tuple[type[ExtensionCondition[Any]], ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RegionSpec:
    """A region a plugin provides.

    ``plans`` is called once, on the first :func:`edupolicy.load` of the region, and
    returns the region's plans; :meth:`from_files` builds it from plan files.  A plan
    file that names a parent region is returned as a
    :class:`~edupolicy.plans.PlanLayer`, which the registry builds on the parent.
    """

    #: The region id hosts pass to :func:`edupolicy.load`.
    id: str
    #: The region's name: plan data (:class:`~edupolicy.i18n.Text`) or a message of
    #: the plugin's own catalogue (:class:`~edupolicy.i18n.Message`).
    name: Renderable = attrs.field(
        validator=field_check(
            lambda _self, v: callable(getattr(v, "render", None)),
            lambda *_args: _("must be a Text or a Message, which can be shown in each locale"),
        )
    )
    #: Returns the region's plans; called lazily.
    plans: Callable[[], Sequence[Plan | PlanLayer]] = attrs.field(
        validator=field_check(
            lambda _self, v: callable(v), lambda *_args: _("must be a function returning the plans")
        )
    )
    #: A bundled sample roster of students (JSON Lines), for demonstrations.
    sample_roster: Traversable | Path | None = attrs.field(
        default=None,
        validator=field_check(
            lambda _self, v: v is None or is_traversable(v),
            lambda *_args: _("must be a path to a file the plugin ships, or None"),
        ),
    )
    #: The published text of each plan (UTF-8), by plan id: the policy workbench shows
    #: it sentence by sentence beside the items that quote it.  Optional.
    plan_texts: Mapping[str, Traversable | Path] = attrs.field(
        factory=dict,
        converter=_texts,
        validator=field_check(
            lambda _self, v: all(isinstance(k, str) and is_traversable(t) for k, t in v.items()),
            lambda *_args: _("must map plan ids to paths of files the plugin ships"),
        ),
    )
    #: The conditions hook: the kinds of condition the plugin adds, each a subclass of
    #: :class:`~edupolicy.aid.AidExtension` or :class:`~edupolicy.teachers.TeacherExtension`
    #: with a ``key`` of its own.  The region's plan files may use their keys.
    conditions: tuple[type[ExtensionCondition[Any]], ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=field_check(
            lambda _self, v: _conditions_problem(v) is None,
            lambda _self, v: _conditions_problem(v) or _("invalid value"),
        ),
    )

    @classmethod
    def from_files(
        cls,
        *,
        id: str,
        name: Renderable,
        plan_files: Sequence[Traversable | Path],
        sample_roster: Traversable | Path | None = None,
        conditions: Iterable[type[ExtensionCondition[Any]]] = (),
        plan_texts: Mapping[str, Traversable | Path] | None = None,
    ) -> RegionSpec:
        """A region whose plans are read from TOML plan files, never executed; the files
        may use the keys of ``conditions``, the kinds of condition the plugin adds."""
        files = tuple(plan_files)
        kinds = tuple(conditions)

        def plans() -> Sequence[Plan | PlanLayer]:
            return [read_region_plan_file(path, conditions=kinds) for path in files]

        return cls(
            id=id,
            name=name,
            plans=plans,
            sample_roster=sample_roster,
            conditions=kinds,
            plan_texts=plan_texts or {},
        )
