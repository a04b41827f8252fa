"""Shared fixtures: the installed Jinfeng policy and a builder of student records.

Also loads the Hypothesis profile of the property tests (``tests/profiles.py``): ``fast``,
the default, a quarter of ``ci``'s examples; ``ci`` (``HYPOTHESIS_PROFILE=ci``), the full
strength, reproducible; ``large`` (``HYPOTHESIS_PROFILE=large``), for a long search;
``quick`` (``HYPOTHESIS_PROFILE=quick``, as ``nox -s quick`` runs), a tenth of ``ci``'s
examples.  Every property test is marked ``deep``, so that ``nox -s slow`` runs them all
under ``ci`` (``-m "slow or deep"``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Babel's formatting modules, imported before any test: pytester's in-process runs of
# case tables drop from sys.modules every module first imported inside them, and a
# Babel module imported again then no longer recognises the number patterns its locale
# data kept from the first import.
import babel.dates
import babel.numbers
import babel.units
import pytest
from hypothesis import is_hypothesis_test

import edupolicy
from edupolicy.plugins.registry import reset_default_registry
from tests import profiles

_BABEL_KEPT = (babel.dates, babel.numbers, babel.units)

# ``pytester`` runs pytest on case tables in the tests of the edupolicy pytest plugin.
pytest_plugins = ["pytester"]

# The profiles are in ``tests/profiles.py``, with the scaling of a test's own count.
profiles.load()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every property test ``deep``: ``nox -s slow`` draws its examples at full strength."""
    for item in items:
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.deep)


#: A date in the middle of the Jinfeng plan's period.
ON = dt.date(2019, 9, 1)


def record(**fields: Any) -> dict[str, Any]:
    """A JSON-shaped student record: a rural primary year-1 day pupil, with ``fields`` changed."""
    base: dict[str, Any] = {"stage": "primary", "year": 1, "school_area": "rural"}
    base.update(fields)
    return base


@pytest.fixture(scope="session")
def jinfeng() -> edupolicy.Policy:
    """The Jinfeng policy, as a host loads it."""
    return edupolicy.load("jinfeng")


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    """Forget discovered plugins before and after the test (for tests that change them)."""
    reset_default_registry()
    yield
    reset_default_registry()


@pytest.fixture
def plain_environment(monkeypatch: pytest.MonkeyPatch, fresh_registry: None) -> None:
    """English output and every installed plugin, whatever the shell running the tests says."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var in list(os.environ):
        if var.startswith("EDUPOLICY_"):
            monkeypatch.delenv(var)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory, so that files are named as a user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def not_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner pytest reports as on a terminal, wherever the tests run.

    On CI (``CI`` or ``BUILD_NUMBER`` set) pytest writes whole failure messages in its
    short summary, which would change the output these tests compare.
    """
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BUILD_NUMBER", raising=False)
