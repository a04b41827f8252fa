"""Plugin discovery through real entry points of fake installed distributions.

Every test installs small fake distributions into its ``tmp_path`` (see
:mod:`tests.fakedist`) and builds a :class:`edupolicy.Registry` from their entry
points, with an explicit ``environ`` so that the variables of the shell running the
tests cannot change the outcome.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys
import threading
import types
from decimal import Decimal
from pathlib import Path

import pytest

import edupolicy
import edupolicy.plugins.hooks
import edupolicy.plugins.registry
from edupolicy import PlanDataError, PluginWarning, RegionInfo, UnknownRegionError
from edupolicy.errors import (
    DuplicateRegionError,
    IncompatiblePluginError,
    PluginError,
    PluginLoadError,
)
from edupolicy.plugins.registry import Registry
from tests.fakedist import (
    FakePlugin,
    entry_points,
    install,
    plan_toml,
    plugin_source,
    region_spec,
)

ON = dt.date(2019, 9, 1)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory on ``sys.path`` to install fake distributions into."""
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def good_plugin(
    root: Path,
    region_id: str = "demo",
    *,
    entry_point: str | None = None,
    distribution: str | None = None,
    version: str = "1.0.0",
) -> FakePlugin:
    """A working plugin providing ``region_id`` from a plan file beside its module."""
    return install(
        root,
        plugin_source(f"[{region_spec(region_id)}]"),
        entry_point=entry_point,
        distribution=distribution,
        version=version,
        files={"plan.toml": plan_toml(plan_id=f"{region_id}-2019")},
    )


def registry(root: Path, **environ: str) -> Registry:
    """The registry of the plugins installed in ``root``, with only ``environ`` set."""
    return Registry(entry_points=entry_points(root), environ=environ)


def region_ids(reg: Registry) -> list[str]:
    return [info.id for info in reg.regions()]


def only_problem(reg: Registry) -> PluginError:
    (problem,) = reg.problems
    return problem


# --- a good plugin ------------------------------------------------------------------------


def test_good_plugin_is_listed_with_its_distribution_and_version(site: Path) -> None:
    plugin = good_plugin(site, "demo", distribution="edupolicy-demo-region", version="2.3.1")

    reg = registry(site)

    assert reg.problems == ()
    (info,) = reg.regions()
    assert info == RegionInfo(
        id="demo",
        name=info.name,
        entry_point=plugin.entry_point,
        distribution="edupolicy-demo-region",
        version="2.3.1",
    )
    assert info.name.render("en") == "Test district demo"
    assert info.name.render("zh_CN") == "测试区 demo"
    assert info.to_json()["distribution"] == "edupolicy-demo-region"


def test_good_plugin_plans_are_read_from_its_plan_file(site: Path) -> None:
    good_plugin(site, "demo", distribution="edupolicy-demo-region", version="2.3.1")

    policy = registry(site).load("demo")

    assert policy.region == "demo"
    assert policy.distribution == "edupolicy-demo-region"
    assert policy.version == "2.3.1"
    assert [plan.id for plan in policy.plans] == ["demo-2019"]
    result = policy.aid({"stage": "primary", "year": 2, "school_area": "urban"}, ON)
    assert result.cash_total == Decimal("300.00")
    assert [item.rule_id for item in result.items] == ["primary-grant"]


def test_regions_are_sorted_by_id_across_plugins(site: Path) -> None:
    good_plugin(site, "zeta", entry_point="a")
    good_plugin(site, "alpha", entry_point="b")

    assert region_ids(registry(site)) == ["alpha", "zeta"]


# --- plugins that fail to import ----------------------------------------------------------

BROKEN_SOURCES = {
    "ImportError": "raise ImportError(\"No module named 'shapely_missing_dep'\")\n",
    "SyntaxError": "def edupolicy_regions(:\n    return []\n",
}


