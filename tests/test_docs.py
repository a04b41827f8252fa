"""The documentation is tested: its examples run, and it covers the API and the Jinfeng plan.

Python examples in ``docs/*.md`` are doctests (```` ```pycon ```` blocks), run by pytest
itself through ``--doctest-glob=*.md``.  This module runs the other examples and checks
coverage.  The conventions a page follows:

Command-line sessions
    A ```` ```console ```` block holds shell sessions.  A line that starts with ``$ `` is a
    command; the lines after it, up to the next command or the end of the block, are
    exactly what it prints on standard output (trailing blank lines aside).  Every command
    is ``edupolicy ...``, run in-process through :func:`edupolicy.cli.main`, or
    ``echo $?``, which prints the exit status of the command before it.  A command whose
    status is not shown must exit with 0.  A command may end with ``< FILE`` (FILE is its
    standard input) and then with ``2>&1`` (standard error goes to the same stream as
    standard output, so the expected output includes error lines, interleaved as a
    terminal shows them).  It may start with ``NAME=value`` assignments, which set
    environment variables for that command only.

Files
    A fenced block whose info string carries ``file=NAME`` (```` ```json file=one.json ````)
    is the content of file NAME.  Each command runs in a fresh working directory holding
    every file block of its page that comes before it, in page order (a later block of
    the same name replaces an earlier one).

Plugins
    A file block named ``.../pyproject.toml`` declares a plugin distribution.  Before a
    later command runs, it is "installed" as pip would install its wheel: the packages
    listed in ``[tool.hatch.build.targets.wheel] packages`` (without it, every directory
    of ``src/``) are copied into a site directory on ``sys.path``, next to a
    ``NAME-VERSION.dist-info`` holding its ``METADATA`` and its
    ``[project.entry-points.edupolicy]``.

Plan files, change files and case tables
    A ```` ```toml ```` file block named ``*changes.toml`` is a change file: it must read
    with :func:`edupolicy.io.read_changes`.  One named ``test_*.cases.toml`` is a case
    table: it must read with :func:`edupolicy.cases.read_cases`, beside the page's other
    file blocks above it (``tests/test_guide.py`` runs the guide's tables through pytest).
    Any other, but ``pyproject.toml``, is a plan file: it must load with
    :func:`edupolicy.load_plan`.

Coverage
    ``docs/api.md`` documents every name of ``edupolicy.__all__``, of
    ``edupolicy.plugins.__all__`` and the public names of ``edupolicy.i18n`` the
    reference promises, each in a heading (```` ### `name` ````); each public function
    and each public method a class of ``edupolicy.__all__`` defines is shown with its
    exact signature, and so is each hook of :mod:`edupolicy.plugins.spec`.
    ``docs/jinfeng.md`` names every rule of the Jinfeng plan and quotes, verbatim, every
    source quote and every interpretation the plan data states, and every reading with
    the text of each of its choices, in English and in Chinese.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import re
import shlex
import shutil
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import edupolicy
import edupolicy.i18n
import edupolicy.plugins
from edupolicy.cases import read_cases
from edupolicy.cli import main
from edupolicy.io import read_changes
from edupolicy.plugins import spec
from edupolicy.plugins.registry import reset_default_registry

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(DOCS.glob("*.md"))

#: Environment variables that would change what a command prints.
_ENVIRONMENT = (
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
    "EDUPOLICY_STRICT_PLUGINS",
    "EDUPOLICY_PLUGINS",
    "EDUPOLICY_DISABLE_PLUGINS",
)

#: Names of ``edupolicy.i18n`` that the reference documents.
I18N_NAMES = ("Message", "Text", "format_money", "format_day")


# --- reading pages ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Block:
    """A fenced block of a page."""

    page: Path
    #: The line of the opening fence, counted from 1.
    line: int
    language: str
    file: str | None
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)


@attrs.frozen(kw_only=True)
class Command:
    """A ``$ edupolicy ...`` line of a console block, and what it must print."""

    page: Path
    line: int
    text: str
    argv: tuple[str, ...]
    #: Environment variables set for the command (``NAME=value edupolicy ...``).
    env: tuple[tuple[str, str], ...]
    stdin: str | None
    merge_stderr: bool
    expected: str
    status: int
    #: The file blocks of the page above the command, in page order.
    files: tuple[Block, ...]

    @property
    def id(self) -> str:
        return f"{self.page.name}:{self.line}"


_FENCE = re.compile(r"^(`{3,})(.*)$")


def blocks(page: Path) -> Iterator[Block]:
    """The fenced blocks of ``page``, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, info = opening.groups()
        words = info.split()
        language = words[0] if words else ""
        file = next((w.removeprefix("file=") for w in words if w.startswith("file=")), None)
        start = index
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].rstrip() != fence:
            body.append(lines[index])
            index += 1
        index += 1
        yield Block(page=page, line=start + 1, language=language, file=file, lines=tuple(body))


