"""The extension in a real headless Chromium against the real API with the real model.

Covers what a reader sees: the badge with the API's own average, the panel (headline, scores,
evidence, summary), evidence highlighted in the page, the API-down state, options that persist,
a site switched off that sends nothing, and hostile API text rendered inert. Screenshots go
to artifacts/; the time from page load to badge is printed for an uncached and a cached page.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import HOSTILE, configure, free_port, get_json

pytestmark = pytest.mark.slow

BADGE = "[data-testid=credlens-badge]"
DONE = "[data-credlens-host][data-state=done]"


def open_article(chromium: Any, url: str, state: str = "done") -> tuple[Any, float]:
    """Open `url` and wait for the badge to reach `state`; seconds from load to badge."""
    page = chromium.new_page()
    page.goto(url, wait_until="load")
    loaded = time.perf_counter()
    page.wait_for_selector(
        f"[data-credlens-host][data-state={state}]", state="attached", timeout=30000
    )
    return page, time.perf_counter() - loaded


def api_requests(api: str) -> float:
    """Analyze requests the API has counted (from its Prometheus metrics)."""
    with urllib.request.urlopen(f"{api}/metrics", timeout=10) as r:
        text = r.read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith("credlens_requests_total") and "/v1/analyze" in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_badge_shows_the_api_average_and_the_panel_explains_it(
    chromium: Any,
    worker: Any,
    api: str,
    pages: dict[str, str],
    artifacts: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="")
    page, uncached = open_article(chromium, pages["reuters"])
    badge = page.locator(BADGE)
    analysis = get_json(f"{api}/v1/analyses?url={urllib.parse.quote(pages['reuters'], safe='')}")
    assert badge.inner_text() == f"{analysis['scores']['average']:.1f}"
    # The badge lives in the shadow root only, and moves nothing in the page's layout.
    assert (
        page.evaluate("() => document.querySelectorAll('[data-testid=credlens-badge]').length") == 0
    )
    host = "document.querySelector('[data-credlens-host]')"
    assert page.evaluate(f"() => getComputedStyle({host}).position") == "fixed"
    # In the top layer: visible even while the page hides itself (this one sets
    # `html { opacity: 0 }` for two seconds as it loads).
    assert page.evaluate(f"() => {host}.matches(':popover-open')")

    badge.click()
    panel = page.locator("[data-testid=credlens-panel]")
    panel.wait_for(state="visible")
    assert page.locator("[data-testid=credlens-suggested]").inner_text().strip()
    assert page.locator("[data-testid=credlens-original]").inner_text() == analysis["title"]
    assert page.locator("[data-testid=credlens-scores] .metric").count() == 3
    evidence = page.locator("[data-testid=credlens-evidence-item]")
    assert evidence.count() >= 1
    assert page.locator("[data-testid=credlens-summary] li").count() >= 1
    footer = page.locator("[data-testid=credlens-footer]").inner_text()
    assert analysis["model"]["name"] in footer and analysis["model"]["version"] in footer
    # Hover and keyboard focus show each metric's explanation.
    page.locator("[data-testid=credlens-scores] .metric").nth(1).focus()
    assert "Accuracy" in page.locator("#credlens-explain").inner_text()
    # This page hides itself for two seconds while it loads (anti-flicker); wait that out so
    # the screenshots show the page behind the overlay.
    page.wait_for_function("() => getComputedStyle(document.documentElement).opacity === '1'")
    page.screenshot(path=artifacts / "panel.png")

    # Clicking evidence marks that sentence in the page.
    text = evidence.first.inner_text()
    evidence.first.click()
    marked = page.evaluate(
        "() => CSS.highlights.has('credlens-evidence') ? "
        "[...CSS.highlights.get('credlens-evidence')][0].toString() : null"
    )
    assert marked is not None and " ".join(marked.split()) == " ".join(text.split())
    page.screenshot(path=artifacts / "evidence-highlight.png")
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    page.close()

    page, cached = open_article(chromium, pages["reuters"])
    page.locator(BADGE).click()
    assert "Cached result" in page.locator("[data-testid=credlens-footer]").inner_text()
    page.close()
    with capsys.disabled():  # shown in every run, not only with -s
        print(
            f"\npage load → badge: uncached {uncached * 1000:.0f} ms, cached {cached * 1000:.0f} ms"
        )


def test_a_page_that_is_not_an_article_gets_no_badge(
    chromium: Any, worker: Any, api: str, pages: dict[str, str]
) -> None:
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="")
    page = chromium.new_page()
    page.goto(pages["plain"])
    time.sleep(1.0)
    assert page.locator("[data-credlens-host]").count() == 0
    page.close()


def test_a_page_whose_iframe_cannot_load_gets_its_overlay(
    chromium: Any, worker: Any, api: str, pages: dict[str, str]
) -> None:
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="")
    page, _ = open_article(chromium, pages["frame"])
    assert re.fullmatch(r"\d+\.\d", page.locator(BADGE).inner_text())
    page.close()


def test_api_down_shows_its_state(
    chromium: Any, worker: Any, pages: dict[str, str], artifacts: Path
) -> None:
    configure(worker, apiBase=f"http://127.0.0.1:{free_port()}", mode="auto", disabledSites=[])
    page, _ = open_article(chromium, pages["bbc"], state="unreachable")
    assert page.locator(BADGE).inner_text() == "!"
    page.locator(BADGE).click()
    assert "did not answer" in page.locator("[data-testid=credlens-status]").inner_text()
    page.screenshot(path=artifacts / "api-down.png")
    page.close()


def test_a_site_switched_off_sends_nothing(
    chromium: Any, worker: Any, api: str, pages: dict[str, str]
) -> None:
    configure(worker, apiBase=api, mode="auto", disabledSites=["127.0.0.1"])
    before = api_requests(api)
    page = chromium.new_page()
    page.goto(pages["bbc"])
    time.sleep(1.5)
    assert page.locator("[data-credlens-host]").count() == 0
    # Injected anyway (as a toolbar click would), the worker's gate still sends nothing.
    worker.evaluate(
        """async (url) => {
            const [tab] = await chrome.tabs.query({ url });
            await chrome.scripting.executeScript({
                target: { tabId: tab.id }, func: () => { window.__credlensForce = true; } });
            await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: [
                "shared/messages.js", "shared/scores.js", "shared/article.js",
                "content/highlight.js", "content/overlay.js", "content/main.js"] });
        }""",
        pages["bbc"],
    )
    page.wait_for_selector("[data-credlens-host][data-state=error]", state="attached")
    assert api_requests(api) == before
    page.close()


def test_click_mode_sends_nothing_before_a_click(
    chromium: Any, worker: Any, api: str, pages: dict[str, str]
) -> None:
    configure(worker, apiBase=api, mode="click", disabledSites=[])
    before = api_requests(api)
    page = chromium.new_page()
    page.goto(pages["opinion"])
    time.sleep(1.5)
    assert page.locator("[data-credlens-host]").count() == 0
    assert api_requests(api) == before
    page.close()


def test_hostile_api_text_is_inert(
    chromium: Any, worker: Any, hostile_api: str, pages: dict[str, str], artifacts: Path
) -> None:
    configure(worker, apiBase=hostile_api, mode="auto", disabledSites=[])
    page, _ = open_article(chromium, pages["opinion"])
    page.locator(BADGE).click()
    page.locator("[data-testid=credlens-panel]").wait_for(state="visible")
    counts = page.evaluate(
        "() => { const r = document.querySelector('[data-credlens-host]').shadowRoot;"
        " return [r.querySelectorAll('script').length, r.querySelectorAll('img').length,"
        " r.querySelectorAll('b').length]; }"
    )
    assert counts == [0, 0, 0]
    assert page.evaluate("() => window.__pwned === undefined")
    assert HOSTILE in page.locator("[data-testid=credlens-suggested]").inner_text()
    page.screenshot(path=artifacts / "hostile.png")
    page.close()


def test_options_persist(chromium: Any, worker: Any, extension_id: str, api: str) -> None:
    configure(worker, apiBase=api, mode="click", disabledSites=[])
    page = chromium.new_page()
    page.goto(f"chrome-extension://{extension_id}/options/options.html")
    page.fill("#apiBase", api)
    page.fill("#apiKey", "secret-key")
    page.check("input[name=mode][value=click]")
    page.fill("#disabledSites", "Example.com\nhttps://www.news.example.org/path\n")
    page.click("button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('Saved')"
    )
    page.reload()
    assert page.input_value("#apiBase") == api
    assert page.input_value("#apiKey") == "secret-key"
    assert page.is_checked("input[name=mode][value=click]")
    assert page.input_value("#disabledSites") == "example.com\nnews.example.org"
    stored = worker.evaluate("() => chrome.storage.sync.get(null)")
    assert json.loads(json.dumps(stored))["disabledSites"] == ["example.com", "news.example.org"]
    page.close()
