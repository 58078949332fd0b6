"""Wire types: every Struct that crosses a process boundary is defined here.

``Base`` keeps field names as written (snake_case on the wire) and never forbids unknown
fields, so clients built against an older version keep working when fields are added. New
fields always get a default.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec


class Base(msgspec.Struct, kw_only=True):
    """Shared options for wire types (keyword-only construction, fields in declared order)."""


class Link(Base):
    """A hyperlink found in the article body."""

    href: str
    """Absolute URL when the page URL is known, otherwise as written in the page."""
    text: str
    """Anchor text, whitespace-normalised."""


class Article(Base):
    """What extraction found in a page. Every field may be empty; ``reason`` says why."""

    title: str | None = None
    """Headline: JSON-LD ``headline``, ``og:title``/``twitter:title``, the main ``h1`` or
    ``<title>`` without its site-name suffix."""
    text: str = ""
    """Main body, paragraphs separated by a blank line."""
    paragraphs: list[str] = msgspec.field(default_factory=list)
    byline: str | None = None
    authors: list[str] = msgspec.field(default_factory=list)
    published: str | None = None
    """ISO 8601 publication date-time (or date), from JSON-LD, meta tags or ``<time>``."""
    modified: str | None = None
    site_name: str | None = None
    language: str | None = None
    """Primary language subtag declared by the page (``en``, ``pt``...), lower-case."""
    canonical_url: str | None = None
    description: str | None = None
    links: list[Link] = msgspec.field(default_factory=list)
    word_count: int = 0
    reason: str | None = None
    """Set when no article body was found: ``empty_input``, ``no_body``, ``no_article``,
    ``not_html`` or ``error``."""


# --- Analysis (the API's response) -----------------------------------------------------------

Score = Annotated[
    float, msgspec.Meta(ge=0, le=10, description="0-10, higher = closer to journalistic standards")
]
Weight = Annotated[float, msgspec.Meta(ge=-10, le=10)]
"""Score points, between -10 and 10."""
Probability = Annotated[float, msgspec.Meta(ge=0, le=1)]


class Evidence(Base):
    """One reason behind a score: a sentence of the article or a measured signal."""

    text: str
    """The sentence as it appears in the article, or a short description of the signal."""
    label: str
    """What the model saw: ``opinion``, ``loaded_language``, ``attributed``, ``named_source``,
    ``specific_claim``, ``clickbait_headline``..."""
    weight: Weight
    """Effect on the score in score points: negative lowered it, positive raised it. A
    score's items add up to its distance from ``ScoreDetail.reference``."""
    kind: Literal["sentence", "signal"] = "sentence"


class ScoreDetail(Base):
    explanation: str
    """One or two plain sentences on what moved this score."""
    evidence: list[Evidence] = msgspec.field(default_factory=list)
    reference: float | None = None
    """The score of a typical article (every feature at its reference value); the evidence
    weights add up to this score minus ``reference``."""


class Scores(Base):
    objectivity: Score
    accuracy: Score
    transparency: Score
    average: Score


class ScoreDetails(Base):
    objectivity: ScoreDetail
    accuracy: ScoreDetail
    transparency: ScoreDetail


class SuggestedHeadline(Base):
    text: str
    method: Literal["kept_original", "extractive", "compressed", "lead"] = "extractive"
    """How it was made: the original kept because it is already neutral, a sentence of the
    article, a sentence compressed to headline length, or the lead as a last resort."""


#: What the bundle's headline ranker reads about each candidate headline, in the order its
#: manifest (``headline.json``) must list it: computed by ``credlens.suggest.ranking``, checked
#: at load by ``credlens.model.ranker``. Cosines are of the scorer's L2-normalised embeddings
#: (0 when there is nothing to compare with).
HEADLINE_FEATURES: tuple[str, ...] = (
    "from_title",  # 1 for a cut of the page's title
    "titled",  # 1 when the page has a title
    "sentence_rank",  # the source sentence's place in the ranking (-1: the title)
    "sentence_index",  # its index in the article (-1: the title)
    "budget",  # the word budget of the cut
    "words",
    "chars",
    "clause",  # 1 when the cut keeps a main verb with what follows it
    "clickbait",  # the scorer's clickbait head on the candidate
    "propaganda",  # ... its propaganda head (loaded language)
    "opinion",  # ... its opinion head
    "centroid_cosine",  # to the article's mean sentence
    "title_cosine",  # to the page's title
    "source_cosine",  # to the sentence it was cut from
    "source_centrality",  # that sentence's cosine to the article's mean sentence
    "support",  # share of its content words found in the article
    "capitalised",  # share of its words after the first that are capitalised (names)
    "number",  # 1 when it has a digit
)


