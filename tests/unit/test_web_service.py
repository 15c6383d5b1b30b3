"""The analyser behind the web routes: one article at a time, first come first served."""

from __future__ import annotations

import threading
import time

from newsift.web.service import FifoLock


def test_fifo_lock_grants_in_arrival_order():
    lock = FifoLock()
    order: list[int] = []
    lock.__enter__()  # held, so every thread below has to queue
    threads = []
    for i in range(6):
        t = threading.Thread(target=lambda i=i: _take(lock, order, i))
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 10
        while len(lock._waiters) < i + 1:  # wait until thread i is queued before starting i+1
            assert time.monotonic() < deadline, "a thread never queued for the lock"
            time.sleep(0.001)
    lock.__exit__()
    for t in threads:
        t.join(timeout=10)
    assert order == list(range(6))
    assert not lock._held and not lock._waiters


def _take(lock: FifoLock, order: list[int], i: int) -> None:
    with lock:
        order.append(i)


def test_fifo_lock_is_mutually_exclusive():
    lock = FifoLock()
    inside = []
    peak = []

    def work() -> None:
        for _ in range(200):
            with lock:
                inside.append(1)
                peak.append(len(inside))
                inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert max(peak) == 1 and len(peak) == 800
