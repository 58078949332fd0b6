"""HTTP middleware of our own: the edge (body deadline, request metrics), gzip request bodies,
and CORS for the configured origins.

Edge: the app's outermost layer, around routing, so it sees every request and every answer,
unknown paths and wrong methods included (Litestar's app middleware runs per route, after
routing). It bounds the time a client may take to send its body, and records each answer in
the request metrics under bounded labels.

Gzip: request bodies sent with ``Content-Encoding: gzip`` are inflated on the fly, bounded.

The limit applies twice: to the bytes on the wire and to the inflated bytes (Litestar's
``request_max_body_size`` then sees the inflated stream), so a small gzip bomb is refused
after ``max_bytes`` of output, never inflated whole. Errors surface when the handler reads the
body, inside Litestar's exception handling, as ``{error, detail}`` JSON.
"""

from __future__ import annotations

import asyncio
import re
import time
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.types import ASGIApp

from credlens.errors import (
    BodyTooLarge,
    CredlensError,
    MalformedBody,
    UnsupportedMediaType,
)
from credlens.service.metrics import Metrics

# ASGI callables typed loosely: Litestar's TypedDict unions cannot express "a request event".
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]


class BodyTimeout(CredlensError):
    """The client did not send the whole request body within ``body_timeout`` (408)."""

    code = "body_timeout"


class BodyIncomplete(CredlensError):
    """The client closed the connection before its body was complete (400: its fault, not a
    500; nobody reads the answer, but the metrics and logs do)."""

    code = "bad_request"


#: Methods recorded under their own name; clients may send any token as a method, so any other
#: is recorded as ``OTHER`` (each label value is a series held for the process's lifetime).
KNOWN_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")
)
#: The route label of a request no route matched (404, 405, a bad ``Host``): never the path
#: itself, which the client chooses.
UNMATCHED = "unmatched"
_CLOSE = (b"connection", b"close")


