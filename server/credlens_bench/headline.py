"""``credlens bench headline``: suggested headlines against real ones, with two baselines.

For every article of a headline set (JSON lines with ``id``, ``title``, ``text``) it scores the
body alone with the bundle, then, in the same run:

- **ours, body alone**: ``suggest_headline`` with no title, so the suggestion is generated;
  ROUGE-1 / ROUGE-L F (``rouge``) against the real headline, beside two baselines: the first
  sentence cut to 12 words, and the sentence closest to the article's centroid; three
  diagnostics of ours: the bundle's headline ranker's first choice (before the clickbait
  penalty), the best of its candidates picked with the real headline (an oracle: the ceiling
  of choosing among them), and the best of those with a finite main verb and no more
  clickbait than the real headline (the ceiling of a choice that keeps those two targets);
- **clickbait**: the scoring model's clickbait probability of the real headlines and of our
  suggestions *as served* (the page's title given, so the original can be kept: what readers
  see) and *from the body alone*, with the share of articles where ours is the more
  clickbait, strictly and by over ``CLICKBAIT_MARGIN``, and how often the original was kept;
- **cost**: headline + summary time on top of scoring, per 1,000 words (median over articles,
  one thread).

Figures are printed for the held-out part of the dev set (never used to set the constants in
``credlens.suggest.rules``), the tuning part, and all rows; ``split_of`` decides the part.
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from credlens.model import Scorer, Scoring, load_bundle
from credlens.pipeline import headline_choice, suggest
from credlens.schemas import Article
from credlens.suggest.salience import centrality, sentence_vectors
from credlens.suggest.summary import summarize
from credlens_bench import console as bench_console
from credlens_bench import fluency
from credlens_bench.rouge import rouge1_f, rougel_f

Part = Literal["tune", "eval"]
#: Percentage of dev rows in the tuning part; the rest is held out for the reported figures.
TUNE_PERCENT = 70
#: "More clickbait than the original" needs a margin: the head's probabilities for neutral
#: headlines sit near 0.00-0.02, where a strict comparison is a coin toss, and one word
#: changes them by more than this in 23 % of cases (on the BBC tuning split, two cuts of the
#: same sentence one word apart: median change 0.011, 90th percentile 0.14). Both are printed.
CLICKBAIT_MARGIN = 0.05
LEAD_WORDS = 12


def split_of(row_id: str) -> Part:
    """The dev-set part of a row, from a hash of its id (stable, independent of file order)."""
    bucket = int(hashlib.sha256(row_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "tune" if bucket < TUNE_PERCENT else "eval"


def load_rows(path: Path) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                rows.append({"id": str(r["id"]), "title": str(r["title"]), "text": str(r["text"])})
    return rows


def lead_baseline(sentences: list[str]) -> str:
    return " ".join(sentences[0].split()[:LEAD_WORDS]) if sentences else ""


def centroid_baseline(sentences: list[str], embeddings: np.ndarray | None) -> str:
    if not sentences:
        return ""
    return sentences[int(np.argmax(centrality(sentence_vectors(sentences, embeddings))))]


@dataclass
class Row:
    id: str
    part: Part
    title: str
    ours: str
    method: str
    lead: str
    centroid: str
    kept: bool
    with_title: str
    added_ms: float
    score_ms: float
    words: int
    cb_ours: float = 0.0
    cb_with_title: float = 0.0
    cb_original: float = 0.0
    finite: list[bool] | None = None
    """Finite main verb in ours (body alone), the real headline, the lead baseline."""
    options: list[str] = field(default_factory=list)
    """The candidates ``suggest_headline`` chose among (body alone), the ranker's best first."""
    options_clickbait: list[float] = field(default_factory=list)
    """The clickbait head's probability of each of ``options``."""
    options_finite: list[bool] | None = None
    """Whether each of ``options`` has a finite main verb (None: spaCy not installed)."""

    def within_targets(self) -> list[str]:
        """The options that meet Done means 2 and 3 on their own: a finite main verb, and not
        more clickbait than the real headline by over ``CLICKBAIT_MARGIN``."""
        finite = self.options_finite or [False] * len(self.options)
        return [
            text
            for text, cb, ok in zip(self.options, self.options_clickbait, finite, strict=True)
            if ok and cb <= self.cb_original + CLICKBAIT_MARGIN
        ]


