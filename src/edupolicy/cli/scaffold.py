"""``edupolicy new-region ID``: write a ready-to-install region plugin package;
``edupolicy case-template REGION FILE``: write a student case table to start from.

The package has a ``pyproject.toml`` with the entry point, a plan file (a small plan of
its own, or, with ``--parent``, a plan that builds on an installed region) that names
the plan file's JSON Schema for editors that check TOML (``plan.schema.json`` at the
package's root, written by ``edupolicy schema plan`` and kept out of git and of the
wheel, so that it is written again for the edupolicy installed), the plugin's zh_CN and
en catalogues with a build hook that compiles them into the wheel (never into
``src``), a sample roster, a ``.gitignore``, a case table and a test.  As written it
installs, every step it prints succeeds, and its tests pass; its author then replaces
the placeholder document, sections and rule with the district's own.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import fnmatch
import json
from pathlib import Path

import edupolicy
from edupolicy import cases
from edupolicy import io as edupolicy_io
from edupolicy.cli._io import EXIT_OK, Context
from edupolicy.cli._options import Options, Subcommands
from edupolicy.errors import EdupolicyError, os_error_text, show_value
from edupolicy.i18n import Count, _
from edupolicy.plugins.region import valid_region_id

__all__ = ["add_case_template_command", "add_scaffold_command", "write_plugin"]


def add_scaffold_command(sub: Subcommands, options: Options) -> None:
    """Add ``new-region`` to the subparsers ``sub``."""
    t = options.t
    new = options.command(
        sub, "new-region", _("write a ready-to-install plugin package for a new region")
    )
    new.add_argument("id", metavar="ID", help=t(_("the new region's id, such as helan")))
    new.add_argument(
        "--parent",
        metavar="REGION",
        help=t(_("an installed region whose plan the new one builds on")),
    )
    new.add_argument(
        "--name-zh",
        metavar="NAME",
        help=t(_("the region's name in Chinese, such as 贺兰县 (default: ID 区)")),
    )
    new.add_argument(
        "--name-en",
        metavar="NAME",
        help=t(_("the region's name in English, such as Helan County (default: ID District)")),
    )
    new.add_argument(
        "--into",
        metavar="FOLDER",
        help=t(_("the folder to write (default: edupolicy-ID); it must not exist")),
    )
    new.set_defaults(func=run_new_region)


def add_case_template_command(sub: Subcommands, options: Options) -> None:
    """Add ``case-template`` to the subparsers ``sub``."""
    t = options.t
    command = options.command(
        sub,
        "case-template",
        _("write a student case table to start from: CSV, or a workbook for .xlsx"),
    )
    command.add_argument("region", metavar="REGION", help=t(_("region id, such as jinfeng")))
    command.add_argument(
        "file",
        metavar="FILE",
        help=t(_("the file to write, ending in .csv or .xlsx; it must not exist")),
    )
    command.add_argument(
        "--on",
        type=options.day,
        metavar="YYYY-MM-DD",
        help=t(_("the date of the cases (default: the first day of the latest plan)")),
    )
    command.set_defaults(func=run_case_template)


def run_case_template(args: argparse.Namespace, ctx: Context) -> int:
    """Write the template of the region's student case table."""
    locale = ctx.locale
    target = Path(args.file)
    if not target.name.endswith((".csv", ".xlsx")):
        raise EdupolicyError(
            _("case-template: {file} must end in .csv or .xlsx", file=args.file), locale=locale
        )
    if target.exists():
        raise EdupolicyError(
            _("case-template: {file} exists already", file=args.file), locale=locale
        )
    template = cases.case_template(args.region, on=args.on, locale=locale)
    try:
        cases.write_case_template(target, template)
    except OSError as exc:
        raise EdupolicyError(
            _("Cannot write {file}: {error}", file=args.file, error=os_error_text(exc)),
            locale=locale,
        ) from None
    count = Count(len(template.rows))
    if any(fnmatch.fnmatchcase(target.name, pattern) for pattern in cases.CASE_FILE_PATTERNS):
        done = _(
            "Wrote {file}: {count} example cases. Next: edit it, then pytest {file}",
            file=args.file,
            count=count,
        )
    else:
        done = _(
            "Wrote {file}: {count} example cases. pytest runs case tables named "
            "test_*.cases.csv or test_*.cases.xlsx: rename it so before running it",
            file=args.file,
            count=count,
        )
    ctx.out.write(done.render(locale) + "\n")
    return EXIT_OK


