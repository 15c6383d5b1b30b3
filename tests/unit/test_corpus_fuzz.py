"""Property tests: no input makes ``ingest`` raise, and every record ends stored or as a problem.

For each reader (JSONL, CSV/TSV, RSS, WARC, a folder of pages) hypothesis writes arbitrary
content, the ingest runs into an in-memory store (one per test: each example writes a new file),
and the test counts: every record the reader saw has a row in ``articles`` or in ``problems`` at
its position (nothing lost), and a second ingest of the same input adds nothing (nothing doubled).
"""

from __future__ import annotations

import gzip
import io
import json
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsift.corpus.ingest import ingest
from newsift.corpus.store import DuckDBStore

pytestmark = pytest.mark.fuzz

_KEYS = ["text", "html", "url", "title", "date", "id", "outlet", "author"]
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_words = st.text(
    alphabet=string.ascii_letters + " .,'\"\n\t<>&;é€\u200b\x00", min_size=0, max_size=80
)
_record = st.dictionaries(
    st.sampled_from(_KEYS) | st.text(max_size=6), _words | _json_values, max_size=6
)
_odd_lines = st.sampled_from(
    [
        b'{"text": "lone \\ud800 surrogate here", "url": "http://[::1"}',
        b'{"text": "\\udfff\\ud800", "title": "\\ud83d"}',
        b'{"text": 12, "html": ["x"]}',
        b'{"text": "ok text", "url": {"a": 1}, "date": [1, 2]}',
        b'{"text": "ok text", "date": "' + b"9" * 300 + b'"}',
        b'\xef\xbb\xbf{"text": "bom"}',
        b"\xff\xfe\x00garbage",
        b"null",
        b"[]",
        b"{}",
        b'"just a string"',
    ]
)
_line = st.one_of(
    _record.map(lambda r: json.dumps(r).encode()),
    _odd_lines,
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ")),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 5000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
)


def _accounted(store: DuckDBStore, name: str) -> set[str]:
    """Positions of ``name`` that have an article or a problem row."""
    rows = store.query(
        "SELECT source_pos FROM articles WHERE source_file = ? UNION "
        "SELECT position FROM problems WHERE file = ?",
        [name, name],
    )
    return {r[0] for r in rows}


@pytest.fixture(scope="module")
def store():
    with DuckDBStore(":memory:") as s:
        yield s


def _ingest_twice(store: DuckDBStore, path: Path) -> object:
    summary = ingest(store, [path])
    n = store.query("SELECT count(*) FROM articles")[0][0]
    again = ingest(store, [path])
    assert again.added == 0 and store.query("SELECT count(*) FROM articles")[0][0] == n
    assert (
        store.query(
            "SELECT count(*) FROM (SELECT file, position, code FROM problems WHERE stage = 'ingest' "
            "GROUP BY ALL HAVING count(*) > 1)"
        )[0][0]
        == 0
    )
    return summary


@given(lines=st.lists(_line, max_size=12), newline_at_end=st.booleans())
def test_jsonl_every_line_is_stored_or_a_problem(store, tmp_path_factory, lines, newline_at_end):
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    data = b"\n".join(lines) + (b"\n" if newline_at_end else b"")
    path.write_bytes(data)
    summary = _ingest_twice(store, path)
    expected = {f"line {n}" for n, line in enumerate(data.split(b"\n"), 1) if line.strip()}
    assert _accounted(store, str(path.resolve())) == expected
    assert summary.records == len(expected)


_cell = st.one_of(
    _words, st.text(max_size=30), st.sampled_from(['"', '""', '"a\nb"', "\r", "\x00", "\ufeff"])
)


