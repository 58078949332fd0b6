"""Main-text extraction: DOM → text blocks → best subtree → filtered paragraphs.

Stages, in order (``extract_content`` mirrors them):

1. **segment**: one iterative walk of ``<body>`` cuts the page into text blocks, the runs of
   inline text between block-level tags. Each block keeps its non-link text length, its links,
   its owner tag, and whether a furniture element (class/id vocabulary, hidden) encloses it.
   Every block-level element records the range of blocks it holds.
2. **weigh**: each block gets a weight: prose counts its length, anything else costs
   (menus, link lists, furniture). Prefix sums make any element's total O(1).
3. **choose**: the element with the highest total is the article container (a maximum
   subtree, in the spirit of Pasternack & Roth's maximum-subsequence segmentation); strong
   sibling containers join it (articles split by ad slots).
4. **filter**: blocks inside the chosen containers are kept unless they are furniture,
   link-dense, the headline, a byline or a boilerplate line.

Written by hand because no library does this on selectolax's Lexbor tree at this speed;
the vocabulary and thresholds live in ``heuristics``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate

from selectolax.lexbor import LexborNode

from . import heuristics as H

_WS_SPLIT = str.split


@dataclass(slots=True)
class Block:
    text: str
    link_chars: int
    tag: str
    """Tag of the nearest block-level ancestor (``p``, ``li``, ``h2``...)."""
    links: list[tuple[str, str]]
    ancestors: list[int]
    """Nearest block-level ancestors, innermost last (at most ``ANCESTOR_LEVELS``)."""
    furniture: bool = False


@dataclass(slots=True)
class Segmentation:
    blocks: list[Block] = field(default_factory=list)
    # Parallel arrays over block-level elements, in document order.
    el_tag: list[str] = field(default_factory=list)
    el_start: list[int] = field(default_factory=list)
    el_end: list[int] = field(default_factory=list)
    el_parent: list[int] = field(default_factory=list)
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


def segment(root: LexborNode) -> Segmentation:
    """Walk ``root`` once, iteratively (pages may nest 100,000 deep), into text blocks."""
    seg = Segmentation()
    blocks = seg.blocks
    buf: list[str] = []
    link_buf: list[str] = []
    links: list[tuple[str, str]] = []
    owner_tag = ["body"]

    def flush() -> None:
        if not buf:
            return
        text = " ".join(_WS_SPLIT("".join(buf)))
        if text:
            link_chars = len(" ".join(_WS_SPLIT("".join(link_buf)))) if link_buf else 0
            ancestors = el_parent_stack[-H.ANCESTOR_LEVELS :]
            blocks.append(Block(text, link_chars, owner_tag[-1], links.copy(), ancestors))
        buf.clear()
        link_buf.clear()
        links.clear()

    # Each frame: (children iterator, element index or -1, is_block, link href or None,
    # furniture record index or -1).
    frames: list[tuple[object, int, bool, str | None, int]] = []
    link_depth = 0
    link_href: str | None = None
    link_text_start = 0
    el_parent_stack = [-1]

    def enter(node: LexborNode) -> None:
        frames.append((node.iter(include_text=True), -1, False, None, -1))

    enter(root)
    while frames:
        it, el_idx, is_block, href, furn_idx = frames[-1]
        child = next(it, None)  # type: ignore[call-overload]
        if child is None:
            frames.pop()
            if href is not None:
                link_depth -= 1
                anchor = " ".join(_WS_SPLIT("".join(link_buf[link_text_start:])))
                links.append((href, anchor))
            if is_block:
                flush()
                seg.el_end[el_idx] = len(blocks)
                owner_tag.pop()
                el_parent_stack.pop()
            if furn_idx >= 0:
                if not is_block:
                    flush()
                start, _, strong_ = seg.furniture[furn_idx]
                seg.furniture[furn_idx] = (start, len(blocks), strong_)
            continue
        tag = child.tag
        if tag == "-text":
            text = child.text_content
            if text:
                buf.append(text)
                if link_depth:
                    link_buf.append(text)
            continue
        if tag is None or tag.startswith("-") or tag in H.SKIP_TAGS:
            continue
        if tag == "br":
            flush()
            continue
        attrs = child.attributes
        if attrs and _is_hidden(attrs):
            continue
        block = tag in H.BLOCK_TAGS
        strong: bool | None = None  # None: not furniture
        if attrs and tag not in H.NEVER_FURNITURE_TAGS:
            names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
            if len(names) > 1 and H.FURNITURE.search(names):
                strong = bool(H.COMMENTS.search(names))
        new_href = None
        if tag == "a":
            new_href = (attrs.get("href") or "") if attrs else ""
            link_depth += 1
            link_text_start = len(link_buf)
        idx = -1
        furn = -1
        if strong is not None:
            if not block:
                flush()  # the furniture's own inline text becomes blocks of its own
            seg.furniture.append((len(blocks), -1, strong))
            furn = len(seg.furniture) - 1
        if block:
            flush()
            idx = len(seg.el_tag)
            seg.el_tag.append(tag)
            seg.el_start.append(len(blocks))
            seg.el_end.append(len(blocks))
            seg.el_parent.append(el_parent_stack[-1])
            el_parent_stack.append(idx)
            owner_tag.append(tag)
        frames.append((child.iter(include_text=True), idx, block, new_href, furn))
    flush()
    # Ranges of furniture still open (cannot happen after a full walk) are closed at the end.
    seg.furniture = [(s, e if e >= 0 else len(blocks), a) for s, e, a in seg.furniture]
    return seg


def _is_prose(block: Block) -> bool:
    return (
        len(block.text) - block.link_chars >= H.MIN_PROSE_CHARS
        and block.link_chars <= H.MAX_LINK_DENSITY * len(block.text)
    )


def _mark_furniture(seg: Segmentation) -> None:
    """Flag blocks under furniture; a wrapper holding most of the page's prose is not."""
    blocks = seg.blocks
    if not seg.furniture:
        return
    prose = [len(b.text) if _is_prose(b) else 0 for b in blocks]
    total = sum(prose) or 1
    cum = [0, *accumulate(prose)]
    delta = [0] * (len(blocks) + 1)
    for start, end, strong in seg.furniture:
        if end <= start:
            continue
        if not strong and (cum[end] - cum[start]) >= H.FURNITURE_MAX_PROSE_SHARE * total:
            continue
        delta[start] += 1
        delta[end] -= 1
    depth = 0
    for i, block in enumerate(blocks):
        depth += delta[i]
        block.furniture = depth > 0


