"""Load the labelled datasets in ../shared/data/labels into one binary task per signal.

Each task is a list of ``Example`` rows: the text the model sees, a 0/1 label, the dataset it
came from, a group id (an article or an outlet, so that folds never split one) and a training
weight. Sentence texts are cut with the serving splitter, so training sees what serving sees.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from credlens.text import split_sentences
from credlens_training.heads import SEED, fit_head

DEFAULT_LABELS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "labels"

#: Pang & Lee's movie-review subjectivity is a proxy (not news, labelled by source): it helps
#: fine-tune the encoder, at a lower weight, and nothing else (``Example.evaluate``).
PANG_LEE_WEIGHT = 0.3
#: Sentences per article used for article-level signals: the same cap as serving.
ARTICLE_SENTENCES = 80


@dataclass(frozen=True)
class Example:
    text: str
    label: int
    dataset: str
    group: str
    weight: float = 1.0
    #: False for a proxy set (Pang & Lee): it only fine-tunes the encoder; no head learns
    #: from it and no figure scores it. On the fine-tuned layer, opinion's head fitted with
    #: those rows scored 0.780 macro-F1 in 5-fold CV, without them 0.792 (C = 1).
    evaluate: bool = True


@dataclass(frozen=True)
class Article:
    """An article for the article-level signal: its sentences and a 0/1 label (1 = unreliable)."""

    sentences: list[str]
    title: str
    label: int
    dataset: str
    group: str


def _rows(root: Path, name: str) -> Iterator[dict[str, object]]:
    with (root / name / "dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def opinion(root: Path) -> list[Example]:
    """Sentence expresses the writer's opinion (subjective) vs factual reporting."""
    out = [
        Example(str(r["text"]), int(r["label"] == "SUBJ"), "checkthat2025", str(r["id"]))
        for r in _rows(root, "subjectivity_checkthat2025_en")
    ]
    babe = {
        "entirely_factual": 0,
        "somewhat_factual_but_opinionated": 1,
        "expresses_writers_opinion": 1,
    }
    for r in _rows(root, "babe_sg2"):
        lab = babe.get(str(r["label_opinion"]))
        if lab is not None:
            # Outlet is strongly correlated with the label: folds are grouped by outlet.
            out.append(Example(str(r["text"]), lab, "babe", f"babe:{r['outlet']}"))
    out.extend(
        Example(str(r["text"]), int(r["label"] == "subjective"), "multidimnews", str(r["id"]))
        for r in _rows(root, "multidimnews_sentences")
    )
    out.extend(
        Example(
            str(r["text"]),
            int(r["label"] == "subjective"),
            "pang_lee2004",
            str(r["id"]),
            PANG_LEE_WEIGHT,
            evaluate=False,
        )
        for r in _rows(root, "subj_pang_lee2004")
    )
    return out


def propaganda(root: Path) -> list[Example]:
    """Sentence holds at least one propaganda technique span (PTC), grouped by article."""
    return [
        Example(
            str(r["text"]), int(r["label"] == "propaganda"), "ptc2020", f"ptc:{r['article_id']}"
        )
        for r in _rows(root, "propaganda_ptc_semeval2020")
    ]


def persuasion(root: Path) -> list[Example]:
    """Paragraph uses at least one persuasion technique (SemEval-2023 Task 3, English)."""
    return [
        Example(str(r["text"]), int(r["label"] == "persuasion"), "semeval2023t3", str(r["id"]))
        for r in _rows(root, "persuasion_semeval2023t3_en")
    ]


def clickbait(root: Path) -> list[Example]:
    return [
        Example(str(r["text"]), int(r["label"] == "clickbait"), "chakraborty2016", str(r["id"]))
        for r in _rows(root, "clickbait_chakraborty2016")
    ]


def attribution(root: Path) -> list[Example]:
    """Sentence attributes a statement to a source: it holds both a source and a cue span.

    PolNeAR gives character spans per article; the article is cut with the serving splitter
    and each sentence labelled by overlap. Folds are grouped by article.
    """
    out: list[Example] = []
    for r in _rows(root, "polnear_attribution"):
        text = str(r["text"])
        attrs = r["attributions"]
        if isinstance(attrs, str):
            attrs = ast.literal_eval(attrs)
        assert isinstance(attrs, list)
        spans: list[tuple[int, int, int, int]] = []
        for a in attrs:
            src = a.get("source") or []
            cue = a.get("cue") or []
            if src and cue:
                spans.append((src[0]["start"], src[-1]["end"], cue[0]["start"], cue[-1]["end"]))
        for start, end, sentence in _sentences_with_offsets(text):
            label = any(
                start <= cs < end and (start <= ss < end or start < se <= end)
                for ss, se, cs, _ce in spans
            )
            out.append(Example(sentence, int(label), "polnear", f"polnear:{r['id']}"))
    return out


