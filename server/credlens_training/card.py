"""MODEL_CARD.md for a bundle, rendered from its manifest so that figures never drift."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from credlens.model.combine import SENTENCE_EVIDENCE
from credlens.model.features import ARTICLE_FEATURES
from credlens.model.manifest import Manifest, ScoreModel
from credlens_training.evaluate import TABLE_HEADER, format_table

#: Published results on the same datasets (different splits and protocols: for orientation,
#: not a like-for-like comparison).
PUBLISHED_ROWS = [
    (
        "CheckThat! subjectivity (English)",
        "best macro-F1 0.7442 on the 2024 English test set: HYBRINFOX at CheckThat! 2024 "
        "Task 2 (arXiv 2407.03770; a hybrid of fine-tuned RoBERTa, sentence-BERT and an expert "
        "system). We train on the 2025 release: no 2025 English best figure is quoted here",
        "opinion, checkthat2025 row of the CV table (different split and year)",
    ),
    (
        "Chakraborty et al. 2016 clickbait",
        "93% detection accuracy (Stop Clickbait, ASONAM 2016, abstract)",
        "clickbait row (publisher style is learnable: see limits)",
    ),
    (
        "PTC propaganda, sentence level",
        "NLP4IF-2019 sentence-level task on PTC v1 (18 techniques): best F1 about 0.63 "
        "(Findings of NLP4IF-2019, arXiv 1910.09982, as summarised in secondary sources)",
        "propaganda row (macro-F1 here, over both classes, on the SemEval-2020 release)",
    ),
    (
        "Horne & Adali 2017",
        "qualitative: fake news is closer to satire than to real news in style, and titles "
        "differ most (ICWSM 2017, arXiv 1703.09398); no accuracy is quoted here",
        "not used for training any more (see data)",
    ),
    (
        "SemEval-2023 Task 3 (English persuasion)",
        "subtask 3: 23 persuasion techniques, multi-label, paragraph level (task overview, "
        "ACL Anthology 2023.semeval-1.317); our English copy contains 19 of them; no binary "
        "figure known",
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
Figures in the README (`credlens bench model`, one 1,000-word article of the tuning set, one
thread). Design choices behind the latency: the full 6-layer int8 encoder took about 100 ms
one sentence per run; keeping the first 4 layers took 60 ms and in a 5-fold check scored as
well or better on every signal (opinion macro-F1 0.766 with 4 layers, 0.733 with 6). On a
CPU without VNNI (AVX2 only) 2.0.0's 4 layers took 137 ms and 2.1.0's 3 layers 97 ms in
alternating rounds (`credlens bench model --baseline`); heads on layer 3 score within 0.004
macro-F1 of layer 4 on every signal in the same check, so 2.1.0 keeps 3. The graph applies
no attention mask (one unpadded text per run), which removed a third of its nodes. Since
2.2.0 the third layer's weights are fine-tuned: the graph keeps 2.1.0's shape and cost.
Sentences run one per call, so a sentence's output never depends on its neighbours (dynamic
int8 sets activation scales per batch) and nothing is padded. At most 32 sentences are
scored (the article features' pool).""",
    "small": """\
| measure | credlens-tfidf-small |
|---|---|
| median scoring time, 1,000 words | 6.4 ms |
| session load / load with all checks | 0.01 s / 0.27 s |
| RSS with the model loaded | 172 MB (mostly the interpreter and language identifier) |""",
}


def _components(model: ScoreModel) -> str:
    rows = [
        f"| `{c.feature}` | {c.weight:+.2f}{'' if c.fitted else ' (design)'} | "
        f"{c.reference:.3f} | {ARTICLE_FEATURES[c.feature]} |"
        for c in model.components
    ]
    head = "| component | logit weight | reference | feature |\n|---|---|---|---|\n"
    return head + "\n".join(rows)


def _scale(model: ScoreModel, name: str) -> str:
    return (
        f"**{name}** = 10 × the probability that {model.target}. Intercept "
        f"{model.intercept:+.2f}; the reference article (every feature at its reference) "
        f"scores {model.reference_score:.1f}.\n\n{_components(model)}"
    )


