"""Small helpers shared by commands: reading pages from files or stdin."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import click


def read_page(path: str) -> bytes:
    """Bytes of a page from a path (``.gz`` is decompressed) or ``-`` for stdin."""
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.is_file():
        raise click.BadParameter(f"no such file: {path}", param_hint="PAGE")
    data = file.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
