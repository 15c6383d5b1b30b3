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
from .readers import Bad, FieldMap, Skipped, field_text, guarded, record_from_fields

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
                functools.partial(record_from_fields, record, fields, source, position, []),
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
        assert not isinstance(item, Skipped)  # record_from_fields never skips a record
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


# -- narratives ----------------------------------------------------------------------------------
def _window_rows(key: Any, rows: Iterable[tuple], config_json: str) -> Iterator[tuple[int, int]]:
    """Edges ``(unit, root)`` that linking one window with the one before it gives: what a Spark
    task computes, with the very code of the DuckDB path (:class:`NarrativeBuilder`)."""
    from .narratives import NarrativeBuilder, NarrativeConfig

    builder = NarrativeBuilder(None, NarrativeConfig(**json.loads(config_json)))
    rows = list(rows)
    langs = {r[1]: r[8] for r in rows}
    order = functools.cmp_to_key(_unit_order)
    prev = sorted((r[1:7] for r in rows if r[0] == "prev"), key=order)
    cur = sorted((r[1:7] for r in rows if r[0] == "cur"), key=order)
    w_prev = builder.window(prev, langs) if prev else None
    w_cur = builder.window(cur, langs)
    builder.link(w_prev, w_cur)
    for uid in list(builder.uf.parent):
        yield uid, builder.uf.find(uid)


def _unit_order(a: tuple, b: tuple) -> int:
    """DuckDB's order of a window's units: date (undated: none), article id, claim index."""
    ka = (a[3] is not None, a[3] or dt.datetime.min, a[0], a[1])
    kb = (b[3] is not None, b[3] or dt.datetime.min, b[0], b[1])
    return (ka > kb) - (ka < kb)


