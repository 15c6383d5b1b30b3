"""``newsift train TASK``: reproduce a committed model artifact (needs the [train] extra and torch)."""

from __future__ import annotations

import click

from ..cli import LazyGroup

TRAIN_TASKS = {
    "persuasion": "newsift.train.persuasion:command",
    "claims": "newsift.train.claims:command",
    "attribution": "newsift.train.attribution:command",
    "all": "newsift.train.recipe:command",
}


@click.group("train", cls=LazyGroup, lazy=TRAIN_TASKS)
def train_group() -> None:
    """Train a model artifact from a dataset folder (research data stays outside the repo)."""
