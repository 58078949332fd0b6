"""Every heuristic constant of the extractor, in one place, with where its value came from.

Values were calibrated together on the Scrapinghub tuning set (181 pages, 126 hosts) by
reading per-page errors and changing one rule at a time; they are a set, so don't tune one in
isolation. Where a note quotes "F1 x / y / z", that is the tuning-set F1 with the constant at
the three values listed, the others unchanged: flat curves are why the values are trusted to
carry over to other pages. No rule names a site, a domain or a page: the patterns are
generic words that publishers use for page furniture (the same vocabulary as Mozilla
Readability's ``unlikelyCandidates`` and trafilatura's cleaning rules).

The patterns read page text (class names, lines), so they are RE2 (``credlens.patterns``):
linear in the text. RE2's ``\\b`` is ASCII-only, so word boundaries beside words that may be
non-ASCII are spelled ``(?:[^\\w]|$)``: the same test, consuming the character it looks at.
"""

from __future__ import annotations

from credlens import patterns

# --- Tags -------------------------------------------------------------------------------------

#: Subtrees never read: code and media (their text is not page text).
CODE_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "svg",
        "iframe",
        "template",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "picture",
        "map",
        "math",
        "head",
        "title",
        "img",
        "source",
        "track",
        "wbr",
    ]
)
#: Subtrees never read but counted as page text: chrome and form controls. ``form`` is *not*
#: here because ASP.NET-style pages wrap the whole body in one ``<form>``.
CHROME_TAGS = frozenset(
    [
        "nav",
        "aside",
        "footer",
        "figure",
        "figcaption",
        "button",
        "select",
        "option",
        "textarea",
        "input",
        "label",
        "dialog",
    ]
)

#: Elements that start a new text block (HTML's block-level and table elements). Inline
#: content between them is one block; ``br`` also ends a block (``div`` + ``br`` articles).
BLOCK_TAGS = frozenset(
    [
        "html",
        "body",
        "div",
        "p",
        "section",
        "article",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "hr",
        "address",
        "details",
        "summary",
        "center",
        "fieldset",
        "legend",
        "form",
        "hgroup",
        "menu",
    ]
)

#: Containers never treated as furniture even when their class says so (Readability does
#: the same for body and a).
NEVER_FURNITURE_TAGS = frozenset({"html", "body", "article", "main"})

# --- Class/id vocabulary ----------------------------------------------------------------------

