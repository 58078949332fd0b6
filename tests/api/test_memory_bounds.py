"""Memory bounded in bytes: the analysis cache, the size of one entry, what a page can make us keep.

Issue #14, fault 4: the cache was bounded in entries only, and a 0.5 MB sentence came back in
the summary and the evidence (3 MiB per entry). Now the in-memory cache is bounded in bytes
(keys included) as well as entries, a stored entry is capped, and sentences are cut at
``MAX_SENTENCE_CHARS`` before anything quotes them.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credlens.cache.backends import LocalCache, entry_bytes
from credlens.schemas import CacheEntry
from credlens.text import MAX_SENTENCE_CHARS
from tests.api.conftest import MakeClient

pytestmark = pytest.mark.anyio

PROSE = (
    "The council voted on Tuesday to approve the new budget, officials said. The plan adds "
    "funding for schools and roads, and it cuts spending on consultants by 12 percent. "
)


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 50),
    max_bytes=st.integers(1, 200_000),
    writes=st.lists(
        st.tuples(st.text(min_size=1, max_size=300), st.integers(0, 50_000)), max_size=80
    ),
)
def test_the_local_cache_never_holds_more_than_its_bounds(
    size: int, max_bytes: int, writes: list[tuple[str, int]]
) -> None:
    cache = LocalCache(size, 60.0, max_bytes)

    async def run() -> None:
        for key, length in writes:
            entry = CacheEntry("f" * 32, b"x" * length)
            await cache.set(key, entry)
            assert len(cache) <= size
            assert cache.used_bytes <= max_bytes
            fits = entry_bytes(key, entry) <= max_bytes
            # The latest entry is there unless it alone is larger than the whole cache.
            assert ((await cache.get(key)) is not None) == fits

    # A loop of its own on its own thread, whatever runs on this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, run()).result()


async def test_a_half_megabyte_sentence_is_not_kept_or_quoted_whole(
    make_client: MakeClient,
) -> None:
    client = await make_client()
    huge = "word " * 100_000  # one 0.5 MB sentence, no end mark
    text = f"{PROSE}\n\n{PROSE}{huge}.\n\n{PROSE}"
    r = await client.post("/v1/analyze", json={"url": "https://m.example/a", "text": text})
    assert r.status_code == 200
    body = r.json()
    quoted = [
        body["summary"],
        *(e["text"] for d in body["details"].values() for e in d["evidence"]),
    ]
    assert all(len(q) <= 3 * MAX_SENTENCE_CHARS + 10 for q in quoted)
    # Was 3 MiB; now the whole analysis is a few KB.
    assert len(r.content) < 64 * 1024, len(r.content)


async def test_an_analysis_over_the_entry_cap_is_answered_but_not_stored(
    make_client: MakeClient,
) -> None:
    client = await make_client(cache_entry_bytes=1_000)
    url = "https://m.example/b"
    r = await client.post("/v1/analyze", json={"url": url, "text": PROSE * 4})
    assert r.status_code == 200 and len(r.content) > 1_000
    assert (await client.get("/v1/analyses", params={"url": url})).status_code == 404
    again = await client.post("/v1/analyze", json={"url": url, "text": PROSE * 4})
    assert again.json()["cached"] is False
