"""Honest evaluation of each learned signal: the model's heads against a TF-IDF + logistic
regression baseline on the same seeded, grouped folds of the dev data, and, for the article-
level reliability signal, cross-dataset results (train on one dataset, test on the other).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from credlens_training import data as D
from credlens_training.heads import ARTICLE_C, EMBEDDING_C, SEED, TFIDF_C, fit_head

FOLDS = 5
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


def evaluate_sentence_task(name: str, examples: list[D.Example], embed: Embed) -> dict[str, Any]:
    from sklearn.model_selection import StratifiedGroupKFold

    texts = [e.text for e in examples]
    y = np.asarray([e.label for e in examples])
    w = np.asarray([e.weight for e in examples])
    groups = [e.group for e in examples]
    ev = np.asarray([e.evaluate for e in examples])
    X = embed(texts)
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED)
    p_model = np.zeros(len(y))
    p_base = np.zeros(len(y))
    for train, test in splitter.split(texts, y, groups):
        p_model[test] = fit_head(X[train], y[train], w[train], EMBEDDING_C).predict_proba(X[test])[
            :, 1
        ]
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


def _article_matrix(arts: list[D.Article], embed: Embed) -> npt.NDArray[np.float32]:
    flat = [s for a in arts for s in a.sentences]
    E = embed(flat)
    out = np.zeros((len(arts), E.shape[1]), np.float32)
    i = 0
    for k, a in enumerate(arts):
        out[k] = E[i : i + len(a.sentences)].mean(0)
        i += len(a.sentences)
    return out


def _article_tfidf(arts: list[D.Article], vec: Any) -> Any:
    """Mean of per-sentence TF-IDF rows: what the linear text head sees in serving."""
    import scipy.sparse as sp

    rows = [sp.csr_matrix(vec.transform(a.sentences).mean(axis=0)) for a in arts]
    return sp.vstack(rows).tocsr()


def evaluate_reliability(arts: list[D.Article], embed: Embed) -> dict[str, Any]:
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray([a.label for a in arts])
    X = _article_matrix(arts, embed)
    groups = [a.group for a in arts]
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED)
    p_model = np.zeros(len(y))
    p_base = np.zeros(len(y))
    for train, test in splitter.split(X, y, groups):
        p_model[test] = fit_head(X[train], y[train], None, ARTICLE_C).predict_proba(X[test])[:, 1]
        vec = tfidf().fit([s for i in train for s in arts[i].sentences])
        base = fit_head(_article_tfidf([arts[i] for i in train], vec), y[train], None, TFIDF_C)
        p_base[test] = base.predict_proba(_article_tfidf([arts[i] for i in test], vec))[:, 1]
    out: dict[str, Any] = {
        "level": "article",
        "model": _metrics(y, p_model),
        "baseline": _metrics(y, p_base),
        "cross_dataset": {},
    }
    ds = np.asarray([a.dataset for a in arts])
    for src, dst in (("fakenewsnet", "horne2017"), ("horne2017", "fakenewsnet")):
        tr = np.flatnonzero(ds == src)
        te = np.flatnonzero(ds == dst)
        m = fit_head(X[tr], y[tr], None, ARTICLE_C)
        vec = tfidf().fit([s for i in tr for s in arts[i].sentences])
        base = fit_head(_article_tfidf([arts[i] for i in tr], vec), y[tr], None, TFIDF_C)
        out["cross_dataset"][f"{src}->{dst}"] = {
            "model": _metrics(y[te], m.predict_proba(X[te])[:, 1]),
            "baseline": _metrics(
                y[te], base.predict_proba(_article_tfidf([arts[i] for i in te], vec))[:, 1]
            ),
        }
    return out


def evaluate_all(
    tasks: dict[str, list[D.Example]],
    arts: list[D.Article],
    embed: Embed,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "protocol": (
            f"{FOLDS}-fold stratified CV grouped by article/outlet where known, seed {SEED}, on "
            "the dev split of each dataset (the distributed 80%); the baseline is TF-IDF word "
            "1-2-grams + logistic regression (C=1, balanced) trained on the same folds and "
            "rows. Pang & Lee rows only ever train."
        ),
        "signals": {},
    }
    for name, examples in tasks.items():
        progress(name)
        out["signals"][name] = evaluate_sentence_task(name, examples, embed)
    progress("unreliable_style")
    out["signals"]["unreliable_style"] = evaluate_reliability(arts, embed)
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
