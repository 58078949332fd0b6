"""HTTP handlers: thin, documented (docstrings become the OpenAPI descriptions).

Each handler reads its input, calls the ``AnalysisService`` and returns; errors are raised as
``CredlensError`` and shaped by ``errors.error_response``. Analyses are returned as bytes that
are already JSON (cache entries are stored encoded), documented as ``Analysis``.
"""

from __future__ import annotations

import hmac
import math
import time
from typing import Annotated, Any

import msgspec
from litestar import MediaType, Request, Response, Router, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, Parameter
from litestar.response.base import ASGIResponse
from litestar.types import Guard, Scope

from credlens.api import examples
from credlens.api.errors import STATUS, codes_for
from credlens.api.middleware import request_decompression
from credlens.cache.urls import without_userinfo
from credlens.errors import (
    Forbidden,
    NotFound,
    NotReady,
    RateLimited,
    Unauthorized,
    UnsupportedMediaType,
)
from credlens.schemas import URL_PATTERN, Analysis, AnalyzeRequest, ErrorBody, Health, ModelStatus
from credlens.service import AnalysisService
from credlens.service.metrics import CONTENT_TYPE
from credlens.settings import Settings


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses a route can answer (all ``ErrorBody``)."""
    return {
        code: ResponseSpec(
            data_container=ErrorBody,
            description="; ".join(f"`{c}`: {STATUS[c].description}" for c in codes_for(code)),
            generate_examples=False,
            examples=[Example(summary=s, value=v) for s, v in examples.ERRORS.get(code, [])]
            or None,
        )
        for code in codes
    }


def _service(scope: Scope) -> AnalysisService:
    # From the scope rather than an injected ``State``: cheaper on the cache-hit path.
    service: AnalysisService | None = scope["litestar_app"].state.service
    if service is None:  # only between start-up and the model being loaded
        raise NotReady("the model is still loading")
    return service


def _json(body: bytes) -> ASGIResponse:
    # Already-encoded JSON straight to ASGI: no Response object, no encoder (the hot path).
    return ASGIResponse(body=body, media_type=MediaType.JSON)


async def require_json(request: Request[Any, Any, Any]) -> None:
    """Before the body is read: only JSON is accepted (415 otherwise)."""
    media_type, _ = request.content_type
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json, not {media_type or 'no content type'}"
        )


# --- /v1 --------------------------------------------------------------------------------------


@post(
    "/analyze",
    operation_id="analyze",
    summary="Analyse a page",
    status_code=200,
    before_request=require_json,
    middleware=[request_decompression],
    tags=["analysis"],
    responses={
        200: ResponseSpec(
            data_container=Analysis,
            description="The analysis (``cached`` tells whether it came from the cache)",
            generate_examples=False,
            examples=[Example(summary="A news article", value=examples.ANALYSIS)],
        ),
        **_errors(400, 401, 403, 408, 413, 415, 422, 429, 503),
    },
)
async def analyze(
    data: Annotated[
        AnalyzeRequest,
        Body(
            description="The page's URL with its HTML, or with its article text and headline. "
            "The body may be sent gzip-compressed (`Content-Encoding: gzip`); the size limit "
            "applies before and after decompression.",
            examples=[
                Example(summary="Article text and headline", value=examples.TEXT_REQUEST),
                Example(summary="A page's HTML", value=examples.HTML_REQUEST),
            ],
        ),
    ],
    scope: Scope,
) -> ASGIResponse:
    """Extract the article, score it on objectivity, accuracy and transparency (0-10, with the
    evidence behind each score), suggest a neutral headline and summarise it.

    Results are cached by canonical URL and model: a repeated request for an unchanged page is
    answered from the cache (`cached: true`); a page whose text changed is analysed again.
    The service never fetches `url` itself. Non-English articles answer 422
    `unsupported_language` with their metadata in `analysis` and no scores.
    """
    if "@" in data.url:  # user info: dropped here, so no stage (links, logs, cache) sees it
        data = msgspec.structs.replace(data, url=without_userinfo(data.url))
    return _json(await _service(scope).analyze(data))


@get(
    "/analyses",
    operation_id="getAnalysis",
    summary="Cached analysis of a URL",
    tags=["analysis"],
    responses={
        200: ResponseSpec(
            data_container=Analysis,
            description="The cached analysis under the serving model",
            generate_examples=False,
            examples=[Example(summary="A cached analysis", value=examples.ANALYSIS_CACHED)],
        ),
        **_errors(400, 401, 403, 404, 422, 429),
    },
)
async def get_analysis(
    url: Annotated[
        str,
        Parameter(
            description="The page's URL; tracking parameters and the fragment are ignored.",
            max_length=4096,
            pattern=URL_PATTERN,
            examples=[Example(value=examples.TEXT_REQUEST["url"])],
        ),
    ],
    scope: Scope,
) -> ASGIResponse:
    """The analysis cached for `url` by an earlier `POST /v1/analyze` with the serving model,
    or 404. Never analyses anything: a cheap check before sending a page."""
    body = await _service(scope).cached(without_userinfo(url))
    if body is None:
        raise NotFound("no cached analysis for this URL under the serving model")
    return _json(body)


def _model_status(service: AnalysisService) -> ModelStatus:
    scorer = service.slot.scorer
    return ModelStatus(
        model=scorer.info,
        kind=scorer.manifest.kind,
        languages=list(scorer.manifest.limits.languages),
        card=scorer.card,
    )


@get(
    "/model",
    operation_id="getModel",
    summary="The serving model",
    tags=["model"],
    responses=_errors(401, 403, 429),
)
async def get_model(scope: Scope) -> ModelStatus:
    """The model bundle that serves: name, version, model sha256, kind, languages and its
    model card (Markdown: what it was trained on, how it was evaluated, its limits)."""
    return _model_status(_service(scope))


@get(
    "/model/card",
    operation_id="getModelCard",
    summary="The serving model's card, for readers",
    tags=["model"],
    media_type=MediaType.TEXT,
    responses=_errors(503),
)
async def get_model_card(scope: Scope) -> Response[str]:
    """The serving model's card as plain-text Markdown, public like the documentation (the
    extension's panel links here): what the scores mean, what the model learned from, its
    limits."""
    return Response(_service(scope).current()[0].card, media_type="text/plain; charset=utf-8")


def admin_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    settings: Settings = connection.app.state.settings
    if not settings.admin_token:
        raise Forbidden("model reloads over HTTP are disabled (set CREDLENS_ADMIN_TOKEN)")
    auth = connection.headers.get("authorization", "")
    scheme, _sep, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send the admin token as 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(token.strip().encode(), settings.admin_token.encode()):
        raise Forbidden("wrong admin token")


@post(
    "/model/reload",
    operation_id="reloadModel",
    summary="Reload the model bundle (admin)",
    status_code=200,
    guards=[admin_guard],
    tags=["model"],
    responses=_errors(401, 403, 409, 429),
)
async def reload_model(scope: Scope) -> ModelStatus:
    """Load the bundle at the configured path (`CREDLENS_BUNDLE`) again, check it, and swap it
    in atomically: requests in flight finish on the old model, new ones use the new one, and
    the cache starts afresh for the new model. A bundle that fails its checks is refused (409)
    and the previous model keeps serving. Needs `Authorization: Bearer <CREDLENS_ADMIN_TOKEN>`.
    With several worker processes, each reloads on its own (see the README)."""
    service = _service(scope)
    await service.reload()
    return _model_status(service)


def api_key_guard(keys: tuple[str, ...]) -> Guard:
    encoded = [k.encode() for k in keys]

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        key = connection.headers.get("x-api-key")
        if not key:
            raise Unauthorized("an API key is required in the X-API-Key header")
        given = key.encode()
        # Every key compared, in constant time: no timing hint about which prefix matched.
        if not sum(hmac.compare_digest(given, k) for k in encoded):
            raise Forbidden("unknown API key")

    return guard


#: The rate limit's window (a fixed window: counts restart on the minute).
WINDOW_SECONDS = 60


def rate_limit_guard(settings: Settings) -> Guard:
    """``rate_limit`` requests a minute per client, counted in the cache backend: in Redis when
    the cache is shared (one INCR per request, so the limit holds across workers and hosts),
    else in this process (bounded). A client is its API key when it sends a configured one,
    else its address: a key made up per request cannot open a fresh window.

    Kept over Litestar's ``RateLimitConfig``: ``credlens bench middleware`` measured it at
    about 60 µs a request (2.4x a bare handler) with its memory store, which has no size
    bound; its Redis store reads and writes the history in two calls, not atomically."""
    keys = frozenset(settings.api_keys)
    per_minute = settings.rate_limit

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        key = connection.headers.get("x-api-key")
        address = connection.client.host if connection.client else "unknown"
        client = f"key:{key}" if key and key in keys else f"ip:{address}"
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        service = _service(connection.scope)
        if await service.cache.count(f"{client}:{window}", WINDOW_SECONDS) > per_minute:
            retry = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
            raise RateLimited(
                f"more than {per_minute} requests a minute; the window resets in {retry} s"
            )

    return guard


def v1_router(settings: Settings) -> Router:
    guards: list[Guard] = []
    if settings.api_keys:
        guards.append(api_key_guard(settings.api_keys))
    if settings.rate_limit:
        guards.append(rate_limit_guard(settings))
    return Router(
        path="/v1",
        route_handlers=[analyze, get_analysis, get_model, reload_model],
        guards=guards,
    )


# --- Operations -------------------------------------------------------------------------------


@get("/healthz", operation_id="healthz", summary="Liveness", tags=["operations"])
async def healthz() -> Health:
    """The process answers (says nothing about the model or the cache)."""
    return Health(status="ok")


@get(
    "/readyz",
    operation_id="readyz",
    summary="Readiness",
    tags=["operations"],
    responses=_errors(503),
)
async def readyz(scope: Scope) -> Health:
    """Ready to analyse: the model is loaded and the cache answers (503 otherwise)."""
    service = _service(scope)
    if not await service.cache.ping():
        raise NotReady(f"the {service.cache.name} cache does not answer")
    return Health(status="ready", model=service.slot.scorer.info)


@get(
    "/metrics",
    operation_id="metrics",
    summary="Prometheus metrics",
    tags=["operations"],
    media_type=CONTENT_TYPE,
    responses={
        200: ResponseSpec(
            data_container=str,
            media_type=CONTENT_TYPE,
            description="Prometheus text format",
            generate_examples=False,
        )
    },
)
async def metrics(state: State) -> Response[bytes]:
    """Requests and latency by route and status, cache hits and misses, model runs, inference
    time, pool load and refusals, and the serving model (`credlens_model_info`)."""
    return Response(content=state.metrics.render(), media_type=CONTENT_TYPE)
