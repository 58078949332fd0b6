"""Honest evaluation: each sentence signal against a TF-IDF + logistic regression baseline on
the same seeded, grouped folds of the dev data; the article heads against TF-IDF on outlets
never seen; the three scores on outlets never seen (AllSides) and on annotated genres
(SemEval), with their reliability (predicted score vs observed share) per score.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from credlens_training import data as D
from credlens_training import scores as S
from credlens_training.articles import LabelledArticle
from credlens_training.heads import SEED, TFIDF_C, embedding_c, fit_head

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]


def tfidf() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50000)


def _metrics(y: npt.NDArray[np.int64], p: npt.NDArray[np.float64]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    pred = (p >= 0.5).astype(int)
    return {
        "accuracy": round(float(accuracy_score(y, pred)), 3),
        "macro_f1": round(float(f1_score(y, pred, average="macro")), 3),
        "auc": round(float(roc_auc_score(y, p)), 3),
        "n": len(y),
    }


def evaluate_sentence_task(
    name: str,
    examples: list[D.Example],
    embed: Embed,
    fold_embed: Sequence[Embed] | None = None,
) -> dict[str, Any]:
    """The heads against TF-IDF on the task's CV folds. ``fold_embed[k]``, when given, embeds
    fold ``k`` (an encoder fine-tuned on that fold's training rows only)."""
    texts = [e.text for e in examples]
    y = np.asarray([e.label for e in examples])
    w = np.asarray([e.weight for e in examples])
    ev = np.asarray([e.evaluate for e in examples])
    p_model = D.out_of_fold(examples, embed, fold_embed, embedding_c(name))
    p_base = np.zeros(len(y))
    for train, test in D.folds(examples):
        train = D.head_rows(examples, train)
        vec = tfidf()
        Xt = vec.fit_transform([texts[i] for i in train])
        base = fit_head(Xt, y[train], w[train], TFIDF_C)
        p_base[test] = base.predict_proba(vec.transform([texts[i] for i in test]))[:, 1]
    out: dict[str, Any] = {
        "level": {"persuasion": "paragraph", "clickbait": "headline"}.get(name, "sentence"),
        "model": _metrics(y[ev], p_model[ev]),
        "baseline": _metrics(y[ev], p_base[ev]),
    }
    datasets = sorted({e.dataset for e in examples if e.evaluate})
    if len(datasets) > 1:
        ds = np.asarray([e.dataset for e in examples])
        out["by_dataset"] = {
            d: {
                "model": _metrics(y[ds == d], p_model[ds == d]),
                "baseline": _metrics(y[ds == d], p_base[ds == d]),
            }
            for d in datasets
        }
    return out


def evaluate_all(
    tasks: dict[str, list[D.Example]],
    embed: Embed,
    progress: Callable[[str], None] = lambda _: None,
    fold_embed: Sequence[Embed] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "protocol": (
            f"{D.FOLDS}-fold stratified CV grouped by article/outlet where known, seed {SEED}, on "
            "the dev split of each dataset (the distributed 80%); the baseline is TF-IDF word "
            "1-2-grams + logistic regression (C=1, balanced) trained on the same folds and "
            "rows. Pang & Lee rows only fine-tune the encoder: no head learns from them."
            + (
                " The encoder's top layer is fine-tuned inside each fold on that fold's "
                "training rows of every task (float32), so no head is scored on rows its "
                "encoder learned from."
                if fold_embed is not None
                else ""
            )
        ),
        "signals": {},
    }
    for name, examples in tasks.items():
        progress(name)
        out["signals"][name] = evaluate_sentence_task(name, examples, embed, fold_embed)
    return out


def format_table(result: dict[str, Any]) -> list[list[str]]:
    """Rows: signal, level, data, model acc/F1/AUC, baseline acc/F1/AUC."""
    rows: list[list[str]] = []

    def row(signal: str, level: str, data: str, r: dict[str, Any]) -> None:
        m, b = r["model"], r["baseline"]
        rows.append(
            [signal, level, data, str(m["n"])]
            + [f"{m[k]:.3f}" for k in ("accuracy", "macro_f1", "auc")]
            + [f"{b[k]:.3f}" for k in ("accuracy", "macro_f1", "auc")]
        )

    for name, r in result["signals"].items():
        row(name, r["level"], "all (CV)", r)
        for d, rr in r.get("by_dataset", {}).items():
            row("", "", f"  {d}", rr)
        for d, rr in r.get("cross_dataset", {}).items():
            row("", "", f"  {d}", rr)
    return rows


TABLE_HEADER = [
    "signal",
    "level",
    "data",
    "n",
    "acc",
    "F1",
    "AUC",
    "base acc",
    "base F1",
    "base AUC",
]


#: Weak genre labels for the real-pages check of `credlens model eval`: a URL (or an
#: "Opinion" title) that marks the page as opinion, review or blog. Only reported.
OPINION_URL = re.compile(r"/opinion|commentisfree|editorial|/review|-review|/blog|column", re.I)


def pages_check(scorer: Any, pages: Path) -> dict[str, Any]:
    """How well objectivity and the average separate the tuning pages marked as opinion,
    review or blog by their URL from the others (English pages the scorer accepts)."""
    import gzip

    from sklearn.metrics import roc_auc_score

    from credlens.extract import extract

    truth = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))
    labels: list[int] = []
    objectivity: list[float] = []
    average: list[float] = []
    for pid in sorted(truth):
        url = str(truth[pid]["url"])
        article = extract(gzip.decompress((pages / "html" / f"{pid}.html.gz").read_bytes()), url)
        result = scorer.score(article, url)
        if result.scores is None:
            continue
        opinion = OPINION_URL.search(url) or (article.title or "").lower().startswith("opinion")
        labels.append(int(not opinion))
        objectivity.append(result.scores.objectivity)
        average.append(result.scores.average)
    return {
        "what": (
            "AUC with which objectivity / the average rank news pages above pages whose URL "
            "marks them as opinion, review or blog, on the English pages of the Scrapinghub "
            "tuning set (weak labels, not used for training)"
        ),
        "pages": len(labels),
        "opinion_pages": labels.count(0),
        "auc_objectivity": round(float(roc_auc_score(labels, objectivity)), 3),
        "auc_average": round(float(roc_auc_score(labels, average)), 3),
    }


