"""The summary: 2-4 sentences of the article in reading order, without duplicates, quotes out of
context or boilerplate, on real pages of the tuning set and on hand-written inputs."""

from __future__ import annotations

import numpy as np
import pytest

from credlens.schemas import Article
from credlens.suggest import rules as R
from credlens.suggest.salience import centrality, tfidf_vectors
from credlens.suggest.summary import ineligible_reason, select_sentences, summarize
from credlens.text import split_sentences
from tests.scored_pages import ScoredPage, scored_pages


@pytest.fixture(scope="module")
def pages() -> tuple[ScoredPage, ...]:
    return scored_pages()


def _check(summary: list[str], sentences: list[str], max_sentences: int = 3) -> None:
    assert len(summary) <= max(min(max_sentences, R.SUMMARY_MAX_SENTENCES), 2)
    # Fewer than two only when the article itself is that short.
    assert len(summary) >= min(R.SUMMARY_MIN_SENTENCES, len(sentences))
    positions = [sentences.index(s) for s in summary]  # raises if not from the article
    assert positions == sorted(positions), "reading order"
    assert len(set(summary)) == len(summary), "duplicates"


@pytest.mark.parametrize("max_sentences", [2, 3, 4])
def test_real_pages(pages: tuple[ScoredPage, ...], max_sentences: int) -> None:
    eligible_pages = 0
    for page in pages:
        scoring = page.scoring
        summary = summarize(
            page.article, scoring.sentences, scoring.embeddings, max_sentences=max_sentences
        )
        _check(summary, scoring.sentences, max_sentences)
        eligible = [s for s in page.scoring.sentences if ineligible_reason(s) is None]
        if len(eligible) >= max_sentences:
            eligible_pages += 1
            # With enough eligible sentences, none picked is boilerplate, a quote or a fragment.
            assert all(ineligible_reason(s) is None for s in summary), (page.id, summary)
    assert eligible_pages > len(pages) // 2


def test_real_pages_without_embeddings(pages: tuple[ScoredPage, ...]) -> None:
    # The TF-IDF bundle gives no embeddings: the summary falls back to lexical centrality.
    for page in pages[:30]:
        sentences = page.scoring.sentences
        _check(summarize(page.article, sentences, None), sentences)


def test_no_near_duplicates(pages: tuple[ScoredPage, ...]) -> None:
    for page in pages:
        emb = page.scoring.embeddings
        if emb is None:
            continue
        summary = summarize(page.article, page.scoring.sentences, emb, max_sentences=4)
        idx = [page.scoring.sentences.index(s) for s in summary]
        for a in idx:
            for b in idx:
                if a < b:
                    assert float(emb[a] @ emb[b]) < R.DUPLICATE_COSINE


ARTICLE = [
    "The city council approved a new budget for public transport on Monday.",
    "Subscribe to our newsletter for the latest updates on local politics.",
    '"This is a great day for everyone who takes the bus," the mayor said.',
    "The city council approved a new budget for public transport on Monday.",
    "But it remains unclear when the first new buses will arrive.",
    "The budget adds 40 buses and extends night services on six routes.",
    "Fares will stay at their current level until at least next year, officials said.",
    "Photo: city hall.",
]


def test_hand_written_rules() -> None:
    summary = summarize(Article(text="\n".join(ARTICLE)), ARTICLE, None, max_sentences=3)
    assert summary[0] == ARTICLE[0]
    assert len(summary) == 3
    assert ARTICLE[3] not in summary[1:]  # the duplicate
    for bad in (ARTICLE[1], ARTICLE[2], ARTICLE[4], ARTICLE[7]):
        assert bad not in summary


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Subscribe to our newsletter for the latest updates.", "boilerplate"),
        ('"We will win this fight," she told reporters.', "quote"),
        ("But the plan was dropped after a vote last week.", "dangling"),
        ("Photo: AP.", "fragment"),
        ("What happens next to the millions of savers in the scheme?", "question"),
        (" ".join(["word"] * 70), "run-on"),
        ("The plan was dropped after a vote in parliament last week.", None),
        ("When he talks with the squad he talks with a lot of sense.", "dangling"),
        ("The economy is growing fast, they insist in the report.", "dangling"),
        ("Olympic champion Holmes has hinted she will not run this year.", None),
        ("Fares will stay at their current level until at least next year.", None),
        ('Now we are in a good position to advance," the coach said.', "quote"),
        ("(We never did settle on one, unlike the towns around us.)", "aside"),
    ],
)
def test_ineligible_reason(sentence: str, reason: str | None) -> None:
    assert ineligible_reason(sentence) == reason


def test_short_articles_and_bounds() -> None:
    one = ["Only one sentence is in this article about the harbour."]
    assert summarize(Article(text=one[0]), one, None) == one
    assert summarize(Article(), [], None) == []
    # max_sentences is clamped to 2-4.
    many = [f"Sentence number {i} reports a distinct fact about topic {i * 7}." for i in range(9)]
    article = Article(text=" ".join(many))
    assert len(summarize(article, many, None, max_sentences=9)) == 4
    assert len(summarize(article, many, None, max_sentences=1)) == 2


def test_sentences_are_split_when_the_scorer_gave_none() -> None:
    text = "The port reopened on Tuesday after repairs. Ships queued for two days to enter it."
    summary = summarize(Article(text=text), [], None)
    assert summary == split_sentences(text)


def test_select_prefers_central_sentences() -> None:
    sentences = [
        "Rain fell on the coast overnight.",
        "The central bank raised interest rates by half a point.",
        "The bank said rates rose to curb inflation.",
        "Interest rates at the bank are now the highest in a decade.",
    ]
    vectors = tfidf_vectors(sentences)
    assert int(np.argmin(centrality(vectors))) == 0
    assert 0 not in select_sentences(sentences, vectors, 2, position_weight=0.0)
