"""One analysis as plain functions: page → ``Article`` → ``Scoring`` → headline, summary → result.

Stages, in order (each timed into ``timings_ms``):

1. ``prepare``: ``extract`` the article from the HTML, or take the text as sent, and fingerprint
   it (the cache compares fingerprints to notice an article that changed).
2. ``analyze_article``: ``score`` (sentences → ONNX → scores with evidence), ``headline``
   (``suggest_headline``), ``summary`` (``summarize``), then the ``Analysis``.

Pure and blocking: the service runs them in its worker pool; ``credlens analyze`` calls them
directly. No cache, no I/O.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from .cache import fingerprint
from .extract import extract
from .headline import suggest_headline
from .model import Scorer
from .schemas import Analysis, AnalyzeRequest, Article, ArticleMeta
from .summary import summarize

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True, slots=True)
class Prepared:
    """The parse stage's result: the article, its fingerprint and how long parsing took."""

    article: Article
    fingerprint: str
    parse_ms: float

    @property
    def empty(self) -> bool:
        return bool(self.article.reason) or not self.article.text.strip()


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
    """Stage 1: the article in the request, fingerprinted."""
    start = time.perf_counter()
    if request.html is not None:
        article = extract(request.html, url=request.url)
    else:
        article = article_from_text(request.text or "", request.title)
    return Prepared(article, fingerprint(article.title, article.text), _ms(start))


def analyze_article(
    scorer: Scorer, prepared: Prepared, url: str, *, summary_sentences: int = 3
) -> Analysis:
    """Stage 2: score, suggest a headline, summarise. ``url`` is the canonical URL."""
    article = prepared.article
    timings = {"parse": prepared.parse_ms}
    start = time.perf_counter()
    scoring = scorer.score(article, url=url)
    timings["score"] = _ms(start)
    start = time.perf_counter()
    headline = suggest_headline(article, scoring, scorer)
    timings["headline"] = _ms(start)
    start = time.perf_counter()
    summary = summarize(article, scoring, max_sentences=summary_sentences)
    timings["summary"] = _ms(start)
    timings["total"] = round(sum(timings.values()), 2)
    return Analysis(
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
