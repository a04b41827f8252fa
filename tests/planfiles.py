"""Plan files written for tests: the parts every plan file has, written once.

A test writes only what it is about (its rules, goals, teacher tables or changes) and
:func:`plan_text` puts the plan's id, document, period and stage lengths around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Final

__all__ = ["STAGE_YEARS", "plan_text", "write_plan"]

#: How many years each stage lasts, as a plan file states it.
STAGE_YEARS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "preschool": 3,
        "primary": 6,
        "junior_secondary": 3,
        "senior_secondary": 3,
        "secondary_vocational": 3,
        "undergraduate": 4,
        "vocational_college": 3,
    }
)


def plan_text(
    body: str = "",
    *,
    plan_id: str = "test-plan",
    start: str = "2020-01-01",
    end: str | None = "2020-12-31",
    parent: str | None = None,
    parts: Sequence[str] = (),
    number: str | None = None,
    title: tuple[str, str] = ("测试方案", "Test plan"),
    issuer: tuple[str, str] = ("测试局", "Test bureau"),
    stage_years: Mapping[str, int] | None = STAGE_YEARS,
) -> str:
    """A whole plan file: id, document, period and stage lengths, then ``body``.

    ``start`` and ``end`` are TOML dates; the document is signed on ``start`` and
    numbered for its year unless ``number`` is given; without ``end`` the plan is in
    force until further notice.  ``title`` and ``issuer`` are (Chinese, English).
    ``stage_years=None`` leaves the stage lengths out, as a plan with a ``parent``
    inherits them.
    """
    head = [f'id = "{plan_id}"']
    if parent is not None:
        head.append(f'parent = "{parent}"')
    if parts:
        head.append("parts = [" + ", ".join(f'"{part}"' for part in parts) + "]")
    document = [
        "[document]",
        f'number = "{number if number is not None else f"测试〔{start[:4]}〕1号"}"',
        f"signed = {start}",
        f'title = {{ zh_CN = "{title[0]}", en = "{title[1]}" }}',
        f'issuer = {{ zh_CN = "{issuer[0]}", en = "{issuer[1]}" }}',
    ]
    in_force = ["[in_force]", f"start = {start}"]
    if end is not None:
        in_force.append(f"end = {end}")
    tables = [head, document, in_force]
    if stage_years is not None:
        tables.append(["[stage_years]", *(f"{k} = {v}" for k, v in stage_years.items())])
    return "\n\n".join("\n".join(lines) for lines in tables) + "\n" + body


def write_plan(folder: Path, text: str, name: str = "plan.toml") -> Path:
    """Write ``text`` as the plan file ``name`` in ``folder``; its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