class HeadlineSignals(Base):
    clickbait_probability: Probability | None = None
    """Probability that the original headline is clickbait (None when there is none)."""


class ArticleMeta(Base):
    byline: str | None = None
    authors: list[str] = msgspec.field(default_factory=list)
    published: str | None = None
    site_name: str | None = None
    language: str | None = None
    word_count: int = 0
    canonical_url: str | None = None
    """The URL the page declares as its own (canonical link, ``og:url``): reported, never
    trusted. The outlet, its record and the cache key come from the request's ``url``."""
    canonical_elsewhere: bool = False
    """The declared canonical URL names another site than the request's ``url``: a
    republication, or a page claiming another outlet's name."""


class ModelInfo(Base):
    name: str
    version: str
    sha256: str
    """Hash of the bundle's manifest (with its headline ranker's, when it has one): names
    exactly one model build."""


class Analysis(Base):
    url: str
    """Canonical URL (the cache key without the model id)."""
    title: str | None = None
    suggested_headline: SuggestedHeadline | None = None
    summary: list[str] = msgspec.field(default_factory=list)
    scores: Scores | None = None
    """None when the text is not scored (unsupported language)."""
    details: ScoreDetails | None = None
    headline: HeadlineSignals = msgspec.field(default_factory=HeadlineSignals)
    article: ArticleMeta = msgspec.field(default_factory=ArticleMeta)
    model: ModelInfo | None = None
    cached: bool = False
    analyzed_at: str = ""
    """ISO 8601 UTC time the analysis was computed (not when it was served)."""
    timings_ms: dict[str, float] = msgspec.field(default_factory=dict)


# --- Requests and service responses (the HTTP API) --------------------------------------------

#: An absolute http(s) URL with a host, user info allowed (up to the last "@" of the
#: authority, dropped from the canonical URL); the rest is checked when it is canonicalised.
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\s/?#]*@)?[^\s/?#@]+(?:[/?#]\S*)?$"
HttpUrl = Annotated[
    str,
    msgspec.Meta(
        min_length=8,
        max_length=4096,
        pattern=URL_PATTERN,
        description="The page's absolute http(s) URL; the cache key is its canonical form "
        "(user info is dropped).",
    ),
]


class AnalyzeRequest(Base):
    """A page to analyse: its URL with either the page's ``html`` or its article ``text``.

    The service never fetches ``url``; it is the cache key, resolves relative links and tells
    the outlet. Unknown fields are ignored.
    """

    url: HttpUrl
    html: str | None = None
    """The page's HTML as the browser has it (sent by the extension)."""
    text: str | None = None
    """The article's text, paragraphs separated by blank lines (instead of ``html``)."""
    title: str | None = None
    """The original headline, with ``text`` (``html`` carries its own)."""

    def __post_init__(self) -> None:
        if (self.html is None) == (self.text is None):
            raise ValueError("send exactly one of `html` or `text`")


class ErrorBody(Base, omit_defaults=True):
    """Every error response: a stable machine-readable ``error`` and a human ``detail``
    (``analysis`` only where it says so)."""

    error: str
    """``malformed_json``, ``validation_error``, ``body_too_large``, ``unsupported_media_type``,
    ``body_timeout``, ``no_article``, ``unsupported_language``, ``not_found``, ``unauthorized``,
    ``forbidden``, ``rate_limited``, ``overloaded``, ``timeout``, ``not_ready``,
    ``bad_bundle``..."""
    detail: str
    analysis: Analysis | None = None
    """With ``unsupported_language``: the page's metadata, without scores."""


class ModelStatus(Base):
    """The bundle that serves, and its model card (Markdown)."""

    model: ModelInfo
    kind: str
    """``encoder`` (sentence encoder + heads) or ``text`` (TF-IDF graph on raw strings)."""
    languages: list[str]
    card: str


class Health(Base):
    status: Literal["ok", "ready"]
    model: ModelInfo | None = None


# --- Between processes, through the shared cache (Redis) ---------------------------------------


class CacheEntry(msgspec.Struct, array_like=True, frozen=True):
    """One cached analysis (MessagePack in Redis, as is in memory)."""

    fingerprint: str
    """Of the extracted headline and text: the same URL with a changed article misses."""
    body: bytes
    """The ``Analysis`` as JSON, encoded with ``cached: true``: a hit needs no encoding."""
    source: str = ""
    """Digest of the request's own input (its HTML, or its text and title): the same bytes
    again are a hit without parsing them (empty in entries written before it existed)."""


class ReloadEvent(msgspec.Struct, frozen=True, kw_only=True):
    """Published on the shared cache's channel after a successful model reload."""

    kind: str = "reload"
    origin: str
    """The process that reloaded (it does not reload again)."""