@pytest.mark.parametrize("error", sorted(BROKEN_SOURCES))
def test_plugin_that_fails_to_import_is_reported_and_others_still_load(
    site: Path, error: str
) -> None:
    good_plugin(site, "demo", entry_point="good")
    broken = install(
        site, BROKEN_SOURCES[error], entry_point="broken", distribution="edupolicy-broken"
    )

    with pytest.warns(PluginWarning, match=r"broken \(edupolicy-broken\)") as caught:
        reg = registry(site)

    assert len(caught) == 1
    assert region_ids(reg) == ["demo"]
    problem = only_problem(reg)
    assert isinstance(problem, PluginLoadError)
    assert problem.entry_point == "broken"
    assert problem.distribution == "edupolicy-broken"
    text = str(problem)
    assert "broken (edupolicy-broken)" in text
    assert error in text
    assert "EDUPOLICY_DISABLE_PLUGINS=broken" in text
    assert str(caught[0].message) == text
    assert broken.module not in sys.modules


def test_plugin_that_raises_in_edupolicy_regions_is_reported(site: Path) -> None:
    good_plugin(site, "demo", entry_point="good")
    install(
        site,
        plugin_source("1 / 0"),
        entry_point="crashing",
        distribution="edupolicy-crashing",
    )

    with pytest.warns(PluginWarning, match="crashing"):
        reg = registry(site)

    problem = only_problem(reg)
    assert isinstance(problem, PluginLoadError)
    assert (problem.entry_point, problem.distribution) == ("crashing", "edupolicy-crashing")
    assert "ZeroDivisionError" in str(problem)
    assert region_ids(reg) == ["demo"]


# --- plugins that return malformed data --------------------------------------------------

