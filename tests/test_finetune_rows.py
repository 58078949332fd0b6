"""The fine-tuning row cap: every row the evaluation scores is trained on when they fit, the
cap holds, and the draw is a seeded function of its input (numpy only: no train extra). The
heads' rows: never a proxy set's (Pang & Lee only fine-tunes the encoder)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from credlens_training import data as D
from credlens_training import finetune as F


def _examples(flags: list[bool]) -> list[D.Example]:
    return [D.Example(f"t{i}", i % 2, "d", f"g{i}", evaluate=f) for i, f in enumerate(flags)]


@given(
    flags=st.lists(st.booleans(), min_size=0, max_size=60),
    cap=st.integers(min_value=1, max_value=40),
    data=st.data(),
)
@settings(max_examples=200, deadline=None)
def test_cap_keeps_scored_rows_first(flags: list[bool], cap: int, data: st.DataObject) -> None:
    examples = _examples(flags)
    idx = np.asarray(
        sorted(data.draw(st.sets(st.integers(0, max(len(flags) - 1, 0)), max_size=len(flags)))),
        dtype=np.int64,
    )
    idx = idx[idx < len(flags)]
    got = F._cap(examples, idx, np.random.default_rng(13), cap)
    again = F._cap(examples, idx, np.random.default_rng(13), cap)
    assert np.array_equal(got, again)
    assert len(got) == min(len(idx), cap)
    assert set(got.tolist()) <= set(idx.tolist())
    assert np.all(np.diff(got) > 0)
    scored = {int(i) for i in idx if examples[i].evaluate}
    kept = {int(i) for i in got if examples[i].evaluate}
    assert kept == scored if len(scored) <= cap else len(kept) == cap


def test_cap_on_opinion_like_mix() -> None:
    """4 news rows and 8 train-only rows under a cap of 6: all 4 news rows and 2 others."""
    examples = _examples([True] * 4 + [False] * 8)
    got = F._cap(examples, np.arange(12), np.random.default_rng(0), 6)
    assert got[:4].tolist() == [0, 1, 2, 3]
    assert len(got) == 6


@given(flags=st.lists(st.booleans(), max_size=60), data=st.data())
@settings(max_examples=200, deadline=None)
def test_heads_never_learn_from_proxy_rows(flags: list[bool], data: st.DataObject) -> None:
    examples = _examples(flags)
    picked = data.draw(st.sets(st.integers(0, max(len(flags) - 1, 0)), max_size=len(flags)))
    idx = np.asarray(sorted(i for i in picked if i < len(flags)), dtype=np.int64)
    got = D.head_rows(examples, idx)
    assert got.tolist() == [int(i) for i in idx if flags[i]]
    assert D.head_rows(examples).tolist() == [i for i, f in enumerate(flags) if f]
