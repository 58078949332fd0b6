"""Fit the three scores on article-level labels, and measure them on outlets never seen.

Inputs: labelled articles (``articles``), each sentence's signal logits from the sentence
heads, and each article's mean sentence embedding. Steps:

1. Two article heads on the mean embedding: ``opinion_style`` (opinion section or guest
   writer vs news) and ``unreliable_style`` (outlet graded mixed or lower by MBFC vs high or
   very high). Linear on the mean embedding, so serving computes them as the mean of the
   sentences' logits. One headline head on the title's embedding, ``opinion_headline``
   (the same opinion label): a headline often states the writer's position ("Democrats, stop
   delegitimizing our elections"), which the body's mean embedding dilutes.
2. Article features (``credlens.model.features``), with the heads' probabilities taken out
   of fold (by outlet), so the combination does not trust them more than unseen outlets
   warrant; the heads enter the scores as log odds (``LOGIT_FEATURES``,
   ``HEADLINE_LOGIT_FEATURES``).
3. One logistic model per score over its named components, class-balanced (a score of 5 is
   "as likely one class as the other"), each weight's sign fixed by design: a component whose
   fitted sign disagrees is dropped and the model refitted.

``evaluate`` repeats 1–3 inside five outlet-grouped folds (never one outlet on both sides) and
scores the held-out fold, so every figure is on outlets the model never saw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from credlens.model.combine import evaluate as evaluate_score
from credlens.model.features import (
    ARTICLE_FEATURES,
    LOGIT_CLIP,
    ArticleFacts,
    SentenceFacts,
    article_features,
    sentence_values,
)
from credlens.model.manifest import Component, ScoreModel, ScoreModels
from credlens_training.articles import LabelledArticle
from credlens_training.heads import SEED

FloatArray = npt.NDArray[np.float64]
FOLDS = 5
#: Inverse regularisation of the article heads (on mean embeddings, whose norm is small).
#: 2.x used 64, the value the former unreliable-style head found best in 5-fold CV
#: (heads.ARTICLE_C). With the heads entering the scores as log odds (3.0.0) it was swept
#: again on the outlet-grouped folds: the opinion_style head alone scores AUC 0.832 / 0.833 /
#: 0.834 / 0.832 / 0.828 at C = 4 / 8 / 16 / 32 / 64, objectivity 0.826 / 0.826 / 0.825 /
#: 0.822 / 0.819; 16 is the head's best. (unreliable_style: 0.481 / 0.472 / 0.465 / 0.463 /
#: 0.466, chance at every C.) Chosen on the folds that report the figures.
ARTICLE_HEAD_C = 16.0
#: Inverse regularisation of the score models, on standardised features: 0.1–10 moved
#: outlet-grouped AUC by under 0.005; 1 is scikit-learn's default.
SCORE_C = 1.0
#: The links feature's weight and reference: no training article has its links (the texts
#: are extracted), so this is a design choice: a full set of links (3+) is worth as much as
#: the strongest fitted sourcing component, one link is the reference.
LINKS_WEIGHT = 1.0
LINKS_REFERENCE = 1 / 3
#: Accuracy with the outlet's record: the text score and the record count half each.
OUTLET_RECORD_SHARE = 0.5
OUTLET_RECORD_VALUES = {"high": 1.0, "mixed": 0.5, "low": 0.0}
EVIDENCE_PRECISION = 0.85


@dataclass(frozen=True)
class Design:
    """A component as designed: its feature, the sign its weight must have, its words."""

    feature: str
    sign: int
    label: str
    lowers: str
    raises: str


# Components that more than one score uses.
_PROPAGANDA = Design(
    "propaganda_own",
    -1,
    "propaganda",
    "propaganda techniques in the writer's sentences",
    "few propaganda techniques",
)
_ATTRIBUTION = Design(
    "attribution",
    1,
    "attributed",
    "few statements attributed to sources",
    "statements attributed to sources",
)
_QUOTES = Design("quotes", 1, "direct_quote", "few direct quotes", "direct quotes")
_NAMED = Design("named_sources", 1, "named_source", "few named sources", "named sources")
_CLICKBAIT = Design(
    "clickbait", -1, "clickbait_headline", "the headline reads as clickbait", "a plain headline"
)
OBJECTIVITY = (
    Design(
        "opinion_own",
        -1,
        "opinion",
        "the writer's own sentences read as opinion",
        "the writer's own sentences read as reporting",
    ),
    _PROPAGANDA,
    Design(
        "persuasion_own",
        -1,
        "persuasion",
        "persuasion techniques in the writer's sentences",
        "few persuasion techniques",
    ),
    Design(
        "first_person",
        -1,
        "first_person",
        "the writer speaks in the first person",
        "the writer keeps out of the story",
    ),
    Design(
        "commentary_note",
        -1,
        "commentary_note",
        "the page says it is commentary (an opinion disclaimer or the writer's contributor line)",
        "no note that the page is commentary",
    ),
    Design(
        "opinion_style_logit",
        -1,
        "opinion_style",
        "the article as a whole reads like an opinion piece",
        "the article as a whole reads like news reporting",
    ),
    Design(
        "opinion_headline_logit",
        -1,
        "opinion_headline",
        "the headline reads like an opinion piece's",
        "the headline reads like a news report's",
    ),
    _ATTRIBUTION,
    _QUOTES,
    _CLICKBAIT,
)
ACCURACY = (
    Design(
        "unreliable_style_logit",
        -1,
        "unreliable_style",
        "the writing resembles outlets with a weak factual record",
        "the writing resembles outlets with a strong factual record",
    ),
    _PROPAGANDA,
    Design(
        "specific",
        1,
        "specific_claim",
        "few specific, checkable details",
        "specific, checkable details",
    ),
    _NAMED,
    _CLICKBAIT,
)
TRANSPARENCY = (
    _ATTRIBUTION,
    _QUOTES,
    _NAMED,
    Design("byline", 1, "byline", "no byline", "a byline"),
    Design("dated", 1, "dated", "no publication date", "a publication date"),
)
#: What each score's probability is of (the scale's meaning), and its label per article.
TARGETS = {
    "objectivity": (
        "the article reads like news reporting rather than an opinion-section or guest piece "
        "(AllSides news vs opinion sections, outlets held out), classes weighted equally",
        "news",
    ),
    "accuracy": (
        "the article's writing is like that of outlets Media Bias/Fact Check grades high or "
        "very high for factual reporting rather than mixed or lower (AllSides articles, "
        "outlets held out), classes weighted equally",
        "factual",
    ),
    "transparency": (
        "the article is sourced like news reporting rather than commentary (attribution, "
        "quotes, named sources, byline, date; AllSides news vs opinion sections), classes "
        "weighted equally",
        "news",
    ),
}
DESIGNS = {"objectivity": OBJECTIVITY, "accuracy": ACCURACY, "transparency": TRANSPARENCY}


def _sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


# --- Features -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outputs:
    """What the graph gives for the labelled articles, before the article heads."""

    sentence_probs: list[dict[str, FloatArray]]
    """Per article: sentence signal → probability per sentence."""
    clickbait: list[float | None]
    mean_embedding: Any
    """One row per article: the mean of its sentences' embeddings (the article heads' input)."""
    facts: list[list[SentenceFacts]]
    """Per article: the measured facts of each sentence."""
    title_embedding: Any
    """One row per article: its title's embedding (zeros without a title; the headline
    head's input)."""

    @property
    def has_title(self) -> npt.NDArray[np.bool_]:
        return np.asarray([c is not None for c in self.clickbait])

    @property
    def clickbait_reference(self) -> float:
        """The mean clickbait probability of the titles: the clickbait feature's value
        without a title."""
        return float(np.mean([p for p in self.clickbait if p is not None]))


