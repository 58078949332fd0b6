"""Sentence salience shared by the summary and the suggested headline (``summary`` and
``headline.rank_candidates``): how central each sentence is to the article.

Both reuse what the scorer already computed, passed in as plain values: its sentences and, for
encoder bundles, their L2-normalised embeddings. Bundles without an encoder (``embeddings is
None``) fall back to TF-IDF vectors built from the article's own sentences, so nothing extra
is loaded or run.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import numpy.typing as npt

from credlens.suggest.tokens import words

Matrix = npt.NDArray[np.float32]
#: One row of a ``Matrix``: a sentence's embedding.
Vector = npt.NDArray[np.float32]


def tfidf_vectors(sentences: list[str]) -> Matrix:
    """L2-normalised TF-IDF rows, one per sentence, with IDF over the article's sentences."""
    tokens = [words(s) for s in sentences]
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for toks in tokens:
        df.update(set(toks))
        for t in toks:
            vocab.setdefault(t, len(vocab))
    out = np.zeros((len(sentences), max(len(vocab), 1)), dtype=np.float32)
    n = len(sentences)
    for i, toks in enumerate(tokens):
        for t, c in Counter(toks).items():
            # Smoothed IDF (as scikit-learn's default): words in every sentence still count a bit.
            out[i, vocab[t]] = (1.0 + math.log(c)) * (1.0 + math.log((1 + n) / (1 + df[t])))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.maximum(norms, 1e-9), dtype=np.float32)


def sentence_vectors(sentences: list[str], embeddings: Matrix | None) -> Matrix:
    """The scorer's embeddings when they match the sentences, TF-IDF rows otherwise."""
    if embeddings is not None and embeddings.ndim == 2 and len(embeddings) == len(sentences):
        return np.asarray(embeddings, dtype=np.float32)
    return tfidf_vectors(sentences)


def centroid(vectors: Matrix) -> npt.NDArray[np.float32] | None:
    """The article's centroid: the mean row, re-normalised (None for no rows or a zero mean)."""
    if len(vectors) == 0:
        return None
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-9:
        return None
    return np.asarray(mean / norm, dtype=np.float32)


def centrality(vectors: Matrix) -> npt.NDArray[np.float64]:
    """Cosine of each row to the article's centroid (the mean row, re-normalised)."""
    middle = centroid(vectors)
    if middle is None:
        return np.zeros(len(vectors))
    return np.asarray(vectors @ middle, dtype=np.float64)
