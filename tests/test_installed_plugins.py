"""The installed plugins' entry points are kept between processes, and never stale.

What :mod:`importlib.metadata` finds is kept under a name made from the distributions
on ``sys.path``: a plugin installed, changed or removed is seen by the next look, and a
kept file that is not one is ignored.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edupolicy.io.plancache import CACHE_VAR
from edupolicy.plugins import installed
from edupolicy.plugins.installed import InstalledEntryPoint, installed_entry_points
from tests.fakedist import GROUP, FakePlugin, install, plan_toml, plugin_source


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory on ``sys.path`` to install into, and an empty cache directory."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.setenv(CACHE_VAR, str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(folder))
    return folder


def _names(found: list[InstalledEntryPoint]) -> set[tuple[str, str, str, str]]:
    return {(ep.name, ep.value, ep.distribution, ep.version) for ep in found}


def _plugin(fake: FakePlugin) -> tuple[str, str, str, str]:
    return (fake.entry_point, fake.module, fake.distribution, fake.version)


def _scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the looks through importlib.metadata (one entry per look)."""
    looks: list[str] = []
    real = importlib.metadata.entry_points

    def counted(**params: str) -> object:
        looks.append(params["group"])
        return real(**params)

    monkeypatch.setattr(importlib.metadata, "entry_points", counted)
    return looks


def _dist_info(fake: FakePlugin, site: Path) -> Path:
    return next(site.glob(f"*{fake.version}.dist-info"))


def test_what_importlib_metadata_finds_is_kept_and_read_back(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install(site, plugin_source())
    looks = _scans(monkeypatch)
    first = installed_entry_points(GROUP)
    again = installed_entry_points(GROUP)
    assert looks == [GROUP]  # the second look read the kept file
    assert first == again
    assert _plugin(fake) in _names(first)
    assert _names(first) == {
        (ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.metadata["Version"])
        for ep in importlib.metadata.entry_points(group=GROUP)
        if ep.dist is not None
    }


def test_a_plugin_installed_or_removed_is_seen_by_the_next_look(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _names(installed_entry_points(GROUP))
    fake = install(site, plugin_source())
    assert _names(installed_entry_points(GROUP)) == before | {_plugin(fake)}
    for file in _dist_info(fake, site).iterdir():
        file.unlink()
    _dist_info(fake, site).rmdir()
    assert _names(installed_entry_points(GROUP)) == before


def test_an_entry_point_changed_in_place_is_seen(site: Path) -> None:
    fake = install(site, plugin_source())
    assert _plugin(fake) in _names(installed_entry_points(GROUP))
    entry_points = _dist_info(fake, site) / "entry_points.txt"
    entry_points.write_text(f"[{GROUP}]\nrenamed = {fake.module}\n", encoding="utf-8")
    found = _names(installed_entry_points(GROUP))
    assert ("renamed", fake.module, fake.distribution, fake.version) in found
    assert _plugin(fake) not in found


def test_a_new_version_is_seen(site: Path) -> None:
    fake = install(site, plugin_source(), version="1.0.0")
    installed_entry_points(GROUP)
    _dist_info(fake, site).rename(site / f"{fake.distribution.replace('-', '_')}-2.0.0.dist-info")
    metadata = next(site.glob("*2.0.0.dist-info")) / "METADATA"
    metadata.write_text(
        metadata.read_text(encoding="utf-8").replace("1.0.0", "2.0.0"), encoding="utf-8"
    )
    found = _names(installed_entry_points(GROUP))
    assert (fake.entry_point, fake.module, fake.distribution, "2.0.0") in found


def test_a_kept_file_that_is_not_one_is_ignored_and_written_again(site: Path) -> None:
    fake = install(site, plugin_source())
    installed_entry_points(GROUP)
    (kept,) = (site.parent / "cache" / "entry-points").glob("*.json")
    for damage in ("", "{", "[]", '{"key": 1}', json.dumps({"key": "x", "entry_points": []})):
        kept.write_text(damage, encoding="utf-8")
        assert _plugin(fake) in _names(installed_entry_points(GROUP))
    good = json.loads(kept.read_text(encoding="utf-8"))
    good["entry_points"][0]["name"] = 7
    kept.write_text(json.dumps(good), encoding="utf-8")
    assert _plugin(fake) in _names(installed_entry_points(GROUP))


def test_no_cache_directory_keeps_nothing(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VAR, "")
    install(site, plugin_source())
    looks = _scans(monkeypatch)
    installed_entry_points(GROUP)
    installed_entry_points(GROUP)
    assert looks == [GROUP, GROUP]
    assert not (site.parent / "cache").exists()


class _Finder:
    """A finder that can report distributions of its own (as some importers do)."""

    @staticmethod
    def find_spec(*_args: object) -> None:
        return None

    @staticmethod
    def find_distributions(*_args: object, **_kwargs: object) -> list[object]:
        return []


def test_another_finder_of_distributions_keeps_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, _Finder()])
    looks = _scans(monkeypatch)
    installed_entry_points(GROUP)
    installed_entry_points(GROUP)
    assert looks == [GROUP, GROUP]


