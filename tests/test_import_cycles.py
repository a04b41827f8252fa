"""No circle of imports: each module of ``src/`` can be read knowing only what it imports.

The layers contract (``lint-imports``) keeps imports going down between layers; inside
a layer, and between a package and its own modules, only this check sees a circle.  The
imports counted are those that run when a module is imported: at module level, not
those the type checker alone reads (under ``TYPE_CHECKING``).  ``from package import
module`` imports ``package.module``, not what ``package/__init__.py`` defines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

#: Modules whose circles are not reported yet, by module name.
ALLOWED: frozenset[str] = frozenset()


def _modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Each module under ``root`` by name, with its path and whether it is a package."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


def _run_at_import(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of ``tree`` that run when the module is imported."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))


def _imports(name: str, path: Path, package: bool, known: Mapping[str, object]) -> set[str]:
    """The modules among ``known`` that module ``name`` imports when it is imported."""
    found: set[str] = set()
    for node in _run_at_import(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = name.split(".") if package else name.split(".")[:-1]
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            modules = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
            targets = modules if len(modules) == len(node.names) else [target, *modules]
        for target in targets:
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != name:
                found.add(target)
    return found


def circles(root: Path) -> list[list[str]]:
    """Each circle of imports among the modules under ``root``: the modules of each
    strongly connected part of the import graph of more than one module."""
    known = _modules(root)
    graph = {name: _imports(name, path, package, known) for name, (path, package) in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(name: str) -> None:  # Tarjan's algorithm
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in graph[name]:
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            part: list[str] = []
            while not part or part[-1] != name:
                part.append(stack.pop())
            if len(part) > 1:
                found.append(sorted(part))

    for name in graph:
        if name not in index:
            visit(name)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    found = [part for part in circles(SRC) if not set(part) <= ALLOWED]
    assert not found, f"circles of imports: {found}"


def _write(root: Path, modules: Mapping[str, str]) -> None:
    for name, text in modules.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_check_finds_a_circle_through_a_package_and_names_its_modules(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import A\n",
            "pkg/a.py": "from pkg import b\nA = 1\n",
            "pkg/b.py": "import pkg\n",
            "pkg/c.py": "from pkg import a\n",
        },
    )
    assert circles(tmp_path) == [["pkg", "pkg.a", "pkg.b"]]


def test_the_check_ignores_what_only_the_type_checker_or_a_function_imports(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import A\n",
            "pkg/a.py": "A = 1\n",
            "pkg/b.py": "from pkg import a\n",
            "pkg/c.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg\n"
                "def f():\n    import pkg\n"
            ),
        },
    )
    assert circles(tmp_path) == []


def test_the_packages_are_found_where_the_check_looks() -> None:
    # A check that finds no module would pass whatever the imports.
    assert "edupolicy.policy.policy" in _modules(SRC)
    assert len(_modules(SRC)) > 100
