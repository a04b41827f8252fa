"""Plugin discovery and the typed facade over pluggy.

Nothing outside this module calls ``pm.hook``: every hook call goes through one
method of :class:`PluginManager` that checks what the plugin returned and narrows
its type.  Entry points are loaded one at a time, so a plugin that fails to import
or returns malformed data is reported by entry-point name and distribution while
every other region still loads.  A plugin is contained: whatever it raises at import
or in a hook (``SystemExit`` included; Ctrl-C aside) and whatever it prints is
reported, never passed on to the host.

The default registry is lazy: a region is looked up first in the plugin whose entry
point has the region's name, and the other plugins are imported only when that does
not find it, or when every region is listed.

Environment variables:

``EDUPOLICY_STRICT_PLUGINS``
    ``1`` (or ``true``/``yes``): a plugin problem raises instead of warning (for CI).
``EDUPOLICY_PLUGINS``
    Comma-separated entry-point names: only these plugins are loaded.
``EDUPOLICY_DISABLE_PLUGINS``
    Comma-separated entry-point names: these plugins are not loaded.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import itertools
import os
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any

import attrs
import pluggy

from edupolicy.analysis.layering import build_on
from edupolicy.errors import (
    DuplicateRegionError,
    EdupolicyError,
    FieldProblem,
    IncompatiblePluginError,
    PlanDataError,
    PluginError,
    PluginFilterError,
    PluginLoadError,
    PluginWarning,
    UnknownRegionError,
    show_value,
)
from edupolicy.i18n import Message, Renderable, _
from edupolicy.io.convert import reading_with
from edupolicy.plans import Plan, PlanLayer
from edupolicy.plugins import PLUGIN_API_VERSION, PROJECT_NAME, spec
from edupolicy.plugins.region import RegionSpec, valid_region_id
from edupolicy.policy import Policy

__all__ = ["PluginManager", "RegionInfo", "Registry"]

STRICT_VAR = "EDUPOLICY_STRICT_PLUGINS"
ALLOW_VAR = "EDUPOLICY_PLUGINS"
BLOCK_VAR = "EDUPOLICY_DISABLE_PLUGINS"


@attrs.frozen(kw_only=True)
class RegionInfo:
    """An installed region and the plugin that provides it."""

    id: str
    name: Renderable
    #: The entry point (plugin) name, the distribution that installs it, and its version.
    entry_point: str
    distribution: str
    version: str

    def to_json(self, locale: str | None = None) -> dict[str, str]:
        """The region as JSON."""
        return {
            "id": self.id,
            "name": self.name.render(locale),
            "entry_point": self.entry_point,
            "distribution": self.distribution,
            "version": self.version,
        }


@attrs.frozen(kw_only=True)
class _Origin:
    entry_point: str
    distribution: str
    version: str


def _origin(ep: EntryPoint) -> _Origin:
    dist = ep.dist
    if dist is None:
        return _Origin(
            entry_point=ep.name,
            distribution="(unknown distribution)",
            version="(unknown version)",
        )
    # ``dist.name`` and ``dist.version`` would each parse the metadata file again.
    metadata = dist.metadata
    return _Origin(entry_point=ep.name, distribution=metadata["Name"], version=metadata["Version"])


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


class PluginManager:
    """A typed facade over :class:`pluggy.PluginManager`."""

    def __init__(self) -> None:
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(spec)

    def register(self, plugin: ModuleType | object, name: str) -> None:
        """Register ``plugin`` under ``name``; pluggy checks its hook signatures."""
        self._pm.register(plugin, name=name)

    def unregister(self, name: str) -> None:
        """Forget the plugin registered under ``name``."""
        self._pm.unregister(name=name)

    def _caller(self, hook: str, name: str) -> Any:
        plugin = self._pm.get_plugin(name)
        others = [p for p in self._pm.get_plugins() if p is not plugin]
        return self._pm.subset_hook_caller(hook, remove_plugins=others)

    def plugin_api_version(self, name: str) -> str | None:
        """The plugin-API version plugin ``name`` declares (``None``: not declared)."""
        result = self._caller("edupolicy_plugin_api_version", name)()
        if result is None or isinstance(result, str):
            return result
        raise TypeError(show_value(repr(result)))

    def regions(self, name: str) -> list[RegionSpec]:
        """The regions plugin ``name`` provides, checked."""
        results = self._caller("edupolicy_regions", name)()
        specs: list[RegionSpec] = []
        for result in results:
            if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
                raise _Malformed(
                    _(
                        "edupolicy_regions returned {value}, not a list of RegionSpec",
                        value=show_value(repr(result)),
                    )
                )
            for item in result:
                if not isinstance(item, RegionSpec):
                    raise _Malformed(
                        _(
                            "edupolicy_regions returned {value}, not a RegionSpec",
                            value=show_value(repr(item)),
                        )
                    )
                if not valid_region_id(item.id):
                    raise _Malformed(
                        _(
                            "region id {value} is not lower-case letters, digits, - and _",
                            value=show_value(item.id),
                        )
                    )
                specs.append(item)
        return specs


class _Malformed(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


def _names(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


class _Contained(Exception):
    """What a plugin raised, ``SystemExit`` and other non-``Exception`` errors included."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(_describe_exception(error))
        self.error = error


