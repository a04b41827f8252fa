"""The upgrade path from 0.1.0: every public name of 0.1.0 still works, or is listed.

A name of 0.1.0 is either still where it was, or an alias that warns with its new
spelling and returns the new object itself, or left out (no faithful new spelling) and
named in the CHANGELOG with what to use instead.  ``import edupolicy`` stays silent and
imports none of the old modules.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
import warnings
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import edupolicy
from edupolicy._deprecated import MOVED, POLICY_METHODS, REMOVED_IN

ROOT = Path(__file__).resolve().parent.parent
OLD_MODULES = sorted(set(MOVED) - {"edupolicy"})

#: The public names of 0.1.0: ``__all__`` of each of its public modules.
RELEASE_0_1_0 = {
    "edupolicy": """
        AidItem AidResult AidRule AidSchedule Award AwardCheck Benefit BenefitKind
        CandidateResult Combination Continuity DuplicateRegionError EdupolicyError
        EqualTreatment FieldProblem Frequency Household ImpossibleShareError IncentiveItem
        IncentiveRule IncompatiblePluginError InvalidDataError InvalidRecordError Lack
        Message NotApplied NotGranted OutOfPeriodError Outcome OutcomeKind Period Plan
        PlanDataError PlanDocument PluginError PluginLoadError PluginWarning Policy Posting
        Quota RankKey RegionInfo Registry RuleConflictError RuleGroup RuralService
        SchoolArea Selection Share ShareCheck ShareRequirement Source Stage Student Teacher
        TeacherResult TeacherSchedule Text Title UnknownRegionError __version__
        awards_needed check_awards default_registry evaluate_teacher load load_plan money
        plugin_problems regions select_cohort
    """,
    "edupolicy.audit": """
        Finding Severity audit student_space
    """,
    "edupolicy.records": """
        COMPULSORY_STAGES FEN Household SchoolArea Stage Student money
    """,
    "edupolicy.plan": """
        Period Plan PlanDocument Policy
    """,
    "edupolicy.incentives": """
        AllOf AnyOf Award AwardCheck CandidateResult Continuity ContinuousRuralYears
        ImpossibleShareError IncentiveItem IncentiveRule Lack MeetsTitleCriteria Missing Not
        NotGranted Outcome OutcomeKind OutstandingIs PostedIn Quota RankKey Selection Share
        ShareCheck ShareRequirement TeacherCondition TeacherResult TeacherSchedule TitleIn
        TotalRuralYears awards_needed check_awards check_list evaluate_schedule
        evaluate_teacher quota_for requirement_for schedule_on select_cohort select_from
        share_for
    """,
    "edupolicy.conditions": """
        All Any BoardingIs Condition DisabledIs HouseholdAny Not OrphanIs SchoolAreaIs
        StageIn YearIn
    """,
    "edupolicy.aid": """
        AidItem AidResult AidRule AidSchedule Benefit BenefitKind Combination EqualTreatment
        Frequency NotApplied RuleGroup Source
    """,
    "edupolicy.goals": """
        Baseline Comparison Fact Goals Indicator Observation Status Target TargetProgress
        Unit progress
    """,
    "edupolicy.teachers": """
        Posting RuralService Teacher Title add_years completed_years
    """,
    "edupolicy.errors": """
        DuplicateRegionError EdupolicyError FieldProblem IncompatiblePluginError
        InvalidDataError InvalidRecordError MISSING OutOfPeriodError PlanDataError
        PluginError PluginLoadError PluginWarning RuleConflictError UnknownRegionError
    """,
    "edupolicy.i18n": """
        Area Count DEFAULT_LOCALE LocaleWarning Message Percent Renderable SUPPORTED_LOCALES
        Text format_area format_count format_day format_money format_percent message_factory
        normalize_locale register_domain render supported_locale
    """,
    "edupolicy.plugins": """
        PLUGIN_API_VERSION PROJECT_NAME RegionSpec impl
    """,
    "edupolicy.plugins.manager": """
        PluginManager RegionInfo Registry
    """,
    "edupolicy.plugins.region": """
        RegionSpec
    """,
    "edupolicy.plugins.spec": """
        edupolicy_plugin_api_version edupolicy_regions hookspec
    """,
}

#: 0.1.0 names with no alias; the CHANGELOG's Removed table says what to use instead.
LEFT_OUT = {
    # One class per kind now; the old name is their union, which cannot be called.
    "edupolicy.Benefit",
    "edupolicy.Outcome",
    "edupolicy.incentives.Outcome",
    # Helpers of the policy questions, which are Policy methods now.
    "edupolicy.incentives.quota_for",
    "edupolicy.incentives.schedule_on",
    "edupolicy.incentives.share_for",
    # edupolicy.aid is a module of 0.2 as well: these are spelt in their own layers.
    "edupolicy.aid.Combination",
    "edupolicy.aid.Frequency",
    "edupolicy.aid.NotApplied",
    "edupolicy.aid.RuleGroup",
    "edupolicy.aid.Source",
}

#: The modules of 0.1.0 deprecated as a whole: importing one warns, naming the new modules.
WARN_ON_IMPORT = frozenset({"edupolicy.plugins.manager"})

OLD_NAMES = [(module, name) for module, names in RELEASE_0_1_0.items() for name in names.split()]
ALIASES = [(module, name) for module, table in MOVED.items() for name in table]


def _new(spelling: str) -> Any:
    where, _, attribute = spelling.rpartition(".")
    return getattr(importlib.import_module(where), attribute)


def _changelog_unreleased() -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return text.split("\n## [", 2)[1]


@pytest.mark.parametrize(("module", "name"), OLD_NAMES, ids=[f"{m}.{n}" for m, n in OLD_NAMES])
def test_every_name_of_0_1_0_is_kept_aliased_or_listed(module: str, name: str) -> None:
    qualified = f"{module}.{name}"
    aliased = name in MOVED.get(module, {})
    if qualified in LEFT_OUT:
        assert not aliased
        assert f"`{qualified}`" in _changelog_unreleased(), f"the CHANGELOG omits {qualified}"
        return
    if aliased:
        with pytest.warns(DeprecationWarning, match=f"^{re.escape(qualified)} is deprecated"):
            getattr(importlib.import_module(module), name)
        return
    if module in WARN_ON_IMPORT:
        # A module deprecated as a whole keeps its names and warns when it is imported.
        sys.modules.pop(module, None)
        with pytest.warns(DeprecationWarning, match=f"^{re.escape(module)} is deprecated"):
            found = importlib.import_module(module)
        sys.modules.pop(module, None)
        assert hasattr(found, name), f"{qualified} vanished unlisted"
        return
    # Still where it was: no warning (pytest turns one into an error).
    assert hasattr(importlib.import_module(module), name), f"{qualified} vanished unlisted"


@pytest.mark.parametrize(("module", "name"), ALIASES, ids=[f"{m}.{n}" for m, n in ALIASES])
def test_an_alias_warns_with_its_new_spelling_and_is_the_new_object(module: str, name: str) -> None:
    spelling = MOVED[module][name]
    message = f"{module}.{name} is deprecated and will be removed in {REMOVED_IN}; use {spelling}"
    with pytest.warns(DeprecationWarning, match=re.escape(message)) as caught:
        old = getattr(importlib.import_module(module), name)
    assert caught[0].filename == __file__, "the warning should point at the caller"
    if name in POLICY_METHODS:
        assert callable(old)
    else:
        assert old is _new(spelling)


@pytest.mark.parametrize(("module", "name"), ALIASES, ids=[f"{m}.{n}" for m, n in ALIASES])
def test_every_alias_is_in_the_changelog(module: str, name: str) -> None:
    text = _changelog_unreleased()
    assert f"`{module}.{name}`" in text, f"the CHANGELOG omits {module}.{name}"


def test_from_import_of_an_old_name_warns_too() -> None:
    with pytest.warns(DeprecationWarning, match=r"use edupolicy\.analysis\.audit$"):
        from edupolicy.audit import audit  # type: ignore[attr-defined]
    assert audit is edupolicy.analysis.audit


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'edupolicy' has no attribute 'nothing'"):
        _ = edupolicy.nothing  # type: ignore[attr-defined]
    old = importlib.import_module("edupolicy.audit")
    with pytest.raises(AttributeError, match=r"module 'edupolicy\.audit' has no attribute 'x'"):
        _ = old.x
    assert not hasattr(edupolicy, "Benefit")


def test_the_old_modules_import_silently_and_are_submodules() -> None:
    for module in OLD_MODULES:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            imported = importlib.import_module(module)
        assert getattr(edupolicy, module.rsplit(".", 1)[1]) is imported


# --- the functions that took a policy first ---------------------------------------------


@pytest.fixture(scope="module")
def policy() -> edupolicy.Policy:
    return edupolicy.load("jinfeng")


def _sample(name: str) -> Any:
    return json.loads((files("edupolicy_jinfeng") / "samples" / name).read_text("utf-8"))


def _old_function(name: str) -> Any:
    with pytest.warns(DeprecationWarning, match=re.escape(POLICY_METHODS[name])):
        return getattr(edupolicy, name)


TEACHER = {
    "id": "T03",
    "title": "intermediate",
    "outstanding": True,
    "service": [{"school_area": "rural", "start": "1990-09-01"}],
}


def test_evaluate_teacher_is_policy_teacher(policy: edupolicy.Policy) -> None:
    old = _old_function("evaluate_teacher")(policy, TEACHER, "2019-09-01", explain=True)
    new = policy.teacher(TEACHER, "2019-09-01", explain=True)
    assert old.to_json() == new.to_json()


def test_select_cohort_is_policy_select(policy: edupolicy.Policy) -> None:
    candidates = _sample("candidates.json")
    old = _old_function("select_cohort")(policy, "sanatorium", candidates, year=2019)
    new = policy.select("sanatorium", candidates, year=2019)
    assert old.to_json() == new.to_json()


def test_check_awards_and_awards_needed_are_policy_methods(policy: edupolicy.Policy) -> None:
    awards = _sample("awards.json")
    old = _old_function("check_awards")(policy, awards, "2019-09-10")
    assert old.to_json() == policy.check_awards(awards, "2019-09-10").to_json()
    needed = _old_function("awards_needed")(policy, awards, "2019-09-10", size=6)
    assert needed.to_json() == policy.awards_needed(awards, "2019-09-10", size=6).to_json()


# --- nothing depends on them ------------------------------------------------------------

_PROBE = """
import sys, warnings
warnings.simplefilter("error")
import edupolicy
print(sorted(name for name in sys.modules if name.startswith("edupolicy")))
"""


@pytest.mark.slow
def test_import_edupolicy_is_silent_and_imports_no_old_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    loaded = set(ast.literal_eval(done.stdout))
    assert "edupolicy._deprecated" not in loaded
    assert not loaded & set(OLD_MODULES)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_nothing_in_the_project_imports_the_old_modules() -> None:
    own = {ROOT / "src" / "edupolicy" / "__init__.py", Path(__file__)}
    own |= {ROOT / "src" / f"{module.replace('.', '/')}.py" for module in OLD_MODULES}
    banned = {*OLD_MODULES, "edupolicy._deprecated"}
    sources = [*ROOT.glob("src/**/*.py"), *ROOT.glob("examples/**/*.py"), *ROOT.glob("tests/*.py")]
    sources += [*ROOT.glob("tools/*.py"), *ROOT.glob("benchmarks/*.py")]
    for path in sources:
        if path in own:
            continue
        # The tool that pins the public surface lists the aliases.
        allowed = {"edupolicy._deprecated"} if path == ROOT / "tools" / "public_api.py" else set()
        used = _imports(path) & (banned - allowed)
        assert not used, f"{path.relative_to(ROOT)} imports {sorted(used)}"