def run_new_region(args: argparse.Namespace, ctx: Context) -> int:
    """Write the package and say what to do next."""
    locale = ctx.locale
    region_id: str = args.id
    if not valid_region_id(region_id):
        raise EdupolicyError(
            _(
                "new-region: {id} is not a region id: lower-case letters, digits, - and _, "
                "starting with a letter",
                id=show_value(region_id),
            ),
            locale=locale,
        )
    folder = Path(args.into or f"edupolicy-{region_id}")
    if folder.exists():
        raise EdupolicyError(
            _("new-region: {folder} exists already; choose another with --into", folder=folder),
            locale=locale,
        )
    parent: str | None = args.parent
    start, end = _dt.date(2020, 1, 1), None
    if parent is not None:
        # The parent must be installed; the new plan takes the period of its latest plan.
        latest = edupolicy.load(parent, locale=locale).plans_as_written[-1]
        start, end = latest.in_force.start, latest.in_force.end
    name = (args.name_zh or f"{region_id} 区", args.name_en or f"{region_id} District")
    written = write_plugin(folder, region_id, parent=parent, start=start, end=end, name=name)
    plan = "src/" + _package(region_id) + "/plan.toml"
    ctx.out.write(
        _(
            "Wrote the plugin package {folder} ({count} files). Next: cd {folder}; "
            "pip install .; edupolicy check {plan}; "
            "edupolicy aid --region {id} --on {on} --sample; pytest tests",
            folder=folder,
            count=len(written),
            plan=plan,
            id=region_id,
            on=_sample_day(start).isoformat(),
        ).render(locale)
        + "\n"
    )
    return EXIT_OK


def _sample_day(start: _dt.date) -> _dt.date:
    """A day of the new plan's first school year, on which its cases and sample are read."""
    day = start.replace(month=9, day=1)
    return day if day >= start else day.replace(year=start.year + 1)


def _package(region_id: str) -> str:
    return "edupolicy_" + region_id.replace("-", "_")


