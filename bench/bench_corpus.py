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

import importlib.util
import os
import resource
import sys
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
    return {"loadavg": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count(),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


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
            planted[m["kind"]] += 1
            aid = ext.get(m["article"])
            if origin is None or aid is None:
                continue
            if any(origin in narr[nid] for nid in of_article.get(aid, ())):
                found[m["kind"]] += 1
    return {
        "precision": round(correct / total, 4) if total else 0.0,
        "recall_copy": round(found["copy"] / planted["copy"], 4) if planted["copy"] else 0.0,
        "recall_reword": round(found["reword"] / planted["reword"], 4) if planted["reword"] else 0.0,
        "narratives": len(narr), "member_articles": total,
        "planted": dict(planted), "found": dict(found),
    }

