"""URL identity: which requests are the same page, so they share one cache entry.

The spellings of one URL that RFC 3986 (section 6.2.2) and browsers treat as the same are one
key: scheme and host case, percent-escapes of unreserved characters (``%7E`` and ``~``),
raw UTF-8 and its escapes, lower-case escapes, dot segments (``/x/../k``), the default port,
the host's trailing dot and escapes, an IDN host and its punycode (UTS #46 as browsers map it:
``straße.de`` is ``xn--strae-oqa.de``, not ``strasse.de``), ``\\`` for ``/`` before the query,
user info (dropped: credentials are not part of a page's identity). Reserved characters keep
their escapes (``%2F`` is not ``/``), the query keeps its order (some sites route by parameter
order), tracking parameters and in-page fragments are dropped, and a fragment that routes a
single-page app (``#/story/1``) is kept. ``canonical_url`` is idempotent.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit, urlunsplit

import idna
from cachetools import LRUCache

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
#: What a path, query or fragment keeps as written (RFC 3986 3.3-3.5: pchar, "/" and "?");
#: any other character is percent-encoded (as UTF-8), "%" too unless it starts an escape.
_ENCODE = re.compile(r"%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
#: What a host may not hold once decoded and mapped (WHATWG's forbidden host code points):
#: such a "host" would split differently when read again.
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
#: ``scheme://user:pw@`` at the start of a URL: the user info ends at the last "@" before the
#: path (as ``urlsplit`` reads it), and "\\" ends the authority as "/" does (as browsers do).
_USERINFO = re.compile(r"^(\s*[A-Za-z][A-Za-z0-9+.\-]*:[/\\]{2})[^/\\?#]*@")
#: Memo of canonical URLs, bounded in characters held (keys and values), not in entries: the
#: URLs are the client's. 4 MiB of characters keeps ~10,000 typical article URLs.
MEMO_CHARS = 4 * 1024 * 1024
#: Longest entry (URL plus canonical URL, in characters) the memo keeps: longer URLs are rare
#: and would let a few requests push the popular ones out.
MEMO_ENTRY_CHARS = 8192
#: Most characters of a parser's message quoted in an error: some quote the whole host.
DETAIL_CHARS = 200
#: URL → (canonical URL, characters of both): cachetools sizes an entry by its value alone.
_memo: LRUCache[str, tuple[str, int]] = LRUCache(maxsize=MEMO_CHARS, getsizeof=lambda v: v[1])


def without_userinfo(url: str) -> str:
    """``url`` without ``user:password@``: credentials never go further than the request."""
    return _USERINFO.sub(r"\1", url, count=1) if "@" in url else url


def canonical_url(url: str) -> str:
    """``url`` with scheme and host lower-cased (IDN as punycode, no trailing dot, escapes
    decoded), default port, user info, tracking parameters and in-page fragments removed, the
    path's dot segments resolved (empty as ``/``), and path, query and routing fragment in one
    percent-encoding; the rest of the query in its order. Idempotent.

    Memoised: popular URLs are looked up again and again (a refused URL raises each time);
    the memo never holds user info."""
    url = without_userinfo(url)
    known = _memo.get(url)
    if known is not None:
        return known[0]
    canonical = _canonical(url)
    size = len(url) + len(canonical)
    if size <= MEMO_ENTRY_CHARS:
        _memo[url] = (canonical, size)
    return canonical


def _escape(match: re.Match[str]) -> str:
    text = match.group()
    if text[0] == "%" and len(text) == 3:  # an escape: decoded only if unreserved
        char = chr(int(text[1:], 16))
        return char if char in _UNRESERVED else text.upper()
    return "".join(f"%{byte:02X}" for byte in text.encode("utf-8"))


def _normalise(component: str) -> str:
    """A path, query or fragment in RFC 3986 6.2.2 form: escapes of unreserved characters
    decoded, other escapes upper-cased, characters outside the component's set encoded.
    One pass over the text, so a decoded character never joins a new escape."""
    return _ENCODE.sub(_escape, component)


def _resolve_dots(path: str) -> str:
    """RFC 3986 5.2.4 on an absolute path: ``.`` and ``..`` segments removed."""
    segments = path.split("/")[1:]
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):  # "/a/." and "/a/b/.." name the folder "/a/"
        kept.append("")
    return "/" + "/".join(kept)


def _host(hostname: str, bracketed: bool) -> str:
    """The host as browsers send it: an address in brackets as IPv6 in RFC 5952 form (nothing
    else may be bracketed); else escapes decoded, UTS #46 mapping (case, width, ignored
    characters), punycode, no trailing dot."""
    if bracketed:
        return f"[{ipaddress.IPv6Address(hostname)}]"
    host = unquote(hostname, errors="strict") if "%" in hostname else hostname
    if not host.isascii():
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
        host = ".".join(
            label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
            for label in mapped.split(".")
        )
    host = host.lower().rstrip(".")
    if _FORBIDDEN_HOST.search(host):
        raise ValueError("the host has characters a host cannot have")
    return host


def _canonical(url: str) -> str:
    if _CONTROL.search(url):
        raise InvalidRequest("url: control characters (NUL, CR, LF...) are not allowed")
    url = url.strip()
    end = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    url = url[:end].replace("\\", "/") + url[end:]
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number or out of range
        scheme = parts.scheme.lower()
        bracketed = parts.netloc.rpartition("@")[2].startswith("[")
        host = _host(parts.hostname or "", bracketed)  # without user info
        if scheme not in _DEFAULT_PORTS or not host:
            raise InvalidRequest("url: an absolute http(s) URL with a host is required")
        path = _resolve_dots(_normalise(parts.path or "/"))  # after a host: "" or "/..."
        query = "&".join(
            p
            for p in _normalise(parts.query).split("&")
            if p and not TRACKING_PARAMS.match(p.split("=", 1)[0])
        )
        fragment = _normalise(parts.fragment)
    except ValueError as exc:  # UnicodeError too: a label IDNA refuses, a lone surrogate
        raise InvalidRequest(f"url: not a valid URL ({str(exc)[:DETAIL_CHARS]})") from None
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host += f":{port}"
    fragment = fragment if fragment.startswith(_ROUTE_FRAGMENT) else ""
    return urlunsplit((scheme, host, path, query, fragment))


def cache_key(canonical: str, model_id: str) -> str:
    """A cache key: the model first, so a swap starts a fresh cache."""
    return f"{model_id} {canonical}"
