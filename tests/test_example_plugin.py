"""The worked second plugin, ``examples/edupolicy-xinyuan``, built and installed exactly as a
third party would: a wheel built by pip from its folder, installed into a site directory,
then used through its entry point — its case tables, its catalogue, its plan's levels.

The wheel is built once per test session (pip fetches the build backend from the package
index, as it would for anyone).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.wheels import check_errors, install_wheel, run_python, run_steps

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "edupolicy-xinyuan"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site directory holding the example plugin, installed from a wheel pip built."""
    root = tmp_path_factory.mktemp("xinyuan")
    source = root / "source"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    return install_wheel(source, root)


def test_the_installed_plugin_passes_its_own_case_tables(site: Path, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE / "tests", tmp_path / "tests")
    result = run_python(site, "-m", "pytest", "-p", "no:cacheprovider", "tests", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "9 passed" in result.stdout


def test_the_installed_plugin_brings_its_own_catalogue(site: Path) -> None:
    english = run_python(site, "-m", "edupolicy.cli", "regions", "--format", "json")
    chinese = run_python(
        site, "-m", "edupolicy.cli", "--locale", "zh_CN", "regions", "--format", "json"
    )
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
    result = run_python(
        site, "-m", "edupolicy.cli", "aid", "--region", "xinyuan", "--on", "2019-09-01",
        "--format", "json", "-", stdin=record,
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
    result = run_python(site, "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "jinfeng []"
    # The plan uses a kind of condition the plugin adds: it is checked as installed.
    check = run_python(site, "-m", "edupolicy.cli", "check", "xinyuan", "--inherited")
    # The plan loads; the audit reports the figures it inherits from Jinfeng's text,
    # counted apart from Xinyuan's own findings.
    assert "Plan file" not in check.stdout + check.stderr
    assert "金教发〔2018〕410号 section 二(二)2" in check.stdout
    assert "2 errors, 5 other findings inherited from jinfeng, 金教发〔2018〕410号" in (
        check.stdout
    )


def test_every_step_of_the_readme_succeeds_as_written(tmp_path: Path) -> None:
    """`pip install .`, `edupolicy check xinyuan`, `pytest tests`, run in a copy of the
    example as its README says."""
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    steps = [line for line in block.splitlines() if line.strip()]
    assert steps == ["pip install .", "edupolicy check xinyuan", "pytest tests"]
    source = tmp_path / "source"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    done = run_steps(steps, source, tmp_path)
    site = tmp_path / "site"
    for step, result in done:
        if step == "edupolicy check xinyuan":
            errors = check_errors(site, step, source)
            # Xinyuan's own items have no error: its top-up for students in more than one
            # hardship treats a migrant worker's child as any other (equal treatment).
            assert not [e for e in errors if e["code"] == "equal-treatment"], errors
            # Its own findings alone decide the exit status; the data errors it inherits
            # from Jinfeng's plan are counted apart.
            assert result.returncode == 0, result.stdout + result.stderr
            assert "inherited from jinfeng, 金教发〔2018〕410号" in result.stdout
            continue
        assert result.returncode == 0, (step, result.stdout + result.stderr)
    assert " passed" in done[-1][1].stdout
    assert not list((source / "src").rglob("*.mo"))  # the catalogues went into the wheel only
