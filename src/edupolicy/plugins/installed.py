"""The entry points of the installed plugins, kept between processes.

Finding the installed plugins with :mod:`importlib.metadata` imports it (and the e-mail
parser it reads ``METADATA`` with) and reads the metadata of every installed
distribution: a large part of a process's start.  What it finds is a function of the
distributions on :data:`sys.path`, so it is kept, as JSON, under a name made from what
installing, upgrading or removing a distribution changes: each :data:`sys.path` entry,
the names of the ``*.dist-info`` and ``*.egg-info`` directories in it, and the time of
change, size and inode of each one's ``entry_points.txt`` and, where it has one, of
its metadata file (a zip file on the path by its own time of change and size).  The next
process whose path shows the same reads the entry points from the kept file; any change
is a new name, and :mod:`importlib.metadata` is asked again.  Where a finder on
:data:`sys.meta_path` other than Python's own path finder (or the ``importlib_metadata``
backport's, which reads the same directories) can report distributions, nothing is
kept.  The files live beside the kept plan data (:mod:`edupolicy.io.plancache`:
``$EDUPOLICY_CACHE_DIR``, empty for none, or the user's cache directory).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import re
import sys
from importlib.machinery import PathFinder
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from edupolicy.io.plancache import cache_root, write_whole

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["InstalledEntryPoint", "installed_entry_points", "origin_of"]

#: The format of a kept file: a change to it is a new name for every file.
_FORMAT = 1

#: What :meth:`importlib.metadata.EntryPoint.load` reads from an entry point's value.
_PATTERN = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@attrs.frozen(kw_only=True)
class InstalledEntryPoint:
    """An entry point of an installed distribution, as kept between processes: what
    :class:`importlib.metadata.EntryPoint` gives, with its distribution's name and version."""

    name: str
    value: str
    group: str
    distribution: str
    version: str

    def load(self) -> Any:
        """The object the entry point names, imported as
        :meth:`importlib.metadata.EntryPoint.load` imports it."""
        match = _PATTERN.match(self.value)
        if match is None:
            raise ValueError(f"{self.value!r} is not an entry point's value")
        module = importlib.import_module(match.group("module"))
        names = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, names, module)


def origin_of(ep: EntryPoint | InstalledEntryPoint) -> tuple[str, str]:
    """The name and version of the distribution that installs ``ep``."""
    if isinstance(ep, InstalledEntryPoint):
        return ep.distribution, ep.version
    dist = ep.dist
    if dist is None:
        return "(unknown distribution)", "(unknown version)"
    # ``dist.name`` and ``dist.version`` would each parse the metadata file again.
    metadata = dist.metadata
    return metadata["Name"], metadata["Version"]


def installed_entry_points(group: str) -> list[InstalledEntryPoint]:
    """The entry points of ``group`` of the distributions installed on :data:`sys.path`."""
    folder = cache_root()
    before = _fingerprint() if folder is not None else None
    if folder is None or before is None:
        return _scan(group)
    key = json.dumps([_FORMAT, group, before], ensure_ascii=False)
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    path = folder / "entry-points" / f"{digest}.json"
    kept = _kept(path, key)
    if kept is not None:
        return kept
    found = _scan(group)
    if _fingerprint() == before:  # nothing was installed or removed meanwhile
        _keep(path, key, found)
    return found


def _scan(group: str) -> list[InstalledEntryPoint]:
    # Imported only here, when nothing is kept: not importing it is what keeping saves.
    from importlib.metadata import entry_points

    found = []
    for ep in entry_points(group=group):
        distribution, version = origin_of(ep)
        found.append(
            InstalledEntryPoint(
                name=ep.name,
                value=ep.value,
                group=ep.group,
                distribution=distribution,
                version=version,
            )
        )
    return found


def _fingerprint() -> list[Any] | None:
    """What installing or removing a distribution changes on :data:`sys.path`; ``None``
    when a finder other than the path finder may report distributions."""
    for finder in sys.meta_path:
        if hasattr(finder, "find_distributions") and not _path_finder(finder):
            return None
    found: list[Any] = []
    entries: list[object] = list(sys.path)
    for entry in entries:
        if not isinstance(entry, str):
            return None  # the path finder's own business
        root = entry or "."
        try:
            names = os.listdir(root)
        except NotADirectoryError:
            try:
                stat = os.stat(root)
            except OSError:
                found.append([entry])
                continue
            found.append([entry, stat.st_mtime_ns, stat.st_size])
            continue
        except OSError:
            found.append([entry])
            continue
        egg = root.endswith(".egg")
        dists = []
        for name in sorted(names):
            low = name.lower()
            if not (low.endswith((".dist-info", ".egg-info")) or (egg and low == "egg-info")):
                continue
            dists.append([name, *_stamp(root, name)])
        found.append([entry, dists])
    return found


def _path_finder(finder: object) -> bool:
    """Whether ``finder`` reports the distributions on :data:`sys.path` only: Python's
    path finder, or the one the ``importlib_metadata`` backport adds when imported."""
    kind = type(finder)
    return finder is PathFinder or (
        kind.__module__ == "importlib_metadata" and kind.__qualname__ == "MetadataPathFinder"
    )


def _stamp(root: str, name: str) -> list[object]:
    """The time of change, size and inode of a distribution's entry points and, where
    it has them, of its metadata file."""
    stamp: list[object] = []
    for file in ("entry_points.txt", "METADATA", "PKG-INFO"):
        try:
            stat = os.stat(os.path.join(root, name, file))
        except OSError:
            if not stamp:
                return [None]  # no entry points: its metadata does not matter
            stamp.append(None)
            continue
        stamp.append([stat.st_mtime_ns, stat.st_size, stat.st_ino])
    return stamp


def _kept(path: Path, key: str) -> list[InstalledEntryPoint] | None:
    try:
        with open(path, encoding="utf-8") as file:
            found = json.load(file)
        if type(found) is not dict or found.get("key") != key:
            return None
        return [
            InstalledEntryPoint(
                name=_text(item["name"]),
                value=_text(item["value"]),
                group=_text(item["group"]),
                distribution=_text(item["distribution"]),
                version=_text(item["version"]),
            )
            for item in found["entry_points"]
        ]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        return None


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError(value)
    return value


def _keep(path: Path, key: str, found: list[InstalledEntryPoint]) -> None:
    payload = json.dumps(
        {"key": key, "entry_points": [attrs.asdict(ep) for ep in found]}, ensure_ascii=False
    )
    try:
        write_whole(path, payload)
    except OSError:
        return
