"""What the plan files of an installed region parse to, kept between processes.

Parsing TOML is the largest part of loading a region.  The data a plan file's text
parses to is a function of the text alone, so it is kept in a file named by the text's
SHA-256 hash (with the format of the file and the version of Python, whose TOML reader
parsed it): the next process that reads the same text reads the data from JSON, about
ten times faster, and hands it to the converter, which checks it field by field exactly
as it checks the TOML's.  A changed file has another hash, and is parsed afresh.

The kept data is JSON, never pickle: reading it executes nothing.  It is read strictly
— one JSON object of the expected shape, the hash it names its own, no duplicate key,
no ``NaN`` or ``Infinity`` — and anything else (a truncated or edited file) is ignored
and written again.  TOML's dates and times are kept as one-member objects tagged with a
key that starts with a NUL character; text whose data has such a key, or a float JSON
cannot write, is not kept.

The files live in ``$EDUPOLICY_CACHE_DIR`` when it is set (an empty value keeps
nothing), else in the user's cache directory (``$XDG_CACHE_HOME/edupolicy``, or
``~/.cache/edupolicy``; ``%LOCALAPPDATA%\\edupolicy\\Cache`` on Windows,
``~/Library/Caches/edupolicy`` on macOS).  A directory that cannot be written (a
read-only home, a sandbox) keeps nothing and costs nothing: every file is then parsed,
as before.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CACHE_VAR", "cache_dir", "cache_root", "keep_data", "kept_data", "write_whole"]

#: The environment variable that names the directory of kept plan data ("" for none).
CACHE_VAR = "EDUPOLICY_CACHE_DIR"

#: The format of a kept file: a change to it is a new name for every file.
_FORMAT = 1
_TAG = "\x00"
_TYPES: dict[str, Callable[[str], object]] = {
    f"{_TAG}date": _dt.date.fromisoformat,
    f"{_TAG}datetime": _dt.datetime.fromisoformat,
    f"{_TAG}time": _dt.time.fromisoformat,
}


class _NotKept(Exception):
    """Data that the kept format cannot hold exactly, or a kept file that is not one."""


def cache_root() -> Path | None:
    """The directory of what edupolicy keeps between processes, or ``None`` for nothing."""
    given = os.environ.get(CACHE_VAR)
    if given is not None:
        return Path(given) if given else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "edupolicy", "Cache") if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "edupolicy"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "edupolicy")


def cache_dir() -> Path | None:
    """The directory of kept plan data, or ``None`` when nothing is to be kept."""
    root = cache_root()
    return None if root is None else root / "plan-data"


def _digest(text: str) -> str:
    version = f"{_FORMAT}:{sys.version_info[0]}.{sys.version_info[1]}:"
    return hashlib.sha256((version + text).encode("utf-8", "surrogatepass")).hexdigest()


def kept_file(text: str) -> Path | None:
    """The file that keeps what ``text`` parses to, or ``None`` when nothing is kept."""
    folder = cache_dir()
    return None if folder is None else folder / f"{_digest(text)}.json"


def kept_data(text: str) -> dict[str, Any] | None:
    """The data ``text`` parses to, as kept by :func:`keep_data`; ``None`` if not kept."""
    path = kept_file(text)
    if path is None:
        return None
    digest = path.stem
    try:
        raw = path.read_text(encoding="utf-8")
        found = json.loads(raw, object_pairs_hook=_pairs, parse_constant=_constant)
    except (OSError, UnicodeDecodeError, ValueError, _NotKept, RecursionError):
        return None
    if (
        type(found) is not dict
        or found.keys() != {"format", "sha256", "data"}
        or found["format"] != _FORMAT
        or found["sha256"] != digest
        or type(found["data"]) is not dict
    ):
        return None
    data: dict[str, Any] = found["data"]
    return data


def keep_data(text: str, data: dict[str, Any]) -> None:
    """Keep ``data``, what ``text`` parses to, for :func:`kept_data`; silently nothing
    when it cannot be kept exactly or the directory cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    digest = _digest(text)
    try:
        payload = json.dumps(
            {"format": _FORMAT, "sha256": digest, "data": _tagged(data)},
            ensure_ascii=False,
            allow_nan=False,
        )
        write_whole(folder / f"{digest}.json", payload)
    except (OSError, ValueError, _NotKept, RecursionError):
        return


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` as the whole of ``path`` (UTF-8), making its folder: written beside
    its name and renamed, so that a reader sees the whole file or none.  An
    :class:`OSError` is the caller's to handle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _tagged(value: object) -> object:
    """``value`` (parsed TOML) with its dates and times as tagged objects."""
    if type(value) is dict:
        if any(key.startswith(_TAG) for key in value):
            raise _NotKept
        return {key: _tagged(item) for key, item in value.items()}
    if type(value) is list:
        return [_tagged(item) for item in value]
    if type(value) is float and not math.isfinite(value):
        raise _NotKept
    if type(value) in (str, int, float, bool):
        return value
    for kind in (_dt.datetime, _dt.date, _dt.time):
        if type(value) is kind:
            return {f"{_TAG}{kind.__name__}": value.isoformat()}
    raise _NotKept


def _pairs(pairs: list[tuple[str, Any]]) -> object:
    """An object of a kept file: its tagged date or time, or the dict (no key twice)."""
    if len(pairs) == 1 and pairs[0][0].startswith(_TAG):
        tag, text = pairs[0]
        read = _TYPES.get(tag)
        if read is None or type(text) is not str:
            raise _NotKept
        return read(text)
    found = dict(pairs)
    if len(found) != len(pairs) or any(key.startswith(_TAG) for key in found):
        raise _NotKept
    return found


def _constant(name: str) -> object:
    raise _NotKept
