"""Drive an app's ASGI callable by hand: a client that sends part of its body and then stalls or
hangs up, speaks HTTP/2, comes from any address, or sends any method and path (what the test
clients cannot do). Run ``drive`` inside the app's event loop (``in_loop``)."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from litestar.testing import TestClient

Then = Literal["end", "stall", "disconnect"]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    """Lower-case names; a repeated header's values joined with ", "."""
    body: bytes
    seconds: float
    """From the call to the app until it returned."""


async def drive(
    app: Any,
    method: str,
    path: str,
    *,
    headers: Sequence[tuple[str, str]] = (),
    chunks: Sequence[bytes] = (),
    then: Then = "end",
    query: bytes = b"",
    client: tuple[str, int] = ("127.0.0.1", 50000),
    http_version: str = "1.1",
    limit: float = 30.0,
) -> Answer:
    """One request: ``chunks`` of body, then the body ends, the client stalls for good, or it
    hangs up. The answer, whatever the app sent; ``TimeoutError`` if the app has not returned
    after ``limit`` seconds (a hang detector)."""
    waiting = list(chunks)
    stalled = asyncio.Event()  # never set: a client that sends nothing more

    async def receive() -> dict[str, Any]:
        if waiting:
            body = waiting.pop(0)
            return {
                "type": "http.request",
                "body": body,
                "more_body": bool(waiting) or then != "end",
            }
        if then == "end":
            return {"type": "http.request", "body": b"", "more_body": False}
        if then == "stall":
            await stalled.wait()
        return {"type": "http.disconnect"}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": http_version,
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "query_string": query,
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": client,
        "server": ("testserver", 80),
    }
    start = time.perf_counter()
    await asyncio.wait_for(app(scope, receive, send), limit)
    seconds = time.perf_counter() - start
    head = next(m for m in sent if m["type"] == "http.response.start")
    merged: dict[str, str] = {}
    for k, v in head.get("headers", []):
        name = k.decode("latin-1").lower()
        merged[name] = f"{merged[name]}, {v.decode('latin-1')}" if name in merged else v.decode()
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Answer(head["status"], merged, body, seconds)


def in_loop(test_client: TestClient[Any], method: str, path: str, **kwargs: Any) -> Answer:
    """``drive`` in the event loop of a started test client's app."""
    answer: Answer = test_client.blocking_portal.call(
        functools.partial(drive, test_client.app, method, path, **kwargs)
    )
    return answer
