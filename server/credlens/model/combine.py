"""From article features to the three scores, with the evidence that moved each one.

Each score is a fitted logistic model (the bundle's ``scores``): ``10 × sigmoid(intercept +
Σ weight × feature)``, where every feature is a named component in [0, 1] and every weight's
sign is fixed by design (fitted under that constraint, see the model card). So a component
can only move its score the way its evidence says.

Evidence is in score points and adds up: the distance from the reference article's score
(``reference_score``, all features at their reference values) is split among components in
proportion to their logit contributions ``weight × (feature − reference)`` (one positive
factor for all, so no sign flips). A sentence feature's points split further among its
sentences, ``weight × (value − reference) / n`` each (a page fact's, ``ANY_FEATURES``, among
the sentences that have it); the sentences shown (the strongest whose label clears its
precision threshold) are carved out, and what remains of each component is one signal item.
Items are rounded to 0.01 with the rounding put on the largest, so they sum exactly to the
rounded score minus the reference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from credlens.model.features import (
    ANY_FEATURES,
    HEADLINE_LOGIT_FEATURES,
    LOGIT_FEATURES,
    SENTENCE_FEATURES,
    ArticleFacts,
    SentenceFacts,
    article_features,
    sentence_values,
)
from credlens.model.manifest import Component, ScoreModel, ScoreModels
from credlens.schemas import Evidence, ScoreDetail, ScoreDetails, Scores

FloatArray = npt.NDArray[np.float64]

#: Evidence per score: the strongest sentences, then every component's remainder.
SENTENCE_EVIDENCE = 3
#: Which probability decides whether a learned sentence feature's sentence may be shown (its
#: label must clear the bundle's precision threshold); measured features (quotes, named
#: sources, specific details, first person) show the sentences where the fact was found.
_SHOWN_BY = {
    "opinion_own": "opinion",
    "propaganda_own": "propaganda",
    "persuasion_own": "persuasion",
    "attribution": "attribution",
}


@dataclass(frozen=True)
class Signals:
    """What the graph said about one article, as probabilities."""

    sentence: dict[str, FloatArray]
    """Signal name → probability per scored sentence."""
    article: dict[str, float]
    """Article-level heads (``opinion_style``, ``unreliable_style``) → probability."""
    clickbait: float | None
    """Probability that the title is clickbait; None without a title."""
    headline: dict[str, float] = field(default_factory=dict)
    """The title's other headline heads (``opinion_headline``) → probability; empty without a
    title or when the bundle has none."""


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Fitted:
    """One score computed: its value, reference and each component's points."""

    score: float
    reference: float
    points: dict[str, float]
    """Component name → points; they sum to ``score − reference``."""
    per_logit: float
    """Points per unit of logit between the reference and this article (positive)."""


def evaluate(model: ScoreModel, features: dict[str, float]) -> Fitted:
    z_ref = model.intercept + sum(c.weight * c.reference for c in model.components)
    contrib = {c.name: c.weight * (features[c.feature] - c.reference) for c in model.components}
    z = z_ref + sum(contrib.values())
    score, ref = 10.0 * _sigmoid(z), 10.0 * _sigmoid(z_ref)
    # Points per logit: the secant slope (the derivative where the two coincide).
    dz = z - z_ref
    per_logit = (score - ref) / dz if abs(dz) > 1e-9 else 10.0 * _sigmoid(z) * (1 - _sigmoid(z))
    return Fitted(score, ref, {n: per_logit * v for n, v in contrib.items()}, per_logit)


def combine(
    sentences: list[str],
    signals: Signals,
    facts: list[SentenceFacts],
    page: ArticleFacts,
    models: ScoreModels,
    outlet: tuple[str, str] | None,
) -> tuple[Scores, ScoreDetails]:
    values = sentence_values(signals.sentence, facts)
    reference_clickbait = _reference(models.objectivity, "clickbait")
    headline_references = {f: _reference(models.objectivity, f) for f in HEADLINE_LOGIT_FEATURES}
    features = article_features(
        values,
        signals.article,
        signals.clickbait,
        page,
        reference_clickbait,
        signals.headline,
        headline_references,
    )
    scores: dict[str, float] = {}
    details: dict[str, ScoreDetail] = {}
    for name in ("objectivity", "accuracy", "transparency"):
        model: ScoreModel = getattr(models, name)
        fitted = evaluate(model, features)
        extra: list[tuple[Evidence, float]] = []
        if name == "accuracy" and outlet is not None:
            fitted, extra = _with_record(fitted, models, outlet)
        score = round(min(max(fitted.score, 0.0), 10.0), 1)
        reference = round(fitted.reference, 2)
        items = _evidence(model, fitted, values, signals, sentences, models, features)
        evidence = _rounded([*items, *extra], score - reference)
        scores[name] = score
        details[name] = ScoreDetail(
            explanation=_explain(name, model, fitted, extra, score, reference),
            evidence=evidence,
            reference=reference,
        )
    average = round((scores["objectivity"] + scores["accuracy"] + scores["transparency"]) / 3, 1)
    return Scores(average=average, **scores), ScoreDetails(**details)


def _reference(model: ScoreModel, feature: str) -> float:
    return next((c.reference for c in model.components if c.feature == feature), 0.0)


