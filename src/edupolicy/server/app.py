"""The application: its routes, the handlers of errors outside the operations, and the
factory each worker process imports.

Every operation of :data:`~edupolicy.server.operations.OPERATIONS` becomes a route,
answered by :class:`~edupolicy.server.service.Service`; beside them, ``/healthz``,
``/readyz``, ``/openapi.json`` and the policy workbench's pages.

The policies are loaded when the application starts (its ASGI lifespan), once per
process; ``/readyz`` answers 200 once they are.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from edupolicy.plugins.registry import Registry, default_registry
from edupolicy.policy.questions import Question
from edupolicy.server.languages import negotiate_locale
from edupolicy.server.limits import Limits
from edupolicy.server.operations import operations
from edupolicy.server.service import Service
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

#: The regions to serve, separated by commas; empty or unset: every installed region.
ENV_REGIONS: Final = "EDUPOLICY_SERVER_REGIONS"
#: :attr:`Limits.body`, in bytes.
ENV_MAX_BODY: Final = "EDUPOLICY_SERVER_MAX_BODY"
#: :attr:`Limits.roster`, in bytes.
ENV_MAX_ROSTER: Final = "EDUPOLICY_SERVER_MAX_ROSTER"


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
    service = Service(
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
