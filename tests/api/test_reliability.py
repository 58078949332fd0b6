"""Faults under load: the model swapped while requests run, Redis stopped and restarted in the
middle of a load run, bad bundles refused; and access control (keys, admin token, CORS, rate
limits). Load here is bounded in count and time; the long soak is ``credlens bench soak``."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from credlens.api import examples
from credlens.cache import RedisCache
from credlens.model import Scorer, load_bundle
from credlens.model.manifest import FORMAT
from credlens.pipeline import analyze_article, prepare
from credlens.schemas import AnalyzeRequest
from credlens.settings import DEFAULT_BUNDLE
from tests.api.conftest import Client, MakeClient, metric, start_redis, stop

pytestmark = pytest.mark.anyio

SMALL_BUNDLE = Path(__file__).resolve().parents[2] / "models" / "credlens-tfidf-small"
TEXT = examples.TEXT_REQUEST
ADMIN = {"authorization": "Bearer s3cret"}


def _bodies(n: int) -> list[dict[str, str]]:
    """``n`` distinct text requests (distinct URLs and texts, so distinct scores)."""
    extra = [
        "A spokesperson said the figures would be published in full next week.",
        "Critics called the plan reckless and a disgrace to the city.",
        "According to the audit office, spending rose 3.1 percent last year.",
        "The mayor, who declined to comment, is expected to sign it on Friday.",
    ]
    return [
        {
            "url": f"https://news.example.org/load/{i}",
            "title": TEXT["title"],
            "text": TEXT["text"] + "\n\n" + " ".join(extra[: 1 + i % len(extra)]) * (1 + i // 4),
        }
        for i in range(n)
    ]


def _score_key(analysis: dict[str, Any]) -> tuple[float, ...]:
    s = analysis["scores"]
    return (s["objectivity"], s["accuracy"], s["transparency"], s["average"])


def _reference(scorer: Scorer, body: dict[str, str]) -> tuple[float, ...]:
    request = AnalyzeRequest(**body)
    analysis = analyze_article(scorer, prepare(request), body["url"])
    assert analysis.scores is not None
    s = analysis.scores
    return (s.objectivity, s.accuracy, s.transparency, s.average)


async def _load(
    client: Client,
    bodies: list[dict[str, str]],
    during: Callable[[httpx.AsyncClient], Awaitable[None]],
    *,
    workers: int = 6,
) -> list[tuple[int, httpx.Response, float]]:
    """``workers`` clients post ``bodies`` round and round while ``during`` runs; every
    response with the index of its body and when it came (``time.monotonic()``)."""

    async def run() -> list[tuple[int, httpx.Response, float]]:
        transport = httpx.ASGITransport(app=client.app)
        done = asyncio.Event()
        results: list[tuple[int, httpx.Response, float]] = []
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=60
        ) as c:

            async def worker(w: int) -> None:
                n = w
                while not done.is_set():
                    i = n % len(bodies)
                    r = await c.post("/v1/analyze", json=bodies[i])
                    results.append((i, r, time.monotonic()))
                    n += 1
                    # A real client's socket yields to the loop; the in-process transport
                    # does not when the answer is a hit that never waits (the same bytes).
                    await asyncio.sleep(0)

            async def driver() -> None:
                try:
                    await during(c)
                finally:
                    done.set()

            await asyncio.gather(driver(), *(worker(w) for w in range(workers)))
        return results

    out: list[tuple[int, httpx.Response, float]] = client.blocking_portal.call(run)
    return out


async def test_swapping_the_model_under_load_fails_nothing(
    make_client: MakeClient, tmp_path: Path
) -> None:
    link = tmp_path / "bundle"
    link.symlink_to(DEFAULT_BUNDLE, target_is_directory=True)
    client = await make_client(bundle=link, admin_token="s3cret", queue_size=64)
    bodies = _bodies(8)
    scorers = {s.info.sha256: s for s in (load_bundle(DEFAULT_BUNDLE), load_bundle(SMALL_BUNDLE))}
    infos = {sha: s.info for sha, s in scorers.items()}
    reference = {
        (i, sha): _reference(s, b) for sha, s in scorers.items() for i, b in enumerate(bodies)
    }
    reloads: list[httpx.Response] = []

    async def swap_back_and_forth(c: httpx.AsyncClient) -> None:
        for k in range(6):
            await asyncio.sleep(0.25)
            link.unlink()
            link.symlink_to(SMALL_BUNDLE if k % 2 == 0 else DEFAULT_BUNDLE)
            reloads.append(await c.post("/v1/model/reload", headers=ADMIN))
        await asyncio.sleep(0.25)

    results = await _load(client, bodies, swap_back_and_forth)
    assert [r.status_code for r in reloads] == [200] * 6
    assert len(results) >= 30
    failed = [(i, r.status_code, r.text[:200]) for i, r, _ in results if r.status_code != 200]
    assert failed == []
    seen: set[str] = set()
    for i, r, _ in results:
        body = r.json()
        model = body["model"]
        # Exactly one model version, one of the two bundles, whole.
        matches = [
            sha
            for sha, info in infos.items()
            if model == {"name": info.name, "version": info.version, "sha256": info.sha256}
        ]
        assert len(matches) == 1, model
        seen.add(matches[0])
        # The scores are that model's, fresh or cached: never the other model's under its name.
        assert _score_key(body) == pytest.approx(reference[(i, matches[0])], abs=1e-6), (i, body)
    assert seen == set(infos), "both models served during the run"
    print(f"model swap: {len(results)} analyses across 6 reloads, 0 failed")
    # After the last swap (back to the default), the cache only answers with the serving model.
    serving = (await client.get("/v1/model")).json()["model"]
    assert serving["name"] == "credlens-default"
    for body in bodies:
        r = await client.get("/v1/analyses", params={"url": body["url"]})
        assert r.status_code in (200, 404)
        if r.status_code == 200:
            assert r.json()["model"] == serving
    assert await metric(client, "credlens_model_info", name="credlens-default") == 1
    assert await metric(client, "credlens_model_info", name="credlens-tfidf-small") == 0


@pytest.mark.parametrize("damage", ["corrupt-graph", "hash-mismatch", "wrong-format", "missing"])
async def test_a_bad_bundle_is_refused_and_the_old_one_serves(
    make_client: MakeClient, tmp_path: Path, damage: str
) -> None:
    link = tmp_path / "bundle"
    link.symlink_to(SMALL_BUNDLE, target_is_directory=True)
    client = await make_client(bundle=link, admin_token="s3cret")
    before = (await client.post("/v1/analyze", json=TEXT)).json()
    bad = tmp_path / "bad"
    shutil.copytree(SMALL_BUNDLE, bad)
    if damage == "corrupt-graph":
        (bad / "model.onnx").write_bytes(b"\x08\x07garbage" * 100)
    elif damage == "hash-mismatch":  # same size, one byte changed
        data = bytearray((bad / "MODEL_CARD.md").read_bytes())
        data[10] ^= 1
        (bad / "MODEL_CARD.md").write_bytes(bytes(data))
    elif damage == "wrong-format":
        manifest = bad / "manifest.json"
        text = manifest.read_text()
        assert f'"format": {FORMAT}' in text
        manifest.write_text(text.replace(f'"format": {FORMAT}', '"format": 99'))
    else:
        (bad / "model.onnx").unlink()
    link.unlink()
    link.symlink_to(bad, target_is_directory=True)
    r = await client.post("/v1/model/reload", headers=ADMIN)
    assert r.status_code == 409 and r.json()["error"] == "bad_bundle", r.text
    assert "previous model keeps serving" in r.json()["detail"]
    assert (await client.get("/v1/model")).json()["model"] == before["model"]
    after = await client.post("/v1/analyze", json=TEXT)
    assert after.status_code == 200 and after.json()["cached"] is True
    assert after.json()["model"] == before["model"]


async def test_redis_stopped_mid_run_loses_no_analysis_and_reconnects(
    make_client: MakeClient, tmp_path: Path
) -> None:
    proc, url = start_redis(tmp_path)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    try:
        client = await make_client(cache_url=url, queue_size=64)
        bodies = _bodies(6)
        phases: dict[str, float] = {}

        async def outage(c: httpx.AsyncClient) -> None:
            nonlocal proc
            await asyncio.sleep(0.8)
            phases["stop"] = time.monotonic()
            await asyncio.to_thread(stop, proc)
            await asyncio.sleep(1.5)  # load goes on against the local fallback
            assert (await c.get("/readyz")).status_code == 503
            proc, _ = await asyncio.to_thread(start_redis, tmp_path, port)
            phases["restart"] = time.monotonic()
            await asyncio.sleep(2.0)  # past the retry interval: back on Redis

        results = await _load(client, bodies, outage, workers=4)
        failed = [(i, r.status_code, r.text[:200]) for i, r, _ in results if r.status_code != 200]
        assert failed == [] and len(results) >= 20
        during = [r for _, r, t in results if phases["stop"] < t < phases["restart"]]
        assert len(during) >= 10, "the load ran through the outage"
        print(
            f"redis outage: {len(results)} analyses, {len(during)} while Redis was down, 0 failed"
        )
        service = client.app.state.service
        assert isinstance(service.cache, RedisCache)
        assert not service.cache.degraded
        assert (await client.get("/readyz")).status_code == 200
        # Reconnected: new analyses land in Redis again.
        fresh = {**TEXT, "url": "https://news.example.org/after-the-outage"}
        assert (await client.post("/v1/analyze", json=fresh)).status_code == 200
        with redis.Redis.from_url(url) as r_:
            assert any(b"after-the-outage" in k for k in r_.keys("credlens:a:*"))
        # What was analysed during the outage is served from the local fallback afterwards.
        hits = [(await client.post("/v1/analyze", json=b)).json()["cached"] for b in bodies]
        assert all(hits)
    finally:
        stop(proc)


# --- Access control ---------------------------------------------------------------------------


async def test_api_keys_guard_every_v1_route_and_the_admin_token_too(
    make_client: MakeClient,
) -> None:
    client = await make_client(api_keys=("k1", "k2"), admin_token="s3cret")
    for method, path in [
        ("GET", "/v1/model"),
        ("POST", "/v1/analyze"),
        ("GET", "/v1/analyses?url=https://a.org/"),
        ("POST", "/v1/model/reload"),
    ]:
        r = await client.request(method, path, json=TEXT if "analyze" in path else None)
        assert r.status_code == 401 and r.json()["error"] == "unauthorized", (path, r.text)
        r = await client.request(method, path, headers={"x-api-key": "k3"})
        assert r.status_code == 403 and r.json()["error"] == "forbidden", (path, r.text)
    key = {"x-api-key": "k2"}
    # A valid key is not an admin token: reloads need both.
    r = await client.post("/v1/model/reload", headers=key)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = await client.post("/v1/model/reload", headers={**key, "authorization": "Bearer k2"})
    assert r.status_code == 403 and r.json()["detail"] == "wrong admin token"
    r = await client.post("/v1/model/reload", headers={**key, "authorization": "Basic s3cret"})
    assert r.status_code == 401
    r = await client.post("/v1/model/reload", headers={**key, **ADMIN})
    assert r.status_code == 200
    for path in ("/healthz", "/readyz", "/metrics"):
        assert (await client.get(path)).status_code == 200


async def test_rate_limit_is_per_key_and_per_address(make_client: MakeClient) -> None:
    client = await make_client(api_keys=("a", "b"), rate_limit=2)
    a, b = {"x-api-key": "a"}, {"x-api-key": "b"}
    assert [(await client.get("/v1/model", headers=a)).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert (await client.get("/v1/model", headers=b)).status_code == 200  # b has its own window
    r = await client.post("/v1/analyze", json=TEXT, headers=a)
    assert r.status_code == 429 and r.json()["error"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert (await client.get("/healthz")).status_code == 200  # operations are not limited
    anon = await make_client(rate_limit=1)
    assert (await anon.get("/v1/model")).status_code == 200
    assert (await anon.get("/v1/model")).status_code == 429  # same address, no key


async def test_cors_admits_only_configured_origins(make_client: MakeClient) -> None:
    client = await make_client(cors_origins=("https://app.example.com", "chrome-extension://*"))
    preflight = {"access-control-request-method": "POST"}
    ok = await client.options(
        "/v1/analyze", headers={"origin": "https://app.example.com", **preflight}
    )
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == "https://app.example.com"
    for origin in (
        "https://app.example.com.evil.org",
        "https://evil.org/https://app.example.com",
        "http://app.example.com",
        "null",
        "https://APP.example.com.",
        "chrome-extension://abc/../x",
        "moz-extension://abc",
    ):
        for r in (
            await client.options("/v1/analyze", headers={"origin": origin, **preflight}),
            await client.get("/v1/model", headers={"origin": origin}),
        ):
            assert "access-control-allow-origin" not in r.headers, origin
            assert "access-control-allow-methods" not in r.headers, origin
