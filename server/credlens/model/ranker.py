"""The bundle's headline ranker (``headline.json`` + ``headline.onnx``), optional.

A learned model with two outputs for each candidate headline: ``quality``, the ROUGE-1 F it
would reach against the headline an editor wrote, predicted from its features (named in the
manifest, computed by ``credlens.suggest.ranking``); and ``fluent``, the probability that it
reads as a sentence (has a finite main verb), predicted from its embedding. Trained by
``credlens_training.headline``; a model maintainer swaps it with the bundle. Checked at load
like the scorer: the file's size and sha256, the graph's inputs and outputs, the feature names
against the ones this server computes, the embedding width against the scorer's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec
import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from credlens.model.manifest import FileEntry, Struct

#: The ranker manifest format this server reads.
RANKER_FORMAT = 2
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
    """The graph: inputs ``features`` float32 [n, len(features)] and ``embedding`` float32
    [n, embedding_width]; outputs ``quality`` and ``fluent``, float32 [n, 1] each."""
    features: list[str]
    embedding_width: int
    """Width of the scorer's sentence embeddings, which the ``fluent`` head reads."""
    target: str
    """What ``quality`` predicts."""
    fluent: str
    """What ``fluent`` predicts, and whose labels it learned from."""
    trained_on: list[RankerData]
    figures: dict[str, float] = msgspec.field(default_factory=dict)
    """Measured when it was built (``credlens bench headline`` reproduces them)."""


class RankerError(Exception):
    """A ranker that must not serve; the message names the file and the problem."""


@dataclass(frozen=True)
class Ranking:
    """The ranker's outputs, one per candidate."""

    quality: list[float]
    """Predicted ROUGE-1 F against an editor's headline (higher is better)."""
    fluent: list[float]
    """Probability that the candidate has a finite main verb."""


class HeadlineRanker:
    """A loaded headline ranker: feature rows and embeddings in, a ``Ranking`` out."""

    def __init__(self, manifest: RankerManifest, raw: bytes, session: ort.InferenceSession):
        self.manifest = manifest
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self._session = session
        self._names = list(manifest.features)

    def __call__(
        self, rows: Sequence[dict[str, float]], embeddings: npt.NDArray[np.float32]
    ) -> Ranking:
        if not rows:
            return Ranking([], [])
        x = np.asarray([[r[n] for n in self._names] for r in rows], dtype=np.float32)
        feeds = {"features": x, "embedding": np.asarray(embeddings, dtype=np.float32)}
        quality, fluent = self._session.run(["quality", "fluent"], feeds)
        return Ranking(
            [float(v) for v in np.asarray(quality).reshape(-1)],
            [float(v) for v in np.asarray(fluent).reshape(-1)],
        )


def load_ranker(
    root: Path, known: Sequence[str], embedding_width: int, threads: int
) -> HeadlineRanker | None:
    """The ranker of the bundle at ``root`` (None when it has none). ``known``: the feature
    names this server computes; the manifest must list exactly these, in this order.
    ``embedding_width``: the width of the scorer's embeddings (0: it has none)."""
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
    if manifest.embedding_width != embedding_width:
        raise RankerError(
            f"{file}: the ranker reads embeddings {manifest.embedding_width} wide; this "
            f"bundle's scorer gives {embedding_width or 'none'}"
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
    if set(inputs) != {"features", "embedding"} or not {"quality", "fluent"} <= outputs:
        raise RankerError(
            f"{graph}: needs inputs 'features' and 'embedding' and outputs 'quality' and "
            f"'fluent'; found {sorted(inputs)} and {sorted(outputs)}"
        )
    for name, want, what in (
        ("features", len(known), "features in the manifest"),
        ("embedding", embedding_width, "the embedding width"),
    ):
        width = inputs[name][-1]
        if isinstance(width, int) and width != want:
            raise RankerError(f"{graph}: input '{name}' is {width} wide, {what}: {want}")
    return HeadlineRanker(manifest, raw, session)
