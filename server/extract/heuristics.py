"""Every heuristic constant of the extractor, in one place, with where its value came from.

Values were calibrated together on the Scrapinghub tuning set (181 pages, 126 hosts) by
reading per-page errors and changing one rule at a time; they are a set, so don't tune one in
isolation. No rule names a site, a domain or a page: the patterns are generic words that
publishers use for page furniture (the same vocabulary as Mozilla Readability's
``unlikelyCandidates`` and trafilatura's cleaning rules).
"""

from __future__ import annotations

import re

# --- Tags -------------------------------------------------------------------------------------

#: Subtrees never read: code, media, form controls, page chrome. ``form`` is *not* here because
#: ASP.NET-style pages wrap the whole body in one ``<form>``.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "svg", "iframe", "template", "object", "embed",
        "canvas", "video", "audio", "picture", "map", "math", "button", "select", "option",
        "textarea", "input", "label", "nav", "aside", "footer", "figure", "figcaption",
        "dialog", "head", "title", "meta", "link",
    }
)  # fmt: skip

#: Elements that start a new text block (HTML's block-level and table elements). Inline
#: content between them is one block; ``br`` also ends a block (``div`` + ``br`` articles).
BLOCK_TAGS = frozenset(
    {
        "html", "body", "div", "p", "section", "article", "main", "header", "h1", "h2", "h3",
        "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table",
        "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "hr", "address", "details",
        "summary", "center", "fieldset", "legend", "form", "hgroup", "menu",
    }
)  # fmt: skip

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: Containers never treated as furniture even when their class says so (Readability does
#: the same for body and a).
NEVER_FURNITURE_TAGS = frozenset({"html", "body", "article", "main"})

# --- Class/id vocabulary ----------------------------------------------------------------------

#: Page furniture by class or id. Started from Readability's ``unlikelyCandidates`` and
#: extended with the furniture the tuning set's gold excludes (share bars, newsletter promos,
#: related lists, bylines, captions, cookie banners). Matched against "class id", lower-cased.
FURNITURE = re.compile(
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

#: Comment threads: furniture however much prose they hold (readers' comments are prose too).
COMMENTS = re.compile(r"comment|disqus|replies|respond|discussion")
#: A furniture-classed element that holds at least this share of the page's prose is a page
#: wrapper with an unlucky class ("page-ad-margins", "has-sidebar"), not furniture. Half: no
#: real piece of furniture on the tuning set held more than a third of its page's prose.
FURNITURE_MAX_PROSE_SHARE = 0.5

# --- Block scoring (the best subtree is the one whose blocks sum highest) ----------------------

#: A block needs this many characters of non-link text to count as prose. 40 chars is a short
#: sentence; lower let menus in, higher dropped one-line paragraphs of wire copy.
MIN_PROSE_CHARS = 40
#: Sentence punctuation (Latin, CJK, Arabic full stops) that marks prose.
SENTENCE_END = re.compile(r"[.!?。！？؟…:;\"”’»)]\s*$")
#: Link density above which a block is navigation, not prose (Readability uses 0.25 for
#: candidates, 0.5 for paragraphs; 0.5 kept sentences with one or two inline links).
MAX_LINK_DENSITY = 0.5
#: Every block costs this many characters: a short label or menu item weighs less than
#: nothing, a line of text a little, a paragraph its length. Link text counts against.
BLOCK_COST = 20
#: Furniture text costs its length times this.
FURNITURE_WEIGHT = 1.0
#: Share of a block's weight credited to its owner, parent, grandparent... (Readability:
#: parent full, grandparent half, then 1/(3·level)).
ANCESTOR_DECAY = (1.0, 1.0, 0.5, 1 / 9, 1 / 12)
ANCESTOR_LEVELS = len(ANCESTOR_DECAY)

#: Readability's rule for articles split into sections: among the best ``TOP_CANDIDATES``,
#: those within ``CLOSE_CANDIDATE_SHARE`` of the best score are sections of one article when
#: at least ``MIN_CLOSE_CANDIDATES`` of them share an ancestor with it (Readability: 5, 0.75,
#: 3; two sections were enough on the tuning set's multi-column stories).
TOP_CANDIDATES = 5
CLOSE_CANDIDATE_SHARE = 0.75
MIN_CLOSE_CANDIDATES = 2

# --- Sibling containers (articles split by ads into several containers) ------------------------

#: A sibling of the chosen container is added when its own score is at least this share of
#: the chosen container's (Readability uses 0.2).
SIBLING_SHARE = 0.2
#: ...and at least this many characters of prose.
SIBLING_MIN_SCORE = 80

# --- Output filters ---------------------------------------------------------------------------

#: Short lines that are furniture wherever they appear (case-insensitive prefix match).
BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|advertising|sponsored|read more|related|see also|more from"
    r"|sign up|subscribe|follow us|follow @|click here|share this|share on|tweet"
    r"|photo:|image:|picture:|credit:|getty images|ap photo|reuters/|file photo"
    r"|copyright|©|all rights reserved|skip to|back to top|loading|comments?\b)",
    re.IGNORECASE,
)
#: Lines longer than this are never dropped by ``BOILERPLATE_LINE``.
BOILERPLATE_LINE_MAX = 120
#: Byline-like lines: "By Jane Doe", "Von ...", "Por ..." (short only).
BYLINE_LINE = re.compile(r"^(?:by|von|por|par|di|oleh|от)\s+\S", re.IGNORECASE)
BYLINE_LINE_MAX = 80

#: Below this many characters of extracted text the page has no article (``reason``).
MIN_ARTICLE_CHARS = 200
