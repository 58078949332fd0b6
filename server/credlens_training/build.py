"""``make model``: build the default bundle and the small swap bundle from the labelled data.

Stages: load tasks → export the int8 encoder → embed every text once (cached) → fit one linear
head per signal → append the heads to the graph → calibrate article features on reference
articles → evaluate (model vs TF-IDF baseline, same folds) → golden outputs → manifest + card
→ load the result with the server's own checks. Seeded and deterministic.

    python -m credlens_training.build [--labels DIR] [--only default|small]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from credlens.model.combine import CALIBRATED_FEATURES, Signals, article_features
from credlens.model.features import sentence_facts
from credlens.model.manifest import (
    FORMAT,
    Calibration,
    Dataset,
    FileEntry,
    Golden,
    GoldenArticle,
    GoldenSentence,
    GraphSpec,
    Limits,
    Manifest,
    Quantiles,
    SignalSpec,
    TensorSpec,
    TokenizerSpec,
    encode,
)
from credlens.text import split_sentences
from credlens_training import data as D
from credlens_training import encoder as E
from credlens_training.evaluate import evaluate_all, tfidf
from credlens_training.heads import ARTICLE_C, EMBEDDING_C, TFIDF_C, append_heads, fit_head, stack

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
#: Transformer layers kept of MiniLM's 6: 4 scored as well or better in 5-fold CV on every
#: signal and cut the 1,000-word article from ~100 to ~60 ms on one thread (MODEL_CARD.md).
ENCODER_LAYERS = 4
#: Sentences scored per article, from the top (about 1,800 words of news).
MAX_SENTENCES = 80
#: Quantile levels stored per calibrated feature.
QUANTILES = 41
GOLDEN_TOLERANCE = 2e-3

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
            "subj_pang_lee2004 (weight 0.3)",
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
        "unreliable_style",
        "article",
        "The article's writing resembles that of outlets rated unreliable (the mean of its "
        "sentences' logits).",
        ["fakenewsnet_v1_articles", "horne2017_political_news (fake vs real)"],
    ),
]

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
    "fakenewsnet_v1_articles": "No licence file; research use",
    "horne2017_political_news": "BSD-style, (c) 2017 Benjamin D. Horne & Sibel Adali, cite",
    "source_reliability_mbfc": (
        "Media Bias/Fact Check's editorial ratings; research use, not an MBFC mirror "
        "(idiap part Apache-2.0)"
    ),
    "bbc_news_headlines": "BBC content, research/evaluation only (Greene & Cunningham 2006)",
}
USED_FOR = {
    "subjectivity_checkthat2025_en": "opinion head",
    "babe_sg2": "opinion head (label_opinion)",
    "multidimnews_sentences": "opinion head",
    "subj_pang_lee2004": "opinion head, pre-training proxy at weight 0.3, never evaluated",
    "propaganda_ptc_semeval2020": "propaganda head",
    "persuasion_semeval2023t3_en": "persuasion head",
    "clickbait_chakraborty2016": "clickbait head",
    "polnear_attribution": "attribution head; calibration reference articles",
    "fakenewsnet_v1_articles": "unreliable_style head; calibration reference articles",
    "horne2017_political_news": "unreliable_style head (no satire); calibration reference",
    "source_reliability_mbfc": "outlet factual-reporting record (sources.json), no training",
    "bbc_news_headlines": "calibration reference articles only",
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- Data -------------------------------------------------------------------------------------


class Corpus:
    """Every labelled text and reference article, loaded once."""

    def __init__(self, labels: Path) -> None:
        self.labels = labels
        self.tasks = {name: load(labels) for name, load in D.SENTENCE_TASKS.items()}
        self.articles = D.articles(labels)
        self.sources = D.mbfc(labels)
        self.reference = self._reference()

    def _reference(self) -> list[list[str]]:
        """Sentences of reference articles: BBC, PolNeAR, FakeNewsNet and Horne (all labels).
        A calibrated 0.7 means: higher than 70% of these ~3,000 articles."""
        out: list[list[str]] = []
        for name in (
            "bbc_news_headlines",
            "polnear_attribution",
            "fakenewsnet_v1_articles",
            "horne2017_political_news",
        ):
            for row in D._rows(self.labels, name):
                sents = split_sentences(str(row["text"]))[:MAX_SENTENCES]
                if sents:
                    out.append(sents)
        return out

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
        counts["fakenewsnet_v1_articles"] = sum(a.dataset == "fakenewsnet" for a in self.articles)
        counts["horne2017_political_news"] = sum(a.dataset == "horne2017" for a in self.articles)
        counts["source_reliability_mbfc"] = len(self.sources)
        counts["bbc_news_headlines"] = sum(1 for _ in D._rows(self.labels, "bbc_news_headlines"))
        return counts


def _heads_on(
    corpus: Corpus, feats: Any, article_feats: Any, c: float, article_c: float
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Fit the six heads; ``feats(texts)`` gives features of texts, ``article_feats(arts)``
    of articles (mean of sentence features)."""
    models = []
    for name, _level, _m, _d in SIGNALS:
        if name == "unreliable_style":
            y = np.asarray([a.label for a in corpus.articles])
            models.append(fit_head(article_feats(corpus.articles), y, None, article_c))
            continue
        ex = corpus.tasks[name]
        y = np.asarray([e.label for e in ex])
        w = np.asarray([e.weight for e in ex])
        models.append(fit_head(feats([e.text for e in ex]), y, w, c))
        log(f"  head {name}: {len(ex)} rows")
    return stack(models)


