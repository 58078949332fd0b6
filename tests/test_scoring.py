"""Scoring real pages of the Scrapinghub tuning set: the contract of ``Scoring``, the relative
order of pages whose genre is known by reading them, and non-English detection."""

from __future__ import annotations

import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import msgspec
import numpy as np
import pytest

from credlens.extract import extract
from credlens.model import Scorer, Scoring, load_bundle
from credlens.schemas import Article
from credlens.settings import DEFAULT_BUNDLE
from credlens.text import detect_language, split_sentences
from tests.conftest import SCRAPINGHUB

PAGES = SCRAPINGHUB

# Picked by reading the pages (Scrapinghub ids).
AP_SONDLAND = "82b6d780c792df78dcfb00484d50c86fbc7f324a9eb5835b7615f028edb9a574"
"""AP wire report: a witness's expected testimony, statements attributed throughout."""
REUTERS_MARKETS = "57d46c9d751e3fd3ffaf3ede7ac20cebd30eacb5ea78e1a6aa0a72059244e7ca"
"""Reuters markets wire: prices, figures and named analysts."""
GUARDIAN_EDITORIAL = "5fa3154ec031ab35411a457d78eb5aa92c0e803c5329bd05c001e6d64009e206"
"""The Guardian view on Hong Kong (editorial): 'Hong Kong is burning...'."""
NYT_OPINION = "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34"
"""NYT opinion column: 'Republicans Are Following Trump to Nowhere'."""
PORTUGUESE = "11ea381ad92b5448cf66eae62f52ac565361a244c8881615fc6a7bb523cc0c32"
GERMAN = "57b4dafd18cfd0531b69f81e87158648227c673ef159f8d8c87d34e34bdb21f2"


@cache
def _truth() -> dict[str, dict[str, str]]:
    return json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def page(pid: str) -> tuple[Article, str]:
    url = _truth()[pid]["url"]
    html = gzip.decompress((PAGES / "html" / f"{pid}.html.gz").read_bytes())
    return extract(html, url), url


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return load_bundle(DEFAULT_BUNDLE)


@pytest.fixture(scope="module")
def scored(scorer: Scorer) -> dict[str, Scoring]:
    out = {}
    for pid in (AP_SONDLAND, REUTERS_MARKETS, GUARDIAN_EDITORIAL, NYT_OPINION):
        article, url = page(pid)
        out[pid] = scorer.score(article, url)
    return out


@pytest.mark.parametrize(
    ("wire", "opinion"),
    [
        (AP_SONDLAND, GUARDIAN_EDITORIAL),
        (REUTERS_MARKETS, NYT_OPINION),
        (AP_SONDLAND, NYT_OPINION),
        (REUTERS_MARKETS, GUARDIAN_EDITORIAL),
    ],
)
def test_wire_reports_outscore_opinion_pieces(
    scored: dict[str, Scoring], wire: str, opinion: str
) -> None:
    w, o = scored[wire].scores, scored[opinion].scores
    assert w is not None and o is not None
    assert w.objectivity > o.objectivity
    assert w.average > o.average


def test_attributed_wire_report_is_more_transparent_than_editorial(
    scored: dict[str, Scoring],
) -> None:
    w, o = scored[AP_SONDLAND].scores, scored[GUARDIAN_EDITORIAL].scores
    assert w is not None and o is not None
    assert w.transparency > o.transparency


def test_opinion_evidence_comes_from_the_editorial(scored: dict[str, Scoring]) -> None:
    """What lowered an editorial's objectivity most is named: an opinion signal (its sentences
    where their label is precise enough to show, the article-level style or the headline's)."""
    for pid in (GUARDIAN_EDITORIAL, NYT_OPINION):
        details = scored[pid].details
        assert details is not None
        lowest = min(details.objectivity.evidence, key=lambda e: e.weight)
        assert lowest.label in {"opinion", "opinion_style", "opinion_headline"}, pid
        sentences = scored[pid].sentences
        lowering = [e for e in details.objectivity.evidence if e.weight < 0]
        assert all(e.text in sentences for e in lowering if e.kind == "sentence")


def test_scoring_contract(scorer: Scorer, scored: dict[str, Scoring]) -> None:
    for result in scored.values():
        assert result.supported and result.language == "en"
        assert result.scores is not None and result.details is not None
        s = result.scores
        for value in (s.objectivity, s.accuracy, s.transparency, s.average):
            assert 0.0 <= value <= 10.0 and round(value, 1) == value
        assert abs(s.average - (s.objectivity + s.accuracy + s.transparency) / 3) <= 0.051
        for detail in (
            result.details.objectivity,
            result.details.accuracy,
            result.details.transparency,
        ):
            assert detail.explanation
            assert all(-10.0 <= e.weight <= 10.0 and e.label for e in detail.evidence)
        assert result.embeddings is not None and result.embeddings.dtype == np.float32
        assert result.embeddings.shape == (len(result.sentences), 384)
        assert np.allclose(np.linalg.norm(result.embeddings, axis=1), 1.0, atol=1e-4)
        p = result.headline.clickbait_probability
        assert p is not None and 0.0 <= p <= 1.0
    # One sentence per run: embed() gives exactly what score() used.
    result = scored[REUTERS_MARKETS]
    again = scorer.embed(result.sentences[:5])
    assert again is not None and np.array_equal(again, result.embeddings[:5])  # type: ignore[index]


