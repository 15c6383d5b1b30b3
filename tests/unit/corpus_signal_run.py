"""Helper for the signal tests: the ``newsift run`` command with a slow stage.

Run as ``python corpus_signal_run.py DB WORKERS``. Each batch a stage sees touches the file named
by ``$NEWSIFT_TEST_MARKER`` (so a test knows work has begun) and sleeps a little per article. The
stage is defined at module level so that spawned worker processes register it too.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from newsift.pipeline import Stage, register_stage


@register_stage("test_sleepy.v1")
class SleepyStage(Stage):
    """Sleeps 0.15 s per article and records the article's length as a layer."""

    assigns = ("sleepy",)

    def predict(self, batch):
        marker = os.environ.get("NEWSIFT_TEST_MARKER")
        if marker:
            Path(marker).touch()
        time.sleep(0.15 * len(batch))
        return [len(a.text) for a in batch]

    def annotate(self, batch, predictions):
        for article, n in zip(batch, predictions, strict=True):
            article.layers["sleepy"] = {"chars": n}


@register_stage("test_crashy.v1")
class CrashyStage(SleepyStage):
    """Ends its worker process abruptly on the article that mentions 'Story 7:', as an
    out-of-memory kill would."""

    def predict(self, batch):
        if any("Story 7:" in a.text for a in batch):
            os._exit(9)
        return super().predict(batch)


if __name__ == "__main__":
    from newsift.cli import main

    db, workers = sys.argv[1], sys.argv[2]
    stage = sys.argv[3] if len(sys.argv) > 3 else "test_sleepy.v1"
    args = ["run", "--db", db, "--stages", stage, "--workers", workers, "--batch", "2"]
    main([*args, "--no-vectors", "-q", "--json"])
