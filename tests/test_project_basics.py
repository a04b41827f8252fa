"""The project's basics: the licence file matches the declared licence, the changelog and
the README's list of checks are kept, ``nox`` runs every test at full strength,
``--version`` works, and the command line's own words follow the chosen language."""

from __future__ import annotations

import ast
import io
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_file_is_the_declared_licence() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


def test_the_changelog_has_an_unreleased_section_and_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.M)
    assert headings[0] == "Unreleased"
    # A development version is the Unreleased section; a release has a section of its own.
    release, dev, _ = edupolicy.__version__.partition(".dev")
    if dev:
        assert release not in headings, f"{release} is released: the version should say so"
    else:
        assert edupolicy.__version__ in headings


def _nox_sessions() -> list[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any("session" in ast.unparse(decorator) for decorator in node.decorator_list)
    ]


def test_the_readme_says_what_each_nox_session_checks() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    sessions = _nox_sessions()
    assert "tests" in sessions
    for name in sessions:
        assert f"| `{name}` |" in text, f"the README does not list nox session {name}"


def _pytest_runs(session: str) -> list[tuple[str, str]]:
    """The marker expression and the Hypothesis profile of each pytest run of ``session``."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == session]
    runs = []
    for call in ast.walk(function):
        if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "session.run"):
            continue
        args = [ast.literal_eval(a) for a in call.args if isinstance(a, ast.Constant)]
        if args[:2] != ["pytest", "-m"]:
            continue
        env = {
            ast.literal_eval(k): ast.literal_eval(v)
            for kw in call.keywords
            if kw.arg == "env" and isinstance(kw.value, ast.Dict)
            for k, v in zip(kw.value.keys, kw.value.values, strict=True)
            if k is not None
        }
        runs.append((args[2], env.get("HYPOTHESIS_PROFILE", "fast")))
    return runs


def test_nox_runs_every_test_and_every_property_test_at_full_strength() -> None:
    # The fast session leaves out the slow tests and draws fewer examples; the slow
    # session runs the slow tests and every property test (marked deep) under ci.
    assert _pytest_runs("tests") == [("not slow", "fast")]
    assert _pytest_runs("slow") == [("slow or deep", "ci")]
    assert {"tests", "slow"} <= set(_default_sessions())


def _default_sessions() -> list[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "nox.options.sessions":
            return list(ast.literal_eval(node.value))
    return []


@given(st.none())
@settings(max_examples=1, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_property_test_is_marked_deep_for_the_slow_session(
    request: pytest.FixtureRequest, nothing: None
) -> None:
    assert request.node.get_closest_marker("deep") is not None


def test_a_plain_test_is_not_marked_deep(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("deep") is None


def test_version_prints_the_installed_version() -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        main(["--version"], stdout=out, stderr=io.StringIO())
    assert exited.value.code == 0
    assert out.getvalue() == f"edupolicy {edupolicy.__version__}\n"


def test_the_command_lines_own_words_are_in_chinese_under_zh_cn() -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit):
        main(["--locale", "zh_CN", "aid", "--help"], stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert text.startswith("用法：")
    # Section titles end in the full-width colon, as Chinese writes it.
    assert "\n位置参数：\n" in text
    assert "\n选项：\n" in text
    assert "位置参数:" not in text
    assert "选项:" not in text
    assert "显示此帮助信息并退出" in text
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in text
    status, err = usage_error("--locale", "zh_CN", "aid")
    assert status == 2
    assert "edupolicy aid：错误：缺少必需的参数：--region, --on" in err
    assert "the following arguments are required" not in err


def test_the_command_lines_own_words_stay_english_under_en() -> None:
    status, err = usage_error("aid")
    assert status == 2
    assert "usage: edupolicy aid" in err
    assert "error: the following arguments are required: --region, --on" in err
    _status, choice = usage_error(
        "aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "xml", "-"
    )
    assert (
        "argument --format: invalid choice: 'xml' (choose from 'table', 'json', 'jsonl')" in choice
    )


def usage_error(*argv: str) -> tuple[object, str]:
    """The exit status and the standard error of a command line argparse refuses."""
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        main(list(argv), stdout=io.StringIO(), stderr=err)
    return exited.value.code, err.getvalue()
