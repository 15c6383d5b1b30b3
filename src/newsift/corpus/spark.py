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
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

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


def _column_or_null(cols: Sequence[str], name: str, kind: str) -> Any:
    """Column ``name`` of a table with columns ``cols``, or a null of type ``kind`` where the
    table (written by an older version) lacks it."""
    from pyspark.sql import functions as F

    return F.col(name) if name in cols else F.lit(None).cast(kind)


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
        _column_or_null(cols, "language", "string").alias("language"),
        _column_or_null(cols, "outlet_rating", "double").alias("rating"),
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


# -- trace ---------------------------------------------------------------------------------------
def _trace_partition(
    rows: Iterable[tuple], plan: dict[str, Any], chunk: int = 20_000
) -> Iterator[tuple[int, str, float, tuple]]:
    """A task's part of :func:`trace_dataframe`: the top-``k`` units of its rows for each query
    and each way of finding candidates (e5 and MiniLM cosine, BM25 over words and over 3-grams),
    as ``(query, way, score, row)``. The global top-``k`` is among the tasks' top-``k``."""
    import heapq

    from .trace_index import shingle_terms, word_terms

    k = plan["k"]
    best: dict[tuple[int, str], list[tuple[float, int, tuple]]] = {}

    def bm25(terms: list[str], stats: dict[str, Any], wanted: list[str]) -> float:
        if not wanted:
            return 0.0
        counts: dict[str, int] = {}
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
        dl = max(len(terms), 1)  # the index gives a unit without terms one empty term
        norm = 1.5 * (0.25 + 0.75 * dl / stats["avgdl"])
        return sum(stats["idf"][t] * counts[t] / (norm + counts[t]) for t in wanted if t in counts)

    def flush(block: list[tuple]) -> None:
        if not block:
            return
        vecs = {}
        for e in ("e5", "minilm"):
            m = np.frombuffer(b"".join(r[7 if e == "e5" else 8] for r in block), np.int8)
            m = m.reshape(len(block), -1).astype(np.float32)
            vecs[e] = m / np.clip(np.linalg.norm(m, axis=1, keepdims=True), 1e-9, None)
        words = [word_terms(r[1]) for r in block]
        grams = [shingle_terms(r[1]) for r in block]
        for qi, query in enumerate(plan["queries"]):
            ways = {"e5": vecs["e5"] @ np.asarray(query["e5"], np.float32)}
            if query["lang"] == "en":
                ways["minilm"] = vecs["minilm"] @ np.asarray(query["minilm"], np.float32)
            ways["words"] = np.array(
                [bm25(t, plan["bm25"]["words"], query["words"]) for t in words]
            )
            ways["shingles"] = np.array(
                [bm25(t, plan["bm25"]["shingles"], query["shingles"]) for t in grams]
            )
            for way, scores in ways.items():
                heap = best.setdefault((qi, way), [])
                for i in np.argsort(-scores, kind="stable")[:k].tolist():
                    if way in ("words", "shingles") and scores[i] <= 0:
                        break
                    item = (float(scores[i]), -block[i][0], block[i])
                    if len(heap) < k:
                        heapq.heappush(heap, item)
                    elif item > heap[0]:
                        heapq.heapreplace(heap, item)

    block: list[tuple] = []
    for row in rows:
        block.append(tuple(row))
        if len(block) >= chunk:
            flush(block)
            block = []
    flush(block)
    for (qi, way), heap in best.items():
        for score, _, row in heap:
            yield qi, way, score, row