def write_plugin(
    folder: Path,
    region_id: str,
    *,
    parent: str | None = None,
    start: _dt.date,
    end: _dt.date | None = None,
    name: tuple[str, str] | None = None,
) -> list[Path]:
    """Write the plugin package of ``region_id`` into ``folder``; the files written.

    ``name``: the region's name in Chinese and in English (``("贺兰县", "Helan
    County")``; by default ``ID 区`` and ``ID District``).
    """
    package = _package(region_id)
    zh, en = name if name is not None else (f"{region_id} 区", f"{region_id} District")
    names = {"id": region_id, "package": package, "zh": _escaped(zh), "en": _escaped(en)}
    files = {
        "pyproject.toml": _PYPROJECT.format(**names),
        ".gitignore": _GITIGNORE,
        "hatch_build.py": _HATCH_BUILD,
        "README.md": _README.format(**names),
        # Written by edupolicy schema plan, never committed: written again after an upgrade.
        "plan.schema.json": json.dumps(
            edupolicy_io.json_schema("plan"), ensure_ascii=False, indent=2
        )
        + "\n",
        f"src/{package}/__init__.py": _INIT.format(**names),
        f"src/{package}/plugin.py": _PLUGIN.format(**names),
        f"src/{package}/py.typed": "",
        f"src/{package}/plan.toml": (
            _LAYERED_PLAN.format(
                **names,
                parent=parent,
                start=start.isoformat(),
                year=start.year,
                end="" if end is None else f"end = {end.isoformat()}\n",
            )
            if parent is not None
            else _PLAN.format(**names, start=start.isoformat(), year=start.year)
        ),
        f"src/{package}/samples/students.jsonl": _SAMPLE,
        f"src/{package}/locale/zh_CN/LC_MESSAGES/{package}.po": _PO.format(
            locale="zh_CN", name_msgid=names["en"], name=names["zh"]
        ),
        f"src/{package}/locale/en/LC_MESSAGES/{package}.po": _PO.format(
            locale="en", name_msgid=names["en"], name=names["en"]
        ),
        f"tests/test_{package}.cases.toml": (
            _LAYERED_CASES if parent is not None else _CASES
        ).format(**names, on=_sample_day(start).isoformat()),
        f"tests/test_{package}_plugin.py": _TEST.format(**names),
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _escaped(text: str) -> str:
    """``text`` inside a double-quoted string of TOML, Python or a catalogue."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21", "babel>=2.12"]
build-backend = "hatchling.build"

[project]
name = "edupolicy-{id}"
version = "0.1.0"
description = "{en}: its plan as data, a region for edupolicy"
requires-python = ">=3.11"
dependencies = ["edupolicy>=0.1"]

# The entry point that makes the region known to edupolicy.
[project.entry-points.edupolicy]
{id} = "{package}.plugin"

[tool.hatch.build.targets.wheel]
packages = ["src/{package}"]

# The message catalogues are compiled (.po -> .mo) when the wheel is built.
[tool.hatch.build.hooks.custom]
path = "hatch_build.py"
"""

_HATCH_BUILD = '''\
"""Compile the plugin's message catalogues (.po -> .mo) into the wheel.

The .mo files are written to a temporary folder, never into src/: they are build
artefacts, and the wheel is the only place they go.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """The hatch build hook."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        src = Path(self.root) / "src"
        self.compiled = Path(tempfile.mkdtemp(prefix="catalogs-"))
        for po_path in sorted(src.glob("*/locale/*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=po_path.parent.parent.name)
            relative = po_path.with_suffix(".mo").relative_to(src)
            mo_path = self.compiled / relative
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog)
            build_data["force_include"][str(mo_path)] = str(relative)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self.compiled, ignore_errors=True)
'''

_GITIGNORE = """\
# Build artefacts
build/
dist/
*.egg-info/
*.mo
__pycache__/
.pytest_cache/
# Written by `edupolicy schema plan > plan.schema.json`, for the edupolicy installed
plan.schema.json
"""

_SAMPLE = """\
{"id": "S01", "stage": "primary", "year": 3, "school_area": "rural", "household": ["dibao"]}
{"id": "S02", "stage": "primary", "year": 1, "school_area": "urban"}
{"id": "S03", "stage": "junior_secondary", "year": 2, "school_area": "rural", "boarding": true}
{"id": "S04", "stage": "senior_secondary", "year": 1, "school_area": "urban", "orphan": true}
"""

_README = """\
# edupolicy-{id}

{en} ({zh}) as an edupolicy region, as written by `edupolicy new-region`.

- `src/{package}/plan.toml`: the plan, as data. Replace the placeholder document,
  sections and rule with the district's own, each with the verbatim words of its plan.
  Its first line names `plan.schema.json`, the plan file's JSON Schema, so that an
  editor that checks TOML against a schema (Taplo, "Even Better TOML") completes and
  checks it as it is typed. The schema is the installed edupolicy's: write it again
  after upgrading edupolicy, with `edupolicy schema plan > plan.schema.json` (it is
  not committed, and not part of the wheel).
- `src/{package}/samples/students.jsonl`: a sample roster;
  `edupolicy aid --region {id} --on DATE --sample` evaluates it.
- `src/{package}/locale/`: the plugin's own messages, in zh_CN and en, compiled into
  the wheel when it is built.
- `tests/`: a case table and a test; `pytest tests` runs both once the plugin is
  installed (`pip install .`).

`edupolicy check src/{package}/plan.toml` checks the plan before it is installed.
"""

_INIT = '''\
"""The {id} region as an edupolicy plugin: its plan is data, in plan.toml."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from edupolicy.i18n import register_domain

__all__ = ["DOMAIN", "PLAN_FILE", "SAMPLE_ROSTER"]

#: The message domain of this plugin's own catalogue.
DOMAIN = "{package}"
register_domain(DOMAIN, Path(__file__).parent / "locale")

#: The plan data.
PLAN_FILE = files(__name__) / "plan.toml"
#: A sample roster of students, one JSON record a line.
SAMPLE_ROSTER = files(__name__) / "samples" / "students.jsonl"
'''

_PLUGIN = '''\
"""The hooks of the {id} plugin."""

from __future__ import annotations

from collections.abc import Sequence

from edupolicy.i18n import message_factory
from edupolicy.plugins import RegionSpec, impl
from {package} import DOMAIN, PLAN_FILE, SAMPLE_ROSTER

#: Messages of this plugin come from its own catalogue.
_ = message_factory(DOMAIN)


@impl
def edupolicy_plugin_api_version() -> str:
    """This plugin is written for plugin API 1.0."""
    return "1.0"


@impl
def edupolicy_regions() -> Sequence[RegionSpec]:
    """The {id} region."""
    return [
        RegionSpec.from_files(
            id="{id}",
            name=_("{en}"),
            plan_files=[PLAN_FILE],
            sample_roster=SAMPLE_ROSTER,
        )
    ]
'''

_PO = """\
# The plugin's own messages.
msgid ""
msgstr ""
"Language: {locale}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

msgid "{name_msgid}"
msgstr "{name}"
"""

_PLAN = """\
#:schema ../../plan.schema.json
# The plan of {en} ({zh}), as data. Replace the placeholders with the district's own document:
# every rule cites its section and the verbatim words that state it.

id = "{id}-plan"

[document]
number = "{id}〔{year}〕1号"
signed = {start}
title.zh_CN = "{zh}教育脱贫实施方案"
title.en = "{en}: plan against poverty through education"
issuer.zh_CN = "{zh}教育局"
issuer.en = "{en} Education Bureau"

[in_force]
start = {start}
end = 2022-12-31

[sections]
"一" = {{ zh_CN = "学生资助", en = "Student aid" }}

[stage_years]
preschool = 3
primary = 6
junior_secondary = 3
senior_secondary = 3
secondary_vocational = 3
undergraduate = 4
vocational_college = 3

[[aid.rules]]
id = "primary-poor-grant"
name = {{ zh_CN = "小学贫困生资助金", en = "Primary-school grant for poor pupils" }}
benefit = {{ kind = "cash", amount = "500.00", frequency = "per_year" }}
when.all = [
  {{ stage = ["primary"] }},
  {{ household = ["dibao", "registered_poor", "other_hardship"] }},
]
[aid.rules.source]
section = "一"
quote = "小学贫困生每生每年发放资助金500元"
gloss = "Poor primary-school pupils receive 500 yuan per pupil per year."
"""

_LAYERED_PLAN = """\
#:schema ../../plan.schema.json
# The plan of {en} ({zh}), as data. It builds on the plan of region {parent}: it inherits every
# rule, target and incentive, and changes by id only what its own document says
# differently. Replace the placeholder document with the district's own, then add a
# [[changes]] table for each difference, for instance:
#
#   [[changes]]
#   rule = "an-inherited-rule-id"
#   set = {{ "benefit.amount" = "600.00" }}
#   reason = "why the district differs"
#   source = {{ section = "一", quote = "the district's own verbatim words" }}

id = "{id}-plan"
parent = "{parent}"

[document]
number = "{id}〔{year}〕1号"
signed = {start}
title.zh_CN = "{zh}教育脱贫实施方案"
title.en = "{en}: plan against poverty through education"
issuer.zh_CN = "{zh}教育局"
issuer.en = "{en} Education Bureau"

[in_force]
start = {start}
{end}
[sections]
"一" = {{ zh_CN = "学生资助", en = "Student aid" }}
"""

_CASES = """\
# The {id} plan's cases: pytest runs them once the plugin is installed.
region = "{id}"
on = {on}

[[case]]
name = "a poor primary pupil receives the grant"
student = {{ stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }}
cash_total = "500.00"
applies = ["primary-poor-grant"]

[[case]]
name = "a pupil of no hardship household receives nothing"
student = {{ stage = "primary", year = 3, school_area = "urban" }}
cash_total = "0.00"
not_applies = ["primary-poor-grant"]
"""

_LAYERED_CASES = """\
# The {id} plan's cases: pytest runs them once the plugin is installed.
region = "{id}"
on = {on}

[[case]]
name = "a student the parent's plan gives nothing receives nothing"
student = {{ stage = "senior_secondary", year = 1, school_area = "urban" }}
cash_total = "0.00"
"""

_TEST = '''\
"""The {id} plugin is installed and its plan loads and checks."""

import json
from pathlib import Path

import pytest

import edupolicy
from edupolicy.io import json_schema

#: The plan file's schema for editors, written by `edupolicy schema plan`.
EDITOR_SCHEMA = Path(__file__).resolve().parent.parent / "plan.schema.json"


def test_the_editor_schema_is_the_installed_edupolicys() -> None:
    if not EDITOR_SCHEMA.exists():
        pytest.skip("no plan.schema.json: write it with `edupolicy schema plan > plan.schema.json`")
    written = json.loads(EDITOR_SCHEMA.read_text(encoding="utf-8"))
    assert written == json_schema("plan"), (
        "plan.schema.json is not the installed edupolicy's: write it again with "
        "`edupolicy schema plan > plan.schema.json`"
    )


def test_the_region_is_installed_and_its_plan_loads() -> None:
    assert "{id}" in [region.id for region in edupolicy.regions()]
    policy = edupolicy.load("{id}")
    assert policy.plans


def test_the_plan_has_no_error() -> None:
    # The region's own findings: those it inherits from a parent region are the parent's.
    policy = edupolicy.load("{id}")
    own = [f for f in policy.check() if f.own and f.severity.value == "error"]
    assert own == []
'''
