"""Discovery: the region plugins installed under the entry-point group ``edupolicy``.

Entry points are loaded one at a time, so a plugin that fails to import or returns
malformed data is reported by entry-point name and distribution while every other
region still loads.  A plugin is contained (:mod:`edupolicy.plugins.containment`):
whatever it raises at import or in a hook (``SystemExit`` included; Ctrl-C aside) and
whatever it prints is reported, never passed on to the host.

A plugin is imported only when asked for: :meth:`Discovery.import_for` imports the
plugin whose entry point has a region's name first, and the others only when that
does not find the region.

Environment variables:

``EDUPOLICY_STRICT_PLUGINS``
    ``1`` (or ``true``/``yes``): a plugin problem raises instead of warning (for CI).
``EDUPOLICY_PLUGINS``
    Comma-separated entry-point names: only these plugins are loaded.
``EDUPOLICY_DISABLE_PLUGINS``
    Comma-separated entry-point names: these plugins are not loaded.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from edupolicy._lazy import lazy_module
from edupolicy.errors import (
    DuplicateRegionError,
    IncompatiblePluginError,
    PluginError,
    PluginFilterError,
    PluginLoadError,
    PluginWarning,
    nearest,
    show_value,
)
from edupolicy.i18n import Message, _
from edupolicy.plugins import PLUGIN_API_VERSION, PROJECT_NAME
from edupolicy.plugins.containment import Contained, contained, describe_exception
from edupolicy.plugins.hooks import MalformedResult, PluginManager
from edupolicy.plugins.installed import InstalledEntryPoint, origin_of
from edupolicy.plugins.installed import installed_entry_points as installed
from edupolicy.plugins.region import RegionSpec

# The declarations of the questions are imported when a plugin adds a question: loading a
# region needs none of them.
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from edupolicy.policy import questions as policy_questions
    from edupolicy.policy.questions import Question
else:
    policy_questions = lazy_module("edupolicy.policy.questions")

__all__ = [
    "ALLOW_VAR",
    "BLOCK_VAR",
    "STRICT_VAR",
    "Discovery",
    "PluginOrigin",
    "installed_entry_points",
]

STRICT_VAR = "EDUPOLICY_STRICT_PLUGINS"
ALLOW_VAR = "EDUPOLICY_PLUGINS"
BLOCK_VAR = "EDUPOLICY_DISABLE_PLUGINS"


@attrs.frozen(kw_only=True)
class PluginOrigin:
    """Where a plugin comes from: its entry point, and the distribution that installs it."""

    entry_point: str
    distribution: str
    version: str


def installed_entry_points() -> list[InstalledEntryPoint]:
    """The entry points of the group ``edupolicy`` in the running environment (kept
    between processes: :mod:`edupolicy.plugins.installed`)."""
    return installed(PROJECT_NAME)


def _origin(ep: EntryPoint | InstalledEntryPoint) -> PluginOrigin:
    distribution, version = origin_of(ep)
    return PluginOrigin(entry_point=ep.name, distribution=distribution, version=version)


def _api_compatible(declared: str) -> Message | None:
    """Why a plugin written for API ``declared`` cannot load, or ``None`` when it can."""
    core_major, core_minor = (int(part) for part in PLUGIN_API_VERSION.split("."))
    parts = declared.split(".")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return _(
            "it declares plugin API version {declared}, which is not MAJOR.MINOR",
            declared=show_value(declared),
        )
    major, minor = int(parts[0]), int(parts[1])
    if major > core_major or (major == core_major and minor > core_minor):
        return _(
            "it needs plugin API {declared} but this edupolicy provides {core}; upgrade edupolicy",
            declared=declared,
            core=PLUGIN_API_VERSION,
        )
    if major < core_major:
        return _(
            "it was written for plugin API {declared} but this edupolicy provides "
            "{core}; upgrade the plugin's distribution",
            declared=declared,
            core=PLUGIN_API_VERSION,
        )
    return None


def _names(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


class Discovery:
    """The installed plugins, imported on demand, and the regions they provide.

    :param entry_points: the entry points to use; by default those of the group
        ``edupolicy`` in the running environment.
    :param environ: where to read the ``EDUPOLICY_*`` variables; by default
        :data:`os.environ`.

    A plugin problem is a :class:`~edupolicy.errors.PluginWarning` and is kept in
    :attr:`problems`; in strict mode it is raised.
    """

    def __init__(
        self,
        entry_points: Iterable[EntryPoint] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        self._strict = _truthy(env.get(STRICT_VAR))
        self._allow = _names(env.get(ALLOW_VAR))
        self._block = _names(env.get(BLOCK_VAR)) or frozenset()
        self._manager = PluginManager()
        self._specs: dict[str, tuple[RegionSpec, PluginOrigin]] = {}
        self._duplicates: dict[str, DuplicateRegionError] = {}
        # The questions the plugins add, by id, in the order found.
        self._questions: dict[str, tuple[Question, PluginOrigin]] = {}
        self._problems: list[PluginError] = []
        self._importing = threading.RLock()
        found = installed_entry_points() if entry_points is None else list(entry_points)
        self._pending: list[EntryPoint | InstalledEntryPoint] = sorted(
            found, key=lambda e: (e.name, e.value)
        )
        self._installed = frozenset(ep.name for ep in found)
        self._check_filter_names()

    @property
    def strict(self) -> bool:
        """Whether a plugin problem raises (``EDUPOLICY_STRICT_PLUGINS``)."""
        return self._strict

    @property
    def problems(self) -> tuple[PluginError, ...]:
        """The plugins imported so far that could not be used, and why."""
        return tuple(self._problems)

    def filter_var(self) -> str | None:
        """The variable that filters the plugins, when one does (for error messages)."""
        if self._allow is not None:
            return ALLOW_VAR
        if self._block:
            return BLOCK_VAR
        return None

    def hides(self, name: str) -> str | None:
        """The variable whose filter hides the installed plugin ``name``, if one does."""
        if name not in self._installed:
            return None
        if self._allow is not None and name not in self._allow:
            return ALLOW_VAR
        return BLOCK_VAR if name in self._block else None

    def found(self, region_id: str) -> tuple[RegionSpec, PluginOrigin] | None:
        """Region ``region_id`` and the plugin that provides it, if imported yet."""
        return self._specs.get(region_id)

    def duplicate(self, region_id: str) -> DuplicateRegionError | None:
        """The error to raise for region ``region_id`` when two plugins claim it."""
        return self._duplicates.get(region_id)

    def provided(self) -> list[tuple[RegionSpec, PluginOrigin]]:
        """The regions of the plugins imported so far, sorted by id."""
        return sorted(self._specs.values(), key=lambda pair: pair[0].id)

    def region_ids(self) -> list[str]:
        """The ids of the regions of the plugins imported so far, sorted."""
        return sorted(self._specs)

    def questions(self) -> tuple[Question, ...]:
        """The questions the plugins imported so far add, in the order found."""
        return tuple(question for question, _origin in self._questions.values())

    def import_all(self) -> None:
        """Import every plugin not imported yet."""
        self._import(list(self._pending))

    def import_for(self, region_id: str) -> None:
        """Import the plugins until region ``region_id`` is known: its namesake first."""
        self._import([ep for ep in self._pending if ep.name == region_id])
        if region_id not in self._specs and region_id not in self._duplicates:
            self.import_all()

    # -- importing ---------------------------------------------------------------------

    def _check_filter_names(self) -> None:
        """Warn of a name in a plugin filter that no installed plugin has."""
        known = sorted({ep.name for ep in self._pending})
        for var, names in ((ALLOW_VAR, self._allow), (BLOCK_VAR, self._block)):
            for name in sorted(names or ()):
                if name in known:
                    continue
                close = nearest(name, known)
                if close is not None:
                    message = _(
                        "{var} names {name}, which no installed plugin has; did you mean "
                        "{close}? Installed plugins: {known}",
                        var=var,
                        name=name,
                        close=close,
                        known=", ".join(known) or "-",
                    )
                else:
                    message = _(
                        "{var} names {name}, which no installed plugin has. Installed "
                        "plugins: {known}",
                        var=var,
                        name=name,
                        known=", ".join(known) or "-",
                    )
                # The warning points at the code that made the registry.
                self._report(
                    PluginFilterError(message, entry_point=name, distribution=""), stacklevel=5
                )

    def _import(self, chosen: Sequence[EntryPoint | InstalledEntryPoint]) -> None:
        with self._importing:
            for ep in chosen:
                if ep in self._pending:
                    self._pending.remove(ep)
                    self._load_entry_point(ep)

    def _report(self, error: PluginError, *, stacklevel: int = 4) -> None:
        if self._strict:
            raise error
        self._problems.append(error)
        warnings.warn(PluginWarning(error.render()), stacklevel=stacklevel)

    def _load_entry_point(self, ep: EntryPoint | InstalledEntryPoint) -> None:
        origin = _origin(ep)
        if (self._allow is not None and ep.name not in self._allow) or ep.name in self._block:
            return
        where = {"entry_point": origin.entry_point, "distribution": origin.distribution}
        try:
            with contained() as output:
                module = ep.load()
        except Exception as raised:
            exc = raised.error if isinstance(raised, Contained) else raised
            self._report(
                PluginLoadError(
                    _(
                        "Plugin {entry_point} ({distribution}) failed to import: {error}. "
                        "Disable it with {var}={entry_point}",
                        error=describe_exception(exc),
                        var=BLOCK_VAR,
                        **where,
                    ),
                    **where,
                )
            )
            return
        if output.getvalue():
            self._report(
                PluginLoadError(
                    _(
                        "Plugin {entry_point} ({distribution}) wrote to the output when it "
                        "was imported (kept out of edupolicy's own output): {text}",
                        text=show_value(output.getvalue()),
                        **where,
                    ),
                    **where,
                )
            )
        try:
            self._manager.register(module, ep.name)
        except Exception as exc:
            self._report(
                PluginLoadError(
                    _(
                        "Plugin {entry_point} ({distribution}) has invalid hooks: {error}",
                        error=str(exc),
                        **where,
                    ),
                    **where,
                )
            )
            return
        try:
            self._check_plugin(ep.name, origin)
        except PluginError as error:
            self._manager.unregister(ep.name)
            self._report(error)

    def _check_plugin(self, name: str, origin: PluginOrigin) -> None:
        where = {"entry_point": origin.entry_point, "distribution": origin.distribution}
        try:
            with contained():
                declared = self._manager.plugin_api_version(name)
        except Exception as exc:
            raise PluginLoadError(
                _(
                    "Plugin {entry_point} ({distribution}) failed to say its plugin API "
                    "version: {error}",
                    error=str(exc),
                    **where,
                ),
                **where,
            ) from None
        if declared is None:
            raise IncompatiblePluginError(
                _(
                    "Plugin {entry_point} ({distribution}) does not declare the plugin API "
                    "version it was written for (hook edupolicy_plugin_api_version); "
                    "upgrade the plugin's distribution",
                    **where,
                ),
                **where,
            )
        reason = _api_compatible(declared)
        if reason is not None:
            raise IncompatiblePluginError(
                _(
                    "Plugin {entry_point} ({distribution}) cannot be used: {reason}",
                    reason=reason,
                    **where,
                ),
                **where,
            )
        try:
            with contained():
                specs = self._manager.regions(name)
        except MalformedResult as exc:
            raise PluginLoadError(
                _(
                    "Plugin {entry_point} ({distribution}) returned malformed data: {error}",
                    error=exc.message,
                    **where,
                ),
                **where,
            ) from None
        except Exception as exc:
            raise PluginLoadError(
                _(
                    "Plugin {entry_point} ({distribution}) failed in edupolicy_regions: {error}",
                    error=describe_exception(exc.error if isinstance(exc, Contained) else exc),
                    **where,
                ),
                **where,
            ) from None
        for region in specs:
            self._add_region(region, origin)
        self._add_questions(name, origin)

    def _add_questions(self, name: str, origin: PluginOrigin) -> None:
        """Add the questions plugin ``name`` declares; one that is malformed or whose id
        is taken is reported and left out, and the plugin's regions kept."""
        where = {"entry_point": origin.entry_point, "distribution": origin.distribution}
        try:
            with contained():
                declared = self._manager.questions(name)
        except MalformedResult as exc:
            self._report(
                PluginLoadError(
                    _(
                        "Plugin {entry_point} ({distribution}) returned malformed data: {error}",
                        error=exc.message,
                        **where,
                    ),
                    **where,
                )
            )
            return
        except Exception as exc:
            self._report(
                PluginLoadError(
                    _(
                        "Plugin {entry_point} ({distribution}) failed in "
                        "edupolicy_questions: {error}",
                        error=describe_exception(exc.error if isinstance(exc, Contained) else exc),
                        **where,
                    ),
                    **where,
                )
            )
            return
        for question in declared:
            taken = self._taken_by(question)
            if taken is not None:
                self._report(
                    PluginLoadError(
                        _(
                            "Plugin {entry_point} ({distribution}) adds the question "
                            "{question}, but {owner} already answers a question of that id "
                            "or path; the question is left out",
                            question=question.id,
                            owner=taken,
                            **where,
                        ),
                        **where,
                    )
                )
                continue
            self._questions[question.id] = (question, origin)

    def _taken_by(self, question: Question) -> str | None:
        """Who already answers a question of ``question``'s id or path, if anyone."""
        names = {question.id, question.path}
        if any(names & {core.id, core.path} for core in policy_questions.QUESTIONS):
            return "edupolicy"
        for other, origin in self._questions.values():
            if names & {other.id, other.path}:
                return f"{origin.entry_point} ({origin.distribution})"
        return None

    def _add_region(self, region: RegionSpec, origin: PluginOrigin) -> None:
        existing = self._specs.get(region.id)
        duplicate = self._duplicates.get(region.id)
        if existing is None and duplicate is None:
            self._specs[region.id] = (region, origin)
            return
        first = existing[1] if existing is not None else None
        first_text = (
            f"{first.entry_point} ({first.distribution})"
            if first is not None
            else duplicate.entry_point
            if duplicate is not None
            else "?"
        )
        error = DuplicateRegionError(
            _(
                "Region {region} is provided by two plugins: {first} and "
                "{second} ({distribution}); uninstall or disable one of them with {var}",
                region=region.id,
                first=first_text,
                second=origin.entry_point,
                distribution=origin.distribution,
                var=BLOCK_VAR,
            ),
            entry_point=origin.entry_point,
            distribution=origin.distribution,
        )
        self._specs.pop(region.id, None)
        self._duplicates[region.id] = error
        self._report(error)
