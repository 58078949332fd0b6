"""Hostile and malformed requests against the real app (default bundle): each one is answered
with the right status and error code, in bounded time and memory, and none with a 5xx.

The corpus is a table: one ``Case`` per request. The whole corpus also runs once more in one
test, checking that the process's peak memory stays bounded over all of it.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from credlens.api import examples
from credlens.api.app import create_app
from credlens.schemas import ErrorBody
from credlens.settings import Settings
from credlens_bench.extract import Page
from tests.api.conftest import Client, MakeClient

pytestmark = pytest.mark.anyio

#: Generous: the slowest case (a million tiny elements) takes about a second on a busy box.
TIME_LIMIT_S = 15.0
#: The body limit the corpus runs under (the default, 5 MiB).
LIMIT = 5 * 1024 * 1024
JSON_CT = "application/json"
TEXT = examples.TEXT_REQUEST["text"]


@dataclass(frozen=True)
class Case:
    id: str
    body: bytes | None = None
    """Raw bytes sent as is (``json`` is used instead when None)."""
    json: Any = None
    status: int = 422
    error: str | None = "validation_error"
    """The expected ``error`` code (None: a 200 analysis)."""
    method: str = "POST"
    path: str = "/v1/analyze"
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": JSON_CT})
    params: dict[str, str] | None = None

    def payload(self) -> bytes | None:
        if self.body is not None:
            return self.body
        if self.json is None:
            return None
        return json.dumps(self.json, ensure_ascii=False).encode("utf-8", "surrogatepass")


def req(url: Any = "https://news.example.org/x", **fields: Any) -> dict[str, Any]:
    return {"url": url, **fields}


def text_req(url: Any = "https://news.example.org/x", text: Any = TEXT, **kw: Any) -> Any:
    return req(url, text=text, **kw)


def _nested_json(depth: int) -> bytes:
    return b'{"url": "https://a.org/x", "text": "t", "extra": ' + b"[" * depth + b"]" * depth + b"}"


GZ = {"content-type": JSON_CT, "content-encoding": "gzip"}
#: 64 MiB of zeros inside the JSON string: about 64 KB on the wire.
GZIP_BOMB = gzip.compress(b'{"url": "https://a.org/x", "text": "' + b"0" * (64 << 20) + b'"}', 9)
GERMAN = (
    "Der Stadtrat hat am Dienstag mit sieben zu zwei Stimmen einen Haushalt beschlossen, der "
    "die Mittel für den öffentlichen Nahverkehr um zwölf Prozent erhöht. Die Bürgermeisterin "
    "sagte, die Mehrheit der Bürger habe sich für mehr Busse ausgesprochen. "
) * 8

CASES: list[Case] = [
    # --- Not JSON, or JSON that is broken --------------------------------------------------
    Case(
        "truncated-json",
        body=b'{"url": "https://a.org/x", "text": ',
        status=400,
        error="malformed_json",
    ),
    Case("single-quotes", body=b"{'url': 'https://a.org/x'}", status=400, error="malformed_json"),
    Case(
        "trailing-comma",
        body=b'{"url": "https://a.org/x", "text": "t",}',
        status=400,
        error="malformed_json",
    ),
    Case("empty-body", body=b""),
    Case("whitespace-body", body=b" \n\t ", status=400, error="malformed_json"),
    Case(
        "nan-literal",
        body=b'{"url": "https://a.org/x", "text": NaN}',
        status=400,
        error="malformed_json",
    ),
    Case(
        "invalid-utf8",
        body=b'{"url": "https://a.org/x", "text": "caf\xe9 \xff\xfe"}',
        status=400,
        error="malformed_json",
    ),
    Case(
        "utf16-body",
        body=json.dumps(text_req()).encode("utf-16"),
        status=400,
        error="malformed_json",
    ),
    Case(
        "raw-nul-in-json",
        body=b'{"url": "https://a.org/x", "text": "a\x00b"}',
        status=400,
        error="malformed_json",
    ),
    Case(
        "binary-as-json",
        body=os.urandom(4096).replace(b"{", b"x"),
        status=400,
        error="malformed_json",
    ),
    Case("nested-json-100k", body=_nested_json(100_000), status=400, error="malformed_json"),
    # --- Wrong shapes and types ------------------------------------------------------------
    Case("json-null", json=None, body=b"null"),
    Case("json-number", body=b"42"),
    Case("json-string", body=b'"https://a.org/x"'),
    Case("json-array", json=["https://a.org/x", TEXT]),
    Case("json-empty-object", json={}),
    Case("url-missing", json={"text": TEXT}),
    Case("url-int", json=text_req(url=42)),
    Case("url-null", json=text_req(url=None)),
    Case("url-list", json=text_req(url=["https://a.org/x"])),
    Case("text-list", json=text_req(text=["a", "b"])),
    Case("text-number", json=text_req(text=3.14)),
    Case("html-object", json=req(html={"p": "x"})),
    Case("title-bool", json=text_req(title=True)),
    Case("neither-text-nor-html", json=req()),
    Case("both-text-and-html", json=text_req(html="<p>x</p>")),
    # --- URLs -------------------------------------------------------------------------------
    Case("javascript-url", json=text_req(url="javascript:alert(document.cookie)")),
    Case("javascript-url-mixed-case", json=text_req(url="JaVaScRiPt://a.org/%0Aalert(1)")),
    Case("data-url", json=text_req(url="data:text/html;base64,PHNjcmlwdD4=")),
    Case("file-url", json=text_req(url="file:///etc/passwd")),
    Case("ftp-url", json=text_req(url="ftp://a.org/x")),
    Case("relative-url", json=text_req(url="/2024/05/story")),
    Case("scheme-relative-url", json=text_req(url="//a.org/x")),
    Case("no-host", json=text_req(url="https:///etc/passwd")),
    Case("port-out-of-range", json=text_req(url="https://a.org:99999/x")),
    Case("port-not-a-number", json=text_req(url="https://a.org:http/x")),
    Case("broken-ipv6", json=text_req(url="https://[::1/x")),
    Case("huge-url", json=text_req(url="https://a.org/" + "a" * 100_000)),
    Case("url-with-newline-header", json=text_req(url="https://a.org/x\r\nX-Injected: 1")),
    Case("url-with-nul", json=text_req(url="https://a.org/\x00x")),
    Case("url-fullwidth-scheme", json=text_req(url="ｈｔｔｐｓ://a.org/x")),
    # User info is dropped (the answer's url names the real host: evil.example).
    Case(
        "url-userinfo-trick",
        json=text_req(url="https://bank.example@evil.example/x"),
        status=200,
        error=None,
    ),
    Case(
        "url-zero-width-space-host",
        json=text_req(url="https://a\u200b.org/x"),
        status=200,
        error=None,
    ),
    Case(
        "url-rtl-override", json=text_req(url="https://a.org/\u202egpj.exe"), status=200, error=None
    ),
    Case(
        "url-idn-homograph",
        json=text_req(url="https://\u0430pple.com/news"),
        status=200,
        error=None,
    ),
    Case(
        "url-percent-encoded-garbage",
        json=text_req(url="https://a.org/%ff%00%zz?q=%"),
        status=200,
        error=None,
    ),
    # --- Sizes, bombs, encodings ------------------------------------------------------------
    Case(
        "body-over-limit",
        json=text_req(text="word " * (LIMIT // 5 + 10)),
        status=413,
        error="body_too_large",
    ),
    Case("gzip-bomb", body=GZIP_BOMB, headers=GZ, status=413, error="body_too_large"),
    Case(
        "gzip-truncated",
        body=gzip.compress(json.dumps(text_req()).encode())[:-12],
        headers=GZ,
        status=400,
        error="malformed_body",
    ),
    Case("gzip-not-gzip", body=b"plainly not gzip", headers=GZ, status=400, error="malformed_body"),
    Case(
        "brotli-encoding",
        body=b"\x0b\x02\x80",
        status=415,
        error="unsupported_media_type",
        headers={"content-type": JSON_CT, "content-encoding": "br"},
    ),
    Case(
        "binary-octet-stream",
        body=os.urandom(2048),
        status=415,
        error="unsupported_media_type",
        headers={"content-type": "application/octet-stream"},
    ),
    Case(
        "form-encoded",
        body=b"url=https://a.org/x&text=t",
        status=415,
        error="unsupported_media_type",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    Case(
        "no-content-type",
        body=json.dumps(text_req()).encode(),
        headers={},
        status=415,
        error="unsupported_media_type",
    ),
    Case(
        "huge-text-under-limit", json=text_req(text=(TEXT + "\n\n") * 3_000), status=200, error=None
    ),
    Case("huge-single-word", json=text_req(text="a" * (4 << 20)), status=422, error=None),
    Case("huge-title", json=text_req(title="Breaking! " * 200_000), status=200, error=None),
    Case(
        "nested-html-100k",
        json=req(html="<div>" * 100_000 + "text" + "</div>" * 100_000),
        status=422,
        error="no_article",
    ),
    Case(
        "million-tiny-elements",
        json=req(html="<html><body>" + "<b>" * 1_000_000),
        status=422,
        error="no_article",
    ),
    Case(
        "million-tiny-paragraphs",
        json=req(html="<p>a</p>" * 500_000),
        status=422,
        error="no_article",
    ),
    Case(
        "nul-bytes-in-text",
        json=text_req(text=TEXT.replace(" ", "\x00 ", 40)),
        status=200,
        error=None,
    ),
    Case(
        "nul-bytes-in-html", json=req(html="<p>\x00\x00</p>" * 1000), status=422, error="no_article"
    ),
    Case(
        "lone-surrogate-in-text",
        body=b'{"url": "https://a.org/x", "text": "a \\ud800 b"}',
        status=400,
        error="malformed_json",
    ),
    Case("control-chars-in-text", json=text_req(text="\x01\x02\x1b[31m" * 5000), error=None),
    Case(
        "bidi-and-zero-width-text",
        json=text_req(text=("\u202e\u200b\ufeff" + TEXT) * 2),
        status=200,
        error=None,
    ),
    # --- Empty and foreign articles ----------------------------------------------------------
    Case("empty-text", json=text_req(text=""), error="no_article"),
    Case("blank-text", json=text_req(text=" \n\n\t "), error="no_article"),
    Case("empty-html", json=req(html=""), error="no_article"),
    Case("script-only-html", json=req(html="<script>alert(1)</script>" * 100), error="no_article"),
    Case("binary-as-html", json=req(html=os.urandom(3000).decode("latin-1")), error="no_article"),
    Case(
        "non-english-text",
        json=text_req(text=GERMAN, title="Haushalt beschlossen"),
        error="unsupported_language",
    ),
    # --- Other routes and methods ----------------------------------------------------------
    Case("get-analyses-no-url", method="GET", path="/v1/analyses", headers={}),
    Case(
        "get-analyses-javascript",
        method="GET",
        path="/v1/analyses",
        headers={},
        params={"url": "javascript:alert(1)"},
    ),
    Case(
        "get-analyses-huge-url",
        method="GET",
        path="/v1/analyses",
        headers={},
        params={"url": "https://a.org/" + "x" * 10_000},
    ),
    Case("put-analyze", method="PUT", body=b"{}", status=405, error="method_not_allowed"),
    Case(
        "unknown-route",
        method="GET",
        path="/v1/../../etc/passwd",
        status=404,
        error="not_found",
        headers={},
    ),
    Case(
        "reload-without-token",
        path="/v1/model/reload",
        body=b"",
        status=403,
        error="forbidden",
        headers={},
    ),
]


def _check(case: Case, r: Any, elapsed: float) -> None:
    assert r.status_code < 500, f"{case.id}: {r.status_code} {r.text[:300]}"
    assert r.status_code == case.status, f"{case.id}: {r.status_code} {r.text[:300]}"
    assert elapsed < TIME_LIMIT_S, f"{case.id}: {elapsed:.1f} s"
    if r.status_code == 200:
        assert r.json()["scores"] is not None
        return
    body = ErrorBody(**{k: v for k, v in r.json().items() if k in ("error", "detail")})
    if case.error is not None:
        assert body.error == case.error, f"{case.id}: {body}"
    assert body.detail.strip(), f"{case.id}: no detail"
    assert len(body.detail) < 2_000, f"{case.id}: detail echoes the input"


async def _send(client: Client, case: Case) -> tuple[Any, float]:
    start = time.perf_counter()
    r = await client.request(
        case.method, case.path, content=case.payload(), headers=case.headers, params=case.params
    )
    return r, time.perf_counter() - start


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 50
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_hostile_request(client: Client, case: Case) -> None:
    r, elapsed = await _send(client, case)
    _check(case, r, elapsed)


async def test_a_non_english_page(client: Client, foreign_page: Page) -> None:
    r = await client.post("/v1/analyze", json={"url": foreign_page.url, "html": foreign_page.html})
    assert r.status_code == 422 and r.json()["error"] == "unsupported_language"


async def test_whole_corpus_in_bounded_memory_and_still_serving(make_client: MakeClient) -> None:
    client = await make_client()
    assert (await client.post("/v1/analyze", json=examples.TEXT_REQUEST)).status_code == 200
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB, the peak so far
    for case in CASES:
        r, elapsed = await _send(client, case)
        _check(case, r, elapsed)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    # The bodies alone are up to 5 MiB each; parsing a million elements costs a few hundred.
    assert grown_mib < 768, f"peak RSS grew by {grown_mib:.0f} MiB"
    r = await client.post("/v1/analyze", json=examples.TEXT_REQUEST)
    assert r.status_code == 200 and r.json()["cached"] is True
    assert (await client.get("/readyz")).status_code == 200


# --- Property-based: any body, any shape --------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_urls = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda s, rest: f"{s}://{rest}",
        st.sampled_from(["http", "https", "HTTPS", "javascript", "data", "file", ""]),
        st.text(max_size=40),
    ),
)
_bodies = st.one_of(
    st.binary(max_size=300),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"url": _urls},
        optional={
            "text": st.text(max_size=400),
            "html": st.text(max_size=400),
            "title": st.one_of(st.none(), st.text(max_size=40)),
            "x": _json_values,
        },
    ).map(lambda d: json.dumps(d).encode("utf-8", "surrogatepass")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_bodies, gz=st.booleans())
def test_any_body_is_answered_without_a_server_error(body: bytes, gz: bool) -> None:
    headers = {"content-type": JSON_CT, **({"content-encoding": "gzip"} if gz else {})}
    r = _SYNC_CLIENT.post(
        "/v1/analyze", content=gzip.compress(body) if gz else body, headers=headers
    )
    assert r.status_code < 500, (body[:200], r.text[:300])
    assert r.status_code in (200, 400, 413, 415, 422), r.text[:300]
    if r.status_code != 200:
        assert r.json()["error"] and r.json()["detail"]


_SYNC_CLIENT: Any = None


@pytest.fixture(autouse=True, scope="module")
def _sync_client() -> Any:
    """One started app for the property-based test (hypothesis calls it many times)."""
    global _SYNC_CLIENT
    with TestClient(create_app(Settings())) as client:
        _SYNC_CLIENT = client
        yield
    _SYNC_CLIENT = None
