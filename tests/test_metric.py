"""The Scrapinghub benchmark metric, checked on cases small enough to count by hand."""

from __future__ import annotations

import pytest

from credlens_bench.metric import bootstrap_f1_std, score_page, shingles, summarize, tokens


def test_tokens_keep_case_and_drop_punctuation() -> None:
    assert tokens("The U.S. said: 'No'!") == ["The", "U", "S", "said", "No"]


def test_short_text_is_one_shingle() -> None:
    assert shingles(["a", "b"]) == {("a", "b"): 1}
    assert shingles([]) == {}


def test_identical_text_scores_one() -> None:
    page = score_page("one two three four five", "one two three four five")
    assert (page.precision, page.recall, page.exact) == (1.0, 1.0, True)


def test_counts_by_hand() -> None:
    # gold shingles: (a b c d), (b c d e); prediction: (a b c d), (b c d x)
    page = score_page("a b c d x", "a b c d e")
    assert page.precision == pytest.approx(0.5)
    assert page.recall == pytest.approx(0.5)


def test_empty_prediction_is_left_out_of_precision() -> None:
    empty = score_page("", "some gold text here")
    full = score_page("some gold text here", "some gold text here")
    assert empty.precision is None
    summary = summarize([empty, full])
    assert summary.precision == 1.0
    assert summary.recall == pytest.approx(0.5)
    assert summary.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_bootstrap_is_repeatable() -> None:
    pages = [score_page("a b c d e", "a b c d e"), score_page("a b c d", "w x y z")]
    assert bootstrap_f1_std(pages, rounds=50) == bootstrap_f1_std(pages, rounds=50)
