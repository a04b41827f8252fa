"""Shared fixtures: the installed Jinfeng policy and a builder of student records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

import edupolicy
from edupolicy.plugins.manager import reset_default_registry

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