def trace_dataframe(
    claims: Any,
    analyses: Any,
    vectors: Any,
    queries: Sequence[str],
    *,
    articles: Any = None,
    limit: int = 50,
    thresholds: dict[str, float] | None = None,
    encoders: Any = None,
) -> list[Any]:
    """``newsift trace`` on Spark: one :class:`~newsift.corpus.trace.TraceResult` per query, the
    matches the DuckDB path gives on the same corpus.

    The units are those of the trace index (:func:`~newsift.corpus.trace_index.trace_unit`, with
    both stored vectors; units without them are counted as not searched: Spark does not encode
    them). Each task finds, for every query, its best units by e5 and MiniLM cosine and by BM25
    over words and 3-grams (the document frequencies come from one pass over the corpus); the
    driver keeps the global best ``k`` of each way, as the DuckDB path's indexes give them (here
    exactly, there approximately), and scores them with the same code
    (:func:`~newsift.corpus.trace.score_candidates`, against the same background sample). Many
    queries share one pass over the corpus: a batch of claims is traced at the cost of one.

    Args:
        claims: DataFrame with ``article_id`` (integer), ``idx``, ``text``.
        analyses: DataFrame with ``article_id``, ``status``, ``date``, ``domain``, and optionally
            ``language``, ``outlet_rating`` and ``text`` (to tell an article's language when
            ``language`` is empty, as the DuckDB index does).
        vectors: the ``claim_vectors`` DataFrame (``article_id``, ``idx``, ``encoder``, ``vec``).
        queries: the claims to trace, in any language.
        articles: optional DataFrame with ``id`` and ``url``.
        limit: at most this many matches per query.
        thresholds: as :func:`~newsift.corpus.trace.trace_search`'s.
        encoders: as :func:`~newsift.corpus.trace.trace_search`'s (tests pass fakes).

    Raises:
        InputError: a query is empty, one word, or longer than a claim.
    """
    from pyspark.sql import functions as F

    from .narrative_rows import MAX_IDX
    from .trace import (
        MIN_BACKGROUND,
        THRESHOLDS,
        Candidates,
        TraceResult,
        background_of,
        check_query,
        date_notes,
        order_matches,
        query_language,
        scaled_thresholds,
        score_candidates,
    )
    from .trace_index import get_trace_encoder, shingle_terms, trace_unit, word_terms

    texts = [check_query(t) for t in queries]
    langs = [query_language(t) for t in texts]
    qvec = {
        e: [np.asarray(get_trace_encoder(e, encoders).encode([t])[0], np.float32) for t in texts]
        for e in ("e5", "minilm")
    }
    cols = analyses.columns
    a = analyses
    if "status" in cols:
        a = a.where(F.col("status") == "ok")
    a = a.select(
        "article_id",
        F.col("date").cast("timestamp").alias("date"),
        "domain",
        _column_or_null(cols, "language", "string").alias("lang"),
        _column_or_null(cols, "outlet_rating", "double").alias("rating"),
        _column_or_null(cols, "text", "string").alias("atext"),
    )
    units = (
        claims.select("article_id", "idx", "text")
        .where(F.col("text").isNotNull() & (F.col("idx") < MAX_IDX))
        .join(a, "article_id")
    )
    for e in ("e5", "minilm"):
        v = vectors.where(F.col("encoder") == e).select(
            "article_id", "idx", F.col("vec").alias(f"vec_{e}")
        )
        units = units.join(v, ["article_id", "idx"], "left")
    if articles is not None:
        units = units.join(
            articles.select(F.col("id").alias("article_id"), "url"), "article_id", "left"
        )
    else:
        units = units.withColumn("url", F.lit(None).cast("string"))

    def unit_row(r: Any) -> Iterator[tuple]:
        if not trace_unit(r.text):
            return
        from ..lang import guess_language

        lang = r.lang or (guess_language(r.atext or "") or "")
        uid = int(r.article_id) * MAX_IDX + int(r.idx)
        yield (uid, r.text, lang, r.date, r.domain, r.rating, r.url, r.vec_e5, r.vec_minilm)

    rows = units.rdd.flatMap(unit_row)
    dim = 384

    def searchable(r: tuple) -> bool:
        return all(v is not None and len(v) == dim for v in r[7:9])

    rows = rows.cache()
    found = rows.filter(searchable).cache()
    n = found.count()
    not_searched = rows.count() - n
    results = [TraceResult([], n, not_searched, lang) for lang in langs]
    for res in results:
        if not_searched:
            res.notes.append(
                f"{not_searched:,} claim units have no vectors and were not searched; "
                "store them with `newsift run --vectors` before exporting the tables"
            )
        if not n:
            res.notes.append("no analysed claims to search; run `newsift run` first")
    if not n:
        rows.unpersist()
        found.unpersist()
        return results
    # BM25 statistics of the query terms, as the DuckDB index's bm25s computes them
    wanted = {
        "words": sorted({t for q in texts for t in word_terms(q)}),
        "shingles": sorted({t for q in texts for t in shingle_terms(q)}),
    }
    want_b = {k: set(v) for k, v in wanted.items()}

    def df_part(part: Iterable[tuple]) -> Iterator[dict[str, Any]]:
        out: dict[str, Any] = {"words": {}, "shingles": {}, "len_words": 0, "len_shingles": 0}
        for r in part:
            for kind, terms in (("words", word_terms(r[1])), ("shingles", shingle_terms(r[1]))):
                out[f"len_{kind}"] += max(len(terms), 1)
                for t in set(terms) & want_b[kind]:
                    out[kind][t] = out[kind].get(t, 0) + 1
        yield out

    stats: dict[str, Any] = {"words": {}, "shingles": {}, "len_words": 0, "len_shingles": 0}
    for part in found.mapPartitions(df_part).collect():
        for kind in ("words", "shingles"):
            stats[f"len_{kind}"] += part[f"len_{kind}"]
            for t, c in part[kind].items():
                stats[kind][t] = stats[kind].get(t, 0) + c
    bm25 = {
        kind: {
            "avgdl": stats[f"len_{kind}"] / n,
            "idf": {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in stats[kind].items()},
        }
        for kind in ("words", "shingles")
    }
    k = max(100, 2 * limit)
    plan = {
        "k": k,
        "bm25": bm25,
        "queries": [
            {
                "lang": langs[i],
                "e5": qvec["e5"][i].tolist(),
                "minilm": qvec["minilm"][i].tolist(),
                "words": [t for t in dict.fromkeys(word_terms(t)) if t in bm25["words"]["idf"]],
                "shingles": [
                    t for t in dict.fromkeys(shingle_terms(t)) if t in bm25["shingles"]["idf"]
                ],
            }
            for i, t in enumerate(texts)
        ],
    }
    # the background sample of TraceIndex.background: the same positions in unit id order
    sample = None
    if n >= MIN_BACKGROUND:
        pos = set(np.random.default_rng(0).choice(n, size=min(n, 2000), replace=False).tolist())
        picked = (
            found.sortBy(lambda r: r[0])
            .zipWithIndex()
            .filter(lambda x: x[1] in pos)
            .map(lambda x: (x[0][7], x[0][8]))
            .collect()
        )
        sample = {}
        for j, e in enumerate(("e5", "minilm")):
            m = np.frombuffer(b"".join(p[j] for p in picked), np.int8).reshape(len(picked), -1)
            m = m.astype(np.float32)
            sample[e] = m / np.clip(np.linalg.norm(m, axis=1, keepdims=True), 1e-9, None)
    tops: dict[int, dict[str, list[tuple[float, int, tuple]]]] = {}
    for qi, way, score, row in found.mapPartitions(lambda p: _trace_partition(p, plan)).collect():
        tops.setdefault(qi, {}).setdefault(way, []).append((score, -row[0], row))
    rows.unpersist()
    found.unpersist()
    th = scaled_thresholds({**THRESHOLDS, **(thresholds or {})}, n)
    for qi, text in enumerate(texts):
        picked_rows: dict[int, tuple] = {}
        for items in tops.get(qi, {}).values():
            for _, _, row in sorted(items, key=lambda x: (x[0], x[1]), reverse=True)[:k]:
                picked_rows[row[0]] = row
        order = sorted(picked_rows)
        cand = Candidates(
            order,
            [picked_rows[u][2] for u in order],
            {
                e: _unit_matrix([picked_rows[u][7 if e == "e5" else 8] for u in order])
                for e in ("e5", "minilm")
            },
            {
                u: dict(
                    zip(
                        ("article_id", "text", "date", "domain", "rating", "url"),
                        (u // MAX_IDX, *picked_rows[u][1:2], *picked_rows[u][3:7]),
                        strict=True,
                    )
                )
                for u in order
            },
        )
        q = {e: qvec[e][qi] for e in ("e5", "minilm")}
        scored = score_candidates(text, langs[qi], q, cand, background_of(n, sample, q), th)
        scored.sort(key=lambda m: m["_rank"], reverse=True)
        results[qi].matches = order_matches(scored[:limit])
        results[qi].notes.extend(date_notes(results[qi].matches))
    return results


def _unit_matrix(blobs: Sequence[bytes]) -> np.ndarray:
    """L2-normalised float rows of int8 vector blobs."""
    if not blobs:
        return np.zeros((0, 384), np.float32)
    m = np.frombuffer(b"".join(blobs), np.int8).reshape(len(blobs), -1).astype(np.float32)
    return m / np.clip(np.linalg.norm(m, axis=1, keepdims=True), 1e-9, None)
