"""The web's DuckDB corpus view, on a small database written through the corpus store's API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from tests.unit.report_samples import XSS, full_article, hostile_article

pytest.importorskip("duckdb")
store_mod = pytest.importorskip("newsift.corpus.store")

from newsift.web.app import create_app  # noqa: E402
from newsift.web.corpus import ArticleFilters  # noqa: E402
from newsift.web.corpus_store import StoreCorpus  # noqa: E402

DAY = dt.datetime(2018, 6, 10)


def _article_row(aid: int, domain: str, day: dt.datetime, title: str) -> dict:
    return {
        "id": aid,
        "url": f"https://{domain}/{aid}",
        "title": title,
        "date": day,
        "domain": domain,
        "format": "text",
        "raw": "x",
        "ingested_at": DAY,
    }


def _analysis(aid: int, article, domain: str, day: dt.datetime, rating: float | None) -> dict:
    spans = [
        {
            "article_id": aid,
            "layer": "persuasion",
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "score": s.score,
            "stage": s.stage,
        }
        for s in article.spans.get("persuasion", [])
    ]
    analysis = {
        "article_id": aid,
        "status": "ok",
        "pipeline": "test",
        "analyzed_at": DAY,
        "text": article.text,
        "date": day,
        "domain": domain,
        "outlet_rating": rating,
        "n_problems": 0,
        "json": json.dumps(article.to_dict()),
    }
    return {"analysis": analysis, "spans": spans}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("corpus") / "c.duckdb")
    store = store_mod.open_store(path)
    days = [DAY, DAY + dt.timedelta(days=2), DAY + dt.timedelta(days=3)]
    rows = [
        _article_row(1, "example.com", days[0], "Village shelled"),
        _article_row(2, "evil.example", days[1], XSS),
        _article_row(3, "example.com", days[2], "Unanalysed"),
    ]
    store.add_batch(rows, [])
    store.save_results(
        [
            _analysis(1, full_article(), "example.com", days[0], 0.42),
            _analysis(2, hostile_article(), "evil.example", days[1], None),
        ]
    )
    store.save_narratives(
        [
            {
                "id": 7,
                "kind": "copy",
                "n_articles": 2,
                "n_outlets": 2,
                "first_date": days[0],
                "last_date": days[1],
                "origin_article_id": 1,
                "origin_url": "https://example.com/1",
                "origin_domain": "example.com",
                "text": "250 people were killed",
            }
        ],
        [
            {
                "narrative_id": 7,
                "article_id": 1,
                "claim_idx": 0,
                "match": "origin",
                "similarity": 1.0,
                "date": days[0],
                "domain": "example.com",
                "outlet_rating": 0.42,
                "text": "250 killed",
            },
            {
                "narrative_id": 7,
                "article_id": 2,
                "claim_idx": 0,
                "match": "copy",
                "similarity": 0.97,
                "date": days[1],
                "domain": "evil.example",
                "outlet_rating": None,
                "text": XSS,
            },
        ],
    )
    store.set_meta("narratives_encoder", "hashing")
    store.close()
    return path


def test_article_list_and_filters(db):
    c = StoreCorpus(db)
    assert c.articles(ArticleFilters())["total"] == 3
    first = c.articles(ArticleFilters(outlet="example.com"))
    assert [i["id"] for i in first["items"]] == ["3", "1"]  # newest first
    assert first["items"][1]["techniques"] and first["items"][1]["narratives"] == ["7"]
    assert c.articles(ArticleFilters(min_rating=0.4))["total"] == 1
    assert c.articles(ArticleFilters(technique="Loaded_Language"))["total"] == 2
    assert c.articles(ArticleFilters(narrative="7"))["total"] == 2
    assert c.articles(ArticleFilters(date_from="2018-06-12", date_to="2018-06-12"))["total"] == 1


def test_stored_article_round_trips(db):
    c = StoreCorpus(db)
    assert c.article("1").text == full_article().text
    assert c.article("3") is None and c.article("zzz") is None


def test_outlet_and_narrative(db):
    c = StoreCorpus(db)
    outlet = c.outlet("example.com")
    assert outlet["rating"] == 0.42 and len(outlet["articles"]) == 2
    assert outlet["narratives"][0]["id"] == "7"
    assert c.outlet("nowhere.example") is None
    n = c.narrative("7")
    assert [m["article_id"] for m in n["members"]] == ["1", "2"] and n["n_members"] == 2
    assert n["timeline"] == [{"date": "2018-06-10", "count": 1}, {"date": "2018-06-12", "count": 1}]
    assert n["origin"]["title"] == "Village shelled"
    assert c.narrative("8") is None
    assert c.narratives()["total"] == 1


def test_served_from_a_database(db):
    client = TestClient(create_app(db=db, allowed_hosts=["testserver"]))
    assert client.get("/api/articles").json()["total"] == 3
    assert client.get("/api/articles/1").json()["title"] == full_article().title
    page = client.get("/narratives/7")
    assert page.status_code == 200 and "<script>alert" not in page.text
    assert client.get("/articles/2").status_code == 200
    r = client.get("/api/articles", params={"date_from": "June"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_trace_by_article_and_by_text(db):
    c = StoreCorpus(db)
    found = c.trace(article_id="1")
    assert [n["id"] for n in found["narratives"]] == ["7"]
    assert [m["article_id"] for m in found["matches"]] == ["1", "2"]
    assert found["matches"][0]["date"] == "2018-06-10"
    assert found["matches"][1]["narrative_id"] == "7"
    assert c.trace(article_id="3")["narratives"] == []  # analysed in no narrative
    assert c.trace(text="250 people were killed")["matches"] == []  # no claim rows stored


def test_trace_route_on_a_database(db):
    client = TestClient(create_app(db=db, allowed_hosts=["testserver"]))
    r = client.get("/api/trace", params={"article": "1"})
    assert r.status_code == 200 and r.json()["narratives"][0]["claim"] == "250 people were killed"
    r = client.get("/api/trace", params={"article": "999"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_long_narrative_lists_the_first_members(db, monkeypatch):
    import newsift.web.corpus_store as corpus_store

    monkeypatch.setattr(corpus_store, "MAX_MEMBERS", 1)
    n = StoreCorpus(db).narrative("7")
    assert len(n["members"]) == 1 and n["n_members"] == 2
    assert sum(d["count"] for d in n["timeline"]) == 2  # the chart still counts every one
    page = (
        TestClient(create_app(corpus=StoreCorpus(db), allowed_hosts=["testserver"]))
        .get("/narratives/7")
        .text
    )
    assert "The first 1 of 2, earliest first." in page
