"""Corpus run: results stored once, problems recorded, workers, and kill -9 then resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsift.corpus.ingest import ingest
from newsift.corpus.runner import claim_rows, run, split_sentences
from newsift.corpus.store import open_store
from newsift.errors import StageError
from newsift.pipeline import Stage, register_stage

HELPER = Path(__file__).with_name("corpus_slow_run.py")
TEXT = (
    "Story {i}: the council of Ardan voted {i} to 2 on Tuesday to close the library. "
    "The mayor, Ana Fenwes, said $4 million would be saved. Critics disagreed strongly with her."
)


@register_stage("test_picky.v1")
class PickyStage(Stage):
    """Fails on articles that mention 'poison', as a stage with a bug would."""

    assigns = ("picky",)

    def predict(self, batch):
        if any("poison" in a.text for a in batch):
            raise StageError("poisoned article", code="poisoned")
        return [True for _ in batch]

    def annotate(self, batch, predictions):
        for a in batch:
            a.layers["picky"] = {"ok": True}


def make_corpus(path: Path, n: int, extra: list[dict] | None = None) -> Path:
    rows = [
        {
            "id": f"r{i}",
            "url": f"https://x.example/{i}",
            "date": "2024-05-01",
            "text": TEXT.format(i=i),
        }
        for i in range(n)
    ]
    rows += extra or []
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_run_stores_every_article_once_with_claims_and_problems(tmp_path):
    src = make_corpus(
        tmp_path / "c.jsonl",
        20,
        [
            {
                "id": "p",
                "url": "https://x.example/p",
                "text": "This one mentions poison and is otherwise a fine article text.",
            },
            {
                "id": "h",
                "url": "https://x.example/h",
                "html": "<html><body><script>x()</script></body></html>",
            },
        ],
    )
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [src])
        summary = run(store, stages=["test_picky.v1"], batch=8)
        again = run(store, stages=["test_picky.v1"])
        counts = store.query("SELECT status, count(*) FROM analyses GROUP BY 1 ORDER BY 1")
        dup = store.query(
            "SELECT count(*) FROM (SELECT article_id, idx FROM claims GROUP BY 1, 2 HAVING count(*) > 1)"
        )
        problems = store.query(
            "SELECT stage, code, file, position FROM problems WHERE stage <> 'ingest'"
        )
        article = json.loads(
            store.query("SELECT json FROM analyses WHERE status = 'ok' LIMIT 1")[0][0]
        )
    assert summary.analysed == 21 and summary.failed == 1
    assert again.analysed == again.failed == 0
    assert counts == [("failed", 1), ("ok", 21)]
    assert dup == [(0,)]
    assert ("test_picky.v1", "poisoned") in {(s, c) for s, c, _, _ in problems}
    assert ("extract", "no_article") in {(s, c) for s, c, _, _ in problems}
    assert all(f.endswith("c.jsonl") and p.startswith("line ") for _, _, f, p in problems)
    assert article["picky"] == {"ok": True} and article["id"]


def test_claim_rows_fall_back_to_split_sentences():
    from newsift.article import Article

    a = Article(text="First claim here with 3 numbers. Second one: $5 billion was spent! Third?")
    rows = claim_rows(7, a)
    assert [r["kind"] for r in rows] == ["sentence_split"] * 3
    assert [a.text[r["start"] : r["end"]] for r in rows] == [r["text"] for r in rows]
    text = "The vote is on Monday.\n\nDr. Lee met the council. It agreed to the plan."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The vote is on Monday.",
        "Dr. Lee met the council.",
        "It agreed to the plan.",
    ]
    # the shared splitter knows each language's abbreviations
    ru = "Об этом сообщил т.н. источник. Переговоры отложены."
    assert len(split_sentences(ru, "ru")) == 2


def test_two_workers_analyse_everything(tmp_path):
    src = make_corpus(tmp_path / "c.jsonl", 30)
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [src])
        summary = run(store, stages=[], workers=2, batch=4)
        n = store.query("SELECT count(*), count(DISTINCT article_id) FROM analyses")[0]
    assert summary.analysed == 30 and n == (30, 30)


def _start(db: Path, workers: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen(
        [sys.executable, str(HELPER), str(db), str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )


def _kill_after(proc: subprocess.Popen, batches: int) -> None:
    """kill -9 the run (and its workers) once it has committed ``batches`` batches."""
    seen = 0
    deadline = time.monotonic() + 120
    while seen < batches and time.monotonic() < deadline:
        out = proc.stdout.readline()
        if not out:
            break
        seen += out.startswith("committed")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_then_rerun_loses_nothing_and_stores_nothing_twice(tmp_path, workers):
    db = tmp_path / "k.duckdb"
    with open_store(db) as store:
        ingest(store, [make_corpus(tmp_path / "c.jsonl", 120)])
    for batches in (2, 5, 9):
        _kill_after(_start(db, workers), batches)
    with open_store(db) as store:
        partial = store.query("SELECT count(*) FROM analyses")[0][0]
    assert 0 < partial < 120
    proc = _start(db, workers)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    with open_store(db, read_only=True) as store:
        rows = store.query("SELECT count(*), count(DISTINCT article_id) FROM analyses")[0]
        claims = store.query("SELECT count(*), count(DISTINCT (article_id, idx)) FROM claims")[0]
        pending = store.pending_ids()
        layers = store.query("SELECT count(*) FROM analyses WHERE json LIKE '%\"slow\"%'")[0][0]
    assert rows == (120, 120)
    assert claims[0] == claims[1] > 0
    assert pending == [] and layers == 120


def test_a_worker_that_cannot_set_up_stops_the_run_with_its_own_error(tmp_path):
    from newsift.errors import ConfigError

    src = make_corpus(tmp_path / "c.jsonl", 6)
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [src])
        with pytest.raises(ConfigError) as err:
            run(store, stages=["no_such_stage.v1"], workers=2, batch=2)
        analysed = store.query("SELECT count(*) FROM analyses")[0][0]
    assert "no_such_stage.v1" in str(err.value) and analysed == 0


class _SqlSpy:
    """A DuckDB connection that records the SQL it runs."""

    def __init__(self, con):
        self._con, self.sql = con, []

    def execute(self, sql, *args):
        self.sql.append(sql)
        return self._con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_limit_costs_the_limit_not_the_corpus(tmp_path, monkeypatch):
    """`run --limit 5` on 2,000 pending articles reads 5 pending ids with a LIMIT query, loads 5
    article rows and analyses 5; the next run with --limit 5 takes the next 5."""
    from newsift.corpus import runner

    src = tmp_path / "c.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": f"t{i}", "text": f"Tiny article number {i} about the council."})
            + "\n"
            for i in range(2000)
        )
    )
    loaded, analysed = [], []
    real_call = runner.Analyzer.__call__

    def counting_call(self, rows):
        analysed.extend(r["id"] for r in rows)
        return real_call(self, rows)

    monkeypatch.setattr(runner.Analyzer, "__call__", counting_call)
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [src])
        real_load = store.load_articles
        store.load_articles = lambda ids: loaded.extend(ids) or real_load(ids)
        spy = store.con = _SqlSpy(store.con)
        first = run(store, stages=[], limit=5, batch=2)
        second = run(store, stages=[], limit=5, batch=16)
        none = run(store, stages=[], limit=0)
        store.con = spy._con
        done = [r[0] for r in store.query("SELECT article_id FROM analyses ORDER BY 1")]
    assert first.analysed == 5 and second.analysed == 5 and none.analysed == 0
    assert analysed == loaded == done == list(range(1, 11))
    pending_sql = [q for q in spy.sql if "ANTI JOIN" in q]
    assert len(pending_sql) == 3 and all(
        q.rstrip().endswith(("LIMIT 5", "LIMIT 0")) for q in pending_sql
    )
    # Nothing else read the articles table whole: every other query on it names the ids it wants.
    others = [q for q in spy.sql if "FROM articles" in q and "ANTI JOIN" not in q]
    assert others and all("unnest" in q for q in others)
