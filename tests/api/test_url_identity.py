"""URL identity: the spellings of one URL that browsers and RFC 3986 treat as the same are one
cache key, different pages stay different, ``canonical_url`` is idempotent, and user info is
accepted and dropped (never in the key, the answer or the logs). Generated URLs and spellings
as well as the examples the issue named."""

from __future__ import annotations

import logging
import random
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credlens.api import examples
from credlens.cache import urls
from credlens.cache.urls import MEMO_CHARS, MEMO_ENTRY_CHARS, canonical_url, without_userinfo
from credlens.errors import InvalidRequest
from credlens.schemas import URL_PATTERN
from tests.api.conftest import MakeClient

SMALL_BUNDLE = Path(__file__).resolve().parents[2] / "models" / "credlens-tfidf-small"
SECRET = "s3cr3t-Pa55"


@pytest.mark.parametrize(
    ("spellings", "canonical"),
    [
        (["https://user:pw@a.org/a", "https://a.org/a", "https://:@a.org/a"], "https://a.org/a"),
        (
            ["https://a.org/%7Euser", "https://a.org/~user", "https://a.org/%7euser"],
            "https://a.org/~user",
        ),
        (
            ["https://a.org/café", "https://a.org/caf%C3%A9", "https://a.org/caf%c3%a9"],
            "https://a.org/caf%C3%A9",
        ),
        (
            ["https://bücher.de/", "https://xn--bcher-kva.de/", "https://BÜCHER.de./"],
            "https://xn--bcher-kva.de/",
        ),
        # UTS #46 as browsers map it: ß stays ß (it is not "strasse", another domain).
        (["https://straße.de/", "https://xn--strae-oqa.de/"], "https://xn--strae-oqa.de/"),
        (["https://a.org./x", "https://A.ORG/x", "HTTPS://a.org:443/x"], "https://a.org/x"),
        (
            ["https://a.org/x/../k", "https://a.org/k", "https://a.org/x/%2E%2E/k"],
            "https://a.org/k",
        ),
        (["https://a.org/a/b/..", "https://a.org/a/./"], "https://a.org/a/"),
        (["http://a.org:80/", "http://a.org:/", "http://a.org"], "http://a.org/"),
        (
            ["https://a.org/p?q=%7E", "https://a.org/p?q=~", "https://a.org/p?q=%7e"],
            "https://a.org/p?q=~",
        ),
        (["https://a.org/p?q=é", "https://a.org/p?q=%c3%a9"], "https://a.org/p?q=%C3%A9"),
        (["https://a.org/p#section", "https://a.org/p#", "https://a.org/p"], "https://a.org/p"),
        (["https://a.org/#/story/%7E1", "https://a.org/#/story/~1"], "https://a.org/#/story/~1"),
        (["https://ex%61mple.com/", "https://example.com/"], "https://example.com/"),
        (["https://a.org\\x\\..\\y", "https://a.org/y"], "https://a.org/y"),
        (["https://[2001:DB8:0::1]:443/", "https://[2001:db8::1]/"], "https://[2001:db8::1]/"),
    ],
)
def test_spellings_of_one_url_share_a_key(spellings: list[str], canonical: str) -> None:
    assert {canonical_url(s) for s in spellings} == {canonical}


@pytest.mark.parametrize(
    "different",
    [
        [
            "https://a.org/#/story/1",
            "https://a.org/#/story/2",
            "https://a.org/#!/x",
            "https://a.org/",
        ],
        ["https://a.org/a%2Fb", "https://a.org/a/b"],  # reserved: an escaped "/" is not a "/"
        ["https://a.org/p?a=1&b=2", "https://a.org/p?b=2&a=1", "https://a.org/p?a=1%26b=2"],
        ["https://a.org/p?q=a+b", "https://a.org/p?q=a%2Bb"],
        ["https://strasse.de/", "https://straße.de/"],
        ["https://a.org/x", "https://a.org:8443/x", "http://a.org/x"],
    ],
)
def test_different_pages_keep_different_keys(different: list[str]) -> None:
    assert len({canonical_url(u) for u in different}) == len(different)


@pytest.mark.parametrize(
    "url",
    [
        "https://ex%2Fample.com/",  # an escaped "/" in the host would split again
        "https://example.com／evil/",  # a full-width "/" that maps to "/"
        "https://ex%FFample.com/",  # an escape that is not UTF-8
        "https://a.org/\ud800",  # a lone surrogate
        "https://[zz]/",
        "https://[v1.fe]/",  # only IPv6 goes in brackets
    ],
)
def test_hosts_and_paths_that_cannot_be_read_are_refused(url: str) -> None:
    with pytest.raises(InvalidRequest):
        canonical_url(url)


