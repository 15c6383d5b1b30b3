"""Quality gates for issue 4 on the shared dev splits (floors slightly under what was measured;
see docs/RESULTS.md). Skipped when ../shared is absent.

The full hybrid evaluation embeds 14-19k fact-checks (minutes on 2 cores), too slow for the suite:
here the re-scorer is gated on a sub-collection (the BM25 top 8 of the first dev queries, no
relevant record added by hand), and BM25 on the full collections.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsift.eval.checkworthy import evaluate as eval_checkworthy
from newsift.eval.claim_matching import evaluate as eval_matching
from newsift.eval.claim_matching import read_qrels, read_queries
from tests.conftest import shared_path

pytestmark = pytest.mark.integration

TASK2 = {
    "2a": ("checkthat2021-task2a-tweets-snopes", "tweets-train-dev.tsv"),
    "2b": ("checkthat2021-task2b-debates-politifact", "iclaims-train-dev.tsv"),
}


def _task2(name: str) -> tuple[Path, Path, Path]:
    folder, queries = TASK2[name]
    d = shared_path("data", folder)
    return d / queries, d / "qrels-dev.tsv", d / "vclaims.jsonl"


@pytest.mark.slow
def test_checkworthy_f1_on_checkthat2024_dev_test():
    path = shared_path("data", "checkthat2024-task1-en", "CT24_checkworthy_english_dev-test.tsv")
    result = eval_checkworthy(path, mode="cascade")
    assert result["sentences"] == 318
    assert result["check_worthy"]["f1"] >= CHECKWORTHY_F1_FLOOR


@pytest.mark.parametrize(("name", "floor"), [("2a", 0.85), ("2b", 0.33)])
def test_claim_matching_bm25_full_collection(name, floor):
    queries, qrels, collection = _task2(name)
    result = eval_matching(queries, qrels, collection, method="bm25")
    assert result["collection_size"] > 13_000
    assert result["map@5"] >= floor
    assert result["recall@20"] >= result["map@5"]


def _sub_collection(name: str, tmp: Path, n_queries: int, depth: int) -> tuple[Path, Path, Path]:
    """The first ``n_queries`` dev queries and the union of their BM25 top ``depth``."""
    from newsift.factchecks.records import read_file
    from newsift.factchecks.store import build_bm25, tokenize

    queries, qrels, collection = _task2(name)
    texts, rel = read_queries(queries), read_qrels(qrels)
    qids = sorted(rel)[:n_queries]
    records = read_file(collection).records
    index = build_bm25(records)
    keep: set[int] = set()
    for q in qids:
        scores = index.get_scores(tokenize(texts[q]))
        keep.update(int(i) for i in scores.argsort()[::-1][:depth])
    sub = tmp / f"{name}-sub.jsonl"
    sub.write_text("".join(json.dumps(records[i]) + "\n" for i in sorted(keep)), encoding="utf-8")
    sub_qrels = tmp / f"{name}-qrels.tsv"
    sub_qrels.write_text(
        "".join(f"{q} 0 {d} 1\n" for q in qids for d in sorted(rel[q])), encoding="utf-8"
    )
    return queries, sub_qrels, sub


@pytest.mark.slow
@pytest.mark.parametrize(("name", "floor"), [("2a", 0.88), ("2b", 0.37)])
def test_hybrid_rescoring_beats_bm25_on_its_candidates(name, floor, tmp_path):
    queries, qrels, sub = _sub_collection(name, tmp_path, n_queries=50, depth=8)
    hybrid = eval_matching(queries, qrels, sub)
    bm25 = eval_matching(queries, qrels, sub, method="bm25")
    assert hybrid["map@5"] >= floor
    assert hybrid["map@5"] > bm25["map@5"]


@pytest.mark.slow
def test_seed_article_finds_the_narrative_but_shows_no_claim_match(
    seed_path, tmp_path, monkeypatch
):
    """The seed's claim (all remaining ISIS fighters are in US-held areas, June 2018) is not an
    EUvsDisinfo case (../shared/data/euvsdisinfo/README.md); only the narrative "the US
    supports ISIS" is. Retrieval finds those cases, and the claim-level matcher shows none.
    Retrieval is asked with the e5 gate open (the gate skips e5 for sentences whose MiniLM
    cosine to every case is under it, so some of these get no candidates at all)."""
    import dataclasses

    from newsift.api import analyze
    from newsift.factchecks import euvsdisinfo
    from newsift.factchecks.search import Reranker, Searcher

    monkeypatch.setenv("NEWSIFT_DATA_DIR", str(tmp_path))  # only the built-in collection
    article = analyze(
        str(seed_path), stages=("nlp.v1", "attribution.v1", "claims.v1", "factchecks.v1")
    )
    assert "matches" in article.layers and "factcheck_collections" in article.layers
    isis = [c["text"] for c in article.layers["claims"] if "ISIS" in c["text"]]
    assert len(isis) >= 3
    ungated = dataclasses.replace(Reranker.load(), catalogue_e5_gate=0.0)
    searcher = Searcher([euvsdisinfo.load(tmp_path)], reranker=ungated)
    tops = [found[0] for found in searcher.search(isis, k=1)]
    us_isis = {
        m["id"]
        for m in tops
        if "ISIS" in m["claim"]
        and re.search(r"\b(US|USA|U\.S|United States|American|Washington)\b", m["claim"])
    }
    assert len(us_isis) >= 2, "the US-ISIS narrative cases are the nearest ones"
    assert all(m["score"] < searcher.reranker.catalogue_threshold for m in tops)
    assert not [m for m in article.layers["matches"] if m["collection"] == "euvsdisinfo"]


CHECKWORTHY_F1_FLOOR = 0.80
