"""Shared fixtures: the real pages of the tuning set beside the project (``../shared``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from credlens_bench.extract import Page, load_pages

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCRAPINGHUB = SHARED / "data" / "extraction" / "scrapinghub"


@pytest.fixture(scope="session")
def tuning_pages() -> list[Page]:
    """The 181 pages of the extraction tuning set, with their gold text."""
    if not (SCRAPINGHUB / "ground-truth.json").exists():
        pytest.fail(f"the tuning set is missing: {SCRAPINGHUB} (clone ../shared beside the repo)")
    return load_pages(SCRAPINGHUB)
