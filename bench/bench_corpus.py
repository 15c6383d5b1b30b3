"""Benchmark corpus mode: ingest rate, run rate (1 and 2 workers), narrative quality, grouping scale.

Usage (each part prints one JSON line; ``all`` runs every part)::

    python bench/bench_corpus.py ingest --n 20000
    python bench/bench_corpus.py run --n 120 --stages default
    python bench/bench_corpus.py quality --n 3000 --encoder minilm
    python bench/bench_corpus.py scale --sizes 10000,30000,100000 --encoder minilm

``scale`` times narrative grouping alone: articles come from ``bench/gen_corpus.py`` and their
claim units are written straight into the ``claims`` table (the claims and sentences the generator
wrote, not the output of ``newsift run``), so that 100,000 articles fit in the time of a session.
Each size runs in a fresh process so that its peak memory (``ru_maxrss``) is its own. Every line
records the load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import gzip
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def _gen() -> Any:
    spec = importlib.util.spec_from_file_location("gen_corpus", HERE / "gen_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def context() -> dict[str, Any]:
    """Load average, CPU count and peak RSS so far (MiB), to record with every figure."""
    return {
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# -- scoring ------------------------------------------------------------------------------------
def score(store: Any, truth: dict[str, Any]) -> dict[str, Any]:
    """Narrative precision and recall on the planted groups of ``truth``.

    Recall: a planted member (copy or rewording) is found when some narrative holds both it and
    its group's origin article. Precision: each narrative is assigned the planted group most of
    its articles belong to; a member article is correct when it belongs to that group (articles
    of no planted group are wrong in any narrative).
    """
    ext = dict(store.query("SELECT ext_id, id FROM articles WHERE ext_id IS NOT NULL"))
    group_of: dict[int, int] = {}
    for g in truth["groups"]:
        for a in [g["origin"], *(m["article"] for m in g["members"])]:
            if a in ext:
                group_of[ext[a]] = g["group"]
    narr: dict[int, set[int]] = defaultdict(set)
    for nid, aid in store.query("SELECT DISTINCT narrative_id, article_id FROM narrative_members"):
        narr[nid].add(aid)
    of_article: dict[int, list[int]] = defaultdict(list)
    correct = total = 0
    for nid, arts in narr.items():
        groups = Counter(group_of.get(a) for a in arts if group_of.get(a) is not None)
        major = groups.most_common(1)[0][0] if groups else None
        correct += sum(1 for a in arts if major is not None and group_of.get(a) == major)
        total += len(arts)
        for a in arts:
            of_article[a].append(nid)
    found: Counter = Counter()
    planted: Counter = Counter()
    for g in truth["groups"]:
        origin = ext.get(g["origin"])
        for m in g["members"]:
            aid = ext.get(m["article"])
            if origin is None or aid is None:  # not in this corpus (a subset of the generated one)
                continue
            planted[m["kind"]] += 1
            if any(origin in narr[nid] for nid in of_article.get(aid, ())):
                found[m["kind"]] += 1
    return {
        "precision": round(correct / total, 4) if total else 0.0,
        "recall_copy": round(found["copy"] / planted["copy"], 4) if planted["copy"] else 0.0,
        "recall_reword": round(found["reword"] / planted["reword"], 4)
        if planted["reword"]
        else 0.0,
        "narratives": len(narr),
        "member_articles": total,
        "planted": dict(planted),
        "found": dict(found),
    }


# -- parts ----------------------------------------------------------------------------------------
def _corpus(tmp: Path, n: int, seed: int, corrupt: int = 0) -> tuple[Path, dict]:
    gen = _gen()
    records, truth = gen.generate(n, seed=seed)
    src = tmp / f"corpus-{n}-{seed}.jsonl"
    gen.write(records, truth, src, corrupt=corrupt, seed=seed)
    return src, truth


def part_ingest(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Ingest rate from JSONL into a fresh database, and the time of an unchanged re-ingest."""
    from newsift.corpus.ingest import ingest
    from newsift.corpus.store import open_store

    src, _ = _corpus(tmp, args.n, args.seed)
    db = tmp / "ingest.duckdb"
    with open_store(db) as store:
        t0 = time.perf_counter()
        first = ingest(store, [src])
        t1 = time.perf_counter()
        again = ingest(store, [src])
        t2 = time.perf_counter()
    return {
        "part": "ingest",
        "articles": first.added,
        "seconds": round(t1 - t0, 2),
        "articles_per_s": round(first.added / (t1 - t0), 1),
        "reingest_seconds": round(t2 - t1, 2),
        "reingest_added": again.added,
        "mib_per_s": round(src.stat().st_size / 2**20 / (t1 - t0), 1),
        **context(),
    }


