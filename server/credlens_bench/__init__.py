"""Benchmarks: ours and the peers side by side in one run, with ratios (never run as tests)."""
