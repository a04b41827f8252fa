"""Checking a plan before anyone relies on it: ``edupolicy check PATH``, ``edupolicy regions``
and strict plugin mode load and check plans; misspelt names and keys are pointed out."""

from __future__ import annotations

import io
import json
from importlib.metadata import entry_points as installed_entry_points
from pathlib import Path

import pytest

import edupolicy
from edupolicy import PlanDataError, UnknownRegionError
from edupolicy.cli import main
from edupolicy.errors import PluginFilterError
from edupolicy.io import UnknownSchemaError, json_schema
from edupolicy.plugins.registry import Registry
from tests import planfiles
from tests.clitools import run
from tests.fakedist import entry_points, install, plan_toml, plugin_source, region_spec

JINFENG_FOLDER = Path(edupolicy.__file__).resolve().parent.parent / "edupolicy_jinfeng"


def _jinfeng_entry_point() -> list[object]:
    return [ep for ep in installed_entry_points(group="edupolicy") if ep.name == "jinfeng"]


# --- edupolicy check PATH ------------------------------------------------------------------------


def test_check_a_plugin_folder_audits_each_plan_file_it_holds() -> None:
    result = run("check", str(JINFENG_FOLDER))
    assert result.status == 1  # the plan's own two figures that cannot be right
    lines = result.out.splitlines()
    assert lines[-1] == "2 errors, 6 other findings"
    assert all(line.startswith(str(JINFENG_FOLDER / "plan.toml")) for line in lines[:-1] if
               not line.startswith("    "))  # fmt: skip


def test_check_a_plan_file_reports_a_bad_field_by_path_with_a_suggestion(
    workdir: Path,
) -> None:
    text = plan_toml().replace('frequency = "per_year"', 'frequncy = "per_year"')
    (workdir / "plan.toml").write_text(text, encoding="utf-8")
    result = run("check", "plan.toml")
    assert result.status == 1
    assert result.out.splitlines() == [
        "plan.toml: Plan file plan.toml is not valid",
        "  $.aid.rules[0].benefit.frequency: a benefit of kind cash needs the field frequency "
        "(got (missing))",
        "  $.aid.rules[0].benefit.frequncy: a benefit of kind cash has no field frequncy; "
        'did you mean frequency? (got "per_year")',
        "1 error, 0 other findings",
    ]


def test_check_json_names_the_file_of_each_finding(workdir: Path) -> None:
    (workdir / "plan.toml").write_text(plan_toml(), encoding="utf-8")
    result = run("check", "plan.toml", "--format", "json")
    assert result.status == 0
    findings = json.loads(result.out)
    assert findings
    assert {finding["file"] for finding in findings} == {"plan.toml"}


def test_strict_makes_a_warning_fail_the_check(workdir: Path) -> None:
    # The amount is not the one the quote states: a warning of the audit.
    (workdir / "plan.toml").write_text(plan_toml(amount='"350.00"'), encoding="utf-8")
    plain = run("check", "plan.toml")
    strict = run("check", "plan.toml", "--strict")
    assert "warning [quote-number]" in plain.out
    assert plain.status == 0
    assert strict.status == 1


