"""``credlens analyze``: the service's pipeline on local pages, without a server."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
from click.testing import CliRunner

from credlens.cli import main
from credlens.schemas import Analysis, ErrorBody
from credlens_bench.extract import Page


def _write(tmp: Path, page: Page, name: str) -> Path:
    path = tmp / f"{name}.html"
    path.write_text(page.html, encoding="utf-8")
    return path


def test_analyze_json_for_pages(
    tmp_path: Path, english_pages: list[Page], foreign_page: Page
) -> None:
    english = _write(tmp_path, english_pages[0], "en")
    result = CliRunner().invoke(
        main, ["analyze", str(english), "--url", english_pages[0].url, "--json"]
    )
    assert result.exit_code == 0, result.output
    analysis = msgspec.json.decode(result.stdout.strip(), type=Analysis)
    assert analysis.scores is not None and analysis.url.startswith("http")
    assert analysis.cached is False and analysis.summary

    foreign = _write(tmp_path, foreign_page, "pt")
    result = CliRunner().invoke(main, ["analyze", str(english), str(foreign), "--json"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(lines) == 2 and lines[0]["scores"] is not None
    error = msgspec.convert(lines[1], ErrorBody)
    assert error.error == "unsupported_language" and error.analysis is not None


def test_analyze_text_output_and_no_article(tmp_path: Path, english_pages: list[Page]) -> None:
    page = _write(tmp_path, english_pages[1], "en")
    result = CliRunner().invoke(main, ["analyze", str(page)])
    assert result.exit_code == 0, result.output
    assert "objectivity" in result.stdout and "suggested:" in result.stdout
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Home</nav></body></html>")
    result = CliRunner().invoke(main, ["analyze", str(empty)])
    assert result.exit_code == 1 and "no article" in result.stderr
