"""Scores of a format-1 bundle (credlens-default 1.0.0), for side-by-side evaluation only.

Format 1 combined the signals with hand-set weights over features mapped to their percentile
among reference articles. The server no longer loads such bundles; this module reproduces
their scores (the former ``combine.py``, without evidence) from the bundle's own manifest and
signal logits, so that ``credlens model eval --articles --baseline DIR`` can put them beside
the current bundle's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from credlens.model.features import SentenceFacts, outlet_record

FloatArray = npt.NDArray[np.float64]

# The former constants (combine.py of 1.0.0): (feature, weight, inverted).
OBJECTIVITY = [
    ("opinion", 0.45, True),
    ("propaganda", 0.25, True),
    ("persuasion", 0.15, True),
    ("clickbait", 0.15, True),
]
ACCURACY = [
    ("specific", 0.30, False),
    ("propaganda", 0.20, True),
    ("unreliable_style", 0.35, True),
    ("clickbait", 0.15, True),
]
TRANSPARENCY = [
    ("attribution", 0.40, False),
    ("quotes", 0.15, False),
    ("named_sources", 0.15, False),
    ("links", 0.10, False),
    ("byline", 0.10, False),
    ("dated", 0.10, False),
]
OUTLET_RECORD = ("outlet_record", 0.30, False)
OUTLET_RECORD_VALUE = {"high": 1.0, "mixed": 0.5, "low": 0.0}
REPORTED_SPEECH_FACTOR = 0.25
LINKS_FULL = 3


class Legacy:
    """A format-1 bundle's manifest: signal columns, calibration quantiles, outlet records."""

    def __init__(self, root: Path) -> None:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != 1:
            raise ValueError(f"{root}: not a format-1 bundle")
        self.name = f"{manifest['name']} {manifest['version']}"
        self.columns = {s["name"]: s["column"] for s in manifest["signals"]}
        self.quantiles = {
            q["feature"]: np.asarray(q["values"], dtype=np.float64)
            for q in manifest["calibration"]["features"]
        }
        sources = manifest.get("sources_file")
        self.sources: dict[str, str] = (
            json.loads((root / sources).read_text(encoding="utf-8")) if sources else {}
        )

    def calibrate(self, name: str, value: float) -> float:
        q = self.quantiles[name]
        levels = np.linspace(0.0, 1.0, len(q))
        lo = float(np.interp(value, q, levels, left=0.0, right=1.0))
        hi_idx, lo_idx = np.searchsorted(q, value, side="right"), np.searchsorted(q, value)
        if hi_idx > lo_idx:
            lo = float((levels[lo_idx] + levels[hi_idx - 1]) / 2)
        return lo

    def scores(
        self,
        logits: FloatArray,
        title_logits: FloatArray | None,
        facts: list[SentenceFacts],
        *,
        byline: bool,
        dated: bool,
        links: int,
        domain: str | None,
    ) -> dict[str, float]:
        """objectivity, accuracy (text alone), accuracy_with_record (NaN without a record),
        transparency: as 1.0.0 scored them."""
        p = {n: 1 / (1 + np.exp(-logits[:, c])) for n, c in self.columns.items()}
        quote = np.asarray([f.quote for f in facts])
        reported = quote & (p["attribution"] >= 0.5)
        factor = np.where(reported, REPORTED_SPEECH_FACTOR, 1.0)
        n = max(len(facts), 1)
        raw = {k: float((p[k] * factor).mean()) for k in ("opinion", "propaganda", "persuasion")}
        raw["attribution"] = float(p["attribution"].mean())
        raw["quotes"] = float(quote.sum() / n)
        raw["named_sources"] = sum(f.named_source for f in facts) / n
        raw["specific"] = sum(f.specific for f in facts) / n
        values = {k: self.calibrate(k, v) for k, v in raw.items()}
        clickbait = None
        if title_logits is not None:
            clickbait = float(1 / (1 + np.exp(-title_logits[self.columns["clickbait"]])))
        values["clickbait"] = clickbait or 0.0
        unreliable = logits[:, self.columns["unreliable_style"]].mean()
        values["unreliable_style"] = float(1 / (1 + np.exp(-unreliable)))
        values["links"] = min(links / LINKS_FULL, 1.0)
        values["byline"], values["dated"] = float(byline), float(dated)
        record = outlet_record(domain, self.sources)

        def score(parts: list[tuple[str, float, bool]]) -> float:
            if clickbait is None:
                parts = [c for c in parts if c[0] != "clickbait"]
            total = sum(w for _, w, _ in parts)
            good = sum(w * ((1 - values[f]) if inv else values[f]) for f, w, inv in parts)
            return round(10 * good / total, 1)

        out = {
            "objectivity": score(OBJECTIVITY),
            "accuracy": score(ACCURACY),
            "transparency": score(TRANSPARENCY),
            "accuracy_with_record": float("nan"),
        }
        if record is not None:
            values["outlet_record"] = OUTLET_RECORD_VALUE[record[1]]
            out["accuracy_with_record"] = score([*ACCURACY, OUTLET_RECORD])
        return out


def head_weights(root: Path) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The linear heads of a format-1 encoder graph (its ``signal_weights`` and bias), which
    map the encoder's embeddings to its signal logits."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(root / "model.onnx")).graph
    init: dict[str, Any] = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    return init["signal_weights"], init["signal_bias"]
