"""Model bundles: load and check a bundle, score articles with the evidence behind each score.

``load_bundle(path) -> Scorer`` (raises ``BundleError``); ``Scorer.score(article) -> Scoring``.
Serving needs onnxruntime, tokenizers and numpy only; training lives in ``models/training``.
"""

from __future__ import annotations

from pathlib import Path

from .bundle import BundleError, ModelSlot, load_bundle
from .scorer import Scorer, Scoring

#: The bundle shipped in the repository (``make model`` builds it).
DEFAULT_BUNDLE = Path(__file__).resolve().parents[2] / "models" / "credlens-default"

__all__ = [
    "DEFAULT_BUNDLE",
    "BundleError",
    "ModelSlot",
    "Scorer",
    "Scoring",
    "load_bundle",
]
