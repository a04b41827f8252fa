"""The plugin interface of edupolicy.

A region plugin is a module registered under the entry-point group ``edupolicy``
that implements the hooks of :mod:`edupolicy.plugins.spec`, each marked with
:data:`impl`::

    from edupolicy.plugins import impl

    @impl
    def edupolicy_plugin_api_version() -> str:
        return "1.0"
"""

from __future__ import annotations

import pluggy

from edupolicy.plugins.region import RegionSpec

__all__ = ["PLUGIN_API_VERSION", "PROJECT_NAME", "RegionSpec", "impl"]

#: The pluggy project name, and the entry-point group plugins register under.
PROJECT_NAME = "edupolicy"

#: The plugin-API version this edupolicy implements: ``MAJOR.MINOR``.  A plugin
#: written for the same major version and a minor version not above this one loads.
PLUGIN_API_VERSION = "1.1"

#: Marks a function of a plugin module as the implementation of a hook.
impl = pluggy.HookimplMarker(PROJECT_NAME)
