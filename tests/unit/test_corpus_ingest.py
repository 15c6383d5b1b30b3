"""Corpus ingest: every reader, deduplication, idempotent re-ingest, and planted faults."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from newsift.corpus.ingest import content_hash, ingest, normalize_url, parse_date
from newsift.corpus.readers import FieldMap
from newsift.corpus.store import SCHEMA_VERSION, DuckDBStore, open_store
from newsift.errors import DataError

BODY = (
    "The council of {i} voted on Tuesday to spend {i} million on the harbour wall, the mayor said."
)


def line(obj: dict) -> bytes:
    return json.dumps(obj).encode() + b"\n"


def warc_bytes(pages: list[tuple[str, str, str]]) -> bytes:
    """A gzipped WARC with one response per (url, content type, body), plus a request record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, ctype, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body.encode()), http_headers=headers
            )
        )
        writer.write_record(
            writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.0\r\n\r\n"))
        )
    return buf.getvalue()


def html_page(i: int) -> str:
    return (
        f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
        f"<p>{BODY.format(i=i)}</p><p>More about story {i} and what the council of {i} decided.</p>"
        "</article></body></html>"
    )


@pytest.fixture
def faulty_corpus(tmp_path: Path) -> dict:
    """A corpus with planted faults, and what must arrive and what must be reported."""
    good, bad = [], []
    d = tmp_path / "corpus"
    d.mkdir()
    # JSONL: good records, odd dates, malformed line, empty record, bad bytes, duplicate id, dup text.
    rows = [
        line(
            {
                "id": f"j{i}",
                "url": f"https://a.example/{i}",
                "date": f"2024-03-0{i + 1}",
                "text": BODY.format(i=i),
            }
        )
        for i in range(5)
    ]
    rows.append(
        line(
            {
                "id": "odd1",
                "url": "https://a.example/odd1",
                "date": "Mon, 04 Mar 2024 10:00:00 GMT",
                "text": BODY.format(i=101),
            }
        )
    )
    rows.append(
        line(
            {
                "id": "odd2",
                "url": "https://a.example/odd2",
                "date": "1709546400",
                "text": BODY.format(i=102),
            }
        )
    )
    rows.append(
        line(
            {
                "id": "odd3",
                "url": "https://a.example/odd3",
                "date": "March 4, 2024",
                "text": BODY.format(i=103),
            }
        )
    )
    rows.append(b'{"id": "broken", "text": "no end\n')
    rows.append(line({"id": "empty", "text": "   "}))
    rows.append(
        line(
            {"id": "bytes", "url": "https://a.example/bytes", "text": "STRAY " + BODY.format(i=104)}
        ).replace(b"STRAY", b"\xff\xfe")
    )
    rows.append(line({"id": "j0", "url": "https://a.example/other", "text": BODY.format(i=105)}))
    rows.append(
        line(
            {
                "id": "dup",
                "url": "https://a.example/dup?utm_source=x",
                "text": BODY.format(i=1).upper(),
            }
        )
    )
    rows.append(
        line(
            {
                "id": "baddate",
                "url": "https://a.example/bd",
                "date": "the day after tomorrow",
                "text": BODY.format(i=106),
            }
        )
    )
    rows.append(line({"id": "nokey", "body": "text under another key"}))
    (d / "feed.jsonl").write_bytes(b"".join(rows))
    good += ["j0", "j1", "j2", "j3", "j4", "odd1", "odd2", "odd3", "bytes", "baddate"]
    good_other_id = ["https://a.example/other"]
    bad += [
        ("feed.jsonl", "line 9", "malformed_json"),
        ("feed.jsonl", "line 10", "empty_record"),
        ("feed.jsonl", "line 11", "undecodable_bytes"),
        ("feed.jsonl", "line 12", "duplicate_id"),
        ("feed.jsonl", "line 13", "duplicate_content"),
        ("feed.jsonl", "line 14", "bad_date"),
        ("feed.jsonl", "line 15", "no_text"),
    ]
    # Truncated gzip JSONL: the lines before the damage arrive.
    gz = gzip.compress(
        b"".join(line({"id": f"g{i}", "text": BODY.format(i=200 + i)}) for i in range(30))
    )
    (d / "cut.jsonl.gz").write_bytes(gz[: len(gz) * 2 // 3])
    bad.append(("cut.jsonl.gz", None, "truncated"))
    # CSV with its own field names.
    (d / "sheet.csv").write_text(
        'headline,body,link\nH1,"' + BODY.format(i=300) + '",https://c.example/1\n'
    )
    good.append("https://c.example/1")
    # WARC.gz: two HTML responses, one image; and a truncated copy.
    warc = warc_bytes(
        [
            ("https://w.example/1", "text/html; charset=utf-8", html_page(400)),
            ("https://w.example/img", "image/png", "PNG"),
            ("https://w.example/2", "text/html", html_page(401)),
        ]
    )
    (d / "crawl.warc.gz").write_bytes(warc)
    good += ["https://w.example/1", "https://w.example/2"]
    cut = warc_bytes(
        [
            ("https://w.example/3", "text/html", html_page(402)),
            ("https://w.example/4", "text/html", html_page(403) * 50),
        ]
    )
    # Cut in the middle of the second response's gzip member (a cut exactly between members would
    # leave a valid, shorter WARC that no reader can tell from a whole one).
    members = [i for i in range(len(cut)) if cut.startswith(b"\x1f\x8b\x08", i)]
    (d / "cut.warc.gz").write_bytes(cut[: (members[2] + members[3]) // 2])
    good.append("https://w.example/3")
    bad.append(("cut.warc.gz", None, "truncated"))
    # A folder of pages, an empty page and an RSS feed.
    pages = d / "pages"
    pages.mkdir()
    (pages / "one.html").write_text(html_page(500))
    (pages / "two.txt").write_text(BODY.format(i=501))
    (pages / "empty.txt").write_text("")
    bad.append(("empty.txt", "file", "empty_record"))
    (d / "news.rss").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
        f"<item><title>T</title><link>https://r.example/1</link><description>{BODY.format(i=600)}</description>"
        "<pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate></item></channel></rss>"
    )
    good.append("https://r.example/1")
    return {
        "dir": d,
        "good": good + good_other_id,
        "bad": bad,
        "folder_texts": [BODY.format(i=501)],
    }


def _ingest(db: Path, corpus: dict):
    fields = FieldMap()
    with open_store(db) as store:
        summary = ingest(store, [corpus["dir"]], fields=fields)
    with open_store(db) as store:
        sheet = ingest(
            store,
            [corpus["dir"] / "sheet.csv"],
            fields=FieldMap(text="body", url="link", title="headline"),
        )
    return summary, sheet


def test_planted_faults_every_good_record_arrives_every_bad_one_is_accounted_for(
    tmp_path, faulty_corpus
):
    db = tmp_path / "c.duckdb"
    summary, _ = _ingest(db, faulty_corpus)
    with open_store(db, read_only=True) as store:
        keys = {k for row in store.query("SELECT ext_id, url FROM articles") for k in row if k}
        problems = store.query("SELECT file, position, code, message, article_id FROM problems")
        n_gz = store.query("SELECT count(*) FROM articles WHERE ext_id LIKE 'g%'")[0][0]
        dates = dict(store.query("SELECT ext_id, date FROM articles WHERE ext_id LIKE 'odd%'"))
    missing = [g for g in faulty_corpus["good"] if g not in keys]
    assert not missing, f"good records lost: {missing}"
    assert 0 < n_gz < 30  # the lines before the damage arrived
    assert all(d is not None and d.year == 2024 for d in dates.values())
    for name, pos, code in faulty_corpus["bad"]:
        hits = [
            p
            for p in problems
            if p[0].endswith(name) and p[2] == code and (pos is None or p[1] == pos)
        ]
        assert hits, (
            f"{name} {pos} {code} not recorded; have {[(Path(p[0]).name, p[1], p[2]) for p in problems]}"
        )
        assert name in hits[0][3]  # the message names the file
    assert sum(summary.problems.values()) == len(problems)  # each counted once in the summary
    assert summary.skipped >= 3  # WARC requests and the image response
    kept_with_problem = {p[2] for p in problems if p[4] is not None}
    assert {"undecodable_bytes", "duplicate_id", "bad_date"} <= kept_with_problem


def test_reingest_changes_nothing(tmp_path, faulty_corpus):
    db = tmp_path / "c.duckdb"
    _ingest(db, faulty_corpus)
    with open_store(db) as store:
        before = store.query(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM problems)"
        )
        again = ingest(store, [faulty_corpus["dir"]])
        after = store.query(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM problems)"
        )
    assert again.added == 0 and again.unchanged > 0
    assert before == after


def test_newer_schema_is_refused_with_a_clear_error(tmp_path):
    db = tmp_path / "new.duckdb"
    with open_store(db) as store:
        store.con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)]
        )
    with pytest.raises(DataError) as err:
        DuckDBStore(db)
    assert err.value.code == "newer_schema" and str(db) in err.value.message


