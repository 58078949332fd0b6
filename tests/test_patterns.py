"""Every regular expression of the serving package costs time linear in the text it reads.

Issue #14's first fault class: a backtracking pattern on page text (a run of 32,000 dots took
11 s, holding the GIL). Page text is only read through RE2 (``credlens.patterns``), linear by
construction; this file checks that policy, then measures every compiled pattern of the
package, RE2 or not, on adversarial repetitions made from its own characters: four times the
text may cost at most ``GROWTH_BOUND`` times as much (linear: 4, quadratic: 16). No wall-clock
bound: only the ratio, and only where the cost is large enough to measure.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import credlens
from credlens import patterns
from credlens.model.features import sentence_facts
from credlens.text import split_sentences

#: Sizes (characters) between which growth is measured, and the ratio allowed for 4x the text.
SMALL, LARGE = 4_000, 16_000
GROWTH_BOUND = 8.0
#: Below this cost at the large size the ratio is noise; a quadratic pattern on 16,000
#: characters (about 10^8 steps) costs far more.
MEASURABLE_S = 0.0005
#: A linear pass over 4,000 characters costs well under a millisecond; this much means a
#: backtracking blow-up, and the large size is not even tried.
SMALL_ALREADY_SLOW_S = 0.05
#: The same for splitting plus per-sentence facts, which do real work per sentence: 2,000
#: one-letter lines ("a\n" repeated) cost 0.04 s measured, so 0.05 s tripped under load.
#: 25x that cost is still far below a quadratic blow-up's.
SPLIT_ALREADY_SLOW_S = 1.0

#: Modules that read page text (extraction, splitting, features, headline, summary): no
#: backtracking ``re`` there.
PAGE_TEXT_MODULES = (
    "credlens.text",
    "credlens.pipeline",
    "credlens.model",
    "credlens.suggest",
    "credlens.extract",
)
_RE2_TYPE = type(patterns.compile("a"))
#: Characters every pattern is tried with, besides its own: letters, digits, space and the
#: punctuation of the fault reports (end marks, quotes, tags).
_COMMON = "aA1 .!?,;:'\"„«»“”()<>-_/\t\n"


def _serving_modules() -> Iterator[str]:
    for info in pkgutil.walk_packages(credlens.__path__, "credlens."):
        if not info.name.startswith("credlens.cli"):
            yield info.name


def _compiled() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in _serving_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern | _RE2_TYPE) and value not in (v for _, v in found):
                found.append((f"{name}.{attr}", value))
    return found


COMPILED = _compiled()


def test_the_package_has_patterns_to_check() -> None:
    assert len(COMPILED) >= 30, [n for n, _ in COMPILED]


@pytest.mark.parametrize(
    "module", [m for m in _serving_modules() if m.startswith(PAGE_TEXT_MODULES)]
)
def test_page_text_is_read_with_linear_patterns_only(module: str) -> None:
    mod = importlib.import_module(module)
    backtracking = [a for a, v in vars(mod).items() if isinstance(v, re.Pattern)]
    assert backtracking == [], f"{module}: use credlens.patterns, not re, for {backtracking}"
    source = Path(mod.__file__ or "").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import re\b|from re import)", source, re.M), module


def _cost(fn: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def _growth(
    fn: Callable[[str], object], unit: str, already_slow: float = SMALL_ALREADY_SLOW_S
) -> tuple[float, float]:
    small = _cost(fn, unit * (SMALL // len(unit)))
    if small > already_slow:
        # Super-linear for sure: do not wait for the large size (a quadratic pattern takes
        # minutes there); report an infinite ratio.
        return small, float("inf")
    return small, _cost(fn, unit * (LARGE // len(unit)))


def _units(pattern: str) -> list[str]:
    chars = sorted(set(pattern.replace("\\", "")) | set(_COMMON))
    return [u for c in chars for u in (c, c + " ", "A" + c, "a" + c + "a")]


@pytest.mark.parametrize(("name", "compiled"), COMPILED, ids=[n for n, _ in COMPILED])
def test_every_pattern_is_linear_on_adversarial_text(name: str, compiled: object) -> None:
    search = compiled.search  # type: ignore[attr-defined]
    worst = (0.0, "", 0.0, 0.0)
    for unit in _units(compiled.pattern):  # type: ignore[attr-defined]
        small, large = _growth(search, unit)
        if large > MEASURABLE_S:
            ratio = large / max(small, 1e-9)
            worst = max(worst, (ratio, unit, small, large))
    ratio, unit, small, large = worst
    assert ratio <= GROWTH_BOUND, (
        f"{name}: {LARGE // SMALL}x the text ({unit!r} repeated) cost {ratio:.1f}x "
        f"({small * 1000:.2f} → {large * 1000:.2f} ms)"
    )


# --- The functions that read every sentence: generated members of the class --------------------

_alphabet = st.sampled_from([*_COMMON, "Mr", "Dr", "U.S", "said", "Capital", "é", "…"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.lists(_alphabet, min_size=1, max_size=5).map("".join))
def test_splitting_and_sentence_facts_grow_linearly(unit: str) -> None:
    for fn in (split_sentences, lambda t: [sentence_facts(s) for s in split_sentences(t)]):
        small, large = _growth(fn, unit, SPLIT_ALREADY_SLOW_S)
        if large > MEASURABLE_S:
            assert large / max(small, 1e-9) <= GROWTH_BOUND, (unit, small, large)


@pytest.mark.parametrize(
    "text",
    [
        "x " + "." * 32_000,
        "Mr. " * 12_000,
        "He was there " + "!" * 32_000 + " and left.",
        "a" * 32_000 + "! Then",
        "b" * 32_000 + "? Then",
        "The " + "Capitalised " * 4_000 + "said",
        "„" * 32_000,
        "«" * 32_000,
        '"' + "word " * 8_000,
    ],
    ids=[
        "dot run",
        "abbreviations",
        "! run",
        "long word before !",
        "long word before ?",
        "Capitalised Words",
        "„ run",
        "« run",
        "open quote",
    ],
)
def test_the_reported_examples_grow_linearly(text: str) -> None:
    """The issue's examples (32 KB froze the service for 11 s), and the same at twice the size."""

    def run(t: str) -> None:
        for sentence in split_sentences(t):
            sentence_facts(sentence)

    once = _cost(run, text)
    twice = _cost(run, text + " " + text)
    assert twice <= max(2 * GROWTH_BOUND / 4 * once, MEASURABLE_S), (once, twice)
