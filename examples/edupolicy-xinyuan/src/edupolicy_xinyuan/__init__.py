"""Xinyuan District (新源区, a fictional district) as an edupolicy region plugin.

Its plan builds on Jinfeng's: ``plan.toml`` names ``parent = "jinfeng"`` and changes, by
id and with Xinyuan's own words, only what differs.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from edupolicy.i18n import register_domain

__all__ = ["DOMAIN", "PLAN_FILE"]

#: The message domain of this plugin's own catalogue.
DOMAIN = "edupolicy_xinyuan"
register_domain(DOMAIN, Path(__file__).parent / "locale")

#: The plan data.
PLAN_FILE = files(__name__) / "plan.toml"