def test_not_a_database_is_refused(tmp_path):
    db = tmp_path / "junk.duckdb"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DataError):
        DuckDBStore(db)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-04", "2024-03-04"),
        ("2024-03-04T10:00:00+02:00", "2024-03-04"),
        ("Mon, 04 Mar 2024 10:00:00 GMT", "2024-03-04"),
        ("1709546400", "2024-03-04"),
        ("March 4, 2024", "2024-03-04"),
        ("4 March 2024", "2024-03-04"),
        ("20240304", "2024-03-04"),
    ],
)
def test_parse_date_reads_odd_formats(value, expected):
    assert parse_date(value).date().isoformat() == expected


@pytest.mark.parametrize("value", ["soon", "2024-13-45", "99999-01-01"])
def test_parse_date_refuses_unreadable(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_url_and_content_keys():
    assert normalize_url("https://WWW.Ex.com/a/?utm_source=x#top") == normalize_url(
        "http://ex.com/a"
    )
    assert normalize_url("https://ex.com/a?id=1") != normalize_url("https://ex.com/a?id=2")
    assert content_hash("A  b\nC") == content_hash("a b c")


def test_more_planted_faults_are_recorded_with_file_and_position(tmp_path):
    """Faults the main fixture leaves out: a cut plain WARC, a .gz that is not gzip, an empty CSV
    row, a page in a legacy encoding with stray bytes, and a JSON line that is not an object."""
    d = tmp_path / "more"
    d.mkdir()
    import gzip as _gz

    plain = _gz.decompress(
        warc_bytes(
            [
                ("https://p.example/1", "text/html", html_page(700)),
                ("https://p.example/2", "text/html", html_page(701) * 50),
            ]
        )
    )
    (d / "plain.warc").write_bytes(plain[: len(plain) - 2000])  # inside the long second response
    (d / "fake.jsonl.gz").write_bytes(b"this was never gzip\n")
    (d / "rows.csv").write_text(
        'text,url\n"",https://e.example/empty\n"' + BODY.format(i=702) + '",https://e.example/ok\n'
    )
    (d / "legacy.txt").write_bytes(BODY.format(i=703).encode() + b" caf\xe9 \xff\xfe end.")
    (d / "list.jsonl").write_bytes(
        b'["not", "an", "object"]\n' + line({"id": "fine", "text": BODY.format(i=704)})
    )
    db = tmp_path / "m.duckdb"
    with open_store(db) as store:
        summary = ingest(store, [d])
        problems = store.query("SELECT file, position, code FROM problems")
        urls = {
            r[0] for r in store.query("SELECT coalesce(url, ext_id, source_file) FROM articles")
        }
    codes = {(Path(f).name, c) for f, _, c in problems}
    assert ("plain.warc", "truncated") in codes and "https://p.example/1" in urls
    assert any(n == "fake.jsonl.gz" for n, _ in codes)
    assert ("rows.csv", "empty_record") in codes and "https://e.example/ok" in urls
    assert ("list.jsonl", "not_an_object") in codes and "fine" in urls
    assert any(u.endswith("legacy.txt") for u in urls)  # read in a legacy encoding, not lost
    assert all(p[1] for p in problems)  # every problem has a position (line, row, record, file)
    assert summary.problems == Counter(c for _, _, c in problems)  # counted in the summary


def test_cli_refuses_a_newer_database(tmp_path):
    from click.testing import CliRunner

    from newsift.cli import cli

    db = tmp_path / "new.duckdb"
    with open_store(db) as store:
        store.con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)]
        )
    src = tmp_path / "a.jsonl"
    src.write_bytes(line({"id": "x", "text": BODY.format(i=1)}))
    res = CliRunner().invoke(cli, ["ingest", str(src), "--db", str(db), "-q"])
    assert res.exit_code == 2 and "newer" in res.output and str(db) in res.output
