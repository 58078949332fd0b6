"""What a user installs: the wheel, in a fresh virtual environment (not editable).

``pip wheel`` builds it from the checkout; a new venv gets it with ``--no-deps`` and borrows
the dependencies from the test environment through ``PYTHONPATH`` (which does not read the
editable install's ``.pth``), so ``credlens`` can only come from the wheel. Then
``import credlens`` works, ``import server`` does not, and ``credlens serve`` answers an
analysis with the default model found inside the installed package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from credlens.api import examples
from credlens_bench.api import Server, _free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the credlens wheel; its python and the environment to run it in."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = (tmp / "dist").glob("credlens-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "credlens/bundles/credlens-default/manifest.json" in names
    assert not any(n.startswith(("server/", "models/")) for n in names)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "venv")], check=True)
    python = tmp / "venv" / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, str(wheel)],
        check=True,
    )
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "CREDLENS_BUNDLE": ""}
    return python, env


def _run(python: Path, env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-c", code], env=env, cwd="/", capture_output=True, text=True, timeout=120
    )


def test_the_wheel_imports_as_credlens_only(installed: tuple[Path, dict[str, str]]) -> None:
    python, env = installed
    done = _run(python, env, "import credlens, credlens.api.app; print(credlens.__file__)")
    assert done.returncode == 0, done.stderr
    assert str(python.parents[1]) in done.stdout  # from the venv, not the checkout
    assert _run(python, env, "import server").returncode != 0


def test_installed_serve_uses_the_packaged_model(installed: tuple[Path, dict[str, str]]) -> None:
    python, env = installed
    port = _free_port()
    script = python.parent / "credlens"
    server = Server(
        [
            "-c",
            f"import sys; sys.argv = ['{script}', 'serve', '--port', '{port}']; "
            "from credlens.cli import main; main()",
        ],
        {"PYTHONPATH": env["PYTHONPATH"], "CREDLENS_BUNDLE": "", "CREDLENS_CACHE_URL": ""},
        "/readyz",
        port,
        python=str(python),
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/analyze",
            data=json.dumps(examples.TEXT_REQUEST).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            analysis = json.loads(response.read())
        assert analysis["model"]["name"] == "credlens-default"
        assert analysis["scores"]["average"] > 0
    finally:
        server.stop()
