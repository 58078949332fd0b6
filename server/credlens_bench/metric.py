"""The Scrapinghub article-extraction-benchmark metric, implemented from its README.

Tokens are ``\\w+`` matches (case kept); a text becomes a multiset of 4-token shingles (a text
of 1-3 tokens is one shingle). Per page: TP/FP/FN from shingle counts; precision is averaged
over pages with a non-empty prediction, recall over pages with a non-empty gold; F1 comes from
the two macro means. Accuracy is the share of pages whose token sequence equals the gold's.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4
BOOTSTRAP_ROUNDS = 1000


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(toks: Sequence[str]) -> Counter[tuple[str, ...]]:
    if not toks:
        return Counter()
    if len(toks) < SHINGLE:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """Per-page counts; ``precision`` is None when the prediction has no shingle."""

    precision: float | None
    recall: float | None
    exact: bool


def score_page(prediction: str, gold: str) -> PageScore:
    pred_toks, gold_toks = tokens(prediction), tokens(gold)
    pred, ref = shingles(pred_toks), shingles(gold_toks)
    tp = fp = fn = 0
    for key in pred.keys() | ref.keys():
        p, t = pred.get(key, 0), ref.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    if fp == 0 and fn == 0:
        precision: float | None = 1.0 if pred else None
        recall: float | None = 1.0 if ref else None
    else:
        precision = tp / (tp + fp) if (tp + fp) else None
        recall = tp / (tp + fn) if (tp + fn) else None
    return PageScore(precision, recall, pred_toks == gold_toks)


@dataclass(frozen=True, slots=True)
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float


def summarize(pages: Sequence[PageScore]) -> Summary:
    precisions = [p.precision for p in pages if p.precision is not None]
    recalls = [p.recall for p in pages if p.recall is not None]
    prec = sum(precisions) / len(precisions) if precisions else 0.0
    rec = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = sum(p.exact for p in pages) / len(pages) if pages else 0.0
    return Summary(prec, rec, f1, acc)


def bootstrap_f1_std(
    pages: Sequence[PageScore], rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0
) -> float:
    """Standard deviation of F1 over page resamples (seeded here, so runs are repeatable)."""
    if not pages:
        return 0.0
    rng = random.Random(seed)
    values = []
    for _ in range(rounds):
        sample = [pages[rng.randrange(len(pages))] for _ in pages]
        values.append(summarize(sample).f1)
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)
