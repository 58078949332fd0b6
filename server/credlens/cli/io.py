"""Small helpers shared by commands: their shared options, reading pages from files or stdin."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from credlens.model import BundleError, Scorer, load_bundle
from credlens.settings import DEFAULT_BUNDLE

F = TypeVar("F", bound=Callable[..., Any])

#: The extraction tuning set beside the checkout (``../shared``): the default page source.
TUNING_SET = Path("../shared/data/extraction/scrapinghub")


def pages_option(help: str, *, name: str = "--data", must_exist: bool = True) -> Callable[[F], F]:
    """A folder-of-pages option (Scrapinghub layout: html/<id>.html[.gz], ground-truth.json)."""
    path = click.Path(exists=must_exist, file_okay=False, path_type=Path)
    return click.option(name, type=path, default=TUNING_SET, show_default=True, help=help)


def bundle_option(help: str, *, must_exist: bool = True, env: bool = False) -> Callable[[F], F]:
    """The ``--bundle`` option of every command: a model bundle folder, the shipped bundle by
    default. ``env=True`` (``serve``): no default here, ``CREDLENS_BUNDLE`` and then the shipped
    bundle apply. ``must_exist=False`` leaves a missing folder to ``load_bundle``'s own error."""
    path = click.Path(exists=must_exist, file_okay=False, path_type=Path)
    if env:
        help = f"{help} [env CREDLENS_BUNDLE, default: the shipped bundle]"
        return click.option("--bundle", type=path, default=None, help=help)
    return click.option("--bundle", type=path, default=DEFAULT_BUNDLE, show_default=True, help=help)


def load_scorer(bundle: Path) -> Scorer:
    """The bundle's scorer, or a one-line error naming what the loader refused."""
    try:
        return load_bundle(bundle)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from exc


def read_page(path: str) -> bytes:
    """Bytes of a page from a path (``.gz`` is decompressed) or ``-`` for stdin."""
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.is_file():
        raise click.BadParameter(f"no such file: {path}", param_hint="PAGE")
    data = file.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