@contextlib.contextmanager
def _contained() -> Iterator[io.StringIO]:
    """Run plugin code: its output is captured, and anything it raises but Ctrl-C is
    re-raised as :class:`_Contained` (an ``Exception``)."""
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            yield captured
    except (KeyboardInterrupt, _Malformed, EdupolicyError):
        raise
    except BaseException as exc:
        raise _Contained(exc) from exc


class Registry:
    """The installed regions: discovered from entry points once, loaded on demand.

    :param entry_points: the entry points to use; by default those of the group
        ``edupolicy`` in the running environment.
    :param environ: where to read the ``EDUPOLICY_*`` variables; by default
        :data:`os.environ`.
    :param lazy: import a plugin only when one of its regions is needed (the plugin
        whose entry point bears the region's name first), or when every region is
        listed; otherwise every plugin is imported now.  :func:`default_registry` is
        lazy, except in strict mode: a region is then taken from the plugin named after
        it without importing the others, so a second plugin claiming the same region is
        noticed only when every region is listed (``edupolicy regions``) or in strict
        mode, which imports every plugin at once.
    """

    def __init__(
        self,
        entry_points: Iterable[EntryPoint] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        lazy: bool = False,
    ) -> None:
        env = os.environ if environ is None else environ
        self._strict = _truthy(env.get(STRICT_VAR))
        self._allow = _names(env.get(ALLOW_VAR))
        self._block = _names(env.get(BLOCK_VAR)) or frozenset()
        self._manager = PluginManager()
        self._specs: dict[str, tuple[RegionSpec, _Origin]] = {}
        self._duplicates: dict[str, DuplicateRegionError] = {}
        self._problems: list[PluginError] = []
        self._policies: dict[str, Policy] = {}
        # Re-entrant: building a region whose plan names a parent loads the parent.
        self._lock = threading.RLock()
        # The regions being built by this thread, outermost first: a parent among them
        # is a cycle.
        self._building = threading.local()
        self._importing = threading.RLock()
        found = _discover() if entry_points is None else list(entry_points)
        self._pending: list[EntryPoint] = sorted(found, key=lambda e: (e.name, e.value))
        self._check_filter_names()
        if not lazy or self._strict:
            # Strict mode (for CI) finds every problem, duplicate regions included, now.
            self._import_all()
        if self._strict:
            # ... and every region's plans are loaded and checked, so a plan with an
            # error fails at once.
            for region_id in sorted(self._specs):
                self.load(region_id)

    def _filter_var(self) -> str | None:
        """The variable that filters the plugins, when one does (for error messages)."""
        if self._allow is not None:
            return ALLOW_VAR
        if self._block:
            return BLOCK_VAR
        return None

    def _check_filter_names(self) -> None:
        """Warn of a name in a plugin filter that no installed plugin has."""
        known = sorted({ep.name for ep in self._pending})
        for var, names in ((ALLOW_VAR, self._allow), (BLOCK_VAR, self._block)):
            for name in sorted(names or ()):
                if name in known:
                    continue
                close = difflib.get_close_matches(name, known, n=1)
                if close:
                    message = _(
                        "{var} names {name}, which no installed plugin has; did you mean "
                        "{close}? Installed plugins: {known}",
                        var=var,
                        name=name,
                        close=close[0],
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
                self._report(PluginFilterError(message, entry_point=name, distribution=""))

    def _import(self, chosen: Sequence[EntryPoint]) -> None:
        with self._importing:
            for ep in chosen:
                if ep in self._pending:
                    self._pending.remove(ep)
                    self._load_entry_point(ep)

    def _import_all(self) -> None:
        self._import(list(self._pending))

    def _import_for(self, region_id: str) -> None:
        """Import the plugins until region ``region_id`` is known: its namesake first."""
        self._import([ep for ep in self._pending if ep.name == region_id])
        if region_id not in self._specs and region_id not in self._duplicates:
            self._import_all()

    # -- discovery --------------------------------------------------------------------

    def _report(self, error: PluginError) -> None:
        if self._strict:
            raise error
        self._problems.append(error)
        warnings.warn(PluginWarning(error.render()), stacklevel=4)

    def _load_entry_point(self, ep: EntryPoint) -> None:
        origin = _origin(ep)
        if (self._allow is not None and ep.name not in self._allow) or ep.name in self._block:
            return
        where = {"entry_point": origin.entry_point, "distribution": origin.distribution}
        try:
            with _contained() as output:
                module = ep.load()
        except Exception as raised:
            exc = raised.error if isinstance(raised, _Contained) else raised
            self._report(
                PluginLoadError(
                    _(
                        "Plugin {entry_point} ({distribution}) failed to import: {error}. "
                        "Disable it with {var}={entry_point}",
                        error=_describe_exception(exc),
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

    def _check_plugin(self, name: str, origin: _Origin) -> None:
        where = {"entry_point": origin.entry_point, "distribution": origin.distribution}
        try:
            with _contained():
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
            with _contained():
                specs = self._manager.regions(name)
        except _Malformed as exc:
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
                    error=_describe_exception(exc.error if isinstance(exc, _Contained) else exc),
                    **where,
                ),
                **where,
            ) from None
        for region in specs:
            self._add_region(region, origin)

    def _add_region(self, region: RegionSpec, origin: _Origin) -> None:
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

    # -- public -------------------------------------------------------------------------

    @property
    def problems(self) -> tuple[PluginError, ...]:
        """The plugins imported so far that could not be used, and why."""
        return tuple(self._problems)

    def regions(self) -> tuple[RegionInfo, ...]:
        """The installed regions, sorted by id (every plugin is imported)."""
        self._import_all()
        return tuple(
            RegionInfo(
                id=region.id,
                name=region.name,
                entry_point=origin.entry_point,
                distribution=origin.distribution,
                version=origin.version,
            )
            for region, origin in sorted(self._specs.values(), key=lambda pair: pair[0].id)
        )

    def spec(self, region_id: str, *, locale: str | None = None) -> RegionSpec:
        """What the plugin said about region ``region_id``."""
        key: object = region_id
        if not isinstance(key, str):
            self._import_all()
            raise UnknownRegionError(
                key, sorted(self._specs), hidden_by=self._filter_var(), locale=locale
            )
        self._import_for(key)
        if key in self._duplicates:
            raise self._duplicates[key]
        found = self._specs.get(key)
        if found is None:
            raise UnknownRegionError(
                key, sorted(self._specs), hidden_by=self._filter_var(), locale=locale
            )
        return found[0]

    def load(self, region_id: str, *, locale: str | None = None) -> Policy:
        """The :class:`~edupolicy.plan.Policy` of region ``region_id``, loaded once."""
        region = self.spec(region_id, locale=locale)
        cached = self._policies.get(region_id)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._policies.get(region_id)
            if cached is None:
                cached = self._build_policy(region, self._specs[region_id][1], locale)
                self._policies[region_id] = cached
            return cached

    def _build_layer(self, layer: PlanLayer, locale: str | None) -> Plan:
        """The plan of ``layer``, built on its parent region's plan in force."""
        chain: list[str] = getattr(self._building, "regions", [])
        if layer.parent in chain:
            cycle = [*chain[chain.index(layer.parent) :], layer.parent]
            raise PlanDataError(
                _layer_heading(layer),
                [
                    FieldProblem(
                        "$.parent",
                        layer.parent,
                        _(
                            "regions build on each other in a cycle: {cycle}",
                            cycle=" → ".join(cycle),
                        ),
                    )
                ],
                locale=locale,
            )

        def parents(region_id: str) -> Sequence[Plan]:
            try:
                return self.load(region_id, locale=locale).plans_as_written
            except UnknownRegionError as exc:
                raise PlanDataError(
                    _layer_heading(layer),
                    [
                        FieldProblem(
                            "$.parent",
                            region_id,
                            _(
                                "no installed region has this id; installed: {regions}",
                                regions=", ".join(exc.available) or "-",
                            ),
                        )
                    ],
                    locale=locale,
                ) from None

        return build_on(layer, parents, name=layer.id, locale=locale)

    def _build_policy(self, region: RegionSpec, origin: _Origin, locale: str | None) -> Policy:
        where = {"entry_point": origin.entry_point, "distribution": origin.distribution}
        try:
            with _contained(), reading_with(conditions=region.conditions):
                returned: list[object] = list(region.plans())
        except PlanDataError as exc:
            raise _in_plugin(exc, region, where, locale) from None
        except EdupolicyError:
            raise
        except Exception as exc:
            raised = exc.error if isinstance(exc, _Contained) else exc
            raise PluginLoadError(
                _(
                    "Plugin {entry_point} ({distribution}) failed to load the plans of region "
                    "{region}: {error}",
                    region=region.id,
                    error=_describe_exception(raised),
                    **where,
                ),
                locale=locale,
                **where,
            ) from None
        plans = [plan for plan in returned if isinstance(plan, Plan)]
        bad = [plan for plan in returned if not isinstance(plan, (Plan, PlanLayer))]
        layers = [layer for layer in returned if isinstance(layer, PlanLayer)]
        if layers and not bad:
            stack: list[str] = getattr(self._building, "regions", [])
            self._building.regions = [*stack, region.id]
            try:
                plans.extend(self._build_layer(layer, locale) for layer in layers)
            except PlanDataError as exc:
                raise _in_plugin(exc, region, where, locale) from None
            finally:
                self._building.regions = stack
        if bad or not plans:
            raise PluginLoadError(
                _(
                    "Plugin {entry_point} ({distribution}) returned {value} as the plans of "
                    "region {region}, not a non-empty list of Plan",
                    region=region.id,
                    value=show_value(repr(bad[0] if bad else plans)),
                    **where,
                ),
                locale=locale,
                **where,
            )
        plans.sort(key=lambda plan: plan.in_force.start)
        for earlier, later in itertools.pairwise(plans):
            if earlier.in_force.end is None or later.in_force.start <= earlier.in_force.end:
                raise PluginLoadError(
                    _(
                        "Plans {first} ({first_period}) and {second} ({second_period}) of region "
                        "{region} are in force at the same time",
                        first=earlier.id,
                        first_period=str(earlier.in_force),
                        second=later.id,
                        second_period=str(later.in_force),
                        region=region.id,
                        **where,
                    ),
                    locale=locale,
                    **where,
                )
        return Policy(
            region=region.id,
            distribution=origin.distribution,
            version=origin.version,
            plans=tuple(plans),
        )


def _in_plugin(
    exc: PlanDataError, region: RegionSpec, where: Mapping[str, str], locale: str | None
) -> PlanDataError:
    """``exc``, a plan's problems, headed by the region and plugin they come from and how
    to disable the plugin; a plan error raised for a parent region is passed on as is."""
    if exc.heading.msgid.startswith("Plugin "):
        return exc
    return PlanDataError(
        _(
            "Plugin {entry_point} ({distribution}) cannot load region {region}: {error}. "
            "Disable it with {var}={entry_point}",
            region=region.id,
            error=exc.heading,
            var=BLOCK_VAR,
            **where,
        ),
        exc.problems,
        locale=locale,
    )


def _layer_heading(layer: PlanLayer) -> Message:
    return _("Plan {plan} cannot build on region {parent}", plan=layer.id, parent=layer.parent)


def _discover() -> list[EntryPoint]:
    return list(entry_points(group=PROJECT_NAME))


_default: Registry | None = None
_default_lock = threading.Lock()


def default_registry() -> Registry:
    """The registry of the running environment, discovered on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Registry(lazy=True)
    return _default


def reset_default_registry() -> None:
    """Forget the discovered plugins, so that the next call discovers them again."""
    global _default
    with _default_lock:
        _default = None


def _describe_exception(exc: BaseException) -> str:
    """``ExceptionType: message`` — what a plugin raised, for a report."""
    return f"{type(exc).__name__}: {exc}"
