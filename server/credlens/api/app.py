"""The Litestar application: ``create_app(settings)`` wires everything in one place.

The lifespan opens the cache backend and loads the model bundle (in a thread) before the
server accepts requests, and closes both on shutdown. ``app_from_env`` is the factory the
server processes call (``credlens serve``), reading ``CREDLENS_*`` at that moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.datastructures import State

from credlens import __version__
from credlens.api.docs import openapi_config
from credlens.api.errors import error_response
from credlens.api.middleware import CORS, edge
from credlens.api.routes import get_model_card, healthz, metrics, readyz, v1_router
from credlens.cache import open_cache
from credlens.errors import CredlensError
from credlens.service import AnalysisService
from credlens.service.metrics import Metrics
from credlens.settings import Settings, origin_regex

log = logging.getLogger("credlens")

DESCRIPTION = """\
credlens extracts the article from a page, scores it on **objectivity**, **accuracy** and
**transparency** (0-10, higher = closer to journalistic standards) with the evidence behind
each score, suggests a neutral headline and summarises it. Scores are signals with their
evidence, not a fact check.

Errors are JSON `{error, detail}` with a stable `error` code. With API keys configured, send
one in `X-API-Key`.
"""


def create_app(settings: Settings | None = None) -> Litestar:
    """The service, configured by ``settings`` (default: read from the environment now)."""
    settings = settings if settings is not None else Settings.from_env()
    metrics_ = Metrics()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        cache = open_cache(
            settings.cache_url, settings.cache_size, settings.cache_ttl, settings.cache_bytes
        )
        try:
            service = await asyncio.to_thread(AnalysisService.load, settings, cache, metrics_)
        except BaseException:
            await cache.close()
            raise
        app.state.service = service
        # The model, tokenizer and imports are long-lived: keep them out of the collector's
        # generations so its pauses stay short under load (they showed in p99 latency).
        gc.collect()
        gc.freeze()
        log.info(
            "credlens %s serving %s with the %s cache",
            __version__,
            service.slot.scorer.info.name,
            cache.name,
        )
        follower = asyncio.create_task(service.follow_reloads(), name="credlens-reloads")
        try:
            yield
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
            app.state.service = None
            await service.close()

    cors = CORS(
        origin_regex(settings.cors_origins),
        methods="GET, POST, OPTIONS",
        headers="Content-Type, Content-Encoding, X-API-Key, Authorization",
        expose="Retry-After",
    )
    app = Litestar(
        route_handlers=[v1_router(settings), get_model_card, healthz, readyz, metrics],
        lifespan=[lifespan],
        state=State({"settings": settings, "metrics": metrics_, "service": None}),
        middleware=[cors.middleware],
        exception_handlers={CredlensError: error_response, Exception: error_response},
        request_max_body_size=settings.max_body_bytes,
        openapi_config=openapi_config(__version__, DESCRIPTION),
        debug=False,
    )
    # Around routing, not in ``middleware`` (which runs per matched route): the body deadline
    # and the request metrics must see unknown paths and wrong methods too.
    app.asgi_handler = edge(app.asgi_handler, metrics_, settings.body_timeout)
    return app


def app_from_env() -> Litestar:
    """Factory for server processes (uvicorn/granian ``--factory``): settings from the env."""
    return create_app(Settings.from_env())
