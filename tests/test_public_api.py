"""The public surface is pinned: a change to it is deliberate, and reaches the CHANGELOG.

``tests/public_api.txt`` lists every public name and signature of the documented modules
(``tools/public_api.py`` writes it).  The surface of the code now must be that file.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import edupolicy

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location(
        "public_api_tool", ROOT / "tools" / "public_api.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> Any:
    return _tool()


def test_the_public_surface_is_the_pinned_one(tool: Any) -> None:
    written = tool.FILE.read_text(encoding="utf-8")
    now, _missing = tool.generate(written)
    if now != written:
        pytest.fail(f"{tool.difference(written, now)}\n{tool.MESSAGE}", pytrace=False)


def test_every_name_of_edupolicy_is_pinned(tool: Any) -> None:
    pinned = tool.sections(tool.FILE.read_text(encoding="utf-8"))["edupolicy"]
    for name in edupolicy.__all__:
        assert any(line.startswith(f"edupolicy.{name}: ") for line in pinned), name


def test_the_pinned_modules_are_those_the_reference_documents(tool: Any) -> None:
    """Every module the API reference documents with automodule is pinned."""
    pages = [ROOT / "docs" / "api.md", *(ROOT / "docs" / "reference").glob("*.md")]
    documented = {
        line.split("::", 1)[1].strip()
        for page in pages
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith(".. automodule::")
    }
    assert documented <= set(tool.MODULES)


def test_a_change_is_shown_as_a_diff_with_what_to_do(tool: Any) -> None:
    written = tool.FILE.read_text(encoding="utf-8")
    changed = written.replace("edupolicy.load: function (", "edupolicy.load: function (x, ", 1)
    diff = tool.difference(changed, written)
    assert "-edupolicy.load: function (x, " in diff
    assert "+edupolicy.load: function (" in diff
    assert "python tools/public_api.py" in tool.MESSAGE
    assert "CHANGELOG" in tool.MESSAGE


def test_signatures_are_written_as_the_source_spells_them(tool: Any) -> None:
    def sample(a: int, /, b: str = "x", *args: object, c: bool = False, **kw: Any) -> None:
        """A function of every kind of parameter."""

    text = tool.signature(sample)
    assert text == "(a: int, /, b: str = 'x', *args: object, c: bool = False, **kw: Any) -> None"
