"""The bundle loader: the committed bundles load, and every kind of broken bundle is refused
with a message that names the problem, while the serving scorer stays in place."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from credlens.cli import main
from credlens.model import BundleError, ModelSlot, Scorer, load_bundle
from credlens.schemas import Article
from credlens.settings import DEFAULT_BUNDLE

MODELS = DEFAULT_BUNDLE.parent
SMALL = MODELS / "credlens-tfidf-small"


@pytest.fixture(scope="module")
def default() -> Scorer:
    return load_bundle(DEFAULT_BUNDLE)


@pytest.fixture(scope="module")
def small() -> Scorer:
    return load_bundle(SMALL)


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    return dst


def _edit_manifest(bundle: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = bundle / "manifest.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data, indent=2))


def _rehash(bundle: Path, name: str) -> None:
    """Record the current size and sha256 of ``name`` in the manifest (hash checks pass)."""
    data = (bundle / name).read_bytes()

    def edit(m: dict[str, Any]) -> None:
        for f in m["files"]:
            if f["path"] == name:
                f["sha256"] = hashlib.sha256(data).hexdigest()
                f["bytes"] = len(data)

    _edit_manifest(bundle, edit)


def test_committed_bundles_load_with_their_manifest_hash(default: Scorer, small: Scorer) -> None:
    # The model's identity is its manifest, and its headline ranker's manifest if it has one.
    assert default.ranker is not None and small.ranker is None
    ranker = hashlib.sha256((DEFAULT_BUNDLE / "headline.json").read_bytes()).hexdigest()
    assert default.ranker.sha256 == ranker
    for scorer, path, extra in ((default, DEFAULT_BUNDLE, ranker.encode()), (small, SMALL, b"")):
        raw = (path / "manifest.json").read_bytes()
        assert scorer.info.sha256 == hashlib.sha256(raw + extra).hexdigest()
        assert scorer.info.name == path.name
        assert scorer.card.startswith(f"# {path.name}")


def _edit_ranker(bundle: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = bundle / "headline.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data, indent=2))


def test_refuses_a_ranker_that_reads_other_features(tmp_path: Path) -> None:
    bundle = _copy(DEFAULT_BUNDLE, tmp_path)
    _edit_ranker(bundle, lambda m: m["features"].reverse())
    with pytest.raises(BundleError, match=r"headline\.json: the ranker reads features"):
        load_bundle(bundle)


def test_refuses_a_ranker_that_reads_other_embeddings(tmp_path: Path) -> None:
    bundle = _copy(DEFAULT_BUNDLE, tmp_path)
    _edit_ranker(bundle, lambda m: m.update(embedding_width=100))
    with pytest.raises(BundleError, match=r"headline\.json: the ranker reads embeddings 100 wide"):
        load_bundle(bundle)


def test_refuses_a_ranker_graph_that_differs_from_its_manifest(tmp_path: Path) -> None:
    bundle = _copy(DEFAULT_BUNDLE, tmp_path)
    graph = bytearray((bundle / "headline.onnx").read_bytes())
    graph[-5:] = b"xxxxx"
    (bundle / "headline.onnx").write_bytes(bytes(graph))
    with pytest.raises(BundleError, match=r"headline\.onnx: size or sha256 differs"):
        load_bundle(bundle)


def test_a_bundle_without_a_ranker_still_suggests(tmp_path: Path) -> None:
    bundle = _copy(DEFAULT_BUNDLE, tmp_path)
    (bundle / "headline.json").unlink()
    scorer = load_bundle(bundle)
    assert scorer.ranker is None
    from credlens.pipeline import suggest

    article = Article(text="The Bank of England raised interest rates to 5% on Thursday.")
    assert suggest(scorer, article, scorer.score(article)).text


def test_bundle_sizes() -> None:
    def size(p: Path) -> int:
        return sum(f.stat().st_size for f in p.iterdir())

    assert size(DEFAULT_BUNDLE) <= 40 * 1024 * 1024
    assert size(SMALL) < 5 * 1024 * 1024


def test_golden_sentences_reproduce(default: Scorer) -> None:
    golden = default.manifest.golden
    logits, embeddings = default.run([g.text for g in golden.sentences])
    expected = np.asarray([g.logits for g in golden.sentences])
    assert np.max(np.abs(logits - expected)) <= golden.tolerance
    assert embeddings is not None
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-4)


def test_manifest_declares_licence_for_every_dataset(default: Scorer) -> None:
    names = {d.name for d in default.manifest.training_data}
    for signal in default.manifest.signals:
        for source in signal.trained_on:
            assert source.split(" ")[0] in names
    assert all(d.licence for d in default.manifest.training_data)
    for d in default.manifest.training_data:
        assert d.name in default.card


def test_model_beats_baseline_on_sentence_signals(default: Scorer) -> None:
    signals = default.manifest.evaluation["signals"]
    assert isinstance(signals, dict)
    for name in ("opinion", "propaganda", "persuasion", "clickbait", "attribution"):
        model, base = signals[name]["model"], signals[name]["baseline"]
        assert model["macro_f1"] > base["macro_f1"], name
        assert model["auc"] > base["auc"], name
    # The article heads are measured on AllSides outlets they never saw, beside TF-IDF.
    heads = default.manifest.evaluation["articles"]["heads"]  # type: ignore[index]
    assert set(heads) == {"opinion_style", "unreliable_style", "opinion_headline"}
    for name in ("opinion_style", "opinion_headline"):
        assert heads[name]["model"]["auc"] > heads[name]["baseline"]["auc"], name


# --- Refusals ----------------------------------------------------------------------------------


def test_refuses_corrupt_graph(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)
    (bundle / "model.onnx").write_bytes(b"\x08\x07not a graph" * 100)
    _rehash(bundle, "model.onnx")
    with pytest.raises(BundleError, match=r"model\.onnx: onnxruntime cannot load the graph"):
        load_bundle(bundle)


def test_refuses_hash_mismatch(tmp_path: Path) -> None:
    bundle = _copy(DEFAULT_BUNDLE, tmp_path)
    data = bytearray((bundle / "sources.json").read_bytes())
    data[10:13] = b"xyz"
    (bundle / "sources.json").write_bytes(bytes(data))
    with pytest.raises(BundleError, match=r"sources\.json: sha256 [0-9a-f]{64}, manifest says"):
        load_bundle(bundle)


def test_refuses_missing_file(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)
    (bundle / "MODEL_CARD.md").unlink()
    with pytest.raises(BundleError, match=r"MODEL_CARD\.md: listed in the manifest but missing"):
        load_bundle(bundle)


def test_refuses_invalid_manifest(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)
    _edit_manifest(bundle, lambda m: m.pop("signals"))
    with pytest.raises(BundleError, match=r"manifest\.json: invalid manifest: .*signals"):
        load_bundle(bundle)


def test_refuses_dtype_disagreement(tmp_path: Path) -> None:
    bundle = _copy(DEFAULT_BUNDLE, tmp_path)
    _edit_manifest(bundle, lambda m: m["graph"]["inputs"][0].update(dtype="int32"))
    with pytest.raises(
        BundleError, match=r"input 'input_ids' has dtype int64, manifest says int32"
    ):
        load_bundle(bundle)


def test_refuses_shape_disagreement(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)
    _edit_manifest(bundle, lambda m: m["graph"]["outputs"][0].update(shape=["batch", 9]))
    with pytest.raises(BundleError, match=r"output 'signal_logits' has shape \['batch', 8\]"):
        load_bundle(bundle)


def test_refuses_output_name_disagreement(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)
    _edit_manifest(bundle, lambda m: m["graph"]["outputs"][0].update(name="scores"))
    with pytest.raises(BundleError, match=r"graph outputs \['signal_logits'\], manifest declares"):
        load_bundle(bundle)


def test_refuses_wrong_golden_logits(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)

    def edit(m: dict[str, Any]) -> None:
        m["golden"]["sentences"][1]["logits"][0] += 0.5

    _edit_manifest(bundle, edit)
    with pytest.raises(BundleError, match=r"golden: logits for .* recorded .*largest difference"):
        load_bundle(bundle)


def test_refuses_wrong_golden_scores(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)

    def edit(m: dict[str, Any]) -> None:
        m["golden"]["articles"][0]["scores"]["transparency"] += 1.0

    _edit_manifest(bundle, edit)
    with pytest.raises(BundleError, match=r"golden: article .*: transparency = .*, recorded"):
        load_bundle(bundle)


def test_refuses_missing_required_signal(tmp_path: Path) -> None:
    bundle = _copy(SMALL, tmp_path)
    _edit_manifest(bundle, lambda m: m["signals"][4].update(name="sourcing"))
    with pytest.raises(BundleError, match=r"signal 'attribution' at level 'sentence' is required"):
        load_bundle(bundle)


# --- Swap ---------------------------------------------------------------------------------------


def test_swap_to_the_small_bundle_and_back(default: Scorer, tmp_path: Path) -> None:
    slot = ModelSlot(default)
    article = Article(
        title="Senate passes spending bill",
        text="The Senate passed the bill on Friday by 68 votes to 31, officials said.\n\n"
        "The measure now goes to the House, where leaders expect a vote next week.",
    )
    swapped = slot.swap(SMALL)
    assert slot.scorer is swapped and swapped.info.name == "credlens-tfidf-small"
    result = slot.scorer.score(article)
    assert result.scores is not None and result.embeddings is None
    assert result.sentences == default.score(article).sentences

    broken = _copy(DEFAULT_BUNDLE, tmp_path)
    _edit_manifest(broken, lambda m: m["graph"]["outputs"][1].update(dtype="int64"))
    with pytest.raises(BundleError):
        slot.swap(broken)
    assert slot.scorer is swapped  # a failed load never replaces the serving scorer
    assert slot.swap(DEFAULT_BUNDLE).info == default.info


# --- CLI and serving dependencies -----------------------------------------------------------------


def test_cli_check(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["model", "check", str(SMALL)])
    assert ok.exit_code == 0, ok.output
    assert "ok: credlens-tfidf-small" in ok.output
    bundle = _copy(SMALL, tmp_path)
    (bundle / "model.onnx").write_bytes(b"garbage")
    bad = runner.invoke(main, ["model", "check", str(bundle)])
    assert bad.exit_code == 1
    assert "refused:" in bad.output and "model.onnx" in bad.output


def test_serving_imports_no_training_dependency() -> None:
    code = (
        "import sys\n"
        "from credlens.model import load_bundle\n"
        "from credlens.settings import DEFAULT_BUNDLE\n"
        "from credlens.extract import extract\n"
        "from credlens import pipeline\n"
        "s = load_bundle(DEFAULT_BUNDLE)\n"
        "a = extract('<html><body><article><p>' + 'The council met on Monday and voted. ' * 30"
        " + '</p></article></body></html>')\n"
        "assert s.score(a).scores is not None\n"
        "heavy = {'torch', 'sklearn', 'skl2onnx', 'onnx', 'transformers',"
        " 'sentence_transformers', 'scipy', 'models', 'spacy', 'thinc'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_bench_model_runs_on_the_small_bundle() -> None:
    result = CliRunner().invoke(
        main, ["bench", "model", "--bundle", str(SMALL), "--repeats", "2", "--no-torch"]
    )
    assert result.exit_code == 0, result.output
    assert "median score time" in result.output and "RSS with the model loaded" in result.output


def test_refuses_a_headline_component_without_its_signal(tmp_path: Path) -> None:
    """A score that reads ``opinion_headline_logit`` needs the ``opinion_headline`` head."""
    bundle = _copy(SMALL, tmp_path)

    def demote(m: dict[str, Any]) -> None:
        for s in m["signals"]:
            if s["name"] == "opinion_headline":
                s["level"] = "sentence"

    _edit_manifest(bundle, demote)
    with pytest.raises(BundleError, match=r"needs signal 'opinion_headline' at level 'headline'"):
        load_bundle(bundle)