def _with_record(
    text: Fitted, models: ScoreModels, outlet: tuple[str, str]
) -> tuple[Fitted, list[tuple[Evidence, float]]]:
    """Accuracy with the outlet's record: a fixed blend of the text score and the record."""
    share = models.outlet_record_share
    value = models.outlet_record_values.get(outlet[1], 0.5)
    points = {n: (1 - share) * p for n, p in text.points.items()}
    record_points = share * 10.0 * (value - 0.5)
    score = (1 - share) * text.score + share * 10.0 * value
    reference = (1 - share) * text.reference + share * 5.0
    item = Evidence(
        text=f"{outlet[0]}: factual-reporting record '{outlet[1]}' (Media Bias/Fact Check)",
        label="outlet_record",
        weight=0.0,
        kind="signal",
    )
    fitted = Fitted(score, reference, points, (1 - share) * text.per_logit)
    return fitted, [(item, record_points)]


def _evidence(
    model: ScoreModel,
    fitted: Fitted,
    values: dict[str, FloatArray],
    signals: Signals,
    sentences: list[str],
    models: ScoreModels,
    features: dict[str, float],
) -> list[tuple[Evidence, float]]:
    """(item, unrounded points): the strongest shown sentences, then each component's rest."""
    n = max(len(sentences), 1)
    # Points of each (component, sentence) whose label clears its threshold.
    carve: dict[int, dict[str, float]] = {}
    for c in model.components:
        if c.feature not in SENTENCE_FEATURES:
            continue
        label = _SHOWN_BY.get(c.feature)
        eligible = (
            signals.sentence[label] >= models.sentence_thresholds[label]
            if label is not None
            else np.ones(len(values[c.feature]), dtype=bool)
        )
        # A share splits over every sentence; a page fact over the sentences that have it.
        over = max(float(values[c.feature].sum()), 1.0) if c.feature in ANY_FEATURES else n
        per_sentence = fitted.per_logit * c.weight * (values[c.feature] - c.reference) / over
        for i, v in enumerate(values[c.feature]):
            if eligible[i] and v > 0:
                carve.setdefault(i, {})[c.name] = float(per_sentence[i])
    strongest = sorted(carve, key=lambda i: -abs(sum(carve[i].values())))[:SENTENCE_EVIDENCE]
    items: list[tuple[Evidence, float]] = []
    shown = {c.name: 0.0 for c in model.components}
    labels = {c.name: c.label for c in model.components}
    for i in strongest:
        for name, p in carve[i].items():
            shown[name] += p
        main = max(carve[i], key=lambda k: abs(carve[i][k]))
        total = sum(carve[i].values())
        items.append((Evidence(text=sentences[i], label=labels[main], weight=0.0), total))
    for c in model.components:
        rest = fitted.points[c.name] - shown[c.name]
        text = _component_text(c, features, rest, shown[c.name] != 0.0)
        items.append((Evidence(text=text, label=c.label, weight=0.0, kind="signal"), rest))
    return items


def _component_text(c: Component, features: dict[str, float], points: float, carved: bool) -> str:
    what = c.lowers if points < 0 else c.raises
    rest = " (the other sentences)" if carved else ""
    value, reference = features[c.feature], c.reference
    if c.feature in LOGIT_FEATURES or c.feature in HEADLINE_LOGIT_FEATURES:
        # Log odds mean little to a reader: the head's probability is shown.
        value, reference = _sigmoid(value), _sigmoid(reference)
    return f"{what[0].upper()}{what[1:]}{rest}: {value:.2f} vs {reference:.2f}"


def _rounded(items: list[tuple[Evidence, float]], total: float) -> list[Evidence]:
    """Round to 0.01 so the items add up to ``total`` exactly (the rounding on the largest)."""
    cents = [round(p * 100) for _, p in items]
    if items:
        big = max(range(len(items)), key=lambda k: abs(items[k][1]))
        cents[big] += round(total * 100) - sum(cents)
    out = [
        Evidence(text=e.text, label=e.label, weight=c / 100, kind=e.kind)
        for (e, _), c in zip(items, cents, strict=True)
    ]
    sentences = [e for e in out if e.kind == "sentence"]
    signals = sorted((e for e in out if e.kind != "sentence"), key=lambda e: -abs(e.weight))
    return sentences + signals


_EXPLAIN_HEAD = {
    "objectivity": "Objectivity: how much the text reads like news reporting, not opinion.",
    "accuracy": (
        "Accuracy: how much the writing resembles outlets with a strong factual record; "
        "not a fact check."
    ),
    "transparency": "Transparency: how statements are sourced (attribution, quotes, names).",
}


def _explain(
    name: str,
    model: ScoreModel,
    fitted: Fitted,
    extra: list[tuple[Evidence, float]],
    score: float,
    reference: float,
) -> str:
    parts = {c.name: (c, fitted.points[c.name]) for c in model.components}
    up = sorted((v for v in parts.values() if v[1] >= 0.05), key=lambda v: -v[1])[:2]
    down = sorted((v for v in parts.values() if v[1] <= -0.05), key=lambda v: v[1])[:2]
    text = f"{_EXPLAIN_HEAD[name]} {score:.1f} against {reference:.1f} for a typical article."
    if up:
        text += " Raised by " + "; ".join(f"{c.raises} ({p:+.1f})" for c, p in up) + "."
    if down:
        text += " Lowered by " + "; ".join(f"{c.lowers} ({p:+.1f})" for c, p in down) + "."
    for _item, points in extra:
        text += f" Outlet record {points:+.1f}."
    return text
