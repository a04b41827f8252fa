"""The worked second plugin, ``examples/edupolicy-xinyuan``, built and installed exactly as a
third party would: a wheel built by pip from its folder, installed into a site directory,
then used through its entry point — its case tables, its catalogue, its plan's levels.

The wheel is built once per test session (pip fetches the build backend from the package
index, as it would for anyone).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "edupolicy-xinyuan"


def _environment(site: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EDUPOLICY_", "LC_", "LANG", "PYTEST_"))
        and key not in ("CI", "BUILD_NUMBER")
    }
    # The site first; edupolicy itself from wherever this test run takes it.
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(site), os.environ.get("PYTHONPATH", "")) if part
    )
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site directory holding the example plugin, installed from a wheel pip built."""
    root = tmp_path_factory.mktemp("xinyuan")
    source = root / "source"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    wheels = root / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("*.whl")
    target = root / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def _run(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=_environment(site),
        cwd=cwd,
        check=False,
    )


def test_the_installed_plugin_passes_its_own_case_tables(site: Path, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE / "tests", tmp_path / "tests")
    result = _run(site, "-m", "pytest", "-p", "no:cacheprovider", "tests", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed" in result.stdout


def test_the_installed_plugin_brings_its_own_catalogue(site: Path) -> None:
    english = _run(site, "-m", "edupolicy.cli", "regions", "--format", "json")
    chinese = _run(site, "-m", "edupolicy.cli", "--locale", "zh_CN", "regions", "--format", "json")
    assert english.returncode == 0, english.stderr
    names = {entry["id"]: entry["name"] for entry in json.loads(english.stdout)}
    names_zh = {entry["id"]: entry["name"] for entry in json.loads(chinese.stdout)}
    assert names["xinyuan"] == "Xinyuan District"
    assert names_zh["xinyuan"] == "新源区"
    statuses = {entry["id"]: entry["status"] for entry in json.loads(english.stdout)}
    assert statuses == {"jinfeng": "ok", "xinyuan": "ok"}


def test_each_item_says_which_level_it_comes_from(site: Path) -> None:
    record = json.dumps(
        {"stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
    )
    result = subprocess.run(
        [sys.executable, "-m", "edupolicy.cli", "aid", "--region", "xinyuan", "--on", "2019-09-01",
         "--format", "json", "-"],
        input=record, capture_output=True, text=True, env=_environment(site), check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["plan"] == "xinyuan-2019"
    assert data["cash_total"] == "600.00"
    levels = {item["rule"]: item["source"]["document"] for item in data["items"]}
    assert levels == {
        "rural-compulsory-textbook-waiver": "金教发〔2018〕410号",
        "primary-poor-grant": "新教发〔2019〕8号",
    }


def test_the_removed_rule_is_gone_and_the_plan_checks(site: Path) -> None:
    script = (
        "import edupolicy\n"
        "plan = edupolicy.load('xinyuan').plans[0]\n"
        "print(plan.parent, sorted(r.id for r in plan.aid.rules if 'voucher' in r.id))\n"
    )
    result = _run(site, "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "jinfeng []"
    # The plan uses a kind of condition the plugin adds: it is checked as installed.
    check = _run(site, "-m", "edupolicy.cli", "check", "xinyuan")
    # The plan loads; the audit reports the figures it inherits from Jinfeng's text.
    assert "Plan file" not in check.stdout + check.stderr
    assert "金教发〔2018〕410号 section 二(二)2" in check.stdout
