"""Write the JSON Schemas that edupolicy publishes, from the model as it is now.

``python tools/schemas.py update``
    Write ``src/edupolicy/schemas/NAME.schema.json`` for each schema of
    :data:`edupolicy.io.SCHEMA_NAMES`, and remove any other ``*.schema.json`` there.
``python tools/schemas.py check``
    Fail when a published file differs from what the generator writes now, or is
    missing, or has no schema.  ``tests/test_schemas.py`` runs the same check.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import _command

from edupolicy.io import SCHEMA_NAMES, json_schema

ROOT = Path(__file__).resolve().parent.parent
#: Where the schemas are published, inside the package (the wheel ships them).
FOLDER = ROOT / "src" / "edupolicy" / "schemas"


def text(name: str) -> str:
    """The published text of schema ``name``: indented JSON, non-ASCII text as is."""
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"


def path(name: str) -> Path:
    """The file schema ``name`` is published in."""
    return FOLDER / f"{name}.schema.json"


def update() -> None:
    """Write every schema; remove the files of schemas that no longer exist."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name in SCHEMA_NAMES:
        path(name).write_text(text(name), encoding="utf-8")
    for stale in set(FOLDER.glob("*.schema.json")) - {path(name) for name in SCHEMA_NAMES}:
        stale.unlink()
    print(f"{len(SCHEMA_NAMES)} schemas written")


def problems() -> Iterator[str]:
    """Each published file that is missing, out of date, or of no schema."""
    for name in SCHEMA_NAMES:
        where = path(name).relative_to(ROOT)
        if not path(name).exists():
            yield f"{where}: missing; run `python tools/schemas.py update`"
        elif path(name).read_text(encoding="utf-8") != text(name):
            yield f"{where}: out of date with the model; run `python tools/schemas.py update`"
    for stale in sorted(set(FOLDER.glob("*.schema.json")) - {path(n) for n in SCHEMA_NAMES}):
        yield f"{stale.relative_to(ROOT)}: no schema has this name"


def main(argv: list[str]) -> int:
    """Run ``update`` or ``check``."""
    return _command.run(argv, update=update, problems=problems, what="schema", usage=__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
