"""URL identity: which requests are the same page, so they share one cache entry.

RFC 3986 normalisation of the host and path (IDNA to punycode, percent-encoding of
unreserved characters such as ``%7E`` → ``~``, dot segments) is w3lib's ``canonicalize_url``,
the one Scrapy uses; what is ours is what w3lib leaves as is: user info, default port,
trailing dot of the host, tracking parameters, and which fragments name a page. The query
keeps its order (w3lib would sort it: some sites route by parameter order).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from cachetools import LRUCache
from w3lib.url import canonicalize_url

from credlens.errors import InvalidRequest

#: Query parameters that only track the reader (ad and social click ids, analytics tags);
#: dropped from the canonical URL. Everything else in the query is kept, in order, as written.
TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|twclid|yclid|igshid|mc_cid|mc_eid"
    r"|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|li_fat_id|ncid|cmpid)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Fragments that route a single-page app (``#/story/1``, ``#!/story``) name different pages;
#: any other fragment is a place in the same page.
_ROUTE_FRAGMENT = ("/", "!")
#: Memo of canonical URLs, bounded in characters held (keys and values), not in entries: the
#: URLs are the client's. 4 MiB of characters keeps ~10,000 typical article URLs.
MEMO_CHARS = 4 * 1024 * 1024
#: URL → (canonical URL, characters of both): cachetools sizes an entry by its value alone.
_memo: LRUCache[str, tuple[str, int]] = LRUCache(maxsize=MEMO_CHARS, getsizeof=lambda v: v[1])


def canonical_url(url: str) -> str:
    """``url`` with scheme and host lower-cased (IDN as punycode, no trailing dot), default
    port, user info, tracking parameters and in-page fragments removed, the path normalised
    (percent-encoding, dot segments; empty as ``/``), the rest of the query in its order.

    Memoised: popular URLs are looked up again and again (a refused URL raises each time)."""
    known = _memo.get(url)
    if known is not None:
        return known[0]
    canonical = _canonical(url)
    size = len(url) + len(canonical)
    if size < 8192:
        _memo[url] = (canonical, size)
    return canonical


def _canonical(url: str) -> str:
    if _CONTROL.search(url):
        raise InvalidRequest("url: control characters (NUL, CR, LF...) are not allowed")
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises ValueError for a port that is not a number or out of range
    except ValueError as exc:
        raise InvalidRequest(f"url: not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")  # lower-cased, without user info
    if scheme not in _DEFAULT_PORTS or not host:
        raise InvalidRequest("url: an absolute http(s) URL with a host is required")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    try:
        base = canonicalize_url(urlunsplit((scheme, netloc, parts.path or "/", "", "")))
    except (ValueError, UnicodeError) as exc:  # a host label IDNA refuses
        raise InvalidRequest(f"url: not a valid URL ({exc})") from None
    query = "&".join(
        p for p in parts.query.split("&") if p and not TRACKING_PARAMS.match(p.split("=", 1)[0])
    )
    fragment = parts.fragment if parts.fragment.startswith(_ROUTE_FRAGMENT) else ""
    return urlunsplit((*urlsplit(base)[:3], query, fragment))


def cache_key(canonical: str, model_id: str) -> str:
    """A cache key: the model first, so a swap starts a fresh cache."""
    return f"{model_id} {canonical}"