def _announces_body(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether an HTTP/1 request has a body (HTTP/2 does not need to say: any may have one)."""
    for key, value in headers:
        if key == b"transfer-encoding" or (key == b"content-length" and value.strip().lstrip(b"0")):
            return True
    return False


def edge(app: ASGIApp, metrics: Metrics, body_timeout: float) -> ASGIApp:
    """The outermost layer: every HTTP request's body must arrive within ``body_timeout``
    seconds of the request reaching the app (one deadline for the whole body, so a byte now
    and then cannot stretch it), else the read raises ``BodyTimeout`` (408). An answer sent
    before the announced body was read whole says ``Connection: close``: the server drops the
    rest instead of waiting for it. Every answer is counted in ``metrics``."""

    async def handle(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start = time.perf_counter()
        deadline = asyncio.get_running_loop().time() + body_timeout
        http1 = scope.get("http_version") in ("1.0", "1.1")
        # A body may still be coming: the deadline holds until it ends or the answer starts.
        pending = _announces_body(scope["headers"]) if http1 else True
        status = 500  # what a client sees if the app raises before answering

        async def receive_in_time() -> Any:  # Any: Litestar types events as TypedDicts
            nonlocal pending
            if not pending:
                return await receive()
            try:
                # The server's receive is cancel-safe (uvicorn: an event; granian: a future).
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(
                    f"the request body did not arrive within {body_timeout:g} s"
                ) from None
            if message["type"] == "http.disconnect":
                pending = False
                raise BodyIncomplete("the connection closed before the body was complete")
            if not message.get("more_body", False):
                pending = False
            return message

        async def send_recording(message: Any) -> None:
            nonlocal status, pending
            if message["type"] == "http.response.start":
                status = message["status"]
                if pending and http1:  # HTTP/2 resets the stream itself
                    message = {**message, "headers": [*message.get("headers", ()), _CLOSE]}
                pending = False  # later reads only listen for a disconnect: no deadline
            await send(message)

        try:
            await app(scope, receive_in_time, send_recording)
        finally:
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"
            route = scope.get("path_template") or UNMATCHED
            metrics.observe_request(route, method, status, time.perf_counter() - start)

    return handle


_GZIP_WBITS = 16 + zlib.MAX_WBITS
#: Used only if the app sets no body limit at all (it always does: ``max_body_bytes``).
DEFAULT_LIMIT = 5 * 1024 * 1024


def _inflating(receive: Receive, max_bytes: int) -> Receive:
    inflater = zlib.decompressobj(_GZIP_WBITS)
    wire = 0
    out = 0

    async def receive_inflated() -> Message:
        nonlocal wire, out
        message = await receive()
        if message["type"] != "http.request":
            return message
        chunk: bytes = message.get("body", b"")
        more = message.get("more_body", False)
        wire += len(chunk)
        if wire > max_bytes:
            raise BodyTooLarge(f"request body over {max_bytes} bytes")
        try:
            data = inflater.decompress(chunk, max_bytes - out + 1)
            if inflater.unconsumed_tail:
                raise BodyTooLarge(f"request body over {max_bytes} bytes once decompressed")
            if not more:
                data += inflater.flush()
                if not inflater.eof:
                    raise MalformedBody("the gzip body is truncated")
        except zlib.error as exc:
            raise MalformedBody(f"the body is not valid gzip: {exc}") from None
        out += len(data)
        if out > max_bytes:
            raise BodyTooLarge(f"request body over {max_bytes} bytes once decompressed")
        return {"type": "http.request", "body": data, "more_body": more}

    return receive_inflated


def _refusing(encoding: str) -> Receive:
    async def refuse() -> Message:
        raise UnsupportedMediaType(f"Content-Encoding '{encoding}' is not supported (use gzip)")

    return refuse


def request_decompression(app: ASGIApp) -> ASGIApp:
    """Route middleware: inflate gzip request bodies up to the route's body size limit."""

    async def inflate(scope: Any, receive: Any, send: Any) -> None:
        encoding = (
            next((v for k, v in scope["headers"] if k == b"content-encoding"), b"")
            .decode("latin-1")
            .strip()
            .lower()
        )
        if encoding in ("gzip", "x-gzip"):
            limit = scope["route_handler"].resolve_request_max_body_size() or DEFAULT_LIMIT
            # The inflated length differs: drop the headers that describe the wire.
            headers = [
                (k, v)
                for k, v in scope["headers"]
                if k not in (b"content-encoding", b"content-length")
            ]
            scope = {**scope, "headers": headers}
            receive = _inflating(receive, limit)
        elif encoding not in ("", "identity"):
            receive = _refusing(encoding)
        await app(scope, receive, send)

    return inflate


class CORS:
    """CORS for the configured origins only, as plain ASGI middleware.

    Kept over Litestar's ``CORSConfig`` (``credlens bench middleware``: Litestar's adds about
    29 µs to a request with an ``Origin``, this one about N µs, and Litestar's sends
    ``Access-Control-Allow-Methods``/``-Headers`` to origins it refuses).

    Requests without an ``Origin`` header (servers, curl, the extension's background fetches
    in some browsers) pass untouched after one scan of the header list, which keeps cache hits
    cheap. An allowed origin gets its preflight answered here (204) and ``Access-Control-*``
    headers on the response; any other origin gets no CORS headers, so browsers refuse it.
    """

    def __init__(
        self,
        origin_regex: str | None,
        *,
        methods: str,
        headers: str,
        expose: str,
        max_age: int = 600,
    ) -> None:
        self._allowed = re.compile(origin_regex) if origin_regex else None
        self._preflight = [
            (b"access-control-allow-methods", methods.encode()),
            (b"access-control-allow-headers", headers.encode()),
            (b"access-control-max-age", str(max_age).encode()),
        ]
        self._expose = expose.encode()

    def middleware(self, app: ASGIApp) -> ASGIApp:
        allowed = self._allowed

        async def cors(scope: Any, receive: Any, send: Any) -> None:
            origin = None
            preflight = False
            for key, value in scope["headers"]:
                if key == b"origin":
                    origin = value
                elif key == b"access-control-request-method":
                    preflight = True
            if origin is None or allowed is None or not allowed.match(origin.decode("latin-1")):
                await app(scope, receive, send)
                return
            common = [(b"access-control-allow-origin", origin), (b"vary", b"Origin")]
            if preflight and scope["method"] == "OPTIONS":
                start = {"type": "http.response.start", "status": 204}
                await send({**start, "headers": [*common, *self._preflight]})
                await send({"type": "http.response.body", "body": b""})
                return

            async def send_with_cors(message: Any) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    headers += [*common, (b"access-control-expose-headers", self._expose)]
                    message = {**message, "headers": headers}
                await send(message)

            await app(scope, receive, send_with_cors)

        return cors