_ASSIGNMENT = re.compile(r"^([A-Z_][A-Z0-9_]*)=(.*)$")


def _parse_command(
    text: str,
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], str | None, bool]:
    """The arguments of an ``edupolicy`` command line, its environment, stdin and ``2>&1``."""
    words = shlex.split(text)
    env: list[tuple[str, str]] = []
    while words and (assignment := _ASSIGNMENT.match(words[0])) is not None:
        env.append((assignment.group(1), assignment.group(2)))
        words.pop(0)
    merge = bool(words) and words[-1] == "2>&1"
    if merge:
        words.pop()
    stdin = None
    if len(words) >= 2 and words[-2] == "<":
        stdin = words.pop()
        words.pop()
    if not words or words[0] != "edupolicy" or any(w in ("<", ">", "|", "2>&1") for w in words):
        raise ValueError(f"not an edupolicy command this test can run: {text!r}")
    return tuple(words[1:]), tuple(env), stdin, merge


def _sessions(block: Block) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, command, output lines) of each ``$`` line of a console block."""
    current: tuple[int, str, list[str]] | None = None
    for offset, line in enumerate(block.lines, start=1):
        if line.startswith("$ "):
            if current is not None:
                yield current
            current = (block.line + offset, line[2:].strip(), [])
        elif current is not None:
            current[2].append(line)
        elif line.strip():
            yield (block.line + offset, "", [line])
    if current is not None:
        yield current


def commands(page: Path) -> tuple[list[Command], list[str]]:
    """The commands of the console blocks of ``page``, and what is wrong with any of them."""
    found: list[Command] = []
    problems: list[str] = []
    files: list[Block] = []
    for block in blocks(page):
        if block.file is not None:
            files.append(block)
            continue
        if block.language != "console":
            continue
        entries = list(_sessions(block))
        for index, (number, text, output) in enumerate(entries):
            where = f"{page.name}:{number}"
            while output and not output[-1].strip():
                output.pop()
            if not text:
                problems.append(f"{where}: output before any command")
                continue
            if text == "echo $?":
                previous = entries[index - 1][1] if index > 0 else ""
                if previous in ("", "echo $?"):
                    problems.append(f"{where}: echo $? follows no edupolicy command")
                if len(output) != 1 or not output[0].strip().isdigit():
                    problems.append(f"{where}: echo $? must show one number")
                continue
            status = 0
            following = entries[index + 1] if index + 1 < len(entries) else None
            if following is not None and following[1] == "echo $?":
                shown = [line.strip() for line in following[2] if line.strip()]
                status = int(shown[0]) if len(shown) == 1 and shown[0].isdigit() else -1
            try:
                argv, env, stdin, merge = _parse_command(text)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
            found.append(
                Command(
                    page=page,
                    line=number,
                    text=text,
                    argv=argv,
                    env=env,
                    stdin=stdin,
                    merge_stderr=merge,
                    expected="".join(line + "\n" for line in output),
                    status=status,
                    files=tuple(files),
                )
            )
    return found, problems


def _all_commands() -> tuple[list[Command], list[str]]:
    found: list[Command] = []
    problems: list[str] = []
    for page in PAGES:
        page_commands, page_problems = commands(page)
        found.extend(page_commands)
        problems.extend(page_problems)
    return found, problems


COMMANDS, COMMAND_PROBLEMS = _all_commands()


def _is_change_file(name: str) -> bool:
    return name.endswith("changes.toml")


def _is_case_table(name: str) -> bool:
    return name.startswith("test_") and name.endswith(".cases.toml")


_TOML_BLOCKS = [
    block
    for page in PAGES
    for block in blocks(page)
    if block.language == "toml"
    and block.file is not None
    and Path(block.file).name != "pyproject.toml"
]
PLAN_BLOCKS = [
    block
    for block in _TOML_BLOCKS
    if block.file is not None
    and not _is_change_file(Path(block.file).name)
    and not _is_case_table(Path(block.file).name)
]
CHANGE_BLOCKS = [b for b in _TOML_BLOCKS if b.file and _is_change_file(Path(b.file).name)]
CASE_BLOCKS = [b for b in _TOML_BLOCKS if b.file and _is_case_table(Path(b.file).name)]


# --- running commands ------------------------------------------------------------------


def _install(project: Path, site: Path) -> None:
    """Install the plugin whose ``pyproject.toml`` is in ``project`` into ``site``."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    meta = data["project"]
    name, version = meta["name"], meta["version"]
    wheel = data.get("tool", {}).get("hatch", {}).get("build", {}).get("targets", {})
    packages = wheel.get("wheel", {}).get("packages")
    if packages is None:
        packages = [str(p.relative_to(project)) for p in (project / "src").iterdir() if p.is_dir()]
    for package in packages:
        shutil.copytree(project / package, site / Path(package).name)
    dist_info = site / f"{re.sub(r'[-_.]+', '_', name)}-{version}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    entry_points = meta.get("entry-points", {}).get("edupolicy", {})
    (dist_info / "entry_points.txt").write_text(
        "[edupolicy]\n" + "".join(f"{key} = {value}\n" for key, value in entry_points.items()),
        encoding="utf-8",
    )


