"""Corpus routes and pages over a fake corpus; 503 without one; error mapping; timeline; CLI."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsift.cli import cli
from newsift.errors import ExtractionError, FetchError, InputError, NewsiftError, StageError
from newsift.web.app import create_app
from newsift.web.errors import STATUS_BY_CODE, WebError, status_for
from newsift.web.timeline import timeline_chart
from tests.unit.web_fakes import FakeCorpus

CORPUS_ROUTES = [
    "/api/articles",
    "/api/articles/a1",
    "/api/outlets/example.com",
    "/api/narratives",
    "/api/narratives/n1",
    "/api/trace?text=250+people",
]
CORPUS_PAGES = ["/corpus", "/articles/a1", "/outlets/example.com", "/narratives", "/narratives/n1"]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(corpus=FakeCorpus(), allowed_hosts=["testserver"]))


@pytest.mark.parametrize("path", CORPUS_ROUTES)
def test_corpus_routes_without_a_database_answer_503(path):
    r = TestClient(create_app(allowed_hosts=["testserver"])).get(path)
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "corpus_unavailable"
    assert "--db" in r.json()["error"]["message"]


@pytest.mark.parametrize("path", CORPUS_PAGES)
def test_corpus_pages_without_a_database_explain(path):
    r = TestClient(create_app(allowed_hosts=["testserver"])).get(path)
    assert r.status_code == 503 and 'data-code="corpus_unavailable"' in r.text


@pytest.mark.parametrize("path", CORPUS_ROUTES)
def test_corpus_routes_answer_json(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert isinstance(r.json(), dict) and r.json()


def test_article_list_filters(client):
    d = client.get("/api/articles", params={"outlet": "example.com", "limit": 10}).json()
    assert d["total"] == 1 and d["items"][0]["id"] == "a1"
    assert d["filters"]["outlet"] == "example.com"
    r = client.get("/api/articles", params={"min_rating": 2})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_stored_article_is_the_versioned_json(client):
    d = client.get("/api/articles/a1").json()
    assert d["schema_version"] and d["attributions"] and d["claims"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/articles/zzz",
        "/api/narratives/zzz",
        "/api/outlets/nowhere.example",
        "/api/trace?article=zzz",
    ],
)
def test_unknown_ids_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_trace_needs_a_query(client):
    r = client.get("/api/trace")
    assert r.status_code == 400 and r.json()["error"]["code"] == "empty"


@pytest.mark.parametrize("path", CORPUS_PAGES)
def test_corpus_pages_render_and_escape(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert "<script>alert" not in r.text and "<img src=x" not in r.text


def test_hostile_stored_article_page_is_escaped(client):
    r = client.get("/articles/evil")
    assert r.status_code == 200
    assert "&lt;script&gt;alert(" in r.text
    hrefs = re.findall(r'href="([^"]*)"', r.text)
    assert hrefs and not [h for h in hrefs if not h.startswith(("/", "#", "https://"))]


def test_narrative_page_draws_the_timeline(client):
    r = client.get("/narratives/n1")
    assert '<svg id="timeline"' in r.text and r.text.count('class="bar"') == 3  # with the empty day
    assert "origin" in r.text


def test_unknown_pages_show_messages(client):
    r = client.get("/articles/zzz")
    assert r.status_code == 404 and 'data-code="not_found"' in r.text
    r = client.get("/corpus", params={"min_rating": "high"})
    assert r.status_code == 400 and "min_rating" in r.text


def test_nav_offers_corpus_pages_only_with_a_corpus(client):
    assert 'href="/corpus"' in client.get("/").text
    assert (
        'href="/corpus"' not in TestClient(create_app(allowed_hosts=["testserver"])).get("/").text
    )


@pytest.mark.parametrize(
    ("err", "status"),
    [
        (InputError("x"), 400),
        (InputError("x", code="too_large"), 413),
        (InputError("x", code="binary"), 415),
        (ExtractionError("x"), 422),
        (ExtractionError("x", code="empty"), 400),
        (FetchError("x"), 502),
        (FetchError("x", code="private_address"), 403),
        (FetchError("x", code="timeout"), 504),
        (WebError("x", code="not_found"), 404),
        (WebError("x", code="corpus_unavailable"), 503),
        (StageError("x"), 500),
        (NewsiftError("x", code="something_new"), 500),
    ],
)
def test_status_mapping(err, status):
    assert status_for(err) == status


def test_every_mapped_status_is_an_http_error():
    assert all(400 <= s < 600 for s in STATUS_BY_CODE.values())


def test_timeline_chart_geometry():
    chart = timeline_chart(
        [
            {"date": "2018-06-12", "count": 4},
            {"date": "2018-06-10", "count": 2},
            {"date": None, "count": 9},
            "junk",
        ]
    )
    assert [b["date"] for b in chart["bars"]] == ["2018-06-10", "2018-06-11", "2018-06-12"]
    assert [b["count"] for b in chart["bars"]] == [2, 0, 4]
    assert chart["bars"][2]["h"] == pytest.approx(2 * chart["bars"][0]["h"])
    assert all(0 <= b["y"] <= chart["height"] for b in chart["bars"])
    assert timeline_chart([]) is None


def test_serve_command_is_offered_and_checks_db(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0 and "--allow-private-urls" in r.output and "127.0.0.1" in r.output
    r = runner.invoke(cli, ["serve", "--db", str(tmp_path / "missing.duckdb")])
    assert r.exit_code == 2 and "no such corpus database" in r.output
