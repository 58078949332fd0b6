"""Load a model bundle by path, checking every declaration before it may serve.

Checks, in order: the manifest decodes; every listed file exists with its size and sha256;
the files the manifest refers to are listed; the graph loads; its inputs and outputs match the
manifest (names, dtypes, shapes); the signals and score models are complete; the golden inputs
give the recorded outputs. Any failure raises ``BundleError`` naming the file and the problem;
nothing is half-loaded, so a server keeps its previous scorer.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from pathlib import Path

import msgspec
import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from credlens.model.features import ARTICLE_FEATURES, HEADLINE_LOGIT_FEATURES
from credlens.model.manifest import FORMAT, Dim, Manifest, TensorSpec, decode
from credlens.model.ranker import RankerError, load_ranker
from credlens.model.scorer import Scorer
from credlens.schemas import HEADLINE_FEATURES, Article
from credlens.text import warm_language_identifier

#: Signals the scorer reads, with the level each must have.
REQUIRED_SIGNALS = {
    "opinion": "sentence",
    "propaganda": "sentence",
    "persuasion": "sentence",
    "attribution": "sentence",
    "clickbait": "headline",
    "opinion_style": "article",
    "unreliable_style": "article",
}
_REQUIRED_IO = {
    "encoder": ({"input_ids", "attention_mask"}, {"embeddings", "signal_logits"}),
    "text": ({"text"}, {"signal_logits"}),
}
#: Scores of golden articles must match to this (they are rounded to 0.1 on output).
SCORE_TOLERANCE = 0.05
#: onnxruntime's type names → the manifest's dtypes.
DTYPES = {
    "tensor(int64)": "int64",
    "tensor(int32)": "int32",
    "tensor(float)": "float32",
    "tensor(string)": "string",
}


class BundleError(Exception):
    """A bundle that must not serve; the message names the file and the problem."""


def load_bundle(path: str | Path, *, threads: int = 1, headline_ranker: bool = True) -> Scorer:
    """Read, check and load the bundle at ``path``; raise ``BundleError`` if anything is off.
    ``headline_ranker=False`` leaves its headline ranker out (training a new one).

    A symbolic link is followed first: the scorer's ``path`` is the folder really loaded, which
    stays the same when the link is later pointed at another bundle (worker processes load it
    from there)."""
    root = Path(path).resolve()
    manifest, raw = _read_manifest(root)
    _check_files(root, manifest)
    session = _open_graph(root, manifest, threads)
    _check_io(manifest, session)
    _check_signals(manifest)
    tokenizer = _open_tokenizer(root, manifest)
    sources = _read_sources(root, manifest)
    try:
        card = (root / manifest.card).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BundleError(f"{root / manifest.card}: cannot read the model card: {exc}") from exc
    try:
        ranker = (
            load_ranker(root, HEADLINE_FEATURES, manifest.embedding_width, threads)
            if headline_ranker
            else None
        )
    except RankerError as exc:
        raise BundleError(str(exc)) from exc
    warm_language_identifier()
    scorer = Scorer(root, manifest, raw, card, session, tokenizer, sources, ranker)
    _check_golden(root, scorer)
    return scorer


def _read_manifest(root: Path) -> tuple[Manifest, bytes]:
    file = root / "manifest.json"
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise BundleError(f"{file}: cannot read the manifest: {exc.strerror or exc}") from exc
    try:
        manifest = decode(raw)
    except msgspec.DecodeError as exc:
        raise BundleError(f"{file}: invalid manifest: {exc}") from exc
    if manifest.format != FORMAT:
        raise BundleError(f"{file}: manifest format {manifest.format}, this server reads {FORMAT}")
    return manifest, raw


def _check_files(root: Path, manifest: Manifest) -> None:
    listed = {f.path for f in manifest.files}
    referenced = [manifest.graph.file, manifest.card]
    referenced += [manifest.tokenizer.file] if manifest.tokenizer else []
    referenced += [manifest.sources_file] if manifest.sources_file else []
    for name in referenced:
        if name not in listed:
            raise BundleError(f"{root / 'manifest.json'}: {name} is used but not listed in files")
    for entry in manifest.files:
        file = root / entry.path
        if not file.is_file():
            raise BundleError(f"{file}: listed in the manifest but missing")
        data = file.read_bytes()
        if len(data) != entry.bytes:
            raise BundleError(f"{file}: size {len(data)} bytes, manifest says {entry.bytes}")
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry.sha256:
            raise BundleError(f"{file}: sha256 {digest}, manifest says {entry.sha256}")


def _open_graph(root: Path, manifest: Manifest, threads: int) -> ort.InferenceSession:
    file = root / manifest.graph.file
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.add_session_config_entry("session.x64quantprecision", "high")
    opts.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(str(file), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises several unrelated types for a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BundleError(f"{file}: onnxruntime cannot load the graph: {first}") from exc


def dims(shape: list[int | str | None]) -> list[Dim]:
    """A graph's shape as the manifest writes it (an unnamed free dimension is "?")."""
    return [d if isinstance(d, int) else (d or "?") for d in shape]


