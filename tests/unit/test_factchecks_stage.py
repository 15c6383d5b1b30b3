"""factchecks.v1 on hand-built articles, with a small collection imported into a temp dir."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.article import Article
from newsift.cli import cli
from newsift.factchecks.store import import_collection
from newsift.pipeline import Pipeline, get_stage
from newsift.stages.factchecks import claim_matches

CLAIM = "The United States has delivered 4,800 trucks of weapons to the SDF."
RECORDS = [
    {
        "id": "pf-1",
        "claim": "The US delivered 4,800 trucks with weapons to the SDF in Syria.",
        "rating": "Mostly false",
        "url": "https://fc.example/pf-1",
        "date": "2018-06-20",
    },
    {"id": "pf-2", "claim": "A new bridge opened in Lisbon this spring.", "rating": "True"},
]
# Unrelated filler checks, so that BM25's IDF looks like that of a real collection.
_WHO = ("The mayor", "A senator", "The ministry", "A viral post", "The governor", "A blogger")
_WHAT = (
    "raised taxes on",
    "banned",
    "doubled spending on",
    "cut funding for",
    "closed",
    "privatised",
)
_ON = ("schools", "hospitals", "bus lines", "libraries", "farms", "ports", "museums", "prisons")
RECORDS += [
    {
        "id": f"fill-{i}",
        "claim": f"{w} {v} {o} in {1990 + i} across {i % 7 + 2} regions.",
        "rating": "False",
    }
    for i, (w, v, o) in enumerate((w, v, o) for w in _WHO for v in _WHAT for o in _ON)
]


def _article(cls: str = "check-worthy factual") -> Article:
    art = Article(text=CLAIM)
    art.layers["claims"] = [
        {
            "start": 0,
            "end": len(CLAIM),
            "text": CLAIM,
            "score": 0.9,
            "class": cls,
            "figures": [],
            "attribution": None,
            "matches": [],
        }
    ]
    return art


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The collections folder, with collection ``pf`` imported (once for the module)."""
    tmp = tmp_path_factory.mktemp("factchecks")
    path = tmp / "pf.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    import_collection(path, name="pf", root=tmp / "store", attribution="Example Checks")
    return str(tmp / "store")


MATCH_KEYS = {
    "claim_index",
    "cross_language",
    "languages",
    "start",
    "end",
    "id",
    "claim",
    "url",
    "rating",
    "date",
    "score",
    "collection",
    "summary",
    "disproof",
    "truncated",
    "relation",
    "voice",
    "headline",
}


@pytest.mark.slow
def test_matches_check_worthy_claims(store):
    before = _article()
    claims_before = [dict(c) for c in before.layers["claims"]]
    art = get_stage("factchecks.v1")(builtin=False, data_dir=store)(before)
    assert art.layers["claims"] == claims_before, "factchecks.v1 must not rewrite claims"
    matches = art.layers["matches"]
    assert matches, "the same claim in the collection was not found"
    top = matches[0]
    assert top["id"] == "pf-1" and top["collection"] == "pf" and top["rating"] == "Mostly false"
    assert set(top) == MATCH_KEYS
    assert (top["claim_index"], top["start"], top["end"]) == (0, 0, len(CLAIM))
    assert top["relation"] == "date_unknown" and top["voice"] == "asserted" and top["headline"]
    assert art.layers["factcheck_collections"]["pf"]["attribution"] == "Example Checks"
    assert all(m["id"] != "pf-2" for m in matches)
    assert claim_matches(art)[0] == matches


@pytest.mark.slow
def test_case_dated_after_the_article_is_catalogued_later(store):
    art = _article()
    art.date = "2018-06-01"  # the fact-check is dated 2018-06-20
    art = get_stage("factchecks.v1")(builtin=False, data_dir=store)(art)
    top = art.layers["matches"][0]
    assert top["relation"] == "catalogued_later" and top["headline"] is False
    art = _article()
    art.date = "2018-07-01T09:00:00Z"
    art = get_stage("factchecks.v1")(builtin=False, data_dir=store)(art)
    assert art.layers["matches"][0]["relation"] == "catalogued_before"