def test_outlet_record_is_evidence_when_the_domain_is_listed(scored: dict[str, Scoring]) -> None:
    details = scored[REUTERS_MARKETS].details
    assert details is not None
    assert any(e.label == "outlet_record" for e in details.accuracy.evidence)


def test_clickbait_ranks_headlines(scorer: Scorer) -> None:
    bait, plain = scorer.clickbait(
        [
            "You Won't Believe What This Celebrity Did With Her Old Sofa",
            "Federal Reserve holds interest rates steady amid slowing growth",
        ]
    )
    assert bait > 0.5 > plain


@pytest.mark.parametrize(("pid", "lang"), [(PORTUGUESE, "pt"), (GERMAN, "de")])
def test_non_english_pages_are_detected_and_not_scored(scorer: Scorer, pid: str, lang: str) -> None:
    article, url = page(pid)
    result = scorer.score(article, url)
    assert result.language == lang
    assert not result.supported
    assert result.scores is None and result.details is None and result.embeddings is None


def test_language_ignores_a_wrong_declaration() -> None:
    text = "Der Bundestag hat am Donnerstag ein Gesetz beschlossen, das die Mieten begrenzt."
    assert detect_language(text, declared="en") == "de"
    assert detect_language("Short.", declared="fr-FR") == "fr"


def test_concurrent_scoring_is_deterministic(scorer: Scorer) -> None:
    article, url = page(AP_SONDLAND)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: scorer.score(article, url), range(3)))
    assert all(r.scores == results[0].scores for r in results)


def test_sentence_splitter_keeps_abbreviations() -> None:
    text = (
        "Mr. Smith met U.S. officials on Jan. 5 in Washington. They all agreed.\n\n"
        'Dr. Jane F. Doe said "it works." Why? Nobody knows.'
    )
    assert split_sentences(text) == [
        "Mr. Smith met U.S. officials on Jan. 5 in Washington.",
        "They all agreed.",
        'Dr. Jane F. Doe said "it works." Why?',  # a fragment joins its neighbour
        "Nobody knows.",
    ]


def test_evidence_points_add_up_to_the_score(scored: dict[str, Scoring]) -> None:
    """Each item's weight is its effect in score points; together they are the score's
    distance from the reference article's score (rounded to 0.01 each)."""
    for result in scored.values():
        assert result.scores is not None and result.details is not None
        for name in ("objectivity", "accuracy", "transparency"):
            detail = getattr(result.details, name)
            assert detail.reference is not None
            total = sum(e.weight for e in detail.evidence)
            assert abs(total - (getattr(result.scores, name) - detail.reference)) < 1e-6


def test_no_evidence_says_the_opposite_of_its_effect(
    scorer: Scorer, scored: dict[str, Scoring]
) -> None:
    """A component's item reads "lowers" exactly when its points are negative, and a sentence
    shown for a component moves the score the way that component's weight says."""
    models = scorer.manifest.scores
    for result in scored.values():
        assert result.details is not None
        for name in ("objectivity", "accuracy", "transparency"):
            model = getattr(models, name)
            by_label = {c.label: c for c in model.components}
            for e in getattr(result.details, name).evidence:
                component = by_label.get(e.label)
                if component is None:  # the outlet record (accuracy)
                    assert e.label == "outlet_record"
                    continue
                if e.kind == "signal" and e.weight != 0:
                    phrase = component.lowers if e.weight < 0 else component.raises
                    assert e.text.lower().startswith(phrase.lower()), (e.text, e.weight)
                if e.kind == "sentence" and e.weight != 0:
                    assert (e.weight > 0) == (component.weight > 0), (e.label, e.weight)


@pytest.mark.parametrize("name", ["objectivity", "accuracy", "transparency"])
def test_scores_are_monotone_in_each_component(scorer: Scorer, name: str) -> None:
    """Raising a component's feature moves its score only the way its weight's sign says."""
    from credlens.model.combine import evaluate

    model = getattr(scorer.manifest.scores, name)
    rng = np.random.default_rng(7)
    for _ in range(200):
        features = {c.feature: float(rng.uniform()) for c in model.components}
        base = evaluate(model, features).score
        for c in model.components:
            up = evaluate(model, {**features, c.feature: min(features[c.feature] + 0.1, 1.0)})
            assert (up.score - base) * c.weight >= -1e-12


