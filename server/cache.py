"""The analysis cache: canonical URLs and keys, two backends behind one interface, single flight.

A key is ``<model id> <canonical URL>``, so a model swap starts a fresh cache. An entry keeps
a fingerprint of the extracted text next to the encoded analysis: a page whose text changed
(an updated article) is analysed again. Entries hold the response bytes already encoded with
``cached: true``, so a hit is a lookup and a write, no encoding.

Backends: ``LocalCache`` (cachetools TTL + LRU, bounded in entries, one per process) and
``RedisCache`` (Redis/Valkey, shared by processes and hosts, selected by ``CREDLENS_CACHE_URL``).
Both are used from the event loop only.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

import msgspec
from cachetools import TTLCache

from .errors import InvalidRequest

T = TypeVar("T")
log = logging.getLogger("credlens")

#: Query parameters that only track the reader (ad and social click ids, analytics tags);
#: dropped from the canonical URL. Everything else in the query is kept, in order, as written.
TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|twclid|yclid|igshid|mc_cid|mc_eid"
    r"|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|li_fat_id|ncid|cmpid)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@functools.lru_cache(maxsize=65_536)
def canonical_url(url: str) -> str:
    """``url`` with scheme and host lower-cased, default port, user info, fragment and tracking
    parameters removed, an empty path as ``/``; path and the rest of the query as written.

    Memoised: popular URLs are looked up again and again (a refused URL raises each time)."""
    if _CONTROL.search(url):
        raise InvalidRequest("url: control characters (NUL, CR, LF...) are not allowed")
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises ValueError for a port that is not a number or out of range
    except ValueError as exc:
        raise InvalidRequest(f"url: not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    host = parts.hostname  # already lower-cased, without user info
    if scheme not in _DEFAULT_PORTS or not host:
        raise InvalidRequest("url: an absolute http(s) URL with a host is required")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    query = "&".join(
        p for p in parts.query.split("&") if p and not TRACKING_PARAMS.match(p.split("=", 1)[0])
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def cache_key(canonical: str, model_id: str) -> str:
    return f"{model_id} {canonical}"


def fingerprint(title: str | None, text: str) -> str:
    """Identifies the extracted article: same headline and text, same fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    h.update((title or "").encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class CacheEntry(msgspec.Struct, array_like=True, frozen=True):
    fingerprint: str
    body: bytes
    """The ``Analysis`` as JSON, encoded with ``cached: true``."""


_encode_entry = msgspec.msgpack.Encoder().encode
_decode_entry = msgspec.msgpack.Decoder(CacheEntry).decode


class CacheBackend(Protocol):
    name: str

    async def get(self, key: str) -> CacheEntry | None: ...

    async def set(self, key: str, entry: CacheEntry) -> None: ...

    async def lease(self, key: str, seconds: float) -> bool:
        """Claim the right to compute ``key`` across processes (True: go ahead)."""
        ...

    async def release(self, key: str) -> None: ...

    async def leased(self, key: str) -> bool:
        """Whether another process holds the lease on ``key``."""
        ...

    async def ping(self) -> bool: ...

    async def publish(self, message: bytes) -> None:
        """Tell every process sharing this cache (model reloads)."""
        ...

    def messages(self) -> AsyncIterator[bytes]:
        """What other processes published (forever; nothing for a local cache)."""
        ...

    async def close(self) -> None: ...


class LocalCache:
    """In-process TTL + LRU cache, bounded in entries. Leases are unneeded in one process."""

    name = "memory"

    def __init__(self, size: int, ttl: float) -> None:
        self._data: TTLCache[str, CacheEntry] | None = (
            TTLCache(maxsize=size, ttl=ttl) if size > 0 else None
        )

    async def get(self, key: str) -> CacheEntry | None:
        return self._data.get(key) if self._data is not None else None

    async def set(self, key: str, entry: CacheEntry) -> None:
        if self._data is not None:
            self._data[key] = entry

    async def lease(self, key: str, seconds: float) -> bool:
        return True

    async def release(self, key: str) -> None:
        return None

    async def leased(self, key: str) -> bool:
        return False

    async def ping(self) -> bool:
        return True

    async def publish(self, message: bytes) -> None:
        return None

    async def messages(self) -> AsyncIterator[bytes]:
        return
        yield  # an async generator that ends at once: one process has nobody to hear from

    async def close(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self._data) if self._data is not None else 0


class RedisCache:
    """Redis/Valkey backend: entries expire after ``ttl``; size is bounded by the server's
    ``maxmemory`` with ``allkeys-lru`` (set it there). Leases are ``SET NX PX`` keys.

    A Redis outage never fails an analysis: the process falls back to a local in-memory cache
    (``fallback_size`` entries, same TTL) for reads and writes, leases are granted (each worker
    computes), with one warning. Redis is skipped for ``retry_after`` seconds after an error,
    then tried again: the first command that succeeds ends the outage (logged). ``/readyz``
    reports the outage. Entries written locally during an outage are still served afterwards
    (a Redis miss looks in the local cache).
    """

    name = "redis"

    def __init__(
        self,
        url: str,
        ttl: float,
        prefix: str = "credlens:",
        *,
        fallback_size: int = 10_000,
        retry_after: float = 1.0,
    ) -> None:
        import redis.asyncio as redis  # imported here: only the shared backend needs it

        self._redis = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._ttl_ms = max(1, int(ttl * 1000))
        self._prefix = prefix
        self.local = LocalCache(fallback_size, ttl)
        """Serves while Redis is away (and what was written there, afterwards)."""
        self.retry_after = retry_after
        self.degraded = False
        """True from a failed Redis command until one succeeds."""
        self._skip_until = 0.0

    def _up(self) -> bool:
        """Whether to try Redis now (not within ``retry_after`` of the last failure)."""
        return not self.degraded or time.monotonic() >= self._skip_until

    def _down(self, exc: BaseException) -> None:
        if not self.degraded:
            log.warning("redis cache unavailable (%s): using the local cache", exc)
        self.degraded = True
        self._skip_until = time.monotonic() + self.retry_after

    def _ok(self) -> None:
        if self.degraded:
            self.degraded = False
            log.warning("redis cache reachable again: back on the shared cache")

    async def get(self, key: str) -> CacheEntry | None:
        if not self._up():
            return await self.local.get(key)
        try:
            raw: Any = await self._redis.get(self._prefix + "a:" + key)
        except self._errors as exc:
            self._down(exc)
            return await self.local.get(key)
        self._ok()
        if raw is None:
            return await self.local.get(key) if len(self.local) else None
        try:
            return _decode_entry(raw)
        except msgspec.DecodeError:  # written by another version: treat as a miss
            return None

    async def set(self, key: str, entry: CacheEntry) -> None:
        if not self._up():
            await self.local.set(key, entry)
            return
        try:
            await self._redis.set(self._prefix + "a:" + key, _encode_entry(entry), px=self._ttl_ms)
        except self._errors as exc:
            self._down(exc)
            await self.local.set(key, entry)
        else:
            self._ok()

    async def lease(self, key: str, seconds: float) -> bool:
        if not self._up():
            return True
        ms = max(1, int(seconds * 1000))
        try:
            got = bool(await self._redis.set(self._prefix + "l:" + key, b"1", nx=True, px=ms))
        except self._errors as exc:
            self._down(exc)
            return True
        self._ok()
        return got

    async def release(self, key: str) -> None:
        if not self._up():
            return
        try:
            await self._redis.delete(self._prefix + "l:" + key)
        except self._errors as exc:
            self._down(exc)

    async def leased(self, key: str) -> bool:
        if not self._up():
            return False
        try:
            return bool(await self._redis.exists(self._prefix + "l:" + key))
        except self._errors as exc:
            self._down(exc)
            return False

    async def ping(self) -> bool:
        try:
            up = bool(await self._redis.ping())
        except self._errors as exc:
            self._down(exc)
            return False
        if up:
            self._ok()
        return up

    async def publish(self, message: bytes) -> None:
        if not self._up():
            return
        try:
            await self._redis.publish(self._prefix + "events", message)
        except self._errors as exc:
            self._down(exc)

    async def messages(self) -> AsyncIterator[bytes]:
        """Messages on the shared channel; resubscribes after a Redis outage."""
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._prefix + "events")
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        yield bytes(message["data"])
            except self._errors as exc:
                self._down(exc)
                await asyncio.sleep(1.0)
            finally:
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()


