"""Corpus commands: ``ingest``, ``run``, ``status``, ``narratives``, ``trace``, ``export``.

Each is a thin click surface over :mod:`newsift.corpus`; tables and counts go to stdout, progress
bars to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..commands.options import stage_settings

DB_OPTION = click.option(
    "--db",
    default="newsift.duckdb",
    envvar="NEWSIFT_DB",
    show_default=True,
    help="The corpus database file (DuckDB).",
)


@contextmanager
def _opened(db: str, *, read_only: bool = False) -> Iterator[Any]:
    """The corpus store at ``db``; a database error while it is used (a damaged or cut file is
    often found only when a query reads the broken block) becomes one clear DataError."""
    import duckdb

    from .store import database_error, open_store

    with open_store(db, read_only=read_only) as store:
        try:
            yield store
        except duckdb.Error as err:
            raise database_error(db, err) from err


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=_console(stderr=True), disable=quiet) as progress:
        task = progress.add_task(label, total=None, rate="")

        def advance(n: int = 1, total: int | None = None) -> None:
            if total is not None:
                progress.update(task, total=total)
            progress.advance(task, n)
            speed = progress.tasks[task].speed
            progress.update(task, rate=f"{speed:,.1f}/s" if speed else "")

        yield advance


def _summary_table(title: str, counts: dict[str, Any], problems: dict[str, int]) -> Any:
    from rich.table import Table

    table = Table(title=title, show_header=False)
    for k, v in counts.items():
        table.add_row(k, f"{v:,}" if isinstance(v, int) else str(v))
    for code, n in sorted(problems.items(), key=lambda kv: -kv[1]):
        table.add_row(f"problem: {code}", f"{n:,}")
    return table


@click.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@click.option(
    "--text-key", default="text", show_default=True, help="JSONL/CSV field with the article text."
)
@click.option(
    "--html-key", default="html", show_default=True, help="JSONL/CSV field with the article HTML."
)
@click.option("--url-key", default="url", show_default=True)
@click.option("--title-key", default="title", show_default=True)
@click.option("--date-key", default="date", show_default=True)
@click.option("--outlet-key", default="outlet", show_default=True)
@click.option("--id-key", default="id", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(
    paths: tuple[str, ...],
    db: str,
    text_key: str,
    html_key: str,
    url_key: str,
    title_key: str,
    date_key: str,
    outlet_key: str,
    id_key: str,
    quiet: bool,
    as_json: bool,
) -> None:
    """Read JSONL, CSV, WARC(.gz), RSS/Atom files and folders of .html/.txt into the database.

    Duplicates (same URL or same text) are skipped and recorded; ingesting the same input again
    changes nothing. A record that cannot be read is recorded as a problem (file and line) and
    the ingest goes on; Ctrl-C or SIGTERM keeps what was read (exit 130 or 143).
    """
    from .ingest import ingest as do_ingest
    from .readers import FieldMap

    fields = FieldMap(
        text=text_key,
        html=html_key,
        url=url_key,
        title=title_key,
        date=date_key,
        outlet=outlet_key,
        id=id_key,
        author="author",
    )
    from .workers import Terminated, signals_raise

    try:
        with signals_raise(), _opened(db) as store, _progress("ingest", quiet) as advance:
            summary = do_ingest(store, paths, fields=fields, on_record=advance)
    except (KeyboardInterrupt, Terminated) as stop:
        import signal

        signum = stop.signum if isinstance(stop, Terminated) else signal.SIGINT
        click.echo(
            f"newsift: ingest stopped by {signal.Signals(signum).name}; the records read so far are "
            "stored: run the same command again to go on (stored records are skipped)",
            err=True,
        )
        click.get_current_context().exit(128 + signum)
    if as_json:
        click.echo(json.dumps(summary.to_dict()))
        return
    counts = {k: v for k, v in summary.to_dict().items() if k != "problems"}
    _console().print(_summary_table(f"ingest into {db}", counts, dict(summary.problems)))


def _stages(spec: str) -> list[str]:
    from ..pipeline import DEFAULT_STAGES

    if spec == "default":
        return list(DEFAULT_STAGES)
    if spec in ("none", ""):
        return []
    return [s.strip() for s in spec.split(",") if s.strip()]


@click.command()
@DB_OPTION
@click.option(
    "--workers",
    "-w",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (1 analyses in this process).",
)
@click.option(
    "--stages",
    default="default",
    show_default=True,
    help="Comma-separated stage names, 'default', or 'none' (extraction only).",
)
@stage_settings
@click.option(
    "--batch",
    default=16,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Articles per task and per committed transaction.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help="Analyse at most this many articles (the lowest pending ids).",
)
@click.option(
    "--vectors/--no-vectors",
    default=True,
    show_default=True,
    help="Store claim vectors: MiniLM for `newsift narratives`, MiniLM and multilingual e5 for "
    "`newsift trace` (when the models are installed).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def run(
    db: str,
    workers: int,
    stages: str,
    settings: tuple[str, ...],
    batch: int,
    limit: int | None,
    vectors: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Analyse every article not analysed yet; safe to kill and run again.

    Ctrl-C or SIGTERM ends the workers within seconds and keeps every committed batch (exit 130
    or 143); run again to go on.
    """
    from ..pipeline import Pipeline, with_settings
    from .runner import run as do_run
    from .workers import Interrupted, signals_raise

    names = with_settings(_stages(stages), settings)
    Pipeline(names)  # an unknown stage or setting fails here, before any work
    try:
        with signals_raise(), _opened(db) as store, _progress("run", quiet) as advance:
            summary = do_run(
                store,
                stages=names,
                workers=workers,
                batch=batch,
                limit=limit,
                vectors="minilm" if vectors and _minilm_installed() else "",
                on_start=lambda n: advance(0, total=n),
                on_batch=advance,
            )
    except Interrupted as stop:
        _stopped(stop, db)
    if as_json:
        click.echo(json.dumps(summary.to_dict()))
        return
    counts = {
        "analysed": summary.analysed,
        "failed": summary.failed,
        "seconds": f"{summary.seconds:.1f}",
        "articles/s": f"{(summary.analysed + summary.failed) / max(summary.seconds, 1e-9):.2f}",
    }
    _console().print(
        _summary_table(f"run on {db} ({workers} worker(s))", counts, dict(summary.problems))
    )