def test_the_outlet_comes_from_the_url_the_reader_is_on(scorer: Scorer) -> None:
    """A page cannot borrow another outlet's record through its canonical link."""
    article, _ = page(REUTERS_MARKETS)
    borrowed = scorer.score(article, "https://low.example.net/story")
    assert borrowed.details is not None
    assert not any(e.label == "outlet_record" for e in borrowed.details.accuracy.evidence)


def test_article_heads_enter_the_scores_as_bounded_log_odds() -> None:
    """The ``*_logit`` features are the heads' log odds, increasing in the probability and
    finite when a head saturates (a page cannot push a score's logit to infinity)."""
    import math

    from credlens.model.features import LOGIT_FEATURES, ArticleFacts, article_features, log_odds

    probabilities = [0.0, 1e-9, 0.01, 0.3, 0.5, 0.7, 0.99, 1.0 - 1e-9, 1.0]
    odds = [log_odds(p) for p in probabilities]
    assert odds == sorted(odds) and all(math.isfinite(z) for z in odds)
    assert max(abs(z) for z in odds) < 14
    assert log_odds(0.3) == pytest.approx(math.log(0.3 / 0.7))
    heads = {"opinion_style": 0.8, "unreliable_style": 0.1}
    features = article_features({}, heads, None, ArticleFacts(False, False, 0, None), 0.2)
    for feature, head in LOGIT_FEATURES.items():
        assert features[feature] == pytest.approx(log_odds(heads[head]))


def test_head_evidence_reads_as_a_probability(scored: dict[str, Scoring]) -> None:
    """A component on log odds is shown to the reader as the head's probability."""
    from credlens.model.features import LOGIT_FEATURES

    labels = set(LOGIT_FEATURES.values())
    shown = [
        e.text
        for s in scored.values()
        if s.details is not None
        for d in (s.details.objectivity, s.details.accuracy, s.details.transparency)
        for e in d.evidence
        if e.kind == "signal" and e.label in labels
    ]
    assert shown
    for text in shown:
        value, reference = (float(x) for x in text.rsplit(": ", 1)[1].split(" vs "))
        assert 0.0 <= value <= 1.0 and 0.0 <= reference <= 1.0, text


def test_an_opinion_headline_lowers_objectivity_and_no_title_moves_nothing(
    scorer: Scorer,
) -> None:
    """The headline head reads the title alone: the same wire report under a headline that
    argues scores lower than under one that reports; without a title the component sits at
    its reference and moves the score by nothing."""
    article, url = page(REUTERS_MARKETS)
    titles = {
        "reports": "Wall Street ends flat as investors weigh trade talks",
        "argues": "Stop Pretending the Trade War Is Working",
        "none": "",
    }
    scores, points = {}, {}
    for name, title in titles.items():
        s = scorer.score(Article(**{**msgspec.structs.asdict(article), "title": title}), url)
        assert s.scores is not None and s.details is not None
        scores[name] = s.scores.objectivity
        points[name] = next(
            e.weight for e in s.details.objectivity.evidence if e.label == "opinion_headline"
        )
    assert scores["argues"] < scores["reports"]
    assert points["argues"] < 0 < points["reports"]
    assert points["none"] == 0.0


@pytest.mark.parametrize(
    ("sentence", "note"),
    [
        ("The views expressed in this commentary are solely those of the author.", True),
        ("The opinions expressed in this commentary are his own.", True),
        ("The views expressed are her own.", True),
        ("The views expressed in these commentaries belong solely to the authors.", True),
        ("Opinions expressed here do not necessarily reflect the views of the paper.", True),
        ("Jane Roe is a columnist for The Washington Post.", True),
        ("Murray is a political scientist and a fellow with the institute.", False),
        ("John Doe is a CNN contributor and the author of three books.", True),
        ("At the time, he was a tenured professor at the university.", False),
        ("The views expressed by protesters were varied, police said.", False),
        ("Smith, a professor of law, said the ruling was narrow.", False),
    ],
)
def test_a_commentary_note_is_a_disclaimer_or_a_contributor_line(sentence: str, note: bool) -> None:
    from credlens.model.features import sentence_facts

    assert sentence_facts(sentence).commentary_note is note


def test_a_commentary_note_lowers_objectivity_and_is_its_evidence(scorer: Scorer) -> None:
    """The same wire report, once with an opinion disclaimer on top: it scores lower, and the
    disclaimer is the sentence that lowered it (its points are the component's)."""
    article, url = page(REUTERS_MARKETS)
    note = "The opinions expressed in this commentary are solely those of the author."
    plain = scorer.score(article, url)
    noted = scorer.score(
        Article(**{**msgspec.structs.asdict(article), "text": f"{note}\n\n{article.text}"}), url
    )
    assert plain.scores is not None and noted.scores is not None and noted.details is not None
    assert noted.scores.objectivity < plain.scores.objectivity
    evidence = noted.details.objectivity.evidence
    shown = [e for e in evidence if e.kind == "sentence" and e.text == note]
    assert shown and shown[0].label == "commentary_note" and shown[0].weight < 0
