"""Hostile pages cost the extractor memory and time in proportion to their size, per class.

Every byte of a page is its author's. Four classes of fault, each with the reported example
and generated members (hypothesis):

1. memos keyed on page strings (class names) must stay bounded in bytes;
2. deep nesting must cost time linear in the page (text read once, not once per level; the
   parser's depth capped however the nesting is spelled);
3. regular expressions on page text are RE2 (linear) and mean what they meant under ``re``;
4. a JSON-LD block too deep to decode is skipped, not the whole page.

Time is CPU time (``time.process_time``), compared between a page and one twice its size
(the minimum of a few runs), so other load on the machine does not make the tests flaky;
absolute bounds are hang detectors, well above the measured cost.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
import tracemalloc
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from credlens.extract import extract
from credlens.extract import heuristics as H
from credlens.extract.content import (
    MAX_CACHED_NAME_CHARS,
    NAME_MEMO_SIZE,
    _classify,
    _classify_memo,
    _classify_names,
    _Subtrees,
)
from credlens.extract.decode import _META_CHARSET, declared_charset
from credlens.extract.limits import bounded_utf8, limit_depth
from credlens.extract.metadata import (
    MAX_JSONLD_DEPTH,
    MAX_JSONLD_ITEMS,
    TITLE_SEPARATORS,
    _jsonld_objects,
    json_depth,
    split_byline,
    strip_site_name,
)
from credlens_bench.extract import Page
from tests.test_extract_totality import tag_soup

PROSE = (
    "The committee said on Tuesday that the report would be published next week, officials "
    "said, adding that the findings were preliminary. "
)
#: CPU seconds a hostile page may take before the test calls it a hang: about 10x the cost
#: measured on the 2-core development machine (0.2-0.5 s), not a performance bound.
HANG_SECONDS = 5.0
#: Twice the page may cost at most this many times as much (linear: 2; quadratic: 4): 2^1.5,
#: halfway on a log scale. Quiet, the deep-nesting pages measure 1.9-2.2; 2.5 failed once at
#: 2.7 while a type check ran beside the tests.
GROWTH_BOUND = 2.83


def _prose(chars: int) -> str:
    return (PROSE * (chars // len(PROSE) + 1))[:chars]


def _growth(small: Callable[[], object], large: Callable[[], object]) -> tuple[float, float]:
    """CPU cost of ``small`` and ``large``, each the minimum of runs taken in turn (so that a
    burst of load on the machine hits both sizes alike)."""
    costs = [float("inf"), float("inf")]
    for _ in range(5):
        for i, fn in enumerate((small, large)):
            gc.collect()
            start = time.process_time()
            fn()
            costs[i] = min(costs[i], time.process_time() - start)
    return costs[0], costs[1]


def _tree_depth(html: bytes) -> int:
    """Depth of the tree Lexbor builds (elements only), walked without recursion."""
    root = LexborHTMLParser(html).root
    if root is None:
        return 0
    deepest = 0
    stack: list[tuple[LexborNode, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.iter())
    return deepest


# --- 1. Memos keyed on page strings -------------------------------------------------------


def _long_class_page(salt: str, chars: int) -> str:
    """A wrapper whose class and id are ``chars`` long each (``article`` is never furniture,
    so a ``div`` carries them)."""
    name = (salt + "-content-") * (chars // (len(salt) + 9))
    return (
        f'<html><body><div class="{name}" id="{name[::-1]}"><article>'
        + f"<p>{PROSE}</p>" * 6
        + "</article></div></body></html>"
    )


def test_long_class_names_are_not_memoised() -> None:
    """The report: megabyte class names, each request's kept by the memo for good."""
    _classify_memo.cache_clear()
    pages = [_long_class_page(f"s{i}", 200_000) for i in range(12)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for page in pages:
            assert extract(page).text
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Before the fix the memo kept every page's class+id: 12 x 400,000 characters.
    assert kept < 1 << 20, f"{kept / 2**20:.1f} MiB kept"
    assert _classify_memo.cache_info().currsize == 0


def test_the_name_memo_is_bounded_in_entries_and_bytes() -> None:
    _classify_memo.cache_clear()
    for i in range(NAME_MEMO_SIZE + 500):
        _classify(f"promo-{i} sidebar")
    assert _classify_memo.cache_info().currsize == NAME_MEMO_SIZE
    # The largest key the memo may hold: 128 characters of 4 bytes, plus the memo's own
    # bookkeeping (list node, dict slot, result): the documented bound holds.
    widest = sys.getsizeof("\U0010ffff" * MAX_CACHED_NAME_CHARS)
    assert NAME_MEMO_SIZE * (widest + 256) < 7 * 2**20


_NAME_WORDS = st.sampled_from(
    ["ad", "share", "comment", "article", "body", "byline", "tweet", "x", "main", "promo"]
)
_NAME_SEPARATORS = st.sampled_from([" ", "-", "_", "\t", "", "é", "\u00a0", "\n"])


@st.composite
def class_names(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(_NAME_WORDS, _NAME_SEPARATORS), max_size=12))
    body = "".join(word + sep for word, sep in parts)
    return body * draw(st.sampled_from([1, 2, 40, 2_000]))


