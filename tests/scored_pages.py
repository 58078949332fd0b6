"""Real pages of the tuning set, extracted and scored once per test session with the default
bundle: shared by ``test_headline`` and ``test_summary`` (scoring them costs a few seconds)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from credlens.extract import extract
from credlens.model import Scorer, Scoring, load_bundle
from credlens.schemas import Article
from credlens.settings import DEFAULT_BUNDLE
from credlens_bench.extract import load_pages
from tests.conftest import SCRAPINGHUB

#: Pages scored (the first ones by id): enough variety (sites, languages, titles) while the
#: two modules stay well under 20 s together.
PAGES = 100


@dataclass(frozen=True)
class ScoredPage:
    id: str
    article: Article
    scoring: Scoring

    @property
    def untitled(self) -> Article:
        """The page without its headline: a suggestion must then be generated."""
        return Article(text=self.article.text, paragraphs=self.article.paragraphs)


@cache
def scorer() -> Scorer:
    return load_bundle(DEFAULT_BUNDLE)


@cache
def scored_pages() -> tuple[ScoredPage, ...]:
    out = []
    for page in load_pages(SCRAPINGHUB, PAGES):
        article = extract(page.html, page.url)
        if not article.text:
            continue
        out.append(ScoredPage(page.id, article, scorer().score(article)))
    return tuple(out)
