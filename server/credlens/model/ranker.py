"""The bundle's headline ranker (``headline.json`` + ``headline.onnx``), optional.

A learned model that predicts, from a candidate headline's features (named in the manifest,
computed by ``credlens.suggest.ranking``), the ROUGE-1 F it would reach against the headline
an editor wrote. Trained by ``credlens_training.headline``; a model maintainer swaps it with
the bundle. Checked at load like the scorer: the file's size and sha256, the graph's input and
output, and the feature names against the ones this server computes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import msgspec
import numpy as np
import onnxruntime as ort

from credlens.model.manifest import FileEntry, Struct

#: The ranker manifest format this server reads.
RANKER_FORMAT = 1
RANKER_MANIFEST = "headline.json"


class RankerData(Struct):
    """A dataset the ranker learned from."""

    name: str
    licence: str
    rows: int
    """Articles (or outlet headlines) it contributed."""
    reference: str
    """The headline its candidates were measured against."""


class RankerManifest(Struct):
    format: int
    name: str
    version: str
    description: str
    file: FileEntry
    """The graph: input ``features`` float32 [n, len(features)], output ``quality`` [n, 1]."""
    features: list[str]
    target: str
    trained_on: list[RankerData]
    figures: dict[str, float] = msgspec.field(default_factory=dict)
    """Measured when it was built (``credlens bench headline`` reproduces them)."""


class RankerError(Exception):
    """A ranker that must not serve; the message names the file and the problem."""


class HeadlineRanker:
    """A loaded headline ranker: feature rows in, one predicted quality per row out."""

    def __init__(self, manifest: RankerManifest, raw: bytes, session: ort.InferenceSession):
        self.manifest = manifest
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self._session = session
        self._names = list(manifest.features)

    def __call__(self, rows: Sequence[dict[str, float]]) -> list[float]:
        if not rows:
            return []
        x = np.asarray([[r[n] for n in self._names] for r in rows], dtype=np.float32)
        (out,) = self._session.run(["quality"], {"features": x})
        return [float(v) for v in np.asarray(out).reshape(-1)]


def load_ranker(root: Path, known: Sequence[str], threads: int) -> HeadlineRanker | None:
    """The ranker of the bundle at ``root`` (None when it has none). ``known``: the feature
    names this server computes; the manifest must list exactly these, in this order."""
    file = root / RANKER_MANIFEST
    if not file.exists():
        return None
    try:
        raw = file.read_bytes()
        manifest = msgspec.json.decode(raw, type=RankerManifest)
    except (OSError, msgspec.DecodeError) as exc:
        raise RankerError(f"{file}: invalid headline ranker manifest: {exc}") from exc
    if manifest.format != RANKER_FORMAT:
        raise RankerError(f"{file}: format {manifest.format}, this server reads {RANKER_FORMAT}")
    if manifest.features != list(known):
        raise RankerError(
            f"{file}: the ranker reads features {manifest.features}; this server computes "
            f"{list(known)}"
        )
    graph = root / manifest.file.path
    try:
        data = graph.read_bytes()
    except OSError as exc:
        raise RankerError(f"{graph}: cannot read the ranker graph: {exc.strerror}") from exc
    if len(data) != manifest.file.bytes or hashlib.sha256(data).hexdigest() != manifest.file.sha256:
        raise RankerError(f"{graph}: size or sha256 differs from {file.name}")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises several unrelated types for a bad file
        raise RankerError(f"{graph}: onnxruntime cannot load the graph: {exc}") from exc
    inputs = {i.name: i.shape for i in session.get_inputs()}
    outputs = {o.name for o in session.get_outputs()}
    if set(inputs) != {"features"} or "quality" not in outputs:
        raise RankerError(
            f"{graph}: needs input 'features' and output 'quality'; found {sorted(inputs)} and "
            f"{sorted(outputs)}"
        )
    width = inputs["features"][-1]
    if isinstance(width, int) and width != len(known):
        raise RankerError(f"{graph}: input width {width}, manifest lists {len(known)} features")
    return HeadlineRanker(manifest, raw, session)
