"""``newsift spark``: the batch analysis of ``newsift run`` on a Spark cluster."""

from __future__ import annotations

import os
import sys

import click

from ..corpus.spark import FORMATS, TABLES
from .options import stage_settings


@click.command("spark")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o", "--output", required=True, help="Folder (local, hdfs://, s3a://) for the tables."
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), help="Input format (default: from the name)."
)
@click.option(
    "--master", default=None, help="Spark master, e.g. 'local[*]', yarn (default: Spark's)."
)
@click.option(
    "--stages",
    default="default",
    show_default=True,
    help="Comma-separated stage names, or 'default'.",
)
@stage_settings
@click.option("--partitions", type=int, default=None, help="Repartition the input first.")
@click.option("--text-key", default="text", show_default=True)
@click.option("--html-key", default="html", show_default=True)
@click.option("--url-key", default="url", show_default=True)
@click.option("--title-key", default="title", show_default=True)
@click.option("--date-key", default="date", show_default=True)
@click.option("--outlet-key", default="outlet", show_default=True)
@click.option("--id-key", default="id", show_default=True)
@click.option(
    "--narratives",
    "with_narratives",
    is_flag=True,
    help="Also group claims into narratives (the tables narratives and narrative_members), as "
    "`newsift narratives` does on the DuckDB store.",
)
def spark(
    paths: tuple[str, ...],
    output: str,
    fmt: str | None,
    master: str | None,
    stages: str,
    settings: tuple[str, ...],
    partitions: int | None,
    text_key: str,
    html_key: str,
    url_key: str,
    title_key: str,
    date_key: str,
    outlet_key: str,
    id_key: str,
    with_narratives: bool = False,
) -> None:
    """Analyse JSONL, CSV or Parquet PATHS on Spark into Parquet tables under OUTPUT.

    The tables are those of the DuckDB store (analyses, claims, attributions, spans, problems;
    docs/corpus.md). Needs pip install 'newsift[spark]' and Java 17+.
    """
    from ..corpus.spark import analyze_dataframe, guess_format, read_input, require_pyspark

    require_pyspark()
    from pyspark.sql import SparkSession

    # Local workers run this Python (with newsift installed); a cluster sets its own.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    builder = SparkSession.builder.appName("newsift").config("spark.ui.showConsoleProgress", "true")
    if master:
        builder = builder.master(master)
    session = builder.getOrCreate()
    try:
        df = read_input(session, paths, fmt or guess_format(paths))
        if partitions:
            df = df.repartition(partitions)
        from ..pipeline import Pipeline, stages_from_cli

        names = stages_from_cli(None if stages == "default" else stages, settings)
        if settings and names is not None:
            Pipeline(names)  # a bad setting fails here, not in every Spark task
        tables = analyze_dataframe(
            df,
            stages=names,
            text_col=text_key,
            html_col=html_key,
            url_col=url_key,
            title_col=title_key,
            date_col=date_key,
            outlet_col=outlet_key,
            id_col=id_key,
            source=",".join(paths),
        )
        counts = {}
        for table in TABLES:
            frame = tables[table]
            if frame is None:
                counts[table] = 0
                continue
            frame.write.mode("overwrite").parquet(f"{output.rstrip('/')}/{table}")
            counts[table] = frame.count()
        if with_narratives:
            from ..corpus.spark import narratives_of_tables

            for table, frame in narratives_of_tables(tables).items():
                counts[table] = 0 if frame is None else frame.count()
                if frame is not None:
                    frame.write.mode("overwrite").parquet(f"{output.rstrip('/')}/{table}")
        ok = tables["analyses"].where("status = 'ok'").count() if tables["analyses"] else 0
        click.echo(
            f"analysed {ok} of {counts['analyses']} articles; "
            + ", ".join(f"{t}: {n}" for t, n in counts.items())
            + f"; written to {output}"
        )
        tables["_rdd"].unpersist()
    finally:
        session.stop()
