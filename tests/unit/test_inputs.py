"""Bad input at the edge: one clear line on stderr, exit status 2, never a traceback."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsift.api import Options, load
from newsift.cli import cli
from newsift.errors import ExtractionError, FetchError, InputError
from newsift.ingest.source import decode_bytes, looks_like_html

ARTICLE = "Flood closes river road\n\nThe river road closed on Monday after the flood, the council said.\n"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def assert_clean_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert "Traceback" not in err
    line = err.strip().splitlines()[-1]
    assert line.startswith("newsift: error:")
    for w in words:
        assert w in line, line


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    out["empty"] = tmp_path / "empty.txt"
    out["empty"].write_text("   \n")
    out["pdf"] = tmp_path / "paper.pdf"
    out["pdf"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    out["png"] = tmp_path / "image.txt"
    out["png"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out["gz"] = tmp_path / "page.html"
    out["gz"].write_bytes(gzip.compress(b"<html></html>"))
    out["nohtml"] = tmp_path / "nav.html"
    out["nohtml"].write_text(
        "<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    out["big"] = tmp_path / "big.txt"
    out["big"].write_text("word " * 3000)
    out["latin1"] = tmp_path / "latin1.txt"
    out["latin1"].write_bytes(
        "Crise à Genève\n\nLe maire a déclaré que la ville était prête et que les écoles resteraient ouvertes.".encode(
            "latin-1"
        )
    )
    return out


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("empty", ["empty"]),
        ("pdf", ["PDF"]),
        ("png", ["PNG"]),
        ("gz", ["gzip"]),
        ("nohtml", ["no article"]),
    ],
)
def test_bad_files(files: dict[str, Path], key: str, words: list[str]) -> None:
    assert_clean_error(run("analyze", str(files[key])), str(files[key]), *words)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    assert_clean_error(run("analyze", str(tmp_path / "nope.txt")), "no such file")
    assert_clean_error(run("analyze", str(tmp_path)), "is a directory", "newsift ingest")


def test_size_limit(files: dict[str, Path]) -> None:
    assert_clean_error(run("analyze", str(files["big"]), "--max-bytes", "1000"), "limit")


def test_non_http_scheme() -> None:
    assert_clean_error(run("analyze", "ftp://example.org/a.html"), "ftp", "http")
    assert_clean_error(run("analyze", "file:///etc/passwd"), "file")


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = run("--debug", "analyze", str(tmp_path / "nope.txt"))
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)


@pytest.mark.slow
def test_stdin_and_json() -> None:
    result = run("analyze", "-", "--format", "json", "--stages", "nlp.v1", input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert '"title": "Flood closes river road"' in result.output


def test_other_encodings_are_detected(files: dict[str, Path]) -> None:
    a = load(str(files["latin1"]))
    assert "Genève" in (a.title or "") + a.text
    text, enc = decode_bytes("naïve café".encode("utf-16"), "x")
    assert text == "naïve café"


def test_html_is_detected_from_content_not_extension() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert not looks_like_html("A <b> tag mentioned in prose, and an <html> one.")


def _client(handler) -> httpx.Client:
    return httpx.Client(
        transport=httpx.MockTransport(handler), follow_redirects=True, max_redirects=3
    )


PAGE = (
    "<html><head><title>Flood closes river road | Portvale Herald</title></head><body><article>"
    "<h1>Flood closes river road</h1>"
    + "".join(
        f"<p>The river road closed on Monday after the flood, the council said, paragraph {i}.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)


def test_url_fetch_with_injected_client() -> None:
    client = _client(lambda req: httpx.Response(200, html=PAGE))
    a = load("https://portvale-herald.example/news/flood", client=client)
    assert "river road closed" in a.text
    assert a.outlet["domain"] == "portvale-herald.example"
    assert a.source["kind"] == "url"


@pytest.mark.parametrize(
    ("response", "code"),
    [
        (httpx.Response(404, text="not here"), "http_error"),
        (
            httpx.Response(200, content=b"%PDF-1.4", headers={"content-type": "application/pdf"}),
            "bad_content_type",
        ),
    ],
)
def test_url_errors(response: httpx.Response, code: str) -> None:
    client = _client(lambda req: response)
    with pytest.raises(FetchError) as info:
        load("https://portvale-herald.example/x", client=client)
    assert info.value.code == code
    assert "portvale-herald.example/x" in info.value.message


def test_unreachable_url() -> None:
    def fail(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=req)

    with pytest.raises(FetchError) as info:
        load("https://portvale-herald.example/x", client=_client(fail))
    assert info.value.code == "unreachable"


def test_oversized_download() -> None:
    client = _client(lambda req: httpx.Response(200, html=PAGE))
    with pytest.raises(FetchError) as info:
        load("https://portvale-herald.example/x", client=client, options=Options(max_bytes=100))
    assert info.value.code == "too_large"


def test_private_addresses_refused_when_asked() -> None:
    with pytest.raises(FetchError) as info:
        load("http://127.0.0.1:9/x", options=Options(allow_private_urls=False))
    assert info.value.code == "private_address"


def test_empty_text_is_an_extraction_error() -> None:
    from newsift.api import analyze_text

    with pytest.raises(ExtractionError):
        analyze_text("   ")


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_not_read(path: str) -> None:
    if not Path(path).exists():
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(InputError) as info:
        load(path)
    assert info.value.code == "special_file"
    assert path in info.value.message and "character device" in info.value.message
    assert "newsift analyze -" in info.value.message


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        load(str(fifo))  # opening a FIFO for reading would block without O_NONBLOCK
    assert info.value.code == "special_file" and "named pipe" in info.value.message
    assert_clean_error(run("analyze", str(fifo)), "named pipe", "stdin")


def test_a_file_that_reports_no_size_is_read_with_the_cap() -> None:
    environ = Path("/proc/self/environ")
    if not environ.exists() or environ.stat().st_size != 0:
        pytest.skip("no /proc file that reports size 0")
    with pytest.raises(InputError) as info:
        load(str(environ), options=Options(max_bytes=8))
    assert info.value.code == "too_large" and "8-byte limit" in info.value.message


class _Endless:
    """A stream that never ends, like `/dev/zero` piped on stdin."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        n = 1 << 16 if n < 0 else n
        self.read_bytes += n
        return b"a" * n


def test_stdin_is_read_counting_bytes_up_to_the_cap() -> None:
    from newsift.ingest.source import read_stdin

    endless = _Endless()
    with pytest.raises(InputError) as info:
        read_stdin(100_000, stream=endless)
    assert info.value.code == "too_large" and "<stdin>" in info.value.message
    assert endless.read_bytes == 100_001  # one byte past the cap, then it stopped
    raw = read_stdin(1_000, stream=__import__("io").BytesIO(ARTICLE.encode()))
    assert raw.text == ARTICLE


def test_oversized_stdin_is_a_clean_error() -> None:
    assert_clean_error(
        run("analyze", "-", "--max-bytes", "1000", input=ARTICLE * 100), "<stdin>", "limit"
    )