def _stage_list(spec: str) -> list[str]:
    from newsift.pipeline import DEFAULT_STAGES

    if spec == "default":
        return list(DEFAULT_STAGES)
    return [] if spec == "none" else spec.split(",")


def part_run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """``run`` rate with 1 and 2 workers on the same articles (two copies of one database)."""
    from newsift.corpus.ingest import ingest
    from newsift.corpus.runner import run
    from newsift.corpus.store import open_store

    src, _ = _corpus(tmp, args.n, args.seed)
    stages = _stage_list(args.stages)
    out: dict[str, Any] = {
        "part": "run",
        "articles": args.n,
        "stages": ",".join(stages) or "none",
        "vectors": args.vectors or "none",
    }
    for workers in (1, 2):
        db = tmp / f"run-{workers}.duckdb"
        with open_store(db) as store:
            ingest(store, [src])
            if workers == 1:  # models load once, outside the timing (workers load them too)
                from newsift.corpus.runner import Analyzer

                Analyzer(stages, args.vectors)
            stamps: list[tuple[float, int]] = []
            done = [0]

            def on_batch(n: int, stamps: list = stamps, done: list = done) -> None:
                done[0] += n
                stamps.append((time.perf_counter(), done[0]))

            summary = run(
                store,
                stages=stages,
                workers=workers,
                batch=args.batch,
                on_batch=on_batch,
                vectors=args.vectors,
            )
        rate = (summary.analysed + summary.failed) / summary.seconds
        out[f"w{workers}_articles_per_s"] = round(rate, 2)
        out[f"w{workers}_seconds"] = round(summary.seconds, 1)
        # Steady state: from the first committed batch on (worker start-up and model loading left out).
        (t_a, n_a), (t_b, n_b) = stamps[0], stamps[-1]
        out[f"w{workers}_steady_articles_per_s"] = round((n_b - n_a) / max(t_b - t_a, 1e-9), 2)
    out["ratio_2_to_1"] = round(out["w2_articles_per_s"] / out["w1_articles_per_s"], 2)
    out["steady_ratio_2_to_1"] = round(
        out["w2_steady_articles_per_s"] / out["w1_steady_articles_per_s"], 2
    )
    return {**out, **context()}


