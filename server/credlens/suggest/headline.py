"""The suggested headline: neutral, informative, true to the article, at most 14 words.

No generative model can be had offline, so the suggestion is built from the article itself.
``suggest_headline`` runs, on the scorer's sentences and embeddings (passed in as plain
values: this package never imports the model):

1. **keep**: an original headline that passes the form rules (``form``), is not clickbait (the
   scorer's clickbait head) and whose content words the body supports is kept
   (``kept_original``).
2. **rank**: otherwise the first sentences (news puts the event in the lead) are ranked by
   centrality (``salience``) plus a position prior, skipping questions, quotes, second person
   and boilerplate (``form.source_problem``).
3. **compress**: each candidate sentence is cut to headline length at a few word budgets by
   deleting words (``compress``); only the main verb changes, put in headline tense
   (``grammar``) (``compressed``; ``extractive`` when nothing changed).
4. **check**: a cut must pass the form rules and keep its main verb with what follows it; up
   to ``MAX_CANDIDATES`` such cuts go to the clickbait head, and the best sentence's first
   plain one wins, another sentence's only when much plainer (``least_clickbait``); the lead
   cut to length is the last resort (``lead``).

So every name, number and date in a suggestion comes from the article. Deterministic and
total: odd input gives a shorter or empty suggestion, never an error. Tuned constants live in
``rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from credlens.schemas import Article, SuggestedHeadline
from credlens.suggest import rules as R
from credlens.suggest.compress import clean, compress_clause, cut_to_length
from credlens.suggest.form import ends_on_bare_count, form_problems, source_problem
from credlens.suggest.salience import Matrix, centrality, sentence_vectors
from credlens.suggest.tokens import squash, words
from credlens.text import split_sentences


class ClickbaitJudge(Protocol):
    """The scorer's clickbait head: one probability per headline, in one batch."""

    def __call__(self, texts: list[str], /) -> list[float]: ...


# --- Keeping the original --------------------------------------------------------------------


def support(headline: str, article_text: str) -> float:
    """Share of the headline's content words that occur in the article (0 when it has none)."""
    content = [w for w in words(headline) if w not in R.SUPPORT_STOPWORDS]
    if not content:
        return 0.0
    body = set(words(article_text))
    # A prefix match covers inflection ("gains" ~ "gained", "Russia" ~ "Russian").
    stems = {w[:5] for w in body}
    return sum(1 for w in content if w in body or w[:5] in stems) / len(content)


def loaded(propaganda: float | None) -> bool:
    """Whether the propaganda head calls a title loaded (None: not judged, so not loaded)."""
    return propaganda is not None and propaganda >= R.KEEP_MAX_PROPAGANDA


@dataclass(frozen=True)
class KeepDecision:
    keep: bool
    reason: str


def keep_decision(
    title: str | None,
    article_text: str,
    clickbait: float | None,
    propaganda: float | None = None,
) -> KeepDecision:
    """Whether the original headline is already neutral and informative enough to keep.
    ``propaganda``: the scorer's propaganda probability for the title (None: not judged)."""
    if not title or not title.strip():
        return KeepDecision(False, "no_title")
    title = squash(title)
    problems = form_problems(title)
    if problems:
        return KeepDecision(False, problems[0])
    if len(title.split()) < R.KEEP_MIN_WORDS:
        return KeepDecision(False, "too_few_words")
    if clickbait is None or clickbait >= R.KEEP_MAX_CLICKBAIT:
        return KeepDecision(False, "clickbait")
    if loaded(propaganda):
        return KeepDecision(False, "loaded")
    if support(title, article_text) < R.KEEP_MIN_SUPPORT:
        return KeepDecision(False, "not_informative")
    return KeepDecision(True, "neutral_informative")


# --- Choosing and building -------------------------------------------------------------------


def _lead(sentences: Sequence[str], title: str | None) -> SuggestedHeadline:
    """Last resort: the first sentence that passes the form rules once cut to length, else the
    first sentence (or the title) cut to length at a word boundary."""
    cuts = [c for c in (cut_to_length(s) for s in sentences) if c]
    text = next((c for c in cuts if not form_problems(c)), cuts[0] if cuts else "")
    return SuggestedHeadline(text=text or cut_to_length(title or ""), method="lead")


def rank_candidates(sentences: Sequence[str], embeddings: Matrix | None) -> list[int]:
    """Indices of the first sentences fit to be a headline source, best first: centrality
    (scorer embeddings, or TF-IDF) plus a position prior."""
    window = min(len(sentences), R.CANDIDATE_SENTENCES)
    if window == 0:
        return []
    value = centrality(sentence_vectors(list(sentences), embeddings))[:window]
    value = value + R.POSITION_WEIGHT / (1.0 + np.arange(window))
    fit = [i for i in range(window) if source_problem(sentences[i], i == 0) is None]
    return sorted(fit, key=lambda i: (-float(value[i]), i))


