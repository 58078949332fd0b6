"""``credlens bench api``: the service under load on loopback, beside a bare handler and a naive
stack.

Everything runs in this one command, one server at a time on 127.0.0.1, the load generator in
its own process:

1. our service (``credlens serve``, in-memory cache) answers the tuning-set pages that hold an
   English article: uncached ``POST /v1/analyze`` one at a time (latency) and ``--concurrency``
   at a time (pages/s), then the same unchanged pages again (parse + fingerprint + hit);
2. cached hits by URL (``GET /v1/analyses``) and the bare Litestar handler returning the same
   JSON from a dict, on the same server kind, in alternating ``wrk`` rounds (requests/s, p50,
   p99; the ratio is taken round by round);
3. the naive stack (trafilatura + sentence-transformers on torch behind a plain handler, no
   cache) on the same pages.

Load is bounded: every pass is a fixed list of requests, every ``wrk`` round a fixed duration.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from credlens.extract import extract
from credlens.text import detect_language
from credlens_bench.extract import load_pages

HOST = "127.0.0.1"
#: Pages whose English article has at least this many words take part (short ones are noise).
MIN_WORDS = 150
#: The "1,000-word article" of the latency target: pages within this many words of it.
ARTICLE_WORDS = (800, 1200)


# --- Load generator (runs in its own process: python -m credlens_bench.api loadgen) -------------


@dataclass(frozen=True)
class Pass:
    """Latencies (ms) of one pass, in page order, its status codes and wall time (s)."""

    latencies: list[float]
    statuses: list[int]
    wall: float


def _bench_url(url: str, nonce: str) -> str:
    """A page's URL made new for one pass (an uncached analysis), as the load generator sends it."""
    return url + ("&" if "?" in url else "?") + f"bench={nonce}"


def _cached_get_url(port: int, url: str, nonce: str) -> str:
    """``GET /v1/analyses`` of the page that the pass ``nonce`` analysed."""
    query = urllib.parse.urlencode({"url": _bench_url(url, nonce)})
    return f"http://{HOST}:{port}/v1/analyses?{query}"


def _send_all(port: int, method: str, requests: list[tuple[str, bytes]], concurrency: int) -> Pass:
    latencies = [0.0] * len(requests)
    statuses = [0] * len(requests)
    order = iter(range(len(requests)))

    def worker() -> None:
        conn = HTTPConnection(HOST, port, timeout=120)
        headers = {"content-type": "application/json"}
        for i in order:  # the iterator is shared: each index goes to one thread
            path, body = requests[i]
            start = time.perf_counter()
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies[i] = (time.perf_counter() - start) * 1000
            statuses[i] = response.status
        conn.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return Pass(latencies, statuses, time.perf_counter() - start)


def _loadgen() -> None:
    """Read a job (JSON) on stdin, send its requests, print the result (JSON) on stdout."""
    job = json.loads(sys.stdin.read())
    pages = {p.id: p for p in load_pages(Path(job["data"]))}
    requests: list[tuple[str, bytes]] = []
    for page_id in job["pages"]:
        page = pages[page_id]
        url = _bench_url(page.url, job["nonce"])
        body = json.dumps({"url": url, "html": page.html}).encode()
        requests.append((job["path"], body))
    if job.get("warmup"):
        _send_all(job["port"], "POST", requests[:1], 1)
    result = _send_all(job["port"], "POST", requests, job["concurrency"])
    print(json.dumps(result.__dict__))