def labels(arts: Sequence[LabelledArticle], target: str) -> npt.NDArray[np.float64]:
    """1/0 per article for ``news`` or ``factual``; NaN where unknown."""
    if target == "news":
        return np.asarray([np.nan if a.opinion is None else 1 - a.opinion for a in arts], float)
    return np.asarray([np.nan if a.factual is None else a.factual for a in arts], float)


def feature_rows(
    arts: Sequence[LabelledArticle],
    out: Outputs,
    heads: dict[str, FloatArray],
    clickbait_reference: float,
) -> list[dict[str, float]]:
    """ARTICLE_FEATURES per article, with the serving code's own pooling."""
    titled = out.has_title
    headline_names = {h for h in HEAD_TARGETS if HEAD_TARGETS[h][2] == "title"}
    rows = []
    for i, a in enumerate(arts):
        values = sentence_values(out.sentence_probs[i], out.facts[i])
        page = ArticleFacts(byline=a.byline, dated=a.dated, external_links=1, domain=a.domain)
        article = {n: float(p[i]) for n, p in heads.items() if n not in headline_names}
        headline = {n: float(heads[n][i]) for n in headline_names if titled[i]}
        # Every labelled article has a title; one without would get even odds (0), where
        # serving uses the component's reference.
        rows.append(
            article_features(values, article, out.clickbait[i], page, clickbait_reference, headline)
        )
    return rows


