"""Pack the extension for Chromium (zip) and Firefox (xpi) from the one source in extension/.

The source stays loadable unpacked in both browsers. The Firefox package drops the
``background.service_worker`` key, which Firefox ignores in favour of ``background.scripts``,
so that ``web-ext lint`` on what Firefox users install is clean. Standard library only.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "extension"
#: Development files that are not part of the extension.
EXCLUDE = ("tests", "node_modules", "package.json", "package-lock.json")


def files() -> list[Path]:
    out = []
    for path in sorted(SOURCE.rglob("*")):
        rel = path.relative_to(SOURCE)
        if path.is_file() and rel.parts[0] not in EXCLUDE and not rel.name.startswith("."):
            out.append(rel)
    return out


def pack(dist: Path) -> tuple[Path, Path]:
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    version = manifest["version"]
    firefox_manifest = json.loads(json.dumps(manifest))
    firefox_manifest["background"].pop("service_worker", None)

    firefox_dir = dist / "firefox"
    shutil.rmtree(firefox_dir, ignore_errors=True)
    chromium_zip = dist / f"credlens-{version}-chromium.zip"
    firefox_xpi = dist / f"credlens-{version}-firefox.xpi"
    with (
        zipfile.ZipFile(chromium_zip, "w", zipfile.ZIP_DEFLATED) as chromium,
        zipfile.ZipFile(firefox_xpi, "w", zipfile.ZIP_DEFLATED) as firefox,
    ):
        for rel in files():
            data = (SOURCE / rel).read_bytes()
            chromium.writestr(str(rel), data)
            if rel.name == "manifest.json" and len(rel.parts) == 1:
                data = (json.dumps(firefox_manifest, indent=2) + "\n").encode()
            firefox.writestr(str(rel), data)
            target = firefox_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return chromium_zip, firefox_xpi


if __name__ == "__main__":
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    for built in pack(dist):
        print(f"built {built.relative_to(ROOT) if built.is_relative_to(ROOT) else built}")
