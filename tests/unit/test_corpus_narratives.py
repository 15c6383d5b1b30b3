"""Narratives on a generated corpus with planted copies and rewordings; trace; export; the CLI."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.corpus.ingest import ingest
from newsift.corpus.narratives import NarrativeConfig, UnionFind, build_narratives
from newsift.corpus.runner import run
from newsift.corpus.similarity import HashingEncoder, anchors, anchors_agree
from newsift.corpus.store import open_store
from newsift.corpus.trace import trace_article, trace_text

REPO = Path(__file__).resolve().parents[2]


def _gen():
    spec = importlib.util.spec_from_file_location("gen_corpus", REPO / "bench" / "gen_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_corpus", REPO / "bench" / "bench_corpus.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _build(tmp, n: int):
    gen = _gen()
    records, truth = gen.generate(n, seed=3)
    src = tmp / "c.jsonl"
    gen.write(records, truth, src, corrupt=12, seed=3)
    db = tmp / "c.duckdb"
    with open_store(db) as store:
        ingest(store, [src])
        run(store, stages=[], batch=64)
        summary = build_narratives(store, NarrativeConfig(encoder="hashing"))
    return {"db": db, "truth": truth, "summary": summary, "src": src}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """800 articles: enough planted groups for the quality targets (slow tests)."""
    return _build(tmp_path_factory.mktemp("narr"), 800)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """200 articles with the same kinds of planted groups: what the structural checks need."""
    return _build(tmp_path_factory.mktemp("narr-small"), 200)


@pytest.mark.slow
def test_planted_groups_are_found(built):
    with open_store(built["db"], read_only=True) as store:
        scores = _bench().score(store, built["truth"])
    assert scores["precision"] >= 0.9
    assert scores["recall_copy"] >= 0.9
    assert scores["recall_reword"] >= 0.75
    assert built["summary"].narratives > 0


def test_origin_is_the_earliest_member(small):
    with open_store(small["db"], read_only=True) as store:
        rows = store.query("""SELECT n.id, n.first_date, min(m.date), n.origin_article_id,
                                     arg_min(m.article_id, m.date) FROM narratives n
                              JOIN narrative_members m ON m.narrative_id = n.id GROUP BY 1, 2, 4""")
        kinds = {r[0] for r in store.query("SELECT match FROM narrative_members")}
    assert rows and all(r[1] == r[2] and r[3] == r[4] for r in rows)
    assert kinds <= {"origin", "copy", "reword"} and "origin" in kinds


def test_trace_finds_a_planted_claim_earliest_first(small):
    group = max(small["truth"]["groups"], key=lambda g: len(g["members"]))
    with open_store(small["db"], read_only=True) as store:
        fake = {"minilm": HashingEncoder(dim=384), "e5": HashingEncoder(dim=384)}
        matches = trace_text(store, group["text"], encoders=fake)
        origin_id = store.query("SELECT id FROM articles WHERE ext_id = ?", [group["origin"]])[0][0]
        by_article = trace_article(store, origin_id)
    copies = [m for m in matches if m["match"] == "copy"]  # fake encoders: copies are the test
    assert copies and copies[0]["article_id"] == origin_id
    dates = [m["date"] for m in matches]
    assert dates == sorted(dates)
    assert all(m["url"] and m["match"] in ("copy", "reword", "translation") for m in matches)
    assert by_article and by_article[0]["members"][0]["article_id"] == origin_id


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export(small, tmp_path, fmt):
    import pyarrow.csv
    import pyarrow.parquet

    out = tmp_path / f"n.{fmt}"
    with open_store(small["db"], read_only=True) as store:
        n = store.export("narrative_members", str(out), fmt)
    if fmt == "parquet":
        rows = pyarrow.parquet.read_table(out).num_rows
    elif fmt == "csv":
        rows = pyarrow.csv.read_csv(out).num_rows
    else:
        rows = len([json.loads(x) for x in out.read_text().splitlines()])
    assert rows == n > 0


@pytest.mark.slow
def test_cli_commands(built, tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "cli.duckdb")
    res = runner.invoke(cli, ["ingest", str(built["src"]), "--db", db, "-q", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["added"] > 700
    res = runner.invoke(
        cli,
        ["run", "--db", db, "--stages", "none", "-q", "--json", "--batch", "64", "--no-vectors"],
    )
    assert res.exit_code == 0 and json.loads(res.output)["analysed"] > 700
    res = runner.invoke(cli, ["status", "--db", db, "--json"])
    status = json.loads(res.output)
    assert status["pending"] == 0 and status["problems"]["ingest/malformed_json"] == 2
    res = runner.invoke(
        cli, ["narratives", "--db", db, "--encoder", "hashing", "-q", "--show", "2"]
    )
    assert res.exit_code == 0 and "origin candidate" in res.output and "timeline" in res.output
    res = runner.invoke(cli, ["trace", "--db", db, "--article", "1"])
    assert res.exit_code == 0
    res = runner.invoke(cli, ["trace", "--db", db, "--article", "999999"])
    assert res.exit_code == 2 and "no article 999999" in res.output
    res = runner.invoke(cli, ["export", "--db", db, "--table", "nope", "-o", str(tmp_path / "x")])
    assert res.exit_code == 2 and "unknown table" in res.output
    res = runner.invoke(cli, ["status", "--db", str(tmp_path / "missing.duckdb")])
    assert res.exit_code == 2 and "no such corpus database" in res.output


@pytest.mark.slow
def test_minilm_narratives_from_stored_vectors_meet_the_targets(tmp_path):
    """The default path: `run` stores MiniLM vectors, narratives use them and reach the issue's
    targets on planted groups (copies recall >= 0.95, rewordings >= 0.80, precision >= 0.90)."""
    pytest.importorskip("onnxruntime")
    gen = _gen()
    records, truth = gen.generate(250, seed=5)
    src = tmp_path / "v.jsonl"
    gen.write(records, truth, src, corrupt=0)
    with open_store(tmp_path / "v.duckdb") as store:
        ingest(store, [src])
        run(store, stages=[], batch=64, vectors="minilm")
        stored = store.query(
            "SELECT count(*), min(octet_length(vec)), max(octet_length(vec)) FROM claim_vectors"
        )[0]
        summary = build_narratives(store, NarrativeConfig(encoder="minilm"))
        scores = _bench().score(store, truth)
    assert stored[0] > 1000 and stored[1] == stored[2] == 384
    assert summary.stored_vectors == summary.compared > 0  # nothing encoded again
    assert (
        scores["recall_copy"] >= 0.95
        and scores["recall_reword"] >= 0.8
        and scores["precision"] >= 0.9
    ), scores


def test_anchors_and_agreement():
    a = anchors("Fenar Agency will close 744 offices in Coryar Falls by 2023.")
    assert a == {"fenar agency", "744", "coryar falls", "2023"}
    b = anchors("By 2023, 744 of the Fenar Agency offices in Coryar Falls are set to shut.")
    assert anchors_agree(a, b)
    other = anchors("Fenar Agency will close 12 offices in Coryar Falls by 2023.")
    assert not anchors_agree(a, other)  # a different figure is a different claim
    assert not anchors_agree(
        anchors("The museum in Sallan opens in 2026."),
        anchors("The museum in Korfen opens in 2026."),
    )


def test_hashing_encoder_is_stable_and_normalised():
    enc = HashingEncoder()
    v = enc.encode(["Crime in Pelis rose by 5 percent.", "Crime in Pelis rose by 5 percent."])
    assert abs(float(v[0] @ v[1]) - 1.0) < 1e-5
    assert abs(float((v[0] ** 2).sum()) - 1.0) < 1e-5


def test_union_find():
    uf = UnionFind()
    uf.union(5, 3)
    uf.union(3, 9)
    uf.union(10, 11)
    assert uf.find(9) == uf.find(5) == 3 and uf.find(11) == 10 and uf.find(42) == 42


def test_lsh_candidates_pair_copies_and_cap_big_buckets():
    from newsift.corpus.similarity import lsh_candidates, signatures

    base = "Fenar Agency will close 744 offices in Coryar Falls by the end of 2023, the board said."
    texts = [
        base,
        "Something else entirely about 12 trains in Pelis.",
        base.replace("board", "council"),
        base,
    ]
    pairs = {tuple(p) for p in lsh_candidates(signatures(texts), 0.5).tolist()}
    assert {(2, 0), (3, 0), (3, 2)} <= pairs and not any(1 in p for p in pairs)
    assert {tuple(p) for p in lsh_candidates(signatures(texts), 0.5, offset=3).tolist()} == {
        (3, 0),
        (3, 2),
    }
    same = signatures([base] * 100)  # one bucket of 100: each unit meets at most 15 before it
    capped = lsh_candidates(same, 0.5, max_bucket=16)
    assert (
        len(capped) == sum(min(i, 15) for i in range(100)) and (capped[:, 0] > capped[:, 1]).all()
    )
    assert lsh_candidates(signatures(texts[:1]), 0.5).shape == (0, 2)
