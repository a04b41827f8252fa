"""The answers of the service: JSON in the caller's language, problems, and the refusal
of a body that is too large or not JSON."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from edupolicy.i18n import _
from edupolicy.io.records import NotReadable, json_bytes
from edupolicy.server import problems as P
from edupolicy.server.languages import language_headers
from edupolicy.server.operations import JSON

__all__ = ["check_length", "json_response", "malformed", "problem_response", "too_large"]


def json_response(payload: object, locale: str, status: int = 200) -> Response:
    """``payload`` as JSON, its texts in ``locale``."""
    return Response(
        json_bytes(payload),
        status_code=status,
        media_type=JSON,
        headers=language_headers(locale),
    )


def problem_response(
    problem: P.Problem, locale: str, headers: Mapping[str, str] | None = None
) -> Response:
    """``problem`` as an answer, its texts in ``locale``."""
    return Response(
        problem.body(locale),
        status_code=problem.kind.status,
        media_type=P.PROBLEM_MEDIA_TYPE,
        headers={**language_headers(locale), **(headers or {})},
    )


def malformed(error: NotReadable) -> P.Problem:
    """The problem of a body that is not JSON."""
    return P.Problem(P.MALFORMED_JSON, error.message)


def too_large(limit: int) -> P.Problem:
    """The problem of a request larger than ``limit`` bytes."""
    return P.Problem(
        P.TOO_LARGE,
        _("The request is larger than {limit} bytes", limit=str(limit)),
        extra={"limit": limit},
    )


def check_length(request: Request, limit: int) -> None:
    """Refuse a body whose declared length is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_large(limit)
