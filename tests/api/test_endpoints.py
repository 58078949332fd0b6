"""Every endpoint, status and error of the HTTP API, through Litestar's test client."""

from __future__ import annotations

import gzip
import json

import msgspec
import pytest

from credlens.api import examples
from credlens.cache import canonical_url
from credlens.schemas import Analysis, ErrorBody, Health, ModelStatus
from credlens_bench.extract import Page
from tests.api.conftest import Client, MakeClient, metric

pytestmark = pytest.mark.anyio


def error(response: object) -> ErrorBody:
    return msgspec.json.decode(response.content, type=ErrorBody)  # type: ignore[attr-defined]


async def test_analyze_html_page_returns_a_full_analysis(
    client: Client, english_pages: list[Page]
) -> None:
    page = english_pages[0]
    r = await client.post("/v1/analyze", json={"url": page.url + "#top", "html": page.html})
    assert r.status_code == 200, r.text
    analysis = msgspec.json.decode(r.content, type=Analysis)
    assert analysis.url == canonical_url(page.url) and "#" not in analysis.url
    assert analysis.title
    assert analysis.suggested_headline is not None and analysis.suggested_headline.text
    assert 1 <= len(analysis.summary) <= 4
    scores = analysis.scores
    assert scores is not None and analysis.details is not None
    for value in (scores.objectivity, scores.accuracy, scores.transparency, scores.average):
        assert 0 <= value <= 10 and round(value, 1) == value
    mean = (scores.objectivity + scores.accuracy + scores.transparency) / 3
    assert abs(scores.average - mean) <= 0.051
    evidence = [
        e
        for d in (
            analysis.details.objectivity,
            analysis.details.accuracy,
            analysis.details.transparency,
        )
        for e in d.evidence
    ]
    assert evidence and all(e.text and e.label and -10 <= e.weight <= 10 for e in evidence)
    assert analysis.details.objectivity.explanation
    assert analysis.headline.clickbait_probability is not None
    assert analysis.article.word_count >= 500 and analysis.article.language == "en"
    assert analysis.model is not None and len(analysis.model.sha256) == 64
    assert analysis.cached is False
    assert analysis.analyzed_at.endswith("Z")
    assert {"parse", "score", "headline", "summary", "total"} <= set(analysis.timings_ms)


async def test_analyze_text_with_title(client: Client) -> None:
    r = await client.post("/v1/analyze", json=examples.TEXT_REQUEST)
    assert r.status_code == 200, r.text
    analysis = msgspec.json.decode(r.content, type=Analysis)
    assert analysis.title == examples.TEXT_REQUEST["title"]
    assert analysis.url == "https://news.example.org/2024/05/city-council-approves-budget"
    assert analysis.scores is not None


async def test_cached_analysis_by_url_and_404(client: Client) -> None:
    url = examples.TEXT_REQUEST["url"]
    r = await client.get("/v1/analyses", params={"url": url})
    assert r.status_code == 404 and error(r).error == "not_found"
    first = (await client.post("/v1/analyze", json=examples.TEXT_REQUEST)).json()
    r = await client.get("/v1/analyses", params={"url": url})
    assert r.status_code == 200
    got = r.json()
    assert got["cached"] is True
    assert {**got, "cached": False} == first
    r = await client.get("/v1/analyses")
    assert r.status_code == 422 and error(r).error == "validation_error"


async def test_model_health_ready_metrics(client: Client) -> None:
    status = msgspec.json.decode((await client.get("/v1/model")).content, type=ModelStatus)
    assert status.model.name == "credlens-default" and status.card.startswith("#")
    assert status.languages == ["en"]
    # The card for readers (the extension links to it): the same Markdown, as text.
    card = await client.get("/model/card")
    assert card.status_code == 200 and card.text == status.card
    assert card.headers["content-type"].startswith("text/plain")
    assert msgspec.json.decode((await client.get("/healthz")).content, type=Health).status == "ok"
    ready = msgspec.json.decode((await client.get("/readyz")).content, type=Health)
    assert ready.status == "ready" and ready.model == status.model
    await client.post("/v1/analyze", json=examples.TEXT_REQUEST)
    await client.post("/v1/analyze", json=examples.TEXT_REQUEST)
    r = await client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    labels = {"route": "/v1/analyze", "method": "POST", "status": "200"}
    assert await metric(client, "credlens_http_request_duration_seconds_count", **labels) == 2
    assert await metric(client, "credlens_cache_hits_total") == 1
    assert await metric(client, "credlens_cache_misses_total") == 1
    assert await metric(client, "credlens_model_runs_total") == 1
    assert await metric(client, "credlens_inference_seconds_count") == 1
    model = status.model
    assert (
        await metric(
            client,
            "credlens_model_info",
            name=model.name,
            version=model.version,
            sha256=model.sha256,
        )
        == 1
    )


async def test_malformed_json_is_400(client: Client) -> None:
    r = await client.post(
        "/v1/analyze", content=b'{"url": "https://a.org/x", "text": ', headers=_JSON
    )
    assert r.status_code == 400 and error(r).error == "malformed_json"


_JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://a.org/x", "text": "Some text."},
        {"url": "https://a.org/x"},
        {"url": "https://a.org/x", "text": "t", "html": "<p>h</p>"},
        {"url": "https://a.org:99999/x", "text": "Some text."},
        {"url": 42, "text": "Some text."},
        ["not", "an", "object"],
    ],
)
async def test_invalid_requests_are_422(client: Client, body: object) -> None:
    r = await client.post("/v1/analyze", json=body)
    assert r.status_code == 422, r.text
    assert error(r).error == "validation_error" and error(r).detail