def _run_loadgen(job: dict[str, Any]) -> Pass:
    proc = subprocess.run(
        [sys.executable, "-m", "credlens_bench.api", "loadgen"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{proc.stderr[-2000:]}")
    return Pass(**json.loads(proc.stdout.strip().splitlines()[-1]))


# --- Servers -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """A server process in its own session (stopped with its workers), ready when /path is."""

    def __init__(
        self,
        args: list[str],
        env: dict[str, str],
        ready_path: str,
        port: int,
        *,
        python: str = sys.executable,
    ) -> None:
        self.port = port
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server)
        self._proc = subprocess.Popen(
            [python, *args],
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}{ready_path}", timeout=2):
                    return
            except OSError:
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    self._log.seek(0)
                    tail = self._log.read()[-3000:].decode(errors="replace")
                    self.stop()
                    raise RuntimeError(f"server {args} did not start:\n{tail}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGTERM)
            try:
                self._proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait(5)
        self._log.close()


# --- wrk -----------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50: float
    p99: float
    errors: int


def ensure_wrk() -> str:
    """Debian's ``wrk``, installed on demand (root) with a message; a clear error otherwise."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("credlens: installing wrk from Debian's packages (apt-get install -y wrk)...")
        subprocess.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk",
            shell=True,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit("credlens bench api needs wrk: apt-get install -y wrk")


def run_wrk(wrk: str, url: str, seconds: float, connections: int) -> WrkResult:
    out = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout

    def latency(pct: str) -> float:
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return WrkResult(
        rps=float(rps.group(1)) if rps else 0.0,
        p50=latency("50"),
        p99=latency("99"),
        errors=(int(bad.group(1)) if bad else 0) + (1 if errors else 0),
    )


# --- The benchmark -------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Row:
    name: str
    p50: float
    p99: float
    rate: float
    unit: str
    note: str = ""


def _pass_row(name: str, run: Pass, unit: str, note: str = "") -> Row:
    ok = [lat for lat, st in zip(run.latencies, run.statuses, strict=True) if st == 200]
    failed = len(run.statuses) - len(ok)
    note = note + (f"; {failed} non-200" if failed else "")
    return Row(name, _pct(ok, 0.5), _pct(ok, 0.99), len(ok) / run.wall, unit, note.strip("; "))


def select_pages(data: Path, limit: int | None) -> tuple[list[str], dict[str, int], list[str]]:
    """Tuning-set pages with an English article of ``MIN_WORDS``+ words: ids, word counts,
    URLs (in the same order)."""
    chosen: list[str] = []
    words: dict[str, int] = {}
    urls: list[str] = []
    for page in load_pages(data):
        article = extract(page.html, page.url)
        english = detect_language(article.text, article.language) == "en"
        if article.word_count >= MIN_WORDS and english:
            chosen.append(page.id)
            words[page.id] = article.word_count
            urls.append(page.url)
    n = limit or len(chosen)
    return chosen[:n], words, urls[:n]


def run_api_bench(
    data: Path,
    *,
    server: str = "granian",
    limit: int | None = 60,
    concurrency: int = 4,
    seconds: float = 5.0,
    rounds: int = 3,
    connections: int = 32,
    naive: bool = True,
) -> dict[str, Any]:
    console = Console(width=max(Console().width, 120))
    wrk = ensure_wrk()
    pages, words, urls = select_pages(data, limit)
    lo, hi = ARTICLE_WORDS
    article_pages = [i for i, p in enumerate(pages) if lo <= words[p] <= hi]
    console.print(
        f"{len(pages)} tuning-set pages with an English article ({len(article_pages)} of "
        f"{ARTICLE_WORDS[0]}-{ARTICLE_WORDS[1]} words); server {server}, 1 worker process, "
        f"load from a separate process on {HOST}; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} before the run"
    )
    nonce = str(int(time.time()))
    job: dict[str, Any] = {"data": str(data), "pages": pages, "path": "/v1/analyze", "nonce": nonce}
    rows: list[Row] = []
    figures: dict[str, Any] = {"pages": len(pages), "server": server}

    port = _free_port()
    ours = Server(
        ["-m", "credlens.cli", "serve", "--server", server, "--port", str(port)],
        {"CREDLENS_QUEUE_SIZE": str(4 * concurrency), "CREDLENS_CACHE_URL": ""},
        "/readyz",
        port,
    )
    bare: Server | None = None
    tmp = tempfile.TemporaryDirectory()
    try:
        job["port"] = port
        seq = _run_loadgen({**job, "concurrency": 1, "warmup": True})
        rows.append(_pass_row("credlens: uncached POST /v1/analyze, 1 at a time", seq, "pages/s"))
        conc = _run_loadgen({**job, "nonce": nonce + "c", "concurrency": concurrency})
        rows.append(_pass_row(f"credlens: uncached, {concurrency} at a time", conc, "pages/s"))
        words_ms = [seq.latencies[i] for i in article_pages if seq.statuses[i] == 200]
        hit = _run_loadgen({**job, "concurrency": 1})
        rows.append(
            _pass_row("credlens: same pages again (parse + hit), 1 at a time", hit, "req/s")
        )
        hits = sum(1 for st in hit.statuses if st == 200)

        # The analysis a cache hit returns, for the bare handler to rebuild from a dict.
        get_url = _cached_get_url(port, urls[0], nonce)
        with urllib.request.urlopen(get_url) as r:
            cached_json = r.read()
        bare_json = Path(tmp.name) / "analysis.json"
        bare_json.write_bytes(cached_json)
        bare_port = _free_port()
        bare = Server(
            ["-m", "credlens_bench.apps", "bare", server, str(bare_port)],
            {"CREDLENS_BENCH_BARE_JSON": str(bare_json)},
            "/bare",
            bare_port,
        )
        with urllib.request.urlopen(f"http://{HOST}:{bare_port}/bare") as r:
            assert json.loads(r.read()) == json.loads(cached_json), "bare JSON differs"
        ours_runs: list[WrkResult] = []
        bare_runs: list[WrkResult] = []
        for _ in range(rounds):
            ours_runs.append(run_wrk(wrk, get_url, seconds, connections))
            bare_runs.append(run_wrk(wrk, f"http://{HOST}:{bare_port}/bare", seconds, connections))
        bare.stop()
        bare = None
    finally:
        ours.stop()
        if bare is not None:
            bare.stop()
        tmp.cleanup()

    ratios = [o.rps / b.rps for o, b in zip(ours_runs, bare_runs, strict=True) if b.rps]
    mid = sorted(range(rounds), key=lambda i: ours_runs[i].rps)[rounds // 2]
    bmid = sorted(range(rounds), key=lambda i: bare_runs[i].rps)[rounds // 2]
    o, b = ours_runs[mid], bare_runs[bmid]
    rows.append(
        Row(
            "credlens: cached GET /v1/analyses (wrk)",
            o.p50,
            o.p99,
            o.rps,
            "req/s",
            f"{connections} connections, median of {rounds} rounds of {seconds:g} s",
        )
    )
    rows.append(
        Row(
            "bare Litestar handler, same JSON from a dict (wrk)",
            b.p50,
            b.p99,
            b.rps,
            "req/s",
            "same server kind, alternating rounds",
        )
    )

    naive_seq = naive_conc = None
    if naive:
        naive_port = _free_port()
        naive_server = Server(
            ["-m", "credlens_bench.apps", "naive", server, str(naive_port)],
            {"CREDLENS_BENCH_TORCH_THREADS": "1"},
            "/schema/openapi.json",
            naive_port,
        )
        try:
            naive_job = {**job, "port": naive_port, "path": "/analyze"}
            naive_seq = _run_loadgen({**naive_job, "concurrency": 1, "warmup": True})
            rows.append(
                _pass_row(
                    "naive: trafilatura + sentence-transformers, 1 at a time", naive_seq, "pages/s"
                )
            )
            naive_conc = _run_loadgen({**naive_job, "concurrency": concurrency})
            rows.append(
                _pass_row(
                    f"naive: {concurrency} at a time (no cache: repeats cost the same)",
                    naive_conc,
                    "pages/s",
                )
            )
        finally:
            naive_server.stop()

    table = Table(title=f"credlens bench api ({len(pages)} pages, {server})")
    for col in ("what", "p50 ms", "p99 ms", "rate", "notes"):
        table.add_column(col, justify="left" if col in ("what", "notes") else "right")
    for row in rows:
        table.add_row(
            row.name, f"{row.p50:.2f}", f"{row.p99:.2f}", f"{row.rate:,.1f} {row.unit}", row.note
        )
    console.print(table)

    figures.update(
        uncached_p50_ms=rows[0].p50,
        uncached_p99_ms=rows[0].p99,
        uncached_pages_per_s=rows[1].rate,
        article_1000_words_p50_ms=statistics.median(words_ms) if words_ms else None,
        repeat_post_p50_ms=rows[2].p50,
        repeat_post_p99_ms=rows[2].p99,
        repeat_post_hits=hits,
        cached_get_rps=o.rps,
        cached_get_p50_ms=o.p50,
        cached_get_p99_ms=o.p99,
        bare_rps=b.rps,
        cached_vs_bare=statistics.median(ratios) if ratios else None,
        wrk_errors=sum(r.errors for r in ours_runs + bare_runs),
    )
    if naive_conc is not None and naive_seq is not None:
        naive_rate = _pass_row("", naive_conc, "").rate
        figures.update(
            naive_p50_ms=_pass_row("", naive_seq, "").p50,
            naive_pages_per_s=naive_rate,
            uncached_vs_naive=rows[1].rate / naive_rate if naive_rate else None,
            naive_article_1000_words_p50_ms=statistics.median(
                [naive_seq.latencies[i] for i in article_pages if naive_seq.statuses[i] == 200]
                or [float("nan")]
            ),
        )
    _print_targets(console, figures)
    return figures


def _print_targets(console: Console, f: dict[str, Any]) -> None:
    def mark(ok: bool) -> str:
        return "[green]met[/green]" if ok else "[red]missed[/red]"

    lines = [
        f"cached GET /v1/analyses vs bare handler: {f['cached_vs_bare']:.2f}× requests/s "
        f"(median of per-round ratios; target ≥ 0.80) {mark(f['cached_vs_bare'] >= 0.8)}",
        f"cached GET p99 {f['cached_get_p99_ms']:.2f} ms (target ≤ 5) "
        f"{mark(f['cached_get_p99_ms'] <= 5)}",
        f"repeated POST of an unchanged page p50 {f['repeat_post_p50_ms']:.2f} ms "
        f"(target ≤ 5) {mark(f['repeat_post_p50_ms'] <= 5)}",
    ]
    if f["article_1000_words_p50_ms"] is not None:
        ms = f["article_1000_words_p50_ms"]
        lines.append(
            f"uncached p50 for {ARTICLE_WORDS[0]}-{ARTICLE_WORDS[1]}-word articles "
            f"{ms:.1f} ms (target ≤ 150) {mark(ms <= 150)}"
        )
    if f.get("uncached_vs_naive") is not None:
        x = f["uncached_vs_naive"]
        lines.append(f"uncached pages/s vs naive stack: {x:.1f}× (target ≥ 5) {mark(x >= 5)}")
    for line in lines:
        console.print(line)
    console.print(f"load average after the run: {os.getloadavg()[0]:.1f} (2 cores shared)")


if __name__ == "__main__":
    if sys.argv[1:] == ["loadgen"]:
        _loadgen()
    else:
        raise SystemExit(
            "usage: python -m credlens_bench.api loadgen  (used by credlens bench api)"
        )


# --- Before and after: the same measurements against an earlier checkout -----------------------


def run_api_comparison(
    data: Path,
    baseline: Path,
    *,
    server: str = "granian",
    limit: int | None = 60,
    concurrency: int = 4,
    seconds: float = 5.0,
    rounds: int = 3,
    connections: int = 32,
) -> dict[str, Any]:
    """Uncached and cached figures of this checkout and of ``baseline`` (another checkout's
    root, e.g. ``git worktree add /tmp/before <commit>``: its ``server/`` and ``models/``),
    both servers up at once and measured in alternating rounds; the ratios after/before."""
    console = Console(width=max(Console().width, 120))
    wrk = ensure_wrk()
    if not (baseline / "server" / "credlens").is_dir():
        raise SystemExit(f"{baseline} is not a credlens checkout (no server/credlens)")
    pages, _words, urls = select_pages(data, limit)
    console.print(
        f"before ({baseline}) and after (this checkout): {len(pages)} tuning-set pages, "
        f"server {server}, 1 process each, {rounds} alternating rounds; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    env = {"CREDLENS_QUEUE_SIZE": str(4 * concurrency), "CREDLENS_CACHE_URL": ""}
    sides = {"before": {**env, "PYTHONPATH": str(baseline / "server")}, "after": env}
    servers: dict[str, Server] = {}
    seq: dict[str, list[float]] = {side: [] for side in sides}
    conc: dict[str, list[float]] = {side: [] for side in sides}
    cached: dict[str, list[float]] = {side: [] for side in sides}
    try:
        for side, side_env in sides.items():
            port = _free_port()
            args = ["-m", "credlens.cli", "serve", "--server", server, "--port", str(port)]
            servers[side] = Server(args, side_env, "/readyz", port)
        for r in range(rounds):
            for side, srv in servers.items():
                nonce = f"{int(time.time())}-{side}-{r}"
                job: dict[str, Any] = {
                    "data": str(data),
                    "pages": pages,
                    "path": "/v1/analyze",
                    "nonce": nonce,
                    "port": srv.port,
                }
                one = _pass_row("", _run_loadgen({**job, "concurrency": 1, "warmup": True}), "")
                many = _run_loadgen({**job, "nonce": nonce + "c", "concurrency": concurrency})
                seq[side].append(one.p50)
                conc[side].append(_pass_row("", many, "").rate)
                get_url = _cached_get_url(srv.port, urls[0], nonce)
                cached[side].append(run_wrk(wrk, get_url, seconds, connections).rps)
    finally:
        for srv in servers.values():
            srv.stop()
    med = {
        name: {s: statistics.median(v[s]) for s in sides}
        for name, v in (("seq", seq), ("conc", conc), ("cached", cached))
    }
    table = Table(title=f"credlens bench api --baseline ({len(pages)} pages, {server})")
    for col in ("what", "before", "after", "after / before", "rounds"):
        table.add_column(col, justify="left" if col in ("what", "rounds") else "right")
    rows = (
        ("uncached POST p50, 1 at a time (ms)", "seq", "{:.1f}"),
        (f"uncached, {concurrency} at a time (pages/s)", "conc", "{:.1f}"),
        (f"cached GET /v1/analyses (wrk, {connections} conn., req/s)", "cached", "{:,.0f}"),
    )
    for label, key, fmt in rows:
        b, a = med[key]["before"], med[key]["after"]
        values = {"seq": seq, "conc": conc, "cached": cached}[key]
        table.add_row(
            label,
            fmt.format(b),
            fmt.format(a),
            f"{a / b:.2f}" if b else "n/a",
            " / ".join(f"{x:.0f}" for x in values["before"])
            + "  vs  "
            + " / ".join(f"{x:.0f}" for x in values["after"]),
        )
    console.print(table)
    console.print(
        "within 10% of before: uncached p50 "
        f"{med['seq']['after'] <= 1.10 * med['seq']['before']}, cached req/s "
        f"{med['cached']['after'] >= 0.90 * med['cached']['before']} (medians of the rounds); "
        f"load average after: {os.getloadavg()[0]:.1f}"
    )
    return {
        "before": {k: v["before"] for k, v in med.items()},
        "after": {k: v["after"] for k, v in med.items()},
    }
