"""The typed facade over pluggy: every call of a hook, and the check of what it returned.

Nothing outside this module calls ``pm.hook``: every hook call goes through one
method of :class:`PluginManager` that checks what the plugin returned and narrows
its type.  Each hook is called for one plugin at a time, so that a result can be
blamed on the plugin that returned it.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from edupolicy._lazy import lazy_module
from edupolicy.errors import show_value
from edupolicy.i18n import Message, _
from edupolicy.plugins import PROJECT_NAME, spec
from edupolicy.plugins.region import RegionSpec, valid_region_id

# The declarations of the questions are imported when a plugin adds a question, or one is
# asked for: loading a region needs none of them.
if TYPE_CHECKING:
    from edupolicy.policy import questions as policy_questions
    from edupolicy.policy.questions import Question
else:
    policy_questions = lazy_module("edupolicy.policy.questions")

__all__ = ["MalformedResult", "PluginManager"]

T = TypeVar("T")


class MalformedResult(Exception):
    """A hook returned something that is not what its specification promises."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


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

    def _items(self, hook: str, name: str, kind: type[T]) -> list[T]:
        """What hook ``hook`` of plugin ``name`` returned: lists of ``kind``, joined."""
        return self._checked(hook, self._caller(hook, name)(), kind)

    def _checked(self, hook: str, results: list[Any], kind: type[T]) -> list[T]:
        """``results``, what hook ``hook`` returned, checked to be lists of ``kind``, joined."""
        found: list[T] = []
        for result in results:
            if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
                raise MalformedResult(
                    _(
                        "{hook} returned {value}, not a list of {kind}",
                        hook=hook,
                        value=show_value(repr(result)),
                        kind=kind.__name__,
                    )
                )
            for item in result:
                if not isinstance(item, kind):
                    raise MalformedResult(
                        _(
                            "{hook} returned {value}, not a {kind}",
                            hook=hook,
                            value=show_value(repr(item)),
                            kind=kind.__name__,
                        )
                    )
                found.append(item)
        return found

    def regions(self, name: str) -> list[RegionSpec]:
        """The regions plugin ``name`` provides, checked."""
        specs = self._items("edupolicy_regions", name, RegionSpec)
        for region in specs:
            if not valid_region_id(region.id):
                raise MalformedResult(
                    _(
                        "region id {value} is not lower-case letters, digits, - and _",
                        value=show_value(region.id),
                    )
                )
        return specs

    def questions(self, name: str) -> list[Question]:
        """The questions plugin ``name`` adds, checked to be questions."""
        results = self._caller("edupolicy_questions", name)()
        if not results:
            return []
        return self._checked("edupolicy_questions", results, policy_questions.Question)
