"""Keep parsing bounded: cap what hostile HTML makes the parser build, before Lexbor sees it.

Lexbor checks element scopes against the stack of open elements, so deep nesting costs time
quadratic in depth (19,000 nested lists: 0.8 s; 100,000: 21 s), and it re-creates every
formatting element that its list of active formatting elements holds but the stack lost
(4,000 ``<b id=N><p>``, 53 KB: 8 million elements, 3 s). Pages with fewer than
``DEPTH_CHECK_MIN_TAGS`` tags cannot nest deep enough to matter: they pay one count of ``<``
and, from ``FORMATTING_CHECK_MIN_TAGS`` tags, a vectorised count of formatting tags that are
not plain leaves. Other pages are read tag by tag by a model of the parser's stack of open
elements: tags nested deeper than ``MAX_DEPTH`` are dropped (their text is kept), so are
formatting tags past ``MAX_ACTIVE_FORMATTING`` in its list, and the page is cut after
``MAX_PARSE_TAGS`` tags.

The model follows the HTML standard's tokenizer where it decides what is a tag (quoted
attribute values, comments, raw text such as ``<script>`` and ``<textarea>``) and its tree
builder where it decides what a tag opens or closes (scopes, special elements, implied end
tags, tables, foreign content). Where it is unsure it keeps an element open rather than
closing it: a page cannot hide depth from it with end tags that the parser ignores
(``<div></b>``, ``<span><div></span>``, ``<div title="</div>">``, ``<div/>``), and
ordinary pages are never cut (the tuning set's deepest page models at 49 levels, Lexbor
builds 51 with ``html`` and ``body``). Elements the parser re-creates without a tag are not
modelled: at most ``MAX_ACTIVE_FORMATTING`` of them are open at once. Written by hand: no
library caps depth ahead of Lexbor, and a regex tokenizer costs more per tag through the RE2
binding (1.7-7 µs a match) while reading quotes, comments and raw text no better.
"""

from __future__ import annotations

import numpy as np

from credlens.extract import heuristics as H

_LT = ord("<")
_GT = ord(">")
_SLASH = ord("/")
_BANG = ord("!")
_QMARK = ord("?")
_EQ = ord("=")
_DQ, _SQ = ord('"'), ord("'")
#: HTML's ASCII whitespace (tag and attribute separators).
_WS = frozenset(b"\t\n\x0c\r ")
#: A tag name ends at whitespace, ``/`` or ``>``: mapped to ``>`` so one ``find`` finds it.
_NAME_END = bytes.maketrans(b"\t\n\x0c\r /", b">>>>>>")
#: Either quote, as ``"``: one ``find`` tells whether a tag needs the attribute parser.
_ANY_QUOTE = bytes.maketrans(b"'", b'"')
#: An attribute name ends at whitespace, ``/``, ``>`` or ``=``; an unquoted value at
#: whitespace or ``>``.
_ATTR_NAME_END = bytes.maketrans(b"\t\n\x0c\r /=", b">>>>>>>")
_UNQUOTED_END = bytes.maketrans(b"\t\n\x0c\r ", b">>>>>")

# Namespaces of model entries: an HTML element is its lower-case name, a foreign one the name
# behind one of these bytes.
_SVG, _MATH = b"\x01", b"\x02"

