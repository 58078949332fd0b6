"""``credlens bench``: benchmarks that run ours and a peer in one run and print the ratio."""

from __future__ import annotations

from pathlib import Path

import click

from credlens.cli.io import bundle_option, pages_option


@click.group()
def bench() -> None:
    """Benchmarks: ours and the peers side by side in one run, with ratios."""


@bench.command("extract")
@pages_option("A folder with html/<id>.html[.gz] and ground-truth.json (Scrapinghub layout).")
@click.option(
    "--vs",
    default="trafilatura,readability,resiliparse",
    show_default=True,
    help="Comma-separated peers (from the `bench` extra): "
    "trafilatura, trafilatura-defaults, readability, resiliparse. 'none' for ours alone.",
)
@click.option("--passes", default=1, show_default=True, help="Timed passes over the pages.")
@click.option("--limit", type=int, help="Only the first N pages (quick checks).")
@click.option("--worst", default=0, show_default=True, help="List our N worst pages.")
def bench_extract(data: Path, vs: str, passes: int, limit: int | None, worst: int) -> None:
    """Extraction quality (shingle P/R/F1) and speed, ours vs peers, on a gold set."""
    from credlens_bench.extract import run_extract_bench

    peers = [] if vs.strip().lower() == "none" else [p.strip() for p in vs.split(",") if p.strip()]
    run_extract_bench(data, peers, passes=passes, limit=limit, worst=worst)


@bench.command("model")
@bundle_option("The model bundle to measure.")
@pages_option("Where the 1,000-word English article is taken from (Scrapinghub layout).")
@click.option("--repeats", default=20, show_default=True, help="Timed scoring runs.")
@click.option("--no-torch", is_flag=True, help="Skip the sentence-transformers (torch) peer.")
@click.option(
    "--baseline",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Another bundle (e.g. the previous release) timed in alternation with --bundle.",
)
@click.option(
    "--rounds",
    default=1,
    show_default=True,
    help="Fresh-process rounds per bundle (alternating with --baseline); medians over rounds.",
)
def bench_model(
    bundle: Path, data: Path, repeats: int, no_torch: bool, baseline: Path | None, rounds: int
) -> None:
    """Scoring cost of a 1,000-word article on one thread: median time, the headline + summary
    time on top, session load, RSS, and the same sentences through the sentence-transformers
    PyTorch encoder as a ratio. With --baseline, another bundle's scoring time in alternating
    rounds and the ratio (this is how to compare releases on a machine whose speed drifts)."""
    from credlens_bench.model import run_model_bench

    run_model_bench(bundle, data, repeats, not no_torch, baseline=baseline, rounds=rounds)


@bench.command("headline")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("../shared/data/labels/bbc_news_headlines/dev.jsonl"),
    show_default=True,
    help="JSON lines with id, title (the real headline) and text (the body).",
)
@bundle_option("The model bundle (sentences, embeddings, clickbait head).")
@click.option(
    "--split",
    type=click.Choice(["all", "tune", "eval"]),
    default="all",
    show_default=True,
    help="Dev rows to run: the tuning part (70%), the held-out part (30%) or all.",
)
@click.option("--limit", type=int, help="Only the first N articles (quick checks).")
@click.option(
    "--examples", default=0, show_default=True, help="Print N suggestions (a seeded sample)."
)
@pages_option(
    "Where `bench model`'s 1,000-word article comes from (timed alone; skipped if absent).",
    name="--long-article",
    must_exist=False,
)
@click.option(
    "--neus",
    is_flag=True,
    help="NeuS mode: outlet headline + lead → the AllSides editors' neutral title (ours vs "
    "keeping the original vs the lead cut to 12 words; --split eval is the authors' val split, "
    "tune their train split).",
)
@click.option(
    "--neus-data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("../shared/data/articles/neus_allsides_roundups/dev.jsonl.gz"),
    show_default=True,
    help="The NeuS roundups (JSON lines, gzip).",
)
def bench_headline(
    data: Path,
    bundle: Path,
    split: str,
    limit: int | None,
    examples: int,
    long_article: Path,
    neus: bool,
    neus_data: Path,
) -> None:
    """Suggested headlines generated from the body alone vs the real ones: ROUGE-1/ROUGE-L F
    for ours and two baselines (first sentence cut to 12 words, sentence closest to the
    centroid), with three diagnostic rows (the bundle's headline ranker's first choice before
    the clickbait penalty; the best of the candidates picked with the real headline, the
    ceiling of choosing among them; the best of those with a finite main verb and not more
    clickbait than the real headline), clickbait probability of ours and of the originals,
    how often the original is kept, the share with a finite main verb (spaCy, dev extra), and
    the time headline + summary add to scoring per 1,000 words. With --neus: the NeuS
    neutral-title task, with the best candidate less loaded than the original as a ceiling."""
    if neus:
        from credlens_bench.neus import run_neus_bench

        if not neus_data.exists():
            raise click.BadParameter(f"{neus_data} does not exist", param_hint="--neus-data")
        run_neus_bench(neus_data, bundle, split=split, limit=limit, examples=examples)
        return
    from credlens_bench.headline import run_headline_bench

    run_headline_bench(
        data, bundle, split=split, limit=limit, examples=examples, long_article=long_article
    )


