"""Text preparation shared by serving and training: sentence splitting and language detection.

Training imports this module too, so that a model sees sentences cut exactly as in serving.
"""

from __future__ import annotations

import re
import threading
from typing import Any

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
#: something that can open a sentence (capital, digit, opening quote or bracket).
_BOUNDARY = re.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_SPACE = re.compile(r"\s+")

#: Sentences shorter than this (characters) are merged into their neighbour: fragments such as
#: "Photo: AP." carry no signal and would cost an encoder call each.
MIN_SENTENCE_CHARS = 12


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, paragraph by paragraph (blank lines or newlines separate)."""
    out: list[str] = []
    for para in re.split(r"\n+", text):
        para = _SPACE.sub(" ", para).strip()
        if para:
            out.extend(_split_paragraph(para))
    return out


def _split_paragraph(para: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(para):
        end = m.end(1)
        before = _WORD_BEFORE.search(para[start : m.start(1) + 1])
        if m.group(1) == "." and before is not None:
            word = before.group(1).rstrip(".").lower()
            # "Mr. Smith", "U.S. officials", single initials ("John F. Kennedy").
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                continue
        pieces.append(para[start:end].strip())
        start = m.end()
    pieces.append(para[start:].strip())
    merged: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if (merged and len(piece) < MIN_SENTENCE_CHARS) or (
            merged and len(merged[-1]) < MIN_SENTENCE_CHARS
        ):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


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
