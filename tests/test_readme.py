"""The README's first lines are the commands a new user runs; CI runs the same test command."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_starts_with_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    # The title, then straight away the two commands.
    assert next(line for line in lines[1:] if line.strip()) == "```sh"
    install, test = readme_commands()
    assert "pip install ." in install
    assert "edupolicy aid --region jinfeng" in install
    assert "nox" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert script[-1] == readme_commands()[1]
