"""Metadata the page declares about itself: JSON-LD first, then meta tags, then the DOM.

Each field takes the first source that has it, in the order publishers are most careful with:
JSON-LD (schema.org ``NewsArticle``), Open Graph / Twitter / Dublin Core / ``article:`` meta
tags, then visible markup (``h1``, ``<time>``, ``rel=author``) and ``<title>``.

Every value is the page's: patterns are RE2 (linear), JSON-LD blocks nested deeper than
``MAX_JSONLD_DEPTH`` are skipped unread (the decoder recurses), and the walk over what they
hold is iterative and bounded (``MAX_JSONLD_ITEMS``).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import msgspec
import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

from credlens import patterns
from credlens.extract.content import MarkupFound

#: schema.org types whose properties describe the article.
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "WebPage",
        "SocialMediaPosting",
        "CreativeWork",
    }
)
#: Separators between a headline and the site name in ``<title>`` ("Headline | Site").
TITLE_SEPARATORS = patterns.compile(r"\s+(?:[|\-–—·•:»]|::)\s+")
#: Titles longer than this are not split at separators: no headline is that long, and each
#: separator found costs a few microseconds through the RE2 binding.
MAX_TITLE_SPLIT_CHARS = 2000
#: Meta names/properties, in order of preference, for each field.
META_TITLE = ("og:title", "twitter:title", "dc.title", "sailthru.title")
META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "og:published_time",
    "dcterms.created",
    "cxenseparse:recs:publishtime",
)
META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")
META_AUTHOR = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "sailthru.author",
    "parsely-author",
    "twitter:creator",
)
META_SITE = ("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher")
META_DESCRIPTION = ("og:description", "description", "twitter:description", "dc.description")
META_LANGUAGE = ("content-language", "og:locale", "language", "dc.language")
_HEAD_SELECTOR = 'meta, script[type="application/ld+json"], link[rel="canonical"], title'
#: Visible byline markup, when no JSON-LD or meta tag names the author.
BYLINE_SELECTOR = '[rel="author"], [itemprop="author"], .byline, .author'
#: "By Jane Doe and John Roe" → names.
_BYLINE_PREFIX = patterns.compile(r"^\s*(?:by|von|por|par|di|oleh)\s+", ignorecase=True)
#: Separators between names: a comma, "&", or "and"/"und"/"e"/"y" as a word (RE2 has no
#: Unicode ``\b``: the non-word characters around the word are part of the match).
_NAME_SPLIT = patterns.compile(r"\s*(?:,|&|(?:^|[^\w])(?:and|und|e|y)(?:[^\w]|$))\s*")
#: Bylines longer than this are not a list of names (a real one is under 200 characters):
#: not split, so a megabyte "author" costs nothing.
MAX_BYLINE_CHARS = 1000
#: Author entries read from one JSON-LD ``author`` value.
MAX_AUTHORS = 32
_LANGUAGE_SUBTAG = patterns.compile(r"[-_]")
_JSON = msgspec.json.Decoder()
#: JSON-LD blocks nested deeper than this are skipped unread: the decoder recurses once per
#: level (999 levels raised RecursionError and lost the whole page). The tuning set's 187
#: blocks nest at most 6 deep.
MAX_JSONLD_DEPTH = 32
#: Objects and lists the walk over a page's JSON-LD visits, all blocks together (a real page
#: has a few dozen).
MAX_JSONLD_ITEMS = 10_000


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    modified: str | None = None
    site_name: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    article_body: str | None = None
    """JSON-LD ``articleBody`` when declared (used to check extraction, not as the text)."""


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _clean_declared(value: object) -> str | None:
    """A declared value (JSON-LD string or meta content): publishers often leave HTML entities
    (``&amp;``, ``&#039;``) in them."""
    text = _clean(value)
    return _clean(html.unescape(text)) if text and "&" in text else text


def normalize_date(value: object) -> str | None:
    """ISO 8601 from the date formats pages use; None when it is not a date."""
    text = _clean(value)
    if not text or len(text) > 64:
        return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        for fmt in ("%Y%m%d", "%Y%m%dT%H%M%S", "%Y-%m-%dT%H:%M:%S%z", "%B %d, %Y", "%d %B %Y"):
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    if len(text) <= 10 and parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.date().isoformat()
    return parsed.isoformat()


def json_depth(raw: bytes) -> int:
    """How deep ``raw`` nests arrays and objects, brackets inside strings not counted.

    Vectorised (numpy), so a hostile block costs a few passes in C, whatever its size; exact
    for valid JSON and for the valid prefix of invalid JSON, which is all a decoder reads.
    """
    page = np.frombuffer(raw, np.uint8)
    quotes = np.flatnonzero(page == 0x22)
    if quotes.size:
        # A quote after an odd run of backslashes is escaped.
        backslash = page == 0x5C
        last_plain = np.maximum.accumulate(
            np.where(backslash, -1, np.arange(page.size, dtype=np.int64))
        )
        before = np.maximum(quotes - 1, 0)
        escaped = ((before - last_plain[before]) % 2 == 1) & (quotes > 0)
        toggles = np.zeros(page.size, np.int8)
        toggles[quotes[~escaped]] = 1
        outside = np.cumsum(toggles, dtype=np.int64) % 2 == 0
    else:
        outside = np.ones(page.size, bool)
    step = (((page == 0x5B) | (page == 0x7B)).astype(np.int64)) - ((page == 0x5D) | (page == 0x7D))
    return int(np.cumsum(step * outside).max(initial=0))


def _jsonld_objects(scripts: list[LexborNode]) -> Iterator[dict[str, Any]]:
    """The objects of the page's JSON-LD blocks (top level, in lists, in ``@graph``), in
    order. A block too deep or malformed is skipped; the others are still read."""
    budget = MAX_JSONLD_ITEMS
    for script in scripts:
        try:
            raw = script.text(deep=True).strip().encode()
        except UnicodeEncodeError:
            continue
        # Fewer brackets than the limit cannot nest past it: most blocks skip the scan.
        if raw.count(b"[") + raw.count(b"{") > MAX_JSONLD_DEPTH and (
            json_depth(raw) > MAX_JSONLD_DEPTH
        ):
            continue
        try:
            data = _JSON.decode(raw)
        except (msgspec.DecodeError, RecursionError):
            continue
        stack = [data]
        while stack:
            budget -= 1
            if budget < 0:
                return
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item[:budget]))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph[:budget]))


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def _names(value: object) -> list[str]:
    """Person names from a schema.org ``author`` value (string, object or list of either)."""
    out: list[str] = []
    items = value[:MAX_AUTHORS] if isinstance(value, list) else [value]
    for item in items:
        name = (
            _clean_declared(item.get("name")) if isinstance(item, dict) else _clean_declared(item)
        )
        if name and not name.startswith(("http://", "https://")):
            out.extend(split_byline(name))
    return out