#: The class/id patterns as they were under ``re`` (the reference for RE2's).
_RE_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:"
    r"ad|ads|advert\w*|adslot|dfp|banner|sponsor\w*|promo\w*|outbrain|taboola"
    r"|comment\w*|disqus|replies|respond|discussion"
    r"|share\w*|sharing|social\w*|sociable|follow|toolbar|tools"
    r"|related\w*|recommend\w*|more-stories|trending|popular|most-read|read-more|readmore"
    r"|newsletter\w*|subscri\w*|signup|sign-up|register|paywall-promo|cta"
    r"|cookie\w*|consent|gdpr|modal|popup|overlay"
    r"|breadcrumbs?|pagination|pager|menu|navbar|nav|masthead|header|footer|sidebar|rail"
    r"|widget\w*|skyscraper|supplemental|extra|remark|rss|shoutbox|agegate|legends"
    r"|byline\w*|author\w*|dateline|timestamp|date|time|meta|tags?|topics|keywords"
    r"|caption\w*|credit\w*|copyright|sr-only|visually-hidden|screen-reader\w*|print"
    r")(?:$|[\s_-])"
)
_RE_EMBED = re.compile(r"embed|tweet|instagram|blockquote|pullquote")
_RE_BYLINE = re.compile(r"byline|author")
_RE_COMMENTS = re.compile(r"comment|disqus|replies|respond|discussion")
_RE_CONTENT = re.compile(r"article|body|content|entry|main|post|story|text|column")


def _reference_verdict(names: str) -> tuple[int, bool]:
    names = names.lower()
    if not _RE_FURNITURE.search(names) or _RE_EMBED.search(names):
        return 0, False
    byline = _RE_BYLINE.search(names) is not None
    if _RE_COMMENTS.search(names):
        return 3, byline
    return (2 if _RE_CONTENT.search(names) else 1), byline


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(class_names())
def test_class_names_memoised_only_when_short_and_judged_as_before(names: str) -> None:
    before = _classify_memo.cache_info().currsize
    verdict = _classify(names)
    after = _classify_memo.cache_info().currsize
    if len(names) > MAX_CACHED_NAME_CHARS:
        assert after == before
    assert verdict == _classify_names(names) == _reference_verdict(names)


def test_classifying_long_class_names_is_linear() -> None:
    unit = "share-content-ad_x "

    short, long = unit * 100_000, unit * 200_000
    small, large = _growth(lambda: _classify(short), lambda: _classify(long))
    assert large <= GROWTH_BOUND * small + 0.002, (small, large)


# --- 2. Deep nesting ------------------------------------------------------------------------


