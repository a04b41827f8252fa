"""Compile the message catalogues (``.po`` → ``.mo``) when the package is built.

The ``.po`` files are kept in git; the compiled ``.mo`` files are build artifacts,
shipped in the wheel and the sdist, and written beside the ``.po`` for editable
installs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(src: Path) -> list[Path]:
    """Compile each ``src/<package>/locale/<locale>/LC_MESSAGES/<domain>.po``; the ``.mo`` paths."""
    compiled = []
    for po_path in sorted(src.glob("*/locale/*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        compiled.append(mo_path)
    return compiled


class CompileCatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """The hatch build hook."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        src = Path(self.root) / "src"
        for mo_path in compile_catalogs(src):
            relative = mo_path.relative_to(src)
            if self.target_name == "wheel":
                build_data["force_include"][str(mo_path)] = str(relative)
            elif self.target_name == "sdist":
                build_data["force_include"][str(mo_path)] = str(Path("src") / relative)
