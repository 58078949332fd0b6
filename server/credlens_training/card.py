"""MODEL_CARD.md for a bundle, rendered from its manifest so that figures never drift."""

from __future__ import annotations

from typing import Any

from credlens.model.combine import (
    ACCURACY,
    EVIDENCE_MIN_PROBABILITY,
    OBJECTIVITY,
    OUTLET_RECORD,
    REPORTED_SPEECH_FACTOR,
    SENTENCE_EVIDENCE,
    SIGNAL_EVIDENCE,
    TRANSPARENCY,
    Component,
)
from credlens.model.manifest import Manifest
from credlens_training.evaluate import TABLE_HEADER, format_table

#: Published results on the same datasets (different splits and protocols: for orientation,
#: not a like-for-like comparison).
PUBLISHED_ROWS = [
    (
        "CheckThat! subjectivity (English)",
        "best macro-F1 ≈ 0.74 on the official 2024 test set (CheckThat! 2024 Task 2 "
        "overview), fine-tuned transformers",
        "opinion, checkthat2025 row of the CV table (different split)",
    ),
    (
        "Chakraborty et al. 2016 clickbait",
        "SVM with hand-made features: accuracy 0.93, F1 0.93 (ASONAM 2016)",
        "clickbait row (publisher style is learnable: see limits)",
    ),
    (
        "PTC propaganda, sentence level",
        "NLP4IF-2019 sentence-level shared task: best F1 ≈ 0.63 on the positive class "
        "(fine-tuned BERT)",
        "propaganda row (macro-F1 here, over both classes)",
    ),
    (
        "Horne & Adalı 2017",
        "SVM on stylistic features separates fake from real articles in-dataset (reported "
        "accuracies roughly 0.7-0.9 by subset and feature set)",
        "unreliable_style CV row; the cross-dataset rows show how much is source style",
    ),
    (
        "SemEval-2023 Task 3 (English persuasion)",
        "subtask 3 is 19-way multi-label (best micro-F1 ≈ 0.38); no binary figure known",
        "persuasion row (binary: any technique)",
    ),
    (
        "PolNeAR attribution",
        "no published sentence-level detection figure known",
        "attribution row",
    ),
]
PUBLISHED = "| dataset | published result | our comparable figure |\n|---|---|---|\n" + "\n".join(
    f"| {a} | {b} | {c} |" for a, b, c in PUBLISHED_ROWS
)


#: Measured with `credlens bench model` (one 1,000-word article of the Scrapinghub tuning set,
#: one thread, 20 runs) on the 2-core development machine; timings vary up to 2x between runs.
PERFORMANCE = {
    "default": """\
| measure | credlens-default | sentence-transformers on torch (same sentences) |
|---|---|---|
| scoring, 1,000 words (59 sentences + title) | 57 ms median (p90 59) | encoding 495 ms (8.6×) |
| session load / load with all checks | 0.04 s / 0.33 s | 2.6 s import + 0.3 s load |
| RSS with the model loaded | 196 MB | 521 MB |

Design choices behind the latency (measured the same way on a 1,000-word article): the full
6-layer int8 encoder took about 100 ms one sentence per run and 87 ms in length-sorted
batches of 8; keeping the first 4 layers took 60 ms, and in a 5-fold check on 12,000-row
samples it scored as well or better on every signal (opinion macro-F1 0.766 with 4 layers,
0.733 with 6). Sentences run one per call, so a sentence's output never depends on its
neighbours (dynamic int8 sets activation scales per batch) and nothing is padded. At most
80 sentences are scored.""",
    "small": """\
| measure | credlens-tfidf-small |
|---|---|
| median scoring time, 1,000 words | 6.4 ms |
| session load / load with all checks | 0.01 s / 0.27 s |
| RSS with the model loaded | 172 MB (mostly the interpreter and language identifier) |""",
}


def _components(parts: tuple[Component, ...]) -> str:
    return "\n".join(
        f"  - `{c.feature}` weight {c.weight:.2f}{' (inverted: more is worse)' if c.invert else ''}"
        for c in parts
    )


