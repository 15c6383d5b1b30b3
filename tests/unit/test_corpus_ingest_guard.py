"""Ingest and records that used to stop it: each becomes a problem naming file and position, the
records around it are stored, and a rerun neither stops there nor stores anything twice."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.corpus.ingest import ingest, normalize_url
from newsift.corpus.readers import MAX_RECORD_BYTES, FieldMap
from newsift.corpus.store import open_store

TEXT = (
    "The council of {i} voted on Tuesday to spend {i} million on the harbour wall, the mayor said."
)


def _lines(*items: bytes | dict) -> bytes:
    return b"".join((json.dumps(i).encode() if isinstance(i, dict) else i) + b"\n" for i in items)


@pytest.fixture
def poisoned(tmp_path: Path) -> Path:
    path = tmp_path / "poisoned.jsonl"
    path.write_bytes(
        _lines(
            {"id": "a", "url": "https://a.example/1", "text": TEXT.format(i=1)},
            b'{"id": "s", "url": "https://a.example/2", "text": "Lone \\ud800 surrogate: '
            + TEXT.format(i=2).encode()
            + b'"}',
            b"[" * 100_000 + b"]" * 100_000,
            b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
            {"id": "u", "url": "http://[::1", "text": TEXT.format(i=5)},
            {"id": "n", "text": 12345},
            {"id": "l", "text": ["a", "list"]},
            {
                "id": "o",
                "url": {"href": "https://a.example/o"},
                "title": ["x"],
                "text": TEXT.format(i=8),
            },
            {"id": "z", "url": "https://a.example/z", "text": TEXT.format(i=9)},
        )
    )
    return path


def test_poisoned_lines_become_problems_and_the_rest_is_stored(tmp_path, poisoned):
    db = tmp_path / "p.duckdb"
    with open_store(db) as store:
        first = ingest(store, [poisoned])
        again = ingest(store, [poisoned])
        stored = dict(store.query("SELECT ext_id, source_pos FROM articles"))
        problems = {
            (p, c): m for p, c, m in store.query("SELECT position, code, message FROM problems")
        }
        raw = store.query("SELECT raw FROM articles WHERE ext_id = 's'")[0][0]
    assert stored == {"a": "line 1", "s": "line 2", "u": "line 5", "o": "line 8", "z": "line 9"}
    assert "\ufffd" in raw and ("line 2", "invalid_unicode") in problems
    assert {("line 3", "too_deep"), ("line 4", "too_deep")} <= set(problems)
    assert "the 'text' field is a number" in problems[("line 6", "wrong_type")]
    assert "the 'text' field is a list" in problems[("line 7", "wrong_type")]
    assert "the 'url' field is an object" in problems[("line 8", "wrong_type")]
    assert all(m.startswith(str(poisoned)) for m in problems.values())
    assert (first.records, first.added) == (9, 5)
    assert (again.added, again.unchanged) == (0, 5) and again.records == 9


def test_cli_ingest_of_poisoned_lines_exits_0_with_the_counts(tmp_path, poisoned):
    res = CliRunner().invoke(
        cli, ["ingest", str(poisoned), "--db", str(tmp_path / "c.duckdb"), "-q", "--json"]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert (
        summary["added"] == 5
        and summary["problems"]["too_deep"] == 2
        and summary["problems"]["wrong_type"] == 4  # text x2, url, title
    )


def test_bad_urls_still_deduplicate():
    assert normalize_url("http://[::1") == "http://[::1"
    assert normalize_url(" HTTP://[::1 ") == normalize_url("http://[::1")


@pytest.mark.parametrize(("name", "sep"), [("excel.csv", ","), ("excel.tsv", "\t")])
def test_csv_and_tsv_with_a_bom_lose_no_row(tmp_path, name, sep):
    path = tmp_path / name
    rows = [sep.join(["text", "url"])] + [
        sep.join([f'"{TEXT.format(i=i)}"', f"https://b.example/{i}"]) for i in range(3)
    ]
    path.write_bytes("\r\n".join(rows).encode("utf-8-sig") + b"\r\n")
    with open_store(tmp_path / "c.duckdb") as store:
        summary = ingest(store, [path])
    assert summary.added == 3 and not summary.problems


def test_an_oversized_field_or_line_is_one_problem_and_the_next_is_read(tmp_path):
    big = "x" * (MAX_RECORD_BYTES + 10)
    jl = tmp_path / "big.jsonl"
    jl.write_bytes(_lines({"id": "big", "text": big}, {"id": "after", "text": TEXT.format(i=1)}))
    sheet = tmp_path / "big.csv"
    sheet.write_text(
        f'text,url\n"{big}",https://c.example/big\n"{TEXT.format(i=2)}",https://c.example/ok\n'
    )
    with open_store(tmp_path / "c.duckdb") as store:
        summary = ingest(store, [jl, sheet])
        stored = {r[0] for r in store.query("SELECT coalesce(ext_id, url) FROM articles")}
        problems = set(store.query("SELECT position, code FROM problems"))
    assert stored == {"after", "https://c.example/ok"}
    assert ("line 1", "too_large") in problems and ("row 1", "malformed_csv") in problems
    assert summary.records == 4


def test_truncated_gz_csv_keeps_the_rows_before(tmp_path):
    data = gzip.compress(
        (
            "text,url\n"
            + "".join(f'"{TEXT.format(i=i)}",https://g.example/{i}\n' for i in range(200))
        ).encode()
    )
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    with open_store(tmp_path / "c.duckdb") as store:
        summary = ingest(store, [path])
    assert summary.added > 50 and summary.problems["truncated"] == 1


def test_a_row_the_store_refuses_costs_that_row_only(tmp_path, monkeypatch):
    """Should the database refuse one row of a batch, the others are stored and the refused one
    is an `unstorable_record` problem."""
    path = tmp_path / "c.jsonl"
    path.write_bytes(_lines(*({"id": f"r{i}", "text": TEXT.format(i=i)} for i in range(5))))
    with open_store(tmp_path / "c.duckdb") as store:
        real = store.add_batch

        def picky(articles, problems):
            if any(a["ext_id"] == "r3" for a in articles):
                raise ValueError("cannot store r3")
            real(articles, problems)

        monkeypatch.setattr(store, "add_batch", picky)
        summary = ingest(store, [path])
        stored = sorted(r[0] for r in store.query("SELECT ext_id FROM articles"))
        problems = store.query("SELECT position, code FROM problems")
    assert stored == ["r0", "r1", "r2", "r4"] and summary.added == 4
    assert problems == [("line 4", "unstorable_record")]


def test_ctrl_c_keeps_the_open_batch(tmp_path, monkeypatch):
    path = tmp_path / "c.jsonl"
    path.write_bytes(_lines(*({"id": f"r{i}", "text": TEXT.format(i=i)} for i in range(10))))
    seen = []

    def stop_at_seven() -> None:
        seen.append(1)
        if len(seen) == 7:
            raise KeyboardInterrupt

    with open_store(tmp_path / "c.duckdb") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest(store, [path], on_record=stop_at_seven)
        assert store.query("SELECT count(*) FROM articles") == [(7,)]
        again = ingest(store, [path], fields=FieldMap())
    assert (again.added, again.unchanged) == (3, 7)


def test_a_database_locked_by_another_process_is_one_line(tmp_path):
    db = tmp_path / "locked.duckdb"
    with open_store(db):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        res = CliRunner().invoke(cli, ["status", "--db", str(db)])
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 2 and "in use by another process" in res.output, res.output
    assert len(res.output.strip().splitlines()) == 1


def test_an_oversized_warc_response_is_too_large_not_truncated(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    pages = [
        (
            "https://w.example/big",
            b"<html><body>" + b"<p>x</p>" * (MAX_RECORD_BYTES // 8 + 10) + b"</body></html>",
        ),
        (
            "https://w.example/ok",
            f"<html><body><article><p>{TEXT.format(i=1)}</p></article></body></html>".encode(),
        ),
    ]
    for url, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    path = tmp_path / "big.warc.gz"
    path.write_bytes(buf.getvalue())
    with open_store(tmp_path / "c.duckdb") as store:
        summary = ingest(store, [path])
        urls = [r[0] for r in store.query("SELECT url FROM articles")]
    assert urls == ["https://w.example/ok"]
    assert dict(summary.problems) == {"too_large": 1}


def test_a_page_whose_encoding_was_guessed_is_ingested_with_a_warning(tmp_path):
    from newsift.corpus.readers import _page_item

    data = ("Die Straße ist gesperrt, sagte der Bürgermeister am Montag. " * 3).encode("cp1252")
    rec = _page_item(data, "a.txt", tmp_path / "a.txt")
    assert rec.content.startswith("Die Straße")
    assert [code for code, _ in rec.warnings] == ["encoding_guessed"]
