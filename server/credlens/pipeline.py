"""One analysis as plain functions: page → ``Article`` → ``Scoring`` → headline, summary → result.

Stages, in order (each timed into ``timings_ms``):

1. ``prepare``: ``extract`` the article from the HTML, or take the text as sent, and fingerprint
   it (the cache compares fingerprints to notice an article that changed). Nothing
   article-like: ``NoArticle``.
2. ``analyze_article``: ``score`` (sentences → ONNX → scores with evidence), ``headline``
   (``suggest_headline``), ``summary`` (``summarize``), then the ``Analysis``. A language the
   model does not score: ``UnsupportedLanguage`` (with the metadata).

This module owns those two outcomes: the service, ``credlens analyze`` and the OpenAPI
examples all call it. Pure and blocking (the service runs it in its worker pool); no cache,
no I/O.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec

from credlens import patterns
from credlens.errors import NoArticle, UnsupportedLanguage
from credlens.extract import extract
from credlens.model import Scorer, Scoring
from credlens.model.features import domain_of
from credlens.schemas import Analysis, AnalyzeRequest, Article, ArticleMeta, SuggestedHeadline
from credlens.suggest.headline import (
    Choice,
    choose_candidate,
    headline_options,
    suggest_headline,
)
from credlens.suggest.ranking import Ranker, Reader, Reading
from credlens.suggest.summary import summarize

_PARAGRAPH_BREAK = patterns.compile(r"\n\s*\n")
# Tabs and other in-line whitespace become spaces by a C translation table, not a regex
# substitution (RE2's binding pays about 7 µs a match: "a\tb\t…" would cost seconds).
_INLINE_SPACE = str.maketrans("\t\r\f\v", "    ")

# Input budgets, applied before the expensive stages: whatever a page holds, the model,
# headline and summary read at most this much of it (README: Reliability).
#: Characters of article text analysed: about 16,000 words, past the longest news articles;
#: scoring reads the first 32 sentences, the headline and summary the same ones.
MAX_ANALYZED_CHARS = 100_000
#: Characters of headline kept (the longest real titles are about 300).
MAX_TITLE_CHARS = 1_000
#: Characters kept of each byline, author, date, site name and description, and authors
#: kept: metadata is echoed in the response, so it must not carry megabytes.
MAX_META_CHARS = 300
#: A declared canonical URL longer than the request URL may be (the schema's 4,096) is dropped.
MAX_URL_CHARS = 4_096
MAX_AUTHORS = 20


@dataclass(frozen=True, slots=True)
class Prepared:
    """The parse stage's result: the article, its fingerprint and how long parsing took."""

    article: Article
    fingerprint: str
    parse_ms: float


def fingerprint(title: str | None, text: str) -> str:
    """Identifies the extracted article: same headline and text, same fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    h.update((title or "").encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def source_digest(request: AnalyzeRequest) -> str:
    """Identifies the request's input as sent: the same HTML (or text and title) gives the
    same digest, and, extraction being deterministic, the same article and fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    for part in (request.html, request.text, request.title):
        h.update(b"\x01" if part is None else b"\x00" + part.encode("utf-8", "surrogatepass"))
        h.update(b"\xff")
    return h.hexdigest()


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _squash_inline(text: str) -> str:
    return " ".join(part for part in text.translate(_INLINE_SPACE).split(" ") if part)


def article_from_text(text: str, title: str | None = None) -> Article:
    """An ``Article`` from plain text (paragraphs separated by blank lines) and a headline.

    Only the first ``MAX_ANALYZED_CHARS`` (twice, for the whitespace squashed) are read;
    the word count is the whole text's."""
    paragraphs = [_squash_inline(p) for p in _PARAGRAPH_BREAK.split(text[: 2 * MAX_ANALYZED_CHARS])]
    paragraphs = [p for p in paragraphs if p]
    body = "\n\n".join(paragraphs)
    headline = _squash_inline(title[: 2 * MAX_TITLE_CHARS]) if title else ""
    return Article(
        title=headline or None,
        text=body,
        paragraphs=paragraphs,
        word_count=len(text.split()),
        reason=None if body else "empty_input",
    )


