"""From signals to scores: the documented, calibrated combination behind the three scores.

Stages: per-sentence signal probabilities and measured facts → article features (means and
shares) → each feature calibrated to [0, 1] against the bundle's reference articles →
weighted components per score → 0–10 score, with the evidence that moved it.

Every constant below is a design choice, not a fitted value, unless it says otherwise; they
were set together (don't tune one alone) and are described in the model card.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from credlens.model.features import ArticleFacts, SentenceFacts
from credlens.model.manifest import Calibration
from credlens.schemas import Evidence, ScoreDetail, ScoreDetails, Scores

FloatArray = npt.NDArray[np.float64]

# --- Article features that are calibrated against the reference articles ----------------------
#: Each is a mean over the article's scored sentences; the bundle's manifest carries their
#: quantiles over its reference corpus (``calibration``), built by the training pipeline.
CALIBRATED_FEATURES = (
    "opinion",
    "propaganda",
    "persuasion",
    "attribution",
    "quotes",
    "named_sources",
    "specific",
)


@dataclass(frozen=True)
class Component:
    """One part of a score: ``feature`` in [0, 1], higher = better after ``invert``."""

    feature: str
    weight: float
    invert: bool
    label: str
    """Evidence label for sentences/signals this component flags."""
    weak: str
    """What a low value of this component means, for the explanation."""
    strong: str
    """What a high value means."""


# Weights per score sum to 1. Where they come from: design.md's definition of each score, with
# the learned text signals carrying most weight (they are evaluated, see MODEL_CARD.md) and the
# measured page facts (byline, links, date) less, since extraction may miss them.
# fmt: off
_OPINION = Component(
    "opinion", 0.45, True, "opinion", "many sentences read as opinion", "mostly factual sentences"
)
_PROPAGANDA = Component(
    "propaganda", 0.25, True, "propaganda", "propaganda techniques are frequent",
    "few propaganda techniques",
)
_PERSUASION = Component(
    "persuasion", 0.15, True, "persuasion", "persuasion techniques are frequent",
    "few persuasion techniques",
)
_HEADLINE = Component(
    "clickbait", 0.15, True, "clickbait_headline", "the headline reads as clickbait",
    "a plain headline",
)
OBJECTIVITY = (_OPINION, _PROPAGANDA, _PERSUASION, _HEADLINE)
ACCURACY = (
    Component(
        "specific", 0.30, False, "specific_claim", "few specific, checkable details",
        "specific, checkable details",
    ),
    Component(
        "propaganda", 0.20, True, "propaganda", "propaganda techniques are frequent",
        "few propaganda techniques",
    ),
    Component(
        "unreliable_style", 0.35, True, "unreliable_style",
        "the style resembles unreliable outlets", "a style unlike unreliable outlets",
    ),
    _HEADLINE,
)
#: Added to accuracy (then weights renormalised) only when the outlet's domain is listed.
OUTLET_RECORD = Component(
    "outlet_record", 0.30, False, "outlet_record", "the outlet has a weak factual record",
    "the outlet's factual record",
)
#: Outlet factual-reporting record → component value (MBFC's coarse high / mixed / low).
OUTLET_RECORD_VALUE = {"high": 1.0, "mixed": 0.5, "low": 0.0}
TRANSPARENCY = (
    Component(
        "attribution", 0.40, False, "attributed", "few statements are attributed",
        "statements attributed to sources",
    ),
    Component("quotes", 0.15, False, "direct_quote", "few direct quotes", "direct quotes"),
    Component(
        "named_sources", 0.15, False, "named_source", "few named sources", "named sources"
    ),
    Component("links", 0.10, False, "links", "no links to other sources", "links to sources"),
    Component("byline", 0.10, False, "byline", "no byline", "a byline"),
    Component("dated", 0.10, False, "dated", "no publication date", "a publication date"),
)
# fmt: on
#: External links at which the links component is full (a few primary sources suffice).
LINKS_FULL = 3
#: Reported speech: a sentence that carries a direct quote and is attributed to a source (its
#: attribution probability ≥ 0.5) reports someone else's words. Its opinion, propaganda and
#: persuasion probabilities count at this factor: quoting is still the writer's choice, but
#: a wire report quoting an angry politician is not an opinion piece (a design choice, checked
#: on the tuning pages: wire reports full of quoted accusations scored as opinion without it).
REPORTED_SPEECH_FACTOR = 0.25
_WRITER_SIGNALS = ("opinion", "propaganda", "persuasion")
#: Sentence evidence is shown when its signal probability reaches this.
EVIDENCE_MIN_PROBABILITY = 0.5
#: Evidence per score: the strongest sentences, then the strongest page signals.
SENTENCE_EVIDENCE = 3
SIGNAL_EVIDENCE = 3


@dataclass(frozen=True)
class Signals:
    """What the graph said about one article, as probabilities."""

    sentence: dict[str, FloatArray]
    """Signal name → probability per scored sentence."""
    clickbait: float | None
    """Probability that the title is clickbait; None without a title."""
    unreliable_style: float


def calibrate(value: float, quantiles: list[float]) -> float:
    """Share of reference articles whose feature is below ``value`` (an empirical CDF)."""
    q = np.asarray(quantiles, dtype=np.float64)
    levels = np.linspace(0.0, 1.0, len(q))
    # Ties (many reference articles at 0) take the middle of their level range.
    lo = float(np.interp(value, q, levels, left=0.0, right=1.0))
    hi_idx = np.searchsorted(q, value, side="right")
    lo_idx = np.searchsorted(q, value, side="left")
    if hi_idx > lo_idx:
        lo = float((levels[lo_idx] + levels[hi_idx - 1]) / 2)
    return lo


def writer_signals(signals: Signals, facts: list[SentenceFacts]) -> dict[str, FloatArray]:
    """Per-sentence probabilities with reported speech discounted (REPORTED_SPEECH_FACTOR)."""
    reported = np.asarray([f.quote for f in facts], dtype=bool) & (
        signals.sentence["attribution"] >= 0.5
    )
    factor = np.where(reported, REPORTED_SPEECH_FACTOR, 1.0)
    return {
        name: probs * factor if name in _WRITER_SIGNALS else probs
        for name, probs in signals.sentence.items()
    }


def article_features(signals: Signals, facts: list[SentenceFacts]) -> dict[str, float]:
    """The raw (uncalibrated) article features named in CALIBRATED_FEATURES."""
    n = max(len(facts), 1)
    probs = writer_signals(signals, facts)
    out = {
        name: float(probs[name].mean()) if len(facts) else 0.0
        for name in ("opinion", "propaganda", "persuasion", "attribution")
    }
    out["quotes"] = sum(f.quote for f in facts) / n
    out["named_sources"] = sum(f.named_source for f in facts) / n
    out["specific"] = sum(f.specific for f in facts) / n
    return out


def _component_values(
    raw: dict[str, float],
    calibration: Calibration,
    signals: Signals,
    page: ArticleFacts,
    record: str | None,
) -> dict[str, float]:
    table = {q.feature: q.values for q in calibration.features}
    values = {name: calibrate(raw[name], table[name]) for name in CALIBRATED_FEATURES}
    values["clickbait"] = signals.clickbait if signals.clickbait is not None else 0.0
    values["unreliable_style"] = signals.unreliable_style
    values["links"] = min(page.external_links / LINKS_FULL, 1.0)
    values["byline"] = float(page.byline)
    values["dated"] = float(page.dated)
    if record is not None:
        values["outlet_record"] = OUTLET_RECORD_VALUE[record]
    return values


def combine(
    sentences: list[str],
    signals: Signals,
    facts: list[SentenceFacts],
    page: ArticleFacts,
    calibration: Calibration,
    outlet: tuple[str, str] | None,
) -> tuple[Scores, ScoreDetails]:
    raw = article_features(signals, facts)
    values = _component_values(raw, calibration, signals, page, outlet[1] if outlet else None)
    accuracy = (*ACCURACY, OUTLET_RECORD) if outlet else ACCURACY

    # No title: the headline component drops out and the others are renormalised.
    def active(parts: tuple[Component, ...]) -> tuple[Component, ...]:
        if signals.clickbait is None:
            return tuple(c for c in parts if c.feature != "clickbait")
        return parts

    details: dict[str, ScoreDetail] = {}
    scores: dict[str, float] = {}
    for name, parts in (
        ("objectivity", active(OBJECTIVITY)),
        ("accuracy", active(accuracy)),
        ("transparency", TRANSPARENCY),
    ):
        total = sum(c.weight for c in parts)
        goodness = {
            c.feature: (1.0 - values[c.feature]) if c.invert else values[c.feature] for c in parts
        }
        score = 10.0 * sum(c.weight * goodness[c.feature] for c in parts) / total
        scores[name] = round(min(max(score, 0.0), 10.0), 1)
        evidence = _evidence(parts, total, goodness, sentences, signals, facts, page, outlet)
        details[name] = ScoreDetail(explanation=_explain(name, parts, goodness), evidence=evidence)
    average = round((scores["objectivity"] + scores["accuracy"] + scores["transparency"]) / 3, 1)
    return (
        Scores(average=average, **scores),
        ScoreDetails(**details),
    )


_EXPLAIN_HEAD = {
    "objectivity": (
        "Objectivity weighs opinion, propaganda and persuasion in the text and the headline's tone."
    ),
    "accuracy": "Accuracy weighs signals that go with accurate reporting; it is not a fact check.",
    "transparency": (
        "Transparency weighs how statements are sourced: attribution, quotes, named sources, "
        "links, byline and date."
    ),
}


def _explain(name: str, parts: tuple[Component, ...], goodness: dict[str, float]) -> str:
    weak = sorted(
        (c for c in parts if goodness[c.feature] < 0.5), key=lambda c: goodness[c.feature]
    )
    strong = [c for c in parts if goodness[c.feature] >= 0.75]
    head = _EXPLAIN_HEAD[name]
    extra = f" Raised by {' and '.join(c.strong for c in strong[:2])}." if strong else ""
    if not weak:
        return f"{head} No weak signal stands out.{extra}"
    return f"{head} Lowered because {'; '.join(c.weak for c in weak[:2])}.{extra}"


def _evidence(
    parts: tuple[Component, ...],
    total: float,
    goodness: dict[str, float],
    sentences: list[str],
    signals: Signals,
    facts: list[SentenceFacts],
    page: ArticleFacts,
    outlet: tuple[str, str] | None,
) -> list[Evidence]:
    """The sentences and page signals behind a score, strongest first.

    A sentence's weight is its share of the component's article mean (component weight ×
    probability / sentences), so sentence weights add up to the component's raw value; a page
    signal's weight is its component weight × (2 × value − 1), signed around the midpoint.
    """
    n = max(len(sentences), 1)
    sentence_probs = writer_signals(signals, facts)
    by_sentence: dict[int, Evidence] = {}
    page_items: list[Evidence] = []
    for c in parts:
        share = c.weight / total
        sign = -1.0 if c.invert else 1.0
        hits: list[tuple[int, float]] = []
        if c.feature in sentence_probs:
            probs = sentence_probs[c.feature]
            hits = [(i, float(p)) for i, p in enumerate(probs) if p >= EVIDENCE_MIN_PROBABILITY]
        elif c.feature in _FACT_FIELDS:
            hits = [(i, 1.0) for i, f in enumerate(facts) if getattr(f, _FACT_FIELDS[c.feature])]
        else:
            text = _signal_text(c.feature, signals, page, outlet)
            weight = round(share * (2 * goodness[c.feature] - 1), 4)
            page_items.append(Evidence(text=text, label=c.label, weight=weight, kind="signal"))
            continue
        for i, p in hits:
            ev = Evidence(text=sentences[i], label=c.label, weight=round(sign * share * p / n, 4))
            # One entry per sentence: the component that weighs most on it.
            if i not in by_sentence or abs(ev.weight) > abs(by_sentence[i].weight):
                by_sentence[i] = ev
    strongest = sorted(by_sentence.values(), key=lambda e: -abs(e.weight))[:SENTENCE_EVIDENCE]
    page_items.sort(key=lambda e: -abs(e.weight))
    return strongest + page_items[:SIGNAL_EVIDENCE]


_FACT_FIELDS = {"quotes": "quote", "named_sources": "named_source", "specific": "specific"}


def _signal_text(
    feature: str,
    signals: Signals,
    page: ArticleFacts,
    outlet: tuple[str, str] | None,
) -> str:
    if feature == "clickbait":
        return f"Headline clickbait probability {signals.clickbait or 0.0:.2f}"
    if feature == "unreliable_style":
        p = signals.unreliable_style
        return f"Writing style resembles unreliable outlets with probability {p:.2f}"
    if feature == "outlet_record" and outlet:
        return f"{outlet[0]}: factual-reporting record '{outlet[1]}' (Media Bias/Fact Check)"
    if feature == "links":
        return f"{page.external_links} link(s) to other sites"
    if feature == "byline":
        return "Byline present" if page.byline else "No byline found"
    if feature == "dated":
        return "Publication date present" if page.dated else "No publication date found"
    raise ValueError(feature)
