"""The ``credlens`` command line, run in-process with click's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from credlens.cli import main
from tests.conftest import SCRAPINGHUB, SHARED

PAGE = (
    "<html><head><title>Storm hits coast | Daily Planet</title></head><body><article>"
    + (
        "<p>The storm reached the coast on Tuesday night, the weather service said, "
        "and thousands of homes lost power across the region.</p>" * 3
    )
    + "</article></body></html>"
)


def test_extract_prints_title_and_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Storm hits coast\n")
    assert "thousands of homes lost power" in result.output


def test_extract_json_from_stdin() -> None:
    result = CliRunner().invoke(
        main, ["extract", "-", "--json", "--url", "https://x.org/a"], input=PAGE
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == "Storm hits coast"
    assert data["canonical_url"] == "https://x.org/a"
    assert data["word_count"] > 30


def test_extract_missing_file_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["extract", "no/such/page.html"])
    assert result.exit_code == 2
    assert "no such file: no/such/page.html" in result.output


def test_extract_without_article_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert "no article found (no_article)" in result.output


def test_extract_reads_gzip_pages() -> None:
    page = sorted((SCRAPINGHUB / "html").glob("*.html.gz"))[0]
    result = CliRunner().invoke(main, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    assert len(result.output) > 500


def test_bench_extract_runs_on_a_few_pages() -> None:
    result = CliRunner().invoke(
        main, ["bench", "extract", "--data", str(SCRAPINGHUB), "--vs", "none", "--limit", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "credlens" in result.output and "pages/s" in result.output
    assert "Metadata found" in result.output


def test_bench_headline_neus_mode_runs_on_a_few_outlets() -> None:
    """The NeuS mode prints ours, the kept original and the lead baseline with ROUGE, both
    heads and the finite-verb share (spaCy from the dev extra)."""
    neus = SHARED / "data" / "articles" / "neus_allsides_roundups" / "dev.jsonl.gz"
    result = CliRunner().invoke(
        main, ["bench", "headline", "--neus", "--neus-data", str(neus), "--limit", "6"]
    )
    assert result.exit_code == 0, result.output
    for text in ("ours (as served)", "original kept", "lead cut to 12", "less loaded", "oracle"):
        assert text in result.output
    assert "(dev extra)" not in result.output


def test_bench_headline_measures_finite_verbs_on_a_few_articles() -> None:
    bbc = SHARED / "data" / "labels" / "bbc_news_headlines" / "dev.jsonl"
    result = CliRunner().invoke(
        main,
        ["bench", "headline", "--data", str(bbc), "--limit", "4", "--examples", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "Finite main verb" in result.output and "ours (" in result.output


def test_bench_model_times_a_baseline_bundle_in_alternating_rounds() -> None:
    """Two rounds each of the default bundle and the TF-IDF swap bundle as the baseline: both
    sides' per-round times and their ratio are printed (no figure is asserted)."""
    models = Path(__file__).resolve().parents[1] / "models"
    bundles = ["--bundle", str(models / "credlens-default")]
    bundles += ["--baseline", str(models / "credlens-tfidf-small")]
    args = ["bench", "model", "--no-torch", "--repeats", "2", "--rounds", "2", *bundles]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "2 alternating rounds" in result.output
    assert "median of the rounds' ratios" in result.output


def test_help_explains_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.output and "bench" in result.output


def test_a_missing_bundle_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    for command in (["model", "score"], ["analyze"]):
        result = CliRunner().invoke(main, [*command, str(path), "--bundle", str(tmp_path)])
        assert result.exit_code == 1, result.output
        assert "manifest" in result.output and result.exception is not None
        assert isinstance(result.exception, SystemExit), command
