"""The application: routes, content negotiation, limits, and the policies it serves.

Every operation of :data:`~edupolicy.server.operations.OPERATIONS` becomes a route.  A
request is answered in four steps: the region (404 if it is not served), the query
parameters (400 if one is unknown, missing or malformed), the body (413 if too large,
400 if not JSON), then the library's answer (422 for an error of the library), computed
in a worker thread so that the event loop is never held up by an evaluation.

The policies are loaded when the application starts (its ASGI lifespan), once per
process; ``/readyz`` answers 200 once they are.  A policy read under other readings
(``?reading=ID=CHOICE``) is made from the loaded one on first use and kept, as is the
audit of each, which takes a while.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import logging
import os
import re
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import IO, Any, Final

import anyio
import attrs
from babel import negotiate_locale as _babel_negotiate
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

import edupolicy
from edupolicy.aid import Student
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import DEFAULT_LOCALE, _, supported_locale
from edupolicy.io import structure
from edupolicy.io.records import NotReadable, json_bytes, read_json
from edupolicy.plugins.registry import Registry, default_registry
from edupolicy.policy import Policy
from edupolicy.policy.questions import QUESTIONS, Asked, Question, question
from edupolicy.server import problems as P
from edupolicy.server.openapi import openapi_document
from edupolicy.server.operations import (
    JSON,
    JSON_LINES,
    Operation,
    QueryError,
    operations,
    read_query,
)
from edupolicy.web import Backend, workbench_routes

__all__ = [
    "ENV_MAX_BODY",
    "ENV_MAX_ROSTER",
    "ENV_REGIONS",
    "Limits",
    "app_from_environ",
    "create_app",
    "negotiate_locale",
]

log = logging.getLogger("edupolicy.server")

#: The regions to serve, separated by commas; empty or unset: every installed region.
ENV_REGIONS: Final = "EDUPOLICY_SERVER_REGIONS"
#: :attr:`Limits.body`, in bytes.
ENV_MAX_BODY: Final = "EDUPOLICY_SERVER_MAX_BODY"
#: :attr:`Limits.roster`, in bytes.
ENV_MAX_ROSTER: Final = "EDUPOLICY_SERVER_MAX_ROSTER"

_MIB: Final = 1024 * 1024
#: How many policies read under other readings are kept, per process.
_VARIANTS: Final = 64
#: No answer kept yet.
_NOTHING: Final = object()


def _positive(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number of bytes, 1 or more")


@attrs.frozen(kw_only=True)
class Limits:
    """The largest requests the service reads, in bytes.

    ``body``: the body of a request that holds one document (a record, a list of
    candidates or awards, figures), and each line of a roster.  ``roster``: the whole
    body of a roster.  A larger request is answered 413.
    """

    body: int = attrs.field(default=_MIB, validator=_positive)
    roster: int = attrs.field(default=64 * _MIB, validator=_positive)


def create_app(
    regions: Iterable[str] | None = None,
    *,
    limits: Limits | None = None,
    registry: Registry | None = None,
    questions: Sequence[Question] | None = None,
) -> Starlette:
    """The ASGI application serving ``regions`` (default: every installed region).

    The policies are loaded when the application starts (its lifespan): a region
    named in ``regions`` that cannot be loaded stops the start; when every installed
    region is served, one that cannot be loaded is logged and left out.  ``registry``
    is where the regions are found (default: the installed plugins).  ``questions``
    are the questions answered, one operation each (default: every question a policy
    answers there: the core's, :data:`~edupolicy.policy.questions.QUESTIONS`, and those
    the installed plugins add).
    """
    if questions is None:
        questions = (registry if registry is not None else default_registry()).questions()
    service = _Service(
        regions=None if regions is None else tuple(regions),
        limits=limits if limits is not None else Limits(),
        registry=registry,
        questions=tuple(questions),
    )
    routes = [
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/readyz", service.readyz, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
        *(
            Route(op.path, service.endpoint(op), methods=[op.method], name=op.id)
            for op in operations(questions)
        ),
        # The policy workbench's pages, at / (edupolicy.web).
        *workbench_routes(
            Backend(
                policies=lambda: service.policies,
                under=service._policy,
                registry=lambda: service.registry or default_registry(),
                negotiate=negotiate_locale,
                questions=service.questions,
                upload_limit=service.limits.roster,
            )
        ),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: service.http_error,
        Exception: service.internal_error,
    }
    return Starlette(routes=routes, exception_handlers=handlers, lifespan=service.lifespan)


def app_from_environ() -> Starlette:
    """The application as the ``EDUPOLICY_SERVER_*`` environment variables describe it.

    This is the factory each uvicorn worker imports by name
    (``edupolicy.server:app_from_environ``, with ``--factory``); ``edupolicy serve``
    sets the variables from its options.
    """
    names = [name.strip() for name in os.environ.get(ENV_REGIONS, "").split(",")]
    regions = [name for name in names if name] or None
    limits = Limits(
        body=_bytes(ENV_MAX_BODY, Limits().body),
        roster=_bytes(ENV_MAX_ROSTER, Limits().roster),
    )
    return create_app(regions, limits=limits)


def _bytes(variable: str, default: int) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{variable} must be a whole number of bytes, 1 or more (got {text!r})")
    return int(text)


def negotiate_locale(header: str | None) -> str:
    """The locale of the answer, from an ``Accept-Language`` header.

    The header's language ranges are ranked by their quality (``q``, read as the HTTP
    standard writes it: ``0`` to ``1`` with at most three decimals; a range with any
    other ``q`` is left out) and Babel's :func:`babel.negotiate_locale` picks the first
    one served: ``zh-CN``, ``zh``, ``zh-Hans`` and the like are Chinese, ``en-*``
    English.  ``*``, or a header naming no language served, is English.  Only the first 32
    ranges are read; no header can make this fail.
    """
    if not header:
        return DEFAULT_LOCALE
    ranked: list[tuple[int, int, str]] = []
    for index, part in enumerate(header.split(",", _MAX_RANGES)[:_MAX_RANGES]):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1000
        for param in params:
            key, _sep, value = param.partition("=")
            if key.strip().lower() == "q":
                weight = _quality(value.strip())
        if tag and weight > 0:
            ranked.append((-weight, index, tag))
    preferred: list[str] = []
    for _weight, _index, tag in sorted(ranked):
        if tag == "*":
            break  # any language: the default, unless one served was preferred to it
        preferred.append(tag)
    found = _babel_negotiate(preferred, _SERVED_TAGS, sep="-")
    return (supported_locale(found) if found else None) or DEFAULT_LOCALE


#: How many language ranges of an ``Accept-Language`` header are read.
_MAX_RANGES: Final = 32
#: The language tags Babel matches a header's ranges against, each naming a locale served.
_SERVED_TAGS: Final = ("en", "zh", "zh-CN", "zh-Hans", "zh-SG")
# A quality value as HTTP writes one (RFC 9110, 12.4.2): 0 to 1, at most three decimals.
_QUALITY: Final = re.compile(r"(?:0(?:\.([0-9]{0,3}))?|1(?:\.0{0,3})?)")


def _quality(text: str) -> int:
    """A quality value in thousandths; 0 (left out) for one HTTP does not allow."""
    match = _QUALITY.fullmatch(text)
    if match is None:
        return 0
    if text.startswith("1"):
        return 1000
    return int((match.group(1) or "").ljust(3, "0"))


def _content_language(locale: str) -> str:
    return locale.replace("_", "-")


def _json_response(payload: object, locale: str, status: int = 200) -> Response:
    return Response(
        json_bytes(payload),
        status_code=status,
        media_type=JSON,
        headers=_language_headers(locale),
    )


def _language_headers(locale: str) -> dict[str, str]:
    return {"Content-Language": _content_language(locale), "Vary": "Accept-Language"}


def _problem_response(
    problem: P.Problem, locale: str, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        problem.body(locale),
        status_code=problem.kind.status,
        media_type=P.PROBLEM_MEDIA_TYPE,
        headers={**_language_headers(locale), **(headers or {})},
    )


def _malformed(error: NotReadable) -> P.Problem:
    return P.Problem(P.MALFORMED_JSON, error.message)


def _too_large(limit: int) -> P.Problem:
    return P.Problem(
        P.TOO_LARGE,
        _("The request is larger than {limit} bytes", limit=str(limit)),
        extra={"limit": limit},
    )


@attrs.define(kw_only=True)
class _Service:
    """The state of one application: the policies it serves, once loaded."""

    regions: tuple[str, ...] | None
    limits: Limits
    registry: Registry | None
    questions: tuple[Question, ...] = QUESTIONS
    policies: dict[str, Policy] = attrs.field(factory=dict)
    ready: bool = False
    _variants: dict[tuple[str, tuple[tuple[str, str], ...]], Policy] = attrs.field(factory=dict)
    #: The answers of questions of the plans alone (the audit), as JSON, by question,
    #: region, readings and language.
    _of_plans: dict[tuple[str, str, tuple[tuple[str, str], ...], str], object] = attrs.field(
        factory=dict
    )
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    _openapi: bytes | None = None

    # --- start and stop ---------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        """Load the policies, then serve; nothing to release at the end."""
        self.policies = await run_in_threadpool(self._load)
        self.ready = True
        log.info("edupolicy: serving %s", ", ".join(self.policies) or "no region")
        try:
            yield
        finally:
            self.ready = False

    def _load(self) -> dict[str, Policy]:
        registry = self.registry if self.registry is not None else default_registry()
        if self.regions is not None:
            loaded: dict[str, Policy] = {}
            for region in self.regions:
                try:
                    loaded[region] = registry.load(region)
                except EdupolicyError as exc:
                    log.error("edupolicy: region %s cannot be served: %s", region, exc.render())
                    raise
            return loaded
        found: dict[str, Policy] = {}
        for info in registry.regions():
            try:
                found[info.id] = registry.load(info.id)
            except EdupolicyError as exc:
                log.warning("edupolicy: region %s is left out: %s", info.id, exc.render())
        return found

    # --- health and the description ---------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        """The process is alive and answers."""
        return _json_response({"status": "ok"}, negotiate_locale(_accept(request)))

    async def readyz(self, request: Request) -> Response:
        """200 once the policies are loaded (with the regions served), else 503."""
        locale = negotiate_locale(_accept(request))
        if not self.ready:
            return _problem_response(self._not_ready(), locale)
        return _json_response({"status": "ready", "regions": sorted(self.policies)}, locale)

    async def openapi(self, request: Request) -> Response:
        """The OpenAPI document of the service."""
        if self._openapi is None:
            document = await run_in_threadpool(
                functools.partial(openapi_document, edupolicy.__version__, self.questions)
            )
            self._openapi = json_bytes(document)
        return Response(self._openapi, media_type=JSON)

    def _not_ready(self) -> P.Problem:
        return P.Problem(P.NOT_READY, _("The policies are not loaded yet"))

    # --- errors outside the operations ------------------------------------------------

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """An address that does not exist, a method it does not take: as a problem."""
        locale = negotiate_locale(_accept(request))
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        kinds = {404: P.NOT_FOUND, 405: P.METHOD_NOT_ALLOWED, 413: P.TOO_LARGE}
        kind = kinds.get(status, P.BAD_PARAMETER if status < 500 else P.INTERNAL)
        detail = _("{method} {path}", method=request.method, path=request.url.path)
        return _problem_response(P.Problem(kind, detail), locale, headers)

    async def internal_error(self, request: Request, exc: Exception) -> Response:
        """A failure of the service itself: logged, and answered without its details."""
        locale = negotiate_locale(_accept(request))
        return _problem_response(self._internal(), locale)

    def _internal(self) -> P.Problem:
        return P.Problem(P.INTERNAL, _("The service failed to answer; the failure is logged"))

    # --- the operations ---------------------------------------------------------------

    def endpoint(self, op: Operation) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint of ``op``: every error it meets answered as a problem."""

        async def answer(request: Request) -> Response:
            locale = negotiate_locale(_accept(request))
            try:
                return await self._answer(op, request, locale)
            except P.Problem as problem:
                return _problem_response(problem, locale)
            except EdupolicyError as exc:
                return _problem_response(P.problem_of(exc, locale), locale)

        answer.__name__ = op.id
        return answer

    async def _answer(self, op: Operation, request: Request, locale: str) -> Response:
        if op.regional and not self.ready:
            raise self._not_ready()
        region: str = request.path_params.get("region", "")
        if op.regional:
            self._base(region)
        try:
            query = read_query(request.query_params.multi_items(), op.params)
        except QueryError as exc:
            raise P.Problem(P.BAD_PARAMETER, _("Invalid argument"), errors=exc.problems) from None
        readings: Mapping[str, str] = query.pop("reading", {})  # type: ignore[assignment]
        if op.id == "roster":
            return self._roster(request, region, readings, query, locale)
        body: object = None
        if op.body is not None:
            body = await self._body(request)
        payload = await run_in_threadpool(self._compute, op, region, readings, query, body, locale)
        return _json_response(payload, locale)

    def _compute(
        self,
        op: Operation,
        region: str,
        readings: Mapping[str, str],
        query: dict[str, Any],
        body: object,
        locale: str,
    ) -> object:
        """The answer to ``op``, as JSON-shaped data (in a worker thread)."""
        if op.id == "regions":
            registry = self.registry if self.registry is not None else default_registry()
            return [info.to_json(locale) for info in registry.regions() if info.id in self.policies]
        policy = self._policy(region, readings)
        if op.id == "readings":
            return [
                {
                    "plan": plan.id,
                    **reading.to_json(locale),
                    "in_force": policy.readings_of(plan)[reading.id],
                }
                for plan in policy.plans
                for reading in plan.readings
            ]
        asked = question(op.id, self.questions)
        subject = asked.subject.check(body, locale=locale) if asked.subject is not None else None
        request = Asked(
            policy=policy,
            base=self._base(region),
            subject=subject,
            params=query,
            locale=locale,
            other=lambda other: self._policy(other, readings),
            readings=readings,
        )
        if not asked.of_the_plans:
            return asked.ask(request)
        # The answer is JSON in the caller's language: kept by language too.
        key = (asked.id, region, tuple(sorted(readings.items())), locale)
        with self._lock:
            found = self._of_plans.get(key, _NOTHING)
        if found is _NOTHING:
            found = asked.ask(request)
            with self._lock:
                if len(self._of_plans) >= _VARIANTS:
                    self._of_plans.clear()
                self._of_plans[key] = found
        return found

    # --- policies ---------------------------------------------------------------------

    def _base(self, region: str) -> Policy:
        policy = self.policies.get(region)
        if policy is None:
            served = sorted(self.policies)
            raise P.Problem(
                P.UNKNOWN_REGION,
                _(
                    "Region {region} is not served here; regions served: {regions}",
                    region=region,
                    regions=", ".join(served) or "-",
                ),
                extra={"available": served},
            )
        return policy

    def _policy(self, region: str, readings: Mapping[str, str]) -> Policy:
        """The region's policy read under ``readings``, made once and kept."""
        base = self._base(region)
        if not readings:
            return base
        key = (region, tuple(sorted(readings.items())))
        with self._lock:
            found = self._variants.get(key)
        if found is not None:
            return found
        made = base.with_readings(readings)
        with self._lock:
            if len(self._variants) >= _VARIANTS:
                self._variants.clear()
            self._variants[key] = made
        return made

    # --- bodies -----------------------------------------------------------------------

    async def _body(self, request: Request) -> object:
        """The JSON document of the body: 413 past :attr:`Limits.body`, 400 if not JSON."""
        limit = self.limits.body
        _check_length(request, limit)
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > limit:
                raise _too_large(limit)
        try:
            return read_json(bytes(data))
        except NotReadable as exc:
            raise _malformed(exc) from None

    def _roster(
        self,
        request: Request,
        region: str,
        readings: Mapping[str, str],
        query: dict[str, Any],
        locale: str,
    ) -> Response:
        """The aid of each line of the body, written as each batch of lines arrives."""
        _check_length(request, self.limits.roster)
        policy = self._policy(region, readings)
        # The plan in force is found before anything is streamed: a date outside every
        # plan is one problem, not one per line.
        policy.plan_on(query["on"], locale=locale)
        roster = _Roster(
            policy=policy,
            on=query["on"],
            explain=query.get("explain", False),
            locale=locale,
            limits=self.limits,
            internal=self._internal(),
        )
        return _LinesResponse(
            roster, request, self.limits.roster, headers=_language_headers(locale)
        )


def _accept(request: Request) -> str | None:
    return request.headers.get("accept-language")


def _check_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _too_large(limit)


def _student(data: object, locale: str) -> Student | Mapping[str, Any]:
    # Not a mapping: ``structure`` says so ("must be a JSON object").
    return data if isinstance(data, Mapping) else structure(data, Student, locale=locale)


@attrs.frozen(kw_only=True)
class _Roster:
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
            yield self._problem(number + 1, _too_large(self.limits.roster))
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
            return self._problem_json(number, _too_large(self.limits.body))
        if not raw.strip():
            return None
        try:
            data = read_json(raw)
        except NotReadable as exc:
            return self._problem_json(number, _malformed(exc))
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
SPOOL_MEMORY: Final = _MIB
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


class _LinesResponse(Response):
    """A response of JSON Lines, sent as they are made from a body read meanwhile.

    Starlette's ``StreamingResponse`` listens for the client's disconnection on the
    same channel the request body arrives on, which would take the roster from under
    the lines being computed; this response reads the body itself (:class:`_Spool`),
    in a task beside the one that writes the answer.
    """

    media_type = JSON_LINES

    def __init__(
        self, roster: _Roster, request: Request, limit: int, *, headers: Mapping[str, str]
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
