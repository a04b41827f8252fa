"""A plugin's files are found as paths on disk and as resources of a zip file alike.

A path is answered without importing :mod:`importlib.resources` (a start does not
need it); whatever else is given is judged as before, by
:class:`~importlib.resources.abc.Traversable`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePath

import pytest

import edupolicy
import edupolicy_jinfeng
from edupolicy.io.planfiles import is_traversable

_PACKAGE = Path(edupolicy_jinfeng.__file__).parent


def _zipped(tmp_path: Path) -> Path:
    archive = tmp_path / "jinfeng.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("edupolicy_jinfeng/", "")
        for file in _PACKAGE.rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                out.write(file, f"edupolicy_jinfeng/{file.relative_to(_PACKAGE).as_posix()}")
    return archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _zipped(tmp_path_factory.mktemp("zipped"))


def _samples(archive: Path) -> list[object]:
    with zipfile.ZipFile(archive) as opened:
        root = zipfile.Path(opened, "edupolicy_jinfeng/")
        return [
            Path("plan.toml"),
            PurePath("plan.toml"),
            "plan.toml",
            b"plan.toml",
            os.fspath(_PACKAGE),
            None,
            3,
            object(),
            root,
            root / "plan.toml",
            files("edupolicy_jinfeng"),
        ]


def test_what_is_a_traversable_is_judged_as_importlib_resources_judges_it(
    archive: Path,
) -> None:
    for value in _samples(archive):
        assert is_traversable(value) is isinstance(value, Traversable), value


def test_the_plugin_on_disk_ships_its_files_as_paths() -> None:
    assert isinstance(edupolicy_jinfeng.PLAN_FILE, Path)
    assert edupolicy_jinfeng.PLAN_FILE == _PACKAGE / "plan.toml"
    assert edupolicy_jinfeng.SAMPLE_ROSTER.is_file()


# Run in a fresh process whose path finds the plugin in a zip file first.
_FROM_ZIP = """
import json
import edupolicy
import edupolicy_jinfeng as plugin
policy = edupolicy.load("jinfeng")
print(json.dumps({
    "where": plugin.__file__,
    "kind": type(plugin.PLAN_FILE).__name__,
    "plan": plugin.PLAN_FILE.read_text(encoding="utf-8"),
    "sample": plugin.SAMPLE_ROSTER.read_text(encoding="utf-8"),
    "plans": [plan.id for plan in policy.plans],
}))
"""


@pytest.mark.slow
def test_the_plugin_in_a_zip_file_ships_its_files_as_resources(archive: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(archive), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", _FROM_ZIP], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["where"].startswith(str(archive))
    assert found["kind"] != "PosixPath"
    assert found["plan"] == (_PACKAGE / "plan.toml").read_text(encoding="utf-8")
    assert found["sample"] == edupolicy_jinfeng.SAMPLE_ROSTER.read_text(encoding="utf-8")
    assert found["plans"] == [plan.id for plan in edupolicy.load("jinfeng").plans]
