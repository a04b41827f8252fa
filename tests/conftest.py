"""Shared fixtures: the installed Jinfeng policy and a builder of student records.

Also the Hypothesis profiles of the property tests: ``ci``, the default, reproducible;
``large`` (``HYPOTHESIS_PROFILE=large``), for a long search; ``quick``
(``HYPOTHESIS_PROFILE=quick``, as ``nox -s quick`` runs), a tenth of ``ci``'s examples.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import edupolicy
from edupolicy.plugins.registry import reset_default_registry

# ``pytester`` runs pytest on case tables in the tests of the edupolicy pytest plugin.
pytest_plugins = ["pytester"]

_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

# The examples are derived from each test's name in ``ci``, so that a run can be
# repeated; nothing is stored between runs in either profile.
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_INPUTS,
)
settings.register_profile(
    "large",
    max_examples=5_000,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_INPUTS,
)
# A quick look while working (``nox -s quick``): a tenth of the examples of ``ci``.
settings.register_profile("quick", settings.get_profile("ci"), max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
