"""Linear-time regular expressions for untrusted text: every pattern that reads page text.

Python's ``re`` backtracks: a pattern such as ``[.!?]+\\s`` retried at every position of a run of
32,000 dots costs N² steps and holds the GIL while it does (the hostile-input issue measured
11 s). RE2 (``google-re2``) guarantees time linear in the text for every pattern, so the class
of fault is gone by construction, not pattern by pattern. The price: no look-around and no
backreferences (the few patterns that used them are rewritten), and a per-match overhead of
about 7 µs in the Python binding (measured: 40,000 matches in 380 KB, 0.31 s vs 0.014 s for
``re``), which input budgets keep small; a scan without matches is faster than ``re``.

``compile`` translates Python's Unicode classes to RE2's so that a pattern means what it meant
under ``re``: ``\\w`` and ``\\d`` and ``\\s`` are ASCII-only in RE2. ``\\b`` stays ASCII (RE2 has
no Unicode word boundary); the patterns here use it beside ASCII words only.
``tests/test_patterns.py`` walks every compiled pattern of the serving package and checks its
cost grows at most linearly on adversarial text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, cast

import re2

__all__ = ["Match", "Pattern", "compile"]

# Python's ``re`` classes for str patterns, spelled for RE2 (inside a character class).
_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
# str.isspace(): ASCII \t-\r, \x1c-\x1f and space, NEL, and the Unicode separators.
_SPACE = r"\t-\r\x{1c}-\x{20}\x{85}\p{Z}"
_IN_CLASS = {"w": _WORD, "d": _DIGIT, "s": _SPACE}
_OUTSIDE = {
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "d": f"[{_DIGIT}]",
    "D": f"[^{_DIGIT}]",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
}


class Match(Protocol):
    def group(self, *index: int | str) -> Any: ...
    def groups(self) -> tuple[str | None, ...]: ...
    def start(self, group: int = 0) -> int: ...
    def end(self, group: int = 0) -> int: ...
    def span(self, group: int = 0) -> tuple[int, int]: ...


class Pattern(Protocol):
    """The subset of ``re.Pattern`` the binding offers (and the serving code uses)."""

    @property
    def pattern(self) -> str: ...
    def search(self, text: str, pos: int = ..., endpos: int = ...) -> Match | None: ...
    def match(self, text: str, pos: int = ..., endpos: int = ...) -> Match | None: ...
    def fullmatch(self, text: str, pos: int = ..., endpos: int = ...) -> Match | None: ...
    def finditer(self, text: str, pos: int = ..., endpos: int = ...) -> Iterator[Match]: ...
    def findall(self, text: str, pos: int = ..., endpos: int = ...) -> list[Any]: ...
    def split(self, text: str, maxsplit: int = ...) -> list[str]: ...
    def sub(self, repl: str | Callable[[Match], str], text: str, count: int = ...) -> str: ...


def translate(pattern: str) -> str:
    """``pattern`` with ``\\w \\W \\d \\D \\s \\S`` meaning what they mean in Python's ``re``."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if in_class and nxt in _IN_CLASS:
                out.append(_IN_CLASS[nxt])
            elif in_class and nxt in "WDS":
                raise ValueError(f"negated class escape \\{nxt} inside [...] in {pattern!r}")
            elif not in_class and nxt in _OUTSIDE:
                out.append(_OUTSIDE[nxt])
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            # A ']' right after '[' or '[^' is a literal member.
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
            if pattern.startswith("]", i + 1):
                out.append("]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def compile(pattern: str, *, ignorecase: bool = False) -> Pattern:
    """Compile ``pattern`` (Python ``re`` syntax without look-around) for RE2."""
    options = re2.Options()
    options.case_sensitive = not ignorecase
    # Errors are raised as exceptions; RE2's own log line on stderr would be noise.
    options.log_errors = False
    return cast(Pattern, re2.compile(translate(pattern), options))
