"""The ``newsift`` command: a thin surface over :mod:`newsift.api`.

Commands live in their own modules and are imported only when called, so ``newsift --help`` and
the cold start stay fast. Every :class:`~newsift.errors.NewsiftError` becomes one line on stderr
and exit status 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from .errors import NewsiftError

# name -> "module:attribute" of a click command; a module that is not there is simply not offered.
COMMANDS: dict[str, str] = {
    "analyze": "newsift.commands.analyze:analyze",
    "eval": "newsift.commands.evaluate:eval_group",
    "train": "newsift.commands.train:train_group",
    "factchecks": "newsift.commands.factchecks:factchecks_group",
    "ingest": "newsift.corpus.cli:ingest",
    "run": "newsift.corpus.cli:run",
    "status": "newsift.corpus.cli:status",
    "narratives": "newsift.corpus.cli:narratives",
    "trace": "newsift.corpus.cli:trace",
    "export": "newsift.corpus.cli:export",
    "serve": "newsift.web.cli:serve",
    "stages": "newsift.commands.analyze:stages",
    "spark": "newsift.commands.spark:spark",
}


def load_command(path: str) -> click.Command | None:
    module_name, attr = path.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name and (err.name == module_name or module_name.startswith(err.name + ".")):
            return None
        raise
    return getattr(module, attr, None)


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names.update(n for n, p in self.lazy.items() if load_command(p) is not None)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            return load_command(self.lazy[cmd_name])
        return super().get_command(ctx, cmd_name)


class ErrorHandlingGroup(LazyGroup):
    """Turns NewsiftError into one clear line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsiftError as err:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"newsift: error: {err.message}", err=True)
            ctx.exit(2)


@click.group(
    cls=ErrorHandlingGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="newsift")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Read news articles the way a careful fact-checker does."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="newsift", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("newsift: interrupted", err=True)
        sys.exit(130)
