"""The ``newsift`` command: a thin surface over :mod:`newsift.api`.

Commands live in their own modules and are imported only when called, so ``newsift --help`` and
the cold start stay fast. :func:`main` maps every failure to one line on stderr and an exit
status (2 bad input, 1 internal error, 130 Ctrl-C, 143 SIGTERM); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import importlib
import io
import os
import signal
import sys
import threading
from typing import Any

import click

from .errors import NewsiftError
from .report.safe import terminal_safe

EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
EXIT_TERMINATED = 143
ISSUES_URL = "https://github.com/newsift/newsift/issues"

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
    """Runs a subcommand and turns what it raises into the CLI's exit statuses (see :func:`main`).

    Here because only the group's context knows ``--debug``: with it, exceptions propagate with
    their tracebacks.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # `newsift ... | head`: the reader has all it wanted
            _quiet_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except NewsiftError as err:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _say(f"error: {err.message}")
            ctx.exit(EXIT_BAD_INPUT)
        except Exception as err:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _say(
                f"internal error ({type(err).__name__}: {_one_line(str(err))}); this is a bug in "
                f"newsift: rerun with --debug for the traceback and report it at {ISSUES_URL}"
            )
            ctx.exit(EXIT_INTERNAL)
        # A command's return value is not an exit status (main runs click non-standalone).
        return None


@click.group(
    cls=ErrorHandlingGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="newsift")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Read news articles the way a careful fact-checker does.

    Exit status: 0 done; 1 internal error (a bug: rerun with --debug and report it); 2 bad input
    or usage; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _say(message: str) -> None:
    """One line on stderr, ``newsift: ...``, with terminal control characters shown, not obeyed
    (messages echo file names, URLs and article text)."""
    click.echo(f"newsift: {terminal_safe(_one_line(message, 2000))}", err=True)


class Terminated(BaseException):
    """SIGTERM arrived: unwinds the stack like KeyboardInterrupt, so ``finally`` blocks run."""


def _install_sigterm() -> Any:
    """Turn SIGTERM into :class:`Terminated` (exit 143) unless someone else already handles it.

    Returns the handler to restore, or None when nothing was installed.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        return None
    pid = os.getpid()

    def on_sigterm(signum: int, frame: Any) -> None:
        if os.getpid() != pid:  # a forked child inherited the handler: die the default way
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated

    signal.signal(signal.SIGTERM, on_sigterm)
    return previous


def main(argv: list[str] | None = None) -> None:
    """The ``newsift`` entry point: run the command and exit with the status it earned.

    Every failure becomes one line on stderr and an exit status, whatever the command:

    - 2: bad input or usage (a :class:`~newsift.errors.NewsiftError` or a click usage error):
      the line says what was wrong and what to do;
    - 1: an internal error (any other exception): the line says to rerun with ``--debug``, which
      shows the traceback instead, and to report it;
    - 130: interrupted (Ctrl-C, ``KeyboardInterrupt``) — never click's "Aborted!" and status 1;
    - 143: terminated (SIGTERM);
    - 141: the reader of stdout went away (``newsift ... | head``), without a traceback.
    """
    previous = _install_sigterm()
    try:
        _run(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(argv: list[str] | None) -> None:
    try:
        status = cli.main(args=argv, prog_name="newsift", standalone_mode=False)
    except click.Abort as err:
        if isinstance(err.__cause__, EOFError):
            _say("error: the input ended before it was complete (end of file on stdin)")
            sys.exit(EXIT_BAD_INPUT)
        _say("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        _say("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        _say("terminated")
        sys.exit(EXIT_TERMINATED)
    except click.ClickException as err:
        _usage_error(err)
        sys.exit(EXIT_BAD_INPUT)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    sys.exit(status if isinstance(status, int) and not isinstance(status, bool) else 0)


def _usage_error(err: click.ClickException) -> None:
    """click's usage message (usage line, hint, error), with control characters made safe."""
    buffer = io.StringIO()
    err.show(file=buffer)
    sys.stderr.write(terminal_safe(buffer.getvalue()))


def _quiet_stdout() -> None:
    # Python flushes stdout at exit and would fail again on the closed pipe.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