#: Page furniture by class or id. Started from Readability's ``unlikelyCandidates`` and
#: extended with the furniture the tuning set's gold excludes (share bars, newsletter promos,
#: related lists, bylines, captions, cookie banners). Matched against "class id", lower-cased.
FURNITURE = patterns.compile(
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

#: Embedded posts and quotes that publishers wrap in "social" containers are content (the
#: tuning set's gold keeps embedded tweets): such an element is never furniture.
EMBED = patterns.compile(r"embed|tweet|instagram|blockquote|pullquote")
#: Class words of the element that holds the byline (for ``Article.byline`` when the page
#: declares no author in JSON-LD or meta tags).
BYLINE_CLASS = patterns.compile(r"byline|author")
#: Comment threads: skipped unread, however much prose they hold (readers' comments are
#: prose too).
COMMENTS = patterns.compile(r"comment|disqus|replies|respond|discussion")
#: Class words that mark a likely article container (Readability's ``okMaybeItsACandidate``).
#: Furniture whose class also has one of them ("entry-content-read-more", "article-header")
#: is ambiguous: it is walked, and treated as furniture only while it holds less than
#: ``FURNITURE_MAX_PROSE_SHARE`` of the page's prose.
CONTENT_HINT = patterns.compile(r"article|body|content|entry|main|post|story|text|column")
#: Furniture without such a word is skipped unread (the walker's biggest saving) when its
#: text is shorter than this; longer, it is walked and weighed like ambiguous furniture, so
#: a wrapper with an unlucky class around the whole page is never lost.
SKIP_FURNITURE_MAX_CHARS = 1000
#: A furniture-classed element that holds at least this share of the page's prose is a page
#: wrapper with an unlucky class ("page-ad-margins", "has-sidebar"), not furniture.
#: F1 0.9762 at 0.3, 0.5 and 0.7: the wrappers hold nearly all prose, real furniture little.
FURNITURE_MAX_PROSE_SHARE = 0.5

#: Lists (``ul``/``ol``) whose link text exceeds this share of their text are menus or
#: headline lists: skipped unread (a speed measure). Higher than ``MAX_LINK_DENSITY`` because
#: a list in an article may link most items. F1 0.9762 at 0.6, 0.75 and 0.9.
LINK_LIST_DENSITY = 0.75
#: Lists shorter than this are walked (a short list costs little and may be content).
LINK_LIST_MIN_CHARS = 40

# --- Block scoring (weights credited to containers, Readability-style) --------------------------

#: Prose, for the furniture-share rule: at least this many characters of non-link text (a
#: short sentence). F1 0.9762 at 20, 40 and 80.
MIN_PROSE_CHARS = 40
#: Link density above which a block is navigation, not prose (Readability uses 0.25 for
#: candidates, 0.5 for paragraphs). F1 0.9738 / 0.9762 / 0.9766 at 0.3 / 0.5 / 0.7.
MAX_LINK_DENSITY = 0.5
#: Long blocks may carry more links and still be prose (news round-ups link every item):
#: from ``LONG_BLOCK_CHARS`` characters the limit is ``LONG_BLOCK_LINK_DENSITY``.
#: F1 0.9756 / 0.9762 / 0.9761 at 0.5 / 0.75 / 0.9.
LONG_BLOCK_CHARS = 150
LONG_BLOCK_LINK_DENSITY = 0.75
#: Every block costs this many characters: a short label or menu item weighs less than
#: nothing, a line of text a little, a paragraph its length. Link text counts against.
#: F1 0.9759 / 0.9762 / 0.9656 at 10 / 20 / 40 (a high cost starts to drop short paragraphs).
BLOCK_COST = 20
#: Furniture text (ambiguous furniture that was walked) costs its length times this: as much
#: as prose gains, so a container full of furniture scores nothing.
FURNITURE_WEIGHT = 1.0
#: Weight of list items when choosing the container: teaser lists and tickers are lists of
#: items, articles are paragraphs (Readability scores only p, td and pre). Items inside
#: the chosen container are still kept in the output. F1 0.9762 / 0.9762 / 0.9760 at
#: 0.25 / 0.5 / 1.0 (link-list skipping now catches most tickers first).
LIST_ITEM_WEIGHT = 0.5
LIST_ITEM_TAGS = frozenset({"li", "dt", "dd"})
#: Prose right after the headline is most likely the article: its weight is multiplied by
#: 1 + TITLE_PROXIMITY_BONUS · exp(-distance / TITLE_PROXIMITY_CHARS), distance counted in
#: characters of page text (skipped furniture included) after the block that repeats the
#: headline. Picks a two-paragraph brief over a long footer blurb. Tuning-set F1: 0.976 at
#: 1,000 and 2,000 characters, 0.973 at 4,000; without the bonus, 0.964.
TITLE_PROXIMITY_BONUS = 1.0
TITLE_PROXIMITY_CHARS = 2000
#: Share of a block's weight credited to its owner, parent, grandparent... (Readability:
#: parent full, grandparent half, then 1/(3·level)). Levels skip wrappers that hold exactly
#: the same blocks as the element below them.
ANCESTOR_DECAY = (1.0, 1.0, 0.5, 1 / 9, 1 / 12)


#: Readability's rule for articles split into sections: among the best ``TOP_CANDIDATES``,
#: those within ``CLOSE_CANDIDATE_SHARE`` of the best score are sections of one article when
#: at least ``MIN_CLOSE_CANDIDATES`` of them share an ancestor with it (Readability: 5, 0.75,
#: 3). F1 0.9761 / 0.9762 / 0.9730 for the share at 0.5 / 0.75 / 0.9, and 0.9774 / 0.9762 /
#: 0.9730 for the count at 1 / 2 / 3: two is kept between Readability's three and the best fit.
TOP_CANDIDATES = 5
CLOSE_CANDIDATE_SHARE = 0.75
MIN_CLOSE_CANDIDATES = 2

# --- Sibling containers (articles split by ads into several containers) ------------------------

#: A sibling of the chosen container is added when its own score is at least this share of
#: the chosen container's (Readability's value). F1 0.9770 / 0.9762 / 0.9770 at 0.1 / 0.2 /
#: 0.4 (lower trades precision for recall, higher the reverse).
SIBLING_SHARE = 0.2
#: ...and at least this many characters of prose.
SIBLING_MIN_SCORE = 80

# --- Output filters ---------------------------------------------------------------------------

#: Short lines that are furniture wherever they appear (case-insensitive prefix match).
BOILERPLATE_LINE = patterns.compile(
    r"^(?:advert\w*|anzeige|publicidade|publicidad|pubblicità|sponsored|read more|related"
    r"|see also|more from|this \w+ requires javascript|please enable javascript"
    r"|sign up|subscribe|follow us|follow @|click here|share this|share on|tweet"
    r"|photo:|image:|picture:|credit:|getty images|ap photo|reuters/|file photo"
    r"|copyright|©|all rights reserved|skip to|back to top|loading|comments?(?:[^\w]|$))",
    ignorecase=True,
)
#: Lines longer than this are never dropped by ``BOILERPLATE_LINE``.
BOILERPLATE_LINE_MAX = 120
#: Byline-like lines: "By Jane Doe", "Von ...", "Por ..." (short only).
BYLINE_LINE = patterns.compile(r"^(?:by|von|por|par|di|oleh|от)\s+\S", ignorecase=True)
BYLINE_LINE_MAX = 80

#: Article meta lines ("Posted: Fri 6:45 PM", "Updated November 18", "Publicado por"):
#: dropped when short and not a sentence.
META_LINE = patterns.compile(
    r"^(?:posted|updated|published|last updated|first published|publicado|atualizado"
    r"|pubblicato|aggiornato|veröffentlicht|aktualisiert|diterbitkan|опубликовано)(?:[^\w]|$)"
    # A year, then (after one or more non-word characters) the phrase: one character may
    # end the year and start the phrase, as ``\b...\b`` allowed.
    r"|(?:^|[^\w])(?:19|20)\d\d[^\w](?:.*[^\w])?(?:publicado por|posted by|updated)(?:[^\w]|$)"
    r"|^\w+ \d{1,2}, (?:19|20)\d\d(?: at| -|,|$)",
    ignorecase=True,
)
META_LINE_MAX = 120
#: A block that repeats the headline is the headline (the gold never includes it), when it
#: covers at least this share of the headline's words. F1 0.9760 / 0.9762 / 0.9762 at
#: 0.4 / 0.6 / 0.8.
TITLE_COVER = 0.6

#: Below this many characters of extracted text the page has no article (``reason``).
MIN_ARTICLE_CHARS = 200

# --- Limits (extraction is total and bounded on hostile input) --------------------------------

#: Lexbor's tree builder is quadratic in nesting depth (10,000 nested elements parse in 0.1 s,
#: 19,000 in 0.8 s, 100,000 in 12-21 s on this machine), so depth is capped before parsing, as
#: browsers do (Blink's HTML parser stops nesting at 512).
MAX_DEPTH = 512
#: Pages with fewer tags than this cannot nest deep enough to matter (at most 0.15 s of
#: parsing, however they nest; the tuning set's largest page has 3,229), so they skip the
#: depth model (``limits.limit_depth``, about 1.5-4 µs a tag): a C-speed count of ``<`` and
#: of formatting tags is all they pay.
DEPTH_CHECK_MIN_TAGS = 8192
#: Pages are read up to this many tags; the rest is cut before parsing. It bounds the depth
#: model (about 0.4 s at most) and the parser whatever the page; the walk uses no more
#: elements (``MAX_WALK_ELEMENTS``), and real pages have tens of thousands of tags at most.
MAX_PARSE_TAGS = 100_000
#: Formatting elements (``b``, ``em``, ``font``...) the parser may have to re-create at once
#: (its list of active formatting elements): each tag or text re-creates the ones closed
#: implicitly, so a long list costs time and elements quadratic in the page (4,000
#: ``<b id=N><p>``: 53 KB, 8 million elements, 3 s). The model lets no longer list through
#: (formatting start tags dropped, their text kept: the walk reads them as inline text
#: anyway); the tuning set's pages hold at most 4.
MAX_ACTIVE_FORMATTING = 8
#: Elements the parser may re-create on a page the model does not read (about 0.1 s of
#: parsing): such a page re-creates at most (formatting start tags that are not plain leaves
#: ``<b>text</b>``) × 2 × (tags) of them, and pages where that product is larger are read by
#: the model. The tuning set's pages have at most 126 such tags (half at most 2): one page
#: reaches the budget.
MAX_RECREATED_ELEMENTS = 250_000
#: Pages with fewer tags than this cannot reach that budget (tags² / 2 at most), so they skip
#: the count of formatting tags.
FORMATTING_CHECK_MIN_TAGS = 700
#: The body walk stops after visiting this many elements (the tuning set's pages visit a few
#: hundred), which bounds time on a page with a million elements; everything walked until
#: then is used.
MAX_WALK_ELEMENTS = 100_000
#: The walk judges lists and large furniture by their text (one C call each), and a list
#: nested in a list it entered reads that text again. At most this many such reads may
#: enclose a node; deeper, sizes come from one Python pass (``content._Subtrees``), so text is
#: read a bounded number of times, not once per nesting level. The tuning set nests up to 7
#: (none of its pages scans at 8).
MAX_TEXT_READS = 8
#: Nodes (elements and text) that those passes may visit per page (about 0.1 s). Past it,
#: nested lists and wrappers are walked rather than judged by size.
MAX_SUBTREE_SCAN_NODES = 200_000
