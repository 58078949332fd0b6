"""The short summary under the scores: 2-4 sentences of the article, in reading order.

``summarize`` runs on the scorer's sentences and embeddings (plain values: this package never
imports the model): drop ineligible sentences (boilerplate, quotes out of context, openings
that point back, fragments, run-ons) → score each by centrality (``salience``: cosine to the
article centroid, on the embeddings or TF-IDF) plus a position prior → pick by maximal
marginal relevance, never two near-duplicates → restore reading order. Pure, deterministic,
never raises; constants live in ``rules``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from credlens.schemas import Article
from credlens.suggest import rules as R
from credlens.suggest.salience import Matrix, centrality, sentence_vectors
from credlens.suggest.tokens import quoted_share, words
from credlens.text import split_sentences


def _pronoun_before_name(sentence: str) -> bool:
    """A person pronoun before any name ("When he talks...", "It is growing, they insist"):
    who is meant was said in an earlier sentence."""
    for i, token in enumerate(sentence.split()):
        if i > 0 and token[:1].isupper():
            return False
        if token.strip(",.;:!?\"'“”‘’()").lower() in R.PERSON_PRONOUNS:
            return True
    return False


def unbalanced_quotes(sentence: str) -> bool:
    """A quote opened or closed in another sentence: this one is part of it."""
    straight = sentence.count('"') % 2 == 1
    return straight or sentence.count("“") != sentence.count("”")


def ineligible_reason(sentence: str) -> str | None:
    """Why a sentence cannot stand in a summary on its own, or None when it can."""
    n = len(words(sentence))
    if n < R.SUMMARY_MIN_WORDS:
        return "fragment"
    if n > R.SUMMARY_MAX_WORDS:
        return "run-on"
    if R.BOILERPLATE.search(sentence):
        return "boilerplate"
    if (
        R.QUOTE_OPENING.match(sentence)
        or quoted_share(sentence) > R.MAX_QUOTED_SHARE
        or unbalanced_quotes(sentence)
    ):
        return "quote"
    if sentence.lstrip().startswith(("(", "[")):
        return "aside"
    if R.DANGLING_OPENING.match(sentence) or _pronoun_before_name(sentence):
        return "dangling"
    if sentence.rstrip().endswith("?"):
        return "question"
    return None


def _normal(sentence: str) -> str:
    return " ".join(words(sentence))


def select_sentences(
    sentences: list[str],
    vectors: Matrix,
    count: int,
    *,
    position_weight: float = R.SUMMARY_POSITION_WEIGHT,
) -> list[int]:
    """Indices of up to ``count`` sentences by MMR over centrality + position, reading order."""
    n = len(sentences)
    if n == 0 or count <= 0:
        return []
    base = centrality(vectors) + position_weight / (1.0 + np.arange(n))
    normal = [_normal(s) for s in sentences]
    # Exact repeats (a standfirst repeated as the first paragraph) never count twice.
    first_of: dict[str, int] = {}
    for i in range(n):
        first_of.setdefault(normal[i], i)
    unique = [i for i in range(n) if first_of[normal[i]] == i]
    eligible = [i for i in unique if ineligible_reason(sentences[i]) is None]
    # Short articles: relax to anything that is not boilerplate or a fragment, then anything.
    if len(eligible) < min(count, n):
        relaxed = [
            i
            for i in unique
            if not R.BOILERPLATE.search(sentences[i]) and len(words(sentences[i])) >= 3
        ]
        eligible = relaxed if len(relaxed) >= len(eligible) else eligible
    if not eligible:
        eligible = unique
    chosen: list[int] = []
    seen: set[str] = set()
    while len(chosen) < count:
        best, best_value = -1, -np.inf
        for i in eligible:
            if i in chosen or normal[i] in seen:
                continue
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            if redundancy >= R.DUPLICATE_COSINE:
                continue
            value = float(base[i]) - R.SUMMARY_REDUNDANCY * redundancy
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        seen.add(normal[best])
    return sorted(chosen)


def summarize(
    article: Article,
    sentences: Sequence[str],
    embeddings: Matrix | None,
    *,
    max_sentences: int = 3,
) -> list[str]:
    """2-4 sentences of the article in reading order (fewer only for a shorter article).

    ``sentences`` and ``embeddings`` are the scorer's (the text is split here when there are
    no sentences; TF-IDF stands in for missing embeddings)."""
    sentences = list(sentences) or split_sentences(article.text or "\n\n".join(article.paragraphs))
    count = min(max(max_sentences, R.SUMMARY_MIN_SENTENCES), R.SUMMARY_MAX_SENTENCES)
    vectors = sentence_vectors(sentences, embeddings)
    return [sentences[i] for i in select_sentences(sentences, vectors, count)]
