"""Every answer is counted in the request metrics, whatever refused it (no route, wrong method,
bad ``Host``, body limits, media type, rate limit), and under bounded labels: no path or method
a client makes up becomes a label value (each would be a series kept for the process's life).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from credlens.api.app import create_app
from credlens.api.middleware import KNOWN_METHODS, UNMATCHED
from credlens.settings import Settings
from tests.api.asgi import in_loop
from tests.api.conftest import MakeClient, metric

pytestmark = pytest.mark.anyio

SMALL_BUNDLE = Path(__file__).resolve().parents[2] / "models" / "credlens-tfidf-small"
COUNT = "credlens_http_request_duration_seconds_count"


def series(text: str) -> set[tuple[str, str, str]]:
    """The (route, method, status) label sets of the request count in ``/metrics`` text."""
    return {
        (s.labels["route"], s.labels["method"], s.labels["status"])
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == COUNT
    }


async def test_unknown_routes_wrong_methods_and_early_refusals_are_counted(
    make_client: MakeClient,
) -> None:
    client = await make_client(bundle=SMALL_BUNDLE, max_body_bytes=1000)
    assert (await client.get("/no/such/page")).status_code == 404
    assert (await client.get("/v1/../../etc/passwd")).status_code == 404
    assert (await client.delete("/v1/analyze")).status_code == 405
    assert (await client.request("BREW", "/healthz")).status_code == 405
    assert (await client.get("/healthz", headers={"host": "bad host"})).status_code == 400
    r = await client.post("/v1/analyze", content=b"{}", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    json_ct = {"content-type": "application/json"}
    r = await client.post("/v1/analyze", content=b"{" * 2000, headers=json_ct)
    assert r.status_code == 413
    limited = await make_client(bundle=SMALL_BUNDLE, rate_limit=1)
    assert [(await limited.get("/v1/model")).status_code for _ in range(2)] == [200, 429]
    assert await metric(limited, COUNT, route="/v1/model", method="GET", status="429") == 1

    async def count(**labels: str) -> float:
        return await metric(client, COUNT, **labels)

    assert await count(route=UNMATCHED, method="GET", status="404") == 2
    assert await count(route=UNMATCHED, method="DELETE", status="405") == 1
    assert await count(route=UNMATCHED, method="OTHER", status="405") == 1
    assert await count(route=UNMATCHED, method="GET", status="400") == 1
    assert await count(route="/v1/analyze", method="POST", status="415") == 1
    assert await count(route="/v1/analyze", method="POST", status="413") == 1
    text = (await client.get("/metrics")).text
    assert "no/such" not in text and "passwd" not in text and "BREW" not in text


_CLIENT: Any = None


@pytest.fixture(autouse=True, scope="module")
def _client() -> Iterator[None]:
    global _CLIENT
    with TestClient(create_app(Settings(bundle=SMALL_BUNDLE))) as client:
        _CLIENT = client
        yield
    _CLIENT = None


#: Every label value the request metrics may hold: the app's route templates or "unmatched",
#: and the standard methods or "OTHER".
def _templates() -> set[str]:
    return {route.path_format for route in _CLIENT.app.routes} | {UNMATCHED}


_paths = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="?#"), min_size=1, max_size=60
).map(lambda p: "/" + p.lstrip("/"))
_methods = st.one_of(
    st.sampled_from(sorted(KNOWN_METHODS)),
    st.text(alphabet=string.ascii_letters + "-_!~", min_size=1, max_size=12),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests=st.lists(st.tuples(_methods, _paths), min_size=1, max_size=8))
def test_made_up_paths_and_methods_add_no_label_values(requests: list[tuple[str, str]]) -> None:
    text = _CLIENT.get("/metrics").text
    before, total_before = series(text), sum_counts(text)
    for method, path in requests:
        answer = in_loop(_CLIENT, method, path, headers=[("host", "testserver")])
        assert answer.status < 500, (method, path, answer)
    text = _CLIENT.get("/metrics").text
    after = series(text)
    templates = _templates()
    for route, method, status in after - before:
        assert route in templates, route
        assert method in KNOWN_METHODS | {"OTHER"}, method
        assert 100 <= int(status) < 600
    # Every request is counted: the generated ones, and the /metrics read in between.
    assert sum_counts(text) == total_before + len(requests) + 1


def sum_counts(text: str) -> float:
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == COUNT
    )
