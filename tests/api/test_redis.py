"""The shared cache backend against a real redis-server (started by the ``redis_server``
fixture): what one worker analysed, another serves; single flight across processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import redis

from credlens.api import examples
from credlens.cache import RedisCache
from credlens.schemas import CacheEntry
from credlens.settings import DEFAULT_BUNDLE
from credlens_bench.extract import Page
from tests.api.conftest import MakeClient, concurrently, metric, start_redis, stop

pytestmark = pytest.mark.anyio

TEXT = examples.TEXT_REQUEST
SMALL_BUNDLE = Path(__file__).resolve().parents[2] / "models" / "credlens-tfidf-small"


async def test_a_second_worker_serves_what_the_first_analysed(
    make_client: MakeClient, redis_url: str
) -> None:
    one = await make_client(cache_url=redis_url)
    two = await make_client(cache_url=redis_url)
    first = await one.post("/v1/analyze", json=TEXT)
    assert first.status_code == 200 and first.json()["cached"] is False
    r = await two.get("/v1/analyses", params={"url": TEXT["url"] + "&fbclid=x#frag"})
    assert r.status_code == 200 and r.json()["cached"] is True
    assert {**r.json(), "cached": False} == first.json()
    again = await two.post("/v1/analyze", json=TEXT)
    assert again.json()["cached"] is True
    assert await metric(one, "credlens_model_runs_total") == 1
    assert await metric(two, "credlens_model_runs_total") == 0
    with redis.Redis.from_url(redis_url) as r_:
        keys = r_.keys("credlens:a:*")
        assert len(keys) == 1 and b"https://news.example.org/2024/05/city-council" in keys[0]
        assert 0 < r_.pttl(keys[0]) <= 86_400_000


async def test_changed_text_and_model_in_the_key(make_client: MakeClient, redis_url: str) -> None:
    client = await make_client(cache_url=redis_url)
    await client.post("/v1/analyze", json=TEXT)
    changed = {**TEXT, "text": TEXT["text"] + "\n\nThe vote was broadcast live."}
    r = await client.post("/v1/analyze", json=changed)
    assert r.json()["cached"] is False
    assert (await client.post("/v1/analyze", json=changed)).json()["cached"] is True
    with redis.Redis.from_url(redis_url) as r_:
        (key,) = r_.keys("credlens:a:*")
        model = r.json()["model"]
        assert key.decode().startswith(f"credlens:a:{model['name']}@{model['version']}+")


async def test_entries_expire(make_client: MakeClient, redis_url: str) -> None:
    client = await make_client(cache_url=redis_url, cache_ttl=0.3)
    await client.post("/v1/analyze", json=TEXT)
    assert (await client.get("/v1/analyses", params={"url": TEXT["url"]})).status_code == 200
    await asyncio.sleep(0.6)
    assert (await client.get("/v1/analyses", params={"url": TEXT["url"]})).status_code == 404


async def test_single_flight_across_workers(
    make_client: MakeClient, redis_url: str, english_pages: list[Page]
) -> None:
    page = english_pages[4]
    body = {"url": page.url, "html": page.html}
    workers = [await make_client(cache_url=redis_url) for _ in range(3)]
    # Each worker gets 4 identical requests at once, all workers at the same time.
    batches = await asyncio.gather(
        *(asyncio.to_thread(concurrently, w, [("POST", "/v1/analyze", body)] * 4) for w in workers)
    )
    responses = [r for batch in batches for r in batch]
    assert [r.status_code for r in responses] == [200] * 12
    assert sum(not r.json()["cached"] for r in responses) == 1
    runs = [await metric(w, "credlens_model_runs_total") for w in workers]
    assert sum(runs) == 1, runs
    assert len({str(r.json()["scores"]) for r in responses}) == 1


async def test_backend_round_trip_and_lease(redis_url: str) -> None:
    cache = RedisCache(redis_url, ttl=60)
    try:
        assert await cache.get("k") is None
        entry = CacheEntry("fp", b'{"url": "https://a.org/"}')
        await cache.set("k", entry)
        assert await cache.get("k") == entry
        assert await cache.lease("k fp", 5) is True
        assert await cache.lease("k fp", 5) is False
        assert await cache.leased("k fp") is True
        await cache.release("k fp")
        assert await cache.leased("k fp") is False
        assert await cache.ping() is True
        with redis.Redis.from_url(redis_url) as r_:
            r_.set("credlens:a:bad", b"\x00garbage")
        assert await cache.get("bad") is None  # another version's entry reads as a miss
    finally:
        await cache.close()


async def test_redis_outage_fails_ready_not_analyses(
    make_client: MakeClient, tmp_path: Path
) -> None:
    proc, url = start_redis(tmp_path)
    try:
        client = await make_client(cache_url=url)
        assert (await client.get("/readyz")).status_code == 200
        stop(proc)
        r = await client.get("/readyz")
        assert r.status_code == 503 and r.json()["error"] == "not_ready"
        # Analyses go on while Redis is away, cached in the process's local fallback.
        r = await client.post("/v1/analyze", json=TEXT)
        assert r.status_code == 200 and r.json()["cached"] is False
        r = await client.post("/v1/analyze", json=TEXT)
        assert r.status_code == 200 and r.json()["cached"] is True
    finally:
        stop(proc)


async def test_reload_reaches_every_worker(
    make_client: MakeClient, redis_url: str, tmp_path: Path
) -> None:
    link = tmp_path / "bundle"
    link.symlink_to(DEFAULT_BUNDLE, target_is_directory=True)
    one, two = [
        await make_client(cache_url=redis_url, bundle=link, admin_token="t") for _ in range(2)
    ]
    assert (await two.get("/v1/model")).json()["model"]["name"] == "credlens-default"
    link.unlink()
    link.symlink_to(SMALL_BUNDLE, target_is_directory=True)
    r = await one.post("/v1/model/reload", headers={"authorization": "Bearer t"})
    assert r.status_code == 200 and r.json()["model"]["name"] == "credlens-tfidf-small"
    for _ in range(100):  # the other worker hears it on the shared channel
        if (await two.get("/v1/model")).json()["model"]["name"] == "credlens-tfidf-small":
            break
        await asyncio.sleep(0.05)
    assert (await two.get("/v1/model")).json()["model"]["name"] == "credlens-tfidf-small"
    assert await metric(two, "credlens_model_info", name="credlens-tfidf-small") == 1


async def test_backend_falls_back_to_local_and_retries(tmp_path: Path) -> None:
    proc, url = start_redis(tmp_path)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    cache = RedisCache(url, ttl=60, fallback_size=10, retry_after=0.2)
    try:
        entry = CacheEntry("fp", b"{}")
        await cache.set("shared", entry)
        stop(proc)
        await cache.set("k", entry)  # Redis is down: kept locally
        assert cache.degraded and await cache.get("k") == entry
        assert await cache.lease("k fp", 5) is True and await cache.leased("k fp") is False
        assert await cache.get("shared") is None  # only in Redis, which is away
        proc, _ = start_redis(tmp_path, port)
        await asyncio.sleep(0.3)  # past the retry interval
        assert await cache.get("shared") is None  # a fresh server (no persistence): a miss...
        assert not cache.degraded  # ...but Redis answered: the outage is over
        assert await cache.get("k") == entry  # written during the outage, still served
        await cache.set("after", entry)
        with redis.Redis.from_url(url) as r_:
            assert r_.exists("credlens:a:after")
    finally:
        await cache.close()
        stop(proc)
