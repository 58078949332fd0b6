"""One error hierarchy for the service and the one function that turns any error into JSON.

Every error response is ``ErrorBody`` (``{error, detail}``) with its status; Litestar's own
HTTP exceptions (routing, body size, validation) are mapped to the same shape, so a client
reads one format whatever failed. Nothing a client sends may produce a 500.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException

from .schemas import Analysis, ErrorBody

log = logging.getLogger("credlens")

_encode = msgspec.json.Encoder().encode


class ServiceError(Exception):
    """A failure with a status and a stable code; ``detail`` is safe to show to clients."""

    status = 500
    code = "internal_error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}

    def body(self) -> ErrorBody:
        return ErrorBody(error=self.code, detail=self.detail)


class InvalidRequest(ServiceError):
    status, code = 422, "validation_error"


class UnsupportedMediaType(ServiceError):
    status, code = 415, "unsupported_media_type"


class BodyTooLarge(ServiceError):
    status, code = 413, "body_too_large"


class NoArticle(ServiceError):
    status, code = 422, "no_article"


class UnsupportedLanguage(ServiceError):
    status, code = 422, "unsupported_language"

    def __init__(self, analysis: Analysis) -> None:
        lang = analysis.article.language or "unknown"
        super().__init__(f"language '{lang}' is not scored by this model; metadata only")
        self.analysis = analysis

    def body(self) -> ErrorBody:
        return ErrorBody(error=self.code, detail=self.detail, analysis=self.analysis)


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"


class Overloaded(ServiceError):
    status, code = 503, "overloaded"


class AnalysisTimeout(ServiceError):
    status, code = 503, "timeout"


class NotReady(ServiceError):
    status, code = 503, "not_ready"


class BadBundle(ServiceError):
    """The configured bundle failed its checks; the previous model keeps serving."""

    status, code = 409, "bad_bundle"


#: Litestar's HTTP exceptions by status → our code (their detail is kept).
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}


def _json(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        content=_encode(body), status_code=status, media_type=MediaType.JSON, headers=headers
    )


def _validation_detail(exc: ValidationException) -> str:
    """Litestar's validation messages, one per line, with where each problem is."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    lines = []
    for item in extra:
        if item == {"key": "data", "source": "body", "message": "'data'"}:
            # Litestar's wording for a missing body is the bare field name.
            lines.append("the request body is empty: send a JSON object")
        elif isinstance(item, dict):
            where = ".".join(str(x) for x in (item.get("source"), item.get("key")) if x)
            lines.append(f"{where}: {item.get('message')}" if where else str(item.get("message")))
    return "; ".join(lines) or exc.detail


def error_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The single exception handler of the app: any exception → ``ErrorBody`` JSON."""
    if isinstance(exc, ServiceError):
        return _json(exc.status, exc.body(), exc.headers)
    if isinstance(exc, ValidationException):
        # Body decoded but does not fit the schema (or a query parameter is wrong): 422.
        return _json(422, ErrorBody(error="validation_error", detail=_validation_detail(exc)))
    if isinstance(exc, HTTPException):
        status = exc.status_code
        code = _HTTP_CODES.get(status, "http_error")
        if status == 400 and isinstance(exc.__cause__, SerializationException):
            code = "malformed_json"
        detail = exc.detail if exc.detail else code.replace("_", " ")
        return _json(status, ErrorBody(error=code, detail=detail), exc.headers)
    if isinstance(exc, UnicodeDecodeError | RecursionError):
        # Raised by the JSON decoder itself (Litestar maps only msgspec's DecodeError): a body
        # that is not UTF-8, or nested past the decoder's depth limit. Still the client's input.
        log.warning("refused body on %s %s: %s", request.method, request.url.path, exc)
        detail = (
            f"the body is not valid UTF-8 (at byte {exc.start})"
            if isinstance(exc, UnicodeDecodeError)
            else "the JSON body is nested too deeply"
        )
        return _json(400, ErrorBody(error="malformed_json", detail=detail))
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(500, ErrorBody(error="internal_error", detail="internal error (logged)"))
