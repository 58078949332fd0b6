"""Single flight: identical analyses that arrive together run the model once.

In one process ``SingleFlight`` shares one computation between concurrent callers; across
processes the backend's lease does the same: one process computes, the others
``wait_for_peer`` until the entry lands or the lease goes (then they compute themselves).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from credlens.cache.backends import CacheBackend
from credlens.schemas import CacheEntry

T = TypeVar("T")


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
