"""The analysis service: what ``POST /v1/analyze`` does around the pipeline.

One request: canonical URL and key (current model) → cache entry of the same input bytes? hit
→ parse in the pool (``pipeline.prepare``; no article: ``NoArticle``) → cache entry with the
same fingerprint? hit → otherwise single flight (in this process, and across processes
through the shared cache's lease) → score,
headline, summary in the pool (``pipeline.analyze_article``) → store → answer. The model is
read once per request from the slot, so a swap mid-request is harmless.

``pool`` (worker processes, killed and replaced at the time limit), ``work`` (what runs in
them) and ``metrics`` (the process's counters) are the service's own parts, beside this module.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket

from credlens.cache import (
    CacheBackend,
    SingleFlight,
    announce_reload,
    cache_key,
    canonical_url,
    reloads_from_others,
    wait_for_peer,
)
from credlens.errors import BadBundle
from credlens.model import BundleError, ModelSlot, Scorer, load_bundle
from credlens.pipeline import Prepared, source_digest
from credlens.schemas import AnalyzeRequest, CacheEntry, ModelInfo
from credlens.service import work
from credlens.service.metrics import Metrics
from credlens.service.pool import WorkerPool, start_fork_server
from credlens.settings import Settings

log = logging.getLogger("credlens")


def model_id(info: ModelInfo) -> str:
    """The model part of a cache key: name, version and (a prefix of) the manifest hash."""
    return f"{info.name}@{info.version}+{info.sha256[:16]}"


class AnalysisService:
    """Holds the model slot, the cache, the pool and the metrics of one process."""

    def __init__(
        self, settings: Settings, slot: ModelSlot, cache: CacheBackend, metrics: Metrics
    ) -> None:
        self.settings = settings
        self.slot = slot
        self.cache = cache
        self.metrics = metrics
        self.pool = WorkerPool(
            settings.analysis_workers,
            settings.queue_size,
            on_refused=metrics.refused.inc,
        )
        self.flight = SingleFlight()
        self._model_id = model_id(slot.scorer.info)
        self._model_scorer = slot.scorer
        self._origin = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        metrics.set_model(slot.scorer.info)
        metrics.track_pool(lambda: self.pool.admitted)

    @classmethod
    def load(cls, settings: Settings, cache: CacheBackend, metrics: Metrics) -> AnalysisService:
        """Load the configured bundle (blocking: call from a thread at start-up)."""
        scorer = load_bundle(settings.bundle, threads=settings.model_threads)
        start_fork_server()
        return cls(settings, ModelSlot(scorer), cache, metrics)

    # --- Model --------------------------------------------------------------------------------

    def current(self) -> tuple[Scorer, str]:
        """The serving scorer and its cache-key id (recomputed only after a swap)."""
        scorer = self.slot.scorer
        if scorer is not self._model_scorer:
            self._model_scorer, self._model_id = scorer, model_id(scorer.info)
        return scorer, self._model_id

    async def reload(self, *, broadcast: bool = True) -> ModelInfo:
        """Load the configured bundle again and swap it in; a bad bundle changes nothing.

        With a shared cache, the other worker processes are told to reload too.
        """
        try:
            scorer = await asyncio.to_thread(
                self.slot.swap, self.settings.bundle, threads=self.settings.model_threads
            )
        except BundleError as exc:
            raise BadBundle(f"bundle refused, the previous model keeps serving: {exc}") from exc
        self.metrics.set_model(scorer.info)
        if broadcast:
            await announce_reload(self.cache, self._origin)
        return scorer.info

    async def follow_reloads(self) -> None:
        """Reload when another process sharing the cache did (runs for the app's lifetime)."""
        async for _event in reloads_from_others(self.cache, self._origin):
            try:
                info = await self.reload(broadcast=False)
                log.info("reloaded %s@%s (asked by another worker)", info.name, info.version)
            except BadBundle as exc:
                log.error("%s", exc.detail)

    # --- Cache reads --------------------------------------------------------------------------

    async def cached(self, url: str) -> bytes | None:
        """The cached analysis of ``url`` under the current model (JSON), or None."""
        _, mid = self.current()
        entry = await self.cache.get(cache_key(canonical_url(url), mid))
        if entry is None:
            self.metrics.cache_misses.inc()
            return None
        self.metrics.cache_hits.inc()
        return entry.body

    # --- Analysis -----------------------------------------------------------------------------

    async def analyze(self, request: AnalyzeRequest) -> bytes:
        """The ``Analysis`` JSON for ``request`` (raises ``CredlensError`` subclasses)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.analysis_timeout
        url = canonical_url(request.url)
        scorer, mid = self.current()
        key = cache_key(url, mid)

        # The same bytes as the cached analysis's: a hit with no parse (a worker round trip).
        source = source_digest(request)
        entry = await self.cache.get(key)
        if entry is not None and entry.source == source:
            self.metrics.cache_hits.inc()
            return entry.body
        prepared = await self.pool.run(deadline, work.parse, request)
        entry = await self.cache.get(key)
        if entry is not None and entry.fingerprint == prepared.fingerprint:
            self.metrics.cache_hits.inc()
            return entry.body
        self.metrics.cache_misses.inc()

        async def compute() -> tuple[bytes, bytes]:
            return await self._compute(scorer, prepared, source, url, key, deadline)

        (fresh, cached), shared = await self.flight.run(f"{key} {prepared.fingerprint}", compute)
        if shared:
            self.metrics.shared.inc()
        return cached if shared else fresh

    async def _compute(
        self,
        scorer: Scorer,
        prepared: Prepared,
        source: str,
        url: str,
        key: str,
        deadline: float,
    ) -> tuple[bytes, bytes]:
        """Run the model once for this key and fingerprint; store and return both encodings."""
        lease_key = f"{key} {prepared.fingerprint}"
        leased = await self.cache.lease(lease_key, self.settings.analysis_timeout)
        if not leased:
            # Another process is analysing the same page: take its result when it lands.
            entry = await wait_for_peer(self.cache, key, lease_key, prepared.fingerprint, deadline)
            if entry is not None:
                self.metrics.shared.inc()
                return entry.body, entry.body
        try:
            done = await self.pool.run(
                deadline,
                work.analyze,
                prepared,
                url,
                str(scorer.path),
                scorer.info.sha256,
                self.settings.model_threads,
            )
            # Counted when the model really ran (single-flight tests read the count); the
            # time leaves out waiting for a worker.
            self.metrics.model_runs.inc()
            self.metrics.inference.observe(done.seconds)
            if len(done.cached) <= self.settings.cache_entry_bytes:
                await self.cache.set(key, CacheEntry(prepared.fingerprint, done.cached, source))
            return done.fresh, done.cached
        finally:
            if leased:
                await self.cache.release(lease_key)

    async def close(self) -> None:
        await asyncio.to_thread(self.pool.close)
        await self.cache.close()
