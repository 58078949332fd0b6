"""The extraction heuristics, one behaviour per test, on small pages written for the purpose."""

from __future__ import annotations

import re
from pathlib import Path

from credlens.extract import extract

LOREM = (
    "The city council voted on Tuesday to approve the new budget, which includes funding for "
    "schools, roads and public transport, the mayor's office said in a statement."
)


def page(body: str, title: str = "Council approves budget") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def test_article_paragraphs_beat_navigation() -> None:
    nav = "<ul>" + "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30)) + "</ul>"
    html = page(
        f"<div>{nav}</div><article><h1>Council approves budget</h1>"
        f"<p>{LOREM}</p><p>{LOREM} Again.</p></article>"
    )
    article = extract(html)
    assert article.paragraphs == [LOREM, f"{LOREM} Again."]
    assert "Section" not in article.text


def test_headline_byline_and_boilerplate_lines_are_dropped() -> None:
    html = page(
        "<article><h1>Council approves budget</h1><p>By Jane Doe</p>"
        f"<p>Advertisement</p><p>{LOREM}</p><p>Posted: Tuesday, 12 May 2020</p>"
        f"<p>{LOREM} More.</p><p>Sign up for our newsletter</p></article>"
    )
    assert extract(html).paragraphs == [LOREM, f"{LOREM} More."]


def test_furniture_classes_are_skipped() -> None:
    body = "".join(f"<p>{LOREM} Paragraph {i}.</p>" for i in range(3))
    html = page(
        f'<div class="story">{body}<div class="social-share">Share on Twitter</div>'
        f'<div class="related-articles"><p>{LOREM} Related teaser.</p></div></div>'
        f'<div id="comments"><p>{LOREM} A reader comment.</p></div>'
    )
    assert extract(html).paragraphs == [f"{LOREM} Paragraph {i}." for i in range(3)]


def test_furniture_named_wrapper_around_the_page_is_kept() -> None:
    body = "".join(f"<p>{LOREM} Paragraph {i}.</p>" for i in range(12))
    html = page(f'<div class="page-ad-margins has-sidebar"><article>{body}</article></div>')
    assert len(extract(html).paragraphs) == 12


def test_hidden_elements_are_skipped() -> None:
    html = page(
        f"<article><p>{LOREM}</p><p hidden>{LOREM} Hidden.</p>"
        f'<p style="display: none">{LOREM} Also hidden.</p></article>'
    )
    assert extract(html).paragraphs == [LOREM]


def test_line_breaks_split_blocks_and_inline_markup_joins_words() -> None:
    html = page(f"<div><b>O</b>fficials said on Monday {LOREM}<br><br>Second {LOREM}</div>")
    paragraphs = extract(html).paragraphs
    assert paragraphs[0].startswith("Officials said on Monday")
    assert paragraphs[1].startswith("Second")


def test_embedded_posts_are_content() -> None:
    quote = "We are on it, said the governor today."
    tweet = f'<blockquote class="twitter-tweet"><p>{quote}</p></blockquote>'
    html = page(
        f'<article><p>{LOREM}</p><div class="social-embed">{tweet}</div>'
        f"<p>{LOREM} End.</p></article>"
    )
    assert quote in extract(html).paragraphs


def test_article_split_into_sections_is_whole() -> None:
    column = (
        '<section><div class="column"><p>{0} Part {1}a.</p><p>{0} Part {1}b.</p></div></section>'
    )
    sections = "".join(column.format(LOREM, i) for i in range(4))
    assert len(extract(page(f"<main>{sections}</main>")).paragraphs) == 8


def test_links_are_absolute_and_outbound_only() -> None:
    html = page(
        f'<article><p>{LOREM} <a href="/report.pdf">the report</a>, '
        '<a href="https://example.org/x">a source</a>, <a href="javascript:void(0)">x</a> '
        '<a href="#top">top</a>.</p></article>'
    )
    links = extract(html, url="https://news.example.com/a/story").links
    assert [(link.href, link.text) for link in links] == [
        ("https://news.example.com/report.pdf", "the report"),
        ("https://example.org/x", "a source"),
    ]


def test_json_ld_metadata() -> None:
    ld = (
        '{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",'
        '"headline":"Budget passes &amp; schools gain","datePublished":"2020-05-12T09:30:00Z",'
        '"author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}],'
        '"publisher":{"@type":"Organization","name":"The Daily"}}]}'
    )
    html = (
        f'<html lang="en-GB"><head><script type="application/ld+json">{ld}</script></head>'
        f"<body><p>{LOREM}</p></body></html>"
    )
    article = extract(html)
    assert article.title == "Budget passes & schools gain"
    assert article.published == "2020-05-12T09:30:00+00:00"
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.byline == "By Jane Doe, John Roe"
    assert article.site_name == "The Daily"
    assert article.language == "en"


def test_no_rule_names_a_site() -> None:
    """Extraction must generalise: no domain, host or page is named in its code (schema.org is
    the JSON-LD vocabulary, not a site)."""
    source = "\n".join(p.read_text() for p in Path("server/credlens/extract").glob("*.py"))
    source = source.replace("schema.org", "")
    domains = re.findall(
        r"\b[a-z0-9-]+\.(?:com|org|net|co\.uk|com\.br|ru|it|de|kr|jp|info)\b", source
    )
    assert not domains, domains
