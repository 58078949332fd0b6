"""The README's "Code map" is the package's table of contents: every module of
``server/credlens`` appears in it, in the order a request meets them, and nothing else."""

from __future__ import annotations

import re

from tests.conftest import ROOT

PACKAGE = ROOT / "server" / "credlens"


def code_map() -> list[str]:
    """Module paths of the map (``api/app.py``...), in the order written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Code map\n", 1)[1]
    block = section.split("```", 2)[1]
    paths: list[str] = []
    folders: list[tuple[int, str]] = []  # (indent, name) of the folders we are inside
    for line in block.splitlines()[1:]:
        match = re.match(r"^( *)(\S+)", line)
        if not match:
            continue
        indent, name = len(match.group(1)), match.group(2)
        while folders and folders[-1][0] >= indent:
            folders.pop()
        if name.endswith("/"):
            folders.append((indent, name))
        elif name.endswith(".py"):
            paths.append("".join(f for _, f in folders[1:]) + name)
    return paths


def test_every_module_is_in_the_code_map_once() -> None:
    listed = code_map()
    actual = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts
    )
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert sorted(listed) == actual
