"""A page per installed plan, generated from its data when the site is built.

Policy staff review a plan on this page: every aid rule, group, provision, target,
fact, teacher incentive, quota and share, each with its section, the plan's words
verbatim, the English gloss and the interpretation chosen, and every reading with the
text of each choice.  The page is bilingual: the quote is Chinese in every locale (it is
the legal text), so each item shows it once, beside its Chinese and English renderings,
and a reviewer checks one against the other on the same screen.

For a plan that builds on a parent region's, each item says which level it comes from:
the district's own document, or the parent's plan and document it inherits.

:func:`plan_page` renders one region's page (MyST Markdown); :func:`write_pages` writes
a page per installed region and an index of them; :func:`setup` makes this module a
Sphinx extension that calls :func:`write_pages` before the sources are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import edupolicy
from edupolicy.plans import Plan
from edupolicy.rules import Source

__all__ = ["PAGES_DIR", "plan_page", "write_pages"]

#: Where the generated pages go, relative to the documentation's source folder.
PAGES_DIR = Path("_generated") / "plans"

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


class _Localised(Protocol):
    def render(self, locale: str | None = None) -> str: ...


def _md(text: str) -> str:
    """``text`` as Markdown that renders as the same characters, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _both(value: _Localised) -> str:
    """A text of the data in Chinese, then in English."""
    zh, en = value.render("zh_CN"), value.render("en")
    return _md(zh) if zh == en else f"{_md(zh)} / {_md(en)}"


def _id(value: str) -> str:
    return f"`{value}`"


def _describe(value: object) -> str:
    """What a condition or an outcome says, in both languages, if it can say it."""
    describe = getattr(value, "describe", None)
    if describe is None:
        return _md(repr(value))
    described: _Localised = describe()
    return _both(described)


def _source_lines(source: Source, plan: Plan) -> Iterator[str]:
    """The list items that cite ``source``: section, level, quote, gloss, interpretation."""
    title = source.section_title or plan.sections.get(source.section)
    section = _md(source.section) + (f" {_both(title)}" if title is not None else "")
    yield f"- 出处 Section: {section}"
    if plan.parent is not None:
        own_plan = source.plan in (None, plan.id)
        own_document = source.document in (None, plan.document.number)
        if own_plan and own_document:
            level = f"本方案 this plan's own ({_md(plan.document.number)})"
        else:
            parts = [f"plan {_id(source.plan)}"] if source.plan is not None else []
            if source.document is not None:
                parts.append(_md(source.document))
            level = f"上级方案 inherited: {', '.join(parts)}"
        yield f"- 层级 Level: {level}"
    yield f"- 原文 Quote: 「{_md(source.quote)}」"
    if source.gloss is not None:
        yield f"- 英文释义 Gloss: {_md(source.gloss)}"
    if source.interpretation is not None:
        yield f"- 解读 Interpretation (zh_CN): {_md(source.interpretation.zh_CN)}"
        yield f"- 解读 Interpretation (en): {_md(source.interpretation.en)}"


def _item(heading: str, name: _Localised | None, facts: Iterable[str]) -> Iterator[str]:
    yield f"#### {heading}"
    yield ""
    if name is not None:
        yield f"**{_both(name)}**"
        yield ""
    yield from facts
    yield ""


def _benefit(benefit: Any) -> str:
    """What an aid rule gives: an amount and how often, the fees waived, or a description."""
    kind = benefit.kind.value
    if kind == "cash":
        return f"现金 cash {benefit.amount} 元 yuan, {_id(benefit.frequency.value)}"
    if kind == "waiver":
        return "免除 waives " + ", ".join(_id(fee) for fee in sorted(benefit.waives))
    description = getattr(benefit, "description", None)
    shown = f": {_both(description)}" if description is not None else ""
    return f"未定金额 unquantified ({_id(kind)}){shown}"


