"""The Jinfeng District plan (金教发〔2018〕410号) as an edupolicy region plugin.

The plan's numbers live in ``plan.toml`` beside this file, each with the verbatim
sentence of the plan that states it (``plan-text.txt`` holds the whole published
text).  The plugin registers itself through the entry-point group ``edupolicy``,
exactly as a third-party plugin would.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from edupolicy.i18n import register_domain

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["DOMAIN", "PLAN_FILE", "PLAN_TEXT", "SAMPLE_ROSTER"]

#: The message domain of this plugin's own catalogue.
DOMAIN = "edupolicy_jinfeng"
_FOLDER = Path(__file__).parent
register_domain(DOMAIN, _FOLDER / "locale")

_HERE: Traversable
if (_FOLDER / "plan.toml").is_file():
    # A package on disk (installed, or editable): its files are paths.
    _HERE = _FOLDER
else:  # imported from a zip file: its files are what the importer reads
    from importlib.resources import files

    _HERE = files(__name__)

#: The plan data.
PLAN_FILE: Traversable = _HERE / "plan.toml"
#: The full published text of the plan.
PLAN_TEXT: Traversable = _HERE / "plan-text.txt"
#: A sample roster of students (JSON Lines) used by ``edupolicy aid --sample``.
SAMPLE_ROSTER: Traversable = _HERE / "samples" / "students.jsonl"
