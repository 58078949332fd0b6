"""The bundle manifest (``manifest.json``): what a model bundle declares about itself.

The loader checks every declaration against the files and the graph before serving.
"""

from __future__ import annotations

from typing import Literal

import msgspec

#: Manifest format this server reads. 2: scores are fitted models (``scores``), not the
#: hand-set weights and reference percentiles of format 1 (``calibration``).
FORMAT = 2

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


class Component(Struct):
    """One named part of a score: an article feature with its fitted weight."""

    name: str
    feature: str
    """An article feature (``credlens.model.features.ARTICLE_FEATURES``): in [0, 1], or log
    odds for the article heads' ``*_logit`` features."""
    weight: float
    """Change of the score's logit per unit of the feature. Its sign is the design's: a
    component can only lower the score if its sign is negative, only raise it if positive."""
    reference: float
    """The feature's value for the reference article (its mean over the fitting articles)."""
    label: str
    """Evidence label of the sentences and signals of this component."""
    lowers: str
    """What the component says when it lowers the score ("the writer's own voice reads as
    opinion")."""
    raises: str
    """What it says when it raises the score."""
    fitted: bool = True
    """False: the weight is a design choice (no training data has the feature); the card says."""


class ScoreModel(Struct):
    """score = 10 × sigmoid(intercept + Σ weight × feature), a logistic model of ``target``."""

    target: str
    """What the probability is of, in words (the scale's meaning)."""
    intercept: float
    components: list[Component]
    reference_score: float
    """The score of the reference article (all features at their reference); evidence points
    add up to the score minus this."""


class ScoreModels(Struct):
    objectivity: ScoreModel
    accuracy: ScoreModel
    transparency: ScoreModel
    outlet_record_share: float
    """Accuracy with the outlet's record known: (1 − share) × text score + share × 10 × record
    value. A design choice: the record is what the text model was fitted to, so it cannot be
    fitted again on the same labels."""
    outlet_record_values: dict[str, float]
    """Record (high | mixed | low) → value in [0, 1]."""
    sentence_thresholds: dict[str, float]
    """Sentence label → the probability from which a sentence is shown as evidence (chosen for
    precision ≥ ``evidence_precision`` on held-out labelled sentences)."""
    evidence_precision: float
    pooling: str
    """How sentence outputs become article features, in words (the features' definitions are
    ``credlens.model.features``)."""


class Limits(Struct):
    max_sentences: int
    """Sentences scored per article (in order from the top; the title is scored apart); the
    rest is not read. Article features are pooled over exactly these sentences."""
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
    scores: ScoreModels
    limits: Limits
    sources_file: str | None
    """JSON object: domain → outlet factual-reporting record (high | mixed | low)."""
    training_data: list[Dataset]
    evaluation: dict[str, object]
    """Figures from `credlens model eval` at build time (see MODEL_CARD.md)."""
    golden: Golden
    card: str = "MODEL_CARD.md"

    @property
    def embedding_width(self) -> int:
        """Width of the graph's ``embeddings`` output (0: the graph gives none, or its width
        is not fixed)."""
        width = [o.shape[-1] for o in self.graph.outputs if o.name == "embeddings"]
        return width[0] if width and isinstance(width[0], int) else 0


def decode(data: bytes) -> Manifest:
    return msgspec.json.decode(data, type=Manifest)


def encode(manifest: Manifest) -> bytes:
    return msgspec.json.format(msgspec.json.encode(manifest), indent=2) + b"\n"
