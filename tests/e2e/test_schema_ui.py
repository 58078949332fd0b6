"""The docs UI at ``/schema`` renders with no way out of the machine.

The real service (``credlens serve``) and Debian's Chromium, headless, resolving only loopback:
Swagger UI must draw the operations from files the service serves itself, every request the
page makes must go to the service and succeed, and nothing (script, stylesheet, font, icon) may
come from a CDN. The screenshot goes to artifacts/schema-ui.png.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import launch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser(driver: Any) -> Iterator[Any]:
    """Debian's Chromium, headless, loopback only, without the extension (it would draw its
    badge on the page and make requests of its own)."""
    yield from launch(driver, "docs")


def test_schema_ui_renders_offline_from_the_service_alone(
    browser: Any, api: str, artifacts: Path
) -> None:
    origin = urllib.parse.urlsplit(api).netloc
    requested: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: requested.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))

    def on_response(response: Any) -> None:
        if response.status >= 400:
            failed.append(f"{response.url} ({response.status})")

    page.on("response", on_response)
    page.on("pageerror", lambda e: errors.append(str(e)))

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{api}/schema", wait_until="load")
    analyze = page.locator("#operations-analysis-analyze")
    try:
        analyze.wait_for(state="visible", timeout=20000)
        rendered = True
    except PlaywrightTimeout:
        rendered = False
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "schema-ui.png"), full_page=True)

    outside = [
        url
        for url in requested
        if not url.startswith(("data:", "blob:")) and urllib.parse.urlsplit(url).netloc != origin
    ]
    assert not outside, f"the page fetched from outside the service: {outside}"
    assert not failed, f"requests failed: {failed}"
    assert not errors, f"script errors: {errors}"
    assert rendered, "Swagger UI did not draw the operations"
    # Swagger UI drew the document: its title and every operation.
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("credlens")
    assert "/v1/analyze" in analyze.inner_text() and "Analyse a page" in analyze.inner_text()
    assert page.locator(".opblock").count() == 8
    # Its stylesheet applied (loaded from the service, with rules in it).
    sheets = page.evaluate(
        "() => [...document.styleSheets].filter(s => s.href).map(s => [s.href, s.cssRules.length])"
    )
    assert [href for href, _ in sheets] == [f"{api}/schema/assets/swagger-ui.css"]
    assert sheets[0][1] > 100
    # The assets the page used are the ones the service ships.
    assert {url.removeprefix(api) for url in requested} >= {
        "/schema",
        "/schema/assets/swagger-ui.css",
        "/schema/assets/swagger-ui-bundle.js",
        "/schema/assets/swagger-ui-standalone-preset.js",
    }
    page.close()
