"""Worker processes of ``newsift run``, and how a run stops on a signal.

The main process hands batches to ``--workers`` spawned processes and commits their results. On
SIGINT (Ctrl-C) or SIGTERM the main process stops handing out work, ends every worker at once
(terminate, then kill after :data:`STOP_SECONDS`) and raises :class:`Interrupted`: what was
committed stays, what was not is done by the next run. Workers ignore SIGINT (the terminal sends
it to the whole process group; the main process decides) and end themselves when the main process
is gone, even after ``kill -9``: ``PR_SET_PDEATHSIG`` on Linux, and a watchdog thread that polls
the parent pid everywhere.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..errors import StageError

if TYPE_CHECKING:
    from ..pipeline import StageSpec
    from .runner import Analyzer

#: Seconds the workers get to end after SIGTERM before they are killed.
STOP_SECONDS = 1.5
#: How often a worker checks that its parent is still there (where PDEATHSIG is not available).
WATCH_SECONDS = 0.5


class Terminated(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error
    """Raised in the main thread by SIGTERM (see :func:`signals_raise`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


class Interrupted(BaseException):  # noqa: N818 - a stop the user asked for, not an error
    """A run stopped by SIGINT or SIGTERM after its workers were ended.

    Attributes:
        signum: the signal (``signal.SIGINT`` or ``signal.SIGTERM``).
        summary: the run's counts up to the stop (committed batches only).
    """

    def __init__(self, signum: int, summary: Any) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum
        self.summary = summary


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def signals_raise() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` in the main thread (as SIGINT raises
    KeyboardInterrupt), so that a run can end its workers and keep what it committed."""
    if not _in_main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: Any) -> None:
        raise Terminated(signum)

    old = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Workers started inside inherit SIGINT ignored, so a Ctrl-C while they import is the main
    process's to handle (a Python handler is not inherited; SIG_IGN is)."""
    if not _in_main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


# -- in the worker ------------------------------------------------------------------------------
_WORKER: Analyzer | None = None
_INIT_ERROR: Exception | None = None


def _die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends (``kill -9`` included)."""
    try:  # Linux: the kernel sends SIGKILL when the parent dies
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(WATCH_SECONDS)

    if os.getppid() != parent:  # the parent died before PDEATHSIG was set
        os._exit(1)
    threading.Thread(target=watch, name="newsift-parent-watch", daemon=True).start()


def init_worker(
    stages: Sequence[StageSpec], threads: int, vectors: str = "", parent: int | None = None
) -> None:
    """Set up a worker process: die with the parent, leave SIGINT to it, build the Analyzer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        _die_with_parent(parent)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    os.environ.setdefault("NEWSIFT_THREADS", str(threads))
    global _WORKER, _INIT_ERROR
    from .runner import Analyzer

    try:
        _WORKER = Analyzer(stages, vectors)
    except Exception as err:  # noqa: BLE001 - raised again by each task, so the run stops with it
        _INIT_ERROR = err


def work(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Analyse one batch of article rows in a worker."""
    if _INIT_ERROR is not None:
        raise _INIT_ERROR  # e.g. a ConfigError from a stage's setup(): one clear line, not a broken pool
    if _WORKER is None:
        raise RuntimeError("worker not initialised")
    return _WORKER(rows)


# -- in the main process ------------------------------------------------------------------------
def run_pool(
    load: Callable[[list[int]], list[dict[str, Any]]],
    stages: Sequence[StageSpec],
    workers: int,
    batches: Iterable[list[int]],
    commit: Callable[[list[dict[str, Any]]], None],
    vectors: str = "",
) -> None:
    """Analyse ``batches`` of ids in ``workers`` processes; ``commit`` each result in this one.

    Any exception here (KeyboardInterrupt and :class:`Terminated` included) ends the workers
    before it propagates, so no process is left behind.
    """
    import multiprocessing as mp

    ctx = mp.get_context("spawn")  # no fork of a process holding DuckDB threads and locks
    pool = ProcessPoolExecutor(
        workers,
        mp_context=ctx,
        initializer=init_worker,
        initargs=(list(stages), 1, vectors, os.getpid()),
    )
    try:
        pending: set[Future] = set()
        for n, ids_batch in enumerate(batches):
            rows = load(ids_batch)
            if n < workers:  # each of the first submits starts a worker process
                with _sigint_ignored():
                    pending.add(pool.submit(work, rows))
            else:
                pending.add(pool.submit(work, rows))
            if len(pending) >= workers * 2:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    commit(fut.result())
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                commit(fut.result())
    except BrokenProcessPool as err:
        stop_pool(pool)
        raise StageError(
            "a worker process died (killed by the system, out of memory?); the batches committed so far "
            "are kept: run `newsift run` again, perhaps with fewer --workers or a smaller --batch",
            code="worker_died",
        ) from err
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def stop_pool(pool: ProcessPoolExecutor, timeout: float = STOP_SECONDS) -> None:
    """End the pool's workers now: SIGTERM, then SIGKILL those still there after ``timeout``."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for p in procs:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + timeout
    for p in procs:
        p.join(max(deadline - time.monotonic(), 0.01))
        if p.is_alive():
            p.kill()
            p.join(1.0)
    pool.shutdown(wait=False, cancel_futures=True)
