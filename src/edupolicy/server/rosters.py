"""A roster streamed: JSON Lines in, one result or problem per line out, each batch of
lines answered as it arrives, the body read meanwhile into a buffer of its own."""

from __future__ import annotations

import datetime as _dt
import logging
import tempfile
from collections.abc import AsyncIterator, Mapping
from typing import IO, Any, Final

import anyio
import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from edupolicy.aid import Student
from edupolicy.errors import EdupolicyError
from edupolicy.io import structure
from edupolicy.io.records import NotReadable, json_bytes, read_json
from edupolicy.policy import Policy
from edupolicy.server import problems as P
from edupolicy.server.limits import MIB, Limits
from edupolicy.server.operations import JSON_LINES
from edupolicy.server.responses import malformed, too_large

__all__ = ["SPOOL_MEMORY", "LinesResponse", "Roster"]

log = logging.getLogger("edupolicy.server")


def _student(data: object, locale: str) -> Student | Mapping[str, Any]:
    # Not a mapping: ``structure`` says so ("must be a JSON object").
    return data if isinstance(data, Mapping) else structure(data, Student, locale=locale)


@attrs.frozen(kw_only=True)
class Roster:
    """Evaluating a roster line by line: a result, or a problem naming the line."""

    policy: Policy
    on: _dt.date
    explain: bool
    locale: str
    limits: Limits
    internal: P.Problem

    async def lines(self, body: _Spool) -> AsyncIterator[bytes]:
        """The output, a batch of lines for each part of the body read."""
        pending = bytearray()
        number = 0
        overlong = False
        async for chunk in body.chunks():
            pending += chunk
            batch: list[tuple[int, bytes | None]] = []
            while (end := pending.find(b"\n")) >= 0:
                number += 1
                too_long = overlong or end > self.limits.body
                batch.append((number, None if too_long else bytes(pending[:end])))
                overlong = False
                del pending[: end + 1]
            if len(pending) > self.limits.body:
                overlong = True  # the rest of this line is dropped as it comes
                pending.clear()
            if batch:
                yield await run_in_threadpool(self._evaluate, batch)
        if body.over:
            yield self._problem(number + 1, too_large(self.limits.roster))
            return
        if body.failed:
            yield self._problem(number + 1, self.internal)
            return
        if pending.strip() or overlong:
            too_long = overlong or len(pending) > self.limits.body
            yield await run_in_threadpool(
                self._evaluate, [(number + 1, None if too_long else bytes(pending))]
            )

    def _evaluate(self, batch: list[tuple[int, bytes | None]]) -> bytes:
        out = bytearray()
        for number, raw in batch:
            line = self._line(number, raw)
            if line is not None:
                out += json_bytes(line) + b"\n"
        return bytes(out)

    def _line(self, number: int, raw: bytes | None) -> dict[str, Any] | None:
        if raw is None:
            return self._problem_json(number, too_large(self.limits.body))
        if not raw.strip():
            return None
        try:
            data = read_json(raw)
        except NotReadable as exc:
            return self._problem_json(number, malformed(exc))
        try:
            record = _student(data, self.locale)
            result = self.policy.aid(record, self.on, explain=self.explain, locale=self.locale)
            return result.to_json(self.locale)
        except EdupolicyError as exc:
            return self._problem_json(number, P.problem_of(exc, self.locale))
        except Exception:
            log.exception("edupolicy: line %d of a roster failed", number)
            return self._problem_json(number, self.internal)

    def _problem_json(self, number: int, problem: P.Problem) -> dict[str, Any]:
        return {**problem.to_json(self.locale), "line": number}

    def _problem(self, number: int, problem: P.Problem) -> bytes:
        return json_bytes(self._problem_json(number, problem)) + b"\n"


#: How much of a roster's body is kept in memory; the rest waits in a temporary file.
SPOOL_MEMORY: Final = MIB
#: How much of the body is handed on at a time.
_READ_SIZE: Final = 256 * 1024


class _Spool:
    """A roster's body, read as fast as it arrives, whether or not its answer is read.

    A client that sends the whole body before it reads the answer (most HTTP clients
    do) would otherwise wait for the server to read, while the server waits for the
    client to read the lines already answered.  So the body is read into this buffer
    by a task of its own, up to :attr:`Limits.roster` bytes: the first
    :data:`SPOOL_MEMORY` in memory, the rest in a temporary file.  The lines are
    evaluated as they arrive, so a client that reads as it sends still gets each
    answer at once.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # Closed by close(), when the answer is sent.
        self.file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115
        self.written = 0
        self.taken = 0
        #: Whether the whole body is in (or the client is gone).
        self.done = False
        #: Whether the body is larger than :attr:`limit` (what is past it is not read).
        self.over = False
        #: Whether the body could not be kept (what came after is not read).
        self.failed = False
        self._more = anyio.Event()

    async def fill(self, request: Request) -> None:
        """Read the body of ``request`` into the buffer."""
        try:
            async for chunk in request.stream():
                if self.written + len(chunk) > self.limit:
                    self.over = True
                    break
                if chunk:
                    self.file.seek(self.written)
                    self.file.write(chunk)
                    self.written += len(chunk)
                    self._more.set()
        except ClientDisconnect:
            pass
        except OSError:  # the temporary file cannot be written (a full disk)
            log.exception("edupolicy: a roster's body could not be kept")
            self.failed = True
        finally:
            self.done = True
            self._more.set()

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it is read, in parts of at most :data:`_READ_SIZE` bytes."""
        while True:
            while self.taken == self.written and not self.done:
                await self._more.wait()
                self._more = anyio.Event()
            if self.taken == self.written:
                return
            self.file.seek(self.taken)
            data = self.file.read(min(self.written - self.taken, _READ_SIZE))
            self.taken += len(data)
            yield data

    def close(self) -> None:
        """Drop what is kept (the temporary file included)."""
        self.file.close()


class LinesResponse(Response):
    """A response of JSON Lines, sent as they are made from a body read meanwhile.

    Starlette's ``StreamingResponse`` listens for the client's disconnection on the
    same channel the request body arrives on, which would take the roster from under
    the lines being computed; this response reads the body itself (:class:`_Spool`),
    in a task beside the one that writes the answer.
    """

    media_type = JSON_LINES

    def __init__(
        self, roster: Roster, request: Request, limit: int, *, headers: Mapping[str, str]
    ) -> None:
        self.roster = roster
        self.request = request
        self.limit = limit
        self.status_code = 200
        self.background = None
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = _Spool(self.limit)
        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(body.fill, self.request)
                await self._send(body, send)
                tasks.cancel_scope.cancel()
        finally:
            body.close()

    async def _send(self, body: _Spool, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        try:
            async for chunk in self.roster.lines(body):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (ClientDisconnect, OSError):
            return  # the client went away: nobody to answer
        await send({"type": "http.response.body", "body": b"", "more_body": False})
