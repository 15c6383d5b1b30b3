"""Choose how trace thresholds grow with the corpus: the gold corpus inside ``--articles``
synthetic filler (bench/bench_trace.py's ``add_filler``), cached under ``--cache`` so a sweep
re-runs only the queries. Prints tune/score English and cross-language recall/precision for each
``--scale`` value (the ``scale`` of newsift.corpus.trace.THRESHOLDS). Choose on the tune part.

    NEWSIFT_THREADS=1 OMP_NUM_THREADS=1 python bench/tune_trace_scale.py --articles 5000 \\
        --scale 0 0.5 1 1.5
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_trace", REPO / "bench" / "bench_trace.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    from newsift.corpus.store import open_store
    from newsift.corpus.trace_index import TraceIndex
    from newsift.eval.trace import GOLD, build_store, load_gold, score, trace_all

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5_000, help="filler articles")
    parser.add_argument("--scale", type=float, nargs="+", default=[0.0, 1.0])
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="JSON",
        help="extra thresholds tried with every scale, e.g. '{\"e5_cross_cos\": 0.85}'",
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsift-trace-scale"))
    args = parser.parse_args()
    narratives, articles = load_gold(GOLD)
    folder = args.cache / str(args.articles)
    if (folder / "gold.duckdb").exists():
        store = open_store(folder / "gold.duckdb")
    else:
        folder.mkdir(parents=True, exist_ok=True)
        store = build_store(articles, folder)
        if args.articles:
            _bench().add_filler(store, args.articles)
    index, _ = TraceIndex.ensure(store)
    print(f"{args.articles} filler articles, {len(index):,} units", file=sys.stderr)
    extras = [json.loads(x) for x in args.set] or [{}]
    for scale, extra in [(s, x) for s in args.scale for x in extras]:
        found, per_query = trace_all(store, narratives, {"scale": scale, **extra})
        # A filler article returned is a false match in English (what it is written in).
        known = {a["id"] for a in articles}
        filler = {m["gold_id"] for ms in found.values() for m in ms if m["gold_id"] not in known}
        scored = articles + [{"id": g, "language": "en", "kind": "filler"} for g in filler]
        row: dict[str, Any] = {"articles": args.articles, "units": len(index), "scale": scale}
        row.update(extra)
        for split in ("tune", "score"):
            r = score([n for n in narratives if n["split"] == split], scored, found)
            row[split] = {
                k: r[k]
                for k in ("english", "cross_language", "other_language_queries", "junk_returned")
            }
        row["filler_returned"] = len(filler)
        row["cpu_s_per_query"] = round(per_query, 3)
        print(json.dumps(row), flush=True)
    store.close()


if __name__ == "__main__":
    main()