@bench.command("api")
@pages_option("The tuning-set pages sent to the service (Scrapinghub layout).")
@click.option(
    "--server",
    type=click.Choice(["granian", "uvicorn"]),
    default="granian",
    show_default=True,
    help="ASGI server for ours, the bare handler and the naive stack.",
)
@click.option("--limit", default=60, show_default=True, help="English pages used (0 = all).")
@click.option("--concurrency", default=4, show_default=True, help="Requests in flight (pages/s).")
@click.option("--seconds", default=5.0, show_default=True, help="Length of each wrk round.")
@click.option("--rounds", default=3, show_default=True, help="Alternating wrk rounds.")
@click.option("--connections", default=32, show_default=True, help="wrk connections.")
@click.option("--no-naive", is_flag=True, help="Skip the trafilatura + torch naive stack.")
@click.option(
    "--baseline",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Instead: compare with another checkout's root (e.g. `git worktree add /tmp/before "
    "<commit>`), both served at once, alternating rounds; prints after/before ratios.",
)
def bench_api(
    data: Path,
    server: str,
    limit: int,
    concurrency: int,
    seconds: float,
    rounds: int,
    connections: int,
    no_naive: bool,
    baseline: Path | None,
) -> None:
    """The service on loopback: uncached and cached latency and throughput, beside a bare
    Litestar handler and a naive trafilatura + sentence-transformers stack, in one run (or,
    with --baseline, beside an earlier checkout of credlens)."""
    from credlens_bench.api import run_api_bench, run_api_comparison

    if baseline is not None:
        run_api_comparison(
            data,
            baseline,
            server=server,
            limit=limit or None,
            concurrency=concurrency,
            seconds=seconds,
            rounds=rounds,
            connections=connections,
        )
        return

    run_api_bench(
        data,
        server=server,
        limit=limit or None,
        concurrency=concurrency,
        seconds=seconds,
        rounds=rounds,
        connections=connections,
        naive=not no_naive,
    )


@bench.command("soak")
@pages_option("The tuning-set pages sent to the service (Scrapinghub layout).")
@click.option("--minutes", default=5.0, show_default=True, help="Length of the soak.")
@click.option("--load", default=0.8, show_default=True, help="Soak rate, share of capacity.")
@click.option("--overload", default=3.0, show_default=True, help="Overload rate, x capacity.")
@click.option("--cached", default=0.5, show_default=True, help="Share of cached requests.")
@click.option("--concurrency", default=4, show_default=True, help="Clients measuring capacity.")
@click.option(
    "--capacity-seconds",
    default=20.0,
    show_default=True,
    help="Length of the capacity and recovery measurements.",
)
@click.option("--overload-seconds", default=20.0, show_default=True, help="Length of overload.")
@click.option("--limit", default=40, show_default=True, help="English pages used.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Figures as JSON.")
def bench_soak(
    data: Path,
    minutes: float,
    load: float,
    overload: float,
    cached: float,
    concurrency: int,
    capacity_seconds: float,
    overload_seconds: float,
    limit: int,
    json_out: Path | None,
) -> None:
    """A bounded soak at ~80% of measured capacity (errors, RSS growth), then 3x overload
    (503 + Retry-After) and recovery, against `credlens serve` on 127.0.0.1. Exits 1 if a
    check fails."""
    import json

    from credlens_bench.soak import figures_json, run_soak_bench

    figures = run_soak_bench(
        data,
        minutes=minutes,
        load=load,
        overload=overload,
        cached=cached,
        concurrency=concurrency,
        capacity_seconds=capacity_seconds,
        overload_seconds=overload_seconds,
        limit=limit,
    )
    if json_out is not None:
        json_out.write_text(json.dumps(figures_json(figures), indent=2))
    if not figures.passed:
        raise SystemExit(1)


@bench.command("hostile")
@pages_option("The tuning-set pages of the ordinary requests (Scrapinghub layout).")
@click.option("--requests", default=1000, show_default=True, help="Ordinary, then hostile.")
@click.option("--size", default=64_000, show_default=True, help="Characters per hostile run.")
@click.option("--concurrency", default=2, show_default=True, help="Clients sending at once.")
def bench_hostile(data: Path, requests: int, size: int, concurrency: int) -> None:
    """Hostile-input classes against `credlens serve`: /healthz latency while they run (target
    100 ms), each class's answer at SIZE and at 1 MB, and RSS after N hostile vs N ordinary
    requests (target within 10%). Exits 1 if a target is missed."""
    from credlens_bench.hostile import run_hostile_bench

    if not run_hostile_bench(data, requests=requests, size=size, concurrency=concurrency):
        raise SystemExit(1)


@bench.command("middleware")
@click.option("--repeats", default=2000, show_default=True, help="Requests per variant per round.")
@click.option("--rounds", default=7, show_default=True, help="Rounds (variants alternate).")
def bench_middleware(repeats: int, rounds: int) -> None:
    """Per-request cost of each HTTP middleware (ours and Litestar's), in process, no sockets:
    the figures behind keeping or replacing a hand-written piece."""
    from credlens_bench.middleware import run_middleware_bench

    run_middleware_bench(repeats, rounds)
