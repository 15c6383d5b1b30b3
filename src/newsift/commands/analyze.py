"""``newsift analyze SOURCE``: one article, end to end."""

from __future__ import annotations

import json
import sys

import click

from ..errors import InputError


@click.command("analyze")
@click.argument("source")
@click.option(
    "--url", help="The article's original URL (for pasted text or saved pages): sets the outlet."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: terminal report; json: the versioned article JSON (docs/schema.md); html: a self-contained report.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to FILE instead of stdout.",
)
@click.option(
    "--stages",
    help="Comma-separated stage names to run instead of the default pipeline (see `newsift stages`).",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="STAGE.KEY=VALUE",
    help="A stage setting, repeatable: e.g. --set persuasion.model=student --set "
    "persuasion.gate=0.1 (the faster persuasion models; docs/persuasion.md lists them).",
)
@click.option(
    "--max-bytes",
    type=int,
    default=20_000_000,
    show_default=True,
    help="Refuse inputs larger than this.",
)
@click.option(
    "--timeout",
    type=float,
    default=15.0,
    show_default=True,
    help="Seconds for the whole URL fetch (every redirect and read).",
)
def analyze(
    source: str,
    url: str | None,
    fmt: str,
    output: str | None,
    stages: str | None,
    settings: tuple[str, ...],
    max_bytes: int,
    timeout: float,
) -> None:
    """Analyse one article: a file (.html/.txt/.md), - for stdin, or an http(s) URL."""
    from ..api import Options
    from ..api import analyze as run_analyze
    from ..pipeline import stages_from_cli

    stage_list = stages_from_cli(stages, settings)
    article = run_analyze(
        source, url=url, stages=stage_list, options=Options(max_bytes=max_bytes, timeout=timeout)
    )
    if fmt == "json":
        rendered = json.dumps(article.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        from ..report.html import render_html

        rendered = render_html(article)
    else:
        from ..report.text import render_text

        if output:
            rendered = render_text(article)
        else:
            from rich.console import Console

            render_text(article, Console(file=sys.stdout))
            return
    if output:
        try:
            with open(output, "w", encoding="utf-8") as f:
                f.write(rendered)
        except OSError as err:
            raise InputError(
                f"{output}: could not write the report ({err.strerror}); check the path",
                code="unwritable",
            ) from err
        from ..report.safe import terminal_safe

        click.echo(f"wrote {terminal_safe(output)}", err=True)
    else:
        sys.stdout.write(rendered)


@click.command("stages")
def stages() -> None:
    """List the stages that can be put in a pipeline, with the languages each runs on and the
    quality measured there (the support matrix of docs/languages.md)."""
    from ..pipeline import DEFAULT_STAGES, available_stages
    from ..support import matrix_lines

    for line in matrix_lines(available_stages(), DEFAULT_STAGES):
        click.echo(line)