def _stopped(stop: Any, db: str) -> None:
    """One line on how far an interrupted run got and how to go on; exit 128 + the signal."""
    import signal

    name = signal.Signals(stop.signum).name
    done = stop.summary.analysed + stop.summary.failed
    again = "newsift run" + ("" if db == "newsift.duckdb" else f" --db {db}")
    click.echo(
        f"newsift: run stopped by {name}; {done:,} article(s) analysed and committed, the rest are "
        f"still pending: run `{again}` again to go on",
        err=True,
    )
    click.get_current_context().exit(128 + stop.signum)


def _minilm_installed() -> bool:
    from ..embed import MODEL_DIR

    return (MODEL_DIR / "model.onnx").exists() and (MODEL_DIR / "tokenizer.json").exists()


def status_counts(store: Any) -> dict[str, Any]:
    """What is in a corpus database, as a dict."""
    q = store.query
    articles = q("SELECT count(*), min(date), max(date), count(DISTINCT domain) FROM articles")[0]
    done = dict(q("SELECT status, count(*) FROM analyses GROUP BY status"))
    return {
        "articles": articles[0],
        "analysed": done.get("ok", 0),
        "failed": done.get("failed", 0),
        "pending": articles[0] - sum(done.values()),
        "outlets": articles[3],
        "first date": str(articles[1]),
        "last date": str(articles[2]),
        "claims": q("SELECT count(*) FROM claims")[0][0],
        "narratives": q("SELECT count(*) FROM narratives")[0][0],
        "problems": {
            f"{s}/{c}": n
            for s, c, n in q(
                "SELECT stage, code, count(*) FROM problems GROUP BY stage, code ORDER BY 3 DESC"
            )
        },
    }


@click.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def status(db: str, as_json: bool) -> None:
    """Show what is in the database: articles, analysed, pending, problems, narratives."""

    with _opened(db, read_only=True) as store:
        counts = status_counts(store)
    if as_json:
        click.echo(json.dumps(counts))
        return
    problems = counts.pop("problems")
    _console().print(_summary_table(db, counts, problems))