@dataclass(frozen=True)
class Candidate:
    text: str
    method: Literal["extractive", "compressed"]
    source: int
    """Index of the sentence it was made from."""
    verb: bool
    """Whether the main verb survived compression."""

    def headline(self) -> SuggestedHeadline:
        return SuggestedHeadline(text=self.text, method=self.method)


def candidates(sentences: Sequence[str], order: Iterable[int]) -> list[Candidate]:
    """Fit compressions of the sentences in ``order`` at each of ``R.CANDIDATE_BUDGETS``, in
    that order, at most ``R.MAX_CANDIDATES``. Those that keep a main verb come first; verbless
    ones are only used when no sentence gives a clause ("Leonardo DiCaprio, Jamie Foxx and
    Hilary Swank" is no headline)."""
    clauses: list[Candidate] = []
    fragments: list[Candidate] = []
    seen: set[str] = set()
    for i in order:
        for budget in R.CANDIDATE_BUDGETS:
            text, verb = compress_clause(sentences[i], budget)
            if text in seen or form_problems(text) or ends_on_bare_count(text):
                continue
            seen.add(text)
            method: Literal["extractive", "compressed"] = (
                "extractive" if text == clean(sentences[i]) else "compressed"
            )
            (clauses if verb else fragments).append(Candidate(text, method, i, verb))
        if len(clauses) >= R.MAX_CANDIDATES:
            break
    return (clauses or fragments)[: R.MAX_CANDIDATES]


def least_clickbait(options: list[Candidate], clickbait: ClickbaitJudge) -> tuple[Candidate, float]:
    """The plainest of ``options`` by the clickbait head, preferring the best-ranked sentence:
    its first cut that reads as plain news, else another sentence's cut only if it is clearly
    plain and much less clickbait (or if the head calls every cut of the lead clickbait
    outright), else that sentence's least clickbait cut. The head reacts to style and topic
    more than content ("is parting" vs "is parting company with its chief executive"), so
    another cut of the lead often reads as plain news; the lead carries the event, so leaving
    it costs more (``rules``)."""
    lead = [o for o in options if o.source == options[0].source]
    lead_p = clickbait([o.text for o in lead])
    for option, p in zip(lead, lead_p, strict=True):
        if p < R.SUGGESTION_MAX_CLICKBAIT:
            return option, p
    best_p, best = min(zip(lead_p, lead, strict=True), key=lambda pair: pair[0])
    others = options[len(lead) :]
    if not others:
        return best, best_p
    scored = list(zip(others, clickbait([o.text for o in others]), strict=True))
    for option, p in scored:
        if p < R.OTHER_SOURCE_MAX_CLICKBAIT and p < best_p - R.OTHER_SOURCE_MARGIN:
            return option, p
    if best_p >= R.CLICKBAIT_OUTRIGHT:
        # The head calls every cut of the lead clickbait: any plainer cut beats it.
        option, p = min(scored, key=lambda pair: pair[1])
        if p < best_p:
            return option, p
    return best, best_p


def suggest_headline(
    article: Article,
    sentences: Sequence[str],
    embeddings: Matrix | None,
    *,
    supported: bool,
    clickbait: ClickbaitJudge,
    title_clickbait: float | None = None,
    title_propaganda: float | None = None,
) -> SuggestedHeadline:
    """A neutral, informative headline for ``article``; ``method`` says how it was made.

    ``sentences`` and ``embeddings`` are the scorer's (the text is split here when there are
    no sentences; TF-IDF stands in for missing embeddings). ``supported``: the article is in
    a language the rules and the clickbait head know (English). ``clickbait`` judges cuts;
    ``title_clickbait`` is its probability for the title when the scorer already has it;
    ``title_propaganda`` the propaganda head's (a loaded original is never kept)."""
    text = article.text or "\n\n".join(article.paragraphs)
    sentences = list(sentences) or split_sentences(text)
    title = squash(article.title) if article.title else None
    if not supported:
        # The rules and the clickbait head are English: keep what the page says, if anything.
        if title:
            return SuggestedHeadline(text=title, method="kept_original")
        return _lead(sentences, None)
    if title:
        if title_clickbait is None:
            title_clickbait = clickbait([title])[0]
        if keep_decision(title, text, title_clickbait, title_propaganda).keep:
            return SuggestedHeadline(text=title, method="kept_original")
    options = candidates(sentences, rank_candidates(sentences, embeddings))
    if not options:
        # Nothing fit in the lead: the first fit sentence anywhere, before the raw lead.
        late = (
            i
            for i in range(R.CANDIDATE_SENTENCES, len(sentences))
            if not source_problem(sentences[i], False)
        )
        options = next((found for i in late if (found := candidates(sentences, [i]))), [])
    if not options:
        return _lead(sentences, title)
    best, best_p = least_clickbait(options, clickbait)
    if (
        title
        and title_clickbait is not None
        and title_clickbait < best_p
        and not form_problems(title)
        and not loaded(title_propaganda)
    ):
        # An original that is well formed and less clickbait than anything we can offer stays.
        return SuggestedHeadline(text=title, method="kept_original")
    return best.headline()
