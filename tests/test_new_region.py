"""``edupolicy new-region ID`` writes a plugin package that installs and passes its own
tests as written: built into a wheel by pip and installed, as its author would."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import edupolicy
from edupolicy.cli.scaffold import _HATCH_BUILD
from edupolicy.io import json_schema
from tests.clitools import run
from tests.wheels import run_python, run_steps


def _next_steps(printed: str) -> list[str]:
    """The steps ``new-region`` tells its user to run next, as printed."""
    _wrote, _sep, steps = printed.strip().partition(" Next: ")
    return steps.split("; ")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("region", "extra"),
    [
        ("demo-county", ["--name-zh", "示范县", "--name-en", "Demo County"]),
        ("helan", ["--parent", "jinfeng", "--name-zh", "贺兰县", "--name-en", "Helan County"]),
    ],
)
def test_every_next_step_the_scaffold_prints_succeeds_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: str, extra: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    made = run("new-region", region, *extra)
    assert made.status == 0, made.err
    steps = _next_steps(made.out)
    assert steps[:2] == [f"cd edupolicy-{region}", "pip install ."]
    assert [step.split()[:2] for step in steps[2:]] == [
        ["edupolicy", "check"], ["edupolicy", "aid"], ["pytest", "tests"],
    ]  # fmt: skip
    done = run_steps(steps, tmp_path, tmp_path / "build")
    package = tmp_path / f"edupolicy-{region}"
    site = tmp_path / "build" / "site"
    for step, result in done:
        assert result.returncode == 0, (step, result.stdout + result.stderr)
    outputs = {step.split()[1]: result.stdout for step, result in done}
    assert " passed" in outputs["tests"]
    if "--parent" in extra:
        # Jinfeng's own data errors are counted apart: they do not fail the district's check.
        assert "inherited from jinfeng, 金教发〔2018〕410号" in outputs["check"]
    assert len([line for line in outputs["aid"].splitlines() if line.startswith("S0")]) == 4
    # After an upgrade of edupolicy, the editor's schema is found stale until written again.
    (package / "plan.schema.json").write_text('{"title": "older"}', encoding="utf-8")
    stale = run_python(site, "-m", "pytest", "-p", "no:cacheprovider", "tests", cwd=package)
    assert stale.returncode == 1
    assert "write it again with `edupolicy schema plan > plan.schema.json`" in stale.stdout
    # Nothing the build made is left in the source tree.
    assert not list((package / "src").rglob("*.mo"))
    names = run_python(site, "-m", "edupolicy.cli", "--locale", "zh_CN", "regions")
    assert extra[extra.index("--name-zh") + 1] in names.stdout


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


@pytest.mark.parametrize("parent", [None, "jinfeng"])
def test_new_region_writes_a_plugin_with_its_names_sample_and_editor_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parent: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    extra = ["--parent", parent] if parent else []
    made = run("new-region", "helan", "--name-zh", "贺兰县", "--name-en", "Helan County", *extra)
    assert made.status == 0, made.err
    package = tmp_path / "edupolicy-helan"
    pyproject = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"]["edupolicy"] == {"helan": "edupolicy_helan.plugin"}
    source = package / "src" / "edupolicy_helan"
    plan = tomllib.loads((source / "plan.toml").read_text(encoding="utf-8"))
    assert plan["document"]["title"] == {
        "zh_CN": "贺兰县教育脱贫实施方案",
        "en": "Helan County: plan against poverty through education",
    }
    po = (source / "locale" / "zh_CN" / "LC_MESSAGES" / "edupolicy_helan.po").read_text("utf-8")
    assert 'msgid "Helan County"\nmsgstr "贺兰县"' in po
    assert 'name=_("Helan County")' in (source / "plugin.py").read_text(encoding="utf-8")
    # The editor's schema is the installed edupolicy's, at the package's root, written
    # again by `edupolicy schema plan`: never committed, never shipped in the wheel.
    text = (source / "plan.toml").read_text(encoding="utf-8")
    assert text.startswith("#:schema ../../plan.schema.json\n")
    schema = json.loads((package / "plan.schema.json").read_text(encoding="utf-8"))
    assert schema == json_schema("plan")
    assert json.loads(run("schema", "plan").out) == schema
    assert not list(source.rglob("*.json"))
    ignored = (package / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"plan.schema.json", "*.mo", "build/", "dist/"} <= set(ignored)
    # The sample roster holds students the region evaluates, each one.
    roster = (source / "samples" / "students.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in roster]
    assert len({record["id"] for record in records}) == len(records) >= 3
    assert all(edupolicy.structure(record, edupolicy.Student) for record in records)
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert "edupolicy schema plan > plan.schema.json" in readme
    assert "Helan County (贺兰县)" in readme


def test_the_example_builds_its_catalogues_as_the_scaffold_does() -> None:
    """The example plugin's build hook is the one the scaffold writes: catalogues compiled
    into the wheel, never into the source tree."""
    example = Path(__file__).resolve().parent.parent / "examples" / "edupolicy-xinyuan"
    assert (example / "hatch_build.py").read_text(encoding="utf-8") == _HATCH_BUILD
