"""Start-up: what ``import edupolicy`` and loading a policy leave for later.

Checked in a fresh process by what is imported and made, never by timing: the JSON
Schemas, Babel's formatting and the converter are not needed to import edupolicy; the
schemas and Babel are not needed to load a policy either.  Nor is what answers a
question: a load checks the plan whole, but imports the aid evaluators only for the
first student, the teacher evaluators only for the first teacher, and the writers of
JSON only for the first result written.  Each is made on first use.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import edupolicy
import edupolicy.goals
import edupolicy.teachers
from edupolicy import analysis
from edupolicy import io as edupolicy_io
from edupolicy._lazy import lazy_module
from edupolicy.goals import progress
from edupolicy.i18n import Text
from edupolicy.io import changefiles, results, schema, workbooks
from edupolicy.io.convert import CONVERTER, get_converter, make_converter
from edupolicy.io.plancache import CACHE_VAR
from edupolicy.rules.writing import Written

# Run in a fresh process: what is imported, and how many converters are made, by
# ``import edupolicy``, then by loading a region, then by its first aid question, its
# first teacher question and the first result written as JSON.
_PROBE = """
import datetime, json, sys
import cattrs

made = []
make = cattrs.Converter.__init__

def counted(self, *args, **kwargs):
    made.append(type(self).__name__)
    make(self, *args, **kwargs)

cattrs.Converter.__init__ = counted
import edupolicy
after_import = {"modules": sorted(sys.modules), "converters": len(made)}
policy = edupolicy.load("jinfeng")
after_load = {"modules": sorted(sys.modules), "converters": len(made)}
on = datetime.date(2019, 9, 1)
aid = policy.aid({"stage": "primary", "year": 3, "school_area": "rural"}, on)
after_aid = {"modules": sorted(sys.modules)}
teacher = {"title": "junior", "service": [{"school_area": "rural", "start": "2004-09-01"}]}
policy.teacher(teacher, on)
after_teacher = {"modules": sorted(sys.modules)}
aid.to_json()
after_json = {"modules": sorted(sys.modules)}
print(json.dumps({"import": after_import, "load": after_load, "aid": after_aid,
                  "teacher": after_teacher, "json": after_json}))
