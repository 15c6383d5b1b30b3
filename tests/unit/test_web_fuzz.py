"""Property tests for the REST inputs: whatever a client sends, the answer is never a 500."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from newsift.web.app import create_app
from newsift.web.service import Analyzer, Limits
from tests.unit.web_fakes import FakeCorpus

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def client() -> TestClient:
    # a pipeline with no model (outlet only) keeps every example fast; extraction still runs
    analyzer = Analyzer(stages=["outlet.v1"])
    app = create_app(
        corpus=FakeCorpus(),
        analyzer=analyzer,
        allowed_hosts=["testserver"],
        limits=Limits(max_body=20_000),
    )
    return TestClient(app, raise_server_exceptions=False)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.dictionaries(
    st.sampled_from(["text", "html", "url", "title", "stages", "format", "x"]),
    json_values,
    max_size=4,
)


@given(bodies)
def test_analyze_never_answers_500(client, body):
    r = client.post(
        "/api/analyze", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert r.status_code < 500 or r.status_code in (502, 503, 504), (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")


@given(st.binary(max_size=300))
def test_analyze_with_any_bytes_never_answers_500(client, raw):
    r = client.post("/api/analyze", content=raw, headers={"content-type": "application/json"})
    assert r.status_code < 500, (r.status_code, r.text[:300])


ROUTES = ["/api/articles", "/api/narratives", "/api/trace", "/corpus", "/narratives", "/trace"]
PARAMS = ["q", "offset", "limit", "date_from", "date_to", "outlet", "rating", "id", "language"]


@given(
    st.sampled_from(ROUTES),
    st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=25), max_size=4),
)
def test_corpus_routes_never_answer_500(client, route, params):
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    r = client.get(f"{route}?{query}")
    assert r.status_code < 500, (route, params, r.status_code, r.text[:300])


@given(
    st.sampled_from(
        ["/api/articles/", "/articles/", "/outlets/", "/narratives/", "/api/narratives/"]
    ),
    st.text(min_size=1, max_size=25),
)
def test_id_routes_never_answer_500(client, prefix, value):
    r = client.get(prefix + quote(value, safe=""))
    assert r.status_code < 500, (prefix, value, r.status_code, r.text[:300])
