"""``make model``: build the default bundle and the small swap bundle from the labelled data.

Stages: load tasks → fine-tune the encoder's top layer on the sentence tasks (once per CV
fold for the figures, once on every row for the bundle; ``finetune``) → export the int8
encoder → embed every text once (cached) → fit one linear head per signal → fit the article
heads and the three score models on article labels (``scores``) → evaluate (model vs TF-IDF
baseline, same folds; articles on outlets never seen) → golden outputs → manifest + card →
load the result with the server's own checks. Seeded and deterministic.

    python -m credlens_training.build [--labels DIR] [--only default|small]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from credlens.model.features import POOL_SENTENCES, sentence_facts
from credlens.model.manifest import (
    FORMAT,
    Dataset,
    FileEntry,
    Golden,
    GoldenArticle,
    GoldenSentence,
    GraphSpec,
    Limits,
    Manifest,
    ScoreModels,
    SignalSpec,
    TensorSpec,
    TokenizerSpec,
    encode,
)
from credlens_training import articles as A
from credlens_training import data as D
from credlens_training import encoder as E
from credlens_training import scores as S
from credlens_training.card import render_reliability
from credlens_training.evaluate import evaluate_all, evaluate_articles, tfidf
from credlens_training.finetune import fine_tune
from credlens_training.finetune import settings as finetune_settings
from credlens_training.heads import TFIDF_C, append_heads, embedding_c, fit_head, stack

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
#: Transformer layers kept of MiniLM's 6. 4 scored as well as 6 (MODEL_CARD.md). In the same
#: 5-fold CV, heads on the mean-pooled output of layer 3 were within 0.002 macro-F1 of layer 4
#: on every signal (opinion 0.764/0.765, propaganda 0.688/0.686, persuasion 0.732/0.728,
#: attribution 0.846/0.848, clickbait 0.978/0.976); layer 2 lost up to 0.013. Scoring the
#: 1,000-word article on one thread (AVX2, no VNNI; `credlens bench model --baseline`, 3
#: alternating rounds): 137 ms with 4 layers (2.0.0), 97 ms with 3.
ENCODER_LAYERS = 3
#: Sentences scored per article, from the top: the article features' pool.
MAX_SENTENCES = POOL_SENTENCES
GOLDEN_TOLERANCE = 2e-3
VERSION = "5.0.0"
ARTICLES = D.DEFAULT_LABELS.parent / "articles"

#: Column order of signal_logits, with the level and meaning of each signal.
SIGNALS: list[tuple[str, str, str, list[str]]] = [
    (
        "opinion",
        "sentence",
        "The sentence expresses the writer's opinion rather than reporting.",
        [
            "subjectivity_checkthat2025_en",
            "babe_sg2",
            "multidimnews_sentences",
            "subj_pang_lee2004 (the encoder's fine-tuning only, weight 0.3)",
        ],
    ),
    (
        "propaganda",
        "sentence",
        "The sentence uses a propaganda technique (loaded language, name calling, "
        "exaggeration, doubt, appeal to fear...).",
        ["propaganda_ptc_semeval2020"],
    ),
    (
        "persuasion",
        "sentence",
        "The text uses a persuasion technique (trained on paragraphs, applied to sentences).",
        ["persuasion_semeval2023t3_en"],
    ),
    (
        "clickbait",
        "headline",
        "The headline is clickbait (applied to the article's title).",
        ["clickbait_chakraborty2016"],
    ),
    (
        "attribution",
        "sentence",
        "The sentence attributes a statement to a source (a source and a cue such as 'said').",
        ["polnear_attribution"],
    ),
    (
        "opinion_style",
        "article",
        "The article as a whole reads like an opinion-section or guest piece rather than news "
        "(a linear head on the mean sentence embedding: the mean of the sentences' logits).",
        ["allsides_baly2020 (opinion sections and guest writers vs news, outlets grouped)"],
    ),
    (
        "unreliable_style",
        "article",
        "The article's writing resembles that of outlets Media Bias/Fact Check grades mixed "
        "or lower for factual reporting, rather than high or very high (the mean of the "
        "sentences' logits).",
        ["allsides_baly2020 (MBFC factual grade of the outlet, outlets grouped)"],
    ),
    (
        "opinion_headline",
        "headline",
        "The headline reads like an opinion-section or guest piece's rather than a news "
        "report's (applied to the article's title).",
        ["allsides_baly2020 (titles: opinion sections and guest writers vs news, outlets grouped)"],
    ),
]
#: Heads fitted on sentence-level tasks; the others (S.HEAD_TARGETS) on article labels, and
#: their columns come last.
SENTENCE_SIGNALS = [name for name, *_ in SIGNALS if name not in S.HEAD_TARGETS]

#: Licence of each dataset, from its README in ../shared/data/labels.
LICENCES = {
    "subjectivity_checkthat2025_en": "CC BY-NC-SA 4.0 (non-commercial, share-alike)",
    "babe_sg2": "AGPL-3.0",
    "multidimnews_sentences": "No explicit licence; research use (copy in an Apache-2.0 repo)",
    "subj_pang_lee2004": "No explicit licence (Cornell research release); Apache-2.0 repo copy",
    "propaganda_ptc_semeval2020": "No licence file; released by QCRI/SemEval-2020 for research",
    "persuasion_semeval2023t3_en": "SemEval-2023 organisers' research distribution; research-only",
    "clickbait_chakraborty2016": "MIT (c) 2016 Chakraborty, Paranjape, Kakarla, Ganguly",
    "polnear_attribution": "No licence stated; research use",
    "allsides_baly2020": (
        "Apache-2.0 (ramybaly/Article-Bias-Prediction); texts belong to their publishers; "
        "NewsGuard/MBFC/AllSides ratings are third-party, research use only"
    ),
    "semeval2023t3_genre_en": "None stated; SemEval-2023 Task 3 data, research use",
    "source_reliability_mbfc": (
        "Media Bias/Fact Check's editorial ratings; research use, not an MBFC mirror "
        "(idiap part Apache-2.0)"
    ),
}
USED_FOR = {
    "subjectivity_checkthat2025_en": "opinion head",
    "babe_sg2": "opinion head (label_opinion)",
    "multidimnews_sentences": "opinion head",
    "subj_pang_lee2004": (
        "the encoder's fine-tuning only (opinion task, weight 0.3): no head learns from it, "
        "never evaluated"
    ),
    "propaganda_ptc_semeval2020": "propaganda head",
    "persuasion_semeval2023t3_en": "persuasion head",
    "clickbait_chakraborty2016": "clickbait head",
    "polnear_attribution": "attribution head",
    "allsides_baly2020": (
        "opinion_style and unreliable_style heads; the three scores' fitted combinations "
        "(article labels of the outlet or section: news vs opinion, MBFC factual grade)"
    ),
    "semeval2023t3_genre_en": "evaluation only (opinion vs reporting articles), never trained on",
    "source_reliability_mbfc": "outlet factual-reporting record (sources.json), no training",
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- Data -------------------------------------------------------------------------------------


class Corpus:
    """Every labelled text and article, loaded once."""

    def __init__(self, labels: Path, articles: Path) -> None:
        self.labels = labels
        self.tasks = {name: load(labels) for name, load in D.SENTENCE_TASKS.items()}
        self.sources = D.mbfc(labels)
        self.articles = A.load(articles)

    def rows(self) -> dict[str, int]:
        counts = {
            "subjectivity_checkthat2025_en": 0,
            "babe_sg2": 0,
            "multidimnews_sentences": 0,
            "subj_pang_lee2004": 0,
        }
        names = {
            "checkthat2025": "subjectivity_checkthat2025_en",
            "babe": "babe_sg2",
            "multidimnews": "multidimnews_sentences",
            "pang_lee2004": "subj_pang_lee2004",
        }
        for e in self.tasks["opinion"]:
            counts[names[e.dataset]] += 1
        counts["propaganda_ptc_semeval2020"] = len(self.tasks["propaganda"])
        counts["persuasion_semeval2023t3_en"] = len(self.tasks["persuasion"])
        counts["clickbait_chakraborty2016"] = len(self.tasks["clickbait"])
        counts["polnear_attribution"] = len({e.group for e in self.tasks["attribution"]})
        counts["allsides_baly2020"] = sum(a.dataset == "allsides" for a in self.articles)
        counts["semeval2023t3_genre_en"] = sum(a.dataset.startswith("genre") for a in self.articles)
        counts["source_reliability_mbfc"] = len(self.sources)
        return counts


def _heads_on(
    corpus: Corpus, feats: Any, c: Callable[[str], float]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Fit the sentence and headline heads; ``feats(texts)`` gives features of texts, ``c(name)``
    each head's inverse regularisation."""
    models = []
    for name in SENTENCE_SIGNALS:
        ex = [corpus.tasks[name][i] for i in D.head_rows(corpus.tasks[name])]
        y = np.asarray([e.label for e in ex])
        w = np.asarray([e.weight for e in ex])
        models.append(fit_head(feats([e.text for e in ex]), y, w, c(name)))
        log(f"  head {name}: {len(ex)} rows")
    return stack(models)