def ranked_options(
    scorer: Scorer, article: Article, scoring: Scoring
) -> tuple[list[str], list[float]]:
    """The candidates ``suggest_headline`` chose among, best first by the bundle's ranker alone
    (no clickbait penalty, no clause preference; the order they were made without a ranker),
    with the clickbait head's probability of each."""
    choice = headline_choice(scorer, article, scoring, scorer.ranker)
    order = sorted(range(len(choice.options)), key=lambda i: (-choice.quality[i], i))
    return [choice.options[i].text for i in order], [choice.features[i]["clickbait"] for i in order]


def evaluate(scorer: Scorer, rows: list[dict[str, str]], progress: Progress) -> list[Row]:
    out: list[Row] = []
    task = progress.add_task("headlines", total=len(rows))
    for r in rows:
        body_only = Article(text=r["text"])
        t = time.perf_counter()
        scoring = scorer.score(body_only)
        score_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        suggestion = suggest(scorer, body_only, scoring, scoring.headline.clickbait_probability)
        summarize(body_only, scoring.sentences, scoring.embeddings)
        added_ms = (time.perf_counter() - t) * 1000
        # The same article with its headline: only the title's clickbait probability differs
        # from the body-only scoring, so it is computed alone rather than re-scoring.
        heads = scorer.probabilities([r["title"]], "clickbait", "propaganda")
        original_cb, original_loaded = heads["clickbait"][0], heads["propaganda"][0]
        titled = Article(title=r["title"], text=r["text"])
        with_title = suggest(scorer, titled, scoring, original_cb, original_loaded)
        options, options_clickbait = ranked_options(scorer, body_only, scoring)
        out.append(
            Row(
                id=r["id"],
                part=split_of(r["id"]),
                title=r["title"],
                ours=suggestion.text,
                method=suggestion.method,
                lead=lead_baseline(scoring.sentences),
                centroid=centroid_baseline(scoring.sentences, scoring.embeddings),
                kept=with_title.method == "kept_original",
                with_title=with_title.text,
                added_ms=added_ms,
                score_ms=score_ms,
                words=len(r["text"].split()),
                cb_original=original_cb,
                options=options,
                options_clickbait=options_clickbait,
            )
        )
        progress.advance(task)
    task = progress.add_task("clickbait of suggestions", total=len(out))
    for row in out:
        row.cb_ours, row.cb_with_title = scorer.clickbait([row.ours, row.with_title])
        progress.advance(task)
    verbs = fluency.finite_verbs([t for r in out for t in (r.ours, r.title, r.lead)])
    if verbs is not None:
        for i, row in enumerate(out):
            row.finite = verbs[3 * i : 3 * i + 3]
    option_verbs = fluency.finite_verbs([t for r in out for t in r.options])
    if option_verbs is not None:
        at = 0
        for row in out:
            row.options_finite = option_verbs[at : at + len(row.options)]
            at += len(row.options)
    return out


def mean(values: list[float]) -> float:
    """The mean, NaN for none (a split with no rows)."""
    return float(statistics.fmean(values)) if values else float("nan")


