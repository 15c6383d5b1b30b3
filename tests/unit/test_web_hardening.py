"""The web server under hostile input: bad ids, offsets, dates and JSON get a 4xx; foreign Host
names and cross-site posts are refused; URL fetches are bounded in time and number, so slow
upstreams cannot stop the server answering.

Network traffic stays on 127.0.0.1 (a trickling upstream, a uvicorn server) or on the fake
resolver and network backend of ``fake_net``.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from newsift.api import Options
from newsift.errors import FetchError
from newsift.ingest.fetch import Fetcher
from newsift.ingest.source import fetch_url
from newsift.web.app import create_app
from newsift.web.middleware import AllowedHosts, served_hosts
from newsift.web.service import Analyzer, Limits
from tests.unit.fake_net import FakeNet, FakeResolver, fetcher
from tests.unit.slow_server import TrickleServer, timed
from tests.unit.test_web_corpus_store import db  # noqa: F401 - the small DuckDB corpus fixture
from tests.unit.web_fakes import FakeCorpus

TEST_HOSTS = ["testserver"]
PUBLIC = "93.184.216.34"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(
        create_app(corpus=FakeCorpus(), allowed_hosts=TEST_HOSTS, limits=Limits(max_body=50_000))
    )


# -- the Host header -----------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/health", "/", "/api/analyze"])
def test_the_default_app_answers_only_loopback_names(path):
    c = TestClient(create_app(corpus=FakeCorpus()))
    r = c.get(path)  # TestClient says Host: testserver, which is not a loopback name
    assert r.status_code == 400
    if path.startswith("/api"):
        err = r.json()["error"]
        assert err["code"] == "bad_host" and "--allowed-host" in err["message"]
    else:
        assert 'data-code="bad_host"' in r.text
    for host in ("localhost:8000", "127.0.0.1:5000", "[::1]:8000", "localhost", "LOCALHOST."):
        assert c.get("/api/health", headers={"host": host}).status_code == 200, host


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "", "a b", "[::1", "x:99999"]
)
def test_foreign_or_malformed_host_names_are_refused(host):
    c = TestClient(create_app())
    r = c.get("/api/health", headers={"host": host})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_host"


def test_the_bad_host_page_escapes_the_header():
    r = TestClient(create_app()).get("/", headers={"host": "<script>x</script>"})
    assert r.status_code == 400 and "<script>x" not in r.text
    assert r.headers["content-security-policy"]


def test_served_hosts_pin_the_port():
    allowed = AllowedHosts(served_hosts("127.0.0.1", 8000))
    assert allowed.allows("localhost:8000") and allowed.allows("[::1]:8000")
    assert allowed.allows("127.0.0.1:8000")
    assert not allowed.allows("localhost:8001") and not allowed.allows("evil.example:8000")
    proxied = AllowedHosts(served_hosts("127.0.0.1", 8000, ["news.example.org"]))
    assert proxied.allows("news.example.org") and proxied.allows("news.example.org:443")
    named = AllowedHosts(served_hosts("192.168.1.5", 80))
    assert named.allows("192.168.1.5") and named.allows("192.168.1.5:80")
    assert not named.allows("localhost:80")
    assert AllowedHosts(served_hosts("0.0.0.0", 8000)).allows("localhost:8000")
    assert AllowedHosts(["*"]).allows("anything.example")
    with pytest.raises(ValueError):
        AllowedHosts(["bad host/"])


def test_serve_passes_its_host_and_allowed_hosts_to_the_app(monkeypatch):
    import uvicorn

    from newsift.cli import cli

    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.append((app, kw)))
    args = ["serve", "--stages", "nlp.v1", "--port", "8123", "--allowed-host", "news.example.org"]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    app = ran[0][0]
    assert TestClient(app, base_url="http://localhost:8123").get("/api/health").status_code == 200
    ok = TestClient(app, base_url="https://news.example.org").get("/api/health")
    assert ok.status_code == 200
    other = TestClient(app, base_url="http://localhost:9999").get("/api/health")
    assert other.status_code == 400
    r = CliRunner().invoke(cli, ["serve", "--stages", "nlp.v1", "--allowed-host", "a b/"])
    assert r.exit_code == 2 and "--allowed-host" in r.output


def test_serve_with_workers_passes_allowed_hosts_in_the_environment(monkeypatch):
    import os

    import uvicorn

    from newsift.cli import cli

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: None)
    for key in ("NEWSIFT_WEB_ALLOWED_HOSTS", "NEWSIFT_WEB_DB", "NEWSIFT_WEB_STAGES"):
        monkeypatch.setenv(key, "")
    r = CliRunner().invoke(cli, ["serve", "--stages", "nlp.v1", "--workers", "2", "--port", "8124"])
    assert r.exit_code == 0, r.output
    assert os.environ["NEWSIFT_WEB_ALLOWED_HOSTS"] == "localhost:8124,127.0.0.1:8124,[::1]:8124"


# -- cross-site posts ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://testserver:8080"},
        {"origin": "http://localhost:3000"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "http://testserver"},
    ],
)
def test_cross_site_posts_are_refused(client, headers):
    page = client.post("/analyze", data={"text": "x"}, headers=headers)
    assert page.status_code == 403 and 'data-code="cross_site"' in page.text
    upload = client.post("/analyze", files={"file": ("a.txt", b"x")}, headers=headers)
    assert upload.status_code == 403
    api = client.post("/api/analyze", json={"text": "x"}, headers=headers)
    assert api.status_code == 403 and api.json()["error"]["code"] == "cross_site"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"origin": "http://testserver"},
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "none"},
        # what Chromium sends for the app's own form under Referrer-Policy: no-referrer
        {"sec-fetch-site": "same-origin", "origin": "null"},
    ],
)
def test_same_origin_and_non_browser_posts_pass(client, headers):
    r = client.post("/api/analyze", json={"text": "  "}, headers=headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "empty"


def test_cross_site_reads_are_not_refused(client):
    r = client.get("/api/health", headers={"origin": "http://evil.example"})
    assert r.status_code == 200


def test_a_proxied_origin_listed_as_allowed_may_post():
    app = create_app(allowed_hosts=["127.0.0.1:8000", "news.example.org"])
    c = TestClient(app, base_url="http://127.0.0.1:8000")
    r = c.post("/api/analyze", json={"text": " "}, headers={"origin": "https://news.example.org"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "empty"


# -- bad JSON, ids, offsets, dates ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"text": "\\ud800 is alone"}', 400, "invalid_text"),
        (b'{"html": "<p>\\udfff</p>"}', 400, "invalid_text"),
        (b'{"url": "https://news.example/\\ud800"}', 400, "invalid_text"),
        (b'{"text": "An article.", "url": "\\udbff"}', 400, "invalid_text"),
        (b'{"text": "\xff\xfe broken utf-8"}', 422, "invalid_request"),
        (b"[1, 2]", 422, "invalid_request"),
        (b'"text"', 422, "invalid_request"),
        (b"null", 422, "invalid_request"),
        (b"[" * 20_000 + b"]" * 20_000, 422, "invalid_request"),
    ],
)
def test_bad_json_bodies_are_clear_4xx(client, body, status, code):
    r = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500, r.text
    err = r.json()["error"]
    assert err["message"] and "Traceback" not in err["message"]
    if status is not None:
        assert (r.status_code, err["code"]) == (status, code)


ID_ROUTES = [
    "/api/articles/{}",
    "/articles/{}",
    "/api/narratives/{}",
    "/narratives/{}",
    "/api/trace?article={}",
    "/trace?article={}",
]


@pytest.mark.parametrize("route", ID_ROUTES)
@pytest.mark.parametrize("bad", ["²", "١٢", "99999999999999999999", "-1", "1.5", "%00", "x" * 300])
def test_bad_ids_are_404_on_every_id_route(db, route, bad):  # noqa: F811
    c = TestClient(create_app(db=db, allowed_hosts=TEST_HOSTS))
    r = c.get(route.format(bad))
    assert r.status_code == 404, (route, bad, r.text[:300])
    if route.startswith("/api"):
        assert r.json()["error"]["code"] == "not_found"
    else:
        assert 'data-code="not_found"' in r.text


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/articles", {"offset": "99999999999999999999"}),
        ("/api/articles", {"offset": "-1"}),
        ("/api/articles", {"limit": "0"}),
        ("/api/articles", {"limit": "99999999999999999999"}),
        ("/api/articles", {"date_to": "2018-13-45"}),
        ("/api/articles", {"date_from": "²"}),
        ("/api/articles", {"min_rating": "nan"}),
        ("/api/narratives", {"offset": "99999999999999999999"}),
        ("/api/trace", {"article": "1", "limit": "-5"}),
        ("/corpus", {"offset": "99999999999999999999"}),
        ("/corpus", {"min_rating": "nan"}),
        ("/corpus", {"max_rating": "inf"}),
        ("/corpus", {"date_from": "yesterday"}),
        ("/narratives", {"offset": "1e99"}),
    ],
)
def test_bad_offsets_limits_and_dates_are_4xx(db, path, params):  # noqa: F811
    c = TestClient(create_app(db=db, allowed_hosts=TEST_HOSTS))
    r = c.get(path, params=params)
    assert 400 <= r.status_code < 500, (path, params, r.text[:300])
    if path.startswith("/api"):
        assert r.json()["error"]["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "9999-12-31"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"offset": "1000000000"},
        {"narrative": "²"},
    ],
)
def test_extreme_but_valid_filters_answer(db, params):  # noqa: F811
    c = TestClient(create_app(db=db, allowed_hosts=TEST_HOSTS))
    r = c.get("/api/articles", params=params)
    assert r.status_code == 200, r.text
    assert c.get("/corpus", params=params).status_code == 200


# -- SSRF through the server ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://100.100.100.200/", "http://[::1]/"],
)
def test_the_server_refuses_a_redirect_to_an_internal_address(target):
    net = FakeNet(lambda host, path: (302, {"location": target}, b""))
    analyzer = Analyzer(client=fetcher(net, {"news.example": [[PUBLIC]]}))
    c = TestClient(create_app(analyzer=analyzer, allowed_hosts=TEST_HOSTS))
    r = c.post("/api/analyze", json={"url": "https://news.example/story"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "private_address"
    assert net.addresses == [PUBLIC]


def test_the_server_refuses_a_host_in_carrier_grade_nat():
    net = FakeNet()
    analyzer = Analyzer(client=fetcher(net, {"meta.example": [["100.100.100.200"]]}))
    c = TestClient(create_app(analyzer=analyzer, allowed_hosts=TEST_HOSTS))
    r = c.post("/analyze", data={"url": "http://meta.example/"})
    assert r.status_code == 403 and 'data-code="private_address"' in r.text
    assert net.seen == []


# -- deadlines -----------------------------------------------------------------------------------
def test_a_trickling_server_is_cut_off_at_the_deadline():
    options = Options(timeout=1.5, allow_private_urls=True)
    with TrickleServer(interval=0.3) as upstream:
        seconds, result = timed(fetch_url, upstream.url, options)
    assert isinstance(result, FetchError) and result.code == "timeout", result
    assert "1.5 s" in result.message
    assert 1.4 <= seconds < 3.0


def test_a_server_that_never_answers_is_cut_off_at_the_deadline():
    options = Options(timeout=1.0, allow_private_urls=True)
    with TrickleServer(header_delay=30) as upstream:
        seconds, result = timed(fetch_url, upstream.url, options)
    assert isinstance(result, FetchError) and result.code == "timeout"
    assert seconds < 2.5


def test_a_slow_resolver_counts_against_the_deadline():
    def slow(host: str, port: int) -> list[str]:
        time.sleep(3)
        return [PUBLIC]

    net = FakeNet()
    options = Options(timeout=0.5, allow_private_urls=False)
    seconds, result = timed(
        fetch_url, "http://slow-dns.example/", options, Fetcher(resolver=slow, network_backend=net)
    )
    assert isinstance(result, FetchError) and result.code == "timeout"
    assert seconds < 1.5 and net.seen == []


# -- fetch slots ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_fetches_beyond_the_slots_are_refused_busy():
    release = threading.Event()
    entered = threading.Semaphore(0)

    def slow_resolver(host: str, port: int) -> list[str]:
        entered.release()
        release.wait(5)
        return [PUBLIC]

    analyzer = Analyzer(
        client=Fetcher(resolver=slow_resolver, network_backend=FakeNet()),
        limits=Limits(max_fetches=2, fetch_timeout=5),
        stages=["nlp.v1"],
    )
    c = TestClient(create_app(analyzer=analyzer, allowed_hosts=TEST_HOSTS))
    results: list[int] = []
    workers = [
        threading.Thread(
            target=lambda: results.append(
                c.post("/api/analyze", json={"url": "http://news.example/a"}).status_code
            )
        )
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    assert entered.acquire(timeout=5) and entered.acquire(timeout=5)  # both slots taken
    r = c.post("/api/analyze", json={"url": "http://news.example/b"})
    assert r.status_code == 503
    err = r.json()["error"]
    assert err["code"] == "busy" and "try again" in err["message"]
    page = c.post("/analyze", data={"url": "http://news.example/c"})
    assert page.status_code == 503 and 'data-code="busy"' in page.text
    release.set()
    for w in workers:
        w.join(10)
    assert results == [200, 200]
    assert c.post("/api/analyze", json={"url": "http://news.example/d"}).status_code == 200


# -- load: slow upstreams do not starve the server ------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(app) -> Iterator[str]:
    """The app on uvicorn, in a thread, on a free loopback port."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.slow
