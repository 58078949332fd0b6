"""``credlens model``: check a bundle, score a page, evaluate the signals."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import click
import msgspec

from credlens.cli.io import bundle_option, load_scorer, pages_option
from credlens.model import BundleError, Scorer, load_bundle

_BUNDLE = click.Path(exists=False, file_okay=False, path_type=Path)


@click.group("model")
def model() -> None:
    """Model bundles: check one, score a page with one, evaluate the signals."""


@model.command("check")
@click.argument("path", type=_BUNDLE)
def check(path: Path) -> None:
    """Run the loader's checks on the bundle at PATH: manifest, file hashes, graph inputs and
    outputs against the manifest, score models, golden inputs and outputs.

    Prints the model's name, version and manifest hash; exits with status 1 and the problem
    when the bundle would be refused.
    """
    try:
        scorer = load_bundle(path)
    except BundleError as exc:
        click.echo(f"refused: {exc}", err=True)
        raise SystemExit(1) from exc
    m = scorer.manifest
    click.echo(f"ok: {m.name} {m.version} ({m.kind}), model sha256 {scorer.info.sha256}")
    click.echo(f"  files: {', '.join(f'{f.path} ({f.bytes:,} B)' for f in m.files)}")
    if scorer.ranker is not None:
        r = scorer.ranker.manifest
        click.echo(
            f"  headline ranker: {r.name} {r.version}, {r.file.path} ({r.file.bytes:,} B), "
            f"{len(r.features)} features and a {r.embedding_width}-wide embedding"
        )
    click.echo(f"  signals: {', '.join(s.name for s in m.signals)}")
    click.echo(
        f"  golden: {len(m.golden.sentences)} sentences within {m.golden.tolerance}, "
        f"{len(m.golden.articles)} article(s) match"
    )


@model.command("score")
@click.argument("page", type=str)
@click.option("--url", help="The page's URL (domain lookup, links).")
@bundle_option("The model bundle folder.", must_exist=False)
@click.option("--json", "as_json", is_flag=True, help="Print scores and details as JSON.")
def score(page: str, url: str | None, bundle: Path, as_json: bool) -> None:
    """Extract the article from PAGE (HTML file, .html.gz or -) and score it."""
    from credlens.cli.io import read_page
    from credlens.extract import extract

    scorer = load_scorer(bundle)
    article = extract(read_page(page), url=url)
    result = scorer.score(article, url)
    if as_json:
        out = {
            "language": result.language,
            "supported": result.supported,
            "scores": result.scores,
            "details": result.details,
            "headline": result.headline,
            "model": scorer.info,
        }
        click.echo(msgspec.json.format(msgspec.json.encode(out)).decode())
        return
    click.echo(f"{article.title or '(no title)'}  [{result.language}]")
    if result.scores is None or result.details is None:
        click.echo("not scored: the language is not supported or there is no text")
        return
    for name in ("objectivity", "accuracy", "transparency"):
        detail = getattr(result.details, name)
        click.echo(f"\n{name}: {getattr(result.scores, name):.1f}  {detail.explanation}")
        for ev in detail.evidence:
            click.echo(f"  {ev.weight:+.3f} {ev.label:<18} {ev.text[:100]}")
    click.echo(f"\naverage: {result.scores.average:.1f} (signals with evidence, not a fact check)")


@model.command("eval")
@bundle_option("The model bundle folder.", must_exist=False)
@click.option(
    "--labels",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("../shared/data/labels"),
    show_default=True,
    help="The labelled datasets (dev splits).",
)
@pages_option(
    "Real pages (Scrapinghub layout) for the genre sanity check; skipped when absent.",
    name="--pages",
    must_exist=False,
)
@click.option(
    "--articles",
    "articles_dir",
    flag_value=Path("../shared/data/articles"),
    type=click.Path(file_okay=False, path_type=Path),
    help="Evaluate the three scores on whole labelled articles instead (AllSides outlets "
    "never seen; SemEval genre) from this folder [flag alone: ../shared/data/articles].",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="With --articles: a format-1 bundle (credlens-default 1.0.0) scored beside it.",
)
@click.option(
    "--fold-seeds",
    default="",
    metavar="N,N,...",
    help="With --articles: also refit and score the AllSides folds with the outlets drawn by "
    "these seeds (e.g. 1,2,3,4; about 30 s each), to show how much the figures owe to one "
    "draw of which outlets are held out together.",
)
def evaluate(
    bundle: Path,
    labels: Path,
    pages: Path,
    articles_dir: Path | None,
    baseline: Path | None,
    fold_seeds: str,
) -> None:
    """Per learned signal, on 5 seeded held-out folds of the dev data: accuracy, macro-F1
    and AUC of the bundle's heads (refitted per fold on its embeddings; for a fine-tuned
    encoder, on those of its top layer fine-tuned again without the fold) and of a TF-IDF +
    logistic-regression baseline on the same folds; per dataset for opinion.

    Then, on the real pages: the AUC with which objectivity and the average rank news pages
    above pages whose URL marks them as opinion, review or blog (weak labels).

    With --articles: the three scores on article data the model never trained on: AllSides
    articles scored by models refitted without their outlet (5 outlet-grouped folds), the
    SemEval genre set; AUCs, per-class medians, evidence precision; --baseline puts a
    format-1 bundle beside it; --fold-seeds repeats the AllSides AUCs on other outlet folds.

    Needs the `train` extra (scikit-learn) and an encoder bundle. Embeddings are cached under
    models/.cache.
    """
    try:
        import sklearn  # noqa: F401
        from tqdm import tqdm
    except ImportError as exc:
        raise click.ClickException(
            "`credlens model eval` needs the train extra: pip install -e '.[train]'"
        ) from exc
    import numpy as np
    import numpy.typing as npt
    from rich.console import Console
    from rich.table import Table

    from credlens_training import data as D
    from credlens_training.encoder import CACHE
    from credlens_training.evaluate import TABLE_HEADER, evaluate_all, format_table, pages_check

    scorer = load_scorer(bundle)
    if scorer.embed(["probe"]) is None:
        raise click.ClickException(f"{bundle} has no encoder: eval refits heads on embeddings")
    if articles_dir is not None:
        try:
            seeds = [int(x) for x in fold_seeds.split(",") if x.strip()]
        except ValueError as exc:
            raise click.BadParameter(f"not a list of integers: {fold_seeds!r}") from exc
        _evaluate_articles(scorer, articles_dir, baseline, seeds)
        return
    cache = CACHE
    cache.mkdir(parents=True, exist_ok=True)
    known: dict[str, npt.NDArray[np.float32]] = {}

    def embed(batch: Sequence[str]) -> npt.NDArray[np.float32]:
        texts = list(batch)
        key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
        path = cache / f"eval-{scorer.info.sha256[:12]}-{key}.npy"
        if path.exists():
            return np.load(path)  # type: ignore[no-any-return]
        missing = sorted({t for t in texts if t not in known})
        for i in tqdm(range(0, len(missing), 256), desc="embedding", unit="x256"):
            chunk = missing[i : i + 256]
            vectors = scorer.embed(chunk)
            assert vectors is not None
            known.update(zip(chunk, vectors, strict=True))
        out = np.stack([known[t] for t in texts])
        np.save(path, out)
        return out

    labels = labels.resolve()
    tasks = {name: load(labels) for name, load in D.SENTENCE_TASKS.items()}
    fold_embed = None
    tuning = scorer.manifest.evaluation.get("fine_tuning")
    if isinstance(tuning, dict):
        # Heads refitted on this bundle's embeddings would be scored on rows its encoder
        # learned from: the layer is fine-tuned again inside each fold, as the build did.
        from credlens_training.finetune import fine_tune

        click.echo(
            "The encoder's top layer is fine-tuned on these tasks: it is fine-tuned again "
            "inside each fold (reused from models/.cache after `make model`, otherwise about "
            "35 minutes on 2 cores)."
        )
        try:
            _, fold_embed = fine_tune(tasks, int(tuning["layers"]), click.echo)
        except ImportError as exc:
            raise click.ClickException(
                f"fine-tuning needs the train extra's torch: pip install -e '.[train]' ({exc})"
            ) from exc
    result = evaluate_all(
        tasks, embed, progress=lambda n: click.echo(f"evaluating {n}..."), fold_embed=fold_embed
    )
    table = Table(title=f"{scorer.info.name} {scorer.info.version} vs TF-IDF + LR baseline")
    for h in TABLE_HEADER:
        table.add_column(h, justify="right" if h not in ("signal", "level", "data") else "left")
    for row in format_table(result):
        table.add_row(*row)
    Console(width=max(Console().width, 120)).print(table)
    click.echo(result["protocol"])
    if (pages / "ground-truth.json").exists():
        check = pages_check(scorer, pages)
        click.echo(
            f"\nReal pages ({pages}): {check['pages']} English pages, {check['opinion_pages']} "
            "marked as opinion/review/blog by URL; "
            f"AUC objectivity {check['auc_objectivity']:.3f}, "
            f"average {check['auc_average']:.3f} (0.5 = chance)."
        )


def _evaluate_articles(
    scorer: Scorer, root: Path, baseline: Path | None, seeds: Sequence[int] = ()
) -> None:
    """``model eval --articles``: the scores on labelled articles, beside a format-1 bundle."""
    from rich.console import Console
    from rich.table import Table

    from credlens_training import articles as A
    from credlens_training.encoder import CACHE, embed
    from credlens_training.evaluate import (
        bundle_outputs,
        evaluate_articles,
        fold_spread,
        legacy_scores,
        summarize_scores,
    )

    if not (root / "allsides_baly2020").is_dir():
        raise click.ClickException(f"{root}: no allsides_baly2020 folder (../shared/data/articles)")
    click.echo(f"loading articles from {root} ...")
    arts = A.load(root)
    out, index, emb, _ = bundle_outputs(scorer, arts, CACHE)
    ours = evaluate_articles(arts, out, scorer.manifest.scores, scorer.sources, progress=click.echo)
    columns = [(f"{scorer.info.name} {scorer.info.version}", ours)]
    if baseline is not None:
        graph, tokenizer = baseline / "model.onnx", baseline / "tokenizer.json"
        name, old = legacy_scores(
            baseline, arts, out, index, emb, lambda t: embed(graph, tokenizer, t, desc="baseline")
        )
        columns.insert(0, (f"{name} (baseline)", summarize_scores(arts, old)))
    console = Console(width=max(Console().width, 140))
    table = Table(title="Scores on labelled articles (AllSides: outlets never seen)")
    table.add_column("measure")
    for title, _ in columns:
        table.add_column(title, justify="right")
    for key in ours["auc"]:
        table.add_row(f"AUC {key}", *[str(c["auc"].get(key, "-")) for _, c in columns])
    for cls, med in ours["medians"].items():
        for score in ("objectivity", "accuracy", "accuracy_with_record", "transparency"):
            if score in med:
                cells = [str(c["medians"].get(cls, {}).get(score, "-")) for _, c in columns]
                table.add_row(f"median {score}: {cls} (n={med['n']})", *cells)
    console.print(table)
    heads = Table(title="Article heads vs TF-IDF + LR, same outlet-grouped folds")
    for col in ("head", "n", "AUC", "macro-F1", "TF-IDF AUC", "TF-IDF macro-F1"):
        heads.add_column(col)
    for name, r in ours["heads"].items():
        m, b = r["model"], r["baseline"]
        numbers = (m["n"], m["auc"], m["macro_f1"], b["auc"], b["macro_f1"])
        heads.add_row(name, *[str(c) for c in numbers])
    console.print(heads)
    refs = Table(
        title="For reference: the MBFC label from other ratings of the outlet (no text read)"
    )
    for col in ("rating", "AUC, MBFC high/very high vs mixed/lower"):
        refs.add_column(col)
    for name, auc in ours["outlet_references"].items():
        refs.add_row(name, str(auc))
    console.print(refs)
    evidence = scorer.manifest.evaluation.get("evidence", {})
    if isinstance(evidence, dict):
        ev = Table(title="Evidence precision at the display threshold (held-out sentences)")
        for col in ("label", "shown from", "precision", "recall", "shown"):
            ev.add_column(col)
        for label, r in evidence.items():
            figures = (r["threshold"], r["precision"], r["recall"], r["shown"])
            ev.add_row(label, *[str(c) for c in figures])
        console.print(ev)
    if seeds:
        click.echo(f"  articles: other outlet folds (seeds {', '.join(map(str, seeds))})")
        spread = fold_spread(arts, out, scorer.manifest.scores, scorer.sources, seeds)
        folds = Table(title="The same AUCs with the outlets drawn into folds by other seeds")
        folds.add_column("AUC")
        folds.add_column("reported folds", justify="right")
        for seed in seeds:
            folds.add_column(f"seed {seed}", justify="right")
        for key in next(iter(spread.values())):
            cells = [str(spread[seed][key]) for seed in seeds]
            folds.add_row(key, str(ours["auc"][key]), *cells)
        console.print(folds)
    click.echo(ours["protocol"])
