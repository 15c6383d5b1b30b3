"""A damaged, foreign or old database: every command that opens the store says so in one line.

Each case is a file at ``--db`` that is not a usable newsift corpus: random bytes, a real corpus
cut in half, an empty file, a DuckDB file of another program, a corpus with a flipped block, one
written by an older schema, one whose tables lack columns. Every corpus command must exit 2 with
one line that names the file and says what to do, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.corpus.ingest import ingest
from newsift.corpus.runner import run
from newsift.corpus.store import DuckDBStore, open_store
from newsift.errors import DataError

TEXT = "Story {i}: the council of Ardan voted {i} to 2 on Tuesday to close the library, the mayor said."


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    """A small analysed corpus, checkpointed to one file."""
    d = tmp_path_factory.mktemp("real")
    src = d / "c.jsonl"
    src.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"r{i}",
                    "url": f"https://x.example/{i}",
                    "date": "2024-05-01",
                    "text": TEXT.format(i=i) * 40,
                }
            )
            + "\n"
            for i in range(300)
        )
    )
    db = d / "real.duckdb"
    with open_store(db) as store:
        ingest(store, [src])
        run(store, stages=[], limit=100)
        store.con.execute("CHECKPOINT")
    return db


def _random(path: Path, real: Path) -> None:
    path.write_bytes(os.urandom(300_000))


def _empty(path: Path, real: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path, real: Path) -> None:
    data = real.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncated_header(path: Path, real: Path) -> None:
    path.write_bytes(real.read_bytes()[:5000])


def _flip(data: bytearray, start: int, n: int = 4096) -> None:
    data[start : start + n] = bytes(b ^ 0xFF for b in data[start : start + n])


def _flipped(path: Path, real: Path) -> None:
    """Every 256 KiB block after the three 4 KiB headers has bytes flipped (checksums fail)."""
    data = bytearray(real.read_bytes())
    for start in range(3 * 4096, len(data), 256 * 1024):
        _flip(data, start + 64)
    path.write_bytes(bytes(data))


def _other_program(path: Path, real: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE orders (id INTEGER, total DOUBLE)")
    con.execute("CREATE TABLE articles (x INTEGER)")
    con.close()


def _older_schema(path: Path, real: Path) -> None:
    shutil.copy(real, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()


def _missing_columns(path: Path, real: Path) -> None:
    shutil.copy(real, path)
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE articles DROP COLUMN raw")
    con.close()


CASES = {
    "random bytes": _random,
    "empty file": _empty,
    "cut in half": _truncated,
    "cut in the header": _truncated_header,
    "flipped block": _flipped,
    "another program's database": _other_program,
    "older schema": _older_schema,
    "missing columns": _missing_columns,
}


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    src = tmp_path / "new.jsonl"
    src.write_text(json.dumps({"id": "n", "text": TEXT.format(i=999)}) + "\n")
    return {
        "ingest": ["ingest", str(src), "-q"],
        "run": ["run", "--stages", "none", "--no-vectors", "-q"],
        "status": ["status"],
        "narratives": ["narratives", "--encoder", "hashing", "-q"],
        "narratives --no-build": ["narratives", "--no-build"],
        "trace": ["trace", "the council of Ardan voted 7 to 2 on Tuesday"],
        "trace --article": ["trace", "--article", "1"],
        "export": ["export", "--table", "articles", "-o", str(tmp_path / "out.parquet")],
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_command_refuses_a_bad_database_in_one_line(tmp_path, real_db, case):
    failures = []
    for name, args in _commands(tmp_path).items():
        db = tmp_path / f"{name.replace(' ', '_')}.duckdb"
        CASES[case](db, real_db)
        res = CliRunner().invoke(cli, [*args, "--db", str(db)])
        lines = [ln for ln in res.output.splitlines() if ln.strip()]
        ok = (
            res.exit_code == 2
            and "Traceback" not in res.output
            and len(lines) == 1
            and lines[0].startswith("newsift: error: ")
            and str(db) in lines[0]
            and not isinstance(res.exception, Exception)
            or False
        )
        if not ok:
            failures.append(f"{name}: exit {res.exit_code}, {res.output!r}, {res.exception!r}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_store_and_the_web_corpus_raise_a_data_error(tmp_path, real_db, case):
    from newsift.web.corpus_store import StoreCorpus

    db = tmp_path / "x.duckdb"
    CASES[case](db, real_db)
    for read_only in (True, False):
        try:
            with DuckDBStore(db, read_only=read_only) as store:
                store.query("SELECT count(*), max(length(raw)) FROM articles")
        except DataError as err:
            assert str(db) in err.message
        except duckdb.Error as err:
            # A damaged block may be found only by a query: the CLI maps that (see above).
            assert case in ("flipped block", "cut in half"), err
    with pytest.raises(DataError):
        StoreCorpus(str(db)).store.query("SELECT max(length(raw)) FROM articles")


def test_messages_say_what_is_wrong_and_what_to_do(tmp_path, real_db):
    status = ["status"]
    for case, expected in (
        ("random bytes", "not a newsift database or is damaged"),
        ("another program's database", "it holds articles, orders"),
        ("older schema", "older newsift"),
        ("missing columns", "articles lacks raw"),
    ):
        db = tmp_path / f"{case.replace(' ', '_')}.duckdb"
        CASES[case](db, real_db)
        res = CliRunner().invoke(cli, [*status, "--db", str(db)])
        assert res.exit_code == 2 and expected in res.output, res.output
        assert "--db" in res.output


def test_a_good_database_still_opens_and_a_new_one_is_created(tmp_path, real_db):
    res = CliRunner().invoke(cli, ["status", "--json", "--db", str(real_db)])
    assert res.exit_code == 0 and json.loads(res.output)["articles"] == 300
    new = tmp_path / "fresh.duckdb"
    with open_store(new) as store:
        assert store.pending_ids() == []
    with open_store(new, read_only=True) as store:  # an empty corpus reopens
        assert store.query("SELECT count(*) FROM articles") == [(0,)]


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path, real_db):
    target = tmp_path / "no" / "such" / "dir" / "a.csv"
    res = CliRunner().invoke(
        cli,
        [
            "export",
            "--db",
            str(real_db),
            "--table",
            "articles",
            "--format",
            "csv",
            "-o",
            str(target),
        ],
    )
    assert res.exit_code == 2 and "does not exist" in res.output and "Traceback" not in res.output
    assert not target.parent.exists()
    res = CliRunner().invoke(cli, ["export", "--db", str(real_db), "-o", str(tmp_path)])
    assert res.exit_code == 2 and "is a folder" in res.output


def test_damage_found_only_by_a_query_is_one_line_too(tmp_path, real_db):
    """A flipped block that the catalog does not need opens fine; the query that reads it fails,
    and the command still ends in one line, exit 2."""
    data = bytearray(real_db.read_bytes())
    at = data.find(b"x.example", 3 * 4096)
    assert at > 0
    _flip(data, at - at % 4096, 4096)
    db = tmp_path / "late.duckdb"
    db.write_bytes(bytes(data))
    res = CliRunner().invoke(
        cli,
        [
            "export",
            "--table",
            "articles",
            "--format",
            "csv",
            "-o",
            str(tmp_path / "a.csv"),
            "--db",
            str(db),
        ],
    )
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert len(res.output.strip().splitlines()) == 1 and "damaged" in res.output


def test_a_db_in_a_missing_folder_or_unwritable_place_is_one_line(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT.format(i=1)}) + "\n")
    res = CliRunner().invoke(
        cli, ["ingest", str(src), "-q", "--db", str(tmp_path / "no" / "c.duckdb")]
    )
    assert res.exit_code == 2 and "does not exist" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "no").exists()
    res = CliRunner().invoke(cli, ["ingest", str(src), "-q", "--db", str(tmp_path)])
    assert res.exit_code == 2 and "is a folder" in res.output