"""


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # A start after the first: what the first keeps between processes is there.
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPOLICY_")}
    env[CACHE_VAR] = str(tmp_path_factory.mktemp("kept"))
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def _babel(modules: list[str]) -> list[str]:
    return [name for name in modules if name == "babel" or name.startswith("babel.")]


@pytest.mark.slow
def test_importing_edupolicy_makes_no_converter(started: dict[str, Any]) -> None:
    assert started["import"]["converters"] == 0


@pytest.mark.slow
def test_importing_edupolicy_imports_neither_the_schemas_nor_babel(
    started: dict[str, Any],
) -> None:
    modules = started["import"]["modules"]
    assert "edupolicy.io.schema" not in modules
    assert _babel(modules) == []


@pytest.mark.slow
def test_loading_a_policy_makes_one_converter_and_needs_neither_schemas_nor_babel(
    started: dict[str, Any],
) -> None:
    modules = started["load"]["modules"]
    assert started["load"]["converters"] == 1
    assert "edupolicy.io.schema" not in modules
    assert _babel(modules) == []


def test_the_converter_is_one_whichever_name_asks_for_it() -> None:
    assert CONVERTER is get_converter()
    assert get_converter() is get_converter()


def test_a_class_read_in_many_places_has_its_hook_generated_once() -> None:
    # cattrs looks up the hook of a field's class without keeping it; a text is read in
    # many places of a plan, and its hook is generated only the first time.
    converter = make_converter()
    first = converter.get_structure_hook(Text, cache_result=False)
    assert converter.get_structure_hook(Text, cache_result=False) is first


def test_the_lazy_names_of_edupolicy_io_are_those_of_their_modules() -> None:
    assert edupolicy_io.read_workbook is workbooks.read_workbook
    assert edupolicy_io.json_schema is schema.json_schema
    assert edupolicy_io.SCHEMA_NAMES is schema.SCHEMA_NAMES
    assert edupolicy_io.UnknownSchemaError is schema.UnknownSchemaError
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = edupolicy_io.no_such_name  # type: ignore[attr-defined]


#: What answers the aid question: the aid evaluators and the engine's table of outcomes.
_AID_ANSWERS = ("edupolicy.aid.compiled", "edupolicy.rules.table")
#: What answers the teacher question: the teacher evaluators and the fast teacher reader.
_TEACHER_ANSWERS = ("edupolicy.teachers.compiled", "edupolicy.teachers.reading")

#: What answering a question of a plan as written does not need: the audit, what-if
#: changes, layered plans, a roster's budget and diff, the schemas, the server, columns;
#: nor, once the installed plugins are kept (:mod:`edupolicy.plugins.installed`), a
#: look through every installed distribution's metadata; nor, with the plugin's files
#: on disk, :mod:`importlib.resources`.  And what a load checks the plan without: the
#: answers to questions (above), choosing a cohort, a target's progress, the
#: declarations of the questions, the writers of results' JSON, change files, the TOML
#: reader and what its errors say (what the plan files parse to is kept), and "did you
#: mean".
_LATER = (
    "importlib.metadata",
    "importlib.resources",
    "edupolicy.analysis.audit",
    "edupolicy.analysis.whatif",
    "edupolicy.analysis.layering",
    "edupolicy.analysis.impact",
    "edupolicy.policy.rosters",
    "edupolicy.io.schema",
    "edupolicy.io.workbooks",
    "edupolicy.server",
    "edupolicy.columnar",
    *_AID_ANSWERS,
    *_TEACHER_ANSWERS,
    "edupolicy.teachers.selection",
    "edupolicy.goals.progress",
    "edupolicy.policy.questions",
    "edupolicy.io.results",
    "edupolicy.io.result_views",
    "edupolicy.io.changefiles",
    "edupolicy.io.parsers",
    "tomllib",
    "difflib",
)


@pytest.mark.slow
@pytest.mark.parametrize("module", _LATER)
def test_loading_a_policy_leaves_what_a_question_does_not_need_for_later(
    started: dict[str, Any], module: str
) -> None:
    assert module not in started["load"]["modules"]


@pytest.mark.slow
def test_a_load_still_imports_the_plans_data_classes(started: dict[str, Any]) -> None:
    # A plan is checked whole when it is loaded: the classes of what it holds are there.
    data_modules = (
        "edupolicy.aid.benefits",
        "edupolicy.aid.schedule",
        "edupolicy.goals.indicators",
        "edupolicy.teachers.outcomes",
        "edupolicy.teachers.incentives",
        "edupolicy.plans.reading",
        "edupolicy.plans.change",
    )
    assert set(data_modules) <= set(started["load"]["modules"])


@pytest.mark.slow
def test_the_first_aid_question_imports_the_aid_answers_and_not_the_teachers(
    started: dict[str, Any],
) -> None:
    modules = set(started["aid"]["modules"])
    assert set(_AID_ANSWERS) <= modules
    assert not set(_TEACHER_ANSWERS) & modules
    assert "edupolicy.io.results" not in modules


@pytest.mark.slow
def test_the_first_teacher_question_imports_the_teacher_answers(started: dict[str, Any]) -> None:
    modules = set(started["teacher"]["modules"])
    assert set(_TEACHER_ANSWERS) <= modules
    assert "edupolicy.teachers.selection" not in modules


@pytest.mark.slow
def test_the_first_result_written_imports_the_writers(started: dict[str, Any]) -> None:
    assert "edupolicy.io.results" not in started["teacher"]["modules"]
    assert "edupolicy.io.results" in started["json"]["modules"]


# Run in a fresh process: a module of edupolicy.analysis imported by its own name first.
_AUDIT_FIRST = """
import edupolicy.analysis.audit
from edupolicy import analysis
from edupolicy._lazy import lazy_module
print(type(analysis.audit).__name__, analysis.audit.__module__, edupolicy.Finding.__name__)
"""


@pytest.mark.slow
def test_a_lazy_name_is_its_object_even_when_its_module_was_imported_first() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _AUDIT_FIRST], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["function", "edupolicy.analysis.audit", "Finding"]


def test_a_lazy_module_is_imported_on_the_first_use_of_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "later_module.py").write_text("ANSWER = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "later_module", raising=False)
    later = lazy_module("later_module")
    assert "later_module" not in sys.modules
    assert later.ANSWER == 42
    assert "later_module" in sys.modules
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = later.no_such_name


def test_a_lazy_package_names_its_lazy_names_and_refuses_others() -> None:
    assert {"audit", "Budget", "plan_from_file"} <= set(dir(analysis))
    assert analysis.Budget.__name__ == "Budget"
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = analysis.no_such_name  # type: ignore[attr-defined]


def test_the_names_imported_when_first_used_are_those_of_their_modules() -> None:
    progress_of = importlib.import_module("edupolicy.goals.progress")
    selection = importlib.import_module("edupolicy.teachers.selection")
    declared = importlib.import_module("edupolicy.policy.questions")
    # The package's name ``progress`` is the function, as before, not its module.
    assert progress is progress_of.progress
    assert edupolicy.goals.TargetProgress is edupolicy.TargetProgress
    assert edupolicy.TargetProgress is progress_of.TargetProgress
    assert edupolicy.teachers.Selection is edupolicy.Selection is selection.Selection
    assert edupolicy.teachers.select_from is selection.select_from
    assert edupolicy_io.ChangeFile is changefiles.ChangeFile
    assert edupolicy_io.read_changes is changefiles.read_changes
    assert edupolicy_io.around_id is results.around_id
    assert edupolicy.Question is declared.Question  # type: ignore[attr-defined]
    assert edupolicy.Asked is declared.Asked  # type: ignore[attr-defined]
    assert {"Asked", "Question", "Selection", "TargetProgress"} <= set(dir(edupolicy))
    assert {"CandidateResult", "Selection", "select_from"} <= set(dir(edupolicy.teachers))
    assert {"Status", "TargetProgress", "progress"} <= set(dir(edupolicy.goals))
    assert {"ChangeFile", "around_id", "read_change_file"} <= set(dir(edupolicy_io))


def test_a_value_whose_class_has_no_writer_is_refused_once_the_writers_are_imported() -> None:
    class Unwritten(Written):
        pass

    with pytest.raises(TypeError, match="no JSON writer is registered for"):
        Unwritten().to_json()


@pytest.mark.slow
def test_the_command_line_starts_without_the_audit_the_server_columns_or_case_tables() -> None:
    # Every command's module, as the command line imports them for ``edupolicy --help``.
    code = (
        "import sys, edupolicy.cli; [edupolicy.cli.adder(where) for where in "
        "edupolicy.cli.COMMANDS.values()]; print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = done.stdout.split()
    assert "edupolicy.cli.aid" in modules
    later_modules = (
        "edupolicy.analysis.audit",
        "edupolicy.server",
        "edupolicy.columnar",
        "edupolicy.cases.casefiles",
        "edupolicy.cases.templates",
        "edupolicy.analysis.impact",
        "edupolicy.io.workbooks",
    )
    for later in later_modules:
        assert later not in modules