def _run(command: Command, stdin: str) -> tuple[str, int]:
    out = io.StringIO()
    err = out if command.merge_stderr else io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(command.argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
        except SystemExit as exc:  # argparse: a usage error, or --help
            status = exc.code if isinstance(exc.code, int) else 2
    return out.getvalue(), status


@pytest.mark.parametrize("command", COMMANDS, ids=[c.id for c in COMMANDS])
def test_console_example(command: Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command prints exactly what the page shows, and exits with the status shown."""
    for var in _ENVIRONMENT:
        monkeypatch.delenv(var, raising=False)
    work = tmp_path / "work"
    site = tmp_path / "site"
    work.mkdir()
    site.mkdir()
    projects: list[Path] = []
    for block in command.files:
        assert block.file is not None
        path = work / block.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.text, encoding="utf-8")
        if path.name == "pyproject.toml":
            projects.append(path.parent)
    for project in projects:
        _install(project, site)
    for name, value in command.env:
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(work)
    monkeypatch.syspath_prepend(str(site))
    stdin = (work / command.stdin).read_text(encoding="utf-8") if command.stdin else ""
    before = set(sys.modules)
    reset_default_registry()
    try:
        output, status = _run(command, stdin)
    finally:
        reset_default_registry()
        for name in set(sys.modules) - before:
            origin = getattr(sys.modules[name], "__file__", None) or ""
            if origin.startswith(str(tmp_path)):
                del sys.modules[name]
        importlib.invalidate_caches()
    where = f"{command.id}: $ {command.text}"
    assert output.rstrip("\n") == command.expected.rstrip("\n"), where
    assert status == command.status, where


def test_console_examples_are_well_formed() -> None:
    """Every console block holds only commands this module can run."""
    assert COMMAND_PROBLEMS == []
    assert COMMANDS, "no console examples found"


@pytest.mark.parametrize(
    "block", PLAN_BLOCKS, ids=[f"{b.page.name}:{b.line}:{b.file}" for b in PLAN_BLOCKS]
)
def test_plan_file_example_loads(block: Block, tmp_path: Path) -> None:
    """A plan file shown in the documentation is a valid plan."""
    assert block.file is not None
    path = tmp_path / Path(block.file).name
    path.write_text(block.text, encoding="utf-8")
    plan = edupolicy.load_plan(path)
    assert plan.aid.rules


@pytest.mark.parametrize(
    "block", CHANGE_BLOCKS, ids=[f"{b.page.name}:{b.line}:{b.file}" for b in CHANGE_BLOCKS]
)
def test_change_file_example_reads(block: Block, tmp_path: Path) -> None:
    """A change file shown in the documentation reads, and applies to Jinfeng."""
    assert block.file is not None
    path = tmp_path / Path(block.file).name
    path.write_text(block.text, encoding="utf-8")
    changes = read_changes(path)
    assert changes
    edupolicy.load("jinfeng").with_changes(changes)


@pytest.mark.parametrize(
    "block", CASE_BLOCKS, ids=[f"{b.page.name}:{b.line}:{b.file}" for b in CASE_BLOCKS]
)
def test_case_table_example_reads(block: Block, tmp_path: Path) -> None:
    """A case table shown in the documentation reads, beside the files shown above it."""
    for earlier in blocks(block.page):
        if earlier.line >= block.line:
            break
        if earlier.file is not None:
            (tmp_path / Path(earlier.file).name).write_text(earlier.text, encoding="utf-8")
    assert block.file is not None
    path = tmp_path / Path(block.file).name
    path.write_text(block.text, encoding="utf-8")
    assert read_cases(path)


# --- the API reference ---------------------------------------------------------------------


def _reference() -> str:
    return (DOCS / "api.md").read_text(encoding="utf-8")


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^#{2,6} ", line)]


def _documented_names(text: str) -> set[str]:
    """The names the headings of ``text`` document: ```` ### `edupolicy.load(...)` ````."""
    names: set[str] = set()
    for heading in _headings(text):
        for code in re.findall(r"`([^`]+)`", heading):
            head = re.split(r"[\s(=:\[]", code.removeprefix("class ").strip(), maxsplit=1)[0]
            names.add(head.rsplit(".", 1)[-1])
    return names


def _annotation(value: object) -> str:
    text = value if isinstance(value, str) else inspect.formatannotation(value)
    # Modules import ``datetime as _dt``; the reference writes the module's real name.
    return re.sub(r"(?<![\w.])_dt\.", "datetime.", text)


def signature_text(name: str, function: Callable[..., Any], *, method: bool = False) -> str:
    """``name(param: type = default, *, ...) -> result``, as the reference writes it."""
    parameters = list(inspect.signature(function).parameters.values())
    if method:
        parameters = parameters[1:]
    parts: list[str] = []
    star = False
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        text = parameter.name
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            text, star = "*" + text, True
        elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
            text = "**" + text
        if parameter.annotation is not inspect.Parameter.empty:
            text += ": " + _annotation(parameter.annotation)
        if parameter.default is not inspect.Parameter.empty:
            text += " = " + repr(parameter.default)
        parts.append(text)
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY and (
            parameter is parameters[-1]
            or parameters[parameters.index(parameter) + 1].kind
            is not inspect.Parameter.POSITIONAL_ONLY
        ):
            parts.append("/")
    result = inspect.signature(function).return_annotation
    returns = "" if result is inspect.Signature.empty else " -> " + _annotation(result)
    return f"{name}({', '.join(parts)}){returns}"


def _public_names() -> list[str]:
    names = [f"edupolicy.{name}" for name in edupolicy.__all__]
    names += [f"edupolicy.plugins.{name}" for name in edupolicy.plugins.__all__]
    names += [f"edupolicy.i18n.{name}" for name in I18N_NAMES]
    return names


def _members(cls: type, public: set[int]) -> list[tuple[str, object]]:
    """The members ``cls`` defines, and those it takes from a base of edupolicy that the
    reference does not document on its own (a part of ``cls`` kept in another module):
    the reference documents both under ``cls``'s name.  A member that a documented or
    foreign base defines too is documented there."""
    parts = [
        klass
        for klass in cls.__mro__
        if klass is cls or (id(klass) not in public and klass.__module__.startswith("edupolicy."))
    ]
    elsewhere = {attr for klass in cls.__mro__ if klass not in parts for attr in vars(klass)}
    found: dict[str, object] = {}
    for klass in parts:
        for attr, value in vars(klass).items():
            if attr not in elsewhere:
                found.setdefault(attr, value)
    return list(found.items())


def _signatures() -> list[tuple[str, str]]:
    """(where, exact signature text) of every function and method the reference must show."""
    found: list[tuple[str, str]] = []
    modules = {"edupolicy": edupolicy, "edupolicy.plugins": edupolicy.plugins}
    modules["edupolicy.i18n"] = edupolicy.i18n
    public = {
        id(getattr(modules[q.rsplit(".", 1)[0]], q.rsplit(".", 1)[1])) for q in _public_names()
    }
    for qualified in _public_names():
        module_name, name = qualified.rsplit(".", 1)
        obj = getattr(modules[module_name], name)
        if inspect.isfunction(obj):
            found.append((qualified, signature_text(name, obj)))
        elif inspect.isclass(obj):
            for attr, value in _members(obj, public):
                if attr.startswith("_"):
                    continue
                if isinstance(value, (classmethod, staticmethod)):
                    text = signature_text(f"{name}.{attr}", value.__func__, method=True)
                elif inspect.isfunction(value):
                    text = signature_text(f"{name}.{attr}", value, method=True)
                else:
                    continue
                found.append((f"{qualified}.{attr}", text))
    by_text = {text: where for where, text in reversed(found)}
    found = [(where, text) for text, where in reversed(by_text.items())]
    for hook in spec.__all__:
        if hook.startswith("edupolicy_"):
            found.append((f"hook {hook}", signature_text(hook, getattr(spec, hook))))
    return found


@pytest.mark.parametrize("qualified", _public_names())
def test_public_name_documented(qualified: str) -> None:
    """Every public name has a heading of its own in docs/api.md."""
    name = qualified.rsplit(".", 1)[-1]
    assert name in _documented_names(_reference()), f"{qualified} is not documented in api.md"


@pytest.mark.parametrize(("where", "signature"), _signatures(), ids=[w for w, _ in _signatures()])
def test_signature_documented(where: str, signature: str) -> None:
    """Functions, methods and hooks are documented with their exact signatures."""
    assert signature in _reference(), f"docs/api.md lacks {where} as `{signature}`"


def test_every_hook_is_checked() -> None:
    """The hooks of the spec are part of what the reference must show."""
    hooks = [where for where, _ in _signatures() if where.startswith("hook ")]
    assert hooks == [
        "hook edupolicy_plugin_api_version",
        "hook edupolicy_questions",
        "hook edupolicy_regions",
    ]


# --- the Jinfeng page ------------------------------------------------------------------------


def _normalize(text: str) -> str:
    return " ".join(text.split())


def _jinfeng_texts() -> list[tuple[str, str]]:
    """(what, text) that docs/jinfeng.md must contain."""
    policy = edupolicy.load("jinfeng")
    found: list[tuple[str, str]] = []
    for plan in policy.plans:
        if plan.in_force.interpretation is not None:
            found.append((f"{plan.id} period", plan.in_force.interpretation.en))
        for rule in plan.aid.rules:
            found.append((f"rule {rule.id}", f"`{rule.id}`"))
            found.append((f"quote of {rule.id}", rule.source.quote))
            if rule.source.interpretation is not None:
                found.append((f"interpretation of {rule.id}", rule.source.interpretation.en))
        for reading in plan.readings:
            found.append((f"reading {reading.id}", f"`{reading.id}`"))
            found.append((f"quote of reading {reading.id}", reading.source.quote))
            for choice in reading.choices:
                found.append((f"choice {reading.id}={choice.id}", f"`{choice.id}`"))
                found.append((f"text of {reading.id}={choice.id}", choice.text.en))
                found.append((f"Chinese text of {reading.id}={choice.id}", choice.text.zh_CN))
        for group in plan.aid.groups:
            found.append((f"group {group.id}", f"`{group.id}`"))
            if group.interpretation is not None:
                found.append((f"interpretation of group {group.id}", group.interpretation.en))
        for provision in plan.aid.equal_treatment:
            found.append((f"provision {provision.id}", f"`{provision.id}`"))
            found.append((f"quote of {provision.id}", provision.source.quote))
            if provision.source.interpretation is not None:
                found.append(
                    (f"interpretation of {provision.id}", provision.source.interpretation.en)
                )
    return found


def test_every_jinfeng_rule_documented() -> None:
    """docs/jinfeng.md names every rule, group and provision and quotes their sources."""
    page = _normalize((DOCS / "jinfeng.md").read_text(encoding="utf-8"))
    missing = [what for what, text in _jinfeng_texts() if _normalize(text) not in page]
    assert missing == []


def test_every_test_the_reliability_page_names_exists() -> None:
    page = (DOCS / "reliability.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", page))
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in (DOCS.parent / "tests").glob("test_*.py")
    )
    defined = set(re.findall(r"^def (test_[a-z0-9_]+)\(", sources, flags=re.MULTILINE))

    assert len(named) >= 30
    assert sorted(named - defined) == []
