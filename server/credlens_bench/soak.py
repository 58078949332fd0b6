"""``credlens bench soak``: a bounded soak at ~80 % of measured capacity, then a 3x overload and
the recovery, against ``credlens serve`` on 127.0.0.1.

Phases, each a fixed length (every request goes to loopback, none outlives its phase):

1. **capacity**: a closed loop (``--concurrency`` clients, each sending its next request when
   the last is answered) of the mixed workload for ``--capacity-seconds``; capacity = answers
   with 200 per second.
2. **soak**: an open loop at ``--load`` x capacity (default 0.8) for ``--minutes`` (default 5):
   requests leave on a fixed schedule whatever the latency. Errors (anything but 200, or no
   answer) and the server's RSS (all its processes), sampled every few seconds, are reported;
   RSS growth is measured from the first sample of the soak to the last.
3. **overload**: an open loop at 3x capacity for ``--overload-seconds``: every answer must be
   200 or 503 with ``Retry-After``; counts of each.
4. **recovery**: the closed loop of phase 1 again: throughput as a share of the capacity.

The workload mixes cached and uncached ``POST /v1/analyze`` of English tuning-set pages
(``--cached`` share, default 0.5): a cached request resends one of a few hot pages (parse,
fingerprint, cache hit), an uncached one sends a page under a URL never sent before (parse,
model, store). The in-memory cache is capped (``--cache-size``) so that it is full before the
soak starts: RSS growth then means a leak, not a cache filling as designed.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from credlens_bench.api import HOST, Server, _free_port, _pct, select_pages
from credlens_bench.extract import load_pages

#: Hot pages that the cached share of requests cycles through.
HOT_PAGES = 8
RSS_EVERY_S = 5.0


@dataclass
class Phase:
    """What one phase saw: statuses (0 = no answer), latencies of 200s (ms), wall time (s),
    503s that carried ``Retry-After``."""

    name: str
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    retry_after: int = 0
    wall: float = 0.0
    sent: int = 0
    late: int = 0
    """Open loop: requests sent more than a second behind schedule (the client fell behind)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def ok(self) -> int:
        return self.statuses[200]

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    @property
    def rate(self) -> float:
        return self.ok / self.wall if self.wall else 0.0

    def record(self, status: int, ms: float, retry_after: bool) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status == 200:
                self.latencies.append(ms)
            if status == 503 and retry_after:
                self.retry_after += 1


class Workload:
    """Request bodies: a cached share from a few hot pages, the rest under fresh URLs."""

    def __init__(self, pages: list[tuple[str, str]], cached: float) -> None:
        self._pages = pages
        self._cached = cached
        self._n = itertools.count()
        self._nonce = f"{os.getpid()}-{int(time.time())}"
        self._lock = threading.Lock()

    def _url(self, url: str, tag: str) -> str:
        return url + ("&" if "?" in url else "?") + f"soak={self._nonce}-{tag}"

    def next(self) -> bytes:
        with self._lock:
            n = next(self._n)
        # A deterministic mix: of every 100 requests, round(100 * cached) are cached ones.
        if (n * 37) % 100 < round(100 * self._cached):
            url, html = self._pages[n % min(HOT_PAGES, len(self._pages))]
            tag = "hot"
        else:
            url, html = self._pages[n % len(self._pages)]
            tag = str(n)
        return json.dumps({"url": self._url(url, tag), "html": html}).encode()

    def warm(self, send: Callable[[bytes], tuple[int, float, bool]]) -> None:
        for url, html in self._pages[:HOT_PAGES]:
            send(json.dumps({"url": self._url(url, "hot"), "html": html}).encode())


def _client(port: int) -> Callable[[bytes], tuple[int, float, bool]]:
    """A per-thread sender: ``(status, ms, has Retry-After)``; status 0 = no answer."""
    local = threading.local()

    def send(body: bytes) -> tuple[int, float, bool]:
        conn: HTTPConnection | None = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = HTTPConnection(HOST, port, timeout=30)
        start = time.perf_counter()
        try:
            conn.request(
                "POST", "/v1/analyze", body=body, headers={"content-type": "application/json"}
            )
            response = conn.getresponse()
            response.read()
            status, retry = response.status, response.getheader("retry-after") is not None
            if response.getheader("connection", "").lower() == "close":
                conn.close()
                local.conn = None
        except (OSError, ValueError):
            conn.close()
            local.conn = None
            status, retry = 0, False
        return status, (time.perf_counter() - start) * 1000, retry

    return send