_VOID = frozenset(
    b"area base basefont bgsound br col embed frame hr image img input keygen link meta "
    b"param source track wbr".split()
)
#: Never pushed: the parser merges them into the one it made (or ignores them).
_IGNORED = frozenset(b"html head body frameset frame".split())
#: Raw text: what follows is text up to the matching end tag (``noscript`` is not: Lexbor
#: parses with scripting off).
_RAWTEXT = frozenset(b"style xmp iframe noembed noframes textarea title".split())
_FORMATTING = frozenset(b"a b big code em font i nobr s small strike strong tt u".split())
_HEADINGS = frozenset(b"h1 h2 h3 h4 h5 h6".split())
#: Start tags that first close an open ``p`` (in button scope).
_CLOSES_P = frozenset(
    b"address article aside blockquote center details dialog dir div dl fieldset figcaption "
    b"figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 "
    b"h6 pre listing form li dd dt plaintext xmp hr".split()
)
#: End tags that close their element when it is in scope (implied end tags popped on the way).
_SCOPED_END = frozenset(
    b"address article aside blockquote button center details dialog dir div dl fieldset "
    b"figcaption figure footer header hgroup listing main menu nav ol pre search section "
    b"summary ul applet marquee object dd dt".split()
)
_INTEGRATION = frozenset(
    [_SVG + b"foreignobject", _SVG + b"desc", _SVG + b"title"]
    + [_MATH + n for n in b"mi mo mn ms mtext annotation-xml".split()]
)
_SPECIAL = (
    frozenset(
        b"address applet area article aside base basefont bgsound blockquote body br button "
        b"caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure "
        b"footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img "
        b"input keygen li link listing main marquee menu meta nav noembed noframes noscript "
        b"object ol p param plaintext pre script search section select source style summary "
        b"table tbody td template textarea tfoot th thead title tr track ul wbr xmp".split()
    )
    | _INTEGRATION
)
_SCOPE = frozenset(b"applet caption html table td th marquee object template".split()) | (
    _INTEGRATION
)
#: HTML start tags that end foreign content (SVG, MathML) when met inside it.
_BREAKOUT = frozenset(
    b"b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i "
    b"img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt "
    b"u ul var".split()
)
#: Elements whose start puts a marker in the list of active formatting elements (and whose
#: end clears the list back to it).
_MARKERS = frozenset(b"td th caption marquee object applet template".split())
_TABLE_SECTIONS = frozenset(b"tbody thead tfoot".split())
_CELLS = frozenset(b"td th".split())


def _end_tag_at(low: bytes, tag: bytes, start: int) -> int:
    """Position of the next ``tag`` (``</name``) that the tokenizer takes as an end tag."""
    n = len(low)
    width = len(tag)
    while True:
        k = low.find(tag, start)
        if k < 0 or k + width >= n:
            return n
        if low[k + width] in _WS or low[k + width] in (_SLASH, _GT):
            return k
        start = k + 1


def _script_end(low: bytes, start: int) -> int:
    """Where a ``<script>``'s text ends, following the tokenizer's escaped states: inside
    ``<!-- -->``, a ``<script>`` ... ``</script>`` pair does not end it."""
    n = len(low)
    while True:
        end = _end_tag_at(low, b"</script", start)
        escape = low.find(b"<!--", start, end)
        if escape < 0:
            return end
        close = low.find(b"-->", escape + 2)
        close = n if close < 0 else close
        at, double = escape + 4, False
        while True:
            end = _end_tag_at(low, b"</script", at)
            if end >= close:
                break
            if not double:
                nested = _end_tag_at(low, b"<script", at)
                if nested > end:
                    return end
                end = nested
            double = not double
            at = end + 7
        if close >= n:
            return n
        start = close + 3