def article_table(articles: dict[str, Any]) -> str:
    """AUCs and per-class medians of the article evaluation."""
    auc = articles.get("auc", {})
    medians = articles.get("medians", {})
    lines = ["| measure | AUC |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in auc.items()]
    lines += [
        "",
        "| class | n | objectivity | accuracy (text) | accuracy (with record) | transparency |",
        "|---|---|---|---|---|---|",
    ]
    for k, v in medians.items():
        record = v.get("accuracy_with_record")
        # No record (NaN when built, null once read back from the manifest): a dash.
        shown = "–" if record is None or math.isnan(record) else record
        lines.append(
            f"| {k} | {v['n']} | {v['objectivity']} | {v['accuracy']} | "
            f"{shown} | {v['transparency']} |"
        )
    return "\n".join(lines)


def evidence_table(evidence: Any) -> str:
    lines = [
        "| label | shown from | precision | recall | shown | positives |",
        "|---|---|---|---|---|---|",
    ]
    for label, r in evidence.items():
        lines.append(
            f"| {label} | {r['threshold']:.2f} | {r['precision']} | {r['recall']} | "
            f"{r['shown']} | {r['positives']} |"
        )
    return "\n".join(lines)


def render_reliability(evaluation: dict[str, Any], out: Path) -> None:
    """Reliability diagrams (predicted probability = score / 10 vs observed share), per score."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bins = evaluation["reliability"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4), dpi=100)
    titles = {
        "objectivity": "objectivity vs news (not opinion)",
        "accuracy": "accuracy (text) vs MBFC high",
        "transparency": "transparency vs news (not opinion)",
    }
    for ax, name in zip(axes, ("objectivity", "accuracy", "transparency"), strict=True):
        rows = bins[name]
        ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1)
        ax.plot([r[1] for r in rows], [r[2] for r in rows], marker="o", color="#1f5fa8")
        for r in rows:
            ax.annotate(
                str(r[3]), (r[1], r[2]), fontsize=7, xytext=(3, -9), textcoords="offset points"
            )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("predicted (score / 10)")
        ax.set_ylabel("observed share")
        ax.set_title(titles[name], fontsize=10)
    fig.suptitle(
        "Reliability on outlets never seen (AllSides, 5 outlet-grouped folds; classes weighted "
        "equally; n per bin)"
    )
    fig.tight_layout()
    fig.savefig(out, metadata={"Software": None})
    plt.close(fig)


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
        tuning = evaluation.get("fine_tuning")
        model = (
            "this bundle's heads, refitted in each fold on the embeddings of a top layer "
            "fine-tuned without that fold"
            if isinstance(tuning, dict)
            else "this bundle's heads on its own embeddings"
        )
        eval_md = (
            f"Protocol: {evaluation['protocol']}\n\n"
            + (f"Fine-tuning: {tuning['what']}.\n\n" if isinstance(tuning, dict) else "")
            + f"Model = {model}; base = TF-IDF + logistic "
            "regression. Accuracy and macro-F1 at threshold 0.5. Rows indented under a signal "
            "are per dataset (same CV predictions) or cross-dataset (train → test).\n\n"
            + eval_table(evaluation)
            + "\n\n`credlens model eval` prints this table again (refitting the heads the "
            "same way) and a sanity check on the real pages of the extraction "
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
            "The default credlens model: a sentence encoder (all-MiniLM-L6-v2, first 3 of 6 "
            "layers, the third fine-tuned here on the sentence tasks, int8 with 7-bit weights) "
            "feeding five sentence heads, two article heads and one more headline head; "
            "three logistic score models, fitted on article-level labels, combine them with "
            "measured page facts."
        ),
        "small": (
            "A small TF-IDF + linear bundle built by the same pipeline as credlens-default, "
            "score models included. It exists to prove that a bundle swap needs no code change, "
            "and as a light fallback. It is weaker than the default."
        ),
    }[kind]
    covered = "the domains in sources.json" if manifest.sources_file else "no domain here"
    models = manifest.scores
    articles = evaluation.get("articles")
    article_md = (
        f"Protocol: {articles['protocol']}\n\n"
        + article_table(articles)
        + "\n\n![Reliability diagrams](reliability.png)\n\nA point on the diagonal means "
        "that articles given a score of s were of the score's target class s × 10 % of the "
        "time, with the two classes weighted equally (as the scores were fitted). Heads "
        "against TF-IDF + LR on the same outlet-grouped folds:\n\n"
        + _heads_table(articles)
        + _references(articles)
        if isinstance(articles, dict)
        else "Not evaluated on articles (see credlens-default's card)."
    )
    evidence_md = evidence_table(evaluation["evidence"]) if "evidence" in evaluation else ""
    return f"""# {manifest.name} {manifest.version}

{intro}

**These scores are signals with their evidence, not a fact check.** No offline model can check
claims against the world. Each score says how closely the *text* resembles the writing of a
class of articles labelled by people (news vs opinion sections, outlets' factual records).

## Intended use

- An overlay for readers of English-language news: a prompt to read critically, with the
  sentences and signals that moved each score shown beside it.
- Not for: deciding what is true, ranking or blocking outlets or authors, moderation, or any
  decision about a person. Not for non-English text (detected and left unscored), nor for
  non-news pages (reviews, forums, fiction), on which the signals are meaningless.

## The scale

Every score is `10 × sigmoid(intercept + Σ weight × feature)`: a logistic model fitted on
article-level labels with the two classes weighted equally, so a score reads as a probability
on a balanced set. Each weight's sign is fixed by design (a component can only lower or only
raise its score) and the fit respects it: components whose fitted sign disagreed were dropped
and the model refitted ({_dropped(evaluation.get("dropped_components", {}))}).

- **Objectivity 8** = the text reads like news reporting: 4 in 5 articles written this way are
  news, not opinion-section or guest pieces ({_newsguard(evaluation)}). **5** = as likely an
  opinion piece as a news report. **2** = reads like an opinion column.
- **Accuracy 8** = the writing is like that of outlets Media Bias/Fact Check grades high or
  very high for factual reporting, 4 to 1 against mixed or lower. **5** = no lean. **2** =
  writing like that of outlets graded mixed or lower. Not a fact check. With the outlet's
  record known, accuracy = {1 - models.outlet_record_share:.1f} × text score +
  {models.outlet_record_share:.1f} × 10 × record ({models.outlet_record_values}), a fixed
  blend: the record is the label the text model was fitted to, so it cannot be fitted again.
- **Transparency 8** = sourced like news reporting (attribution, quotes, named sources,
  byline, date, links): 4 to 1 that a text sourced this way is news, not commentary. **2** =
  sourced like commentary.

{_scale(models.objectivity, "Objectivity")}

{_scale(models.accuracy, "Accuracy")}

{_scale(models.transparency, "Transparency")}

Reported speech: a sentence with a direct quote, or that the attribution head finds
attributed (probability ≥ 0.5), is the writer reporting someone's words: its opinion,
propaganda and persuasion are not counted as the writer's (`*_own` features), and how much
of the article is reported speech counts through `attribution` and `quotes`, whose weights
are fitted. A separate `opinion_reported` component was tried and left out: its fitted weight
was five times `opinion_own`'s, counting quoted opinion against the writer.

Pooling (the manifest's contract): {models.pooling}

## Evidence

Each score lists up to {SENTENCE_EVIDENCE} sentences, then one item per component. An item's
`weight` is its effect in score points: the distance from the reference article's score is
split among components by their logit contributions (weight × (feature − reference)), a
sentence feature's share among its sentences; the items add up exactly to the score minus
`reference` (rounding on the largest). A sentence is shown only when its label's probability
clears the threshold below, chosen for precision ≥ {models.evidence_precision} on held-out
labelled sentences (out-of-fold predictions; chosen on half the groups, where the 5 % quantile
of precision over 200 resamples of whole groups must reach it, and reported on the other
half):

{evidence_md}

## Signals

| signal | level | meaning | trained on |
|---|---|---|---|
{signals}

Measured features (regular expressions in `server/credlens/model/features.py`): direct quotes,
named sources (speech verb beside a capitalised name), specific details (numbers with units,
years, dates, weekdays), the writer's first person outside quotes, a commentary note (an
opinion disclaimer or the writer's contributor line; one makes the page's feature 1), external
links, byline, publication date.

## Evaluation

### Articles

{article_md}

### Sentence signals

{eval_md}

### Speed and size (`credlens bench model`)

{PERFORMANCE[kind]}

### Published results on the same datasets

{PUBLISHED}

## Limits and biases

- The article labels describe the OUTLET or section (AllSides, NewsGuard, MBFC), not the
  article: a model can learn outlet style, which is why every article figure above is on
  outlets never seen. US politics, 2012-2020; other countries and beats are out of
  distribution.
- Sentence labels come from annotators of news (BABE, CheckThat!, MultiDimNews, PTC,
  SemEval-2023, PolNeAR) of several periods; Pang & Lee's movie reviews only help fine-tune
  the encoder (no head learns from them); Chakraborty's clickbait labels are by publisher.
  English only (`limits.languages`): the language is detected from the text (py3langid) and
  other languages are not scored.
- The propaganda and persuasion heads react to loaded words even in reporting; quoted or
  attributed sentences count as reported speech, unquoted paraphrase does not.
- `opinion_headline` reads the title alone, a few words: one characterising word in a news
  headline can cost objectivity 1-2 points (an AP report's "Unpredictable Sondland faces
  questions about Trump, Ukraine" gets 0.77 from it, 0.56 without "Unpredictable"). The
  training titles had their section markers removed; on a page a leading "Opinion |" barely
  moves it (0.82 to 0.84 on an NYT column's title). The evidence names the headline.
- `commentary_note` is a rule, not learned, and its weight is learned mostly from two outlets'
  conventions: of the 120 AllSides opinion pieces with a note in their first sentences, 58 are
  CNN's and 55 Townhall's (disclaimers, contributor lines), 7 from five other outlets; 5 of
  2,639 news articles have one, all five columns filed as news. Its weight is large: a note
  costs about 3.4 in logit, so a report at 7.5 would fall near 1 (the evidence shows the
  sentence). A column without a note gains nothing from it.
- The outlet record is MBFC's editorial rating (a small team with its own leanings, ratings
  change over time); it covers {covered}. The outlet is the domain of the URL the reader is
  on, never what the page says about itself.
- Only the first {manifest.limits.max_sentences} sentences are scored (news puts the
  essentials first); later sentences add no evidence.
- Sentences longer than 128 tokens are truncated by the encoder.

## Data and licences

| dataset | rows used | used for | licence |
|---|---|---|---|
{data}

All data are the distributed dev splits of `../shared/data/labels` and
`../shared/data/articles`; their hold-outs were never seen. Several licences are research-only
or non-commercial (CheckThat! CC BY-NC-SA, SemEval, PTC, the AllSides/NewsGuard/MBFC ratings):
a commercial deployment needs its own review of these terms.

## Reproducing

`make model` rebuilds both bundles from scratch with fixed seeds (most of the time goes into
embedding about 250,000 texts once; `python -m credlens_training.build` reuses the embedding
cache in `models/.cache`). With the same package versions (torch 2.13.0 CPU, onnxruntime 1.32,
scikit-learn, skl2onnx) the files come out the same; across versions compare the golden
outputs in `manifest.json` instead (`credlens model check` does).
"""


def _dropped(dropped: Any) -> str:
    parts = [f"{score}: {', '.join(names)}" for score, names in dropped.items() if names]
    return "; ".join(parts) or "none"


def _newsguard(evaluation: dict[str, Any]) -> str:
    """The median objectivity of news from outlets passing NewsGuard's news/opinion criterion
    (a check, not a training label)."""
    medians = evaluation.get("articles", {}).get("medians", {})
    passes = medians.get("allsides news, outlet passes NewsGuard's news/opinion criterion")
    if not passes:
        return "no NewsGuard check in this bundle's evaluation"
    return (
        f"news articles of outlets that pass NewsGuard's \"handles the difference between news "
        f'and opinion" criterion score a median {passes["objectivity"]} on outlets never seen'
    )


def _references(articles: dict[str, Any]) -> str:
    """What other ratings of the outlet, no text read, say of the MBFC label: the reference the
    text-alone accuracy AUC is read against."""
    refs = articles.get("outlet_references", {})
    if not refs:
        return ""
    rows = "; ".join(f"{name}: AUC {auc}" for name, auc in refs.items())
    return (
        "\n\nThe accuracy label is MBFC's grade of the outlet. Other raters' judgements of "
        "the same outlets, which read no article text, separate its two classes on these "
        f"articles only weakly ({rows}): a text-alone accuracy score is read against those "
        "figures."
    )


def _heads_table(articles: dict[str, Any]) -> str:
    lines = [
        "| head | data | n | AUC | macro-F1 | TF-IDF AUC | TF-IDF macro-F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in articles.get("heads", {}).items():
        m, b = r["model"], r["baseline"]
        lines.append(
            f"| `{name}` | {r['data']} | {m['n']} | {m['auc']} | {m['macro_f1']} | "
            f"{b['auc']} | {b['macro_f1']} |"
        )
    return "\n".join(lines)
