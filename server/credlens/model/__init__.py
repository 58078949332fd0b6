"""Model bundles: load and check a bundle, score articles with the evidence behind each score.

``load_bundle(path) -> Scorer`` (raises ``BundleError``); ``Scorer.score(article) -> Scoring``.
Serving needs onnxruntime, tokenizers and numpy only; training lives in ``credlens_training``,
beside this package.
"""

from __future__ import annotations

from credlens.model.bundle import BundleError, ModelSlot, load_bundle
from credlens.model.scorer import Scorer, Scoring

__all__ = [
    "BundleError",
    "ModelSlot",
    "Scorer",
    "Scoring",
    "load_bundle",
]
