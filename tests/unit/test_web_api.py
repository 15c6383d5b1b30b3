"""The REST API and the form route, in-process with FastAPI's TestClient."""

from __future__ import annotations

import os

import httpx
import pytest
from fastapi.testclient import TestClient

from newsift.errors import InputError
from newsift.web.app import create_app
from newsift.web.service import Analyzer, Limits

ARTICLE = (
    "Harbour bridge to close, officials say\n\n"
    "The Eastgate bridge will close for two years from March 2027, officials familiar with the "
    "plan "
    'said on Tuesday. "We cannot wait any longer," Mayor Helena Brandt told reporters. According '
    "to a report by the transport department, the bridge carried 15.3 million vehicles last year."
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Bridge to close</title></head><body><article>"
    "<h1>Bridge to close</h1>"
    + "".join(f"<p>{line}</p>" for line in ARTICLE.split("\n\n")[1:]) * 3
    + "</article></body></html>"
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(limits=Limits(max_body=200_000), allowed_hosts=["testserver"]))


def _fetching_client(status: int = 200, body: str = PAGE, ctype: str = "text/html") -> TestClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=body, headers={"content-type": ctype})

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    analyzer = Analyzer(allow_private_urls=True, client=http)
    return TestClient(create_app(analyzer=analyzer, allowed_hosts=["testserver"]))


def test_index_page_has_the_form_and_security_headers(client):
    r = client.get("/")
    assert r.status_code == 200
    assert 'id="analyze-form"' in r.text and 'name="file"' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.slow
def test_api_analyze_text_returns_the_article_json(client):
    r = client.post("/api/analyze", json={"text": ARTICLE, "url": "https://news.example.com/x"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["schema_version"] and d["text"].startswith("The Eastgate bridge")
    assert d["url"] == "https://news.example.com/x"
    kinds = {a["kind"] for a in d["attributions"]}
    assert "anonymous" in kinds and "named" in kinds


@pytest.mark.slow
def test_api_analyze_html(client):
    r = client.post("/api/analyze", json={"html": PAGE})
    assert r.status_code == 200, r.text
    assert "15.3 million vehicles" in r.json()["text"]


@pytest.mark.slow
def test_form_analyze_renders_the_result_page(client):
    r = client.post("/analyze", data={"text": ARTICLE})
    assert r.status_code == 200
    assert 'id="article-body"' in r.text and "a-source" in r.text and 'id="sourcing"' in r.text


@pytest.mark.slow
def test_form_upload_is_analysed(client):
    r = client.post("/analyze", files={"file": ("bridge.html", PAGE.encode("utf-8"), "text/html")})
    assert r.status_code == 200, r.text
    assert "15.3 million vehicles" in r.text


@pytest.mark.slow
def test_article_content_is_escaped_on_the_result_page(client):
    evil = ARTICLE + ' Then <img src=x onerror=alert(1)> and <script>alert("x")</script> came.'
    r = client.post("/analyze", data={"text": evil, "url": "https://news.example.com/x"})
    assert r.status_code == 200
    assert "<img src=x" not in r.text and '<script>alert("x")' not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text


@pytest.mark.slow
def test_url_is_fetched_through_the_injected_client():
    r = _fetching_client().post("/api/analyze", json={"url": "https://news.example.com/bridge"})
    assert r.status_code == 200, r.text
    assert r.json()["url"] == "https://news.example.com/bridge"


@pytest.mark.parametrize(
    ("status", "ctype", "code", "http"),
    [(404, "text/html", "http_error", 502), (200, "application/pdf", "bad_content_type", 415)],
)
def test_fetch_failures_map_to_stable_codes(status, ctype, code, http):
    r = _fetching_client(status=status, ctype=ctype).post(
        "/api/analyze", json={"url": "https://a.example/"}
    )
    assert r.status_code == http
    assert r.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "   "}, 400, "empty"),
        ({}, 400, "empty"),
        ({"url": "file:///etc/passwd"}, 400, "bad_scheme"),
        ({"url": "ftp://example.com/x"}, 400, "bad_scheme"),
        ({"url": "http://127.0.0.1:8000/"}, 403, "private_address"),
        ({"url": "http://10.1.2.3/"}, 403, "private_address"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, 403, "private_address"),
        ({"url": "http://[::1]/"}, 403, "private_address"),
        ({"url": "example.com/story"}, 400, "bad_url"),
        ({"url": "http://"}, 400, "bad_url"),
        ({"text": "abc\u0000def " * 20}, 415, "binary"),
        ({"html": "<html><body><script>x()</script></body></html>"}, 422, "no_article"),
        ({"html": "  ", "text": ""}, 400, "empty"),
        ({"text": 5}, 422, "invalid_request"),
        ({"txt": "hello"}, 422, "invalid_request"),
    ],
)
def test_api_errors_have_stable_codes(client, body, status, code):
    r = client.post("/api/analyze", json=body)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and err["message"]
    assert "Traceback" not in err["message"]


@pytest.mark.slow
def test_private_urls_allowed_when_asked():
    analyzer = Analyzer(
        allow_private_urls=True, client=_fetching_client().app.state.analyzer.client
    )
    r = TestClient(create_app(analyzer=analyzer, allowed_hosts=["testserver"])).post(
        "/api/analyze", json={"url": "http://127.0.0.1/a"}
    )
    assert r.status_code == 200, r.text


