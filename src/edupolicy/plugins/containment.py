"""Containment: plugin code runs, and whatever it raises or prints stays out of the host.

Plugin code runs inside :func:`contained`.  Anything it raises but Ctrl-C comes out
as :class:`Contained`, an ``Exception`` that the caller reports by plugin name
(``SystemExit`` included), and what it writes to ``sys.stdout`` or ``sys.stderr`` is
kept for the report instead of reaching the host's output.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

from edupolicy.errors import EdupolicyError
from edupolicy.plugins.hooks import MalformedResult

__all__ = ["Contained", "contained", "describe_exception"]


class Contained(Exception):
    """What a plugin raised, ``SystemExit`` and other non-``Exception`` errors included."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(describe_exception(error))
        self.error = error


def describe_exception(exc: BaseException) -> str:
    """``ExceptionType: message`` — what a plugin raised, for a report."""
    return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def contained() -> Iterator[io.StringIO]:
    """Run plugin code: what it writes is kept in the buffer yielded, and anything it
    raises but Ctrl-C is re-raised as :class:`Contained` (an ``Exception``)."""
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            yield captured
    except (KeyboardInterrupt, MalformedResult, EdupolicyError):
        raise
    except BaseException as exc:
        raise Contained(exc) from exc