# --- Articles -------------------------------------------------------------------------------

#: Reliability diagram bins over the 0-10 scale.
BINS = 10


def _auc(y: npt.NDArray[np.float64], p: npt.NDArray[np.float64]) -> float:
    from sklearn.metrics import roc_auc_score

    keep = ~np.isnan(y) & ~np.isnan(p)
    if len(set(y[keep])) < 2:
        return float("nan")
    return round(float(roc_auc_score(y[keep], p[keep])), 3)


def _median(x: npt.NDArray[np.float64]) -> float:
    x = x[~np.isnan(x)]
    return round(float(np.median(x)), 2) if len(x) else float("nan")


def _reliability(y: npt.NDArray[np.float64], score: npt.NDArray[np.float64]) -> list[list[float]]:
    """[bin centre, mean predicted probability, observed share, n] per bin of the 0-10 score.
    The observed share weighs the two classes equally, as the scores were fitted (so a score
    of 7 should mean 70 % on a balanced set, whatever the data's class mix)."""
    keep = ~np.isnan(y) & ~np.isnan(score)
    y, score = y[keep], score[keep]
    positives, negatives = max(int((y == 1).sum()), 1), max(int((y == 0).sum()), 1)
    out = []
    for k in range(BINS):
        lo, hi = 10 * k / BINS, 10 * (k + 1) / BINS
        inside = (score >= lo) & ((score < hi) if k < BINS - 1 else (score <= hi))
        if inside.sum():
            pos = (inside & (y == 1)).sum() / positives
            neg = (inside & (y == 0)).sum() / negatives
            out.append(
                [
                    round((lo + hi) / 2, 2),
                    round(float(score[inside].mean() / 10), 3),
                    round(float(pos / (pos + neg)), 3),
                    int(inside.sum()),
                ]
            )
    return out


