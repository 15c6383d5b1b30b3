"""Benchmark persuasion.v1: model load time and articles/s on 500-word articles.

Usage: python bench/bench_persuasion.py [--model tagger|student|lexical] [--n 60]
       [--rounds 3] [--threads N] [--gate G] [--model-path DIR]

Each round reads its own ``--n`` articles (new words for the lexical feature tables, as in a long
corpus run; PTC has 195 articles of 500+ words); the JSON has each round's articles/s and their
median (on a shared machine rounds differ by 10-30%: compare medians of runs made one after the
other).

Articles are the PTC training articles cut to 500 words when ../shared is there, else synthetic
English text (speed depends little on the words). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

SHARED = Path(os.environ.get("NEWSIFT_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FILLER = (
    "The minister said on Tuesday that the corrupt elites had betrayed the nation, and critics "
    "called the plan a disaster. Officials said the budget includes funding for road repairs. "
)


def articles(n: int, words: int = 500) -> list[str]:
    folder = SHARED / "data" / "ptc" / "train" / "articles"
    texts = []
    if folder.is_dir():
        for p in sorted(folder.glob("article*.txt")):
            w = p.read_text(encoding="utf-8").split(" ")
            if len(w) >= words:
                texts.append(" ".join(w[:words]))
            if len(texts) == n:
                break
    while len(texts) < n:
        texts.append(" ".join((FILLER * 40).split(" ")[:words]))
    return texts


def cpu_info() -> dict:
    """The processor and whether it has int8 dot-product instructions (VNNI): onnxruntime's int8
    kernels run several times faster with them, so figures from different machines differ."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    name = next(
        (ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), ""
    )
    flags = next(
        (ln.split(":", 1)[1].split() for ln in info.splitlines() if ln.startswith("flags")), []
    )
    return {
        "cpu": name,
        "avx512": "avx512f" in flags,
        "vnni": bool({"avx512_vnni", "avx_vnni"} & set(flags)),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=("tagger", "student", "lexical"), default="tagger")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the articles")
    ap.add_argument("--gate", type=float, default=None, help="tagger sentence gate (0: none)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--model-path", default=None, help="a model folder (default: the packaged one)")
    args = ap.parse_args()

    from newsift.article import Article
    from newsift.pipeline import get_stage

    model = args.model
    rounds = max(1, args.rounds)
    pool = articles(args.n * rounds)
    t0 = time.perf_counter()
    extra = {} if args.gate is None else {"gate": args.gate}
    if args.model_path:
        extra["model_path"] = args.model_path
    stage = get_stage("persuasion.v1")(model=model, threads=args.threads, **extra)
    stage.ensure_setup()
    load_s = time.perf_counter() - t0
    stage(Article(text=FILLER * 10))  # warm-up, on text that is not one of the timed articles
    rates = []
    for r in range(rounds):
        texts = pool[r * args.n : (r + 1) * args.n]
        t0 = time.perf_counter()
        n_spans = 0
        for t in texts:
            n_spans += len(stage(Article(text=t)).spans["persuasion"])
        rates.append(round(len(texts) / (time.perf_counter() - t0), 1))
    print(
        json.dumps(
            {
                "model": model,
                "threads": args.threads,
                "gate": args.gate,
                "articles": len(texts),
                "words_per_article": 500,
                "load_s": round(load_s, 3),
                "articles_per_s": statistics.median(rates),
                "rounds": rates,
                "spans_per_article": round(n_spans / len(texts), 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "cpus": os.cpu_count(),
                **cpu_info(),
            }
        )
    )


if __name__ == "__main__":
    main()
