"""Article features: what the scores are fitted on, from sentence signals and measured facts.

Measured (not learned) facts of each sentence: a direct quote, a named source, a specific
detail, the writer's first person, a commentary note; of the page: byline, date, links.
Patterns are compiled once, for RE2 (``credlens.patterns``): each is a plain test, linear in
the sentence.

``article_features`` pools them with the graph's signals over the first ``POOL_SENTENCES``
sentences into the named features of ``ARTICLE_FEATURES``, each in [0, 1] but the log odds of
the article heads (``LOGIT_FEATURES``) and of the title's opinion head
(``HEADLINE_LOGIT_FEATURES``). A sentence is *reported* when it carries a direct quote or the
attribution head gives it at least ``REPORTED_ATTRIBUTION``: the writer is reporting someone's
words, so its opinion, propaganda and persuasion are not the writer's (they count 0 in the
``*_own`` features), while how much reported speech an article has counts for it through
``attribution`` and ``quotes``, with weights fitted on article labels. (A separate
``opinion_reported`` feature was tried: its fitted weight came out five times
``opinion_own``'s, i.e. the fit would have counted quoted opinion against the writer more than
their own, so it is not a component.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from credlens import patterns
from credlens.schemas import Article

#: Article features are pooled over the first sentences of the text, at most this many (about
#: 700 words of news): the scores describe the article as its first screens read, and one
#: 1,000-word article costs a bounded number of encoder runs.
POOL_SENTENCES = 32

#: A direct quote: text of 12+ characters between straight or curly double quotes.
_QUOTE = patterns.compile(r"[\"“][^\"“”]{12,}[\"”]")
_SPEECH_VERBS = (
    r"said|says|say|told|tells|stated|states|added|adds|explained|noted|wrote|argued|"
    r"announced|confirmed|warned|(?i:according to)|testified|reported|claimed|insisted"
)
#: A named source: a speech verb next to a capitalised name ("Smith said", "said John Smith",
#: "according to the Department of Health").
_NAMED_SOURCE = patterns.compile(
    rf"(?:\b[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*,?\s+(?:{_SPEECH_VERBS})\b)"
    rf"|(?:\b(?:{_SPEECH_VERBS})\s+(?:the\s+)?[A-Z][\w'’.-]+)"
)
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
#: A specific, checkable detail: a number with a unit or context, a year, a date or a weekday.
_SPECIFIC = patterns.compile(
    rf"\b\d[\d,.]*\s*(?:%|percent|per cent|million|billion|thousand|people|years?|km|miles|"
    rf"dollars|euros|pounds)\b|[$€£]\s?\d|\b(?:19|20)\d\d\b|\b(?:{_MONTHS})\s+\d{{1,2}}\b|"
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b\d+(?:\.\d+)?\b"
)


#: The writer speaking as themselves: first-person pronouns outside quotes (case-sensitive "I",
#: so that "US" is not "us").
_FIRST_PERSON = patterns.compile(
    r"\b(?:I|I'm|I've|I'd|[Mm]e|[Mm]y|[Mm]ine|[Ww]e|[Ww]e're|[Uu]s|[Oo]urs?)\b"
)
#: A commentary note: the page says it is commentary, by an opinion disclaimer ("The views
#: expressed in this commentary are her own", "... do not necessarily reflect the views of")
#: or by the writer's contributor line ("John Doe is a CNN contributor", "Jane Roe is a
#: columnist for ..."), the conventions of opinion sections and guest pieces. Measured on the
#: AllSides articles' first POOL_SENTENCES sentences: 120 of 982 opinion-section articles carry
#: one, 5 of 2,639 news articles (all five columns filed as news). The disclaimer's wording
#: varies ("The views expressed are his own", "... in these commentaries belong solely to the
#: authors"): its narrower first form found 113 of the 982 and the same 5. The contributor
#: line asks for a name first, and for a columnist, contributor or commentator: with
#: "professor", "fellow" or "author of" it also took news introducing a source ("Murray is a
#: political scientist and a fellow with ...", 3 more news articles) for 10 more opinion
#: pieces.
_COMMENTARY_NOTE = patterns.compile(
    r"\b(?i:views|opinions)\s+expressed\s+"
    r"(?:(?:in\s+th(?:is|ese)\s+\w+|here|by\s+(?:the\s+)?\w+(?:\s+\w+)?)\s+)?"
    r"(?:are|is|belong)\s+(?:solely\s+|entirely\s+)?(?:to\s+)?"
    r"(?:his|hers?|theirs?|my|mine|our|the\s+(?:authors?|writers?)|those\s+of)\b"
    r"|\bdo(?:es)?\s+not\s+necessarily\s+(?:reflect|represent)\s+(?:the\s+)?(?:views|opinions)\b"
    r"|^\W*(?:[A-Z][\w.'’-]+\s+){1,3}(?:is|was)\s+(?:an?|the)\s+(?:[\w,'’-]+\s+){0,5}?"
    r"(?:columnist|contributor|contributing\s+(?:writer|editor|columnist)|commentator)\b"
)
#: A quoted span, removed before looking for the writer's first person.
_QUOTED_SPAN = patterns.compile(r"[\"“][^\"“”]*[\"”]")
#: Attribution probability from which a sentence counts as reported speech.
REPORTED_ATTRIBUTION = 0.5
#: External links at which the links feature is full (a few primary sources suffice).
LINKS_FULL = 3
#: The article heads enter the 3.x scores as log odds, the scale of the logistic score that
#: combines them: its weight then rescales the head's own linear output. As probabilities
#: (2.x) the heads saturate near 0 and 1 (their C is weak), and objectivity's news-vs-opinion
#: AUC on outlets never seen was 0.809 against 0.819 with log odds (opinion_style alone:
#: 0.803 vs 0.816), the same five outlet folds, the 2.4.0 graph and C. Logit feature → head.
LOGIT_FEATURES = {
    "opinion_style_logit": "opinion_style",
    "unreliable_style_logit": "unreliable_style",
}
#: Headline heads besides clickbait, also entering the scores as log odds: logit feature → head
#: (a signal at level 'headline', run on the title). Without a title the feature takes its
#: reference value, so it moves no score.
HEADLINE_LOGIT_FEATURES = {"opinion_headline_logit": "opinion_headline"}
#: Probabilities are clipped to [LOGIT_CLIP, 1 − LOGIT_CLIP] before the log odds, so a
#: saturated head gives a finite feature (±13.8), never ±inf.
LOGIT_CLIP = 1e-6

#: Every article feature a score can be made of, with what it measures. Sentence features are
#: means over the pooled sentences (so each sentence's share is known for the evidence).
ARTICLE_FEATURES = {
    "opinion_own": "mean opinion probability of the writer's own sentences (0 for reported ones)",
    "propaganda_own": "mean propaganda probability of the writer's own sentences",
    "persuasion_own": "mean persuasion probability of the writer's own sentences",
    "attribution": "mean attribution probability",
    "quotes": "share of sentences with a direct quote",
    "named_sources": "share of sentences naming a source beside a speech verb",
    "specific": "share of sentences with a number, date or other checkable detail",
    "first_person": "share of sentences where the writer says I/we outside quotes",
    "commentary_note": (
        "1 if a sentence says the page is commentary (an opinion disclaimer or the writer's "
        "contributor line), else 0"
    ),
    "opinion_style": "article head: the text reads like an opinion piece (probability)",
    "unreliable_style": "article head: the text reads like outlets with a weak factual record",
    "opinion_style_logit": "opinion_style as log odds ln(p / (1 - p)), p within [1e-6, 1 - 1e-6]",
    "unreliable_style_logit": "unreliable_style as log odds, p within [1e-6, 1 - 1e-6]",
    "opinion_headline_logit": (
        "headline head: the title reads like an opinion piece's, as log odds, p within "
        "[1e-6, 1 - 1e-6] (its reference value without a title)"
    ),
    "clickbait": "clickbait probability of the title (its reference value without a title)",
    "byline": "1 with a byline or authors, else 0",
    "dated": "1 with a publication date, else 0",
    "links": f"external links, up to {LINKS_FULL}, over {LINKS_FULL}",
}
SENTENCE_FEATURES = (
    "opinion_own",
    "propaganda_own",
    "persuasion_own",
    "attribution",
    "quotes",
    "named_sources",
    "specific",
    "first_person",
    "commentary_note",
)
#: Sentence features that are page facts: 1 if any pooled sentence has the fact, not a share.
#: One disclaimer makes a page commentary however long it is; as a share, its fitted weight
#: (-89 logits per unit) would have zeroed a ten-sentence brief over one false match.
ANY_FEATURES = ("commentary_note",)


@dataclass(frozen=True)
class SentenceFacts:
    quote: bool
    named_source: bool
    specific: bool
    first_person: bool = False
    commentary_note: bool = False


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
        first_person=_FIRST_PERSON.search(_QUOTED_SPAN.sub(" ", sentence)) is not None,
        commentary_note=_COMMENTARY_NOTE.search(sentence) is not None,
    )


def sentence_values(
    probs: dict[str, npt.NDArray[np.float64]], facts: list[SentenceFacts]
) -> dict[str, npt.NDArray[np.float64]]:
    """Per-sentence values of the SENTENCE_FEATURES (their means are the article features).

    ``probs``: signal name → probability per sentence (opinion, propaganda, persuasion,
    attribution)."""
    n = len(facts)
    quote = np.asarray([f.quote for f in facts], dtype=np.float64)
    reported = (quote > 0) | (probs["attribution"][:n] >= REPORTED_ATTRIBUTION)
    own = np.where(reported, 0.0, 1.0)
    return {
        "opinion_own": probs["opinion"][:n] * own,
        "propaganda_own": probs["propaganda"][:n] * own,
        "persuasion_own": probs["persuasion"][:n] * own,
        "attribution": probs["attribution"][:n].astype(np.float64),
        "quotes": quote,
        "named_sources": np.asarray([f.named_source for f in facts], dtype=np.float64),
        "specific": np.asarray([f.specific for f in facts], dtype=np.float64),
        "first_person": np.asarray([f.first_person for f in facts], dtype=np.float64),
        "commentary_note": np.asarray([f.commentary_note for f in facts], dtype=np.float64),
    }


def log_odds(p: float) -> float:
    """ln(p / (1 − p)), with p clipped to [LOGIT_CLIP, 1 − LOGIT_CLIP]."""
    p = min(max(p, LOGIT_CLIP), 1.0 - LOGIT_CLIP)
    return math.log(p / (1.0 - p))


def article_features(
    values: dict[str, npt.NDArray[np.float64]],
    article_signals: dict[str, float],
    clickbait: float | None,
    page: ArticleFacts,
    clickbait_reference: float,
    headline: dict[str, float] | None = None,
    headline_references: dict[str, float] | None = None,
) -> dict[str, float]:
    """The ARTICLE_FEATURES of one article from its per-sentence values and page facts.

    ``headline``: the title's headline-head probabilities (``opinion_headline``; empty or None
    without a title); ``headline_references``: each HEADLINE_LOGIT_FEATURES feature's value
    when its head has no probability (0 if not given)."""
    out = {name: float(v.mean()) if len(v) else 0.0 for name, v in values.items()}
    for name in ANY_FEATURES:
        out[name] = float(values[name].max()) if len(values.get(name, ())) else 0.0
    out["opinion_style"] = article_signals["opinion_style"]
    out["unreliable_style"] = article_signals["unreliable_style"]
    for name, head in LOGIT_FEATURES.items():
        out[name] = log_odds(article_signals[head])
    for name, head in HEADLINE_LOGIT_FEATURES.items():
        p = (headline or {}).get(head)
        out[name] = log_odds(p) if p is not None else (headline_references or {}).get(name, 0.0)
    out["clickbait"] = clickbait if clickbait is not None else clickbait_reference
    out["byline"] = float(page.byline)
    out["dated"] = float(page.dated)
    out["links"] = min(page.external_links / LINKS_FULL, 1.0)
    return out


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None


def article_facts(article: Article, url: str | None = None) -> ArticleFacts:
    """Byline, date and links (links to another site than the article's own). The outlet is
    the one the reader is on (``url``, the request's), never what the page declares itself to
    be: a page cannot borrow another outlet's record through its canonical link."""
    domain = domain_of(url)
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