def _deep_lists(depth: int, chars: int) -> str:
    """The report: lists nested ``depth`` deep, each level opening with prose."""
    return "<html><body>" + ("<ul>" + _prose(chars // depth)) * depth


def test_deep_lists_around_prose_extract_quickly() -> None:
    """19,000 nested lists around 4.6 MB of prose took 19 s (each level re-read the text)."""
    html = _deep_lists(19_000, 4_600_000)
    start = time.process_time()
    article = extract(html)
    elapsed = time.process_time() - start
    assert elapsed < HANG_SECONDS, f"{elapsed:.2f} s of CPU"
    assert article.reason is None
    assert len(article.text) > 4_000_000


def test_deep_lists_cost_grows_linearly() -> None:
    once, twice = _deep_lists(19_000, 4_600_000), _deep_lists(38_000, 9_200_000)
    small, large = _growth(lambda: extract(once), lambda: extract(twice))
    assert large <= GROWTH_BOUND * small, (small, large)


#: Members of the class: nesting spelled so that a naive depth count misses it, and nesting
#: that made the walk re-read text (lists, wrappers with furniture classes, links).
NESTINGS: dict[str, Callable[[int], str]] = {
    "lists with closed items": lambda n: ("<ul><li>" + _prose(120) + "</li>") * n,
    "furniture wrappers": lambda n: ('<div class="sidebar">' + _prose(120)) * n,
    "ignored end tags": lambda n: ("<div></b>" + _prose(60)) * n,
    "end tag behind a special element": lambda n: ("<span><div></span>" + _prose(60)) * n,
    "end tag in an attribute": lambda n: ('<div title="</div>">' + _prose(60)) * n,
    "formatting elements re-created": lambda n: "".join(
        f"<b id={i}><p>{_prose(40)}" for i in range(n)
    ),
    "lists of links": lambda n: ('<ol><li><a href="/x">' + _prose(30) + "</a> " + _prose(60)) * n,
    "links inside links": lambda n: ('<a href="/x">' + _prose(60) + "<marquee>") * n,
}


@pytest.mark.parametrize("name", list(NESTINGS))
def test_deep_nesting_cost_grows_linearly(name: str) -> None:
    once = "<html><body>" + NESTINGS[name](16_000)
    twice = "<html><body>" + NESTINGS[name](32_000)
    small, large = _growth(lambda: extract(once), lambda: extract(twice))
    assert large < HANG_SECONDS
    assert large <= GROWTH_BOUND * small + 0.01, (small, large)


#: Spellings of one nesting level: each nests in the parser although a count of opening and
#: closing tags, or a reading that ignores quotes, comments, raw text, scopes or foreign
#: content, says it does not.
LEVELS = [
    "<div>",
    "<div/>",
    "<div></b>",
    "<span><div></span>",
    '<div title="</div>">',
    "<div title='</div>'>",
    "<div a=</div>>",
    '<div x==" y=" =" z=" ></div>">',
    "<div><!--</div>-->",
    "<div><textarea></div></textarea>",
    "<div><script>'</div>'</script>",
    "<div><script><!--<script></script></div>--></script>",
    "<div><table></div></table>",
    "<div<>",
    "<ul><li>x</li>",
    "<dd><li>",
    "<table><td>",
    "<a><marquee><a>",
    "<svg><g>",
    "<svg><foreignObject><div>",
    "<math><mi><div>",
    "<h1><div><h2>",
    "<option><div>",
    "<DIV></Div x>",
]


@pytest.mark.parametrize("level", LEVELS)
def test_the_parser_never_nests_past_the_cap(level: str) -> None:
    html = ("<html><body>" + level * 20_000).encode()
    assert _tree_depth(bounded_utf8(html)) <= H.MAX_DEPTH + H.MAX_ACTIVE_FORMATTING + 8


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(LEVELS), min_size=1, max_size=3),
    st.integers(H.DEPTH_CHECK_MIN_TAGS, 40_000),
    st.sampled_from(["", "x", " ", PROSE]),
)
def test_generated_nestings_are_capped(levels: list[str], tags: int, text: str) -> None:
    unit = "".join(level + text for level in levels)
    repeat = -(-tags // unit.count("<"))  # at least ``tags`` tags: the depth model reads it
    html = ("<html><body>" + unit * repeat).encode()
    assert _tree_depth(bounded_utf8(html)) <= H.MAX_DEPTH + H.MAX_ACTIVE_FORMATTING + 8


def _elements(html: bytes) -> int:
    root = LexborHTMLParser(html).root
    return 0 if root is None else sum(1 for _ in root.traverse())


def test_formatting_elements_are_not_recreated_quadratically() -> None:
    """4,000 ``<b id=N><p>`` (53 KB, below the depth check's tag count) made the parser
    re-create every earlier ``b`` in every paragraph: 8 million elements."""
    html = ("<html><body>" + "".join(f"<b id={i}><p>x" for i in range(4_000))).encode()
    assert _elements(bounded_utf8(html)) < 4_000 * (H.MAX_ACTIVE_FORMATTING + 4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 3_000),
    st.integers(0, 9_000),
    st.booleans(),
    st.sampled_from(["b", "em", "FONT", "strong", "i"]),
)
def test_generated_formatting_stays_within_budget(
    piled: int, paragraphs: int, distinct: bool, tag: str
) -> None:
    """Formatting tags closed implicitly, then paragraphs that each re-create them: the
    parser builds at most the budget plus a bounded number of elements per tag."""
    starts = "".join(f"<{tag} id={i if distinct else 0}><p>x" for i in range(piled))
    html = ("<html><body>" + starts + "<p>x" * paragraphs).encode()
    tags = html.count(b"<")
    bound = H.MAX_RECREATED_ELEMENTS + (H.MAX_ACTIVE_FORMATTING + 4) * tags
    assert _elements(bounded_utf8(html)) <= bound


