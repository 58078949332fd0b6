"""No request freezes the service: every hostile class at 1 MB against a real `credlens serve`.

While the examples of each fault class run (two at a time, at 1,000,000 characters), another
thread asks ``/healthz`` every 50 ms. Every analysis must be answered without a server error
and within the time limit plus a second, and every health answer must come back; the figures
are printed. Bounds are hang detectors, 10x the targets (``bench hostile`` measures the
targets: /healthz within 100 ms).
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection

import pytest

from credlens_bench.api import HOST, Server
from credlens_bench.hostile import CLASSES, HealthProbe, hostile_bodies
from tests.api.conftest import free_port

#: The service's time limit in this test, and the slack every answer must arrive within.
TIMEOUT_S = 5.0
SLACK_S = 1.0
#: /healthz: 10x the 100 ms target.
HEALTH_BOUND_MS = 1000.0


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    port = free_port()
    proc = Server(
        ["-m", "credlens.cli", "serve", "--port", str(port)],
        {
            "CREDLENS_CACHE_URL": "",
            "CREDLENS_ANALYSIS_TIMEOUT": str(TIMEOUT_S),
            "CREDLENS_QUEUE_SIZE": "32",
        },
        "/readyz",
        port,
    )
    try:
        yield proc
    finally:
        proc.stop()


def _post(port: int, body: bytes) -> tuple[int, str, float]:
    import time

    conn = HTTPConnection(HOST, port, timeout=60)
    start = time.perf_counter()
    try:
        conn.request("POST", "/v1/analyze", body=body, headers={"content-type": "application/json"})
        response = conn.getresponse()
        payload = response.read()
        error = json.loads(payload).get("error", "") if response.status != 200 else ""
        return response.status, error, time.perf_counter() - start
    finally:
        conn.close()


def test_no_hostile_class_at_1mb_freezes_the_service(server: Server) -> None:
    bodies = list(
        itertools.islice(hostile_bodies(1_000_000, "https://freeze.example/"), len(CLASSES))
    )
    with HealthProbe(server.port) as probe, ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda b: (b[0], *_post(server.port, b[1])), bodies))
    for name, status, error, seconds in answers:
        print(f"{name:>20}: {status} {error or 'ok'} in {seconds:.2f} s")
    lat = sorted(probe.latencies)
    print(
        f"/healthz: {len(lat)} answers, median {statistics.median(lat):.1f} ms, "
        f"max {lat[-1]:.1f} ms, {probe.failures} failures"
    )
    assert {name for name, *_ in answers} == set(CLASSES)
    for name, status, error, seconds in answers:
        # 200, or a refusal the client can act on: never a server error or a dropped request.
        assert status == 200 or (status, error) in {
            (413, "body_too_large"),
            (422, "no_article"),
            (422, "unsupported_language"),
            (503, "timeout"),
        }, (name, status, error)
        # Queued behind at most one other request, each bounded by the limit.
        assert seconds <= 2 * (TIMEOUT_S + SLACK_S), (name, seconds)
    assert probe.failures == 0 and lat and lat[-1] <= HEALTH_BOUND_MS


def test_the_service_still_analyses_after_them(server: Server) -> None:
    status, error, _ = _post(
        server.port,
        json.dumps(
            {"url": "https://freeze.example/after", **CLASSES["one long sentence"](2_000, "x")}
        ).encode(),
    )
    assert (status, error) == (200, "")
