"""Benchmarks: ours and the peers side by side in one run, with ratios (never run as tests)."""

from __future__ import annotations

import sys

from rich.console import Console


def console() -> Console:
    """The benchmarks' console. Piped output (logs, CI) keeps whole columns: rich would
    otherwise assume 80 and wrap the tables."""
    return Console(width=None if sys.stdout.isatty() else 150)
