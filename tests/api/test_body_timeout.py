"""The request body's deadline (``CREDLENS_BODY_TIMEOUT``): a client that announces a body and
then sends it slowly, in part or not at all, gets 408 ``body_timeout`` (or the route's answer at
once where the route never reads a body) and its connection closed, within the deadline, under
both servers; one that hangs up mid-body is a 400, never a 5xx. Real servers over raw sockets,
and the app's ASGI callable for generated clients (any route, framing, chunks, HTTP version).
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from credlens.api import examples
from credlens.api.app import create_app
from credlens.api.serve import SERVERS
from credlens.settings import Settings, SettingsError
from credlens_bench.api import Server
from tests.api.asgi import in_loop
from tests.api.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
SMALL_BUNDLE = ROOT / "models" / "credlens-tfidf-small"
#: The deadline the servers run under here (the default is 10 s).
TIMEOUT_S = 1.0
#: A hang detector, not a timing test: the deadline plus generous slack for a busy box.
HANG_BOUND_S = TIMEOUT_S + 9.0
#: Seconds between the bytes of a dripping client: each arrives well inside the deadline.
DRIP_EVERY_S = 0.2
ANALYZE = "POST /v1/analyze HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"


# --- Real servers, raw sockets -----------------------------------------------------------------


@pytest.fixture(scope="module", params=SERVERS)
def port(request: pytest.FixtureRequest) -> Iterator[int]:
    """``credlens serve --server <each>`` with a 1 s body deadline."""
    port = free_port()
    env = {
        "CREDLENS_BODY_TIMEOUT": str(TIMEOUT_S),
        "CREDLENS_CACHE_URL": "",
        "CREDLENS_RATE_LIMIT": "0",
        "CREDLENS_API_KEYS": "",
        "CREDLENS_BUNDLE": str(SMALL_BUNDLE),
    }
    args = ["-m", "credlens.cli", "serve", "--server", request.param, "--port", str(port)]
    server = Server(args, env, "/readyz", port)
    try:
        yield port
    finally:
        server.stop()


def exchange(port: int, request: bytes, *, drip: bytes = b"") -> tuple[bytes, float]:
    """Send ``request`` (and then ``drip`` every ``DRIP_EVERY_S`` if given) until the server
    closes the connection: what came back, and the seconds until the close."""
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_BOUND_S) as sock:
        start = time.monotonic()
        sock.sendall(request)
        sock.settimeout(DRIP_EVERY_S if drip else HANG_BOUND_S)
        received = b""
        while time.monotonic() - start < HANG_BOUND_S:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                try:
                    sock.sendall(drip)
                except OSError:  # the server closed: read what it sent
                    sock.settimeout(1.0)
                continue
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
        return received, time.monotonic() - start


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response.split(b" ", 2)[1])


def error_of(response: bytes) -> str:
    body = response.split(b"\r\n\r\n", 1)[1]
    error: str = json.loads(body)["error"]
    return error


def _gzip_prefix() -> bytes:
    return gzip.compress(json.dumps({"url": "https://a.org/x", "text": "x" * 500}).encode())[:20]


#: (name, request bytes, drip): bodies announced and never completed, on the analyze route.
SLOW_BODIES = [
    ("partial-body", f"{ANALYZE}Content-Length: 1000\r\n\r\n".encode() + b'{"url": "h', b""),
    ("headers-only", f"{ANALYZE}Content-Length: 1000\r\n\r\n".encode(), b""),
    ("drip", f"{ANALYZE}Content-Length: 100000\r\n\r\n".encode() + b"{", b" "),
    (
        "chunked-unfinished",
        f"{ANALYZE}Transfer-Encoding: chunked\r\n\r\n".encode() + b'5\r\n{"url\r\n',
        b"",
    ),
    (
        "gzip-partial",
        f"{ANALYZE}Content-Encoding: gzip\r\nContent-Length: 1000\r\n\r\n".encode()
        + _gzip_prefix(),
        b"",
    ),
]


@pytest.mark.parametrize(
    ("name", "request_bytes", "drip"), SLOW_BODIES, ids=[c[0] for c in SLOW_BODIES]
)
def test_a_slow_body_is_answered_408_and_closed(
    port: int, name: str, request_bytes: bytes, drip: bytes
) -> None:
    response, seconds = exchange(port, request_bytes, drip=drip)
    assert seconds < HANG_BOUND_S, f"{name}: connection held {seconds:.1f} s"
    assert status_of(response) == 408, response[:300]
    assert error_of(response) == "body_timeout"
    assert b"\r\nconnection: close\r\n" in response.lower()


@pytest.mark.parametrize(
    ("head", "status"),
    [
        ("GET /v1/model HTTP/1.1\r\nHost: t\r\n", 200),
        ("POST /nowhere HTTP/1.1\r\nHost: t\r\n", 404),
        ("DELETE /v1/analyze HTTP/1.1\r\nHost: t\r\n", 405),
    ],
)
def test_a_route_that_reads_no_body_answers_and_closes(port: int, head: str, status: int) -> None:
    """The answer does not wait for the body, and the server does not wait for it after."""
    response, seconds = exchange(port, f"{head}Content-Length: 1000\r\n\r\n".encode() + b"{")
    assert seconds < HANG_BOUND_S
    assert status_of(response) == status
    assert b"\r\nconnection: close\r\n" in response.lower()


def test_many_slow_clients_neither_block_the_loop_nor_stay(port: int) -> None:
    """Slow clients wait on the event loop without holding it: a request sent meanwhile is
    answered at once, and every slow one is answered 408 within the deadline."""
    request = f"{ANALYZE}Content-Length: 1000\r\n\r\n".encode() + b"{"
    results: list[tuple[bytes, float]] = []
    threads = [
        threading.Thread(target=lambda: results.append(exchange(port, request))) for _ in range(16)
    ]
    for thread in threads:
        thread.start()
    time.sleep(TIMEOUT_S / 4)
    start = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=HANG_BOUND_S) as r:
        assert r.status == 200
    assert time.monotonic() - start < TIMEOUT_S / 2, "the loop waited for the slow bodies"
    for thread in threads:
        thread.join(HANG_BOUND_S + 5)
    assert len(results) == len(threads)
    assert all(status_of(r) == 408 and s < HANG_BOUND_S for r, s in results)


def test_a_client_hanging_up_mid_body_is_counted_as_its_error(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"{ANALYZE}Content-Length: 1000\r\n\r\n".encode() + b'{"url')
        time.sleep(TIMEOUT_S / 4)
    time.sleep(TIMEOUT_S / 2)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        text = r.read().decode()
    counts = {
        (s.labels["route"], s.labels["status"]): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "credlens_http_request_duration_seconds_count"
    }
    assert counts.get(("/v1/analyze", "400"), 0) >= 1
    assert not any(status.startswith("5") for _, status in counts), counts


# --- The setting ------------------------------------------------------------------------------


def test_the_setting_reads_validates_and_round_trips() -> None:
    s = Settings.from_env({"CREDLENS_BODY_TIMEOUT": "2.5"})
    assert s.body_timeout == 2.5
    assert Settings().body_timeout == 10.0
    assert Settings.from_env(s.to_env()) == s
    for bad in ("0", "-1", "nan", "soon"):
        with pytest.raises(SettingsError, match=r"CREDLENS_BODY_TIMEOUT|body_timeout"):
            Settings.from_env({"CREDLENS_BODY_TIMEOUT": bad})


# --- Generated slow clients against the ASGI app -----------------------------------------------

#: The deadline of the in-process app: short, so that each generated client costs little.
ASGI_TIMEOUT_S = 0.2
_CLIENT: Any = None


@pytest.fixture(autouse=True, scope="module")
def _client() -> Iterator[None]:
    global _CLIENT
    app = create_app(Settings(bundle=SMALL_BUNDLE, body_timeout=ASGI_TIMEOUT_S))
    with TestClient(app) as client:
        _CLIENT = client
        yield
    _CLIENT = None


#: (method, path, whether the route reads the body).
ROUTES = [
    ("POST", "/v1/analyze", True),
    ("GET", "/v1/model", False),
    ("GET", "/healthz", False),
    ("POST", "/nowhere/at/all", False),
    ("PUT", "/v1/analyze", False),
    ("POST", "/v1/model/reload", False),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    route=st.sampled_from(ROUTES),
    chunks=st.lists(st.binary(max_size=64), max_size=4),
    chunked=st.booleans(),
    gz=st.booleans(),
    then=st.sampled_from(["stall", "disconnect"]),
    http_version=st.sampled_from(["1.1", "1.0", "2"]),
)
def test_any_unfinished_body_is_answered_in_time_without_a_server_error(
    route: tuple[str, str, bool],
    chunks: list[bytes],
    chunked: bool,
    gz: bool,
    then: str,
    http_version: str,
) -> None:
    method, path, reads_body = route
    sent = sum(map(len, chunks))
    headers = [("content-type", "application/json")]
    headers.append(
        ("transfer-encoding", "chunked") if chunked else ("content-length", str(sent + 100))
    )
    if gz:
        headers.append(("content-encoding", "gzip"))
    answer = in_loop(
        _CLIENT,
        method,
        path,
        headers=headers,
        chunks=chunks,
        then=then,
        http_version=http_version,
        limit=HANG_BOUND_S,
    )
    assert answer.status < 500, answer
    assert answer.seconds < ASGI_TIMEOUT_S + 5, answer.seconds
    if http_version == "2":
        assert "connection" not in answer.headers  # not an HTTP/2 header
    elif then == "stall" or not reads_body:  # (a client that hung up has no connection left)
        assert answer.headers.get("connection") == "close", answer.headers
    if reads_body:
        error = json.loads(answer.body)["error"]
        if then == "disconnect":
            assert (answer.status, error) in {(400, "bad_request"), (400, "malformed_body")}
        else:
            # A gzip prefix that cannot be inflated fails first (400), before the deadline.
            assert (answer.status, error) in {(408, "body_timeout"), (400, "malformed_body")}
            assert gz or error == "body_timeout"


def test_a_body_that_arrives_in_time_is_analysed_and_the_connection_kept() -> None:
    body = json.dumps(examples.TEXT_REQUEST).encode()
    answer = in_loop(
        _CLIENT,
        "POST",
        "/v1/analyze",
        headers=[("content-type", "application/json"), ("content-length", str(len(body)))],
        chunks=[body[:10], body[10:]],
    )
    assert answer.status == 200, answer
    assert "connection" not in answer.headers
