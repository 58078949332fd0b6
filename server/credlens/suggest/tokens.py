"""Token helpers under every other suggest module: word tokens, bare tokens, whitespace and
quotation marks. Knows no rule and imports nothing of the package but ``rules``."""

from __future__ import annotations

from credlens import patterns
from credlens.suggest import rules as R

_WORD = patterns.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)?")
_SPACE = patterns.compile(r"\s+")


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters and digits, inner apostrophes kept)."""
    return [w.lower() for w in _WORD.findall(text)]


def squash(text: str) -> str:
    """``text`` on one line, runs of whitespace as one space."""
    return _SPACE.sub(" ", text).strip()


def bare(token: str) -> str:
    """A whitespace token without its punctuation, lower-cased ("Smith," → "smith")."""
    return token.strip(",;:.\"'“”‘’()").lower()


def quote_marks(token: str) -> int:
    """Double quotation marks in a token (an odd count opens or closes a quote)."""
    return token.count('"') + token.count("“") + token.count("”")


def quoted_share(sentence: str) -> float:
    """Share of the sentence's characters inside quotation marks."""
    quoted = sum(len(m.group(0)) for m in R.QUOTED_SPAN.finditer(sentence))
    return quoted / max(len(sentence), 1)