def split_byline(text: str) -> list[str]:
    """'By Jane Doe and John Roe' → ['Jane Doe', 'John Roe']; [] for a text too long to be
    a byline (``MAX_BYLINE_CHARS``)."""
    if len(text) > MAX_BYLINE_CHARS:
        return []
    body = _BYLINE_PREFIX.sub("", text)
    return [part for part in (p.strip(" .;") for p in _NAME_SPLIT.split(body)) if part]


def _meta_map(metas: list[LexborNode]) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in metas:
        attrs = meta.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        key = key or attrs.get("http-equiv")
        content = attrs.get("content")
        if key and content:
            found.setdefault(key.strip().lower(), content)
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        # Attribute values arrive decoded once; pages that encode twice still hold entities.
        value = _clean_declared(meta.get(key))
        if value:
            return value
    return None


def _query_body(tree: LexborHTMLParser) -> MarkupFound:
    """The body's metadata markup by CSS queries (when no segmentation walk collected it)."""
    body = tree.body
    if body is None:
        return MarkupFound()
    return MarkupFound(
        jsonld=body.css('script[type="application/ld+json"]'),
        meta=body.css("meta"),
        time=body.css_first("time[datetime]"),
        h1=body.css_first("h1"),
        byline=body.css_first(BYLINE_SELECTOR),
        canonical=body.css_first('link[rel="canonical"]'),
    )