def test_without_userinfo() -> None:
    assert without_userinfo("https://u:p@a.org/x@y?z=@") == "https://a.org/x@y?z=@"
    assert without_userinfo("HTTP://a@b@a.org") == "HTTP://a.org"
    assert without_userinfo("https://a.org/x") == "https://a.org/x"


def test_the_memo_stays_bounded_in_characters() -> None:
    for i in range(2_000):
        canonical_url(f"https://a.org/{i}/" + "x" * 3_000)
    canonical_url("https://a.org/" + "y" * MEMO_ENTRY_CHARS)
    assert urls._memo.currsize <= MEMO_CHARS
    assert sum(len(k) + len(v[0]) for k, v in urls._memo.items()) <= MEMO_CHARS
    assert all(v[1] <= MEMO_ENTRY_CHARS for v in urls._memo.values())


# --- Generated URLs and spellings ----------------------------------------------------------------

_UNRESERVED_PUNCT = "-._~"
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_idn = st.sampled_from(["bücher", "münchen", "straße", "日本語", "пример", "☃", "faß", "ελλάδα"])
_label = st.one_of(_word, _idn)
_host = st.lists(_label, min_size=1, max_size=3).map(lambda ls: ".".join([*ls, "com"]))
#: Path, query and fragment characters: unreserved, sub-delims, ":" and "@", non-ASCII.
_char = st.sampled_from([*"abcXYZ019", *_UNRESERVED_PUNCT, *"!$'()*+,;:@", "é", "ß", "中"])
_segment = st.text(alphabet=_char, min_size=1, max_size=6).filter(lambda s: s not in (".", ".."))
_param = st.tuples(_segment, _segment).map(lambda kv: f"{kv[0].replace('=', '')}={kv[1]}")
_fragment = st.one_of(
    st.just(""),
    _segment.map(lambda s: "#" + s.lstrip("/!")),  # in-page: dropped
    st.lists(_segment, min_size=1, max_size=3).map(lambda ss: "#/" + "/".join(ss)),  # a route
)


@st.composite
def _urls(draw: st.DrawFn) -> dict[str, object]:
    return {
        "scheme": draw(st.sampled_from(["http", "https"])),
        "host": draw(_host),
        "port": draw(st.sampled_from([None, 8080])),
        "segments": draw(st.lists(_segment, max_size=4)),
        "params": draw(
            st.lists(_param.filter(lambda p: not p.lower().startswith("utm_")), max_size=3)
        ),
        "fragment": draw(_fragment),
    }


def _escape_some(text: str, rng: random.Random) -> str:
    """Percent-encode some characters that need no encoding (unreserved, non-ASCII), in
    upper or lower case hex."""
    out = []
    for ch in text:
        if (ch.isalnum() or ch in _UNRESERVED_PUNCT) and rng.random() < 0.4:
            esc = quote(ch, safe="") if not ch.isascii() else f"%{ord(ch):02X}"
            out.append(esc.lower() if rng.random() < 0.5 else esc)
        else:
            out.append(ch)
    return "".join(out)


def _spell(u: dict[str, object], rng: random.Random) -> str:
    """One spelling of ``u``: case, escapes, dot segments, default port, trailing dot, user
    info, tracking parameters, an IDN host as punycode or not."""
    scheme = str(u["scheme"])
    scheme = "".join(c.upper() if rng.random() < 0.5 else c for c in scheme)
    labels = []
    for label in str(u["host"]).split("."):
        if not label.isascii() and rng.random() < 0.5:
            label = "xn--" + label.encode("punycode").decode()
        # (only case pairs: "ß".upper() is "SS", another domain)
        labels.append(
            "".join(
                c.upper() if c.upper().lower() == c and rng.random() < 0.3 else c for c in label
            )
        )
    host = ".".join(labels) + ("." if rng.random() < 0.3 else "")
    userinfo = rng.choice(["", f"user:{SECRET}@", "user@", ":@"])
    default = {"http": "80", "https": "443"}[str(u["scheme"])]
    port = u["port"]
    port_part = f":{port}" if port else rng.choice(["", f":{default}", ":"])
    segments = [_escape_some(s, rng) for s in u["segments"]]  # type: ignore[attr-defined]
    spelled: list[str] = []
    for s in segments:
        if rng.random() < 0.2:
            spelled += ["zz", rng.choice(["..", "%2E%2E", ".%2e"])]
        if rng.random() < 0.2:
            spelled.append(rng.choice([".", "%2E"]))
        spelled.append(s)
    sep = "\\" if rng.random() < 0.2 else "/"
    path = sep + sep.join(spelled) if spelled else rng.choice(["", "/"])
    params = [_escape_some(p, rng) for p in u["params"]]  # type: ignore[attr-defined]
    for tracker in ("utm_source=news", "fbclid=abc", "UTM_Medium=x"):
        if rng.random() < 0.3:
            params.insert(rng.randrange(len(params) + 1), tracker)
    query = "?" + "&".join(params) if params else rng.choice(["", "?"])
    fragment = str(u["fragment"])
    if fragment.startswith("#/"):
        fragment = "#" + _escape_some(fragment[1:], rng)
    elif rng.random() < 0.5:
        fragment = rng.choice(["#top", "#section-2", "#"])
    return f"{scheme}://{userinfo}{host}{port_part}{path}{query}{fragment}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(u=_urls(), seeds=st.lists(st.integers(0, 2**32), min_size=2, max_size=4))
