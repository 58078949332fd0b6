"""The extension in a real headless Firefox ESR against the real API with the real model.

The browser is driven over WebDriver BiDi by ``extension/tests/e2e/firefox.mjs`` (puppeteer-core
from the extension's dev dependencies), which installs the packaged Firefox add-on as a
temporary add-on. The same core scenarios as in Chromium: the badge equals the API's average,
the panel shows headline, scores, evidence and summary, evidence is marked in the page, the
keyboard alone opens, reaches evidence and closes, the API-down state, hostile API text inert;
and a page whose iframe cannot load (Firefox's BiDi then reports the navigation failed: see
``openArticle``); axe-core on the open panel, the options page and the history page (the
articles read here). Screenshots go to artifacts/firefox-*.png.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import ARTIFACTS, EXTENSION, HOSTILE, free_port

pytestmark = pytest.mark.slow

FIREFOX = "/usr/bin/firefox-esr"
DRIVER = EXTENSION / "tests" / "e2e" / "firefox.mjs"
#: The axe-core impact levels that must not occur on any surface.
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Firefox package exactly as users get it (tools/pack_extension.py), unpacked."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "pack_extension.py"), str(dist)], check=True
    )
    return dist / "firefox"


@pytest.fixture(scope="module")
def report(
    packaged: Path, api: str, hostile_api: str, pages: dict[str, str]
) -> Iterator[dict[str, Any]]:
    if not Path(FIREFOX).exists():
        pytest.fail(f"{FIREFOX} is missing: `make system-deps` installs Debian's firefox-esr")
    ARTIFACTS.mkdir(exist_ok=True)
    node = shutil.which("node")
    assert node, "node is needed (it runs the extension's tests)"
    job = {
        "extension": str(packaged),
        "api": api,
        "hostileApi": hostile_api,
        "deadApi": f"http://127.0.0.1:{free_port()}",
        "pages": pages,
        "artifacts": str(ARTIFACTS),
        "hostile": HOSTILE,
    }
    proc = subprocess.run(
        [node, str(DRIVER), json.dumps(job)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=EXTENSION,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the Firefox driver printed no report:\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    print(f"\nFirefox {result.get('version')}: page load → badge {result.get('badgeMs')} ms")
    for url in result.get("frameErrors", []):
        print(f"  {url}: an iframe's error page failed the navigation; the page itself loaded")
    for name, outcome in result["scenarios"].items():
        print(f"  {'ok ' if outcome['ok'] else 'FAIL'} {name} ({outcome.get('ms', '-')} ms)")
    yield result


@pytest.mark.parametrize(
    "scenario",
    [
        "badge equals the API average; the panel explains it",
        "keyboard only: open, evidence, close",
        "a page whose iframe cannot load gets its overlay",
        "API down shows its state",
        "hostile API text is inert",
        "options and history pages are accessible",
    ],
)
def test_firefox_scenario(report: dict[str, Any], scenario: str) -> None:
    outcome = report["scenarios"].get(scenario)
    assert outcome is not None, f"{scenario!r} did not run"
    assert outcome["ok"], outcome.get("error")


@pytest.mark.parametrize("surface", ["panel (Firefox)", "options (Firefox)", "history (Firefox)"])
def test_axe_finds_no_serious_or_critical_violation(
    report: dict[str, Any], surface: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = report["axe"].get(surface)
    assert found is not None, f"axe did not run on {surface}"
    with capsys.disabled():
        print(f"\naxe-core on {surface}: {found['counts']}")
    blocking = [v for v in found["violations"] if v["impact"] in BLOCKING]
    assert blocking == []