@click.command()
@DB_OPTION
@click.option("--window-days", default=14, show_default=True, type=click.IntRange(1, 3650))
@click.option(
    "--encoder",
    type=click.Choice(["auto", "minilm", "hashing"]),
    default="auto",
    show_default=True,
    help="Sentence vectors for rewordings (hashing is fast and needs no model).",
)
@click.option("--copy-threshold", default=0.5, show_default=True, type=click.FloatRange(0.0, 1.0))
@click.option(
    "--reword-threshold",
    default=None,
    type=click.FloatRange(-1.0, 1.0),
    help="Cosine a candidate rewording needs before the claim model verifies it (encoder default).",
)
@click.option(
    "--cross-language",
    type=click.Choice(["auto", "all", "off"]),
    default="auto",
    show_default=True,
    help="Link versions in other languages (e5): auto encodes non-English units and the English "
    "ones the cascade picks; all encodes every English unit too (slower).",
)
@click.option(
    "--show",
    default=10,
    show_default=True,
    type=click.IntRange(min=0),
    help="Narratives to print (largest first).",
)
@click.option(
    "--no-build", is_flag=True, help="Show the stored narratives without rebuilding them."
)
@click.option("--quiet", "-q", is_flag=True)
def narratives(
    db: str,
    window_days: int,
    encoder: str,
    copy_threshold: float,
    reword_threshold: float | None,
    cross_language: str,
    show: int,
    no_build: bool,
    quiet: bool,
) -> None:
    """Group claims across articles into narratives (copies, rewordings, translations) and show
    them with their origin candidate and spread over outlets and days."""
    from .narratives import NARRATIVES_VERSION, NarrativeConfig, build_narratives

    with _opened(db, read_only=no_build) as store:
        if no_build and store.get_meta("narratives_version") != NARRATIVES_VERSION:
            if store.query("SELECT count(*) FROM narratives")[0][0]:
                click.echo(
                    "note: these narratives were built by an older newsift (no rewording "
                    "verification, no languages); run `newsift narratives` to rebuild them",
                    err=True,
                )
        if not no_build:
            config = NarrativeConfig(
                window_days=window_days,
                encoder=encoder,
                copy_threshold=copy_threshold,
                reword_threshold=reword_threshold,
                cross_language=cross_language,
            )
            with _progress("windows", quiet) as advance:
                summary = build_narratives(store, config, lambda n, total: advance(1, total=total))
            click.echo(json.dumps(summary.to_dict()), err=True)
        _show_narratives(store, show)


def _show_narratives(store: Any, show: int) -> None:
    from .narrative_rows import member_view, origin_status, spread

    console = _console()
    rows = store.query(
        "SELECT id FROM narratives ORDER BY n_articles DESC, first_date LIMIT ?", [show]
    )
    for (nid,) in rows:
        ms = member_view(store, nid)
        origin = ms[0]
        status = origin_status(ms)
        outlets = sorted({(m["domain"], m["outlet_rating"]) for m in ms if m["domain"]}, key=str)
        langs = sorted({m["language"] for m in ms})
        console.print(
            f"[bold]narrative {nid}[/bold]: {len({m['article_id'] for m in ms})} articles, "
            f"{len(outlets)} outlets, languages: {', '.join(langs)}",
            markup=True,
            highlight=False,
        )
        if status["unknown"]:
            console.print("  origin unknown: no member has a date", highlight=False)
        else:
            console.print(
                f"  origin candidate: {origin['date']} {origin['domain']} {origin['url']}",
                highlight=False,
            )
        if status["tied"]:
            console.print(
                f"  tied: {len(status['tied'])} articles share the earliest date "
                f"(articles {', '.join(map(str, status['tied']))}); the origin cannot be told apart",
                highlight=False,
            )
        if status["no_date"]:
            console.print(
                f"  {status['no_date']} article(s) have no date and could have come first",
                highlight=False,
            )
        console.print(f"  “{origin['text']}”", markup=False, highlight=False)
        console.print(
            "  outlets: " + ", ".join(f"{d} ({_rating(r)})" for d, r in outlets[:12]),
            markup=False,
            highlight=False,
        )
        console.print("  timeline:", highlight=False)
        for day in spread(ms):
            bar = "█" * min(day["articles"], 40)
            new = f" first: {', '.join(day['new_outlets'])}" if day["new_outlets"] else ""
            console.print(
                f"    {day['day']:<10} {bar} {day['articles']}{new}", markup=False, highlight=False
            )
        by_lang = [m for m in ms if m["language"] != origin["language"]]
        for m in by_lang[:6]:
            console.print(
                f"    [{m['language']}] {m['domain'] or '-'}: {m['text']}",
                markup=False,
                highlight=False,
            )
    if not rows:
        console.print(_why_no_narratives(store), highlight=False)


def _why_no_narratives(store: Any) -> str:
    """Why a corpus has no narratives, in one line."""
    analysed, articles, units = store.query(
        "SELECT (SELECT count(*) FROM analyses WHERE status = 'ok'), "
        "(SELECT count(*) FROM articles), (SELECT count(*) FROM claims)"
    )[0]
    if not articles:
        return "no narratives: the database holds no articles (run `newsift ingest` first)"
    if not analysed:
        return "no narratives: no article is analysed yet (run `newsift run` first)"
    if analysed < 2:
        return (
            f"no narratives: only {analysed} analysed article; a narrative needs two articles "
            "(identical articles are stored once: see `newsift status` for duplicate_content)"
        )
    if not units:
        return "no narratives: the analysed articles have no sentences or claims to compare"
    return (
        f"no narratives: no claim of the {analysed} analysed articles appears in another "
        "(run `newsift narratives` to rebuild after `newsift run`)"
    )