# --- Fitting ----------------------------------------------------------------------------------


def fit_head(X: Any, y: FloatArray) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=ARTICLE_HEAD_C, max_iter=5000, class_weight="balanced", random_state=SEED
    )
    return model.fit(X, y.astype(int))


HEAD_TARGETS = {
    "opinion_style": ("news", True, "mean"),
    "unreliable_style": ("factual", True, "mean"),
    "opinion_headline": ("news", True, "title"),
}
"""Head fitted on article labels → (label, inverted, input): the head predicts the label's 0
class (opinion, weak record) from the mean sentence embedding or the title's embedding."""


def head_input(out: Outputs, name: str) -> Any:
    """The rows a head reads: the mean sentence embeddings or the title embeddings."""
    return out.title_embedding if HEAD_TARGETS[name][2] == "title" else out.mean_embedding


def head_rows(out: Outputs, name: str) -> npt.NDArray[np.bool_]:
    """The articles a head can learn from: all, or those with a title for a headline head."""
    return out.has_title if HEAD_TARGETS[name][2] == "title" else np.ones(len(out.clickbait), bool)


def fit_heads(
    arts: Sequence[LabelledArticle], out: Outputs, idx: npt.NDArray[np.int64]
) -> dict[str, Any]:
    """The heads of HEAD_TARGETS, fitted on the articles ``idx`` (a headline head on those
    with a title)."""
    fitted = {}
    for name, (target, inverted, _) in HEAD_TARGETS.items():
        y = labels(arts, target)[idx]
        keep = ~np.isnan(y) & head_rows(out, name)[idx]
        yy = (1 - y[keep]) if inverted else y[keep]
        fitted[name] = fit_head(head_input(out, name)[idx[keep]], yy)
    return fitted


def _groups(arts: Sequence[LabelledArticle], seed: int = SEED) -> npt.NDArray[np.int64]:
    """A fold per outlet: groups assigned to FOLDS folds by a seeded shuffle of outlets (the
    figures are on ``SEED``'s folds; other seeds show how much they depend on the draw)."""
    names = sorted({a.group for a in arts})
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(names))
    fold_of = {names[j]: int(k % FOLDS) for k, j in enumerate(order)}
    return np.asarray([fold_of[a.group] for a in arts])


def oof_heads(
    arts: Sequence[LabelledArticle],
    out: Outputs,
    idx: npt.NDArray[np.int64],
    seed: int = SEED,
) -> dict[str, FloatArray]:
    """Article-head probabilities of the articles ``idx``, each from heads fitted on the other
    outlets among ``idx`` (full-length arrays; other positions are NaN)."""
    folds = _groups(arts, seed)
    probs = {name: np.full(len(arts), np.nan) for name in HEAD_TARGETS}
    for k in range(FOLDS):
        train = idx[folds[idx] != k]
        test = idx[folds[idx] == k]
        if len(test) == 0:
            continue
        heads = fit_heads(arts, out, train)
        for name, head in heads.items():
            probs[name][test] = head.predict_proba(head_input(out, name)[test])[:, 1]
    return probs


