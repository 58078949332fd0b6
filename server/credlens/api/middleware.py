"""HTTP middleware of our own: gzip request bodies, and CORS for the configured origins.

Gzip: request bodies sent with ``Content-Encoding: gzip`` are inflated on the fly, bounded.

The limit applies twice: to the bytes on the wire and to the inflated bytes (Litestar's
``request_max_body_size`` then sees the inflated stream), so a small gzip bomb is refused
after ``max_bytes`` of output, never inflated whole. Errors surface when the handler reads the
body, inside Litestar's exception handling, as ``{error, detail}`` JSON.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.types import ASGIApp

from credlens.errors import BodyTooLarge, MalformedBody, UnsupportedMediaType

# ASGI callables typed loosely: Litestar's TypedDict unions cannot express "a request event".
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]


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