class _Text:
    """The lower-cased page and the translated copies that let ``find`` do the scanning."""

    __slots__ = ("_attr_end", "_value_end", "low", "n", "name_end", "quotes")

    def __init__(self, data: bytes) -> None:
        self.low = data.lower()
        self.n = len(data)
        self.name_end = self.low.translate(_NAME_END)
        self.quotes = self.low.translate(_ANY_QUOTE)
        self._attr_end: bytes | None = None
        self._value_end: bytes | None = None

    def tag_end(self, at: int) -> tuple[int, bool]:
        """The ``>`` that ends the tag whose attributes start at ``at`` (-1: the page ends
        first), and whether the tag is self-closing: the tokenizer's attribute states."""
        low, n = self.low, self.n
        if self._attr_end is None:
            self._attr_end = low.translate(_ATTR_NAME_END)
            self._value_end = low.translate(_UNQUOTED_END)
        attr_end, value_end = self._attr_end, self._value_end
        assert value_end is not None
        i = at
        while i < n:
            c = low[i]
            if c in _WS:
                i += 1
            elif c == _SLASH:
                i += 1
                if i < n and low[i] == _GT:
                    return i, True
            elif c == _GT:
                return i, False
            else:
                # An attribute name: its first character may be anything ('=', quotes).
                i = attr_end.find(b">", i + 1)
                if i < 0:
                    return -1, False
                while low[i] in _WS:
                    i += 1
                    if i >= n:
                        return -1, False
                if low[i] != _EQ:
                    continue
                i += 1
                while i < n and low[i] in _WS:
                    i += 1
                if i >= n:
                    return -1, False
                c = low[i]
                if c in (_DQ, _SQ):
                    i = low.find(b'"' if c == _DQ else b"'", i + 1)
                    if i < 0:
                        return -1, False
                    i += 1
                elif c != _GT:
                    i = value_end.find(b">", i)
                    if i < 0:
                        return -1, False
        return -1, False


# What a start tag does before its element is pushed (one dict lookup per tag).
_PUSH, _VOID_TAG, _SKIP, _CLOSE_P, _LIST_ITEM, _HEADING, _A_NOBR, _OPTION, _BUTTON = range(9)
_TABLE, _TABLE_PART, _FOREIGN_ROOT, _HR = range(9, 13)
_START_ACTION: dict[bytes, int] = {
    **{name: _VOID_TAG for name in _VOID},
    b"hr": _HR,
    **{name: _SKIP for name in _IGNORED},
    **{name: _CLOSE_P for name in _CLOSES_P},
    b"li": _LIST_ITEM,
    b"dd": _LIST_ITEM,
    b"dt": _LIST_ITEM,
    **{name: _HEADING for name in _HEADINGS},
    b"a": _A_NOBR,
    b"nobr": _A_NOBR,
    b"option": _OPTION,
    b"optgroup": _OPTION,
    b"button": _BUTTON,
    b"table": _TABLE,
    **{name: _TABLE_PART for name in (*_CELLS, *_TABLE_SECTIONS, b"tr", b"caption", b"colgroup")},
    b"svg": _FOREIGN_ROOT,
    b"math": _FOREIGN_ROOT,
}
# Which rule an end tag follows (anything else: "any other end tag").
_END_P, _END_LI, _END_HEADING, _END_SCOPED, _END_TABLE, _END_FORM, _END_OTHER = range(7)
_END_ACTION: dict[bytes, int] = {
    b"p": _END_P,
    b"li": _END_LI,
    **{name: _END_HEADING for name in _HEADINGS},
    **{name: _END_SCOPED for name in _SCOPED_END},
    **{
        name: _END_TABLE
        for name in (*_CELLS, *_TABLE_SECTIONS, b"table", b"tr", b"caption", b"colgroup")
    },
    b"template": _END_TABLE,
    b"form": _END_FORM,
}