def narratives_dataframe(
    claims: Any,
    analyses: Any,
    *,
    articles: Any = None,
    vectors: Any = None,
    config: Any = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``newsift narratives`` on Spark: ``(narratives, narrative_members)`` rows, the same groups
    as the DuckDB path gives on the same corpus.

    Windows are linked in parallel, one task per window with the units of the window before it
    (the same :class:`~newsift.corpus.narratives.NarrativeBuilder` code); the edges are joined
    on the driver (union-find) and the groups turned into rows as the store does.

    Args:
        claims: DataFrame with ``article_id`` (integer), ``idx``, ``text``.
        analyses: DataFrame with ``article_id``, ``status``, ``date``, ``domain``, and
            optionally ``language`` and ``outlet_rating``.
        articles: optional DataFrame with ``id`` and ``url`` (for the origins' URLs).
        vectors: optional ``claim_vectors`` DataFrame (``article_id``, ``idx``, ``encoder``,
            ``vec``): stored MiniLM vectors, used as the DuckDB path uses them.
        config: a :class:`~newsift.corpus.narratives.NarrativeConfig`.
    """
    from dataclasses import asdict

    from pyspark.sql import functions as F

    from .narrative_rows import narrative_rows
    from .narratives import MAX_IDX, NarrativeBuilder, NarrativeConfig

    config = config or NarrativeConfig()
    builder = NarrativeBuilder(None, config)  # the encoder the tasks use, resolved once here
    config = NarrativeConfig(**{**asdict(config), "encoder": builder.encoder.name})
    cols = analyses.columns
    a = analyses.where(F.col("status") == "ok").select(
        "article_id",
        F.col("date").cast("timestamp").alias("date"),
        "domain",
        (F.col("language") if "language" in cols else F.lit(None).cast("string")).alias("language"),
        (F.col("outlet_rating") if "outlet_rating" in cols else F.lit(None).cast("double")).alias(
            "rating"
        ),
    )
    units = claims.select("article_id", "idx", "text").join(a, "article_id")
    if vectors is not None and builder.stored_vectors:
        v = vectors.where(F.col("encoder") == builder.stored_vectors).select(
            "article_id", "idx", "vec"
        )
        units = units.join(v, ["article_id", "idx"], "left")
    else:
        units = units.withColumn("vec", F.lit(None).cast("binary"))
    lo = a.agg(F.min("date")).first()[0]  # windows start where the store's do
    start = dt.datetime(lo.year, lo.month, lo.day) if lo is not None else None
    step = config.window_days * 86400

    n_windows = 0
    if start is not None:
        hi = a.agg(F.max("date")).first()[0]
        n_windows = int((hi - start).total_seconds() // step) + 1
    has_undated = units.where(F.col("date").isNull()).limit(1).count() > 0

    def keyed(r: Any) -> Iterator[tuple[Any, tuple]]:
        # a window with the one before it; undated units alone, then with each dated window
        row = (r.article_id, r.idx, r.text, r.date, r.domain, r.vec, r.rating, r.language)
        if r.date is None:
            yield "undated", ("cur", *row)
            for w in range(n_windows):
                yield f"undated-{w}", ("cur", *row)
            return
        w = int((r.date - start).total_seconds() // step)
        yield w, ("cur", *row)
        yield w + 1, ("prev", *row)
        if has_undated:
            yield f"undated-{w}", ("prev", *row)

    config_json = json.dumps(asdict(config))
    edges = (
        units.rdd.flatMap(keyed)
        .groupByKey()
        .flatMap(lambda kv: _window_rows(kv[0], kv[1], config_json))
        .distinct()
        .collect()
    )
    from .narratives import UnionFind

    uf = UnionFind()
    for u, root in edges:
        uf.union(u, root)
    groups: dict[int, list[int]] = {}
    for u in list(uf.parent):
        groups.setdefault(uf.find(u), []).append(u)
    wanted = sorted(u for g in groups.values() for u in g)
    spark = claims.sparkSession
    ids = spark.createDataFrame(
        [(u, u // MAX_IDX, u % MAX_IDX) for u in wanted], "uid long, article_id long, idx int"
    )
    info_df = ids.join(units, ["article_id", "idx"])
    if articles is not None:
        info_df = info_df.join(
            articles.select(F.col("id").alias("article_id"), "url"), "article_id", "left"
        )
    else:
        info_df = info_df.withColumn("url", F.lit(None).cast("string"))
    info = {
        r.uid: {
            "article_id": r.article_id,
            "idx": r.idx,
            "text": r.text,
            "date": r.date,
            "domain": r.domain,
            "rating": r.rating,
            "url": r.url,
            "vec": r.vec,
            "language": r.language,
        }
        for r in info_df.collect()
    }
    return narrative_rows(
        None,
        sorted((sorted(g) for g in groups.values()), key=lambda g: g[0]),
        builder.encoder,
        config.copy_threshold,
        builder.stored_vectors,
        info=info,
    )


def narratives_of_tables(tables: dict[str, Any], config: Any = None) -> dict[str, Any]:
    """Narratives of the tables :func:`analyze_dataframe` returns (their article ids are the
    records' own, strings): ``{"narratives": DataFrame, "narrative_members": DataFrame}`` or
    ``None`` each when there is none. Article ids are numbered (sorted) for the grouping and
    given back as they were."""
    from pyspark.sql import functions as F

    claims, analyses = tables.get("claims"), tables.get("analyses")
    if claims is None or analyses is None:
        return {"narratives": None, "narrative_members": None}
    spark = analyses.sparkSession
    ids = sorted(r[0] for r in analyses.select("article_id").distinct().collect())
    number = spark.createDataFrame(
        [(a, n) for n, a in enumerate(ids, 1)], "article_id string, n long"
    )

    def renumber(df: Any) -> Any:
        return df.join(number, "article_id").drop("article_id").withColumnRenamed("n", "article_id")

    narratives, members = narratives_dataframe(
        renumber(claims.withColumn("article_id", F.col("article_id").cast("string"))),
        renumber(analyses.withColumn("article_id", F.col("article_id").cast("string"))),
        config=config,
    )
    for n in narratives:
        n["origin_article_id"] = ids[n["origin_article_id"] - 1]
    for m in members:
        m["article_id"] = ids[m["article_id"] - 1]
        m.pop("vec", None)
    out: dict[str, Any] = {}
    for name, rows in (("narratives", narratives), ("narrative_members", members)):
        out[name] = (
            spark.read.json(spark.sparkContext.parallelize([_dump(r) for r in rows]))
            if rows
            else None
        )
        for column in ("date", "first_date", "last_date"):
            if out[name] is not None and column in out[name].columns:
                out[name] = out[name].withColumn(column, F.to_timestamp(F.col(column)))
    return out
