"""Speed of ``newsift trace`` at scale, and what trace vectors cost at ``newsift run`` time.

``--part latency`` (default): the gold corpus (tests/fixtures/narratives-gold.jsonl, real MiniLM
and e5 vectors) inside ``--articles`` synthetic filler articles (bench/gen_corpus.py templates;
their claim units get vectors drawn from 1,000 real vectors of filler sentences plus noise, since
encoding 100k articles here would take hours; the search cost does not depend on what they say). Reports the index build time (wall and
CPU), then each gold query's latency (CPU and wall, median and worst) and the gold narratives'
recall/precision with the filler around them.

``--part runtime``: CPU seconds per article of ``newsift run --vectors`` against ``--no-vectors``
(extraction only), on the gold articles and on generated articles: the cost of storing trace
vectors (e5 and MiniLM for every trace unit) at run time.

    NEWSIFT_THREADS=1 OMP_NUM_THREADS=1 python bench/bench_trace.py --articles 100000
    python bench/bench_trace.py --part runtime

Figures are CPU time where it matters (2 cores shared by several jobs: wall time is noisy).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def _gen() -> Any:
    spec = importlib.util.spec_from_file_location("gen_corpus", REPO / "bench" / "gen_corpus.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def add_filler(store: Any, n: int, seed: int = 11, batch: int = 5_000, pool: int = 1_000) -> int:
    """``n`` generated articles stored as analysed (extraction only); their units' vectors are
    drawn from ``pool`` real vectors of filler sentences, with noise."""
    import datetime as dt

    from newsift.corpus.runner import split_sentences
    from newsift.corpus.similarity import to_int8
    from newsift.corpus.trace_index import get_trace_encoder, trace_unit

    records, _ = _gen().generate(n, seed=seed)
    rng = np.random.default_rng(seed)
    # A realistic background at little cost: a pool of real vectors of filler sentences; every
    # filler unit gets one of them (its own when it is in the pool) plus a little noise.
    pool_texts = sorted(
        {s for r in records[:300] for s in r["text"].replace("\n", " ").split(". ")}
    )
    pool_texts = [t for t in pool_texts if trace_unit(t)][:pool]
    pools = {}
    for name in ("e5", "minilm"):
        v = np.asarray(get_trace_encoder(name).encode(pool_texts), dtype=np.float32)
        pools[name] = v
    base = int(store.query("SELECT coalesce(max(id), 0) FROM articles")[0][0]) + 1
    now = dt.datetime.now()
    units = 0
    for start in range(0, n, batch):
        arts, results = [], []
        for i, rec in enumerate(records[start : start + batch], start):
            aid = base + i
            date = dt.datetime.fromisoformat(rec["date"])
            domain = rec["outlet"]
            arts.append(
                {
                    "id": aid,
                    "ext_id": f"filler-{i}",
                    "url": rec["url"],
                    "url_key": rec["url"],
                    "content_hash": f"filler-{i}",
                    "title": rec["title"],
                    "date": date,
                    "domain": domain,
                    "format": "text",
                    "raw": "",
                    "ingested_at": now,
                }
            )
            text = rec["text"]
            claims = [
                {
                    "article_id": aid,
                    "idx": k,
                    "start": s,
                    "end": e,
                    "text": text[s:e].strip(),
                    "kind": "sentence_split",
                }
                for k, (s, e) in enumerate(split_sentences(text))
            ]
            keep = [c for c in claims if trace_unit(c["text"])]
            vecs = []
            pick = rng.integers(0, len(pool_texts), size=len(keep))
            for name in ("e5", "minilm"):
                m = pools[name][pick] + rng.normal(0, 0.02, size=(len(keep), 384))
                vecs += [
                    {"article_id": aid, "idx": c["idx"], "encoder": name, "vec": blob}
                    for c, blob in zip(keep, to_int8(m.astype(np.float32)), strict=True)
                ]
            units += len(keep)
            results.append(
                {
                    "analysis": {
                        "article_id": aid,
                        "status": "ok",
                        "pipeline": "filler",
                        "analyzed_at": now,
                        "text": text,
                        "language": "en",
                        "date": date,
                        "domain": domain,
                        "n_problems": 0,
                    },
                    "claims": claims,
                    "claim_vectors": vecs,
                }
            )
        store.add_batch(arts, [])
        store.save_results(results)
    return units


def part_latency(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from newsift.corpus.trace import trace_search
    from newsift.corpus.trace_index import TraceIndex
    from newsift.eval.trace import GOLD, build_store, load_gold

    narratives, articles = load_gold(GOLD)
    store = build_store(articles, tmp)
    t0 = time.perf_counter()
    units = add_filler(store, args.articles) if args.articles else 0
    fill_s = time.perf_counter() - t0
    print(f"filler stored: {units:,} units in {fill_s:.0f} s", file=sys.stderr, flush=True)
    c0, w0 = time.process_time(), time.perf_counter()
    index, built = TraceIndex.ensure(store, progress=lambda line: print(line, file=sys.stderr))
    build = {
        "wall_s": round(time.perf_counter() - w0, 1),
        "cpu_s": round(time.process_time() - c0, 1),
    }
    ext = dict(store.query("SELECT id, ext_id FROM articles"))
    cpu, wall, found = [], [], {}
    for nar in narratives:
        for lang, query in [("en", nar["query"]), *sorted((nar.get("queries") or {}).items())]:
            c, w = time.process_time(), time.perf_counter()
            res = trace_search(store, query, limit=50, index=index)
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
            for m in res.matches:
                m["gold_id"] = ext.get(m["article_id"])
            found[(nar["id"], lang)] = res.matches
    store.close()
    # Over all languages, English queries; a filler article returned counts as a false match.
    members = {a["id"]: a["narrative"] for a in articles if a.get("narrative")}
    hit = {s: [0, 0, 0] for s in ("tune", "score")}
    for nar in narratives:
        got = {m["gold_id"] for m in found[(nar["id"], "en")]}
        want = {a for a, n in members.items() if n == nar["id"]}
        hit[nar["split"]][0] += len(got & want)
        hit[nar["split"]][1] += len(want)
        hit[nar["split"]][2] += len(got)
    quality = {
        s: {"recall": round(a / b, 3), "precision": round(a / max(c, 1), 3)}
        for s, (a, b, c) in hit.items()
    }
    return {
        "part": "latency",
        "filler_articles": args.articles,
        "filler_units": units,
        "index_units": len(index),
        "filler_store_s": round(fill_s, 1),
        "index_build": build,
        "encoded_at_build": built.encoded,
        "queries": len(cpu),
        "cpu_s_per_query": {"median": round(statistics.median(cpu), 3), "max": round(max(cpu), 3)},
        "wall_s_per_query": {
            "median": round(statistics.median(wall), 3),
            "max": round(max(wall), 3),
        },
        "gold_inside_filler": quality,
    }


def part_runtime(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """CPU per article of run-time trace vectors: Analyzer with and without vectors."""
    from newsift.corpus.ingest import ingest
    from newsift.corpus.runner import Analyzer
    from newsift.corpus.store import open_store
    from newsift.eval.trace import GOLD, load_gold

    _, gold = load_gold(GOLD)
    records, _ = _gen().generate(args.runtime_articles, seed=5)
    out: dict[str, Any] = {"part": "runtime"}
    for name, recs in (
        (
            "gold",
            [
                {"id": a["id"], "url": f"https://x.example/{a['id']}", "text": a["text"]}
                for a in gold
            ],
        ),
        ("generated", records),
    ):
        src = tmp / f"{name}.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        with open_store(tmp / f"{name}.duckdb") as store:
            ingest(store, [src])
            rows = store.load_articles(store.pending_ids())
        figures = {}
        for vectors in ("", "minilm"):
            analyzer = Analyzer([], vectors)
            analyzer(rows[:2])  # load the models outside the timing
            c = time.process_time()
            results = analyzer(rows)
            figures[vectors or "none"] = time.process_time() - c
        n_units = sum(
            1 for r in results for v in r.get("claim_vectors", ()) if v["encoder"] == "e5"
        )
        out[name] = {
            "articles": len(rows),
            "trace_units": n_units,
            "cpu_s_per_article_no_vectors": round(figures["none"] / len(rows), 4),
            "cpu_s_per_article_with_vectors": round(figures["minilm"] / len(rows), 4),
            "vector_cost_cpu_s_per_article": round(
                (figures["minilm"] - figures["none"]) / len(rows), 4
            ),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["latency", "runtime"], default="latency")
    parser.add_argument("--articles", type=int, default=100_000, help="filler articles")
    parser.add_argument("--runtime-articles", type=int, default=100)
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-trace-") as tmp:
        part = part_latency if args.part == "latency" else part_runtime
        result = part(args, Path(tmp))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