def _weight(block: Block) -> float:
    if block.furniture:
        return -H.FURNITURE_WEIGHT * len(block.text)
    if block.link_chars > H.MAX_LINK_DENSITY * len(block.text):
        return -float(H.BLOCK_COST + block.link_chars)
    return float(len(block.text) - block.link_chars - H.BLOCK_COST)


def choose(seg: Segmentation) -> list[int]:
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
    for block in seg.blocks:
        w = _weight(block)
        for level, el in enumerate(reversed(block.ancestors)):
            scores[el] += w * decay[level]
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
    ranked = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    best = ranked[0]
    close = [
        c for c in ranked[1 : H.TOP_CANDIDATES] if scores[c] >= H.CLOSE_CANDIDATE_SHARE * scores[best]
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


def _keep(block: Block, title: str | None) -> bool:
    if block.furniture:
        return False
    text = block.text
    n = len(text)
    if block.link_chars > H.MAX_LINK_DENSITY * n:
        return False
    if title and block.tag in H.HEADING_TAGS and text == title:
        return False
    if n <= H.BOILERPLATE_LINE_MAX and H.BOILERPLATE_LINE.match(text):
        return False
    return not (n <= H.BYLINE_LINE_MAX and H.BYLINE_LINE.match(text))


def extract_content(root: LexborNode, title: str | None = None) -> tuple[list[str], list[Block]]:
    """Paragraphs of the main text and the blocks they came from, in reading order."""
    seg = segment(root)
    _mark_furniture(seg)
    chosen = choose(seg)
    kept: list[Block] = []
    seen: set[int] = set()
    for el in chosen:
        for i in range(seg.el_start[el], seg.el_end[el]):
            if i not in seen:
                seen.add(i)
                if _keep(seg.blocks[i], title):
                    kept.append(seg.blocks[i])
    return [b.text for b in kept], kept