def _outputs(
    corpus: Corpus,
    feats: Any,
    mean_feats: Any,
    title_feats: Any,
    w: npt.NDArray[np.float32],
    b: Any,
) -> S.Outputs:
    """The sentence heads' probabilities, title clickbait, mean features and title features of
    each article."""
    cols = {name: i for i, name in enumerate(SENTENCE_SIGNALS)}
    probs: list[dict[str, npt.NDArray[np.float64]]] = []
    clickbait: list[float | None] = []
    for a in corpus.articles:
        logits = np.asarray(feats(a.sentences) @ w.astype(np.float64)) + b
        p = 1 / (1 + np.exp(-logits))
        probs.append({n: p[:, i] for n, i in cols.items() if n != "clickbait"})
        if a.title:
            t = float(np.asarray(feats([a.title]) @ w.astype(np.float64))[0, cols["clickbait"]])
            clickbait.append(float(1 / (1 + np.exp(-(t + b[cols["clickbait"]])))))
        else:
            clickbait.append(None)
    facts = [[sentence_facts(s) for s in a.sentences] for a in corpus.articles]
    arts = corpus.articles
    return S.Outputs(probs, clickbait, mean_feats(arts), facts, title_feats(arts))


def _score_stage(
    corpus: Corpus,
    out: S.Outputs,
    feats: Any,
    c: Callable[[str], float],
    fold_feats: Any = None,
) -> tuple[Any, ScoreModels, dict[str, Any]]:
    """Article heads (fitted on every AllSides article) and the three fitted scores; the
    evidence thresholds and what the fit dropped, for the manifest."""
    thresholds, precision = S.sentence_thresholds(corpus.tasks, feats, c, fold_feats)
    log(f"  evidence thresholds {thresholds}")
    arts = corpus.articles
    allsides = np.asarray([i for i, a in enumerate(arts) if a.dataset == "allsides"])
    oof = S.inner_or_zero(S.oof_heads(arts, out, allsides))
    rows = S.feature_rows(arts, out, oof, out.clickbait_reference)
    models, dropped = S.fit_scores(arts, rows, allsides, thresholds)
    log(f"  scores fitted; dropped for a wrong sign: {dropped}")
    heads = S.fit_heads(arts, out, allsides)
    return heads, models, {"evidence_precision": precision, "dropped": dropped}


