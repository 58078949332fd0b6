"""Prometheus metrics of one service process, in their own registry (one per app).

Requests (the latency histogram's ``_count``) and latency by route template, method and
status; cache hits and misses; model runs and inference time; pool refusals and load; the
active model as an info-style gauge. With several worker processes each has its own numbers
(a scrape reaches one of them; ``credlens_process_id`` tells which).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from litestar.types import ASGIApp
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.metrics import MetricWrapperBase

from credlens.schemas import ModelInfo

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: Latency buckets (seconds): cache hits live around a millisecond, analyses around 0.1 s.
HTTP_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
INFERENCE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # ``*_created`` series double the output and nobody reads them
        self.registry = CollectorRegistry(auto_describe=False)
        r = self.registry
        self.latency = Histogram(
            "credlens_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template, method and status "
            "(its _count is the number of requests)",
            ["route", "method", "status"],
            buckets=HTTP_BUCKETS,
            registry=r,
        )
        self.cache_hits = Counter(
            "credlens_cache_hits", "Analyses served from the cache", registry=r
        )
        self.cache_misses = Counter(
            "credlens_cache_misses", "Analyses not in the cache (or whose text changed)", registry=r
        )
        self.shared = Counter(
            "credlens_single_flight_shared",
            "Requests that waited for an identical analysis already running",
            registry=r,
        )
        self.model_runs = Counter(
            "credlens_model_runs",
            "Articles scored by the model (after cache and single flight)",
            registry=r,
        )
        self.inference = Histogram(
            "credlens_inference_seconds",
            "Time to score one article, headline and summary included",
            buckets=INFERENCE_BUCKETS,
            registry=r,
        )
        self.refused = Counter(
            "credlens_overload_refusals",
            "Requests answered 503 because the pool was full",
            registry=r,
        )
        self.pool_admitted = Gauge(
            "credlens_pool_admitted", "Analyses running or queued in the worker pool", registry=r
        )
        self.model = Gauge(
            "credlens_model_info",
            "The model bundle serving (value 1; name, version and model sha256 as labels)",
            ["name", "version", "sha256"],
            registry=r,
        )
        self.process = Gauge("credlens_process_id", "Process id of this worker", registry=r)
        self.process.set(os.getpid())
        # Children looked up once per (route, method, status): labels() costs a lock and a hash.
        self._children: dict[tuple[str, str, int], MetricWrapperBase] = {}

    def set_model(self, info: ModelInfo) -> None:
        self.model.clear()
        self.model.labels(info.name, info.version, info.sha256).set(1)

    def track_pool(self, admitted: Callable[[], float]) -> None:
        self.pool_admitted.set_function(admitted)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, status)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.latency.labels(route, method, str(status))
        child.observe(seconds)  # type: ignore[attr-defined]

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """ASGI middleware that records every HTTP request under its route template."""

        async def record(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            start = time.perf_counter()
            status = 500  # what a client sees if the app raises before answering

            async def send_status(message: Any) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            try:
                await app(scope, receive, send_status)
            finally:
                route = scope.get("path_template") or "unmatched"
                self.observe_request(route, scope["method"], status, time.perf_counter() - start)

        return record