def _request(
    phase: Phase, send: Callable[[bytes], tuple[int, float, bool]], work: Workload
) -> None:
    """Send the workload's next request and count its outcome in ``phase``."""
    status, ms, retry = send(work.next())
    phase.record(status, ms, retry)
    with phase.lock:
        phase.sent += 1


def _run(phase: Phase, threads: list[threading.Thread], start: float) -> Phase:
    """Run the load threads to the end; the phase's wall time counts from ``start``."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.wall = time.monotonic() - start
    return phase


def closed_loop(name: str, port: int, work: Workload, concurrency: int, seconds: float) -> Phase:
    phase = Phase(name)
    send = _client(port)
    end = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < end:
            _request(phase, send, work)

    start = time.monotonic()
    return _run(phase, [threading.Thread(target=worker) for _ in range(concurrency)], start)


def open_loop(
    name: str,
    port: int,
    work: Workload,
    rate: float,
    seconds: float,
    clients: int,
    every: Callable[[], None] | None = None,
) -> Phase:
    """``rate`` requests a second for ``seconds``, on schedule, from up to ``clients`` threads.
    ``every`` runs about every ``RSS_EVERY_S`` seconds (from the first thread)."""
    phase = Phase(name)
    send = _client(port)
    total = max(1, int(rate * seconds))
    start = time.monotonic() + 0.05
    slots: Iterator[int] = iter(range(total))
    slot_lock = threading.Lock()
    next_tick = [start]

    def worker(first: bool) -> None:
        while True:
            with slot_lock:
                i = next(slots, None)
            if i is None:
                return
            due = start + i / rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            elif now - due > 1.0:
                with phase.lock:
                    phase.late += 1
            _request(phase, send, work)
            if first and every is not None and time.monotonic() >= next_tick[0]:
                next_tick[0] = time.monotonic() + RSS_EVERY_S
                every()

    threads = [threading.Thread(target=worker, args=(i == 0,)) for i in range(clients)]
    return _run(phase, threads, start)


def rss_bytes(pgid: int) -> int:
    """Resident memory of every process in the process group ``pgid`` (the server and its
    workers), from ``/proc``."""
    total = 0
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) != pgid:
                continue
            with open(f"/proc/{entry}/statm") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    return total


@dataclass
class SoakFigures:
    capacity: float
    target: float
    soak: Phase
    rss_start: int
    rss_end: int
    rss_max: int
    overload: Phase
    recovery: Phase
    passed: bool = False

    @property
    def rss_growth(self) -> float:
        return (self.rss_end - self.rss_start) / self.rss_start if self.rss_start else 0.0


def run_soak_bench(
    data: Path,
    *,
    minutes: float = 5.0,
    load: float = 0.8,
    overload: float = 3.0,
    cached: float = 0.5,
    concurrency: int = 4,
    capacity_seconds: float = 20.0,
    overload_seconds: float = 20.0,
    limit: int = 40,
    cache_size: int = 200,
    server: str = "granian",
) -> SoakFigures:
    console = Console(width=max(Console().width, 110))
    ids, _words, _urls = select_pages(data, limit)
    by_id = {p.id: p for p in load_pages(data)}
    pages = [(by_id[i].url, by_id[i].html) for i in ids]
    work = Workload(pages, cached)
    port = _free_port()
    console.print(
        f"soak: {len(pages)} English tuning-set pages, {cached:.0%} cached requests, server "
        f"{server} (1 process, in-memory cache capped at {cache_size}), load from this process "
        f"on {HOST}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    proc = Server(
        ["-m", "credlens.cli", "serve", "--server", server, "--port", str(port)],
        {
            "CREDLENS_CACHE_URL": "",
            "CREDLENS_CACHE_SIZE": str(cache_size),
            "CREDLENS_QUEUE_SIZE": str(4 * concurrency),
        },
        "/readyz",
        port,
    )
    pgid = proc._proc.pid  # its own session: the group holds the server and its workers
    try:
        send = _client(port)
        work.warm(send)
        # Fill the capped cache with uncached requests before anything is measured.
        closed_loop("warm-up", port, work, concurrency, min(capacity_seconds, 10.0))
        cap = closed_loop("capacity", port, work, concurrency, capacity_seconds)
        capacity = cap.rate
        target = load * capacity
        console.print(
            f"capacity: {capacity:.1f} req/s ({cap.ok} answers in {cap.wall:.0f} s, "
            f"{concurrency} clients, closed loop; {cap.errors} errors); soak at {load:.0%} = "
            f"{target:.1f} req/s for {minutes:g} min"
        )
        samples: list[int] = [rss_bytes(pgid)]

        def sample() -> None:
            samples.append(rss_bytes(pgid))

        soak = open_loop("soak", port, work, target, minutes * 60, 4 * concurrency, sample)
        samples.append(rss_bytes(pgid))
        over = open_loop(
            "overload", port, work, overload * capacity, overload_seconds, 16 * concurrency
        )
        time.sleep(2.0)  # the backlog drains
        rec = closed_loop("recovery", port, work, concurrency, capacity_seconds)
    finally:
        proc.stop()
    figures = SoakFigures(capacity, target, soak, samples[0], samples[-1], max(samples), over, rec)
    figures.passed = _print(console, figures, overload)
    return figures


def _print(console: Console, f: SoakFigures, overload: float) -> bool:
    table = Table(title="credlens bench soak")
    for column in (
        "phase",
        "sent",
        "200",
        "errors",
        "503 (Retry-After)",
        "req/s",
        "p50 ms",
        "p99 ms",
    ):
        table.add_column(column, justify="left" if column == "phase" else "right")
    for phase in (f.soak, f.overload, f.recovery):
        n503 = phase.statuses[503]
        table.add_row(
            phase.name,
            str(phase.sent),
            str(phase.ok),
            str(phase.errors),
            f"{n503} ({phase.retry_after})",
            f"{phase.rate:.1f}",
            f"{_pct(phase.latencies, 0.5):.0f}",
            f"{_pct(phase.latencies, 0.99):.0f}",
        )
    console.print(table)
    mib = 1024 * 1024
    other = {s: n for s, n in f.overload.statuses.items() if s not in (200, 503)}
    recovered = f.recovery.rate / f.capacity if f.capacity else 0.0
    checks = [
        (
            f"soak errors: {f.soak.errors} of {f.soak.sent} "
            f"(statuses {dict(f.soak.statuses)}; {f.soak.late} sent >1 s late)",
            f.soak.errors == 0,
        ),
        (
            f"RSS: {f.rss_start / mib:.0f} -> {f.rss_end / mib:.0f} MiB "
            f"(max {f.rss_max / mib:.0f}), growth {f.rss_growth:+.1%} (limit 10%)",
            f.rss_growth < 0.10,
        ),
        (
            f"overload at {overload:g}x ({overload * f.capacity:.1f} req/s): "
            f"{f.overload.statuses[503]} x 503, {f.overload.retry_after} with Retry-After, "
            f"{f.overload.ok} x 200, other {other or 'none'}",
            f.overload.statuses[503] > 0
            and f.overload.retry_after == f.overload.statuses[503]
            and not other,
        ),
        (
            f"recovery: {f.recovery.rate:.1f} req/s = {recovered:.0%} of capacity, "
            f"{f.recovery.errors} errors",
            recovered >= 0.9 and f.recovery.errors == 0,
        ),
    ]
    for text, ok in checks:
        console.print(f"[{'green' if ok else 'red'}]{'PASS' if ok else 'FAIL'}[/] {text}")
    if f.soak.latencies:
        console.print(f"soak latency mean {statistics.fmean(f.soak.latencies):.0f} ms")
    return all(ok for _, ok in checks)


def figures_json(f: SoakFigures) -> dict[str, Any]:
    """The figures as plain data (for ``--json``)."""

    def phase(p: Phase) -> dict[str, Any]:
        return {
            "sent": p.sent,
            "statuses": dict(p.statuses),
            "retry_after": p.retry_after,
            "rate": p.rate,
            "p50_ms": _pct(p.latencies, 0.5),
            "p99_ms": _pct(p.latencies, 0.99),
            "late": p.late,
        }

    return {
        "capacity": f.capacity,
        "target": f.target,
        "rss_start": f.rss_start,
        "rss_end": f.rss_end,
        "rss_max": f.rss_max,
        "rss_growth": f.rss_growth,
        "soak": phase(f.soak),
        "overload": phase(f.overload),
        "recovery": phase(f.recovery),
    }
