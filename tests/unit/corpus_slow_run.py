"""Helper for the kill-and-resume test: a corpus run with a deliberately slow stage.

Run as ``python corpus_slow_run.py DB WORKERS``; prints ``committed N`` after each committed batch.
The stage is defined at module level so that spawned worker processes register it too.
"""

from __future__ import annotations

import sys
import time

from newsift.pipeline import Stage, register_stage


@register_stage("test_slow.v1")
class SlowStage(Stage):
    """Sleeps a little per article and records the article's length as a layer."""

    assigns = ("slow",)

    def predict(self, batch):
        time.sleep(0.01 * len(batch))
        return [len(a.text) for a in batch]

    def annotate(self, batch, predictions):
        for article, n in zip(batch, predictions, strict=True):
            article.layers["slow"] = {"chars": n}


def main() -> None:
    from newsift.corpus.runner import run
    from newsift.corpus.store import open_store

    db, workers = sys.argv[1], int(sys.argv[2])
    done = 0

    def on_batch(n: int) -> None:
        nonlocal done
        done += n
        print(f"committed {done}", flush=True)

    with open_store(db) as store:
        summary = run(store, stages=["test_slow.v1"], workers=workers, batch=4, on_batch=on_batch)
    print(f"finished {summary.analysed}", flush=True)


if __name__ == "__main__":
    main()