@pytest.mark.slow
def test_attributed_claim_is_reported_not_asserted(store):
    art = _article()
    art.layers["claims"][0]["attribution"] = 0
    art = get_stage("factchecks.v1")(builtin=False, data_dir=store)(art)
    assert art.layers["matches"][0]["voice"] == "reported"


def test_old_articles_keep_their_claim_matches():
    art = _article()
    art.layers["claims"][0]["matches"] = [{"id": "x", "claim": "c", "score": 0.9}]
    assert claim_matches(art) == [[{"id": "x", "claim": "c", "score": 0.9}]]


@pytest.mark.slow
def test_other_classes_are_not_matched(store):
    stage = get_stage("factchecks.v1")(builtin=False, data_dir=store)
    art = stage(_article("unimportant factual"))
    assert art.layers["matches"] == []


@pytest.mark.slow
def test_min_score_one_keeps_nothing(store):
    art = get_stage("factchecks.v1")(builtin=False, data_dir=store, min_score=1.01)(_article())
    assert art.layers["matches"] == []


def test_no_collection_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSIFT_DATA_DIR", str(tmp_path))
    art = get_stage("factchecks.v1")(builtin=False)(_article())
    assert [p.code for p in art.problems] == ["no_factchecks"]
    assert "import" in art.problems[0].message


@pytest.mark.slow
def test_cli_import_list_search(tmp_path):
    path = tmp_path / "pf.jsonl"
    path.write_text(
        "\n".join(json.dumps(r) for r in RECORDS) + "\nnot json\n" + json.dumps(RECORDS[0]) + "\n",
        encoding="utf-8",
    )
    data = ["--data-dir", str(tmp_path / "store")]
    runner = CliRunner()
    res = runner.invoke(cli, ["factchecks", "import", str(path), "--name", "pf", *data])
    assert res.exit_code == 0, res.output
    assert f"{len(RECORDS)} added" in res.output
    assert f"line {len(RECORDS) + 1}" in res.output and "duplicates: 1" in res.output
    res = runner.invoke(cli, ["factchecks", "list", *data])
    assert f"pf: {len(RECORDS)} records" in res.output
    res = runner.invoke(cli, ["factchecks", "search", CLAIM, "--no-builtin", "--json", *data])
    assert json.loads(res.output)[0]["id"] == "pf-1"


def test_cli_import_empty_file_exits_2(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    res = CliRunner().invoke(cli, ["factchecks", "import", str(path), "--data-dir", str(tmp_path)])
    assert res.exit_code == 2
    assert "no fact-check records" in res.output


@pytest.mark.slow
def test_pipeline_with_builtin_collection_is_conformant(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSIFT_DATA_DIR", str(tmp_path))  # no imported collection
    texts = [
        "The US has sent 250 trucks of weapons to ISIS fighters in Syria, the ministry said. "
        "Thank you all for coming.",
        "Short.",
        "",
    ]
    pipeline = Pipeline(["nlp.v1", "claims.v1", "factchecks.v1"])
    batch = list(pipeline.pipe([Article(text=t) for t in texts]))
    one_by_one = [pipeline(Article(text=t)) for t in texts]
    assert [a.to_dict() for a in batch] == [a.to_dict() for a in one_by_one]
    for art in batch:
        assert "factcheck_collections" in art.layers
        for claim in art.layers["claims"]:
            assert 0 <= claim["start"] <= claim["end"] <= len(art.text)
        for m in art.layers["matches"]:
            assert set(m) == MATCH_KEYS
            assert m["collection"] == "euvsdisinfo" and 0.0 <= m["score"] <= 1.0
        assert not [p for p in art.problems if p.stage == "factchecks.v1"]
