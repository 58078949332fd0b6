"""The reader's own history page, accessibility and the keyboard, in a real headless Chromium.

History: three articles opened, then the history page shows three rows with the API's own
scores, the charts render, the JSON and CSV exports hold the same rows, clearing empties it,
and with history off nothing is stored. axe-core (from the extension's dev dependencies) runs
on the open panel, the options page and the history page: no serious or critical violation;
the count of each impact level is printed. The keyboard alone opens the panel, reaches and
uses the evidence, and closes it with Escape.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import EXTENSION, configure, get_json
from tests.e2e.test_extension import open_article

pytestmark = pytest.mark.slow

AXE = (EXTENSION / "node_modules" / "axe-core" / "axe.min.js").read_text()
BLOCKING = ("serious", "critical")
HOST = "[data-credlens-host]"


def axe(page: Any, surface: str, include: str | None = None) -> dict[str, Any]:
    """Run axe-core in the page (through the driver, so extension pages' CSP allows it);
    print the count of each impact level and return the violations."""
    page.evaluate(AXE)
    context = f"{{ include: [[{json.dumps(include)}]] }}" if include else "document"
    violations: list[dict[str, Any]] = page.evaluate(
        f"""async () => (await axe.run({context}, {{ resultTypes: ['violations'] }}))
            .violations.map(v => ({{ id: v.id, impact: v.impact, nodes: v.nodes.length,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }}))"""
    )
    counts = {level: 0 for level in ("minor", "moderate", "serious", "critical")}
    for v in violations:
        counts[v["impact"]] += v["nodes"]
    print(f"\naxe-core on {surface}: {counts}")
    return {"counts": counts, "violations": violations}


def stored_history(worker: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = worker.evaluate(
        "() => chrome.storage.local.get({history: []}).then(r => r.history)"
    )
    return found


def test_history_keeps_what_was_read_charts_exports_and_clears(
    chromium: Any,
    worker: Any,
    extension_id: str,
    api: str,
    pages: dict[str, str],
    artifacts: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="", history=True)
    worker.evaluate("() => chrome.storage.local.clear()")
    read = [pages["reuters"], pages["bbc"], pages["opinion"]]
    for url in read:
        page, _ = open_article(chromium, url)
        page.close()
    expected = {
        url: get_json(f"{api}/v1/analyses?url={urllib.parse.quote(url, safe='')}")["scores"]
        for url in read
    }

    page = chromium.new_page()
    page.goto(f"chrome-extension://{extension_id}/history/history.html")
    rows = page.locator("#rows tr[data-url]")
    rows.first.wait_for()
    assert rows.count() == 3
    for i in range(3):
        row = rows.nth(i)
        url = row.get_attribute("data-url")
        assert url in expected
        cells = [row.locator("td").nth(k).inner_text() for k in range(3, 7)]
        scores = expected[url]
        keys = ("objectivity", "accuracy", "transparency", "average")
        assert cells == [f"{scores[k]:.1f}" for k in keys]
    # Both charts drew a bar per score and group; the figures are plain SVG.
    assert page.locator("[data-testid=chart-week] svg rect").count() == 3
    assert page.locator("[data-testid=chart-site] svg rect").count() == 3
    page.screenshot(path=artifacts / "history.png", full_page=True)
    with capsys.disabled():
        found = axe(page, "the history page")
    assert [v for v in found["violations"] if v["impact"] in BLOCKING] == []

    with page.expect_download() as download:
        page.click("#export-json")
    exported = json.loads(Path(download.value.path()).read_text())
    assert sorted(e["url"] for e in exported) == sorted(read)
    assert {e["url"]: e["average"] for e in exported} == {
        u: round(s["average"], 1) for u, s in expected.items()
    }
    with page.expect_download() as download:
        page.click("#export-csv")
    table = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert sorted(r["url"] for r in table) == sorted(read)

    # A site filter narrows rows and charts to that site.
    page.select_option("#site", index=1)
    assert rows.count() == 3  # all three pages are served from 127.0.0.1

    page.click("#clear")
    page.wait_for_selector("#rows td.empty")
    assert stored_history(worker) == []
    page.close()

    # With history off, reading stores nothing.
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="", history=False)
    page, _ = open_article(chromium, pages["bbc"] + "?again=1")
    page.close()
    assert stored_history(worker) == []
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="", history=True)


def test_panel_and_options_have_no_serious_accessibility_violation(
    chromium: Any,
    worker: Any,
    extension_id: str,
    api: str,
    pages: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="")
    page, _ = open_article(chromium, pages["reuters"])
    page.locator("[data-testid=credlens-badge]").click()
    page.locator("[data-testid=credlens-panel]").wait_for(state="visible")
    # The outlet's record and the evidence per score, as the API returns them.
    assert page.locator("[data-testid=credlens-evidence] h4").count() >= 1
    card = page.locator("[data-testid=credlens-model-card]")
    assert card.get_attribute("href") == f"{api}/model/card"
    with capsys.disabled():
        panel = axe(page, "the open panel", HOST)
    assert [v for v in panel["violations"] if v["impact"] in BLOCKING] == []
    # axe reads inside the overlay's shadow root: a nameless button put there is reported.
    page.evaluate(
        "() => document.querySelector('[data-credlens-host]').shadowRoot"
        ".querySelector('[data-testid=credlens-panel]').append(document.createElement('button'))"
    )
    planted = axe(page, "the panel with a nameless button planted", HOST)
    assert any(v["id"] == "button-name" for v in planted["violations"])
    page.close()

    page = chromium.new_page()
    page.goto(f"chrome-extension://{extension_id}/options/options.html")
    page.wait_for_selector("#apiBase")
    with capsys.disabled():
        options = axe(page, "the options page")
    assert [v for v in options["violations"] if v["impact"] in BLOCKING] == []
    page.close()


def test_keyboard_alone_opens_the_panel_reaches_evidence_and_closes_it(
    chromium: Any, worker: Any, api: str, pages: dict[str, str]
) -> None:
    configure(worker, apiBase=api, mode="auto", disabledSites=[], apiKey="")
    page, _ = open_article(chromium, pages["reuters"])
    focused = (
        "() => { const a = document.querySelector('[data-credlens-host]').shadowRoot"
        ".activeElement; return a ? (a.dataset.testid || a.className) : null; }"
    )
    # The overlay comes last in the page's tab order: Shift+Tab from the top reaches it.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "credlens-badge"
    page.keyboard.press("Enter")
    page.locator("[data-testid=credlens-panel]").wait_for(state="visible")
    for _ in range(40):
        if page.evaluate(focused) == "credlens-evidence-item":
            break
        page.keyboard.press("Tab")
    assert page.evaluate(focused) == "credlens-evidence-item"
    page.keyboard.press("Enter")
    assert page.evaluate("() => CSS.highlights.has('credlens-evidence')")
    page.keyboard.press("Escape")
    assert page.locator("[data-testid=credlens-panel]").is_hidden()
    assert page.evaluate(focused) == "credlens-badge"
    page.close()
