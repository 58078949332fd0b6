"""End-to-end fixtures: the real API (real model) and real pages on 127.0.0.1, and Debian's
Chromium with the unpacked extension, driven by Playwright (recipe: ../shared/docs/
extension-testing.md). Nothing leaves the machine: the browser resolves only loopback."""

from __future__ import annotations

import gzip
import html
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SCRAPINGHUB

CHROMIUM = "/usr/bin/chromium"
EXTENSION = ROOT / "extension"
ARTIFACTS = ROOT / "artifacts"
#: Real pages from the tuning set: wire reports and an opinion column, by URL fragment.
PAGES = {
    "reuters": "reuters.com/article/us-global-markets",
    "bbc": "bbc.com/news/world-europe-50473792",
    "opinion": "nytimes.com/2019/11/19/opinion",
}

#: An iframe no offline browser can load (".invalid" never resolves), as news pages' ad and
#: account frames fail offline.
BROKEN_FRAME = '<iframe src="https://frame.invalid/" title="broken"></iframe>'
#: Pause between the two halves of the page with BROKEN_FRAME: long enough for the frame's
#: lookup to fail first (it fails at once offline: by hand, 1.5 s failed Firefox's navigation
#: 3 times in 3).
FRAME_PAGE_PAUSE_S = 1.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


class Server(ThreadingHTTPServer):
    daemon_threads = True


def serve(handler: type[BaseHTTPRequestHandler]) -> tuple[Server, str]:
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def api() -> Iterator[str]:
    """The real credlens service with the default model and in-memory cache."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "credlens.cli", "serve", "--host", "127.0.0.1", "--port"]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [*command, str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            try:
                wait_http(f"{base}/readyz")
            except TimeoutError:
                log.seek(0)
                output = log.read().decode(errors="replace")[-3000:]
                pytest.fail(f"the API did not start:\n{output}")
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="session")
def pages() -> Iterator[dict[str, str]]:
    """Real tuning-set pages at http://127.0.0.1:PORT/<name>.html."""
    truth = json.loads((SCRAPINGHUB / "ground-truth.json").read_text())
    bodies: dict[str, bytes] = {}
    for name, fragment in PAGES.items():
        page_id = next(k for k, v in truth.items() if fragment in v["url"])
        bodies[f"/{name}.html"] = gzip.decompress(
            (SCRAPINGHUB / "html" / f"{page_id}.html.gz").read_bytes()
        )
    bodies["/plain.html"] = (
        b"<!doctype html><title>Home</title><h1>Welcome</h1><p>Nothing to read.</p>"
    )
    # The BBC article's text as a plain page opening with an iframe that cannot load (a
    # reserved, unresolvable name), sent in two halves FRAME_PAGE_PAUSE_S apart: the frame
    # fails while the page is still loading.
    bbc = truth[next(k for k, v in truth.items() if PAGES["bbc"] in v["url"])]["articleBody"]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in bbc.split("\n") if p.strip())
    bodies["/frame.html"] = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>A news article beside a broken "
        f"frame</title><body>{BROKEN_FRAME}<article>{paragraphs}</article></body></html>"
    ).encode()
    half = len(bodies["/frame.html"]) // 2

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            payload = bodies.get(path) or b"not found"
            self.send_response(200 if path in bodies else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if path == "/frame.html":
                self.wfile.write(payload[:half])
                self.wfile.flush()
                time.sleep(FRAME_PAGE_PAUSE_S)
                payload = payload[half:]
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server, base = serve(Pages)
    yield {name: f"{base}/{name}.html" for name in [*PAGES, "plain", "frame"]}
    server.shutdown()


HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


@pytest.fixture(scope="session")
def hostile_api() -> Iterator[str]:
    """An API that answers with script and onerror payloads in every text field."""
    evidence = [{"text": HOSTILE, "label": "<b>opinion</b>", "weight": -0.5, "kind": "sentence"}]
    detail = {"explanation": HOSTILE, "evidence": evidence}
    analysis = {
        "url": "http://127.0.0.1/x",
        "title": HOSTILE,
        "suggested_headline": {"text": HOSTILE, "method": "extractive"},
        "summary": [HOSTILE],
        "scores": {"objectivity": 5, "accuracy": 5, "transparency": 5, "average": 5},
        "details": {"objectivity": detail, "accuracy": detail, "transparency": detail},
        "headline": {"clickbait_probability": 0.1},
        "article": {},
        "model": {"name": HOSTILE, "version": HOSTILE, "sha256": "x"},
        "cached": False,
        "analyzed_at": "",
        "timings_ms": {},
    }
    payload = json.dumps(analysis).encode()

    class Hostile(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server, base = serve(Hostile)
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def driver() -> Iterator[Any]:
    """One Playwright driver for the session: its sync API cannot be started twice at once."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


#: Quiet, offline Chromium: no background requests, and only loopback resolves.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]


def launch(driver: Any, name: str, *args: str, **options: Any) -> Iterator[Any]:
    """A persistent headless Chromium context in a fresh profile, removed afterwards."""
    profile = tempfile.mkdtemp(prefix=f"credlens-{name}-profile-")
    try:
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=[*args, *BROWSER_ARGS],
            viewport={"width": 1280, "height": 900},
            **options,
        )
        try:
            yield context
        finally:
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium(driver: Any) -> Iterator[Any]:
    """Debian's Chromium, headless, with the unpacked extension in a fresh profile."""
    ext = str(EXTENSION)
    yield from launch(
        driver,
        "extension",
        f"--disable-extensions-except={ext}",
        f"--load-extension={ext}",
        ignore_default_args=["--disable-extensions"],
    )


@pytest.fixture(scope="session")
def worker(chromium: Any) -> Any:
    workers = chromium.service_workers
    return workers[0] if workers else chromium.wait_for_event("serviceworker", timeout=15000)


@pytest.fixture(scope="session")
def extension_id(worker: Any) -> str:
    return str(worker.url.split("/")[2])


def configure(worker: Any, **settings: Any) -> None:
    """Set the extension's settings and wait until the worker re-registered its script."""
    worker.evaluate("s => chrome.storage.sync.set(s)", settings)
    deadline = time.monotonic() + 5
    want = settings.get("mode") == "auto"
    while time.monotonic() < deadline:
        ids = worker.evaluate(
            "() => chrome.scripting.getRegisteredContentScripts().then(s => s.map(x => x.id))"
        )
        excluded = worker.evaluate(
            "() => chrome.scripting.getRegisteredContentScripts()"
            ".then(s => s.flatMap(x => x.excludeMatches || []))"
        )
        sites = settings.get("disabledSites", [])
        if bool(ids) == want and all(f"*://{s}/*" in excluded for s in sites):
            return
        time.sleep(0.05)
    raise TimeoutError("the extension did not apply its settings")


@pytest.fixture()
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
