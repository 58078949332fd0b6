"""Token helpers under every other suggest module: word tokens, bare tokens, whitespace and
quotation marks. Knows no rule and imports nothing of the package but ``rules``."""

from __future__ import annotations

from credlens import patterns
from credlens.suggest import rules as R

#: The definition of a word token. ``words`` implements it without a regex engine (a test
#: checks both agree on generated text): RE2's Python ``findall`` builds every match in Python
#: and cost 732 µs on a 75-word passage against 13 µs for ``words`` (headline + summary called
#: it ~300 times per 1,000-word article: 35 ms of their 50).
WORD = patterns.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)?")
_APOSTROPHES = "'’"


def _split_token(token: str, out: list[str]) -> None:
    r"""WORD's matches inside one whitespace-free token, left to right: a run of word
    characters, then at most one apostrophe joined to the run after it. A word character is
    one str.isalnum accepts: Unicode letters (L*) and numbers (N*), as \p{L}\p{N}."""
    i, n = 0, len(token)
    while i < n:
        if not token[i].isalnum():
            i += 1
            continue
        j = i + 1
        while j < n and token[j].isalnum():
            j += 1
        if j + 1 < n and token[j] in _APOSTROPHES and token[j + 1].isalnum():
            j += 2
            while j < n and token[j].isalnum():
                j += 1
        out.append(token[i:j].lower())
        i = j


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters and digits, inner apostrophes kept): WORD's matches.
    Linear: one pass over each whitespace-separated token."""
    out: list[str] = []
    for token in text.split():
        if token.isalnum():
            out.append(token.lower())
        else:
            _split_token(token, out)
    return out


def squash(text: str) -> str:
    r"""``text`` on one line, runs of whitespace as one space (str.split's whitespace is
    ``\s``: credlens.patterns spells \s as str.isspace; a C loop, not RE2's Python one)."""
    return " ".join(text.split())


def unpunctuated(token: str) -> str:
    """A whitespace token without the punctuation around it ("Smith," → "Smith")."""
    return token.strip(",;:.\"'“”‘’()")


def bare(token: str) -> str:
    """A whitespace token without its punctuation, lower-cased ("Smith," → "smith")."""
    return unpunctuated(token).lower()


def quote_marks(token: str) -> int:
    """Double quotation marks in a token (an odd count opens or closes a quote)."""
    return token.count('"') + token.count("“") + token.count("”")


def quoted_share(sentence: str) -> float:
    """Share of the sentence's characters inside quotation marks."""
    quoted = sum(len(m.group(0)) for m in R.QUOTED_SPAN.finditer(sentence))
    return quoted / max(len(sentence), 1)