def test_equivalent_spellings_map_to_one_idempotent_key(
    u: dict[str, object], seeds: list[int]
) -> None:
    keys = {canonical_url(_spell(u, random.Random(seed))) for seed in seeds}
    assert len(keys) == 1, keys
    (key,) = keys
    assert canonical_url(key) == key
    assert SECRET not in key and "@" not in key.split("/")[2]
    assert key.isascii() and " " not in key
    fragment = str(u["fragment"])
    assert ("#" in key) == fragment.startswith("#/")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=st.one_of(
        st.builds(lambda s: "https://a.org/" + s, st.text(max_size=40)),
        st.builds(
            lambda host, rest: f"http://{host}{rest}",
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=15),
            st.text(max_size=30),
        ),
    )
)
def test_canonical_url_is_idempotent_on_anything_it_accepts(url: str) -> None:
    try:
        key = canonical_url(url)
    except InvalidRequest:
        return
    assert canonical_url(key) == key, (url, key)
    assert key.startswith(("http://", "https://"))


# --- Over HTTP ------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_user_info_is_accepted_and_goes_nowhere(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = await make_client(bundle=SMALL_BUNDLE)
    body = {**examples.TEXT_REQUEST, "url": f"https://reader:{SECRET}@News.Example.org/story?id=7"}
    r = await client.post("/v1/analyze", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["url"] == "https://news.example.org/story?id=7"
    again = {**body, "url": "https://news.example.org/story?id=7#comments"}
    r = await client.post("/v1/analyze", json=again)
    assert r.json()["cached"] is True
    r = await client.get(
        "/v1/analyses", params={"url": f"https://x:{SECRET}@news.example.org/story?id=7"}
    )
    assert r.status_code == 200
    assert SECRET not in r.text
    assert not any(SECRET in k or SECRET in v[0] for k, v in urls._memo.items())
    # (httpx, the test's client, logs the URLs it sends: not the service's logs)
    assert not any(SECRET in r.getMessage() for r in caplog.records if r.name != "httpx")


@pytest.mark.anyio
async def test_single_page_app_routes_are_different_pages(make_client: MakeClient) -> None:
    client = await make_client(bundle=SMALL_BUNDLE)
    first = {**examples.TEXT_REQUEST, "url": "https://spa.example.org/#/story/1"}
    assert (await client.post("/v1/analyze", json=first)).json()["cached"] is False
    second = {**first, "url": "https://spa.example.org/#/story/2"}
    assert (await client.post("/v1/analyze", json=second)).json()["cached"] is False
    anchor = {**first, "url": "https://SPA.example.org./#/story/%31"}
    assert (await client.post("/v1/analyze", json=anchor)).json()["cached"] is True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(url=st.from_regex(URL_PATTERN, fullmatch=True))
def test_anything_the_schema_admits_is_canonical_or_refused_as_invalid(url: str) -> None:
    """What schemathesis sends: only ``InvalidRequest`` (422) may come out, never another error
    (a 500), and no user info."""
    try:
        key = canonical_url(url)
    except InvalidRequest:
        return
    assert canonical_url(key) == key
    assert "@" not in key.split("/")[2]


def test_a_refusal_quotes_little_of_the_url() -> None:
    for url in (
        "https://" + "a" * 3000 + "\ufffd.com/",
        "https://" + "ab\ufffd." * 900 + "com/",
        "https://[" + "1:" * 1500 + "]/",
        "https://a.org:" + "9" * 3000 + "/",
    ):
        with pytest.raises(InvalidRequest) as refused:
            canonical_url(url)
        assert len(refused.value.detail) < 300
