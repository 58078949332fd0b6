"""Article extraction: ``extract(html, url=None) -> Article``, pure and total.

Pipeline: decode bytes → parse with Lexbor → cut the body into text blocks (``content``,
which also collects the body's metadata markup) → read declared metadata (``metadata``) →
select the main text with the headline's help → assemble the ``Article``. Never raises: any
failure is an ``Article`` with a ``reason``.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from credlens import patterns
from credlens.extract import heuristics as H
from credlens.extract.content import Block, segment, select
from credlens.extract.decode import decode_html
from credlens.extract.limits import bounded_utf8
from credlens.extract.metadata import read_metadata
from credlens.schemas import Article, Link

__all__ = ["Article", "extract"]

_TAG_START = patterns.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|!--|!doctype)", ignorecase=True)
#: Link schemes that are not documents.
_NON_DOCUMENT = ("javascript:", "mailto:", "tel:", "data:", "#")


def _links(blocks: list[Block], url: str | None) -> list[Link]:
    out: list[Link] = []
    seen: set[str] = set()
    for block in blocks:
        for href, text in block.links:
            href = href.strip()
            if not href or href.lower().startswith(_NON_DOCUMENT):
                continue
            if url and not href.startswith(("https://", "http://")):
                try:
                    href = urljoin(url, href)
                except ValueError:
                    continue
            if href not in seen:
                seen.add(href)
                out.append(Link(href=href, text=text))
    return out


def _looks_like_html(text: str) -> bool:
    # Only the head of the text: RE2 encodes all it is given (and refuses lone surrogates).
    head = text[:4096].encode("utf-8", errors="replace").decode("utf-8")
    return _TAG_START.search(head) is not None


def extract(html: str | bytes, url: str | None = None) -> Article:
    """Extract the article from a page. Pure and total: never raises, whatever the input."""
    try:
        return _extract(html, url)
    except Exception as exc:  # the contract is totality: the reason says what broke
        return Article(reason=f"error: {type(exc).__name__}")


def _extract(html: str | bytes, url: str | None) -> Article:
    if isinstance(html, bytes | bytearray | memoryview):
        html = decode_html(bytes(html))
    if not isinstance(html, str):
        return Article(reason="not_html")
    if url is not None and not urlsplit(url).scheme:
        url = None
    if not html.strip():
        return Article(reason="empty_input")
    # Lexbor takes UTF-8 bytes; encoding here (lone surrogates replaced) is what it would do.
    tree = LexborHTMLParser(bounded_utf8(html.encode("utf-8", errors="replace")))
    body = tree.body
    if body is None:
        return Article(title=read_metadata(tree, url).title, reason="no_body")
    seg = segment(body)
    md = read_metadata(tree, url, seg.markup)
    blocks = select(seg, md.title)
    paragraphs = [b.text for b in blocks]
    text = "\n\n".join(paragraphs)
    reason = None
    if len(text) < H.MIN_ARTICLE_CHARS:
        reason = "no_article" if _looks_like_html(html) else "not_html"
    return Article(
        title=md.title,
        text=text,
        paragraphs=paragraphs,
        byline=md.byline,
        authors=md.authors,
        published=md.published,
        modified=md.modified,
        site_name=md.site_name,
        language=md.language,
        canonical_url=md.canonical_url,
        description=md.description,
        links=_links(blocks, url),
        word_count=len(text.split()),
        reason=reason,
    )
