"""Building a plugin's wheel with pip and installing it into a site folder, as its author
or a third party would, then running Python with that site in front."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["check_errors", "environment", "install_wheel", "run_python", "run_steps"]


def install_wheel(package: Path, root: Path) -> Path:
    """Build ``package``'s wheel with pip (fetching its build backend as anyone would) and
    install it into ``root / "site"``; the site folder."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels, site = root / "wheels", root / "site"
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(package)], check=True)
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    return site


def environment(site: Path) -> dict[str, str]:
    """This process's environment without what would change edupolicy's or pytest's
    output, with ``site`` first on the path and edupolicy from wherever this run takes it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EDUPOLICY_", "LC_", "LANG", "PYTEST_"))
        and key not in ("CI", "BUILD_NUMBER")
    }
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(site), os.environ.get("PYTHONPATH", "")) if part
    )
    return env


def run_python(
    site: Path, *args: str, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` with ``site`` installed; its output as text, whatever its status."""
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(site),
        cwd=cwd,
        check=False,
    )


def run_steps(
    steps: list[str], cwd: Path, root: Path
) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    """Run the shell steps a user is told to run (``cd DIR``, ``pip install .``,
    ``edupolicy ...``, ``pytest ...``), as that user would: the package is built into a
    wheel and installed into a site folder under ``root``, and the commands run with it.
    Each step that runs a program, with what it did."""
    site: Path | None = None
    done: list[tuple[str, subprocess.CompletedProcess[str]]] = []
    for step in steps:
        words = shlex.split(step)
        if words[0] == "cd":
            cwd = cwd / words[1]
        elif words[:2] == ["pip", "install"]:
            assert words[2:] == ["."], step
            site = install_wheel(cwd, root)
        else:
            assert site is not None, f"{step}: nothing is installed yet"
            program = {
                "edupolicy": ["-m", "edupolicy.cli"],
                "pytest": ["-m", "pytest", "-p", "no:cacheprovider"],
            }
            done.append((step, run_python(site, *program[words[0]], *words[1:], cwd=cwd)))
    return done


def check_errors(site: Path, step: str, cwd: Path) -> list[dict[str, Any]]:
    """The errors of the ``edupolicy check ...`` of ``step``, as its JSON gives them."""
    again = run_python(
        site, "-m", "edupolicy.cli", *shlex.split(step)[1:], "--format", "json", cwd=cwd
    )
    found: list[dict[str, Any]] = json.loads(again.stdout)
    return [finding for finding in found if finding["severity"] == "error"]
