"""``credlens bench extract``: ours and peer extractors on a gold set, in one process.

Speed counts only the extractor call (HTML ``str`` → text), single-threaded, after one
warm-up call, like ``../shared/docs/baselines.md``. Quality is the Scrapinghub metric
(``metric``). Peers come from the ``bench`` extra and are imported only when asked for.
"""

from __future__ import annotations

import gzip
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress
from rich.table import Table

from credlens.extract import extract
from credlens_bench import console as bench_console
from credlens_bench.metric import PageScore, bootstrap_f1_std, score_page, summarize

Extractor = Callable[[str, str], str]


def _ours(html: str, url: str) -> str:
    return extract(html, url).text


def _trafilatura(**options: object) -> Extractor:
    import trafilatura

    def run(html: str, url: str) -> str:
        return trafilatura.extract(html, **options) or ""  # type: ignore[arg-type]

    return run


def _readability() -> Extractor:
    import lxml.html
    from readability import Document

    def run(html: str, url: str) -> str:
        summary = Document(html).summary(html_partial=True)
        return str(lxml.html.fromstring(summary).text_content()) if summary.strip() else ""

    return run


def _resiliparse() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text

    def run(html: str, url: str) -> str:
        return str(extract_plain_text(html, main_content=True))

    return run


PEERS: dict[str, tuple[str, Callable[[], Extractor]]] = {
    "trafilatura": (
        "trafilatura (include_comments=False)",
        lambda: _trafilatura(include_comments=False),
    ),
    "trafilatura-defaults": ("trafilatura (defaults)", lambda: _trafilatura()),
    "readability": ("readability-lxml", _readability),
    "resiliparse": ("resiliparse (main_content=True)", _resiliparse),
}

#: Article fields whose coverage is reported (share of pages where the field is found).
METADATA_FIELDS = (
    "title",
    "byline",
    "published",
    "site_name",
    "language",
    "canonical_url",
    "description",
)


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    html: str
    gold: str


@dataclass(slots=True)
class Result:
    name: str
    scores: list[PageScore]
    seconds: list[float]
    empty: int

    @property
    def pages_per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds) if sum(self.seconds) else 0.0


def load_pages(data: Path, limit: int | None = None) -> list[Page]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        path = data / "html" / f"{page_id}.html.gz"
        raw = gzip.decompress(path.read_bytes()) if path.exists() else None
        if raw is None:
            raw = (data / "html" / f"{page_id}.html").read_bytes()
        entry = truth[page_id]
        pages.append(Page(page_id, entry["url"], raw.decode("utf-8"), entry["articleBody"]))
    return pages


def measure(name: str, fn: Extractor, pages: list[Page], passes: int, progress: Progress) -> Result:
    fn(pages[0].html, pages[0].url)  # warm-up: imports, caches, first-call costs
    seconds = [0.0] * len(pages)
    outputs = [""] * len(pages)
    task = progress.add_task(name, total=len(pages) * passes)
    for _ in range(passes):
        for i, page in enumerate(pages):
            start = time.perf_counter()
            outputs[i] = fn(page.html, page.url)
            seconds[i] += time.perf_counter() - start
            progress.advance(task)
    scores = [score_page(out, page.gold) for out, page in zip(outputs, pages, strict=True)]
    return Result(name, scores, [s / passes for s in seconds], sum(not o.strip() for o in outputs))


def run_extract_bench(
    data: Path, peers: list[str], *, passes: int = 1, limit: int | None = None, worst: int = 0
) -> list[Result]:
    console = bench_console()
    unknown = [p for p in peers if p not in PEERS]
    if unknown:
        raise SystemExit(f"unknown peer(s): {', '.join(unknown)}; choose from {', '.join(PEERS)}")
    pages = load_pages(data, limit)
    extractors: list[tuple[str, Extractor]] = [("credlens", _ours)]
    for key in peers:
        label, factory = PEERS[key]
        try:
            extractors.append((label, factory()))
        except ImportError as exc:
            raise SystemExit(
                f"peer {key!r} is not installed ({exc}); install the bench extra: "
                "pip install -e '.[bench]'"
            ) from exc
    with Progress(console=console, transient=True) as progress:
        results = [measure(n, fn, pages, passes, progress) for n, fn in extractors]

    ours = results[0]
    table = Table(title=f"Extraction on {data} ({len(pages)} pages, {passes} pass(es))")
    for col in (
        "extractor",
        "P",
        "R",
        "F1",
        "±F1",
        "acc",
        "empty",
        "pages/s",
        "median ms",
        "ours ×",
    ):
        table.add_column(col, justify="left" if col == "extractor" else "right")
    for r in results:
        s = summarize(r.scores)
        ratio = ours.pages_per_second / r.pages_per_second if r.pages_per_second else 0.0
        table.add_row(
            r.name,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            f"{bootstrap_f1_std(r.scores):.3f}",
            f"{s.accuracy:.3f}",
            str(r.empty),
            f"{r.pages_per_second:.0f}",
            f"{statistics.median(r.seconds) * 1000:.2f}",
            "1.0" if r is ours else f"{ratio:.1f}",
        )
    console.print(table)
    console.print("ours × = our pages/s divided by that extractor's, measured in this run.")

    articles = [extract(p.html, p.url) for p in pages]
    meta = Table(title="Metadata found (share of pages)")
    for fld in METADATA_FIELDS:
        meta.add_column(fld, justify="right")
    meta.add_row(
        *(f"{sum(bool(getattr(a, f)) for a in articles) / len(pages):.2f}" for f in METADATA_FIELDS)
    )
    console.print(meta)

    if worst:
        ranked = sorted(
            zip(ours.scores, pages, strict=True),
            key=lambda sp: min(sp[0].precision or 0.0, sp[0].recall or 0.0),
        )
        for score, page in ranked[:worst]:
            p = f"{score.precision:.2f}" if score.precision is not None else "-"
            console.print(f"{page.id[:12]}  P={p} R={score.recall or 0:.2f}  {page.url}")
    return results