def test_real_pages_are_not_cut(tuning_pages: list[Page]) -> None:
    """The depth model reads every tuning-set page as the parser does: nothing dropped."""
    for page in tuning_pages:
        data = page.html.encode("utf-8")
        assert limit_depth(data, H.MAX_DEPTH, H.MAX_PARSE_TAGS) is data, page.url


def _c_sizes(node: LexborNode) -> tuple[int, int, int]:
    """What the walk's C calls give: text, stripped text, stripped text of the links inside
    (``css`` also matches the node itself: only lists are asked, never a link)."""
    stripped = len(node.text(deep=True, strip=True))
    links = sum(len(a.text(deep=True, strip=True)) for a in node.css("a"))
    if node.tag == "a":
        links -= stripped
    return len(node.text(deep=True)), stripped, links


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag_soup())
def test_subtree_sizes_match_lexbor(html: str) -> None:
    """The Python pass that replaces nested C reads gives the C reads' figures."""
    body = LexborHTMLParser(html.encode("utf-8", errors="replace")).body
    if body is None:
        return
    subtrees = _Subtrees()
    assert subtrees.scan(body) == _c_sizes(body)
    for node in body.traverse():
        if node.tag and not node.tag.startswith("-"):
            assert subtrees.sizes[node.mem_id] == _c_sizes(node)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag_soup(), st.integers(1, 30))
def test_sizes_from_the_python_pass_change_no_extraction(html: str, nesting: int) -> None:
    """Sizes from the Python pass (no nested C reads at all) extract the same article."""
    page = "<ul><li>" * nesting + html + f"<p>{PROSE}</p>" * 3 + "</li></ul>" * nesting
    expected = extract(page)
    saved = H.MAX_TEXT_READS
    H.MAX_TEXT_READS = 0
    try:
        assert extract(page) == expected
    finally:
        H.MAX_TEXT_READS = saved