def strip_site_name(title: str, site_name: str | None, *, guess: bool = False) -> str:
    """Remove a "| Site" suffix or "Site |" prefix; the rest of the title stays as written.

    With ``guess`` (a ``<title>`` and no known site name), the longest part is the headline.
    Titles longer than ``MAX_TITLE_SPLIT_CHARS`` stay as they are.
    """
    if len(title) > MAX_TITLE_SPLIT_CHARS:
        return title
    separators = list(TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    if site_name:
        site = site_name.lower()
        first, last = separators[0], separators[-1]
        if site in title[last.end() :].lower():
            return title[: last.start()].strip()
        if site in title[: first.start()].lower():
            return title[first.end() :].strip()
    if guess:
        return max(TITLE_SEPARATORS.split(title), key=len)
    return title


def read_metadata(
    tree: LexborHTMLParser, url: str | None = None, body: MarkupFound | None = None
) -> Metadata:
    """Metadata from ``<head>`` plus the body markup that segmentation collected.

    Queries touch only ``<head>``: a CSS query over the whole document costs a full tree
    traversal (about 0.1 ms a page), and the body walk already met the body's markup. Without
    ``body`` (metadata alone), the body is queried.
    """
    md = Metadata()
    head = tree.head
    if body is None:
        body = _query_body(tree)
    # One query over <head> for everything it may hold.
    head_meta: list[LexborNode] = []
    head_ld: list[LexborNode] = []
    canonical_link = title_node = None
    for node in head.css(_HEAD_SELECTOR) if head else ():
        tag = node.tag
        if tag == "meta":
            head_meta.append(node)
        elif tag == "script":
            head_ld.append(node)
        elif tag == "link":
            canonical_link = canonical_link or node
        else:
            title_node = title_node or node
    meta = _meta_map([*head_meta, *body.meta])
    for obj in _jsonld_objects([*head_ld, *body.jsonld]):
        types = _types(obj)
        if not types & ARTICLE_TYPES:
            if md.site_name is None and types & {
                "Organization",
                "NewsMediaOrganization",
                "WebSite",
            }:
                md.site_name = _clean_declared(obj.get("name"))
            continue
        md.title = (
            md.title or _clean_declared(obj.get("headline")) or _clean_declared(obj.get("name"))
        )
        if not md.authors:
            md.authors = _names(obj.get("author") or obj.get("creator"))
        md.published = md.published or normalize_date(obj.get("datePublished"))
        md.published = md.published or normalize_date(obj.get("dateCreated"))
        md.modified = md.modified or normalize_date(obj.get("dateModified"))
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and not md.site_name:
            md.site_name = _clean_declared(publisher.get("name"))
        md.description = md.description or _clean_declared(obj.get("description"))
        md.language = md.language or _clean_declared(obj.get("inLanguage"))
        md.article_body = md.article_body or _clean_declared(obj.get("articleBody"))

    md.title = md.title or _first(meta, META_TITLE)
    if not md.authors:
        byline = _first(meta, META_AUTHOR)
        if byline and not byline.startswith(("http://", "https://", "@")):
            md.authors = split_byline(byline)
    if not md.authors:
        # The walk skips byline furniture unread; look it up only when nothing else declared.
        byline_node = body.byline or tree.css_first(BYLINE_SELECTOR)
        text = _clean(byline_node.text(deep=True)) if byline_node else None
        if text and len(text) <= 100:
            md.byline = text
            md.authors = split_byline(text)
    md.published = md.published or normalize_date(_first(meta, META_PUBLISHED))
    if md.published is None:
        time = body.time or tree.css_first("time[datetime]")
        md.published = normalize_date(time.attributes.get("datetime")) if time else None
    md.modified = md.modified or normalize_date(_first(meta, META_MODIFIED))
    md.site_name = md.site_name or _first(meta, META_SITE)
    md.description = md.description or _first(meta, META_DESCRIPTION)

    html = tree.root
    lang = (html.attributes.get("lang") if html and html.tag == "html" else None) or md.language
    lang = lang or _first(meta, META_LANGUAGE)
    if lang:
        primary = _LANGUAGE_SUBTAG.split(lang.strip().lower(), maxsplit=1)[0]
        md.language = primary if primary.isalpha() and 2 <= len(primary) <= 3 else None

    link = canonical_link or body.canonical
    canonical = _clean(link.attributes.get("href")) if link else None
    canonical = canonical or _clean(meta.get("og:url"))
    if canonical:
        absolute = canonical.startswith(("https://", "http://"))
        md.canonical_url = urljoin(url, canonical) if url and not absolute else canonical
    elif url:
        md.canonical_url = url

    if md.title is None:
        md.title = _clean(body.h1.text(deep=True)) if body.h1 else None
    if md.title is None:
        raw = _clean(title_node.text(deep=True)) if title_node else None
        md.title = strip_site_name(raw, md.site_name, guess=True) if raw else None
    elif md.site_name:
        md.title = strip_site_name(md.title, md.site_name)
    if md.byline is None and md.authors:
        md.byline = "By " + ", ".join(md.authors)
    return md