def test_health_answers_while_clients_wait_on_a_slow_upstream():
    """8 clients analyse a URL that trickles for ~6 s while /api/health and / are polled."""
    limits = Limits(fetch_timeout=2.0, max_fetches=8)
    analyzer = Analyzer(allow_private_urls=True, limits=limits, stages=["nlp.v1"])
    app = create_app(analyzer=analyzer)
    statuses: list[int] = []
    health: list[float] = []
    stop = threading.Event()
    with TrickleServer(interval=0.25) as upstream, live_server(app) as base:

        def client_loop() -> None:
            with httpx.Client(base_url=base, timeout=10) as http:
                while not stop.is_set():
                    r = http.post("/api/analyze", json={"url": upstream.url})
                    statuses.append(r.status_code)

        clients = [threading.Thread(target=client_loop) for _ in range(8)]
        for t in clients:
            t.start()
        with httpx.Client(base_url=base, timeout=5) as http:
            end = time.monotonic() + 5.0
            while time.monotonic() < end:
                for path in ("/api/health", "/"):
                    start = time.monotonic()
                    assert http.get(path).status_code == 200
                    health.append(time.monotonic() - start)
                time.sleep(0.1)
        stop.set()
        for t in clients:
            t.join(timeout=10)
    assert max(health) < 1.0, f"slowest health/page answer {max(health):.2f} s"
    assert statistics.median(health) < 0.2
    assert statuses and set(statuses) <= {503, 504}, statuses
    assert statuses.count(504) >= 8  # every client's fetch ended by its 2 s deadline
    assert upstream.connections >= 8


