"""Main-text extraction: DOM → text blocks → best subtree → filtered paragraphs.

Stages, in order (``segment`` does the first, ``select`` the rest):

1. **segment**: one iterative walk of ``<body>`` cuts the page into text blocks, the runs of
   inline text between block-level tags. Each block keeps its non-link text length, its links,
   its owner tag, and whether a furniture element (class/id vocabulary, hidden) encloses it.
   Every block-level element records the range of blocks it holds. The same walk notes the
   body's metadata markup (JSON-LD, ``meta``, ``time``, ``h1``, byline) for ``metadata``.
2. **weigh**: each block gets a weight: prose counts its length, anything else costs
   (menus, link lists, furniture). Prefix sums make any element's total O(1).
3. **choose**: the element with the highest total is the article container (a maximum
   subtree, in the spirit of Pasternack & Roth's maximum-subsequence segmentation); strong
   sibling containers join it (articles split by ad slots).
4. **filter**: blocks inside the chosen containers are kept unless they are furniture,
   link-dense, the headline, a byline or a boilerplate line.

Written by hand because no library does this on selectolax's Lexbor tree at this speed;
the vocabulary and thresholds live in ``heuristics``.

Every byte is the page author's, so costs are bounded whatever the markup: text is read a
bounded number of times however deep lists and wrappers nest (``_Subtrees``), a link's text is
recorded once however deep links nest, and the memo of class verdicts holds short keys only.
"""

from __future__ import annotations

import functools
import heapq
import math
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import msgspec
from selectolax.lexbor import LexborNode

from credlens.extract import heuristics as H


class Block(msgspec.Struct, gc=False):
    """A run of inline text between block-level tags (a C-built Struct, not tracked by the
    garbage collector: pages make hundreds of these)."""

    text: str
    link_chars: int
    tag: str
    """Tag of the nearest block-level ancestor (``p``, ``li``, ``h2``...)."""
    links: tuple[tuple[str, str], ...]
    owner: int
    """Index of the nearest block-level element holding this block (-1: the root)."""
    offset: int
    """Characters of page text before this block, skipped furniture included."""
    dense: bool
    """Link-dense: navigation or a list of headlines rather than prose."""
    prose: bool
    """Enough non-link text, not link-dense."""
    furniture: bool = False


@dataclass(slots=True)
class Segmentation:
    blocks: list[Block] = field(default_factory=list)
    # Parallel arrays over block-level elements, in document order.
    el_tag: list[str] = field(default_factory=list)
    el_start: list[int] = field(default_factory=list)
    el_end: list[int] = field(default_factory=list)
    el_parent: list[int] = field(default_factory=list)
    # Furniture elements that were walked (ambiguous or large), as block ranges.
    furniture: list[tuple[int, int]] = field(default_factory=list)
    chars: int = 0
    """Characters of page text seen, skipped furniture included."""
    markup: MarkupFound = field(default_factory=lambda: MarkupFound())
    """Metadata markup met on the way, so metadata needs no second pass over the body."""


@dataclass(slots=True)
class MarkupFound:
    """Body elements that carry metadata, collected by the walk in document order."""

    jsonld: list[LexborNode] = field(default_factory=list)
    meta: list[LexborNode] = field(default_factory=list)
    time: LexborNode | None = None
    h1: LexborNode | None = None
    byline: LexborNode | None = None
    canonical: LexborNode | None = None
    # Furniture elements as block ranges, with whether they are comment threads.
    furniture: list[tuple[int, int, bool]] = field(default_factory=list)


