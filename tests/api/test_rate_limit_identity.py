"""Who a client is, for the rate limit: its API key only when that key is a configured one, else
its address. A key made up per request (none configured, or an unknown one) opens no window
of its own, so it cannot escape the limit, nor grow the table of windows."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from credlens.api.app import create_app
from credlens.api.routes import WINDOW_SECONDS
from credlens.cache.backends import MAX_COUNTERS, LocalCache
from credlens.settings import Settings
from tests.api.asgi import in_loop
from tests.api.conftest import MakeClient

pytestmark = pytest.mark.anyio

SMALL_BUNDLE = Path(__file__).resolve().parents[2] / "models" / "credlens-tfidf-small"
LIMIT = 3


async def test_random_keys_without_configured_keys_share_the_address_window(
    make_client: MakeClient,
) -> None:
    client = await make_client(bundle=SMALL_BUNDLE, rate_limit=LIMIT)
    statuses = [
        (await client.get("/v1/model", headers={"x-api-key": f"made-up-{i}"})).status_code
        for i in range(LIMIT + 3)
    ]
    assert statuses == [200] * LIMIT + [429] * 3
    assert (await client.get("/v1/model")).status_code == 429  # the same address, no key


async def test_random_keys_open_no_windows_in_redis(
    make_client: MakeClient, redis_url: str
) -> None:
    client = await make_client(bundle=SMALL_BUNDLE, rate_limit=LIMIT, cache_url=redis_url)
    for i in range(LIMIT + 5):
        await client.get("/v1/model", headers={"x-api-key": f"made-up-{i}"})
    with redis.Redis.from_url(redis_url) as r:
        windows = list(r.scan_iter(match="*c:*"))
    assert len(windows) in (1, 2), windows  # (2: a new minute began in between)
    assert not any(b"made-up" in w for w in windows)


def test_the_local_window_table_is_bounded() -> None:
    assert LocalCache(10, 60.0)._counters.maxsize == MAX_COUNTERS


# --- Generated: any keys, from fresh addresses --------------------------------------------------

_CLIENT: Any = None
_KEYED: Any = None
#: A fresh client address per generated example, so each starts with an empty window.
_ADDRESSES = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))


@pytest.fixture(autouse=True, scope="module")
def _clients() -> Iterator[None]:
    global _CLIENT, _KEYED
    anonymous = create_app(Settings(bundle=SMALL_BUNDLE, rate_limit=LIMIT))
    keyed = create_app(Settings(bundle=SMALL_BUNDLE, rate_limit=LIMIT, api_keys=("k1", "k2")))
    with TestClient(anonymous) as client, TestClient(keyed) as keyed_client:
        _CLIENT, _KEYED = client, keyed_client
        yield
    _CLIENT = _KEYED = None


_keys = st.one_of(st.none(), st.text(alphabet=st.characters(codec="latin-1"), max_size=40))


def _get(client: Any, address: str, key: str | None) -> int:
    headers = [("host", "testserver")] + ([("x-api-key", key)] if key is not None else [])
    return in_loop(client, "GET", "/v1/model", headers=headers, client=(address, 40000)).status


def _window() -> int:
    return int(time.time() // WINDOW_SECONDS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keys=st.lists(_keys, min_size=LIMIT + 1, max_size=LIMIT + 6))
def test_any_keys_without_configured_keys_get_one_window(keys: list[str | None]) -> None:
    address = next(_ADDRESSES)
    first = _window()
    statuses = [_get(_CLIENT, address, key) for key in keys]
    if _window() == first:  # (a new minute in between opens a new window: rare, allowed)
        assert statuses == [200] * LIMIT + [429] * (len(keys) - LIMIT)
    assert statuses.count(200) <= LIMIT * (1 + _window() - first)


def test_with_configured_keys_only_those_are_identities() -> None:
    """An unknown key is refused (403) before it is counted; a configured key is one window
    whatever address sends it."""
    first = _window()
    a, b = next(_ADDRESSES), next(_ADDRESSES)
    assert {_get(_KEYED, a, key) for key in ("unknown", "K1", "k1 ", "")} <= {401, 403}
    statuses = [_get(_KEYED, address, "k1") for address in (a, b) * LIMIT]
    if _window() == first:
        assert statuses == [200] * LIMIT + [429] * LIMIT
    assert _get(_KEYED, a, "k2") == 200  # k2 has its own window