def article_classes(arts: Sequence[LabelledArticle]) -> dict[str, npt.NDArray[np.bool_]]:
    """Named article classes for the per-class medians."""
    allsides = np.asarray([a.dataset == "allsides" for a in arts])
    good = np.asarray([a.mbfc in ("high", "very high") for a in arts])
    weak = np.asarray([a.factual == 0 for a in arts])
    news = np.asarray([a.opinion == 0 for a in arts])
    opinion = np.asarray([a.opinion == 1 for a in arts])
    passes = np.asarray([a.news_opinion_fail is False for a in arts])
    fails = np.asarray([a.news_opinion_fail is True for a in arts])
    return {
        "allsides news, outlet passes NewsGuard's news/opinion criterion": allsides & news & passes,
        "allsides news, outlet fails it": allsides & news & fails,
        "allsides news, outlet high/very high": allsides & news & good,
        "allsides news, outlet mixed or lower": allsides & news & weak,
        "allsides opinion sections / guest writers": allsides & opinion,
        "allsides, outlet high/very high": allsides & good,
        "allsides, outlet mixed or lower": allsides & weak,
        "genre: reporting": np.asarray([a.dataset == "genre:reporting" for a in arts]),
        "genre: opinion": np.asarray([a.dataset == "genre:opinion" for a in arts]),
        "genre: satire": np.asarray([a.dataset == "genre:satire" for a in arts]),
    }


def summarize_scores(
    arts: Sequence[LabelledArticle], scores: dict[str, npt.NDArray[np.float64]]
) -> dict[str, Any]:
    """AUCs, per-class medians and reliability bins of article scores."""
    news = S.labels(arts, "news")
    factual = S.labels(arts, "factual")
    allsides = np.asarray([a.dataset == "allsides" for a in arts])
    genre = np.asarray([a.dataset.startswith("genre") for a in arts])
    on = {k: np.where(allsides, v, np.nan) for k, v in scores.items()}
    on_genre = {k: np.where(genre, v, np.nan) for k, v in scores.items()}
    result: dict[str, Any] = {
        "auc": {
            "objectivity: news vs opinion sections (AllSides)": _auc(news, on["objectivity"]),
            "objectivity: reporting vs opinion (SemEval genre)": _auc(
                news, on_genre["objectivity"]
            ),
            "accuracy, text alone: MBFC high/very high vs mixed/lower": _auc(
                factual, on["accuracy"]
            ),
            "transparency: news vs opinion sections (AllSides)": _auc(news, on["transparency"]),
        },
        "medians": {},
        "reliability": {
            "objectivity": _reliability(np.where(allsides, news, np.nan), scores["objectivity"]),
            "accuracy": _reliability(np.where(allsides, factual, np.nan), scores["accuracy"]),
            "transparency": _reliability(np.where(allsides, news, np.nan), scores["transparency"]),
        },
    }
    if "accuracy_with_record" in scores:
        result["auc"]["accuracy with the outlet record: MBFC high/very high vs mixed/lower"] = _auc(
            factual, on["accuracy_with_record"]
        )
    for name, mask in article_classes(arts).items():
        result["medians"][name] = {
            "n": int(mask.sum()),
            **{k: _median(np.where(mask, v, np.nan)) for k, v in scores.items()},
        }
    return result


def outlet_references(arts: Sequence[LabelledArticle]) -> dict[str, float]:
    """How well other ratings of the OUTLET, no text read, tell the MBFC label apart on the same
    articles: a reference for the text-alone accuracy AUC (what an outlet's reputation with
    another rater carries; a text model sees less than that)."""
    factual = S.labels(arts, "factual")
    allsides = np.asarray([a.dataset == "allsides" for a in arts])
    y = np.where(allsides, factual, np.nan)
    trust = np.asarray([np.nan if a.newsguard_score is None else a.newsguard_score for a in arts])
    centre = np.asarray([np.nan if a.partisan is None else 1.0 - a.partisan for a in arts])
    return {
        "NewsGuard's trust score of the outlet (0-100)": _auc(y, trust),
        "AllSides rates the outlet center, not left or right": _auc(y, centre),
    }


def outlet_records(arts: Sequence[LabelledArticle], sources: dict[str, str]) -> list[str | None]:
    """Each article's outlet record in ``sources`` (as serving finds it), None where unlisted."""
    from credlens.model.features import outlet_record

    return [(outlet_record(a.domain, sources) or (None, None))[1] for a in arts]