def _calibration(reference: list[list[str]], logits_of: Any) -> Calibration:
    """Quantiles of each article feature over the reference articles, computed with the
    serving code's own ``article_features`` on the heads' outputs."""
    cols = {name: i for i, (name, *_rest) in enumerate(SIGNALS)}
    flat = [s for sents in reference for s in sents]
    logits = logits_of(flat)
    feats: dict[str, list[float]] = {f: [] for f in CALIBRATED_FEATURES}
    i = 0
    for sents in reference:
        lg = logits[i : i + len(sents)]
        i += len(sents)
        probs = {n: 1 / (1 + np.exp(-lg[:, c])) for n, c in cols.items()}
        raw = article_features(Signals(probs, None, 0.0), [sentence_facts(s) for s in sents])
        for f in CALIBRATED_FEATURES:
            feats[f].append(raw[f])
    levels = np.linspace(0, 1, QUANTILES)
    return Calibration(
        method=(
            "Each article feature (a mean over its sentences) is mapped to its empirical CDF "
            "over the reference articles, by linear interpolation between stored quantiles."
        ),
        reference=(
            f"{len(reference)} articles: bbc_news_headlines, polnear_attribution, "
            "fakenewsnet_v1_articles, horne2017_political_news (dev splits, first "
            f"{MAX_SENTENCES} sentences each)"
        ),
        features=[
            Quantiles(feature=f, values=[round(float(v), 6) for v in np.quantile(feats[f], levels)])
            for f in CALIBRATED_FEATURES
        ],
    )


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


# --- Default bundle: int8 MiniLM (4 layers) + linear heads ----------------------------------


def build_default(corpus: Corpus, out: Path, work: Path) -> dict[str, Any]:
    import onnx

    log("exporting the encoder")
    enc = work / "encoder.onnx"
    E.export_encoder(enc, ENCODER_LAYERS)
    tok = work / "tokenizer.json"
    E.write_tokenizer(tok)

    texts = sorted(
        {e.text for ex in corpus.tasks.values() for e in ex}
        | {s for a in corpus.articles for s in a.sentences}
        | {s for r in corpus.reference for s in r}
    )
    log(f"embedding {len(texts)} unique texts")
    matrix = E.embed(enc, tok, texts)
    index = {t: i for i, t in enumerate(texts)}

    def feats(batch: Sequence[str]) -> npt.NDArray[np.float32]:
        return matrix[[index[t] for t in batch]]

    def article_feats(arts: list[D.Article]) -> npt.NDArray[np.float32]:
        return np.stack([feats(a.sentences).mean(0) for a in arts])

    log("fitting heads")
    w, b = _heads_on(corpus, feats, article_feats, EMBEDDING_C, ARTICLE_C)
    log("evaluating (5-fold CV, model vs TF-IDF baseline)")
    evaluation = evaluate_all(
        corpus.tasks, corpus.articles, feats, progress=lambda n: log(f"  eval {n}")
    )
    calibration = _calibration(corpus.reference, lambda t: feats(t).astype(np.float64) @ w + b)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    model = append_heads(onnx.load(str(enc)), "embeddings", w, b, keep=["embeddings"])
    onnx.save(model, str(out / "model.onnx"))
    shutil.copy(tok, out / "tokenizer.json")
    (out / "sources.json").write_text(
        json.dumps(corpus.sources, indent=0, sort_keys=True), encoding="utf-8"
    )
    graph = _graph_spec(
        out / "model.onnx",
        {
            "input_ids": "Token ids of ONE text (tokenizer.json, truncated to 128, no padding).",
            "attention_mask": "All ones, same shape as input_ids.",
            "embeddings": "L2-normalised mean-pooled sentence embedding (float32, 384).",
            "signal_logits": "Logit per signal, columns as listed in signals.",
        },
    )
    manifest = Manifest(
        format=FORMAT,
        name="credlens-default",
        version="1.0.0",
        description=(
            "all-MiniLM-L6-v2 (first 4 layers, int8 per-channel) sentence encoder with linear "
            "heads for opinion, propaganda, persuasion, clickbait, attribution and unreliable-"
            "outlet style; scores combine them with measured facts "
            "(server/credlens/model/combine.py)."
        ),
        kind="encoder",
        files=[],
        graph=graph,
        tokenizer=TokenizerSpec(file="tokenizer.json", max_tokens=E.MAX_TOKENS),
        signals=_signal_specs(),
        calibration=calibration,
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

    def article_feats(arts: list[D.Article]) -> Any:
        return sp.vstack(
            [sp.csr_matrix(vec.transform(a.sentences).mean(axis=0)) for a in arts]
        ).tocsr()

    w, b = _heads_on(corpus, feats, article_feats, TFIDF_C, TFIDF_C)
    calibration = _calibration(
        corpus.reference, lambda t: np.asarray(feats(t) @ w.astype(np.float64)) + b
    )
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
        version="1.0.0",
        description=(
            "TF-IDF (20,000 words) with linear heads for the same six signals: a small bundle "
            "that proves a swap needs no code change. Weaker than credlens-default."
        ),
        kind="text",
        files=[],
        graph=graph,
        tokenizer=None,
        signals=_signal_specs(),
        calibration=calibration,
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
    ap.add_argument("--only", choices=["default", "small"])
    args = ap.parse_args(argv)
    start = time.time()
    log(f"loading {args.labels}")
    corpus = Corpus(args.labels.resolve())
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
