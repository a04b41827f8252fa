"""The project's basics: the licence file matches the declared licence, the changelog and
the README's list of checks are kept, ``--version`` works, and the command line's own
words follow the chosen language."""

from __future__ import annotations

import ast
import io
import re
import tomllib
from pathlib import Path

import pytest

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