MALFORMED = {
    "a string": ('"jinfeng"', "'jinfeng'"),
    "a list containing a dict": ('[{"id": "demo2"}]', "'id': 'demo2'"),
    "an invalid region id": (f"[{region_spec('Jin Feng')}]", '"Jin Feng"'),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_plugin_returning_malformed_regions_is_reported_and_others_still_load(
    site: Path, case: str
) -> None:
    returned, shown = MALFORMED[case]
    good_plugin(site, "demo", entry_point="good")
    install(
        site,
        plugin_source(returned),
        entry_point="malformed",
        distribution="edupolicy-malformed",
        files={"plan.toml": plan_toml()},
    )

    with pytest.warns(PluginWarning, match=r"malformed \(edupolicy-malformed\)"):
        reg = registry(site)

    problem = only_problem(reg)
    assert isinstance(problem, PluginLoadError)
    assert (problem.entry_point, problem.distribution) == ("malformed", "edupolicy-malformed")
    assert "returned malformed data" in str(problem)
    assert shown in str(problem)
    assert region_ids(reg) == ["demo"]


# --- plugin-API versions -------------------------------------------------------------------

INCOMPATIBLE = {
    "undeclared": (None, "does not declare the plugin API version"),
    "2.0": ("2.0", "upgrade edupolicy"),
    "1.2": ("1.2", "upgrade edupolicy"),
    "0.9": ("0.9", "upgrade the plugin"),
    "not MAJOR.MINOR": ("one", "not MAJOR.MINOR"),
}


@pytest.mark.parametrize("case", list(INCOMPATIBLE))
def test_plugin_with_incompatible_api_version_is_refused(site: Path, case: str) -> None:
    declared, says = INCOMPATIBLE[case]
    good_plugin(site, "demo", entry_point="good")
    install(
        site,
        plugin_source(f"[{region_spec('other')}]", api_version=declared),
        entry_point="old",
        distribution="edupolicy-old",
        files={"plan.toml": plan_toml()},
    )

    with pytest.warns(PluginWarning, match=r"old \(edupolicy-old\)"):
        reg = registry(site)

    problem = only_problem(reg)
    assert isinstance(problem, IncompatiblePluginError)
    assert (problem.entry_point, problem.distribution) == ("old", "edupolicy-old")
    assert says in str(problem)
    assert region_ids(reg) == ["demo"]
    with pytest.raises(UnknownRegionError):
        reg.load("other")


def test_plugin_of_an_older_minor_api_version_loads(site: Path) -> None:
    install(
        site,
        plugin_source(f"[{region_spec('demo')}]", api_version="1.0"),
        files={"plan.toml": plan_toml()},
    )

    reg = registry(site)

    assert reg.problems == ()
    assert region_ids(reg) == ["demo"]


# --- two plugins, one region ---------------------------------------------------------------


def test_two_plugins_claiming_one_region_are_both_named_and_the_region_is_withheld(
    site: Path,
) -> None:
    good_plugin(site, "shared", entry_point="first", distribution="edupolicy-first")
    good_plugin(site, "shared", entry_point="second", distribution="edupolicy-second")
    good_plugin(site, "unrelated", entry_point="third")

    with pytest.warns(PluginWarning, match="shared"):
        reg = registry(site)

    problem = only_problem(reg)
    assert isinstance(problem, DuplicateRegionError)
    text = str(problem)
    assert "shared" in text
    assert "first (edupolicy-first)" in text
    assert "second (edupolicy-second)" in text
    assert region_ids(reg) == ["unrelated"]
    with pytest.raises(DuplicateRegionError) as excinfo:
        reg.load("shared")
    assert "first" in str(excinfo.value)
    assert "second" in str(excinfo.value)
    assert reg.load("unrelated").region == "unrelated"


# --- strict mode ---------------------------------------------------------------------------


def _broken_import(root: Path) -> None:
    install(root, 'raise ImportError("boom")\n', entry_point="bad")


def _malformed(root: Path) -> None:
    install(root, plugin_source('"demo"'), entry_point="bad")


def _incompatible(root: Path) -> None:
    install(root, plugin_source(api_version="2.0"), entry_point="bad")


def _duplicate(root: Path) -> None:
    good_plugin(root, "demo", entry_point="bad")


STRICT_CASES = {
    "import error": (_broken_import, PluginLoadError),
    "malformed data": (_malformed, PluginLoadError),
    "incompatible": (_incompatible, IncompatiblePluginError),
    "duplicate region": (_duplicate, DuplicateRegionError),
}


@pytest.mark.parametrize("value", ["1", "true", "yes"])
@pytest.mark.parametrize("case", list(STRICT_CASES))
def test_strict_mode_raises_each_problem(site: Path, case: str, value: str) -> None:
    make_problem, error = STRICT_CASES[case]
    good_plugin(site, "demo", entry_point="a-good")
    make_problem(site)

    with pytest.raises(error) as excinfo:
        registry(site, EDUPOLICY_STRICT_PLUGINS=value)

    assert excinfo.value.entry_point == "bad"
    assert "bad" in str(excinfo.value)


def test_strict_mode_off_when_variable_is_0(site: Path) -> None:
    _broken_import(site)

    with pytest.warns(PluginWarning, match="bad"):
        reg = registry(site, EDUPOLICY_STRICT_PLUGINS="0")

    assert len(reg.problems) == 1


# --- allow-list and block-list -------------------------------------------------------------


def test_allow_list_loads_only_the_named_plugins(site: Path) -> None:
    good_plugin(site, "alpha", entry_point="a")
    broken = install(site, 'raise ImportError("boom")\n', entry_point="b")
    good_plugin(site, "gamma", entry_point="c")

    reg = registry(site, EDUPOLICY_PLUGINS="a")

    assert region_ids(reg) == ["alpha"]
    assert reg.problems == ()
    assert broken.module not in sys.modules


def test_allow_list_takes_comma_separated_names(site: Path) -> None:
    good_plugin(site, "alpha", entry_point="a")
    good_plugin(site, "beta", entry_point="b")
    good_plugin(site, "gamma", entry_point="c")

    reg = registry(site, EDUPOLICY_PLUGINS=" a , c ")

    assert region_ids(reg) == ["alpha", "gamma"]


def test_blocked_broken_plugin_is_not_imported_and_not_reported(site: Path) -> None:
    good_plugin(site, "alpha", entry_point="a")
    broken = install(site, 'raise ImportError("boom")\n', entry_point="b")

    # filterwarnings = error: a PluginWarning here would fail the test.
    reg = registry(site, EDUPOLICY_DISABLE_PLUGINS="b")

    assert reg.problems == ()
    assert region_ids(reg) == ["alpha"]
    assert broken.module not in sys.modules


def test_block_list_wins_over_allow_list(site: Path) -> None:
    good_plugin(site, "alpha", entry_point="a")
    good_plugin(site, "beta", entry_point="b")

    reg = registry(site, EDUPOLICY_PLUGINS="a,b", EDUPOLICY_DISABLE_PLUGINS="b")

    assert region_ids(reg) == ["alpha"]


# --- loading -------------------------------------------------------------------------------


def test_unknown_region_lists_the_installed_ids(site: Path) -> None:
    good_plugin(site, "alpha", entry_point="a")
    good_plugin(site, "beta", entry_point="b")
    reg = registry(site)

    with pytest.raises(UnknownRegionError) as excinfo:
        reg.load("nope")

    assert excinfo.value.region == "nope"
    assert excinfo.value.available == ("alpha", "beta")
    assert "nope" in str(excinfo.value)
    assert "alpha, beta" in str(excinfo.value)


def test_invalid_plan_file_raises_plan_data_error_naming_the_file_at_load(site: Path) -> None:
    install(
        site,
        plugin_source(f"[{region_spec('demo', plan_file='demo-plan-2019.toml')}]"),
        files={"demo-plan-2019.toml": plan_toml(amount="300.5")},
    )
    reg = registry(site)
    # Plans are read lazily: discovery succeeds, the region is listed.
    assert region_ids(reg) == ["demo"]

    with pytest.raises(PlanDataError) as excinfo:
        reg.load("demo")

    assert "demo-plan-2019.toml" in str(excinfo.value)
    assert [(p.path, p.value) for p in excinfo.value.problems] == [
        ("$.aid.rules[0].benefit.amount", 300.5)
    ]


def test_unparsable_plan_file_raises_plan_data_error_naming_the_file(site: Path) -> None:
    install(
        site,
        plugin_source(f"[{region_spec('demo', plan_file='typo.toml')}]"),
        files={"typo.toml": 'id = "demo-2019"\n[document\n'},
    )

    with pytest.raises(PlanDataError, match=r"typo\.toml"):
        registry(site).load("demo")


@pytest.mark.parametrize(
    ("plans", "shown"),
    [
        ('["not a plan"]', "'not a plan'"),
        ("[{'id': 'demo-2019'}]", "'id': 'demo-2019'"),
        ("[]", "[]"),
    ],
)
def test_plans_callable_returning_non_plans_raises_plugin_load_error(
    site: Path, plans: str, shown: str
) -> None:
    plugin = install(
        site,
        plugin_source(
            "[RegionSpec(id='demo', name=Text(zh_CN='测试', en='Test'), plans=lambda: PLANS)]",
            preamble=f"PLANS = {plans}\n",
        ),
        entry_point="lazy",
        distribution="edupolicy-lazy",
    )
    reg = registry(site)

    with pytest.raises(PluginLoadError) as excinfo:
        reg.load("demo")

    assert excinfo.value.entry_point == plugin.entry_point
    assert excinfo.value.distribution == "edupolicy-lazy"
    assert "lazy (edupolicy-lazy)" in str(excinfo.value)
    assert shown in str(excinfo.value)


def test_plans_callable_that_raises_is_reported_as_plugin_load_error(site: Path) -> None:
    install(
        site,
        plugin_source(
            "[RegionSpec(id='demo', name=Text(zh_CN='测试', en='Test'), plans=lambda: 1 / 0)]"
        ),
        entry_point="lazy",
        distribution="edupolicy-lazy",
    )

    with pytest.raises(PluginLoadError, match=r"lazy \(edupolicy-lazy\).*ZeroDivisionError"):
        registry(site).load("demo")


def test_load_reads_the_plans_once_and_returns_the_same_policy(site: Path) -> None:
    plugin = install(
        site,
        plugin_source(
            "[RegionSpec(id='demo', name=Text(zh_CN='测试', en='Test'), plans=plans)]",
            preamble="""
            CALLS: list[int] = []

            def plans():
                CALLS.append(1)
                return [load_plan(HERE / "plan.toml")]
            """,
        ),
        files={"plan.toml": plan_toml()},
    )
    reg = registry(site)

    first = reg.load("demo")
    second = reg.load("demo")

    assert first is second
    calls: list[int] = sys.modules[plugin.module].CALLS
    assert calls == [1]


# --- the real environment ------------------------------------------------------------------


@pytest.mark.usefixtures("fresh_registry")
def test_bundled_jinfeng_plugin_is_found_through_its_entry_point() -> None:
    found = {info.id: info for info in edupolicy.regions()}

    assert "jinfeng" in found
    info = found["jinfeng"]
    assert info.entry_point == "jinfeng"
    assert info.distribution == "edupolicy"
    assert info.version == edupolicy.__version__
    assert info.name.render("zh_CN") == "银川市金凤区"
    assert edupolicy.plugin_problems() == ()

    policy = edupolicy.load("jinfeng")
    assert policy.region == "jinfeng"
    assert policy.distribution == "edupolicy"
    assert [plan.document.number for plan in policy.plans] == ["金教发〔2018〕410号"]
    assert edupolicy.load("jinfeng") is policy


# --- the command line, in a real process ---------------------------------------------------


@pytest.mark.slow
def test_cli_regions_lists_jinfeng_and_warns_once_about_a_broken_plugin(site: Path) -> None:
    good_plugin(site, "demo", entry_point="demo-plugin", distribution="edupolicy-demo")
    install(
        site,
        "raise ImportError(\"No module named 'shapely_missing_dep'\")\n",
        entry_point="broken-plugin",
        distribution="edupolicy-broken",
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EDUPOLICY_") and key not in ("LC_ALL", "LC_MESSAGES")
    }
    env["LANG"] = "C.UTF-8"
    env["PYTHONPATH"] = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])

    completed = subprocess.run(
        [sys.executable, "-m", "edupolicy.cli", "regions"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    rows = {line.split()[0]: line for line in completed.stdout.splitlines()[1:]}
    assert "jinfeng" in rows
    assert "edupolicy" in rows["jinfeng"].split()
    assert "demo" in rows
    assert "edupolicy-demo" in rows["demo"].split()
    assert "Traceback" not in completed.stderr
    lines = [line for line in completed.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("warning: ")
    assert "broken-plugin (edupolicy-broken)" in lines[0]
    assert "EDUPOLICY_DISABLE_PLUGINS=broken-plugin" in lines[0]


# --- containment: whatever a plugin does, the host goes on ------------------------------------

CONTAINED = {
    "sys.exit at import": ("import sys\nsys.exit(3)\n", "failed to import: SystemExit: 3"),
    "BaseException at import": (
        "class Odd(BaseException):\n    pass\n\nraise Odd('odd')\n",
        "failed to import: Odd: odd",
    ),
    "sys.exit in a hook": (
        plugin_source("__import__('sys').exit('bye')"),
        "failed in edupolicy_regions: SystemExit: bye",
    ),
    "a region name that is plain text": (
        plugin_source("[RegionSpec(id='plain', name='Plain', plans=lambda: [])]"),
        "must be a Text or a Message",
    ),
    "a sample roster that is not a path": (
        plugin_source(
            "[RegionSpec(id='plain', name=Text(zh_CN='甲', en='A'), plans=lambda: [], "
            "sample_roster='students.jsonl')]"
        ),
        "must be a path to a file the plugin ships",
    ),
}


@pytest.mark.parametrize("case", list(CONTAINED))
def test_a_plugin_is_contained_whatever_it_raises_and_reported_by_name(
    site: Path, case: str
) -> None:
    source, shown = CONTAINED[case]
    good_plugin(site, "demo", entry_point="good")
    install(site, source, entry_point="wild", distribution="edupolicy-wild")

    with pytest.warns(PluginWarning, match=r"wild \(edupolicy-wild\)"):
        reg = registry(site)

    problem = only_problem(reg)
    assert (problem.entry_point, problem.distribution) == ("wild", "edupolicy-wild")
    assert shown in str(problem)
    assert region_ids(reg) == ["demo"]
    assert reg.load("demo").region == "demo"


def test_ctrl_c_in_a_plugin_is_not_swallowed(site: Path) -> None:
    install(site, "raise KeyboardInterrupt\n", entry_point="interrupted")

    with pytest.raises(KeyboardInterrupt):
        registry(site)


def test_a_plugin_that_exits_while_loading_its_plans_is_a_plugin_load_error(site: Path) -> None:
    install(
        site,
        plugin_source(
            "[RegionSpec(id='quits', name=Text(zh_CN='甲', en='A'), "
            "plans=lambda: __import__('sys').exit(1))]"
        ),
        entry_point="quits",
        distribution="edupolicy-quits",
    )
    reg = registry(site)

    with pytest.raises(PluginLoadError, match=r"quits \(edupolicy-quits\).*SystemExit: 1"):
        reg.load("quits")


def test_what_a_plugin_prints_at_import_is_kept_out_of_the_output_and_reported(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(
        site,
        plugin_source(f"[{region_spec('noisy')}]", preamble="print('hello from the plugin')\n"),
        entry_point="noisy",
        distribution="edupolicy-noisy",
        files={"plan.toml": plan_toml(plan_id="noisy-2019")},
    )

    with pytest.warns(PluginWarning, match="wrote to the output"):
        reg = registry(site)

    assert capsys.readouterr().out == ""
    problem = only_problem(reg)
    assert "hello from the plugin" in str(problem)
    assert problem.entry_point == "noisy"
    # Reported, and still usable.
    assert reg.load("noisy").region == "noisy"


def test_a_plugin_imported_in_one_thread_keeps_only_its_own_output(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server thread that imports a plugin lazily neither takes nor hides what another
    thread prints while the plugin's code runs."""
    gate = types.SimpleNamespace(inside=threading.Event(), go_on=threading.Event())
    monkeypatch.setitem(sys.modules, "edupolicy_test_gate", gate)
    install(
        site,
        plugin_source(
            f"[{region_spec('noisy')}]",
            preamble=(
                "import edupolicy_test_gate as gate\n"
                "print('hello from the plugin')\n"
                "gate.inside.set()\n"
                "gate.go_on.wait(30)\n"
                "print('goodbye from the plugin')\n"
            ),
        ),
        entry_point="noisy",
        distribution="edupolicy-noisy",
        files={"plan.toml": plan_toml(plan_id="noisy-2019")},
    )
    reg = Registry(entry_points=entry_points(site), environ={}, lazy=True)
    loaded: list[str] = []
    failed: list[BaseException] = []

    def serve() -> None:
        try:
            with pytest.warns(PluginWarning, match="wrote to the output"):
                loaded.append(reg.load("noisy").region)
        except BaseException as exc:
            failed.append(exc)
            gate.inside.set()

    server = threading.Thread(target=serve)
    server.start()
    assert gate.inside.wait(30)
    print("hello from the host")
    print("an error from the host", file=sys.stderr)
    gate.go_on.set()
    server.join(30)

    assert not server.is_alive()
    assert failed == []
    assert loaded == ["noisy"]
    captured = capsys.readouterr()
    assert captured.out == "hello from the host\n"
    assert captured.err == "an error from the host\n"
    problem = only_problem(reg)
    assert "hello from the plugin" in str(problem)
    assert "goodbye from the plugin" in str(problem)
    assert "host" not in str(problem)
    # Once no plugin code runs, the streams are the host's own again.
    print("after", end="")
    assert capsys.readouterr().out == "after"


def test_a_lazy_registry_imports_only_the_plugin_a_region_needs(site: Path) -> None:
    wanted = good_plugin(site, "demo", entry_point="demo")
    other = good_plugin(site, "other", entry_point="other")
    broken = install(site, 'raise ImportError("boom")\n', entry_point="broken")

    reg = Registry(entry_points=entry_points(site), environ={}, lazy=True)
    assert reg.load("demo").region == "demo"

    assert wanted.module in sys.modules
    assert other.module not in sys.modules
    assert broken.module not in sys.modules
    assert reg.problems == ()

    # Listing the regions imports every plugin, and reports the broken one.
    with pytest.warns(PluginWarning, match="broken"):
        assert [info.id for info in reg.regions()] == ["demo", "other"]
    assert other.module in sys.modules
    reported: tuple[PluginError, ...] = reg.problems
    assert [found.entry_point for found in reported] == ["broken"]


def test_a_lazy_registry_finds_a_region_whose_plugin_has_another_name(site: Path) -> None:
    good_plugin(site, "demo", entry_point="district-plugins")

    reg = Registry(entry_points=entry_points(site), environ={}, lazy=True)

    assert reg.load("demo").region == "demo"
    with pytest.raises(UnknownRegionError, match="demo"):
        reg.load("nowhere")


def test_strict_mode_imports_every_plugin_at_once_even_when_lazy(site: Path) -> None:
    # Lazily, the plugin named after a region would be taken without looking further;
    # strict mode finds the second plugin claiming the region at once.
    good_plugin(site, "demo", entry_point="demo")
    good_plugin(site, "demo", entry_point="other")

    with pytest.raises(DuplicateRegionError, match="demo"):
        Registry(
            entry_points=entry_points(site), environ={"EDUPOLICY_STRICT_PLUGINS": "1"}, lazy=True
        )


# --- plans in force one after another ------------------------------------------------------


def test_plans_of_a_region_in_force_at_the_same_time_are_a_plugin_load_error(
    site: Path,
) -> None:
    install(
        site,
        plugin_source(
            "[RegionSpec.from_files(id='demo', name=Text(zh_CN='甲', en='A'), "
            "plan_files=[HERE / 'later.toml', HERE / 'earlier.toml'])]"
        ),
        entry_point="overlapping",
        distribution="edupolicy-overlapping",
        files={
            "earlier.toml": plan_toml(plan_id="demo-2019", start="2019-01-01", end="2020-12-31"),
            "later.toml": plan_toml(plan_id="demo-2020", start="2020-12-31", end="2021-12-31"),
        },
    )
    reg = registry(site)

    with pytest.raises(PluginLoadError) as raised:
        reg.load("demo")

    assert str(raised.value) == (
        "Plans demo-2019 (2019-01-01–2020-12-31) and demo-2020 (2020-12-31–2021-12-31) of "
        "region demo are in force at the same time"
    )
    assert (raised.value.entry_point, raised.value.distribution) == (
        "overlapping",
        "edupolicy-overlapping",
    )


def test_plans_of_a_region_are_kept_in_the_order_they_come_into_force(site: Path) -> None:
    install(
        site,
        plugin_source(
            "[RegionSpec.from_files(id='demo', name=Text(zh_CN='甲', en='A'), "
            "plan_files=[HERE / 'later.toml', HERE / 'earlier.toml'])]"
        ),
        entry_point="successive",
        files={
            "earlier.toml": plan_toml(plan_id="demo-2019", start="2019-01-01", end="2020-12-31"),
            "later.toml": plan_toml(plan_id="demo-2021", start="2021-01-01", end="2021-12-31"),
        },
    )

    policy = registry(site).load("demo")

    assert [plan.id for plan in policy.plans] == ["demo-2019", "demo-2021"]


# --- the module the registry used to live in -------------------------------------------------


def test_the_old_manager_module_still_works_but_says_where_its_names_went() -> None:
    sys.modules.pop("edupolicy.plugins.manager", None)
    try:
        with pytest.warns(DeprecationWarning, match=r"edupolicy\.plugins\.registry"):
            manager = importlib.import_module("edupolicy.plugins.manager")
    finally:
        # Nothing in edupolicy imports it: leave no trace for the other tests.
        sys.modules.pop("edupolicy.plugins.manager", None)
        vars(edupolicy.plugins).pop("manager", None)

    assert manager.Registry is edupolicy.plugins.registry.Registry
    assert manager.RegionInfo is edupolicy.plugins.registry.RegionInfo
    assert manager.default_registry is edupolicy.plugins.registry.default_registry
    assert manager.reset_default_registry is edupolicy.plugins.registry.reset_default_registry
    assert manager.PluginManager is edupolicy.plugins.hooks.PluginManager