def within_budget(article: Article) -> Article:
    """``article`` cut to the input budgets (text at a paragraph break where one is near);
    its word count stays the whole article's."""
    title = article.title[:MAX_TITLE_CHARS] if article.title else article.title
    meta = {
        name: value[:MAX_META_CHARS]
        for name in ("byline", "published", "modified", "site_name", "description")
        if (value := getattr(article, name)) is not None and len(value) > MAX_META_CHARS
    }
    if len(article.authors) > MAX_AUTHORS or any(len(a) > MAX_META_CHARS for a in article.authors):
        meta["authors"] = [a[:MAX_META_CHARS] for a in article.authors[:MAX_AUTHORS]]
    if meta:
        article = msgspec.structs.replace(article, **meta)
    if len(article.text) <= MAX_ANALYZED_CHARS and title == article.title:
        return article
    text = article.text[:MAX_ANALYZED_CHARS]
    cut = text.rfind("\n\n", MAX_ANALYZED_CHARS // 2)
    text = text[:cut] if cut > 0 else text
    kept, paragraphs = 0, []
    for paragraph in article.paragraphs:
        if kept >= len(text):
            break
        paragraphs.append(paragraph[: len(text) - kept])
        kept += len(paragraph) + 2
    return msgspec.structs.replace(article, title=title, text=text, paragraphs=paragraphs)


def prepare(request: AnalyzeRequest) -> Prepared:
    """Stage 1: the article in the request, within the input budgets and fingerprinted;
    ``NoArticle`` if there is none."""
    start = time.perf_counter()
    if request.html is not None:
        article = extract(request.html, url=request.url)
    else:
        article = article_from_text(request.text or "", request.title)
    if article.reason or not article.text.strip():
        raise NoArticle(f"no article found in the page ({article.reason or 'no_article'})")
    article = within_budget(article)
    return Prepared(article, fingerprint(article.title, article.text), _ms(start))


def reader(scorer: Scorer) -> Reader:
    """The scorer as the headline's ``Reader``: its heads and embeddings for any texts, one
    batch."""

    def read(texts: list[str]) -> Reading:
        p, embeddings = scorer.read(texts, "clickbait", "propaganda", "opinion")
        return Reading(p["clickbait"], p["propaganda"], p["opinion"], embeddings)

    return read


def suggest(
    scorer: Scorer,
    article: Article,
    scoring: Scoring,
    title_clickbait: float | None = None,
    title_propaganda: float | None = None,
) -> SuggestedHeadline:
    """The suggested headline from the scorer's answer (its sentences, embeddings, clickbait
    and propaganda heads) and the bundle's headline ranker; the title's probabilities default
    to the scored title's, and its embedding is the scored title's."""
    if title_clickbait is None:
        title_clickbait = scoring.headline.clickbait_probability
    if title_propaganda is None:
        title_propaganda = scoring.title_propaganda
    return suggest_headline(
        article,
        scoring.sentences,
        scoring.embeddings,
        supported=scoring.supported,
        read=reader(scorer),
        ranker=scorer.ranker,
        title_clickbait=title_clickbait,
        title_propaganda=title_propaganda,
        title_embedding=scoring.title_embedding,
    )


def headline_choice(
    scorer: Scorer, article: Article, scoring: Scoring, ranker: Ranker | None
) -> Choice:
    """Every candidate headline of ``article`` as served, read by the scorer and ranked by
    ``ranker``, with no cap on how loaded they may be: what the headline benchmark and the
    ranker's training look at (serving chooses through ``suggest``)."""
    options = headline_options(scoring.sentences, scoring.embeddings, article.title)
    return choose_candidate(
        article.text,
        scoring.sentences,
        scoring.embeddings,
        options,
        title=article.title,
        title_loadedness=None,
        read=reader(scorer),
        ranker=ranker,
        title_vector=scoring.title_embedding,
    )


def analyze_article(
    scorer: Scorer, prepared: Prepared, url: str, *, summary_sentences: int = 3
) -> Analysis:
    """Stage 2: score, suggest a headline, summarise. ``url`` is the canonical URL.

    Raises ``UnsupportedLanguage`` (carrying the metadata-only ``Analysis``) when the model
    does not score the article's language."""
    article = prepared.article
    timings = {"parse": prepared.parse_ms}
    start = time.perf_counter()
    scoring = scorer.score(article, url=url)
    timings["score"] = _ms(start)
    start = time.perf_counter()
    headline = suggest(scorer, article, scoring)
    timings["headline"] = _ms(start)
    start = time.perf_counter()
    summary = summarize(
        article, scoring.sentences, scoring.embeddings, max_sentences=summary_sentences
    )
    timings["summary"] = _ms(start)
    timings["total"] = round(sum(timings.values()), 2)
    declared = article.canonical_url
    if declared and len(declared) > MAX_URL_CHARS:
        declared = None  # not a URL anybody means; the request's is capped the same way
    analysis = Analysis(
        url=url,
        title=article.title,
        suggested_headline=headline,
        summary=summary,
        scores=scoring.scores,
        details=scoring.details,
        headline=scoring.headline,
        article=ArticleMeta(
            byline=article.byline,
            authors=list(article.authors),
            published=article.published,
            site_name=article.site_name,
            # The detected language (the declared one when the text is too short to tell).
            language=scoring.language or article.language,
            word_count=article.word_count,
            canonical_url=declared,
            canonical_elsewhere=domain_of(declared) not in (None, domain_of(url)),
        ),
        model=scorer.info,
        cached=False,
        analyzed_at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        timings_ms=timings,
    )
    if analysis.scores is None:
        raise UnsupportedLanguage(analysis)
    return analysis
