"""ROUGE-1 and ROUGE-L F1 (Lin 2004), written from the definitions.

Tokens as in Google's ``rouge-score`` default: lower-cased, every run of characters other than
``a-z0-9`` is a separator; no stemming and no stopword removal. ROUGE-1 counts clipped unigram
overlap; ROUGE-L uses the longest common subsequence. F is the harmonic mean of precision and
recall (beta = 1, as ``rouge-score`` reports it).
"""

from __future__ import annotations

import re
from collections import Counter

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def tokenize(text: str) -> list[str]:
    return [t for t in _NON_ALNUM.split(text.lower()) if t]


def _f1(overlap: int, n_candidate: int, n_reference: int) -> float:
    if overlap == 0 or n_candidate == 0 or n_reference == 0:
        return 0.0
    p, r = overlap / n_candidate, overlap / n_reference
    return 2 * p * r / (p + r)


def rouge1_f(candidate: str, reference: str) -> float:
    c, r = Counter(tokenize(candidate)), Counter(tokenize(reference))
    return _f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (dynamic programming, one row kept)."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def rougel_f(candidate: str, reference: str) -> float:
    c, r = tokenize(candidate), tokenize(reference)
    return _f1(lcs_length(c, r), len(c), len(r))
