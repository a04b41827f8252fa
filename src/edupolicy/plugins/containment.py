"""Containment: plugin code runs, and whatever it raises or prints stays out of the host.

Plugin code runs inside :func:`contained`.  Anything it raises but Ctrl-C comes out
as :class:`Contained`, an ``Exception`` that the caller reports by plugin name
(``SystemExit`` included), and what it writes to ``sys.stdout`` or ``sys.stderr`` is
kept for the report instead of reaching the host's output.

Only the writes of the code being contained are kept.  While any plugin code runs,
``sys.stdout`` and ``sys.stderr`` are each a :class:`_Stream` that sends a write to the
buffer of the context it is made in (a :class:`~contextvars.ContextVar`, so each thread
and each task has its own) and every other write to the stream it stands in for.  A
plugin imported lazily by one thread of a server therefore never takes what another
thread prints at the same moment.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Literal, TextIO, cast

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
    token = _kept.set(captured)
    _streams.enter()
    try:
        yield captured
    except (KeyboardInterrupt, MalformedResult, EdupolicyError):
        raise
    except BaseException as exc:
        raise Contained(exc) from exc
    finally:
        _streams.leave()
        _kept.reset(token)


#: Where plugin code running in this context writes: its buffer, or ``None`` outside
#: plugin code.
_kept: contextvars.ContextVar[io.StringIO | None] = contextvars.ContextVar(
    "edupolicy_plugin_output", default=None
)


class _Stream:
    """Stands in for ``sys.stdout`` or ``sys.stderr``: plugin code running in this
    context writes to its buffer, everything else to the stream stood in for."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def _target(self) -> TextIO | None:
        kept = _kept.get()
        return self.stream if kept is None else kept

    def write(self, text: str) -> int:
        target = self._target()
        # Like print() when the interpreter has no such stream: the text goes nowhere.
        return len(text) if target is None else target.write(text)

    def writelines(self, lines: Iterable[str]) -> None:
        target = self._target()
        if target is not None:
            target.writelines(lines)

    def flush(self) -> None:
        target = self._target()
        if target is not None:
            target.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


class _Streams:
    """Puts a :class:`_Stream` in place of ``sys.stdout`` and ``sys.stderr`` while any
    plugin code runs, and the streams stood in for back when none does."""

    _NAMES: tuple[Literal["stdout", "stderr"], ...] = ("stdout", "stderr")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0

    def enter(self) -> None:
        with self._lock:
            self._running += 1
            for name in self._NAMES:
                current = getattr(sys, name)
                if not isinstance(current, _Stream):
                    # A stand-in for the typed stream: it writes where the stream does.
                    setattr(sys, name, cast("TextIO", _Stream(current)))

    def leave(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running:
                return
            for name in self._NAMES:
                current = getattr(sys, name)
                # A host that has since put a stream of its own in place keeps it.
                if isinstance(current, _Stream):
                    setattr(sys, name, current.stream)


_streams = _Streams()
