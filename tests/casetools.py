"""Running case tables through pytest in tests: the inner run, and matching its output.

Used by the tests of the case-table plugin and of the pages that show case tables run.
A test module that runs pytest inside uses the ``not_on_ci`` fixture of ``conftest.py``.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

__all__ = ["output", "run", "shown_in_output", "write"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """pytest on the files of ``pytester``, in-process, with the plugin as installed."""
    extra = ["-p", "no:cacheprovider"]
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        extra += ["-p", "edupolicy.testing.plugin"]
    return pytester.runpytest(*extra, *args)


def write(pytester: pytest.Pytester, name: str, text: str) -> Path:
    path = pytester.path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def output(result: pytest.RunResult) -> str:
    return result.stdout.str()


def shown_in_output(shown: str, text: str, *, page: str) -> None:
    """The lines of ``shown`` are consecutive lines of ``text``; ``...`` skips lines.

    A rule of ``=`` or ``_`` around a title matches that title at any terminal width.
    """
    lines = text.splitlines()
    at, gap = 0, True
    for wanted in shown.splitlines():
        if wanted == "...":
            gap = True
            continue
        title = wanted.strip("=_ ")
        if wanted[:3] in ("===", "___"):
            pattern = re.compile(rf"[=_]+ {re.escape(title)} [=_]+")
        else:
            pattern = re.compile(re.escape(wanted))
        if gap:
            while at < len(lines) and not pattern.fullmatch(lines[at]):
                at += 1
        found = lines[at] if at < len(lines) else None
        assert found is not None, f"{page} shows {wanted!r}, not in:\n{text}"
        assert pattern.fullmatch(found), f"{page} shows {wanted!r}, not {found!r}"
        at, gap = at + 1, False
