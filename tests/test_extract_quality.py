"""A pinned quality floor on the tuning set: quality can only go up (the issue's targets)."""

from __future__ import annotations

from credlens.extract import extract
from credlens_bench.extract import Page
from credlens_bench.metric import score_page, summarize

#: The issue's targets (best peer measured here: trafilatura, F1 0.960).
MIN_F1 = 0.965
MIN_PRECISION = 0.95


def test_tuning_set_floor(tuning_pages: list[Page]) -> None:
    outputs = [extract(page.html, page.url).text for page in tuning_pages]
    empty = [p.url for p, out in zip(tuning_pages, outputs, strict=True) if not out.strip()]
    assert not empty, f"empty output on {empty}"
    scores = [score_page(out, p.gold) for out, p in zip(outputs, tuning_pages, strict=True)]
    summary = summarize(scores)
    print(f"tuning set: P={summary.precision:.4f} R={summary.recall:.4f} F1={summary.f1:.4f}")
    assert summary.precision >= MIN_PRECISION
    assert summary.f1 >= MIN_F1


def test_bytes_and_str_agree(tuning_pages: list[Page]) -> None:
    for page in tuning_pages[:20]:
        assert extract(page.html.encode("utf-8"), page.url) == extract(page.html, page.url)
