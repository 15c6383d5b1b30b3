"""``newsift run`` and signals: SIGTERM/SIGINT end the workers and keep committed work; a parent
killed with -9 takes its workers with it; a rerun finishes the rest with nothing doubled.

Each test runs the real command in its own process group (``corpus_signal_run.py``: a slow stage,
2 worker processes) and checks, through ``/proc``, that no process of the group is left. Timeouts
are generous for a loaded 2-core machine but bounded.
"""

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
from newsift.corpus.store import open_store

HELPER = Path(__file__).with_name("corpus_signal_run.py")
TEXT = (
    "Story {i}: the council of Ardan voted {i} to 2 on Tuesday to close the library. "
    "The mayor, Ana Fenwes, said $4 million would be saved. Critics disagreed strongly with her."
)
N = 60

pytestmark = [
    pytest.mark.slow,  # real worker processes and signals, 5-11 s each
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)"),
]


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _wait_gone(pgid: int, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _group(pgid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.fixture
def corpus_db(tmp_path) -> Path:
    src = tmp_path / "c.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": f"r{i}", "url": f"https://x.example/{i}", "text": TEXT.format(i=i)})
            + "\n"
            for i in range(N)
        )
    )
    db = tmp_path / "c.duckdb"
    with open_store(db) as store:
        ingest(store, [src])
    return db


def _start(db: Path, workers: int = 2) -> tuple[subprocess.Popen, Path]:
    marker = db.with_suffix(".started")
    marker.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), NEWSIFT_TEST_MARKER=str(marker))
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(db), str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), (
        f"the run never started work: {proc.poll()} {proc.stderr.read() if proc.poll() is not None else ''}"
    )
    time.sleep(0.5)  # let a batch or two commit
    return proc, marker


def _counts(db: Path) -> tuple[int, int, int]:
    with open_store(db, read_only=True) as store:
        rows, distinct = store.query("SELECT count(*), count(DISTINCT article_id) FROM analyses")[0]
        claims_dup = store.query(
            "SELECT count(*) FROM (SELECT article_id, idx FROM claims GROUP BY 1, 2 HAVING count(*) > 1)"
        )[0][0]
    return rows, distinct, claims_dup


def _finish(db: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(
        [sys.executable, str(HELPER), str(db), "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("sig", "code", "whole_group", "workers"),
    [
        (signal.SIGTERM, 143, False, 2),  # `kill PID`, a service manager
        (signal.SIGINT, 130, True, 2),  # Ctrl-C: the terminal signals the whole foreground group
        (signal.SIGTERM, 143, False, 1),  # analysing in the main process
    ],
)
def test_a_signal_stops_the_workers_keeps_committed_work_and_a_rerun_finishes(
    corpus_db, sig, code, whole_group, workers
):
    proc, _ = _start(corpus_db, workers)
    t0 = time.monotonic()
    if whole_group:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    try:
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    stopped_in = time.monotonic() - t0
    left = _wait_gone(proc.pid, 10)
    assert proc.returncode == code, err
    assert stopped_in < 15, stopped_in  # about 2 s on an idle machine
    assert left == [], f"processes left behind: {left}"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "newsift run" in lines[0] and "Traceback" not in err, err
    rows, distinct, dup = _counts(corpus_db)
    assert rows == distinct and dup == 0
    assert rows < N  # stopped before the end
    summary = _finish(corpus_db)
    assert summary["analysed"] == N - rows
    assert _counts(corpus_db) == (N, N, 0)


def test_kill_9_of_the_parent_takes_the_workers_with_it(corpus_db):
    proc, _ = _start(corpus_db)
    workers = [p for p in _group(proc.pid) if p != proc.pid]
    assert workers, "no worker processes seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    left = _wait_gone(proc.pid, 20)
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
    assert left == [], f"workers or the resource tracker outlived the parent: {left}"
    rows, distinct, dup = _counts(corpus_db)
    assert rows == distinct and dup == 0
    _finish(corpus_db)
    assert _counts(corpus_db) == (N, N, 0)


def test_sigterm_during_ingest_keeps_the_open_batch_and_a_rerun_goes_on(tmp_path):
    """The ingest reads a pipe that stops after 2,500 lines (one batch of 2,000 committed, 500 in
    the open batch); SIGTERM then stores all 2,500 and exits 143; the rerun on the whole file
    adds only the rest."""
    src = tmp_path / "feed.jsonl"
    os.mkfifo(src)
    db = tmp_path / "i.duckdb"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsift", "ingest", str(src), "--db", str(db), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines = [json.dumps({"id": f"r{i}", "text": TEXT.format(i=i)}) + "\n" for i in range(3000)]
    with open(src, "w") as pipe:  # noqa: PTH123 - a FIFO, opened once for writing
        pipe.writelines(lines[:2500])
        pipe.flush()
        time.sleep(3)  # the ingest has read everything written and waits for more
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, err
    assert "ingest stopped by SIGTERM" in err and "Traceback" not in err
    with open_store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM articles") == [(2500,)]
    src.unlink()
    src.write_text("".join(lines))
    with open_store(db) as store:
        summary = ingest(store, [src])
        assert store.query("SELECT count(*), count(DISTINCT source_pos) FROM articles") == [
            (3000, 3000)
        ]
    assert (summary.added, summary.unchanged) == (500, 2500)


def test_a_worker_that_dies_ends_the_run_in_one_line_and_leaves_no_process(corpus_db):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(corpus_db), "2", "test_crashy.v1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    left = _wait_gone(proc.pid, 10)
    assert proc.returncode == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "a worker process died" in lines[0], err
    assert left == [], f"processes left behind: {left}"
    rows, distinct, dup = _counts(corpus_db)
    assert rows == distinct < N and dup == 0
