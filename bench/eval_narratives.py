"""Score `newsift narratives` on the hand-written gold corpus (tests/fixtures/narratives-gold.jsonl).

The corpus (its format is in docs/corpus.md, "The trace gold corpus") is ingested, analysed
(``--stages``, default ``nlp.v1``: sentences and languages) and grouped; then, for the part asked
(``--split tune`` or ``score``; the junk articles belong to both):

- pairwise precision and recall over pairs of articles: a pair is predicted when the two articles
  share a narrative, gold when they belong to the same gold narrative (negatives and junk belong
  to none);
- recall per rewording kind: a member counts when it shares a narrative with its origin article;
- ``fully_recovered``: gold narratives whose every member shares a narrative with the origin and
  none of whose articles shares one with an article outside it ("groups 4 of 8" in issue 21);
- ``origin_first``: narratives whose earliest dated stored member is in the gold origin article;
- ``junk_in_narratives``: junk articles that ended in a narrative.

    python bench/eval_narratives.py --split tune
    python bench/eval_narratives.py --split score --json
    python bench/eval_narratives.py --split tune --sweep verify_threshold=0.3,0.5,0.7
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "narratives-gold.jsonl"


def load_gold(path: Path = GOLD) -> tuple[list[dict], list[dict]]:
    """(narratives, articles) of the gold file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["type"] == "narrative"], [
        r for r in rows if r["type"] == "article"
    ]


def _slug(outlet: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-") or "outlet"


def write_corpus(articles: list[dict], path: Path) -> None:
    """The gold articles as ingestable JSONL (each outlet its own domain)."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            rec = {
                "id": a["id"],
                "url": f"https://{_slug(a['outlet'])}.example/{a['id']}",
                "outlet": a["outlet"],
                "title": a.get("title"),
                "text": a["text"],
            }
            if a.get("date"):
                rec["date"] = a["date"]
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def build_db(db: Path, articles: list[dict], stages: list[str]) -> None:
    """Ingest and analyse the gold articles into ``db``."""
    from newsift.corpus.ingest import ingest
    from newsift.corpus.runner import run
    from newsift.corpus.store import open_store

    src = db.with_suffix(".jsonl")
    write_corpus(articles, src)
    with open_store(db) as store:
        ingest(store, [src])
        run(store, stages=stages, batch=32, vectors="minilm")


def score(store: Any, narratives: list[dict], articles: list[dict], split: str) -> dict[str, Any]:
    """The figures of the module docstring for the gold part ``split``."""
    ext = dict(store.query("SELECT ext_id, id FROM articles"))
    part = [a for a in articles if a["split"] in (split, "both") and a["id"] in ext]
    aid = {a["id"]: ext[a["id"]] for a in part}
    gold_of = {aid[a["id"]]: a["narrative"] for a in part if a.get("narrative")}
    narr_of: dict[int, set[int]] = defaultdict(set)
    members: dict[int, set[int]] = defaultdict(set)
    for nid, art in store.query("SELECT DISTINCT narrative_id, article_id FROM narrative_members"):
        narr_of[art].add(nid)
        members[nid].add(art)
    ids = sorted(aid.values())
    tp = fp = fn = 0
    for a, b in combinations(ids, 2):
        pred = bool(narr_of[a] & narr_of[b])
        gold = gold_of.get(a) is not None and gold_of.get(a) == gold_of.get(b)
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    full = origin_first = 0
    gold_narr = [n for n in narratives if n["split"] == split]
    for n in gold_narr:
        origin = aid.get(n["origin"])
        mine = [a for a in part if a.get("narrative") == n["id"] and a["kind"] != "origin"]
        ok_all = True
        for a in mine:
            found = origin is not None and bool(narr_of[aid[a["id"]]] & narr_of[origin])
            kinds[a["kind"]][0] += found
            kinds[a["kind"]][1] += 1
            ok_all &= found
        arts = {aid[a["id"]] for a in part if a.get("narrative") == n["id"]}
        linked = {x for a in arts for nid in narr_of[a] for x in members[nid]}
        full += ok_all and linked <= arts
        if origin is not None and narr_of[origin]:
            firsts = store.query(
                "SELECT origin_article_id FROM narratives WHERE id IN (SELECT unnest(?))",
                [sorted(narr_of[origin])],
            )
            origin_first += any(r[0] == origin for r in firsts)
    junk = [aid[a["id"]] for a in part if a["kind"] == "junk"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "split": split,
        "pairwise_precision": round(p, 3),
        "pairwise_recall": round(r, 3),
        "pairwise_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "recall_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(kinds.items())},
        "fully_recovered": f"{full}/{len(gold_narr)}",
        "origin_first": f"{origin_first}/{len(gold_narr)}",
        "junk_in_narratives": sum(1 for j in junk if narr_of[j]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["tune", "score"], default="tune")
    ap.add_argument("--stages", default="nlp.v1", help="comma-separated stages for `run`")
    ap.add_argument("--set", action="append", default=[], help="NarrativeConfig KEY=VALUE")
    ap.add_argument("--sweep", default=None, help="KEY=V1,V2,...: one line per value")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from newsift.corpus.narratives import NarrativeConfig, build_narratives
    from newsift.corpus.store import open_store

    narratives, articles = load_gold()
    base = dict(kv.split("=", 1) for kv in args.set)
    runs = [base]
    if args.sweep:
        key, values = args.sweep.split("=", 1)
        runs = [{**base, key: v} for v in values.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "gold.duckdb"
        t0 = time.process_time()
        build_db(db, articles, [s for s in args.stages.split(",") if s])
        prep = time.process_time() - t0
        for settings in runs:
            typed = {k: _typed(v) for k, v in settings.items()}
            with open_store(db) as store:
                t0 = time.process_time()
                summary = build_narratives(store, NarrativeConfig(**typed))
                out = {
                    "settings": typed,
                    **score(store, narratives, articles, args.split),
                    "cpu_seconds_grouping": round(time.process_time() - t0, 2),
                    "cpu_seconds_ingest_run": round(prep, 1),
                    "narratives": summary.narratives,
                    "e5_encoded": summary.e5_encoded,
                    "not_claims": dict(summary.junk),
                }
            print(json.dumps(out, ensure_ascii=False) if args.json else out, flush=True)
    return 0


def _typed(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


if __name__ == "__main__":
    sys.exit(main())