def _rating(r: float | None) -> str:
    return "not rated" if r is None else f"rating {r:.2f}"


@click.command()
@click.argument("claim", required=False)
@DB_OPTION
@click.option(
    "--article", "article_id", type=int, default=None, help="Trace the claims of this article id."
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON lines.")
def trace(claim: str | None, db: str, article_id: int | None, limit: int, as_json: bool) -> None:
    """Where a claim appeared, earliest first: each match's URL, outlet, and copy/reword score."""
    from ..errors import InputError
    from .trace import trace_article

    if (claim is None) == (article_id is None):
        raise InputError("trace: give a claim text or --article ID (one of them)", code="bad_usage")
    if claim is not None:
        from .trace import check_query

        check_query(claim)  # a bad query is refused before the database is opened
        from pathlib import Path

        from ..errors import DataError

        # Read-write when it can, so vectors encoded for an older database are kept; read-only
        # when another process holds it (and always for a missing file: nothing is created).
        writable = Path(db).is_file()
        if writable:
            try:
                with _opened(db) as store:
                    _print_trace(store, claim, limit, as_json)
                return
            except DataError as err:
                if getattr(err, "code", "") != "db_unavailable":
                    raise
        with _opened(db, read_only=True) as store:
            _print_trace(store, claim, limit, as_json)
        return
    with _opened(db, read_only=True) as store:
        assert article_id is not None  # one of claim and article_id is given (checked above)
        found = trace_article(store, article_id)
    if not found and not as_json:
        click.echo(
            f"article {article_id}'s claims appear in no narrative (as of the last `newsift narratives`)"
        )
    for item in found:
        n = item["narrative"]
        if not as_json:
            click.echo(
                f"narrative {n['id']} ({n['kind']}, {n['n_articles']} articles): {n['text']}"
            )
        _print_matches(item["members"], as_json)


def _print_trace(store: Any, claim: str, limit: int, as_json: bool) -> None:
    """``trace CLAIM``: the index notes on stderr, then the matches earliest first."""
    from .trace import narratives_of, trace_search

    err = _console(stderr=True)
    result = trace_search(store, claim, limit=limit, progress=lambda line: err.print(line))
    for note in result.notes:
        err.print(note)
    member_of = narratives_of(store, [m["uid"] for m in result.matches])
    for m in result.matches:
        m["narrative_id"] = member_of.get(m.pop("uid"))
    if not as_json:
        lang = result.language or "language not told"
        click.echo(
            f"{len(result.matches)} articles carry the claim ({lang}; {result.searched:,} claim "
            f"units searched), earliest first:"
        )
    _print_matches(result.matches, as_json)


def _print_matches(matches: list[dict[str, Any]], as_json: bool) -> None:
    for m in matches:
        if as_json:
            click.echo(json.dumps(m, default=str))
            continue
        date = m["date"].strftime("%Y-%m-%d %H:%M") if m.get("date") else "(no date)"
        marks = [k for k in ("origin", "tied") if m.get(k)]
        lang = f" [{m['language']}]" if m.get("language") else ""
        click.echo(
            f"  {date}  {m['match']:<11} {m['similarity']:.2f}{lang}  {m.get('domain') or '-'} "
            f"({_rating(m.get('outlet_rating'))})  {m.get('url') or 'article ' + str(m['article_id'])}"
            + (f"  ({', '.join(marks)})" if marks else "")
        )
        click.echo(f"      {m['text']}")
    if not matches and not as_json:
        click.echo("no matches")


@click.command()
@DB_OPTION
@click.option(
    "--table",
    default="analyses",
    show_default=True,
    help="articles, analyses, claims, attributions, spans, problems, narratives, narrative_members.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv", "jsonl"]),
    default="parquet",
    show_default=True,
)
@click.option("--output", "-o", required=True, help="The file to write.")
def export(db: str, table: str, fmt: str, output: str) -> None:
    """Write a table to Parquet, CSV or JSONL (the analyses table holds each article's JSON)."""

    with _opened(db, read_only=True) as store:
        n = store.export(table, output, fmt)
    click.echo(f"wrote {n:,} rows of {table} to {output}")
