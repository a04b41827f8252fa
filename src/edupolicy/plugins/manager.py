"""Deprecated: importing this module warns, and it will be removed.

Its names now live in :mod:`edupolicy.plugins.registry` (``Registry``, ``RegionInfo``,
``default_registry``, ``reset_default_registry``) and :mod:`edupolicy.plugins.hooks`
(``PluginManager``); nothing in edupolicy imports this module.
"""

from __future__ import annotations

import warnings

from edupolicy.plugins.hooks import PluginManager
from edupolicy.plugins.registry import (
    RegionInfo,
    Registry,
    default_registry,
    reset_default_registry,
)

__all__ = [
    "PluginManager",
    "RegionInfo",
    "Registry",
    "default_registry",
    "reset_default_registry",
]

warnings.warn(
    "edupolicy.plugins.manager is deprecated: import Registry, RegionInfo, "
    "default_registry and reset_default_registry from edupolicy.plugins.registry, and "
    "PluginManager from edupolicy.plugins.hooks",
    DeprecationWarning,
    stacklevel=2,
)