# --- 3. Regular expressions on page text ------------------------------------------------


# That extraction reads page text with RE2 only is checked for every page-text module, these
# included, by tests/test_patterns.py (test_page_text_is_read_with_linear_patterns_only).


#: The line patterns as they were under ``re`` (with Unicode ``\b``).
_RE_BOILERPLATE = re.compile(
    r"^(?:advert\w*|anzeige|publicidade|publicidad|pubblicità|sponsored|read more|related"
    r"|see also|more from|this \w+ requires javascript|please enable javascript"
    r"|sign up|subscribe|follow us|follow @|click here|share this|share on|tweet"
    r"|photo:|image:|picture:|credit:|getty images|ap photo|reuters/|file photo"
    r"|copyright|©|all rights reserved|skip to|back to top|loading|comments?\b)",
    re.IGNORECASE,
)
_RE_BYLINE_LINE = re.compile(r"^(?:by|von|por|par|di|oleh|от)\s+\S", re.IGNORECASE)
_RE_META_LINE = re.compile(
    r"^(?:posted|updated|published|last updated|first published|publicado|atualizado"
    r"|pubblicato|aggiornato|veröffentlicht|aktualisiert|diterbitkan|опубликовано)\b"
    r"|\b(?:19|20)\d\d\b.*\b(?:publicado por|posted by|updated)\b"
    r"|^\w+ \d{1,2}, (?:19|20)\d\d(?: at| -|,|$)",
    re.IGNORECASE,
)
_RE_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•:»]|::)\s+")

_LINE_WORDS = st.sampled_from(
    [
        "posted",
        "Updated",
        "опубликовано",
        "comments",
        "comment",
        "by",
        "Von",
        "от",
        "2019",
        "1999",
        "20199",
        "posted by",
        "publicado por",
        "November",
        "18,",
        "at",
        "é",
        "x",
        "_",
        "-",
        "|",
        "::",
        "»",
        ".",
        ":",
    ]
)
_LINE_GLUE = st.sampled_from([" ", "", "  ", "\t", "é", ",", "\u00a0"])


@st.composite
def lines(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(_LINE_WORDS, _LINE_GLUE), max_size=10))
    return "".join(word + glue for word, glue in parts)


@settings(max_examples=400, deadline=None)
@given(lines())
def test_line_patterns_mean_what_they_meant(line: str) -> None:
    for new, old in (
        (H.BOILERPLATE_LINE, _RE_BOILERPLATE),
        (H.BYLINE_LINE, _RE_BYLINE_LINE),
    ):
        assert (new.match(line) is None) == (old.match(line) is None), (new.pattern, line)
    assert (H.META_LINE.search(line) is None) == (_RE_META_LINE.search(line) is None), line
    assert [m.span() for m in TITLE_SEPARATORS.finditer(line)] == [
        m.span() for m in _RE_TITLE_SEPARATORS.finditer(line)
    ], line


