"""Metadata on real pages agrees with what each page declares about itself.

The expected values are read here independently of ``credlens.extract`` (the standard library's
``html.parser`` and ``json``), from JSON-LD and meta tags; a field is checked on every page that
declares it.
"""

from __future__ import annotations

import json
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import pytest

from credlens.extract import extract
from credlens_bench.extract import Page

ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "BlogPosting",
    "WebPage",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "LiveBlogPosting",
    "Report",
}


class Declared(HTMLParser):
    """Collects meta tags, JSON-LD objects and the canonical link of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.jsonld: list[dict[str, Any]] = []
        self.canonical: str | None = None
        self._in_ld = False
        self._ld_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, []).append(" ".join(a["content"].split()))
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href")
        elif tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self._in_ld, self._ld_text = True, []

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self._ld_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_ld:
            self._in_ld = False
            try:
                data = json.loads("".join(self._ld_text))
            except ValueError:
                return
            stack = [data]
            while stack:
                item = stack.pop()
                if isinstance(item, list):
                    stack.extend(item)
                elif isinstance(item, dict):
                    self.jsonld.append(item)
                    stack.extend(
                        item.get("@graph", []) if isinstance(item.get("@graph"), list) else []
                    )

    def articles(self) -> list[dict[str, Any]]:
        out = []
        for obj in self.jsonld:
            kind = obj.get("@type")
            kinds = set(kind) if isinstance(kind, list) else {kind}
            if kinds & ARTICLE_TYPES:
                out.append(obj)
        return out


def declared(page: Page) -> Declared:
    parser = Declared()
    parser.feed(page.html)
    return parser


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


def names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not name.startswith("http"):
            out.append(norm(name))
    return out


def test_title_is_a_declared_headline(tuning_pages: list[Page]) -> None:
    wrong = []
    for page in tuning_pages:
        d = declared(page)
        candidates = [norm(unescape(str(a["headline"]))) for a in d.articles() if a.get("headline")]
        candidates += [norm(v) for k in ("og:title", "twitter:title") for v in d.meta.get(k, [])]
        if not candidates:
            continue
        title = norm(extract(page.html, page.url).title or "")
        # The site-name suffix may be stripped: the title is a declared headline or part of one.
        if not title or not any(title in c for c in candidates):
            wrong.append((page.url, title, candidates[:2]))
    assert not wrong, wrong


def test_site_name_is_declared(tuning_pages: list[Page]) -> None:
    wrong = []
    for page in tuning_pages:
        d = declared(page)
        candidates = [
            norm(v)
            for k in ("og:site_name", "application-name", "publisher")
            for v in d.meta.get(k, [])
        ]
        for obj in d.jsonld:
            candidates += names(obj.get("publisher"))
            kind = obj.get("@type")
            if kind in ("Organization", "NewsMediaOrganization", "WebSite"):
                candidates += names(obj)
        if not candidates:
            continue
        site = norm(extract(page.html, page.url).site_name or "")
        if site not in candidates:
            wrong.append((page.url, site, candidates[:3]))
    assert not wrong, wrong


def test_canonical_url_is_declared(tuning_pages: list[Page]) -> None:
    checked = 0
    for page in tuning_pages:
        d = declared(page)
        if not d.canonical:
            continue
        checked += 1
        assert extract(page.html, page.url).canonical_url == urljoin(page.url, d.canonical.strip())
    assert checked > 100


def test_published_date_is_declared(tuning_pages: list[Page]) -> None:
    keys = (
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "dc.date.issued",
        "sailthru.date",
        "parsely-pub-date",
    )
    wrong, checked = [], 0
    for page in tuning_pages:
        d = declared(page)
        candidates = [str(a["datePublished"]) for a in d.articles() if a.get("datePublished")]
        candidates += [v for k in keys for v in d.meta.get(k, [])]
        # Some publishers declare placeholder dates ("0001-01-01"): not a date to expect.
        days = {
            c.strip()[:10]
            for c in candidates
            if c.strip()[:4].isdigit() and "1900" <= c.strip()[:4] <= "2100"
        }
        if not days:
            continue
        checked += 1
        published = extract(page.html, page.url).published or ""
        if published[:10] not in days:
            wrong.append((page.url, published, sorted(days)))
    assert checked > 80
    assert not wrong, wrong


def test_declared_authors_are_found(tuning_pages: list[Page]) -> None:
    wrong, checked = [], 0
    for page in tuning_pages:
        d = declared(page)
        declared_names = [n for a in d.articles() for n in names(a.get("author"))]
        if not declared_names:
            continue
        checked += 1
        ours = {norm(a) for a in extract(page.html, page.url).authors}
        first = declared_names[0]
        if not any(first == a or first in a or a in first for a in ours):
            wrong.append((page.url, sorted(ours), declared_names[:3]))
    assert checked > 40
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<html><head><title>Storm hits coast | Daily Planet</title>"
            '<meta property="og:site_name" content="Daily Planet"></head><body></body></html>',
            "Storm hits coast",
        ),
        (
            "<html><head><title>Storm hits coast - Daily Planet</title></head><body></body></html>",
            "Storm hits coast",
        ),
        ("<html><body><h1> Storm  hits coast </h1></body></html>", "Storm hits coast"),
    ],
)
def test_title_sources(html: str, expected: str) -> None:
    assert extract(html).title == expected