def fit_monotone(
    rows: Sequence[dict[str, float]], y: FloatArray, designs: Sequence[Design]
) -> tuple[float, dict[str, float], list[str]]:
    """Class-balanced logistic regression with each weight's sign fixed by ``designs``:
    (intercept, weights per feature, features dropped for a wrong sign)."""
    from sklearn.linear_model import LogisticRegression

    active = list(designs)
    dropped: list[str] = []
    while True:
        if not active:
            # Every component's sign disagreed (text-alone accuracy can, on some outlet folds):
            # nothing carries the label, so the balanced score is even odds, 5.
            return 0.0, {}, dropped
        X = np.asarray([[r[d.feature] for d in active] for r in rows], dtype=np.float64)
        mean, std = X.mean(0), X.std(0)
        std[std == 0] = 1.0
        model = LogisticRegression(
            C=SCORE_C, max_iter=5000, class_weight="balanced", random_state=SEED
        )
        model.fit((X - mean) / std, y.astype(int))
        w = model.coef_[0] / std
        b = float(model.intercept_[0] - (model.coef_[0] * mean / std).sum())
        wrong = [k for k, d in enumerate(active) if w[k] * d.sign < 0]
        if not wrong:
            return b, {d.feature: float(w[k]) for k, d in enumerate(active)}, dropped
        # Drop the most wrongly signed (in standardised units) and refit.
        worst = max(wrong, key=lambda k: abs(model.coef_[0][k]))
        dropped.append(active[worst].feature)
        del active[worst]


def fit_scores(
    arts: Sequence[LabelledArticle],
    rows: Sequence[dict[str, float]],
    idx: npt.NDArray[np.int64],
    thresholds: dict[str, float],
) -> tuple[ScoreModels, dict[str, list[str]]]:
    """The three score models fitted on the articles ``idx`` (their ``rows`` must carry
    out-of-fold article-head probabilities)."""
    models: dict[str, ScoreModel] = {}
    dropped: dict[str, list[str]] = {}
    for name, designs in DESIGNS.items():
        target_text, target = TARGETS[name]
        y = labels(arts, target)[idx]
        keep = idx[~np.isnan(y)]
        fit_rows = [rows[i] for i in keep]
        b, w, dropped[name] = fit_monotone(fit_rows, labels(arts, target)[keep], designs)
        components = [
            Component(
                name=d.feature,
                feature=d.feature,
                weight=round(w[d.feature], 6),
                reference=round(float(np.mean([r[d.feature] for r in fit_rows])), 6),
                label=d.label,
                lowers=d.lowers,
                raises=d.raises,
            )
            for d in designs
            if d.feature in w
        ]
        if name == "transparency":
            components.append(
                Component(
                    name="links",
                    feature="links",
                    weight=LINKS_WEIGHT,
                    reference=round(LINKS_REFERENCE, 6),
                    label="links",
                    lowers="no links to other sources",
                    raises="links to other sources",
                    fitted=False,
                )
            )
            b -= LINKS_WEIGHT * LINKS_REFERENCE  # the design weight leaves the fit unchanged
        z_ref = b + sum(c.weight * c.reference for c in components)
        models[name] = ScoreModel(
            target=target_text,
            intercept=round(b, 6),
            components=components,
            reference_score=round(10 / (1 + math.exp(-z_ref)), 4),
        )
    return (
        ScoreModels(
            objectivity=models["objectivity"],
            accuracy=models["accuracy"],
            transparency=models["transparency"],
            outlet_record_share=OUTLET_RECORD_SHARE,
            outlet_record_values=OUTLET_RECORD_VALUES,
            sentence_thresholds=thresholds,
            evidence_precision=EVIDENCE_PRECISION,
            pooling=(
                "The first limits.max_sentences sentences of the text (serving splitter) are "
                "scored one per graph run, the title apart. Sentence features are means over "
                "those sentences: opinion, propaganda and persuasion probabilities of the "
                "writer's own sentences (a sentence with a direct quote or attribution "
                "probability >= 0.5 is reported speech and counts 0 in those), "
                "attribution probability, and shares of sentences with a direct quote, a named "
                "source, a specific detail, first person outside quotes; commentary_note is 1 if "
                "any of those sentences is an opinion disclaimer or the writer's contributor "
                "line, else 0. Article heads "
                "(level 'article') are the sigmoid p of the mean of the sentences' logits; "
                "headline heads (level 'headline': clickbait, opinion_headline) the sigmoid of "
                "the title's logit. The *_logit features are ln(p / (1 - p)) with p clipped to "
                f"[{LOGIT_CLIP:g}, 1 - {LOGIT_CLIP:g}]; without a title, clickbait and "
                "opinion_headline_logit take their component's reference. See "
                "credlens.model.features.ARTICLE_FEATURES for every feature."
            ),
        ),
        dropped,
    )


