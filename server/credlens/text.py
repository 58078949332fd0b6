"""Text preparation shared by serving and training: sentence splitting and language detection.

Training imports this module too, so that a model sees sentences cut exactly as in serving.
"""

from __future__ import annotations

import threading
from typing import Any

from credlens import patterns

#: Abbreviations that end with a period but rarely end a sentence (lower-case, without '.').
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "st",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "fig",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "mt",
        "ft",
        "rev",
        "pres",
        "supt",
        "det",
        "insp",
        "hon",
        "adm",
        "cmdr",
    ]
)
#: A candidate boundary: end punctuation, optional closing quote/bracket, whitespace, then
#: something that can open a sentence (capital, digit, opening quote or bracket; group 3, the
#: first character of the next sentence). RE2: linear in the paragraph whatever it holds.
_BOUNDARY = patterns.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)([\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
_NEWLINES = patterns.compile(r"\n+")
#: How far back from a period the word before it is read ("Mr", "U.S", "www.bbc.co.uk"): a
#: bounded look keeps splitting linear; a longer run is read as its last 64 characters, which
#: decide the same way unless its only period lies further back (none in the labelled sets).
ABBREVIATION_LOOKBACK_CHARS = 64

#: Sentences shorter than this (characters) are merged into their neighbour: fragments such as
#: "Photo: AP." carry no signal and would cost an encoder call each.
MIN_SENTENCE_CHARS = 12
#: A sentence longer than this is cut here: the encoder reads its first 128 tokens (about 600
#: characters of English) anyway, and evidence quoting a sentence stays bounded.
MAX_SENTENCE_CHARS = 1_000


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, paragraph by paragraph (blank lines or newlines separate).

    Linear in the text: one RE2 scan per paragraph, a bounded look at the word before each
    period, and merged fragments joined once."""
    out: list[str] = []
    for para in _NEWLINES.split(text):
        para = " ".join(para.split())  # str.split: \s+ without a per-match cost
        if para:
            out.extend(_split_paragraph(para))
    return out


def _word_before(para: str, end: int) -> str:
    """The run of word characters and periods that ends at ``para[end - 1]`` (bounded)."""
    start = end
    floor = max(0, end - ABBREVIATION_LOOKBACK_CHARS)
    while start > floor and (para[start - 1].isalnum() or para[start - 1] in "._"):
        start -= 1
    return para[start:end]


def _split_paragraph(para: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(para):
        end = m.end(1)
        if m.group(1) == ".":
            word = _word_before(para, m.start(1) + 1).rstrip(".").lower()
            # "Mr. Smith", "U.S. officials", single initials ("John F. Kennedy").
            if word and (
                word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word
            ):
                continue
        pieces.append(para[start:end].strip())
        start = m.start(3)
    pieces.append(para[start:].strip())
    # Fragments shorter than MIN_SENTENCE_CHARS join their neighbour; parts are collected and
    # joined once (repeated concatenation was quadratic on "Mr. " * 12000).
    merged: list[list[str]] = []
    last_len = 0
    for piece in pieces:
        if not piece:
            continue
        if merged and (len(piece) < MIN_SENTENCE_CHARS or last_len < MIN_SENTENCE_CHARS):
            merged[-1].append(piece)
            last_len += 1 + len(piece)
        else:
            merged.append([piece])
            last_len = len(piece)
    return [" ".join(parts)[:MAX_SENTENCE_CHARS] for parts in merged]


# --- Language ---------------------------------------------------------------------------------

#: Characters of text given to the language identifier: enough for a stable decision, and
#: its cost stays flat on long articles.
LANGUAGE_SAMPLE_CHARS = 2000
#: Below this many letters the identifier is unreliable and the page's declared language wins.
MIN_LANGUAGE_LETTERS = 40

_identifier: Any = None
_identifier_lock = threading.Lock()


def _get_identifier() -> Any:
    global _identifier
    with _identifier_lock:
        if _identifier is None:
            # py3langid ships its model in the wheel (no download); loading takes ~0.5 s once.
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language, falling back to the page's declared language."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LANGUAGE_LETTERS:
        return declared.split("-")[0].lower() if declared else None
    lang, _prob = _get_identifier().classify(sample)
    return str(lang)


def warm_language_identifier() -> None:
    """Load the identifier now (at model load) rather than on the first request."""
    _get_identifier()
