"""Measured (not learned) features of an article: quotes, named sources, specific claims,
links, byline and dates. Patterns are compiled once; each is a plain, explainable test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from credlens.schemas import Article

#: A direct quote: text of 12+ characters between straight or curly double quotes.
_QUOTE = re.compile(r"[\"“][^\"“”]{12,}[\"”]")
_SPEECH_VERBS = (
    r"said|says|say|told|tells|stated|states|added|adds|explained|noted|wrote|argued|"
    r"announced|confirmed|warned|(?i:according to)|testified|reported|claimed|insisted"
)
#: A named source: a speech verb next to a capitalised name ("Smith said", "said John Smith",
#: "according to the Department of Health").
_NAMED_SOURCE = re.compile(
    rf"(?:\b[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*,?\s+(?:{_SPEECH_VERBS})\b)"
    rf"|(?:\b(?:{_SPEECH_VERBS})\s+(?:the\s+)?[A-Z][\w'’.-]+)"
)
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
#: A specific, checkable detail: a number with a unit or context, a year, a date or a weekday.
_SPECIFIC = re.compile(
    rf"\b\d[\d,.]*\s*(?:%|percent|per cent|million|billion|thousand|people|years?|km|miles|"
    rf"dollars|euros|pounds)\b|[$€£]\s?\d|\b(?:19|20)\d\d\b|\b(?:{_MONTHS})\s+\d{{1,2}}\b|"
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b\d+(?:\.\d+)?\b"
)


@dataclass(frozen=True)
class SentenceFacts:
    quote: bool
    named_source: bool
    specific: bool


@dataclass(frozen=True)
class ArticleFacts:
    byline: bool
    dated: bool
    external_links: int
    domain: str | None


def sentence_facts(sentence: str) -> SentenceFacts:
    return SentenceFacts(
        quote=_QUOTE.search(sentence) is not None,
        named_source=_NAMED_SOURCE.search(sentence) is not None,
        specific=_SPECIFIC.search(sentence) is not None,
    )


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None


def article_facts(article: Article, url: str | None = None) -> ArticleFacts:
    """Byline, date and links (links to another site than the article's own)."""
    domain = domain_of(article.canonical_url or url)
    external = set()
    for link in article.links:
        host = domain_of(link.href)
        if host and host != domain and not (domain and host.endswith("." + domain)):
            external.add(link.href)
    return ArticleFacts(
        byline=bool(article.byline or article.authors),
        dated=bool(article.published),
        external_links=len(external),
        domain=domain,
    )


def outlet_record(domain: str | None, sources: dict[str, str]) -> tuple[str, str] | None:
    """(matched domain, record) for the domain or its nearest listed parent domain."""
    while domain and "." in domain:
        record = sources.get(domain)
        if record is not None:
            return domain, record
        domain = domain.split(".", 1)[1]
    return None
