"""Building a plugin's wheel with pip and installing it into a site folder, as its author
or a third party would, then running Python with that site in front."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["environment", "install_wheel", "run_python"]


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
