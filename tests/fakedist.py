"""Fake installed distributions, for testing plugin discovery through real entry points.

A fake distribution is what ``pip install`` leaves in ``site-packages``: a package
directory and a ``NAME-VERSION.dist-info/`` directory whose ``METADATA`` names the
distribution and whose ``entry_points.txt`` registers the package under the group
``edupolicy``.  :func:`install` writes one into a directory (a test's ``tmp_path``);
with that directory on ``sys.path``, :func:`entry_points` finds its entry points
exactly as :mod:`importlib.metadata` finds those of installed plugins.

Every package gets a module name of its own (:func:`unique_module`): modules stay in
``sys.modules`` after a test, so two tests must never import the same name.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Mapping
from importlib.metadata import EntryPoint, distributions
from pathlib import Path

import attrs

from tests.planfiles import plan_text

__all__ = [
    "GROUP",
    "FakePlugin",
    "entry_points",
    "install",
    "plan_toml",
    "plugin_source",
    "region_spec",
    "unique_module",
]

#: The entry-point group edupolicy discovers plugins in.
GROUP = "edupolicy"

_counter = itertools.count(1)


def unique_module(prefix: str = "fake_region") -> str:
    """A module name no other test of this process uses."""
    return f"{prefix}_{next(_counter)}"


@attrs.frozen(kw_only=True)
class FakePlugin:
    """A fake distribution installed by :func:`install`."""

    #: The distribution's name, as ``METADATA`` states it.
    distribution: str
    version: str
    #: The entry point's name (what ``EDUPOLICY_PLUGINS`` lists) and the module it names.
    entry_point: str
    module: str
    #: The package directory.
    package: Path


def install(
    root: Path,
    source: str,
    *,
    entry_point: str | None = None,
    distribution: str | None = None,
    version: str = "1.0.0",
    files: Mapping[str, str] | None = None,
) -> FakePlugin:
    """Install a fake plugin distribution into ``root``.

    :param source: the text of the plugin package's ``__init__.py``.
    :param entry_point: the entry point's name (default: the module's name).
    :param distribution: the distribution's name (default: derived from the module's name).
    :param files: more files of the package, by name (plan files, for instance).
    """
    module = unique_module()
    package = root / module
    package.mkdir()
    (package / "__init__.py").write_text(source, encoding="utf-8")
    for name, text in (files or {}).items():
        (package / name).write_text(text, encoding="utf-8")

    dist_name = distribution or f"edupolicy-{module.replace('_', '-')}"
    ep_name = entry_point or module
    dist_info = root / f"{re.sub(r'[-_.]+', '_', dist_name)}-{version}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: {version}\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(
        f"[{GROUP}]\n{ep_name} = {module}\n", encoding="utf-8"
    )
    return FakePlugin(
        distribution=dist_name,
        version=version,
        entry_point=ep_name,
        module=module,
        package=package,
    )


def entry_points(root: Path) -> list[EntryPoint]:
    """The ``edupolicy`` entry points of the distributions installed in ``root``."""
    return [
        ep
        for dist in distributions(path=[str(root)])
        for ep in dist.entry_points
        if ep.group == GROUP
    ]


def region_spec(region_id: str, *, plan_file: str = "plan.toml") -> str:
    """Python source of a ``RegionSpec`` read from ``plan_file`` beside the plugin module."""
    return (
        f"RegionSpec.from_files(id={region_id!r}, "
        f'name=Text(zh_CN="测试区 {region_id}", en="Test district {region_id}"), '
        f"plan_files=[HERE / {plan_file!r}])"
    )


def plugin_source(
    regions: str | None = None,
    *,
    api_version: str | None = "1.0",
    preamble: str = "",
) -> str:
    """The source of a plugin module.

    :param regions: a Python expression, what ``edupolicy_regions`` returns
        (default: one region, ``demo``, read from ``plan.toml``).
    :param api_version: what ``edupolicy_plugin_api_version`` returns; ``None``: the
        plugin does not implement that hook.
    :param preamble: module-level code run at import, after the imports.
    """
    returned = regions if regions is not None else f"[{region_spec('demo')}]"
    version_hook = (
        ""
        if api_version is None
        else textwrap.dedent(
            f"""
            @impl
            def edupolicy_plugin_api_version() -> str:
                return {api_version!r}
            """
        )
    )
    return (
        textwrap.dedent(
            """\
            from __future__ import annotations

            from pathlib import Path

            from edupolicy import load_plan
            from edupolicy.i18n import Text
            from edupolicy.plugins import RegionSpec, impl

            HERE = Path(__file__).parent
            """
        )
        + textwrap.dedent(preamble)
        + version_hook
        + textwrap.dedent(
            f"""
            @impl
            def edupolicy_regions():
                return {returned}
            """
        )
    )


def plan_toml(
    *,
    plan_id: str = "demo-2019",
    start: str = "2019-01-01",
    end: str = "2020-12-31",
    amount: str = '"300.00"',
) -> str:
    """A small plan file: one cash rule for every primary-school pupil.

    ``amount`` is TOML (``'"300.00"'`` is a string of yuan, ``"300.5"`` a float).
    """
    body = f"""
[[aid.rules]]
id = "primary-grant"
name.zh_CN = "小学生资助金"
name.en = "Primary-school grant"
benefit = {{ kind = "cash", amount = {amount}, frequency = "per_year" }}
when = {{ stage = ["primary"] }}
[aid.rules.source]
section = "一"
quote = "小学生每生每年发放资助金300元"
"""
    return plan_text(body, plan_id=plan_id, start=start, end=end)