def report(rows: list[Row], console: Console) -> dict[str, dict[str, float]]:
    parts: list[tuple[str, list[Row]]] = [
        ("held-out (eval)", [r for r in rows if r.part == "eval"]),
        ("tuning", [r for r in rows if r.part == "tune"]),
        ("all", rows),
    ]
    parts = [(name, rs) for name, rs in parts if rs]
    figures: dict[str, dict[str, float]] = {}
    table = Table(title="ROUGE F against the real headlines (headline generated from the body)")
    table.add_column("method")
    for name, rs in parts:
        table.add_column(f"R-1 {name} (n={len(rs)})", justify="right")
        table.add_column(f"R-L {name}", justify="right")
    # Diagnostics of ours: the ranker's first choice (before the clickbait penalty moves away
    # from it), the best of its candidates picked with the real headline (an oracle: the
    # ceiling of choosing among them, what a better compressor has to raise), and the best of
    # those that meet the clickbait and fluency targets themselves (where none does, the best
    # of all: an upper bound on any choice that keeps Done means 2 and 3).
    rouge_rows: list[tuple[str, str, Callable[[Row], list[str]]]] = [
        ("ours", "ours", lambda r: [r.ours]),
        ("  the ranker's first choice", "first_option", lambda r: r.options[:1] or [r.ours]),
        ("  best of its candidates (oracle)", "oracle", lambda r: r.options or [r.ours]),
    ]
    if all(r.options_finite is not None for r in rows):
        rouge_rows.append(
            (
                "  best with a finite verb, not more clickbait (oracle)",
                "oracle_within_targets",
                lambda r: r.within_targets() or r.options or [r.ours],
            )
        )
    rouge_rows += [
        (f"first sentence cut to {LEAD_WORDS} words", "lead", lambda r: [r.lead]),
        ("sentence closest to the centroid", "centroid", lambda r: [r.centroid]),
    ]
    for label, attr, texts in rouge_rows:
        cells = []
        for name, rs in parts:
            r1 = mean([max(rouge1_f(t, r.title) for t in texts(r)) for r in rs])
            rl = mean([max(rougel_f(t, r.title) for t in texts(r)) for r in rs])
            figures.setdefault(name, {})[f"{attr}_rouge1"] = r1
            figures[name][f"{attr}_rougel"] = rl
            cells += [f"{r1:.4f}", f"{rl:.4f}"]
        table.add_row(label, *cells)
    console.print(table)

    table = Table(title="Clickbait probability (the scoring model's head) and the kept original")
    table.add_column("measure")
    for name, rs in parts:
        table.add_column(f"{name} (n={len(rs)})", justify="right")

    def share(rs: list[Row], attr: str, margin: float = 0.0) -> float:
        return mean([float(getattr(r, attr) > r.cb_original + margin) for r in rs])

    measures: list[tuple[str, Callable[[list[Row]], float]]] = [
        ("mean, original headlines", lambda rs: mean([r.cb_original for r in rs])),
        ("as served (with the title): mean", lambda rs: mean([r.cb_with_title for r in rs])),
        ("as served: share > original (strict)", lambda rs: share(rs, "cb_with_title")),
        (
            f"as served: share > original + {CLICKBAIT_MARGIN}",
            lambda rs: share(rs, "cb_with_title", CLICKBAIT_MARGIN),
        ),
        ("as served: original kept", lambda rs: mean([float(r.kept) for r in rs])),
        ("body alone: mean", lambda rs: mean([r.cb_ours for r in rs])),
        ("body alone: share > original (strict)", lambda rs: share(rs, "cb_ours")),
        (
            f"body alone: share > original + {CLICKBAIT_MARGIN}",
            lambda rs: share(rs, "cb_ours", CLICKBAIT_MARGIN),
        ),
        ("body alone: share ≥ 0.5", lambda rs: mean([float(r.cb_ours >= 0.5) for r in rs])),
    ]
    for label, fn in measures:
        values = [fn(rs) for _, rs in parts]
        for (name, _), v in zip(parts, values, strict=True):
            figures[name][label] = v
        table.add_row(label, *[f"{v:.3f}" for v in values])
    console.print(table)

    if all(r.finite is not None for r in rows):
        table = Table(title="Finite main verb (spaCy en_core_web_sm 3.8.0 tagger and parser)")
        table.add_column("headline")
        for name, rs in parts:
            table.add_column(f"{name} (n={len(rs)})", justify="right")
        for k, label in enumerate(("ours, body alone", "real headlines", "lead cut to 12")):
            values = [mean([float(r.finite[k]) for r in rs if r.finite]) for _, rs in parts]
            for (name, _), v in zip(parts, values, strict=True):
                figures[name][f"finite verb: {label}"] = v
            table.add_row(label, *[f"{v:.3f}" for v in values])
        console.print(table)
    else:
        console.print("finite main verb: not measured (spaCy is in the dev extra)")

    methods: dict[str, int] = {}
    for r in rows:
        methods[r.method] = methods.get(r.method, 0) + 1
    per_kword = [r.added_ms * 1000 / max(r.words, 1) for r in rows]
    figures["cost"] = {
        "added_ms_per_1000_words_median": statistics.median(per_kword),
        "added_ms_median": statistics.median(r.added_ms for r in rows),
        "score_ms_median": statistics.median(r.score_ms for r in rows),
        "words_median": statistics.median(r.words for r in rows),
    }
    c = figures["cost"]
    console.print(
        f"methods (body alone): {dict(sorted(methods.items()))}\n"
        f"headline + summary on top of scoring: median {c['added_ms_median']:.2f} ms per "
        f"article ({c['words_median']:.0f} words at the median), "
        f"[bold]{c['added_ms_per_1000_words_median']:.2f} ms per 1,000 words[/] "
        f"(target ≤ 20); scoring alone median {c['score_ms_median']:.1f} ms. One thread."
    )
    return figures


