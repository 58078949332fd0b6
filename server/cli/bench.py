"""``credlens bench``: benchmarks that run ours and a peer in one run and print the ratio."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def bench() -> None:
    """Benchmarks: ours and the peers side by side in one run, with ratios."""


@bench.command("extract")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("../shared/data/extraction/scrapinghub"),
    show_default=True,
    help="A folder with html/<id>.html[.gz] and ground-truth.json (Scrapinghub layout).",
)
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
    from ..bench.extract import run_extract_bench

    peers = [] if vs.strip().lower() == "none" else [p.strip() for p in vs.split(",") if p.strip()]
    run_extract_bench(data, peers, passes=passes, limit=limit, worst=worst)
