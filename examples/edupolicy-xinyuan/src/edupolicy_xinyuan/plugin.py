"""The hooks of the Xinyuan plugin."""

from __future__ import annotations

from collections.abc import Sequence

from edupolicy.i18n import message_factory
from edupolicy.plugins import RegionSpec, impl
from edupolicy_xinyuan import DOMAIN, PLAN_FILE
from edupolicy_xinyuan.conditions import Hardships

#: Messages of this plugin come from its own catalogue.
_ = message_factory(DOMAIN)


@impl
def edupolicy_plugin_api_version() -> str:
    """This plugin is written for plugin API 1.0."""
    return "1.0"


@impl
def edupolicy_regions() -> Sequence[RegionSpec]:
    """Xinyuan District: its plan file, and the kind of condition its plan adds."""
    return [
        RegionSpec.from_files(
            id="xinyuan",
            name=_("Xinyuan District"),
            plan_files=[PLAN_FILE],
            conditions=[Hardships],
        )
    ]
