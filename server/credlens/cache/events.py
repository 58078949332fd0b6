"""Events between the processes that share a cache: today, "the model was reloaded"."""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgspec

from credlens.cache.backends import CacheBackend
from credlens.schemas import ReloadEvent

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(ReloadEvent).decode


async def announce_reload(cache: CacheBackend, origin: str) -> None:
    """Tell the other processes that ``origin`` reloaded its model."""
    await cache.publish(_encode(ReloadEvent(origin=origin)))


async def reloads_from_others(cache: CacheBackend, origin: str) -> AsyncIterator[ReloadEvent]:
    """Reload events published by processes other than ``origin`` (forever)."""
    async for raw in cache.messages():
        try:
            event = _decode(raw)
        except msgspec.DecodeError:
            continue
        if event.kind == "reload" and event.origin != origin:
            yield event
