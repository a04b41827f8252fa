"""edupolicy over HTTP: an ASGI application (Starlette) that a host in any language calls.

It answers the questions of the command line, JSON in and out in the shapes the library
documents (the results' ``to_json``), with errors as ``application/problem+json``
(RFC 9457) and an OpenAPI document built from the library's JSON Schemas.  The policies
of the regions served are loaded when the application starts, one set per process;
``edupolicy serve`` runs it under uvicorn with as many worker processes as asked.

This package needs the ``server`` extra (``pip install 'edupolicy[server]'``):
Starlette, and uvicorn to run it.

- :func:`create_app` makes the application.
- :func:`app_from_environ` makes it from the ``EDUPOLICY_SERVER_*`` environment
  variables: the factory each uvicorn worker process imports by name.
- :class:`Limits` bounds the size of requests.
"""

from __future__ import annotations

try:
    import starlette  # noqa: F401  (only to say clearly what is missing)
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "edupolicy.server needs the server extra: pip install 'edupolicy[server]'"
    ) from exc

from edupolicy.server.app import (
    ENV_MAX_BODY,
    ENV_MAX_ROSTER,
    ENV_REGIONS,
    Limits,
    app_from_environ,
    create_app,
)

__all__ = [
    "ENV_MAX_BODY",
    "ENV_MAX_ROSTER",
    "ENV_REGIONS",
    "Limits",
    "app_from_environ",
    "create_app",
]
