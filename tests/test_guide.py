"""The guide for policy staff is real: its pytest runs give the outputs it shows.

``docs/policy-staff.md`` shows files (```` ```toml file=NAME ````, ```` ```json file=NAME ````)
and pytest runs (```` ```text pytest ARGS ````).  Each run happens in a fresh folder holding
every file shown above it, with the case-table plugin as installed; the lines the page
shows must be lines of the output, in order.  Runs of spaces count as one, rules of
``=`` or ``_`` around a title match at any terminal width, ``...`` alone on a line skips
lines and ``...`` within a line stands for any text.  The ``edupolicy`` commands of the
page are run by ``tests/test_docs.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.casetools import output, run
from tests.test_docs import Block, blocks

pytestmark = pytest.mark.usefixtures("not_on_ci")

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "policy-staff.md"


def _runs() -> list[Block]:
    return [
        block for block in blocks(GUIDE) if block.language == "text" and _args(block) is not None
    ]


def _args(block: Block) -> list[str] | None:
    """The arguments of a ```` ```text pytest ARGS ```` block, or ``None``."""
    info = GUIDE.read_text(encoding="utf-8").splitlines()[block.line - 1].split()
    if info[1:2] != ["pytest"]:
        return None
    return info[2:]


def _normal(line: str) -> str:
    """``line`` with runs of spaces as one, and the rules around a title left out."""
    return re.sub(r"\s+", " ", line).strip().strip("=_").strip()


def lines_shown(shown: str, text: str) -> None:
    """The lines of ``shown`` are lines of ``text``, in order, as the module docstring says."""
    lines = [_normal(line) for line in text.splitlines()]
    at, gap = 0, True
    for wanted in shown.splitlines():
        if wanted.strip() == "...":
            gap = True
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in _normal(wanted).split("...")))
        if gap:
            while at < len(lines) and not pattern.fullmatch(lines[at]):
                at += 1
        assert at < len(lines), f"the guide shows {wanted!r}; not found in:\n{text}"
        assert pattern.fullmatch(lines[at]), f"the guide shows {wanted!r}, not {lines[at]!r}"
        at, gap = at + 1, False


RUNS = _runs()


def test_the_guide_shows_pytest_runs() -> None:
    assert len(RUNS) >= 3


@pytest.mark.parametrize("block", RUNS, ids=[f"policy-staff.md:{b.line}" for b in RUNS])
def test_a_pytest_run_of_the_guide_prints_what_it_shows(
    block: Block, pytester: pytest.Pytester
) -> None:
    for earlier in blocks(GUIDE):
        if earlier.line >= block.line:
            break
        if earlier.file is not None:
            (pytester.path / earlier.file).write_text(earlier.text, encoding="utf-8")
    args = _args(block)
    assert args is not None
    result = run(pytester, *args)
    lines_shown(block.text, output(result))


def test_the_guide_reads_a_failure_from_a_case_that_fails(pytester: pytest.Pytester) -> None:
    """The run the guide shows failing does fail, and only that one."""
    failing = [b for b in RUNS if "fails" in b.text]
    assert len(failing) == 1
    for earlier in blocks(GUIDE):
        if earlier.file is not None and earlier.line < failing[0].line:
            (pytester.path / earlier.file).write_text(earlier.text, encoding="utf-8")
    args = _args(failing[0])
    assert args is not None
    run(pytester, *args).assert_outcomes(failed=1)


def test_lines_shown_fails_on_a_line_the_output_does_not_have() -> None:
    with pytest.raises(AssertionError):
        lines_shown("a\nz", "a\nb\nz")
    lines_shown("a b\n...\n=== 2 passed in ... ===", "a   b\nx\n==== 2 passed in 1.5s ====")