_OLD_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.I)
_CHARSET_PARTS = st.sampled_from(
    [
        *(b"<meta ", b"charset", b"CharSet", b"=", b" ", b"\n", b'"', b"'", b"utf-8"),
        *(b"koi8-r", b">", b"\xff", b"\xe9", b'content="text/html; ', b"iso-8859-1"),
        *(b"\x0b", b"\xa0"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARSET_PARTS, max_size=14).map(b"".join))
def test_charset_sniffing_means_what_it_meant(data: bytes) -> None:
    old = _OLD_CHARSET.search(data)
    new = _META_CHARSET.search(data.decode("latin-1"))
    assert (old.group(1).decode("latin-1") if old else None) == (new.group(1) if new else None)


#: Page-derived strings read by patterns, at hostile sizes: cost must grow linearly.
PATTERN_INPUTS: dict[str, Callable[[int], Callable[[], object]]] = {
    "title with separators": lambda n: (
        lambda: strip_site_name("Headline | " * n, "Site", guess=True)
    ),
    "title of spaces": lambda n: lambda: strip_site_name("a" + " " * n + "b", None, guess=True),
    "byline of names": lambda n: lambda: split_byline("By " + "Jane Doe and " * n),
    "boilerplate line": lambda n: lambda: H.BOILERPLATE_LINE.match("advert" + "x" * n),
    "meta line": lambda n: lambda: H.META_LINE.search("2019 " + "posted " * n),
    "class names": lambda n: lambda: _classify_names("share-" * n),
    "charset sniff": lambda n: lambda: declared_charset(b"<meta " * n),
}


@pytest.mark.parametrize("name", list(PATTERN_INPUTS))
def test_patterns_on_long_page_strings_are_linear(name: str) -> None:
    small, large = _growth(PATTERN_INPUTS[name](200_000), PATTERN_INPUTS[name](400_000))
    assert large <= GROWTH_BOUND * small + 0.002, (small, large)


def test_extract_tolerates_lone_surrogates_before_the_tags() -> None:
    article = extract("\ud800" * 10 + "<p>" + PROSE * 3 + "</p>")
    assert article.reason is None or not article.reason.startswith("error")


# --- 4. JSON-LD nested too deep -----------------------------------------------------------


ARTICLE_LD = json.dumps(
    {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council approves budget",
        "author": {"@type": "Person", "name": "Jane Doe"},
        "datePublished": "2020-05-12",
    }
)


def _page_with_jsonld(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return (
        f"<html><head><title>Something else | Site</title>{scripts}</head><body><article>"
        + f"<p>{PROSE}</p>" * 4
        + "</article></body></html>"
    )


@pytest.mark.parametrize("depth", [999, 100_000])
def test_a_deep_jsonld_block_is_skipped_not_the_page(depth: int) -> None:
    """The report: 999 levels raised RecursionError and the page answered 422 no_article."""
    deep = '{"@type":"NewsArticle","headline":"x","a":' + "[" * depth + "]" * depth + "}"
    article = extract(_page_with_jsonld(deep, ARTICLE_LD))
    assert article.reason is None
    assert article.title == "Council approves budget"
    assert article.authors == ["Jane Doe"]
    assert article.text.startswith(PROSE.strip())


def test_the_jsonld_walk_is_bounded() -> None:
    graph = json.dumps({"@graph": [{"@type": "Thing", "name": str(i)} for i in range(50_000)]})
    nested_lists = "[" * 30 + ARTICLE_LD + "]" * 30
    tree = LexborHTMLParser(_page_with_jsonld(graph, nested_lists))
    scripts = tree.css('script[type="application/ld+json"]')
    objects = list(_jsonld_objects(scripts))
    assert len(objects) <= MAX_JSONLD_ITEMS


def _reference_depth(value: object) -> int:
    depth, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            depth = max(depth, level)
            stack.extend(
                (v, level + 1) for v in (item.values() if isinstance(item, dict) else item)
            )
    return depth


_JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(alphabet='[]{}"\\ab', max_size=6)
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_json_depth_is_exact(value: object) -> None:
    assert json_depth(json.dumps(value).encode()) == _reference_depth(value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 5_000),
    st.sampled_from(["[", '{"a":']),
    st.booleans(),
)
def test_generated_deep_jsonld_never_loses_the_page(depth: int, opener: str, closed: bool) -> None:
    closer = "]" if opener == "[" else "}"
    block = opener * depth + "1" + (closer * depth if closed else "")
    article = extract(_page_with_jsonld(block, ARTICLE_LD))
    assert article.reason is None
    assert article.title == "Council approves budget"
    assert article.authors == ["Jane Doe"]
    if closed and depth <= MAX_JSONLD_DEPTH:
        assert json_depth(block.encode()) == depth


def test_json_depth_of_nothing() -> None:
    assert json_depth(b"") == 0
    assert json_depth(b'"[[[" 1') == 0
