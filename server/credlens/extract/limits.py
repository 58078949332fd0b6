"""Keep parsing bounded: cap the nesting depth of hostile HTML before Lexbor sees it.

Lexbor checks element scopes against the stack of open elements, so deep nesting costs time
quadratic in depth. Normal pages have a few thousand tags and pass after one count of ``<``;
only pages with a long run of opening tags are rewritten, dropping tags nested deeper than
``MAX_DEPTH`` (their text is kept). Written by hand: no library caps depth ahead of Lexbor.
"""

from __future__ import annotations

import re

import numpy as np

from credlens.extract import heuristics as H

_OPEN_RUN = re.compile(r"(?:<[a-zA-Z][^<>]*+>[^<]*+){" + str(H.DEPTH_RUN_TAGS) + "}")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*?(/?)>")
#: Elements that never hold children (HTML's void elements).
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
    }
)
#: Elements that a sibling of the same name closes implicitly (``<li>a<li>b``).
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})


_LT = ord("<")


def bounded_utf8(data: bytes) -> bytes:
    """UTF-8 ``data`` unchanged, unless it nests deep enough to stall the parser.

    Every page pays one count of ``<``: numpy's vectorised compare does it about four times
    faster than ``bytes.count`` on markup (many matches), which matters at a page a
    millisecond. Only pages with enough tags are decoded and searched for a deep run.
    """
    if len(data) < 3 * H.DEPTH_CHECK_MIN_TAGS:
        return data
    if np.count_nonzero(np.frombuffer(data, np.uint8) == _LT) < H.DEPTH_CHECK_MIN_TAGS:
        return data
    html = data.decode("utf-8", errors="replace")
    if _OPEN_RUN.search(html) is None:
        return data
    return limit_depth(html, H.MAX_DEPTH).encode("utf-8")


def limit_depth(html: str, max_depth: int) -> str:
    """Drop the tags (not the text) of elements nested deeper than ``max_depth``."""
    out: list[str] = []
    pos = 0
    stack: list[str] = []
    dropped: dict[str, int] = {}
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        drop = False
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                drop = True
            elif name in stack:
                while stack and stack.pop() != name:
                    pass
        else:
            if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1] == name:
                stack.pop()
            if len(stack) >= max_depth:
                dropped[name] = dropped.get(name, 0) + 1
                drop = True
            else:
                stack.append(name)
        if drop:
            out.append(html[pos : match.start()])
            pos = match.end()
    if not out:
        return html
    out.append(html[pos:])
    return "".join(out)
