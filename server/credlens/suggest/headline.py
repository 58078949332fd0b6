"""The suggested headline: neutral, informative, true to the article, at most 14 words.

No generative model can be had offline, so the suggestion is built from the article itself.
``suggest_headline`` runs, on the scorer's sentences and embeddings (passed in as plain
values: this package never imports the model):

1. **keep**: an original headline that passes the form rules (``form``), reads as plain news
   to the scorer's clickbait and propaganda heads and whose content words the body supports is
   kept, and the response says so (``kept_original``).
2. **rank**: otherwise the first sentences (news puts the event in the lead) are ranked by
   centrality (``salience``) plus a position prior, skipping questions, quotes, second person
   and boilerplate (``form.source_problem``).
3. **compress**: each ranked sentence, and the page's title, is cut to headline length at
   several word budgets by deleting words (``compress``); only the main verb changes, put in
   headline tense (``grammar``).
4. **choose**: the scorer reads every cut that passes the form rules (one batch); the bundle's
   learned ranker predicts each one's quality from what it read (``ranking``); the best plain
   one that is less loaded than the title wins (``compressed``, or ``extractive`` when nothing
   was cut). A cut that reads as a sentence (the ranker's fluency head) is preferred to a
   fragment. The lead cut to length is the last resort (``lead``).

So every name, number and date in a suggestion comes from the article or its title.
Deterministic and total: odd input gives a shorter or empty suggestion, never an error.
Tuned constants live in ``rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from credlens.schemas import Article, SuggestedHeadline
from credlens.suggest import rules as R
from credlens.suggest.compress import (
    clean,
    compress_clause,
    compressions,
    cut_to_length,
    title_variants,
)
from credlens.suggest.form import cut_problem, form_problems, source_problem
from credlens.suggest.ranking import (
    Ranker,
    Reader,
    Source,
    choose,
    feature_rows,
    loadedness,
    support,
)
from credlens.suggest.salience import Matrix, Vector, centrality, sentence_vectors
from credlens.suggest.tokens import squash
from credlens.text import split_sentences

# --- Keeping the original --------------------------------------------------------------------


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
    source: Source

    def headline(self) -> SuggestedHeadline:
        return SuggestedHeadline(text=self.text, method=self.method)


def _fit(text: str, seen: set[str]) -> bool:
    return text not in seen and not form_problems(text) and cut_problem(text) is None


def _cuts(text: str, source: Source, seen: set[str]) -> Iterable[Candidate]:
    cuts = compressions(text, R.CANDIDATE_BUDGETS, title=source.sentence < 0)
    for budget, (cut, verb) in zip(R.CANDIDATE_BUDGETS, cuts, strict=True):
        if not _fit(cut, seen):
            continue
        seen.add(cut)
        method: Literal["extractive", "compressed"] = (
            "extractive" if cut == clean(text) else "compressed"
        )
        yield Candidate(
            cut, method, Source(source.sentence, source.rank, budget=budget, clause=verb)
        )


def _title_cuts(title: str, seen: set[str]) -> Iterable[Candidate]:
    """Deletions from the title (``compress.title_variants``; budget 0), then its cuts."""
    for text in title_variants(title):
        if _fit(text, seen):
            seen.add(text)
            # The title's verb is kept unless a variant cut the clause that held it: a
            # variant counts as a clause when compression finds a verb in it.
            verb = compress_clause(text, R.MAX_WORDS, title=True)[1]
            yield Candidate(text, "compressed", Source(-1, -1, budget=0, clause=verb))
    yield from _cuts(title, Source(-1, -1, 0, False), seen)


def candidates(
    sentences: Sequence[str], order: Iterable[int], title: str | None = None
) -> list[Candidate]:
    """Deletions from ``title`` and its cuts, then fit cuts of the sentences in ``order``
    (their rank is their place there) at each of ``R.CANDIDATE_BUDGETS``; at most
    ``R.MAX_CANDIDATES``, distinct. The title as it is is never one: it is kept or not."""
    seen: set[str] = set()
    out: list[Candidate] = []
    if title:
        seen.add(clean(title))
        out.extend(_title_cuts(title, seen))
    for rank, i in enumerate(order):
        out.extend(_cuts(sentences[i], Source(i, rank, 0, False), seen))
    return out[: R.MAX_CANDIDATES]


def headline_options(
    sentences: Sequence[str], embeddings: Matrix | None, title: str | None
) -> list[Candidate]:
    """The candidates of an article: cuts of its ranked lead sentences and of its title; when
    no lead sentence is fit, of the first fit sentence after them."""
    options = candidates(sentences, rank_candidates(sentences, embeddings), title)
    if any(o.source.sentence >= 0 for o in options) or len(options) == R.MAX_CANDIDATES:
        return options
    late = (
        i
        for i in range(R.CANDIDATE_SENTENCES, len(sentences))
        if not source_problem(sentences[i], False)
    )
    found = next((c for i in late if (c := candidates(sentences, [i]))), [])
    return (options + found)[: R.MAX_CANDIDATES]


@dataclass(frozen=True)
class Choice:
    """The candidates of one article with what the scorer and the ranker made of them."""

    options: list[Candidate]
    features: list[dict[str, float]]
    quality: list[float]
    """The ranker's prediction for each option (without a ranker: minus its index)."""
    fluent: list[float] | None
    """The ranker's probability that each option reads as a sentence (None: no ranker)."""
    embeddings: Matrix | None
    """The scorer's embedding of each option (None: the scorer has no encoder)."""
    chosen: int | None
    """Index of the suggestion among ``options`` (None: none may be shown)."""


