"""Hook implementations of the Jinfeng region plugin."""

from __future__ import annotations

from collections.abc import Sequence

from edupolicy.i18n import message_factory
from edupolicy.plugins import RegionSpec, impl
from edupolicy_jinfeng import DOMAIN, PLAN_FILE, PLAN_TEXT, SAMPLE_ROSTER

#: Messages of this plugin come from its own catalogue, domain ``edupolicy_jinfeng``.
_ = message_factory(DOMAIN)


@impl
def edupolicy_plugin_api_version() -> str:
    """This plugin is written for plugin API 1.0."""
    return "1.0"


@impl
def edupolicy_regions() -> Sequence[RegionSpec]:
    """The Jinfeng District of Yinchuan."""
    return [
        RegionSpec.from_files(
            id="jinfeng",
            name=_("Jinfeng District, Yinchuan"),
            plan_files=[PLAN_FILE],
            sample_roster=SAMPLE_ROSTER,
            plan_texts={"jinfeng-2018-410": PLAN_TEXT},
        )
    ]
