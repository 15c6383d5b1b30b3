"""The CLI's exit statuses (issue 23): 2 bad input, 1 internal error, 130 Ctrl-C, 143 SIGTERM,
each with one line on stderr; ``--debug`` shows the traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import click
import pytest

from newsift.cli import cli, main
from newsift.errors import DataError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def command(monkeypatch: pytest.MonkeyPatch):
    """Adds a test command ``boom`` that raises what the test gives it."""

    def add(exc: BaseException) -> None:
        @click.command("boom")
        def boom() -> None:
            raise exc

        monkeypatch.setitem(cli.commands, "boom", boom)

    return add


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code or 0), capsys.readouterr().err


def one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_bad_input_is_exit_2_with_what_to_do(command, capsys) -> None:
    command(DataError("labels.csv line 3: expected a 'label' column; add it"))
    status, err = run_main(["boom"], capsys)
    assert status == 2
    assert one_line(err) == "newsift: error: labels.csv line 3: expected a 'label' column; add it"


def test_a_missing_file_is_exit_2(tmp_path: Path, capsys) -> None:
    status, err = run_main(["analyze", str(tmp_path / "nope.txt")], capsys)
    assert status == 2 and "no such file" in one_line(err)


def test_usage_errors_are_exit_2(capsys) -> None:
    status, err = run_main(["analyze", "--format", "nope", "x"], capsys)
    assert status == 2 and "Invalid value for '--format'" in err
    status, err = run_main(["no-such-command"], capsys)
    assert status == 2 and "No such command" in err


def test_an_internal_error_is_exit_1_and_says_to_rerun_with_debug(command, capsys) -> None:
    command(ZeroDivisionError("division by zero"))
    status, err = run_main(["boom"], capsys)
    assert status == 1
    line = one_line(err)
    assert line.startswith("newsift: internal error (ZeroDivisionError: division by zero)")
    assert "--debug" in line and "report it" in line


def test_debug_shows_the_traceback(command) -> None:
    command(ZeroDivisionError("division by zero"))
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "boom"])
    command(DataError("bad"))
    with pytest.raises(DataError):
        main(["--debug", "boom"])


def test_keyboard_interrupt_is_exit_130_not_aborted(command, capsys) -> None:
    command(KeyboardInterrupt())
    status, err = run_main(["boom"], capsys)
    assert status == 130
    assert one_line(err) == "newsift: interrupted"
    assert "Aborted" not in err


def test_success_is_exit_0_even_when_a_command_returns_a_value(monkeypatch, capsys) -> None:
    @click.command("answer")
    def answer() -> int:
        click.echo("done")
        return 7

    monkeypatch.setitem(cli.commands, "answer", answer)
    with pytest.raises(SystemExit) as info:
        main(["answer"])
    assert info.value.code == 0
    assert capsys.readouterr().out == "done\n"


def test_error_messages_cannot_drive_the_terminal(command, capsys) -> None:
    command(DataError("file \x1b]0;pwned\x07\x1b[2J\u202e.csv: bad"))
    status, err = run_main(["boom"], capsys)
    assert status == 2
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "␛]0;pwned␇" in err
    status, err = run_main(["analyze\x1b[2J"], capsys)
    assert status == 2 and "\x1b" not in err


_WAITER = textwrap.dedent(
    """
    import sys, time
    import click
    from newsift.cli import cli, main

    @click.command("wait")
    def wait():
        print("ready", flush=True)
        time.sleep(30)

    cli.add_command(wait)
    main(["wait"])
    """
)


@pytest.mark.parametrize(
    ("signum", "status", "line"),
    [(signal.SIGTERM, 143, "newsift: terminated"), (signal.SIGINT, 130, "newsift: interrupted")],
)
def test_signals_in_a_real_process(signum: int, status: int, line: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _WAITER],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.1)
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == status, err
    assert one_line(err) == line


def test_a_closed_stdout_is_exit_141_without_a_traceback() -> None:
    code = textwrap.dedent(
        """
        import click
        from newsift.cli import cli, main

        @click.command("spam")
        def spam():
            for _ in range(100_000):
                click.echo("x" * 100)

        cli.add_command(spam)
        main(["spam"])
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=20) == 141
    assert b"Traceback" not in err
