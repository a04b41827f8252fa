"""Compile the plugin's message catalogues (.po -> .mo) into the wheel.

The .mo files are written to a temporary folder, never into src/: they are build
artefacts, and the wheel is the only place they go.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """The hatch build hook."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        src = Path(self.root) / "src"
        self.compiled = Path(tempfile.mkdtemp(prefix="catalogs-"))
        for po_path in sorted(src.glob("*/locale/*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=po_path.parent.parent.name)
            relative = po_path.with_suffix(".mo").relative_to(src)
            mo_path = self.compiled / relative
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog)
            build_data["force_include"][str(mo_path)] = str(relative)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self.compiled, ignore_errors=True)
