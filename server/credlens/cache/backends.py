"""Where analyses are kept: two backends behind one small interface.

``LocalCache`` (cachetools TTL + LRU, bounded in entries and bytes, one per process) and
``RedisCache``
(Redis/Valkey, shared by processes and hosts, selected by ``CREDLENS_CACHE_URL``). Both are
used from the event loop only. Entries hold the response bytes already encoded with
``cached: true``, so a hit is a lookup and a write, no encoding.

Besides get/set/ping, a backend carries what several processes need to agree on: leases (one
process computes a page, ``flight.wait_for_peer``) and a channel for events (``events``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, NamedTuple, Protocol, TypeVar

import msgspec
from cachetools import TTLCache

from credlens.schemas import CacheEntry

T = TypeVar("T")
log = logging.getLogger("credlens")

_encode_entry = msgspec.msgpack.Encoder().encode
_decode_entry = msgspec.msgpack.Decoder(CacheEntry).decode


class CacheBackend(Protocol):
    name: str

    async def get(self, key: str) -> CacheEntry | None: ...

    async def set(self, key: str, entry: CacheEntry) -> None: ...

    async def ping(self) -> bool: ...

    async def count(self, key: str, seconds: float) -> int:
        """Add one to the counter ``key`` (created to last ``seconds``); its new value."""
        ...

    async def lease(self, key: str, seconds: float) -> bool:
        """Claim the right to compute ``key`` across processes (True: go ahead)."""
        ...

    async def release(self, key: str) -> None: ...

    async def leased(self, key: str) -> bool:
        """Whether another process holds the lease on ``key``."""
        ...

    async def publish(self, message: bytes) -> None:
        """Tell every process sharing this cache (model reloads)."""
        ...

    def messages(self) -> AsyncIterator[bytes]:
        """What other processes published (forever; nothing for a local cache)."""
        ...

    async def close(self) -> None: ...


#: Counters (rate-limit windows) a process keeps at most; the least recently used go first,
#: so a flood of made-up clients cannot grow memory (each entry is about 200 bytes).
MAX_COUNTERS = 100_000
#: Bytes an in-memory entry costs beyond its key, fingerprint and body: the Python objects and
#: the cache's own links (tracemalloc over 20,000 entries: 292 for the cache, ~190 objects).
ENTRY_OVERHEAD_BYTES = 512


class _Sized(NamedTuple):
    entry: CacheEntry
    size: int


def entry_bytes(key: str, entry: CacheEntry) -> int:
    """What keeping ``entry`` under ``key`` in memory costs, in bytes (UTF-8 of the key)."""
    return len(key.encode()) + len(entry.fingerprint) + len(entry.body) + ENTRY_OVERHEAD_BYTES


class LocalCache:
    """In-process TTL + LRU cache, bounded in entries (``size``) and in bytes (``max_bytes``,
    keys included): the least recently used go first. Leases are unneeded in one process."""

    name = "memory"

    def __init__(self, size: int, ttl: float, max_bytes: int = 256 * 2**20) -> None:
        self.size = size
        self._data: TTLCache[str, _Sized] | None = (
            TTLCache(maxsize=max_bytes, ttl=ttl, getsizeof=lambda v: v.size)
            if size > 0 and max_bytes > 0
            else None
        )
        self._counters: TTLCache[str, int] = TTLCache(maxsize=MAX_COUNTERS, ttl=60.0)

    @property
    def used_bytes(self) -> float:
        """Bytes the entries take now (``entry_bytes`` summed)."""
        return self._data.currsize if self._data is not None else 0

    async def get(self, key: str) -> CacheEntry | None:
        found = self._data.get(key) if self._data is not None else None
        return found.entry if found is not None else None

    async def set(self, key: str, entry: CacheEntry) -> None:
        if self._data is None:
            return
        size = entry_bytes(key, entry)
        if size > self._data.maxsize:
            # Larger than the whole cache (cachetools would raise): not kept, and no older
            # entry under the key outlives it.
            self._data.pop(key, None)
            return
        self._data[key] = _Sized(entry, size)
        while len(self._data) > self.size:
            self._data.popitem()  # the least recently used

    async def ping(self) -> bool:
        return True

    async def count(self, key: str, seconds: float) -> int:
        # One TTL for every counter: windows are a minute (the rate limit's unit).
        value = self._counters.get(key, 0) + 1
        self._counters[key] = value
        return value

    async def lease(self, key: str, seconds: float) -> bool:
        return True

    async def release(self, key: str) -> None:
        return None

    async def leased(self, key: str) -> bool:
        return False

    async def publish(self, message: bytes) -> None:
        return None

    async def messages(self) -> AsyncIterator[bytes]:
        return
        yield  # an async generator that ends at once: one process has nobody to hear from

    async def close(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self._data) if self._data is not None else 0


async def _answer(value: T) -> T:
    return value


class RedisCache:
    """Redis/Valkey backend: entries expire after ``ttl``; size is bounded by the server's
    ``maxmemory`` with ``allkeys-lru`` (set it there). Leases are ``SET NX PX`` keys.

    A Redis outage never fails an analysis: every command goes through ``_guarded``, which
    answers from a local in-memory cache (``fallback_size`` entries, same TTL) or a neutral
    value (leases granted: each worker computes), with one warning. Redis is skipped for
    ``retry_after`` seconds after an error, then tried again: the first command that succeeds
    ends the outage (logged). ``/readyz`` reports the outage. Entries written locally during an
    outage are still served afterwards (a Redis miss looks in the local cache).
    """

    name = "redis"

    def __init__(
        self,
        url: str,
        ttl: float,
        prefix: str = "credlens:",
        *,
        fallback_size: int = 10_000,
        fallback_bytes: int = 64 * 2**20,
        retry_after: float = 1.0,
    ) -> None:
        import redis.asyncio as redis  # imported here: only the shared backend needs it

        self._redis = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._ttl_ms = max(1, int(ttl * 1000))
        self._prefix = prefix
        self.local = LocalCache(fallback_size, ttl, fallback_bytes)
        """Serves while Redis is away (and what was written there, afterwards)."""
        self.retry_after = retry_after
        self.degraded = False
        """True from a failed Redis command until one succeeds."""
        self._skip_until = 0.0

    async def _guarded(
        self, command: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]
    ) -> T:
        """The one place a Redis command runs: ``fallback`` answers during an outage."""
        if self.degraded and time.monotonic() < self._skip_until:
            return await fallback()
        try:
            result = await command()
        except self._errors as exc:
            if not self.degraded:
                log.warning("redis cache unavailable (%s): using the local cache", exc)
            self.degraded = True
            self._skip_until = time.monotonic() + self.retry_after
            return await fallback()
        if self.degraded:
            self.degraded = False
            log.warning("redis cache reachable again: back on the shared cache")
        return result

    async def get(self, key: str) -> CacheEntry | None:
        raw: Any = await self._guarded(
            lambda: self._redis.get(self._prefix + "a:" + key), lambda: _answer(None)
        )
        if raw is None:
            return await self.local.get(key) if len(self.local) else None
        try:
            return _decode_entry(raw)
        except msgspec.DecodeError:  # written by another version: treat as a miss
            return None

    async def set(self, key: str, entry: CacheEntry) -> None:
        async def store() -> None:
            await self._redis.set(self._prefix + "a:" + key, _encode_entry(entry), px=self._ttl_ms)

        await self._guarded(store, lambda: self.local.set(key, entry))

    async def ping(self) -> bool:
        # Not skipped during an outage: readiness probes are how the outage is noticed ending.
        self._skip_until = 0.0
        return bool(await self._guarded(self._redis.ping, lambda: _answer(False)))

    async def count(self, key: str, seconds: float) -> int:
        async def incr() -> int:
            name = self._prefix + "c:" + key
            pipe = self._redis.pipeline(transaction=True)
            pipe.incr(name)
            pipe.pexpire(name, max(1, int(seconds * 1000)), nx=True)
            value, _ = await pipe.execute()
            return int(value)

        return await self._guarded(incr, lambda: self.local.count(key, seconds))

    async def lease(self, key: str, seconds: float) -> bool:
        ms = max(1, int(seconds * 1000))
        return bool(
            await self._guarded(
                lambda: self._redis.set(self._prefix + "l:" + key, b"1", nx=True, px=ms),
                lambda: _answer(True),
            )
        )

    async def release(self, key: str) -> None:
        await self._guarded(lambda: self._redis.delete(self._prefix + "l:" + key), _none)

    async def leased(self, key: str) -> bool:
        return bool(
            await self._guarded(
                lambda: self._redis.exists(self._prefix + "l:" + key), lambda: _answer(False)
            )
        )

    async def publish(self, message: bytes) -> None:
        await self._guarded(lambda: self._redis.publish(self._prefix + "events", message), _none)

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
                await self._guarded(_raiser(exc), _none)  # marks the outage, once
                await asyncio.sleep(1.0)
            finally:
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()


async def _none() -> None:
    return None


def _raiser(exc: BaseException) -> Callable[[], Awaitable[None]]:
    async def again() -> None:
        raise exc

    return again


def open_cache(url: str | None, size: int, ttl: float, max_bytes: int) -> CacheBackend:
    """The backend the settings name: Redis for a ``redis://`` URL, else in memory (``size``
    entries and ``max_bytes`` at most, also the bounds of Redis's local fallback)."""
    if url:
        return RedisCache(url, ttl, fallback_size=size, fallback_bytes=max_bytes)
    return LocalCache(size, ttl, max_bytes)