def _sentences_with_offsets(text: str) -> Iterator[tuple[int, int, str]]:
    """Serving sentences with their character offsets in ``text`` (whitespace may differ)."""
    cursor = 0
    for sent in split_sentences(text):
        head = sent[: min(len(sent), 20)]
        idx = text.find(head, cursor)
        if idx < 0:
            idx = cursor
        end = idx + len(sent)
        yield idx, end, sent
        cursor = max(cursor, idx + 1)


def articles(root: Path) -> list[Article]:
    """Reliable (0) vs unreliable (1) articles: FakeNewsNet v1 and Horne 2017 (satire left out:
    it is not trying to pass as news). Groups are outlets where known."""
    out: list[Article] = []
    for r in _rows(root, "fakenewsnet_v1_articles"):
        sents = split_sentences(str(r["text"]))[:ARTICLE_SENTENCES]
        if sents:
            out.append(
                Article(
                    sents,
                    str(r["title"]),
                    int(r["label"] == "fake"),
                    "fakenewsnet",
                    str(r["source"] or r["id"]),
                )
            )
    for r in _rows(root, "horne2017_political_news"):
        if r["label"] == "satire":
            continue
        sents = split_sentences(str(r["text"]))[:ARTICLE_SENTENCES]
        if sents:
            out.append(
                Article(
                    sents, str(r["title"]), int(r["label"] == "fake"), "horne2017", str(r["id"])
                )
            )
    return out


def mbfc(root: Path) -> dict[str, str]:
    """Domain → coarse factual-reporting record (high | mixed | low) from MBFC ratings."""
    out: dict[str, str] = {}
    for r in _rows(root, "source_reliability_mbfc"):
        label = r.get("label")
        if label in ("high", "mixed", "low"):
            out[str(r["domain"]).lower().removeprefix("www.")] = str(label)
    return dict(sorted(out.items()))


#: Cross-validation folds of every sentence task (evaluation, evidence thresholds, fine-tuning).
FOLDS = 5
Fold = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def folds(examples: Sequence[Example]) -> list[Fold]:
    """A task's (train, test) indices per fold: stratified by label, grouped by article or
    outlet (never one group on both sides), seeded."""
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray([e.label for e in examples])
    groups = [e.group for e in examples]
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(y)), y, groups))


def fold_features(
    texts: Sequence[str],
    embed: Callable[[Sequence[str]], npt.NDArray[np.float32]],
    fold_embed: Sequence[Callable[[Sequence[str]], npt.NDArray[np.float32]]] | None,
) -> list[npt.NDArray[np.float32]]:
    """Per fold, the features of ``texts``: ``embed``'s, computed once, or each fold's own
    (``fold_embed[k]``: an encoder fine-tuned on fold ``k``'s training rows only)."""
    if fold_embed is None:
        return [embed(texts)] * FOLDS
    return [fold(texts) for fold in fold_embed]


def out_of_fold(
    examples: Sequence[Example],
    embed: Callable[[Sequence[str]], npt.NDArray[np.float32]],
    fold_embed: Sequence[Callable[[Sequence[str]], npt.NDArray[np.float32]]] | None,
    c: float,
) -> npt.NDArray[np.float64]:
    """Each example's probability from a head (``fit_head``, inverse regularisation ``c``)
    fitted on the other folds' ``head_rows``, on ``fold_features``: what evaluation and the
    evidence thresholds score."""
    y = np.asarray([e.label for e in examples])
    w = np.asarray([e.weight for e in examples])
    features = fold_features([e.text for e in examples], embed, fold_embed)
    p = np.zeros(len(y))
    for X, (train, test) in zip(features, folds(examples), strict=True):
        train = head_rows(examples, train)
        p[test] = fit_head(X[train], y[train], w[train], c).predict_proba(X[test])[:, 1]
    return p


def head_rows(
    examples: Sequence[Example], idx: npt.NDArray[np.int64] | None = None
) -> npt.NDArray[np.int64]:
    """The rows of ``idx`` (default: all) a head learns from: not a proxy set's."""
    rows: npt.NDArray[np.int64] = np.arange(len(examples)) if idx is None else idx
    keep = np.flatnonzero([examples[i].evaluate for i in rows])
    return rows.take(keep)


SENTENCE_TASKS = {
    "opinion": opinion,
    "propaganda": propaganda,
    "persuasion": persuasion,
    "clickbait": clickbait,
    "attribution": attribution,
}