def choose_candidate(
    article_text: str,
    sentences: Sequence[str],
    embeddings: Matrix | None,
    options: list[Candidate],
    *,
    title: str | None,
    title_loadedness: float | None,
    read: Reader,
    ranker: Ranker | None,
    title_vector: Vector | None = None,
) -> Choice:
    """Read ``options`` (and the title) with the scorer in one batch, describe them, rank them
    (the bundle's ranker, else their order) and choose (``ranking.choose``). A cut of a
    sentence that does not read as a sentence is only chosen when no cut of a sentence does
    ("Leonardo DiCaprio, Jamie Foxx and Hilary Swank" is no headline): the ranker's fluency
    head judges (``R.FLUENT``), else the compressor's own test (the cut keeps the main verb and
    what follows it). Deletions from the title keep the title's own form, verbless or not.
    ``title_vector``: the title's embedding when the scorer already read it (else the title
    joins the options' batch)."""
    if not options:
        return Choice([], [], [], None, None, None)
    title_row = [title] if title and title_vector is None else []
    reading = read([o.text for o in options] + title_row)
    emb = reading.embeddings
    if title_row and emb is not None:
        title_vector = emb[-1]
    vectors = sentence_vectors(list(sentences), embeddings)
    rows = feature_rows(
        [o.text for o in options],
        [o.source for o in options],
        reading,
        article_text=article_text,
        sentence_vectors=vectors,
        centrality=centrality(vectors),
        title_vector=title_vector,
    )
    quality = [-float(i) for i in range(len(options))]
    fluent: list[float] | None = None
    sentence_like = [o.source.clause for o in options]
    option_vectors = emb[: len(options)] if emb is not None else None
    if ranker is not None and option_vectors is not None:
        ranked = ranker(rows, option_vectors)
        quality, fluent = list(ranked.quality), list(ranked.fluent)
        sentence_like = [p >= R.FLUENT for p in fluent]
    body = [ok for o, ok in zip(options, sentence_like, strict=True) if o.source.sentence >= 0]
    eligible = [
        o.source.sentence < 0 or ok or not any(body)
        for o, ok in zip(options, sentence_like, strict=True)
    ]
    chosen = choose(quality, reading, eligible, title_loadedness)
    return Choice(options, rows, quality, fluent, option_vectors, chosen)


def suggest_headline(
    article: Article,
    sentences: Sequence[str],
    embeddings: Matrix | None,
    *,
    supported: bool,
    read: Reader,
    ranker: Ranker | None = None,
    title_clickbait: float | None = None,
    title_propaganda: float | None = None,
    title_embedding: Vector | None = None,
) -> SuggestedHeadline:
    """A neutral, informative headline for ``article``; ``method`` says how it was made.

    ``sentences`` and ``embeddings`` are the scorer's (the text is split here when there are
    no sentences; TF-IDF stands in for missing embeddings). ``supported``: the article is in
    a language the rules and the scorer's heads know (English). ``read`` has the scorer read
    candidates; ``ranker`` is the bundle's learned headline ranker (None: candidates keep
    their order). ``title_clickbait``, ``title_propaganda`` and ``title_embedding`` are the
    heads' probabilities for the title and its embedding when the scorer already has them."""
    text = article.text or "\n\n".join(article.paragraphs)
    sentences = list(sentences) or split_sentences(text)
    title = squash(article.title) if article.title else None
    if not supported:
        # The rules and the heads are English: keep what the page says, if anything.
        if title:
            return SuggestedHeadline(text=title, method="kept_original")
        return _lead(sentences, None)
    title_loadedness = None
    if title:
        if title_clickbait is None or title_propaganda is None:
            first = read([title])
            title_clickbait = first.clickbait[0] if title_clickbait is None else title_clickbait
            title_propaganda = first.propaganda[0] if title_propaganda is None else title_propaganda
        if keep_decision(title, text, title_clickbait, title_propaganda).keep:
            return SuggestedHeadline(text=title, method="kept_original")
        title_loadedness = loadedness(title_clickbait, title_propaganda)
    options = headline_options(sentences, embeddings, title)
    choice = choose_candidate(
        text,
        sentences,
        embeddings,
        options,
        title=title,
        title_loadedness=title_loadedness,
        read=read,
        ranker=ranker,
        title_vector=title_embedding,
    )
    if choice.chosen is not None:
        return options[choice.chosen].headline()
    if title and not form_problems(title) and not loaded(title_propaganda):
        # Nothing we can offer is less loaded than a well-formed original: it stays.
        return SuggestedHeadline(text=title, method="kept_original")
    return _lead(sentences, title)
