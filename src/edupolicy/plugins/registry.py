"""The registry: the installed regions, and the policy of each, built once.

The default registry is lazy: a region is looked up first in the plugin whose entry
point has the region's name, and the other plugins are imported only when that does
not find it, or when every region is listed (:mod:`edupolicy.plugins.discovery`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from edupolicy import analysis
from edupolicy._lazy import lazy_module
from edupolicy.errors import (
    EdupolicyError,
    FieldProblem,
    PlanDataError,
    PluginError,
    PluginLoadError,
    UnknownRegionError,
    show_value,
)
from edupolicy.i18n import Message, Renderable, _
from edupolicy.io._problems import suggesting
from edupolicy.io.convert import reading_with
from edupolicy.plans import Plan, PlanLayer
from edupolicy.plans.succession import in_succession, overlap
from edupolicy.plugins.containment import Contained, contained, describe_exception
from edupolicy.plugins.discovery import BLOCK_VAR, Discovery, PluginOrigin
from edupolicy.plugins.region import RegionSpec
from edupolicy.policy import Policy

# The declarations of the questions are imported when one is asked for: loading a region
# needs none of them.
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from edupolicy.policy import questions as policy_questions
    from edupolicy.policy.questions import Question
else:
    policy_questions = lazy_module("edupolicy.policy.questions")

__all__ = ["RegionInfo", "Registry", "default_registry", "reset_default_registry"]


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
        self._plugins = Discovery(entry_points, environ=environ)
        self._policies: dict[str, Policy] = {}
        # Re-entrant: building a region whose plan names a parent loads the parent.
        self._lock = threading.RLock()
        # The regions being built by this thread, outermost first: a parent among them
        # is a cycle.
        self._building = threading.local()
        if not lazy or self._plugins.strict:
            # Strict mode (for CI) finds every problem, duplicate regions included, now.
            self._plugins.import_all()
        if self._plugins.strict:
            # ... and every region's plans are loaded and checked, so a plan with an
            # error fails at once.
            for region_id in self._plugins.region_ids():
                self.load(region_id)

    @property
    def problems(self) -> tuple[PluginError, ...]:
        """The plugins imported so far that could not be used, and why."""
        return self._plugins.problems

    def regions(self) -> tuple[RegionInfo, ...]:
        """The installed regions, sorted by id (every plugin is imported)."""
        self._plugins.import_all()
        return tuple(
            RegionInfo(
                id=region.id,
                name=region.name,
                entry_point=origin.entry_point,
                distribution=origin.distribution,
                version=origin.version,
            )
            for region, origin in self._plugins.provided()
        )

    def questions(self) -> tuple[Question, ...]:
        """Every question a policy answers here: the core's
        (:data:`~edupolicy.policy.policy_questions.QUESTIONS`), then those the installed plugins
        add (hook ``edupolicy_questions``; every plugin is imported)."""
        self._plugins.import_all()
        return (*policy_questions.QUESTIONS, *self._plugins.questions())

    def question(self, question_id: object, *, locale: str | None = None) -> Question:
        """The question with id (or path) ``question_id``: one of the core's, else one a
        plugin adds (the plugins are imported only then).  An unknown one raises
        :class:`~edupolicy.errors.InvalidDataError` naming it and the questions there are."""
        core = policy_questions.QUESTIONS
        if any(question_id in (declared.id, declared.path) for declared in core):
            return policy_questions.question(question_id, core, locale=locale)
        return policy_questions.question(question_id, self.questions(), locale=locale)

    def spec(self, region_id: str, *, locale: str | None = None) -> RegionSpec:
        """What the plugin said about region ``region_id``."""
        return self._found(region_id, locale)[0]

    def _found(self, region_id: str, locale: str | None) -> tuple[RegionSpec, PluginOrigin]:
        key: object = region_id
        if not isinstance(key, str):
            self._plugins.import_all()
            raise UnknownRegionError(
                key,
                self._plugins.region_ids(),
                hidden_by=self._plugins.filter_var(),
                locale=locale,
            )
        self._plugins.import_for(key)
        duplicate = self._plugins.duplicate(key)
        if duplicate is not None:
            raise duplicate
        found = self._plugins.found(key)
        if found is None:
            raise UnknownRegionError(
                key,
                self._plugins.region_ids(),
                hidden_by=self._plugins.filter_var(),
                locale=locale,
            )
        return found

    def load(self, region_id: str, *, locale: str | None = None) -> Policy:
        """The :class:`~edupolicy.plan.Policy` of region ``region_id``, loaded once."""
        region, origin = self._found(region_id, locale)
        cached = self._policies.get(region_id)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._policies.get(region_id)
            if cached is None:
                cached = self._build_policy(region, origin, locale)
                self._policies[region_id] = cached
            return cached

    def _build_layer(self, layer: PlanLayer, locale: str | None) -> tuple[Plan, ...]:
        """The plans of ``layer``, built on its parent region's plans."""
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
            return self.plans_of_parent(region_id, heading=_layer_heading(layer), locale=locale)

        return analysis.layering.build_on(layer, parents, name=layer.id, locale=locale)

    def plans_of_parent(
        self, region_id: str, *, heading: Message, locale: str | None = None
    ) -> tuple[Plan, ...]:
        """The plans, as written, of the region a plan file names as its ``parent``.

        A region that is not installed, or that a plugin filter hides, raises
        :class:`~edupolicy.errors.PlanDataError` headed by ``heading`` at ``$.parent``,
        with the nearest installed region's id.
        """
        try:
            return self.load(region_id, locale=locale).plans_as_written
        except UnknownRegionError as exc:
            raise PlanDataError(
                heading, [self._unknown_parent(region_id, exc)], locale=locale
            ) from None

    def _unknown_parent(self, region_id: str, exc: UnknownRegionError) -> FieldProblem:
        regions = ", ".join(exc.available) or "-"
        hidden = self._plugins.hides(region_id)
        if hidden is not None:
            message = _(
                "the installed plugin {plugin} is hidden by {var}, which filters the plugins; "
                "change {var} to load it",
                plugin=region_id,
                var=hidden,
            )
        elif exc.hidden_by is not None:
            message = _(
                "no region of the plugins {var} lets load has this id; {var} filters the "
                "plugins and may hide the one that provides it; loaded: {regions}",
                var=exc.hidden_by,
                regions=regions,
            )
        else:
            message = _("no installed region has this id; installed: {regions}", regions=regions)
        return FieldProblem("$.parent", region_id, suggesting(message, region_id, exc.available))

    def _build_policy(self, region: RegionSpec, origin: PluginOrigin, locale: str | None) -> Policy:
        where = {"entry_point": origin.entry_point, "distribution": origin.distribution}
        try:
            with contained(), reading_with(conditions=region.conditions):
                returned: list[object] = list(region.plans())
        except PlanDataError as exc:
            raise _in_plugin(exc, region, where, locale) from None
        except EdupolicyError:
            raise
        except Exception as exc:
            raised = exc.error if isinstance(exc, Contained) else exc
            raise PluginLoadError(
                _(
                    "Plugin {entry_point} ({distribution}) failed to load the plans of region "
                    "{region}: {error}",
                    region=region.id,
                    error=describe_exception(raised),
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
                for layer in layers:
                    plans.extend(self._build_layer(layer, locale))
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
        plans = in_succession(plans)
        clash = overlap(plans, region=region.id)
        if clash is not None:
            raise PluginLoadError(clash, locale=locale, **where)
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