# --- Scoring articles with fitted models (evaluation) ------------------------------------------


def score_rows(
    models: ScoreModels, rows: Sequence[dict[str, float]], records: Sequence[str | None] = ()
) -> dict[str, FloatArray]:
    """Scores per article; ``records`` (one per row) adds accuracy with the outlet record."""
    out = {
        name: np.asarray([evaluate_score(getattr(models, name), r).score for r in rows])
        for name in DESIGNS
    }
    if records:
        share = models.outlet_record_share
        values = [models.outlet_record_values.get(r, math.nan) if r else math.nan for r in records]
        with_record = (1 - share) * out["accuracy"] + share * 10 * np.asarray(values)
        out["accuracy_with_record"] = np.where(np.isnan(with_record), np.nan, with_record)
    return out


def cross_validated_scores(
    arts: Sequence[LabelledArticle],
    out: Outputs,
    clickbait_reference: float,
    thresholds: dict[str, float],
    records: Sequence[str | None],
    seed: int = SEED,
) -> dict[str, FloatArray]:
    """Every AllSides article scored by models fitted on the other outlets' articles (the
    article heads, the features' out-of-fold heads and the score models all refitted per fold;
    ``seed`` draws the outlet folds)."""
    allsides = np.asarray([i for i, a in enumerate(arts) if a.dataset == "allsides"])
    folds = _groups(arts, seed)
    scores: dict[str, FloatArray] = {}
    for k in range(FOLDS):
        train, test = allsides[folds[allsides] != k], allsides[folds[allsides] == k]
        inner = oof_heads(arts, out, train, seed)
        rows = feature_rows(arts, out, inner_or_zero(inner), clickbait_reference)
        models, _ = fit_scores(arts, rows, train, thresholds)
        heads = fit_heads(arts, out, train)
        test_heads = {
            n: np.zeros(len(arts)) for n in HEAD_TARGETS
        }  # only the test rows are read below
        for name, head in heads.items():
            test_heads[name][test] = head.predict_proba(head_input(out, name)[test])[:, 1]
        test_rows = feature_rows(
            [arts[i] for i in test],
            _subset(out, test),
            {n: p[test] for n, p in test_heads.items()},
            clickbait_reference,
        )
        fold = score_rows(models, test_rows, [records[i] for i in test])
        for name, values in fold.items():
            scores.setdefault(name, np.full(len(arts), np.nan))[test] = values
    return scores


