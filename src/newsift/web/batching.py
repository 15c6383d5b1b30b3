"""Micro-batching of concurrent analyse requests: one pipeline run for the requests that queued.

Stages share models loaded once per process and are not promised to be thread-safe, so a process
runs its pipeline for one batch at a time. Requests that arrive while a batch runs wait in a queue,
first come first served; when the batch ends, the oldest waiting request's thread takes the next
(up to ``max_batch``) requests and runs them together through :meth:`Pipeline.pipe`. Batching
costs a request nothing when it is alone, and under load the stages' batched inference (spaCy's
``pipe``, ONNX encoders over all sentences at once) spends less CPU per article than one article at
a time, which is what bounds tail latency on a busy server. Whether it pays off depends on the
stages: with the default pipeline of 2026-11 (claims scored per article) it does not, so
``newsift serve`` runs batches of one unless ``--batch`` says otherwise.

Each request's own work (``prepare``: extraction) runs inside the batch, in its turn, so a bad
submission fails alone with its own error and never holds back the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ..article import Article


@dataclass
class _Request:
    prepare: Callable[[], Article]
    wake: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    article: Article | None = None
    error: BaseException | None = None

    def result(self) -> Article:
        if self.error is not None:
            raise self.error
        assert self.article is not None  # set whenever error is None and done is True
        return self.article


class BatchRunner:
    """Runs submitted requests in FIFO batches, one batch at a time.

    Args:
        run_batch: annotates a list of prepared articles in place (``Pipeline.pipe``).
        max_batch: at most this many requests per batch (1 disables batching).
    """

    def __init__(self, run_batch: Callable[[list[Article]], object], max_batch: int = 8) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        self.run_batch = run_batch
        self.max_batch = max_batch
        self.batch_sizes: list[int] = []  # for tests and benchmarks; bounded below
        self._guard = threading.Lock()
        self._queue: list[_Request] = []
        self._busy = False

    def submit(self, prepare: Callable[[], Article]) -> Article:
        """Prepare and annotate one article in the next batch; returns it or raises its error."""
        request = _Request(prepare)
        with self._guard:
            self._queue.append(request)
            lead = not self._busy
            self._busy = True
        if not lead:
            request.wake.wait()
            if request.done:
                return request.result()
        self._lead()
        return request.result()

    def _lead(self) -> None:
        """Run the batch at the head of the queue, then hand the lead to the next waiter."""
        with self._guard:
            batch = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
        try:
            self._run(batch)
        finally:
            for request in batch:
                request.done = True
            with self._guard:
                successor = self._queue[0] if self._queue else None
                self._busy = successor is not None
                if len(self.batch_sizes) < 10_000:
                    self.batch_sizes.append(len(batch))
            for request in batch:
                request.wake.set()
            if successor is not None:
                successor.wake.set()  # not done: it leads the next batch

    def _run(self, batch: list[_Request]) -> None:
        ready: list[_Request] = []
        for request in batch:
            try:
                request.article = request.prepare()
                ready.append(request)
            except Exception as err:  # noqa: BLE001 - the request's own error, raised in its thread
                request.error = err
        if not ready:
            return
        try:
            self.run_batch([r.article for r in ready if r.article is not None])
        except Exception as err:  # noqa: BLE001 - every member of the failed batch gets the error
            for request in ready:
                request.error = err