def limit_depth(data: bytes, max_depth: int, max_tags: int | None = None) -> bytes:
    """Drop the tags (not the text) of elements nested deeper than ``max_depth``, and cut the
    page before its ``max_tags + 1``-th tag.

    ``data`` is UTF-8; only ASCII tags are removed, so the result is UTF-8 too. Cost: one
    pass, O(1) amortised per tag (each element is pushed and popped once; scope questions are
    answered from per-category stacks of positions, not by walking the stack).
    """
    text = _Text(data)
    low, n, names_end, quotes = text.low, text.n, text.name_end, text.quotes
    tag_end = text.tag_end
    find = low.find

    stack: list[bytes] = []
    html_below: list[int] = []  # per entry: position of the nearest HTML entry at or below it
    positions: dict[bytes, list[int]] = {}
    scope: list[int] = []
    button: list[int] = []
    lists: list[int] = []
    table_scope: list[int] = []
    special: list[int] = []
    special_not_adp: list[int] = []  # special, except address, div and p
    headings: list[int] = []
    tables: list[int] = []
    sections: list[int] = []
    rows: list[int] = []
    cells: list[int] = []
    categories: dict[bytes, tuple[list[int], ...]] = {}
    for key in _SPECIAL | _SCOPE | _HEADINGS | {b"ol", b"ul", b"button"}:
        found: list[list[int]] = []
        for member, category in (
            (key in _SCOPE, scope),
            (key in (b"html", b"table", b"template"), table_scope),
            (key == b"button", button),
            (key in (b"ol", b"ul"), lists),
            (key in _SPECIAL, special),
            (key in _SPECIAL and key not in (b"address", b"div", b"p"), special_not_adp),
            (key in _HEADINGS, headings),
            (key == b"table", tables),
            (key in _TABLE_SECTIONS, sections),
            (key == b"tr", rows),
            (key in _CELLS, cells),
        ):
            if member:
                found.append(category)
        categories[key] = tuple(found)
    no_categories: tuple[list[int], ...] = ()
    foreign_open = 0  # foreign (SVG, MathML) entries on the stack
    # The list of active formatting elements: (name, whole start tag) per entry, None for a
    # marker. The parser re-creates every entry whose element was closed implicitly at the
    # next text or tag, so a page can make it clone a long list again and again (4,000
    # ``<b id=N><p>``: 8 million elements, seconds of parsing for 53 KB). Formatting start
    # tags that would make it longer than ``max_formatting`` are dropped.
    active: list[tuple[bytes, bytes] | None] = []
    markers: list[int] = []  # indices of the markers in ``active``
    last_marker = -1
    max_formatting = H.MAX_ACTIVE_FORMATTING

    def push(key: bytes) -> None:
        nonlocal foreign_open
        at = len(stack)
        stack.append(key)
        if key[0] > 2:
            html_below.append(at)
        else:
            html_below.append(html_below[-1] if at else -1)
            foreign_open += 1
        where = positions.get(key)
        if where is None:
            positions[key] = [at]
        else:
            where.append(at)
        for category in categories.get(key, no_categories):
            category.append(at)

    def pop_to(at: int) -> None:
        """Pop every entry from ``at`` up."""
        nonlocal foreign_open, last_marker
        while len(stack) > at:
            key = stack.pop()
            html_below.pop()
            positions[key].pop()
            for category in categories.get(key, no_categories):
                category.pop()
            if key[0] <= 2:
                foreign_open -= 1
            elif key in _MARKERS and markers:  # clear the list back to its marker
                del active[markers.pop() :]
                last_marker = markers[-1] if markers else -1

    def forget_formatting(name: bytes) -> None:
        """Remove the last entry for ``name`` after the last marker (adoption agency)."""
        for i in range(len(active) - 1, last_marker, -1):
            entry = active[i]
            if entry is not None and entry[0] == name:
                del active[i]
                return

    def top(where: list[int] | None) -> int:
        return where[-1] if where else -1

    def close_p() -> None:
        at = top(positions.get(b"p"))
        if at > top(scope) and at > top(button):
            pop_to(at)

    def start_table_part(name: bytes) -> None:
        """Clear the stack back to the table context the part belongs in; implied
        ``tbody``/``tr`` entries are pushed as the parser inserts them."""
        table = top(tables)
        if table < 0:
            return
        if name in _CELLS or name == b"tr":
            cell = top(cells)
            if cell > table:
                pop_to(cell)
            row = top(rows)
            if name == b"tr" and row > table:
                pop_to(row)
                row = -1
            if name in _CELLS and row > table:
                pop_to(row + 1)
                return
            section = top(sections)
            if section > table:
                pop_to(section + 1)
            else:
                pop_to(table + 1)
                push(b"tbody")
            if name in _CELLS:
                push(b"tr")
        else:
            pop_to(table + 1)

    start_action, end_action = _START_ACTION, _END_ACTION
    out: list[bytes] = []
    copied = 0
    dropped: dict[bytes, int] = {}
    pos = 0
    tags_left = n if max_tags is None else max_tags
    while True:
        lt = find(b"<", pos)
        if lt < 0 or lt + 2 >= n:
            break
        c = low[lt + 1]
        if (97 <= c <= 122 or c == _SLASH) and tags_left <= 0:
            out.append(data[copied:lt])
            return b"".join(out)  # read enough: the rest is cut
        tags_left -= 1
        if 97 <= c <= 122:  # start tag
            name_end = names_end.find(b">", lt + 2)
            if name_end < 0:
                break
            name = low[lt + 1 : name_end]
            gt = find(b">", name_end)
            if gt < 0:
                break
            self_closing = False
            if quotes.find(b'"', name_end, gt) >= 0:
                gt, self_closing = tag_end(name_end)
                if gt < 0:
                    break
            pos = gt + 1
            action = start_action.get(name, _PUSH)
            key = name
            if foreign_open and stack[-1][0] <= 2 and stack[-1] not in _INTEGRATION:
                # Foreign content: HTML's own tags end it, any other tag is foreign.
                if name in _BREAKOUT or (
                    name == b"font"
                    and any(a in low[name_end:gt] for a in (b"color", b"face", b"size"))
                ):
                    while stack and stack[-1][0] <= 2 and stack[-1] not in _INTEGRATION:
                        pop_to(len(stack) - 1)
                elif action != _FOREIGN_ROOT:
                    action = _FOREIGN_ROOT
                    key = stack[-1][:1] + name
            if action == _PUSH:
                pass
            elif action == _FOREIGN_ROOT:
                if key is name:
                    key = (_SVG if name == b"svg" else _MATH) + name
                if gt > name_end and not self_closing:
                    self_closing = tag_end(name_end)[1]
                if self_closing:
                    continue
            elif action in (_VOID_TAG, _SKIP):
                continue
            elif action == _HR:
                close_p()
                continue
            elif action in (_CLOSE_P, _HEADING):
                close_p()
                if action == _HEADING and stack and stack[-1] in _HEADINGS:
                    pop_to(len(stack) - 1)
            elif action == _LIST_ITEM:
                at = top(special_not_adp)
                if at >= 0 and (
                    stack[at] == name or (name != b"li" and stack[at] in (b"dd", b"dt"))
                ):
                    pop_to(at)
                close_p()
            elif action == _A_NOBR:
                at = top(positions.get(name))
                if at >= 0 and at > top(special):
                    pop_to(at)
                forget_formatting(name)
            elif action == _OPTION:
                if stack and stack[-1] == b"option":
                    pop_to(len(stack) - 1)
            elif action == _BUTTON:
                at = top(button)
                if at > top(scope):
                    pop_to(at)
            elif action == _TABLE:
                at = top(tables)
                if at >= 0 and stack[-1] in (b"table", b"tbody", b"thead", b"tfoot", b"tr"):
                    pop_to(at)
            else:  # _TABLE_PART
                start_table_part(name)
            formatting = key is name and name in _FORMATTING
            if len(stack) >= max_depth or (
                formatting
                and len(active) - last_marker > max_formatting
                and name in _PILING_FORMATTING  # a link is never dropped: it ends its predecessor
            ):
                dropped[name] = dropped.get(name, 0) + 1
                out.append(data[copied:lt])
                copied = pos
                continue
            push(key)
            if formatting:
                # Noah's Ark: at most three identical entries after the last marker.
                tag = data[lt:pos]  # attribute values compare case-sensitively
                same = [i for i in range(last_marker + 1, len(active)) if active[i] == (name, tag)]
                if len(same) >= 3:
                    del active[same[0]]
                active.append((name, tag))
            elif key is name and name in _MARKERS:
                last_marker = len(active)
                markers.append(last_marker)
                active.append(None)
            if key is name:  # an HTML element: raw text runs to its end tag
                if name in _RAWTEXT:
                    pos = _end_tag_at(low, b"</" + name, pos)
                elif name == b"script":
                    pos = _script_end(low, pos)
                elif name == b"plaintext":
                    break
            continue
        if c == _SLASH:
            c = low[lt + 2]
            if 97 <= c <= 122:  # end tag
                name_end = names_end.find(b">", lt + 3)
                if name_end < 0:
                    break
                name = low[lt + 2 : name_end]
                gt = find(b">", name_end)
                if gt < 0:
                    break
                if quotes.find(b'"', name_end, gt) >= 0:
                    gt = tag_end(name_end)[0]
                    if gt < 0:
                        break
                pos = gt + 1
                if dropped.get(name):
                    dropped[name] -= 1
                    out.append(data[copied:lt])
                    copied = pos
                    continue
                if foreign_open and stack[-1][0] <= 2:
                    # Foreign content: the nearest same-named element above the HTML ones.
                    at = max(top(positions.get(_SVG + name)), top(positions.get(_MATH + name)))
                    if at > html_below[-1]:
                        pop_to(at)
                        continue
                at = top(positions.get(name))
                if name in _FORMATTING and not (0 <= at < top(scope)):
                    forget_formatting(name)  # unless out of scope, the entry goes
                if at < 0:
                    continue
                action = end_action.get(name, _END_OTHER)
                if action == _END_OTHER:  # "any other end tag", adoption agency included
                    if at >= top(special):
                        pop_to(at)
                elif action == _END_P:
                    if at > top(scope) and at > top(button):
                        pop_to(at)
                elif action == _END_LI:
                    if at > top(scope) and at > top(lists):
                        pop_to(at)
                elif action == _END_HEADING:
                    at = top(headings)
                    if at > top(scope):
                        pop_to(at)
                elif action == _END_SCOPED:
                    if at > top(scope):
                        pop_to(at)
                elif action == _END_TABLE:
                    if at > top(table_scope) or name == b"table" or name == b"template":
                        pop_to(at)
                elif at == len(stack) - 1:  # </form>: only when it is the current node
                    pop_to(at)
            elif c == _GT:
                pos = lt + 3
            else:  # a bogus comment, to the next '>'
                gt = find(b">", lt + 2)
                if gt < 0:
                    break
                pos = gt + 1
            continue
        if c == _BANG:
            if low.startswith(b"--", lt + 2):
                end = find(b"-->", lt + 2)
                bang = find(b"--!>", lt + 4, end if end >= 0 else n)
                if bang >= 0:
                    pos = bang + 4
                elif end >= 0:
                    pos = end + 3
                else:
                    break
            elif foreign_open and stack[-1][0] <= 2 and low.startswith(b"[cdata[", lt + 2):
                end = find(b"]]>", lt + 9)
                if end < 0:
                    break
                pos = end + 3
            else:  # doctype or bogus comment
                gt = find(b">", lt + 2)
                if gt < 0:
                    break
                pos = gt + 1
            continue
        if c == _QMARK:
            gt = find(b">", lt + 2)
            if gt < 0:
                break
            pos = gt + 1
            continue
        pos = lt + 1  # a '<' in text
    if not out:
        return data
    out.append(data[copied:])
    return b"".join(out)


