"""The command line builds only the command given, and nobody can tell.

``edupolicy aid ...`` imports the module of ``aid`` and builds its parser alone, not
every command's; its help, its parse and its usage errors are those of the parser with
every command, in English and in Chinese.  A name that is no command, and the top-level
help, still list every command.  Whether the other commands' modules are imported is
checked in a fresh process, by what is imported, never by timing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from edupolicy.cli import COMMANDS, _parser, main
from edupolicy.cli._options import writing_to
from edupolicy_jinfeng import SAMPLE_ROSTER

LOCALES = ("en", "zh_CN")

#: A command line each command accepts, its options and arguments given.
ACCEPTED = {
    "regions": ["regions", "--format", "json"],
    "readings": ["readings", "--region", "jinfeng", "--reading", "a=b"],
    "new-region": ["new-region", "--parent", "jinfeng", "--name-en", "Demo", "demo"],
    "case-template": ["case-template", "--on", "2019-09-01", "jinfeng", "cases.toml"],
    "aid": ["aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "jsonl", "one.json"],
    "progress": ["progress", "--region", "jinfeng", "--year", "2019", "figures.json"],
    "check": ["check", "--strict", "jinfeng"],
    "teacher": ["teacher", "--region", "jinfeng", "--on", "2019-09-01", "--explain", "t.json"],
    "select": [
        *("select", "--region", "jinfeng", "--programme", "p", "--year", "2019"),
        "candidates.json",
    ],
    "check-awards": ["check-awards", "--region", "jinfeng", "--on", "2019-09-01", "a.json"],
    "diff": [
        *("diff", "--region", "jinfeng", "--on", "2019-09-01", "--against", "2020-09-01"),
        "roster.json",
    ],
    "budget": ["budget", "--region", "jinfeng", "--on", "2019-09-01", "roster.json"],
    "schema": ["schema", "student"],
    "serve": ["serve", "--port", "8001", "--region", "jinfeng"],
    "ask": ["ask", "aid", "--region", "jinfeng", "--on", "2019-09-01", "one.json"],
}


def _run(parser: argparse.ArgumentParser, argv: Sequence[str]) -> tuple[str, str, object]:
    """What parsing ``argv`` prints (out, err) and its exit status, as ``main`` shows it."""
    out, err = io.StringIO(), io.StringIO()
    with writing_to(out, err):
        try:
            parser.parse_args(argv)
        except SystemExit as exc:
            return out.getvalue(), err.getvalue(), exc.code
    return out.getvalue(), err.getvalue(), None


def _main(argv: Sequence[str]) -> tuple[str, str, object]:
    """What ``main`` prints (out, err) and its exit status, for a command line that
    stops while being parsed (help or a usage error)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        main(argv, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), stopped.value.code


def _choices(parser: argparse.ArgumentParser) -> list[str]:
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(commands.choices)


def _comparable(args: argparse.Namespace) -> dict[str, object]:
    """The parsed arguments, a command's function by its name (each parser has its own)."""
    return {
        key: f"{value.__module__}.{value.__qualname__}" if callable(value) else value
        for key, value in vars(args).items()
    }


def test_every_command_has_a_command_line_here() -> None:
    assert list(ACCEPTED) == list(COMMANDS)


def test_the_table_names_every_command_of_the_full_parser_in_its_order() -> None:
    assert _choices(_parser("en")) == list(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_built_alone_adds_exactly_the_commands_the_table_gives_its_function(
    name: str,
) -> None:
    added_with = [other for other, where in COMMANDS.items() if where == COMMANDS[name]]
    assert _choices(_parser("en", command=name)) == added_with


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", COMMANDS)
def test_the_help_of_a_command_is_the_same_built_alone(name: str, locale: str) -> None:
    full = _run(_parser(locale), [name, "--help"])
    assert full[0].startswith(("usage: edupolicy " + name, "用法：edupolicy " + name))
    assert full[2] == 0
    assert _run(_parser(locale, command=name), [name, "--help"]) == full
    assert _main(["--locale", locale, name, "--help"]) == full
    assert _main([name, "-h", "--locale", locale]) == full


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_line_parses_the_same_built_alone(name: str) -> None:
    argv = ACCEPTED[name]
    full = _parser("en").parse_args(argv)
    assert _comparable(_parser("en", command=name).parse_args(argv)) == _comparable(full)
    assert full.command == name


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", COMMANDS)
def test_a_usage_error_in_a_command_is_the_same_built_alone(name: str, locale: str) -> None:
    argv = ["--locale", locale, *ACCEPTED[name], "--no-such-option"]
    full = _run(_parser(locale), argv)
    assert full[2] == 2
    assert "--no-such-option" in full[1]
    assert _main(argv) == full


@pytest.mark.parametrize("locale", LOCALES)
def test_a_missing_option_is_the_same_usage_error_built_alone(locale: str) -> None:
    argv = ["aid", "--locale", locale, "--region", "jinfeng", "one.json"]
    full = _run(_parser(locale), argv)
    assert full[2] == 2
    assert "--on" in full[1]
    assert _main(argv) == full


@pytest.mark.parametrize("locale", LOCALES)
def test_a_name_that_is_no_command_lists_every_command_in_order(locale: str) -> None:
    full = _run(_parser(locale), ["--locale", locale, "nope"])
    out, err, status = _main(["--locale", locale, "nope"])
    assert (out, err, status) == full
    assert status == 2
    listed = err[err.index("nope") + len("nope") :]
    assert re.findall(r"'([\w-]+)'", listed) == list(COMMANDS)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("argv", [["-h"], ["--help", "aid"], ["-h", "nope"]])
def test_the_top_level_help_lists_every_command(argv: list[str], locale: str) -> None:
    argv = ["--locale", locale, *argv]
    out, err, status = _main(argv)
    assert (out, err, status) == _run(_parser(locale), argv)
    assert status == 0
    for name in COMMANDS:
        assert re.search(rf"^    {re.escape(name)}\b", out, re.MULTILINE), name


# Run in a fresh process: the modules a command line imports.
_PROBE = """
import io, json, sys
from edupolicy.cli import main

status = main(sys.argv[1:], stdout=io.StringIO())
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


@pytest.mark.slow
def test_a_command_imports_the_module_of_no_other_command(tmp_path: Path) -> None:
    record = tmp_path / "one.json"
    first = SAMPLE_ROSTER.read_text(encoding="utf-8").splitlines()[0]
    record.write_text(first + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPOLICY_")}
    argv = ["aid", "--region", "jinfeng", "--on", "2019-09-01", "--format", "jsonl", str(record)]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["status"] == 0
    own = COMMANDS["aid"].partition(":")[0]
    others = {where.partition(":")[0] for where in COMMANDS.values()} - {own}
    assert own in found["modules"]
    assert sorted(others & set(found["modules"])) == []
    # A JSON roster is read without the workbook reader (nor the zipfile it unpacks with).
    assert "edupolicy.io.workbooks" not in found["modules"]
    assert "zipfile" not in found["modules"]