def _aid(plan: Plan) -> Iterator[str]:
    if plan.aid.rules:
        yield "### 学生资助规则 Aid rules"
        yield ""
    for rule in plan.aid.rules:
        facts = [
            f"- 条件 When: {_describe(rule.when)}",
            f"- 给予 Gives: {_benefit(rule.benefit)}",
        ]
        if rule.group is not None:
            facts.append(f"- 规则组 Group: {_id(rule.group)}")
        if rule.overrides:
            overridden = ", ".join(_id(other) for other in sorted(rule.overrides))
            facts.append(f"- 优先于 Overrides: {overridden}")
        yield from _item(_id(rule.id), rule.name, [*facts, *_source_lines(rule.source, plan)])
    if plan.aid.groups:
        yield "### 规则组 Groups"
        yield ""
    for group in plan.aid.groups:
        facts = [f"- 组合方式 Combination: {_id(group.combination.value)}"]
        if group.interpretation is not None:
            facts.append(f"- 解读 Interpretation (zh_CN): {_md(group.interpretation.zh_CN)}")
            facts.append(f"- 解读 Interpretation (en): {_md(group.interpretation.en)}")
        yield from _item(_id(group.id), group.name, facts)
    if plan.aid.equal_treatment:
        yield "### 同等对待 Equal treatment"
        yield ""
    for provision in plan.aid.equal_treatment:
        stages = ", ".join(_id(stage.value) for stage in sorted(provision.stages, key=str))
        facts = [
            f"- 家庭状况 Household status: {_id(provision.status.value)}",
            f"- 学段 Stages: {stages}",
        ]
        yield from _item(
            _id(provision.id), provision.name, [*facts, *_source_lines(provision.source, plan)]
        )


def _goals(plan: Plan) -> Iterator[str]:
    if plan.goals is None:
        return
    indicators = {indicator.id: indicator for indicator in plan.goals.indicators}
    if plan.goals.targets:
        yield "### 目标 Targets"
        yield ""
    for target in plan.goals.targets:
        indicator = indicators.get(target.indicator)
        facts = [
            f"- 指标 Indicator: {_id(target.indicator)}"
            + (f" ({_id(indicator.unit.value)})" if indicator is not None else ""),
            f"- 目标 Target: {_id(target.comparison.value)} {target.value}, "
            f"期限 deadline {target.deadline.isoformat()}",
        ]
        if target.scope is not None:
            facts.append(f"- 范围 Scope: {_both(target.scope)}")
        if target.baseline is not None:
            facts.append(
                f"- 基数 Baseline: {target.baseline.value} ({target.baseline.on.isoformat()})"
            )
        if target.parts:
            facts.append("- 分项 Parts: " + ", ".join(_id(part) for part in target.parts))
        name = indicator.name if indicator is not None else None
        yield from _item(_id(target.id), name, [*facts, *_source_lines(target.source, plan)])
    if plan.goals.facts:
        yield "### 事实 Stated facts"
        yield ""
    for fact in plan.goals.facts:
        indicator = indicators.get(fact.indicator)
        facts = [
            f"- 指标 Indicator: {_id(fact.indicator)}",
            f"- 数值 Value: {fact.value} ({fact.on.isoformat()})",
        ]
        name = indicator.name if indicator is not None else None
        yield from _item(_id(fact.id), name, [*facts, *_source_lines(fact.source, plan)])


def _teachers(plan: Plan) -> Iterator[str]:
    schedule = plan.teachers
    if schedule is None:
        return
    yield "### 教师激励 Teacher incentives"
    yield ""
    continuity = [f"- 最长间隔 Longest gap: {schedule.continuity.max_gap_days} 天 days"]
    yield from _item(
        "连续任教 Continuous service",
        None,
        [*continuity, *_source_lines(schedule.continuity.source, plan)],
    )
    for rule in schedule.rules:
        facts = [
            f"- 条件 When: {_describe(rule.when)}",
            f"- 结果 Earns: {_describe(rule.outcome)}",
        ]
        if rule.group is not None:
            facts.append(f"- 规则组 Group: {_id(rule.group)}")
        yield from _item(_id(rule.id), rule.name, [*facts, *_source_lines(rule.source, plan)])
    for group in schedule.groups:
        facts = [f"- 组合方式 Combination: {_id(group.combination.value)}"]
        if group.interpretation is not None:
            facts.append(f"- 解读 Interpretation (zh_CN): {_md(group.interpretation.zh_CN)}")
            facts.append(f"- 解读 Interpretation (en): {_md(group.interpretation.en)}")
        yield from _item(_id(group.id), group.name, facts)
    if schedule.quotas:
        yield "### 名额 Quotas"
        yield ""
    for quota in schedule.quotas:
        ranking = ", ".join(_id(key.value) for key in quota.ranking)
        facts = [
            f"- 每年名额 Per year: {quota.per_year}",
            f"- 计算日 Counted on: {_md(quota.counted_on)}",
            f"- 排序 Ranking: {ranking}",
        ]
        yield from _item(_id(quota.id), quota.name, [*facts, *_source_lines(quota.source, plan)])
    if schedule.shares:
        yield "### 比例 Shares"
        yield ""
    for share in schedule.shares:
        facts = [
            f"- 最低比例 At least: {share.min_percent}%",
            f"- 计算方式 Counted: {_id(share.counted.value)}",
        ]
        yield from _item(_id(share.id), share.name, [*facts, *_source_lines(share.source, plan)])


