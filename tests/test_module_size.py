"""Every module of the packages holds one idea, small enough to read whole: none is over
600 lines.  A module that grows past that is split into modules named for what each
holds (see docs/architecture.md), rather than the limit raised."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

#: The most lines a module of ``src/`` may have.
MAX_LINES = 600

#: Modules allowed over the limit, by path from ``src/``: none.
ALLOWED: frozenset[str] = frozenset()


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _oversized(root: Path, limit: int) -> dict[str, int]:
    """Each module under ``root`` longer than ``limit`` lines, by path, with its length."""
    return {
        path.relative_to(root).as_posix(): count
        for path in sorted(root.rglob("*.py"))
        if (count := _lines(path)) > limit
    }


def test_no_module_is_over_the_limit() -> None:
    over = {
        path: count for path, count in _oversized(SRC, MAX_LINES).items() if path not in ALLOWED
    }
    listed = ", ".join(f"{path} ({count} lines)" for path, count in over.items())
    assert not over, f"modules over {MAX_LINES} lines, to be split: {listed}"


def test_the_check_finds_a_module_over_the_limit_and_names_it(tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "small.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    (package / "large.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    assert _oversized(tmp_path, MAX_LINES) == {"package/large.py": MAX_LINES + 1}


def test_the_packages_are_found_where_the_check_looks() -> None:
    # A check that finds no module would pass whatever the modules' size.
    assert (SRC / "edupolicy" / "policy" / "policy.py").is_file()
    assert len(list(SRC.rglob("*.py"))) > 100
