"""Errors as HTTP: the one table from error code to status and headers, and the app's handler.

Every error response is ``ErrorBody`` (``{error, detail}``). Domain errors
(``credlens.errors``) carry a code and a message; ``STATUS`` says how each code answers.
Litestar's own HTTP exceptions (routing, body size, validation, rate limit) are mapped to the
same shape, so a client reads one format whatever failed. Nothing a client sends may produce
a 500.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException

from credlens.errors import CredlensError, UnsupportedLanguage
from credlens.schemas import ErrorBody

log = logging.getLogger("credlens")

_encode = msgspec.json.Encoder().encode


class Answer(NamedTuple):
    status: int
    """The HTTP status of the code."""
    description: str
    """What the OpenAPI document says of the code."""
    retry_after: int | None = None
    """Seconds sent in ``Retry-After``: when retrying the same request can succeed."""
    challenge: str | None = None
    """``WWW-Authenticate`` scheme (RFC 9110 asks for one on every 401)."""


# fmt: off
#: Every error code the service answers, with its status. The OpenAPI error descriptions and
#: the README's list are made from this table.
STATUS: dict[str, Answer] = {
    "bad_request":            Answer(400, "the request cannot be read"),
    "malformed_json":         Answer(400, "the body is not valid JSON (or not UTF-8)"),
    "malformed_body":         Answer(400, "the gzip body cannot be inflated"),
    "unauthorized":           Answer(401, "an API key or admin token needed", challenge="Bearer"),
    "forbidden":              Answer(403, "unknown API key, wrong admin token, reloads off"),
    "not_found":              Answer(404, "nothing cached for this URL under the serving model"),
    "method_not_allowed":     Answer(405, "the route does not take this method"),
    "body_timeout":           Answer(408, "the body did not arrive in time (connection closed)"),
    "bad_bundle":             Answer(409, "the bundle failed its checks; the old model serves"),
    "body_too_large":         Answer(413, "body over the limit, on the wire or inflated"),
    "unsupported_media_type": Answer(415, "not application/json, or not gzip encoded"),
    "validation_error":       Answer(422, "the request does not fit the schema"),
    "no_article":             Answer(422, "nothing article-like in the page"),
    "unsupported_language":   Answer(422, "a language not scored (metadata in `analysis`)"),
    "rate_limited":           Answer(429, "too many requests from this client", retry_after=60),
    "unavailable":            Answer(503, "the service cannot answer now", retry_after=5),
    "overloaded":             Answer(503, "every worker and queue place is taken", retry_after=1),
    "timeout":                Answer(503, "the analysis ran past the time limit", retry_after=1),
    "worker_failed":          Answer(503, "the worker died (crash, memory)", retry_after=1),
    "not_ready":              Answer(503, "model loading, or the cache is down", retry_after=5),
    "internal_error":         Answer(500, "a bug: logged on the server"),
}
# fmt: on

#: Litestar's HTTP exceptions by status → our code (their detail is kept): the first code of
#: each status in the table.
_HTTP_CODES = {a.status: code for code, a in reversed(STATUS.items()) if a.status != 422}


def status_of(code: str) -> int:
    return STATUS.get(code, STATUS["internal_error"]).status


def codes_for(status: int) -> list[str]:
    """The error codes that answer with ``status`` (for the OpenAPI descriptions)."""
    return [code for code, a in STATUS.items() if a.status == status]


def _json(
    code: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[Any]:
    answer = STATUS.get(code, STATUS["internal_error"])
    headers = dict(headers or {})
    if answer.retry_after is not None:
        headers.setdefault("Retry-After", str(answer.retry_after))
    if answer.challenge is not None:
        headers.setdefault("WWW-Authenticate", answer.challenge)
    return Response(
        content=_encode(ErrorBody(error=code, detail=detail, **extra)),
        status_code=answer.status,
        media_type=MediaType.JSON,
        headers=headers,
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
    if isinstance(exc, UnsupportedLanguage):
        return _json(exc.code, exc.detail, analysis=exc.analysis)
    if isinstance(exc, CredlensError):
        return _json(exc.code, exc.detail)
    if isinstance(exc, ValidationException):
        # Body decoded but does not fit the schema (or a query parameter is wrong): 422.
        return _json("validation_error", _validation_detail(exc))
    if isinstance(exc, HTTPException):
        code = _HTTP_CODES.get(exc.status_code, "bad_request")
        if exc.status_code == 400 and isinstance(exc.__cause__, SerializationException):
            code = "malformed_json"
        detail = exc.detail if exc.detail else code.replace("_", " ")
        return _json(code, detail, exc.headers)
    if isinstance(exc, UnicodeDecodeError | RecursionError):
        # Raised by the JSON decoder itself (Litestar maps only msgspec's DecodeError): a body
        # that is not UTF-8, or nested past the decoder's depth limit. Still the client's input.
        log.warning("refused body on %s %s: %s", request.method, request.url.path, exc)
        detail = (
            f"the body is not valid UTF-8 (at byte {exc.start})"
            if isinstance(exc, UnicodeDecodeError)
            else "the JSON body is nested too deeply"
        )
        return _json("malformed_json", detail)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json("internal_error", "internal error (logged)")
