"""What runs inside an analysis worker process: bundles, loaded once, and the two stages.

The service sends a request here to be parsed (``parse``), then the parsed article to be
scored (``analyze``) by the model whose id is in the cache key; both are plain functions of
picklable values, so the pool can kill a worker that overruns the time limit and start
another without touching the service.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass

import msgspec

from credlens.errors import NotReady
from credlens.model import BundleError, Scorer, load_bundle
from credlens.pipeline import Prepared, analyze_article, prepare
from credlens.schemas import AnalyzeRequest
from credlens.text import warm_language_identifier

_encode = msgspec.json.Encoder().encode

#: Models a worker keeps loaded: the serving one and, during a reload, the one before it
#: (requests admitted before the swap finish with the model in their cache key).
MODELS_KEPT = 2
_models: dict[str, Scorer] = {}


@dataclass(frozen=True, slots=True)
class Analysed:
    """One model run, encoded twice (as answered and as cached) and timed."""

    fresh: bytes
    cached: bytes
    seconds: float


def start() -> None:
    """Worker initializer. Models load on their first task (``model``), so a worker started
    after a kill or a reload always loads the one the service asks for."""
    # Ctrl-C reaches the whole process group: the service stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_language_identifier()


def _load(bundle: str, threads: int) -> Scorer:
    scorer = load_bundle(bundle, threads=threads)
    _models[scorer.info.sha256] = scorer
    while len(_models) > MODELS_KEPT:
        del _models[next(iter(_models))]  # the oldest
    return scorer


def model(bundle: str, sha256: str, threads: int) -> Scorer:
    """The model ``sha256``, loaded from ``bundle`` (the folder the service loaded) if new."""
    scorer = _models.get(sha256)
    if scorer is None:
        try:
            scorer = _load(bundle, threads)
        except BundleError as exc:
            # The folder the service loaded is gone or broken (moved away after a swap).
            raise NotReady(f"the serving bundle cannot be loaded any more: {exc}") from None
        if scorer.info.sha256 != sha256:
            # The files changed on disk after the service loaded them, without a reload.
            raise NotReady(f"the bundle at {bundle} changed on disk; reload the model")
    return scorer


def parse(request: AnalyzeRequest) -> Prepared:
    return prepare(request)


def analyze(prepared: Prepared, url: str, bundle: str, sha256: str, threads: int) -> Analysed:
    """Score, suggest and summarise ``prepared`` with the model ``sha256``."""
    scorer = model(bundle, sha256, threads)
    start_time = time.perf_counter()
    analysis = analyze_article(scorer, prepared, url)
    fresh = _encode(analysis)
    cached = _encode(msgspec.structs.replace(analysis, cached=True))
    return Analysed(fresh, cached, time.perf_counter() - start_time)