def inner_or_zero(probs: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Out-of-fold head probabilities with NaN (articles outside the fit) as 0: never read."""
    return {n: np.nan_to_num(p, nan=0.0) for n, p in probs.items()}


def _subset(out: Outputs, idx: npt.NDArray[np.int64]) -> Outputs:
    return Outputs(
        [out.sentence_probs[i] for i in idx],
        [out.clickbait[i] for i in idx],
        out.mean_embedding[idx],
        [out.facts[i] for i in idx],
        out.title_embedding[idx],
    )


# --- Evidence thresholds -----------------------------------------------------------------------

#: Sentence labels shown as evidence. Each display threshold is the lowest at which, on the
#: half of the held-out predictions it is chosen on, precision >= EVIDENCE_PRECISION holds at
#: the lower CONFIDENCE quantile of BOOTSTRAP resamples of whole groups (articles, outlets); it
#: is reported on the other half. A fixed margin (0.88 on the choosing half) was used before:
#: it gave opinion 0.826 on the other half with the 3-layer encoder, because BABE's groups
#: are large (64 % opinion in one half, 43 % in the other) and precision follows the base
#: rate; resampling whole groups widens the interval exactly where that happens.
EVIDENCE_LABELS = ("opinion", "propaganda", "persuasion", "attribution")
BOOTSTRAP = 200
CONFIDENCE = 0.05
#: Fewest sentences above a threshold for its precision to count.
MIN_SUPPORT = 30


def _resamples(n_groups: int) -> npt.NDArray[np.int64]:
    """BOOTSTRAP seeded resamples of ``n_groups`` groups: how often each is drawn, per row."""
    rng = np.random.default_rng(SEED)
    return np.stack(
        [
            np.bincount(rng.integers(0, n_groups, n_groups), minlength=n_groups)
            for _ in range(BOOTSTRAP)
        ]
    )


def _precision_bound(
    y: FloatArray, groups: npt.NDArray[np.int64], hit: Any, draws: npt.NDArray[np.int64]
) -> float:
    """The CONFIDENCE quantile of precision over the resampled groups ``draws``."""
    n_groups = draws.shape[1]
    positives = np.bincount(groups[hit], weights=y[hit], minlength=n_groups)
    shown = np.bincount(groups[hit], minlength=n_groups)
    precision = (draws @ positives) / np.maximum(draws @ shown, 1)
    return float(np.quantile(precision, CONFIDENCE))


def sentence_thresholds(
    tasks: dict[str, Any],
    feats: Any,
    c: Callable[[str], float],
    fold_feats: Sequence[Any] | None = None,
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Per evidence label: the lowest probability from which held-out sentences carry the label
    with precision >= EVIDENCE_PRECISION at the bootstrap bound (chosen on half the groups of
    out-of-fold predictions), and the precision, recall and count at it on the other half.
    ``c(label)`` is the head's inverse regularisation; ``fold_feats[k]``, when given, gives
    fold ``k``'s features (a fine-tuned encoder's)."""
    import hashlib

    from credlens_training.data import out_of_fold

    thresholds: dict[str, float] = {}
    report: dict[str, dict[str, float]] = {}
    for label in EVIDENCE_LABELS:
        ex = tasks[label]
        y = np.asarray([e.label for e in ex])
        groups = [e.group for e in ex]
        p = out_of_fold(ex, feats, fold_feats, c(label))
        ev = np.asarray([e.evaluate for e in ex])
        half = np.asarray([hashlib.sha256(g.encode()).digest()[0] % 2 for g in groups])
        choose, check = ev & (half == 0), ev & (half == 1)
        chosen_groups = np.unique(np.asarray(groups)[choose], return_inverse=True)[1]
        draws = _resamples(int(chosen_groups.max()) + 1)
        t = 0.99
        for cand in np.round(np.arange(0.5, 0.995, 0.01), 2):
            hit = p[choose] >= cand
            if hit.sum() >= MIN_SUPPORT and (
                _precision_bound(y[choose], chosen_groups, hit, draws) >= EVIDENCE_PRECISION
            ):
                t = float(cand)
                break
        hit = check & (p >= t)
        thresholds[label] = t
        report[label] = {
            "threshold": t,
            "precision": round(float(y[hit].mean()) if hit.any() else math.nan, 3),
            "recall": round(float((hit & (y == 1)).sum() / max((check & (y == 1)).sum(), 1)), 3),
            "shown": int(hit.sum()),
            "positives": int((check & (y == 1)).sum()),
        }
    return thresholds, report


assert set(ARTICLE_FEATURES) >= {d.feature for ds in DESIGNS.values() for d in ds}
