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
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from credlens.errors import NoArticle, UnsupportedLanguage
from credlens.extract import extract
from credlens.model import Scorer, Scoring
from credlens.schemas import Analysis, AnalyzeRequest, Article, ArticleMeta, SuggestedHeadline
from credlens.suggest.headline import suggest_headline
from credlens.suggest.summary import summarize

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"[ \t\r\f\v]+")


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


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def article_from_text(text: str, title: str | None = None) -> Article:
    """An ``Article`` from plain text (paragraphs separated by blank lines) and a headline."""
    paragraphs = [_SPACE.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text)]
    paragraphs = [p for p in paragraphs if p]
    body = "\n\n".join(paragraphs)
    headline = _SPACE.sub(" ", title).strip() if title else ""
    return Article(
        title=headline or None,
        text=body,
        paragraphs=paragraphs,
        word_count=len(body.split()),
        reason=None if body else "empty_input",
    )


def prepare(request: AnalyzeRequest) -> Prepared:
    """Stage 1: the article in the request, fingerprinted; ``NoArticle`` if there is none."""
    start = time.perf_counter()
    if request.html is not None:
        article = extract(request.html, url=request.url)
    else:
        article = article_from_text(request.text or "", request.title)
    if article.reason or not article.text.strip():
        raise NoArticle(f"no article found in the page ({article.reason or 'no_article'})")
    return Prepared(article, fingerprint(article.title, article.text), _ms(start))


def suggest(
    scorer: Scorer, article: Article, scoring: Scoring, title_clickbait: float | None = None
) -> SuggestedHeadline:
    """The suggested headline from the scorer's answer (its sentences, embeddings and
    clickbait head); ``title_clickbait`` defaults to the scored title's."""
    if title_clickbait is None:
        title_clickbait = scoring.headline.clickbait_probability
    return suggest_headline(
        article,
        scoring.sentences,
        scoring.embeddings,
        supported=scoring.supported,
        clickbait=scorer.clickbait,
        title_clickbait=title_clickbait,
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
        ),
        model=scorer.info,
        cached=False,
        analyzed_at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        timings_ms=timings,
    )
    if analysis.scores is None:
        raise UnsupportedLanguage(analysis)
    return analysis
