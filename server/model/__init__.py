"""Model bundles: load and check a bundle, score articles with the evidence behind each score.

``load_bundle(path) -> Scorer`` (raises ``BundleError``); ``Scorer.score(article) -> Scoring``.
Serving needs onnxruntime, tokenizers and numpy only; training lives in ``models/training``.
"""

from __future__ import annotations

from .bundle import BundleError, ModelSlot, check_bundle, load_bundle
from .scorer import Scorer, Scoring

__all__ = ["BundleError", "ModelSlot", "Scorer", "Scoring", "check_bundle", "load_bundle"]
