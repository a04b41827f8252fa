"""Hook specifications: what a region plugin can implement.

Every hook is prefixed ``edupolicy_``.  Hooks are called by
``edupolicy.plugins.hooks.PluginManager`` only, one plugin at a time, and
their results are checked there before anything else sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from edupolicy.plugins.region import RegionSpec
    from edupolicy.policy.questions import Question

__all__ = [
    "edupolicy_plugin_api_version",
    "edupolicy_questions",
    "edupolicy_regions",
    "hookspec",
]

hookspec = pluggy.HookspecMarker("edupolicy")


# -------------------------------------------------------------------------
# Plugin identity
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def edupolicy_plugin_api_version() -> str:
    """The plugin-API version the plugin was written for, ``"MAJOR.MINOR"``.

    A plugin that does not implement this hook is refused.  It loads when its major
    version equals :data:`edupolicy.plugins.PLUGIN_API_VERSION`'s and its minor
    version is not above it.

    Stops at the first non-None result.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


# -------------------------------------------------------------------------
# Regions
# -------------------------------------------------------------------------


@hookspec
def edupolicy_regions() -> Sequence[RegionSpec]:
    """The regions the plugin provides.

    :return: one :class:`~edupolicy.plugins.RegionSpec` per region; region ids
        must be unique across all installed plugins.

    Called once per plugin when regions are discovered; the results of all plugins
    are gathered.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


# -------------------------------------------------------------------------
# Questions
# -------------------------------------------------------------------------


@hookspec
def edupolicy_questions() -> Sequence[Question]:
    """Questions the plugin adds to those every policy answers.

    :return: one :class:`~edupolicy.policy.questions.Question` per question; its id
        and path must differ from those of the core's questions
        (:data:`~edupolicy.policy.questions.QUESTIONS`) and of every other plugin's.

    A question a plugin adds is answered for every region, as the core's are: by the
    HTTP service (an operation and its OpenAPI description), by ``edupolicy ask``, by
    case tables (``question = "..."``) and in ``edupolicy schema``.  A question whose
    id is taken, or that is not a ``Question``, is refused with a plugin warning; the
    plugin's regions are still used.

    Optional: a plugin that adds no question does not implement it.

    .. versionadded:: 0.2
    """
    raise NotImplementedError
