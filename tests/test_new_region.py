"""``edupolicy new-region ID`` writes a plugin package that installs and passes its own
tests as written: built into a wheel by pip and installed, as its author would."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from edupolicy.io import json_schema
from tests.clitools import run
from tests.wheels import install_wheel, run_python


@pytest.mark.slow
@pytest.mark.parametrize(
    ("region", "extra"), [("demo-county", []), ("helan", ["--parent", "jinfeng"])]
)
def test_a_new_region_installs_and_passes_its_own_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: str, extra: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    made = run("new-region", region, *extra)
    assert made.status == 0, made.err
    package = tmp_path / f"edupolicy-{region}"
    assert f"Wrote the plugin package edupolicy-{region}" in made.out
    module = "edupolicy_" + region.replace("-", "_")
    pyproject = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"]["edupolicy"] == {region: f"{module}.plugin"}
    plan = package / "src" / module / "plan.toml"
    assert plan.read_text(encoding="utf-8").startswith("#:schema ./plan.schema.json\n")
    schema = json.loads((plan.parent / "plan.schema.json").read_text(encoding="utf-8"))
    assert schema == json_schema("plan")
    checked = run("check", str(plan))
    assert "Plan file" not in checked.out

    site = install_wheel(package, tmp_path)
    result = run_python(site, "-m", "pytest", "-p", "no:cacheprovider", "tests", cwd=package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    names = run_python(site, "-m", "edupolicy.cli", "--locale", "zh_CN", "regions")
    assert f"{region} 区" in names.stdout


def test_new_region_refuses_a_bad_id_and_an_existing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = run("new-region", "Helan County")
    assert bad.status == 2
    assert "is not a region id" in bad.err
    (tmp_path / "taken").mkdir()
    taken = run("new-region", "helan", "--into", "taken")
    assert taken.status == 2
    assert "exists already" in taken.err
    missing = run("new-region", "helan", "--parent", "nowhere")
    assert missing.status == 2
    assert "Unknown region" in missing.err
    assert not (tmp_path / "edupolicy-helan").exists()
