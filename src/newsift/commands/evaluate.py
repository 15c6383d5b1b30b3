"""``newsift eval TASK``: score a stage on a dataset folder with the task's official metric.

Each task lives in ``newsift.eval.<task>`` and exposes a click command named ``command``.
"""

from __future__ import annotations

import click

from ..cli import LazyGroup

EVAL_TASKS = {
    "extraction": "newsift.eval.extraction:command",
    "persuasion": "newsift.eval.persuasion:command",
    "checkworthy": "newsift.eval.checkworthy:command",
    "claim-matching": "newsift.eval.claim_matching:command",
    "catalogue-matching": "newsift.eval.claim_matching:catalogue_command",
    "attribution": "newsift.eval.attribution:command",
    "figures": "newsift.eval.figures:command",
    "sentences": "newsift.eval.sentences:command",
    "trace": "newsift.eval.trace:command",
}


@click.group("eval", cls=LazyGroup, lazy=EVAL_TASKS)
def eval_group() -> None:
    """Score a stage on a dataset with the task's official metric."""
