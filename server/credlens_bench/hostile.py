"""``credlens bench hostile``: the hostile-input classes against ``credlens serve`` on loopback.

One server (granian, one process, default limits, in-memory cache), then:

1. **ordinary**: ``--requests`` uncached analyses of English tuning-set pages (each under a
   URL never sent before), then the server's RSS (every process of its group: the server, the
   fork server and the analysis workers).
2. **hostile**: as many requests of the hostile classes below at ``--size`` characters each,
   cycling through the classes (unique URLs, class strings and JSON-LD each time), then the
   RSS again: the ratio to (1) is the memory figure (target ≤ 1.10).
3. **at 1 MB**: each class once at 1,000,000 characters: its answer and time.

During (2) and (3) another thread asks ``/healthz`` every 50 ms: its latencies are the
responsiveness figure (target: every answer within 100 ms). ``CLASSES`` is also what the tests
send (tests/api/test_freeze.py).
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from credlens_bench.api import HOST, Server, _free_port, select_pages
from credlens_bench.extract import load_pages
from credlens_bench.soak import rss_bytes

#: English prose around each hostile run, so that the language check passes and every stage
#: (extraction, splitting, features, headline, summary) reads the run.
PROSE = (
    "The council voted on Tuesday to approve the new budget, officials said. The plan adds "
    "funding for schools and roads, and it cuts spending on consultants by 12 percent. "
    "Residents who spoke at the meeting were divided about the changes to bus routes. "
)
HEALTH_EVERY_S = 0.05
#: Targets from the hostile-input issue.
HEALTH_TARGET_MS = 100.0
RSS_TARGET_RATIO = 1.10


def _text(run: str) -> dict[str, object]:
    return {"text": f"{PROSE * 4}\n\n{PROSE}{run} {PROSE}\n\n{PROSE * 4}"}


def _html(body: str, head: str = "") -> dict[str, object]:
    return {
        "html": f"<html lang=en><head><title>Council approves budget</title>{head}</head>"
        f"<body>{body}</body></html>"
    }


def _paragraphs() -> str:
    return "".join(f"<p>{PROSE}</p>" for _ in range(6))


def _deep_lists(n: int) -> dict[str, object]:
    depth = max(1, n // 400)
    prose = PROSE * max(1, n // (2 * len(PROSE)))
    return _html(
        f"<article>{_paragraphs()}{'<ul><li>' * depth}{prose}{'</li></ul>' * depth}</article>"
    )


def _deep_jsonld(n: int) -> dict[str, object]:
    depth = max(1, min(n // 8, 100_000))
    block = '{"@type":"NewsArticle","headline":"x","a":' + "[" * depth + "]" * depth + "}"
    return _html(
        f"<article>{_paragraphs()}</article>",
        f'<script type="application/ld+json">{block}</script>',
    )


def _long_class(n: int, salt: str) -> dict[str, object]:
    name = (salt + "-content-") * max(1, n // (len(salt) + 9))
    return _html(f'<article class="{name}" id="{name[::-1]}">{_paragraphs()}</article>')


#: One hostile request body (without ``url``) per class, at about ``n`` characters; ``salt``
#: makes each request distinct (memory classes). Classes of the hostile-input issue.
CLASSES: dict[str, Callable[[int, str], dict[str, object]]] = {
    "dot run": lambda n, s: _text("x " + "." * n),
    "abbreviations": lambda n, s: _text("Mr. " * (n // 4)),
    "! run": lambda n, s: _text("word " + "!" * n + " word"),
    "long word before !": lambda n, s: _text("a" * n + "! Then"),
    "long word before ?": lambda n, s: _text("b" * n + "? Then"),
    "Capitalised Words": lambda n, s: _text("Capital " * (n // 8) + "said"),
    "„ run": lambda n, s: _text("„" * n),
    "« run": lambda n, s: _text("«" * n),
    "open quote": lambda n, s: _text('"' + "word " * (n // 5)),
    "tabs": lambda n, s: _text("word\t" * (n // 5)),
    "blank lines": lambda n, s: _text("Ok.\n\n" * (n // 5)),
    "one long sentence": lambda n, s: _text("word " * (n // 5)),
    "deep lists": lambda n, s: _deep_lists(n),
    "deep JSON-LD": lambda n, s: _deep_jsonld(n),
    "long class names": _long_class,
}


@dataclass
class Answers:
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)


def _post(conns: threading.local, port: int, body: bytes) -> tuple[int, float]:
    conn: HTTPConnection | None = getattr(conns, "conn", None)
    if conn is None:
        conn = conns.conn = HTTPConnection(HOST, port, timeout=120)
    start = time.perf_counter()
    try:
        conn.request("POST", "/v1/analyze", body=body, headers={"content-type": "application/json"})
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, ValueError):
        conn.close()
        conns.conn = None
        status = 0
    return status, time.perf_counter() - start


class HealthProbe:
    """Asks ``/healthz`` every ``HEALTH_EVERY_S`` from its own thread; latencies in ms."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.latencies: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        conn = HTTPConnection(HOST, self.port, timeout=30)
        while not self._stop.wait(HEALTH_EVERY_S):
            start = time.perf_counter()
            try:
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                conn.close()
                conn = HTTPConnection(HOST, self.port, timeout=30)
                ok = False
            if ok:
                self.latencies.append((time.perf_counter() - start) * 1000)
            else:
                self.failures += 1

    def summary(self) -> str:
        if not self.latencies:
            return f"no answers ({self.failures} failures)"
        lat = sorted(self.latencies)
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
        return (
            f"{len(lat)} answers, p50 {statistics.median(lat):.1f} ms, p99 {p99:.1f} ms, "
            f"max {lat[-1]:.1f} ms, {self.failures} failures (target: max ≤ "
            f"{HEALTH_TARGET_MS:.0f} ms)"
        )


