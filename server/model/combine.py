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

from ..schemas import Evidence, ScoreDetail, ScoreDetails, Scores
from .features import ArticleFacts, SentenceFacts
from .manifest import Calibration

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
    says: str
    """What a low value of this component means, for the explanation."""


# Weights per score sum to 1. Where they come from: design.md's definition of each score, with
# the learned text signals carrying most weight (they are evaluated, see MODEL_CARD.md) and the
# measured page facts (byline, links, date) less, since extraction may miss them.
OBJECTIVITY = (
    Component("opinion", 0.45, True, "opinion", "many sentences read as opinion"),
    Component("propaganda", 0.25, True, "propaganda", "propaganda techniques are frequent"),
    Component("persuasion", 0.15, True, "persuasion", "persuasion techniques are frequent"),
    Component("clickbait", 0.15, True, "clickbait_headline", "the headline reads as clickbait"),
)
ACCURACY = (
    Component("specific", 0.30, False, "specific_claim", "few specific, checkable details"),
    Component("propaganda", 0.20, True, "propaganda", "propaganda techniques are frequent"),
    Component(
        "unreliable_style", 0.35, True, "unreliable_style", "the style resembles unreliable outlets"
    ),
    Component("clickbait", 0.15, True, "clickbait_headline", "the headline reads as clickbait"),
)
#: Added to accuracy (then weights renormalised) only when the outlet's domain is listed.
OUTLET_RECORD = Component(
    "outlet_record", 0.30, False, "outlet_record", "the outlet has a weak factual record"
)
#: Outlet factual-reporting record → component value (MBFC's coarse high / mixed / low).
OUTLET_RECORD_VALUE = {"high": 1.0, "mixed": 0.5, "low": 0.0}
TRANSPARENCY = (
    Component("attribution", 0.40, False, "attributed", "few statements are attributed"),
    Component("quotes", 0.15, False, "direct_quote", "few direct quotes"),
    Component("named_sources", 0.15, False, "named_source", "few named sources"),
    Component("links", 0.10, False, "links", "no links to other sources"),
    Component("byline", 0.10, False, "byline", "no byline"),
    Component("dated", 0.10, False, "dated", "no publication date"),
)
#: External links at which the links component is full (a few primary sources suffice).
LINKS_FULL = 3
#: Sentence evidence is shown when its signal probability reaches this.
EVIDENCE_MIN_PROBABILITY = 0.5
#: Evidence items per score.
EVIDENCE_PER_SCORE = 5


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


def article_features(signals: Signals, facts: list[SentenceFacts]) -> dict[str, float]:
    """The raw (uncalibrated) article features named in CALIBRATED_FEATURES."""
    n = max(len(facts), 1)
    out = {
        name: float(signals.sentence[name].mean()) if len(facts) else 0.0
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
    accuracy = ACCURACY + (OUTLET_RECORD,) if outlet else ACCURACY

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


def _explain(name: str, parts: tuple[Component, ...], goodness: dict[str, float]) -> str:
    weak = sorted(
        (c for c in parts if goodness[c.feature] < 0.5), key=lambda c: goodness[c.feature]
    )
    strong = [c for c in parts if goodness[c.feature] >= 0.75]
    head = {
        "objectivity": "Objectivity weighs opinion, propaganda and persuasion in the text and the headline's tone.",
        "accuracy": "Accuracy weighs signals that go with accurate reporting; it is not a fact check.",
        "transparency": "Transparency weighs how statements are sourced: attribution, quotes, named sources, links, byline and date.",
    }[name]
    if not weak:
        return f"{head} No weak signal stands out."
    said = "; ".join(c.says for c in weak[:2])
    extra = (
        f" Strong: {', '.join(c.label.replace('_', ' ') for c in strong[:2])}." if strong else ""
    )
    return f"{head} Lowered because {said}.{extra}"


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
    items: list[Evidence] = []
    fact_field = {"quotes": "quote", "named_sources": "named_source", "specific": "specific"}
    for c in parts:
        share = c.weight / total
        if c.feature in signals.sentence:
            probs = signals.sentence[c.feature]
            sign = -1.0 if c.invert else 1.0
            for i in np.argsort(-probs, kind="stable")[:EVIDENCE_PER_SCORE]:
                if probs[i] < EVIDENCE_MIN_PROBABILITY:
                    break
                items.append(
                    Evidence(
                        text=sentences[i],
                        label=c.label,
                        weight=round(sign * share * float(probs[i]), 3),
                    )
                )
        elif c.feature in fact_field:
            hits = [i for i, f in enumerate(facts) if getattr(f, fact_field[c.feature])]
            for i in hits[:2]:
                items.append(Evidence(text=sentences[i], label=c.label, weight=round(share / 2, 3)))
        else:
            text = _signal_text(c.feature, goodness[c.feature], signals, page, outlet)
            # Signed around the midpoint: a good signal raises the score, a poor one lowers it.
            weight = round(share * (2 * goodness[c.feature] - 1), 3)
            items.append(Evidence(text=text, label=c.label, weight=weight, kind="signal"))
    items.sort(key=lambda e: -abs(e.weight))
    return items[:EVIDENCE_PER_SCORE]


def _signal_text(
    feature: str,
    good: float,
    signals: Signals,
    page: ArticleFacts,
    outlet: tuple[str, str] | None,
) -> str:
    if feature == "clickbait":
        return f"Headline clickbait probability {signals.clickbait or 0.0:.2f}"
    if feature == "unreliable_style":
        return f"Writing style resembles unreliable outlets with probability {signals.unreliable_style:.2f}"
    if feature == "outlet_record" and outlet:
        return f"{outlet[0]}: factual-reporting record '{outlet[1]}' (Media Bias/Fact Check)"
    if feature == "links":
        return f"{page.external_links} link(s) to other sites"
    if feature == "byline":
        return "Byline present" if page.byline else "No byline found"
    if feature == "dated":
        return "Publication date present" if page.dated else "No publication date found"
    return f"{feature}: {good:.2f}"