def fold_spread(
    arts: Sequence[LabelledArticle],
    out: S.Outputs,
    models: Any,
    sources: dict[str, str],
    seeds: Sequence[int],
) -> dict[int, dict[str, float]]:
    """The AllSides AUCs again with the outlets drawn into folds by other seeds: how much the
    reported figures (``SEED``'s folds) owe to one draw of which outlets are held out together."""
    records = outlet_records(arts, sources)
    spread = {}
    for seed in seeds:
        cv = S.cross_validated_scores(
            arts, out, out.clickbait_reference, models.sentence_thresholds, records, seed
        )
        # Only AllSides is refitted per fold: the genre set's AUC is not computed (NaN).
        auc = summarize_scores(arts, cv)["auc"]
        spread[seed] = {k: v for k, v in auc.items() if not math.isnan(v)}
    return spread


def head_vs_tfidf(arts: Sequence[LabelledArticle], out: S.Outputs) -> dict[str, Any]:
    """Each head fitted on article labels against TF-IDF + LR on the same input (the article
    text, or the title for a headline head), same outlet-grouped folds."""
    folds = S._groups(arts)
    allsides = np.asarray([a.dataset == "allsides" for a in arts])
    bodies = [" ".join(a.sentences) for a in arts]
    titles = [a.title for a in arts]
    result: dict[str, Any] = {}
    for name, (target, inverted, source) in S.HEAD_TARGETS.items():
        y = S.labels(arts, target)
        y = (1 - y) if inverted else y
        texts, x = (titles if source == "title" else bodies), S.head_input(out, name)
        idx = np.flatnonzero(allsides & ~np.isnan(y) & S.head_rows(out, name))
        p_model, p_base = np.full(len(arts), np.nan), np.full(len(arts), np.nan)
        for k in range(S.FOLDS):
            train, test = idx[folds[idx] != k], idx[folds[idx] == k]
            head = S.fit_head(x[train], y[train])
            p_model[test] = head.predict_proba(x[test])[:, 1]
            vec = tfidf()
            base = fit_head(
                vec.fit_transform([texts[i] for i in train]), y[train].astype(int), None, TFIDF_C
            )
            p_base[test] = base.predict_proba(vec.transform([texts[i] for i in test]))[:, 1]
        yy = y[idx].astype(int)
        result[name] = {
            "level": "headline" if source == "title" else "article",
            "data": "allsides_baly2020, 5 folds by outlet",
            "model": _metrics(yy, p_model[idx]),
            "baseline": _metrics(yy, p_base[idx]),
        }
    return result


