"""A page cannot borrow another outlet's credibility: the outlet is the request URL's.

Issue #14, fault 3: a page on a "low" outlet declaring ``<link rel=canonical>`` on Reuters got
Reuters' "high" record (+0.7 on the average). Whatever the page declares about itself (canonical
link, ``og:url``), its scores are those of the same page without the declaration; the
declaration is reported in ``article.canonical_url`` / ``canonical_elsewhere``.
"""

from __future__ import annotations

import gzip
import json
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credlens.model import Scorer, load_bundle
from credlens.pipeline import analyze_article, prepare
from credlens.schemas import Analysis, AnalyzeRequest
from credlens.settings import DEFAULT_BUNDLE
from tests.test_scoring import PAGES, REUTERS_MARKETS

LOW_OUTLET_URL = "https://100percentfedup.com/2026/markets-report"


@cache
def _scorer() -> Scorer:
    return load_bundle(DEFAULT_BUNDLE)


@cache
def _sources() -> dict[str, str]:
    data: dict[str, str] = json.loads((DEFAULT_BUNDLE / "sources.json").read_text())
    return data


def _html() -> str:
    return gzip.decompress((PAGES / "html" / f"{REUTERS_MARKETS}.html.gz").read_bytes()).decode()


def _declaring(html: str, canonical: str) -> str:
    """The page with every self-declaration replaced by ``canonical``."""
    head = (
        f'<link rel="canonical" href="{canonical}">'
        f'<meta property="og:url" content="{canonical}">'
        f'<meta property="og:site_name" content="Reuters">'
    )
    return html.replace("<head>", "<head>" + head, 1) if "<head>" in html else head + html


def _analyse(html: str, url: str = LOW_OUTLET_URL) -> Analysis:
    return analyze_article(_scorer(), prepare(AnalyzeRequest(url=url, html=html)), url)


def test_the_low_outlet_is_listed_low_and_reuters_high() -> None:
    # The fixture means what the test says.
    assert _sources()["100percentfedup.com"] == "low" and _sources()["reuters.com"] == "high"


def test_a_canonical_link_on_reuters_does_not_lend_its_record() -> None:
    plain = _analyse(_html())
    borrowed = _analyse(_declaring(_html(), "https://www.reuters.com/markets/us/story-idUS1"))
    assert borrowed.scores == plain.scores
    assert borrowed.details is not None
    assert borrowed.article.canonical_elsewhere is True
    assert borrowed.article.canonical_url == "https://www.reuters.com/markets/us/story-idUS1"
    records = [e for e in borrowed.details.accuracy.evidence if e.label == "outlet_record"]
    # The record shown is the low outlet's (a negative effect), never Reuters'.
    assert records and all(e.weight < 0 for e in records)
    on_reuters = _analyse(_html(), "https://www.reuters.com/markets/us/story-idUS1")
    assert on_reuters.article.canonical_elsewhere is False


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    host=st.sampled_from(sorted(d for d in _sources() if d)),
    path=st.from_regex(r"/[a-z0-9/-]{0,30}", fullmatch=True),
    www=st.booleans(),
)
def test_no_declared_outlet_changes_the_scores(host: str, path: str, www: bool) -> None:
    plain = _analyse(_html())
    declared = f"https://{'www.' if www else ''}{host}{path}"
    borrowed = _analyse(_declaring(_html(), declared))
    assert borrowed.scores == plain.scores
    assert borrowed.article.canonical_elsewhere is (host != "100percentfedup.com")
