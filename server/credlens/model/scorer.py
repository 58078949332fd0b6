"""The scorer: one loaded bundle, turning an ``Article`` into scores with their evidence.

``score`` runs: split sentences (the first ``limits.max_sentences``) → detect language → run
the graph (one sentence per run for encoder bundles, all rows at once for text bundles) →
signal probabilities → measured facts → article features → ``combine`` (fitted scores with
their evidence in points). Safe to call from several threads: onnxruntime sessions and
tokenizers are.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Tokenizer

from credlens.model.combine import Signals, combine
from credlens.model.features import article_facts, outlet_record, sentence_facts
from credlens.model.manifest import Manifest
from credlens.model.ranker import HeadlineRanker
from credlens.schemas import Article, HeadlineSignals, ModelInfo, ScoreDetails, Scores
from credlens.text import detect_language, split_sentences

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Scoring:
    """The scorer's answer for one article."""

    language: str | None
    """Detected language (ISO 639-1), or the page's declared one when the text is too short."""
    supported: bool
    """False when the language is not one the bundle was trained on, or there is no text:
    then ``scores`` and ``details`` are None."""
    scores: Scores | None
    details: ScoreDetails | None
    headline: HeadlineSignals
    sentences: list[str]
    """The sentences scored, in article order (at most the bundle's ``max_sentences``)."""
    embeddings: npt.NDArray[np.float32] | None
    """One L2-normalised row per sentence (encoder bundles only)."""
    title_propaganda: float | None = None
    """The propaganda head's probability for the title read as a sentence (None: no title)."""
    title_embedding: npt.NDArray[np.float32] | None = None
    """The title's L2-normalised row, read in the sentences' batch (None: no title or no
    encoder); the headline's candidates are compared with it."""


def _sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


class Scorer:
    """A loaded, checked bundle. Build it with ``load_bundle``, not directly."""

    def __init__(
        self,
        path: Path,
        manifest: Manifest,
        manifest_bytes: bytes,
        card: str,
        session: ort.InferenceSession,
        tokenizer: Tokenizer | None,
        sources: dict[str, str],
        ranker: HeadlineRanker | None = None,
    ) -> None:
        self.path = path
        self.manifest = manifest
        self.card = card
        self.ranker = ranker
        """The bundle's learned headline ranker (None: the bundle has none)."""
        # The ranker changes suggestions, so its manifest is part of the model's identity
        # (cached analyses are keyed by it).
        identity = manifest_bytes + (ranker.sha256.encode() if ranker else b"")
        self.info = ModelInfo(
            name=manifest.name,
            version=manifest.version,
            sha256=hashlib.sha256(identity).hexdigest(),
        )
        self._session = session
        self._tokenizer = tokenizer
        self._sources = sources
        self._columns = {s.name: s.column for s in manifest.signals}
        self._levels = {s.name: s.level for s in manifest.signals}
        self._has_embeddings = any(o.name == "embeddings" for o in manifest.graph.outputs)
        self._dim = manifest.embedding_width

    @property
    def sources(self) -> dict[str, str]:
        """Domain → the outlet's factual-reporting record, as the bundle lists them."""
        return self._sources

    # --- Graph ---------------------------------------------------------------------------------

    def run(self, texts: list[str]) -> tuple[FloatArray, npt.NDArray[np.float32] | None]:
        """Signal logits (one row per text) and embeddings (encoder bundles) for ``texts``."""
        k = len(self.manifest.signals)
        if not texts:
            empty = np.zeros((0, self._dim), np.float32) if self._has_embeddings else None
            return np.zeros((0, k)), empty
        if self._tokenizer is None:
            feed = {"text": np.asarray(texts, dtype=object).reshape(-1, 1)}
            (logits,) = self._session.run(["signal_logits"], feed)
            return np.asarray(logits, dtype=np.float64), None
        logits_rows: list[FloatArray] = []
        emb_rows: list[npt.NDArray[np.float32]] = []
        # One text per run: dynamic int8 sets activation scales per batch, so a batch of one
        # keeps each sentence's output independent of the others (and no padding is wasted).
        for enc in self._tokenizer.encode_batch(texts):
            ids = np.asarray([enc.ids], dtype=np.int64)
            emb, logits = self._session.run(
                ["embeddings", "signal_logits"],
                {"input_ids": ids, "attention_mask": np.ones_like(ids)},
            )
            emb_rows.append(np.asarray(emb[0], dtype=np.float32))
            logits_rows.append(np.asarray(logits[0], dtype=np.float64))
        return np.vstack(logits_rows), np.vstack(emb_rows)

    def clickbait(self, texts: list[str]) -> list[float]:
        """Probability that each headline is clickbait."""
        return self.probabilities(texts, "clickbait")["clickbait"]

    def probabilities(self, texts: list[str], *signals: str) -> dict[str, list[float]]:
        """Each named signal's probability for each text (``clickbait``, ``propaganda``...),
        from one run of the graph."""
        return self.read(texts, *signals)[0]

    def read(
        self, texts: list[str], *signals: str
    ) -> tuple[dict[str, list[float]], npt.NDArray[np.float32] | None]:
        """``probabilities`` and the embeddings (encoder bundles) of ``texts``, one run."""
        logits, emb = self.run(texts)
        probs = {s: [float(p) for p in _sigmoid(logits[:, self._columns[s]])] for s in signals}
        return probs, emb

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32] | None:
        """Sentence embeddings (L2-normalised rows), or None for bundles without an encoder."""
        if not self._has_embeddings:
            return None
        return self.run(texts)[1]

    # --- Articles ------------------------------------------------------------------------------

    def score(self, article: Article, url: str | None = None) -> Scoring:
        text = article.text or "\n\n".join(article.paragraphs)
        sentences = split_sentences(text)[: self.manifest.limits.max_sentences]
        language = detect_language(text, article.language)
        if language not in self.manifest.limits.languages or not sentences:
            return Scoring(language, False, None, None, HeadlineSignals(), sentences, None)
        title = (article.title or "").strip() or None
        rows = [*sentences, title] if title else sentences
        logits, embeddings = self.run(rows)
        n = len(sentences)
        per_sentence = {
            name: _sigmoid(logits[:n, col])
            for name, col in self._columns.items()
            if self._levels[name] == "sentence"
        }
        clickbait = float(_sigmoid(logits[n, self._columns["clickbait"]])) if title else None
        loaded = float(_sigmoid(logits[n, self._columns["propaganda"]])) if title else None
        # Article-level heads are linear on the mean embedding: their logit is the mean of
        # the sentences' logits.
        per_article = {
            name: float(_sigmoid(logits[:n, col].mean()))
            for name, col in self._columns.items()
            if self._levels[name] == "article"
        }
        # Other headline heads (opinion_headline): the title's own logit.
        per_headline = {
            name: float(_sigmoid(logits[n, col]))
            for name, col in self._columns.items()
            if title and self._levels[name] == "headline" and name != "clickbait"
        }
        signals = Signals(per_sentence, per_article, clickbait, per_headline)
        facts = [sentence_facts(s) for s in sentences]
        page = article_facts(article, url)
        outlet = outlet_record(page.domain, self._sources)
        scores, details = combine(sentences, signals, facts, page, self.manifest.scores, outlet)
        return Scoring(
            language=language,
            supported=True,
            scores=scores,
            details=details,
            headline=HeadlineSignals(clickbait_probability=clickbait),
            sentences=sentences,
            embeddings=embeddings[:n] if embeddings is not None else None,
            title_propaganda=loaded,
            title_embedding=embeddings[n] if embeddings is not None and title else None,
        )