def eval_table(evaluation: dict[str, Any]) -> str:
    rows = format_table(evaluation)
    head = "| " + " | ".join(TABLE_HEADER) + " |\n|" + "---|" * len(TABLE_HEADER) + "\n"
    return head + "\n".join("| " + " | ".join(r) + " |" for r in rows)


def render_card(manifest: Manifest, kind: str) -> str:
    data = "\n".join(
        f"| {d.name} | {d.rows} | {d.used_for} | {d.licence} |" for d in manifest.training_data
    )
    signals = "\n".join(
        f"| `{s.name}` | {s.level} | {s.meaning} | {', '.join(s.trained_on)} |"
        for s in manifest.signals
    )
    evaluation = manifest.evaluation
    if "signals" in evaluation:
        eval_md = (
            f"Protocol: {evaluation['protocol']}\n\n"
            "Model = this bundle's heads on its own embeddings; base = TF-IDF + logistic "
            "regression. Accuracy and macro-F1 at threshold 0.5. Rows indented under a signal "
            "are per dataset (same CV predictions) or cross-dataset (train → test).\n\n"
            + eval_table(evaluation)
            + "\n\n`credlens model eval` prints this table again (refitting the heads on the "
            "bundle's own embeddings) and a sanity check on the real pages of the extraction "
            "tuning set: how well objectivity separates pages whose URL marks them as opinion, "
            "review or blog from the rest (AUC, weak labels). `tests/test_scoring.py` checks "
            "pairs of real pages picked by reading them (wire reports against opinion pieces)."
        )
    else:
        eval_md = (
            "This bundle is the TF-IDF + linear family whose cross-validated figures are the "
            "'base' columns of credlens-default's MODEL_CARD.md (there with word bigrams and no "
            "vocabulary cap; here unigrams capped at 20,000 words to stay under 5 MB)."
        )
    intro = {
        "default": (
            "The default credlens model: a sentence encoder (all-MiniLM-L6-v2, first 4 of 6 "
            "layers, int8) feeding six linear heads, combined with measured page facts into "
            "three scores."
        ),
        "small": (
            "A small TF-IDF + linear bundle built by the same pipeline as credlens-default. "
            "It exists to prove that a bundle swap needs no code change, and as a light "
            "fallback. It is weaker than the default (see evaluation)."
        ),
    }[kind]
    covered = "the domains in sources.json" if manifest.sources_file else "no domain here"
    return f"""# {manifest.name} {manifest.version}

{intro}

**These scores are signals with their evidence, not a fact check.** No offline model can check
claims against the world. Each score says how closely the *text* resembles journalistic
standards on the dimensions below, as learned from labelled research data.

## Intended use

- An overlay for readers of English-language news: a prompt to read critically, with the
  sentences and signals that moved each score shown beside it.
- Not for: deciding what is true, ranking or blocking outlets or authors, moderation, or any
  decision about a person. Not for non-English text (detected and left unscored), nor for
  non-news pages (reviews, forums, fiction), on which the signals are meaningless.

## What the scores measure (and do not)

All scores are 0–10, higher = closer to journalistic standards; `average` is their mean.
Each score is `10 × Σ weight × component / Σ weight`; components are in [0, 1] and most are
calibrated (below). Weights and constants live in `server/credlens/model/combine.py`.

- **objectivity**: how much of the text reads as factual reporting rather than opinion,
  propaganda or persuasion, and whether the headline reads as clickbait.
{_components(OBJECTIVITY)}
  Does not measure: balance between viewpoints, selection of facts (informational bias),
  whether an opinion is fair. Opinion columns score low *by design*: that is a label, not a
  verdict.
- **accuracy**: signals that go with accurate reporting: specific, checkable details (numbers,
  dates, named days), absence of propaganda techniques and of the style of outlets rated
  unreliable, a non-clickbait headline, and, when the page's domain is listed, the outlet's
  factual-reporting record (Media Bias/Fact Check, coarse high/mixed/low):
{_components(ACCURACY)}
{_components((OUTLET_RECORD,))} (only when the domain is listed; weights renormalised)
  Does not measure: whether any claim is true. A careful hoax scores well; a true story told
  angrily scores lower.
- **transparency**: how statements are sourced: share of sentences attributing a statement to
  a source, direct quotes, named sources, links to other sites, byline and publication date.
{_components(TRANSPARENCY)}
  Byline, date and links depend on extraction: text submitted without HTML has none.

Reported speech: a sentence that holds a direct quote and is attributed to a source
counts at {REPORTED_SPEECH_FACTOR:.0%} for opinion, propaganda and persuasion
(`REPORTED_SPEECH_FACTOR`): a wire report quoting an angry politician is not an opinion
piece, but choosing the quote is still the writer's.

Evidence: each score lists up to {SENTENCE_EVIDENCE} sentences and up to {SIGNAL_EVIDENCE}
page signals. A sentence is listed when its signal's probability is
≥ {EVIDENCE_MIN_PROBABILITY}; its weight is its share of the component's article mean
(component share × probability / sentences), negative when it lowered the score. A page
signal's weight is component share × (2 × value − 1). Labels: `opinion`, `propaganda`,
`persuasion`, `attributed`, `direct_quote`, `named_source`, `specific_claim` (sentences);
`clickbait_headline`, `unreliable_style`, `outlet_record`, `links`, `byline`, `dated`.

## Signals

| signal | level | meaning | trained on |
|---|---|---|---|
{signals}

Measured features (regular expressions in `server/credlens/model/features.py`): direct quotes, named
sources (speech verb beside a capitalised name), specific details (numbers with units, years,
dates, weekdays), external links, byline, publication date.

## Calibration

{manifest.calibration.method} Reference: {manifest.calibration.reference}. A calibrated value
of 0.7 means the article has more of that feature than 70% of the reference articles, so the
scores are relative to that mix of mostly mainstream news (BBC, PolNeAR's seven US outlets)
with some fake and satirical articles. Probabilities of the heads are logistic-regression
outputs with balanced class weights (0.5 = as likely as not on a balanced set).

## Evaluation

{eval_md}

### Speed and size (`credlens bench model`)

{PERFORMANCE[kind]}

### Published results on the same datasets

{PUBLISHED}

## Limits and biases

- Labels were made by annotators of US/UK news of 2007–2020; other countries, genres and
  periods are out of distribution. English only (`limits.languages`): the language is
  detected from the text (py3langid), whatever the page declares, and other languages are not
  scored.
- The propaganda and persuasion heads react to loaded words even in reporting: political hard
  news full of accusations (e.g. an AP report on a party "accused of trying to deceive
  voters") can score low on objectivity although it is a wire report. Quoted, attributed
  sentences are discounted (above); unquoted paraphrase is not.
- Several datasets label by *source*, not by text (Chakraborty clickbait, Horne, FakeNewsNet,
  Pang & Lee): a model learns publisher style. The cross-dataset rows of `unreliable_style`
  show how much survives a change of dataset: treat that signal as weak.
- BABE and PTC come from politically skewed outlet mixes; the propaganda and persuasion data
  were selected from propaganda-prone outlets, which inflates base rates.
- The outlet record is MBFC's editorial rating (a small team with its own leanings, ratings
  change over time); it covers {covered}.
- Long articles: only the first {manifest.limits.max_sentences} sentences are scored (news puts
  the essentials first); later sentences add no evidence.
- Sentences longer than 128 tokens are truncated by the encoder.

## Data and licences

| dataset | rows used | used for | licence |
|---|---|---|---|
{data}

All data are the distributed dev splits (80%) of `../shared/data/labels`; the 20% hold-outs
were never seen. Several licences are research-only or non-commercial (CheckThat! CC BY-NC-SA,
LIAR not used, SemEval, PTC): a commercial deployment needs its own review of these terms.

## Reproducing

`make model` rebuilds both bundles from scratch with fixed seeds (4–8 minutes on 2 cores,
most of it embedding 128,000 texts once; `python -m credlens_training.build` reuses the
embedding cache in `models/.cache` and takes 1–2 minutes). Every file of both bundles,
manifest and card included, came out byte-identical from two builds (different
`PYTHONHASHSEED`) with the same package versions (torch 2.13.0 CPU, onnxruntime 1.32,
scikit-learn 1.9, skl2onnx 1.20). Across versions hashes may change: compare the golden
outputs in `manifest.json` instead (`credlens model check` does).
"""
