"""The documentation site: its page order, and the plan pages generated from plan data.

The site itself is built by ``nox -s docs`` (Sphinx, warning-free); these tests need no
Sphinx.  They call the generator of the plan pages (``docs/_ext/edupolicy_plans.py``)
directly, and read the hidden toctree of ``docs/index.md`` that orders the pages.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from edupolicy_plans import PAGES_DIR, plan_page, write_pages

import edupolicy
from edupolicy.plans import Plan
from edupolicy.rules import Source

DOCS = Path(__file__).resolve().parent.parent / "docs"
XINYUAN = DOCS.parent / "examples" / "edupolicy-xinyuan" / "src"


def _normalize(text: str) -> str:
    """The page's text as it renders: one space for any whitespace, no Markdown escapes."""
    return " ".join(re.sub(r"\\(.)", r"\1", text).split())


def _source_texts(what: str, source: Source) -> Iterator[tuple[str, str]]:
    yield f"section of {what}", source.section
    yield f"quote of {what}", source.quote
    if source.gloss is not None:
        yield f"gloss of {what}", source.gloss
    if source.interpretation is not None:
        yield f"interpretation of {what} (zh_CN)", source.interpretation.zh_CN
        yield f"interpretation of {what} (en)", source.interpretation.en


def _plan_texts(plan: Plan) -> Iterator[tuple[str, str]]:
    """(what, text) the page of ``plan`` must show: every item's id and source, in full."""
    items: list[tuple[str, str, Any, Source | None]] = []
    items += [("rule", r.id, r.name, r.source) for r in plan.aid.rules]
    items += [("group", g.id, g.name, None) for g in plan.aid.groups]
    items += [("provision", p.id, p.name, p.source) for p in plan.aid.equal_treatment]
    if plan.goals is not None:
        items += [("target", t.id, None, t.source) for t in plan.goals.targets]
        items += [("fact", f.id, None, f.source) for f in plan.goals.facts]
    if plan.teachers is not None:
        items += [("incentive", r.id, r.name, r.source) for r in plan.teachers.rules]
        items += [("quota", q.id, q.name, q.source) for q in plan.teachers.quotas]
        items += [("share", s.id, s.name, s.source) for s in plan.teachers.shares]
        yield from _source_texts("continuity", plan.teachers.continuity.source)
    items += [("reading", r.id, r.name, r.source) for r in plan.readings]
    for kind, item_id, name, source in items:
        what = f"{kind} {item_id}"
        yield what, f"`{item_id}`"
        if name is not None:
            yield f"Chinese name of {what}", name.zh_CN
            yield f"English name of {what}", name.en
        if source is not None:
            yield from _source_texts(what, source)
    for group in plan.aid.groups:
        if group.interpretation is not None:
            yield f"interpretation of group {group.id}", group.interpretation.zh_CN
            yield f"interpretation of group {group.id}", group.interpretation.en
    for reading in plan.readings:
        for choice in reading.choices:
            yield f"choice {reading.id}={choice.id}", f"`{choice.id}`"
            yield f"text of {reading.id}={choice.id} (zh_CN)", choice.text.zh_CN
            yield f"text of {reading.id}={choice.id} (en)", choice.text.en


def _missing(page: str, plan: Plan) -> list[str]:
    shown = _normalize(page)
    return [what for what, text in _plan_texts(plan) if _normalize(text) not in shown]


def test_the_jinfeng_page_shows_every_item_and_its_source() -> None:
    """Every rule, group, provision, target, fact, incentive, quota, share and reading of
    Jinfeng is on its page, with its id, names, section, quote, gloss and interpretation."""
    policy = edupolicy.load("jinfeng")
    info = next(info for info in edupolicy.regions() if info.id == "jinfeng")
    page = plan_page("jinfeng", info.name, policy.plans_as_written)

    plan = policy.plans_as_written[0]
    assert plan.aid.rules
    assert plan.readings
    assert _missing(page, plan) == []
    assert "层级 Level" not in page  # Jinfeng builds on no other plan


def test_a_layered_plan_says_which_level_each_item_comes_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Xinyuan builds on Jinfeng: its own changes cite its document, the rest Jinfeng's."""
    monkeypatch.syspath_prepend(str(XINYUAN))
    try:
        conditions = importlib.import_module("edupolicy_xinyuan.conditions")
        plan = edupolicy.load_plan(
            XINYUAN / "edupolicy_xinyuan" / "plan.toml", conditions=[conditions.Hardships]
        )
    finally:
        for name in [name for name in sys.modules if name.startswith("edupolicy_xinyuan")]:
            del sys.modules[name]
    page = plan_page("xinyuan", plan.document.title, [plan])

    assert plan.parent == "jinfeng"
    assert _missing(page, plan) == []
    levels = re.findall(r"^- 层级 Level: (.*)$", page, flags=re.MULTILINE)
    own = [level for level in levels if level.startswith("本方案")]
    inherited = [level for level in levels if level.startswith("上级方案")]
    assert own
    assert inherited
    assert all(
        "jinfeng-2018-410" in level and "金教发〔2018〕410号" in level for level in inherited
    )
    # Every item with a source states its level.
    assert len(levels) == page.count("- 原文 Quote:")


def test_write_pages_writes_a_page_per_installed_region_and_an_index(tmp_path: Path) -> None:
    written = write_pages(tmp_path)

    folder = tmp_path / PAGES_DIR
    ids = [info.id for info in edupolicy.regions()]
    assert written == [folder / "index.md", *(folder / f"{region}.md" for region in ids)]
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert all(f"\n{region}\n" in index for region in ids)


def _toctree(page: Path) -> list[str]:
    """The entries of the toctree of ``page`` (a MyST ```` ```{toctree} ```` block)."""
    text = page.read_text(encoding="utf-8")
    found = re.search(r"^```\{toctree\}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert found is not None, f"{page.name} has no toctree"
    return [
        line.strip()
        for line in found.group(1).splitlines()
        if line.strip() and not line.startswith(":")
    ]


def test_the_site_lists_every_page_of_docs_in_its_toctree() -> None:
    """The hidden toctree of index.md orders the site; a page left out would not be in it."""
    entries = _toctree(DOCS / "index.md")
    pages = {page.stem for page in DOCS.glob("*.md")} - {"index"}

    assert sorted(set(entries) - {"reference/index", "_generated/plans/index"}) == sorted(pages)
    assert len(entries) == len(set(entries))
    reference = _toctree(DOCS / "reference" / "index.md")
    assert sorted(reference) == sorted(
        page.stem for page in (DOCS / "reference").glob("*.md") if page.stem != "index"
    )
