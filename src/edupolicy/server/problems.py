"""Errors as ``application/problem+json`` (RFC 9457), one problem type per kind of error.

A problem is a JSON object with ``type`` (a URN naming the kind of error), ``title``
(what kind of error, in the caller's language), ``status`` (the HTTP status), ``detail``
(this occurrence, in the caller's language) and ``errors``: one object per bad field
(at most ``edupolicy.errors.MAX_PROBLEMS``, then one counting the rest),
``path``, ``value`` (the offending value written as JSON text) and ``message``, as
:meth:`edupolicy.errors.FieldProblem.to_json` gives them (empty when no field is at
fault).  Some types add members of their own: ``periods`` (out of period), ``available``
(unknown region), ``rules`` (rules in conflict), ``limit`` (too large), ``line`` (a
line of a roster).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs

from edupolicy.errors import (
    EdupolicyError,
    FieldProblem,
    ImpossibleShareError,
    InvalidDataError,
    InvalidRecordError,
    OutOfPeriodError,
    RuleConflictError,
    UnknownRegionError,
    bounded,
)
from edupolicy.i18n import Message, _
from edupolicy.io.records import json_bytes

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_TYPES",
    "Problem",
    "ProblemType",
    "problem_of",
]

#: The media type of a problem (RFC 9457).
PROBLEM_MEDIA_TYPE: Final = "application/problem+json"


@attrs.frozen
class ProblemType:
    """A kind of error: its URN, HTTP status and title."""

    slug: str
    status: int
    title: Message

    @property
    def uri(self) -> str:
        """``urn:edupolicy:problem:SLUG``, the problem's ``type``."""
        return f"urn:edupolicy:problem:{self.slug}"


def _type(slug: str, status: int, title: Message) -> ProblemType:
    return ProblemType(slug, status, title)


MALFORMED_JSON: Final = _type("malformed-json", 400, _("The request body is not valid JSON"))
BAD_PARAMETER: Final = _type("bad-parameter", 400, _("A query parameter is missing or malformed"))
NOT_FOUND: Final = _type("not-found", 404, _("Nothing is found at this address"))
UNKNOWN_REGION: Final = _type("unknown-region", 404, _("The region is not served"))
METHOD_NOT_ALLOWED: Final = _type(
    "method-not-allowed", 405, _("This address does not take this method")
)
TOO_LARGE: Final = _type("too-large", 413, _("The request is too large"))
INVALID_RECORD: Final = _type("invalid-record", 422, _("Invalid record"))
INVALID_DATA: Final = _type("invalid-data", 422, _("Invalid data"))
OUT_OF_PERIOD: Final = _type("out-of-period", 422, _("No plan is in force on the date"))
RULE_CONFLICT: Final = _type("rule-conflict", 422, _("Two rules of the plan conflict"))
IMPOSSIBLE_SHARE: Final = _type("impossible-share", 422, _("The nominees cannot meet the share"))
UNPROCESSABLE: Final = _type("unprocessable", 422, _("The request cannot be answered"))
NOT_READY: Final = _type("not-ready", 503, _("The service is not ready"))
INTERNAL: Final = _type("internal", 500, _("Internal error"))

#: Every problem type, in the order of their statuses.
PROBLEM_TYPES: Final[tuple[ProblemType, ...]] = (
    MALFORMED_JSON,
    BAD_PARAMETER,
    NOT_FOUND,
    UNKNOWN_REGION,
    METHOD_NOT_ALLOWED,
    TOO_LARGE,
    INVALID_RECORD,
    INVALID_DATA,
    OUT_OF_PERIOD,
    RULE_CONFLICT,
    IMPOSSIBLE_SHARE,
    UNPROCESSABLE,
    INTERNAL,
    NOT_READY,
)


class Problem(Exception):
    """A request that fails: raised by the application, answered as a problem."""

    def __init__(
        self,
        kind: ProblemType,
        detail: Message | str,
        *,
        errors: Sequence[FieldProblem] = (),
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(detail))
        self.kind = kind
        self.detail = detail
        # At most MAX_PROBLEMS of them, the rest counted, as in every error.
        self.errors = bounded(errors)
        self.extra = dict(extra or {})

    def to_json(self, locale: str) -> dict[str, Any]:
        """The problem object, texts in ``locale``."""
        detail = self.detail if isinstance(self.detail, str) else self.detail.render(locale)
        return {
            "type": self.kind.uri,
            "title": self.kind.title.render(locale),
            "status": self.kind.status,
            "detail": detail,
            "errors": [problem.to_json(locale) for problem in self.errors],
            **self.extra,
        }

    def body(self, locale: str) -> bytes:
        """The problem as the bytes of a response."""
        return json_bytes(self.to_json(locale))


def problem_of(exc: EdupolicyError, locale: str) -> Problem:
    """The problem that answers an error of the library."""
    if isinstance(exc, InvalidDataError):
        kind = INVALID_RECORD if isinstance(exc, InvalidRecordError) else INVALID_DATA
        return Problem(kind, exc.heading, errors=exc.problems)
    detail = exc.render(locale)
    if isinstance(exc, OutOfPeriodError):
        return Problem(
            OUT_OF_PERIOD,
            detail,
            extra={"on": exc.on.isoformat(), "periods": list(exc.periods)},
        )
    if isinstance(exc, UnknownRegionError):
        return Problem(UNKNOWN_REGION, detail, extra={"available": list(exc.available)})
    if isinstance(exc, RuleConflictError):
        return Problem(RULE_CONFLICT, detail, extra={"rules": list(exc.rule_ids)})
    if isinstance(exc, ImpossibleShareError):
        return Problem(
            IMPOSSIBLE_SHARE,
            detail,
            extra={"required": exc.required, "available": exc.available},
        )
    return Problem(UNPROCESSABLE, detail)