# -- TLS on a pinned connection ------------------------------------------------------------------
@pytest.fixture(scope="module")
def tls_server(tmp_path_factory) -> Iterator[tuple[int, str]]:
    """An HTTPS server on 127.0.0.1 whose self-signed certificate names ``news.example``."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("no openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=news.example"]
        + ["-addext", "subjectAltName=DNS:news.example"],
        capture_output=True,
        timeout=60,
    )
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a certificate: {made.stderr[-200:]!r}")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.settimeout(5)
                    data = b""
                    while b"\r\n\r\n" not in data:
                        data += tls.recv(4096)
                    from tests.unit.fake_net import PAGE

                    tls.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                        + f"Content-Length: {len(PAGE)}\r\n\r\n".encode()
                        + PAGE
                    )
            except (OSError, ssl.SSLError):
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port, str(cert)
    stop.set()
    thread.join(timeout=5)
    listener.close()


def test_tls_to_a_pinned_address_verifies_the_url_host_name(tls_server):
    import ssl

    port, cert = tls_server
    trust = ssl.create_default_context(cafile=cert)
    resolver = FakeResolver({"news.example": [["127.0.0.1"]], "other.example": [["127.0.0.1"]]})
    local = Options(timeout=5.0, allow_private_urls=True)
    raw = fetch_url(
        f"https://news.example:{port}/a", local, Fetcher(resolver=resolver, ssl_context=trust)
    )
    assert "river road closed" in raw.text
    with pytest.raises(FetchError) as info:  # same address, but the certificate is not for it
        fetch_url(
            f"https://other.example:{port}/a", local, Fetcher(resolver=resolver, ssl_context=trust)
        )
    assert info.value.code == "unreachable" and "certificate" in info.value.message.lower()


@pytest.mark.fuzz
@given(st.text(max_size=30))
def test_any_id_text_is_a_stored_id_or_none(value):
    from newsift.web.corpus_store import _int_id

    found = _int_id(value)
    if found is not None:
        assert value.isascii() and 0 <= found < 2**63 and found == int(value)


def test_an_upload_whose_encoding_was_guessed_says_so():
    from newsift.web.service import Analyzer

    text = "Die Straße ist gesperrt, sagte der Bürgermeister am Montag. " * 3
    article = Analyzer(stages=["outlet.v1"]).analyze_upload(text.encode("cp1252"), filename="a.txt")
    assert any(p.code == "encoding_guessed" for p in article.problems)
