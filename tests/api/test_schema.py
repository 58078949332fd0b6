"""The OpenAPI document: complete, its examples work as written, and schemathesis finds no 5xx
and no response outside the schema against a real server (``credlens serve``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from credlens.api import examples
from credlens.schemas import Analysis
from credlens_bench.api import Server
from tests.api.conftest import Client, free_port

ROOT = Path(__file__).resolve().parents[2]


async def _openapi(client: Client) -> dict[str, object]:
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    doc: dict[str, object] = r.json()
    return doc


@pytest.mark.anyio
async def test_openapi_documents_every_route(client: Client) -> None:
    doc = await _openapi(client)
    assert str(doc["openapi"]).startswith("3.1")
    paths = doc["paths"]
    assert isinstance(paths, dict)
    assert set(paths) == {
        "/v1/analyze",
        "/v1/analyses",
        "/v1/model",
        "/v1/model/reload",
        "/model/card",
        "/healthz",
        "/readyz",
        "/metrics",
    }
    analyze = paths["/v1/analyze"]["post"]
    assert analyze["operationId"] == "analyze" and analyze["description"]
    assert set(analyze["responses"]) >= {"200", "400", "413", "415", "422", "429", "503"}
    error_ref = analyze["responses"]["422"]["content"]["application/json"]["schema"]
    assert error_ref == {"$ref": "#/components/schemas/ErrorBody"}


@pytest.mark.anyio
async def test_documented_examples_work_as_written(client: Client) -> None:
    doc = await _openapi(client)
    body = doc["paths"]["/v1/analyze"]["post"]["requestBody"]["content"]["application/json"]  # type: ignore[index]
    requests = body["schema"]["examples"]
    assert requests == [examples.TEXT_REQUEST, examples.HTML_REQUEST]
    for request in requests:
        r = await client.post("/v1/analyze", json=request)
        assert r.status_code == 200, r.text
        msgspec.json.decode(r.content, type=Analysis)
    # The response example is a recorded real answer to the first request example: same
    # fields, same URL and title (scores move when the model is retrained).
    got = (await client.post("/v1/analyze", json=examples.TEXT_REQUEST)).json()
    shown = msgspec.convert(examples.ANALYSIS, Analysis)
    assert set(examples.ANALYSIS) == set(got)
    assert shown.url == got["url"] and shown.title == got["title"]
    assert shown.scores is not None and shown.model is not None
    r = await client.get("/v1/analyses", params={"url": examples.TEXT_REQUEST["url"]})
    assert r.status_code == 200


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """``credlens serve`` on a free loopback port, with an admin token."""
    port = free_port()
    env = {"CREDLENS_ADMIN_TOKEN": "schema-test", "CREDLENS_CACHE_URL": ""}
    server = Server(["-m", "credlens.cli", "serve", "--port", str(port)], env, "/readyz", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _schemathesis(base: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the schemathesis CLI from ``cwd`` (it leaves its state folders there)."""
    exe = Path(sys.executable).parent / "schemathesis"
    # Every check that the schema can decide. positive_data_acceptance is left out: "exactly
    # one of html or text" is not expressible in the schema, so schema-valid bodies get 422.
    checks = ",".join(
        [
            "not_a_server_error",
            "status_code_conformance",
            "content_type_conformance",
            "response_headers_conformance",
            "response_schema_conformance",
            "negative_data_rejection",
        ]
    )
    return subprocess.run(
        [
            str(exe),
            "run",
            f"{base}/schema/openapi.json",
            "--checks",
            checks,
            "--seed",
            "7",
            "--request-timeout",
            "30",
            "--no-color",
            "--generation-database",
            "none",
            "--workers",
            "1",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=cwd,
    )


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(served: str, tmp_path: Path) -> None:
    run = _schemathesis(
        served, tmp_path, "--max-examples", "150", "--exclude-path", "/v1/model/reload"
    )
    assert run.returncode == 0, run.stdout[-6000:]
    assert "failures" not in run.stdout.splitlines()[-1], run.stdout[-3000:]


@pytest.mark.slow
def test_schemathesis_reload_with_admin_token(served: str, tmp_path: Path) -> None:
    run = _schemathesis(
        served,
        tmp_path,
        "--max-examples",
        "5",
        "--include-path",
        "/v1/model/reload",
        "-H",
        "Authorization: Bearer schema-test",
    )
    assert run.returncode == 0, run.stdout[-6000:]
    run = _schemathesis(
        served, tmp_path, "--max-examples", "20", "--include-path", "/v1/model/reload"
    )
    assert run.returncode == 0, run.stdout[-6000:]