def _check_io(manifest: Manifest, session: ort.InferenceSession) -> None:
    where = f"{manifest.graph.file} vs manifest.json"
    for kind, declared, actual in (
        ("input", manifest.graph.inputs, session.get_inputs()),
        ("output", manifest.graph.outputs, session.get_outputs()),
    ):
        got = {a.name: a for a in actual}
        want: dict[str, TensorSpec] = {d.name: d for d in declared}
        if set(got) != set(want):
            raise BundleError(
                f"{where}: graph {kind}s {sorted(got)}, manifest declares {sorted(want)}"
            )
        for name, spec in want.items():
            dtype = DTYPES.get(got[name].type, got[name].type)
            if dtype != spec.dtype:
                raise BundleError(
                    f"{where}: {kind} '{name}' has dtype {dtype}, manifest says {spec.dtype}"
                )
            shape = dims(got[name].shape)
            if shape != spec.shape:
                raise BundleError(
                    f"{where}: {kind} '{name}' has shape {shape}, manifest says {spec.shape}"
                )
    inputs, outputs = _REQUIRED_IO[manifest.kind]
    names_in = {i.name for i in manifest.graph.inputs}
    names_out = {o.name for o in manifest.graph.outputs}
    if not inputs <= names_in or not outputs <= names_out:
        raise BundleError(
            f"{manifest.graph.file}: a '{manifest.kind}' bundle needs inputs {sorted(inputs)} "
            f"and outputs {sorted(outputs)}; found {sorted(names_in)} and {sorted(names_out)}"
        )


def _check_signals(manifest: Manifest) -> None:
    where = "manifest.json"
    levels = {s.name: s.level for s in manifest.signals}
    for name, level in REQUIRED_SIGNALS.items():
        if levels.get(name) != level:
            raise BundleError(f"{where}: signal '{name}' at level '{level}' is required")
    width = next(o.shape[-1] for o in manifest.graph.outputs if o.name == "signal_logits")
    columns = sorted(s.column for s in manifest.signals)
    if columns != list(range(len(columns))) or (isinstance(width, int) and width != len(columns)):
        raise BundleError(f"{where}: signal columns {columns} do not fill signal_logits ({width})")
    models = manifest.scores
    for name in ("objectivity", "accuracy", "transparency"):
        model = getattr(models, name)
        numbers = [model.intercept, model.reference_score]
        for c in model.components:
            if c.feature not in ARTICLE_FEATURES:
                raise BundleError(f"{where}: {name} component '{c.name}': unknown feature")
            head = HEADLINE_LOGIT_FEATURES.get(c.feature)
            if head is not None and levels.get(head) != "headline":
                raise BundleError(
                    f"{where}: {name} component '{c.name}' needs signal '{head}' at level "
                    "'headline'"
                )
            numbers += [c.weight, c.reference]
        if not model.components or not all(math.isfinite(v) for v in numbers):
            raise BundleError(f"{where}: scores.{name} needs components with finite numbers")
    for label in ("opinion", "propaganda", "persuasion", "attribution"):
        if not 0.0 <= models.sentence_thresholds.get(label, -1.0) <= 1.0:
            raise BundleError(f"{where}: scores.sentence_thresholds has no '{label}' in [0, 1]")


def _open_tokenizer(root: Path, manifest: Manifest) -> Tokenizer | None:
    if manifest.kind != "encoder":
        return None
    if manifest.tokenizer is None:
        raise BundleError(f"{root / 'manifest.json'}: an encoder bundle needs a tokenizer")
    file = root / manifest.tokenizer.file
    try:
        tok = Tokenizer.from_file(str(file))
    except Exception as exc:  # tokenizers raises plain Exception for a bad file
        raise BundleError(f"{file}: cannot load the tokenizer: {exc}") from exc
    tok.no_padding()
    tok.enable_truncation(manifest.tokenizer.max_tokens)
    return tok


def _read_sources(root: Path, manifest: Manifest) -> dict[str, str]:
    if manifest.sources_file is None:
        return {}
    file = root / manifest.sources_file
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleError(f"{file}: cannot read the outlet records: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(v, str) and v in ("high", "mixed", "low") for v in data.values()
    ):
        raise BundleError(f"{file}: must map domains to 'high', 'mixed' or 'low'")
    return {str(k): str(v) for k, v in data.items()}


def _check_golden(root: Path, scorer: Scorer) -> None:
    golden = scorer.manifest.golden
    where = f"{root / 'manifest.json'}: golden"
    if not golden.sentences or not golden.articles:
        raise BundleError(f"{where}: at least one golden sentence and one article are required")
    logits, _ = scorer.run([g.text for g in golden.sentences])
    for g, row in zip(golden.sentences, logits, strict=True):
        if not np.all(np.isfinite(row)):
            raise BundleError(f"{where}: non-finite logits for {g.text!r}")
        diff = float(np.max(np.abs(row - np.asarray(g.logits))))
        if len(g.logits) != len(row) or diff > golden.tolerance:
            raise BundleError(
                f"{where}: logits for {g.text!r} are {np.round(row, 4).tolist()}, "
                f"recorded {g.logits} (largest difference {diff:.4f} > {golden.tolerance})"
            )
    for ga in golden.articles:
        result = scorer.score(Article(title=ga.title, text=ga.text), url=ga.url)
        if result.scores is None:
            raise BundleError(f"{where}: article {ga.title!r} was not scored")
        got = msgspec.structs.asdict(result.scores)
        for name, want in ga.scores.items():
            value = got.get(name)
            if value is None or not (0.0 <= value <= 10.0) or not math.isfinite(value):
                raise BundleError(f"{where}: article {ga.title!r}: {name} = {value} out of range")
            if abs(value - want) > SCORE_TOLERANCE:
                raise BundleError(
                    f"{where}: article {ga.title!r}: {name} = {value}, recorded {want}"
                )


class ModelSlot:
    """Holds the serving scorer; ``swap`` replaces it only once the new bundle has loaded."""

    def __init__(self, scorer: Scorer) -> None:
        self._scorer = scorer
        self._lock = threading.Lock()

    @property
    def scorer(self) -> Scorer:
        return self._scorer

    def swap(self, path: str | Path, *, threads: int = 1) -> Scorer:
        """Load ``path`` and serve it; on ``BundleError`` the current scorer stays."""
        with self._lock:  # one reload at a time; readers never wait
            scorer = load_bundle(path, threads=threads)
            self._scorer = scorer
            return scorer
