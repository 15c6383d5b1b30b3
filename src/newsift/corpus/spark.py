"""Batch analysis on Apache Spark, for corpora one machine cannot take.

The same analysis as ``newsift run``, spread over a Spark cluster: each partition builds the
pipeline once per Python worker (:class:`newsift.corpus.runner.Analyzer`, the class ``newsift run``
uses) and turns rows into the same tables as the DuckDB store (``analyses``, ``claims``,
``attributions``, ``spans``, ``problems``; docs/corpus.md), written as Parquet datasets
``OUT/<table>/``. A row that cannot be read or analysed becomes a ``failed`` analysis with its
problem; nothing is dropped.

    newsift spark corpus.jsonl -o out/ --master 'local[*]'
    newsift spark 's3a://bucket/news/*.parquet' -o s3a://bucket/newsift/ --master yarn

From Python, with a DataFrame you already have::

    from newsift.corpus.spark import analyze_dataframe
    tables = analyze_dataframe(df, text_col="body", url_col="link")
    tables["claims"].where("class = 'check-worthy factual'").show()

Needs ``pip install 'newsift[spark]'`` (PySpark) and Java 17 or newer.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..article import Problem
from ..errors import ConfigError
from .ingest import article_row, read_date
from .readers import Bad, FieldMap, field_text, guarded, record_from_fields

if TYPE_CHECKING:
    from ..pipeline import StageSpec

TABLES = ("analyses", "claims", "attributions", "spans", "problems")
FORMATS = ("jsonl", "csv", "parquet")
_TIMESTAMPS = ("date", "analyzed_at", "recorded_at")


def require_pyspark() -> Any:
    """The pyspark module, or a ConfigError that says how to install it."""
    try:
        import pyspark
    except ImportError as err:
        raise ConfigError(
            "Spark mode needs PySpark: pip install 'newsift[spark]' (and Java 17 or newer)"
        ) from err
    return pyspark


@functools.lru_cache(maxsize=4)
def _analyzer(stages_json: str) -> Any:
    """One analyzer (pipeline with its models loaded) per Python worker and stage list (the list
    as JSON: names and ``{"name": ..., **settings}`` dicts)."""
    from .runner import Analyzer

    return Analyzer(json.loads(stages_json))


def _record_id(record: dict[str, Any], fields: FieldMap) -> str:
    """The record's own id, else a hash of its URL and content (stable across re-runs)."""
    own = field_text(record.get(fields.id))
    if own:
        return own
    body = f"{record.get(fields.url)}\n{record.get(fields.html) or record.get(fields.text)}"
    return hashlib.sha1(body.encode("utf-8", "replace")).hexdigest()[:16]


def analyze_records(
    records: Iterable[dict[str, Any]], stages: Sequence[StageSpec], fields: FieldMap, source: str
) -> Iterator[tuple[str, str]]:
    """``(table, JSON row)`` pairs for ``records``: what one Spark partition computes.

    Records are read as ``newsift ingest`` reads them (:func:`record_from_fields`); what cannot be
    read becomes a ``failed`` analysis with its problem.
    """
    analyzer = _analyzer(json.dumps(list(stages), sort_keys=True))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    good: list[dict[str, Any]] = []
    for record in records:
        corrupt = record.pop("_corrupt_record", None)
        rid = (
            _record_id(record, fields)
            if corrupt is None
            else "corrupt-" + hashlib.sha1(str(corrupt).encode("utf-8", "replace")).hexdigest()[:12]
        )
        position = f"id {rid}" if corrupt is None else f"line starting {str(corrupt)[:40]!r}"
        item = (
            Bad(source, position, "malformed_record", "the input line is not a valid record")
            if corrupt is not None
            else guarded(
                source,
                position,
                lambda r=record, p=position: record_from_fields(r, fields, source, p, []),
            )
        )
        if isinstance(item, Bad):
            row = {
                "id": rid,
                "source_file": source,
                "source_pos": position,
                "date": None,
                "domain": None,
            }
            yield from _rows(analyzer.failed(row, Problem("ingest", item.code, item.message), now))
            continue
        date, date_problem = read_date(item)
        if date_problem:
            yield (
                "problems",
                _dump(
                    {
                        "article_id": rid,
                        "file": source,
                        "position": position,
                        "stage": "ingest",
                        "code": "bad_date",
                        "message": date_problem,
                        "recorded_at": now,
                    }
                ),
            )
        good.append(article_row(item, rid, date, now))
    for start in range(0, len(good), 16):
        for result in analyzer(good[start : start + 16]):
            yield from _rows(result)


def _rows(result: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in result.items():
        table = "analyses" if key == "analysis" else key
        if table not in TABLES:
            continue
        for row in value if isinstance(value, list) else [value]:
            yield table, _dump(row)


def _dump(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def analyze_dataframe(
    df: Any,
    *,
    stages: Sequence[StageSpec] | None = None,
    text_col: str = "text",
    html_col: str = "html",
    url_col: str = "url",
    title_col: str = "title",
    date_col: str = "date",
    outlet_col: str = "outlet",
    id_col: str = "id",
    source: str = "dataframe",
) -> dict[str, Any]:
    """Analyse every row of a Spark DataFrame; a DataFrame per table (see :data:`TABLES`).

    Columns that the DataFrame lacks are treated as empty. The result is cached until the caller
    unpersists ``tables["analyses"]``'s source (``tables["_rdd"]``).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from ..pipeline import DEFAULT_STAGES

    names = list(DEFAULT_STAGES if stages is None else stages)
    fields = FieldMap(
        text=text_col,
        html=html_col,
        url=url_col,
        title=title_col,
        date=date_col,
        outlet=outlet_col,
        id=id_col,
    )
    pairs = df.rdd.mapPartitions(
        lambda rows: analyze_records((r.asDict() for r in rows), names, fields, source)
    ).persist(StorageLevel.MEMORY_AND_DISK)
    spark = df.sparkSession
    tables: dict[str, Any] = {"_rdd": pairs}
    for table in TABLES:
        lines = pairs.filter(lambda p, t=table: p[0] == t).map(lambda p: p[1])
        frame = spark.read.json(lines) if not lines.isEmpty() else None
        for column in _TIMESTAMPS:
            if frame is not None and column in frame.columns:
                frame = frame.withColumn(column, F.to_timestamp(F.col(column)))
        tables[table] = frame
    return tables


def read_input(spark: Any, paths: Sequence[str], fmt: str) -> Any:
    """A DataFrame of the input files (JSONL one object per line, CSV with a header, Parquet)."""
    if fmt == "jsonl":
        return spark.read.option("mode", "PERMISSIVE").json(list(paths))
    if fmt == "csv":
        return (
            spark.read.option("header", True)
            .option("multiLine", True)
            .option("escape", '"')
            .csv(list(paths))
        )
    if fmt == "parquet":
        return spark.read.parquet(*paths)
    raise ConfigError(f"input format {fmt!r} is unknown; use one of {', '.join(FORMATS)}")


def guess_format(paths: Sequence[str]) -> str:
    """jsonl, csv or parquet from the first path's ending."""
    name = paths[0].lower().rstrip("/")
    for ending, fmt in (
        (".jsonl", "jsonl"),
        (".json", "jsonl"),
        (".ndjson", "jsonl"),
        (".jsonl.gz", "jsonl"),
        (".csv", "csv"),
        (".csv.gz", "csv"),
        (".parquet", "parquet"),
    ):
        if name.endswith(ending):
            return fmt
    raise ConfigError(
        f"cannot tell the format of {paths[0]} from its name; pass --format jsonl|csv|parquet"
    )
