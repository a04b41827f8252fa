"""``edupolicy serve`` without the ``server`` extra: our error, not an ImportError.

These tests run whether the extra is installed or not (the service's own tests, in
``test_server.py``, need it); the extra's absence is simulated.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import sys
from typing import Any

import pytest

from edupolicy.cli._io import Context
from edupolicy.cli._options import Options, Parser
from edupolicy.cli.serve import add_serve_command
from edupolicy.errors import EdupolicyError


def _without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name in ("starlette", "uvicorn") else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    for name in ("starlette", "uvicorn"):
        monkeypatch.setitem(sys.modules, name, None)
    for name in [
        n for n in sys.modules if n == "edupolicy.server" or n.startswith("edupolicy.server.")
    ]:
        monkeypatch.delitem(sys.modules, name)


def test_serve_says_the_server_extra_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_the_extra(monkeypatch)
    parser = Parser(prog="edupolicy", locale="en")
    add_serve_command(parser.add_subparsers(dest="command", required=True), Options("en"))
    args = parser.parse_args(["serve", "--region", "jinfeng"])
    ctx = Context(locale="en", out=io.StringIO(), err=io.StringIO(), stdin=io.StringIO())
    with pytest.raises(EdupolicyError) as caught:
        args.func(args, ctx)
    text = caught.value.render("en")
    assert "server extra" in text
    assert "pip install 'edupolicy[server]'" in text
    assert "starlette, uvicorn" in text


def test_importing_the_server_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_the_extra(monkeypatch)
    with pytest.raises(ImportError, match=r"pip install 'edupolicy\[server\]'"):
        importlib.import_module("edupolicy.server")


@pytest.mark.parametrize("argv", [["--workers", "0"], ["--port", "http"], ["--max-body", "-1"]])
def test_serve_refuses_bad_numbers(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    parser = Parser(prog="edupolicy", locale="en")
    add_serve_command(parser.add_subparsers(dest="command", required=True), Options("en"))
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["serve", *argv])
    assert caught.value.code == 2
    assert "must be a whole number" in capsys.readouterr().err
