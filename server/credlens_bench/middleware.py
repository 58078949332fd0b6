"""``credlens bench middleware``: what each piece of HTTP middleware costs per request.

In one process, without a server or sockets: a Litestar app with one handler that returns a
small JSON body (a cache hit's shape) is called through ASGI ``repeats`` times per variant,
alternating variants in rounds so machine noise hits them alike. Each variant adds one piece
to the same app: our request metrics, Litestar's Prometheus plugin, Litestar's CORS (a
request with an allowed ``Origin``), Litestar's rate limiter (memory store). The figure is
the median microseconds per request over rounds, and the cost over the bare app.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

from litestar import Litestar, get
from litestar.config.cors import CORSConfig
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.plugins.prometheus import PrometheusConfig
from rich.console import Console
from rich.table import Table

from credlens.api.middleware import CORS
from credlens.service.metrics import Metrics

BODY = {"url": "https://news.example.org/a", "scores": {"average": 7.1}, "summary": ["x" * 400]}
ORIGIN = b"chrome-extension://abcdefghijklmnopabcdefghijklmnop"
REGEX = r"^chrome-extension://[A-Za-z0-9_-]+$"
#: Client addresses the requests come from, in turn.
CLIENTS = 4096


@get("/hit", sync_to_thread=False)
async def _hit() -> dict[str, Any]:
    return BODY


def _variants() -> dict[str, Callable[[], Litestar]]:
    def bare() -> Litestar:
        return Litestar([_hit])

    def ours() -> Litestar:
        return Litestar([_hit], middleware=[Metrics().middleware])

    def prometheus_plugin() -> Litestar:
        config = PrometheusConfig(app_name="bench", prefix="bench", group_path=True)
        return Litestar([_hit], middleware=[config.middleware])

    def our_cors() -> Litestar:
        cors = CORS(REGEX, methods="GET, POST", headers="Content-Type", expose="Retry-After")
        return Litestar([_hit], middleware=[cors.middleware])

    def cors() -> Litestar:
        return Litestar([_hit], cors_config=CORSConfig(allow_origin_regex=REGEX))

    def rate_limit() -> Litestar:
        # A realistic limit, with clients spread over many addresses (see ``_time``) so that
        # each client's history stays under it.
        limit = RateLimitConfig(rate_limit=("minute", 600))
        return Litestar([_hit], middleware=[limit.middleware])

    return {
        "bare handler": bare,
        "+ our metrics middleware": ours,
        "+ Litestar Prometheus plugin": prometheus_plugin,
        "+ our CORS (Origin sent)": our_cors,
        "+ Litestar CORSConfig (Origin sent)": cors,
        "+ Litestar RateLimitConfig (memory)": rate_limit,
    }


async def _time(app: Litestar, n: int) -> float:
    """Microseconds per request over ``n`` ASGI calls of ``GET /hit``."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/hit",
        "raw_path": b"/hit",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"origin", ORIGIN)],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    clients = [(f"10.0.{i // 256}.{i % 256}", 50000) for i in range(CLIENTS)]
    start = time.perf_counter()
    for i in range(n):
        await app({**scope, "client": clients[i % CLIENTS]}, receive, send)  # type: ignore[arg-type]
    return (time.perf_counter() - start) / n * 1e6


def run_middleware_bench(repeats: int, rounds: int) -> dict[str, float]:
    apps = {name: make() for name, make in _variants().items()}
    times: dict[str, list[float]] = {name: [] for name in apps}

    async def main() -> None:
        for app in apps.values():
            await _time(app, 200)  # warm-up
        for _ in range(rounds):
            for name, app in apps.items():
                times[name].append(await _time(app, repeats))

    asyncio.run(main())
    medians = {name: statistics.median(t) for name, t in times.items()}
    base = medians["bare handler"]
    table = Table(title=f"Middleware cost per request ({rounds} rounds x {repeats} requests)")
    for column in ("variant", "µs/request", "added µs", "x bare"):
        table.add_column(column, justify="left" if column == "variant" else "right")
    for name, us in medians.items():
        table.add_row(name, f"{us:.1f}", f"{us - base:+.1f}", f"{us / base:.2f}")
    Console().print(table)
    return medians
