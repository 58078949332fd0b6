"""The analysis cache, in the order a request meets it.

``urls``: which requests are the same page (canonical URL, key with the model id).
``backends``: where entries live (in memory, or Redis shared by processes), one interface.
``flight``: identical analyses that arrive together run once (in a process and across them).
``events``: what processes sharing a cache tell each other (model reloads).
"""

from credlens.cache.backends import CacheBackend, LocalCache, RedisCache, open_cache
from credlens.cache.events import announce_reload, reloads_from_others
from credlens.cache.flight import SingleFlight, wait_for_peer
from credlens.cache.urls import cache_key, canonical_url

__all__ = [
    "CacheBackend",
    "LocalCache",
    "RedisCache",
    "SingleFlight",
    "announce_reload",
    "cache_key",
    "canonical_url",
    "open_cache",
    "reloads_from_others",
    "wait_for_peer",
]
