"""The analyser behind the web routes: queued requests run in FIFO batches, one batch at a time."""

from __future__ import annotations

import threading
import time

import pytest

from newsift.article import Article
from newsift.errors import InputError
from newsift.web.batching import BatchRunner


class SlowPipeline:
    """Records each batch; the first batch blocks until released, so the others have to queue."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.inside = 0
        self.peak = 0
        self.release = threading.Event()

    def __call__(self, articles: list[Article]) -> None:
        self.inside += 1
        self.peak = max(self.peak, self.inside)
        if not self.batches:
            self.release.wait(10)
        self.batches.append([a.text for a in articles])
        for a in articles:
            a.layers["done"] = True
        self.inside -= 1


def _submit_in_order(runner: BatchRunner, texts: list[str], results: dict, prepare=None):
    """Start one thread per text, each queued before the next starts."""
    threads = []
    for i, text in enumerate(texts):

        def work(text=text) -> None:
            try:
                make = prepare(text) if prepare else (lambda: Article(text=text))
                results[text] = runner.submit(make)
            except Exception as err:  # noqa: BLE001 - the test inspects it
                results[text] = err

        t = threading.Thread(target=work)
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 10
        # the first leads and blocks in the pipeline (queue empty); each next one then queues
        while not (runner._busy and len(runner._queue) == i):
            assert time.monotonic() < deadline, "a request never queued"
            time.sleep(0.001)
    return threads


def test_queued_requests_run_together_in_arrival_order():
    pipe = SlowPipeline()
    runner = BatchRunner(pipe, max_batch=3)
    results: dict = {}
    texts = [f"article {i}" for i in range(7)]
    threads = _submit_in_order(runner, texts, results)
    pipe.release.set()
    for t in threads:
        t.join(10)
    assert pipe.batches == [["article 0"], texts[1:4], texts[4:7]]
    assert all(results[t].text == t and results[t].layers["done"] for t in texts)
    assert pipe.peak == 1  # never two batches at once
    assert runner.batch_sizes == [1, 3, 3] and not runner._busy and not runner._queue


def test_a_lone_request_is_not_held_back():
    pipe = SlowPipeline()
    pipe.batches.append(["(not the first)"])  # so it never blocks
    runner = BatchRunner(pipe)
    assert runner.submit(lambda: Article(text="alone")).layers["done"]
    assert runner.batch_sizes == [1]


def test_a_bad_submission_fails_alone():
    pipe = SlowPipeline()
    runner = BatchRunner(pipe, max_batch=4)
    results: dict = {}

    def prepare(text: str):
        def make() -> Article:
            if text == "bad":
                raise InputError("bad: no article here", code="no_article")
            return Article(text=text)

        return make

    threads = _submit_in_order(runner, ["first", "ok 1", "bad", "ok 2"], results, prepare)
    pipe.release.set()
    for t in threads:
        t.join(10)
    assert isinstance(results["bad"], InputError) and results["bad"].code == "no_article"
    assert results["ok 1"].layers["done"] and results["ok 2"].layers["done"]
    assert pipe.batches[1] == ["ok 1", "ok 2"]


def test_a_failing_batch_fails_its_members_only():
    calls = []

    def pipeline(articles: list[Article]) -> None:
        calls.append(len(articles))
        if len(calls) == 1:
            raise RuntimeError("model crashed")

    runner = BatchRunner(pipeline)
    with pytest.raises(RuntimeError, match="model crashed"):
        runner.submit(lambda: Article(text="x"))
    assert runner.submit(lambda: Article(text="y")).text == "y"  # the runner recovers


def test_max_batch_must_be_positive():
    with pytest.raises(ValueError, match="max_batch"):
        BatchRunner(lambda articles: None, max_batch=0)


def test_batched_analyses_equal_single_ones():
    from newsift.web.service import Analyzer

    texts = [
        f"The mayor of Town {i} said on Monday that {i * 100} homes lost power. "
        f'"We are working on it," said engineer Ana Ruiz {i}. Officials say repairs take a week.'
        for i in range(1, 4)
    ]
    analyzer = Analyzer(
        stages=["nlp.v1", "attribution.v1", "claims.v0", "sourcing.v1"], max_batch=8
    )
    singles = [analyzer.analyze_text(t).to_dict() for t in texts]
    gate = threading.Event()
    results: dict = {}
    blocker = threading.Thread(
        target=lambda: analyzer.runner.submit(lambda: gate.wait(120) and Article(text="x"))
    )
    blocker.start()
    deadline = time.monotonic() + 120  # generous: CI machines can be busy
    while not analyzer.runner._busy:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    threads = [
        threading.Thread(target=lambda t=t: results.__setitem__(t, analyzer.analyze_text(t)))
        for t in texts
    ]
    for t in threads:
        t.start()
    while len(analyzer.runner._queue) < len(texts):
        assert time.monotonic() < deadline
        time.sleep(0.001)
    gate.set()
    for t in [blocker, *threads]:
        t.join(120)
    assert analyzer.runner.batch_sizes[-1] == len(texts)
    assert [results[t].to_dict() for t in texts] == singles