def test_check_a_folder_without_a_plan_says_so(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    result = run("check", str(workdir))
    assert result.status == 2
    assert "No plan file in" in result.err


# --- regions and strict mode load and check plans ----------------------------------------------


def _broken_region(site: Path) -> str:
    text = plan_toml().replace('quote = "小学生', 'qoute = "小学生')
    plugin = install(site, plugin_source(f"[{region_spec('broken')}]"), files={"plan.toml": text})
    return plugin.entry_point


@pytest.mark.usefixtures("fresh_registry")
def test_regions_loads_each_region_and_reports_a_plan_with_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    entry_point = _broken_region(site)
    result = run("regions")
    assert result.status == 1
    rows = {line.split()[0]: line.split()[-1] for line in result.out.splitlines()[1:]}
    assert rows["jinfeng"] == "ok"
    assert rows["broken"] == "error"
    assert f"Plugin {entry_point} (edupolicy-{entry_point.replace('_', '-')})" in result.err
    assert "cannot load region broken: Plan file plan.toml is not valid" in result.err
    assert f"Disable it with EDUPOLICY_DISABLE_PLUGINS={entry_point}" in result.err
    assert "$.aid.rules[0].source.qoute: unknown field; did you mean quote?" in result.err
    data = json.loads(run("regions", "--format", "json").out)
    status = {entry["id"]: (entry["status"], entry["error"] is None) for entry in data}
    assert status == {"broken": ("error", False), "jinfeng": ("ok", True)}


def test_strict_mode_fails_on_a_region_whose_plan_has_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _broken_region(tmp_path)
    with pytest.raises(PlanDataError) as caught:
        Registry(
            entry_points=[*_jinfeng_entry_point(), *entry_points(tmp_path)],  # type: ignore[list-item]
            environ={"EDUPOLICY_STRICT_PLUGINS": "1"},
        )
    assert caught.value.heading.msgid.startswith("Plugin {entry_point}")
    paths = [problem.path for problem in caught.value.problems]
    assert "$.aid.rules[0].source.qoute" in paths


# --- misspelt names -------------------------------------------------------------------------------


def test_a_misspelt_plugin_name_in_a_filter_is_pointed_out() -> None:
    with pytest.warns(UserWarning, match="did you mean jinfeng"):
        registry = Registry(
            entry_points=_jinfeng_entry_point(),  # type: ignore[arg-type]
            environ={"EDUPOLICY_DISABLE_PLUGINS": "jinfen"},
        )
    (problem,) = registry.problems
    assert isinstance(problem, PluginFilterError)
    assert problem.entry_point == "jinfen"
    assert "EDUPOLICY_DISABLE_PLUGINS names jinfen" in problem.render("en")
    with pytest.raises(PluginFilterError):
        Registry(
            entry_points=_jinfeng_entry_point(),  # type: ignore[arg-type]
            environ={"EDUPOLICY_PLUGINS": "jinfen", "EDUPOLICY_STRICT_PLUGINS": "1"},
        )


def test_an_unknown_region_under_a_filter_says_the_filter_may_hide_it() -> None:
    with pytest.warns(UserWarning, match="EDUPOLICY_PLUGINS names jinfeng-next"):
        registry = Registry(
            entry_points=_jinfeng_entry_point(),  # type: ignore[arg-type]
            environ={"EDUPOLICY_PLUGINS": "jinfeng-next"},
        )
    with pytest.raises(UnknownRegionError) as caught:
        registry.load("jinfeng")
    assert caught.value.hidden_by == "EDUPOLICY_PLUGINS"
    assert "EDUPOLICY_PLUGINS filters the plugins" in caught.value.render("en")
    plain = Registry(entry_points=_jinfeng_entry_point(), environ={})  # type: ignore[arg-type]
    with pytest.raises(UnknownRegionError) as unfiltered:
        plain.load("jinfen")
    assert unfiltered.value.hidden_by is None


def test_a_mistyped_key_of_a_record_gets_the_nearest_field() -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        edupolicy.structure(
            {"stage": "primary", "year": 1, "school_area": "rural", "housheold": []},
            edupolicy.Student,
        )
    assert "$.housheold: unknown field; did you mean household?" in caught.value.render("en")


# --- errors a district can act on ------------------------------------------------------------


@pytest.mark.usefixtures("plain_environment")
def test_check_a_folder_reports_every_plan_a_misspelt_parent_included(workdir: Path) -> None:
    (workdir / "districts" / "good").mkdir(parents=True)
    (workdir / "districts" / "good" / "plan.toml").write_text(plan_toml(), encoding="utf-8")
    (workdir / "districts" / "typo").mkdir()
    misspelt = planfiles.plan_text(plan_id="typo-2019", parent="jinfen", stage_years=None)
    (workdir / "districts" / "typo" / "plan.toml").write_text(misspelt, encoding="utf-8")
    result = run("check", "districts", "--format", "json")
    assert result.status == 1
    found = json.loads(result.out)
    assert {entry["file"] for entry in found} == {
        "districts/good/plan.toml",
        "districts/typo/plan.toml",
    }
    (load,) = [entry for entry in found if entry["code"] == "load"]
    assert load["file"] == "districts/typo/plan.toml"
    assert load["subject"] == "$.parent"
    assert "did you mean jinfeng?" in load["message"]
    plain = run("check", "districts/typo/plan.toml")
    assert plain.status == 1
    assert plain.out.startswith(
        "districts/typo/plan.toml: Plan file plan.toml is not valid\n  $.parent: "
    )


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_misplaced_table_is_shown_as_written_never_as_python(workdir: Path, locale: str) -> None:
    text = plan_toml().replace("[in_force]", "[in_forse]")
    (workdir / "plan.toml").write_text(text, encoding="utf-8")
    result = run("--locale", locale, "check", "plan.toml")
    assert result.status == 1
    assert "datetime" not in result.out
    assert '"start": 20' in result.out  # the table as TOML wrote it: {"end": ..., "start": ...}
    assert "in_force" in result.out


@pytest.mark.usefixtures("plain_environment")
def test_check_a_folder_goes_on_past_a_plan_whose_parent_cannot_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    crashing = "[RegionSpec(id='crashing', name=Text(zh_CN='坏', en='Bad'), plans=lambda: 1 / 0)]"
    install(site, plugin_source(crashing))
    folder = tmp_path / "plans"
    folder.mkdir()
    layered = planfiles.plan_text(plan_id="child-2020", parent="crashing", stage_years=None)
    (folder / "child.plan.toml").write_text(layered, encoding="utf-8")
    (folder / "plan.toml").write_text(plan_toml(), encoding="utf-8")
    result = run("check", str(folder))
    assert result.status == 1
    child = str(folder / "child.plan.toml")
    assert f"{child}: Cannot load plan file child.plan.toml: Plugin " in result.out
    assert "failed to load the plans of region crashing: ZeroDivisionError" in result.out
    assert f"{folder / 'plan.toml'}: " in result.out  # the next plan is still checked


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["aid", "--region", "jinfeng", "--on", "2019-13-01", "-"], '"2019-13-01"'),
        (["aid", "--region", "jinfeng", "--reading", "x", "--on", "2019-09-01", "-"], '"x"'),
    ],
)
def test_a_bad_argument_is_shown_as_typed_never_as_python(
    argv: list[str], shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv, stdout=io.StringIO(), stdin=io.StringIO())
    assert caught.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert shown in last
    assert "'" not in last


def test_a_bad_region_id_and_schema_name_are_shown_as_typed() -> None:
    bad = run("new-region", "Helan County")
    assert bad.status == 2
    assert 'new-region: "Helan County" is not a region id' in bad.err
    with pytest.raises(UnknownSchemaError) as caught:
        json_schema("students")
    assert 'no schema is named "students"' in caught.value.render("en")
