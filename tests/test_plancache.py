"""What an installed region's plan files parse to is kept between processes, safely.

The kept data is a function of the text alone (its SHA-256 names the file), read back
strictly from JSON, and checked by the converter as the TOML's is: a region loaded from
kept data is the region loaded from its files.  A kept file that is not exactly one is
ignored and written again; a directory that cannot be written keeps nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edupolicy
from edupolicy.io import plancache, planfiles
from edupolicy.io.plancache import CACHE_VAR, keep_data, kept_data, kept_file
from edupolicy_jinfeng import plugin

PLAN = Path(plugin.__file__).resolve().parent / "plan.toml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty directory of kept plan data."""
    monkeypatch.setenv(CACHE_VAR, str(tmp_path))
    return tmp_path / "plan-data"


def _kept_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_a_region_plan_file_is_kept_and_read_back_the_same(cache: Path) -> None:
    parsed = planfiles.read_region_plan_file(PLAN)
    kept = kept_file(PLAN.read_text(encoding="utf-8"))
    # The plan file and the three parts it names.
    assert kept is not None
    assert kept in _kept_files(cache)
    assert len(_kept_files(cache)) == 4
    from_kept = planfiles.read_region_plan_file(PLAN)

    assert edupolicy.unstructure(from_kept) == edupolicy.unstructure(parsed)
    assert edupolicy.unstructure(from_kept) == edupolicy.unstructure(planfiles.read_plan_file(PLAN))
    assert json.loads(kept.read_text(encoding="utf-8"))["format"] == 1


def test_a_plan_file_read_by_path_is_not_kept(cache: Path) -> None:
    planfiles.read_plan_file(PLAN)
    assert _kept_files(cache) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: text.replace('"format": 1', '"format": 1, "format": 1', 1),
        lambda text: text.replace('"format": 1', '"format": 2', 1),
        lambda text: '{"format": 1, "sha256": "0", "data": {}}',
        lambda text: text.replace('"data": {', '"data": {"x": NaN, ', 1),
        lambda text: "[]",
        lambda text: "\udcff",
    ],
)
def test_a_kept_file_that_is_not_exactly_one_is_ignored_and_written_again(
    cache: Path, damage: Any
) -> None:
    text = PLAN.read_text(encoding="utf-8")
    expected = edupolicy.unstructure(planfiles.read_region_plan_file(PLAN))
    kept = kept_file(text)
    assert kept is not None
    whole = kept.read_text(encoding="utf-8")
    kept.write_text(damage(whole), encoding="utf-8", errors="surrogateescape")

    assert kept_data(text) is None
    assert edupolicy.unstructure(planfiles.read_region_plan_file(PLAN)) == expected
    assert kept.read_text(encoding="utf-8") == whole


def test_a_kept_file_names_its_own_text_only(cache: Path) -> None:
    keep_data("a = 1\n", {"a": 1})
    assert kept_data("a = 1\n") == {"a": 1}
    assert kept_data("a = 2\n") is None


def test_no_directory_keeps_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_VAR, "")
    keep_data("a = 1\n", {"a": 1})
    assert kept_data("a = 1\n") is None
    assert plancache.cache_dir() is None


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_a_directory_that_cannot_be_written_keeps_nothing_and_costs_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tmp_path.chmod(0o500)
    try:
        monkeypatch.setenv(CACHE_VAR, str(tmp_path / "cache"))
        plan = planfiles.read_region_plan_file(PLAN)
        assert plan.id == "jinfeng-2018-410"
        assert kept_data(PLAN.read_text(encoding="utf-8")) is None
    finally:
        tmp_path.chmod(0o700)


@pytest.mark.slow
def test_a_read_only_directory_of_kept_data_is_read(tmp_path: Path) -> None:
    # As a host that ships a prepared cache on a read-only file system would: a fresh
    # process reads the kept data and writes nothing.
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPOLICY_")}
    env[CACHE_VAR] = str(tmp_path)
    code = "import edupolicy; print(edupolicy.load('jinfeng').plans[0].id)"
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    kept = _kept_files(tmp_path / "plan-data")
    assert first.returncode == 0, first.stderr
    assert len(kept) == 4
    (tmp_path / "plan-data").chmod(0o500)
    try:
        again = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True
        )
    finally:
        (tmp_path / "plan-data").chmod(0o700)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    assert _kept_files(tmp_path / "plan-data") == kept


_SCALARS = (
    st.text()
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.just(dt.UTC))
    | st.times()
)
_DATA = st.dictionaries(
    st.text(),
    st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    ),
    max_size=5,
)


def _has_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, dict):
        return any(_has_nan(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_nan(item) for item in value)
    return False


@pytest.mark.usefixtures("cache")
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_DATA)
def test_data_is_read_back_exactly_or_not_kept(data: dict[str, Any]) -> None:
    # A text always parses to the same data: here, the data's repr stands for its text.
    text = repr(data)
    keep_data(text, data)
    found = kept_data(text)
    if found is None:
        # Only what JSON cannot hold exactly is refused: NaN and the infinities, or a
        # key that starts with the tag of a date.
        assert _has_nan(data) or "inf" in repr(data) or "\\x00" in repr(data)
    else:
        assert found == data
        assert [type(v) for v in found.values()] == [type(v) for v in data.values()]
