"""What the headline ranker reads about each candidate, and how a suggestion is chosen.

``headline.suggest_headline`` makes candidates (deletions from the page's title, cuts of the
lead sentences at several word budgets), has the scorer read them (``Reader``: head
probabilities and embeddings, one batch), describes each by ``schemas.HEADLINE_FEATURES``
and lets the bundle's learned ranker (``Ranker``, ``headline.onnx``) predict its quality
(the ROUGE-1 F it would reach against the headline an editor wrote) and whether it reads as a
sentence (``credlens_training.headline``). Bundles without a ranker rank candidates in the
order they were made. ``choose`` then applies what no ranker may override (``rules``): never
as loaded as the page's title, and a penalty on what the clickbait head reads as clickbait.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from credlens.suggest import rules as R
from credlens.suggest.salience import Matrix, Vector, centroid
from credlens.suggest.tokens import words


@dataclass(frozen=True)
class Reading:
    """The scorer's reading of some texts: head probabilities and embeddings, row by row."""

    clickbait: list[float]
    propaganda: list[float]
    opinion: list[float]
    embeddings: Matrix | None


class Reader(Protocol):
    """The scorer, reading candidate headlines in one batch."""

    def __call__(self, texts: list[str], /) -> Reading: ...


class Ranked(Protocol):
    """What the bundle's ranker says of each candidate."""

    @property
    def quality(self) -> Sequence[float]:
        """Predicted ROUGE-1 F against an editor's headline (higher is better)."""
        ...

    @property
    def fluent(self) -> Sequence[float]:
        """Probability that the candidate has a finite main verb (reads as a sentence)."""
        ...


Ranker = Callable[[Sequence[dict[str, float]], Matrix], Ranked]
"""The bundle's headline ranker: candidates' feature rows and embeddings in."""


@dataclass(frozen=True)
class Source:
    """Where a candidate came from."""

    sentence: int
    """Index of the source sentence in the article; -1 for the page's title."""
    rank: int
    """Its place among the ranked sentences; -1 for the title."""
    budget: int
    """Word budget of the cut."""
    clause: bool
    """Whether the cut keeps a main verb with what follows it."""


@dataclass(frozen=True)
class Vocabulary:
    """An article's words and their 5-letter prefixes, read once for every headline checked
    against it (``support``)."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, article_text: str) -> Vocabulary:
        body = frozenset(words(article_text))
        return cls(body, frozenset(w[:5] for w in body))

    def support(self, headline: str) -> float:
        """Share of the headline's content words that occur in the article (0 when it has
        none). A prefix match covers inflection ("gains" ~ "gained", "Russia" ~ "Russian")."""
        content = [w for w in words(headline) if w not in R.SUPPORT_STOPWORDS]
        if not content:
            return 0.0
        found = sum(1 for w in content if w in self.words or w[:5] in self.stems)
        return found / len(content)


def support(headline: str, article_text: str) -> float:
    """``Vocabulary.support`` of one headline against ``article_text``."""
    return Vocabulary.of(article_text).support(headline)


def _cosine(a: Matrix | None, i: int, b: Vector | None) -> float:
    return float(a[i] @ b) if a is not None and b is not None else 0.0


def feature_rows(
    texts: Sequence[str],
    sources: Sequence[Source],
    reading: Reading,
    *,
    article_text: str,
    sentence_vectors: Matrix,
    centrality: npt.NDArray[np.float64],
    title_vector: Vector | None,
) -> list[dict[str, float]]:
    """``HEADLINE_FEATURES`` of each candidate. ``sentence_vectors``: the article's sentence
    rows (embeddings or TF-IDF) with their ``centrality``; ``reading.embeddings`` are comparable
    with them only when both come from the encoder (else the cosines are 0)."""
    emb = reading.embeddings
    comparable = emb is not None and emb.shape[1] == sentence_vectors.shape[1]
    cand = emb if comparable else None
    middle = centroid(sentence_vectors)
    vocabulary = Vocabulary.of(article_text)
    rows: list[dict[str, float]] = []
    for i, (text, src) in enumerate(zip(texts, sources, strict=True)):
        toks = text.split()
        src_vec = sentence_vectors[src.sentence] if src.sentence >= 0 else None
        rows.append(
            {
                "from_title": float(src.sentence < 0),
                "titled": float(title_vector is not None),
                "sentence_rank": float(src.rank),
                "sentence_index": float(src.sentence),
                "budget": float(src.budget),
                "words": float(len(toks)),
                "chars": float(len(text)),
                "clause": float(src.clause),
                "clickbait": reading.clickbait[i],
                "propaganda": reading.propaganda[i],
                "opinion": reading.opinion[i],
                "centroid_cosine": _cosine(cand, i, middle),
                "title_cosine": _cosine(emb, i, title_vector),
                "source_cosine": _cosine(cand, i, src_vec),
                "source_centrality": float(centrality[src.sentence]) if src.sentence >= 0 else 0.0,
                "support": vocabulary.support(text),
                "capitalised": sum(t[:1].isupper() for t in toks[1:]) / max(len(toks), 1),
                "number": float(any(c.isdigit() for c in text)),
            }
        )
    return rows


def loadedness(clickbait: float, propaganda: float) -> float:
    """How loaded a headline reads: the larger of the two heads' probabilities (the NeuS
    benchmark's measure, ``credlens bench headline --neus``)."""
    return max(clickbait, propaganda)


def choose(
    quality: Sequence[float],
    reading: Reading,
    eligible: Sequence[bool],
    title_loadedness: float | None,
) -> int | None:
    """Index of the suggestion among the candidates, or None when none may be shown.

    Only ``eligible`` candidates strictly less loaded than the title (when there is one) may
    be chosen; among them the best by ``quality`` less ``CLICKBAIT_PENALTY`` times the
    clickbait head's probability (the ranker predicts closeness to an editor's headline, not
    plainness)."""
    fit = [
        i
        for i, ok in enumerate(eligible)
        if ok
        and (
            title_loadedness is None
            or loadedness(reading.clickbait[i], reading.propaganda[i]) < title_loadedness
        )
    ]
    if not fit:
        return None
    return max(fit, key=lambda i: (quality[i] - R.CLICKBAIT_PENALTY * reading.clickbait[i], -i))
