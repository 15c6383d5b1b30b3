"""Command-line options that several commands share, defined once."""

from __future__ import annotations

import click

#: ``--set STAGE.KEY=VALUE``, repeatable (analyze, run, serve, spark).
stage_settings = click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="STAGE.KEY=VALUE",
    help="A stage setting, repeatable: e.g. --set persuasion.model=student.",
)
