"""Fixtures for the API tests: real apps (default bundle), real pages, a real redis-server."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from credlens.api.app import create_app
from credlens.extract import extract
from credlens.settings import Settings
from credlens.text import detect_language
from credlens_bench.extract import Page

Client = AsyncTestClient[Litestar]
MakeClient = Callable[..., Awaitable[Client]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """``await make_client(**settings)``: a started app (lifespan run) and its test client."""
    async with AsyncExitStack() as stack:

        async def make(**overrides: Any) -> Client:
            app = create_app(Settings(**overrides))
            client: Client = await stack.enter_async_context(AsyncTestClient(app))
            return client

        yield make


@pytest.fixture
async def client(make_client: MakeClient) -> Client:
    return await make_client()


async def metric(client: Client, name: str, /, **labels: str) -> float:
    """A sample's value from the app's own ``/metrics`` (0 when absent)."""
    text = (await client.get("/metrics")).text
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


def concurrently(client: Client, requests: list[tuple[str, str, Any]]) -> list[httpx.Response]:
    """Send ``(method, path, json)`` requests at the same time to ``client``'s app.

    The test client answers one request at a time (it blocks on the app's event loop), so
    this runs an httpx client over the ASGI app inside that loop, where the requests overlap.
    """

    async def send_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return list(await asyncio.gather(*(c.request(m, p, json=j) for m, p, j in requests)))

    result: list[httpx.Response] = client.blocking_portal.call(send_all)
    return result


def _english(page: Page) -> bool:
    article = extract(page.html, page.url)
    return detect_language(article.text, article.language) == "en"


@pytest.fixture(scope="session")
def english_pages(tuning_pages: list[Page]) -> list[Page]:
    """English news pages of 500-1,500 words (what the model scores)."""
    chosen = []
    for page in tuning_pages:
        article = extract(page.html, page.url)
        if 500 <= article.word_count <= 1500 and _english(page):
            chosen.append(page)
    assert len(chosen) >= 10
    return chosen


@pytest.fixture(scope="session")
def foreign_page(tuning_pages: list[Page]) -> Page:
    """A Portuguese article of a few hundred words."""
    for page in tuning_pages:
        article = extract(page.html, page.url)
        if article.word_count > 300 and detect_language(article.text, article.language) == "pt":
            return page
    raise AssertionError("no Portuguese page in the tuning set")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_redis(workdir: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """A real redis-server on ``port`` (default: a free one) on loopback, answering pings;
    and its URL."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail(
            "redis-server is not installed; `make test` installs it from Debian's packages "
            "(apt-get install -y redis-server)"
        )
    import redis

    port = port or free_port()
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    with redis.Redis.from_url(url) as client:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return proc, url
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.05)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server for the whole session."""
    proc, url = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield url
    finally:
        stop(proc)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's redis-server, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_server) as r:
        r.flushdb()
    return redis_server