def evaluate_articles(
    arts: Sequence[LabelledArticle],
    out: S.Outputs,
    models: Any,
    sources: dict[str, str],
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """The three scores on outlets never seen (AllSides, refitted per fold) and on the genre set
    (the final models, which never saw it), and the article heads against TF-IDF."""
    records = outlet_records(arts, sources)
    reference = out.clickbait_reference
    progress("  articles: scores refitted in 5 outlet-grouped folds")
    cv = S.cross_validated_scores(arts, out, reference, models.sentence_thresholds, records)
    genre = np.asarray([i for i, a in enumerate(arts) if a.dataset.startswith("genre")])
    allsides = np.asarray([i for i, a in enumerate(arts) if a.dataset == "allsides"])
    heads = S.fit_heads(arts, out, allsides)
    sub = S._subset(out, genre)
    rows = S.feature_rows(
        [arts[i] for i in genre],
        sub,
        {n: h.predict_proba(S.head_input(sub, n))[:, 1] for n, h in heads.items()},
        reference,
    )
    for name, values in S.score_rows(models, rows).items():
        cv[name][genre] = values
    progress("  articles: heads vs TF-IDF")
    return {
        "protocol": (
            "AllSides: five folds by outlet (no outlet on both sides); in each, the article "
            "heads, their out-of-fold features and the three score models are fitted on four "
            "folds and score the fifth. SemEval genre: never trained on, scored by the final "
            "models. 'with the outlet record' blends in the bundle's sources.json record of the "
            "article's domain, as serving does."
        ),
        **summarize_scores(arts, cv),
        "heads": head_vs_tfidf(arts, out),
        "outlet_references": outlet_references(arts),
    }


# --- `credlens model eval --articles` ---------------------------------------------------------


def bundle_outputs(
    scorer: Any, arts: Sequence[LabelledArticle], cache: Path
) -> tuple[S.Outputs, dict[str, int], npt.NDArray[np.float32], npt.NDArray[np.float64]]:
    """Run every article sentence and title through the bundle's graph (cached by bundle and
    texts): the Outputs, the text index, the embeddings and the logits of every text."""
    import hashlib

    from tqdm import tqdm

    from credlens.model.features import sentence_facts

    texts = sorted({s for a in arts for s in a.sentences} | {a.title for a in arts if a.title})
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    # Keyed by the graph file, not the manifest: a rebuilt card or manifest keeps the cache.
    graph = next(f.sha256 for f in scorer.manifest.files if f.path == scorer.manifest.graph.file)
    path = cache / f"articles-{graph[:12]}-{digest}.npz"
    if path.exists():
        data = np.load(path)
        emb, logits = data["embeddings"], data["logits"]
    else:
        parts_e, parts_l = [], []
        for i in tqdm(range(0, len(texts), 256), desc="article texts", unit="x256"):
            lg, em = scorer.run(texts[i : i + 256])
            parts_l.append(lg)
            parts_e.append(em)
        emb, logits = np.vstack(parts_e), np.vstack(parts_l)
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, embeddings=emb, logits=logits)
    index = {t: i for i, t in enumerate(texts)}
    columns = {s.name: s.column for s in scorer.manifest.signals}
    levels = {s.name: s.level for s in scorer.manifest.signals}
    probs, clickbait = [], []
    for a in arts:
        rows = [index[s] for s in a.sentences]
        p = 1 / (1 + np.exp(-logits[rows]))
        probs.append({n: p[:, c] for n, c in columns.items() if levels[n] == "sentence"})
        clickbait.append(
            float(1 / (1 + np.exp(-logits[index[a.title], columns["clickbait"]])))
            if a.title
            else None
        )
    mean = np.stack([emb[[index[s] for s in a.sentences]].mean(0) for a in arts])
    title = np.stack([emb[index[a.title]] if a.title else np.zeros(emb.shape[1]) for a in arts])
    facts = [[sentence_facts(s) for s in a.sentences] for a in arts]
    return S.Outputs(probs, clickbait, mean, facts, title), index, emb, logits


def legacy_scores(
    root: Path,
    arts: Sequence[LabelledArticle],
    out: S.Outputs,
    index: dict[str, int],
    emb: npt.NDArray[np.float32],
    check: Callable[[list[str]], npt.NDArray[np.float32]],
) -> tuple[str, dict[str, npt.NDArray[np.float64]]]:
    """Scores of a format-1 bundle at ``root`` on ``arts``. Its heads are linear on its own
    encoder's embeddings: ``check`` gives the format-1 graph's embeddings of texts. When a few
    probes match ``emb`` (the same encoder) those are reused; otherwise (2.1.0 keeps 3 layers,
    1.0.0 had 4) every text is embedded again through the baseline's graph."""
    from credlens_training.legacy import Legacy, head_weights

    old = Legacy(root)
    probe = sorted(index)[:8]
    diff = float(np.abs(check(probe) - emb[[index[t] for t in probe]]).max())
    if diff > 1e-4:
        emb = check(sorted(index, key=index.__getitem__))
    w, b = head_weights(root)
    result: dict[str, list[float]] = {}
    for k, a in enumerate(arts):
        rows = [index[s] for s in a.sentences]
        logits = emb[rows].astype(np.float64) @ w + b
        title = emb[index[a.title]].astype(np.float64) @ w + b if a.title else None
        scored = old.scores(
            logits, title, out.facts[k], byline=a.byline, dated=a.dated, links=1, domain=a.domain
        )
        for name, v in scored.items():
            result.setdefault(name, []).append(v)
    return old.name, {k: np.asarray(v, dtype=np.float64) for k, v in result.items()}
