"""The bundle manifest (``manifest.json``): what a model bundle declares about itself.

The loader checks every declaration against the files and the graph before serving.
"""

from __future__ import annotations

from typing import Literal

import msgspec

#: Manifest format this server reads.
FORMAT = 1

Dtype = Literal["int64", "int32", "float32", "string"]
Dim = int | str
"""A fixed size, or a symbolic name for a dimension that varies (``batch``, ``tokens``)."""


class Struct(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Manifest types refuse unknown fields: a typo in a bundle is an error, not a default."""


class FileEntry(Struct):
    path: str
    """Relative to the bundle directory."""
    sha256: str
    bytes: int


class TensorSpec(Struct):
    name: str
    dtype: Dtype
    shape: list[Dim]
    description: str = ""


class GraphSpec(Struct):
    file: str
    inputs: list[TensorSpec]
    outputs: list[TensorSpec]


class TokenizerSpec(Struct):
    file: str
    max_tokens: int


class SignalSpec(Struct):
    name: str
    """``opinion``, ``propaganda``, ``persuasion``, ``clickbait``, ``attribution``,
    ``unreliable_style``: the scorer requires each of them."""
    column: int
    """Column of ``signal_logits``."""
    level: Literal["sentence", "headline", "article"]
    """``article``: the logit is averaged over the article's sentences, then squashed (a linear
    head on the mean embedding, computed sentence by sentence)."""
    meaning: str
    trained_on: list[str]


class Quantiles(Struct):
    """Empirical distribution of one article-level feature over the reference articles."""

    feature: str
    values: list[float]
    """Quantiles at evenly spaced levels from 0 to 1."""


class Calibration(Struct):
    method: str
    reference: str
    features: list[Quantiles]


class Limits(Struct):
    max_sentences: int
    """Sentences scored per article (in order from the top); the rest is not read."""
    languages: list[str]


class Dataset(Struct):
    name: str
    licence: str
    used_for: str
    rows: int


class GoldenSentence(Struct):
    text: str
    logits: list[float]


class GoldenArticle(Struct):
    title: str
    text: str
    url: str | None
    scores: dict[str, float]


class Golden(Struct):
    tolerance: float
    """Largest absolute difference allowed on logits; scores are compared to 0.05."""
    sentences: list[GoldenSentence]
    articles: list[GoldenArticle]


class Manifest(Struct):
    format: int
    name: str
    version: str
    description: str
    kind: Literal["encoder", "text"]
    """``encoder``: the graph takes token ids of one sentence per run and returns its embedding
    and signal logits. ``text``: the graph takes a batch of raw strings."""
    files: list[FileEntry]
    graph: GraphSpec
    tokenizer: TokenizerSpec | None
    signals: list[SignalSpec]
    calibration: Calibration
    limits: Limits
    sources_file: str | None
    """JSON object: domain → outlet factual-reporting record (high | mixed | low)."""
    training_data: list[Dataset]
    evaluation: dict[str, object]
    """Figures from `credlens model eval` at build time (see MODEL_CARD.md)."""
    golden: Golden
    card: str = "MODEL_CARD.md"


def decode(data: bytes) -> Manifest:
    return msgspec.json.decode(data, type=Manifest)


def encode(manifest: Manifest) -> bytes:
    return msgspec.json.format(msgspec.json.encode(manifest), indent=2) + b"\n"