def _with_article_heads(
    w: npt.NDArray[np.float32], b: npt.NDArray[np.float32], heads: dict[str, Any]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The sentence heads' columns, then those fitted on article labels (in SIGNALS order)."""
    order = [name for name, *_ in SIGNALS if name in S.HEAD_TARGETS]
    aw, ab = stack([heads[name] for name in order])
    return np.concatenate([w, aw], axis=1), np.concatenate([b, ab])


def _signal_specs() -> list[SignalSpec]:
    return [
        SignalSpec(name=n, column=i, level=lvl, meaning=m, trained_on=d)  # type: ignore[arg-type]
        for i, (n, lvl, m, d) in enumerate(SIGNALS)
    ]


def _graph_spec(path: Path, descriptions: dict[str, str]) -> GraphSpec:
    """The graph's inputs and outputs, read from the graph itself, as the loader will see them."""
    import onnxruntime as ort

    from credlens.model.bundle import DTYPES, dims

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    def spec(a: Any) -> TensorSpec:
        return TensorSpec(
            name=a.name,
            dtype=DTYPES[a.type],  # type: ignore[arg-type]
            shape=dims(a.shape),
            description=descriptions.get(a.name, ""),
        )

    return GraphSpec(
        file=path.name,
        inputs=[spec(a) for a in sess.get_inputs()],
        outputs=[spec(a) for a in sess.get_outputs()],
    )


GOLDEN_SENTENCES = [
    "The central bank raised its main interest rate by 0.25 percentage points on Wednesday, "
    "the agency said.",
    "This is the most disgraceful betrayal of our nation by a corrupt and spineless elite.",
    "You Won't Believe What This Dog Did Next",
    "I think the new policy is a terrible idea.",
]
GOLDEN_ARTICLE = GoldenArticle(
    title="Council approves budget after long debate",
    text=(
        "The city council approved a $4.2 million budget on Tuesday by a vote of 7 to 2.\n\n"
        '"This budget keeps our libraries open," said council member Ana Ruiz, who proposed it.\n\n'
        "Opponents argued that the plan raises property taxes by 3 percent.\n\n"
        "Frankly, this is the most shameful and reckless spending spree in the city's history."
    ),
    url="https://www.reuters.com/world/example",
    scores={},
)


def _finish(out: Path, manifest: Manifest, kind: str) -> None:
    """Golden outputs through the server's own scorer, then the card,
    the files list and the manifest; finally load the bundle with all the server's checks."""
    import msgspec

    from credlens.model import bundle as B
    from credlens.model.scorer import Scorer
    from credlens.schemas import Article
    from credlens_training.card import render_card

    session = B._open_graph(out, manifest, 1)
    tokenizer = B._open_tokenizer(out, manifest)
    scorer = Scorer(out, manifest, b"", "", session, tokenizer, B._read_sources(out, manifest))
    logits, _ = scorer.run(GOLDEN_SENTENCES)
    manifest.golden.sentences = [
        GoldenSentence(text=t, logits=[round(float(v), 5) for v in row])
        for t, row in zip(GOLDEN_SENTENCES, logits, strict=True)
    ]
    ga = GOLDEN_ARTICLE
    result = scorer.score(Article(title=ga.title, text=ga.text), url=ga.url)
    assert result.scores is not None
    manifest.golden.articles = [
        GoldenArticle(
            title=ga.title, text=ga.text, url=ga.url, scores=msgspec.structs.asdict(result.scores)
        )
    ]
    (out / "MODEL_CARD.md").write_text(render_card(manifest, kind), encoding="utf-8")
    names = sorted(p.name for p in out.iterdir() if p.name != "manifest.json")
    manifest.files = [
        FileEntry(path=n, sha256=sha256(out / n), bytes=(out / n).stat().st_size) for n in names
    ]
    (out / "manifest.json").write_bytes(encode(manifest))
    loaded = B.load_bundle(out)
    size = sum(f.bytes for f in manifest.files)
    log(f"{out.name}: {size / 1e6:.1f} MB, manifest sha256 {loaded.info.sha256[:12]}, checks pass")


def _datasets(corpus: Corpus, names: Sequence[str]) -> list[Dataset]:
    rows = corpus.rows()
    return [Dataset(name=n, licence=LICENCES[n], used_for=USED_FOR[n], rows=rows[n]) for n in names]


# --- Default bundle: int8 MiniLM (3 layers) + linear heads ----------------------------------


def build_default(corpus: Corpus, out: Path, work: Path) -> dict[str, Any]:
    import onnx

    top, fold_feats = fine_tune(corpus.tasks, ENCODER_LAYERS, log)
    log("exporting the encoder")
    enc = work / "encoder.onnx"
    E.export_encoder(enc, ENCODER_LAYERS, top)
    tok = work / "tokenizer.json"
    E.write_tokenizer(tok)

    texts = sorted({e.text for ex in corpus.tasks.values() for e in ex})
    article_texts = sorted(
        {s for a in corpus.articles for s in a.sentences}
        | {a.title for a in corpus.articles if a.title}
    )
    log(f"embedding {len(texts)} + {len(article_texts)} unique texts")
    matrices = [E.embed(enc, tok, texts), E.embed(enc, tok, article_texts, desc="articles")]
    index = {t: (k, i) for k, ts in enumerate((texts, article_texts)) for i, t in enumerate(ts)}

    def feats(batch: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.stack([matrices[index[t][0]][index[t][1]] for t in batch])

    def mean_feats(arts: Sequence[A.LabelledArticle]) -> npt.NDArray[np.float32]:
        return np.stack([feats(a.sentences).mean(0) for a in arts])

    def title_feats(arts: Sequence[A.LabelledArticle]) -> npt.NDArray[np.float32]:
        width = matrices[0].shape[1]
        return np.stack([feats([a.title])[0] if a.title else np.zeros(width) for a in arts])

    log("fitting sentence heads")
    w, b = _heads_on(corpus, feats, embedding_c)
    log("fitting article heads and scores")
    out_arts = _outputs(corpus, feats, mean_feats, title_feats, w, b)
    heads, scores, fit_report = _score_stage(corpus, out_arts, feats, embedding_c, fold_feats)
    w, b = _with_article_heads(w, b, heads)
    log("evaluating (5-fold CV, model vs TF-IDF baseline; articles by outlet)")
    evaluation = evaluate_all(
        corpus.tasks, feats, progress=lambda n: log(f"  eval {n}"), fold_embed=fold_feats
    )
    evaluation["articles"] = evaluate_articles(
        corpus.articles, out_arts, scores, corpus.sources, progress=log
    )
    evaluation["evidence"] = fit_report["evidence_precision"]
    evaluation["dropped_components"] = fit_report["dropped"]
    evaluation["fine_tuning"] = finetune_settings(ENCODER_LAYERS)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    model = append_heads(onnx.load(str(enc)), "embeddings", w, b, keep=["embeddings"])
    onnx.save(model, str(out / "model.onnx"))
    render_reliability(evaluation["articles"], out / "reliability.png")
    shutil.copy(tok, out / "tokenizer.json")
    (out / "sources.json").write_text(
        json.dumps(corpus.sources, indent=0, sort_keys=True), encoding="utf-8"
    )
    graph = _graph_spec(
        out / "model.onnx",
        {
            "input_ids": "Token ids of ONE text (tokenizer.json, truncated to 128, no padding).",
            "attention_mask": (
                "All ones, same shape as input_ids: it weights the mean pooling only; attention "
                "sees every token, so a padded batch would not match one-text runs."
            ),
            "embeddings": "L2-normalised mean-pooled sentence embedding (float32, 384).",
            "signal_logits": "Logit per signal, columns as listed in signals.",
        },
    )
    manifest = Manifest(
        format=FORMAT,
        name="credlens-default",
        version=VERSION,
        description=(
            f"all-MiniLM-L6-v2 (first {ENCODER_LAYERS} layers, the last fine-tuned on the sentence "
            "tasks; int8 per-channel, 7-bit weights) "
            "sentence encoder with linear heads for opinion, propaganda, persuasion, clickbait and "
            "attribution (sentences), opinion style and unreliable style (articles) and opinion "
            "style of the headline; the "
            "three scores are logistic models over named article features, fitted on "
            "article-level labels (server/credlens/model/combine.py, features.py)."
        ),
        kind="encoder",
        files=[],
        graph=graph,
        tokenizer=TokenizerSpec(file="tokenizer.json", max_tokens=E.MAX_TOKENS),
        signals=_signal_specs(),
        scores=scores,
        limits=Limits(max_sentences=MAX_SENTENCES, languages=["en"]),
        sources_file="sources.json",
        training_data=_datasets(corpus, list(LICENCES)),
        evaluation=evaluation,
        golden=Golden(tolerance=GOLDEN_TOLERANCE, sentences=[], articles=[]),
    )
    _finish(out, manifest, "default")
    return evaluation


# --- Small swap bundle: TF-IDF + the same linear heads ---------------------------------------


def build_small(corpus: Corpus, out: Path, evaluation: dict[str, Any] | None) -> None:
    import scipy.sparse as sp
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import StringTensorType

    log("small bundle: fitting TF-IDF")
    # Unigrams only and a capped vocabulary keep the graph under 5 MB.
    vec = tfidf().set_params(ngram_range=(1, 1), max_features=20000)
    train_texts = sorted(
        {e.text for ex in corpus.tasks.values() for e in ex}
        | {s for a in corpus.articles for s in a.sentences}
    )
    vec.fit(train_texts)

    def feats(batch: Sequence[str]) -> Any:
        return vec.transform(list(batch))

    def mean_feats(arts: Sequence[A.LabelledArticle]) -> Any:
        return sp.vstack(
            [sp.csr_matrix(vec.transform(a.sentences).mean(axis=0)) for a in arts]
        ).tocsr()

    def title_feats(arts: Sequence[A.LabelledArticle]) -> Any:
        return vec.transform([a.title or "" for a in arts])

    w, b = _heads_on(corpus, feats, lambda _: TFIDF_C)
    out_arts = _outputs(corpus, feats, mean_feats, title_feats, w, b)
    heads, scores, _ = _score_stage(corpus, out_arts, feats, lambda _: TFIDF_C)
    w, b = _with_article_heads(w, b, heads)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    onx = convert_sklearn(
        vec,
        initial_types=[("text", StringTensorType([None, 1]))],
        # The two fixes from baselines.md: the en_US locale is absent, and sklearn's token
        # pattern must be given explicitly or scores drift from scikit-learn's.
        options={id(vec): {"tokenexp": r"\b\w\w+\b", "locale": "C.UTF-8"}},
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    # skl2onnx names the graph with a random uuid and lists opsets in set order: fix both so
    # that the file is byte-identical from one build to the next.
    onx.graph.name = "credlens_tfidf_small"
    opsets = sorted((o.domain, o.version) for o in onx.opset_import)
    del onx.opset_import[:]
    for domain, version in opsets:
        onx.opset_import.add(domain=domain, version=version)
    feature = onx.graph.output[0].name
    model = append_heads(onx, feature, w, b, keep=[])
    import onnx

    # Make the batch dimension symbolic by name, like the default bundle's.
    for v in (*model.graph.input, *model.graph.output):
        dim = v.type.tensor_type.shape.dim[0]
        dim.dim_param = "batch"
    onnx.save(model, str(out / "model.onnx"))
    graph = _graph_spec(
        out / "model.onnx",
        {
            "text": "Raw texts, one per row (sentences, or the title).",
            "signal_logits": "Logit per signal, columns as listed in signals.",
        },
    )
    manifest = Manifest(
        format=FORMAT,
        name="credlens-tfidf-small",
        version=VERSION,
        description=(
            "TF-IDF (20,000 words) with linear heads for the same eight signals: a small bundle "
            "that proves a swap needs no code change. Weaker than credlens-default."
        ),
        kind="text",
        files=[],
        graph=graph,
        tokenizer=None,
        signals=_signal_specs(),
        scores=scores,
        limits=Limits(max_sentences=MAX_SENTENCES, languages=["en"]),
        sources_file=None,
        training_data=_datasets(corpus, [n for n in LICENCES if n != "source_reliability_mbfc"]),
        evaluation={
            "note": "Same family as the baseline columns of credlens-default's evaluation.",
            **(
                {
                    "baseline_of_default": {
                        k: v["baseline"] for k, v in evaluation["signals"].items()
                    }
                }
                if evaluation
                else {}
            ),
        },
        golden=Golden(tolerance=GOLDEN_TOLERANCE, sentences=[], articles=[]),
    )
    _finish(out, manifest, "small")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--labels", type=Path, default=D.DEFAULT_LABELS)
    ap.add_argument("--articles", type=Path, default=ARTICLES)
    ap.add_argument("--only", choices=["default", "small"])
    args = ap.parse_args(argv)
    start = time.time()
    log(f"loading {args.labels}")
    corpus = Corpus(args.labels.resolve(), args.articles.resolve())
    work = E.CACHE / "build"
    work.mkdir(parents=True, exist_ok=True)
    evaluation = None
    if args.only in (None, "default"):
        evaluation = build_default(corpus, MODELS / "credlens-default", work)
    else:
        prior = MODELS / "credlens-default" / "manifest.json"
        if prior.exists():
            evaluation = json.loads(prior.read_text())["evaluation"]
    if args.only in (None, "small"):
        build_small(corpus, MODELS / "credlens-tfidf-small", evaluation)
    log(f"done in {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