@given(
    header=st.lists(st.sampled_from(_KEYS[:4]) | st.text(max_size=6), min_size=1, max_size=4),
    rows=st.lists(st.lists(_cell, max_size=5), max_size=8),
    bom=st.booleans(),
    tsv=st.booleans(),
    tail=st.binary(max_size=20),
)
def test_csv_every_row_is_stored_or_a_problem(
    store, tmp_path_factory, header, rows, bom, tsv, tail
):
    sep = "\t" if tsv else ","
    text = "\n".join(sep.join(cells) for cells in [header, *rows]) + "\n"
    path = tmp_path_factory.mktemp("csv") / ("c.tsv" if tsv else "c.csv")
    path.write_bytes(
        (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass") + tail
    )
    summary = _ingest_twice(store, path)
    accounted = _accounted(store, str(path.resolve()))
    assert len(accounted) == summary.records
    assert all(p.startswith(("row ", "after row ", "file")) for p in accounted)


def test_csv_with_a_bom_keeps_every_row(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        b"\xef\xbb\xbftext,url\r\nFirst article text here.,https://a.example/1\r\n"
        b"Second article text here.,https://a.example/2\r\n"
    )
    with DuckDBStore(":memory:") as store:
        summary = ingest(store, [path])
        assert summary.added == 2 and store.query("SELECT count(*) FROM problems") == [(0,)]


_xml_text = st.text(alphabet=string.ascii_letters + " <>&;#x'\"é\n", max_size=60)


@given(
    entries=st.lists(st.tuples(_xml_text, _xml_text, _xml_text), max_size=6),
    atom=st.booleans(),
    cut=st.integers(0, 400),
)
def test_feed_every_entry_is_stored_or_a_problem(store, tmp_path_factory, entries, atom, cut):
    if atom:
        items = "".join(
            f"<entry><title>{t}</title><link href='{u}'/><summary>{d}</summary></entry>"
            for t, u, d in entries
        )
        doc = f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>W</title>{items}</feed>"
    else:
        items = "".join(
            f"<item><title>{t}</title><link>{u}</link><description>{d}</description></item>"
            for t, u, d in entries
        )
        doc = f"<?xml version='1.0'?><rss version='2.0'><channel><title>W</title>{items}</channel></rss>"
    data = doc.encode()
    path = tmp_path_factory.mktemp("feed") / ("f.atom" if atom else "f.rss")
    path.write_bytes(data[: len(data) - cut] if cut else data)
    summary = _ingest_twice(store, path)
    accounted = _accounted(store, str(path.resolve()))
    assert accounted and len(accounted) == summary.records  # at least "file" when no entry is read


def _warc(bodies: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i, (ctype, body) in enumerate(bodies):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        writer.write_record(
            writer.create_warc_record(
                f"https://w.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buf.getvalue()


@given(
    bodies=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "text/html",
                    "text/html; charset=latin-1",
                    "image/png",
                    "text/html; charset=nonsense",
                ]
            ),
            st.binary(max_size=200)
            | _words.map(lambda w: f"<html><body><p>{w}</p></body></html>".encode()),
        ),
        max_size=5,
    ),
    cut=st.integers(0, 300),
    flip=st.integers(0, 1000),
    gz=st.booleans(),
)
def test_warc_every_response_is_stored_skipped_or_a_problem(
    store, tmp_path_factory, bodies, cut, flip, gz
):
    data = bytearray(_warc(bodies) if gz else gzip.decompress(_warc(bodies)) if bodies else b"")
    if data and flip < len(data) and flip % 3 == 0:
        data[flip] ^= 0x55
    if cut:
        data = data[: max(len(data) - cut, 0)]
    path = tmp_path_factory.mktemp("warc") / ("c.warc.gz" if gz else "c.warc")
    path.write_bytes(bytes(data))
    summary = _ingest_twice(store, path)
    accounted = _accounted(store, str(path.resolve()))
    assert len(accounted) == summary.records


_names = st.text(alphabet=string.ascii_letters + string.digits + " -_.é", min_size=1, max_size=12)
_exts = st.sampled_from(
    [".html", ".htm", ".txt", ".jsonl", ".csv", ".xml", ".json", ".bin", ".TXT"]
)


@given(
    files=st.dictionaries(
        st.tuples(_names, _exts), st.binary(max_size=300) | _words.map(str.encode), max_size=6
    )
)
def test_folder_every_page_is_stored_or_a_problem(store, tmp_path_factory, files):
    root = tmp_path_factory.mktemp("folder")
    pages = set()
    for (stem, ext), data in files.items():
        sub = root / ("sub" if len(stem) % 2 else ".")
        sub.mkdir(exist_ok=True)
        path = sub / f"{stem}{ext}"
        path.write_bytes(data)
        if ext.lower() in (".html", ".htm", ".txt"):
            pages.add(str(path.resolve()))
    _ingest_twice(store, root)
    for page in pages:
        assert _accounted(store, page) == {"file"}, page
