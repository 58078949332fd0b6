"""Examples shown in the OpenAPI document; tests send each request example and check the answer.

``ANALYSIS`` is a real response to ``TEXT_REQUEST`` from the default bundle, recorded by
``python -m credlens.api.examples`` (run it again after the model changes; a test compares).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).with_name("data") / "example_analysis.json"

TEXT_REQUEST: dict[str, Any] = {
    "url": "https://news.example.org/2024/05/city-council-approves-budget?utm_source=newsletter",
    "title": "City council approves $4.2 billion budget after six-hour debate",
    "text": (
        "The city council voted 9 to 4 on Tuesday night to approve a $4.2 billion budget for "
        "the next fiscal year, ending a debate that lasted more than six hours.\n\n"
        "The budget increases spending on public transit by 8 percent and adds 120 positions "
        "to the parks department, according to figures released by the mayor's office.\n\n"
        '"This budget keeps our buses running and our parks open," said council member Ana '
        "Ruiz, who chairs the finance committee. She said the transit money would pay for "
        "longer weekend service on three routes.\n\n"
        "Council member David Chen, who voted against the plan, said the city had not "
        'explained how it would cover a projected $150 million shortfall in 2026. "We are '
        'borrowing from next year to pay for this one," he said.\n\n'
        "The mayor is expected to sign the budget on Friday. The city's independent budget "
        "office said in a report last month that property tax revenue had grown 3 percent, "
        "less than the 5 percent assumed in the mayor's first proposal."
    ),
}

HTML_REQUEST: dict[str, Any] = {
    "url": "https://news.example.org/2024/05/library-hours#comments",
    "html": (
        "<!doctype html><html lang='en'><head><title>Libraries extend weekend hours | "
        "Example News</title><meta property='og:site_name' content='Example News'>"
        "<meta name='author' content='Maria Lopez'>"
        "<meta property='article:published_time' content='2024-05-14T09:00:00Z'></head>"
        "<body><nav><a href='/'>Home</a> <a href='/city'>City</a></nav><article>"
        "<h1>Libraries extend weekend hours</h1><p class='byline'>By Maria Lopez</p>"
        "<p>The city's 14 public libraries will stay open until 8 p.m. on Saturdays and "
        "Sundays starting in June, the library system announced on Monday.</p>"
        "<p>The change costs about $1.3 million a year and is paid for by a state grant, "
        "according to a statement from the library board. Branch managers said weekend "
        "visits rose 22 percent last year.</p>"
        '<p>"Families told us the weekend is the only time they can come," said library '
        "director Samuel Park. The board will review the hours again next spring, he said."
        "</p></article><footer>Copyright Example News</footer></body></html>"
    ),
}


def _recorded() -> dict[str, Any]:
    if not RECORDED.exists():  # only before the first ``python -m credlens.api.examples``
        return {}
    data: dict[str, Any] = json.loads(RECORDED.read_text(encoding="utf-8"))
    return data


ANALYSIS: dict[str, Any] = _recorded()
ANALYSIS_CACHED: dict[str, Any] = {**ANALYSIS, "cached": True}

_NOT_CACHED = "no cached analysis for this URL under the serving model"
_OVERLOADED = "all 2 workers and 8 queue places are taken; retry shortly"

#: Error examples by status (the statuses and codes themselves: ``api.errors.STATUS``).
ERRORS: dict[int, list[tuple[str, dict[str, Any]]]] = {
    404: [("Not cached", {"error": "not_found", "detail": _NOT_CACHED})],
    422: [("No article", {"error": "no_article", "detail": "no article found in the page"})],
    503: [("Overloaded", {"error": "overloaded", "detail": _OVERLOADED})],
}


def record() -> None:
    """Analyse ``TEXT_REQUEST`` with the default bundle and store it as ``ANALYSIS``."""
    import msgspec

    from credlens.cache import canonical_url
    from credlens.model import load_bundle
    from credlens.pipeline import analyze_article, prepare
    from credlens.schemas import AnalyzeRequest
    from credlens.settings import DEFAULT_BUNDLE

    request = msgspec.convert(TEXT_REQUEST, AnalyzeRequest)
    scorer = load_bundle(DEFAULT_BUNDLE)
    analysis = analyze_article(scorer, prepare(request), canonical_url(request.url))
    RECORDED.parent.mkdir(exist_ok=True)
    RECORDED.write_bytes(msgspec.json.format(msgspec.json.encode(analysis), indent=2) + b"\n")
    print(f"wrote {RECORDED}")


if __name__ == "__main__":
    record()