async def test_wrong_content_type_is_415(client: Client) -> None:
    body = json.dumps(examples.TEXT_REQUEST).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        r = await client.post("/v1/analyze", content=body, headers={"content-type": content_type})
        assert r.status_code == 415 and error(r).error == "unsupported_media_type"
    r = await client.post("/v1/analyze", content=body, headers={**_JSON, "content-encoding": "br"})
    assert r.status_code == 415


async def test_body_limit_on_the_wire_and_after_gzip(make_client: MakeClient) -> None:
    client = await make_client(max_body_bytes=20_000)
    big = {"url": "https://a.org/x", "text": "word " * 5_000}
    r = await client.post("/v1/analyze", json=big)
    assert r.status_code == 413 and error(r).error == "body_too_large"
    # 25 KB of JSON that gzips to a few hundred bytes: refused once inflated past the limit.
    bomb = gzip.compress(json.dumps(big).encode())
    assert len(bomb) < 1_000
    r = await client.post(
        "/v1/analyze", content=bomb, headers={**_JSON, "content-encoding": "gzip"}
    )
    assert r.status_code == 413 and error(r).error == "body_too_large"


async def test_gzip_body_is_accepted(client: Client) -> None:
    body = gzip.compress(json.dumps(examples.TEXT_REQUEST).encode())
    r = await client.post(
        "/v1/analyze", content=body, headers={**_JSON, "content-encoding": "gzip"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["title"] == examples.TEXT_REQUEST["title"]
    r = await client.post(
        "/v1/analyze", content=body[:-10], headers={**_JSON, "content-encoding": "gzip"}
    )
    assert r.status_code == 400 and error(r).error == "malformed_body"
    r = await client.post(
        "/v1/analyze", content=b"not gzip", headers={**_JSON, "content-encoding": "gzip"}
    )
    assert r.status_code == 400 and error(r).error == "malformed_body"


async def test_no_article_is_422(client: Client) -> None:
    for body in (
        {"url": "https://a.org/", "html": "<html><body><nav><a href='/'>Home</a></nav></body>"},
        {"url": "https://a.org/", "html": ""},
        {"url": "https://a.org/", "text": "  \n\n  "},
    ):
        r = await client.post("/v1/analyze", json=body)
        assert r.status_code == 422, r.text
        assert error(r).error == "no_article"


async def test_non_english_is_422_with_metadata(client: Client, foreign_page: Page) -> None:
    r = await client.post("/v1/analyze", json={"url": foreign_page.url, "html": foreign_page.html})
    assert r.status_code == 422, r.text
    body = error(r)
    assert body.error == "unsupported_language"
    assert body.analysis is not None and body.analysis.scores is None
    assert body.analysis.details is None
    assert body.analysis.article.language == "pt" and body.analysis.article.word_count > 300
    assert body.analysis.title


async def test_api_keys(make_client: MakeClient) -> None:
    client = await make_client(api_keys=("alpha", "beta"))
    r = await client.get("/v1/model")
    assert r.status_code == 401 and error(r).error == "unauthorized"
    r = await client.get("/v1/model", headers={"x-api-key": "gamma"})
    assert r.status_code == 403 and error(r).error == "forbidden"
    assert (await client.get("/v1/model", headers={"x-api-key": "beta"})).status_code == 200
    r = await client.post("/v1/analyze", json=examples.TEXT_REQUEST, headers={"x-api-key": "a"})
    assert r.status_code == 403
    assert (await client.get("/healthz")).status_code == 200  # operations stay open


async def test_rate_limit_is_429(make_client: MakeClient) -> None:
    client = await make_client(rate_limit=3)
    statuses = [(await client.get("/v1/model")).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    r = await client.get("/v1/model")
    assert error(r).error == "rate_limited" and int(r.headers["retry-after"]) >= 1


async def test_cors_allows_the_extension_only(client: Client) -> None:
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }
    for origin in ("chrome-extension://abcdefghijklmnop", "moz-extension://1b2c-3d4e"):
        r = await client.options("/v1/analyze", headers={"origin": origin, **preflight})
        assert r.status_code in (200, 204)
        assert r.headers["access-control-allow-origin"] == origin
        r = await client.get("/v1/model", headers={"origin": origin})
        assert r.headers["access-control-allow-origin"] == origin
    r = await client.options("/v1/analyze", headers={"origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in r.headers
    r = await client.get("/v1/model", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


async def test_configured_cors_origins(make_client: MakeClient) -> None:
    client = await make_client(cors_origins=("https://*.example.com",))
    ok = await client.get("/v1/model", headers={"origin": "https://news.example.com"})
    assert ok.headers["access-control-allow-origin"] == "https://news.example.com"
    no = await client.get("/v1/model", headers={"origin": "chrome-extension://abc"})
    assert "access-control-allow-origin" not in no.headers


async def test_unknown_route_and_method_are_json(client: Client) -> None:
    r = await client.get("/v1/nothing")
    assert r.status_code == 404 and error(r).error == "not_found"
    r = await client.get("/v1/analyze")
    assert r.status_code == 405 and error(r).error == "method_not_allowed"