def time_long_article(scorer: Scorer, data: Path, repeats: int = 20) -> dict[str, float]:
    """Headline + summary time on the 1,000-word article of ``credlens bench model`` (a real
    English article of the Scrapinghub set), with and without its title, median of runs."""
    from credlens_bench.model import bench_article

    art = bench_article(data)
    out: dict[str, float] = {"words": float(len(art["text"].split()))}
    for label, article in (
        ("with_title_ms", Article(title=art["title"], text=art["text"])),
        ("body_only_ms", Article(text=art["text"])),
    ):
        scoring = scorer.score(article, art["url"])
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            suggest(scorer, article, scoring, scoring.headline.clickbait_probability)
            summarize(article, scoring.sentences, scoring.embeddings)
            times.append((time.perf_counter() - t) * 1000)
        out[label] = statistics.median(times)
        t = time.perf_counter()
        scorer.score(article, art["url"])
        out["score_ms"] = (time.perf_counter() - t) * 1000
    return out


def run_headline_bench(
    data: Path,
    bundle: Path,
    *,
    split: str = "all",
    limit: int | None = None,
    examples: int = 0,
    long_article: Path | None = None,
) -> dict[str, dict[str, float]]:
    console = bench_console()
    rows = load_rows(data)
    if split != "all":
        rows = [r for r in rows if split_of(r["id"]) == split]
    if limit is not None:
        rows = rows[:limit]
    scorer = load_bundle(bundle, threads=1)
    console.print(f"{len(rows)} articles from {data}, bundle {scorer.info.name} (1 thread)")
    with Progress(console=console, transient=True) as progress:
        results = evaluate(scorer, rows, progress)
    figures = report(results, console)
    if long_article is not None and long_article.exists():
        long = time_long_article(scorer, long_article)
        figures["long_article"] = long
        console.print(
            f"on the {long['words']:.0f}-word article of `credlens bench model`: headline + "
            f"summary [bold]{long['body_only_ms']:.2f} ms[/] with the headline generated, "
            f"{long['with_title_ms']:.2f} ms with its title (target ≤ 20); scoring it "
            f"{long['score_ms']:.0f} ms. Medians of 20 runs, one thread."
        )
    for r in random.Random(0).sample(results, min(examples, len(results))):
        console.print(f"[dim]{r.id}[/] {r.title!r}\n  ours ({r.method}): {r.ours!r}")
    return figures