def test_an_unwritable_cache_directory_keeps_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = site.parent / "blocked"
    blocked.write_text("a file, not a directory", encoding="utf-8")
    monkeypatch.setenv(CACHE_VAR, str(blocked))
    fake = install(site, plugin_source())
    assert _plugin(fake) in _names(installed_entry_points(GROUP))


@pytest.mark.parametrize(
    "value", ["os.path", "os.path:join", "os:path.join", "os : path.join [extra]"]
)
def test_a_kept_entry_point_loads_what_importlib_metadata_loads(value: str) -> None:
    kept = InstalledEntryPoint(name="x", value=value, group=GROUP, distribution="d", version="1")
    real = importlib.metadata.EntryPoint(name="x", value=value, group=GROUP)
    assert kept.load() is real.load()


def test_a_malformed_value_is_an_error_of_the_entry_point() -> None:
    kept = InstalledEntryPoint(
        name="x", value="not a module!", group=GROUP, distribution="d", version="1"
    )
    with pytest.raises(ValueError, match="not a module!"):
        kept.load()


def test_a_zip_file_on_the_path_is_known_by_its_time_and_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.syspath_prepend(str(archive))
    first = installed._fingerprint()
    archive.write_bytes(b"PK\x05\x06" + bytes(19))
    os.utime(archive, ns=(1, 1))
    assert installed._fingerprint() != first


def test_the_backports_path_finder_reads_the_same_directories_and_keeps_keeping(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backport = pytest.importorskip("importlib_metadata")
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, backport.MetadataPathFinder()])
    fake = install(site, plugin_source())
    looks = _scans(monkeypatch)
    installed_entry_points(GROUP)
    assert _plugin(fake) in _names(installed_entry_points(GROUP))
    assert looks == [GROUP]


# Run in a fresh process: the regions of the installed plugins, and whether the look
# through importlib.metadata was needed.
_REGIONS = """
import sys
import edupolicy
print(" ".join(region.id for region in edupolicy.regions()), "importlib.metadata" in sys.modules)
"""


@pytest.mark.slow
def test_a_plugin_installed_then_removed_is_seen_by_each_next_process(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPOLICY_")}
    env[CACHE_VAR] = str(tmp_path / "cache")
    env["PYTHONPATH"] = os.pathsep.join([str(site), *sys.path])

    def regions() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _REGIONS], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert regions()[0] == "jinfeng"
    assert regions() == ["jinfeng", "False"]  # kept: no look through the metadata
    fake = install(site, plugin_source(), files={"plan.toml": plan_toml()})
    assert regions() == ["demo", "jinfeng", "True"]  # installed: looked for again
    assert regions() == ["demo", "jinfeng", "False"]
    shutil.rmtree(_dist_info(fake, site))
    # Removed: the path is again what it was before the install, and so is what is kept.
    assert regions() == ["jinfeng", "False"]