def part_quality(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Narrative precision/recall on the planted groups after ingest, run and narratives."""
    from newsift.corpus.ingest import ingest
    from newsift.corpus.narratives import NarrativeConfig, build_narratives
    from newsift.corpus.runner import run
    from newsift.corpus.store import open_store

    src, truth = _corpus(tmp, args.n, args.seed)
    db = tmp / "quality.duckdb"
    stages = _stage_list(args.stages)
    with open_store(db) as store:
        ingest(store, [src])
        t0 = time.perf_counter()
        vectors = "minilm" if args.encoder == "minilm" else ""  # as `newsift run` stores them
        run(store, stages=stages, workers=args.workers, batch=args.batch, vectors=vectors)
        run_s = time.perf_counter() - t0
        config = NarrativeConfig(encoder=args.encoder, reword_threshold=args.reword_threshold)
        summary = build_narratives(store, config)
        scores = score(store, truth)
        kinds = dict(store.query("SELECT kind, count(*) FROM claims GROUP BY 1"))
    return {
        "part": "quality",
        "articles": args.n,
        "seed": args.seed,
        "stages": ",".join(stages) or "none",
        "unit_kinds": kinds,
        "run_seconds": round(run_s, 1),
        **scores,
        "grouping": summary.to_dict(),
        **context(),
    }


# -- grouping at scale ----------------------------------------------------------------------------
OUT = HERE / "out"


def scale_prepare(
    n: int, seed: int, encoder: str, units: str = "claims"
) -> tuple[Path, Path | None]:
    """Generate ``n`` articles with their units (``claims``: the generator's claim sentences;
    ``sentences``: every sentence of the article), and encode the comparable ones once (MiniLM
    vectors are what ``newsift run`` stores); cached under bench/out."""
    from newsift.corpus.narratives import MIN_WORDS, eligible
    from newsift.corpus.runner import split_sentences

    OUT.mkdir(exist_ok=True)
    tag = f"{n}-{seed}" + ("" if units == "claims" else f"-{units}")
    data = OUT / f"scale-{tag}.json.gz"
    vecs = OUT / f"scale-{tag}-{encoder}.npy" if encoder == "minilm" else None
    if not data.exists():
        records, truth = _gen().generate(n, seed=seed, keep_claims=True)
        claims = truth.pop("claims")
        if units == "sentences":
            claims = [
                [r["text"][a:b].strip() for a, b in split_sentences(r["text"])] for r in records
            ]
        rows = [
            {"id": r["id"], "url": r["url"], "outlet": r["outlet"], "date": r["date"], "claims": c}
            for r, c in zip(records, claims, strict=True)
        ]
        with gzip.open(data, "wt") as fh:
            json.dump({"rows": rows, "truth": truth}, fh)
    if vecs is not None and not vecs.exists():
        import numpy as np

        from newsift.corpus.similarity import get_encoder, to_int8

        with gzip.open(data, "rt") as fh:
            rows = json.load(fh)["rows"]
        texts = sorted({c for r in rows for c in r["claims"] if eligible(c, MIN_WORDS)})
        t0 = time.perf_counter()
        blobs = to_int8(get_encoder(encoder).encode(texts))
        seconds = time.perf_counter() - t0
        np.save(vecs, np.frombuffer(b"".join(blobs), np.int8).reshape(len(texts), -1))
        (OUT / f"{vecs.stem}.json").write_text(
            json.dumps({"texts": texts, "encode_seconds": round(seconds, 1), **context()})
        )
    return data, vecs


def _scale_db(store: Any, rows: list[dict], vecs: Path | None) -> int:
    """Articles, ``ok`` analyses, claims (and their stored vectors) written straight to ``store``."""
    import numpy as np

    from newsift.extract.urls import domain_of

    vec_of: dict[str, bytes] = {}
    if vecs is not None:
        texts = json.loads((OUT / f"{vecs.stem}.json").read_text())["texts"]
        mat = np.load(vecs)
        vec_of = {t: mat[i].tobytes() for i, t in enumerate(texts)}
    arts, analyses, claims, vrows = [], [], [], []
    for aid, r in enumerate(rows, 1):
        date = dt.datetime.fromisoformat(r["date"])
        domain = domain_of(r["url"])
        arts.append(
            {
                "id": aid,
                "ext_id": r["id"],
                "url": r["url"],
                "date": date,
                "domain": domain,
                "outlet": r["outlet"],
                "format": "text",
                "content_hash": r["id"],
            }
        )
        analyses.append(
            {
                "article_id": aid,
                "status": "ok",
                "pipeline": "bench-generated",
                "language": "en",  # as `newsift run` stores it (the generator writes English)
                "date": date,
                "domain": domain,
            }
        )
        for idx, text in enumerate(r["claims"]):
            claims.append({"article_id": aid, "idx": idx, "text": text, "kind": "generated"})
            if text in vec_of:
                vrows.append(
                    {"article_id": aid, "idx": idx, "encoder": "minilm", "vec": vec_of[text]}
                )
    from newsift.corpus.store import ANALYSIS_COLUMNS, ARTICLE_COLUMNS, CHILD_COLUMNS

    def work() -> None:
        store._insert("articles", arts, ARTICLE_COLUMNS)
        store._insert("analyses", analyses, ANALYSIS_COLUMNS)
        store._insert("claims", claims, CHILD_COLUMNS["claims"])
        store._insert("claim_vectors", vrows, CHILD_COLUMNS["claim_vectors"])

    store._transaction(work)
    return len(claims)


def part_scale_one(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Narrative grouping of the ``--take`` earliest articles of a prepared corpus (own process)."""
    from newsift.corpus.narratives import NarrativeConfig, build_narratives
    from newsift.corpus.store import open_store

    data, vecs = scale_prepare(args.n, args.seed, args.encoder, args.units)
    with gzip.open(data, "rt") as fh:
        blob = json.load(fh)
    rows = sorted(blob["rows"], key=lambda r: r["date"])[: args.take]
    with open_store(tmp / "scale.duckdb") as store:
        t0 = time.perf_counter()
        units = _scale_db(store, rows, vecs)
        load_s = time.perf_counter() - t0
        del blob["rows"], rows
        gc.collect()
        rss_before = _vm("VmRSS")
        _reset_peak()
        t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
        summary = build_narratives(
            store,
            NarrativeConfig(
                encoder=args.encoder, window_days=args.window_days, workers=args.group_workers
            ),
        )
        seconds = time.perf_counter() - t0
        # this process and its worker processes (reaped when the grouping ends)
        cpu_seconds = time.process_time() - c0 + _children_cpu() - k0
        peak = _vm("VmHWM")
        scores = score(store, blob["truth"])
    return {
        "part": "scale",
        "articles": args.take,
        "units": args.units,
        "claim_units": units,
        "encoder": args.encoder,
        "window_days": args.window_days,
        "db_write_seconds": round(load_s, 1),
        "grouping_seconds": round(seconds, 1),
        "grouping_cpu_seconds": round(cpu_seconds, 1),
        "articles_per_s": round(args.take / seconds, 1),
        "units_per_s": round(units / seconds, 1),
        "rss_before_grouping_mib": rss_before,
        "grouping_peak_rss_mib": peak,
        "grouping_extra_mib": round(peak - rss_before, 1) if peak and rss_before else None,
        **scores,
        "grouping": summary.to_dict(),
        **context(),
    }


def _children_cpu() -> float:
    """CPU seconds of the child processes that have ended (the grouping's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _vm(key: str) -> float | None:
    """A /proc/self/status figure in MiB (Linux), e.g. VmRSS or VmHWM (peak since the last reset)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _reset_peak() -> None:
    """Reset VmHWM so that the grouping's own peak is measured (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def part_scale(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Grouping time at each size (fresh process each), its growth and the 1,000,000 projection."""
    sizes = [int(x) for x in args.sizes.split(",")]
    n = max(sizes)
    scale_prepare(n, args.seed, args.encoder, args.units)
    results = []
    for take in sizes:
        cmd = [
            sys.executable,
            __file__,
            "scale-one",
            "--n",
            str(n),
            "--take",
            str(take),
            "--seed",
            str(args.seed),
            "--encoder",
            args.encoder,
            "--window-days",
            str(args.window_days),
            "--units",
            args.units,
            "--group-workers",
            str(args.group_workers),
        ]
        line = (
            subprocess.run(cmd, check=True, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        results.append(json.loads(line))
        print(line, flush=True)
    a, b = results[-2], results[-1]
    growth = (b["grouping_seconds"] / a["grouping_seconds"]) / (b["articles"] / a["articles"])
    per_article = b["grouping_seconds"] / b["articles"]
    # CPU time: what a busy shared machine distorts least (wall time waits for other jobs)
    cpu_growth = (b["grouping_cpu_seconds"] / a["grouping_cpu_seconds"]) / (
        b["articles"] / a["articles"]
    )
    cpu_per_article = b["grouping_cpu_seconds"] / b["articles"]
    out = {
        "part": "scale-summary",
        "sizes": sizes,
        "seconds": [r["grouping_seconds"] for r in results],
        "cpu_seconds": [r["grouping_cpu_seconds"] for r in results],
        "cpu_growth_last_step": round(cpu_growth, 2),
        "projected_1m_cpu_minutes": round(
            cpu_per_article * 1_000_000 * max(cpu_growth, 1.0) / 60, 1
        ),
        "units_by_size": [r["claim_units"] for r in results],
        "grouping_peak_rss_mib_by_size": [r["grouping_peak_rss_mib"] for r in results],
        "grouping_extra_mib_by_size": [r["grouping_extra_mib"] for r in results],
        "growth_last_step": round(growth, 2),
        "projected_1m_minutes": round(per_article * 1_000_000 * max(growth, 1.0) / 60, 1),
    }
    if args.encoder == "minilm" and args.units == "claims":
        meta = json.loads((OUT / f"scale-{n}-{args.seed}-minilm.json").read_text())
        out["encode_units_per_s"] = round(len(meta["texts"]) / meta["encode_seconds"], 1)
    return {**out, **context()}


PARTS = {
    "ingest": part_ingest,
    "run": part_run,
    "quality": part_quality,
    "scale": part_scale,
    "scale-one": part_scale_one,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("part", choices=[*PARTS, "all"])
    ap.add_argument("--n", type=int, default=None, help="articles to generate")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--stages", default="none", help="default, none, or stage names (run, quality)")
    ap.add_argument("--workers", type=int, default=1, help="run workers (quality)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument(
        "--vectors",
        default="minilm",
        choices=["minilm", ""],
        help="run: store MiniLM claim vectors as `newsift run` does by default ('' for none)",
    )
    ap.add_argument("--encoder", default="minilm", choices=["minilm", "hashing", "auto"])
    ap.add_argument("--reword-threshold", type=float, default=None)
    ap.add_argument("--sizes", default="10000,30000,100000", help="scale: article counts")
    ap.add_argument("--take", type=int, default=None, help="scale-one: earliest articles to group")
    ap.add_argument("--window-days", type=int, default=14)
    ap.add_argument(
        "--group-workers",
        type=int,
        default=1,
        help="scale: grouping worker processes (NarrativeConfig.workers; 1: CPU time is cleanest)",
    )
    ap.add_argument(
        "--units",
        default="claims",
        choices=["claims", "sentences"],
        help="scale: the generator's claims, or every sentence of each article",
    )
    args = ap.parse_args()
    defaults = {
        "ingest": 20_000,
        "run": 120,
        "quality": 2000,
        "scale": 100_000,
        "scale-one": 100_000,
    }
    parts = [p for p in PARTS if p != "scale-one"] if args.part == "all" else [args.part]
    for part in parts:
        args.n = args.n or defaults[part]
        with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
            print(json.dumps(PARTS[part](args, Path(tmp)), default=str), flush=True)
        args.n = None if args.part == "all" else args.n


if __name__ == "__main__":
    main()
