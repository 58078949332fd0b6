"""Cache rules, single flight, model swap, overload and time limits (in-memory backend)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from credlens.cache.urls import TRACKING_PARAMS, canonical_url
from credlens.errors import InvalidRequest
from credlens.pipeline import fingerprint
from credlens.settings import DEFAULT_BUNDLE
from credlens_bench.extract import Page
from tests.api.conftest import Client, MakeClient, concurrently, metric

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
SMALL_BUNDLE = ROOT / "models" / "credlens-tfidf-small"
TEXT = (
    "The council approved the budget on Tuesday by a vote of 9 to 4, officials said.\n\n"
    "The plan adds 120 jobs in the parks department, according to the mayor's office."
)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM/a/B?x=1#frag", "https://news.example.com/a/B?x=1"),
        (
            "https://a.org/p?utm_source=tw&id=3&utm_medium=x&fbclid=abc&gclid=9",
            "https://a.org/p?id=3",
        ),
        ("https://a.org/p?b=2&a=1&UTM_CAMPAIGN=z", "https://a.org/p?b=2&a=1"),
        ("http://a.org:80/p", "http://a.org/p"),
        ("https://a.org:8443/p", "https://a.org:8443/p"),
        ("https://user:pw@a.org", "https://a.org/"),
        ("https://a.org/p?q=a%20b&empty=", "https://a.org/p?q=a%20b&empty="),
        ("https://[::1]:8000/x", "https://[::1]:8000/x"),
        # RFC 3986 normalisation of the host and path (w3lib), the query in its order.
        ("https://a.org/%7Euser/x", "https://a.org/~user/x"),
        ("https://a.org/x/../k/./p", "https://a.org/k/p"),
        ("https://münchen.de/straße", "https://xn--mnchen-3ya.de/stra%C3%9Fe"),
        ("https://xn--mnchen-3ya.de/stra%C3%9Fe", "https://xn--mnchen-3ya.de/stra%C3%9Fe"),
        ("https://a.org./p", "https://a.org/p"),
        # A fragment that routes a single-page app names a page; an anchor does not.
        ("https://a.org/#/story/1", "https://a.org/#/story/1"),
        ("https://a.org/#!story-2", "https://a.org/#!story-2"),
        ("https://a.org/p#section-3", "https://a.org/p"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", ["ftp://a.org/x", "https:///path", "https://a.org:99999/", "x"])
def test_canonical_url_refuses(url: str) -> None:
    with pytest.raises(InvalidRequest):
        canonical_url(url)


def test_tracking_params_and_fingerprint() -> None:
    assert all(TRACKING_PARAMS.match(p) for p in ("utm_source", "utm_content", "fbclid", "gclid"))
    assert not any(TRACKING_PARAMS.match(p) for p in ("id", "page", "utm", "q"))
    assert fingerprint("T", "a") == fingerprint("T", "a") != fingerprint("T", "b")
    assert fingerprint("T", "a") != fingerprint("U", "a")


async def test_tracking_params_and_fragment_share_an_entry(client: Client) -> None:
    body = {"url": "https://News.Example.org/story?id=7&utm_source=x#comments", "text": TEXT}
    first = await client.post("/v1/analyze", json=body)
    assert first.status_code == 200 and first.json()["cached"] is False
    assert first.json()["url"] == "https://news.example.org/story?id=7"
    again = {**body, "url": "https://news.example.org/story?fbclid=q&id=7&gclid=z"}
    r = await client.post("/v1/analyze", json=again)
    assert r.json()["cached"] is True
    for url in ("https://news.example.org/story?id=7", "HTTPS://NEWS.EXAMPLE.ORG/story?id=7#x"):
        assert (await client.get("/v1/analyses", params={"url": url})).status_code == 200
    # The rest of the query is part of the page's identity.
    r = await client.get("/v1/analyses", params={"url": "https://news.example.org/story?id=8"})
    assert r.status_code == 404
    assert await metric(client, "credlens_model_runs_total") == 1


async def test_changed_text_is_analysed_again(client: Client) -> None:
    url = "https://news.example.org/live"
    a = await client.post("/v1/analyze", json={"url": url, "text": TEXT})
    changed = TEXT + "\n\nUpdate: the mayor signed the budget on Friday, her office said."
    b = await client.post("/v1/analyze", json={"url": url, "text": changed})
    assert a.json()["cached"] is False and b.json()["cached"] is False
    assert (
        b.json()["summary"] != a.json()["summary"]
        or b.json()["timings_ms"] != a.json()["timings_ms"]
    )
    c = await client.post("/v1/analyze", json={"url": url, "text": changed})
    assert c.json()["cached"] is True
    # The cache holds the latest version of the page.
    latest = (await client.get("/v1/analyses", params={"url": url})).json()
    assert latest["analyzed_at"] == b.json()["analyzed_at"]
    # A changed headline is a changed article too.
    d = await client.post("/v1/analyze", json={"url": url, "text": changed, "title": "New"})
    assert d.json()["cached"] is False
    assert await metric(client, "credlens_model_runs_total") == 3


async def test_same_page_html_hit(client: Client, english_pages: list[Page]) -> None:
    page = english_pages[1]
    first = await client.post("/v1/analyze", json={"url": page.url, "html": page.html})
    second = await client.post("/v1/analyze", json={"url": page.url, "html": page.html})
    assert first.json()["cached"] is False and second.json()["cached"] is True
    assert {**second.json(), "cached": False} == first.json()
    # The same bytes again are a hit without a parse: no worker is asked.
    service = client.app.state.service
    admitted = service.pool.admitted

    async def no_worker(*args: object, **kwargs: object) -> object:
        raise AssertionError("the same bytes were parsed again")

    service.pool.run = no_worker
    try:
        third = await client.post("/v1/analyze", json={"url": page.url, "html": page.html})
    finally:
        del service.pool.run
    assert third.json()["cached"] is True and service.pool.admitted == admitted
    # Other bytes of the same article (a changed script, say) are parsed, then a hit.
    again = await client.post(
        "/v1/analyze", json={"url": page.url, "html": page.html + "<!-- tracking -->"}
    )
    assert again.json()["cached"] is True


async def test_single_flight_runs_the_model_once(client: Client, english_pages: list[Page]) -> None:
    page = english_pages[2]
    body = {"url": page.url, "html": page.html}
    n = 8
    responses = concurrently(client, [("POST", "/v1/analyze", body)] * n)
    assert [r.status_code for r in responses] == [200] * n
    assert sum(not r.json()["cached"] for r in responses) == 1
    assert await metric(client, "credlens_model_runs_total") == 1
    assert await metric(client, "credlens_single_flight_shared_total") >= 1
    scores = {str(r.json()["scores"]) for r in responses}
    assert len(scores) == 1


async def test_model_swap_invalidates_and_bad_bundle_is_refused(
    make_client: MakeClient, tmp_path: Path
) -> None:
    link = tmp_path / "bundle"
    link.symlink_to(DEFAULT_BUNDLE, target_is_directory=True)
    client = await make_client(bundle=link, admin_token="s3cret")
    admin = {"authorization": "Bearer s3cret"}
    url = "https://news.example.org/swap"
    await client.post("/v1/analyze", json={"url": url, "text": TEXT})
    assert (await client.get("/v1/analyses", params={"url": url})).status_code == 200

    r = await client.post("/v1/model/reload")
    assert r.status_code == 401
    r = await client.post("/v1/model/reload", headers={"authorization": "Bearer nope"})
    assert r.status_code == 403

    link.unlink()
    link.symlink_to(SMALL_BUNDLE, target_is_directory=True)
    r = await client.post("/v1/model/reload", headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["model"]["name"] == "credlens-tfidf-small"
    assert (await client.get("/v1/model")).json()["model"]["name"] == "credlens-tfidf-small"
    # The cache key holds the model: nothing is cached under the new one.
    assert (await client.get("/v1/analyses", params={"url": url})).status_code == 404
    r = await client.post("/v1/analyze", json={"url": url, "text": TEXT})
    assert r.json()["cached"] is False and r.json()["model"]["name"] == "credlens-tfidf-small"

    broken = tmp_path / "broken"
    shutil.copytree(SMALL_BUNDLE, broken)
    (broken / "model.onnx").write_bytes(b"not a graph")
    link.unlink()
    link.symlink_to(broken, target_is_directory=True)
    r = await client.post("/v1/model/reload", headers=admin)
    assert r.status_code == 409 and r.json()["error"] == "bad_bundle"
    assert "model.onnx" in r.json()["detail"]
    assert (await client.get("/v1/model")).json()["model"]["name"] == "credlens-tfidf-small"
    r = await client.post("/v1/analyze", json={"url": url, "text": TEXT})
    assert r.status_code == 200 and r.json()["cached"] is True
    name = "credlens_model_info"
    assert await metric(client, name, name="credlens-tfidf-small") == 1
    assert await metric(client, name, name="credlens-default") == 0


async def test_reload_disabled_without_admin_token(client: Client) -> None:
    r = await client.post("/v1/model/reload", headers={"authorization": "Bearer x"})
    assert r.status_code == 403 and "CREDLENS_ADMIN_TOKEN" in r.json()["detail"]


async def test_full_pool_answers_503(make_client: MakeClient, english_pages: list[Page]) -> None:
    client = await make_client(analysis_workers=1, queue_size=0)
    bodies = [{"url": p.url, "html": p.html} for p in english_pages[:6]]
    responses = concurrently(client, [("POST", "/v1/analyze", b) for b in bodies])
    statuses = [r.status_code for r in responses]
    assert 200 in statuses and 503 in statuses, statuses
    refused = [r for r in responses if r.status_code == 503]
    assert all(r.json()["error"] == "overloaded" for r in refused)
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)
    assert await metric(client, "credlens_overload_refusals_total") == len(refused)
    # The pool frees its places: the same pages go through one at a time.
    for body in bodies[:2]:
        assert (await client.post("/v1/analyze", json=body)).status_code == 200


async def test_time_limit_answers_503(make_client: MakeClient, english_pages: list[Page]) -> None:
    client = await make_client(analysis_timeout=1e-6)
    page = english_pages[3]
    r = await client.post("/v1/analyze", json={"url": page.url, "html": page.html})
    assert r.status_code == 503 and r.json()["error"] == "timeout"
    assert "retry-after" in r.headers
