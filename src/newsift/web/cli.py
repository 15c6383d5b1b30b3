"""``newsift serve``: the web UI and REST API on uvicorn (localhost by default)."""

from __future__ import annotations

import json
import os

import click

from ..commands.options import stage_settings
from ..errors import ConfigError


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but localhost exposes the server to the network.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME[:PORT]",
    help="Another Host name the server answers to, repeatable (behind a reverse proxy, or with "
    "--host 0.0.0.0). By default only the --host address (on loopback: localhost, 127.0.0.1 and "
    "[::1]) with --port; requests to other names are refused, which stops DNS rebinding.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="A corpus database (from `newsift ingest`) to browse and trace.",
)
@click.option(
    "--allow-private-urls",
    is_flag=True,
    help="Let the server fetch loopback, private and link-local addresses (refused by default).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes; each loads the models once and analyses one article at a time.",
)
@click.option(
    "--stages",
    default=None,
    help="Comma-separated stage names to run instead of the default pipeline "
    "(see `newsift stages`).",
)
@stage_settings
def serve(
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    db: str | None,
    allow_private_urls: bool,
    workers: int,
    stages: str | None,
    settings: tuple[str, ...],
) -> None:
    """Serve the analyst's web UI and the REST API (OpenAPI at /openapi.json)."""
    from ..pipeline import Pipeline, stages_from_cli

    stage_list = stages_from_cli(stages, settings)
    if stage_list:
        Pipeline(
            stage_list
        )  # an unknown stage or setting is a ConfigError before the server starts
    try:
        import uvicorn
    except ImportError as err:  # pragma: no cover - uvicorn is a dependency
        raise ConfigError("uvicorn is not installed; run `pip install newsift` again") from err
    if db and not os.path.exists(db):
        raise ConfigError(
            f"{db}: no such corpus database; create it with `newsift ingest --db {db} ...`"
        )
    # One onnxruntime thread per server process: requests already run in parallel across
    # --workers, and idle intra-op threads spin; measured on the example article with 2 threads,
    # 217 ms of CPU per request, with 1 thread 112 ms. NEWSIFT_THREADS overrides.
    os.environ.setdefault("NEWSIFT_THREADS", "1")
    from .middleware import AllowedHosts, served_hosts

    hosts = served_hosts(host, port, allowed_hosts)
    try:
        AllowedHosts(hosts)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--allowed-host") from err
    click.echo(f"newsift: serving on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    if host in ("0.0.0.0", "::") and not allowed_hosts:
        click.echo(
            "newsift: only requests to localhost are answered; add --allowed-host NAME for each "
            "name the server is reached under",
            err=True,
        )
    if workers == 1:
        from .app import create_app

        app = create_app(
            db=db,
            allow_private_urls=allow_private_urls,
            warm=True,
            stages=stage_list,
            allowed_hosts=hosts,
        )
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    # Several processes need an import string; the settings travel in the environment.
    os.environ["NEWSIFT_WEB_DB"] = db or ""
    os.environ["NEWSIFT_WEB_ALLOW_PRIVATE_URLS"] = "1" if allow_private_urls else "0"
    os.environ["NEWSIFT_WEB_STAGES"] = json.dumps(stage_list) if stage_list else ""
    os.environ["NEWSIFT_WEB_ALLOWED_HOSTS"] = ",".join(hosts)
    uvicorn.run(
        "newsift.web.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
