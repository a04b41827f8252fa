"""Hook implementations of the Jinfeng region plugin."""

from __future__ import annotations

from collections.abc import Sequence

from edupolicy.i18n import Text
from edupolicy.plugins import RegionSpec, impl
from edupolicy_jinfeng import PLAN_FILE, SAMPLE_ROSTER


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
            name=Text(zh_CN="银川市金凤区", en="Jinfeng District, Yinchuan"),
            plan_files=[PLAN_FILE],
            sample_roster=SAMPLE_ROSTER,
        )
    ]
