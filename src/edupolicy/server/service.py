"""The state of one application: the policies it serves, once loaded, and the endpoint
of each operation.

A request is answered in four steps: the region (404 if it is not served), the query
parameters (400 if one is unknown, missing or malformed), the body (413 if too large,
400 if not JSON), then the library's answer (422 for an error of the library), computed
in a worker thread so that the event loop is never held up by an evaluation.  A policy
read under other readings (``?reading=ID=CHOICE``) is made from the loaded one on first
use and kept, as is the audit of each, which takes a while.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Final

import attrs
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

import edupolicy
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _
from edupolicy.io.records import NotReadable, json_bytes, read_json
from edupolicy.plugins.registry import Registry, default_registry
from edupolicy.policy import Policy
from edupolicy.policy.questions import QUESTIONS, Asked, Question, question
from edupolicy.server import problems as P
from edupolicy.server.languages import accept_language, language_headers, negotiate_locale
from edupolicy.server.limits import Limits
from edupolicy.server.openapi import openapi_document
from edupolicy.server.operations import JSON, Operation, QueryError, read_query
from edupolicy.server.responses import (
    check_length,
    json_response,
    malformed,
    problem_response,
    too_large,
)
from edupolicy.server.rosters import LinesResponse, Roster

__all__ = ["Service"]

log = logging.getLogger("edupolicy.server")

#: How many policies read under other readings are kept, per process.
_VARIANTS: Final = 64
#: No answer kept yet.
_NOTHING: Final = object()


@attrs.define(kw_only=True)
class Service:
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
        return json_response({"status": "ok"}, negotiate_locale(accept_language(request)))

    async def readyz(self, request: Request) -> Response:
        """200 once the policies are loaded (with the regions served), else 503."""
        locale = negotiate_locale(accept_language(request))
        if not self.ready:
            return problem_response(self._not_ready(), locale)
        return json_response({"status": "ready", "regions": sorted(self.policies)}, locale)

    async def openapi(self, request: Request) -> Response:
        """The OpenAPI document of the service: once the policies are loaded, with the
        values their regions accept (kept from then on)."""
        if self._openapi is not None:
            return Response(self._openapi, media_type=JSON)
        ready = self.ready
        document = await run_in_threadpool(
            functools.partial(
                openapi_document,
                edupolicy.__version__,
                self.questions,
                self.policies if ready else None,
            )
        )
        found = json_bytes(document)
        if ready:
            self._openapi = found
        return Response(found, media_type=JSON)

    def _not_ready(self) -> P.Problem:
        return P.Problem(P.NOT_READY, _("The policies are not loaded yet"))

    # --- errors outside the operations ------------------------------------------------

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """An address that does not exist, a method it does not take: as a problem."""
        locale = negotiate_locale(accept_language(request))
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        kinds = {404: P.NOT_FOUND, 405: P.METHOD_NOT_ALLOWED, 413: P.TOO_LARGE}
        kind = kinds.get(status, P.BAD_PARAMETER if status < 500 else P.INTERNAL)
        detail = _("{method} {path}", method=request.method, path=request.url.path)
        return problem_response(P.Problem(kind, detail), locale, headers)

    async def internal_error(self, request: Request, exc: Exception) -> Response:
        """A failure of the service itself: logged, and answered without its details."""
        locale = negotiate_locale(accept_language(request))
        return problem_response(self._internal(), locale)

    def _internal(self) -> P.Problem:
        return P.Problem(P.INTERNAL, _("The service failed to answer; the failure is logged"))

    # --- the operations ---------------------------------------------------------------

    def endpoint(self, op: Operation) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint of ``op``: every error it meets answered as a problem."""

        async def answer(request: Request) -> Response:
            locale = negotiate_locale(accept_language(request))
            try:
                return await self._answer(op, request, locale)
            except P.Problem as problem:
                return problem_response(problem, locale)
            except EdupolicyError as exc:
                return problem_response(P.problem_of(exc, locale), locale)

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
        return json_response(payload, locale)

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
        check_length(request, limit)
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > limit:
                raise too_large(limit)
        try:
            return read_json(bytes(data))
        except NotReadable as exc:
            raise malformed(exc) from None

    def _roster(
        self,
        request: Request,
        region: str,
        readings: Mapping[str, str],
        query: dict[str, Any],
        locale: str,
    ) -> Response:
        """The aid of each line of the body, written as each batch of lines arrives."""
        check_length(request, self.limits.roster)
        policy = self._policy(region, readings)
        # The plan in force is found before anything is streamed: a date outside every
        # plan is one problem, not one per line.
        policy.plan_on(query["on"], locale=locale)
        roster = Roster(
            policy=policy,
            on=query["on"],
            explain=query.get("explain", False),
            locale=locale,
            limits=self.limits,
            internal=self._internal(),
        )
        return LinesResponse(roster, request, self.limits.roster, headers=language_headers(locale))