#: Formatting elements that the parser's list of active formatting elements holds (``a`` and
#: ``nobr`` close their predecessor, so they cannot pile up).
_PILING_FORMATTING = frozenset(b"b big code em font i s small strike strong tt u".split())
#: Bytes that end a tag name (whitespace, ``/``, ``>``), as a lookup table.
_ENDS_NAME = np.zeros(256, bool)
_ENDS_NAME[[0x09, 0x0A, 0x0C, 0x0D, 0x20, _SLASH, _GT]] = True


def _name_keys(page: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The tag names starting at each of ``at``, lower-cased and packed in 8 bytes (0 for a
    name longer than 8 bytes or empty): one integer compare per tag tells the name."""
    padded = np.concatenate([page, np.zeros(9, np.uint8)])
    at = np.minimum(at, page.size)
    # The 8 bytes from each position as one integer (a view with a stride of one byte).
    words = np.ndarray((page.size + 1,), np.uint64, padded, 0, (1,))[at]
    length = _ENDS_NAME[padded[at[:, None] + np.arange(9)]].argmax(axis=1)
    length[~_ENDS_NAME[padded[at + length]]] = 9  # no delimiter in the first 9 bytes
    keys: np.ndarray = (words | np.uint64(0x2020202020202020)) & _NAME_MASKS[length]
    keys[(length == 0) | (length > 8)] = 0
    return keys


#: Masks keeping the first 0-8 bytes of a packed name (index 9: too long).
_NAME_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)] + [0], np.uint64)
_PILING_KEYS = np.sort(
    np.array([np.frombuffer(n.ljust(8, b"\0"), np.uint64)[0] for n in _PILING_FORMATTING])
)


def _lingering_formatting(page: np.ndarray, lts: np.ndarray, enough: int) -> int:
    """How many formatting start tags (``b``, ``em``...) are not plain leaves
    ``<b ...>text</b>`` (or, when there are at most ``enough`` formatting start tags, their
    number): at most that many entries can linger in the parser's list of active formatting
    elements. Vectorised: no Python per tag.

    A leaf here has a start tag without quotes or ``<`` and only text before its end tag, so
    the tokenizer reads it as written and the tree builder opens and closes it with no
    entry left behind; anything else (inside comments or attribute values included) counts.
    """
    keys = _name_keys(page, lts + 1)
    is_start = np.isin(keys, _PILING_KEYS)
    starts, keys = lts[is_start], keys[is_start]
    if starts.size <= enough:
        return int(starts.size)
    closes = np.flatnonzero(page == _GT)
    if not closes.size:
        return int(starts.size)
    first_close = np.searchsorted(closes, starts)
    leaf = first_close < closes.size
    close_at = closes[np.minimum(first_close, closes.size - 1)]
    quotes = np.flatnonzero((page == _DQ) | (page == _SQ))
    if quotes.size:
        first_quote = quotes[np.minimum(np.searchsorted(quotes, starts), quotes.size - 1)]
        leaf &= ~((first_quote > starts) & (first_quote < close_at))
    following = np.searchsorted(lts, starts, side="right")
    leaf &= following < lts.size
    end_at = lts[np.minimum(following, lts.size - 1)]
    leaf &= end_at > close_at  # no '<' inside the start tag, then text only
    # ... up to '</' and the same name.
    leaf &= page[np.minimum(end_at + 1, page.size - 1)] == _SLASH
    leaf &= _name_keys(page, end_at + 2) == keys
    return int(starts.size - np.count_nonzero(leaf))


def bounded_utf8(data: bytes) -> bytes:
    """UTF-8 ``data`` unchanged, unless its nesting or its formatting tags could stall the
    parser: then as ``limit_depth`` reads it.

    Every page pays one count of ``<`` (numpy: about four times faster than ``bytes.count``
    on markup). Pages with at least ``FORMATTING_CHECK_MIN_TAGS`` tags also have their
    formatting tags counted (vectorised). The model reads pages with ``DEPTH_CHECK_MIN_TAGS``
    tags, and pages whose formatting tags that are not leaves could make the parser re-create
    more than ``MAX_RECREATED_ELEMENTS`` elements (each of them at most once per tag or text).
    """
    if len(data) < 3 * H.FORMATTING_CHECK_MIN_TAGS:
        return data
    page = np.frombuffer(data, np.uint8)
    is_lt = page == _LT
    tags = int(np.count_nonzero(is_lt))
    if tags < H.FORMATTING_CHECK_MIN_TAGS:
        return data
    if tags < H.DEPTH_CHECK_MIN_TAGS:
        allowed = H.MAX_RECREATED_ELEMENTS // (2 * tags)
        if _lingering_formatting(page, np.flatnonzero(is_lt), allowed) <= allowed:
            return data
    return limit_depth(data, H.MAX_DEPTH, H.MAX_PARSE_TAGS)
