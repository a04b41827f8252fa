"""The Hypothesis profiles of the property tests, and example counts scaled to them.

``ci`` (``HYPOTHESIS_PROFILE=ci``, as ``nox -s slow`` runs every property test) is the
full strength, reproducible; ``fast``, the default (as ``nox -s tests`` runs), draws a
quarter of ``ci``'s examples, the same way; ``large`` (``HYPOTHESIS_PROFILE=large``)
searches long; ``quick`` (``HYPOTHESIS_PROFILE=quick``, as ``nox -s quick`` runs) draws
a tenth of ``ci``'s examples.  A test that draws more or fewer examples than the profile
says asks for :func:`scaled`, so that every profile scales it: ``scaled(300)`` is 300
under ``ci``, 75 under ``fast``, 30 under ``quick`` and 15,000 under ``large``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["load", "scaled"]

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
# The suite but for the tests marked ``slow`` (``nox -s tests``, on each Python): a
# quarter of the examples of ``ci``, which ``nox -s slow`` draws for every property test.
settings.register_profile("fast", settings.get_profile("ci"), max_examples=25)
# A quick look while working (``nox -s quick``): a tenth of the examples of ``ci``.
settings.register_profile("quick", settings.get_profile("ci"), max_examples=10)


def load() -> None:
    """Load the profile ``HYPOTHESIS_PROFILE`` names, ``fast`` by default."""
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


def scaled(examples: int) -> int:
    """``examples`` under ``ci``, scaled to the loaded profile (one at least).

    Read when a test module is imported, after ``conftest.py`` has loaded the profile.
    """
    ci = settings.get_profile("ci").max_examples
    return max(1, examples * settings().max_examples // ci)