def _readings(plan: Plan) -> Iterator[str]:
    if not plan.readings:
        return
    yield "### 多种读法 Readings"
    yield ""
    yield (
        "每一处可有多种理解的原文,及其各种读法;数据按默认读法编码。"
        " Each sentence the plan allows to be read more than one way, and its readings;"
        " the data encodes the default."
    )
    yield ""
    for reading in plan.readings:
        facts = [f"- 默认 Default: {_id(reading.default)}", *_source_lines(reading.source, plan)]
        for choice in reading.choices:
            facts.append(f"- 读法 Choice {_id(choice.id)}:")
            facts.append(f"  - zh_CN: {_md(choice.text.zh_CN)}")
            facts.append(f"  - en: {_md(choice.text.en)}")
        yield from _item(_id(reading.id), reading.name, facts)


def _plan(plan: Plan) -> Iterator[str]:
    document = plan.document
    yield f"## {_md(document.number)} {_both(document.title)}"
    yield ""
    yield f"- 方案 Plan: {_id(plan.id)}"
    yield f"- 发文机关 Issuer: {_both(document.issuer)}"
    yield f"- 印发 Signed: {document.signed.isoformat()}"
    yield f"- 施行期 In force: {_md(str(plan.in_force))}"
    if plan.in_force.interpretation is not None:
        yield f"- 解读 Interpretation (zh_CN): {_md(plan.in_force.interpretation.zh_CN)}"
        yield f"- 解读 Interpretation (en): {_md(plan.in_force.interpretation.en)}"
    if plan.parent is not None:
        yield (
            f"- 上级方案 Builds on: region {_id(plan.parent)}; each item below says whether it is"
            " this plan's own or inherited (层级 Level)"
        )
    yield ""
    for status in plan.household_statuses:
        facts = list(_source_lines(status.source, plan)) if status.source is not None else []
        yield from _item(f"家庭状况 Household status {_id(status.id)}", status.name, facts)
    yield from _aid(plan)
    yield from _goals(plan)
    yield from _teachers(plan)
    yield from _readings(plan)


def plan_page(region: str, name: _Localised, plans: Sequence[Plan]) -> str:
    """The page of region ``region`` (named ``name``): each of its ``plans`` in full."""
    lines = [
        f"# {_both(name)}",
        "",
        f"区域 Region {_id(region)}. 本页由方案数据自动生成,与插件中的数据一致。"
        " This page is generated from the plan's data as the installed plugin ships it.",
        "",
    ]
    for plan in plans:
        lines.extend(_plan(plan))
    return "\n".join(lines).rstrip("\n") + "\n"


def _index(regions: Sequence[str]) -> str:
    lines = [
        "# 已安装方案 Installed plans",
        "",
        "每个已安装区域一页,由其方案数据生成,供政策人员审阅。"
        " A page per installed region, generated from its plan data, for policy staff to review.",
        "",
        "```{toctree}",
        ":maxdepth: 1",
        "",
        *regions,
        "```",
        "",
    ]
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (Sphinx rebuilds what changed)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_pages(srcdir: Path) -> list[Path]:
    """Write a page per installed region, and their index, under ``srcdir / PAGES_DIR``."""
    folder = srcdir / PAGES_DIR
    written: list[Path] = []
    ids: list[str] = []
    for info in edupolicy.regions():
        policy = edupolicy.load(info.id)
        path = folder / f"{info.id}.md"
        _write(path, plan_page(info.id, info.name, policy.plans_as_written))
        written.append(path)
        ids.append(info.id)
    index = folder / "index.md"
    _write(index, _index(ids))
    stale = set(folder.glob("*.md")) - {index, *written}
    for path in stale:
        path.unlink()
    return [index, *written]


def _builder_inited(app: Any) -> None:
    write_pages(Path(app.srcdir))


def setup(app: Any) -> dict[str, Any]:
    """The Sphinx extension: generate the plan pages before the sources are read."""
    app.connect("builder-inited", _builder_inited)
    return {"version": edupolicy.__version__, "parallel_read_safe": True}
