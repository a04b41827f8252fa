"""Checks of edupolicy, each a small session named for what it checks.

``nox`` runs them all; ``nox -s tests`` one of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import nox

#: The Python versions edupolicy is tested on.
PYTHONS = ["3.11", "3.12", "3.13"]

nox.options.sessions = ["tests", "slow", "browser", "mypy", "lint", "i18n", "docs"]
nox.options.reuse_existing_virtualenvs = True
# A Python of PYTHONS that the machine lacks is skipped with a message, except on CI
# (nox's own default), where it fails the run.


def _pyenv_pythons() -> None:
    """On a machine whose Pythons pyenv manages, make each installed one of
    :data:`PYTHONS` findable: pyenv's shims run only the versions selected."""
    if shutil.which("pyenv") is None:
        return
    listed = subprocess.run(
        ["pyenv", "versions", "--bare"], capture_output=True, text=True, check=False
    ).stdout.split()
    chosen = []
    for python in PYTHONS:
        found = [v for v in listed if v.startswith(python + ".") and v.count(".") == 2]
        if found:
            chosen.append(max(found, key=lambda v: int(v.rsplit(".", 1)[1])))
    # Those already selected (pyenv's shim selects the one that runs nox) come first.
    selected = [v for v in os.environ.get("PYENV_VERSION", "").split(":") if v]
    wanted = selected + [v for v in chosen if v not in selected]
    if wanted:
        os.environ["PYENV_VERSION"] = ":".join(wanted)


_pyenv_pythons()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite against the installed package (not the source tree), on each
    Python of :data:`PYTHONS`, but for the tests marked ``slow`` (``nox -s slow``), the
    property tests drawing a quarter of their examples (the Hypothesis profile ``fast``;
    ``nox -s slow`` draws them all).

    Installing the built wheel catches package data that would be missing for users,
    such as the plan files and compiled message catalogues.
    """
    session.install("--no-cache-dir", ".[test]")
    session.run("pytest", "-m", "not slow", *session.posargs)


@nox.session
def slow(session: nox.Session) -> None:
    """The tests marked ``slow`` (those that build a wheel, install a package or run a
    subprocess) and, at full strength (the Hypothesis profile ``ci``), every property
    test (marked ``deep``), against the installed package."""
    session.install("--no-cache-dir", ".[test]")
    session.run("pytest", "-m", "slow or deep", *session.posargs, env={"HYPOTHESIS_PROFILE": "ci"})


@nox.session
def quick(session: nox.Session) -> None:
    """A quick run while working (not part of the default run, which runs every test).

    Leaves out the tests marked ``slow`` (those that build a wheel, install a package or
    run a subprocess) and draws a tenth of the property tests' examples (the Hypothesis
    profile ``quick``), against the source tree installed in editable mode.
    """
    session.install("-e", ".[test]")
    session.run("pytest", "-m", "not slow", *session.posargs, env={"HYPOTHESIS_PROFILE": "quick"})


#: What the browser tests drive: Debian's Chromium and its WebDriver (no browser is
#: downloaded), and a font with Chinese characters for the pages in zh_CN.
BROWSER_PACKAGES = ("chromium", "chromium-driver", "fonts-wqy-microhei")


def _browser_missing() -> list[str]:
    return [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]


@nox.session
def browser(session: nox.Session) -> None:
    """The policy workbench's end-to-end tests (``tests/browser``) in a real Chromium.

    Selenium drives Debian's ``chromium`` through its ``chromedriver``; when they are
    missing and this runs as root, ``apt-get`` installs them.  Elsewhere the session is
    skipped with what to install, except on CI, where it fails.  With
    ``EDUPOLICY_SCREENSHOTS=docs/images/workbench`` it refreshes the docs' screenshots.
    """
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if _browser_missing() and as_root and shutil.which("apt-get"):
        session.run("apt-get", "update", external=True)
        session.run("apt-get", "install", "-y", *BROWSER_PACKAGES, external=True)
    missing = _browser_missing()
    if missing:
        message = (
            f"the browser tests need {', '.join(missing)}: "
            f"apt-get install {' '.join(BROWSER_PACKAGES)} (as root)"
        )
        if os.environ.get("CI"):
            session.error(message)
        session.skip(message)
    session.install("--no-cache-dir", ".[test]", "selenium>=4.20")
    session.run("pytest", "tests/browser", *session.posargs, env={"EDUPOLICY_BROWSER_TESTS": "1"})


@nox.session
def mypy(session: nox.Session) -> None:
    """``mypy --strict`` over src, tests, benchmarks and this file."""
    session.install(
        "-e",
        ".[test]",
        "mypy>=1.10",
        "nox>=2024.4",
        "hatchling>=1.21",
        # The browser tests' driver (it ships its types).
        "selenium>=4.20",
        # Types of the columnar path's optional dependencies (numpy and dask ship theirs).
        "pyarrow-stubs>=20",
        "pandas-stubs>=2",
        "types-openpyxl>=3.1",
    )
    session.run("mypy", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint rules and formatting) and import-linter (the layers of the architecture).

    The layers contract in ``pyproject.toml`` is the architecture: an import that
    climbs a layer fails the build.
    """
    session.install("ruff>=0.5", "import-linter>=2.0")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports", env={"PYTHONPATH": "src"})


@nox.session
def i18n(session: nox.Session) -> None:
    """Fail when a catalogue template is out of date or a zh_CN message is untranslated."""
    session.install("babel>=2.12")
    session.run("python", "tools/catalogs.py", "check")


@nox.session
def update_catalogs(session: nox.Session) -> None:
    """Re-extract messages into the templates and merge them into every ``.po``."""
    session.install("babel>=2.12")
    session.run("python", "tools/catalogs.py", "update")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with Sphinx, failing on any warning (``-n -W``).

    The plan pages are generated from the plans of the installed regions, so the
    package is installed (editable) with the ``docs`` extra.
    """
    # The dask extra (with arrow and pandas): the reference documents edupolicy.columnar.
    # The server extra: the table of the HTTP service's operations is made from them
    # (edupolicy.server.operations).
    session.install("-e", ".[docs,dask,server]")
    session.run(
        "sphinx-build",
        "-n",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
        *session.posargs,
    )


@nox.session
def benchmarks(session: nox.Session) -> None:
    """Print the benchmark table (not part of the default run): every figure beside a
    reference measured in the same run, the numpy one needing the ``arrow`` extra and the
    Dask rows the ``dask`` extra (which brings it); the command line is also compared with
    an OpenFisca model of the same rules run as a batch (``openfisca-core``)."""
    session.install(".[dask]", "openfisca-core>=43")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def server_benchmarks(session: nox.Session) -> None:
    """Print what the HTTP service holds, one worker and several, beside the library's
    own cost of an answer (not part of the default run)."""
    session.install(".[server]")
    session.run("python", "benchmarks/server.py", *session.posargs)
