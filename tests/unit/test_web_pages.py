"""Corpus pages over the fake corpus: filters by technique and narrative, outlet, trace."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsift.persuasion import LABELS
from newsift.web.app import create_app
from newsift.web.rendering import when
from tests.unit.web_fakes import FakeCorpus


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(corpus=FakeCorpus(), allowed_hosts=["testserver"]))


def test_corpus_filters_offer_every_technique_and_the_narratives(client):
    page = client.get("/corpus", params={"technique": "Doubt", "narrative": "n1"}).text
    select = page[page.index('id="technique"') : page.index('id="narrative"')]
    assert all(f'value="{label}"' in select for label in LABELS)
    assert '<option value="Doubt" selected>' in select
    assert re.search(r'<option value="n1" selected>n1: 250 people killed &lt;script&gt;', page)
    assert 'href="/narratives/n1">narrative n1</a>' in page


def test_unknown_narrative_filter_is_kept_selected(client):
    page = client.get("/corpus", params={"narrative": "n9"}).text
    assert '<option value="n9" selected>n9</option>' in page


def test_next_page_link_carries_filters_once():
    corpus = FakeCorpus()
    corpus.rows = corpus.rows * 40  # 80 rows: two pages
    page = (
        TestClient(create_app(corpus=corpus, allowed_hosts=["testserver"]))
        .get("/corpus", params={"outlet": ""})
        .text
    )
    link = re.search(r'href="/corpus\?([^"]+)">next page', page).group(1)
    assert link.count("offset=") == 1 and "offset=50" in link


def test_outlet_page_shows_techniques_and_the_euvsdisinfo_note(client):
    page = client.get("/outlets/example.com").text
    assert 'id="outlet-techniques"' in page and "technique=Loaded_Language" in page
    assert "Uses words with strong emotional connotations" in page  # hover explanation
    note = page[page.index('id="outlet-euvsdisinfo"') :][:600]
    assert "2 EUvsDisinfo cases" in note and "EEAS East StratCom Task Force" in note
    assert "A case does not necessarily mean" in note
    assert "<script>alert" not in page


def test_trace_page_form_text_and_article(client):
    empty = client.get("/trace")
    assert empty.status_code == 200 and 'id="trace-form"' in empty.text
    assert 'id="matches"' not in empty.text
    found = client.get("/trace", params={"text": "250 people"}).text
    assert 'id="matches"' in found and 'href="/articles/a1"' in found
    assert 'value="250 people"' in found
    none = client.get("/trace", params={"text": "nothing like it"}).text
    assert 'id="no-matches"' in none
    by_article = client.get("/trace", params={"article": "a1"}).text
    assert 'href="/narratives/n1">n1</a>' in by_article and "<script>alert" not in by_article


def test_trace_page_unknown_article_is_404(client):
    r = client.get("/trace", params={"article": "zzz"})
    assert r.status_code == 404 and 'data-code="not_found"' in r.text


def test_trace_page_without_a_corpus_explains():
    r = TestClient(create_app(allowed_hosts=["testserver"])).get("/trace")
    assert r.status_code == 503 and "newsift serve --db" in r.text


def test_stored_article_links_to_its_trace(client):
    assert 'href="/trace?article=a1"' in client.get("/articles/a1").text


def test_narrative_page_links_to_its_articles_and_trace(client):
    page = client.get("/narratives/n1").text
    assert 'href="/corpus?narrative=n1"' in page and 'href="/trace?text=250' in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-07-17T09:10:00", "2024-07-17 09:10"),
        ("2024-07-17T00:00:00", "2024-07-17"),
        ("2024-07-17", "2024-07-17"),
        (None, ""),
    ],
)
def test_when_filter(value, expected):
    assert when(value) == expected
