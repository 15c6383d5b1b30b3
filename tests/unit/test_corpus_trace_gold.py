"""Quality gate of ``newsift trace`` on the hand-written gold corpus (issue 21), with the real
MiniLM and e5 encoders: the score part (never used to choose thresholds) must stay above floors
a little under what was measured (docs/corpus.md)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.eval.trace import GOLD, build_store, evaluate, load_gold

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result():
    return evaluate(GOLD)


def test_score_part_floors(result):
    r = result["score"]
    # measured: English R 0.96 P 1.0; cross-language R 0.923 P 0.923; origin first 6/6
    assert r["english"]["recall"] >= 0.90 and r["english"]["precision"] >= 0.92
    assert r["cross_language"]["recall"] >= 0.84 and r["cross_language"]["precision"] >= 0.85
    assert r["origin_first"] >= 5
    assert r["junk_returned"] == 0


def test_tune_part_floors(result):
    r = result["tune"]
    assert r["english"]["recall"] >= 0.90 and r["english"]["precision"] >= 0.90
    assert r["cross_language"]["recall"] >= 0.85
    assert r["origin_first"] >= 5


def test_readme_example_after_narratives(tmp_path):
    """`trace "the US is protecting ISIS fighters"` (README) finds the copies, in English and in
    other languages, after `newsift narratives` has built its own index."""
    _, articles = load_gold(GOLD)
    build_store(articles, tmp_path).close()
    db = str(tmp_path / "gold.duckdb")
    runner = CliRunner()
    assert runner.invoke(cli, ["narratives", "--db", db]).exit_code == 0
    r = runner.invoke(cli, ["trace", "the US is protecting ISIS fighters", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.output.splitlines() if x.startswith("{")]
    urls = [m["url"] for m in rows]
    assert urls[:2] and all("n06-" in u for u in urls[:2])
    assert {m["match"] for m in rows[:2]} == {"copy"}
    assert any(m["match"] == "translation" and m["language"] == "ru" for m in rows)


def test_score_part_inside_filler(tmp_path):
    """Precision at scale: the gold corpus inside 1,000 synthetic filler articles (~8,000 units,
    bench/bench_trace.py's ``add_filler``). Before the corpus-size rule and cosine floors,
    filler came back for every query (English precision 0.36 at 5,000 articles)."""
    import importlib.util
    from pathlib import Path

    from newsift.eval.trace import score, trace_all

    bench = Path(__file__).resolve().parents[2] / "bench" / "bench_trace.py"
    spec = importlib.util.spec_from_file_location("bench_trace", bench)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    narratives, articles = load_gold(GOLD)
    store = build_store(articles, tmp_path)
    try:
        mod.add_filler(store, 1_000)
        found, _ = trace_all(store, narratives)
    finally:
        store.close()
    known = {a["id"] for a in articles}
    filler = {m["gold_id"] for ms in found.values() for m in ms if m["gold_id"] not in known}
    # measured: no filler returned; score part English R 0.96 P 1.0, cross-language R 1.0 P 0.765
    assert not filler
    part = [n for n in narratives if n["split"] == "score"]
    r = score(part, articles, found)
    assert r["english"]["recall"] >= 0.90 and r["english"]["precision"] >= 0.92
    assert r["cross_language"]["recall"] >= 0.90 and r["cross_language"]["precision"] >= 0.70