def test_malformed_json_is_a_json_error(client):
    r = client.post(
        "/api/analyze", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_oversized_body_is_refused_by_content_length(client):
    r = client.post("/api/analyze", json={"text": "x " * 150_000})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "request_too_large"


def test_oversized_chunked_body_is_refused(client):
    def chunks():
        for _ in range(50):
            yield b"a" * 10_000

    r = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"


def test_oversized_form_shows_a_page(client):
    r = client.post("/analyze", data={"text": "x" * 300_000})
    assert r.status_code == 413 and 'data-code="request_too_large"' in r.text


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("doc.pdf", b"%PDF-1.7 binary", 415, "binary"),
        ("pic.png", b"\x89PNG\r\n\x1a\n....", 415, "binary"),
        ("empty.html", b"   \n", 400, "empty"),
        ("nul.txt", b"abc\x00def" * 10, 415, "binary"),
    ],
)
def test_bad_uploads_show_a_clear_message(client, name, data, status, code):
    r = client.post("/analyze", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == status
    assert f'data-code="{code}"' in r.text and name in r.text


def test_empty_form_keeps_the_page(client):
    r = client.post("/analyze", data={"text": "", "url": ""})
    assert r.status_code == 400 and 'data-code="empty"' in r.text and 'id="analyze-form"' in r.text


def test_unknown_routes_and_methods(client):
    r = client.get("/api/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_route"
    r = client.get("/api/analyze")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    r = client.get("/nope")
    assert r.status_code == 404 and 'data-code="unknown_route"' in r.text


def test_openapi_is_served(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/analyze", "/api/articles", "/api/narratives", "/api/trace", "/analyze"):
        assert path in paths
    assert "413" in paths["/api/analyze"]["post"]["responses"]


def test_static_assets(client):
    assert "text/css" in client.get("/static/report.css").headers["content-type"]
    assert "hide-persuasion" in client.get("/static/app.css").text
    assert "addEventListener" in client.get("/static/app.js").text


def test_unexpected_exception_is_a_generic_500():
    class Broken(Analyzer):
        def analyze_submission(self, **kwargs):
            raise RuntimeError("secret internal detail")

    c = TestClient(
        create_app(analyzer=Broken(), allowed_hosts=["testserver"]), raise_server_exceptions=False
    )
    r = c.post("/api/analyze", json={"text": "x"})
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "internal_error"
    assert "secret" not in r.text


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (httpx.ConnectError("connection refused"), 502, "unreachable"),
        (httpx.ReadTimeout("timed out"), 504, "timeout"),
    ],
)
def test_failed_fetch_is_an_error_on_api_and_page(error, status, code):
    def handler(request: httpx.Request) -> httpx.Response:
        error.request = request
        raise error

    http = httpx.Client(transport=httpx.MockTransport(handler))
    c = TestClient(
        create_app(
            analyzer=Analyzer(allow_private_urls=True, client=http), allowed_hosts=["testserver"]
        )
    )
    r = c.post("/api/analyze", json={"url": "https://down.example/a"})
    assert r.status_code == status and r.json()["error"]["code"] == code
    page = c.post("/analyze", data={"url": "https://down.example/a"})
    assert page.status_code == status and f'data-code="{code}"' in page.text


def test_oversized_fetched_page_is_refused():
    big = "<html><body>" + "<p>word</p>" * 2000 + "</body></html>"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=big, headers={"content-type": "text/html"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    analyzer = Analyzer(allow_private_urls=True, client=http, limits=Limits(max_fetch=5_000))
    r = TestClient(create_app(analyzer=analyzer, allowed_hosts=["testserver"])).post(
        "/api/analyze", json={"url": "https://a.example/"}
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("http://192.168.1.1/", 403, "private_address"),
        ("javascript:alert(1)", 400, "bad_scheme"),
        ("example.com/story", 400, "bad_url"),
    ],
)
def test_refused_urls_show_a_clear_message_on_the_page(client, url, status, code):
    r = client.post("/analyze", data={"url": url})
    assert r.status_code == status and f'data-code="{code}"' in r.text
    assert 'id="analyze-form"' in r.text and "Traceback" not in r.text


def test_oversized_upload_shows_a_page(client):
    r = client.post("/analyze", files={"file": ("big.html", b"<p>x</p>" * 40_000, "text/html")})
    assert r.status_code == 413 and 'data-code="request_too_large"' in r.text


def test_upload_over_the_file_limit_names_the_file():
    analyzer = Analyzer(limits=Limits(max_body=1_000))
    with pytest.raises(InputError) as err:
        analyzer.analyze_upload(b"x" * 2_000, filename="big.txt")
    assert err.value.code == "too_large" and "big.txt" in err.value.message


def test_serve_checks_its_stages():
    from click.testing import CliRunner

    from newsift.cli import cli

    r = CliRunner().invoke(cli, ["serve", "--stages", "nlp.v1,no-such.v9"])
    assert r.exit_code == 2 and "unknown stage 'no-such.v9'" in r.output


@pytest.mark.slow
def test_app_runs_the_stages_it_is_given():
    c = TestClient(create_app(stages=["nlp.v1"], allowed_hosts=["testserver"]))
    body = c.post("/api/analyze", json={"text": ARTICLE}).json()
    assert "sentences" in body and "attributions" not in body


def test_serve_runs_one_onnx_thread_per_process_unless_told(monkeypatch):
    import uvicorn
    from click.testing import CliRunner

    from newsift.cli import cli

    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: ran.append(kw))
    monkeypatch.delenv("NEWSIFT_THREADS", raising=False)
    r = CliRunner().invoke(cli, ["serve", "--stages", "nlp.v1", "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert ran and ran[0]["port"] == 8123
    assert os.environ["NEWSIFT_THREADS"] == "1"
    monkeypatch.setenv("NEWSIFT_THREADS", "2")
    CliRunner().invoke(cli, ["serve", "--stages", "nlp.v1"])
    assert os.environ["NEWSIFT_THREADS"] == "2"