def hostile_bodies(
    size: int, url_prefix: str = "https://hostile.example/"
) -> Iterator[tuple[str, bytes]]:
    """``(class, JSON body)`` forever, cycling through ``CLASSES``, each distinct."""
    for i in itertools.count():
        name = list(CLASSES)[i % len(CLASSES)]
        body = {"url": f"{url_prefix}{i}", **CLASSES[name](size, f"s{i}")}
        yield name, json.dumps(body, ensure_ascii=False).encode()


def _send(
    port: int, bodies: list[tuple[str, bytes]], concurrency: int, label: str
) -> dict[str, Answers]:
    by_class: dict[str, Answers] = {}
    conns = threading.local()
    with Progress(transient=True) as progress, ThreadPoolExecutor(concurrency) as pool:
        task = progress.add_task(label, total=len(bodies))
        for (name, _), (status, seconds) in zip(
            bodies, pool.map(lambda b: _post(conns, port, b[1]), bodies), strict=True
        ):
            answers = by_class.setdefault(name, Answers())
            answers.statuses[status] += 1
            answers.seconds.append(seconds)
            progress.advance(task)
    return by_class


def run_hostile_bench(
    data: Path, *, requests: int = 1000, size: int = 64_000, concurrency: int = 2
) -> bool:
    console = Console(width=max(Console().width, 110))
    ids, _words, _urls = select_pages(data, 40)
    by_id = {p.id: p for p in load_pages(data)}
    pages = [(by_id[i].url, by_id[i].html) for i in ids]
    port = _free_port()
    console.print(
        f"hostile: {requests} ordinary then {requests} hostile requests ({len(CLASSES)} "
        f"classes at {size:,} characters), then each class at 1,000,000; granian, 1 process, "
        f"default limits; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    proc = Server(
        ["-m", "credlens.cli", "serve", "--port", str(port)],
        {"CREDLENS_CACHE_URL": "", "CREDLENS_QUEUE_SIZE": str(8 * concurrency)},
        "/readyz",
        port,
    )
    pgid = proc._proc.pid  # its own session: the group holds every process of the service
    try:
        ordinary = [
            ("ordinary", json.dumps({"url": f"{url}?ordinary={i}", "html": html}).encode())
            for i, (url, html) in zip(range(requests), itertools.cycle(pages), strict=False)
        ]
        normal = _send(port, ordinary, concurrency, "ordinary")
        rss_ordinary = rss_bytes(pgid)
        hostile = list(itertools.islice(hostile_bodies(size), requests))
        with HealthProbe(port) as probe:
            bad = _send(port, hostile, concurrency, "hostile")
        rss_hostile = rss_bytes(pgid)
        big = list(
            itertools.islice(hostile_bodies(1_000_000, "https://big.example/"), len(CLASSES))
        )
        with HealthProbe(port) as probe_big:
            at_1mb = _send(port, big, concurrency, "1 MB")
    finally:
        proc.stop()
    return _print(console, normal, bad, at_1mb, probe, probe_big, rss_ordinary, rss_hostile)


def _row(answers: Answers) -> tuple[str, str, str]:
    statuses = ", ".join(f"{s}×{n}" for s, n in sorted(answers.statuses.items()))
    return statuses, f"{statistics.median(answers.seconds):.2f}", f"{max(answers.seconds):.2f}"


def _print(
    console: Console,
    normal: dict[str, Answers],
    bad: dict[str, Answers],
    big: dict[str, Answers],
    probe: HealthProbe,
    probe_big: HealthProbe,
    rss_ordinary: int,
    rss_hostile: int,
) -> bool:
    table = Table(title="credlens bench hostile: answers per class")
    for column in ("class", "answers", "p50 s", "max s", "at 1 MB", "1 MB s"):
        table.add_column(column, justify="left" if column in ("class", "answers") else "right")
    for name, answers in {**normal, **bad}.items():
        one = big.get(name)
        big_status, big_s = (
            (", ".join(str(s) for s in one.statuses), f"{one.seconds[0]:.2f}") if one else ("", "")
        )
        table.add_row(name, *_row(answers), big_status, big_s)
    console.print(table)
    ratio = rss_hostile / rss_ordinary if rss_ordinary else 0.0
    console.print(f"/healthz during the hostile requests: {probe.summary()}")
    console.print(f"/healthz during the 1 MB requests: {probe_big.summary()}")
    console.print(
        f"RSS (all processes): {rss_ordinary / 2**20:.0f} MiB after the ordinary requests, "
        f"{rss_hostile / 2**20:.0f} MiB after the hostile ones: ratio {ratio:.3f} (target ≤ "
        f"{RSS_TARGET_RATIO:.2f})"
    )
    answered = all(0 not in a.statuses and 500 not in a.statuses for a in {**bad, **big}.values())
    healthy = all(
        p.latencies and max(p.latencies) <= HEALTH_TARGET_MS and not p.failures
        for p in (probe, probe_big)
    )
    passed = answered and healthy and ratio <= RSS_TARGET_RATIO
    console.print(
        f"every hostile request answered without a server error: {answered}; /healthz within "
        f"{HEALTH_TARGET_MS:.0f} ms throughout: {healthy}; memory within target: "
        f"{ratio <= RSS_TARGET_RATIO}"
    )
    return passed
