"""Running the command line in-process, for the CLI tests."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import attrs

from edupolicy.cli import main


@attrs.frozen
class Run:
    """What one run of the command line did."""

    status: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run(*argv: str, stdin: str = "") -> Run:
    """Run ``edupolicy ARGV``; a traceback in its output fails the test."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    result = Run(status, out.getvalue(), err.getvalue())
    assert "Traceback" not in result.out
    assert "Traceback" not in result.err
    return result


def write(path: Path, data: object) -> str:
    """Write ``data`` as JSON to ``path``; the file's name, as a user would type it."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path.name