def _is_hidden(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style:
        compact = style.replace(" ", "").lower()
        return "display:none" in compact or "visibility:hidden" in compact
    return False


_NOT_FURNITURE, _FURNITURE, _AMBIGUOUS, _COMMENTS = range(4)


#: Class/id strings longer than this are classified without the memo. The memo saves the
#: regex tests on names that pages repeat, and those are short (tuning set: 99 % of 75,000
#: class+id strings have at most 116 characters, the longest 2,110); a long key would pin its
#: string in the memo (megabyte class names: 60 requests held 160 MiB for good). Bound:
#: ``NAME_MEMO_SIZE`` keys of at most 128 characters of at most 4 bytes, with the memo's own
#: overhead about 0.8 KiB a key: under 7 MiB, whatever the pages.
MAX_CACHED_NAME_CHARS = 128
NAME_MEMO_SIZE = 8192
_NOT_A_BYLINE = (_NOT_FURNITURE, False)


def _classify_names(names: str) -> tuple[int, bool]:
    """Furniture verdict, and whether the names say byline (only asked of furniture)."""
    names = names.lower()
    if not H.FURNITURE.search(names) or H.EMBED.search(names):
        return _NOT_A_BYLINE
    byline = H.BYLINE_CLASS.search(names) is not None
    if H.COMMENTS.search(names):
        return _COMMENTS, byline
    return (_AMBIGUOUS if H.CONTENT_HINT.search(names) else _FURNITURE), byline


_classify_memo = functools.lru_cache(maxsize=NAME_MEMO_SIZE)(_classify_names)


def _classify(names: str) -> tuple[int, bool]:
    """``_classify_names``, memoised for short strings only (see ``MAX_CACHED_NAME_CHARS``)."""
    if len(names) > MAX_CACHED_NAME_CHARS:
        return _classify_names(names)
    return _classify_memo(names)


def _link_list(node: LexborNode) -> bool:
    """A list whose text is nearly all link text (menus, "more stories"), from Lexbor's text
    of the list and of its links: a few C calls instead of walking every item."""
    text = len(node.text(deep=True, strip=True))
    if text < H.LINK_LIST_MIN_CHARS:
        return False
    links = sum(len(a.text(deep=True, strip=True)) for a in node.css("a"))
    return links > H.LINK_LIST_DENSITY * text


class _Subtrees:
    """Text sizes of subtrees, so that nesting does not multiply the text read.

    The walk asks Lexbor (C) for a list's or a wrapper's text before deciding to enter it; if
    it enters, the same question about a list nested inside reads that text again, once per
    level (19,000 nested lists around 4.6 MB: 19 s). So past ``MAX_TEXT_READS`` nested reads,
    sizes come from one Python pass over the nested element's subtree that records every
    element in it: each node is read by a bounded number of C calls and at most one pass. The
    figures are the ones the C calls give (text nodes only; link text counts each ``a``).
    """

    __slots__ = ("budget", "sizes")

    def __init__(self) -> None:
        #: mem_id -> (characters, stripped characters, stripped characters inside links).
        self.sizes: dict[int, tuple[int, int, int]] = {}
        self.budget = H.MAX_SUBTREE_SCAN_NODES

    def scan(self, root: LexborNode) -> tuple[int, int, int] | None:
        """Sizes of ``root``'s subtree, or None once the page's scan budget is spent."""
        sizes = self.sizes
        budget = self.budget
        if budget <= 0:
            return None
        # Per open element: [children, chars, stripped, link chars, is a link, mem_id].
        frames: list[list[Any]] = [[root.iter(include_text=True), 0, 0, 0, False, root.mem_id]]
        while frames:
            frame = frames[-1]
            for child in frame[0]:
                budget -= 1
                tag = child.tag or ""
                if tag == "-text":
                    text = child.text_content
                    if text:
                        frame[1] += len(text)
                        frame[2] += len(text.strip())
                    continue
                if tag.startswith("-"):  # comments, doctype: no text nodes below
                    continue
                if budget <= 0:
                    self.budget = 0
                    return None
                frames.append([child.iter(include_text=True), 0, 0, 0, tag == "a", child.mem_id])
                break
            else:
                frames.pop()
                _, chars, stripped, links, is_link, mem_id = frame
                sizes[mem_id] = (chars, stripped, links)
                if frames:
                    parent = frames[-1]
                    parent[1] += chars
                    parent[2] += stripped
                    parent[3] += links + (stripped if is_link else 0)
        self.budget = budget
        return sizes[root.mem_id]


# What the walker does with each tag, decided once per tag by one dict lookup.
_SKIP, _CHROME, _BLOCK, _BREAK, _LINK, _INLINE, _MARKUP = range(7)
_KIND: dict[str, int] = {
    **{t: _SKIP for t in H.CODE_TAGS},
    **{t: _CHROME for t in H.CHROME_TAGS},
    **{t: _BLOCK for t in H.BLOCK_TAGS},
    "br": _BREAK,
    "a": _LINK,
    "script": _MARKUP,
    "meta": _MARKUP,
    "link": _MARKUP,
    "-comment": _SKIP,
    "-doctype": _SKIP,
    "-document": _SKIP,
}


def segment(root: LexborNode) -> Segmentation:
    """Cut ``root`` into text blocks, skipping page furniture unread.

    Plain furniture is skipped on the first pass and its size noted; when one skipped element
    turns out to hold much of the page (a wrapper with an unlucky class), the page is cut
    again with that element walked (and again, for wrappers nested in it). Few pages need a
    second pass.
    """
    return _segment(root)


def _segment(root: LexborNode) -> Segmentation:
    """Cut ``root`` into text blocks in one iterative walk.

    A stack of child iterators replaces recursion (pages may nest 100,000 deep); skipped
    subtrees (scripts, SVG, navigation, furniture, link lists) are never entered. Generators
    resume where a ``break`` left them, so each node costs one step of a ``for`` loop; this
    loop is the extractor's hot path, hence the local aliases. Sizes asked about elements
    inside one whose text was already read come from ``_Subtrees`` (linear, not depth × text).
    """
    seg = Segmentation()
    blocks = seg.blocks
    el_tag, el_start, el_end, el_parent = seg.el_tag, seg.el_start, seg.el_end, seg.el_parent
    furniture = seg.furniture
    markup = seg.markup
    buf: list[str] = []
    link_buf: list[str] = []
    links: list[tuple[str, str]] = []
    owner_tags = ["body"]
    block_stack = [-1]  # indices of the open block-level elements, innermost last
    kinds = _KIND
    never_furniture = H.NEVER_FURNITURE_TAGS
    skip_furniture_max = H.SKIP_FURNITURE_MAX_CHARS
    buf_append, link_buf_append = buf.append, link_buf.append
    density, long_density = H.MAX_LINK_DENSITY, H.LONG_BLOCK_LINK_DENSITY
    long_chars, min_prose = H.LONG_BLOCK_CHARS, H.MIN_PROSE_CHARS
    list_min_chars, list_density = H.LINK_LIST_MIN_CHARS, H.LINK_LIST_DENSITY
    offset = 0
    subtrees = _Subtrees()
    sizes = subtrees.sizes
    # Open elements whose whole text a C call read; past ``max_reads`` of them, sizes of the
    # elements below come from ``subtrees``, so no text is read more than that many times.
    read_depth = 0
    max_reads = H.MAX_TEXT_READS

    def text_len(node: LexborNode) -> int:
        """``len(node.text())`` of a skipped element, from the sizes when already known."""
        if read_depth:
            known = sizes.get(node.mem_id)
            if known is not None:
                return known[0]
        return len(node.text(deep=True))

    def flush() -> None:
        nonlocal offset
        text = " ".join((buf[0] if len(buf) == 1 else "".join(buf)).split())
        buf.clear()
        if text:
            link_chars = 0
            if link_buf:
                link_chars = len(" ".join("".join(link_buf).split()))
                link_buf.clear()
            found: tuple[tuple[str, str], ...] = ()
            if links:
                found = tuple(links)
                links.clear()
            n = len(text)
            dense = link_chars > (long_density if n >= long_chars else density) * n
            prose = not dense and n - link_chars >= min_prose
            blocks.append(
                Block(
                    text, link_chars, owner_tags[-1], found, block_stack[-1], offset, dense, prose
                )
            )
            offset += n
        else:
            link_buf.clear()
            links.clear()

    # Per open element: (block index or -1, furniture record or -1, link or None, whether its
    # text was read). A link's second item is where its text starts in ``link_buf``, or -1
    # for a link inside a link: its text is already the outer link's, and repeating it per
    # level would make the output grow as depth × text.
    iters = [root.iter(include_text=True)]
    undo: list[tuple[int, int, tuple[str, int] | None, bool]] = [(-1, -1, None, False)]
    link_depth = 0
    budget = H.MAX_WALK_ELEMENTS
    while iters:
        for node in iters[-1]:
            tag = node.tag or ""
            if tag == "-text":
                text = node.text_content
                # Whitespace that would start a block is layout (between tags), not text;
                # between inline elements it separates words, so it stays there.
                if text and (buf or not text.isspace()):
                    buf_append(text)
                    if link_depth:
                        link_buf_append(text)
                continue
            kind = kinds.get(tag, _INLINE)
            if kind == _SKIP:
                continue
            if kind == _MARKUP:
                if tag == "meta":
                    markup.meta.append(node)
                elif tag == "link":
                    if markup.canonical is None and node.attributes.get("rel") == "canonical":
                        markup.canonical = node
                elif node.attributes.get("type") == "application/ld+json":
                    markup.jsonld.append(node)
                continue
            if kind == _CHROME:
                offset += text_len(node)
                continue
            if kind == _BREAK:
                if buf:
                    flush()
                continue
            attrs = node.attributes
            furn = -1
            read = False
            if attrs:
                if ("style" in attrs or "hidden" in attrs or "aria-hidden" in attrs) and (
                    _is_hidden(attrs)
                ):
                    offset += text_len(node)
                    continue
                cls, ident = attrs.get("class"), attrs.get("id")
                if (cls or ident) and tag not in never_furniture:
                    names = f"{cls or ''} {ident or ''}"
                    verdict, byline = _classify(names)
                    if verdict:
                        if markup.byline is None and byline:
                            markup.byline = node
                        if verdict == _COMMENTS:
                            offset += text_len(node)
                            continue
                        if verdict == _FURNITURE:
                            if read_depth >= max_reads:
                                known = sizes.get(node.mem_id) or subtrees.scan(node)
                                # Scan budget spent: walk it (weighed as furniture anyway).
                                size = known[0] if known else skip_furniture_max
                            else:
                                size = len(node.text(deep=True))
                                read = True
                            if size < skip_furniture_max:
                                offset += size
                                continue
                        if buf:
                            flush()  # furniture's own text becomes blocks of its own
                        furn = len(furniture)
                        furniture.append((len(blocks), -1))
                if markup.byline is None and (
                    attrs.get("rel") == "author" or attrs.get("itemprop") == "author"
                ):
                    markup.byline = node
            link = None
            if kind == _BLOCK:
                # A menu or a list of headlines: judged in C, skipped unread.
                if tag == "ul" or tag == "ol":
                    if read_depth >= max_reads:
                        known = sizes.get(node.mem_id) or subtrees.scan(node)
                        # Scan budget spent: walk the list rather than judge it.
                        if (
                            known
                            and known[1] >= list_min_chars
                            and known[2] > list_density * known[1]
                        ):
                            offset += known[0]
                            continue
                    elif _link_list(node):
                        offset += len(node.text(deep=True))
                        continue
                    else:
                        read = True
                if tag == "h1" and markup.h1 is None:
                    markup.h1 = node
                if buf:
                    flush()
                idx = len(el_tag)
                el_tag.append(tag)
                el_start.append(len(blocks))
                el_end.append(len(blocks))
                el_parent.append(block_stack[-1])
                block_stack.append(idx)
                owner_tags.append(tag)
            else:
                idx = -1
                if kind == _LINK:
                    start = -1 if link_depth else len(link_buf)
                    link = ((attrs.get("href") or "") if attrs else "", start)
                    link_depth += 1
                elif tag == "time" and markup.time is None and attrs and "datetime" in attrs:
                    markup.time = node
            if read:
                read_depth += 1
            iters.append(node.iter(include_text=True))
            undo.append((idx, furn, link, read))
            budget -= 1
            if budget <= 0:  # walked enough: close what is open and stop
                iters[:] = [iter(()) for _ in iters]
            break
        else:  # this element's children are done: close it
            iters.pop()
            idx, furn, link, read = undo.pop()
            if read:
                read_depth -= 1
            if link is not None:
                link_depth -= 1
                start = link[1]
                text = " ".join("".join(link_buf[start:]).split()) if start >= 0 else ""
                links.append((link[0], text))
            if idx >= 0:
                if buf:
                    flush()
                el_end[idx] = len(blocks)
                owner_tags.pop()
                block_stack.pop()
            if furn >= 0:
                if buf:
                    flush()
                furniture[furn] = (furniture[furn][0], len(blocks))
    if buf:
        flush()
    seg.chars = offset
    return seg


def _mark_furniture(seg: Segmentation) -> None:
    """Flag blocks under furniture; a wrapper holding most of the page's prose is not."""
    blocks = seg.blocks
    if not seg.furniture:
        return
    prose = [len(b.text) if b.prose else 0 for b in blocks]
    total = sum(prose) or 1
    cum = [0, *accumulate(prose)]
    delta = [0] * (len(blocks) + 1)
    for start, end in seg.furniture:
        if end <= start:
            continue
        if (cum[end] - cum[start]) >= H.FURNITURE_MAX_PROSE_SHARE * total:
            continue
        delta[start] += 1
        delta[end] -= 1
    depth = 0
    for i, block in enumerate(blocks):
        depth += delta[i]
        block.furniture = depth > 0


def _headline_index(seg: Segmentation, title_words: str) -> int:
    """Index of the first block that repeats the headline, or -1."""
    if not title_words:
        return -1
    for i, block in enumerate(seg.blocks):
        if _title_sized(block.text, title_words) and _repeats_title(block.text, title_words):
            return i
    return -1


def choose(seg: Segmentation, title_words: str = "") -> list[int]:
    """Indices of the chosen container elements (best candidate plus strong siblings).

    A block's weight goes to its nearest block-level ancestors, fading with distance
    (``ANCESTOR_DECAY``): a container that holds its paragraphs directly beats a wrapper
    around a list of teasers of the same total length. The candidate's score is then scaled
    by the share of its whole subtree's text that is not link text.
    """
    n = len(seg.el_tag)
    if not n:
        return []
    scores = [0.0] * n
    decay = H.ANCESTOR_DECAY
    starts, ends, parents = seg.el_start, seg.el_end, seg.el_parent
    # Wrappers that hold exactly the same blocks are one level: each group is represented by
    # its outermost element, and ``up`` links a group to the next group above it.
    group = list(range(n))
    up = [-1] * n
    for e in range(n):
        p = parents[e]
        if p >= 0:
            if starts[p] == starts[e] and ends[p] == ends[e]:
                group[e], up[e] = group[p], up[p]
            else:
                up[e] = group[p]
    headline = _headline_index(seg, title_words)
    headline_end = 0
    if headline >= 0:
        headline_end = seg.blocks[headline].offset + len(seg.blocks[headline].text)
    furniture_weight, block_cost = H.FURNITURE_WEIGHT, H.BLOCK_COST
    list_items, list_weight = H.LIST_ITEM_TAGS, H.LIST_ITEM_WEIGHT
    bonus, scale = H.TITLE_PROXIMITY_BONUS, H.TITLE_PROXIMITY_CHARS
    # Past this distance the headline bonus is under 1%: not worth an exp() per block.
    bonus_reach = headline_end + scale * math.log(100 * bonus) if bonus > 0 else -1.0
    for i, block in enumerate(seg.blocks):
        if block.furniture:
            w = -furniture_weight * len(block.text)
        elif block.dense:
            w = -float(block_cost + block.link_chars)
        else:
            w = float(len(block.text) - block.link_chars - block_cost)
        if w > 0:
            if block.tag in list_items:
                w *= list_weight
            if 0 <= headline < i and block.offset < bonus_reach:
                w *= 1.0 + bonus * math.exp((headline_end - block.offset) / scale)
        el = group[block.owner] if block.owner >= 0 else -1
        for share in decay:
            if el < 0:
                break
            scores[el] += w * share
            el = up[el]
    chars = [0, *accumulate(len(b.text) for b in seg.blocks)]
    links = [0, *accumulate(b.link_chars for b in seg.blocks)]
    for i, (s, e) in enumerate(zip(seg.el_start, seg.el_end, strict=True)):
        total = chars[e] - chars[s]
        if total and scores[i] > 0:
            scores[i] *= 1.0 - (links[e] - links[s]) / total
    best = _promote(seg, scores)
    chosen = [best]
    parent = seg.el_parent[best]
    threshold = max(H.SIBLING_MIN_SCORE, H.SIBLING_SHARE * scores[best])
    if parent >= 0:
        chosen.extend(
            i
            for i in range(parent + 1, n)
            if i != best and seg.el_parent[i] == parent and scores[i] >= threshold
        )
    return sorted(chosen, key=seg.el_start.__getitem__)


def _ancestors(seg: Segmentation, el: int) -> list[int]:
    out = []
    while el >= 0:
        out.append(el)
        el = seg.el_parent[el]
    return out


def _promote(seg: Segmentation, scores: list[float]) -> int:
    """The best candidate, moved up to the container of an article split into sections.

    Readability's two rules: when several top candidates score close to the best, their
    nearest common ancestor is the article (sections of one story); and a wrapper that holds
    exactly the same blocks as the candidate (an only child) replaces it.
    """
    ranked = heapq.nlargest(H.TOP_CANDIDATES, range(len(scores)), key=scores.__getitem__)
    best = ranked[0]
    close = [
        c
        for c in ranked[1 : H.TOP_CANDIDATES]
        if scores[c] >= H.CLOSE_CANDIDATE_SHARE * scores[best]
    ]
    if len(close) >= H.MIN_CLOSE_CANDIDATES:
        chains = [set(_ancestors(seg, c)) for c in close]
        for anc in _ancestors(seg, best)[1:]:
            if sum(anc in chain for chain in chains) >= H.MIN_CLOSE_CANDIDATES:
                best = anc
                break
    parent = seg.el_parent[best]
    while (
        parent >= 0
        and seg.el_start[parent] == seg.el_start[best]
        and seg.el_end[parent] == seg.el_end[best]
    ):
        best, parent = parent, seg.el_parent[parent]
    return best


#: ASCII characters that are not word characters (``\\w``), mapped to a space.
_ASCII_NON_WORD = {c: " " for c in range(128) if not (chr(c).isalnum() or c == ord("_"))}


def _words(text: str) -> str:
    """The words (``\\w+`` runs) of ``text``, lower-cased, one space apart.

    String methods rather than a regex: linear, and a word per match would cost about 7 µs
    through the RE2 binding (``credlens.patterns``); this runs on every headline-sized block.
    ``\\w`` is ``str.isalnum()`` or ``_``, exactly as in Python's ``re``.
    """
    lowered = text.lower()
    if lowered.isascii():
        return " ".join(lowered.translate(_ASCII_NON_WORD).split())
    return " ".join("".join(c if c.isalnum() or c == "_" else " " for c in lowered).split())


def _title_sized(text: str, title_words: str) -> bool:
    """Cheap length test before tokenising: could ``text`` repeat the headline?"""
    n, t = len(text), len(title_words)
    return H.TITLE_COVER * t * 0.8 <= n <= t / H.TITLE_COVER + 20


def _repeats_title(text: str, title_words: str) -> bool:
    words = _words(text)
    if not words or not title_words:
        return False
    if words in title_words:
        return len(words) >= H.TITLE_COVER * len(title_words)
    return title_words in words and len(words) <= len(title_words) / H.TITLE_COVER


def _keep(block: Block, title_words: str) -> bool:
    if block.furniture or block.dense:
        return False
    text = block.text
    n = len(text)
    if n <= H.BOILERPLATE_LINE_MAX and H.BOILERPLATE_LINE.match(text):
        return False
    if n <= H.BYLINE_LINE_MAX and H.BYLINE_LINE.match(text):
        return False
    if n <= H.META_LINE_MAX and not text.endswith(".") and H.META_LINE.search(text):
        return False
    return not (_title_sized(text, title_words) and _repeats_title(text, title_words))


def select(seg: Segmentation, title: str | None = None) -> list[Block]:
    """Stages 2-4 on a segmented page: the main text's blocks, in reading order."""
    _mark_furniture(seg)
    title_words = _words(title) if title else ""
    chosen = choose(seg, title_words)
    kept: list[Block] = []
    seen: set[int] = set()
    for el in chosen:
        for i in range(seg.el_start[el], seg.el_end[el]):
            if i not in seen:
                seen.add(i)
                if _keep(seg.blocks[i], title_words):
                    kept.append(seg.blocks[i])
    return kept