def open_cache(url: str | None, size: int, ttl: float) -> CacheBackend:
    return RedisCache(url, ttl, fallback_size=size) if url else LocalCache(size, ttl)


class SingleFlight:
    """Concurrent calls with the same key share one computation (in this process).

    Across processes the cache's lease does the same: one process computes, the others poll
    the cache until the entry appears or the lease goes (then they compute themselves).
    """

    def __init__(self) -> None:
        self._calls: dict[str, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        return len(self._calls)

    async def run(self, key: str, fn: Callable[[], Awaitable[T]]) -> tuple[T, bool]:
        """``(value, shared)``: ``shared`` is True when another call computed the value."""
        while (call := self._calls.get(key)) is not None:
            try:
                return await asyncio.shield(call), True
            except asyncio.CancelledError:
                if not call.cancelled():
                    raise  # this request was cancelled, not the shared call
                # the leader was cancelled: the loop lets one follower take over
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._calls[key] = future
        try:
            value = await fn()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning without followers
            raise
        else:
            future.set_result(value)
            return value, False
        finally:
            del self._calls[key]


async def wait_for_peer(
    cache: CacheBackend, key: str, lease_key: str, fp: str, deadline: float
) -> CacheEntry | None:
    """Another process holds the lease: poll until its entry lands, the lease goes, or the
    ``deadline`` (a ``loop.time()``) passes."""
    loop = asyncio.get_running_loop()
    delay = 0.005
    while loop.time() < deadline:
        entry = await cache.get(key)
        if entry is not None and entry.fingerprint == fp:
            return entry
        if not await cache.leased(lease_key):
            return None
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.05)
    return None
